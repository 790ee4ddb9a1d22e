"""The drill-down pages: a province's communes ranked on its page, the commune page, and the
scorecard with communes as rows (figures: tests/tracker/dashboards/commune_dataset.py)."""

import re

import pytest

from kpis.models import Indicator
from tests.factories import UserFactory
from tests.tracker.dashboards import commune_dataset
from tracker.accounts.models import Role

PROVINCE = "/bang-dieu-khien/tinh/91/"
COMMUNE = "/bang-dieu-khien/tinh/91/xa/30004/"


@pytest.fixture
def data(db):
    return commune_dataset.build()


@pytest.fixture
def reviewer_client(client, data):
    client.force_login(UserFactory(username="reviewer", role=Role.REVIEWER))
    return client


def _found(pattern: str, html: str) -> re.Match[str]:
    match = re.search(pattern, html, re.S)
    assert match is not None, pattern
    return match


def rows_of(html: str) -> list[tuple[str, str]]:
    """(commune code, the row's text without tags and extra spaces) of the communes' table."""
    found = re.findall(r'<tr data-commune="(\d+)"[^>]*>(.*?)</tr>', html, re.S)
    return [(code, " ".join(re.sub(r"<[^>]+>", " ", body).split())) for code, body in found]


def test_province_page_ranks_its_communes_and_highlights_those_behind(reviewer_client):
    response = reviewer_client.get(PROVINCE, {"period": "2025-10"})

    html = response.content.decode()
    assert response.status_code == 200
    assert rows_of(html) == [
        ("30001", "1 Xã Mỹ Hòa Hưng 85 % 60 % ▲1 80 % ✓ Đã đạt"),
        ("30002", "2 Phường Long Xuyên ⚠ Chậm tiến độ 70 % 75 % ▼1 80 % ↘ Chậm"),
        ("30003", "2 Xã Tân Hiệp ⚠ Chậm tiến độ 70 % 50 % ▲1 80 % → Cần đẩy nhanh"),
        ("30004", "Đặc khu Phú Quốc 40 % (số liệu kỳ 09/2025) 40 % 80 % … Chưa có số liệu kỳ này"),
    ]
    assert html.count('data-behind="1"') == 2
    assert "3/4 xã có số liệu" in html
    assert "3/4 báo cáo cấp xã đã được duyệt" in html
    assert "2 xã chậm tiến độ (tô nền)" in html
    assert 'href="/bang-dieu-khien/tinh/91/xa/30001/?period=2025-10"' in html


def test_province_page_in_english(reviewer_client):
    response = reviewer_client.get(PROVINCE, {"period": "2025-10", "lang": "en"})

    html = response.content.decode()
    assert rows_of(html)[3] == (
        "30004",
        "Đặc khu Phú Quốc 40 % (data of 2025-09) 40 % 80 % … No data for this period",
    )
    assert "3/4 communes with figures" in html
    assert "3/4 commune reports approved" in html
    assert "2 communes behind schedule (shaded)" in html
    assert "Communes, wards and special zones" in html


def test_commune_page_shows_statuses_as_of_the_period_and_reporting(reviewer_client):
    response = reviewer_client.get(COMMUNE, {"period": "2025-10"})

    html = response.content.decode()
    assert response.status_code == 200
    row = _found(r'<tr data-indicator="XA_TRUC_TUYEN"[^>]*>(.*?)</tr>', html)
    assert " ".join(re.sub(r"<[^>]+>", " ", row.group(1)).split()) == (
        "Tỷ lệ hồ sơ trực tuyến tại xã 10/2025 – 40 % (số liệu kỳ 09/2025) 80 % – – … Chưa có số liệu kỳ này"
    )
    reporting = _found(r"<dl class=\"definition\" data-reporting>(.*?)</dl>", html).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", reporting).split()) == (
        "Báo cáo phải nộp 1 Đúng hạn 0 Nộp muộn 0 Chưa nộp (quá hạn) 1 Chưa đến hạn 0 Đã được duyệt 0"
    )
    crumbs = _found(r'<nav class="breadcrumbs".*?</nav>', html).group(0)
    assert " ".join(re.sub(r"<[^>]+>", " ", crumbs).split()) == "Toàn quốc Tỉnh An Giang Đặc khu Phú Quốc"
    assert response.context["charts"][0].key == "xu-huong-xa"
    assert "Toàn Tỉnh An Giang: 3/4 báo cáo cấp xã đã được duyệt." in html


