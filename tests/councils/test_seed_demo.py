"""`manage.py seed_demo`: the demo accounts, idempotence, the DEBUG guard and the scale options."""

from __future__ import annotations

import random
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from faker import Faker

from councils.demo.data import NIEDERSACHSEN
from councils.demo.network import FAKER_SEED, UsernamePool, plan_people
from councils.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Position,
    Region,
    Role,
    StateNetwork,
    User,
)

HAMELN = "Kommunaler Präventionsrat Hameln-Pyrmont"
ROSTOCK = "Kommunaler Präventionsrat Landkreis Rostock"
NI_OFFICE = "Landespräventionsrat Niedersachsen"

#: username → expected seats as (state code, organisation kind, role), or None for the superuser.
EXPECTED_ACCOUNTS: dict[str, set[tuple[str, str, str]] | None] = {
    "plattform": None,
    "lpr-admin": {("NI", OrganisationKind.STATE_OFFICE, Role.STATE_ADMIN)},
    "lpr-referent": {("NI", OrganisationKind.STATE_OFFICE, Role.STATE_STAFF)},
    "lpr-referentin2": {("NI", OrganisationKind.STATE_OFFICE, Role.STATE_STAFF)},
    "kpr-koordination": {
        ("NI", OrganisationKind.MUNICIPAL_COUNCIL, Role.COUNCIL_COORDINATOR),
        ("NI", OrganisationKind.MUNICIPAL_COUNCIL, Role.COUNCIL_MEMBER),
    },
    "kpr-mitglied": {("NI", OrganisationKind.MUNICIPAL_COUNCIL, Role.COUNCIL_MEMBER)},
    "ngo-vertretung": {("NI", OrganisationKind.NGO, Role.NGO_REPRESENTATIVE)},
    "mv-referent": {("MV", OrganisationKind.STATE_OFFICE, Role.STATE_STAFF)},
    "rostock-koordination": {("MV", OrganisationKind.MUNICIPAL_COUNCIL, Role.COUNCIL_COORDINATOR)},
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "states": StateNetwork.objects.count(),
        "regions": Region.objects.count(),
        "organisations": Organisation.objects.count(),
        "organisation_history": Organisation.history.count(),
        "served": Organisation.served_regions.through.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "membership_history": Membership.history.count(),
        "invitations": Invitation.objects.count(),
    }


