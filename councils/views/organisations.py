"""Organisation profiles, the switcher, and the administration of organisations and regions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fragments import lazy_values
from core.web import paginate

from .. import services
from ..filters import OrganisationFilter
from ..forms import (
    OrganisationForm,
    RegionForm,
)
from ..models import (
    Membership,
    Organisation,
    Position,
    Region,
    User,
)
from ..permissions import (
    ACTIVE_MEMBERSHIP_SESSION_KEY,
    active_memberships,
    can_keep_council,
    can_read_roster,
    get_organisation_for_user,
    is_state_admin,
    require_state_administration,
)
from ._common import _post


@require_POST
@login_required
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Make another of the user's memberships the active one."""
    wanted = request.POST.get("membership", "")
    memberships = {str(m.pk): m for m in active_memberships(request.user)}
    if wanted in memberships:
        request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = memberships[wanted].pk
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "dashboard")


@require_GET
@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Profile of an organisation of the user's state: contact, region, roster."""
    organisation = get_organisation_for_user(request.user, pk)
    roster = list(
        organisation.memberships.active()
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    leaders = [m for m in roster if m.position != Position.MEMBER]
    return render(
        request,
        "councils/organisation_detail.html",
        {
            "organisation": organisation,
            "roster": roster,
            "leaders": leaders,
            "served_regions": organisation.served_regions.all(),
            "can_manage": is_state_admin(request.user, organisation.state_id),
            "can_keep": organisation.is_council and can_keep_council(request.user, organisation),
            "can_read_roster": organisation.is_council
            and can_read_roster(request.user, organisation),
        },
    )


# Organisations -------------------------------------------------------------------------------


@require_GET
@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The organisations of the state networks the user administers, with their members.

    The members are counted for the page's organisations after paginating (one query); a
    count of every organisation, joining all their memberships, only when sorted by it.
    """
    require_state_administration(request.user)
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(_organisation_listing, request, names=("filter", "page"))
    return render(request, "councils/organisation_list.html", listing)


def _organisation_listing(request: HttpRequest) -> dict[str, Any]:
    queryset = (
        Organisation.objects.administered_by(request.user)
        .select_related("state", "region")
        .order_by("name", "pk")
    )
    filterset = OrganisationFilter(request.GET or None, queryset=queryset, request=request)
    page = paginate(request, filterset.qs)
    _count_members(list(page.object_list))
    return {"filter": filterset, "page": page}


def _count_members(organisations: list[Organisation]) -> None:
    """Set ``member_count`` (active seats) on the organisations that have none yet."""
    uncounted = [o for o in organisations if not hasattr(o, "member_count")]
    if not uncounted:
        return
    counts = dict(
        Membership.objects.active()
        .filter(organisation__in=uncounted)
        .order_by()
        .values_list("organisation")
        .annotate(n=Count("pk"))
    )
    for organisation in uncounted:
        organisation.member_count = counts.get(organisation.pk, 0)  # type: ignore[attr-defined]


def _organisation_fields(form: OrganisationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {name: data[name] for name in services.ORGANISATION_FIELDS}


@require_http_methods(["GET", "POST"])
@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    require_state_administration(request.user)
    form = OrganisationForm(_post(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(
            state=form.cleaned_data["state"],
            served_regions=form.cleaned_data["served_regions"],
            **_organisation_fields(form),
        )
        messages.success(
            request, _("The organisation %(name)s was created.") % {"name": organisation}
        )
        return redirect(organisation)
    return render(request, "councils/organisation_form.html", {"form": form, "organisation": None})


@require_http_methods(["GET", "POST"])
@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, pk, manage=True)
    form = OrganisationForm(_post(request), instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=organisation,
            served_regions=form.cleaned_data["served_regions"],
            **_organisation_fields(form),
        )
        messages.success(request, _("The changes were saved."))
        return redirect(organisation)
    return render(
        request, "councils/organisation_form.html", {"form": form, "organisation": organisation}
    )


# Regions -------------------------------------------------------------------------------------


def _get_region_for_admin(user: User | Any, pk: int) -> Region:
    """A region of the user's states; 404 for another tenant's, 403 without the admin role."""
    region = Region.objects.visible_to(user).select_related("state").filter(pk=pk).first()
    if region is None:
        raise Http404
    if not is_state_admin(user, region.state_id):
        raise PermissionDenied
    return region


@require_GET
@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    require_state_administration(request.user)
    regions = (
        Region.objects.administered_by(request.user)
        .select_related("state")
        .annotate(
            council_count=Count("councils", distinct=True),
            served_count=Count("served_by", distinct=True),
        )
        .order_by("state__name", "name")
    )
    return render(request, "councils/region_list.html", {"page": paginate(request, regions)})


@require_http_methods(["GET", "POST"])
@login_required
def region_create(request: HttpRequest) -> HttpResponse:
    require_state_administration(request.user)
    form = RegionForm(_post(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        region = services.region_create(
            state=form.cleaned_data["state"],
            name=form.cleaned_data["name"].strip(),
            description=form.cleaned_data["description"],
        )
        messages.success(request, _("The region %(name)s was created.") % {"name": region})
        return redirect("councils:region_list")
    return render(request, "councils/region_form.html", {"form": form, "region": None})


@require_http_methods(["GET", "POST"])
@login_required
def region_edit(request: HttpRequest, pk: int) -> HttpResponse:
    region = _get_region_for_admin(request.user, pk)
    form = RegionForm(_post(request), instance=region, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.region_update(
            region=region,
            name=form.cleaned_data["name"].strip(),
            description=form.cleaned_data["description"],
        )
        messages.success(request, _("The changes were saved."))
        return redirect("councils:region_list")
    return render(request, "councils/region_form.html", {"form": form, "region": region})
