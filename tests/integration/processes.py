"""Real processes for the roll-up integration tests: an own redis-server on a spare port, Celery
workers and one-shot Django scripts, all pointed at the pytest test database.

Nothing here touches the machine's shared Redis or PostgreSQL servers: the Redis server is
started here, and every process is stopped by its own id (its process group) in teardown.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], Any], *, timeout: float, what: str, interval: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except Exception as error:  # keep polling until the deadline
            last = error
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


def test_database_url() -> str:
    """The database pytest-django created for this run (test_<name>, per xdist worker)."""
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


class RedisServer:
    """A redis-server of our own, without persistence: a restart forgets every queued message."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.binary = binary
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(self._answers, timeout=20, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None
        wait_for(lambda: not self._answers(), timeout=10, what="redis-server to stop")


class Stack:
    """Environment shared by the worker and the scripts: the test database and our Redis."""

    def __init__(self, redis: RedisServer, workdir: Path) -> None:
        self.redis = redis
        self.workdir = workdir
        self.workers: list[subprocess.Popen] = []

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTEST", "DJANGO_", "COV_")) and key not in ("DATABASE_URL", "REDIS_URL")
        }
        env |= {
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": self.redis.url,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "integration-test-secret-key-0123456789"),
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "INFO",
        }
        return env | extra

    def start_worker(self, **extra_env: str) -> subprocess.Popen:
        log = self.workdir / f"worker-{len(self.workers)}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tracker",
                "worker",
                "-P",
                "solo",
                "-c",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                f"--logfile={log}",
            ],
            cwd=ROOT,
            env=self.env(**extra_env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(process)
        wait_for(lambda: log.exists() and " ready." in log.read_text(), timeout=90, what="the Celery worker")
        return process

    def kill_worker(self, process: subprocess.Popen) -> None:
        """SIGKILL, as an out-of-memory killer or a pulled plug would: no cleanup runs."""
        _stop(process, signal.SIGKILL)

    def run(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
        """python -m tests.integration.actions <args>, as another process of the deployment."""
        return subprocess.run(
            [sys.executable, "-m", "tests.integration.actions", *args],
            cwd=ROOT,
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def close(self) -> None:
        for process in self.workers:
            _stop(process)
        self.workers.clear()
