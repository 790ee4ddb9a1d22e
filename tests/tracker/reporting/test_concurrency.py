"""Two people saving the same version: one wins, the other gets a conflict with the stored
values; the refused request writes nothing (its author still has the figures on screen)."""

import re
import threading

import pytest
from django.db import connection

from tests.factories import UserFactory
from tests.tracker.reporting.conftest import api, audit_rows, fill, open_submission, values_of
from tracker.accounts.models import Role
from tracker.reporting import services
from tracker.reporting.errors import VersionConflict
from tracker.reporting.models import AuditEntry, Submission

CONFLICT_MESSAGE = (
    "Báo cáo đã được người khác thay đổi (phiên bản 3, bạn đang sửa phiên bản 2)."
    " Số liệu hiện tại được hiển thị; hãy xem lại và lưu lại."
)


@pytest.fixture
def colleague(an_giang):
    return UserFactory(username="officer_91b", role=Role.OFFICER, province=an_giang)


def test_second_save_of_the_same_version_gets_409_with_current_values(catalogue, an_giang, officer_91, colleague):
    # given: both officers opened the filled draft at version 2
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    url = f"/api/v1/submissions/{submission.pk}/values/"

    # when
    first = api(officer_91).patch(url, {"version": 2, "values": [{"element": "BTS_5G", "value": "330"}]}, format="json")
    second = api(colleague).patch(
        url, {"version": 2, "values": [{"element": "BTS_5G", "value": "340", "comment": "Theo Viettel"}]}, format="json"
    )

    # then
    assert (first.status_code, first.json()["version"]) == (200, 3)
    assert second.status_code == 409
    body = second.json()
    assert (body["code"], body["detail"], body["version"], body["status"]) == ("conflict", CONFLICT_MESSAGE, 3, "draft")
    assert {"element": "BTS_5G", "value": "330", "comment": ""} in body["values"]
    assert {"element": "FEE_ZERO", "value": "1", "comment": ""} in body["values"]
    submission.refresh_from_db()
    assert (submission.version, values_of(submission)["BTS_5G"]) == (3, ("330", None))
    assert audit_rows(submission)[-1:] == [("value", "BTS_5G", "320", "330", "", "officer_91", 3)]
    assert AuditEntry.objects.filter(kind="conflict").count() == 0


def test_stale_page_shows_the_current_values_and_keeps_what_was_typed(
    client, catalogue, an_giang, officer_91, colleague
):
    # given: the colleague saved 330 after the officer's page was rendered at version 2
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    services.submission_values_update(submission=submission, user=colleague, version=2, values={"BTS_5G": "330"})
    client.force_login(officer_91)
    data = {"version": "2", "action": "save"}
    for code, (value, _approved) in values_of(submission).items():
        data[f"value__{code}"] = value or ""
        data[f"comment__{code}"] = ""
    data["value__BTS_5G"] = "350"
    data["value__SIGNED_RATE"] = "87,5"

    # when
    response = client.post(f"/bao-cao/{submission.pk}/", data)

    # then: 409, the message, the stored 330 in the box, the typed 350 beside it, and the new version
    page = response.content.decode()
    assert response.status_code == 409
    assert CONFLICT_MESSAGE in page
    assert re.search(r'<input id="v-BTS_5G" name="value__BTS_5G"[^>]* value="330"', page)
    assert "Giá trị bạn vừa nhập (chưa lưu): 350" in page
    assert 'name="version" value="3"' in page
    submission.refresh_from_db()
    assert values_of(submission)["BTS_5G"] == ("330", None)
    assert AuditEntry.objects.filter(submission=submission, new_value="350").count() == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_truly_concurrent_saves_on_postgresql_one_wins_one_conflicts(catalogue, an_giang, officer_91, colleague):
    # given
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(user, raw):
        try:
            barrier.wait(timeout=10)
            services.submission_values_update(submission=submission.pk, user=user, version=2, values={"BTS_5G": raw})
            outcomes[user.username] = "saved"
        except VersionConflict:
            outcomes[user.username] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(officer_91, "330")),
        threading.Thread(target=save, args=(colleague, "340")),
    ]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    won, lost = ("330", "340") if winner == "officer_91" else ("340", "330")
    fresh = Submission.objects.get(pk=submission.pk)
    assert (fresh.version, values_of(fresh)["BTS_5G"][0]) == (3, won)
    assert [(kind, new) for kind, _e, _o, new, *_rest in audit_rows(fresh)[-1:]] == [("value", won)]
    assert AuditEntry.objects.filter(submission=fresh, new_value=lost).count() == 0
