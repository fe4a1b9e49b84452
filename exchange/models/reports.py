"""Reporting periods and the NGOs' exchange reports with their offered resources.

Each NGO of a state owes one report per reporting period. Several representatives of the NGO
co-edit the draft (``version`` refuses a save over someone else's newer one); a submitted or
accepted report is read by the whole network of the same state, never by another state.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from core.queries import InSubquery
from core.transitions import TransitionLog
from councils.models import (
    Organisation,
    Region,
    StateNetwork,
    user_state_ids,
)
from councils.permissions import staff_state_ids
from councils.topics import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


class ReportingPeriodQuerySet(models.QuerySet["ReportingPeriod"]):
    def visible_to(self, user: User | AnonymousUser) -> ReportingPeriodQuerySet:
        """Periods of the state networks the user belongs to."""
        state_ids = user_state_ids(user)
        return self if state_ids is None else self.filter(state_id__in=state_ids)

    def managed_by(self, user: User | AnonymousUser) -> ReportingPeriodQuerySet:
        """Periods the user sets as state staff (or platform admin)."""
        state_ids = staff_state_ids(user)
        return self if state_ids is None else self.filter(state_id__in=state_ids)


class ReportingPeriod(models.Model):
    """A period (e.g. a half-year) for which every NGO of the state owes one exchange report."""

    state = models.ForeignKey(
        StateNetwork,
        on_delete=models.PROTECT,
        related_name="reporting_periods",
        verbose_name=_("state"),
    )
    title = models.CharField(_("title"), max_length=100, help_text=_("e.g. 1st half of 2026"))
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period until"))
    due_on = models.DateField(_("reports due on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: When the state staff got the one overview of the reports still missing after the due date.
    overdue_notice_sent_at = models.DateTimeField(
        _("overdue overview sent"), null=True, blank=True, editable=False
    )

    objects = ReportingPeriodQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "overdue_notice_sent_at"])

    class Meta:
        ordering = ["state_id", "-starts_on", "-pk"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["state", "title"], name="period_unique_title"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="period_due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:period_detail", kwargs={"pk": self.pk})

    def days_late(self, submitted_on: date | None, today: date | None = None) -> int:
        """Days after the due date the report came (or, unsubmitted, is now); 0 when on time."""
        day = submitted_on or today or timezone.localdate()
        return max((day - self.due_on).days, 0)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with a question")
    ACCEPTED = "accepted", _("Accepted")


R = ReportStatus

#: The NGO may change the report in these states.
REPORT_EDITABLE = (R.DRAFT, R.RETURNED)
#: The whole network of the state reads the report in these states.
REPORT_PUBLISHED = (R.SUBMITTED, R.ACCEPTED)


def _periods_of(state_ids: set[int]) -> models.QuerySet[Any, Any]:
    return ReportingPeriod.objects.filter(state_id__in=state_ids).order_by().values("pk")


class ExchangeReportQuerySet(models.QuerySet["ExchangeReport"]):
    def visible_to(self, user: User | AnonymousUser) -> ExchangeReportQuerySet:
        """Reports the user may read.

        State staff: every report of their states, drafts included; NGO representatives: their
        NGO's reports; every member of a state's network: its submitted and accepted reports.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        from councils.permissions import represented_ngo_ids, staff_state_ids

        staff_states = staff_state_ids(user) or set()
        own_ngos = represented_ngo_ids(user)
        network_states = user_state_ids(user) or set()
        # The states' periods as ids read once (InSubquery), not a join on the period: the
        # branches of the OR are then each answered by an index on the reports (period, NGO)
        # instead of a pass over every report of every state.
        return self.filter(
            Q(InSubquery("period_id", _periods_of(staff_states)))
            | Q(ngo_id__in=own_ngos)
            | (
                Q(InSubquery("period_id", _periods_of(network_states)))
                & Q(status__in=REPORT_PUBLISHED)
            )
        )

    def published(self) -> ExchangeReportQuerySet:
        return self.filter(status__in=REPORT_PUBLISHED)


