"""Database sessions that know their user, so a person's sessions can be ended at once.

Django's own session table stores the user only inside the encoded data; ending one person's
sessions would mean decoding every session. ``UserSession`` keeps the user id in a column.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


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
