"""The demo's history: steps through the services, each run at its moment in the past."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from core.clock import frozen_at
from notifications.services import historic

#: Notifications older than this were read by their recipients back then.
READ_AFTER = datetime.timedelta(days=14)

T = TypeVar("T")


@contextmanager
def past(when: datetime.datetime, *, now: datetime.datetime) -> Iterator[None]:
    """Run the block at ``when``: its notifications are never e-mailed, older ones are read."""
    with frozen_at(when), historic(read=when < now - READ_AFTER):
        yield


@contextmanager
def seeding_transaction() -> Iterator[None]:
    """A transaction whose commit callbacks run at its end, inside it, before the commit.

    The demo's callbacks write notifications of the past (no e-mail): in the seed's own
    transaction they cost no commit each, which keeps the seed fast on SQLite.
    """
    with transaction.atomic():
        hooks = transaction.get_connection().run_on_commit
        start = len(hooks)
        yield
        while len(hooks) > start:  # a callback may register more
            _savepoints, callback, _robust = hooks.pop(start)
            callback()


@dataclass
class Timeline:
    """Steps of the demo history; ``run`` takes them in the order of their moments."""

    now: datetime.datetime = field(default_factory=lambda: timezone.now())
    steps: list[tuple[datetime.datetime, Callable[[], object]]] = field(default_factory=list)

    def moment(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        """The hour of the day in local time, never later than now."""
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        return min(when, self.now)

    def add(self, when: datetime.datetime, action: Callable[[], object]) -> None:
        self.steps.append((when, action))

    def run_now(self, when: datetime.datetime, action: Callable[[], T]) -> T:
        """Run one step at its moment at once (a step the others need, such as a period)."""
        with past(when, now=self.now):
            return action()

    def run(self) -> None:
        """Run the steps by their moments; steps of the same moment in the order added."""
        steps, self.steps = sorted(self.steps, key=lambda step: step[0]), []
        for when, action in steps:
            self.run_now(when, action)
