import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.models import DataElement
from tests.factories import DataElementFactory
from tests.tracker.dashboards.conftest import chart
from tracker.reporting.models import DataValue, Submission

PAGES = [
    reverse("dashboards:national"),
    reverse("dashboards:province", args=["91"]),
    reverse("dashboards:indicator", args=["DVC_TT"]),
    reverse("dashboards:directive", args=["kl-5-co"]),
]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, data, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("path", PAGES)
def test_every_signed_in_user_sees_the_approved_figures(client, data, officer_01, path):
    # given an officer of another province
    client.force_login(officer_01)

    # then
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_the_public_portal_opens_the_approved_figures_to_everyone_when_turned_on(client, data, settings, path):
    settings.PUBLIC_PORTAL = True

    response = client.get(path)

    assert response.status_code == 200
    assert "Đăng nhập" in response.text


@pytest.fixture
def submitted_october(data):
    """An Giang's October report, submitted and not yet approved: 700 of 1 000 dossiers online
    (70%, against the official 65%)."""
    online = DataElementFactory(code="DVC_ONLINE")
    received = DataElementFactory(code="DVC_RECEIVED")
    data.online.numerator, data.online.denominator, data.online.factor = "DVC_ONLINE", "DVC_RECEIVED", Decimal(100)
    data.online.save()
    data.form.elements.add(online, received)
    submission = Submission.objects.create(
        province=data.an_giang,
        form=data.form,
        period="2025-10",
        period_start=datetime.date(2025, 10, 1),
        period_end=datetime.date(2025, 10, 31),
        status=Submission.Status.SUBMITTED,
    )
    for code, amount in (("DVC_ONLINE", 700), ("DVC_RECEIVED", 1000)):
        DataValue.objects.create(
            submission=submission, element=DataElement.objects.get(code=code), value=Decimal(amount)
        )
    return submission


def card(response, code):
    return next(item for item in response.context["cards"] if item.indicator_code == code)


def test_an_officer_previews_their_own_province_s_unapproved_figures(client, officer_91, submitted_october):
    client.force_login(officer_91)

    response = client.get(reverse("dashboards:province", args=["91"]), {"preview": "1", "period": "2025-10"})

    assert response.context["preview"] is True
    assert card(response, "DVC_TT").value == Decimal("70")
    assert 'data-preview="1"' in response.text
    traces = {trace["name"]: trace for trace in chart(response, "xu-huong").figure["data"]}
    assert traces["Tạm tính (chưa phê duyệt)"]["y"][-1] == 70.0
    assert traces["Tỉnh An Giang"]["y"][-1] == 65.0


def test_a_reviewer_previews_any_province(reviewer_client, submitted_october):
    response = reviewer_client.get(reverse("dashboards:province", args=["91"]), {"preview": "1", "period": "2025-10"})

    assert card(response, "DVC_TT").value == Decimal("70")


def test_another_province_s_officer_only_ever_sees_approved_figures(client, officer_01, submitted_october):
    client.force_login(officer_01)

    response = client.get(reverse("dashboards:province", args=["91"]), {"preview": "1", "period": "2025-10"})

    assert response.context["preview"] is False
    assert card(response, "DVC_TT").value == Decimal("65")
    assert 'data-preview="1"' not in response.text
    assert "Xem số liệu tạm tính" not in response.text
    assert [trace["name"] for trace in chart(response, "xu-huong").figure["data"]][:2] == ["Tỉnh An Giang", "Cả nước"]
    assert "Tạm tính (chưa phê duyệt)" not in [trace["name"] for trace in chart(response, "xu-huong").figure["data"]]


def test_the_public_portal_never_previews(client, settings, submitted_october):
    settings.PUBLIC_PORTAL = True

    response = client.get(reverse("dashboards:province", args=["91"]), {"preview": "1", "period": "2025-10"})

    assert response.context["preview"] is False
    assert card(response, "DVC_TT").value == Decimal("65")


def test_the_official_page_offers_the_preview_only_to_those_allowed(client, officer_91, officer_01, data):
    client.force_login(officer_91)
    own = client.get(reverse("dashboards:province", args=["91"]))
    other = client.get(reverse("dashboards:province", args=["01"]))

    assert "Xem số liệu tạm tính (gồm số liệu chưa phê duyệt)" in own.text
    assert "Xem số liệu tạm tính" not in other.text
