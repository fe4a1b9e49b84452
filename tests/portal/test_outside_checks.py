"""What checkers from outside found: NUL bytes in parameters, the favicon, the meta description
and machine-readable times."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["?q=%00", "?q=a%00b", "?o=title%00", "?%00=1", "?status=submitted&status=%00"],
)
def test_a_nul_byte_in_a_parameter_gets_the_portals_400_page(world: World, query: str) -> None:
    for role, url in (
        ("anonymous", reverse("funding:public_list", kwargs={"slug": world.state.slug})),
        ("anonymous", reverse("directory")),
        ("state_staff", reverse("funding:request_list")),
        ("coordinator", reverse("exchange:offer_list")),
    ):
        response = world.client(role).get(url + query)
        assert response.status_code == 400, (role, url)
        page = response.content.decode()
        assert "<h1>Ungültige Anfrage</h1>" in page or "Bad request" in page
        assert "<nav" in page  # the portal's layout, not a bare error


def test_the_same_parameters_without_nul_are_answered(world: World) -> None:
    url = reverse("funding:public_list", kwargs={"slug": world.state.slug})
    assert Client().get(url + "?q=Sucht").status_code == 200


def test_posted_forms_keep_refusing_nul_at_the_field(world: World) -> None:
    """Posted fields are the forms' to check: the person keeps what they typed."""
    response = world.client("anonymous").post(
        reverse("login"), {"username": "kat\x00rin", "password": "x"}
    )
    assert response.status_code == 200


def test_the_favicon_is_served(world: World) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an icon resource


def test_every_page_has_a_meta_description_and_the_icons() -> None:
    page = Client().get(reverse("home")).content.decode()
    match = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert match and "Präventionsr" in match.group(1)
    assert '<link rel="icon" href="/favicon.ico"' in page


def test_times_carry_no_fractions_of_a_second(world: World) -> None:
    NotificationFactory(recipient=world.users["coordinator"], subject="Test", body="")
    page = world.client("coordinator").get(reverse("notifications:list")).content.decode()
    times = re.findall(r'<time datetime="([^"]+)"', page)
    assert times
    for value in times:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", value), value
