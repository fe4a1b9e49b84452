"""`make bench`: the portal under load on the production stack, with figures per page.

    python scripts/bench.py --scale state|federal [--fresh] [--seconds 5] [--connections 4]
                            [--output FILE]

Needs DATABASE_URL (a database only for the benchmark: --fresh drops and re-creates it),
REDIS_URL (emptied by --fresh), SECRET_KEY and ALLOWED_HOSTS (the Makefile sets all four), wrk
(`apt-get install wrk`) and PostgreSQL. Steps:

1. --fresh: a new database, `migrate`, then `seed_demo --scale …` (both timed).
2. `scripts/serve.sh` with SERVE_ROLES=web,worker: gunicorn and a Celery worker under the
   production settings (DJANGO_ENV=production), mail to an SMTP sink of this script.
3. Sign-in through the login page for one person per role of the benchmark state "Land 01"
   (with the authenticator code where production asks for it) and the platform admin.
4. For every page: its SQL queries (the Django test client in this process, with the same
   session, against the same database), then wrk for --seconds: median and p95 latency,
   requests per second and the share of /healthz's requests per second in the same run.
5. The Django admin's changelists beside the portal's lists over the same rows; the CSV and XLSX
   exports of one state and of all states through the Celery worker; one decision letter PDF;
   the reminder run of all states through the outbox and the workers; the largest resident
   memory of a gunicorn worker during the run.

Figures, not assertions: the output is Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import logging
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_measure import (  # noqa: E402
    Load,
    MailSink,
    MemorySampler,
    PageFigures,
    children_of,
    markdown_table,
    page_table,
    run_wrk,
    short_sql,
    slow_pages,
    wait_until,
)

BENCH_STATE = "land-01"
#: Where the benchmark keeps its media files (emptied by --fresh).
MEDIA = ROOT / "var" / "bench-media"


def say(text: str = "") -> None:
    print(text, flush=True)


# Preparing ------------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database (connected to the server's `postgres` database)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"bench: unexpected database name {name!r}")
    server = urllib.parse.urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def run_timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run a command of the portal, echo its output, return (seconds, output)."""
    say(f"$ {shlex.join(command)}")
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    output = done.stdout + done.stderr
    for line in output.splitlines():
        if not line.startswith("  "):  # the demo logins are not figures
            say(f"    {line}")
    if done.returncode != 0:
        raise SystemExit(f"bench: {command[2]} failed ({done.returncode})")
    return seconds, output


# The served stack -----------------------------------------------------------------------------


@dataclass
class Stack:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def gunicorn_master(self) -> int:
        for pid in children_of(self.process.pid):
            if "gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                return pid
        raise RuntimeError("gunicorn is not running")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def start_stack(env: dict[str, str], port: int, log: Path) -> Stack:
    """`scripts/serve.sh` with gunicorn and a Celery worker (not beat: the bench runs its tasks)."""
    handle = log.open("wb")
    process = subprocess.Popen(
        ["scripts/serve.sh"],
        cwd=ROOT,
        env={**env, "SERVE_ROLES": "web,worker", "VENV": str(Path(sys.executable).parent.parent)},
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one at the end
    )
    stack = Stack(process, port, log)

    def ready() -> bool:
        if process.poll() is not None:
            raise SystemExit(f"bench: make serve ended, see {log}")
        try:
            return http_get(stack, "/readyz")[0] == 200
        except OSError:
            return False

    seconds = wait_until(ready, timeout=600, interval=1, what="/readyz")
    say(f"Stack ready after {seconds:.0f} s (check --deploy, migrate, collectstatic, start)")
    return stack


# HTTP as a browser would speak it --------------------------------------------------------------


