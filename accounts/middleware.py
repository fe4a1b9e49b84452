"""Session time-outs and the second factor that state staff must set up before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import clock, twofactor

#: Record a request as "seen" at most this often, so not every request writes the session.
_SEEN_GRANULARITY = 60

#: Pages a person who still has to set up the second factor may reach.
OPEN_WITHOUT_SECOND_FACTOR = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "readyz",
    "accounts:otp_setup",
    "accounts:reauth",
    "accounts:otp_verify",
    "accounts:recovery_codes",
    "accounts:recovery_codes_download",
}


def _login_redirect(request: HttpRequest) -> HttpResponse:
    target = reverse("login")
    if request.method == "GET" and not request.headers.get("HX-Request"):
        target = f"{target}?{urlencode({'next': request.get_full_path()})}"
    return redirect(target)


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_TIMEOUT without a request or SESSION_ABSOLUTE_TIMEOUT in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = clock.now()
            signed_in = session.get(clock.SIGNED_IN_AT)
            last_seen = session.get(clock.LAST_SEEN_AT)
            if not isinstance(signed_in, int | float) or not isinstance(last_seen, int | float):
                # A session from before the clocks: they start now.
                session[clock.SIGNED_IN_AT] = signed_in = now
                session[clock.LAST_SEEN_AT] = last_seen = now
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT
            expired = now - signed_in > settings.SESSION_ABSOLUTE_TIMEOUT
            if idle or expired:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after a time without activity. Please sign in again.")
                    if idle
                    else _("Your session has reached its maximum length. Please sign in again."),
                )
                return _login_redirect(request)
            if now - last_seen >= _SEEN_GRANULARITY:
                session[clock.LAST_SEEN_AT] = now
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Staff of the state and platform admins reach only the set-up until it is done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not twofactor.session_verified(user)
            and not self._open(request)
            and twofactor.must_use_second_factor(user)
        ):
            if twofactor.has_second_factor(user):
                target = reverse("accounts:otp_verify")
            else:
                target = reverse("accounts:otp_setup")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        path = request.path_info
        if path.startswith((settings.STATIC_URL or "/static/", "/favicon")):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return True  # the 404 page gives nothing away
        return match.view_name in OPEN_WITHOUT_SECOND_FACTOR
