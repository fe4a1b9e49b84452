"""Hostile input gets no server error and saves nothing half: every page, form and parameter.

As anonymous and as each role, the walk opens every page the permission matrix gives the role,
reads the page's forms and the query parameters of its links, and sends hostile values (NUL
bytes, thousands of characters, numbers beyond any column, impossible dates, markup, bytes that
are not UTF-8):

- into every parameter of each search, filter and list page: its GET forms' fields, the
  parameters its links carry, those its view's module reads from ``request.GET``, and ``page``,
  ``o``, ``q``, ``sort``, ``next``; all at once, one request per kind of value, and each
  parameter alone where all at once was refused (one refused parameter hides the others);
- into every field of each posted form, hidden ones too: all fields at once per kind of value,
  then each field alone with over-long text (the others as served, so the form gets as far as
  the database), then values Hypothesis draws for a few fields at a time.

A form or parameter set that an earlier role already had in full gets a few kinds only.
No answer may be a server error, and a post that is refused (4xx, or the form again with its
errors) must leave every table of the portal's models as it was. Each page and each request
runs in a savepoint that is rolled back, so all start from the same world (built once).

PostgreSQL only: SQLite swallows what PostgreSQL refuses (NUL, text beyond a column's length).
One test for all roles, so that what one role covered is not sent again: about 3,000 requests,
the longest test of the suite; the figures are printed (``-s``).
"""

from __future__ import annotations

import copy
import inspect
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accounts.forms import USERNAME_MAX_LENGTH
from audit.models import AuditEntry
from councils.models import Region
from tests.conftest import World, build_parts, build_world, copy_world
from tests.portal.hostile import (
    COMMON_PARAMETERS,
    HOSTILE,
    NOT_UTF8,
    Form,
    changed_tables,
    data_state,
    encode,
    link_targets,
    parse_page,
    shape,
)
from tests.portal.test_english import NOT_HTML, WALKED_ROLES, _rules
from tests.test_permission_matrix import MATRIX

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

#: Kinds for a parameter set or form that an earlier role already had in full.
SMOKE_GET = ("long_digits",)
SMOKE_POST = ("nul", "long")
#: Kinds for the parameters a page's view reads without a form or link of them on the page.
READ_GET = ("long_digits", "digit_like", "huge", "markup")
#: Controls whose over-long text may reach a save (choices, numbers and dates do not).
TEXT_CONTROLS = frozenset(
    {"text", "textarea", "hidden", "email", "url", "search", "tel", "password"}
)
#: Signs that a page shows a form again with its errors.
ERROR_MARKS = ("invalid-feedback", "is-invalid", "errorlist", "alert-danger")
#: Drawn examples per posted form (on top of the fixed kinds).
EXAMPLES = 3

_READ = re.compile(r"""\bGET\.get(?:list)?\(\s*["']([^"']+)["']""")


@cache
def _read_by_module(module: str) -> frozenset[str]:
    """The parameter names a view module reads from ``request.GET`` itself."""
    try:
        source = inspect.getsource(sys.modules[module])
    except (KeyError, OSError, TypeError):
        return frozenset()
    return frozenset(_READ.findall(source))


def _read_by_view(path: str) -> frozenset[str]:
    try:
        match = resolve(path)
    except Resolver404:
        return frozenset()
    return _read_by_module(getattr(match.func, "__module__", ""))


