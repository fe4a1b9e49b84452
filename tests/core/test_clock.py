"""frozen_at: the services run as if it were an earlier moment, also at the commit."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from core.clock import frozen_at
from notifications.models import Notification
from tests.factories import UserFactory

WHEN = timezone.make_aware(datetime.datetime(2024, 3, 5, 10, 30))


def test_now_and_localdate_answer_the_moment_until_the_block_ends():
    with frozen_at(WHEN) as moment:
        assert moment == WHEN
        assert timezone.now() == WHEN
        assert timezone.localdate() == datetime.date(2024, 3, 5)
    assert timezone.now() > WHEN


def test_blocks_nest_and_restore_the_outer_moment():
    later = WHEN + datetime.timedelta(days=2)
    with frozen_at(WHEN):
        with frozen_at(later):
            assert timezone.now() == later
        assert timezone.now() == WHEN


def test_the_clock_runs_again_after_an_error():
    with pytest.raises(RuntimeError), frozen_at(WHEN):
        raise RuntimeError
    assert timezone.now() > WHEN


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError), frozen_at(datetime.datetime(2024, 3, 5)):
        raise AssertionError("a naive moment must be refused before the block runs")


def test_auto_now_fields_take_the_moment(db):
    with frozen_at(WHEN):
        notification = Notification.objects.create(
            recipient=UserFactory(), kind="t", subject="Früher"
        )
    assert notification.created_at == WHEN


def test_commit_callbacks_of_the_block_run_at_the_moment(db, django_capture_on_commit_callbacks):
    seen: list[datetime.datetime] = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with frozen_at(WHEN):
            transaction.on_commit(lambda: seen.append(timezone.now()))
        transaction.on_commit(lambda: seen.append(timezone.now()))
    assert seen[0] == WHEN
    assert seen[1] > WHEN
