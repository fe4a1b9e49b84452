"""`manage.py seed_demo` on an empty database: the DEBUG guard and the scale options."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count

from councils.models import (
    Membership,
    OrganisationKind,
    Role,
    StateNetwork,
    User,
)
from tests.councils.test_seed_demo import counts, seed

#: The apps' volumes are tested in tests/test_scale_seed.py; small ones keep these tests fast.
SMALL = ("--years", "1", "--requests-per-year", "6")


def test_refuses_to_run_without_debug(db: None, settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == 0


def test_runs_with_debug_on(db: None, settings: Any) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.filter(username="plattform").exists()


def test_scale_state_with_reduced_sizes(db: None) -> None:
    output = seed("--scale", "state", "--councils", "20", "--ngos", "5", "--users", "100", *SMALL)
    assert "land-01: created" in output
    state = StateNetwork.objects.get(slug="land-01")
    kinds = dict(state.organisations.values_list("kind").annotate(n=Count("pk")))
    assert kinds == {
        OrganisationKind.STATE_OFFICE: 1,
        OrganisationKind.MUNICIPAL_COUNCIL: 20,
        OrganisationKind.NGO: 5,
    }
    people = User.objects.filter(memberships__organisation__state=state).distinct()
    assert people.count() == 100
    memberships = Membership.objects.filter(organisation__state=state)
    assert memberships.filter(role=Role.STATE_ADMIN).count() == 2
    assert memberships.filter(role=Role.COUNCIL_COORDINATOR).count() == 20
    assert memberships.filter(role=Role.NGO_REPRESENTATIVE).count() == 10
    # Some people sit on two councils, as in real life.
    assert people.annotate(n=Count("memberships")).filter(n=2).exists()
    # The bulk people share the demo password.
    assert people.first().check_password(settings.DEMO_PASSWORD)

    before = counts()
    again = seed("--scale", "state", "--councils", "20", "--ngos", "5", "--users", "100", *SMALL)
    assert "already there" in again
    assert counts() == before


def test_scale_federal_makes_separate_states(db: None) -> None:
    seed(
        "--scale", "federal", "--states", "2", "--councils", "4", "--ngos", "2", "--users", "30",
        *SMALL,
    )  # fmt: skip
    assert set(
        StateNetwork.objects.filter(slug__startswith="land-").values_list("name", flat=True)
    ) == {"Land 01", "Land 02"}
    for slug in ("land-01", "land-02"):
        state = StateNetwork.objects.get(slug=slug)
        assert state.organisations.filter(kind=OrganisationKind.MUNICIPAL_COUNCIL).count() == 4
    # The demo states are untouched by the scale data.
    assert StateNetwork.objects.get(code="NI").organisations.count() == 33
