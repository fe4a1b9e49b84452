"""Sign-in: login, logout, password change and reset, and the lockout after failed attempts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from councils.models import User
from tests.factories import UserFactory

LOGIN = reverse("login")
PASSWORD = "geheim-123"  # the factories' password
NEW_PASSWORD = "Kirschbaum-Sommer-2031"
INVALID_LOGIN = "Please enter a correct username and password."


def english() -> Client:
    """A client with English chosen, so texts are checked independent of the .po files."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def person(db: None) -> User:
    return UserFactory(username="katrin.vogt", email="katrin.vogt@example.org")


def error_summary(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S)
    assert match is not None, "no error summary on the page"
    return match.group(0)


# Login


@pytest.mark.django_db
def test_login_page_has_labelled_fields_and_a_reset_link() -> None:
    response = english().get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert re.search(r"<label\s+for=\"id_username\"", html)
    assert re.search(r"<label\s+for=\"id_password\"", html)
    assert reverse("password_reset") in html


def test_login_lands_on_the_dashboard(person: User) -> None:
    client = english()
    response = client.post(LOGIN, {"username": "katrin.vogt", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session[SESSION_KEY] == str(person.pk)
    assert client.get(response["Location"]).status_code == 200


def test_login_follows_a_safe_next_url(person: User) -> None:
    next_url = reverse("notifications:list")
    response = english().post(
        LOGIN, {"username": "katrin.vogt", "password": PASSWORD, "next": next_url}
    )
    assert response["Location"] == next_url


def test_login_ignores_a_next_url_to_another_site(person: User) -> None:
    response = english().post(
        LOGIN,
        {"username": "katrin.vogt", "password": PASSWORD, "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("dashboard")


def _failed_login(username: str, password: str) -> tuple[str, str]:
    response = english().post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 200
    html = response.content.decode()
    return html, error_summary(html)


def test_wrong_password_and_unknown_user_get_the_same_message(person: User) -> None:
    wrong_html, wrong = _failed_login("katrin.vogt", "falsch")
    unknown_html, unknown = _failed_login("niemand.da", "falsch")
    assert INVALID_LOGIN in wrong
    assert wrong.replace("katrin.vogt", "X") == unknown.replace("niemand.da", "X")
    # Only the one non-field error: no field is marked wrong, nothing else is said.
    assert wrong.count("<li>") == 1
    assert "is-invalid" not in wrong_html
    assert "is-invalid" not in unknown_html


def test_inactive_user_gets_the_same_message(person: User) -> None:
    person.is_active = False
    person.save()
    _, summary = _failed_login("katrin.vogt", PASSWORD)
    assert INVALID_LOGIN in summary


def test_failed_login_keeps_the_username_but_not_the_password(person: User) -> None:
    html, _ = _failed_login("katrin.vogt", "falsch-geraten-99")
    assert 'value="katrin.vogt"' in html
    assert "falsch-geraten-99" not in html


def test_empty_login_shows_field_errors_linked_from_the_summary(db: None) -> None:
    response = english().post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 200
    html = response.content.decode()
    summary = error_summary(html)
    assert 'href="#id_username"' in summary
    assert 'href="#id_password"' in summary
    assert "This field is required." in summary
    assert INVALID_LOGIN not in summary
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username_error"' in html


# Logout


def test_logout_is_post_only(person: User) -> None:
    client = english()
    client.force_login(person)
    assert client.get(reverse("logout")).status_code == 405
    assert SESSION_KEY in client.session


def test_logout_ends_the_session_and_goes_to_the_start_page(person: User) -> None:
    client = english()
    client.force_login(person)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("dashboard")).status_code == 302


# Password change


def test_password_change_requires_login(db: None) -> None:
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_password_change_with_a_wrong_old_password_shows_an_error(person: User) -> None:
    client = english()
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {"old_password": "falsch", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert 'href="#id_old_password"' in summary
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_password_change_sets_the_new_password(person: User) -> None:
    client = english()
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Password changed" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    # The session survives the change.
    assert client.get(reverse("dashboard")).status_code == 200


# Password reset


def test_password_reset_full_flow(person: User, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = english()
    response = client.post(reverse("password_reset"), {"email": "katrin.vogt@example.org"})
    assert response["Location"] == reverse("password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["katrin.vogt@example.org"]
    assert message.subject == "Set a new password for the LPR Portal"
    assert "katrin.vogt" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)
    assert link is not None

    # Django swaps the token for a session marker and redirects to the form.
    response = client.get(link.group(1))
    assert response.status_code == 302
    form_url = response["Location"]
    form = client.get(form_url)
    assert form.status_code == 200
    assert form.context["validlink"] is True

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")
    assert "Your new password is set" in client.get(response["Location"]).content.decode()

    fresh = english()
    response = fresh.post(LOGIN, {"username": "katrin.vogt", "password": NEW_PASSWORD})
    assert response["Location"] == reverse("dashboard")

    # The link works only once.
    again = english().get(link.group(1), follow=True)
    assert again.context["validlink"] is False
    assert "This link is not valid any more" in again.content.decode()


def test_password_reset_with_mismatching_passwords_keeps_the_form(
    person: User, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = english()
    client.post(reverse("password_reset"), {"email": "katrin.vogt@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_url = client.get(link.group(1))["Location"]
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": "anders-Passwort-77"}
    )
    assert response.status_code == 200
    assert 'href="#id_new_password2"' in error_summary(response.content.decode())


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    person: User, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = english().post(reverse("password_reset"), {"email": "niemand@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_with_an_invalid_address_shows_a_field_error(db: None) -> None:
    response = english().post(reverse("password_reset"), {"email": "keine-adresse"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_email"' in error_summary(html)
    assert 'value="keine-adresse"' in html


# Lockout (django-axes)


def test_too_many_failures_lock_the_login(person: User, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = english()
    for _ in range(2):
        response = client.post(LOGIN, {"username": "katrin.vogt", "password": "falsch"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": "katrin.vogt", "password": "falsch"})
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "After 3 failed login attempts" in html
    assert "Please try again in 60 minutes." in html

    # Even the right password is refused while locked.
    response = client.post(LOGIN, {"username": "katrin.vogt", "password": PASSWORD})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_lockout_is_per_username(person: User, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="stefan.brandt")
    client = english()
    for _ in range(2):
        client.post(LOGIN, {"username": "katrin.vogt", "password": "falsch"})
    response = client.post(LOGIN, {"username": "stefan.brandt", "password": PASSWORD})
    assert response.status_code == 302
