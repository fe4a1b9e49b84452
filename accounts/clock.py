"""The time the session rules read, in one place (tests move it to travel in time)."""

from __future__ import annotations

import time

#: Session keys: when the person signed in, was last seen, last confirmed their password.
SIGNED_IN_AT = "accounts_signed_in_at"
LAST_SEEN_AT = "accounts_last_seen_at"
CONFIRMED_AT = "accounts_confirmed_at"


def now() -> float:
    """Seconds since the epoch."""
    return time.time()
