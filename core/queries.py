"""Query building blocks that keep a page's number of queries fixed, whatever the rows.

- ``Total(queryset)``: the number of rows of a queryset as a scalar subquery, so that several
  numbers come back in one statement (annotate them on a single row, e.g. the state's).
- ``head_and_total(queryset, n)``: the first ``n`` rows and the number of all rows in one query
  (``COUNT(*) OVER ()``), for the "ten newest of 1,234" lists of the dashboards.
- ``head_and_count(queryset, n)``: the same in two queries, for a search over many rows whose
  window count would walk them all (the choosers).
- ``distinct_values(queryset, *fields)``: the distinct values of several columns of the same
  rows in one pass (the choices a filter offers: the programmes, regions and councils of the
  requests a user may see).
- ``InSubquery(field, queryset)``: ``field IN (<queryset>)`` that PostgreSQL can OR with other
  conditions and still answer from indexes (``= ANY(ARRAY(<queryset>))``, run once).

Both work on PostgreSQL and SQLite (window functions since SQLite 3.25).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    Count,
    Expression,
    F,
    IntegerField,
    Model,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.sql.compiler import SQLCompiler

__all__ = ["InSubquery", "Total", "distinct_values", "head_and_count", "head_and_total"]

M = TypeVar("M", bound=Model)


class Total(Subquery):
    """``(SELECT COUNT(*) FROM (<queryset>))``: how many rows the queryset has.

    A queryset selecting values (``.values("user").distinct()``) counts those; any other
    counts its primary keys. The subquery may refer to the outer row with ``OuterRef``.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _total)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet[Any], **extra: Any) -> None:
        query = queryset.query
        if not (query.values_select or query.annotation_select):
            queryset = queryset.values("pk")
        super().__init__(queryset.order_by(), **extra)


def head_and_total(queryset: QuerySet[M], n: int) -> tuple[list[M], int]:
    """The first ``n`` rows of the queryset (in its order) and the number of all its rows."""
    rows = list(queryset.annotate(_total=Window(Count("*")))[:n])
    return rows, (rows[0]._total if rows else 0)  # type: ignore[attr-defined]


class InSubquery(Expression):
    """``field IN (<queryset>)`` as a condition for ``filter()`` and ``Q(...) | InSubquery(...)``.

    On PostgreSQL it is ``field = ANY(ARRAY(<queryset>))``: the subquery runs once before the
    scan (an InitPlan) and its ids are a constant the planner can look up in an index, so
    ``Q(state_id=3) | InSubquery("pk", assigned)`` becomes a BitmapOr of two index scans, and
    an ``ORDER BY … LIMIT`` can walk an index. A plain ``IN (subquery)`` under OR is a filter
    evaluated on every row of the table, and ``IN (… UNION ALL …)`` has to collect all ids
    before the outer query can sort them. The queryset selects exactly one column.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str | Expression, queryset: QuerySet[Any]) -> None:
        super().__init__(output_field=BooleanField())
        self.lhs: Any = F(field) if isinstance(field, str) else field
        self.subquery: Any = Subquery(queryset.order_by())

    def get_source_expressions(self) -> list[Any]:
        return [self.lhs, self.subquery]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.lhs, self.subquery = exprs

    def _parts(self, compiler: SQLCompiler) -> tuple[str, str, tuple[Any, ...]]:
        field, field_params = compiler.compile(self.lhs)
        subquery, subquery_params = compiler.compile(self.subquery)
        return field, subquery, (*field_params, *subquery_params)

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        field, subquery, params = self._parts(compiler)
        return f"{field} IN {subquery}", params

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        field, subquery, params = self._parts(compiler)
        # Subquery's SQL comes in parentheses: ARRAY(SELECT …).
        return f"{field} = ANY(ARRAY{subquery})", params


def head_and_count(queryset: QuerySet[M], n: int) -> tuple[list[M], int]:
    """The first ``n`` rows, and how many there are (always two queries, whatever the rows).

    Two queries instead of one with a window count (``head_and_total``): a window count makes
    PostgreSQL walk every row in the order of the page (for the people of a state network, a
    nested loop over all accounts: 330 ms at federal scale), while the first rows alone come
    from the index and the count alone from a hash join (5 ms and 20 ms).
    """
    return list(queryset[:n]), queryset.count()


def distinct_values(queryset: QuerySet[Any], *fields: str) -> dict[str, set[Any]]:
    """The distinct non-empty values of each field over the queryset's rows, in one query.

    On PostgreSQL one aggregate row, ``array_agg(DISTINCT field)`` per field: one pass over
    the rows instead of a ``SELECT DISTINCT`` each (a state's 6,300 requests: 6 ms instead of
    three times 7). Elsewhere the distinct combinations, split up in Python.
    """
    rows = queryset.order_by()
    if connections[rows.db].vendor == "postgresql":
        from django.contrib.postgres.aggregates import ArrayAgg

        arrays = rows.aggregate(
            **{f"_{name}": ArrayAgg(name, distinct=True, default=[]) for name in fields}
        )
        return {name: {v for v in arrays[f"_{name}"] if v is not None} for name in fields}
    return distinct_combinations(rows, *fields)


def distinct_combinations(queryset: QuerySet[Any], *fields: str) -> dict[str, set[Any]]:
    """``distinct_values`` for any database: the distinct combinations of the fields' values
    (one query), split into a set per field."""
    found: dict[str, set[Any]] = {name: set() for name in fields}
    for combination in queryset.order_by().values_list(*fields).distinct():
        for name, value in zip(fields, combination, strict=True):
            if value is not None:
                found[name].add(value)
    return found
