"""The administrative frame of a report, per Nghị định 30/2020/NĐ-CP (Phụ lục I).

Quốc hiệu and tiêu ngữ on the right, the issuing body (under its parent body) on the left with
the số/ký hiệu below it, the place and date under the tiêu ngữ, and at the end the nơi nhận
on the left and the signature block on the right.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from provinces.models import Province
from tracker.exports.periods import ENGLISH_MONTHS
from tracker.exports.wording import english

_PREFIXES = ("Thành phố ", "Tỉnh ")


def _setting(name: str, default: str) -> str:
    """A configured wording, translated when the project's catalogue knows it (the defaults are in it)."""
    text = str(getattr(settings, name, default))
    return _(text) if text else text


def place_name(province: Province) -> str:
    """The địa danh of a province's documents: its name without “Tỉnh”/“Thành phố”."""
    for prefix in _PREFIXES:
        if province.name.startswith(prefix):
            return province.name[len(prefix) :]
    return province.name


def vietnamese_date(day: datetime.date) -> str:
    """“ngày 05 tháng 01 năm 2026”: days below 10 and the months 1 and 2 take a leading zero (NĐ 30, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def document_date(day: datetime.date) -> str:
    """The date line in the reader's language: “ngày 05 tháng 01 năm 2026” or “5 January 2026”."""
    if english():
        return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    return vietnamese_date(day)


@dataclass(frozen=True)
class Letterhead:
    parent_body: str  # cơ quan chủ quản, empty for a ministry
    issuing_body: str
    issuer_name: str  # the issuing body as the text names it: “Sở Khoa học và Công nghệ”
    symbol: str  # ký hiệu, e.g. BC-SKHCN
    place: str
    date: datetime.date
    number: str = ""  # empty: the văn thư writes it in when the report is issued
    recipients: list[str] = field(default_factory=list)
    signer_authority: str = ""  # KT. GIÁM ĐỐC, TM. ỦY BAN NHÂN DÂN …
    signer_title: str = ""
    signer_name: str = ""

    @property
    def quoc_hieu(self) -> str:
        return _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")

    @property
    def tieu_ngu(self) -> str:
        return _("Độc lập - Tự do - Hạnh phúc")

    @property
    def number_line(self) -> str:
        # Without a number the space is kept, as on a draft waiting for registration.
        label = _("Số:")
        return f"{label} {self.number}/{self.symbol}" if self.number else f"{label}        /{self.symbol}"

    @property
    def place_date(self) -> str:
        return f"{self.place}, {document_date(self.date)}"

    @property
    def recipients_label(self) -> str:
        return _("Nơi nhận:")


def province_letterhead(
    *, province: Province, day: datetime.date, number: str = "", signer_name: str = ""
) -> Letterhead:
    if english():
        place = province.name_en or place_name(province)
        people_committee = _("Ủy ban nhân dân %(province)s") % {"province": place}
        parent_body = people_committee.upper()
    else:
        place = place_name(province)
        people_committee = "Ủy ban nhân dân " + province.name[:1].lower() + province.name[1:]
        parent_body = ("ỦY BAN NHÂN DÂN " + province.name).upper()
    body = _setting("EXPORTS_PROVINCE_BODY", N_("SỞ KHOA HỌC VÀ CÔNG NGHỆ"))
    return Letterhead(
        parent_body=parent_body,
        issuing_body=body,
        issuer_name=_setting("EXPORTS_PROVINCE_BODY_NAME", N_("Sở Khoa học và Công nghệ")),
        symbol=_setting("EXPORTS_PROVINCE_SYMBOL", "BC-SKHCN"),
        place=place,
        date=day,
        number=number,
        recipients=[
            _("Bộ Khoa học và Công nghệ (để báo cáo);"),
            _("%(body)s (để báo cáo);") % {"body": people_committee},
            _("Lưu: VT."),
        ],
        signer_authority="",
        signer_title=_setting("EXPORTS_PROVINCE_SIGNER_TITLE", N_("GIÁM ĐỐC")),
        signer_name=signer_name,
    )


def ministry_letterhead(*, day: datetime.date, number: str = "", signer_name: str = "") -> Letterhead:
    return Letterhead(
        parent_body="",
        issuing_body=_setting("EXPORTS_MINISTRY_BODY", N_("BỘ KHOA HỌC VÀ CÔNG NGHỆ")),
        issuer_name=_setting("EXPORTS_MINISTRY_BODY_NAME", N_("Bộ Khoa học và Công nghệ")),
        symbol=_setting("EXPORTS_MINISTRY_SYMBOL", "BC-BKHCN"),
        place=_setting("EXPORTS_MINISTRY_PLACE", N_("Hà Nội")),
        date=day,
        number=number,
        recipients=[
            _("Thủ tướng Chính phủ (để báo cáo);"),
            _("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương;"),
            _("Lưu: VT."),
        ],
        signer_authority=_setting("EXPORTS_MINISTRY_SIGNER_AUTHORITY", N_("KT. BỘ TRƯỞNG")),
        signer_title=_setting("EXPORTS_MINISTRY_SIGNER_TITLE", N_("THỨ TRƯỞNG")),
        signer_name=signer_name,
    )
