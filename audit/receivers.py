"""Sign-ins (also failed ones), erasures and second factors reset go into the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts import signals as accounts_signals
from councils.models import Membership, User, active_membership_filter

from .log import record
from .models import Action

#: An attempted user name is stored at most this long (the length of a real one).
USERNAME_LIMIT = 150


def home_state_id(user: User) -> int | None:
    """The state of the person's first active seat: its admins read the person's sign-ins."""
    return (
        Membership.objects.filter(active_membership_filter(), user_id=user.pk)
        .order_by("start_date", "pk")
        .values_list("organisation__state_id", flat=True)
        .first()
    )


@receiver(user_logged_in, dispatch_uid="audit_login_succeeded")
def login_succeeded(
    sender: Any, request: Any = None, user: User | None = None, **kwargs: Any
) -> None:
    if user is None:
        return
    record(Action.LOGIN_SUCCEEDED, actor=user, state=home_state_id(user), target=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def login_failed(sender: Any, credentials: dict[str, Any] | None = None, **kwargs: Any) -> None:
    attempted = str((credentials or {}).get("username") or "").replace("\x00", "")
    attempted = attempted[:USERNAME_LIMIT]
    user = User.objects.filter(username__iexact=attempted).first() if attempted else None
    record(
        Action.LOGIN_FAILED,
        state=home_state_id(user) if user else None,
        target=user,
        summary=attempted,
        username=attempted,
    )


@receiver(accounts_signals.person_erased, dispatch_uid="audit_person_erased")
def person_erased(
    sender: Any,
    user: User | None = None,
    by: User | None = None,
    state_ids: list[int] | None = None,
    **kwargs: Any,
) -> None:
    """One entry per state the person held seats in, so each state's admins read it."""
    targets: list[int | None] = list(state_ids or []) or [None]
    for state_id in targets:
        record(Action.PERSON_ERASED, actor=by, state=state_id, target=user)


@receiver(accounts_signals.personal_data_exported, dispatch_uid="audit_data_exported")
def data_exported(sender: Any, user: User | None = None, **kwargs: Any) -> None:
    if user is None:
        return
    record(Action.DATA_EXPORTED, actor=user, state=home_state_id(user), target=user)


@receiver(accounts_signals.second_factor_reset, dispatch_uid="audit_second_factor_reset")
def second_factor_reset(
    sender: Any,
    user: User | None = None,
    by: User | None = None,
    state_ids: list[int] | None = None,
    **kwargs: Any,
) -> None:
    """One entry per state the admin acted for, so each state's admins read it."""
    targets: list[int | None] = list(state_ids or []) or [None]
    for state_id in targets:
        record(Action.SECOND_FACTOR_RESET, actor=by, state=state_id, target=user)
