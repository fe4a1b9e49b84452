"""Privacy pages: the privacy statement, a person's data as JSON and erasing a person."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from core.web import acting_user, paginate
from councils.models import Membership
from councils.permissions import require_state_administration

from . import privacy
from .signals import personal_data_exported

# The refusals of privacy.erase_refusal, for makemessages.
_REFUSALS = (
    gettext_noop("You cannot erase yourself."),
    gettext_noop("Only a platform admin can erase a platform admin."),
    gettext_noop("This person has already been erased."),
)


@require_GET
def privacy_statement(request: HttpRequest) -> HttpResponse:
    """Datenschutzerklärung: controller, purposes, legal bases, retention, rights, the DPO."""
    return render(
        request,
        "accounts/privacy/statement.html",
        {
            "imprint": settings.IMPRINT,
            "privacy": settings.PRIVACY,
            "retention_years": settings.RETENTION_YEARS,
        },
    )


@login_required
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    """The signed-in person's data as a JSON download (Art. 15 and 20 DSGVO)."""
    user = acting_user(request)
    body = json.dumps(privacy.personal_data(user), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="meine-daten-{day}.json"'
    personal_data_exported.send(sender=data_export, user=user, request=request)
    return response


@login_required
@require_GET
def erasure_list(request: HttpRequest) -> HttpResponse:
    """State admins: their state's people, searchable, each with a link to erase them."""
    user = acting_user(request)
    require_state_administration(user)
    people = privacy.erasable_people(user).exclude(username__startswith=privacy.ERASED_PREFIX)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    page = paginate(request, people.order_by("last_name", "first_name", "username"))
    return render(request, "accounts/privacy/erasure_list.html", {"page": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def erasure_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase one person after a confirmation that says what will happen (Art. 17 DSGVO)."""
    user = acting_user(request)
    require_state_administration(user)
    person = privacy.get_erasable(user, pk)
    refusal = privacy.erase_refusal(person, user)
    if refusal is not None:
        raise PermissionDenied(_(refusal))
    if request.method == "POST":
        name = str(person)
        privacy.erase_person(person=person, by=user)
        messages.success(request, _("%(name)s has been erased.") % {"name": name})
        return redirect("accounts:erasure_list")
    seats = Membership.objects.active().filter(user=person).select_related("organisation")
    return render(
        request,
        "accounts/privacy/erasure_confirm.html",
        {"person": person, "seats": seats},
    )
