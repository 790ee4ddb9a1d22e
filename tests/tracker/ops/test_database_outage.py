from unittest import mock

import pytest
from django.db import OperationalError, ProgrammingError, connection

from tracker.ops import middleware


@pytest.fixture
def broken_database():
    with mock.patch.object(middleware, "database_is_down", return_value=True):
        yield


@pytest.mark.django_db
def test_an_api_call_during_a_database_outage_gets_a_clean_503(client, broken_database, officer_91):
    client.force_login(officer_91)
    with mock.patch("tracker.notifications.selectors.unread_count", side_effect=OperationalError("connection refused")):
        response = client.get("/api/v1/notifications/unread/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.",
        "code": "service_unavailable",
    }


@pytest.mark.django_db
def test_a_page_during_a_database_outage_gets_a_clean_503(client, broken_database, officer_91):
    client.force_login(officer_91)
    with mock.patch(
        "tracker.notifications.selectors.notification_list", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/thong-bao/")

    assert response.status_code == 503
    assert "Tạm thời gián đoạn" in response.content.decode()


@pytest.mark.django_db
def test_a_broken_query_is_not_mistaken_for_an_outage():
    # the connection works: the error is the query's, and must stay a loud 500
    connection.ensure_connection()

    assert middleware.database_is_down(OperationalError("no such column")) is False
    assert middleware.database_is_down(ProgrammingError("syntax error")) is False


@pytest.mark.django_db
def test_a_connection_that_no_longer_answers_is_an_outage():
    with mock.patch.object(connection, "is_usable", return_value=False):
        assert middleware.database_is_down(OperationalError("server closed the connection")) is True
