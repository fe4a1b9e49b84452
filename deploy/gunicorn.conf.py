"""Gunicorn configuration of the LPR Portal (`make serve`, `gunicorn -c deploy/gunicorn.conf.py`).

Every value can be set from the environment; see the README's table. The portal keeps no state in
a web process (sessions in the database, cache in Redis, uploads in the configured storage), so
any number of these processes may run on any number of machines behind a load balancer.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "lpr_portal.wsgi:application"
raw_env = ["DJANGO_SETTINGS_MODULE=lpr_portal.settings"]

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Workers are replaced now and then, so a slow leak never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# The portal is loaded and warmed up once, in the master, before it forks the workers
# (lpr_portal/warmup.py: URL configuration, translations, compiled templates). A new worker,
# also one that replaces a worker after max_requests, then serves its first page as fast as
# its thousandth instead of half a second late. A code change needs a restart, not a HUP.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").strip().lower() not in {"0", "false", "no"}
# Heartbeat files in memory, not on a possibly slow disk (gunicorn's own advice; the files hold
# no data, only their modification time).
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None

# Only these addresses (the load balancer or the local reverse proxy) may say by
# X-Forwarded-Proto that the request came over HTTPS; Django trusts request.is_secure() from it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "lpr-portal"


def when_ready(server: object) -> None:
    """In the master, after the portal is loaded and before the first worker is forked."""
    if preload_app:
        import gc

        from lpr_portal.warmup import warm_up

        warm_up()
        # What the master loaded is never garbage: out of the collector's sight, a worker's
        # full collections do not walk it (and do not copy its pages by touching them).
        gc.freeze()


def post_worker_init(worker: object) -> None:
    """In each new worker, before it accepts a request: its database connection (the master
    has none to share)."""
    if preload_app:
        from lpr_portal.warmup import connect

        connect()
