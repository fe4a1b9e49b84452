"""The security headers of every page: CSP, HSTS, nosniff, Referrer-Policy, frame-ancestors,
no-store for signed-in pages, secure and HttpOnly cookies in production."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from councils.models import User
from tests.factories import UserFactory


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def person(db: None) -> User:
    return UserFactory()


@pytest.mark.django_db
def test_content_security_policy_allows_no_inline_script_and_no_plugins() -> None:
    response = Client().get(reverse("home"))
    assert response.status_code == 200
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]


@pytest.mark.django_db
def test_nosniff_referrer_policy_and_framing_headers() -> None:
    response = Client().get(reverse("home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_hsts_on_https_requests(settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = Client().get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    # Never over plain HTTP (a browser ignores it there; RFC 6797).
    assert "Strict-Transport-Security" not in Client().get(reverse("home"))


def test_signed_in_pages_are_not_stored(person: User) -> None:
    client = Client()
    client.force_login(person)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
    # Also a public page, while signed in (it may show the person's name).
    response = client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_for_anonymous_visitors_may_be_cached() -> None:
    response = Client().get(reverse("imprint"))
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_csrf_cookie_is_secure_and_http_only(settings: Any) -> None:
    """With the production value of CSRF_COOKIE_SECURE (tests/deploy checks the profile sets it)."""
    settings.CSRF_COOKIE_SECURE = True
    page = Client().get(reverse("login"))
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"]


@pytest.mark.django_db
def test_login_sets_a_secure_http_only_session_cookie(settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = True
    user = UserFactory()
    user.set_password("a-long-password-42")
    user.save()
    response = Client().post(
        reverse("login"), {"username": user.username, "password": "a-long-password-42"}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


TEMPLATE_DIRS = [
    path
    for path in Path(__file__).resolve().parent.parent.parent.glob("*/templates")
    if ".venv" not in path.parts
] + [Path(__file__).resolve().parent.parent.parent / "templates"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    """The CSP refuses inline scripts, so none may be written: scripts go to static files."""
    offenders = []
    for directory in TEMPLATE_DIRS:
        for template in directory.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            if INLINE_SCRIPT.search(text) or EVENT_HANDLER.search(text):
                offenders.append(str(template))
            if "javascript:" in text.lower():
                offenders.append(f"{template} (javascript: URL)")
    assert TEMPLATE_DIRS and not offenders, offenders
