"""400, 403, 404, 500 and a failed CSRF check are pages of the portal, in German or English."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from lpr_portal import errors
from tests.conftest import World
from tests.portal.error_urls import SECRET

ERROR_URLS = "tests.portal.error_urls"

#: (path, status, German heading, English heading)
PAGES = [
    ("/test-errors/suspicious/", 400, "Ungültige Anfrage", "Bad request"),
    ("/test-errors/forbidden/", 403, "Zugriff verweigert", "Access denied"),
    ("/gibt-es-nicht/", 404, "Seite nicht gefunden", "Page not found"),
    ("/test-errors/crash/", 500, "Serverfehler", "Server error"),
]
BACK = {"de": "Zurück zur vorigen Seite", "en": "Back to the previous page"}
START = {"de": "Zur Startseite", "en": "To the start page"}


def in_language(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.raise_request_exception = False
    return client


def assert_portal_page(body: str, heading: str, language: str) -> None:
    assert f'<html lang="{language}">' in body
    assert f"<h1>{heading}</h1>" in body
    assert 'aria-label="Main navigation"' in body or 'aria-label="Hauptnavigation"' in body
    assert BACK[language] in body and START[language] in body
    assert f'href="{reverse("home")}"' in body
    assert SECRET not in body and "Traceback" not in body
    assert "403 Forbidden" not in body and "Not Found</h1>" not in body


@pytest.mark.urls(ERROR_URLS)
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(("path", "status", "german", "english"), PAGES)
def test_each_error_is_a_portal_page_for_a_visitor(
    path: str, status: int, german: str, english: str, language: str
) -> None:
    response = in_language(Client(), language).get(path)
    assert response.status_code == status
    heading = german if language == "de" else english
    assert_portal_page(response.content.decode(), heading, language)


@pytest.mark.urls(ERROR_URLS)
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(("path", "status", "german", "english"), PAGES[:3])
def test_signed_in_people_keep_their_navigation_and_get_their_dashboard(
    world: World, path: str, status: int, german: str, english: str, language: str
) -> None:
    response = in_language(world.client("coordinator"), language).get(path)
    assert response.status_code == status
    body = response.content.decode()
    assert_portal_page(body, german if language == "de" else english, language)
    assert f'href="{reverse("notifications:list")}"' in body  # the signed-in navigation
    assert body.count(f'href="{reverse("dashboard")}"') >= 2  # menu and the way back


@pytest.mark.django_db
def test_permission_denied_in_a_real_view_renders_the_403_page(world: World) -> None:
    response = in_language(world.client("coordinator"), "de").get(
        reverse("funding:programme_create")
    )
    assert response.status_code == 403
    assert_portal_page(response.content.decode(), "Zugriff verweigert", "de")


@pytest.mark.django_db
def test_another_tenants_object_renders_the_404_page(world: World) -> None:
    response = in_language(world.client("coordinator"), "en").get("/foerderung/antraege/999999/")
    assert response.status_code == 404
    assert_portal_page(response.content.decode(), "Page not found", "en")


@pytest.mark.django_db
def test_the_way_back_is_the_referring_page_of_the_portal_only(world: World) -> None:
    client = in_language(world.client("coordinator"), "de")
    came_from = "http://testserver/dashboard/"
    body = client.get("/gibt-es-nicht/", HTTP_REFERER=came_from).content.decode()
    assert f'href="{came_from}"' in body
    body = client.get("/gibt-es-nicht/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in body


@pytest.mark.django_db
def test_a_host_we_do_not_serve_gets_the_400_page() -> None:
    response = in_language(Client(), "de").get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_portal_page(response.content.decode(), "Ungültige Anfrage", "de")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_a_failed_csrf_check_is_a_portal_page(language: str) -> None:
    client = in_language(Client(enforce_csrf_checks=True), language)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    heading = "Das Formular ist abgelaufen" if language == "de" else "The form has expired"
    assert_portal_page(response.content.decode(), heading, language)
    assert "CSRF" not in response.content.decode()


def _database_down() -> Any:
    raise AssertionError("the 500 page touched the user or session (the database)")


@pytest.mark.parametrize(("language", "heading"), [("de", "Serverfehler"), ("en", "Server error")])
def test_the_500_page_renders_without_the_database(language: str, heading: str) -> None:
    """No database mark: any query raises here; so do the user and the session when touched."""
    request = RequestFactory().get("/foerderung/")
    request.user = SimpleLazyObject(_database_down)  # type: ignore[assignment]
    request.session = SimpleLazyObject(_database_down)  # type: ignore[assignment]
    with translation.override(language):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert_portal_page(response.content.decode(), heading, language)
