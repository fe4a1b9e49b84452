"""A council's profile (kept by its coordinators, public in parts) and its roster with exports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils.models import Affiliation, Organisation, Position, Role
from tests.conftest import World
from tests.councils.access_council import PNG
from tests.factories import MembershipFactory, UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _profile_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "area": "district",
        "founded_on": "2001-05-03",
        "description": "Wir beugen vor.",
        "contact_name": "Erika Geschäftsstelle",
        "email": "kpr@example.org",
        "phone": "05151 123",
        "website": "",
        "public_description": "on",
        "public_founded_on": "on",
        "public_logo": "on",
    }
    data.update(changes)
    return data


def test_the_coordinator_edits_the_profile_with_a_logo(world: World) -> None:
    region = world.council.region_id
    response = world.client("coordinator").post(
        reverse("councils:council_profile_edit", args=[world.council.pk]),
        _profile_data(
            logo=SimpleUploadedFile("wappen.png", PNG, content_type="image/png"),
            region=world.other_council.region_id,  # not in the form: ignored
            name="Umbenannt",
        ),
    )
    assert response.status_code == 302
    council = Organisation.objects.get(pk=world.council.pk)
    assert council.founded_on == date(2001, 5, 3)
    assert council.contact_name == "Erika Geschäftsstelle"
    assert council.logo.name.startswith("councils/logos/") and council.logo.name.endswith(".png")
    assert (council.region_id, council.name) == (region, "Präventionsrat Hameln")
    assert council.history.first().history_user == world.users["coordinator"]
    logo = Client().get(reverse("councils:council_logo", args=[council.pk]))
    assert logo.status_code == 200
    assert logo["X-Content-Type-Options"] == "nosniff"


def test_a_disguised_logo_is_refused_and_the_typed_values_are_kept(world: World) -> None:
    response = world.client("coordinator").post(
        reverse("councils:council_profile_edit", args=[world.council.pk]),
        _profile_data(
            logo=SimpleUploadedFile("wappen.png", b"<svg><script>alert(1)</script></svg>"),
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    assert "Erika Geschäftsstelle" in response.content.decode()
    assert not Organisation.objects.get(pk=world.council.pk).logo


def test_the_public_profile_shows_only_what_is_marked_public(world: World) -> None:
    chair = MembershipFactory(
        organisation=world.council,
        user=UserFactory(first_name="Clara", last_name="Vorsitzende"),
        role=Role.COUNCIL_MEMBER,
        position=Position.CHAIR,
    )
    Organisation.objects.filter(pk=world.council.pk).update(
        description="Geheim", public_description=False, contact_name="Erika Kontakt"
    )
    url = reverse("councils:public_profile", args=[world.state.slug, world.council.pk])
    page = Client().get(url).content.decode()
    assert "Vorsitzende" not in page and "Geheim" not in page and "Erika Kontakt" not in page
    Organisation.objects.filter(pk=world.council.pk).update(
        public_chair=True, public_description=True, public_contact=True
    )
    page = Client().get(url).content.decode()
    assert str(chair.user) in page and "Geheim" in page and "Erika Kontakt" in page


def test_the_directory_links_the_public_profile(world: World) -> None:
    page = Client().get(reverse("directory_state", args=[world.state.slug])).content.decode()
    assert reverse("councils:public_profile", args=[world.state.slug, world.council.pk]) in page


def _former(world: World) -> None:
    MembershipFactory(
        organisation=world.council,
        user=UserFactory(last_name="Ehemalig"),
        role=Role.COUNCIL_MEMBER,
        start_date=timezone.localdate() - timedelta(days=400),
        end_date=timezone.localdate() - timedelta(days=3),
        home_organisation="Stadt Hameln",
    )


def test_the_roster_shows_home_organisation_and_former_members_apart(world: World) -> None:
    _former(world)
    MembershipFactory(
        organisation=world.council,
        role=Role.COUNCIL_MEMBER,
        affiliation=Affiliation.POLICE,
        home_organisation="Polizeiinspektion Hameln",
    )
    response = world.client("member").get(
        reverse("councils:council_roster", args=[world.council.pk])
    )
    roster = response.context["roster"]
    assert [m.user.last_name for m in roster.former] == ["Ehemalig"]
    assert len(roster.current) == 3
    assert roster.current[0].position == Position.MANAGING_OFFICE  # leaders first
    assert "Polizeiinspektion Hameln" in response.content.decode()


def test_the_roster_csv_is_for_german_excel(world: World) -> None:
    _former(world)
    MembershipFactory(
        organisation=world.council,
        user=UserFactory(last_name="=HYPERLINK(1)"),
        role=Role.COUNCIL_MEMBER,
        home_organisation="Polizeiinspektion Hameln",
    )
    response = world.client("state_staff").get(
        reverse("councils:council_roster_csv", args=[world.council.pk])
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].count(";") == 8
    assert any("Polizeiinspektion Hameln" in line for line in lines)
    assert any("Stadt Hameln" in line and "ehemalig" in line for line in lines)
    assert any(line.startswith("'=HYPERLINK(1)") for line in lines)


def test_the_roster_pdf_is_a_pdf(world: World) -> None:
    response = world.client("coordinator").get(
        reverse("councils:council_roster_pdf", args=[world.council.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_roster_page_costs_the_same_queries_whatever_its_size(world: World) -> None:
    client = world.client("coordinator")
    url = reverse("councils:council_roster", args=[world.council.pk])

    def grow() -> None:
        for _ in range(5):
            MembershipFactory(organisation=world.council, role=Role.COUNCIL_MEMBER)
        _former(world)

    assert_constant_queries(lambda: client.get(url), grow)


def test_the_history_page_costs_the_same_queries_whatever_its_size(world: World) -> None:
    client = world.client("coordinator")
    url = reverse("councils:council_history", args=[world.council.pk])

    def grow() -> None:
        for _ in range(5):
            MembershipFactory(organisation=world.council, role=Role.COUNCIL_MEMBER)

    assert_constant_queries(lambda: client.get(url), grow)
