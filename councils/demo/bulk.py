"""Helpers of the benchmark volumes: fast bulk inserts that keep the dates of the past.

``bulk_create`` runs each field's ``pre_save``, so ``auto_now``/``auto_now_add`` fields would all
get the moment of the seed; ten years of history need the moments they describe. The scale
seeders of every app use these helpers (councils depends on no other app, so they live here).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from core.fragments import note_writes

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
    """Insert the objects in bulk with their primary keys set; dates of the past kept.

    On PostgreSQL the rows go in with COPY under keys taken from the table's sequence, several
    times faster than ``bulk_create`` at benchmark volume; elsewhere ``bulk_create``. Neither
    runs ``save()``, signals or a manager's own ``bulk_create``: callers set what those would.
    """
    rows = list(objects)
    if not rows:
        return rows
    with past_timestamps(model) if keep_dates else nullcontext():
        if connection.vendor != "postgresql":
            return list(model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE))
        _copy(model, rows)
    return rows


def _copy(model: type[models.Model], rows: list[Any]) -> None:
    from psycopg.types.json import Jsonb

    opts = model._meta
    fields = list(opts.concrete_fields)
    pk = opts.pk
    assert pk is not None
    missing = [obj for obj in rows if obj.pk is None]
    with connection.cursor() as cursor:
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, pk.column, len(missing)],
            )
            for obj, (value,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = value
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(field.column)) for field in fields)
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        file_fields = {f.attname for f in fields if isinstance(f, models.FileField)}
        sql = f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN"
        # The keys are checked row by row while the rows go in, not queued for the commit:
        # a queue of a million deferred checks costs more than the checks themselves.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with cursor.cursor.copy(sql) as copy:
            for obj in rows:
                obj._prepare_related_fields_for_save(operation_name="bulk_create")
                values = []
                for field in fields:
                    value = field.pre_save(obj, add=True)
                    if field.attname in json_fields:
                        value = Jsonb(value)
                    elif field.attname in file_fields:
                        value = value.name or "" if value is not None else ""
                    values.append(value)
                copy.write_row(values)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's keys are deferred by default
    note_writes(connection, [opts.db_table])  # COPY passes by Django's cursor wrappers
    for obj in rows:
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_history(
    model: type[models.Model],
    records: Iterable[tuple[models.Model, datetime.datetime, int | None]],
    *,
    kind: str = "+",
    values: Callable[[Any], dict[str, Any]] | None = None,
) -> int:
    """The django-simple-history rows the services would have left: one per (object, when, by).

    ``kind`` is "+" (created) or "~" (changed); ``values`` overrides fields of a record (the
    state before a later change). Pages that list versions expect at least the created one.
    """
    history = model.history.model  # type: ignore[attr-defined]
    tracked = [f for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    rows = []
    for obj, when, by in records:
        data = {}
        for field in tracked:
            value = getattr(obj, field.attname)
            data[field.attname] = value.name if isinstance(value, FieldFile) else value
        if values is not None:
            data.update(values(obj))
        rows.append(history(**data, history_date=when, history_type=kind, history_user_id=by))
    insert(history, rows)
    return len(rows)


def moment(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware moment on the day in the portal's time zone (called for every row)."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def done_at(day: datetime.date, hour: int, now: datetime.datetime) -> datetime.datetime:
    """The moment of something done on the day, never later than now: a demo seeded at half
    past midnight has not yet done today what it does at eleven."""
    return min(moment(day, hour), now)


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
