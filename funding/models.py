"""Micro-project funding: programmes, requests with cost and financing plans, the decision
workflow, letters, payments and the proof of use.

Money is Decimal with two places. A programme stores what is committed and paid so that a
row lock plus a check constraint can keep approvals within the budget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from core.transitions import TransitionLog
from councils.models import Organisation, Region, StateNetwork, user_state_ids
from councils.permissions import staff_state_ids
from councils.topics import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User

ZERO = Decimal("0.00")

#: The proof of use is due this many months after the project ends.
PROOF_DUE_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (the month's last day when it is shorter)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class FundingSource(models.TextChoices):
    STATE = "state", _("State")
    FEDERAL = "federal", _("Federal")
    OTHER = "other", _("Other")


class FinancingType(models.TextChoices):
    SHARE = "share", _("Share financing (Anteilfinanzierung)")
    DEFICIT = "deficit", _("Deficit financing (Fehlbedarfsfinanzierung)")
    FIXED = "fixed", _("Fixed amount (Festbetragsfinanzierung)")


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    FEES = "fees", _("Fees and honoraria")
    MATERIAL = "material", _("Material and supplies")
    TRAVEL = "travel", _("Travel")
    ROOMS = "rooms", _("Rooms and catering")
    PUBLICITY = "publicity", _("Public relations and printing")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other costs")


# Programmes ----------------------------------------------------------------------------------


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


class LetterKind(models.TextChoices):
    APPROVAL = "approval", _("Approval letter")
    REJECTION = "rejection", _("Rejection letter")


class LetterTemplate(models.Model):
    """The editable text of a state's approval or rejection letter (Django template syntax)."""

    state = models.ForeignKey(
        StateNetwork,
        on_delete=models.CASCADE,
        related_name="letter_templates",
        verbose_name=_("state"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LetterKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["state_id", "kind"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        constraints = [
            models.UniqueConstraint(fields=["state", "kind"], name="letter_template_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.state} – {self.get_kind_display()}"


# Requests ------------------------------------------------------------------------------------


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FORMAL_CHECK = "formal_check", _("Formal check")
    RETURNED = "returned", _("Returned for changes")
    REVIEW = "review", _("In review")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting second approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PAYMENT_REQUESTED = "payment_requested", _("Payment requested")
    PAID = "paid", _("Paid")
    PROOF_SUBMITTED = "proof_submitted", _("Proof of use submitted")
    REPAYMENT_DEMANDED = "repayment_demanded", _("Repayment demanded")
    CLOSED = "closed", _("Closed")


S = RequestStatus

#: The applicant may change the request in these states.
EDITABLE = (S.DRAFT, S.RETURNED)
#: Decided in favour: the amount is committed against the budget.
FUNDED = (
    S.APPROVED,
    S.PAYMENT_REQUESTED,
    S.PAID,
    S.PROOF_SUBMITTED,
    S.REPAYMENT_DEMANDED,
    S.CLOSED,
)
#: Waiting for the state office.
WITH_STAFF = (S.SUBMITTED, S.FORMAL_CHECK, S.REVIEW, S.AWAITING_CONFIRMATION)
#: Payments can be requested in these states.
PAYABLE = (S.APPROVED, S.PAYMENT_REQUESTED, S.PAID)
#: Decided: the terms of the decision are frozen on the request.
DECIDED = (*FUNDED, S.REJECTED)
#: The fields that keep the terms of the decision.
TERMS_FIELDS = [
    "terms_frozen_at",
    "terms_retained_share",
    "terms_min_own_share",
    "terms_financing_type",
    "terms_tier_name",
    "terms_tier_limit",
    "terms_proof_due_months",
]


@dataclass(frozen=True)
class DecisionTerms:
    """The programme's rules a request is held to: frozen at the decision, live before it."""

    retained_share: Decimal
    min_own_share: Decimal
    financing_type: str
    tier_name: str
    tier_limit: Decimal | None
    proof_due: date | None
    frozen: bool

    def get_financing_type_display(self) -> str:
        return str(FinancingType(self.financing_type).label) if self.financing_type else ""


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve in full")
    REDUCE = "reduce", _("Approve a reduced amount")
    REJECT = "reject", _("Reject")


class FundingRequestQuerySet(models.QuerySet["FundingRequest"]):
    def visible_to(self, user: User | AnonymousUser) -> FundingRequestQuerySet:
        """Requests the user may read.

        State staff: every request of their states except drafts; council members: their
        council's requests; assigned reviewers: the requests they review.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        from councils.permissions import council_ids, staff_state_ids

        staff_states = staff_state_ids(user) or set()
        councils = council_ids(user)
        return self.filter(
            (Q(state_id__in=staff_states) & ~Q(status=S.DRAFT))
            | Q(applicant_id__in=councils)
            | Q(pk__in=reviewer_request_ids(user))
        )

    def funded(self) -> FundingRequestQuerySet:
        return self.filter(status__in=FUNDED)

    def bulk_create(
        self, objs: Iterable[FundingRequest], *args: Any, **kwargs: Any
    ) -> list[FundingRequest]:
        """Bulk inserts (demo volumes, tests) keep the tenant key and the decided terms too."""
        rows = list(objs)
        for obj in rows:
            obj.take_state_from_programme()
            if obj.status in DECIDED and obj.terms_frozen_at is None:
                obj.freeze_terms()
        return list(super().bulk_create(rows, *args, **kwargs))

    def for_table(self) -> FundingRequestQuerySet:
        """What every list shows, loaded in the same query."""
        return self.select_related("programme", "applicant", "region", "tier")


def reviewer_request_ids(user: User | AnonymousUser) -> models.QuerySet[Any, Any]:
    """Ids of the requests the user is assigned to review (a guardian object permission)."""
    return FundingRequestReviewer.objects.filter(
        user_id=user.pk or 0, permission__codename="review_fundingrequest"
    ).values("content_object_id")


def _next_status_after_proof_return(request: FundingRequest) -> str:
    return S.PAID if request.paid_amount > 0 else S.APPROVED


class FundingRequest(ConcurrentTransitionMixin, models.Model):
    """A council's request for a micro-project grant, from draft to closed file."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="requests", verbose_name=_("programme")
    )
    # The tenant key: always the programme's state (set in save(), never from a form).
    state = models.ForeignKey(
        StateNetwork,
        on_delete=models.PROTECT,
        related_name="funding_requests",
        editable=False,
        verbose_name=_("state"),
    )
    applicant = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funding_requests",
        verbose_name=_("applicant council"),
    )
    carrier_name = models.CharField(
        _("local project carrier"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when the council itself carries the project."),
    )
    carrier_contact = models.CharField(_("carrier's contact"), max_length=300, blank=True)
    carrier_street = models.CharField(_("carrier's street and number"), max_length=200, blank=True)
    carrier_postcode = models.CharField(_("carrier's postcode"), max_length=10, blank=True)
    carrier_city = models.CharField(_("carrier's city"), max_length=100, blank=True)
    # The address the decision letter goes to, taken from the council's profile at the start.
    applicant_street = models.CharField(
        _("applicant's street and number"), max_length=200, blank=True
    )
    applicant_postcode = models.CharField(_("applicant's postcode"), max_length=10, blank=True)
    applicant_city = models.CharField(_("applicant's city"), max_length=100, blank=True)
    title = models.CharField(_("project title"), max_length=200)
    description = models.TextField(_("project description"), blank=True, max_length=10000)
    aims = models.TextField(_("aims"), blank=True, max_length=10000)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("tier"),
    )
    start_date = models.DateField(_("project start"), null=True, blank=True)
    end_date = models.DateField(_("project end"), null=True, blank=True)
    early_start = models.BooleanField(
        _("start before the decision"),
        default=False,
        help_text=_("Only where the programme allows an early start."),
    )
    total_costs = models.DecimalField(
        _("total costs"), default=ZERO, editable=False, max_digits=12, decimal_places=2
    )
    own_contribution = models.DecimalField(
        _("own contribution"),
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        max_digits=12,
        decimal_places=2,
    )
    third_party_funds = models.DecimalField(
        _("third-party funds"),
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        max_digits=12,
        decimal_places=2,
    )
    requested_amount = models.DecimalField(
        _("requested amount"), default=ZERO, editable=False, max_digits=12, decimal_places=2
    )
    approved_amount = models.DecimalField(
        _("approved amount"), null=True, blank=True, editable=False, max_digits=12, decimal_places=2
    )
    status = FSMField(_("status"), default=S.DRAFT, choices=S.choices, protected=True)
    last_step = models.PositiveSmallIntegerField(_("last step saved"), default=1)
    round = models.PositiveSmallIntegerField(_("submission"), default=0, editable=False)

    # The decision (proposed, and for four-eyes confirmed by a second person).
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, blank=True, editable=False
    )
    proposed_amount = models.DecimalField(
        _("proposed amount"), null=True, blank=True, editable=False, max_digits=12, decimal_places=2
    )
    conditions = models.TextField(_("conditions"), blank=True, editable=False)
    justification = models.TextField(_("justification"), blank=True, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    paid_amount = models.DecimalField(
        _("paid"), default=ZERO, editable=False, max_digits=12, decimal_places=2
    )
    repayment_amount = models.DecimalField(
        _("repayment"), default=ZERO, editable=False, max_digits=12, decimal_places=2
    )
    # A demanded repayment is an open claim until the money is received.
    repaid_amount = models.DecimalField(
        _("repayment received"), default=ZERO, editable=False, max_digits=12, decimal_places=2
    )

    # The programme's terms as the decision used them; later rule changes do not reach them.
    terms_frozen_at = models.DateTimeField(_("terms frozen"), null=True, blank=True, editable=False)
    terms_retained_share = models.DecimalField(
        _("retained share of the decision (%)"),
        null=True,
        blank=True,
        editable=False,
        max_digits=5,
        decimal_places=2,
    )
    terms_min_own_share = models.DecimalField(
        _("minimum own contribution of the decision (%)"),
        null=True,
        blank=True,
        editable=False,
        max_digits=5,
        decimal_places=2,
    )
    terms_financing_type = models.CharField(
        _("financing type of the decision"),
        max_length=10,
        choices=FinancingType.choices,
        blank=True,
        editable=False,
    )
    terms_tier_name = models.CharField(
        _("tier of the decision"), max_length=100, blank=True, editable=False
    )
    terms_tier_limit = models.DecimalField(
        _("tier limit of the decision"),
        null=True,
        blank=True,
        editable=False,
        max_digits=12,
        decimal_places=2,
    )
    terms_proof_due_months = models.PositiveSmallIntegerField(
        _("months to the proof of use (decision)"), null=True, blank=True, editable=False
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)

    objects = FundingRequestQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("funding request")
        verbose_name_plural = _("funding requests")
        permissions = [("review_fundingrequest", "Can review the funding request")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="request_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | (
                    Q(approved_amount__gte=0) & Q(approved_amount__lte=models.F("requested_amount"))
                ),
                name="request_approved_within_requested",
            ),
            models.CheckConstraint(
                condition=Q(own_contribution__gte=0)
                & Q(third_party_funds__gte=0)
                & Q(requested_amount__gte=0)
                & Q(paid_amount__gte=0),
                name="request_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(repaid_amount__gte=0)
                & Q(repaid_amount__lte=models.F("repayment_amount")),
                name="request_repaid_within_demanded",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "status"]),
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["applicant", "status"]),
            models.Index(fields=["status", "end_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """The state always follows the programme: the tenant key cannot diverge from it.

        A decided request that has no frozen terms yet (written outside the decision, as the
        demo does) gets the programme's terms now, so that later changes cannot reach it.
        """
        self.take_state_from_programme()
        extra = ["state"]
        if self.status in DECIDED and self.terms_frozen_at is None:
            self.freeze_terms()
            extra += TERMS_FIELDS
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = list(dict.fromkeys([*update_fields, *extra]))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("funding:request_detail", kwargs={"pk": self.pk})

    def take_state_from_programme(self) -> None:
        """Set the tenant key from the programme (loaded with the request or read once)."""
        if not self.programme_id:
            return
        programme = self._state.fields_cache.get("programme")
        if programme is None or programme.pk != self.programme_id:
            programme = Programme.objects.get(pk=self.programme_id)
            self._state.fields_cache["programme"] = programme
        self.state_id = programme.state_id

    def freeze_terms(self) -> None:
        """Keep the programme's rules as the decision uses them (called by the decision)."""
        from django.utils import timezone

        programme = self.programme
        tier = self.tier if self.tier_id else None
        self.terms_frozen_at = timezone.now()
        self.terms_retained_share = programme.retained_share
        self.terms_min_own_share = programme.min_own_share
        self.terms_financing_type = programme.financing_type
        self.terms_tier_name = tier.name if tier is not None else ""
        self.terms_tier_limit = tier.max_amount if tier is not None else None
        self.terms_proof_due_months = PROOF_DUE_MONTHS

    # Derived values --------------------------------------------------------------------------

    @property
    def terms(self) -> DecisionTerms:
        """The rules that apply: the decision's frozen terms, else the programme's current ones."""
        if self.terms_frozen_at is not None:
            return DecisionTerms(
                retained_share=self.terms_retained_share or ZERO,
                min_own_share=self.terms_min_own_share or ZERO,
                financing_type=self.terms_financing_type,
                tier_name=self.terms_tier_name,
                tier_limit=self.terms_tier_limit,
                proof_due=self.proof_due,
                frozen=True,
            )
        programme = self.programme
        tier = self.tier if self.tier_id else None
        return DecisionTerms(
            retained_share=programme.retained_share,
            min_own_share=programme.min_own_share,
            financing_type=programme.financing_type,
            tier_name=tier.name if tier is not None else "",
            tier_limit=tier.max_amount if tier is not None else None,
            proof_due=add_months(self.end_date, PROOF_DUE_MONTHS) if self.end_date else None,
            frozen=False,
        )

    @property
    def proof_due(self) -> date | None:
        """Six months (as fixed by the decision) after the project ends."""
        months = self.terms_proof_due_months or PROOF_DUE_MONTHS
        return add_months(self.end_date, months) if self.end_date else None

    @property
    def open_claim(self) -> Decimal:
        """What is demanded back and not yet received."""
        return self.repayment_amount - self.repaid_amount

    @property
    def own_share(self) -> Decimal:
        """Own contribution as a percentage of the total costs."""
        if not self.total_costs:
            return ZERO
        return (self.own_contribution * 100 / self.total_costs).quantize(Decimal("0.01"))

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_funded(self) -> bool:
        return self.status in FUNDED

    @property
    def carrier(self) -> str:
        return self.carrier_name or self.applicant.name

    # Transitions: only these change the status; services call them and record the log. ------

    @transition(field=status, source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED)
    def submit(self) -> None:
        """The applicant submits (or resubmits) the complete request."""

    @transition(field=status, source=[S.DRAFT, S.SUBMITTED, S.RETURNED], target=S.WITHDRAWN)
    def withdraw(self) -> None:
        """The applicant withdraws before the state office has started its check."""

    @transition(field=status, source=S.SUBMITTED, target=S.FORMAL_CHECK)
    def start_check(self) -> None:
        """Staff begin the formal check."""

    @transition(field=status, source=[S.SUBMITTED, S.FORMAL_CHECK, S.REVIEW], target=S.RETURNED)
    def return_for_changes(self) -> None:
        """Staff send the request back to the applicant with a reason."""

    @transition(field=status, source=S.FORMAL_CHECK, target=S.REVIEW)
    def start_review(self) -> None:
        """The formal check passed; reviewers give their votes."""

    @transition(field=status, source=[S.FORMAL_CHECK, S.REVIEW], target=S.AWAITING_CONFIRMATION)
    def propose_decision(self) -> None:
        """A decision above the four-eyes threshold waits for a second staff member."""

    @transition(field=status, source=S.AWAITING_CONFIRMATION, target=S.REVIEW)
    def discard_proposal(self) -> None:
        """The second staff member does not confirm; the request is back in review."""

    @transition(
        field=status, source=[S.FORMAL_CHECK, S.REVIEW, S.AWAITING_CONFIRMATION], target=S.APPROVED
    )
    def approve(self) -> None:
        """Approved in full or reduced; the amount is committed against the budget."""

    @transition(
        field=status, source=[S.FORMAL_CHECK, S.REVIEW, S.AWAITING_CONFIRMATION], target=S.REJECTED
    )
    def reject(self) -> None:
        """Rejected with a justification."""

    @transition(field=status, source=list(PAYABLE), target=S.PAYMENT_REQUESTED)
    def request_payment(self) -> None:
        """The applicant asks for an instalment (Mittelabruf)."""

    @transition(field=status, source=S.PAYMENT_REQUESTED, target=S.PAID)
    def mark_paid(self) -> None:
        """Every open payment request has been paid."""

    @transition(field=status, source=[S.APPROVED, S.PAID], target=S.PROOF_SUBMITTED)
    def submit_proof(self) -> None:
        """The applicant submits the proof of use."""

    @transition(
        field=status,
        source=S.PROOF_SUBMITTED,
        target=RETURN_VALUE(S.APPROVED, S.PAID),
    )
    def return_proof(self) -> str:
        """Staff ask for corrections to the proof of use."""
        return _next_status_after_proof_return(self)

    @transition(field=status, source=[S.PROOF_SUBMITTED, S.REPAYMENT_DEMANDED], target=S.CLOSED)
    def close(self) -> None:
        """The proof of use is accepted (or the repayment received): the file is closed."""

    @transition(field=status, source=S.PROOF_SUBMITTED, target=S.REPAYMENT_DEMANDED)
    def demand_repayment(self) -> None:
        """The proof shows money not used as approved: part of it must be paid back."""


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

    class Meta:
        ordering = ["request_id", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


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


def letter_upload_to(instance: Letter, filename: str) -> str:
    return f"funding/letters/{instance.request_id}/{filename}"


class Letter(models.Model):
    """The PDF of an approval or rejection letter (Bescheid), stored with the request."""

    request = models.ForeignKey(FundingRequest, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind"), max_length=10, choices=LetterKind.choices)
    file = models.FileField(_("file"), upload_to=letter_upload_to, max_length=300)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["request_id", "-created_at", "-pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.request}"


# Payments and proof of use -------------------------------------------------------------------


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


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def export_upload_to(instance: ExportJob, filename: str) -> str:
    return f"funding/exports/{instance.user_id}/{filename}"


class ExportJob(models.Model):
    """A CSV/XLSX export of a filtered request list, made by a Celery task with progress."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_exports"
    )
    # The state whose requests the file holds; empty when it spans several (a platform admin).
    state = models.ForeignKey(
        StateNetwork, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    format = models.CharField(_("format"), max_length=4)
    query = models.TextField(_("filter"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_upload_to, blank=True, max_length=300)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.user} {self.format} {self.created_at:%Y-%m-%d}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)
