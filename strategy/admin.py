"""Django admin of the strategy for platform admins."""

from __future__ import annotations

from django.contrib import admin

from core.uploads import DOCUMENTS, checked_file_fields

from .models import Goal, GoalLink, Indicator, IndicatorValue, ProgressReport, Strategy


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "version", "status", "audience", "adopted_on"]
    list_filter = ["state", "status", "audience"]
    list_select_related = ["state"]
    search_fields = ["title"]
    raw_id_fields = ["predecessor", "adopted_by"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "strategy", "level", "position", "status", "weight", "progress"]
    list_filter = ["level", "status", "strategy__state"]
    list_select_related = ["strategy"]
    search_fields = ["title", "strategy__title"]
    raw_id_fields = ["strategy", "parent", "copied_from"]
    filter_horizontal = ["responsible"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "goal", "baseline", "target", "target_date"]
    list_select_related = ["goal"]
    search_fields = ["name", "goal__title"]
    raw_id_fields = ["goal"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "value", "measured_on", "source", "entered_by"]
    list_select_related = ["indicator", "entered_by"]
    raw_id_fields = ["indicator", "entered_by"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["measure", "organisation", "percent", "status", "created_at"]
    list_select_related = ["measure", "organisation"]
    raw_id_fields = ["measure", "organisation", "reported_by"]
    formfield_overrides = checked_file_fields(DOCUMENTS)


@admin.register(GoalLink)
class GoalLinkAdmin(admin.ModelAdmin):
    list_display = ["goal", "content_type", "object_id", "created_at"]
    list_select_related = ["goal", "content_type"]
    raw_id_fields = ["goal"]
