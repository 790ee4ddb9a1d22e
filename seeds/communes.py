"""Reading and checking seeds/data/communes.csv, the commune-level units of QĐ 19/2025/QĐ-TTg.

Rows are checked on their own while the file is read (code, name, kind), and against the
province file once every file has been read: each commune names a current province, and the
number of xã, phường and đặc khu each province row declares (communes_xa, communes_phuong,
communes_dac_khu) equals the number of its rows here, so a commune dropped or moved by an edit
is caught before anything is written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from provinces.models import Commune
from seeds.fields import Problems

if TYPE_CHECKING:
    from seeds.catalogue import ProvinceRow

COMMUNES_FILE = "communes.csv"
COMMUNES_COLUMNS = ["code", "name", "kind", "province_code"]
COMMUNE_CODE = r"\d{5}"

# Every name of the official list starts with its kind; a row whose name and kind disagree
# (“Phường Ba Đình” marked xa) is a slip of the pen that would put the unit in the wrong count.
NAME_PREFIXES = {Commune.Kind.XA: "Xã ", Commune.Kind.PHUONG: "Phường ", Commune.Kind.DAC_KHU: "Đặc khu "}
# The column of provinces-2025.csv that counts each kind.
COUNT_COLUMNS = {
    Commune.Kind.XA: "communes_xa",
    Commune.Kind.PHUONG: "communes_phuong",
    Commune.Kind.DAC_KHU: "communes_dac_khu",
}


@dataclass
class CommuneRow:
    line: int
    code: str
    name: str
    kind: str
    province_code: str


def read_communes(rows: list[tuple[int, dict[str, str]]], problems: Problems) -> list[CommuneRow]:
    """The rows of communes.csv that are valid on their own; every problem goes to `problems`."""
    out: list[CommuneRow] = []
    seen: dict[str, int] = {}
    kinds = [kind.value for kind in Commune.Kind]
    name_length = Commune._meta.get_field("name").max_length or 0
    for line, row in rows:
        before = len(problems.errors)
        code, name, kind = row["code"], row["name"], row["kind"]
        if not re.fullmatch(COMMUNE_CODE, code):
            problems.add(COMMUNES_FILE, line, _("Mã xã “%(code)s” phải gồm 5 chữ số.") % {"code": code})
        elif code in seen:
            problems.add(
                COMMUNES_FILE,
                line,
                _("Mã “%(code)s” bị lặp (đã có ở dòng %(first)d).") % {"code": code, "first": seen[code]},
            )
        else:
            seen[code] = line
        if not name:
            problems.add(COMMUNES_FILE, line, _("Thiếu tên đơn vị."))
        elif len(name) > name_length:
            problems.add(
                COMMUNES_FILE,
                line,
                _("Trường “%(key)s” dài %(length)d ký tự, tối đa %(max)d.")
                % {"key": "name", "length": len(name), "max": name_length},
            )
        if kind not in kinds:
            problems.add(
                COMMUNES_FILE,
                line,
                _("Loại “%(kind)s” không hợp lệ; chọn một trong: %(choices)s.")
                % {"kind": kind, "choices": ", ".join(kinds)},
            )
        elif name and not name.startswith(NAME_PREFIXES[Commune.Kind(kind)]):
            problems.add(
                COMMUNES_FILE,
                line,
                _("Tên “%(name)s” không khớp loại “%(kind)s”: tên phải bắt đầu bằng “%(prefix)s”.")
                % {"name": name, "kind": kind, "prefix": NAME_PREFIXES[Commune.Kind(kind)].strip()},
            )
        if len(problems.errors) == before:
            out.append(CommuneRow(line, code, name, kind, row["province_code"]))
    return out


def check_communes(
    communes: list[CommuneRow], provinces: list[ProvinceRow], provinces_file: str, problems: Problems
) -> None:
    """Each commune names a current province, whose declared counts per kind match the rows here."""
    by_code = {row.code: row for row in provinces}
    counted: dict[str, Counter[str]] = {code: Counter() for code in by_code}
    for commune in communes:
        if commune.province_code not in by_code:
            problems.add(
                COMMUNES_FILE,
                commune.line,
                _("Không có %(label)s mã “%(code)s”.")
                % {"label": _("tỉnh, thành phố hiện hành"), "code": commune.province_code},
            )
            continue
        counted[commune.province_code][commune.kind] += 1
    for province in provinces:
        for kind, column in COUNT_COLUMNS.items():
            declared = province.communes.get(column)
            listed = counted[province.code][kind]
            if declared != listed:
                problems.add(
                    provinces_file,
                    province.line,
                    _(
                        "Cột “%(column)s” của “%(code)s” ghi %(declared)s nhưng %(file)s có %(listed)d đơn vị "
                        "loại %(kind)s."
                    )
                    % {
                        "column": column,
                        "code": province.code,
                        "declared": "—" if declared is None else declared,
                        "file": COMMUNES_FILE,
                        "listed": listed,
                        "kind": kind,
                    },
                )
