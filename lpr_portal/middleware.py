"""The interface language (German unless chosen otherwise) and no caching of signed-in pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class PortalLocaleMiddleware(LocaleMiddleware):
    """Like Django's, but a browser's Accept-Language does not override the German default.

    Staff of a German public body often run browsers set to English; the portal still
    speaks German to them until they pick English (the language cookie).
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in person are never kept by the browser or a proxy.

    ``Cache-Control: no-store`` (with Django's never-cache set: private, no-cache, max-age=0) on
    every response to a signed-in request, so the back button or a shared computer does not show
    another person's data after sign-out. Static files are served before this (WhiteNoise).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


def _has_nul(data: object) -> bool:
    """Whether a QueryDict's keys or values hold a NUL character (files are not looked at)."""
    lists = getattr(data, "lists", None)
    if lists is None:
        return False
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in lists())


class RejectNulBytesMiddleware:
    """A NUL character in the address's parameters is refused with the portal's 400 page.

    PostgreSQL cannot store or compare text with NUL (SQLite swallows it), so one in a search
    box, filter or sort key would otherwise reach the database as a server error. Form fields
    that are posted are checked by their forms instead (Django's CharField refuses NUL), so the
    person keeps what they typed and sees the message at the field.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        from .errors import bad_request

        if _has_nul(request.GET):
            return bad_request(request)
        return self.get_response(request)