class ExchangeReport(models.Model):
    """An NGO's report for one period: what it did and learned, what it offers and needs."""

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("reporting period"),
    )
    ngo = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="exchange_reports",
        verbose_name=_("NGO"),
    )
    status = FSMField(_("status"), default=R.DRAFT, choices=R.choices, protected=True)
    activities = models.TextField(_("activities"), blank=True)
    findings = models.TextField(_("experiences and findings"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="exchange_reports", verbose_name=_("regions")
    )
    #: Raised by every save of the content; a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ExchangeReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["period_id", "ngo__name", "pk"]
        verbose_name = _("exchange report")
        verbose_name_plural = _("exchange reports")
        constraints = [
            models.UniqueConstraint(fields=["period", "ngo"], name="report_one_per_period_and_ngo")
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    #: The relations __str__ reads: lists of linked objects select them (strategy goal page).
    str_related = ("ngo", "period")

    def __str__(self) -> str:
        return f"{self.ngo} – {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:report_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in REPORT_EDITABLE

    @property
    def is_published(self) -> bool:
        return self.status in REPORT_PUBLISHED

    @property
    def days_late(self) -> int:
        """Days after the period's due date it was submitted (or, unsubmitted, is now)."""
        submitted = timezone.localdate(self.submitted_at) if self.submitted_at else None
        return self.period.days_late(submitted)

    # Transitions: only these change the status; services call them and record the log. ------

    @transition(field=status, source=[R.DRAFT, R.RETURNED], target=R.SUBMITTED)
    def submit(self) -> None:
        """The NGO submits (or, after a question, resubmits) its report."""

    @transition(field=status, source=R.SUBMITTED, target=R.RETURNED)
    def return_with_question(self) -> None:
        """Staff send the report back with a question."""

    @transition(field=status, source=R.SUBMITTED, target=R.ACCEPTED)
    def accept(self) -> None:
        """Staff accept the report."""


class ReportTopic(models.Model):
    """One prevention topic a report is about (a row, so lists filter and group by topic)."""

    report = models.ForeignKey(ExchangeReport, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)

    class Meta:
        ordering = ["report_id", "topic"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["report", "topic"], name="report_topic_unique")
        ]

    def __str__(self) -> str:
        return self.get_topic_display()


class ReportEvent(TransitionLog):
    """Every status change of a report: who, when, from, to and the question or answer."""

    subject_field = "report"

    report = models.ForeignKey(ExchangeReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=R.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=R.choices)
    # The question of the state office or the NGO's answer that went with the step.
    reason = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["report_id", "at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")


class ResourceKind(models.TextChoices):
    SPEAKERS = "speakers", _("Speakers")
    TRAINING = "training", _("Training")
    MATERIAL = "material", _("Material")
    ROOMS = "rooms", _("Rooms")
    KNOW_HOW = "know_how", _("Know-how")


class OfferedResource(models.Model):
    """A resource the NGO offers to the network in its report; can become a catalogue offer."""

    report = models.ForeignKey(ExchangeReport, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report_id", "position", "pk"]
        verbose_name = _("offered resource")
        verbose_name_plural = _("offered resources")

    def __str__(self) -> str:
        return self.title


def report_attachment_upload_to(instance: ReportAttachment, filename: str) -> str:
    return f"exchange/reports/{instance.report_id}/{filename}"


class ReportAttachment(models.Model):
    """A document attached to a report; downloaded only through an access-checked view."""

    report = models.ForeignKey(ExchangeReport, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=report_attachment_upload_to, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["report_id", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class ReportReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Report due soon")
    OVERDUE = "overdue", _("Report overdue")


class ReportReminder(models.Model):
    """A reminder that went out to an NGO; the unique key makes a second run send nothing twice."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    ngo = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ReportReminderKind.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["period_id", "ngo_id", "sent_at"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "ngo", "kind"], name="report_reminder_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} – {self.ngo} – {self.kind}"
