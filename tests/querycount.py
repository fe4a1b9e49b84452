"""Prove that a page does not grow in queries with its rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(action: Callable[[], Any]) -> tuple[int, list[str]]:
    """Run the action and return the number of queries and their SQL."""
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_constant_queries(
    action: Callable[[], Any], grow: Callable[[], Any], *, max_queries: int | None = None
) -> int:
    """Run the action, add rows with grow(), run it again: the query count must not change.

    On failure both statement lists are printed, so the extra query is easy to find.
    """
    action()  # warm caches such as content types and sessions
    before, _ = count_queries(action)
    grow()
    after, sql_after = count_queries(action)
    if before != after:
        listing = "\n".join(f"  {i + 1}. {sql}" for i, sql in enumerate(sql_after))
        raise AssertionError(
            f"query count grew with the rows: {before} -> {after}\n"
            f"queries after growing:\n{listing}"
        )
    if max_queries is not None and after > max_queries:
        listing = "\n".join(f"  {i + 1}. {sql}" for i, sql in enumerate(sql_after))
        raise AssertionError(f"{after} queries, expected at most {max_queries}:\n{listing}")
    return after
