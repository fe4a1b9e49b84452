"""English is complete: every page each role can open shows no German of the portal's catalogues.

The same walk checks each page's HTML (``html_faults``) and that a page with cached fragments
(``core.fragments``) comes from the cache as it was rendered.
"""

from __future__ import annotations

import gettext
import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, TextField
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import fragments
from councils.filters import OrderingFilter
from councils.models import User
from exchange.filters import OfferFilter
from funding.filters import RequestFilter
from funding.letters import DEFAULT_BODIES, DEFAULT_SUBJECTS
from tests.access import Rule
from tests.conftest import build_parts, build_world, copy_world
from tests.factories import NotificationFactory
from tests.portal.test_html_walk import html_faults
from tests.test_permission_matrix import MATRIX

#: The portal's own catalogues (Django's and the libraries' are not the portal's to fix).
APPS = (
    "lpr_portal",
    "councils",
    "notifications",
    "strategy",
    "funding",
    "exchange",
    "core",
    "spaces",
    "accounts",
    "audit",
)

#: Words of the German interface that never belong on an English page.
GERMAN_WORDS = (
    "Abbrechen",
    "Abmelden",
    "Anmelden",
    "absteigend",
    "aufsteigend",
    "Benachrichtigung",
    "Benachrichtigungen",
    "Bearbeiten",
    "Löschen",
    "Speichern",
    "Suchen",
    "Sortieren",
    "Übersicht",
    "Zurück",
    "Weiter",
    "Startseite",
    "Sprache",
    "bitte",
    "nicht",
    "oder",
    "und",
    "für",
    "über",
    "noch",
    "keine",
)

#: The roles of the test world; the other_* ones repeat them in another organisation or state.
WALKED_ROLES = (
    "anonymous",
    "platform_admin",
    "state_admin",
    "state_staff",
    "coordinator",
    "member",
    "ngo_representative",
)

#: What is not a page of text.
NOT_HTML = ("application/pdf", "text/csv", "text/calendar", "application/vnd", "application/json")

_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdfi]|%[sdif]|\{[^}]*\}")
_WORD = re.compile(r"\b(" + "|".join(GERMAN_WORDS) + r")\b")


def _catalogue(app: str) -> dict[object, str]:
    path = Path(settings.BASE_DIR) / app / "locale" / "de" / "LC_MESSAGES" / "django.mo"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


@cache
def german_fragments() -> frozenset[str]:
    """German msgstr pieces of 12 characters or more (between placeholders) unlike the English."""
    pairs: list[tuple[str, str]] = []
    for app in APPS:
        for key, msgstr in _catalogue(app).items():
            msgid = key[0] if isinstance(key, tuple) else key
            if msgid and isinstance(msgid, str) and msgstr != msgid:
                pairs.append((msgid.split("\x04")[-1], msgstr))  # a context is kept before \x04
    english = "\n".join(" ".join(msgid.split()) for msgid, _msgstr in pairs)
    fragments: set[str] = set()
    for _msgid, msgstr in pairs:
        for piece in _PLACEHOLDER.split(msgstr):
            piece = " ".join(piece.split())
            if len(piece) >= 12 and piece not in english:  # "Organisation" is English too
                fragments.add(piece)
    return frozenset(fragments)


def _data_names() -> list[str]:
    """Texts that come from the data, not from the catalogues (German in any language).

    Every text column of the portal's models (without choices, which are codes) and the
    operator's details from the settings; the longest first, so names are removed whole.
    """
    names: set[str] = {user.get_full_name() for user in User.objects.all()}
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model._meta.app_label == "notifications":
            continue
        columns = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, CharField | TextField) and not field.choices
        ]
        if columns and not model.__name__.startswith("Historical"):  # history repeats the rows
            for row in model._default_manager.values_list(*columns):
                names.update(row)
    # The portal's default letter texts, shown (unsaved) until a state saves its own: a
    # Bescheid is a German administrative act in every language of the portal.
    names.update(str(text) for text in (*DEFAULT_SUBJECTS.values(), *DEFAULT_BODIES.values()))
    for setting in ("IMPRINT", "ACCESSIBILITY_STATEMENT", "PRIVACY"):  # the operator's (German)
        names.update(str(value) for value in getattr(settings, setting, {}).values())
    return sorted(
        {" ".join(str(name).split()) for name in names if name and len(str(name)) >= 4},
        key=len,
        reverse=True,
    )


def _visible_text(page: str, names: list[str]) -> str:
    """The page's text and attributes without the language switcher and the data's names."""
    page = re.sub(r"<form[^>]*language-switcher.*?</form>", " ", page, flags=re.S)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'\s(href|src|action|id|name|for|class|value|lang|datetime)="[^"]*"', " ", page)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    attributes = " ".join(
        html.unescape(value)
        for value in re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', page)
    )
    text = f"{text} {attributes}"
    for name in names:
        text = text.replace(name, " ")
    return text


