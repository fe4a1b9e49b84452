"""TOTP two-factor authentication: required for state staff, optional for the others."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from tests.conftest import World

from .helpers import PASSWORD, code_for, english, give_second_factor

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")


@pytest.fixture(autouse=True)
def _no_throttling(settings: Any) -> None:
    """django-otp slows down guessing after a wrong code; these tests retry at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def required(settings: Any) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True


# Who must use it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["platform_admin", "state_admin", "state_staff"])
def test_state_people_reach_only_the_set_up(world: World, required: None, role: str) -> None:
    client = world.client(role)
    for name in ("dashboard", "notifications:list", "councils:member_list", "accounts:security"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(SETUP), name
    assert client.get(reverse("admin:index"))["Location"].startswith(SETUP)
    # A POST is stopped too.
    response = client.post(reverse("councils:switch_organisation"), {})
    assert response["Location"] == SETUP


@pytest.mark.parametrize("role", ["platform_admin", "state_staff"])
def test_open_pages_while_the_set_up_is_missing(world: World, required: None, role: str) -> None:
    client = world.client(role)
    assert client.get(SETUP).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("readyz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302


@pytest.mark.parametrize("role", ["coordinator", "member", "ngo_representative"])
def test_the_others_are_not_forced(world: World, required: None, role: str) -> None:
    assert world.client(role).get(reverse("dashboard")).status_code == 200


def test_nobody_is_forced_when_the_setting_is_off(world: World, settings: Any) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = False
    assert world.client("state_staff").get(reverse("dashboard")).status_code == 200


def test_a_staff_session_without_the_code_is_asked_for_it(world: World, required: None) -> None:
    give_second_factor(world.users["state_staff"])
    response = world.client("state_staff").get(reverse("dashboard"))
    assert response["Location"].startswith(VERIFY)


# Set-up ------------------------------------------------------------------------------------


def test_set_up_with_a_real_code_then_recovery_codes_once(world: World, required: None) -> None:
    user = world.users["state_staff"]
    client = english(world.client("state_staff"))
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html  # the QR code, made on the server
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.context["manual_key"].replace(" ", "") in html.replace(" ", "")

    wrong = client.post(SETUP, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]
    assert client.get(reverse("dashboard")).status_code == 302

    response = client.post(SETUP, {"code": code_for(device)})
    assert response["Location"] == reverse("accounts:recovery_codes")
    device.refresh_from_db()
    assert device.confirmed
    shown = client.get(response["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10
    assert all(code in shown.content.decode() for code in codes)
    download = client.get(reverse("accounts:recovery_codes_download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert all(code in download.content.decode() for code in codes)
    # The session is verified: the portal opens.
    assert client.get(reverse("dashboard")).status_code == 200
    # "I have saved them": the codes are not shown again.
    client.post(reverse("accounts:recovery_codes"))
    assert client.get(reverse("accounts:recovery_codes"))["Location"] == reverse(
        "accounts:security"
    )
    assert client.get(reverse("accounts:recovery_codes_download")).status_code == 404


# Signing in --------------------------------------------------------------------------------


def test_sign_in_asks_for_the_code_after_the_password(world: World, required: None) -> None:
    user = world.users["state_staff"]
    device, _ = give_second_factor(user)
    client = english()
    response = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "next": "/benachrichtigungen/"}
    )
    assert response["Location"] == VERIFY
    assert SESSION_KEY not in client.session
    assert client.get(reverse("dashboard"))["Location"].startswith(LOGIN)
    wrong = client.post(VERIFY, {"code": "12345"})
    assert wrong.status_code == 200
    assert SESSION_KEY not in client.session
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response["Location"] == "/benachrichtigungen/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(reverse("dashboard")).status_code == 200


def test_optional_second_factor_is_asked_for_too(world: World) -> None:
    user = world.users["coordinator"]
    device, _ = give_second_factor(user)
    client = Client()
    assert (
        client.post(LOGIN, {"username": user.username, "password": PASSWORD})["Location"] == VERIFY
    )
    assert client.post(VERIFY, {"code": code_for(device)})["Location"] == reverse("dashboard")


def test_a_recovery_code_works_once(world: World, required: None) -> None:
    user = world.users["state_admin"]
    _, codes = give_second_factor(user)
    first = Client()
    first.post(LOGIN, {"username": user.username, "password": PASSWORD})
    response = first.post(VERIFY, {"code": codes[0]})
    assert response["Location"] == reverse("dashboard")
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert first.get(reverse("dashboard")).status_code == 200

    second = Client()
    second.post(LOGIN, {"username": user.username, "password": PASSWORD})
    again = second.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200
    assert SESSION_KEY not in second.session
    # Written without the dash and in capitals, another code is still accepted.
    response = second.post(VERIFY, {"code": codes[1].replace("-", "").upper()})
    assert response.status_code == 302


def test_without_a_pending_sign_in_the_code_page_goes_to_the_login(db: None) -> None:
    assert Client().get(VERIFY)["Location"] == LOGIN


# The security page -------------------------------------------------------------------------


def test_optional_second_factor_can_be_turned_off(world: World, required: None) -> None:
    user = world.users["coordinator"]
    give_second_factor(user)
    client = english(world.client("coordinator"))
    page = client.get(reverse("accounts:security"))
    assert page.context["has_second_factor"]
    assert client.get(reverse("accounts:otp_remove")).status_code == 200
    assert client.post(reverse("accounts:otp_remove"))["Location"] == reverse("accounts:security")
    assert not twofactor.has_second_factor(user)
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_required_second_factor_cannot_be_turned_off(world: World, settings: Any) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    user = world.users["state_staff"]
    device, _ = give_second_factor(user)
    client = Client()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(reverse("accounts:otp_remove")).context["required"]
    client.post(reverse("accounts:otp_remove"))
    assert twofactor.has_second_factor(user)


def test_new_recovery_codes_replace_the_old_ones(world: World) -> None:
    user = world.users["coordinator"]
    _, old = give_second_factor(user)
    client = world.client("coordinator")
    response = client.post(reverse("accounts:recovery_codes_new"))
    assert response["Location"] == reverse("accounts:recovery_codes")
    new = client.get(response["Location"]).context["codes"]
    assert set(new).isdisjoint(old)
    assert twofactor.verify(user, old[0]) is None
    assert twofactor.verify(user, new[0]) is not None


def test_the_user_menu_links_the_security_page(world: World) -> None:
    html = world.client("member").get(reverse("dashboard")).content.decode()
    assert reverse("accounts:security") in html


def test_guessing_codes_is_slowed_down(world: World, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    user = world.users["coordinator"]
    device, _ = give_second_factor(user)
    client = Client()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    client.post(VERIFY, {"code": "000001" if code_for(device) != "000001" else "000002"})
    # Right after a wrong guess even the right code is refused for a moment.
    response = english(client).post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_admin_login_is_the_portal_login(db: None) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response["Location"] == f"{LOGIN}?next=/admin/"
