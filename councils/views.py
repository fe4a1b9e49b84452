"""Views of the membership part: organisation profiles, the switcher, administration."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.web import acting_user, paginate

from . import services
from .filters import InvitationFilter, MemberFilter, OrganisationFilter
from .forms import (
    AcceptInvitationForm,
    ImportFileError,
    InvitationForm,
    MemberImportForm,
    MembershipForm,
    OrganisationForm,
    RegionForm,
    parse_member_csv,
)
from .models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Position,
    Region,
    Role,
    StateNetwork,
    User,
    active_membership_filter,
)
from .permissions import (
    ACTIVE_MEMBERSHIP_SESSION_KEY,
    active_memberships,
    forget_memberships,
    get_invitation_for_admin,
    get_membership_for_admin,
    get_organisation_for_user,
    is_state_admin,
    require_state_administration,
)

IMPORT_SESSION_KEY = "councils_member_import"


def _post(request: HttpRequest) -> Any:
    """The submitted data of a POST, else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


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
        },
    )


# Organisations -------------------------------------------------------------------------------


@require_GET
@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The organisations of the state networks the user administers."""
    require_state_administration(request.user)
    queryset = (
        Organisation.objects.administered_by(request.user)
        .select_related("state", "region")
        .annotate(
            member_count=Count("memberships", filter=active_membership_filter("memberships__"))
        )
        .order_by("name", "pk")
    )
    filterset = OrganisationFilter(request.GET or None, queryset=queryset, request=request)
    return render(
        request,
        "councils/organisation_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )


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


# Members -------------------------------------------------------------------------------------


@require_GET
@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    """Memberships of the administered state networks, active and ended."""
    require_state_administration(request.user)
    queryset = (
        Membership.objects.administered_by(request.user)
        .select_related("user", "organisation__state", "organisation__region")
        .order_by("user__last_name", "user__first_name", "organisation__name", "pk")
    )
    filterset = MemberFilter(request.GET or None, queryset=queryset, request=request)
    return render(
        request,
        "councils/member_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_admin(request.user, pk)
    form = MembershipForm(_post(request), instance=membership)
    if request.method == "POST" and form.is_valid():
        services.membership_update(membership=membership, **form.cleaned_data)
        messages.success(
            request, _("The membership of %(person)s was changed.") % {"person": membership.user}
        )
        return redirect("councils:member_list")
    return render(
        request, "councils/membership_form.html", {"form": form, "membership": membership}
    )


@require_http_methods(["GET", "POST"])
@login_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then end a membership today: from now on the person is a former member."""
    membership = get_membership_for_admin(request.user, pk)
    if request.method == "POST":
        services.membership_end(membership=membership)
        messages.success(
            request,
            _(
                "The membership of %(person)s in %(organisation)s has ended today; they are now "
                "a former member."
            )
            % {"person": membership.user, "organisation": membership.organisation},
        )
        return redirect("councils:member_list")
    return render(request, "councils/membership_end.html", {"membership": membership})


def _get_person_for_admin(user: User | Any, pk: int) -> tuple[User, str]:
    """A person with a seat in the user's states, and why they may not be deactivated ('' if so).

    404 when the person has no membership the user can see, 403 when none in a state they keep.
    """
    seats = list(
        Membership.objects.visible_to(user)
        .filter(user_id=pk)
        .select_related("user", "organisation__state")
    )
    if not seats:
        raise Http404
    if not any(is_state_admin(user, seat.organisation.state_id) for seat in seats):
        raise PermissionDenied
    person = seats[0].user
    if person.pk == user.pk:
        return person, _("You cannot deactivate your own account.")
    if person.is_superuser and not user.is_superuser:
        return person, _(
            "This person is a platform admin; only platform admins can deactivate them."
        )
    foreign_states = sorted(
        {
            seat.organisation.state.name
            for seat in Membership.objects.active()
            .filter(user=person)
            .exclude(organisation__state__in=StateNetwork.objects.administered_by(user))
            .select_related("organisation__state")
        }
    )
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


# Invitations ---------------------------------------------------------------------------------