def german_on(page: str, names: list[str]) -> list[str]:
    text = _visible_text(page, names)
    found = sorted(fragment for fragment in german_fragments() if fragment in text)
    found += sorted(set(_WORD.findall(text)))
    return found


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _rules(role: str) -> list[tuple[str, Rule]]:
    """The pages the role opens with 200 according to the permission matrix."""
    return [
        (name, rule)
        for name, rule in sorted(MATRIX.rules.items())
        if rule.method == "get" and rule.own.get(role) == 200
    ]


def test_the_catalogues_give_german_to_look_for() -> None:
    fragments = german_fragments()
    assert len(fragments) > 500
    assert "Mitgliedschaften" in " ".join(fragments)


def test_the_check_finds_german_and_passes_english() -> None:
    assert german_on("<p>Alle Benachrichtigungen anzeigen</p>", [])
    assert german_on('<a aria-label="Zurück">x</a>', [])
    assert not german_on("<p>Show all notifications</p>", [])
    assert not german_on("<p>Präventionsrat Hameln</p>", ["Präventionsrat Hameln"])


@pytest.mark.django_db
@pytest.mark.parametrize("role", WALKED_ROLES)
def test_every_page_of_the_role_is_english(role: str) -> None:
    rules = _rules(role)
    assert rules
    problems = {}
    # One world for the walk; every page runs in a savepoint that is rolled back, so each starts
    # from the same data (as the permission matrix does) without building the world each time.
    shared = build_parts(build_world())
    if role != "anonymous":
        NotificationFactory(recipient=shared.users[role], subject="Test", body="")
    served = []
    for name, rule in rules:
        world = copy_world(shared)  # rules may remember what they made: that is rolled back
        with transaction.atomic(), _fragments_cached_in_the_savepoint():
            url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None) + rule.query
            client = _english(world.client(role))
            rendered = _Counting.made
            response = client.get(url)
            kind = response.get("Content-Type", "")
            html_page = not response.streaming and not kind.startswith(NOT_HTML)
            found = german_on(response.content.decode(), []) if html_page else []
            if found:  # German, unless it is the data's: look again without the data's texts
                found = german_on(response.content.decode(), _data_names())
            # The same walk checks the HTML for what the checker found (one render per page).
            found += html_faults(response.content.decode()) if html_page else []
            # And a page with cached fragments (core.fragments) once more: from the cache, it
            # must be the page just rendered.
            if html_page and response.status_code == 200 and _Counting.made > rendered:
                rendered = _Counting.made
                again = client.get(url)
                if _Counting.made == rendered:
                    served.append(url)
                if _without_csrf(again) != _without_csrf(response):
                    found.append("the page from the fragment cache differs")
            transaction.set_rollback(True)
        assert response.status_code == 200, url
        if found:
            problems[url] = found
    assert not problems, "German or malformed HTML on English pages:\n" + "\n".join(
        f"{url}: {found}" for url, found in problems.items()
    )
    assert served, "no page came from the fragment cache"


class _Counting(fragments.Recorder):
    """The recorder of a fragment rendered, not served from the cache: counted."""

    made = 0

    def __init__(self) -> None:
        super().__init__()
        _Counting.made += 1


@contextmanager
def _fragments_cached_in_the_savepoint() -> Iterator[None]:
    """Fragments kept and served inside the test's savepoint; none of an earlier page's (its data
    was rolled back) is valid."""
    fragments.invalidate_all()
    with (
        mock.patch.object(fragments, "CACHE_IN_TRANSACTIONS", True),
        mock.patch.object(fragments, "Recorder", _Counting),
    ):
        yield


def _without_csrf(response: HttpResponse) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


@pytest.mark.parametrize(
    ("filterset", "language", "expected", "absent"),
    [
        (OfferFilter, "en", "(descending)", "absteigend"),
        (OfferFilter, "de", "(absteigend)", "descending"),
        (RequestFilter, "en", "(descending)", "absteigend"),
    ],
)
def test_sort_labels_follow_the_language(filterset, language, expected, absent) -> None:
    choices = filterset.base_filters["o"].extra["choices"]
    with translation.override(language):
        labels = [str(label) for _value, label in choices]
    assert any(expected in label for label in labels)
    assert not any(absent in label for label in labels)


def test_every_ordering_filter_of_the_portal_makes_labels_per_language() -> None:
    with translation.override("en"):
        labels = [
            str(label)
            for _v, label in OrderingFilter(fields=(("title", "title"),)).extra["choices"]
        ]
    assert labels == ["Title", "Title (descending)"]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "other"), [("de", "en"), ("en", "de")])
def test_the_switcher_names_each_language_in_itself(language: str, other: str) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("home")).content.decode()

    assert re.search(r'<option value="de" lang="de"[^>]*>Deutsch</option>', page)
    assert re.search(r'<option value="en" lang="en"[^>]*>English</option>', page)
    assert "Englisch" not in page and ">German<" not in page
