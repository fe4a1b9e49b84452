"""Database sessions that know their user, so a person's sessions can be ended at once.

Django's own session table stores the user only inside the encoded data; ending one person's
sessions would mean decoding every session. ``UserSession`` keeps the user id in a column.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models

#: Session key of the moment the person signed in (seconds since the epoch), set at each sign-in.
SIGNED_IN_AT = "accounts_signed_in_at"


class UserSession(AbstractBaseSession):
    """A session row with the signed-in user (none for an anonymous visitor)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=True,
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "core_user_session"

    @classmethod
    def get_session_store_class(cls) -> type[SessionStore]:
        return SessionStore


class SessionStore(DBStore):
    """The session engine of the portal (``SESSION_ENGINE = "core.sessions"``)."""

    @classmethod
    def get_model_class(cls) -> type[UserSession]:
        return UserSession

    def create_model_instance(self, data: dict[str, Any]) -> UserSession:
        instance: UserSession = super().create_model_instance(data)  # type: ignore[assignment]
        try:
            instance.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            instance.user_id = None
        return instance


def end_user_sessions(user_id: int) -> int:
    """Sign the person out everywhere by deleting their sessions; returns how many."""
    deleted, _ = UserSession.objects.filter(user_id=user_id).delete()
    return deleted


def end_sessions_begun_before(cutoffs: Mapping[int, datetime]) -> int:
    """End each person's sessions begun before their moment (user id → moment); returns how many.

    A session that does not say when it began counts as begun before.
    """
    if not cutoffs:
        return 0
    stale = []
    sessions = UserSession.objects.filter(user_id__in=list(cutoffs)).only(
        "session_key", "session_data", "user_id"
    )
    for session in sessions.iterator():
        cutoff = cutoffs[session.user_id] if session.user_id is not None else None
        if cutoff is None:
            continue
        began = session.get_decoded().get(SIGNED_IN_AT)
        if not isinstance(began, int | float) or began < cutoff.timestamp():
            stale.append(session.session_key)
    if not stale:
        return 0
    deleted, _ = UserSession.objects.filter(session_key__in=stale).delete()
    return deleted
