"""Lockout after repeated failures (per account and address), its message, and lifting it."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from councils.models import User
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.querycount import assert_constant_queries

from .helpers import PASSWORD, english

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def _fail(client: Client, username: str, times: int) -> Any:
    response = None
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": "falsch-falsch"})
    return response


@pytest.fixture
def limit(settings: Any) -> int:
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def test_lockout_is_a_portal_page_in_german(world: World, limit: int) -> None:
    response = _fail(Client(), "coordinator", limit)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in html
    assert 'id="user-menu"' not in html  # the portal layout, signed out
    assert "<nav" in html


def test_lockout_message_in_english(world: World, limit: int) -> None:
    response = _fail(english(), "coordinator", limit)
    assert response.status_code == 429
    assert "Login temporarily blocked" in response.content.decode()


def test_lockout_is_per_account_and_address(world: World, limit: int) -> None:
    _fail(Client(), "coordinator", limit)
    # The same account from another address may still sign in.
    other_address = Client(REMOTE_ADDR="198.51.100.9")
    response = other_address.post(LOGIN, {"username": "coordinator", "password": PASSWORD})
    assert response.status_code == 302
    # Another account from the blocked address too.
    response = Client().post(LOGIN, {"username": "member", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("username", ["x" * 5000, "kat\x00rin", "ä" * 300])
def test_a_monstrous_username_is_a_form_error_not_a_crash(db: None, username: str) -> None:
    response = english().post(LOGIN, {"username": username, "password": "irgendwas"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


def test_a_username_of_150_characters_is_recorded(db: None) -> None:
    name = "y" * 150
    response = english().post(LOGIN, {"username": name, "password": "irgendwas"})
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username=name).exists()


# Lifting a block ---------------------------------------------------------------------------


def _blocked(world: World, key: str, limit: int) -> AccessAttempt:
    _fail(Client(), world.users[key].username, limit)
    return AccessAttempt.objects.get(username=world.users[key].username)


def test_state_admin_sees_the_blocks_of_their_state(world: World, limit: int) -> None:
    _blocked(world, "coordinator", limit)
    _blocked(world, "other_state_coordinator", limit)
    response = english(world.client("state_admin")).get(reverse("accounts:lockout_list"))
    assert response.status_code == 200
    names = [lockout.username for lockout in response.context["page"].object_list]
    assert names == ["coordinator"]
    everything = world.client("platform_admin").get(reverse("accounts:lockout_list"))
    assert {x.username for x in everything.context["page"].object_list} == {
        "coordinator",
        "other-state-coordinator",
    }


def test_attempts_below_the_limit_are_not_listed(world: World, limit: int) -> None:
    _fail(Client(), "coordinator", limit - 1)
    response = world.client("state_admin").get(reverse("accounts:lockout_list"))
    assert list(response.context["page"].object_list) == []


def test_state_admin_lifts_a_block_after_confirming(world: World, limit: int) -> None:
    attempt = _blocked(world, "coordinator", limit)
    admin = english(world.client("state_admin"))
    url = reverse("accounts:lockout_unlock", kwargs={"pk": attempt.pk})
    confirm = admin.get(url)
    assert confirm.status_code == 200
    assert "coordinator" in confirm.content.decode()
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    response = admin.post(url)
    assert response["Location"] == reverse("accounts:lockout_list")
    assert not AccessAttempt.objects.filter(username="coordinator").exists()
    client = Client()
    response = client.post(LOGIN, {"username": "coordinator", "password": PASSWORD})
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_state_admin_cannot_lift_a_block_of_another_state(world: World, limit: int) -> None:
    attempt = _blocked(world, "other_state_coordinator", limit)
    url = reverse("accounts:lockout_unlock", kwargs={"pk": attempt.pk})
    assert world.client("state_admin").post(url).status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert world.client("coordinator").post(url).status_code == 403
    assert world.client("other_state_admin").post(url).status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_lockout_of_an_unknown_username_only_for_platform_admins(world: World, limit: int) -> None:
    _fail(Client(), "niemand-bekannt", limit)
    admin = world.client("state_admin").get(reverse("accounts:lockout_list"))
    assert list(admin.context["page"].object_list) == []
    platform = world.client("platform_admin").get(reverse("accounts:lockout_list"))
    assert [x.username for x in platform.context["page"].object_list] == ["niemand-bekannt"]
    assert isinstance(platform.context["page"].object_list[0].person, type(None) | User)


def test_the_lockout_list_does_not_grow_in_queries(world: World, limit: int) -> None:
    client = world.client("state_admin")
    _blocked(world, "coordinator", limit)

    def grow() -> None:
        for n in range(3):
            person = UserFactory(username=f"gesperrt-{n}")
            MembershipFactory(user=person, organisation=world.council)
            _fail(Client(), person.username, limit)

    assert_constant_queries(lambda: client.get(reverse("accounts:lockout_list")), grow)
    page = client.get(reverse("accounts:lockout_list")).context["page"]
    assert len(page.object_list) == 4
