"""On every sign-in: start the session clocks (time-outs) and count it as a fresh password;
the signals sent when a person was erased (privacy) or their second factor was reset."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from . import clock

#: Sent when a person is erased (anonymised), inside the erasure's transaction: ``sender``,
#: ``user`` (the anonymised row), ``by`` (the admin who erased them) and ``state_ids`` (the states
#: of the seats they held). The audit log records it.
person_erased = Signal()
#: Sent when a person downloaded their own data: ``sender``, ``user``, ``request``.
personal_data_exported = Signal()
#: Sent when an admin reset a person's second factor, inside its transaction: ``sender``, ``user``
#: (the person), ``by`` (the admin) and ``state_ids`` (the states whose admins read it).
second_factor_reset = Signal()


@receiver(user_logged_in, dispatch_uid="accounts_session_clocks")
def start_session_clocks(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = clock.now()
    request.session[clock.SIGNED_IN_AT] = now
    request.session[clock.LAST_SEEN_AT] = now
    request.session[clock.CONFIRMED_AT] = now
