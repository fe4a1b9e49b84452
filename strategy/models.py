"""The state strategy: a versioned tree of goals and measures, indicators and progress."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from core.transitions import TransitionLog
from councils.models import Organisation, StateNetwork, user_state_ids
from councils.permissions import staff_state_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


class Audience(models.TextChoices):
    MUNICIPAL_COUNCILS = "municipal_councils", _("Municipal prevention councils")
    NGOS = "ngos", _("Statewide NGOs")
    ALL = "all", _("Whole network")


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    ARCHIVED = "archived", _("Archived")


class Level(models.IntegerChoices):
    """The depth of an item in the tree; a child is always one level below its parent."""

    GUIDING_GOAL = 0, _("Guiding goal")
    STRATEGIC_GOAL = 1, _("Strategic goal")
    OPERATIONAL_GOAL = 2, _("Operational goal")
    MEASURE = 3, _("Measure")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class StrategyQuerySet(models.QuerySet["Strategy"]):
    def visible_to(self, user: User | AnonymousUser) -> StrategyQuerySet:
        """Adopted and archived strategies of the user's states; drafts only for state staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        member_states = user_state_ids(user) or set()
        staff_states = staff_state_ids(user) or set()
        return self.filter(
            Q(state_id__in=staff_states)
            | Q(
                state_id__in=member_states,
                status__in=[StrategyStatus.ADOPTED, StrategyStatus.ARCHIVED],
            )
        )


SS = StrategyStatus


class Strategy(ConcurrentTransitionMixin, models.Model):
    """One version of a state strategy; adopting freezes it, a new version is a draft copy."""

    state = models.ForeignKey(
        StateNetwork, on_delete=models.PROTECT, related_name="strategies", verbose_name=_("state")
    )
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    status = FSMField(
        _("status"), max_length=10, choices=SS.choices, default=SS.DRAFT, protected=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    predecessor = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name=_("previous version"),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StrategyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["state__name", "title", "-version"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "title", "version"], name="strategy_unique_version"
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(adopted_on__isnull=False),
                name="strategy_adopted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("strategy:strategy_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        """Only drafts change; an adopted version is frozen."""
        return bool(self.status == StrategyStatus.DRAFT)

    # Transitions: only these change the status; services call them through ``fire``. --------

    @transition(field=status, source=SS.DRAFT, target=SS.ADOPTED)
    def adopt(self) -> None:
        """The state office adopts the draft: it is frozen from now on."""

    @transition(field=status, source=SS.ADOPTED, target=SS.ARCHIVED)
    def archive(self) -> None:
        """A newer version was adopted: this one is kept for the record."""


class StrategyStatusChange(TransitionLog):
    """Every transition of a strategy version: who, when, from, to and why."""

    subject_field = "strategy"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=SS.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=SS.choices)

    class Meta:
        ordering = ["strategy_id", "at", "pk"]
        verbose_name = _("strategy status change")
        verbose_name_plural = _("strategy status changes")


class GoalQuerySet(models.QuerySet["Goal"]):
    def visible_to(self, user: User | AnonymousUser) -> GoalQuerySet:
        """Items of the strategies the user may read."""
        return self.filter(strategy__in=Strategy.objects.visible_to(user))

    def linked_to(self, obj: models.Model) -> GoalQuerySet:
        """Items an object of the portal (funding request, exchange report) is linked to."""
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(links__content_type=content_type, links__object_id=obj.pk)


class Goal(models.Model):
    """An item of the strategy tree: guiding goal, strategic goal, operational goal or measure."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="goals", verbose_name=_("strategy")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    position = models.PositiveIntegerField(pgettext_lazy("sort order", "position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="responsible_for",
        verbose_name=_("responsible organisations"),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeasureStatus.choices, blank=True, default=""
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Share in the parent's progress; without weights all items count equally."),
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Measures only: the latest reported progress."),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
        help_text=_("The item of the previous version this one was copied from."),
    )

    objects = GoalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy_id", "level", "position", "pk"]
        verbose_name = _("goal or measure")
        verbose_name_plural = _("goals and measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=0), name="goal_weight_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="goal_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="goal_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(level=Level.GUIDING_GOAL, parent__isnull=True)
                | Q(level__gt=Level.GUIDING_GOAL, parent__isnull=False),
                name="goal_only_guiding_goal_is_root",
            ),
            models.UniqueConstraint(
                fields=["strategy"],
                condition=Q(level=Level.GUIDING_GOAL),
                name="goal_one_guiding_goal_per_strategy",
            ),
        ]
        indexes = [models.Index(fields=["strategy", "parent", "position"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:goal_detail", kwargs={"pk": self.pk})

    @property
    def is_measure(self) -> bool:
        return self.level == Level.MEASURE

    @property
    def is_overdue(self) -> bool:
        """A measure past its end date that is neither done nor dropped."""
        return (
            self.is_measure
            and self.end_date is not None
            and self.end_date < timezone.localdate()
            and self.status not in (MeasureStatus.DONE, MeasureStatus.DROPPED)
        )


class Indicator(models.Model):
    """A measurable sign of a goal's or measure's progress."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("goal")
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("e.g. %, councils, events"))
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    target_date = models.DateField(_("target date"))

    class Meta:
        ordering = ["goal_id", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__gt=models.F("baseline_date")),
                name="indicator_target_after_baseline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class IndicatorValue(models.Model):
    """A measured value of an indicator."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    source = models.CharField(_("source"), max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        ordering = ["indicator_id", "measured_on", "pk"]
        verbose_name = _("measured value")
        verbose_name_plural = _("measured values")

    def __str__(self) -> str:
        return f"{self.value} ({self.measured_on})"


def evidence_upload_to(instance: ProgressReport, filename: str) -> str:
    return f"strategy/evidence/{instance.measure.strategy_id}/{filename}"


class ProgressReport(models.Model):
    """A responsible organisation's report on a measure; the newest sets the measure's progress."""

    measure = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="reports", verbose_name=_("measure")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=10, choices=MeasureStatus.choices)
    text = models.TextField(_("report"), max_length=2000)
    evidence = models.FileField(
        _("evidence"), upload_to=evidence_upload_to, blank=True, max_length=300
    )
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_at_most_100")
        ]

    def __str__(self) -> str:
        return f"{self.measure} – {self.percent} %"


class GoalLink(models.Model):
    """Links any object of the portal (funding request, exchange report, event) to a goal."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="links", verbose_name=_("goal")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    linked_object = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        ordering = ["goal_id", "content_type_id", "object_id"]
        verbose_name = _("goal link")
        verbose_name_plural = _("goal links")
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "content_type", "object_id"], name="goal_link_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.goal} ↔ {self.content_type.model} {self.object_id}"
