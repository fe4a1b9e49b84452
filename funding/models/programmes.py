"""Funding programmes of a state network with their budget, rules and tiers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models import StateNetwork, user_state_ids
from councils.permissions import staff_state_ids

from .common import ZERO, CostCategory, FinancingType, FundingSource
from .statuses import RequestStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def visible_to(self, user: User | AnonymousUser) -> ProgrammeQuerySet:
        """Programmes of the state networks the user belongs to."""
        state_ids = user_state_ids(user)
        return self if state_ids is None else self.filter(state_id__in=state_ids)

    def managed_by(self, user: User | AnonymousUser) -> ProgrammeQuerySet:
        """Programmes the user runs as state staff (or platform admin)."""
        state_ids = staff_state_ids(user)
        return self if state_ids is None else self.filter(state_id__in=state_ids)

    def open_on(self, day: date) -> ProgrammeQuerySet:
        """Programmes that accept requests on the day."""
        return self.filter(is_active=True, application_start__lte=day, deadline__gte=day)

    def with_open_claims(self) -> ProgrammeQuerySet:
        """Annotate ``claims_total`` and ``claims_count``: demanded repayments not yet received
        (in the same query)."""
        from django.db.models import Count, OuterRef, Subquery, Sum, Value
        from django.db.models.functions import Coalesce

        from .requests import FundingRequest

        claims = (
            FundingRequest.objects.filter(
                programme=OuterRef("pk"),
                status=RequestStatus.REPAYMENT_DEMANDED,
                repayment_amount__gt=models.F("repaid_amount"),
            )
            .order_by()
            .values("programme")
        )
        money = models.DecimalField(max_digits=14, decimal_places=2)
        return self.annotate(
            claims_total=Coalesce(
                Subquery(
                    claims.annotate(
                        total=Sum(models.F("repayment_amount") - models.F("repaid_amount"))
                    ).values("total"),
                    output_field=money,
                ),
                Value(ZERO),
                output_field=money,
            ),
            claims_count=Coalesce(
                Subquery(claims.annotate(n=Count("pk")).values("n")),
                Value(0),
            ),
        )


def guideline_upload_to(instance: Programme, filename: str) -> str:
    return f"funding/guidelines/{instance.state_id}/{filename}"


def conditions_upload_to(instance: Programme, filename: str) -> str:
    return f"funding/conditions/{instance.state_id}/{filename}"


class Programme(models.Model):
    """A funding programme of a state network for one year, with its budget and rules."""

    state = models.ForeignKey(
        StateNetwork, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("state")
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source of funds"), max_length=10, choices=FundingSource.choices)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    budget = models.DecimalField(
        _("budget"), validators=[MinValueValidator(ZERO)], max_digits=12, decimal_places=2
    )
    committed = models.DecimalField(
        _("committed"), default=ZERO, editable=False, max_digits=12, decimal_places=2
    )
    paid = models.DecimalField(
        _("paid"), default=ZERO, editable=False, max_digits=12, decimal_places=2
    )
    guideline = models.FileField(
        _("funding guideline"), upload_to=guideline_upload_to, blank=True, max_length=300
    )
    min_own_share = models.DecimalField(
        _("minimum own contribution (%)"),
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(100))],
        max_digits=5,
        decimal_places=2,
    )
    financing_type = models.CharField(
        _("financing type"), max_length=10, choices=FinancingType.choices
    )
    application_start = models.DateField(_("applications from"))
    deadline = models.DateField(_("application deadline"))
    allows_early_start = models.BooleanField(
        _("projects may start before the decision"), default=False
    )
    four_eyes_threshold = models.DecimalField(
        _("four-eyes threshold"),
        validators=[MinValueValidator(ZERO)],
        help_text=_("Decisions above this amount need a second staff member."),
        max_digits=12,
        decimal_places=2,
    )
    retained_share = models.DecimalField(
        _("retained until proof of use (%)"),
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(100))],
        max_digits=5,
        decimal_places=2,
    )
    eligible_categories = models.JSONField(_("eligible cost categories"), default=list)
    # The Nebenbestimmungen that become part of every approval letter (ANBest-P or the
    # programme's own): referenced by name and version, and attached when a PDF is uploaded.
    conditions_name = models.CharField(
        _("general conditions (Nebenbestimmungen)"),
        max_length=200,
        default="Allgemeine Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-P)",
    )
    conditions_version = models.CharField(
        _("version of the general conditions"), max_length=100, blank=True
    )
    conditions_file = models.FileField(
        _("general conditions (PDF)"), upload_to=conditions_upload_to, blank=True, max_length=300
    )
    receipt_tolerance_days = models.PositiveSmallIntegerField(
        _("receipt date tolerance (days)"),
        default=0,
        validators=[MaxValueValidator(365)],
        help_text=_("Receipts may be dated this many days before or after the project period."),
    )
    deviation_share = models.DecimalField(
        _("flagged deviation from the cost plan (%)"),
        default=Decimal("20.00"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(100))],
        max_digits=6,
        decimal_places=2,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "committed", "paid"])

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "year", "title"], name="programme_unique_title_per_year"
            ),
            models.CheckConstraint(
                condition=Q(committed__lte=models.F("budget")),
                name="programme_committed_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(paid__gte=0),
                name="programme_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("application_start")),
                name="programme_deadline_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Never write committed and paid from a loaded copy: only their F() updates move them.

        A full save of a programme loaded before an approval would otherwise put back the old
        sums (the form in the portal or the admin saves the rules, not the money).
        """
        if self._state.adding or kwargs.get("update_fields") is not None:
            super().save(*args, **kwargs)
            return
        kwargs["update_fields"] = [
            f.name
            for f in self._meta.concrete_fields
            if not f.primary_key and f.name not in ("committed", "paid")
        ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("funding:programme_detail", kwargs={"pk": self.pk})

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    def is_open(self, day: date) -> bool:
        return self.is_active and self.application_start <= day <= self.deadline

    def category_labels(self) -> list[str]:
        return [str(CostCategory(c).label) for c in self.eligible_categories if c in CostCategory]


class Tier(models.Model):
    """A size class of a programme with its maximum requested amount (e.g. up to 1,000 €)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=100)
    max_amount = models.DecimalField(
        _("maximum amount"),
        validators=[MinValueValidator(Decimal("0.01"))],
        max_digits=12,
        decimal_places=2,
    )

    class Meta:
        ordering = ["programme_id", "max_amount", "pk"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="tier_unique_name"),
            models.CheckConstraint(condition=Q(max_amount__gt=0), name="tier_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name
