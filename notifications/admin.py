"""Notifications in the Django admin: support looks up what was sent to whom, and why not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Notification

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


class EmailStateFilter(admin.SimpleListFilter):
    title = _("e-mail")
    parameter_name = "email"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Notification]
    ) -> list[tuple[str, _StrOrPromise]]:
        return [
            ("sent", _("sent")),
            ("due", _("due")),
            ("failed", _("failed at least once")),
            ("none", _("no e-mail")),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Notification]
    ) -> QuerySet[Notification]:
        value = self.value()
        if value == "sent":
            return queryset.filter(email_sent_at__isnull=False)
        if value == "due":
            return queryset.filter(pk__in=Notification.objects.email_due().values("pk"))
        if value == "failed":
            return queryset.filter(email_attempts__gt=0)
        if value == "none":
            return queryset.filter(send_email=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = (
        "subject",
        "recipient",
        "kind",
        "created_at",
        "read_at",
        "email_sent_at",
        "email_attempts",
    )
    list_select_related = ("recipient",)
    list_filter = (EmailStateFilter, "kind", ("read_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("subject", "recipient__username", "recipient__email", "recipient__last_name")
    date_hierarchy = "created_at"
    raw_id_fields = ("recipient",)
    readonly_fields = (
        "subject_msgid",
        "body_msgid",
        "params",
        "created_at",
        "email_sent_at",
        "email_attempts",
        "email_last_error",
    )
    ordering = ("-created_at", "-pk")
