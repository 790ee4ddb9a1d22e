"""Catalogue words in the reader's language: names from the seed files' English names, units from
the project's catalogue (a short closed list, so translated once here rather than per indicator)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext
from django.utils.translation import pgettext_lazy as _p

UNITS: dict[str, Promise] = {
    "người": _p("đơn vị tính", "người"),
    "lượt người": _p("đơn vị tính", "lượt người"),
    "trạm": _p("đơn vị tính", "trạm"),
    "điểm": _p("đơn vị tính", "điểm"),
    "chỉ số": _p("đơn vị tính", "chỉ số"),
    "cuộc": _p("đơn vị tính", "cuộc"),
    "có/không": _p("đơn vị tính", "có/không"),
    "cơ quan": _p("đơn vị tính", "cơ quan"),
    "cơ sở dữ liệu": _p("đơn vị tính", "cơ sở dữ liệu"),
    "doanh nghiệp": _p("đơn vị tính", "doanh nghiệp"),
    "dịch vụ": _p("đơn vị tính", "dịch vụ"),
    "giao dịch": _p("đơn vị tính", "giao dịch"),
    "hệ thống": _p("đơn vị tính", "hệ thống"),
    "học sinh": _p("đơn vị tính", "học sinh"),
    "hồ sơ": _p("đơn vị tính", "hồ sơ"),
    "hộ": _p("đơn vị tính", "hộ"),
    "thủ tục": _p("đơn vị tính", "thủ tục"),
    "tỷ đồng": _p("đơn vị tính", "tỷ đồng"),
    "đơn vị": _p("đơn vị tính", "đơn vị"),
}


# The report forms' sections and the directives' objective groups (seeds/data): a closed list
# written in the seed files in Vietnamese only, translated here like the units. Document numbers
# (“QĐ 749”) read as the English reader cites them (“Decision 749”).
SECTIONS: dict[str, Promise] = {
    text: _p("mục biểu mẫu", text)
    for text in (
        "Bộ chỉ số 766 — QĐ 766/QĐ-TTg (điểm tháng trên Cổng Dịch vụ công quốc gia)",
        "Chỉ số DTI cấp tỉnh — QĐ 922/QĐ-BTTTT (giá trị Bộ công bố, trong [0, 1])",
        "Dịch vụ công trực tuyến — QĐ 749, QĐ 942, Đề án 06, TB 56/TB-VPCP, “5 bảo đảm”",
        "Dữ liệu số và an toàn thông tin — “5 có”, “5 không”",
        "Hạ tầng số — QĐ 749, QĐ 805, NQ 52, Kế hoạch Bộ KH&CN 2025, “5 có”",
        "Hồ sơ thủ tục hành chính — QĐ 942, Đề án 06, “5 không”",
        "Kinh tế số — QĐ 749, QĐ 411, NQ 52, NQ 57",
        "Số liệu nền",
        "Thương mại điện tử, thanh toán không dùng tiền mặt — QĐ 411, QĐ 1813, QĐ 749",
        "Xã hội số — QĐ 411 (kỹ năng số, điện thoại thông minh)",
        "Xã hội số — QĐ 411, “5 có”, Bình dân học vụ số",
        "Điều hành trên môi trường mạng — QĐ 749 (Chính phủ số), QĐ 805",
    )
}
OBJECTIVE_GROUPS: dict[str, Promise] = {
    text: _p("nhóm mục tiêu", text)
    for text in (
        "3 đột phá chiến lược số",
        "5 bảo đảm",
        "5 có",
        "5 không",
        "5 tiên phong",
        "5 trọng tâm",
        "5 đẩy mạnh",
        "Chính phủ số đến năm 2025",
        "Chỉ số chính DTI cấp tỉnh",
        "DTI từ năm 2025",
        "Hạ tầng 5G năm 2025",
        "Hạ tầng số",
        "Kinh tế số",
        "Kinh tế số đến năm 2025",
        "Kết luận",
        "Mục tiêu chương trình",
        "Mục tiêu kép",
        "Mục tiêu phong trào",
        "Mục tiêu đến năm 2025",
        "Mục tiêu đến năm 2030",
        "Nhiệm vụ trọng tâm",
        "Nhân lực và an toàn",
        "Nhóm chỉ số",
        "Thể chế và phân cấp",
        "Tầm nhìn đến năm 2045",
        "Xã hội số",
        "Xã hội số đến năm 2025",
        "Định hướng đến năm 2030",
    )
}

# Directives without a document symbol are known by a descriptive name in place of their number
# (seeds/data/directives.yaml); a symbol such as “749/QĐ-TTg” is a proper name and stays.
DIRECTIVE_NAMES: dict[str, Promise] = {
    text: _p("tên văn bản", text)
    for text in (
        "Kết luận Hội nghị 19/7/2024",
        "Thông điệp Ngày Chuyển đổi số quốc gia 2024",
        "Kế hoạch phát triển hạ tầng 5G năm 2025",
        "Kết luận Diễn đàn 20/12/2025",
        "Chương trình “Học từ làm việc thực tế”",
        "Phong trào “Bình dân học vụ số”",
    )
}

# The directives' issuers (seeds/data/directives.yaml).
ISSUERS: dict[str, Promise] = {
    text: _p("cơ quan ban hành", text)
    for text in (
        "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        "Bộ Chính trị",
        "Bộ Khoa học và Công nghệ",
        "Bộ Thông tin và Truyền thông",
        "Thủ tướng Chính phủ",
        "Thủ tướng Chính phủ (phát động)",
        "Văn phòng Chính phủ",
    )
}


def english() -> bool:
    return not (get_language() or "vi").startswith("vi")


def unit_label(unit: str) -> str:
    """“người” → “people” on English pages; symbols (%, Mbps) and unknown units stay as written."""
    word = UNITS.get(unit)
    return str(word) if word is not None else unit


def name_of(item: Any) -> str:
    """An indicator's, form's, index's or province's name: its English name in English when it has one."""
    english_name = getattr(item, "name_en", "")
    return english_name if english_name and english() else item.name


def section_label(section: str) -> str:
    """A report form's section in the reader's language; a section not in the list stays as written."""
    word = SECTIONS.get(section)
    return str(word) if word is not None else section


def directive_number(number: str) -> str:
    """A directive's symbol as it is, or its descriptive name in the reader's language."""
    word = DIRECTIVE_NAMES.get(number)
    return str(word) if word is not None else number


def issuer_label(issuer: str) -> str:
    word = ISSUERS.get(issuer)
    return str(word) if word is not None else issuer


def reason_label(reason: str) -> str:
    """Why an objective has no indicator (seeds/data/directives.yaml), in the reader's language:
    the English catalogue holds each seed reason under the context “lý do chưa đo lường”."""
    return pgettext("lý do chưa đo lường", reason) if reason else reason


def group_label(group: str) -> str:
    """A directive's objective group (“5 có”) in the reader's language."""
    word = OBJECTIVE_GROUPS.get(group)
    return str(word) if word is not None else group
