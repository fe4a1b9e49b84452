"""The portal's error pages: 400, 403, 404, 500 and a failed CSRF check.

Each says what happened and offers a way back, in the person's language, with the portal's
navigation; none shows internals. The 500 page is rendered without the request's context
processors and without touching the user or the session, so it appears even when the database
is down.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token


def back_url(request: HttpRequest) -> str:
    """The page the person came from when it is one of ours, else the start page."""
    referer: str = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 of a request to a host we do not serve
        return reverse("home")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


def _page(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    return render(request, template, {"back_url": back_url(request), **context}, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: the request could not be understood (e.g. a broken form or address)."""
    return _page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the person may not do this here."""
    return _page(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: no such page, or nothing the person may see."""
    return _page(request, "404.html", 404)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 of a form whose security token was missing or expired (``CSRF_FAILURE_VIEW``)."""
    return _page(request, "403_csrf.html", 403)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered from a static-safe template, without the database, user or session."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"back_url": back_url(request)}), status=500)
