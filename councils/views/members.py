"""Memberships and people in the administration: list, change, end, deactivate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.fragments import lazy_values
from core.web import acting_user, paginate

from .. import services
from ..choosers import SUGGEST, suggestions
from ..filters import MemberFilter
from ..forms import (
    MembershipForm,
)
from ..models import (
    Membership,
    User,
)
from ..permissions import (
    get_membership_for_keeper,
    get_person_for_admin,
    is_state_admin,
    require_state_administration,
    states_not_administered,
)
from ._common import _post

# Members -------------------------------------------------------------------------------------


@require_GET
@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    """Memberships of the administered state networks, active and ended."""
    require_state_administration(request.user)
    if request.GET.get(SUGGEST):  # a chooser's options (htmx)
        filterset = MemberFilter(request.GET, queryset=_members(request), request=request)
        if (options := suggestions(request, filterset)) is not None:
            return options
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(_member_listing, request, names=("filter", "page"))
    return render(request, "councils/member_list.html", listing)


def _members(request: HttpRequest) -> QuerySet[Membership]:
    return (
        Membership.objects.administered_by(request.user)
        .select_related("user", "organisation__state", "organisation__region")
        .annotate(
            # Offers the reset of a lost second factor for the people who have one.
            user_has_second_factor=Exists(
                TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
            )
        )
        .order_by("user__last_name", "user__first_name", "organisation__name", "pk")
    )


def _member_listing(request: HttpRequest) -> dict[str, Any]:
    filterset = MemberFilter(request.GET or None, queryset=_members(request), request=request)
    return {"filter": filterset, "page": paginate(request, filterset.qs)}


@require_http_methods(["GET", "POST"])
@login_required
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a seat: the state admin any of the state, a coordinator those of their council."""
    membership = get_membership_for_keeper(request.user, pk)
    back = _back_url(request, membership)
    form = MembershipForm(_post(request), instance=membership)
    if request.method == "POST" and form.is_valid():
        services.membership_update(
            membership=membership, changed_by=acting_user(request), **form.cleaned_data
        )
        messages.success(
            request, _("The membership of %(person)s was changed.") % {"person": membership.user}
        )
        return redirect(back)
    return render(
        request,
        "councils/membership_form.html",
        {"form": form, "membership": membership, "back_url": back},
    )


def _back_url(request: HttpRequest, membership: Membership) -> str:
    """The state admin returns to the member list, a council's coordinator to its roster."""
    if is_state_admin(request.user, membership.organisation.state_id):
        return reverse("councils:member_list")
    return reverse("councils:council_roster", kwargs={"pk": membership.organisation_id})


@require_http_methods(["GET", "POST"])
@login_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then end a membership today: from now on the person is a former member."""
    membership = get_membership_for_keeper(request.user, pk)
    back = _back_url(request, membership)
    if request.method == "POST":
        services.membership_end(membership=membership, changed_by=acting_user(request))
        messages.success(
            request,
            _(
                "The membership of %(person)s in %(organisation)s has ended today; they are now "
                "a former member."
            )
            % {"person": membership.user, "organisation": membership.organisation},
        )
        return redirect(back)
    return render(
        request, "councils/membership_end.html", {"membership": membership, "back_url": back}
    )


def _get_person_for_admin(user: User | Any, pk: int) -> tuple[User, str]:
    """A person the user administers, and why they may not be deactivated ('' if they may)."""
    person = get_person_for_admin(user, pk)
    if person.pk == user.pk:
        return person, _("You cannot deactivate your own account.")
    if person.is_superuser and not user.is_superuser:
        return person, _(
            "This person is a platform admin; only platform admins can deactivate them."
        )
    foreign_states = states_not_administered(user, person)
    if foreign_states:
        return person, _(
            "This person also belongs to the state network %(states)s, which you do not "
            "administer. Deactivating the account would lock them out there as well. End their "
            "memberships in your state network instead, or ask a platform admin."
        ) % {"states": ", ".join(foreign_states)}
    return person, ""


@require_http_methods(["GET", "POST"])
@login_required
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then lock a person out and end their sessions."""
    person, refusal = _get_person_for_admin(request.user, pk)
    context = {"person": person, "refusal": refusal}
    if refusal:
        return render(request, "councils/user_deactivate.html", context, status=403)
    if request.method == "POST":
        services.user_deactivate(user=person)
        messages.success(
            request,
            _("The account of %(person)s was deactivated and signed out.") % {"person": person},
        )
        return redirect("councils:member_list")
    context["seats"] = (
        Membership.objects.active().filter(user=person).select_related("organisation__state")
    )
    return render(request, "councils/user_deactivate.html", context)
