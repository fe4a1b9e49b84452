"""Invitations: list, create, revoke, send again, and accept by link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fragments import lazy_values
from core.web import acting_user, paginate, parameter_id

from .. import services
from ..choosers import SUGGEST, suggestions
from ..filters import InvitationFilter
from ..forms import (
    AcceptInvitationForm,
    InvitationForm,
)
from ..models import (
    Invitation,
    Organisation,
    User,
)
from ..permissions import (
    forget_memberships,
    get_invitation_for_admin,
    require_state_administration,
)
from ._common import _post

# Invitations ---------------------------------------------------------------------------------


@require_GET
@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    require_state_administration(request.user)
    # A chooser's options (htmx), built eagerly: they are the response.
    if request.GET.get(SUGGEST) and (
        (options := suggestions(request, _invitation_filter(request))) is not None
    ):
        return options
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(_invitation_listing, request, names=("filter", "page"))
    return render(request, "councils/invitation_list.html", listing)


def _invitation_filter(request: HttpRequest) -> InvitationFilter:
    queryset = (
        Invitation.objects.administered_by(request.user)
        .select_related("organisation__state", "invited_by", "accepted_by")
        .order_by("-created_at", "-pk")
    )
    return InvitationFilter(request.GET or None, queryset=queryset, request=request)


def _invitation_listing(request: HttpRequest) -> dict[str, Any]:
    filterset = _invitation_filter(request)
    return {"filter": filterset, "page": paginate(request, filterset.qs)}


@require_http_methods(["GET", "POST"])
@login_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    require_state_administration(request.user)
    if request.GET.get(SUGGEST):
        # htmx asks for the organisations matching the search (the chooser's options).
        chooser = InvitationForm(user=request.user, choose_from=request.GET)
        if (options := suggestions(request, chooser)) is not None:
            return options
    wanted = parameter_id(request.GET.get("organisation"))
    # From an organisation's page the organisation is fixed and only its roles are offered.
    fixed = (
        Organisation.objects.administered_by(request.user).filter(is_active=True, pk=wanted).first()
        if wanted is not None
        else None
    )
    form = InvitationForm(
        _post(request), user=request.user, organisation=fixed, suggest_url=request.path
    )
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            invited_by=acting_user(request), **form.cleaned_data
        )
        messages.success(
            request,
            _("The invitation to %(email)s is being sent.") % {"email": invitation.email},
        )
        return redirect("councils:invitation_list")
    return render(request, "councils/invitation_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_admin(request.user, pk)
    if request.method == "POST":
        if invitation.is_pending:
            services.invitation_revoke(invitation=invitation, by=acting_user(request))
            messages.success(
                request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
            )
        else:
            messages.info(request, _("This invitation is no longer open."))
        return redirect("councils:invitation_list")
    return render(request, "councils/invitation_revoke.html", {"invitation": invitation})


@require_POST
@login_required
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an open or expired invitation again with a new link."""
    invitation = get_invitation_for_admin(request.user, pk)
    if invitation.accepted_at or invitation.revoked_at:
        messages.error(request, _("Accepted or revoked invitations cannot be sent again."))
    else:
        services.invitation_resend(invitation=invitation)
        messages.success(
            request,
            _("The invitation to %(email)s is being sent again with a new link.")
            % {"email": invitation.email},
        )
    return redirect("councils:invitation_list")


def _unavailable(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    """Unknown links answer 404; used, revoked or expired ones 410 Gone."""
    return render(
        request,
        "councils/invitation_unavailable.html",
        {"invitation": invitation},
        status=404 if invitation is None else 410,
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation e-mail: create an account, or add the seat to one's account."""
    invitation = Invitation.find_by_token(token)
    if invitation is None or not invitation.is_pending:
        return _unavailable(request, invitation)
    accounts = list(User.objects.filter(email__iexact=invitation.email, is_active=True))
    context: dict[str, Any] = {"invitation": invitation}
    user = request.user
    if user.is_authenticated:
        if user.pk not in {account.pk for account in accounts}:
            return render(request, "councils/invitation_accept.html", {**context, "mode": "other"})
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=acting_user(request))
            except services.InvitationNotPending:
                return _unavailable(request, invitation)
            forget_memberships(user)
            messages.success(
                request,
                _("Welcome to %(organisation)s!") % {"organisation": invitation.organisation},
            )
            return redirect(invitation.organisation)
        return render(request, "councils/invitation_accept.html", {**context, "mode": "confirm"})
    if accounts:
        login_url = reverse("login") + "?" + urlencode({"next": request.path})
        return render(
            request,
            "councils/invitation_accept.html",
            {**context, "mode": "login", "login_url": login_url},
        )
    form = AcceptInvitationForm(_post(request), invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.user_create_from_invitation(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["new_password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except services.InvitationNotPending:
            return _unavailable(request, invitation)
        login(request, account, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Welcome to %(organisation)s!") % {"organisation": invitation.organisation}
        )
        return redirect("dashboard")
    return render(
        request, "councils/invitation_accept.html", {**context, "mode": "register", "form": form}
    )