@dataclass
class Walk:
    """What the walk sent and found, over all roles."""

    role: str = ""
    client: Client = field(default_factory=Client)
    requests: int = 0
    pages: int = 0
    full_get: set[tuple[str, frozenset[str]]] = field(default_factory=set)
    full_post: set[tuple[str, str, tuple[str, ...]]] = field(default_factory=set)
    done: set[tuple[str, object]] = field(default_factory=set)
    parameters: set[tuple[str, str]] = field(default_factory=set)
    fields: set[tuple[str, str]] = field(default_factory=set)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    sent: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    page_state: dict[str, str] | None = None
    checking: float = 0.0

    def send(self, method: str, url: str, pairs: list[tuple[str, str]], what: str = "") -> int:
        """Send in a savepoint that is rolled back; a server error or half-save is a problem."""
        self.requests += 1
        self.sent[what or method] += 1
        cookies = copy.deepcopy(self.client.cookies)  # a sign-out must not end the walk
        status = 0
        if method == "post" and self.page_state is None:
            # Every request starts from the page's state (the one before is rolled back).
            self.page_state = self._state()
        try:
            with transaction.atomic():
                if method == "post":
                    response = self.client.post(
                        url, encode(pairs), content_type="application/x-www-form-urlencoded"
                    )
                else:
                    response = self.client.get(url.split("?", 1)[0] + "?" + encode(pairs))
                status = response.status_code
                if method == "post" and _refused(status, _text(response)):
                    changed = changed_tables(self.page_state or {}, self._state())
                    if changed:
                        self._problem(method, url, pairs, f"{status} but saved in {changed}")
                transaction.set_rollback(True)
        except Exception as exc:  # the test client raises what a view raised: a server error
            self._problem(method, url, pairs, f"{exc.__class__.__name__}: {str(exc)[:160]}")
        finally:
            self.client.cookies = cookies
        self.statuses[(method, status)] += 1
        if status >= 500:
            self._problem(method, url, pairs, str(status))
        return status

    def _state(self) -> dict[str, str]:
        started = time.monotonic()
        state = data_state()
        self.checking += time.monotonic() - started
        return state

    def _problem(self, method: str, url: str, pairs: list[tuple[str, str]], what: str) -> None:
        shown = {
            name: value if len(value) < 24 else f"{value[:10]}…({len(value)})"
            for name, value in pairs
            if name != "csrfmiddlewaretoken"
        }
        self.problems.append(f"{self.role} {method.upper()} {url} {shown!r:.300}: {what}")


def _text(response: Any) -> str:
    if response.streaming or response.get("Content-Type", "").startswith(NOT_HTML):
        return ""
    return response.content.decode(errors="replace")


def _refused(status: int, page: str) -> bool:
    return 400 <= status < 500 or (status == 200 and any(mark in page for mark in ERROR_MARKS))


def _targets(
    forms: list[Form], links: list[str], url: str, query: str
) -> dict[str, tuple[set[str], bool]]:
    """Each address the page sends parameters to: the names, and whether it is a list page.

    A page whose view only reads a parameter (no form or link of it here) is probed too.
    """
    found: dict[str, set[str]] = link_targets(links, url)
    path = urlsplit(url).path
    if query:
        found.setdefault(path, set()).update(link_targets([query], url).get(path, set()))
    for form in forms:
        if form.method == "get":
            found.setdefault(urlsplit(form.action).path, set()).update(form.names)
    targets = {target: (names, True) for target, names in found.items()}
    if path not in targets and _read_by_view(path):
        targets[path] = (set(), False)
    return {
        target: ({*names, *COMMON_PARAMETERS, *_read_by_view(target)}, listed)
        for target, (names, listed) in targets.items()
    }


def _probe_get(walk: Walk, path: str, names: set[str], listed: bool) -> None:
    key = (shape(path), frozenset(names))
    if (walk.role, key) in walk.done:
        return
    walk.done.add((walk.role, key))
    walk.parameters.update((key[0], name) for name in names)
    full = key not in walk.full_get
    walk.full_get.add(key)
    kinds = (HOSTILE if listed else READ_GET) if full else SMOKE_GET
    refusing: set[str] = set()  # names refused alone: they would hide what the others do
    for kind in kinds:
        value = HOSTILE[kind]
        what = "get all" if full else "get again"
        if (
            walk.send("get", path, [(name, value) for name in sorted(names)], what) < 400
            or not full
        ):
            continue
        if kind == "nul":  # refused before any view, whichever parameter holds it
            continue
        rest = sorted(names - refusing)
        if refusing and walk.send("get", path, [(n, value) for n in rest], "get one") < 400:
            for name in sorted(refusing):
                walk.send("get", path, [(name, value)], "get one")
            continue
        for name in sorted(names):
            if walk.send("get", path, [(name, value)], "get one") >= 400:
                refusing.add(name)


def _drawn(form: Form) -> st.SearchStrategy[list[tuple[str, str]]]:
    """A few fields drawn hostile or generated (text, numbers, dates), the others as served."""
    text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=400)
    numbers = st.one_of(
        st.integers().map(str),
        st.decimals().map(str),
        st.floats().map(str),
    )
    dates = st.tuples(st.integers(-1, 10000), st.integers(-1, 13), st.integers(-1, 32)).map(
        lambda parts: f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}"
    )
    hostile = st.one_of(st.sampled_from(list(HOSTILE.values())), text, numbers, dates)
    # A field's offered choices too, so that more drawn forms get past validation to a save.
    chosen = st.lists(
        st.sampled_from(form.names).flatmap(
            lambda name: st.tuples(
                st.just(name),
                st.one_of(hostile, st.sampled_from(form.options(name)))
                if form.options(name)
                else hostile,
            )
        ),
        min_size=1,
        max_size=3,
    ).map(dict)
    button = st.sampled_from(form.buttons) if form.buttons else st.none()

    def pairs(changes: dict[str, str], pressed: tuple[str, str] | None) -> list[tuple[str, str]]:
        sent = form.changed(changes)
        return sent + ([pressed] if pressed else [])

    return st.builds(pairs, chosen, button)


