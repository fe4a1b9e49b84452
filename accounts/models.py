"""Feedback on barriers in the portal (BITV 2.0): sent from the accessibility statement."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import Role, StateNetwork, User, user_state_ids

#: The longest message the form takes (characters).
FEEDBACK_MAX_LENGTH = 5000


class AccessibilityFeedbackQuerySet(models.QuerySet["AccessibilityFeedback"]):
    def visible_to(self, user: User | AnonymousUser) -> AccessibilityFeedbackQuerySet:
        """Platform admins: all feedback; state admins: their states'; everyone else: none."""
        state_ids = user_state_ids(user, roles=(Role.STATE_ADMIN,))
        if state_ids is None:
            return self
        return self.filter(state_id__in=state_ids)

    def open(self) -> AccessibilityFeedbackQuerySet:
        return self.filter(answered_at__isnull=True)


class AccessibilityFeedback(models.Model):
    """A barrier someone reported, for the admins of one state network to answer."""

    state = models.ForeignKey(
        StateNetwork,
        on_delete=models.PROTECT,
        related_name="accessibility_feedback",
        verbose_name=_("state network"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed-in sender"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    wants_reply = models.BooleanField(_("answer requested"), default=False)
    page = models.CharField(_("page concerned"), max_length=500, blank=True)
    message = models.TextField(_("message"), max_length=FEEDBACK_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    objects = AccessibilityFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["state", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.page or '–'}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
