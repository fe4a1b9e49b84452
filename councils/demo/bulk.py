"""Helpers of the benchmark volumes: bulk inserts that keep the dates of the past.

``bulk_create`` runs each field's ``pre_save``, so ``auto_now``/``auto_now_add`` fields would all
get the moment of the seed; ten years of history need the moments they describe. The scale
seeders of every app use these helpers (councils depends on no other app, so they live here).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

BATCH_SIZE = 2000

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


@contextmanager
def past_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Inside the block, bulk inserts of these models keep the dates given on the objects.

    Every ``auto_now``/``auto_now_add`` field of the models is switched off for the block: the
    caller sets those dates itself (an object without one would fail with a NULL error).
    """
    switched: list[tuple[models.DateField[Any, Any], bool, bool]] = []
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def insert(model: type[M], objects: Iterable[M], *, keep_dates: bool = True) -> list[M]:
    """Bulk insert in batches (primary keys set on PostgreSQL); dates of the past kept."""
    rows = list(objects)
    if not rows:
        return rows
    if keep_dates:
        with past_timestamps(model):
            return list(model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE))
    return list(model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE))


def moment(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware moment on the day in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def spread(start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
    """``count`` days evenly between start and end (both included when count > 1)."""
    if count <= 0:
        return []
    if count == 1 or end <= start:
        return [start] * count
    step = (end - start).days / (count - 1)
    return [start + datetime.timedelta(days=round(step * n)) for n in range(count)]


def pick(sequence: Sequence[T], n: int) -> T:
    """The item at n, round the sequence."""
    return sequence[n % len(sequence)]
