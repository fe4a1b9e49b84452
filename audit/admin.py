from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: nobody adds, changes or deletes an audit entry here."""

    list_display = ("at", "action", "actor_name", "state", "target_label", "ip_address")
    list_filter = ("action", "state")
    search_fields = ("actor_name", "target_label", "summary")
    date_hierarchy = "at"
    list_select_related = ("state",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
