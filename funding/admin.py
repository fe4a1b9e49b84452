"""Django admin of the funding for platform admins acting as support.

Programmes and letter templates can be kept here. Requests, their money and their log change
only through the portal's workflow (state machine, budget lock, four-eyes): the admin shows
them read-only, so support can look without bypassing a rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.uploads import DOCUMENTS, checked_file_fields

from .models import (
    Attachment,
    CostLine,
    ExportJob,
    FundingRequest,
    Letter,
    LetterTemplate,
    Payment,
    PaymentStatusChange,
    Programme,
    ProofOfUse,
    Receipt,
    Review,
    StatusChange,
    Submission,
    Tier,
)


class ReadOnlyMixin:
    """Look, never add, change or delete: the workflow keeps these rows."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TierInline(admin.TabularInline[Tier, Programme]):
    model = Tier
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "state", "source", "budget", "committed", "paid", "is_active"]
    list_filter = ["state", "year", "source", "is_active"]
    list_select_related = ["state"]
    search_fields = ["title"]
    readonly_fields = ["committed", "paid"]
    inlines = [TierInline]
    formfield_overrides = checked_file_fields(DOCUMENTS)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        """An existing programme keeps its state: its requests carry that state as tenant key."""
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "state"] if obj is not None else fields


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["state", "kind", "subject", "updated_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["state"]


class CostLineInline(ReadOnlyMixin, admin.TabularInline[CostLine, FundingRequest]):
    model = CostLine
    extra = 0


class AttachmentInline(ReadOnlyMixin, admin.TabularInline[Attachment, FundingRequest]):
    model = Attachment
    extra = 0
    fields = readonly_fields = ("title", "file", "uploaded_by", "uploaded_at")


class StatusChangeInline(ReadOnlyMixin, admin.TabularInline[StatusChange, FundingRequest]):
    model = StatusChange
    extra = 0
    fields = readonly_fields = ("at", "from_status", "to_status", "by", "reason")


@admin.register(FundingRequest)
class FundingRequestAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "applicant",
        "programme",
        "status",
        "requested_amount",
        "approved_amount",
        "submitted_at",
    ]
    list_filter = ["status", "programme__state", "programme__year"]
    list_select_related = ["applicant", "programme"]
    search_fields = ["title", "carrier_name", "applicant__name"]
    inlines = [CostLineInline, AttachmentInline, StatusChangeInline]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyMixin, admin.ModelAdmin[Submission]):
    list_display = ["request", "round", "submitted_by", "submitted_at"]
    list_select_related = ["request", "submitted_by"]
    search_fields = ["request__title"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyMixin, admin.ModelAdmin[Review]):
    list_display = ["request", "reviewer", "round", "vote", "recommended_amount", "created_at"]
    list_select_related = ["request", "reviewer"]
    list_filter = ["vote"]


@admin.register(Letter)
class LetterAdmin(ReadOnlyMixin, admin.ModelAdmin[Letter]):
    list_display = ["request", "kind", "created_at"]
    list_select_related = ["request"]
    list_filter = ["kind"]


class PaymentStatusChangeInline(ReadOnlyMixin, admin.TabularInline[PaymentStatusChange, Payment]):
    model = PaymentStatusChange
    extra = 0
    fields = readonly_fields = ("at", "from_status", "to_status", "by", "reason")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyMixin, admin.ModelAdmin[Payment]):
    list_display = ["request", "amount", "status", "requested_at", "released_at", "paid_at"]
    list_select_related = ["request"]
    list_filter = ["status"]
    inlines = [PaymentStatusChangeInline]


class ReceiptInline(ReadOnlyMixin, admin.TabularInline[Receipt, ProofOfUse]):
    model = Receipt
    extra = 0


@admin.register(ProofOfUse)
class ProofOfUseAdmin(ReadOnlyMixin, admin.ModelAdmin[ProofOfUse]):
    list_display = ["request", "submitted_at", "checked_by", "checked_at"]
    list_select_related = ["request", "checked_by"]
    inlines = [ReceiptInline]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyMixin, admin.ModelAdmin[ExportJob]):
    list_display = ["user", "state", "format", "status", "done", "total", "created_at"]
    list_select_related = ["user", "state"]
    list_filter = ["status", "format"]
