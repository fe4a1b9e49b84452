"""'Confirm your password': sensitive changes need a password entered a few minutes ago."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import clock


def recently_confirmed(request: HttpRequest) -> bool:
    confirmed = request.session.get(clock.CONFIRMED_AT)
    if not isinstance(confirmed, int | float):
        return False
    return bool(clock.now() - confirmed <= settings.REAUTH_VALID_SECONDS)


def mark_confirmed(request: HttpRequest) -> None:
    request.session[clock.CONFIRMED_AT] = clock.now()


def reauth_redirect(request: HttpRequest) -> HttpResponse:
    """To the password confirmation, and back to this page afterwards."""
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('accounts:reauth')}?{query}")


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the signed-in person to confirm their password first, then back here."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not recently_confirmed(request):
            return reauth_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped
