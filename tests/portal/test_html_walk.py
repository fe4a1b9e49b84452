"""Every page each role opens is well-formed where the HTML checker found faults: no attribute
twice on an element, no id twice on a page, and times a machine can read (no fractions)."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse

from tests.conftest import build_world
from tests.factories import NotificationFactory
from tests.portal.test_english import NOT_HTML, WALKED_ROLES, _rules

#: A valid global date and time of HTML: seconds at most, and an offset.
_DATETIME = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?([+-]\d\d:?\d\d|Z))?")


class _Faults(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.faults: list[str] = []
        self.ids: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _value in attrs]
        for name in sorted({name for name in names if names.count(name) > 1}):
            self.faults.append(f"<{tag}> has {name} twice")
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] = self.ids.get(value, 0) + 1
            if tag == "time" and name == "datetime" and not _DATETIME.fullmatch(value or ""):
                self.faults.append(f"<time datetime={value!r}>")


def html_faults(page: str) -> list[str]:
    parser = _Faults()
    parser.feed(page)
    return parser.faults + [f"id {key!r} twice" for key, n in parser.ids.items() if n > 1]


def test_the_check_finds_what_the_checker_found() -> None:
    assert html_faults('<input class="a" type="checkbox" class="b">')
    assert html_faults('<time datetime="2026-12-05T10:15:00.123456+01:00">x</time>')
    assert html_faults('<p id="a"></p><p id="a"></p>')
    assert not html_faults('<time datetime="2026-12-05T10:15:00+0100">x</time><p id="a"></p>')


@pytest.mark.django_db
@pytest.mark.parametrize("role", WALKED_ROLES)
def test_every_page_of_the_role_is_well_formed(role: str) -> None:
    shared = build_world()
    if role != "anonymous":
        NotificationFactory(recipient=shared.users[role], subject="Test", body="")
    problems = {}
    for name, rule in _rules(role):
        world = copy.copy(shared)  # rules may remember what they made; that is rolled back
        with transaction.atomic():
            url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None) + rule.query
            response = world.client(role).get(url)
            kind = response.get("Content-Type", "")
            if response.streaming or kind.startswith(NOT_HTML):
                found: list[str] = []
            else:
                found = html_faults(response.content.decode())
            transaction.set_rollback(True)
        if found:
            problems[url] = sorted(set(found))
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())