@require_GET
@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    require_state_administration(request.user)
    queryset = (
        Invitation.objects.administered_by(request.user)
        .select_related("organisation__state", "invited_by", "accepted_by")
        .order_by("-created_at", "-pk")
    )
    filterset = InvitationFilter(request.GET or None, queryset=queryset, request=request)
    return render(
        request,
        "councils/invitation_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    require_state_administration(request.user)
    wanted = request.GET.get("organisation", "")
    # From an organisation's page the organisation is fixed and only its roles are offered.
    fixed = (
        Organisation.objects.administered_by(request.user)
        .filter(is_active=True, pk=int(wanted))
        .first()
        if wanted.isdigit()
        else None
    )
    form = InvitationForm(_post(request), user=request.user, organisation=fixed)
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
            services.invitation_revoke(invitation=invitation)
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


# CSV import ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def member_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload a CSV file and see every row checked; nothing is saved yet."""
    require_state_administration(request.user)
    form = MemberImportForm(_post(request), _files(request), user=request.user)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        rows = form.rows
        valid = all(row.is_valid for row in rows)
        if valid:
            request.session[IMPORT_SESSION_KEY] = form.text
        else:
            request.session.pop(IMPORT_SESSION_KEY, None)
            form = MemberImportForm(user=request.user)
        context.update(
            form=form,
            rows=rows,
            valid=valid,
            error_count=sum(1 for row in rows if not row.is_valid),
        )
    return render(request, "councils/member_import.html", context)


@require_POST
@login_required
def member_import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: check the kept file again and save it in one go."""
    require_state_administration(request.user)
    text = request.session.get(IMPORT_SESSION_KEY)
    if not text:
        messages.error(request, _("Please upload the file again."))
        return redirect("councils:member_import")
    try:
        rows = parse_member_csv(text, request.user)
    except ImportFileError as error:
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.error(request, str(error))
        return redirect("councils:member_import")
    if not all(row.is_valid for row in rows):
        # Something changed since the preview (a new member, a renamed organisation).
        request.session.pop(IMPORT_SESSION_KEY, None)
        return render(
            request,
            "councils/member_import.html",
            {
                "form": MemberImportForm(user=request.user),
                "rows": rows,
                "valid": False,
                "error_count": sum(1 for row in rows if not row.is_valid),
            },
        )
    memberships, invitations = services.member_import(rows=rows, invited_by=acting_user(request))
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(
        request,
        _(
            "Import finished: %(memberships)d memberships added to existing accounts (without "
            "notification), %(invitations)d invitations sent."
        )
        % {"memberships": memberships, "invitations": invitations},
    )
    return redirect("councils:member_list")


@require_GET
@login_required
def member_import_example(request: HttpRequest) -> HttpResponse:
    """An example CSV file with organisations of the user's own state network."""
    require_state_administration(request.user)
    organisations = Organisation.objects.administered_by(request.user).filter(is_active=True)
    council = organisations.filter(kind=OrganisationKind.MUNICIPAL_COUNCIL).first()
    ngo = organisations.filter(kind=OrganisationKind.NGO).first()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mitglieder-beispiel.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["email", "first_name", "last_name", "organisation", "role", "position", "affiliation"]
    )
    writer.writerow(
        [
            "erika.musterfrau@example.org",
            "Erika",
            "Musterfrau",
            council.name if council else "Präventionsrat Musterstadt",
            Role.COUNCIL_COORDINATOR,
            Position.MANAGING_OFFICE,
            "administration",
        ]
    )
    writer.writerow(
        [
            "max.mustermann@example.org",
            "Max",
            "Mustermann",
            council.name if council else "Präventionsrat Musterstadt",
            Role.COUNCIL_MEMBER,
            Position.MEMBER,
            "police",
        ]
    )
    if ngo:
        writer.writerow(
            [
                "jana.beispiel@example.org",
                "Jana",
                "Beispiel",
                ngo.name,
                Role.NGO_REPRESENTATIVE,
                Position.MEMBER,
                "association",
            ]
        )
    return response
