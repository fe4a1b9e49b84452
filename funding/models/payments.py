"""Instalments of an approved grant (Mittelabruf) with their state machine and its log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.transitions import TransitionLog

from .requests import FundingRequest


class PaymentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    RELEASED = "released", _("Released")
    PAID = "paid", _("Paid")


PS = PaymentStatus


class Payment(ConcurrentTransitionMixin, models.Model):
    """An instalment the applicant calls (Mittelabruf); staff release it and mark it paid."""

    request = models.ForeignKey(FundingRequest, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    status = FSMField(
        _("status"), max_length=10, choices=PS.choices, default=PS.REQUESTED, protected=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        ordering = ["request_id", "requested_at", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]
        indexes = [
            # The state office's open payments (dashboard, to release and to mark paid): a few
            # hundred among the hundreds of thousands paid, found without walking every request.
            models.Index(
                fields=["request"],
                condition=Q(status__in=[PS.REQUESTED, PS.RELEASED]),
                name="payment_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} – {self.amount}"

    # Transitions: only these change the status; services call them through ``fire``. --------

    @transition(field=status, source=PS.REQUESTED, target=PS.RELEASED)
    def release(self) -> None:
        """Staff approve the instalment for payment."""

    @transition(field=status, source=PS.RELEASED, target=PS.PAID)
    def mark_paid(self) -> None:
        """The cash office has paid the instalment."""


class PaymentStatusChange(TransitionLog):
    """Every transition of a payment: who, when, from, to and why."""

    subject_field = "payment"

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=PS.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=PS.choices)

    class Meta:
        ordering = ["payment_id", "at", "pk"]
        verbose_name = _("payment status change")
        verbose_name_plural = _("payment status changes")
