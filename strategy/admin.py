"""Django admin of the strategy for platform admins."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.uploads import DOCUMENTS, checked_file_fields

from .models import (
    Goal,
    GoalLink,
    Indicator,
    IndicatorValue,
    ProgressReport,
    Strategy,
    StrategyStatusChange,
)


class StrategyStatusChangeInline(admin.TabularInline[StrategyStatusChange, Strategy]):
    model = StrategyStatusChange
    extra = 0
    fields = readonly_fields = ("at", "from_status", "to_status", "by", "reason")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """The log is written by the state machine only."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "state", "version", "status", "audience", "adopted_on"]
    list_filter = ["state", "status", "audience"]
    list_select_related = ["state"]
    search_fields = ["title"]
    raw_id_fields = ["predecessor", "adopted_by"]
    # The status changes only through the state machine (adopt, archive), never in a form.
    readonly_fields = ["status"]
    inlines = [StrategyStatusChangeInline]


class IndicatorInline(admin.TabularInline[Indicator, Goal]):
    model = Indicator
    extra = 0


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "strategy", "level", "position", "status", "weight", "progress"]
    list_filter = ["level", "status", "strategy__state"]
    list_select_related = ["strategy"]
    search_fields = ["title", "strategy__title"]
    raw_id_fields = ["strategy", "parent", "copied_from"]
    filter_horizontal = ["responsible"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ["name", "unit", "goal", "baseline", "target", "target_date"]
    list_select_related = ["goal"]
    search_fields = ["name", "goal__title"]
    raw_id_fields = ["goal"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin[IndicatorValue]):
    list_display = ["indicator", "value", "measured_on", "source", "entered_by"]
    list_select_related = ["indicator", "entered_by"]
    raw_id_fields = ["indicator", "entered_by"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin[ProgressReport]):
    list_display = ["measure", "organisation", "percent", "status", "created_at"]
    list_select_related = ["measure", "organisation"]
    raw_id_fields = ["measure", "organisation", "reported_by"]
    formfield_overrides = checked_file_fields(DOCUMENTS)


@admin.register(GoalLink)
class GoalLinkAdmin(admin.ModelAdmin[GoalLink]):
    list_display = ["goal", "content_type", "object_id", "created_at"]
    list_select_related = ["goal", "content_type"]
    raw_id_fields = ["goal"]
