"""Tell `make run` whether the database is empty; if not, print the demo sign-ins.

Exit status 3 means "no users yet: load the demo", 0 means "users exist, sign-ins printed";
anything else is an error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: Exit status for an empty database (1 is what Python uses for an uncaught exception).
EMPTY = 3


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpr_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from councils.demo.data import ACCOUNTS

    users = get_user_model().objects
    if not users.exists():
        return EMPTY
    present = set(
        users.filter(username__in=[account.username for account in ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    port = os.environ.get("PORT", "8000")
    print("\nThe database already holds users, so the demo is not loaded again.")
    if present:
        print(f"Demo sign-ins at http://127.0.0.1:{port}/accounts/login/")
        for account in ACCOUNTS:
            if account.username in present:
                print(f"  {account.username:<22} {account.description}")
        print(
            "Password: the DEMO_PASSWORD the demo was loaded with "
            f"(default 'demo'; DEMO_PASSWORD is now {settings.DEMO_PASSWORD!r}).\n"
        )
    else:
        print("No demo accounts found: sign in with your own account.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
