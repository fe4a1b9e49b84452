"""Put the address of the request being served where ``audit.log.record`` finds it."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .log import _address


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def request_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; the first X-Forwarded-For address only behind a trusted proxy."""
    if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = _valid(forwarded.split(",")[0])
            if address:
                return address
    return _valid(request.META.get("REMOTE_ADDR", "") or "")


class RequestAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _address.set(request_address(request))
        try:
            return self.get_response(request)
        finally:
            _address.reset(token)
