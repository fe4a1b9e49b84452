"""Django admin of the offer catalogue and the requests for offers, for platform admins.

Offers can be kept here (support corrects a typo, unpublishes an offer). Requests change only
through the portal's steps (state machine, history, notifications): the admin shows them
read-only, so support can look without bypassing a rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Offer, OfferRequest, OfferRequestEvent, OfferTopic


class _ReadOnly:
    """Look, never add, change or delete: the workflow keeps these rows."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OfferTopicInline(admin.TabularInline[OfferTopic, Offer]):
    model = OfferTopic
    extra = 0


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):
    list_display = ["title", "provider", "state", "kind", "statewide", "is_free", "is_active"]
    list_filter = ["state", "kind", "statewide", "is_free", "is_active"]
    list_select_related = ["provider", "state"]
    search_fields = ["title", "description", "provider__name"]
    filter_horizontal = ["regions"]
    raw_id_fields = ["provider", "source", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [OfferTopicInline]


class OfferRequestEventInline(_ReadOnly, admin.TabularInline[OfferRequestEvent, OfferRequest]):
    model = OfferRequestEvent
    extra = 0
    fields = ("at", "from_status", "to_status", "by", "proposed_date", "reason")
    readonly_fields = fields


@admin.register(OfferRequest)
class OfferRequestAdmin(_ReadOnly, admin.ModelAdmin[OfferRequest]):
    list_display = ["offer", "council", "status", "wished_date", "agreed_date", "created_at"]
    list_filter = ["status", "offer__state"]
    list_select_related = ["offer", "council"]
    search_fields = ["offer__title", "council__name", "group"]
    inlines = [OfferRequestEventInline]
