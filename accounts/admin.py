from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AccessibilityFeedback


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin[AccessibilityFeedback]):
    """Read and delete only: feedback is written by its senders and answered in the portal."""

    list_display = ("created_at", "state", "page", "name", "email", "wants_reply", "answered_at")
    list_filter = ("state", "wants_reply", ("answered_at", admin.EmptyFieldListFilter))
    search_fields = ("page", "name", "email", "message")
    date_hierarchy = "created_at"
    list_select_related = ("state",)
    raw_id_fields = ("sender", "answered_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