def _probe_post(walk: Walk, form: Form) -> None:
    key = form.key()
    if not form.names or (walk.role, key) in walk.done:
        return
    walk.done.add((walk.role, key))
    walk.fields.update((key[1], name) for name in form.names)
    button = form.buttons[0] if form.buttons else None
    pressed = [button] if button else []
    if key in walk.full_post:
        for kind in SMOKE_POST:
            walk.send("post", form.action, form.hostile(HOSTILE[kind], button), "post again")
        return
    walk.full_post.add(key)
    for value in HOSTILE.values():
        walk.send("post", form.action, form.hostile(value, button), "post all")
    for name in form.names_of(TEXT_CONTROLS):  # the others as served: as far as a save
        walk.send("post", form.action, form.changed({name: HOSTILE["long"]}) + pressed, "post one")

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples on every run: CI does not flicker
        phases=(Phase.generate,),  # a problem is reported with its input, not shrunk
        suppress_health_check=list(HealthCheck),
    )
    @given(_drawn(form))
    def drawn(pairs: list[tuple[str, str]]) -> None:
        walk.send("post", form.action, pairs, "post drawn")

    drawn()


def _walk_role(walk: Walk, shared: World, role: str) -> None:
    walk.role, walk.client = role, shared.client(role)
    for name, rule in _rules(role):
        world = copy_world(shared)  # rules may remember what they made: that is rolled back
        with transaction.atomic():
            url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None) + rule.query
            response = walk.client.get(url)
            walk.page_state = None
            walk.pages += 1
            page = _text(response)
            forms, links = parse_page(page, url) if page else ([], [])
            for path, (names, listed) in sorted(_targets(forms, links, url, rule.query).items()):
                _probe_get(walk, path, names, listed)
            for form in forms:
                if form.method == "post":
                    _probe_post(walk, form)
            transaction.set_rollback(True)


# About two minutes on an idle 2-core machine (3,330 requests); more room than the suite's 600 s
# for a loaded one.
@pytest.mark.timeout(1500)
def test_hostile_input_gets_no_server_error_and_saves_nothing_half() -> None:
    assert connection.vendor == "postgresql"
    started = time.monotonic()
    shared = build_parts(build_world())
    walk = Walk()
    for role in WALKED_ROLES:
        _walk_role(walk, shared, role)
    print(
        f"\nhostile input: {walk.pages} pages, {walk.requests} requests, "
        f"{len(walk.full_get)} parameter sets on {len({k[0] for k in walk.full_get})} addresses "
        f"({len(walk.parameters)} parameters), {len(walk.full_post)} posted forms "
        f"({len(walk.fields)} fields), {time.monotonic() - started:.1f}s "
        f"({walk.checking:.1f}s comparing the data); {sorted(walk.statuses.items())} "
        f"{sorted(walk.sent.items())}"
    )
    assert walk.pages > 500 and walk.requests > 2 * walk.pages
    assert not walk.problems, f"{len(walk.problems)} problems:\n" + "\n".join(walk.problems)


