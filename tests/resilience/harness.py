"""Own server processes for resilience tests: a PostgreSQL cluster (initdb + pg_ctl in a temporary
folder), a Redis server, gunicorn and Celery workers, each on a spare loopback port.

Nothing here touches the machine's shared PostgreSQL or Redis: every process is started here,
tracked by its id and stopped by that id.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEALTH_DETAILS_TOKEN = "resilience-health-details"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SECRET = "resilience-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def tools_missing() -> str | None:
    for tool in (PG_BIN / "initdb", PG_BIN / "pg_ctl"):
        if not tool.exists():
            return f"{tool} is missing"
    if shutil.which("redis-server") is None:
        return "redis-server is missing"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check, *, timeout: float, interval: float = 0.2, what: str = "condition"):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except Exception as exc:  # keep polling until the deadline
            last = exc
        time.sleep(interval)
    raise TimeoutError(f"timed out waiting for {what} (last: {last!r})")


def answers(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


class Postgres:
    """A throwaway cluster. initdb refuses root, so as root it runs as the `postgres` user."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.data = base / "pgdata"
        self.sockets = base / "pgsock"
        self.log = base / "postgres.log"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, check=True)

    def init(self) -> None:
        self.sockets.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.base, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        result = subprocess.run(
            [*prefix, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"], capture_output=True, timeout=30
        )
        return result.returncode == 0

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


class Redis:
    def __init__(self, base: Path) -> None:
        self.port = free_port()
        self.log = base / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: answers(self.port), timeout=20, what="redis")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


class Stack:
    """Own PostgreSQL (+ Redis if asked), an environment for the app, and its processes."""

    def __init__(self, *, with_redis: bool, extra_env: dict[str, str] | None = None) -> None:
        # Not pytest's tmp_path: its parent folder is private to root and the postgres user must enter.
        self.base = Path(tempfile.mkdtemp(prefix="tracker-resilience-"))
        os.chmod(self.base, 0o755)  # noqa: S103 - the postgres user must reach its data folder
        self.postgres = Postgres(self.base)
        self.redis = Redis(self.base) if with_redis else None
        self.extra_env = extra_env or {}
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env: dict[str, str] = {}

    def __enter__(self) -> Stack:
        self.postgres.init()
        self.postgres.start()
        database_url = self.postgres.create_database("tracker")
        if self.redis is not None:
            self.redis.start()
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "DJANGO_"))}
        self.env = {
            **keep,
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis.url if self.redis is not None else "",
            "SECRET_KEY": SECRET,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_FROM_APPS": "true",
            "API_THROTTLE_ENABLED": "false",
            "TRACKER_DEMO": "false",
            "DB_CONN_MAX_AGE": "60",  # persistent connections: the harder case after a restart
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
            "HEALTH_DETAILS_TOKEN": HEALTH_DETAILS_TOKEN,  # the checks' details, for the assertions
            **self.extra_env,
        }
        self.manage("migrate", "--noinput")
        return self

    def __exit__(self, *exc: object) -> None:
        for process in reversed(self.processes):
            self.kill(process, signal.SIGTERM)
        if self.redis is not None:
            self.redis.stop()
        if self.postgres.is_running():
            self.postgres.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)

    # -- commands and processes

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
        return result.stdout

    def python(self, code: str, timeout: float = 120) -> object:
        """Run code with Django set up against the stack's database; returns what it prints as JSON."""
        script = "import django, json\ndjango.setup()\n" + code
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**self.env, "DJANGO_SETTINGS_MODULE": "tracker.settings"},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"script failed:\n{result.stderr[-4000:]}")
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else None

    def spawn(self, args: list[str], log_name: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=(self.base / log_name).open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Signal the process and its children (its own session, started here)."""
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)

    def gunicorn(self, workers: int = 2) -> str:
        port = free_port()
        self.spawn(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tracker.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            "gunicorn.log",
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: http(base + "/health/")[0] in {200, 503}, timeout=60, what="gunicorn")
        return base

    def worker(self, *, name: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        return self.spawn(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tracker",
                "worker",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--hostname",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            f"{name}.log",
            env,
        )

    def log(self, name: str) -> str:
        path = self.base / name
        return path.read_text(errors="replace") if path.exists() else ""


def http(
    url: str, *, method: str = "GET", token: str | None = None, data: dict | None = None, timeout: float = 10
) -> tuple[int, dict | str]:
    """One request on loopback; the status and the decoded body, never an exception for an HTTP error."""
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - loopback test URLs only
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    if url.endswith("/health/") or "/health/?" in url:
        request.add_header("X-Health-Token", HEALTH_DETAILS_TOKEN)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read()
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
        content_type = error.headers.get("Content-Type", "")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
        return 0, str(error)
    text = raw.decode("utf-8", errors="replace")
    if content_type.startswith("application/json"):
        return status, json.loads(text)
    return status, text