def test_commune_page_with_a_value_gives_its_rank_in_the_province(reviewer_client):
    response = reviewer_client.get("/bang-dieu-khien/tinh/91/xa/30003/", {"period": "2025-10", "lang": "en"})

    html = response.content.decode()
    row = _found(r'<tr data-indicator="XA_TRUC_TUYEN"[^>]*>(.*?)</tr>', html)
    assert " ".join(re.sub(r"<[^>]+>", " ", row.group(1)).split()) == (
        "Share of commune dossiers handled online 2025-10 70 % 80 % – 2/3 → Needs acceleration"
    )
    assert 'class="behind"' in row.group(0)


def test_english_commune_page_names_a_word_unit_in_english_and_ticks_the_chart_by_period(reviewer_client):
    # given: an indicator counted in a Vietnamese word unit
    Indicator.objects.filter(code="XA_TRUC_TUYEN").update(unit="lượt người")

    # when
    response = reviewer_client.get(COMMUNE, {"period": "2025-10", "lang": "en"})

    # then
    row = _found(r'<tr data-indicator="XA_TRUC_TUYEN"[^>]*>(.*?)</tr>', response.content.decode())
    assert " ".join(re.sub(r"<[^>]+>", " ", row.group(1)).split()) == (
        "Share of commune dossiers handled online 2025-10 – 40 person-times (data of 2025-09) "
        "80 person-times – – … No data for this period"
    )
    layout = response.context["charts"][0].figure["layout"]
    assert layout["yaxis"]["title"]["text"] == "person-times"
    assert (layout["xaxis"]["tickvals"], layout["xaxis"]["ticktext"]) == (["2025-09-30"], ["2025-09"])


def test_commune_chart_csv_gives_the_commune_and_province_series(reviewer_client):
    response = reviewer_client.get(COMMUNE, {"period": "2025-10", "csv": "xu-huong-xa"})

    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Kỳ,Đặc khu Phú Quốc,Tỉnh An Giang",
        "09/2025,40,56",
    ]


@pytest.mark.parametrize("period", ["2025-13", "abc", "2099-01"])
def test_a_malformed_or_future_period_is_refused(reviewer_client, period):
    assert reviewer_client.get(COMMUNE, {"period": period}).status_code == 400
    assert reviewer_client.get("/bang-dieu-khien/bang-diem/tinh/91/", {"period": period}).status_code == 400


def test_commune_of_another_province_in_the_url_is_not_found(reviewer_client):
    assert reviewer_client.get("/bang-dieu-khien/tinh/01/xa/30001/").status_code == 404
    assert reviewer_client.get("/bang-dieu-khien/tinh/91/xa/99999/").status_code == 404


def test_scorecard_of_a_province_has_its_communes_as_rows(reviewer_client, data):
    data.indicator.objectives.create(
        directive=data.province_target.source, code="XA1", title="Dịch vụ công cấp xã", group="DVC", order=1
    )

    response = reviewer_client.get("/bang-dieu-khien/bang-diem/tinh/91/", {"period": "2025-10", "van-ban": "qd-xa"})

    html = response.content.decode()
    assert response.status_code == 200
    rows = re.findall(r'<tr data-province="(\d+)">.*?<td class="score"[^>]*><a [^>]*>([^<]*)</a>', html, re.S)
    # by name: Đặc khu Phú Quốc (no assessed indicator), Phường Long Xuyên, Xã Mỹ Hòa Hưng, Xã Tân Hiệp
    assert rows == [
        ("30004", "chưa đủ dữ liệu"),
        ("30002", "0/1 · 0 %"),
        ("30001", "1/1 · 100 %"),
        ("30003", "0/1 · 0 %"),
    ]
    assert 'href="/bang-dieu-khien/tinh/91/xa/30001/"' in html
