"""Who reads the audit log: state admins (their states) and platform admins (every state)."""

from __future__ import annotations

from tests.access import Rule, signed_in


def _admins(status: int) -> dict[str, int]:
    return signed_in(403, platform_admin=status, state_admin=status, other_state_admin=status)


ACCESS = {
    "audit:entry_list": Rule(own=_admins(200)),
    "audit:entry_export": Rule(own=_admins(200)),
}
