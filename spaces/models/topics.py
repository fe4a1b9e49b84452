"""Focus topics: the state's catalogue and the topics each council chose from its analysis."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from councils.models import Organisation, StateNetwork
from councils.permissions import council_ids, staff_state_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


class FocusTopicQuerySet(models.QuerySet["FocusTopic"]):
    def active(self) -> FocusTopicQuerySet:
        return self.filter(is_active=True)


class FocusTopic(models.Model):
    """A topic of the state's catalogue that councils choose as their focus."""

    state = models.ForeignKey(
        StateNetwork,
        on_delete=models.CASCADE,
        related_name="focus_topics",
        verbose_name=_("state"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Councils can choose only offered topics.")
    )

    objects = FocusTopicQuerySet.as_manager()

    class Meta:
        ordering = ["state_id", "position", "name"]
        verbose_name = _("focus topic")
        verbose_name_plural = _("focus topics")
        constraints = [
            models.UniqueConstraint(fields=["state", "name"], name="focus_topic_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


def council_scope(user: User | AnonymousUser) -> Q | None:
    """The rows the user may read as a filter; None for all (a platform admin)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    return Q(council_id__in=council_ids(user)) | Q(
        council__state_id__in=staff_state_ids(user) or set()
    )


class AnalysisQuerySet(models.QuerySet["CriminologicalAnalysis"]):
    def visible_to(self, user: User | AnonymousUser) -> AnalysisQuerySet:
        """The council's members and the staff of its state."""
        scope = council_scope(user)
        return self.all() if scope is None else self.filter(scope)


class CouncilFocusTopicQuerySet(models.QuerySet["CouncilFocusTopic"]):
    def visible_to(self, user: User | AnonymousUser) -> CouncilFocusTopicQuerySet:
        """The council's members and the staff of its state."""
        scope = council_scope(user)
        return self.all() if scope is None else self.filter(scope)


def analysis_upload_to(instance: CriminologicalAnalysis, filename: str) -> str:
    return f"spaces/analyses/{instance.council_id}/{filename}"


class CriminologicalAnalysis(models.Model):
    """The criminological analysis (Kriminologische Regionalanalyse) a council's topics rest on."""

    council = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="criminological_analyses",
        verbose_name=_("council"),
    )
    title = models.CharField(_("title"), max_length=200)
    analysed_on = models.DateField(_("date of the analysis"))
    summary = models.TextField(_("summary"), max_length=4000)
    file = models.FileField(_("file"), upload_to=analysis_upload_to, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["council_id", "-analysed_on", "-pk"]
        verbose_name = _("criminological analysis")
        verbose_name_plural = _("criminological analyses")

    def __str__(self) -> str:
        return self.title


class CouncilFocusTopic(models.Model):
    """A topic of the catalogue a council works on, with the analysis it was found in."""

    council = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="focus_topics",
        verbose_name=_("council"),
    )
    topic = models.ForeignKey(
        FocusTopic, on_delete=models.CASCADE, related_name="councils", verbose_name=_("topic")
    )
    analysis = models.ForeignKey(
        CriminologicalAnalysis,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("source"),
    )
    created_at = models.DateTimeField(_("chosen"), auto_now_add=True)

    objects = CouncilFocusTopicQuerySet.as_manager()

    class Meta:
        ordering = ["council_id", "topic__position", "topic__name"]
        verbose_name = _("focus topic of a council")
        verbose_name_plural = _("focus topics of councils")
        constraints = [
            models.UniqueConstraint(fields=["council", "topic"], name="council_focus_topic_unique")
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.topic}"
