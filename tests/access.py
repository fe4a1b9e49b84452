"""The permission matrix: what each role gets from every URL pattern of the project.

Each app's tests declare ``ACCESS`` in ``tests/<app>/access.py`` (or ``access_<part>.py``):
one ``Rule`` per URL name.
``tests/test_permission_matrix.py`` walks every URL pattern and fails when one has no rule,
then requests each pattern as each role of ``tests.conftest.ROLES`` and compares the status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import ROLES, World

Kwargs = Callable[[World], dict[str, Any]]

#: The answer of a login-required page to an anonymous visitor (redirect to the login).
LOGIN = 302


@dataclass(frozen=True)
class Rule:
    """Expected status per role.

    ``own``: for the object of the first state (``kwargs``), or for a URL without an object.
    ``other``: for the object of the second state (``other_kwargs``); needed when the URL
    names an object. ``method``/``data`` say how to call it (a POST runs on a fresh world).
    """

    own: dict[str, int]
    kwargs: Kwargs | None = None
    other: dict[str, int] | None = None
    other_kwargs: Kwargs | None = None
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    query: str = ""

    def __post_init__(self) -> None:
        for name, table in (("own", self.own), ("other", self.other)):
            if table is not None and set(table) != set(ROLES):
                missing = set(ROLES) - set(table)
                extra = set(table) - set(ROLES)
                raise ValueError(f"{name}: roles missing {missing or ''} extra {extra or ''}")
        if (self.other_kwargs is None) != (self.other is None):
            raise ValueError("other and other_kwargs go together")


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """The same status for every role, with exceptions."""
    table = dict.fromkeys(ROLES, status)
    table.update(overrides)
    return table


def signed_in(status: int, **overrides: int) -> dict[str, int]:
    """Login required: anonymous is sent to the login, everyone else gets the status."""
    return everyone(status, **{"anonymous": LOGIN, **overrides})


@dataclass
class Matrix:
    rules: dict[str, Rule] = field(default_factory=dict)

    def add(self, rules: dict[str, Rule]) -> None:
        clash = set(self.rules) & set(rules)
        if clash:
            raise ValueError(f"rules declared twice: {clash}")
        self.rules.update(rules)
