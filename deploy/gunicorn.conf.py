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
