"""An administrator who chose English walks the main pages and reads no Vietnamese but proper
names (provinces, the number of a decree, the language switch's “Tiếng Việt”).

The walk covers the home page, the exports, the notifications (one written while the page was
Vietnamese), the reports' inbox, the national dashboard (its indicator link and index choices name
the catalogue in English), the scorecard, a directive's and an indicator's page (objective groups,
issuers, reasons and units from the project's English lists) and the admin (with django-axes and
DRF's token pages, whose labels the project translates, and the notifications' list).
"""

import unicodedata

import pytest
from django.utils import translation

from kpis.models import CompositeIndex, Directive, Indicator, Objective, ReportForm
from provinces.models import Province
from tests.tracker.dashboards import dataset as hand_made
from tracker.dashboards import selectors
from tracker.notifications.services import Draft, notifications_create

pytestmark = pytest.mark.django_db(transaction=True)

RETURNED = {
    "form": {"vi": "Báo cáo tháng", "en": "Monthly digital-transformation report"},
    "period": "2025-10",
    "province": {"vi": "Tỉnh An Giang", "en": "An Giang"},
    "actor": "approver_91",
    "comment": "",
}

PAGES = [
    "/",
    "/xuat-nhap/",
    "/thong-bao/",
    "/bao-cao/hop-thu/",
    "/bang-dieu-khien/?indicator=DVC_TT",
    "/bang-dieu-khien/bang-diem/",
    "/bang-dieu-khien/van-ban/kl-5-co/",
    "/bang-dieu-khien/chi-tieu/TRAM_5G/",
    "/admin/",
    "/admin/notifications/notification/",
    "/admin/axes/accessattempt/",
    "/admin/authtoken/tokenproxy/",
]


@pytest.fixture
def data(transactional_db, monkeypatch):
    """The hand-made data set with the English names its seed files would carry."""
    monkeypatch.setattr(selectors, "today", lambda: hand_made.TODAY)
    built = hand_made.build()
    Indicator.objects.filter(code="DVC_TT").update(name_en="Applications handled fully online")
    Indicator.objects.filter(code="TRAM_5G").update(name_en="5G base stations")
    ReportForm.objects.update(name_en="Monthly digital-transformation report")
    CompositeIndex.objects.update(name_en="Provincial Digital Transformation Index (DTI)")
    Directive.objects.update(title_en="Conclusion on the “five haves”")
    Objective.objects.update(title_en="An objective of the directive")
    # Directives carry their issuer and reasons as the seed files write them (translated in the project's lists).
    Directive.objects.update(issuer="Văn phòng Chính phủ")
    Objective.objects.exclude(not_measurable_reason="").update(
        not_measurable_reason="Chưa có chỉ tiêu dữ liệu cấp tỉnh trong các văn bản nguồn."
    )
    for province in Province.objects.all():
        province.name_en = province.name.replace("Tỉnh ", "").replace("Thành phố ", "")
        province.save()
    return built


def vietnamese_words(text: str, proper_names: set[str]) -> list[str]:
    for name in sorted(proper_names, key=len, reverse=True):
        text = text.replace(name, " ")
    words = []
    for word in text.split():
        decomposed = unicodedata.normalize("NFD", word)
        if any(0x300 <= ord(c) <= 0x323 for c in decomposed) or "đ" in word.lower():
            words.append(word)
    return words


def test_the_main_pages_in_english_show_no_vietnamese_outside_proper_names(page, live_server, login, admin_user, data):
    # given: the names that stay Vietnamese in English (provinces, the language switch's own name)
    proper_names = {p.name for p in Province.objects.all()} | {p.name_en for p in Province.objects.all() if p.name_en}
    proper_names |= {"Tiếng Việt", "30/2020/NĐ-CP"}
    with translation.override("vi"):  # written in Vietnamese, read in English
        notifications_create(drafts=[Draft(admin_user, "returned", "submission:1:v1", "2025-10", RETURNED)])
    login("admin")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    # when
    found, texts = {}, {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        texts[path] = page.locator("body").inner_text()
        words = vietnamese_words(texts[path], proper_names)
        if words:
            found[path] = words

    # then: English on every page (not an empty one), Vietnamese only in proper names
    assert found == {}
    assert "login lockouts" in texts["/admin/"].lower() and "Word (.docx)" in texts["/xuat-nhap/"]
    assert "Report returned: Monthly digital-transformation report 10/2025" in texts["/thong-bao/"]
    assert "Government Office" in texts["/bang-dieu-khien/van-ban/kl-5-co/"]
    assert "stations" in texts["/bang-dieu-khien/chi-tieu/TRAM_5G/"]
