"""Fill the database with the demo network, and optionally with benchmark volumes."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.module_loading import import_string

from councils.demo import ScaleSize, seed_demo_network, seed_scale


class Command(BaseCommand):
    help = (
        "Create the demo data: Niedersachsen (NI) and Mecklenburg-Vorpommern (MV) with offices, "
        "councils, NGOs, members, pending invitations and the demo accounts of DESIGN.md, all "
        "with the password DEMO_PASSWORD. Idempotent: a second run adds nothing. "
        "--scale state adds one benchmark state network 'Land 01' (slug land-01) with 200 "
        "councils, 60 NGOs and 4,000 people; --scale federal adds 16 of them (Land 01 … Land 16). "
        "The benchmark states are separate state networks, so the demo states stay small; a "
        "benchmark state that already holds organisations is left alone. --councils, --ngos, "
        "--users, --states, --years and --requests-per-year shrink or grow the benchmark volumes "
        "(tests use small ones). "
        "Refuses to run unless DEBUG is on or --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["demo", "state", "federal"],
            default="demo",
            help="demo: only the demo network (default); state: plus one benchmark state; "
            "federal: plus 16 benchmark states.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run although DEBUG is off (tests, CI, benchmarks). Never on a production system.",
        )
        parser.add_argument("--states", type=int, help="Number of benchmark states (override).")
        parser.add_argument(
            "--councils", type=int, default=200, help="Councils per benchmark state."
        )
        parser.add_argument("--ngos", type=int, default=60, help="NGOs per benchmark state.")
        parser.add_argument("--users", type=int, default=4000, help="People per benchmark state.")
        parser.add_argument(
            "--years", type=int, default=10, help="Years of history per benchmark state."
        )
        parser.add_argument(
            "--requests-per-year",
            type=int,
            default=540,
            help="Funding requests per year's state programme of a benchmark state.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo refuses to run because DEBUG is off: demo accounts with a known "
                "password must not reach a production database. Set DEBUG=true, or pass --force "
                "if you are sure this is a test or benchmark database."
            )
        for name in ("states", "councils", "ngos", "users", "years", "requests_per_year"):
            if options[name] is not None and options[name] < 0:
                raise CommandError(f"--{name} must not be negative.")
        password = settings.DEMO_PASSWORD
        started = time.perf_counter()
        accounts = seed_demo_network(password=password)
        self.stdout.write(f"Demo network ready in {time.perf_counter() - started:.1f} s.")
        if options["scale"] == "demo":
            # Apps built on councils add their demo content; councils imports none of them.
            for seeder in settings.DEMO_SEEDERS:
                import_string(seeder)(stdout=self.stdout)

        if options["scale"] != "demo":
            states = options["states"]
            if states is None:
                states = 1 if options["scale"] == "state" else 16
            size = ScaleSize(
                states=states,
                councils=options["councils"],
                ngos=options["ngos"],
                users=options["users"],
                years=max(options["years"], 1),
                requests_per_year=options["requests_per_year"],
            )
            scale_started = time.perf_counter()
            timings = seed_scale(size=size, password=password, log=self.stdout.write)
            created = [t.slug for t in timings if t.created]
            # Apps built on councils add their volumes to the new benchmark states.
            for seeder in settings.SCALE_SEEDERS:
                seeder_started, cpu_started = time.perf_counter(), time.process_time()
                import_string(seeder)(state_slugs=created, stdout=self.stdout, size=size)
                self.stdout.write(
                    f"{seeder}: {time.perf_counter() - seeder_started:.1f} s "
                    f"(CPU of this process {time.process_time() - cpu_started:.1f} s)"
                )
            if connection.vendor == "postgresql":
                # Fresh planner statistics, so benchmarks right after seeding see the volumes.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            database_cpu = _database_cpu_seconds()
            self.stdout.write(
                f"Benchmark data ({options['scale']}, {states} state(s)) ready in "
                f"{time.perf_counter() - scale_started:.1f} s (CPU: this process "
                f"{time.process_time():.1f} s"
                + (f", its database session {database_cpu:.1f} s" if database_cpu else "")
                + ")."
            )

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo logins (password: DEMO_PASSWORD):"))
        width = max(len(a.username) for a in accounts)
        for account in accounts:
            self.stdout.write(f"  {account.username.ljust(width)}  {account.description}")
        self.stdout.write(f"Total time: {time.perf_counter() - started:.1f} s.")


def _database_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend, when the server runs on this machine.

    Wall time on a shared machine says little; the CPU time of the seeding process and of its
    database session is what the seed costs.
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    proc = Path(f"/proc/{pid}")
    try:
        if proc.joinpath("comm").read_text().strip() != "postgres":
            return None  # the database runs elsewhere: a process of that number is another one
        fields = proc.joinpath("stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
