"""Privacy (DSGVO): a person's data as JSON (Art. 15, 20), erasing a person (Art. 17) and
deleting old funding files after the retention period.

The export is built by a registry: one small function per part of the portal, each importing
its models lazily. Every function returns only what concerns the person; other people appear
as their id at most.

Erasing anonymises the account instead of deleting the row: funding records must be kept
(Haushaltsrecht), so their author references stay as keys to the anonymised row. Deleted:
the person's notifications, event registrations, calendar address, second factor, funding
exports they made (their files), expert permissions, seats in working groups and blocked
sign-in attempts under their user name. Their invitations and the history of their seats
lose name, e-mail address and home organisation; their accessibility feedback loses its sender,
name and address (the barrier stays reported). Kept:
documents, reports and attachments they uploaded for a council or a request; they belong to
the organisation, and the uploader is only the anonymised row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

if TYPE_CHECKING:
    from councils.models import User

logger = logging.getLogger(__name__)

Part = Callable[["User"], Any]


def _profile(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _memberships(user: User) -> list[dict[str, Any]]:
    from councils.models import Membership

    return [
        {
            "id": m.pk,
            "organisation": m.organisation.name,
            "organisation_id": m.organisation_id,
            "role": m.role,
            "position": m.position,
            "affiliation": m.affiliation,
            "home_organisation": m.home_organisation,
            "start_date": m.start_date,
            "end_date": m.end_date,
        }
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ]


def _invitations(user: User) -> list[dict[str, Any]]:
    from councils.models import Invitation

    received = Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email or "-"))
    return [
        {
            "id": i.pk,
            "email": i.email,
            "first_name": i.first_name,
            "last_name": i.last_name,
            "organisation_id": i.organisation_id,
            "role": i.role,
            "invited_by_id": i.invited_by_id,
            "created_at": i.created_at,
            "accepted_at": i.accepted_at,
            "revoked_at": i.revoked_at,
        }
        for i in received.order_by("pk")
    ]


def _notifications(user: User) -> list[dict[str, Any]]:
    from notifications.models import Notification

    rows = Notification.objects.filter(recipient=user).order_by("pk")
    return [dict(r) for r in rows.values("id", "kind", "subject", "body", "created_at", "read_at")]


def _funding_requests(user: User) -> list[dict[str, Any]]:
    from funding.models import FundingRequest

    rows = FundingRequest.objects.filter(
        Q(created_by=user) | Q(decided_by=user) | Q(proposed_by=user)
    ).order_by("pk")
    return [
        {
            "id": r.pk,
            "title": r.title,
            "status": r.status,
            "applicant_id": r.applicant_id,
            "created_at": r.created_at,
            "created_by_me": r.created_by_id == user.pk,
            "proposed_by_me": r.proposed_by_id == user.pk,
            "decided_by_me": r.decided_by_id == user.pk,
            "decided_at": r.decided_at if r.decided_by_id == user.pk else None,
        }
        for r in rows
    ]


def _exchange_reports(user: User) -> list[dict[str, Any]]:
    from exchange.models import ExchangeReport

    rows = ExchangeReport.objects.filter(Q(created_by=user) | Q(submitted_by=user)).order_by("pk")
    return [dict(r) for r in rows.values("id", "ngo_id", "period_id", "created_at", "submitted_at")]


def _event_registrations(user: User) -> list[dict[str, Any]]:
    from spaces.models import Registration

    return [
        {
            "id": r.pk,
            "event_id": r.event_id,
            "event": r.event.title,
            "status": r.status,
            "registered_at": r.registered_at,
            "cancelled_at": r.cancelled_at,
        }
        for r in Registration.objects.filter(user=user).select_related("event").order_by("pk")
    ]


def _working_groups(user: User) -> list[dict[str, Any]]:
    from spaces.models import WorkingGroup
    from spaces.models.workgroups import expert_group_ids

    led = set(WorkingGroup.objects.filter(lead=user).values_list("pk", flat=True))
    member = set(user.working_groups.values_list("pk", flat=True))
    expert = set(expert_group_ids(user))
    groups = WorkingGroup.objects.filter(pk__in=led | member | expert).order_by("pk")
    return [
        {
            "id": g.pk,
            "topic": g.topic,
            "council_id": g.council_id,
            "lead": g.pk in led,
            "member": g.pk in member,
            "expert": g.pk in expert,
        }
        for g in groups
    ]


def _documents(user: User) -> list[dict[str, Any]]:
    from spaces.models import CouncilDocument

    rows = CouncilDocument.objects.filter(uploaded_by=user).order_by("pk")
    return [
        dict(r) for r in rows.values("id", "title", "original_name", "council_id", "uploaded_at")
    ]


def _accessibility_feedback(user: User) -> list[dict[str, Any]]:
    from .models import AccessibilityFeedback

    rows = AccessibilityFeedback.objects.filter(sender=user).order_by("pk")
    fields = ("id", "state_id", "name", "email", "wants_reply", "page", "message", "created_at")
    return [dict(r) for r in rows.values(*fields, "answered_at")]


#: The parts of the export, one per part of the portal.
EXPORT_PARTS: dict[str, Part] = {
    "profile": _profile,
    "memberships": _memberships,
    "invitations": _invitations,
    "notifications": _notifications,
    "funding_requests": _funding_requests,
    "exchange_reports": _exchange_reports,
    "event_registrations": _event_registrations,
    "working_groups": _working_groups,
    "documents": _documents,
    "accessibility_feedback": _accessibility_feedback,
}


def personal_data(user: User) -> dict[str, Any]:
    """Everything the portal holds about the person (JSON-serialisable with Django's encoder)."""
    data: dict[str, Any] = {"exported_at": timezone.now()}
    for name, part in EXPORT_PARTS.items():
        data[name] = part(user)
    return data


# Erasure -------------------------------------------------------------------------------------


def erasable_people(by: User) -> QuerySet[User]:
    """The people the admin may erase: platform admins all, state admins their state's."""
    from councils.models import Membership, Role, User, user_state_ids

    people = User.objects.all()
    state_ids = user_state_ids(by, roles=(Role.STATE_ADMIN,))
    if state_ids is None:
        return people
    seats = Membership.objects.filter(organisation__state_id__in=state_ids).values("user_id")
    return people.filter(pk__in=seats)


def get_erasable(by: User, pk: int) -> User:
    """The person to erase; 404 outside the admin's state."""
    person: User | None = erasable_people(by).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def erase_refusal(person: User, by: User) -> str | None:
    """Why the admin may not erase the person (a msgid), or None."""
    if person.pk == by.pk:
        return "You cannot erase yourself."
    if person.is_superuser and not by.is_platform_admin:
        return "Only a platform admin can erase a platform admin."
    if person.username.startswith(ERASED_PREFIX):
        return "This person has already been erased."
    return None


ERASED_PREFIX = "geloescht-"


@dataclass
class ErasureResult:
    memberships_ended: int
    sessions_ended: int
    files_deleted: int


def erase_person(*, person: User, by: User) -> ErasureResult:
    """Anonymise the person, end their sessions and seats, delete what only concerns them."""
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.sessions import end_user_sessions
    from councils.models import Invitation, Membership
    from councils.services import membership_end
    from funding.models import ExportJob
    from notifications.models import Notification
    from spaces.models import CalendarToken, Registration, WorkingGroupExpert

    from .models import AccessibilityFeedback
    from .signals import person_erased

    with transaction.atomic():
        old_email, old_username = person.email, person.username
        # The states whose admins read the erasure in their audit log: the person's seats'.
        state_ids = sorted(
            set(
                Membership.objects.active()
                .filter(user=person)
                .values_list("organisation__state_id", flat=True)
            )
        )
        # Read before the account is locked: a locked account's seats no longer count as active.
        seats = list(Membership.objects.active().filter(user=person))
        # Counted here: saving the locked account below would end them as well.
        sessions = end_user_sessions(person.pk)
        person.username = f"{ERASED_PREFIX}{person.pk}"
        person.first_name = person.last_name = person.email = ""
        person.set_unusable_password()
        person.is_active = False
        person.is_staff = False
        person.save()
        for seat in seats:
            membership_end(membership=seat, changed_by=by, notify=False)
        ended = len(seats)
        Membership.objects.filter(user=person).update(home_organisation="")
        Membership.history.filter(user_id=person.pk).update(home_organisation="")
        if old_email:
            Invitation.objects.filter(Q(accepted_by=person) | Q(email__iexact=old_email)).update(
                email=f"{ERASED_PREFIX}{person.pk}@example.invalid", first_name="", last_name=""
            )
        files = 0
        for export in ExportJob.objects.filter(user=person):
            if export.file:
                export.file.delete(save=False)
                files += 1
            export.delete()
        Notification.objects.filter(recipient=person).delete()
        # Their barrier reports stay for the state (the barrier is not personal); who sent them
        # does not.
        AccessibilityFeedback.objects.filter(sender=person).update(
            sender=None, name="", email="", wants_reply=False
        )
        Registration.objects.filter(user=person).delete()
        CalendarToken.objects.filter(user=person).delete()
        WorkingGroupExpert.objects.filter(user=person).delete()
        person.working_groups.clear()
        TOTPDevice.objects.filter(user=person).delete()
        StaticDevice.objects.filter(user=person).delete()
        AccessAttempt.objects.filter(username=old_username).delete()
        # In the erasure's transaction: the audit entry is written with it, or not at all.
        person_erased.send(sender=erase_person, user=person, by=by, state_ids=state_ids)
    logger.info("person %s erased by %s", person.pk, by.pk)
    return ErasureResult(memberships_ended=ended, sessions_ended=sessions, files_deleted=files)


# Retention -----------------------------------------------------------------------------------


def retention_cutoff() -> Any:
    """The moment before which funding files are past their retention period."""
    return timezone.now() - timedelta(days=365 * settings.RETENTION_YEARS + 1)


def delete_expired_funding_files() -> int:
    """Delete receipt files and request attachments past the retention period; the rows stay.

    Receipts count from the proof of use's acceptance (closed request, checked date);
    attachments from the proof's acceptance, or, for requests without a proof that were
    rejected or withdrawn, from the project's end.
    """
    from funding.models import Attachment, Receipt
    from funding.models.statuses import RequestStatus as S

    cutoff = retention_cutoff()
    now = timezone.now()
    receipts = Receipt.objects.filter(
        proof__request__status=S.CLOSED, proof__checked_at__lt=cutoff
    ).exclude(file="")
    attachments = Attachment.objects.filter(
        Q(request__status=S.CLOSED, request__proof__checked_at__lt=cutoff)
        | Q(
            request__status__in=(S.REJECTED, S.WITHDRAWN),
            request__proof__isnull=True,
            request__end_date__lt=cutoff.date(),
        )
    ).exclude(file="")
    deleted = 0
    rows: list[Receipt | Attachment] = [*receipts, *attachments]
    for row in rows:
        name = row.file.name
        row.file.delete(save=False)
        row.file = ""  # an empty FileField
        row.file_deleted_at = now
        row.save(update_fields=["file", "file_deleted_at"])
        logger.info("retention: deleted %s (%s %s)", name, type(row).__name__, row.pk)
        deleted += 1
    logger.info("retention: %s funding files deleted", deleted)
    return deleted
