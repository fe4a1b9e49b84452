#!/usr/bin/env bash
# `make serve`: the production stack on this machine with the production settings
# (DJANGO_ENV=production): migrate, collect the static files (hashed names for WhiteNoise), then
# gunicorn, a Celery worker and Celery beat. Stops all three when one of them ends or on Ctrl-C.
# SERVE_ROLES=web,worker,beat (default all three) chooses what runs on this node.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export DJANGO_ENV=production

missing=()
for name in DATABASE_URL REDIS_URL SECRET_KEY ALLOWED_HOSTS; do
  [[ -n "${!name:-}" ]] || missing+=("$name")
done
if ((${#missing[@]})); then
  {
    echo "make serve: es fehlen Umgebungsvariablen / missing environment variables: ${missing[*]}"
    echo "  DATABASE_URL   e.g. postgres://lpr:password@127.0.0.1:5432/lpr_portal"
    echo "  REDIS_URL      e.g. redis://127.0.0.1:6379/0"
    echo "  SECRET_KEY     e.g. \$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')"
    echo "  ALLOWED_HOSTS  e.g. portal.example.org"
    echo "See README.md, section Deployment."
  } >&2
  exit 2
fi

roles=",${SERVE_ROLES:-web,worker,beat},"
manage=("$VENV/bin/python" manage.py)

# The settings refuse an unsafe configuration here with a clear message (settings_guard.py).
if ! "${manage[@]}" check --deploy --fail-level ERROR; then
  echo "make serve: the configuration check failed (see above)" >&2
  exit 2
fi
if [[ $roles == *,web,* ]]; then
  "${manage[@]}" migrate --no-input
  "${manage[@]}" collectstatic --no-input --verbosity 0
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop INT TERM EXIT

if [[ $roles == *,web,* ]]; then
  "$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py &
  pids+=($!)
fi
if [[ $roles == *,worker,* ]]; then
  "$VENV/bin/celery" -A lpr_portal worker -l "${LOG_LEVEL:-info}" \
    --concurrency "${CELERY_CONCURRENCY:-2}" &
  pids+=($!)
fi
if [[ $roles == *,beat,* ]]; then
  "$VENV/bin/celery" -A lpr_portal beat -l "${LOG_LEVEL:-info}" &
  pids+=($!)
fi
if ((${#pids[@]} == 0)); then
  echo "make serve: SERVE_ROLES names none of web, worker, beat" >&2
  exit 2
fi

# The first process to end ends the stack (a supervisor such as systemd restarts it).
status=0
wait -n "${pids[@]}" || status=$?
echo "make serve: a process ended (status $status), stopping the others" >&2
exit "$status"