@pytest.mark.parametrize("username", ["x" * 300, "ä" * 300, "a\x00" * 150, "x" * 5000])
def test_a_sign_in_with_a_monstrous_username_is_refused_before_anything_records_it(
    username: str,
) -> None:
    assert connection.vendor == "postgresql"
    response = Client().post(reverse("login"), {"username": username, "password": "irgendwas"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_sign_in_with_150_characters_is_recorded_in_full() -> None:
    """The cap is the username column's length: the longest name that exists is still tried."""
    username = "ü" * USERNAME_MAX_LENGTH
    response = Client().post(reverse("login"), {"username": username, "password": "irgendwas"})

    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == username
    assert AuditEntry.objects.get().summary == username


# The walk's tools ----------------------------------------------------------------------------

PAGE = """
<form method="post" action="speichern/" id="edit" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input name="title" value="Alt">
  <input type="number" name="amount" value="12">
  <input type="checkbox" name="public" checked><input type="checkbox" name="urgent">
  <select name="kind"><option value="a">A</option><option value="b" selected>B</option></select>
  <textarea name="text">
Zeile</textarea>
  <input type="file" name="attachment"><input name="locked" value="x" disabled>
  <button name="action" value="save">Save</button><button type="button">Nothing</button>
</form>
<input name="outside" value="o" form="edit">
<button name="action" value="submit" form="edit">S</button>
<form><input type="search" name="q"></form>
<a href="?page=2&amp;o=-title">2</a><a href="/kalender/?land=ni">Kalender</a>
<a href="https://example.org/?x=1">out</a>
"""


def test_the_form_reader_sees_what_a_browser_would_send() -> None:
    forms, links = parse_page(PAGE, "/raete/5/profil/")
    edit, search = forms

    assert (edit.method, edit.action) == ("post", "/raete/5/profil/speichern/")
    assert edit.names == [
        "title", "amount", "public", "urgent", "kind", "text", "locked", "outside"
    ]  # fmt: skip
    assert edit.changed({"title": "Neu"}) == [
        ("csrfmiddlewaretoken", "tok"),
        ("title", "Neu"),
        ("amount", "12"),
        ("public", "on"),
        ("kind", "b"),
        ("text", "Zeile"),
        ("outside", "o"),
    ]
    assert (edit.options("kind"), edit.options("urgent"), edit.options("title")) == (
        ["a", "b"],
        ["on"],
        [],
    )
    assert edit.files == ["attachment"]
    assert edit.buttons == [("action", "save"), ("action", "submit")]
    assert edit.names_of(TEXT_CONTROLS) == ["title", "text", "locked", "outside"]
    assert edit.hostile("\x00", ("action", "save"))[:2] == [
        ("csrfmiddlewaretoken", "tok"),
        ("title", "\x00"),
    ]
    assert edit.key() == ("post", "/raete/N/profil/speichern/", tuple(sorted(edit.names)))
    assert (search.method, search.action, search.names) == ("get", "/raete/5/profil/", ["q"])
    assert link_targets(links, "/raete/5/profil/") == {
        "/raete/5/profil/": {"page", "o"},
        "/kalender/": {"land"},
    }


def test_the_walk_sends_every_parameter_a_page_uses() -> None:
    forms, links = parse_page(PAGE, "/raete/5/profil/")
    targets = _targets(forms, links, "/raete/5/profil/", "?tab=1")

    assert targets["/raete/5/profil/"] == ({"q", "tab", "page", "o", "sort", "next"}, True)
    assert targets["/kalender/"][0] >= {"land", "rat", "page"}  # rat: read by the view itself


def test_bytes_that_are_not_utf8_arrive_replaced() -> None:
    body = encode([("name", NOT_UTF8), ("other", "ä&=")])
    assert body == "name=%ED%A0%80%FF%FE&other=%C3%A4%26%3D"
    assert QueryDict(body)["name"] == "\ufffd" * 5
    assert QueryDict(body)["other"] == "ä&="


@pytest.mark.urls("tests.portal.hostile_urls")
def test_the_walk_reports_a_server_error_and_a_half_saved_post() -> None:
    build_world()
    walk = Walk(role="anonymous", client=Client())

    assert walk.send("get", "/test-hostile/crash/", [("value", "x")]) == 0
    assert walk.send("post", "/test-hostile/half-saved/", [("name", "Neu")]) == 400
    assert walk.send("get", reverse("home"), [("q", "x")]) == 200

    assert len(walk.problems) == 2
    assert "ValueError: x" in walk.problems[0]
    assert "but saved in ['councils_region']" in walk.problems[1]
    assert not Region.objects.filter(name="Neu").exists()  # each request is rolled back


# What the walk found -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parameter", "role"),
    [
        ("councils:invitation_create", "organisation", "state_admin"),
        ("strategy:goal_create", "parent", "state_admin"),
        ("funding:request_create", "programme", "coordinator"),
        ("spaces:public_calendar", "rat", "anonymous"),
    ],
)
def test_an_id_parameter_that_is_no_id_is_left_out(name: str, parameter: str, role: str) -> None:
    """``str.isdigit()`` took "²" and 5,000 digits, which ``int()`` refuses: a server error."""
    world = build_world()
    rule = MATRIX.rules[name]
    url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
    client = world.client(role)
    for value in ("²", "9" * 5000, "99999999999999999999", "-1"):
        assert client.get(url, {parameter: value}).status_code == 200, value
