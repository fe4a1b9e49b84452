"""Django admin of the events, for platform admins (support).

Events can be corrected here; files are checked by content like in the portal. Registrations
and calendar addresses are shown read-only: the waiting list moves only through the services,
and a secret address is renewed or revoked by its person.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from core.uploads import DOCUMENTS, checked_file_fields

from .models import CalendarToken, Event, Registration


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ["title", "council", "kind", "starts_at", "audience", "capacity", "is_cancelled"]
    list_filter = ["state", "kind", "audience", "is_cancelled"]
    list_select_related = ["council"]
    search_fields = ["title", "council__name"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["council", "created_by"]
    readonly_fields = ["state", "uid", "sequence", "created_at", "updated_at"]
    formfield_overrides = {
        **checked_file_fields(DOCUMENTS),
        models.URLField: {"assume_scheme": "https"},
    }


@admin.register(Registration)
class RegistrationAdmin(_ReadOnly, admin.ModelAdmin[Registration]):
    list_display = ["event", "user", "status", "registered_at", "reminded_at"]
    list_filter = ["status"]
    list_select_related = ["event", "user"]
    search_fields = ["event__title", "user__username", "user__last_name"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(_ReadOnly, admin.ModelAdmin[CalendarToken]):
    list_display = ["user", "created_at", "last_used_at"]
    list_select_related = ["user"]
    exclude = ["token"]
