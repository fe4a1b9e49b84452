"""Django admin of the working groups and focus topics, for platform admins.

Working groups change status only through the portal (state machine and log): the admin shows
them and their logs read-only. The catalogue of focus topics can be corrected here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.uploads import DOCUMENTS, checked_file_fields

from .models import (
    CouncilFocusTopic,
    CriminologicalAnalysis,
    FocusTopic,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupStatusChange,
)


class ReadOnlyMixin:
    """Look, never add, change or delete: the portal's services keep these rows."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyMixin, admin.ModelAdmin[WorkingGroup]):
    list_display = ["topic", "council", "status", "starts_on", "planned_end", "lead"]
    list_filter = ["status", "council__state"]
    list_select_related = ["council", "lead"]
    search_fields = ["topic", "council__name"]


@admin.register(WorkingGroupStatusChange)
class WorkingGroupStatusChangeAdmin(ReadOnlyMixin, admin.ModelAdmin[WorkingGroupStatusChange]):
    list_display = ["group", "from_status", "to_status", "by", "at"]
    list_select_related = ["group", "by"]


@admin.register(WorkingGroupMeeting)
class WorkingGroupMeetingAdmin(ReadOnlyMixin, admin.ModelAdmin[WorkingGroupMeeting]):
    list_display = ["group", "starts_at", "place"]
    list_select_related = ["group"]


@admin.register(FocusTopic)
class FocusTopicAdmin(admin.ModelAdmin[FocusTopic]):
    list_display = ["name", "state", "position", "is_active"]
    list_filter = ["state", "is_active"]
    search_fields = ["name"]


@admin.register(CriminologicalAnalysis)
class CriminologicalAnalysisAdmin(ReadOnlyMixin, admin.ModelAdmin[CriminologicalAnalysis]):
    list_display = ["title", "council", "analysed_on"]
    list_select_related = ["council"]
    formfield_overrides = checked_file_fields(DOCUMENTS)


@admin.register(CouncilFocusTopic)
class CouncilFocusTopicAdmin(ReadOnlyMixin, admin.ModelAdmin[CouncilFocusTopic]):
    list_display = ["council", "topic", "analysis"]
    list_select_related = ["council", "topic", "analysis"]
