"""Query building blocks that keep a page's number of queries fixed, whatever the rows.

- ``Total(queryset)``: the number of rows of a queryset as a scalar subquery, so that several
  numbers come back in one statement (annotate them on a single row, e.g. the state's).
- ``head_and_total(queryset, n)``: the first ``n`` rows and the number of all rows in one query
  (``COUNT(*) OVER ()``), for the "ten newest of 1,234" lists of the dashboards.

Both work on PostgreSQL and SQLite (window functions since SQLite 3.25).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Count, IntegerField, Model, QuerySet, Subquery, Window

__all__ = ["Total", "head_and_total"]

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
