"""The portal explained in Leichte Sprache (BITV 2.0 § 4), linked from the start page and footer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db

EASY = reverse("easy_language")


def _client(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _page(language: str) -> str:
    response = _client(language).get(EASY)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    return html


def _lines(html: str) -> list[str]:
    """The text of each paragraph and list item of the easy-language block."""
    block = html.split('<div class="easy-language">', 1)[1].split("</main>", 1)[0]
    texts = re.findall(r"<(?:p|li)\b[^>]*>(.*?)</(?:p|li)>", block, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in texts]


def test_the_german_page_is_in_leichte_sprache() -> None:
    html = _page("de")
    for text in (
        "Das LPR-Portal in Leichter Sprache",
        "Was ist das LPR-Portal?",
        "Wer benutzt das Portal?",
        "Was können Sie im Portal machen?",
        "Wie melden Sie sich an?",
        "Wen können Sie fragen?",
        "LPR ist eine Abkürzung für: Landes·präventions·rat.",
        "Prävention bedeutet:",
    ):
        assert text in html, text
    # The hard words are explained, each in its own box.
    assert html.count('class="easy-term"') >= 5
    # One short statement per line: no line is longer than 15 words.
    long_lines = [line for line in _lines(html) if len(line.split()) > 15]
    assert not long_lines, long_lines


def test_the_english_page_is_in_plain_english() -> None:
    html = _page("en")
    assert "The LPR Portal in easy language" in html
    assert "LPR is short for: state prevention council." in html
    assert "Landes·präventions·rat" not in html
    assert not [line for line in _lines(html) if len(line.split()) > 15]


def test_it_says_how_to_sign_in_and_whom_to_ask(settings: Any) -> None:
    settings.IMPRINT = {**settings.IMPRINT, "email": "fragen@lpr.example.org", "phone": "0511 1"}
    html = _page("de")
    for url in (reverse("login"), reverse("password_reset"), reverse("directory")):
        assert f'href="{url}"' in html
    assert f'href="{reverse("accessibility")}#feedback"' in html
    assert "mailto:fragen@lpr.example.org" in html and "0511 1" in html
    assert "„Zum Hauptinhalt springen“" in html  # the skip link, named as the page names it


@pytest.mark.parametrize(
    ("conformance", "text"),
    [
        ("full", "Das Portal ist barriere·frei."),
        ("partial", "Manche Teile sind noch nicht barriere·frei."),
        ("none", "Das Portal ist noch nicht barriere·frei."),
    ],
)
def test_it_tells_the_state_of_conformance(settings: Any, conformance: str, text: str) -> None:
    settings.ACCESSIBILITY_STATEMENT = {
        **settings.ACCESSIBILITY_STATEMENT,
        "conformance": conformance,
    }
    assert text in _page("de")


@pytest.mark.parametrize(
    ("language", "box", "link"),
    [
        ("de", "Leichte Sprache", "Das Portal in Leichter Sprache lesen"),
        ("en", "Easy language", "Read the portal in easy language"),
    ],
)
def test_the_start_page_and_the_footer_link_to_it(
    world: World, language: str, box: str, link: str
) -> None:
    home = _client(language).get(reverse("home")).content.decode()
    assert f'id="easy-language-heading" class="h5 card-title">{box}</h2>' in home
    assert re.search(rf'<a class="btn btn-outline-primary" href="{EASY}">{link}</a>', home)
    imprint = _client(language).get(reverse("imprint")).content.decode()
    footer = imprint.split("<footer", 1)[1]
    assert f'<a href="{EASY}">{box}</a>' in footer
    report = f"{reverse('accessibility')}?seite=/impressum/#feedback"
    assert report in footer


def test_it_is_read_only_and_needs_no_queries(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert Client().get(EASY).status_code == 200
    assert Client().post(EASY).status_code == 405
