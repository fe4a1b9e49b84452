"""What the applicant adds to a request besides its fields: the cost plan's lines and the
attached documents."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .common import CostCategory
from .requests import FundingRequest


class CostLine(models.Model):
    """One line of the cost plan."""

    request = models.ForeignKey(FundingRequest, on_delete=models.CASCADE, related_name="cost_lines")
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(
        _("amount"),
        validators=[MinValueValidator(Decimal("0.01"))],
        max_digits=12,
        decimal_places=2,
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["request_id", "position", "pk"]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cost_line_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    return f"funding/requests/{instance.request_id}/{filename}"


class Attachment(models.Model):
    """A document attached to a request; downloaded only through an access-checked view."""

    request = models.ForeignKey(
        FundingRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    #: Set when the retention task deleted the file (the row stays for the accounts).
    file_deleted_at = models.DateTimeField(
        _("file deleted after the retention period"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["request_id", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title
