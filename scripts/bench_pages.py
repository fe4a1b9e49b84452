"""Benchmark: time the main pages per demo role and print figures (no assertions).

Usage: DATABASE_URL=... .venv/bin/python scripts/bench_pages.py
Seed first, e.g. `manage.py seed_demo --force --scale federal`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpr_portal.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from councils.models import Membership, StateNetwork, User  # noqa: E402

PAGES = {
    "plattform": ["/dashboard/", "/verwaltung/mitglieder/", "/verwaltung/organisationen/"],
    "lpr-admin": [
        "/dashboard/",
        "/verwaltung/mitglieder/",
        "/verwaltung/mitglieder/?q=schmidt",
        "/verwaltung/organisationen/",
        "/verwaltung/einladungen/",
    ],
    "kpr-koordination": ["/dashboard/", "/benachrichtigungen/"],
    "ngo-vertretung": ["/dashboard/"],
}
RUNS = 5


def _bench_state_pages() -> dict[str, list[str]]:
    """Pages of the first benchmark state (land-01) as its staff and its busiest coordinator."""
    from django.db.models import Count

    from councils.models import Role
    from funding.models import FundingRequest

    state = StateNetwork.objects.filter(slug="land-01").first()
    if state is None:
        return {}
    staff = (
        Membership.objects.active()
        .filter(organisation__state=state, role=Role.STATE_STAFF)
        .order_by("pk")
        .first()
    )
    busiest = (
        FundingRequest.objects.filter(programme__state=state)
        .values("applicant_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    coordinator = (
        Membership.objects.active()
        .filter(organisation_id=busiest["applicant_id"], role=Role.COUNCIL_COORDINATOR)
        .order_by("pk")
        .first()
        if busiest
        else None
    )
    request = FundingRequest.objects.filter(programme__state=state).order_by("-pk").first()
    pages: dict[str, list[str]] = {}
    if staff is not None:
        pages[staff.user.username] = [
            "/dashboard/",
            "/foerderung/antraege/",
            "/foerderung/antraege/?status=submitted&o=-requested",
            "/foerderung/antraege/?q=sport&amount_min=500",
            "/foerderung/programme/",
            "/foerderung/statistik/",
            *([f"/foerderung/antraege/{request.pk}/"] if request else []),
        ]
    if coordinator is not None:
        pages[coordinator.user.username] = ["/dashboard/", "/foerderung/antraege/"]
    return pages


def main() -> None:
    states = StateNetwork.objects.count()
    print(
        f"data: {states} states, {User.objects.count()} users, "
        f"{Membership.objects.count()} memberships; median of {RUNS} runs"
    )
    first_state = StateNetwork.objects.first()
    if first_state is None:
        sys.exit("No data: run `manage.py seed_demo --force --scale federal` first.")
    public = ["/", "/verzeichnis/", f"/verzeichnis/{first_state.slug}/"]
    if StateNetwork.objects.filter(slug="land-01").exists():
        public.append("/foerderung/gefoerdert/land-01/")
    pages = [("anonymous", public), *PAGES.items(), *_bench_state_pages().items()]
    for username, paths in pages:
        client = Client()
        if username != "anonymous":
            client.force_login(User.objects.get(username=username))
        for path in paths:
            client.get(path)
            timings = []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    status = client.get(path).status_code
                    timings.append((time.perf_counter() - start) * 1000)
            print(
                f"{username:17} {path:52} {status} "
                f"{statistics.median(timings):7.1f} ms {len(queries):3d} queries"
            )


if __name__ == "__main__":
    main()