@pytest.fixture(scope="module")
def _seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo, seeded once for the module in a transaction that is rolled back at its end.

    Each test runs in a savepoint inside it (pytest-django's per-test atomic block nests), so a
    test that seeds again or changes data leaves the next one the same demo. Tests that need an
    empty database are in test_seed_demo_options.py.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def demo(_seeded: str, db: None) -> str:
    return _seeded


def test_prints_the_demo_logins(demo: str) -> None:
    for username in EXPECTED_ACCOUNTS:
        assert username in demo


@pytest.mark.parametrize("username", list(EXPECTED_ACCOUNTS))
def test_demo_account_logs_in_with_the_demo_password(demo: str, username: str) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert SESSION_KEY in client.session
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("username", list(EXPECTED_ACCOUNTS))
def test_demo_account_has_the_expected_role(demo: str, username: str) -> None:
    user = User.objects.get(username=username)
    expected = EXPECTED_ACCOUNTS[username]
    seats = {
        (m.organisation.state.code, m.organisation.kind, m.role)
        for m in Membership.objects.active().filter(user=user).select_related("organisation__state")
    }
    if expected is None:
        assert user.is_superuser and user.is_staff
        assert seats == set()
    else:
        assert not user.is_superuser and not user.is_staff
        assert seats == expected


def test_coordinator_and_member_share_the_hameln_council(demo: str) -> None:
    coordinator = Membership.objects.get(
        user__username="kpr-koordination", role=Role.COUNCIL_COORDINATOR
    )
    member = Membership.objects.get(user__username="kpr-mitglied")
    assert coordinator.organisation == member.organisation
    assert coordinator.organisation.name == HAMELN
    assert coordinator.organisation.region.name == "Leine-Weser"
    assert coordinator.position == Position.MANAGING_OFFICE
    second = Membership.objects.get(user__username="kpr-koordination", role=Role.COUNCIL_MEMBER)
    assert second.organisation != coordinator.organisation
    assert second.organisation.state.code == "NI"
    rostock = Membership.objects.get(user__username="rostock-koordination")
    assert rostock.organisation.name == ROSTOCK


def test_niedersachsen_has_its_regions_office_councils_and_ngos(demo: str) -> None:
    ni = StateNetwork.objects.get(code="NI")
    assert set(ni.regions.values_list("name", flat=True)) == {
        "Braunschweig",
        "Leine-Weser",
        "Lüneburg",
        "Weser-Ems",
    }
    kinds = dict(ni.organisations.values_list("kind").annotate(n=Count("pk")))
    assert kinds[OrganisationKind.STATE_OFFICE] == 1
    assert kinds[OrganisationKind.MUNICIPAL_COUNCIL] >= 20
    assert kinds[OrganisationKind.NGO] == 8
    assert ni.organisations.get(kind=OrganisationKind.STATE_OFFICE).name == NI_OFFICE
    # Councils in every region, every NGO serves at least one region.
    assert ni.regions.annotate(n=Count("councils")).filter(n=0).count() == 0
    ngos = ni.organisations.filter(kind=OrganisationKind.NGO).annotate(n=Count("served_regions"))
    assert all(ngo.n >= 1 for ngo in ngos)


def test_every_council_has_a_chair_a_deputy_and_a_managing_office(demo: str) -> None:
    for council in Organisation.objects.filter(kind=OrganisationKind.MUNICIPAL_COUNCIL):
        positions = list(council.memberships.values_list("position", flat=True))
        assert positions.count(Position.CHAIR) == 1, council
        assert positions.count(Position.DEPUTY_CHAIR) == 1, council
        assert positions.count(Position.MANAGING_OFFICE) == 1, council
        assert positions.count(Position.MEMBER) >= 2, council
        assert council.memberships.filter(role=Role.COUNCIL_COORDINATOR).exists(), council
        assert len(set(council.memberships.values_list("affiliation", flat=True))) >= 2


def test_mecklenburg_vorpommern_has_regions_office_and_the_rostock_council(demo: str) -> None:
    mv = StateNetwork.objects.get(code="MV")
    assert mv.regions.count() == 4
    assert mv.organisations.filter(kind=OrganisationKind.STATE_OFFICE).count() == 1
    rostock = mv.organisations.get(name=ROSTOCK)
    assert rostock.memberships.count() >= 4
    assert mv.organisations.filter(kind=OrganisationKind.MUNICIPAL_COUNCIL).count() > 1


def test_there_are_pending_invitations(demo: str) -> None:
    assert Invitation.objects.pending().filter(organisation__state__code="NI").count() >= 3


def test_running_twice_changes_no_counts(demo: str) -> None:
    before = counts()
    seed()
    assert counts() == before


def test_generated_people_are_the_same_on_every_run() -> None:
    def names() -> list[str]:
        fake = Faker("de_DE")
        fake.seed_instance(FAKER_SEED)
        plan = plan_people(NIEDERSACHSEN, fake, random.Random(FAKER_SEED), UsernamePool(set()))
        return [p.username for p in plan.people]

    first = names()
    assert first == names()
    assert len(first) == len(set(first))


def test_the_rostock_council_has_about_twenty_members_with_home_organisations(demo: str) -> None:
    rostock = Organisation.objects.get(name=ROSTOCK)
    current = list(rostock.memberships.active())
    assert 18 <= len(current) <= 22
    positions = [m.position for m in current]
    assert positions.count(Position.CHAIR) == 1
    assert positions.count(Position.MANAGING_OFFICE) == 1
    affiliations = {m.affiliation for m in current}
    assert {"police", "administration", "association"} <= affiliations
    assert sum(1 for m in current if m.home_organisation) >= len(current) - 1
    assert rostock.memberships.ended().exists()
    assert rostock.contact_name and rostock.description and rostock.founded_on
