"""`make cluster-check`: several machines, proven on one.

Starts the production stack twice over on this machine and breaks it in the middle of the work:

- a fresh PostgreSQL database (migrated, the demo loaded), its own redis-server on a free port
  from 6390 on, one shared MEDIA_ROOT folder, and an SMTP sink that counts every e-mail;
- two gunicorn web nodes with the production profile (DJANGO_ENV=production), behind HAProxy
  (Debian's package) that terminates TLS, checks ``GET /readyz`` and retries a connection that
  failed on the other node (``retries`` with ``option redispatch``);
- two Celery workers.

Through the balancer a council coordinator drafts a funding request in the seven-step form,
uploads an attachment and submits it; an NGO representative writes an exchange report, uploads
an attachment and submits it. Right after the coordinator's upload web node 1 is killed
(SIGKILL, no goodbye), right after the submission worker 1 is killed. The check then shows from
the database, the shared folder, the mail sink and the balancer's counters:

- every step done exactly once (one request, one report, one submission entry each);
- no upload lost (each file on disk and downloadable through the balancer, byte for byte);
- no session lost (the coordinator's cookie from before the kill still signs in);
- no e-mail lost or sent twice (each notification's e-mail exactly once in the sink);
- the other node answered within the balancer's retry (no 5xx reached the client, the retried
  connections are counted by HAProxy).

Killed web node 1 is started again at the end and must take requests again with the same sessions.
Exit status 0 when every check holds, 1 when one fails, 2 when something it needs is missing.
Installs nothing: it needs haproxy, redis-server and openssl (Debian packages), PostgreSQL at
CLUSTER_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and the project's
virtualenv. Everything it started is stopped and the database dropped, also on Ctrl-C;
``--keep`` leaves the folder with the logs (it is also kept when a check fails).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, LiteralString

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cluster_client import ANSWERS, Browser, JourneyError  # noqa: E402 (beside this file)
from cluster_journeys import Journey, exchange_journey, funding_journey  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402

VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
PYTHON = VENV / "bin" / "python"
GUNICORN = VENV / "bin" / "gunicorn"
CELERY = VENV / "bin" / "celery"
ADMIN_URL = os.environ.get(
    "CLUSTER_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "demo"  # noqa: S105 (the demo accounts' password, DEMO_PASSWORD)
COORDINATOR = "kpr-koordination"
NGO_REPRESENTATIVE = "ngo-vertretung"
#: Seconds the check waits for the e-mails (queued tasks, then the periodic catch-up).
MAIL_WAIT = 60.0


def say(text: str = "") -> None:
    print(text, flush=True)


def free_port(start: int = 0) -> int:
    """A free port on 127.0.0.1: the first from ``start`` on, or any when start is 0."""
    for port in range(start, start + 200) if start else [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError(f"no free port from {start} on")


def wait_until(condition: Callable[[], bool], what: str, timeout: float) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"timed out after {timeout:.0f} s waiting until {what}")
        time.sleep(0.1)
    return time.monotonic() - started


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Cluster:
    """Every process, port and folder of one run, so that all of it can be stopped."""

    work: Path
    db_name: str
    redis_port: int = 0
    lb_port: int = 0
    web_ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    db_created: bool = False

    @property
    def media(self) -> Path:
        return self.work / "media"

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: gunicorn's and Celery's children too
        )
        log.close()

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.kill(name)
            # Children left in the group (a worker's pool process) go too.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)

    def log_tail(self, name: str, lines: int = 15) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# Setting up ----------------------------------------------------------------------------------


def require_tools() -> list[str]:
    missing = [tool for tool in ("haproxy", "redis-server", "openssl") if not shutil.which(tool)]
    missing += [str(path) for path in (PYTHON, GUNICORN, CELERY) if not path.exists()]
    return missing


def admin_execute(statement: LiteralString, *names: str) -> None:
    """Run a statement on the server's admin database; {} are filled with quoted names."""
    import psycopg
    from psycopg import sql

    query = sql.SQL(statement).format(*(sql.Identifier(name) for name in names))
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(query)


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def database_url(name: str) -> str:
    parts = urllib.parse.urlsplit(ADMIN_URL)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def make_certificate(work: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: HAProxy's PEM and the client's trust anchor."""
    key, cert = work / "tls.key", work / "tls.crt"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    pem = work / "tls.pem"
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    pem.chmod(0o600)
    return pem, cert


HAPROXY_CONFIG = """\
global
    maxconn 256
    log stdout format raw local0 info
    stats socket {work}/haproxy.sock mode 600 level admin
    ssl-default-bind-options ssl-min-ver TLSv1.2

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 2s
    # Only a connection that failed (refused, reset before the request was sent) is tried again,
    # each time on the other node: a request that reached a node is never sent twice.
    retries 3
    retry-on conn-failure
    option redispatch 1

frontend portal
    bind 127.0.0.1:{lb_port} ssl crt {pem}
    http-request set-header X-Forwarded-Proto https
    default_backend web

backend web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # Which node answered, for the report (a real site would leave this out).
    http-response set-header X-Served-By %s
{servers}
"""


def haproxy_stats(work: Path) -> dict[str, dict[str, str]]:
    """HAProxy's counters per server of the web backend (``show stat`` on its socket).

    wretr counts connections tried again on the same node, wredis those sent to the other one.
    """
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(work / "haproxy.sock"))
        sock.sendall(b"show stat\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    rows = {}
    for line in lines[1:]:
        if not line:
            continue
        row = dict(zip(header, line.split(","), strict=False))
        if row.get("pxname") == "web" and row.get("svname") not in {"FRONTEND", "BACKEND"}:
            rows[row["svname"]] = row
    return rows


def node_is(cluster: Cluster, server: str, status: str) -> bool:
    try:
        return haproxy_stats(cluster.work).get(server, {}).get("status", "").startswith(status)
    except OSError:
        return False


def setup(cluster: Cluster, timings: dict[str, float], smtp_port: int, template: str) -> None:
    for folder in (cluster.media, cluster.logs, cluster.work / "static"):
        folder.mkdir(parents=True)
    cluster.redis_port = free_port(6390)
    cluster.lb_port = free_port()
    cluster.web_ports = {"web1": free_port(), "web2": free_port()}
    site = f"https://127.0.0.1:{cluster.lb_port}"
    base_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO", "DATABASE", "REDIS", "EMAIL", "GUNICORN", "CELERY"))
        and k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_ROOT", "STATIC_ROOT"}
    }
    cluster.env = {
        **base_env,
        "ENV_FILE": "",  # no .env of the working copy
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(cluster.db_name),
        "REDIS_URL": f"redis://127.0.0.1:{cluster.redis_port}/0",
        "MEDIA_ROOT": str(cluster.media),
        "STATIC_ROOT": str(cluster.work / "static"),
        "SITE_URL": site,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "DEFAULT_FROM_EMAIL": "LPR-Portal <portal@example.org>",
        "CELERY_BEAT_SCHEDULE_FILENAME": str(cluster.work / "celerybeat-schedule"),
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }

    started = time.monotonic()
    if template and database_exists(template):
        # A copy of the demo database an earlier run saved (--template): seconds, not minutes.
        admin_execute("CREATE DATABASE {} TEMPLATE {}", cluster.db_name, template)
        cluster.db_created = True
        run_manage(cluster, ["migrate", "--no-input", "--verbosity", "0"], "migrate")
        timings[f"copy of {template} and migrate"] = time.monotonic() - started
    else:
        admin_execute("CREATE DATABASE {}", cluster.db_name)
        cluster.db_created = True
        run_manage(cluster, ["migrate", "--no-input", "--verbosity", "0"], "migrate")
        timings["migrate"] = time.monotonic() - started

        started = time.monotonic()
        # The demo with the development profile (seed_demo refuses production): tasks
        # in-process, its e-mails (invitations) kept in memory, so that the sink counts only the
        # journey's.
        seed_env = {
            **cluster.env,
            "DJANGO_ENV": "development",
            "DEBUG": "true",
            "REDIS_URL": "",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        run_manage(cluster, ["seed_demo"], "seed_demo", env=seed_env)
        timings["seed_demo"] = time.monotonic() - started
        if template:
            admin_execute("CREATE DATABASE {} TEMPLATE {}", template, cluster.db_name)

    started = time.monotonic()
    run_manage(cluster, ["collectstatic", "--no-input", "--verbosity", "0"], "collectstatic")
    timings["collectstatic"] = time.monotonic() - started


def run_manage(
    cluster: Cluster, args: list[str], name: str, env: dict[str, str] | None = None
) -> None:
    with (cluster.logs / f"{name}.log").open("wb") as log:
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=env or cluster.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{cluster.log_tail(name, 30)}")


def start_redis(cluster: Cluster) -> None:
    cluster.start(
        "redis",
        [
            "redis-server", "--port", str(cluster.redis_port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(cluster.work),
        ],
    )  # fmt: skip
    import redis

    client = redis.Redis(port=cluster.redis_port, socket_connect_timeout=1)
    process = cluster.processes["redis"]

    def answers() -> bool:
        """Our redis-server answers (not another one that took the port meanwhile)."""
        if process.poll() is not None:
            raise RuntimeError(f"redis-server ended:\n{cluster.log_tail('redis')}")
        try:
            return bool(client.info("server")["process_id"] == process.pid)
        except redis.RedisError:
            return False

    wait_until(answers, "redis-server answers", 10)


def refuses(port: int) -> bool:
    """Whether nothing accepts connections on the port any more."""
    with socket.socket() as sock:
        sock.settimeout(1)
        try:
            sock.connect(("127.0.0.1", port))
        except ConnectionRefusedError:
            return True
        except OSError:
            return False
    return False


def kill_web_node(cluster: Cluster, name: str) -> None:
    """SIGKILL to gunicorn's master and workers; returns when the node's port refuses.

    Until the last worker is gone the kernel still accepts connections on its socket; a request
    sent there in those milliseconds fails (the balancer cannot know whether it was read). The
    check is about the node that is gone, as after a crashed machine.
    """
    cluster.kill(name)
    wait_until(lambda: refuses(cluster.web_ports[name]), f"{name}'s port refuses", 10)


def start_web(cluster: Cluster, name: str) -> None:
    port = cluster.web_ports[name]
    env = {
        **cluster.env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(cluster.logs / f"{name}-access.log"),
    }
    cluster.start(name, [str(GUNICORN), "-c", "deploy/gunicorn.conf.py"], env=env)


def web_answers(cluster: Cluster, name: str) -> bool:
    import urllib.request

    process = cluster.processes[name]
    if process.poll() is not None:
        raise RuntimeError(f"{name} ended:\n{cluster.log_tail(name)}")
    request = urllib.request.Request(
        f"http://127.0.0.1:{cluster.web_ports[name]}/readyz", headers={"Host": "127.0.0.1"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return bool(response.status == 200)
    except OSError:
        return False


def start_worker(cluster: Cluster, name: str) -> None:
    cluster.start(
        name,
        [
            str(CELERY), "-A", "lpr_portal", "worker", "-l", "info", "--concurrency", "1",
            "-n", f"{name}@cluster-check", "--without-mingle", "--without-gossip",
        ],
    )  # fmt: skip


def worker_ready(cluster: Cluster, name: str) -> bool:
    if cluster.processes[name].poll() is not None:
        raise RuntimeError(f"{name} ended:\n{cluster.log_tail(name)}")
    return " ready." in (cluster.logs / f"{name}.log").read_text(errors="replace")


def start_haproxy(cluster: Cluster, pem: Path) -> None:
    servers = "\n".join(
        f"    server {name} 127.0.0.1:{port} check inter 1s fall 3 rise 2"
        for name, port in cluster.web_ports.items()
    )
    config = cluster.work / "haproxy.cfg"
    config.write_text(
        HAPROXY_CONFIG.format(work=cluster.work, lb_port=cluster.lb_port, pem=pem, servers=servers)
    )
    subprocess.run(["haproxy", "-c", "-q", "-f", str(config)], check=True)
    cluster.start("haproxy", ["haproxy", "-db", "-f", str(config)])


# The checks ----------------------------------------------------------------------------------


def django_setup(cluster: Cluster) -> None:
    """This process reads the cluster's database with the nodes' settings."""
    for key in [k for k in os.environ if k.startswith(("DJANGO", "DATABASE", "REDIS"))]:
        del os.environ[key]
    os.environ.update(cluster.env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "lpr_portal.settings"
    import django

    django.setup()


def check_steps(journey: Journey) -> list[Check]:
    from exchange.models import ExchangeReport, ReportEvent
    from funding.models import FundingRequest, StatusChange, Submission

    checks = []
    requests = FundingRequest.objects.filter(title=journey.title)
    request = requests.first()
    submitted = StatusChange.objects.filter(request__title=journey.title, to_status="submitted")
    submissions = Submission.objects.filter(request__title=journey.title)
    attachments = request.attachments.count() if request else 0
    checks.append(
        Check(
            "funding request done exactly once",
            requests.count() == 1
            and request is not None
            and request.status == "submitted"
            and submitted.count() == 1
            and submissions.count() == 1
            and attachments == 1,
            f"{requests.count()} request(s) titled {journey.title!r}, status "
            f"{request.status if request else '-'}, {submitted.count()} submission log entry, "
            f"{submissions.count()} submission copy, {attachments} attachment",
        )
    )
    report = ExchangeReport.objects.filter(pk=journey.report_pk).first()
    same_period = (
        ExchangeReport.objects.filter(period=report.period, ngo=report.ngo).count() if report else 0
    )
    events = ReportEvent.objects.filter(report_id=journey.report_pk, to_status="submitted")
    report_attachments = report.attachments.count() if report else 0
    checks.append(
        Check(
            "exchange report done exactly once",
            report is not None
            and report.status == "submitted"
            and same_period == 1
            and events.count() == 1
            and report_attachments == 1,
            f"{same_period} report of the NGO for the period, status "
            f"{report.status if report else '-'}, {events.count()} submission event, "
            f"{report_attachments} attachment",
        )
    )
    return checks


def check_uploads(cluster: Cluster, journey: Journey, browsers: dict[str, Browser]) -> Check:
    from exchange.models import ReportAttachment
    from funding.models import Attachment

    details, ok = [], True
    rows = [
        ("request", Attachment.objects.filter(request_id=journey.request_pk).first(),
         journey.request_file, browsers["coordinator"], journey.request_download),
        ("report", ReportAttachment.objects.filter(report_id=journey.report_pk).first(),
         journey.report_file, browsers["ngo"], journey.report_download),
    ]  # fmt: skip
    for what, row, sent, browser, link in rows:
        if row is None:
            ok = False
            details.append(f"{what}: no attachment row")
            continue
        path = cluster.media / (row.file.name or "-")
        on_disk = path.read_bytes() if path.exists() else b""
        page = browser.get(link)
        digest = hashlib.sha256(sent).hexdigest()[:12]
        same = on_disk == sent and page.body == sent and page.status == 200
        ok = ok and same
        details.append(
            f"{what}: sha256 {digest}…, in the shared folder {'yes' if on_disk == sent else 'NO'}, "
            f"downloaded through the balancer from {page.history[-1].node} "
            f"{'identical' if page.body == sent else 'DIFFERENT'}"
        )
    return Check("no upload lost", ok, "; ".join(details))


def check_session(journey: Journey, coordinator: Browser) -> Check:
    from core.sessions import UserSession

    cookie = coordinator.cookie("sessionid")
    page = coordinator.get("/dashboard/")
    signed_in = (
        page.status == 200 and "/accounts/login/" not in page.url and COORDINATOR in page.text
    )
    row = UserSession.objects.filter(session_key=cookie).select_related("user").first()
    same = cookie == journey.coordinator_session
    ok = signed_in and same and row is not None
    return Check(
        "no session lost",
        ok,
        f"the coordinator's cookie from before the kill {'is unchanged' if same else 'CHANGED'}, "
        f"/dashboard/ answered {page.status} from {page.history[-1].node} "
        f"{'signed in' if signed_in else 'NOT signed in'}; session row in PostgreSQL: "
        f"{row.user.username if row and row.user else 'none'}",
    )


def wait_for_mail(cluster: Cluster, first_pk: int) -> tuple[int, int, float]:
    """Wait for the queued e-mails, then let the periodic task catch up as beat would.

    Returns how many were still due when the live workers had done what they could, how many
    messages the killed worker left unacknowledged in Redis, and the seconds it took.
    """
    import redis

    from notifications.models import Notification
    from notifications.tasks import send_pending_emails

    def due() -> int:
        return Notification.objects.filter(pk__gt=first_pk).email_due().count()

    started = time.monotonic()
    client = redis.Redis(port=cluster.redis_port)
    # The live worker takes what reached the queue; the killed one's messages stay unacknowledged.
    seen = [due(), time.monotonic()]

    def settled() -> bool:
        now = due()
        if now != seen[0] or client.llen("celery"):
            seen[:] = [now, time.monotonic()]
        return now == 0 or time.monotonic() - seen[1] > 3

    wait_until(settled, "the workers sent the queued e-mails", 30)
    left = due()
    unacked = int(client.hlen("unacked"))
    # Beat queues this every five minutes; here once, at once.
    send_pending_emails.delay()
    wait_until(lambda: due() == 0, "every e-mail was sent", MAIL_WAIT)
    time.sleep(2)  # a late duplicate would arrive now
    return left, unacked, time.monotonic() - started


def check_mail(sink: SmtpSink, first_pk: int, journey: Journey) -> Check:
    from notifications.models import Notification

    rows = list(Notification.objects.filter(pk__gt=first_pk).select_related("recipient"))
    wanted = {n.pk: n for n in rows if n.send_email}
    copies: dict[int | None, list[float]] = {}
    for message in sink.messages:
        match = re.match(r"<notification-(\d+)\.", message.message_id)
        copies.setdefault(int(match.group(1)) if match else None, []).append(message.at)
    problems = []
    for pk, n in wanted.items():
        if n.email_sent_at is None:
            problems.append(f"notification {pk} to {n.recipient.email} NOT SENT")
        times = sorted(copies.get(pk, []))
        if not times:
            problems.append(f"notification {pk}: no e-mail in the sink")
        elif len(times) > 1:
            killed = journey.killed_worker_at
            crash_window = (
                len(times) == 2
                and times[0] < killed
                and n.email_sent_at is not None
                and n.email_sent_at.timestamp() > killed
            )
            problems.append(
                f"notification {pk}: {len(times)} e-mails"
                + (
                    " (worker1 died after the mail server had accepted it and before it recorded "
                    "it; the copy the catch-up sent has the same Message-ID. Exactly once is "
                    "impossible between a mail server and a database; see README)"
                    if crash_window
                    else ""
                )
            )
    strangers = [pk for pk in copies if pk not in wanted]
    problems += [f"{len(copies[pk])} e-mail(s) of no new notification ({pk})" for pk in strangers]
    kinds = Counter(n.kind for n in wanted.values())
    by_kind = ", ".join(f"{kind}: {count}" for kind, count in sorted(kinds.items()))
    quiet = len(rows) - len(wanted)
    return Check(
        "no e-mail lost or sent twice",
        not problems and bool(wanted),
        f"{len(wanted)} notification e-mails due ({by_kind}), {len(sink.messages)} messages in "
        f"the SMTP sink"
        + ("" if problems else ", each notification's Message-ID exactly once")
        + (f"; {quiet} in-app only" if quiet else "")
        + ("" if not problems else "; PROBLEMS: " + "; ".join(problems[:10])),
    )


def check_balancer(cluster: Cluster, journey: Journey) -> Check:
    stats = haproxy_stats(cluster.work)
    retries = sum(int(row.get("wretr") or 0) for row in stats.values())
    redispatches = sum(int(row.get("wredis") or 0) for row in stats.values())
    errors = [a for a in ANSWERS if a.status >= 500]
    after = [a for a in ANSWERS if journey.killed_web_at <= a.at]
    before = [a for a in ANSWERS if a.at < journey.killed_web_at]
    nodes_before = Counter(a.node for a in before)
    nodes_after = Counter(a.node for a in after)
    slowest = max((a.seconds for a in after), default=0.0)
    ok = not errors and redispatches >= 1 and len(nodes_before) == 2
    return Check(
        "the other node answered within the balancer's retry",
        ok,
        f"{len(ANSWERS)} answers, {len(errors)} with 5xx; before the kill "
        f"{dict(sorted(nodes_before.items()))}, after it {dict(sorted(nodes_after.items()))}; "
        f"HAProxy sent {redispatches} connection(s) the dead node refused to the other one "
        f"(redispatch; tried again on the same node: {retries}); slowest answer after the kill "
        f"{slowest:.2f} s",
    )


def check_rejoin(cluster: Cluster, browsers: dict[str, Browser]) -> Check:
    """Web node 1 starts again and serves both sessions, also the one begun on node 2 alone."""
    start_web(cluster, "web1")
    wait_until(lambda: web_answers(cluster, "web1"), "web1 answers again", 90)
    wait_until(lambda: node_is(cluster, "web1", "UP"), "HAProxy takes web1 in again", 30)
    # Round robin gives a node that comes back a run of requests before it alternates again;
    # three requests a round, so that neither person stays on one node in lockstep.
    served: dict[str, Counter[str]] = {name: Counter() for name in browsers}
    signed_in = answers = 0
    for _ in range(8):
        for name in ("coordinator", "ngo", "ngo"):
            page = browsers[name].get("/dashboard/")
            served[name][page.history[-1].node] += 1
            answers += 1
            signed_in += int(page.status == 200 and "/accounts/login/" not in page.url)
        if all(counts["web1"] for counts in served.values()):
            break
    ok = signed_in == answers and all(counts["web1"] for counts in served.values())
    return Check(
        "the restarted node serves the same sessions",
        ok,
        f"{signed_in}/{answers} dashboards signed in; served "
        + ", ".join(f"{name}: {dict(sorted(c.items()))}" for name, c in served.items())
        + " (the NGO's session began after web1 had died)",
    )


# The run -------------------------------------------------------------------------------------


def run(cluster: Cluster, sink: SmtpSink, template: str) -> list[Check]:
    timings: dict[str, float] = {}
    say(f"cluster-check: working folder {cluster.work}, database {cluster.db_name}")
    say("- fresh database: migrate, seed_demo, collectstatic …")
    setup(cluster, timings, sink.port, template)
    say("  " + ", ".join(f"{what} {seconds:.0f} s" for what, seconds in timings.items()))

    started = time.monotonic()
    start_redis(cluster)
    for name in ("web1", "web2"):
        start_web(cluster, name)
    for name in ("worker1", "worker2"):
        start_worker(cluster, name)
    pem, cert = make_certificate(cluster.work)
    start_haproxy(cluster, pem)
    for name in ("web1", "web2"):
        wait_until(lambda n=name: web_answers(cluster, n), f"{name} answers", 90)  # type: ignore[misc]
    for name in ("worker1", "worker2"):
        wait_until(lambda n=name: worker_ready(cluster, n), f"{name} is ready", 90)  # type: ignore[misc]
    for name in ("web1", "web2"):
        wait_until(lambda n=name: node_is(cluster, n, "UP"), f"HAProxy sees {name} up", 30)  # type: ignore[misc]
    say(
        f"- started in {time.monotonic() - started:.0f} s: redis-server :{cluster.redis_port}, "
        f"gunicorn web1 :{cluster.web_ports['web1']} and web2 :{cluster.web_ports['web2']} "
        f"(2 workers each), Celery worker1 and worker2, HAProxy https://127.0.0.1:{cluster.lb_port}"
        f" (TLS, health check GET /readyz), SMTP sink :{sink.port}"
    )

    django_setup(cluster)
    from notifications.models import Notification

    first_pk = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    base = f"https://127.0.0.1:{cluster.lb_port}"
    browsers = {
        "coordinator": Browser(base, str(cert), COORDINATOR),
        "ngo": Browser(base, str(cert), NGO_REPRESENTATIVE),
    }
    journey = Journey(title=f"Mitternachtssport Cluster {secrets.token_hex(3)}")

    started = time.monotonic()
    browsers["coordinator"].log_in(COORDINATOR, PASSWORD)
    journey.coordinator_session = browsers["coordinator"].cookie("sessionid")

    def kill_web() -> None:
        kill_web_node(cluster, "web1")
        say("- web1 killed (SIGKILL of gunicorn's master and workers) after the upload")

    funding_journey(browsers["coordinator"], journey, kill_web)
    cluster.kill("worker1")
    journey.killed_worker_at = time.time()
    say("- worker1 killed (SIGKILL) right after the submission queued the e-mails")
    browsers["ngo"].log_in(NGO_REPRESENTATIVE, PASSWORD)
    exchange_journey(browsers["ngo"], journey)
    say(f"- journeys done in {time.monotonic() - started:.1f} s: " + ", ".join(journey.steps))
    say(f"  HAProxy sees web1 {haproxy_stats(cluster.work)['web1']['status']}")

    left, unacked, mail_seconds = wait_for_mail(cluster, first_pk)
    say(
        f"- e-mails: {left} still due after the live workers (the killed worker's), "
        f"{unacked} task message(s) it left unacknowledged in Redis; the periodic catch-up "
        f"(send_pending_emails, queued as beat does) sent the rest; {mail_seconds:.1f} s"
    )

    checks = check_steps(journey)
    checks.append(check_uploads(cluster, journey, browsers))
    checks.append(check_session(journey, browsers["coordinator"]))
    checks.append(check_mail(sink, first_pk, journey))
    checks.append(check_balancer(cluster, journey))
    checks.append(check_rejoin(cluster, browsers))
    return checks


def cleanup(cluster: Cluster, sink: SmtpSink, keep: bool) -> None:
    cluster.stop_all()
    sink.stop()
    if "django" in sys.modules:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
    if cluster.db_created:
        try:
            admin_execute("DROP DATABASE IF EXISTS {} WITH (FORCE)", cluster.db_name)
        except Exception as exc:
            say(f"cluster-check: could not drop {cluster.db_name}: {exc}")
    if keep:
        say(f"cluster-check: logs kept in {cluster.logs}")
    else:
        shutil.rmtree(cluster.work, ignore_errors=True)


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end the run like Ctrl-C, so the clean-up runs."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--keep", action="store_true", help="keep the folder with the logs")
    parser.add_argument(
        "--template",
        default="",
        metavar="NAME",
        help="copy the demo database from NAME when it exists, else save it there after seeding "
        "(repeated runs while developing; drop it with dropdb when the demo changes)",
    )
    args = parser.parse_args(argv)
    missing = require_tools()
    if missing:
        say("cluster-check: missing " + ", ".join(missing))
        say("  apt-get install haproxy redis-server openssl; make install")
        return 2
    started = time.monotonic()
    cluster = Cluster(
        work=Path(tempfile.mkdtemp(prefix="lpr-cluster-")),
        db_name=f"lpr_cluster_check_{os.getpid()}",
    )
    sink = SmtpSink().start()
    checks: list[Check] = []
    failed = True
    try:
        with stopped_by_signals():
            checks = run(cluster, sink, args.template)
        failed = not all(check.ok for check in checks)
    except (JourneyError, RuntimeError, subprocess.CalledProcessError) as exc:
        say(f"cluster-check: FAILED: {exc}")
        for name in cluster.processes:
            tail = cluster.log_tail(name, 8)
            if tail:
                say(f"--- {name} (last lines) ---\n{tail}")
    except KeyboardInterrupt:
        say("cluster-check: interrupted")
    finally:
        cleanup(cluster, sink, keep=args.keep or failed)
    say()
    for check in checks:
        line = f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}"
        say(textwrap.fill(line, width=100, subsequent_indent="      "))
    total = time.monotonic() - started
    if checks and not failed:
        say(f"\ncluster-check: all {len(checks)} checks passed in {total:.0f} s")
        return 0
    say(f"\ncluster-check: FAILED after {total:.0f} s")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
