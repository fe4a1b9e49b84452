"""The measuring parts of `make bench` (scripts/bench.py): load, memory, mail and the tables.

Nothing here starts the portal or touches its data: wrk drives a running server, the memory
sampler reads /proc, the mail sink counts what the workers hand to SMTP, and the table functions
turn figures into Markdown. tests/deploy/test_bench.py runs them on a small scale.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socketserver
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: wrk's Lua hooks: count answers that are not 200 and print the figures as one JSON line.
WRK_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function response(status, headers, body)
  if status ~= 200 then
    not_ok = (not_ok or 0) + 1
  end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("not_ok") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.6f, "not_ok": %d, "socket_errors": %d,'
    .. ' "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\\n',
    summary.requests, summary.duration / 1e6, bad,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""


@dataclass(frozen=True)
class Load:
    """What wrk measured on one address."""

    requests: int
    seconds: float
    not_ok: int
    socket_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_wrk(output: str) -> Load:
    """The figures of the JSON line the Lua script prints (ValueError when there is none)."""
    for line in output.splitlines():
        if line.startswith("BENCH "):
            data = json.loads(line.removeprefix("BENCH "))
            return Load(**data)
    raise ValueError(f"wrk printed no figures:\n{output}")


def run_wrk(
    url: str,
    *,
    headers: dict[str, str],
    seconds: float,
    connections: int,
    threads: int = 2,
    timeout: float = 30.0,
) -> Load:
    """Drive ``url`` with wrk for ``seconds`` and return its figures."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is missing: apt-get install wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = [
            wrk,
            f"-t{max(1, min(threads, connections))}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={round(timeout)}s",
            "-s",
            script.name,
        ]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        done = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=seconds + timeout + 30
        )
    finally:
        os.unlink(script.name)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


# Memory ---------------------------------------------------------------------------------------


def children_of(parent: int) -> list[int]:
    """Process ids whose parent is ``parent`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after it.
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == parent:
            found.append(int(entry.name))
    return found


def resident_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KiB: now and its peak; (0, 0) when it has gone."""
    values = {"VmRSS": 0, "VmHWM": 0}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in values:
                values[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return 0, 0
    return values["VmRSS"], values["VmHWM"]


@dataclass
class MemorySampler:
    """Samples the resident memory of the children of a process (gunicorn's workers)."""

    parent: int
    interval: float = 0.5
    peak_kib: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        for pid in children_of(self.parent):
            rss, hwm = resident_kib(pid)
            self.peak_kib[pid] = max(self.peak_kib.get(pid, 0), rss, hwm)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def start(self) -> MemorySampler:
        self.sample()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()

    @property
    def max_mib(self) -> float:
        return max(self.peak_kib.values(), default=0) / 1024


# Mail -----------------------------------------------------------------------------------------


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: greet, accept every message, count it."""

    server: MailSink

    def _say(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())

    def handle(self) -> None:
        self._say("220 bench mail sink")
        while line := self.rfile.readline():
            verb = line.decode("latin-1").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._say("250-bench")
                self._say("250 8BITMIME")
            elif verb == "DATA":
                self._say("354 go ahead")
                while self.rfile.readline() not in (b".\r\n", b".\n", b""):
                    pass  # the message itself is not kept
                self.server.count()
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self._say("250 ok")


class MailSink(socketserver.ThreadingTCPServer):
    """An SMTP server on 127.0.0.1 that counts the messages it receives (and keeps none)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _SmtpHandler)
        self._lock = threading.Lock()
        self.received = 0

    def count(self) -> None:
        with self._lock:
            self.received += 1

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> MailSink:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


# Waiting --------------------------------------------------------------------------------------


def wait_until(
    condition: Callable[[], bool], *, timeout: float, interval: float = 0.5, what: str = ""
) -> float:
    """Seconds until ``condition()`` held; TimeoutError after ``timeout``."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{what or 'condition'} not reached within {timeout:.0f} s")
        time.sleep(interval)
    return time.perf_counter() - started


# Tables ---------------------------------------------------------------------------------------

#: A page below this share of /healthz's requests per second is listed as slow.
SLOW_SHARE = 0.10


@dataclass(frozen=True)
class PageFigures:
    role: str
    path: str
    queries: int | None
    load: Load | None
    note: str = ""
    #: One request alone in the benchmark's process, rendered afresh (no cached fragment): the
    #: time in SQL and the whole time.
    sql_ms: float | None = None
    alone_ms: float | None = None
    slowest_ms: float | None = None
    slowest_sql: str = ""
    #: The same request with its fragments from the cache: queries and the whole time.
    cached_queries: int | None = None
    cached_ms: float | None = None

    def share_of(self, healthz: float) -> float | None:
        if self.load is None or not healthz:
            return None
        return self.load.per_second / healthz


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def markdown_table(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, right: Iterable[int] = ()
) -> str:
    """A Markdown table; the columns numbered in ``right`` are right-aligned (figures)."""
    aligned = set(right)
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if i in aligned else "---" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def page_table(pages: Sequence[PageFigures], healthz: float) -> str:
    """One row per page: queries, median and p95 latency, requests per second, share of /healthz."""
    rows = []
    for page in pages:
        load, share = page.load, page.share_of(healthz)
        rows.append(
            [
                page.role,
                f"`{page.path}`" + (f" ({page.note})" if page.note else ""),
                "–" if page.queries is None else page.queries,
                "–" if page.sql_ms is None else _ms(page.sql_ms),
                "–" if page.alone_ms is None else _ms(page.alone_ms),
                "–" if page.cached_queries is None else page.cached_queries,
                "–" if page.cached_ms is None else _ms(page.cached_ms),
                load.requests if load else "–",
                _ms(load.p50_ms) if load else "–",
                _ms(load.p95_ms) if load else "–",
                f"{load.per_second:.1f}" if load else "–",
                f"{share * 100:.1f} %" if share is not None else "–",
            ]
        )
    return markdown_table(
        [
            "role",
            "page",
            "SQL",
            "SQL ms",
            "alone ms",
            "cached SQL",
            "cached ms",
            "requests",
            "median ms",
            "p95 ms",
            "req/s",
            "of /healthz",
        ],
        rows,
        right=range(2, 12),
    )


def slow_pages(pages: Sequence[PageFigures], healthz: float) -> list[PageFigures]:
    """Pages under SLOW_SHARE of /healthz, the slowest first."""
    slow = [p for p in pages if (share := p.share_of(healthz)) is not None and share < SLOW_SHARE]
    return sorted(slow, key=lambda p: p.share_of(healthz) or 0.0)


def short_sql(sql: str, length: int = 220) -> str:
    """A query as a reader wants it in a report: the column list elided, one line, cut."""
    text = " ".join(sql.split())
    cursor = re.match(r'DECLARE "[^"]+" NO SCROLL CURSOR WITH HOLD FOR (.*)', text)
    if cursor:
        text = "[server-side cursor] " + cursor[1]
    text = re.sub(
        r"SELECT (DISTINCT )?(.*?) FROM ",
        lambda m: m[0] if len(m[2]) <= 60 else f"SELECT {m[1] or ''}… FROM ",  # noqa: S608 - text for a report, never run
        text,
        count=1,
    )
    return text if len(text) <= length else text[: length - 1] + "…"


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0
