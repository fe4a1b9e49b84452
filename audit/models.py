"""The audit log: who did what, when, from where. Entries are written once, never changed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import StateNetwork, User, user_state_ids


class Action(models.TextChoices):
    LOGIN_SUCCEEDED = "login.succeeded", _("Sign-in")
    LOGIN_FAILED = "login.failed", _("Failed sign-in")
    MEMBERSHIP_CREATED = "membership.created", _("Membership created")
    MEMBERSHIP_CHANGED = "membership.changed", _("Membership changed")
    MEMBERSHIP_ENDED = "membership.ended", _("Membership ended")
    INVITATION_SENT = "invitation.sent", _("Invitation sent")
    INVITATION_REVOKED = "invitation.revoked", _("Invitation revoked")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    FUNDING_DECIDED = "funding.decided", _("Funding decision")
    PAYMENT_BOOKED = "payment.booked", _("Payment booked")
    STRATEGY_ADOPTED = "strategy.adopted", _("Strategy adopted")
    EXPORT_CREATED = "export.created", _("Export created")
    PERSON_ERASED = "person.erased", _("Person erased")
    DATA_EXPORTED = "person.data_exported", _("Own data downloaded")
    SECOND_FACTOR_RESET = "person.second_factor_reset", _("Second factor reset")
    ACCESSIBILITY_FEEDBACK_ANSWERED = (
        "accessibility_feedback.answered",
        _("Accessibility feedback answered"),
    )


class ReadOnlyEntry(Exception):
    """Audit entries are never changed or deleted through the portal."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def visible_to(self, user: User | AnonymousUser) -> AuditEntryQuerySet:
        """Platform admins: every entry; state admins: the entries of their states; else none."""
        from councils.models import Role

        state_ids = user_state_ids(user, roles=(Role.STATE_ADMIN,))
        if state_ids is None:
            return self
        return self.filter(state_id__in=state_ids)


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    actor_name = models.CharField(_("name of the person"), max_length=300, blank=True)
    state = models.ForeignKey(
        StateNetwork,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("state"),
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind of object"),
    )
    target_id = models.CharField(_("object number"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    params = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ("-at", "-pk")
        indexes = [models.Index(fields=["state", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.actor_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ReadOnlyEntry("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ReadOnlyEntry("audit entries cannot be deleted")
