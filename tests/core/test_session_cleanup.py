"""Expired sessions are deleted daily by beat with Django's clearsessions (issue 12)."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from core import tasks
from core.sessions import SessionStore, UserSession
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _expire(session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )


def _open_sessions(world: World) -> tuple[str, str, str]:
    """An expired session of a person, a live one of the same person, an expired anonymous one."""
    expired = world.client("member").session.session_key
    live = world.client("member").session.session_key
    anonymous = SessionStore()
    anonymous["visited"] = True
    anonymous.create()
    assert expired and live and anonymous.session_key
    _expire(expired)
    _expire(anonymous.session_key)
    return expired, live, anonymous.session_key


def test_the_session_engine_is_the_portals() -> None:
    engine = import_module(settings.SESSION_ENGINE)
    assert engine.SessionStore is SessionStore
    assert SessionStore.get_model_class() is UserSession


def test_clearsessions_deletes_the_expired_sessions_only(world: World) -> None:
    expired, live, anonymous = _open_sessions(world)
    call_command("clearsessions")
    remaining = set(UserSession.objects.values_list("session_key", flat=True))
    assert live in remaining
    assert expired not in remaining
    assert anonymous not in remaining


def test_the_task_clears_expired_sessions(world: World) -> None:
    expired, live, anonymous = _open_sessions(world)
    tasks.clear_expired_sessions.delay().get()
    remaining = set(UserSession.objects.values_list("session_key", flat=True))
    assert remaining >= {live}
    assert not remaining & {expired, anonymous}


def test_the_beat_clears_sessions_daily() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == tasks.clear_expired_sessions.name
    assert entry["schedule"] == 86400.0
