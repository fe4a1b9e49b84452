"""The time the session rules read, in one place (tests move it to travel in time)."""

from __future__ import annotations

import time

from core.sessions import SIGNED_IN_AT

__all__ = ["CONFIRMED_AT", "LAST_SEEN_AT", "SIGNED_IN_AT", "now"]

#: Session keys: when the person signed in (``SIGNED_IN_AT``, kept with the session engine, which
#: ends the sessions begun before a seat ended), was last seen, last confirmed their password.
LAST_SEEN_AT = "accounts_last_seen_at"
CONFIRMED_AT = "accounts_confirmed_at"


def now() -> float:
    """Seconds since the epoch."""
    return time.time()
