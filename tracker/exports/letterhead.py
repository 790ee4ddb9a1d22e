"""The administrative frame of a report, per Nghị định 30/2020/NĐ-CP (Phụ lục I).

Quốc hiệu and tiêu ngữ on the right, the issuing body (under its parent body) on the left with
the số/ký hiệu below it, the place and date under the tiêu ngữ, and at the end the nơi nhận
on the left and the signature block on the right.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings

from provinces.models import Province

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
_PREFIXES = ("Thành phố ", "Tỉnh ")


def _setting(name: str, default: str) -> str:
    return str(getattr(settings, name, default))


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

    quoc_hieu: str = QUOC_HIEU
    tieu_ngu: str = TIEU_NGU

    @property
    def number_line(self) -> str:
        # Without a number the space is kept, as on a draft waiting for registration.
        return f"Số: {self.number}/{self.symbol}" if self.number else f"Số:        /{self.symbol}"

    @property
    def place_date(self) -> str:
        return f"{self.place}, {vietnamese_date(self.date)}"


def province_letterhead(
    *, province: Province, day: datetime.date, number: str = "", signer_name: str = ""
) -> Letterhead:
    people_committee = "Ủy ban nhân dân " + province.name[:1].lower() + province.name[1:]
    body = _setting("EXPORTS_PROVINCE_BODY", "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    return Letterhead(
        parent_body=("ỦY BAN NHÂN DÂN " + province.name).upper(),
        issuing_body=body,
        issuer_name=_setting("EXPORTS_PROVINCE_BODY_NAME", "Sở Khoa học và Công nghệ"),
        symbol=_setting("EXPORTS_PROVINCE_SYMBOL", "BC-SKHCN"),
        place=place_name(province),
        date=day,
        number=number,
        recipients=[
            "Bộ Khoa học và Công nghệ (để báo cáo);",
            f"{people_committee} (để báo cáo);",
            "Lưu: VT.",
        ],
        signer_authority="",
        signer_title=_setting("EXPORTS_PROVINCE_SIGNER_TITLE", "GIÁM ĐỐC"),
        signer_name=signer_name,
    )


def ministry_letterhead(*, day: datetime.date, number: str = "", signer_name: str = "") -> Letterhead:
    return Letterhead(
        parent_body="",
        issuing_body=_setting("EXPORTS_MINISTRY_BODY", "BỘ KHOA HỌC VÀ CÔNG NGHỆ"),
        issuer_name=_setting("EXPORTS_MINISTRY_BODY_NAME", "Bộ Khoa học và Công nghệ"),
        symbol=_setting("EXPORTS_MINISTRY_SYMBOL", "BC-BKHCN"),
        place=_setting("EXPORTS_MINISTRY_PLACE", "Hà Nội"),
        date=day,
        number=number,
        recipients=[
            "Thủ tướng Chính phủ (để báo cáo);",
            "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương;",
            "Lưu: VT.",
        ],
        signer_authority=_setting("EXPORTS_MINISTRY_SIGNER_AUTHORITY", "KT. BỘ TRƯỞNG"),
        signer_title=_setting("EXPORTS_MINISTRY_SIGNER_TITLE", "THỨ TRƯỞNG"),
        signer_name=signer_name,
    )
