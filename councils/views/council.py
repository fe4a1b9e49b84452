"""A council kept by its coordinators: roster and its exports, history, profile, invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.fragments import lazy
from core.web import acting_user, paginate, serve_file

from .. import services
from ..forms import CouncilProfileForm, InvitationForm
from ..history import council_history
from ..models import Organisation, Position, StateNetwork
from ..permissions import can_keep_council, get_council_for_user, is_state_admin
from ..roster import council_roster, roster_csv, roster_pdf
from ._common import _files, _post


@require_GET
@login_required
def council_roster_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The council's members with position, affiliation, home organisation and term."""
    council = get_council_for_user(request.user, pk)
    # Lazy: the roster is a cached fragment (core.fragments), computed on a miss only.
    return render(
        request,
        "councils/council_roster.html",
        {
            "council": council,
            "roster": lazy(council_roster, council),
            "can_keep": lazy(can_keep_council, request.user, council),
            "is_admin": lazy(is_state_admin, request.user, council.state_id),
        },
    )


@require_GET
@login_required
def council_roster_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return roster_csv(council_roster(get_council_for_user(request.user, pk)))


@require_GET
@login_required
def council_roster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return roster_pdf(council_roster(get_council_for_user(request.user, pk)))


@require_GET
@login_required
def council_history_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of the council's seats, profile and invitations, who made it and when."""
    council = get_council_for_user(request.user, pk)
    return render(
        request,
        "councils/council_history.html",
        {"council": council, "page": paginate(request, council_history(council))},
    )


@require_http_methods(["GET", "POST"])
@login_required
def council_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinators' profile form; the region and the name stay with the state admin."""
    council = get_council_for_user(request.user, pk, keep=True)
    form = CouncilProfileForm(_post(request), _files(request), instance=council)
    if request.method == "POST" and form.is_valid():
        services.council_profile_update(
            council=council,
            **{name: form.cleaned_data[name] for name in services.COUNCIL_PROFILE_FIELDS},
        )
        messages.success(request, _("The profile was saved."))
        return redirect(council)
    if request.method == "POST":
        council.refresh_from_db()  # the heading keeps the saved name, the form what was typed
    return render(request, "councils/council_profile_form.html", {"council": council, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def council_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a person into this council, with one of the council's roles only."""
    council = get_council_for_user(request.user, pk, keep=True)
    form = InvitationForm(_post(request), user=request.user, organisation=council)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "organisation": council}  # never the posted organisation
        invitation = services.invitation_create(invited_by=acting_user(request), **data)
        messages.success(
            request,
            _("The invitation to %(email)s is being sent.") % {"email": invitation.email},
        )
        return redirect("councils:council_roster", pk=council.pk)
    return render(request, "councils/council_invite.html", {"council": council, "form": form})


def _logo_is_public(council: Organisation) -> bool:
    return bool(
        council.public_logo and council.is_active and council.state.is_active and council.is_council
    )


@require_GET
def council_logo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The council's logo: for everyone when it is public, else for people of its state."""
    council = Organisation.objects.councils().select_related("state").filter(pk=pk).first()
    if council is None or not council.logo:
        raise Http404
    if not _logo_is_public(council) and not (
        Organisation.objects.visible_to(request.user).filter(pk=council.pk).exists()
    ):
        raise Http404
    response = serve_file(council.logo, as_attachment=False)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def public_profile(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A council's public profile: only what its coordinators marked as public."""
    state = get_object_or_404(StateNetwork, slug=slug, is_active=True)
    council = get_object_or_404(
        Organisation.objects.public_directory().select_related("region", "state"),
        state=state,
        pk=pk,
    )
    chair = None
    if council.public_chair:
        chair = (
            council.memberships.active()
            .filter(position=Position.CHAIR)
            .select_related("user")
            .order_by("start_date", "pk")
            .first()
        )
    return render(
        request,
        "councils/public_profile.html",
        {
            "council": council,
            "chair": chair,
            "show_logo": bool(council.logo) and council.public_logo,
        },
    )
