"""The portal's URLs plus views that fail, for the error-page tests only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from lpr_portal.urls import handler400, handler403, handler404, handler500
from lpr_portal.urls import urlpatterns as portal_urlpatterns

SECRET = "internal-detail-b7f3"


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"database password {SECRET}")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(f"role check {SECRET}")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation(f"broken header {SECRET}")


urlpatterns = [
    path("test-errors/crash/", crash),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    *portal_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