@dataclass
class Session:
    """The cookies of one signed-in person (kept by hand: they are Secure cookies on plain HTTP,
    which gunicorn takes as HTTPS from the trusted proxy header)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def take(self, response: http.client.HTTPResponse) -> None:
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]


def proxy_headers(stack: Stack) -> dict[str, str]:
    """What the TLS-terminating proxy adds: the portal runs HTTPS-only in production."""
    return {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{stack.port}"}


def http_get(
    stack: Stack, path: str, session: Session | None = None
) -> tuple[int, bytes, http.client.HTTPResponse]:
    conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=300)
    headers = proxy_headers(stack)
    if session and session.cookies:
        headers["Cookie"] = session.header()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if session is not None:
        session.take(response)
    conn.close()
    return response.status, body, response


def http_post(
    stack: Stack, path: str, data: dict[str, str], session: Session, referer: str
) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=300)
    origin = f"https://127.0.0.1:{stack.port}"
    headers = {
        **proxy_headers(stack),
        "Cookie": session.header(),
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": origin + referer,
    }
    conn.request("POST", path, body=urllib.parse.urlencode(data), headers=headers)
    response = conn.getresponse()
    response.read()
    session.take(response)
    conn.close()
    return response


def csrf_token(body: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1).decode()


def sign_in(stack: Stack, username: str, password: str) -> Session:
    """Sign in through the login page, with the authenticator's code when it is asked for."""
    session = Session()
    _status, body, _ = http_get(stack, "/accounts/login/", session)
    response = http_post(
        stack,
        "/accounts/login/",
        {"csrfmiddlewaretoken": csrf_token(body), "username": username, "password": password},
        session,
        "/accounts/login/",
    )
    location = response.headers.get("Location", "")
    if response.status != 302:
        raise RuntimeError(f"{username}: the login page answered {response.status}")
    if "zwei-faktor/code" in location:
        for _attempt in range(3):
            _status, body, _ = http_get(stack, location, session)
            response = http_post(
                stack,
                location,
                {"csrfmiddlewaretoken": csrf_token(body), "code": totp_code(username)},
                session,
                location,
            )
            if response.status == 302:
                break
            time.sleep(31)  # a code is accepted once: wait for the next one
        else:
            raise RuntimeError(f"{username}: the authenticator code was refused")
    if "sessionid" not in session.cookies:
        raise RuntimeError(f"{username}: no session after signing in")
    return session


