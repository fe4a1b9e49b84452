"""Re-authentication before sensitive changes, session time-outs, sessions ended by admins."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts import clock
from core.sessions import UserSession
from tests.conftest import World

from .helpers import PASSWORD, code_for, english, give_second_factor

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
REAUTH = reverse("accounts:reauth")


class TimeMachine:
    """Moves the clock the session rules read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = 0.0
        real = clock.now
        monkeypatch.setattr(clock, "now", lambda: real() + self.offset)

    def travel(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def time_machine(monkeypatch: pytest.MonkeyPatch) -> TimeMachine:
    return TimeMachine(monkeypatch)


def _signed_in(world: World, key: str) -> Client:
    client = english()
    response = client.post(LOGIN, {"username": world.users[key].username, "password": PASSWORD})
    assert response.status_code == 302
    return client


# Re-authentication -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["accounts:email_change", "password_change", "accounts:recovery_codes_new"]
)
def test_sensitive_pages_ask_for_the_password_after_a_while(
    world: World, time_machine: TimeMachine, name: str
) -> None:
    give_second_factor(world.users["coordinator"])
    client = world.client("coordinator")
    url = reverse(name)
    assert client.get(url).status_code == 200  # just signed in
    time_machine.travel(6 * 60)
    response = client.get(url)
    assert response["Location"] == f"{REAUTH}?next={url.replace('/', '%2F')}"


def test_confirming_the_password_opens_the_page_for_a_few_minutes(
    world: World, time_machine: TimeMachine
) -> None:
    client = _signed_in(world, "member")
    time_machine.travel(10 * 60)
    url = reverse("accounts:email_change")
    wrong = client.post(REAUTH, {"password": "falsch-falsch", "next": url})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["password"]
    response = client.post(REAUTH, {"password": PASSWORD, "next": url})
    assert response["Location"] == url
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": "neu@example.org"})
    assert response["Location"] == reverse("accounts:security")
    world.users["member"].refresh_from_db()
    assert world.users["member"].email == "neu@example.org"
    time_machine.travel(6 * 60)
    assert client.get(url)["Location"].startswith(REAUTH)


def test_with_a_second_factor_the_confirmation_needs_the_code(
    world: World, time_machine: TimeMachine, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device, _ = give_second_factor(world.users["coordinator"])
    client = world.client("coordinator")
    time_machine.travel(10 * 60)
    page = client.get(REAUTH)
    assert "code" in page.context["form"].fields
    response = client.post(REAUTH, {"password": PASSWORD, "code": "12"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    response = client.post(
        REAUTH, {"password": PASSWORD, "code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:security")


def test_the_email_form_refuses_a_nul_byte_and_an_address_in_use(world: World) -> None:
    world.users["member"].email = "belegt@example.org"
    world.users["member"].save()
    client = world.client("coordinator")
    url = reverse("accounts:email_change")
    assert client.post(url, {"email": "a\x00b@example.org"}).status_code == 200
    response = client.post(url, {"email": "Belegt@example.org"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


# Time-outs ---------------------------------------------------------------------------------


def test_idle_session_ends(world: World, time_machine: TimeMachine, settings: Any) -> None:
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client = _signed_in(world, "member")
    time_machine.travel(29 * 60)
    assert client.get(reverse("dashboard")).status_code == 200
    time_machine.travel(29 * 60)  # active a moment ago: still in
    assert client.get(reverse("dashboard")).status_code == 200
    time_machine.travel(31 * 60)
    response = client.get(reverse("dashboard"))
    assert response["Location"] == f"{LOGIN}?next=%2Fdashboard%2F"
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"])
    assert "signed out after a time without activity" in page.content.decode()


def test_absolute_session_end(world: World, time_machine: TimeMachine, settings: Any) -> None:
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_ABSOLUTE_TIMEOUT = 60 * 60
    client = _signed_in(world, "member")
    for _ in range(3):
        time_machine.travel(20 * 60)
        client.get(reverse("dashboard"))
    assert SESSION_KEY not in client.session


# Sessions ended by the administration ------------------------------------------------------


def test_deactivating_a_person_ends_their_sessions(world: World) -> None:
    person = world.users["coordinator"]
    phone, laptop = world.client("coordinator"), world.client("coordinator")
    other = world.client("member")
    assert UserSession.objects.filter(user=person).count() == 2
    url = reverse("councils:user_deactivate", kwargs={"pk": person.pk})
    assert world.client("state_admin").post(url).status_code == 302
    assert not UserSession.objects.filter(user=person).exists()
    assert phone.get(reverse("dashboard")).status_code == 302
    assert laptop.get(reverse("dashboard")).status_code == 302
    assert other.get(reverse("dashboard")).status_code == 200


def test_ending_a_membership_ends_the_sessions(world: World) -> None:
    person = world.users["member"]
    client = world.client("member")
    seat = person.memberships.get()
    url = reverse("councils:membership_end", kwargs={"pk": seat.pk})
    assert world.client("state_admin").post(url).status_code == 302
    assert not UserSession.objects.filter(user=person).exists()
    assert client.get(reverse("dashboard"))["Location"].startswith(LOGIN)


def test_sessions_know_their_user(world: World) -> None:
    client = _signed_in(world, "member")
    session = UserSession.objects.get(session_key=client.session.session_key)
    assert session.user_id == world.users["member"].pk


# Passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["kurz-12", "password123", "123456789012", "coordinator1"])
def test_weak_passwords_are_refused(world: World, password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=world.users["coordinator"])


def test_a_good_password_passes(world: World) -> None:
    validate_password("Kirschbaum-Sommer-2031", user=world.users["coordinator"])


def test_argon2_is_the_hasher_outside_tests(settings: Any) -> None:
    from lpr_portal import settings as project

    production = [h for h in project.PASSWORD_HASHERS if "MD5" not in h]
    assert production[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = production
    assert get_hasher().algorithm == "argon2"
