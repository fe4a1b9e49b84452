"""Django admin of the reporting periods and exchange reports, for platform admins.

Periods can be kept here (support corrects a title or a due date). Reports, their events and
the reminders change only through the portal (state machine, version check, reminder task):
the admin shows them read-only, so support can look without bypassing a rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ExchangeReport,
    OfferedResource,
    ReportAttachment,
    ReportEvent,
    ReportingPeriod,
    ReportReminder,
    ReportTopic,
)


class ReadOnlyMixin:
    """Look, never add, change or delete: the workflow keeps these rows."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["title", "state", "starts_on", "ends_on", "due_on", "overdue_notice_sent_at"]
    list_filter = ["state"]
    list_select_related = ["state"]
    search_fields = ["title"]
    readonly_fields = ["overdue_notice_sent_at", "created_by", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The state of an existing period stays: its reports belong to the state's NGOs.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "state"] if obj is not None else fields


class ReportTopicInline(ReadOnlyMixin, admin.TabularInline[ReportTopic, ExchangeReport]):
    model = ReportTopic
    extra = 0


class OfferedResourceInline(ReadOnlyMixin, admin.TabularInline[OfferedResource, ExchangeReport]):
    model = OfferedResource
    extra = 0
    fields = readonly_fields = ("position", "kind", "title", "description")


class ReportAttachmentInline(ReadOnlyMixin, admin.TabularInline[ReportAttachment, ExchangeReport]):
    model = ReportAttachment
    extra = 0
    fields = readonly_fields = ("title", "file", "uploaded_by", "uploaded_at")


class ReportEventInline(ReadOnlyMixin, admin.TabularInline[ReportEvent, ExchangeReport]):
    model = ReportEvent
    extra = 0
    fields = readonly_fields = ("at", "from_status", "to_status", "by", "reason")


@admin.register(ExchangeReport)
class ExchangeReportAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["ngo", "period", "status", "version", "submitted_at", "updated_at"]
    list_filter = ["status", "period__state"]
    list_select_related = ["ngo", "period"]
    search_fields = ["ngo__name", "period__title"]
    inlines = [ReportTopicInline, OfferedResourceInline, ReportAttachmentInline, ReportEventInline]


@admin.register(ReportReminder)
class ReportReminderAdmin(ReadOnlyMixin, admin.ModelAdmin[ReportReminder]):
    list_display = ["period", "ngo", "kind", "sent_at"]
    list_filter = ["kind", "period__state"]
    list_select_related = ["period", "ngo"]
    search_fields = ["ngo__name", "period__title"]
