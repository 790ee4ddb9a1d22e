import json
import logging

from tracker.ops.jsonlog import JsonFormatter


def test_json_logs_are_one_object_per_line_with_the_extra_fields():
    record = logging.makeLogRecord(
        {
            "name": "tracker.security",
            "levelname": "WARNING",
            "msg": "login failed user=%s",
            "args": ("cán_bộ",),
            "created": 1793750400.0,
            "event": "login_failed",
            "ip": "10.0.0.1",
        }
    )

    line = JsonFormatter().format(record)

    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-11-04T00:00:00.000+00:00",
        "level": "WARNING",
        "logger": "tracker.security",
        "message": "login failed user=cán_bộ",
        "event": "login_failed",
        "ip": "10.0.0.1",
    }
