import pytest
from rest_framework.test import APIClient

from tracker.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(people):
    def make(user, n, **extra):
        return Notification.objects.create(
            recipient=user, event="due_soon", key=f"k{n}", period="2026-10", title=f"Thông báo {n}", **extra
        )

    return make


@pytest.fixture
def api(people):
    def as_user(username):
        client = APIClient()
        client.force_authenticate(people[username])
        return client

    return as_user


def test_the_centre_lists_the_users_own_notifications(client, people, notes):
    # given
    notes(people["officer_91"], 1)
    notes(people["officer_01"], 2)
    client.force_login(people["officer_91"])

    # when
    response = client.get("/thong-bao/")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thông báo 1" in html
    assert "Thông báo 2" not in html


def test_the_centre_needs_a_login(client):
    response = client.get("/thong-bao/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_marks_a_notification_read(client, people, notes):
    note = notes(people["officer_91"], 1)
    client.force_login(people["officer_91"])

    response = client.post(f"/thong-bao/{note.pk}/da-doc/")

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_user_cannot_mark_someone_elses_notification(client, people, notes):
    note = notes(people["officer_01"], 1)
    client.force_login(people["officer_91"])

    response = client.post(f"/thong-bao/{note.pk}/da-doc/")

    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_the_return_address_must_stay_on_the_site(client, people, notes):
    note = notes(people["officer_91"], 1)
    client.force_login(people["officer_91"])

    response = client.post(f"/thong-bao/{note.pk}/da-doc/", {"next": "https://evil.example.com/"})

    assert response["Location"] == "/thong-bao/"


def test_a_user_chooses_in_app_only_on_the_page(client, people):
    client.force_login(people["officer_91"])

    response = client.post("/thong-bao/cach-nhan/", {"channel": "in_app"})

    assert response.status_code == 302
    assert Preference.objects.get(user=people["officer_91"]).channel == "in_app"


def test_an_unknown_channel_is_refused(client, people):
    client.force_login(people["officer_91"])

    client.post("/thong-bao/cach-nhan/", {"channel": "sms"})

    assert not Preference.objects.exists()


def test_the_api_lists_only_the_callers_notifications(api, people, notes):
    notes(people["officer_91"], 1)
    notes(people["officer_91"], 2, read_at="2026-11-01T00:00:00Z")
    notes(people["officer_01"], 3)

    response = api("officer_91").get("/api/v1/notifications/")

    assert response.status_code == 200
    assert [n["title"] for n in response.json()["results"]] == ["Thông báo 2", "Thông báo 1"]
    unread = api("officer_91").get("/api/v1/notifications/?unread=1").json()["results"]
    assert [n["title"] for n in unread] == ["Thông báo 1"]
    assert api("officer_91").get("/api/v1/notifications/unread/").json() == {"unread": 1}


def test_the_api_marks_read_only_the_callers_notifications(api, people, notes):
    mine = notes(people["officer_91"], 1)
    theirs = notes(people["officer_01"], 2)

    assert api("officer_91").post(f"/api/v1/notifications/{mine.pk}/read/").json() == {"marked": 1}
    assert api("officer_91").post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_marks_all_read(api, people, notes):
    notes(people["officer_91"], 1)
    notes(people["officer_91"], 2)
    other = notes(people["officer_01"], 3)

    assert api("officer_91").post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    other.refresh_from_db()
    assert other.read_at is None


def test_the_api_reads_and_sets_the_channel(api, people):
    client = api("reviewer")

    assert client.get("/api/v1/notifications/preference/").json() == {"channel": "email"}
    assert client.put("/api/v1/notifications/preference/", {"channel": "in_app"}, format="json").json() == {
        "channel": "in_app"
    }
    assert client.put("/api/v1/notifications/preference/", {"channel": "sms"}, format="json").status_code == 400
    assert Preference.objects.get(user=people["reviewer"]).channel == "in_app"


def test_the_api_refuses_anonymous_callers():
    assert APIClient().get("/api/v1/notifications/").status_code == 401


def test_the_list_query_count_does_not_grow_with_notifications(api, people, notes, django_assert_num_queries):
    client = api("officer_91")
    for n in range(30):
        notes(people["officer_91"], n)

    # count for the pagination, then the page
    with django_assert_num_queries(2):
        response = client.get("/api/v1/notifications/")

    assert response.json()["count"] == 30
