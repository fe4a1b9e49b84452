"""factory-boy factories for the membership model."""

from __future__ import annotations

import factory
from django.utils import timezone

from councils.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StateNetwork,
    User,
)
from notifications.models import Notification


class StateNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StateNetwork
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Land {n}")
    slug = factory.Sequence(lambda n: f"land-{n}")
    # A digit and a letter: never one of the real two-letter codes (NI, MV) the tests also use.
    code = factory.Sequence(lambda n: f"{n % 10}{chr(65 + n // 10 % 26)}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    state = factory.SubFactory(StateNetworkFactory)
    name = factory.Sequence(lambda n: f"Region {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    state = factory.SubFactory(StateNetworkFactory)
    kind = OrganisationKind.MUNICIPAL_COUNCIL
    name = factory.Sequence(lambda n: f"Präventionsrat Musterstadt {n}")
    region = factory.LazyAttribute(
        lambda o: (
            RegionFactory(state=o.state) if o.kind == OrganisationKind.MUNICIPAL_COUNCIL else None
        )
    )
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")
    street = "Marktplatz 1"
    postcode = "31785"
    city = "Musterstadt"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("geheim-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.LazyAttribute(lambda m: m.organisation.allowed_roles[-1])
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=30))


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation
        exclude = ("token",)

    email = factory.Sequence(lambda n: f"eingeladen{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COUNCIL_MEMBER
    token = factory.Sequence(lambda n: f"token-{n}")
    token_hash = factory.LazyAttribute(lambda i: Invitation.hash_token(i.token))
    expires_at = factory.LazyFunction(Invitation.default_expiry)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    subject = factory.Sequence(lambda n: f"Hinweis {n}")
    body = "Bitte prüfen."
