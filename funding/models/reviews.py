"""Reviewing a request: who is assigned (guardian object permissions), their votes and the
staff's and reviewers' discussion."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .common import ZERO
from .requests import FundingRequest


class FundingRequestReviewer(UserObjectPermissionBase):
    """Guardian's object permission with a direct key: who reviews which request."""

    content_object = models.ForeignKey(FundingRequest, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("assigned reviewer")
        verbose_name_plural = _("assigned reviewers")


class FundingRequestGroupPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(FundingRequest, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        """Guardian's group object permission with a direct key (unused by the portal's roles)."""


class Vote(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REDUCE = "reduce", _("Approve a reduced amount")
    REJECT = "reject", _("Reject")


class Review(models.Model):
    """A reviewer's written vote on one submission of a request."""

    request = models.ForeignKey(FundingRequest, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="funding_reviews",
        verbose_name=_("reviewer"),
    )
    round = models.PositiveSmallIntegerField(_("submission"))
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices)
    recommended_amount = models.DecimalField(
        _("recommended amount"),
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        max_digits=12,
        decimal_places=2,
    )
    comment = models.TextField(_("comment"), max_length=8000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["request_id", "created_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "reviewer", "round"], name="review_one_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_vote_display()}"


class Comment(models.Model):
    """A remark in the request's discussion among staff and reviewers (not for the applicant)."""

    request = models.ForeignKey(FundingRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["request_id", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:50]