def totp_code(username: str) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def give_authenticator(username: str) -> bool:
    """Give a person production asks a code of a confirmed authenticator (True when made now)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.twofactor import must_use_second_factor
    from councils.models import User

    user = User.objects.get(username=username)
    if not must_use_second_factor(user):
        return False
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return False
    TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    return True


# Who and what --------------------------------------------------------------------------------


@dataclass
class Role:
    label: str
    username: str | None  # None: anonymous
    paths: list[str]
    session: Session | None = None


def plan_roles() -> list[Role]:
    """The people of the benchmark state and the pages each of them uses most."""
    from django.db.models import Count

    from councils.models import Membership, Organisation, OrganisationKind, StateNetwork
    from councils.models import Role as R
    from exchange.models import ExchangeReport, Offer, OfferRequest, ReportingPeriod
    from funding.models import FundingRequest, Programme
    from funding.models import RequestStatus as S
    from spaces.models import Event, WorkingGroup, WorkingGroupStatus
    from strategy.models import Goal, Level, Strategy

    state = StateNetwork.objects.get(slug=BENCH_STATE)
    seats = Membership.objects.active().filter(organisation__state=state).order_by("pk")

    def person(role: str, **filters: Any) -> str:
        seat = seats.filter(role=role, **filters).select_related("user").first()
        if seat is None:
            raise SystemExit(f"bench: {BENCH_STATE} has nobody with the role {role}")
        return str(seat.user.username)

    council = (
        Organisation.objects.filter(state=state, kind=OrganisationKind.MUNICIPAL_COUNCIL)
        .annotate(n=Count("funding_requests"))
        .order_by("-n", "pk")
        .first()
    )
    assert council is not None
    c = council.pk
    requests = FundingRequest.objects.filter(state=state).order_by("-pk")
    decided = requests.filter(status=S.CLOSED).first()
    in_review = requests.filter(status=S.REVIEW).first()
    programme = Programme.objects.filter(state=state).order_by("-year", "pk").first()
    today = datetime.date.today()
    period = (
        ReportingPeriod.objects.filter(state=state, due_on__lt=today).order_by("-due_on").first()
    )
    strategy = Strategy.objects.filter(state=state).order_by("pk").first()
    goal = Goal.objects.filter(strategy=strategy, level=Level.STRATEGIC_GOAL).first()
    group = WorkingGroup.objects.filter(council_id=c, status=WorkingGroupStatus.ACTIVE).first()
    event = Event.objects.filter(council_id=c).order_by("-starts_at").first()
    ngo_seat = (
        seats.filter(role=R.NGO_REPRESENTATIVE)
        .annotate(n=Count("organisation__exchange_reports"))
        .order_by("-n", "pk")
        .select_related("user", "organisation")
        .first()
    )
    assert ngo_seat is not None
    report = ExchangeReport.objects.filter(ngo=ngo_seat.organisation).order_by("-pk").first()
    offer = Offer.objects.filter(state=state, is_active=True).order_by("pk").first()
    offer_request = OfferRequest.objects.filter(council_id=c).order_by("-pk").first()
    member = person(R.COUNCIL_MEMBER, organisation=council, position="member")

    def some(*paths: str | None) -> list[str]:
        return [p for p in paths if p]

    return [
        Role(
            "anonymous",
            None,
            some(
                "/",
                "/verzeichnis/",
                f"/verzeichnis/{BENCH_STATE}/",
                f"/verzeichnis/{BENCH_STATE}/{c}/",
                f"/foerderung/gefoerdert/{BENCH_STATE}/",
                "/kalender/",
                f"/raete/{c}/oeffentlich/dokumente/",
            ),
        ),
        Role(
            "state admin",
            person(R.STATE_ADMIN),
            [
                "/dashboard/",
                "/verwaltung/mitglieder/",
                "/verwaltung/mitglieder/?q=schmidt",
                "/verwaltung/organisationen/",
                "/verwaltung/einladungen/",
                "/protokoll/",
            ],
        ),
        Role(
            "state staff",
            person(R.STATE_STAFF),
            some(
                "/dashboard/",
                "/foerderung/antraege/",
                "/foerderung/antraege/?status=submitted&o=-requested",
                "/foerderung/antraege/?q=sport&amount_min=500",
                f"/foerderung/antraege/{decided.pk}/" if decided else None,
                f"/foerderung/antraege/{in_review.pk}/" if in_review else None,
                "/foerderung/programme/",
                f"/foerderung/programme/{programme.pk}/" if programme else None,
                "/foerderung/statistik/",
                "/austausch/berichte/",
                "/austausch/berichtszeitraeume/",
                f"/austausch/berichtszeitraeume/{period.pk}/" if period else None,
                f"/austausch/berichtszeitraeume/{period.pk}/uebersicht/" if period else None,
                "/austausch/angebote/",
                "/austausch/anfragen/",
                "/austausch/abdeckung/",
                "/strategie/",
                f"/strategie/{strategy.pk}/" if strategy else None,
                f"/strategie/ziele/{goal.pk}/" if goal else None,
                "/veranstaltungen/",
                "/schwerpunkte/",
            ),
        ),
        Role(
            "council coordinator",
            person(R.COUNCIL_COORDINATOR, organisation=council),
            some(
                "/dashboard/",
                "/foerderung/antraege/",
                f"/raete/{c}/mitglieder/",
                f"/raete/{c}/arbeitsgruppen/",
                f"/raete/{c}/arbeitsgruppen/{group.pk}/" if group else None,
                f"/raete/{c}/veranstaltungen/",
                f"/veranstaltungen/{event.pk}/" if event else None,
                f"/veranstaltungen/{event.pk}/teilnehmende/" if event else None,
                f"/raete/{c}/dokumente/",
                "/austausch/angebote/",
                f"/austausch/angebote/{offer.pk}/" if offer else None,
                "/austausch/anfragen/",
                f"/austausch/anfragen/{offer_request.pk}/" if offer_request else None,
                "/strategie/meine-massnahmen/",
                "/benachrichtigungen/",
            ),
        ),
        Role(
            "council member",
            member,
            ["/dashboard/", "/arbeitsgruppen/", "/veranstaltungen/", f"/raete/{c}/mitglieder/"],
        ),
        Role(
            "NGO representative",
            str(ngo_seat.user.username),
            some(
                "/dashboard/",
                "/austausch/berichte/",
                f"/austausch/berichte/{report.pk}/" if report else None,
                "/austausch/angebote/eigene/",
                "/austausch/anfragen/",
            ),
        ),
        Role(
            "platform admin",
            "plattform",
            [
                "/dashboard/",
                "/verwaltung/organisationen/",
                "/verwaltung/mitglieder/",
                "/foerderung/antraege/",
            ],
        ),
    ]


#: How much of a slow page's slowest query the report shows.
SQL_SHOWN = 220

#: The portal's list and the admin changelist over the same rows (the benchmark state's).
ADMIN_PAIRS = (
    ("funding requests", "state staff", "/foerderung/antraege/", "funding/fundingrequest",
     "programme__state__id__exact"),
    ("members", "state admin", "/verwaltung/mitglieder/", "councils/membership",
     "organisation__state__id__exact"),
    ("exchange reports", "state staff", "/austausch/berichte/", "exchange/exchangereport",
     "period__state__id__exact"),
)  # fmt: skip


# Measuring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InProcess:
    """One request of a page in this process (no load beside it): what it costs."""

    status: int
    queries: int
    sql_ms: float
    total_ms: float
    #: The slowest query: its time and the start of its SQL.
    slowest_ms: float = 0.0
    slowest_sql: str = ""
    #: The same page again with its fragments from the cache (core.fragments).
    cached_queries: int | None = None
    cached_ms: float | None = None


def count_queries(session: Session | None, path: str) -> InProcess:
    """The page's SQL queries and times in this process with the same session; warm caches.

    The timed request runs in a transaction, where no fragment is cached (core.fragments): the
    page rendered afresh, as after a change to what it shows. A second request outside one
    serves its fragments from the cache, as wrk's requests are.
    """
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    client = Client()
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session.cookies["sessionid"]
    client.get(path, secure=True)
    # Each query timed with perf_counter: Django's own query log rounds to whole milliseconds,
    # so a page of fast queries would read as 0 ms of SQL.
    times: list[tuple[float, str]] = []

    def timed_query(
        execute: Callable[..., object], sql: str, params: object, many: bool, context: object
    ) -> object:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            times.append((time.perf_counter() - began, sql))

    with connection.execute_wrapper(timed_query), transaction.atomic():
        started = time.perf_counter()
        status = client.get(path, secure=True).status_code
        total = time.perf_counter() - started
        transaction.set_rollback(True)
    afresh = list(times)
    times.clear()
    with connection.execute_wrapper(timed_query):
        started = time.perf_counter()
        client.get(path, secure=True)
        cached = time.perf_counter() - started
    slowest = max(afresh, default=(0.0, ""))
    return InProcess(
        status,
        len(afresh),
        sum(t for t, _ in afresh) * 1000,
        total * 1000,
        slowest[0] * 1000,
        short_sql(slowest[1], SQL_SHOWN),
        cached_queries=len(times),
        cached_ms=cached * 1000,
    )


def load(stack: Stack, path: str, session: Session | None, args: argparse.Namespace) -> Load:
    headers = proxy_headers(stack)
    if session is not None:
        headers["Cookie"] = session.header()
    return run_wrk(
        stack.base + path, headers=headers, seconds=args.seconds, connections=args.connections
    )


@contextmanager
def timed() -> Iterator[list[float]]:
    box: list[float] = []
    started = time.perf_counter()
    yield box
    box.append(time.perf_counter() - started)


def export_run(stack: Stack, session: Session, fmt: str) -> tuple[float, int, int]:
    """Start the export of the whole list, wait for the worker, download: (seconds, rows, bytes)."""
    from funding.models import ExportJob, ExportStatus

    _status, body, _ = http_get(stack, "/foerderung/antraege/", session)
    with timed() as took:
        response = http_post(
            stack,
            "/foerderung/antraege/export/",
            {"csrfmiddlewaretoken": csrf_token(body), "query": "", "format": fmt},
            session,
            "/foerderung/antraege/",
        )
        job_pk = int(response.headers["Location"].rstrip("/").split("/")[-1])

        def finished() -> bool:
            status = ExportJob.objects.filter(pk=job_pk).values_list("status", flat=True).first()
            if status == ExportStatus.FAILED:
                raise RuntimeError(f"export {job_pk} failed")
            return status == ExportStatus.DONE

        wait_until(finished, timeout=1800, interval=0.5, what=f"export {job_pk}")
        status, data, _ = http_get(stack, f"/foerderung/exporte/{job_pk}/datei/", session)
        if status != 200:
            raise RuntimeError(f"export download answered {status}")
    job = ExportJob.objects.get(pk=job_pk)
    return took[0], job.total, len(data)


def letter_seconds() -> tuple[float, int]:
    """One approval letter PDF made in this process (the worker's code): median of three runs."""
    from funding.letters import letter_pdf
    from funding.models import FundingRequest, LetterKind
    from funding.models import RequestStatus as S

    request = (
        FundingRequest.objects.filter(state__slug=BENCH_STATE, status=S.CLOSED)
        .select_related("programme__state", "applicant", "decided_by", "proposed_by", "tier")
        .order_by("-pk")
        .first()
    )
    assert request is not None
    runs = []
    size = 0
    for _ in range(3):
        started = time.perf_counter()
        size = len(letter_pdf(request, LetterKind.APPROVAL))
        runs.append(time.perf_counter() - started)
    return sorted(runs)[1], size


@dataclass
class ReminderRun:
    seconds: float
    trigger_queries: int
    periods: int
    reminders: dict[str, int]
    ngos: int
    councils: int
    notifications: int
    emails: int


def reminder_run(sink: MailSink, redis_url: str) -> ReminderRun:
    """Every state's reminder tasks at once through the broker, until every e-mail went out.

    So that every NGO of every state is due, each state first gets a reporting period due in a
    week (through the service, as staff would make it); the proof, working-group and event
    reminders are whatever the data has due today.
    """
    import redis
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from councils.models import Role as R
    from councils.models import StateNetwork, User
    from exchange.models import ReportReminder
    from exchange.reports import period_create
    from funding.models import Reminder
    from lpr_portal.celery import app
    from notifications.models import Notification

    today = datetime.date.today()
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    states = list(StateNetwork.objects.filter(is_active=True).order_by("pk"))
    for state in states:
        staff = User.objects.filter(
            memberships__organisation__state=state, memberships__role=R.STATE_STAFF
        ).first()
        if staff is None:
            continue
        period_create(
            state=state,
            by=staff,
            title=f"Sonderabfrage {stamp}",
            starts_on=today - datetime.timedelta(days=180),
            ends_on=today - datetime.timedelta(days=1),
            due_on=today + datetime.timedelta(days=7),
        )
    last_notification = Notification.objects.aggregate(m=Max("pk"))["m"] or 0
    last_report_reminder = ReportReminder.objects.aggregate(m=Max("pk"))["m"] or 0
    last_proof_reminder = Reminder.objects.aggregate(m=Max("pk"))["m"] or 0
    mails_before = sink.received
    broker = redis.Redis.from_url(redis_url)
    tasks = (
        "exchange.tasks.send_report_reminders",
        "funding.tasks.send_proof_reminders",
        "spaces.tasks.send_workgroup_overdue_reminders",
        "spaces.tasks.send_event_reminders",
    )
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as trigger:
        for name in tasks:
            app.send_task(name)

    def due() -> Any:
        return Notification.objects.filter(pk__gt=last_notification).email_due()

    def quiet() -> bool:
        busy = broker.llen("celery") or broker.hlen("unacked")
        return not busy and not due().exists()

    def settled() -> bool:
        """Quiet twice in a row, a second apart: a task may be between two steps."""
        if not quiet():
            return False
        time.sleep(1)
        return quiet()

    wait_until(settled, timeout=3600, interval=1)
    seconds = time.perf_counter() - started
    new_report = ReportReminder.objects.filter(pk__gt=last_report_reminder)
    new_proof = Reminder.objects.filter(pk__gt=last_proof_reminder)
    notifications = Notification.objects.filter(pk__gt=last_notification)
    return ReminderRun(
        seconds=seconds,
        trigger_queries=len(trigger),
        periods=len(states),
        reminders={
            "exchange reports": new_report.count(),
            "proofs of use": new_proof.count(),
            "working groups": notifications.filter(kind="spaces.group_overdue").count(),
            "events": notifications.filter(kind__startswith="spaces.event").count(),
        },
        ngos=new_report.values("ngo").distinct().count(),
        councils=new_proof.values("request__applicant").distinct().count(),
        notifications=notifications.count(),
        emails=sink.received - mails_before,
    )


# The run -------------------------------------------------------------------------------------


def signed_in_session(username: str) -> Session:
    """A session as after the login page (with the second factor where production wants it)."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from councils.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    if give_authenticator(username) or TOTPDevice.objects.filter(user=user).exists():
        session = client.session
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        assert device is not None
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return Session({"sessionid": client.cookies[settings.SESSION_COOKIE_NAME].value})


def queries_only() -> None:
    """Each page's SQL alone in this process: for working on the queries between full runs."""
    os.environ.setdefault("DJANGO_ENV", "production")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpr_portal.settings")
    hosts = set(filter(None, os.environ.get("ALLOWED_HOSTS", "").split(",")))
    os.environ["ALLOWED_HOSTS"] = ",".join(sorted(hosts | {"testserver"}))
    import django

    django.setup()
    from councils.models import StateNetwork

    state = StateNetwork.objects.get(slug=BENCH_STATE)
    rows = []
    for role in plan_roles():
        session = signed_in_session(role.username) if role.username else None
        paths = list(role.paths)
        if role.label == "platform admin":
            paths += [f"/admin/{c}/?{lookup}={state.pk}" for _n, _r, _p, c, lookup in ADMIN_PAIRS]
        for path in paths:
            page = count_queries(session, path)
            rows.append(
                [
                    role.label,
                    f"`{path}`",
                    page.status,
                    page.queries,
                    f"{page.sql_ms:.0f}",
                    f"{page.total_ms:.0f}",
                    f"{page.slowest_ms:.0f}",
                    f"`{page.slowest_sql}`",
                ]
            )
            say(" | ".join(map(str, rows[-1][:7])))
    say()
    say(
        markdown_table(
            ["role", "page", "status", "SQL", "SQL ms", "alone ms", "slowest ms", "slowest query"],
            rows,
            right=range(2, 7),
        )
    )


def environment(args: argparse.Namespace, port: int, mail_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    missing = [
        n for n in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS") if not env.get(n)
    ]
    if missing:
        raise SystemExit(f"bench: missing environment variables: {', '.join(missing)}")
    hosts = set(env["ALLOWED_HOSTS"].split(","))
    env.update(
        DJANGO_ENV="production",
        ALLOWED_HOSTS=",".join(sorted(hosts | {"127.0.0.1", "testserver"})),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        SITE_URL=f"https://127.0.0.1:{port}",
        MEDIA_ROOT=str(MEDIA),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_port),
        CELERY_BEAT_SCHEDULE_FILENAME=str(ROOT / "var" / "bench-celerybeat-schedule"),
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", choices=["state", "federal"], default="state")
    parser.add_argument("--fresh", action="store_true", help="new database, migrate and seed")
    parser.add_argument("--seconds", type=float, default=5, help="wrk's duration per page")
    parser.add_argument(
        "--connections", type=int, default=4, help="wrk's open connections (concurrent users)"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--output", type=Path, help="also write the Markdown report here")
    parser.add_argument(
        "--only",
        metavar="REGEX",
        help="measure only the pages whose role and path ('state staff /dashboard/') match, "
        "and no exports, letter or reminder run (for a quick look at a few pages)",
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="no server and no load: each page's SQL queries, times and slowest query, in this "
        "process against the seeded database",
    )
    args = parser.parse_args()
    if args.queries_only:
        queries_only()
        return

    load_before = os.getloadavg()[0]
    sink = MailSink().start()
    env = environment(args, args.port, sink.port)
    report: list[str] = []

    def out(text: str = "") -> None:
        say(text)
        report.append(text)

    MEDIA.mkdir(parents=True, exist_ok=True)
    seed_rows: list[list[str]] = []
    if args.fresh:
        say(f"Fresh benchmark database {urllib.parse.urlsplit(env['DATABASE_URL']).path[1:]}")
        recreate_database(env["DATABASE_URL"])
        empty_redis(env["REDIS_URL"])
        for old in MEDIA.rglob("*"):
            if old.is_file():
                old.unlink()
        manage = [sys.executable, "manage.py"]
        migrate_s, _ = run_timed([*manage, "migrate", "--no-input", "-v0"], env)
        cpu_before = os.times()
        seed_s, seed_out = run_timed([*manage, "seed_demo", "--force", "--scale", args.scale], env)
        cpu = os.times()
        seed_cpu = (cpu.children_user + cpu.children_system) - (
            cpu_before.children_user + cpu_before.children_system
        )
        database = re.search(r"its database session ([\d.]+) s", seed_out)
        seed_rows.append(["migrate (empty database)", f"{migrate_s:.0f}", "", ""])
        seed_rows.append(
            [
                f"seed_demo --scale {args.scale} (whole command)",
                f"{seed_s:.0f}",
                f"{seed_cpu:.0f}",
                database[1] if database else "",
            ]
        )
        for line in seed_out.splitlines():
            found = re.match(
                r"(\w+)\.scale\.seed: ([\d.]+) s \(CPU of this process ([\d.]+) s\)", line
            )
            if found:
                seed_rows.append([f"– of it {found[1]}", found[2], found[3], ""])

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "lpr_portal.settings"
    import django

    django.setup()
    # WeasyPrint tells every step of a PDF at INFO through the production logging: not figures.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.conf import settings

    from councils.models import Membership, StateNetwork, User
    from funding.models import FundingRequest

    if not StateNetwork.objects.filter(slug=BENCH_STATE).exists():
        raise SystemExit("bench: no benchmark data; run with --fresh (make bench does)")

    log = Path(tempfile.gettempdir()) / f"lpr-bench-serve-{args.port}.log"
    stack = start_stack(env, args.port, log)
    try:
        roles = plan_roles()
        made = [r.username for r in roles if r.username and give_authenticator(r.username)]
        for role in roles:
            if role.username:
                role.session = sign_in(stack, role.username, settings.DEMO_PASSWORD)
        say("Signed in: " + ", ".join(f"{r.label} ({r.username})" for r in roles if r.username))

        state = StateNetwork.objects.get(slug=BENCH_STATE)
        by_label = {r.label: r for r in roles}
        admin = by_label["platform admin"]
        comparisons: list[tuple[str, str, str, str]] = []
        for name, role_label, portal_path, changelist, lookup in ADMIN_PAIRS:
            admin_path = f"/admin/{changelist}/?{lookup}={state.pk}"
            admin.paths.append(admin_path)
            comparisons.append((name, role_label, portal_path, admin_path))

        # Every page answers 200 to its person before anything is measured; decided requests
        # make their missing letter on the first visit, so the worker is given time for it.
        pages: list[tuple[Role, str, str]] = []
        for role in roles:
            for path in role.paths:
                if args.only and not re.search(args.only, f"{role.label} {path}"):
                    continue
                status = http_get(stack, path, role.session)[0]
                note = "" if status == 200 else f"answered {status}, not loaded"
                pages.append((role, path, note))
        time.sleep(5)

        sampler = MemorySampler(stack.gunicorn_master()).start()
        healthz_runs = [load(stack, "/healthz", None, args)]
        figures: list[PageFigures] = []
        for role, path, note in pages:
            queries = None
            page_load = None
            alone: InProcess | None = None
            if not note:
                alone = count_queries(role.session, path)
                queries = alone.queries
                page_load = load(stack, path, role.session, args)
                if page_load.not_ok:
                    note = f"{page_load.not_ok} answers not 200"
                elif not page_load.requests:
                    note = f"no answer within {args.seconds:.0f} s"
            figures.append(
                PageFigures(
                    role.label,
                    path,
                    queries,
                    page_load,
                    note,
                    sql_ms=alone.sql_ms if alone else None,
                    alone_ms=alone.total_ms if alone else None,
                    cached_queries=alone.cached_queries if alone else None,
                    cached_ms=alone.cached_ms if alone else None,
                    slowest_ms=alone.slowest_ms if alone else None,
                    slowest_sql=alone.slowest_sql if alone else "",
                )
            )
            say(
                f"  {role.label:20} {path:60} "
                + (
                    f"{queries:4} SQL {page_load.p50_ms:8.1f} ms {page_load.per_second:7.1f}/s"
                    if page_load and queries is not None
                    else note
                )
            )
            if len(figures) == len(pages) // 2:
                healthz_runs.append(load(stack, "/healthz", None, args))
        healthz_runs.append(load(stack, "/healthz", None, args))
        healthz = sum(r.per_second for r in healthz_runs) / len(healthz_runs)

        exports: list[list[str]] = []
        letter_s, letter_size, reminders = 0.0, 0, None
        if args.only:
            sampler.stop()
        else:
            say("Exports through the Celery worker …")
            staff = by_label["state staff"].session
            for who, session in (
                ("one state (state staff)", staff),
                ("all states (platform admin)", admin.session),
            ):
                assert session is not None
                for fmt in ("csv", "xlsx"):
                    seconds, rows, size = export_run(stack, session, fmt)
                    exports.append(
                        [
                            f"{fmt.upper()}, {who}",
                            f"{rows:,}",
                            f"{size / 1e6:.1f}",
                            f"{seconds:.1f}",
                        ]
                    )
                    say(f"  {' | '.join(exports[-1])}")
            letter_s, letter_size = letter_seconds()
            sampler.stop()
            say("Reminder run of all states …")
            reminders = reminder_run(sink, env["REDIS_URL"])
            say(f"  {reminders}")
    finally:
        stack.stop()

    # The report ---------------------------------------------------------------------------------
    counts = {
        "states": StateNetwork.objects.filter(slug__startswith="land-").count(),
        "people": User.objects.count(),
        "memberships": Membership.objects.count(),
        "requests": FundingRequest.objects.count(),
    }
    out(f"## `make bench SCALE={args.scale}` — {datetime.date.today():%Y-%m-%d}")
    out()
    out(
        f"Machine: {os.cpu_count()} CPU cores, {platform.platform()}, load average (1 min) "
        f"{load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end. "
        f"Data: {counts['states']} benchmark states, "
        f"{counts['people']:,} people, {counts['memberships']:,} memberships, "
        f"{counts['requests']:,} funding requests. gunicorn "
        f"{env.get('WEB_CONCURRENCY') or 'default'} workers (WEB_CONCURRENCY), wrk "
        f"{args.connections} connections for {args.seconds:.0f} s per page."
    )
    out()
    if made:
        out(
            f"Second factor: production asks state staff and platform admins for an authenticator "
            f"code; the benchmark gave {', '.join(made)} a TOTP authenticator and signed in with "
            f"its code (OTP_REQUIRED_FOR_STAFF stays on)."
        )
        out()
    if seed_rows:
        out("### Seed")
        out()
        out(
            markdown_table(
                ["step", "wall s", "CPU s, seed process", "CPU s, its PostgreSQL session"],
                seed_rows,
                right=(1, 2, 3),
            )
        )
        out()
    out(
        f"### Pages (/healthz: {healthz:.0f} req/s, mean of {len(healthz_runs)} runs: "
        + ", ".join(f"{r.per_second:.0f}" for r in healthz_runs)
        + ")"
    )
    out()
    out(page_table(figures, healthz))
    out()
    slow = slow_pages(figures, healthz)
    out(f"Pages under 10 % of /healthz: {len(slow)}" + (":" if slow else "."))
    for page in slow:
        share = page.share_of(healthz) or 0
        out(
            f"- {page.role} `{page.path}`: {share * 100:.1f} %; alone {page.alone_ms or 0:.0f} ms, "
            f"of it {page.sql_ms or 0:.0f} ms in {page.queries} SQL queries; slowest query "
            f"{page.slowest_ms or 0:.0f} ms: `{page.slowest_sql}`"
        )
    out()
    out("### Portal lists and the Django admin over the same rows")
    out()
    by_path = {(f.role, f.path): f for f in figures}
    compared = []
    for name, role_label, portal_path, admin_path in comparisons:
        portal = by_path.get((role_label, portal_path))
        admin_fig = by_path.get(("platform admin", admin_path))
        if portal and admin_fig and portal.load and admin_fig.load and admin_fig.load.requests:
            compared.append(
                [
                    name,
                    f"{portal.load.per_second:.1f}",
                    f"{admin_fig.load.per_second:.1f}",
                    f"{portal.load.per_second / admin_fig.load.per_second:.2f}",
                    portal.queries,
                    admin_fig.queries,
                ]
            )
    out(
        markdown_table(
            ["list", "portal req/s", "admin req/s", "portal / admin", "portal SQL", "admin SQL"],
            compared,
            right=range(1, 6),
        )
    )
    out()
    if reminders is None:
        out(
            f"Largest resident memory of a gunicorn worker: {sampler.max_mib:.0f} MiB. "
            f"Only the pages matching `{args.only}`: no exports, letter or reminder run."
        )
    else:
        exports_and_reminders(out, exports, letter_s, letter_size, reminders, sampler)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text("\n".join(report) + "\n")
        say(f"Written to {args.output}")


def exports_and_reminders(
    out: Callable[..., None],
    exports: list[list[str]],
    letter_s: float,
    letter_size: int,
    reminders: Any,
    sampler: Any,
) -> None:
    """The report's section on the exports, the letter, the reminder run and the memory."""
    out("### Exports, letter, reminders, memory")
    out("")
    out(
        markdown_table(
            ["export (whole list, through the worker)", "rows", "MB", "seconds"],
            exports,
            right=(1, 2, 3),
        )
    )
    out()
    out(
        f"- Decision letter PDF (approval, WeasyPrint): {letter_s:.2f} s, "
        f"{letter_size / 1024:.0f} KiB."
    )
    out(
        f"- Reminder run of all {reminders.periods} states (a period due in 7 days in each, plus "
        f"what the data has due today): {reminders.seconds:.1f} s until every e-mail was handed "
        f"to SMTP; "
        + ", ".join(f"{v:,} {k}" for k, v in reminders.reminders.items())
        + f" reminders; {reminders.ngos:,} NGOs and {reminders.councils:,} councils reached; "
        f"{reminders.notifications:,} notifications, {reminders.emails:,} e-mails. Queries in the "
        f"process that queued the run: {reminders.trigger_queries} (the fan-out runs in the "
        f"Celery workers, none of it in a web process)."
    )
    out(
        f"- Largest resident memory of a gunicorn worker during the page load: "
        f"{sampler.max_mib:.0f} MiB ({len(sampler.peak_kib)} worker processes seen; "
        f"limit 300 MiB)."
    )


if __name__ == "__main__":
    main()
