"""The funding request: a council's application from draft to closed file, with its state
machine and the terms frozen at the decision."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from core.queries import InSubquery
from councils.models import Organisation, Region, StateNetwork
from councils.topics import Topic

from .common import PROOF_DUE_MONTHS, ZERO, FinancingType, add_months
from .programmes import Programme, Tier
from .statuses import (
    DECIDED,
    EDITABLE,
    FUNDED,
    PAYABLE,
    TERMS_FIELDS,
    Decision,
    DecisionTerms,
    S,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


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
        # The ways of reading joined by OR, the assigned requests as an array read once before
        # the scan (InSubquery): PostgreSQL answers each branch from its index (a BitmapOr for
        # counts and filter choices) and walks the order index for a page of the list. A plain
        # IN (subquery) under OR was checked on every request of every state; IN (… UNION ALL
        # …) collected all ids of the user's states before sorting them for one page.
        readable = Q(InSubquery("pk", reviewer_request_ids(user)))
        if staff_states:
            readable |= Q(state_id__in=staff_states) & ~Q(status=S.DRAFT)
        if councils:
            readable |= Q(applicant_id__in=councils)
        return self.filter(readable)

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
    from .reviews import FundingRequestReviewer

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
            # The state dashboard's pipeline counts (by status, with the overdue and four-eyes
            # counts) and its open payments are read from this index alone (index-only scans).
            models.Index(
                fields=["state", "status"],
                include=["id", "end_date", "proposed_by"],
                name="request_state_status",
            ),
            # The state dashboard's overdue proofs: the state's requests awaiting their proof,
            # oldest end first (the statuses of funding.payments.reminders.AWAITING_PROOF).
            models.Index(
                fields=["state", "end_date", "id"],
                condition=models.Q(status__in=["approved", "payment_requested", "paid"]),
                name="request_awaiting_proof",
            ),
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["applicant", "status"]),
            models.Index(fields=["status", "end_date"]),
            # The lists' default order (newest first): the first page is read from the index
            # instead of sorting every request (platform admins read all states').
            models.Index(fields=["created_at", "id"], name="funding_request_created"),
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
