"""Invitations: single-use links by e-mail into an organisation with a role."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Affiliation, Position, Role, role_fits, role_mismatch_message
from .tenancy import Organisation, _scope, user_state_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .tenancy import User


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: After this many failed attempts the periodic task stops trying; "send again" starts over.
INVITATION_EMAIL_MAX_ATTEMPTS = 20


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def with_status(self, status: str) -> InvitationQuerySet:
        """Invitations in one of the states of InvitationStatus."""
        now = timezone.now()
        if status == InvitationStatus.PENDING:
            return self.pending()
        if status == InvitationStatus.ACCEPTED:
            return self.filter(accepted_at__isnull=False)
        if status == InvitationStatus.REVOKED:
            return self.filter(accepted_at__isnull=True, revoked_at__isnull=False)
        if status == InvitationStatus.EXPIRED:
            return self.filter(
                accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
            )
        return self.none()

    def email_due(self) -> InvitationQuerySet:
        """Pending invitations whose e-mail has not gone out yet and is still worth trying."""
        return self.pending().filter(
            email_sent_at__isnull=True, email_attempts__lt=INVITATION_EMAIL_MAX_ATTEMPTS
        )

    def administered_by(self, user: User | AnonymousUser) -> InvitationQuerySet:
        return _scope(
            self, "organisation__state_id__in", user_state_ids(user, roles=(Role.STATE_ADMIN,))
        )


class Invitation(models.Model):
    """A single-use invitation by e-mail into an organisation with a role."""

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=20, choices=Affiliation.choices, default=Affiliation.OTHER
    )
    home_organisation = models.CharField(
        _("home organisation"),
        max_length=200,
        blank=True,
        help_text=_("Where the person comes from, e.g. “Polizeiinspektion Rostock”."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_last_error = models.TextField(_("last e-mail error"), blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(email_sent_at__isnull=True, accepted_at__isnull=True),
                name="invitation_email_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def clean(self) -> None:
        """The role must fit the organisation's kind."""
        if self.organisation_id and self.role and not role_fits(self.organisation.kind, self.role):
            raise ValidationError({"role": role_mismatch_message(self.organisation, self.role)})

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        """A fresh random token and the hash that is stored."""
        token = secrets.token_urlsafe(32)
        return token, _token_digest(token)

    @classmethod
    def default_expiry(cls) -> Any:
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @staticmethod
    def hash_token(token: str) -> str:
        """The stored form of a token."""
        return _token_digest(token)

    @classmethod
    def find_by_token(cls, token: str) -> Invitation | None:
        return (
            cls.objects.select_related("organisation")
            .filter(token_hash=_token_digest(token))
            .first()
        )

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        """One of InvitationStatus, computed from the timestamps."""
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return str(InvitationStatus(self.status).label)
