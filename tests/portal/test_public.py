"""Public pages: start page, council directory, imprint and accessibility statement."""

from __future__ import annotations

import itertools
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from councils.models import CouncilArea, OrganisationKind
from tests.conftest import World
from tests.factories import OrganisationFactory, RegionFactory, StateNetworkFactory
from tests.querycount import assert_constant_queries

_numbers = itertools.count(1)


def english() -> Client:
    """An anonymous client with English chosen, so texts are checked independent of the .po."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def html_of(url: str, client: Client | None = None) -> str:
    response = (client or english()).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    return html


def add_councils(world: World, count: int) -> None:
    region = world.council.region
    for _ in range(count):
        n = next(_numbers)
        OrganisationFactory(
            state=world.state, region=region, name=f"Präventionsrat Zusatz {n}", city=f"Ort {n}"
        )


# Start page


@pytest.mark.django_db
def test_home_says_what_the_portal_is_and_for_whom(world: World) -> None:
    html = html_of(reverse("home"))
    assert "The working portal of the state prevention network" in html
    for audience in ("The state office", "Municipal prevention councils", "Statewide NGOs"):
        assert audience in html
    assert reverse("login") in html


@pytest.mark.django_db
def test_home_links_to_the_directory_of_each_state(world: World) -> None:
    html = html_of(reverse("home"))
    assert reverse("directory_state", kwargs={"slug": world.state.slug}) in html
    assert reverse("directory_state", kwargs={"slug": world.other_state.slug}) in html
    assert "(2 municipal councils)" in html  # Niedersachsen: Hameln and Lüneburg
    assert "(1 municipal council)" in html


@pytest.mark.django_db
def test_home_hides_inactive_states(world: World) -> None:
    world.other_state.is_active = False
    world.other_state.save()
    html = html_of(reverse("home"))
    assert reverse("directory_state", kwargs={"slug": world.other_state.slug}) not in html


@pytest.mark.django_db
def test_home_offers_the_dashboard_when_signed_in(world: World) -> None:
    client = world.client("member")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = html_of(reverse("home"), client)
    assert "Go to your dashboard" in html


@pytest.mark.django_db
def test_home_rejects_post(world: World) -> None:
    assert Client().post(reverse("home")).status_code == 405


@pytest.mark.django_db
def test_home_queries_do_not_grow_with_states_and_councils(world: World) -> None:
    def grow() -> None:
        add_councils(world, 10)
        for _ in range(3):
            StateNetworkFactory()

    client = english()
    assert_constant_queries(lambda: client.get(reverse("home")), grow)


# Directory of states


@pytest.mark.django_db
def test_directory_counts_active_councils_and_ngos_per_state(world: World) -> None:
    OrganisationFactory(state=world.state, region=world.council.region, is_active=False)
    html = html_of(reverse("directory"))
    row = re.search(r"Niedersachsen</a></th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>", html)
    assert row is not None
    assert row.groups() == ("2", "1")  # the inactive council does not count
    assert "<caption>" in html


@pytest.mark.django_db
def test_directory_shows_an_empty_state_without_networks(db: None) -> None:
    html = html_of(reverse("directory"))
    assert "No state network has been set up yet." in html


@pytest.mark.django_db
def test_directory_rejects_post(world: World) -> None:
    assert Client().post(reverse("directory")).status_code == 405


@pytest.mark.django_db
def test_directory_queries_do_not_grow(world: World) -> None:
    def grow() -> None:
        add_councils(world, 10)
        StateNetworkFactory()
        StateNetworkFactory()

    client = english()
    assert_constant_queries(lambda: client.get(reverse("directory")), grow)


# Directory of one state


def state_url(world: World, query: str = "") -> str:
    return reverse("directory_state", kwargs={"slug": world.state.slug}) + query


@pytest.mark.django_db
def test_state_directory_lists_councils_by_region_with_contact(world: World) -> None:
    world.council.phone = "05151 123456"
    world.council.website = "https://praevention.example.org"
    world.council.area = CouncilArea.DISTRICT
    world.council.city = "Hameln"
    world.council.save()
    html = html_of(state_url(world))
    assert "Region Leine-Weser" in html
    assert "Region Lüneburg" in html
    assert html.index("Region Leine-Weser") < html.index("Präventionsrat Hameln")
    assert html.index("Präventionsrat Hameln") < html.index("Region Lüneburg")
    assert f"mailto:{world.council.email}" in html
    assert "05151 123456" in html
    assert "https://praevention.example.org" in html
    assert "District (Landkreis)" in html
    assert "Hameln" in html
    assert 'scope="col"' in html
    assert "<caption>" in html


@pytest.mark.django_db
def test_state_directory_leaves_out_other_states_ngos_and_inactive_councils(world: World) -> None:
    OrganisationFactory(
        state=world.state, region=world.council.region, name="Stillgelegter Rat", is_active=False
    )
    html = html_of(state_url(world))
    assert world.other_state_council.name not in html
    assert world.ngo.name not in html
    assert world.office.name not in html
    assert "Stillgelegter Rat" not in html


@pytest.mark.django_db
def test_state_directory_search_by_name_keeps_the_query(world: World) -> None:
    html = html_of(state_url(world, "?q=hameln"))
    assert "Präventionsrat Hameln" in html
    assert "Präventionsrat Lüneburg" not in html
    assert 'value="hameln"' in html
    assert "1 council found." in html


@pytest.mark.django_db
def test_state_directory_search_by_city(world: World) -> None:
    world.other_council.city = "Adendorf"
    world.other_council.save()
    html = html_of(state_url(world, "?q=adendorf"))
    assert "Präventionsrat Lüneburg" in html
    assert "Präventionsrat Hameln" not in html


@pytest.mark.django_db
def test_state_directory_region_filter_keeps_the_choice(world: World) -> None:
    region = world.other_council.region
    html = html_of(state_url(world, f"?region={region.pk}"))
    assert "Präventionsrat Lüneburg" in html
    assert "Präventionsrat Hameln" not in html
    assert f'<option value="{region.pk}" selected>' in html


@pytest.mark.django_db
def test_state_directory_ignores_a_region_of_another_state(world: World) -> None:
    foreign_region = world.other_state_council.region
    html = html_of(state_url(world, f"?region={foreign_region.pk}"))
    assert "Präventionsrat Hameln" in html
    assert "Präventionsrat Lüneburg" in html
    assert world.other_state_council.name not in html


@pytest.mark.django_db
def test_state_directory_says_when_nothing_matches(world: World) -> None:
    html = html_of(state_url(world, "?q=Atlantis"))
    assert "No council matches your search." in html
    assert 'value="Atlantis"' in html


@pytest.mark.django_db
def test_state_directory_pages_by_25_and_keeps_the_filter(world: World) -> None:
    region = world.council.region
    add_councils(world, 30)
    first = html_of(state_url(world, f"?q=Zusatz&region={region.pk}"))
    assert first.count('<th scope="row">') == 25
    assert f"?q=Zusatz&amp;region={region.pk}&amp;page=2" in first
    second = html_of(state_url(world, f"?q=Zusatz&region={region.pk}&page=2"))
    assert second.count('<th scope="row">') == 5
    assert "Page 2 of 2" in second


@pytest.mark.django_db
def test_state_directory_of_an_inactive_state_is_not_found(world: World) -> None:
    world.other_state.is_active = False
    world.other_state.save()
    url = reverse("directory_state", kwargs={"slug": world.other_state.slug})
    assert Client().get(url).status_code == 404
    assert Client().get(reverse("directory_state", kwargs={"slug": "atlantis"})).status_code == 404


@pytest.mark.django_db
def test_state_directory_rejects_post(world: World) -> None:
    assert Client().post(state_url(world)).status_code == 405


@pytest.mark.django_db
def test_state_directory_queries_do_not_grow_with_councils_and_regions(world: World) -> None:
    def grow() -> None:
        for _ in range(3):
            region = RegionFactory(state=world.state)
            OrganisationFactory(state=world.state, region=region)
        add_councils(world, 15)
        OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, region=None)

    client = english()
    assert_constant_queries(lambda: client.get(state_url(world)), grow)


# Imprint and accessibility statement


@pytest.mark.django_db
def test_imprint_shows_the_configured_operator(settings: object) -> None:
    settings.IMPRINT = {  # type: ignore[attr-defined]
        "operator": "Landespräventionsrat Musterland",
        "department": "Geschäftsstelle",
        "street": "Musterweg 1",
        "postcode_city": "12345 Musterstadt",
        "represented_by": "Dr. Erika Beispiel",
        "email": "kontakt@lpr-musterland.example.org",
        "phone": "",
        "website": "https://lpr-musterland.example.org",
        "supervisory_authority": "Justizministerium Musterland",
    }
    html = html_of(reverse("imprint"))
    for text in (
        "Landespräventionsrat Musterland",
        "Musterweg 1",
        "12345 Musterstadt",
        "Dr. Erika Beispiel",
        "mailto:kontakt@lpr-musterland.example.org",
        "Justizministerium Musterland",
        "Interstate Media Treaty",
    ):
        assert text in html
    assert "Phone" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_imprint_rejects_post(db: None) -> None:
    assert Client().post(reverse("imprint")).status_code == 405


@pytest.mark.django_db
def test_accessibility_statement_has_the_parts_bitv_asks_for(settings: object) -> None:
    settings.ACCESSIBILITY_STATEMENT = {  # type: ignore[attr-defined]
        "prepared_on": "2026-11-01",
        "feedback_email": "barrierefrei@example.org",
        "enforcement_body": "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz",
        "enforcement_url": "https://www.schlichtungsstelle-bgg.de",
    }
    html = html_of(reverse("accessibility"))
    for text in (
        "Status of compliance",
        "BITV 2.0",
        "Content that is not accessible",
        "Feedback and contact",
        "mailto:barrierefrei@example.org",
        "Enforcement procedure",
        "https://www.schlichtungsstelle-bgg.de",
        "Nov. 1, 2026",
    ):
        assert text in html


@pytest.mark.django_db
def test_accessibility_statement_in_german_shows_the_german_date(db: None) -> None:
    response = Client().get(reverse("accessibility"))
    assert response.status_code == 200
    assert "1. November 2026" in response.content.decode()


@pytest.mark.django_db
def test_accessibility_takes_feedback_but_rejects_other_methods(db: None) -> None:
    # POST is the feedback form (tests/accounts/test_accessibility_feedback.py).
    assert Client().put(reverse("accessibility")).status_code == 405
