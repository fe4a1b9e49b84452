"""Write an audit entry: ``record(action, actor=..., state=..., target=..., **params)``.

The entry is written in the caller's transaction, so an action that is rolled back leaves none.
The address comes from the request being served (``audit.middleware.RequestAddressMiddleware``
puts it into a context variable); outside a request (tasks, commands) it stays empty.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from councils.models import StateNetwork, User

from .models import Action, AuditEntry

__all__ = ["Action", "current_address", "record"]

_address: ContextVar[str | None] = ContextVar("audit_address", default=None)

_NUL = "\x00"


def current_address() -> str | None:
    return _address.get()


def _clean(text: Any, limit: int) -> str:
    return str(text).replace(_NUL, "")[:limit]


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a parameter (money, dates and lazy texts become strings)."""
    if value is None or isinstance(value, bool | int | float | str):
        return _clean(value, 500) if isinstance(value, str) else value
    return _clean(value, 500)


def record(
    action: str,
    *,
    actor: User | None = None,
    state: StateNetwork | int | None = None,
    target: models.Model | None = None,
    summary: str = "",
    **params: Any,
) -> AuditEntry:
    """Write one audit entry in the current transaction."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(
        action=str(action),
        actor=actor,
        actor_name=_clean(actor.get_full_name() or actor.get_username(), 300) if actor else "",
        summary=_clean(summary, 500),
        params={str(key): _plain(value) for key, value in params.items()},
        ip_address=_address.get(),
    )
    if isinstance(state, StateNetwork):
        entry.state = state
    elif state is not None:
        entry.state_id = state
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_label = _clean(target, 300)
    entry.save()
    return entry
