"""The proof of use (Verwendungsnachweis) with its list of receipts, and the reminders of
its deadline."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .common import ZERO, CostCategory
from .requests import FundingRequest


class ProofOfUse(models.Model):
    """The proof of use (Verwendungsnachweis): report, actual financing and receipts."""

    request = models.OneToOneField(FundingRequest, on_delete=models.CASCADE, related_name="proof")
    report = models.TextField(_("narrative report"), blank=True)
    actual_own_contribution = models.DecimalField(
        _("own contribution spent"),
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        max_digits=12,
        decimal_places=2,
    )
    actual_third_party_funds = models.DecimalField(
        _("third-party funds received"),
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        max_digits=12,
        decimal_places=2,
    )
    participants = models.PositiveIntegerField(_("participants reached"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    check_note = models.TextField(_("result of the check"), blank=True)

    class Meta:
        verbose_name = _("proof of use")
        verbose_name_plural = _("proofs of use")

    def __str__(self) -> str:
        return f"{_('Proof of use')} – {self.request}"


def receipt_upload_to(instance: Receipt, filename: str) -> str:
    return f"funding/receipts/{instance.proof.request_id}/{filename}"


class Receipt(models.Model):
    """One receipt in the proof of use's list of receipts (Belegliste)."""

    proof = models.ForeignKey(ProofOfUse, on_delete=models.CASCADE, related_name="receipts")
    date = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    amount = models.DecimalField(
        _("amount"),
        validators=[MinValueValidator(Decimal("0.01"))],
        max_digits=12,
        decimal_places=2,
    )
    file = models.FileField(
        _("receipt file"), upload_to=receipt_upload_to, blank=True, max_length=300
    )
    #: Set when the retention task deleted the file (the row stays for the accounts).
    file_deleted_at = models.DateTimeField(
        _("file deleted after the retention period"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["proof_id", "date", "pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.payee} {self.amount}"


class ReminderKind(models.TextChoices):
    PROOF_SOON = "proof_soon", _("Proof of use due soon")
    PROOF_OVERDUE = "proof_overdue", _("Proof of use overdue")


class Reminder(models.Model):
    """A reminder that went out; the unique key makes a second run send nothing twice."""

    request = models.ForeignKey(FundingRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["request_id", "sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="reminder_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.request} – {self.kind}"
