"""A notification reads in its reader's language: the page's for the centre and the API, the
recipient's last choice for e-mail. Rows written before notifications kept their parameters
show the words they were stored with."""

import datetime

import pytest
from django.conf import settings

from tracker.notifications import delivery, services
from tracker.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db

TITLE_VI = "Báo cáo chờ phê duyệt: Báo cáo tháng tháng 10/2026"
BODY_VI = "officer_91 đã gửi báo cáo Báo cáo tháng tháng 10/2026 của Tỉnh An Giang; báo cáo đang chờ anh/chị phê duyệt."
TITLE_EN = "Report awaiting approval: Monthly report 10/2026"
BODY_EN = "officer_91 has submitted report Monthly report 10/2026 for An Giang; it is awaiting your approval."


@pytest.fixture
def named_in_english(monthly_form, an_giang):
    monthly_form.name_en = "Monthly report"
    monthly_form.save(update_fields=["name_en"])
    an_giang.name_en = "An Giang"
    an_giang.save(update_fields=["name_en"])


@pytest.fixture
def awaiting(people, an_giang, submission_factory, named_in_english):
    submission = submission_factory(an_giang, status="submitted", submitted=True, version=4)
    services.submission_event(submission=submission, event="submitted", actor=people["officer_91"])
    return Notification.objects.get()


def _reader(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(("language", "title", "body"), [("vi", TITLE_VI, BODY_VI), ("en", TITLE_EN, BODY_EN)])
def test_the_same_notification_reads_in_each_readers_language_in_the_api(
    client, people, awaiting, english, language, title, body
):
    # given
    reader = _reader(client, people["approver_91"], language)

    # when
    found = reader.get("/api/v1/notifications/").json()["results"]

    # then
    assert [(n["id"], n["title"], n["body"]) for n in found] == [(awaiting.pk, title, body)]


def test_the_notification_centre_shows_the_words_in_the_page_language(client, people, awaiting, english):
    # given
    reader = _reader(client, people["approver_91"], "en")

    # when
    page = reader.get("/thong-bao/").content.decode()

    # then
    assert f"<h2>{TITLE_EN}</h2>" in page
    assert f"<p>{BODY_EN}</p>" in page
    assert "chờ phê duyệt" not in page and "Tỉnh An Giang" not in page


def test_the_stored_words_stay_vietnamese_for_the_admins_search(awaiting):
    assert (awaiting.title, awaiting.body) == (TITLE_VI, BODY_VI)
    assert awaiting.params["form"] == {"vi": "Báo cáo tháng", "en": "Monthly report"}


def test_choosing_english_on_the_site_makes_the_emails_english(
    client, people, an_giang, submission_factory, named_in_english, english, mailoutbox
):
    # given: the approver switched the site to English; the other approver of no choice stays Vietnamese
    client.force_login(people["approver_91"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    submission = submission_factory(an_giang, status="submitted", submitted=True, version=4)

    # when
    services.submission_event(submission=submission, event="submitted", actor=people["officer_91"])
    sent = delivery.emails_deliver()

    # then
    assert Preference.objects.get(user=people["approver_91"]).language == "en"
    assert sent == 1
    [mail] = mailoutbox
    assert mail.subject == f"[Digital transformation KPIs] {TITLE_EN}"
    assert mail.body == (
        f"{BODY_EN}\n\n"
        f"Details: https://kpi.example.gov.vn/bao-cao/{submission.pk}/xem-xet/\n\n"
        "You can change how you receive notifications in the system's Notifications section."
    )


def test_a_user_who_never_chose_gets_vietnamese_email(
    people, an_giang, submission_factory, named_in_english, english, mailoutbox
):
    submission = submission_factory(an_giang, status="approved", submitted=True, version=6)

    services.submission_event(submission=submission, event="approved", actor=people["approver_91"])
    delivery.emails_deliver()

    [mail] = mailoutbox
    assert mail.to == ["officer_91@example.gov.vn"]
    assert mail.subject == "[KPI chuyển đổi số] Báo cáo đã được phê duyệt: Báo cáo tháng tháng 10/2026"
    assert mail.body.startswith("approver_91 đã phê duyệt báo cáo Báo cáo tháng tháng 10/2026 của Tỉnh An Giang.\n\n")


def test_a_reminder_writes_the_due_date_as_each_language_does(
    people, monthly_form, named_in_english, english, mailoutbox
):
    # given: the officer chose English, the approver did not; the report is due 5 November 2026
    services.language_remember(user=people["officer_91"], language="en")

    # when: five days before
    services.reminders_send(today=datetime.date(2026, 10, 31))
    delivery.emails_deliver()

    # then
    by_recipient = {mail.to[0].split("@")[0]: mail for mail in mailoutbox}
    assert by_recipient["officer_91"].subject == (
        "[Digital transformation KPIs] 5 day(s) left until Monthly report 10/2026 is due"
    )
    assert by_recipient["officer_91"].body.startswith(
        "Report Monthly report 10/2026 for An Giang is due on 5 November 2026.\n\n"
    )
    assert by_recipient["officer_01"].body.startswith(
        "Hạn nộp báo cáo Báo cáo tháng tháng 10/2026 của Thành phố Hà Nội là ngày 05/11/2026.\n\n"
    )


def test_the_weekly_digest_reads_in_english(client, people, monthly_form, named_in_english, english):
    # given: the October report is 3 days late everywhere on 8 November
    services.weekly_digest_send(today=datetime.date(2026, 11, 8))
    reader = _reader(client, people["reviewer"], "en")

    # when
    [found] = reader.get("/api/v1/notifications/").json()["results"]

    # then: An Giang in English, Hà Nội with no English name keeps its Vietnamese one
    assert found["title"] == "Weekly digest 2026-W45: 2 overdue report(s)"
    assert found["body"] == (
        "- Thành phố Hà Nội: Monthly report 10/2026, 3 day(s) overdue\n"
        "- An Giang: Monthly report 10/2026, 3 day(s) overdue\n"
        "Submitted reports awaiting approval by provincial leaders: 0."
    )


def test_a_notification_stored_before_parameters_shows_its_stored_words(client, people, english):
    # given: a row of the first version, words only
    Notification.objects.create(
        recipient=people["officer_91"],
        event="approved",
        key="submission:1:v1",
        period="2026-09",
        title="Cũ",
        body="Nội dung cũ",
    )
    reader = _reader(client, people["officer_91"], "en")

    # when
    [found] = reader.get("/api/v1/notifications/").json()["results"]

    # then
    assert (found["title"], found["body"]) == ("Cũ", "Nội dung cũ")


def test_signing_in_with_english_chosen_remembers_it(client, people):
    # given: English chosen on the login page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # when
    client.post("/accounts/login/", {"username": "officer_91", "password": "pw"})

    # then
    assert Preference.objects.get(user=people["officer_91"]).language == "en"


def test_an_unknown_language_is_not_remembered(people):
    assert services.language_remember(user=people["officer_91"], language="fr") is False
    assert services.language_remember(user=people["officer_91"], language="en") is True
    assert services.language_remember(user=people["officer_91"], language="en") is False
    assert Preference.objects.get(user=people["officer_91"]).language == "en"
