"""Query budgets: every page of every role makes at most 20 queries, however many rows there are.

One world for the module. Each role walks all its pages (the permission matrix's GET rules that
answer 200) on a small world, then more rows of every kind it sees are added and it walks again:
a page fails when it makes more than ``BUDGET`` queries or when its count grew with the rows.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World, build_world
from tests.portal.growth import grow, prepare
from tests.portal.test_english import WALKED_ROLES, _rules

#: The most queries any page may make.
BUDGET = 20
#: Rows of each kind before the first walk (one of each funding status, event audience, document
#: visibility...), and added before the second (more than a page of each list).
SMALL, MORE = 14, 15


@dataclass
class Visit:
    url: str
    status: int
    queries: list[str]


def walk(shared: World, role: str, client: Client) -> dict[str, Visit]:
    """Every page of the role, each in a savepoint that is rolled back; its queries counted."""
    visits: dict[str, Visit] = {}
    for name, rule in _rules(role):
        world = copy.copy(shared)  # rules may remember what they made: that is rolled back
        with transaction.atomic():
            url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None) + rule.query
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)  # type: ignore[attr-defined]
            transaction.set_rollback(True)
        visits[name] = Visit(url, response.status_code, [q["sql"] for q in ctx])
    return visits


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """One small world for every role, in an outer transaction that is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        prepare(world)
        grow(world, SMALL)
        yield world
        transaction.set_rollback(True)


def _listing(queries: list[str]) -> str:
    return "\n".join(f"    {i}. {sql[:300]}" for i, sql in enumerate(queries, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("role", WALKED_ROLES)
def test_every_page_keeps_its_query_budget(role: str, shared_world: World) -> None:
    world = copy.copy(shared_world)
    client = world.client(role)  # signed in once: the session is the same for every page
    client.get(reverse("home"))  # warm the caches of the first request
    small = walk(world, role, client)
    with transaction.atomic():
        grow(world, MORE)
        large = walk(world, role, client)
        transaction.set_rollback(True)
    report = os.environ.get("QUERY_BUDGET_REPORT")  # a file to append every page's counts to
    if report:
        with open(report, "a", encoding="utf-8") as handle:
            for page, visit in small.items():
                handle.write(f"{role}\t{page}\t{len(visit.queries)}\t{len(large[page].queries)}\n")
    problems = []
    for page, visit in small.items():
        after = large[page]
        assert visit.status == after.status == 200, f"{page}: {visit.status}, {after.status}"
        counts = f"{len(visit.queries)} -> {len(after.queries)}"
        page = f"{page} ({after.url})"
        if len(after.queries) > len(visit.queries):
            problems.append(f"{page}: grew with the rows, {counts}:\n{_listing(after.queries)}")
        elif max(len(visit.queries), len(after.queries)) > BUDGET:
            problems.append(f"{page}: over {BUDGET}, {counts}:\n{_listing(after.queries)}")
    assert not problems, f"{len(problems)} pages over budget:\n" + "\n".join(problems)
