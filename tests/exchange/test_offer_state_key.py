"""The tenant key of an offer: its state is always its provider's, never taken from a form."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from councils.models import Role
from councils.topics import Topic
from exchange import offers as services
from exchange.models import Offer, OfferKind
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("exchange:offer_create")


def _fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": OfferKind.TRAINING,
        "title": "Fortbildung Gesprächsführung",
        "description": "Ein Tag.",
        "contact_email": "kontakt@example.org",
        "statewide": True,
    }
    fields.update(overrides)
    return fields


def test_the_service_sets_the_state_from_the_provider(world: World) -> None:
    offer = services.offer_create(
        provider=world.ngo, by=world.users["ngo_representative"], **_fields()
    )
    assert offer.state_id == world.ngo.state_id


def test_the_service_takes_no_state_or_provider_from_the_form(world: World) -> None:
    with pytest.raises(TypeError):
        services.offer_create(
            provider=world.ngo,
            by=world.users["ngo_representative"],
            state=world.other_state,
            **_fields(),
        )
    offer = services.offer_create(
        provider=world.ngo, by=world.users["ngo_representative"], **_fields()
    )
    for forged in ({"state": world.other_state}, {"provider": world.other_state_office}):
        with pytest.raises(TypeError):
            services.offer_update(
                offer=offer, by=world.users["ngo_representative"], **_fields(), **forged
            )
    offer.refresh_from_db()
    assert (offer.state_id, offer.provider_id) == (world.state.pk, world.ngo.pk)


def test_a_forged_state_in_the_form_is_ignored(world: World) -> None:
    """A person with seats in two states posts the other state's id: the offer stays home."""
    person = world.users["ngo_representative"]
    MembershipFactory(user=person, organisation=world.other_state_council)
    response = world.client("ngo_representative").post(
        CREATE,
        {
            "provider": world.ngo.pk,
            "state": world.other_state.pk,
            "kind": OfferKind.TRAINING,
            "title": "Fortbildung",
            "description": "Ein Tag.",
            "topics": [Topic.VICTIMS],
            "statewide": "on",
            "is_free": "on",
            "contact_email": "kontakt@example.org",
            "publish": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    offer = Offer.objects.get(title="Fortbildung")
    assert offer.state_id == world.state.pk == offer.provider.state_id


def test_the_model_refuses_a_state_other_than_the_providers(world: World) -> None:
    offer = Offer(
        provider=world.ngo,
        state=world.other_state,
        created_by=world.users["ngo_representative"],
        **_fields(),
    )
    with pytest.raises(ValidationError) as error:
        offer.full_clean(exclude=["source"])
    assert "state" in error.value.message_dict


def test_a_provider_of_another_state_cannot_be_chosen(world: World) -> None:
    """The provider must be one the user acts for; the state then follows it."""
    person = UserFactory()
    MembershipFactory(user=person, organisation=world.office, role=Role.STATE_STAFF)
    with pytest.raises(ValidationError):
        services.offer_create(provider=world.other_state_office, by=person, **_fields())
    assert not Offer.objects.filter(provider=world.other_state_office).exists()
