"""Public pages and health checks."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.accessibility import (
    AccessibilityFeedbackForm,
    count_feedback,
    feedback_allowed,
    feedback_submit,
    initial_state,
    page_concerned,
)
from audit.middleware import request_address
from core.web import paginate
from councils.models import Organisation, OrganisationKind, StateNetwork, User
from spaces.dashboard import with_public_space

#: Councils per page in the public directory of a state.
DIRECTORY_PAGE_SIZE = 25


def _public_states() -> list[StateNetwork]:
    """Active state networks with their numbers of active councils and NGOs, in one query."""
    return list(
        StateNetwork.objects.filter(is_active=True).annotate(
            council_count=Count("organisations", filter=Organisation.council_filter()),
            ngo_count=Count(
                "organisations",
                filter=Q(organisations__kind=OrganisationKind.NGO, organisations__is_active=True),
            ),
        )
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Start page: what the portal is, for whom, and the way to each state's directory."""
    return render(request, "lpr_portal/home.html", {"states": _public_states()})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Alive: answers without touching the database."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready when the database answers; Redis is reported, but its absence keeps the node in.

    Every web node shares the one Redis, so a Redis that is down would take every node out of
    the load balancer at once, although the portal serves without it: sessions, lock-outs and
    the e-mail outbox are in PostgreSQL, and tasks queued while it is down stay pending in the
    database (core.queueing) until the periodic tasks catch up. The answer says "degraded".
    """
    checks: dict[str, str] = {}
    degraded = False
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means not ready
        checks["database"] = f"error: {exc.__class__.__name__}"
        ok = False
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # connection refused, timeout, auth
            checks["redis"] = f"error: {exc.__class__.__name__}"
            degraded = True
    status = "unavailable" if not ok else "degraded" if degraded else "ok"
    return JsonResponse({"status": status, **checks}, status=200 if ok else 503)


@require_GET
def imprint(request: HttpRequest) -> HttpResponse:
    """Impressum of the operator configured in settings.IMPRINT."""
    return render(request, "lpr_portal/imprint.html", {"imprint": settings.IMPRINT})


#: The known non-conforming parts of settings.ACCESSIBILITY_STATEMENT["non_conforming"]; other
#: entries are the operator's own text and shown as written.
NON_CONFORMING_PARTS = {
    "uploaded_documents": gettext_lazy(
        "Documents uploaded by councils and NGOs (for example PDF files of analyses, guidelines "
        "or reports) are not always accessible. We ask all authors to upload accessible documents "
        "and provide the content in another form on request."
    ),
    "letters_pdf": gettext_lazy(
        "Funding notices (Bescheide) generated as PDF files are not yet fully tagged for screen "
        "readers. On request we send the content as accessible text."
    ),
    "sign_language": gettext_lazy("There is no information in German Sign Language yet."),
}


def _statement_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def accessibility(request: HttpRequest) -> HttpResponse:
    """Accessibility statement (Erklärung zur Barrierefreiheit, BITV 2.0) with the feedback form.

    The form's message goes to the admins of the chosen state network; a robot that fills in the
    hidden field is told the same as a person, and nothing is stored.
    """
    statement = dict(settings.ACCESSIBILITY_STATEMENT)
    host = request.get_host()
    status = 200
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST, host=host)
        address = request_address(request) or "unknown"
        if not feedback_allowed(address):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "You have sent several messages within the last hour. Please try again "
                    "later or write us an e-mail."
                ),
            )
            status = 429
        elif form.is_spam or form.is_valid():
            if not form.is_spam:
                data = form.cleaned_data
                feedback_submit(
                    state=data["state"],
                    sender=request.user,
                    message=data["message"],
                    page=data["page"],
                    name=data["name"],
                    email=data["email"],
                    wants_reply=data["wants_reply"],
                )
            count_feedback(address)
            messages.success(
                request,
                _(
                    "Thank you. Your message has been sent to the administrators of the state "
                    "network. If you asked for an answer, we reply within two weeks."
                ),
            )
            return redirect("accessibility")
    else:
        form = AccessibilityFeedbackForm(
            host=host,
            initial={"page": page_concerned(request), "state": initial_state(request)},
        )
    return render(
        request,
        "lpr_portal/accessibility.html",
        {
            "statement": statement,
            "conformance": statement.get("conformance", "partial"),
            "non_conforming": [
                NON_CONFORMING_PARTS.get(item, item)
                for item in statement.get("non_conforming", NON_CONFORMING_PARTS)
            ],
            "prepared_on": _statement_date(statement.get("prepared_on", "")),
            "reviewed_on": _statement_date(statement.get("reviewed_on", "")),
            "imprint": settings.IMPRINT,
            "form": form,
        },
        status=status,
    )


@require_GET
def easy_language(request: HttpRequest) -> HttpResponse:
    """The portal explained in Leichte Sprache (BITV 2.0 § 4); in English, in plain English."""
    return render(
        request,
        "lpr_portal/easy_language.html",
        {
            "imprint": settings.IMPRINT,
            "conformance": settings.ACCESSIBILITY_STATEMENT.get("conformance", "partial"),
        },
    )


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """Public list of the state networks, each with its number of councils."""
    return render(request, "lpr_portal/directory.html", {"states": _public_states()})


@require_GET
def directory_state(request: HttpRequest, slug: str) -> HttpResponse:
    """Public directory of one state's councils by region, with search and region filter."""
    state = get_object_or_404(StateNetwork, slug=slug, is_active=True)
    regions = list(state.regions.order_by("name"))
    query = request.GET.get("q", "").strip()[:100]
    region_id = request.GET.get("region", "")
    selected_region = next((r for r in regions if str(r.pk) == region_id), None)

    councils = with_public_space(
        Organisation.objects.public_directory()
        .filter(state=state)
        .select_related("region")
        .order_by("region__name", "name")
    )
    if query:
        councils = councils.filter(Q(name__icontains=query) | Q(city__icontains=query))
    if selected_region is not None:
        councils = councils.filter(region=selected_region)

    page = paginate(request, councils, DIRECTORY_PAGE_SIZE)
    # Pagination links keep the search and the region filter.
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "lpr_portal/directory_state.html",
        {
            "state": state,
            "regions": regions,
            "query": query,
            "selected_region": selected_region,
            "page": page,
            "councils": page.object_list,
            "filtered": bool(query or selected_region),
            "querystring": params.urlencode(),
        },
    )


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a signed-in person's choice is also kept for their e-mails."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and getattr(user, "language", language) != language
    ):
        # One column of the person's own row, nothing derived from it: no service needed.
        User.objects.filter(pk=user.pk).update(language=language)
    return response
