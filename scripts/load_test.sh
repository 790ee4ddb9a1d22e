#!/usr/bin/env bash
# Month-end load test on this machine's loopback: gunicorn + PostgreSQL + Redis + a Celery worker and beat.
#   scripts/load_test.sh [seconds]      (default 120; the run stops by itself)
# Uses its own database (h_ops_load) and Redis db (12) on the local services unless DATABASE_URL /
# REDIS_URL say otherwise. Starts gunicorn, one worker and beat, and stops exactly those at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_SECONDS="${1:-120}"
PY=.venv/bin/python
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/h_ops_load}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/12}"
export SECRET_KEY="${SECRET_KEY:-load-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz}"
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false STATIC_FROM_APPS=true
export LOG_LEVEL=WARNING DB_CONN_MAX_AGE=60 TRACKER_DEMO=false
PORT="${PORT:-$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
WORKERS="${WEB_WORKERS:-4}"
LOGS="$(mktemp -d /tmp/tracker-load-XXXXXX)"

$PY - <<'PY'
import os, psycopg, urllib.parse
url = urllib.parse.urlparse(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
                     dbname="postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
PY
$PY manage.py migrate --noinput >/dev/null
$PY manage.py load_catalogue >/dev/null
$PY manage.py load_test --setup-only

$PY -m gunicorn tracker.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" --timeout 60 \
  >"$LOGS/gunicorn.log" 2>&1 &
WEB_PID=$!
$PY -m celery -A tracker worker --concurrency 1 --loglevel WARNING >"$LOGS/worker.log" 2>&1 &
WORKER_PID=$!
$PY -m celery -A tracker beat --loglevel WARNING --schedule "$LOGS/beat-schedule" >"$LOGS/beat.log" 2>&1 &
BEAT_PID=$!
trap 'kill "$WEB_PID" "$WORKER_PID" "$BEAT_PID" 2>/dev/null || true; wait "$WEB_PID" "$WORKER_PID" "$BEAT_PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/health/" >/dev/null 2>&1 && break
  sleep 1
done
echo "gunicorn: $WORKERS workers on 127.0.0.1:$PORT; logs in $LOGS"
$PY manage.py load_test --base-url "http://127.0.0.1:$PORT" --seconds "$RUN_SECONDS" --json "$LOGS/report.json"
echo "health after the run: $(curl -s "http://127.0.0.1:$PORT/health/")"
