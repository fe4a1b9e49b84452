"""A clock that can be set back: demo builders run the services as if it were an earlier day.

``with frozen_at(when): ...`` makes ``django.utils.timezone.now()`` answer ``when`` (and so
``timezone.localdate()`` and every ``auto_now``/``auto_now_add`` field) until the block ends.
It changes the clock of the whole process: for seeding demo data and for tests, never for
requests. Callbacks the block registers for the commit (notifications, queued tasks) run at the
commit still at ``when``, as they would have then.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone


def _within(enter: Callable[[], AbstractContextManager[Any]], func: Callable[[], Any]) -> Any:
    def run() -> Any:
        with enter():
            return func()

    run.__wrapped__ = func  # type: ignore[attr-defined]  # what runs, for who inspects it
    return run


@contextmanager
def commit_hooks_within(enter: Callable[[], AbstractContextManager[Any]]) -> Iterator[None]:
    """Callbacks the block registers with ``transaction.on_commit`` run inside ``enter()``.

    Outside a transaction ``on_commit`` runs them at once, inside the block; in one they wait for
    the commit, which comes after the block: they are wrapped so they find its context again.
    """
    connection = transaction.get_connection()
    start = len(connection.run_on_commit)
    try:
        yield
    finally:
        hooks = connection.run_on_commit
        for index in range(start, len(hooks)):
            savepoints, func, robust = hooks[index]
            hooks[index] = (savepoints, _within(enter, func), robust)


@contextmanager
def _clock_at(when: datetime.datetime) -> Iterator[None]:
    before = timezone.now
    timezone.now = lambda: when  # timezone.localdate() and the date fields read this name
    try:
        yield
    finally:
        timezone.now = before


@contextmanager
def frozen_at(when: datetime.datetime) -> Iterator[datetime.datetime]:
    """Stop the clock at the aware moment ``when`` for the block (and its commit callbacks)."""
    if timezone.is_naive(when):
        raise ValueError("frozen_at needs an aware datetime.")
    with _clock_at(when), commit_hooks_within(lambda: _clock_at(when)):
        yield when
