"""On every sign-in: start the session clocks (time-outs) and count it as a fresh password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from . import clock


@receiver(user_logged_in, dispatch_uid="accounts_session_clocks")
def start_session_clocks(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = clock.now()
    request.session[clock.SIGNED_IN_AT] = now
    request.session[clock.LAST_SEEN_AT] = now
    request.session[clock.CONFIRMED_AT] = now
