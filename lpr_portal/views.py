"""Public pages and health checks."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from councils.models import Organisation, StateNetwork


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    states = StateNetwork.objects.filter(is_active=True).annotate(
        council_count=Count("organisations", filter=Organisation.council_filter())
    )
    return render(request, "lpr_portal/home.html", {"states": states})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Alive: answers without touching the database."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready: the database and, when configured, Redis answer."""
    checks: dict[str, str] = {}
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
            ok = False
    return JsonResponse({"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503)


@require_GET
def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "lpr_portal/imprint.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "lpr_portal/accessibility.html")


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """Public list of the state networks, each with its number of councils."""
    states = StateNetwork.objects.filter(is_active=True).annotate(
        council_count=Count("organisations", filter=Organisation.council_filter())
    )
    return render(request, "lpr_portal/directory.html", {"states": states})


@require_GET
def directory_state(request: HttpRequest, slug: str) -> HttpResponse:
    """Public directory of one state's councils: name, region, contact."""
    state = get_object_or_404(StateNetwork, slug=slug, is_active=True)
    councils = (
        Organisation.objects.public_directory()
        .filter(state=state)
        .select_related("region")
        .order_by("region__name", "name")
    )
    return render(
        request, "lpr_portal/directory_state.html", {"state": state, "councils": councils}
    )
