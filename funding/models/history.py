"""The record of a request: the frozen copy of every submission and every status change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.transitions import TransitionLog

from .requests import FundingRequest
from .statuses import S


class Submission(models.Model):
    """A frozen copy of the request as submitted; reviewers compare two of them."""

    request = models.ForeignKey(
        FundingRequest, on_delete=models.CASCADE, related_name="submissions"
    )
    round = models.PositiveSmallIntegerField(_("submission"))
    data = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["request_id", "round"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["request", "round"], name="submission_unique_round")
        ]

    def __str__(self) -> str:
        return f"{self.request} #{self.round}"


class StatusChange(TransitionLog):
    """Every transition of a request: who, when, from, to and why."""

    subject_field = "request"

    request = models.ForeignKey(
        FundingRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=30, choices=S.choices)
    to_status = models.CharField(_("to"), max_length=30, choices=S.choices)

    class Meta:
        ordering = ["request_id", "at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
