"""The CSV import of members: upload and preview, confirm, example file."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.web import acting_user

from .. import services
from ..forms import (
    ImportFileError,
    MemberImportForm,
    parse_member_csv,
)
from ..models import (
    Organisation,
    OrganisationKind,
    Position,
    Role,
)
from ..permissions import (
    require_state_administration,
)
from ._common import IMPORT_SESSION_KEY, _files, _post

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
