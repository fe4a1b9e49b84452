"""Ending a seat or locking an account signs the person out everywhere, whichever path did it.

The receivers watch the saves themselves, so no path is forgotten: the portal's edit form and
its "end" action, the deactivation, the erasure, Django's admin (also its inline seats) and the
shell. A seat counts as ended when a save moves its end date to today or earlier; a seat saved
with a past end date that was already past (a correction of history, a new record of a former
seat) signs nobody out. A seat whose end date lies ahead ends the sessions when the day comes
(``services.sessions_end_for_ended_memberships``, run by beat). ``QuerySet.update()`` sends no
signal: the portal never ends seats or accounts that way.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from core.sessions import end_user_sessions

from .models import Membership, User

#: Set on the instance by the pre-save receiver: this save ends the seat or locks the account.
_ENDS_SESSIONS = "_lpr_save_ends_sessions"


def _writes(field: str, update_fields: Any) -> bool:
    return update_fields is None or field in update_fields


def _membership_ends_with_save(membership: Membership, update_fields: Any) -> bool:
    if membership._state.adding or not membership.has_ended:
        return False
    if not _writes("end_date", update_fields):
        return False
    stored = list(Membership.objects.filter(pk=membership.pk).values_list("end_date", flat=True))
    ended_before = bool(stored) and stored[0] is not None and stored[0] <= timezone.localdate()
    return not ended_before


def _account_locked_with_save(user: User, update_fields: Any) -> bool:
    if user._state.adding or user.is_active or not _writes("is_active", update_fields):
        return False
    return User.objects.filter(pk=user.pk, is_active=True).exists()


@receiver(pre_save, sender=Membership, dispatch_uid="councils_membership_ending")
def note_membership_ending(
    sender: Any, instance: Membership, raw: bool = False, update_fields: Any = None, **kw: Any
) -> None:
    ends = not raw and _membership_ends_with_save(instance, update_fields)
    setattr(instance, _ENDS_SESSIONS, ends)


@receiver(pre_save, sender=User, dispatch_uid="councils_account_locking")
def note_account_locking(
    sender: Any, instance: User, raw: bool = False, update_fields: Any = None, **kw: Any
) -> None:
    locks = not raw and _account_locked_with_save(instance, update_fields)
    setattr(instance, _ENDS_SESSIONS, locks)


@receiver(post_save, sender=Membership, dispatch_uid="councils_membership_ended")
@receiver(post_save, sender=User, dispatch_uid="councils_account_locked")
def end_sessions_after_save(sender: Any, instance: Membership | User, **kw: Any) -> None:
    """The seat ended or the account was locked by this save: the person's sessions end now."""
    if getattr(instance, _ENDS_SESSIONS, False):
        setattr(instance, _ENDS_SESSIONS, False)
        end_user_sessions(instance.user_id if isinstance(instance, Membership) else instance.pk)


@receiver(post_delete, sender=Membership, dispatch_uid="councils_membership_deleted")
def end_sessions_of_deleted_seat(sender: Any, instance: Membership, **kw: Any) -> None:
    """A seat held today was deleted (Django's admin): it ends like an ended one."""
    if instance.is_active:
        end_user_sessions(instance.user_id)
