"""Writes of indicators, measured values and progress reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from councils.models import Organisation

from .models import Goal, Indicator, IndicatorValue, Level, ProgressReport, StrategyStatus

if TYPE_CHECKING:
    from councils.models import User

#: The fields of an indicator's definition.
INDICATOR_FIELDS = ("name", "unit", "baseline", "baseline_date", "target", "target_date")


def _require_draft(goal: Goal) -> None:
    """An adopted or archived strategy is frozen: its indicators' definitions do not change."""
    if goal.strategy.status != StrategyStatus.DRAFT:
        raise PermissionDenied("the strategy is not a draft")


def indicator_create(
    *,
    goal: Goal,
    name: str,
    unit: str,
    baseline: Decimal,
    baseline_date: date,
    target: Decimal,
    target_date: date,
) -> Indicator:
    """Add an indicator to a goal or measure of a draft strategy."""
    _require_draft(goal)
    with transaction.atomic():
        indicator = Indicator(
            goal=goal,
            name=name,
            unit=unit,
            baseline=baseline,
            baseline_date=baseline_date,
            target=target,
            target_date=target_date,
        )
        indicator.full_clean()
        indicator.save()
    return indicator


def indicator_update(
    *,
    indicator: Indicator,
    name: str,
    unit: str,
    baseline: Decimal,
    baseline_date: date,
    target: Decimal,
    target_date: date,
) -> Indicator:
    """Change an indicator's definition while its strategy is a draft."""
    _require_draft(indicator.goal)
    with transaction.atomic():
        indicator.name, indicator.unit = name, unit
        indicator.baseline, indicator.baseline_date = baseline, baseline_date
        indicator.target, indicator.target_date = target, target_date
        indicator.full_clean()
        indicator.save(update_fields=list(INDICATOR_FIELDS))
    return indicator


def indicator_delete(*, indicator: Indicator) -> None:
    """Remove an indicator and its values from a draft strategy."""
    _require_draft(indicator.goal)
    with transaction.atomic():
        indicator.delete()


def indicator_value_add(
    *,
    indicator: Indicator,
    value: Decimal,
    measured_on: date,
    source: str,
    entered_by: User,
) -> IndicatorValue:
    """Record a measured value; adopted strategies still receive values, archived ones not."""
    if indicator.goal.strategy.status == StrategyStatus.ARCHIVED:
        raise PermissionDenied("the strategy is archived")
    with transaction.atomic():
        measured = IndicatorValue(
            indicator=indicator,
            value=value,
            measured_on=measured_on,
            source=source,
            entered_by=entered_by,
        )
        measured.full_clean()
        measured.save()
    return measured


def progress_report_create(
    *,
    measure: Goal,
    organisation: Organisation,
    reported_by: User,
    percent: int,
    status: str,
    text: str,
    evidence: UploadedFile[bytes] | None = None,
) -> ProgressReport:
    """Save a report and make it the measure's current progress and status, both or neither."""
    if measure.level != Level.MEASURE:
        raise ValueError("progress is reported on measures only")
    if measure.strategy.status != StrategyStatus.ADOPTED:
        raise PermissionDenied("progress is reported on adopted strategies only")
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=measure.pk)
        report = ProgressReport(
            measure=locked,
            organisation=organisation,
            reported_by=reported_by,
            percent=percent,
            status=status,
            text=text,
        )
        if evidence:
            report.evidence = evidence
        report.full_clean()
        report.save()
        locked.progress = percent
        locked.status = status
        locked.save(update_fields=["progress", "status"])
    measure.progress, measure.status = percent, status
    return report
