"""Resetting a person's lost second factor: state admins for their state, platform admins all."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import clock
from audit.models import Action, AuditEntry
from core.sessions import UserSession
from councils.models import Role, User
from notifications.models import Notification
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.portal.test_html_walk import html_faults
from tests.querycount import assert_constant_queries

from .helpers import PASSWORD, code_for, english, give_second_factor

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")
REAUTH = reverse("accounts:reauth")
MEMBERS = reverse("councils:member_list")


def _url(person: User) -> str:
    return reverse("accounts:second_factor_reset", kwargs={"pk": person.pk})


def _has_devices(person: User) -> bool:
    return (
        TOTPDevice.objects.filter(user=person).exists()
        or StaticDevice.objects.filter(user=person).exists()
    )


def _verified_client(world: World, role: str) -> Client:
    """Signed in with password and code, as someone who must use a second factor is."""
    user = world.users[role]
    device, _codes = give_second_factor(user)
    client = english()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    return client


@pytest.fixture(autouse=True)
def _no_throttling(settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


# The reset -----------------------------------------------------------------------------------


def test_state_admin_resets_a_staff_members_lost_second_factor(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    person = world.users["state_staff"]
    device, codes = give_second_factor(person)
    old_session = Client()
    old_session.post(LOGIN, {"username": person.username, "password": PASSWORD})
    old_session.post(VERIFY, {"code": code_for(device)})
    assert old_session.get(reverse("dashboard")).status_code == 200
    admin = _verified_client(world, "state_admin")

    page = admin.get(_url(person))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Reset two-factor authentication" in text
    assert person.username in text and "What will happen" in text
    assert "they must set up an authenticator app again" in text  # required for staff
    assert not html_faults(text)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(_url(person))
    assert response["Location"] == f"{MEMBERS}?{urlencode({'q': person.username})}"
    assert (
        "They must set it up again at their next sign-in."
        in admin.get(response["Location"]).content.decode()
    )
    assert not _has_devices(person)
    assert not UserSession.objects.filter(user=person).exists()
    assert old_session.get(reverse("dashboard"))["Location"].startswith(LOGIN)

    # Told in the portal and by e-mail, in their language (German by default).
    notification = Notification.objects.get(recipient=person)
    assert notification.kind == "accounts.second_factor_reset"
    assert notification.url == reverse("accounts:security")
    with translation.override("de"):
        assert (
            notification.shown_subject == "Ihre Zwei-Faktor-Authentifizierung wurde zurückgesetzt"
        )
    with translation.override("en"):
        assert str(world.users["state_admin"].get_full_name()) in notification.shown_body
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "zurückgesetzt" in mail.outbox[0].subject

    # The audit log of the state names who reset whose second factor.
    entry = AuditEntry.objects.get(action=Action.SECOND_FACTOR_RESET)
    assert (entry.actor, entry.state_id, entry.target_id) == (
        world.users["state_admin"],
        world.state.pk,
        str(person.pk),
    )

    # The old code and recovery codes no longer work; the password alone leads to the set-up.
    client = Client()
    response = client.post(LOGIN, {"username": person.username, "password": PASSWORD})
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard"))["Location"].startswith(SETUP)
    assert client.post(VERIFY, {"code": codes[0]})["Location"] == SETUP


def test_a_person_without_the_duty_is_told_they_may_set_it_up_again(world: World) -> None:
    person = world.users["coordinator"]
    give_second_factor(person)
    admin = english(world.client("state_admin"))
    page = admin.get(_url(person)).content.decode()
    assert "They sign in with the password alone" in page
    response = admin.post(_url(person), follow=True)
    assert "They can set it up again on their page" in response.content.decode()
    assert not _has_devices(person)
    client = Client()
    client.post(LOGIN, {"username": person.username, "password": PASSWORD})
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_page_is_german_by_default(world: World) -> None:
    person = world.users["member"]
    give_second_factor(person)
    page = world.client("state_admin").get(_url(person)).content.decode()
    assert "Zwei-Faktor-Authentifizierung zurücksetzen" in page
    assert "Was geschieht" in page


def test_platform_admin_resets_anyone_also_without_a_seat(world: World) -> None:
    person = UserFactory(username="ohne-sitz")
    give_second_factor(person)
    client = world.client("platform_admin")
    assert client.get(_url(person)).status_code == 200
    assert client.post(_url(person)).status_code == 302
    assert not _has_devices(person)
    entry = AuditEntry.objects.get(action=Action.SECOND_FACTOR_RESET)
    assert entry.state_id is None  # only platform admins read it


def test_the_admin_confirms_their_password_first(world: World, monkeypatch: Any) -> None:
    person = world.users["member"]
    give_second_factor(person)
    admin = world.client("state_admin")
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + 10 * 60)
    for response in (admin.get(_url(person)), admin.post(_url(person))):
        assert response["Location"] == f"{REAUTH}?{urlencode({'next': _url(person)})}"
    assert _has_devices(person)
    response = admin.post(REAUTH, {"password": PASSWORD, "next": _url(person)})
    assert response["Location"] == _url(person)
    assert admin.post(_url(person)).status_code == 302
    assert not _has_devices(person)


def test_nothing_to_reset_without_a_second_factor(world: World) -> None:
    person = world.users["member"]
    admin = english(world.client("state_admin"))
    page = admin.get(_url(person))
    assert page.status_code == 200
    assert "has no second factor set up" in page.content.decode()
    assert "Reset two-factor authentication</button>" not in page.content.decode()
    assert admin.post(_url(person)).status_code == 302
    assert not AuditEntry.objects.filter(action=Action.SECOND_FACTOR_RESET).exists()


# Who may -------------------------------------------------------------------------------------


def test_access(world: World) -> None:
    own, other = world.users["member"], world.users["other_state_coordinator"]
    give_second_factor(own)
    give_second_factor(other)
    assert world.client("anonymous").get(_url(own))["Location"].startswith(LOGIN)
    assert world.client("state_admin").get(_url(other)).status_code == 404
    assert world.client("other_state_admin").get(_url(own)).status_code == 404
    for role in ("state_staff", "coordinator", "member", "ngo_representative"):
        assert world.client(role).get(_url(own)).status_code == 403, role
        assert world.client(role).post(_url(own)).status_code == 403, role
    assert world.client("state_admin").put(_url(own)).status_code == 405
    assert world.client("state_admin").post(_url(UserFactory())).status_code == 404
    assert _has_devices(own) and _has_devices(other)


@pytest.mark.parametrize("case", ["self", "platform_admin", "other_state_seat"])
def test_refusals(world: World, case: str) -> None:
    admin = world.users["state_admin"]
    if case == "self":
        person = admin
        why = "You cannot reset your own second factor"
    elif case == "platform_admin":
        person = UserFactory(username="zweite-plattform", is_superuser=True, is_staff=True)
        MembershipFactory(user=person, organisation=world.council, role=Role.COUNCIL_MEMBER)
        why = "only platform admins can reset their second factor"
    else:
        person = world.users["member"]
        MembershipFactory(
            user=person, organisation=world.other_state_council, role=Role.COUNCIL_MEMBER
        )
        why = "Mecklenburg-Vorpommern, which you do not administer"
    give_second_factor(person)
    client = english(world.client("state_admin"))
    for response in (client.get(_url(person)), client.post(_url(person))):
        assert response.status_code == 403
        assert why in response.content.decode()
    assert _has_devices(person)
    # A platform admin may.
    if case != "self":
        assert world.client("platform_admin").post(_url(person)).status_code == 302
        assert not _has_devices(person)


# The member list links it --------------------------------------------------------------------


def test_the_member_list_links_the_reset_for_people_with_a_second_factor(world: World) -> None:
    give_second_factor(world.users["member"])
    TOTPDevice.objects.create(user=world.users["coordinator"], name="half", confirmed=False)
    page = english(world.client("state_admin")).get(MEMBERS).content.decode()
    assert f'href="{_url(world.users["member"])}"' in page
    assert f'href="{_url(world.users["coordinator"])}"' not in page
    assert "Reset second factor" in page
    assert not html_faults(page)


# Queries -------------------------------------------------------------------------------------


def test_the_page_queries_do_not_grow_with_the_persons_seats(
    world: World, django_assert_max_num_queries: Any
) -> None:
    person = world.users["member"]
    give_second_factor(person)
    client = world.client("state_admin")

    def grow() -> None:
        for _ in range(3):
            MembershipFactory(user=person, organisation=OrganisationFactory(state=world.state))

    assert_constant_queries(lambda: client.get(_url(person)), grow)
    # Session, admin, admin's seats, the person's seats the admin sees, their seats in other
    # states, their authenticator, their seats (is the second factor their duty?).
    with django_assert_max_num_queries(7):
        assert client.get(_url(person)).status_code == 200


def test_signed_in_sessions_survive_a_refused_reset(world: World) -> None:
    person = world.users["member"]
    give_second_factor(person)
    session = world.client("member")
    world.client("coordinator").post(_url(person))
    assert SESSION_KEY in session.session
    assert UserSession.objects.filter(user=person).exists()
