"""Django admin for platform admins: state networks, organisations, memberships, people."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    StateNetwork,
    User,
)


class RegionInline(admin.TabularInline[Region, StateNetwork]):
    model = Region
    extra = 0
    fields = ["name", "description"]


@admin.register(StateNetwork)
class StateNetworkAdmin(admin.ModelAdmin[StateNetwork]):
    list_display = ["name", "code", "slug", "is_active", "council_count", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "code", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RegionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[StateNetwork]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _council_count=Count(
                    "organisations",
                    filter=Q(organisations__kind=OrganisationKind.MUNICIPAL_COUNCIL),
                )
            )
        )

    @admin.display(description=_("councils"), ordering="_council_count")
    def council_count(self, obj: Any) -> int:
        return int(obj._council_count)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["name", "state", "council_count"]
    list_select_related = ["state"]
    list_filter = ["state"]
    search_fields = ["name", "state__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        return super().get_queryset(request).annotate(_council_count=Count("councils"))

    @admin.display(description=_("councils"), ordering="_council_count")
    def council_count(self, obj: Any) -> int:
        return int(obj._council_count)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "state", "kind", "region", "city", "is_active"]
    list_select_related = ["state", "region"]
    list_filter = ["state", "kind", "is_active", "region"]
    search_fields = ["name", "city", "email"]
    filter_horizontal = ["served_regions"]
    fieldsets = [
        (
            None,
            {"fields": ["state", "kind", "name", "region", "served_regions", "area", "is_active"]},
        ),
        (_("Profile"), {"fields": ["description", "founded_on"]}),
        (
            _("Contact"),
            {"fields": ["email", "phone", "website", "street", "postcode", "city"]},
        ),
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "region":
            kwargs["queryset"] = Region.objects.select_related("state")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "served_regions":
            kwargs["queryset"] = Region.objects.select_related("state")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = [
        "user",
        "organisation",
        "state",
        "role",
        "position",
        "affiliation",
        "start_date",
        "end_date",
    ]
    list_select_related = ["user", "organisation__state"]
    list_filter = ["role", "position", "affiliation", "organisation__state"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "organisation__name",
    ]
    autocomplete_fields = ["user", "organisation"]
    date_hierarchy = "start_date"

    @admin.display(description=_("state"), ordering="organisation__state__name")
    def state(self, obj: Membership) -> StateNetwork:
        return obj.organisation.state


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    """Invitations are made in the portal, which mails the token; here they are read or revoked."""

    list_display = [
        "email",
        "organisation",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "status",
    ]
    list_select_related = ["organisation__state", "invited_by"]
    list_filter = ["role", "organisation__state"]
    search_fields = ["email", "first_name", "last_name", "organisation__name"]
    readonly_fields = ["created_at", "accepted_at", "accepted_by", "invited_by"]
    autocomplete_fields = ["organisation"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token made here could never reach the invitee: the portal sends it by e-mail.
        return False

    @admin.display(description=_("status"))
    def status(self, obj: Invitation) -> str:
        if obj.accepted_at:
            return str(_("accepted"))
        if obj.revoked_at:
            return str(_("revoked"))
        return str(_("pending")) if obj.is_pending else str(_("expired"))


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["organisation", "role", "position", "affiliation", "start_date", "end_date"]
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_superuser",
        "membership_count",
        "last_login",
    ]
    list_filter = ["is_active", "is_superuser", "is_staff", "memberships__organisation__state"]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # A subquery, not Count(): the state filter joins memberships again and would multiply it.
        per_user = (
            Membership.objects.filter(user=OuterRef("pk"))
            .order_by()
            .values("user")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(_membership_count=Coalesce(Subquery(per_user), 0))
        )

    @admin.display(description=_("memberships"), ordering="_membership_count")
    def membership_count(self, obj: Any) -> int:
        return int(obj._membership_count)
