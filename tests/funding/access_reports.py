"""Permission-matrix rules of the state office's funding statistics."""

from __future__ import annotations

from tests.access import Rule, signed_in

ACCESS: dict[str, Rule] = {
    # State staff and admins see their own state's statistics, platform admins any state's.
    "funding:statistics": Rule(
        own=signed_in(
            403, platform_admin=200, state_admin=200, state_staff=200, other_state_admin=200
        ),
    ),
}
