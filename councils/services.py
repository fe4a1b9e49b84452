"""Writes of the membership part: organisations, regions, memberships, invitations, imports."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.log import Action, record
from core.queueing import enqueue_on_commit
from core.sessions import end_sessions_begun_before

from . import notices
from .models import (
    Affiliation,
    Invitation,
    Membership,
    Organisation,
    Position,
    Region,
    Role,
    StateNetwork,
    User,
    role_fits,
)

logger = logging.getLogger(__name__)

#: The profile fields of an organisation that the administration form edits.
ORGANISATION_FIELDS = (
    "kind",
    "name",
    "region",
    "area",
    "description",
    "founded_on",
    "email",
    "phone",
    "website",
    "street",
    "postcode",
    "city",
    "authority_name",
    "remedy_court",
    "remedy_court_seat",
    "is_active",
)


# Organisations and regions -------------------------------------------------------------------


def organisation_create(
    *, state: StateNetwork, served_regions: Iterable[Region] = (), **fields: Any
) -> Organisation:
    """Create an organisation in a state network."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    with transaction.atomic():
        organisation = Organisation(state=state, **fields)
        organisation.full_clean()
        organisation.save()
        organisation.served_regions.set(served_regions)
    return organisation


def organisation_update(
    *, organisation: Organisation, served_regions: Iterable[Region] = (), **fields: Any
) -> Organisation:
    """Change an organisation's profile; its state network never changes."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save(update_fields=list(fields))
        organisation.served_regions.set(served_regions)
    return organisation


#: The profile fields a council's coordinators keep (the region stays with the state admin).
COUNCIL_PROFILE_FIELDS = (
    "area",
    "founded_on",
    "description",
    "contact_name",
    "email",
    "phone",
    "website",
    "logo",
    "public_description",
    "public_founded_on",
    "public_chair",
    "public_contact",
    "public_logo",
)


def council_profile_update(*, council: Organisation, **fields: Any) -> Organisation:
    """Change the council's own profile; the change is kept in the organisation's history."""
    unknown = set(fields) - set(COUNCIL_PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    with transaction.atomic():
        old_logo = council.logo.name if council.logo else ""
        for name, value in fields.items():
            setattr(council, name, value)
        council.full_clean()
        council.save(update_fields=list(fields))
        new_logo = council.logo.name if council.logo else ""
        if old_logo and old_logo != new_logo:
            storage = council.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
    return council


def region_create(*, state: StateNetwork, name: str, description: str = "") -> Region:
    with transaction.atomic():
        region = Region(state=state, name=name, description=description)
        region.full_clean()
        region.save()
    return region


def region_update(*, region: Region, name: str, description: str = "") -> Region:
    with transaction.atomic():
        region.name = name
        region.description = description
        region.full_clean()
        region.save(update_fields=["name", "description"])
    return region


# Memberships and people ----------------------------------------------------------------------


def membership_update(
    *,
    membership: Membership,
    role: str,
    position: str,
    affiliation: str,
    start_date: date,
    end_date: date | None,
    home_organisation: str | None = None,
    changed_by: User | None = None,
) -> Membership:
    """Change role, position, affiliation, home organisation and dates; tell the person."""
    if not role_fits(membership.organisation.kind, role):
        raise ValueError(f"role {role!r} is not given by {membership.organisation.kind}")
    fields = ["role", "position", "affiliation", "start_date", "end_date"]
    with transaction.atomic():
        membership.role = role
        membership.position = position
        membership.affiliation = affiliation
        membership.start_date = start_date
        membership.end_date = end_date
        if home_organisation is not None:
            membership.home_organisation = home_organisation.strip()
            fields.append("home_organisation")
        membership.save(update_fields=fields)
        notices.tell_membership_changed(membership, by=changed_by)
        record(
            Action.MEMBERSHIP_CHANGED,
            actor=changed_by,
            state=membership.organisation.state_id,
            target=membership,
            role=role,
            position=position,
            end_date=end_date,
        )
    return membership


def membership_end(
    *,
    membership: Membership,
    on: date | None = None,
    changed_by: User | None = None,
    notify: bool = True,
) -> Membership:
    """End a membership today (or on the given day); it never ends before it started.

    ``notify=False`` tells nobody (the erasure: the person is gone).
    """
    day = on or timezone.localdate()
    with transaction.atomic():
        membership.end_date = max(day, membership.start_date)
        # Saving an end date of today or earlier signs the person out (councils.receivers).
        membership.save(update_fields=["end_date"])
        if notify:
            notices.tell_membership_ended(membership, by=changed_by)
        record(
            Action.MEMBERSHIP_ENDED,
            actor=changed_by,
            state=membership.organisation.state_id,
            target=membership,
            end_date=membership.end_date,
        )
    return membership


def user_deactivate(*, user: User) -> User:
    """Lock a person out: the account can no longer sign in and open sessions end at once."""
    with transaction.atomic():
        user.is_active = False
        # Saving the locked account signs the person out (councils.receivers).
        user.save(update_fields=["is_active"])
    return user


def sessions_end_for_ended_memberships(*, now: datetime | None = None) -> int:
    """Sign out the people whose seat's end date came after they signed in; returns how many.

    A seat ended in the portal signs the person out at once (``receivers``); a seat whose end
    date was set ahead ends when that day begins, and this (run by beat) ends the sessions begun
    before it. Sessions older than the absolute time-out are over anyway, so only seats that
    ended since then are looked at.
    """
    now = now or timezone.now()
    oldest = timezone.localdate(now - timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT))
    latest_ends = (
        Membership.objects.filter(end_date__gte=oldest, end_date__lte=timezone.localdate(now))
        .order_by()
        .values("user_id")
        .annotate(last=Max("end_date"))
    )
    cutoffs = {
        row["user_id"]: timezone.make_aware(datetime.combine(row["last"], time.min))
        for row in latest_ends
    }
    return end_sessions_begun_before(cutoffs)


# Invitations ---------------------------------------------------------------------------------


def _queue_invitation_email(invitation_id: int) -> None:
    """Queue the e-mail on commit; if the broker is down the periodic task sends it later."""
    from .tasks import send_invitation_email

    enqueue_on_commit(send_invitation_email, invitation_id)


def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by: User | None,
    first_name: str = "",
    last_name: str = "",
    position: str = Position.MEMBER,
    affiliation: str = Affiliation.OTHER,
    home_organisation: str = "",
) -> Invitation:
    """Invite a person by e-mail; the e-mail with the link is sent after the commit."""
    if not role_fits(organisation.kind, role):
        raise ValueError(f"role {role!r} is not given by {organisation.kind}")
    with transaction.atomic():
        _token, digest = Invitation.new_token()
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email.strip(),
            first_name=first_name,
            last_name=last_name,
            role=role,
            position=position,
            affiliation=affiliation,
            home_organisation=home_organisation.strip(),
            invited_by=invited_by,
            token_hash=digest,
            expires_at=Invitation.default_expiry(),
        )
        _queue_invitation_email(invitation.pk)
        record(
            Action.INVITATION_SENT,
            actor=invited_by,
            state=organisation.state_id,
            target=invitation,
            summary=invitation.email,
            role=role,
        )
    return invitation


def invitation_revoke(*, invitation: Invitation, by: User | None = None) -> Invitation:
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is None and locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            record(
                Action.INVITATION_REVOKED,
                actor=by,
                state=locked.organisation.state_id,
                target=locked,
                summary=locked.email,
            )
    invitation.refresh_from_db()
    return invitation


def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Send an open invitation again with a new link; the old link stops working at once."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None or locked.revoked_at is not None:
            raise ValueError("only open invitations can be sent again")
        _token, locked.token_hash = Invitation.new_token()
        locked.expires_at = Invitation.default_expiry()
        locked.email_sent_at = None
        locked.email_attempts = 0
        locked.email_last_error = ""
        locked.save(
            update_fields=[
                "token_hash",
                "expires_at",
                "email_sent_at",
                "email_attempts",
                "email_last_error",
            ]
        )
        _queue_invitation_email(locked.pk)
    invitation.refresh_from_db()
    return invitation


def _invitee_language(invitation: Invitation) -> str:
    """The language the invited person chose when they already have an account, else German."""
    language = (
        User.objects.filter(email__iexact=invitation.email, is_active=True)
        .order_by("-last_login", "-pk")
        .values_list("language", flat=True)
        .first()
    )
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _invitation_message(invitation: Invitation, token: str) -> tuple[str, str]:
    link = settings.SITE_URL + reverse("councils:invitation_accept", kwargs={"token": token})
    with translation.override(_invitee_language(invitation)):
        subject = _("Invitation to the LPR Portal: %(organisation)s") % {
            "organisation": invitation.organisation.name
        }
        body = render_to_string(
            "councils/emails/invitation.txt",
            {
                "invitation": invitation,
                "link": link,
                "valid_days": settings.INVITATION_VALID_DAYS,
            },
        )
    return subject, body


def invitation_send_email(*, invitation_id: int) -> bool:
    """Send the invitation's e-mail with a fresh link unless it went out already.

    Only the token's hash is stored, so every sending makes a new token. The row is locked
    (skipping rows another run holds) so two senders never mail the same invitation.
    Returns True when an e-mail went out; a failed attempt is recorded and the error raised.
    """
    error: Exception | None = None
    with transaction.atomic():
        invitation = (
            Invitation.objects.email_due()
            .select_for_update(skip_locked=True)
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None:
            return False
        token, digest = Invitation.new_token()
        subject, body = _invitation_message(invitation, token)
        invitation.email_attempts += 1
        try:
            send_mail(subject, body, None, [invitation.email])
        except Exception as exc:  # SMTP errors of every kind: record, then let the task retry
            invitation.email_last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            invitation.save(update_fields=["email_attempts", "email_last_error"])
            error = exc
        else:
            invitation.token_hash = digest
            invitation.email_sent_at = timezone.now()
            invitation.email_last_error = ""
            invitation.save(
                update_fields=["token_hash", "email_sent_at", "email_attempts", "email_last_error"]
            )
    if error is not None:
        raise error
    return True


def invitation_send_pending_emails(*, limit: int = 200) -> int:
    """Send every pending invitation whose e-mail is still unsent; returns how many went out."""
    sent = 0
    ids = list(Invitation.objects.email_due().order_by("created_at").values_list("pk", flat=True))
    for pk in ids[:limit]:
        try:
            sent += invitation_send_email(invitation_id=pk)
        except Exception:  # already recorded on the row; try the others
            logger.warning("invitation e-mail %s failed, will try again", pk, exc_info=True)
    return sent


class InvitationNotPending(Exception):
    """The invitation was accepted, revoked or has expired meanwhile."""


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Give the user the invited seat; an invitation can be used only once."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_pending:
            raise InvitationNotPending
        membership = (
            Membership.objects.filter(
                user=user, organisation_id=locked.organisation_id, end_date__isnull=True
            )
            .select_related("organisation")
            .first()
        )
        if membership is None:
            membership = Membership.objects.create(
                user=user,
                organisation_id=locked.organisation_id,
                role=locked.role,
                position=locked.position,
                affiliation=locked.affiliation,
                home_organisation=locked.home_organisation,
            )
            record(
                Action.MEMBERSHIP_CREATED,
                actor=user,
                state=locked.organisation.state_id,
                target=membership,
                role=membership.role,
            )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
        record(
            Action.INVITATION_ACCEPTED,
            actor=user,
            state=locked.organisation.state_id,
            target=locked,
            summary=locked.email,
        )
    invitation.refresh_from_db()
    return membership


def user_create_from_invitation(
    *, invitation: Invitation, username: str, password: str, first_name: str, last_name: str
) -> User:
    """Create the account of an invited person and give them the invited seat."""
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
        invitation_accept(invitation=invitation, user=user)
    return user


# CSV import ----------------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One checked line of a member import file."""

    line: int
    email: str
    first_name: str
    last_name: str
    organisation_name: str
    role: str = ""
    position: str = ""
    affiliation: str = ""
    organisation: Organisation | None = None
    user: User | None = None
    errors: list[str] | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def role_label(self) -> str:
        """The role's name in the reader's language; an unknown role as it was written."""
        return str(Role(self.role).label) if self.role in Role.values else self.role

    @property
    def creates_invitation(self) -> bool:
        return self.user is None


def member_import(*, rows: Sequence[ImportRow], invited_by: User) -> tuple[int, int]:
    """Save a checked import: seats for existing accounts, invitations for new e-mails.

    All or nothing; returns the number of memberships and invitations created.
    """
    if any(not row.is_valid for row in rows):
        raise ValueError("an import with errors saves nothing")
    memberships = invitations = 0
    with transaction.atomic():
        for row in rows:
            assert row.organisation is not None
            if not role_fits(row.organisation.kind, row.role):
                raise ValueError(f"role {row.role!r} is not given by {row.organisation.kind}")
            if row.user is not None:
                membership = Membership.objects.create(
                    user=row.user,
                    organisation=row.organisation,
                    role=row.role,
                    position=row.position,
                    affiliation=row.affiliation,
                )
                record(
                    Action.MEMBERSHIP_CREATED,
                    actor=invited_by,
                    state=row.organisation.state_id,
                    target=membership,
                    role=row.role,
                )
                memberships += 1
            else:
                invitation_create(
                    organisation=row.organisation,
                    email=row.email,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    role=row.role,
                    position=row.position,
                    affiliation=row.affiliation,
                    invited_by=invited_by,
                )
                invitations += 1
    return memberships, invitations
