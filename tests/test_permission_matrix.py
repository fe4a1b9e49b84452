"""Every URL pattern has a rule saying what each role gets, and the views keep to it."""

from __future__ import annotations

import copy
import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access import Matrix, Rule
from tests.conftest import ROLES, World, build_parts, build_world, copy_world

#: Django's admin is one group: its pages answer the same to every role.
GROUPED_NAMESPACES = {"admin"}


def _walk(patterns: list, namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, full)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield (name or "", f"{namespace}/{entry.pattern}")


def all_url_names() -> list[tuple[str, str]]:
    return list(_walk(get_resolver().url_patterns))


def load_matrix() -> Matrix:
    matrix = Matrix()
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        leaf = module.name.rsplit(".", 1)[-1]
        if (leaf == "access" or leaf.startswith("access_")) and module.name != "tests.access":
            matrix.add(importlib.import_module(module.name).ACCESS)
    return matrix


MATRIX = load_matrix()


def test_every_url_pattern_has_a_rule() -> None:
    missing = []
    for name, route in all_url_names():
        namespace = name.split(":", 1)[0] if ":" in name else ""
        if namespace in GROUPED_NAMESPACES or route.split("/", 1)[0] in GROUPED_NAMESPACES:
            continue
        if not name:
            missing.append(f"unnamed pattern {route}")
        elif name not in MATRIX.rules:
            missing.append(name)
    assert not missing, f"URL patterns without a permission-matrix rule: {missing}"


def test_no_rule_for_a_pattern_that_does_not_exist() -> None:
    names = {name for name, _ in all_url_names()}
    assert set(MATRIX.rules) - names == set()


def _cases() -> Iterator[tuple[str, str, str]]:
    for name, rule in sorted(MATRIX.rules.items()):
        for role in ROLES:
            yield name, "own", role
            if rule.other is not None:
                yield name, "other", role


def _request(world: World, name: str, rule: Rule, which: str, role: str) -> int:
    make_kwargs = rule.kwargs if which == "own" else rule.other_kwargs
    url = reverse(name, kwargs=make_kwargs(world) if make_kwargs else None) + rule.query
    client = world.client(role)
    if rule.method == "post":
        response = client.post(url, rule.data(world) if rule.data else {})
    else:
        response = client.get(url)
    return response.status_code


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """One world for the whole matrix, built once in an outer transaction that is rolled back.

    Each test runs in a savepoint inside it (pytest-django's per-test atomic block nests), so
    what a test creates or changes is undone before the next one: every case still starts from
    the same world, without paying for building it some 2,000 times. The apps' parts of the
    world (requests, reports, offers...) are built with it, not in each test's savepoint.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_parts(build_world())
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "which", "role"), list(_cases()))
def test_role_gets_the_expected_status(
    name: str, which: str, role: str, shared_world: World
) -> None:
    rule = MATRIX.rules[name]
    # A copy per test: rules may remember objects they created on the world, and those are
    # rolled back with the test.
    world = copy_world(shared_world)
    expected = rule.own[role] if which == "own" else rule.other[role]  # type: ignore[index]
    assert _request(world, name, rule, which, role) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_django_admin_is_for_platform_admins_only(role: str, shared_world: World) -> None:
    world = copy.copy(shared_world)
    response = world.client(role).get(reverse("admin:index"))
    assert response.status_code == (200 if role == "platform_admin" else 302)
