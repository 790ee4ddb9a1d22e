"""The OpenAPI schema answers whole to concurrent first requests (a threaded server's Swagger UI and
Redoc asking at once): drf-spectacular's lazy extension loading is not thread-safe, so the view
generates one schema at a time. Run in a fresh process: the race is on a process's first schema."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = """
import json, re, threading
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
settings.ALLOWED_HOSTS = ["*"]
start = threading.Barrier(8)
answers = []

def ask():
    start.wait()
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    if response.status_code != 200:
        answers.append([response.status_code, []])
        return
    text = response.content.decode()
    defined = set(json.loads(text)["components"]["schemas"])
    dangling = sorted(set(re.findall(r"#/components/schemas/(\\w+)", text)) - defined)
    answers.append([200, dangling])

threads = [threading.Thread(target=ask) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(sorted(answers)))
"""


def test_eight_concurrent_first_schema_requests_all_get_the_whole_schema(tmp_path):
    # given: a fresh process (its own SQLite file unless the suite runs on PostgreSQL)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings", "PYTHONPATH": str(ROOT)}
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")

    # when
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=True
    )

    # then
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [[200, []]] * 8
