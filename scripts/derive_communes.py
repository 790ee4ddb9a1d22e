"""Derive seeds/data/communes.csv and the commune counts of seeds/data/provinces-2025.csv, once.

    python scripts/derive_communes.py /tmp/vietnam_provinces-2025.10.1-py3-none-any.whl

The code list is that of QĐ 19/2025/QĐ-TTg (bảng danh mục và mã số các đơn vị hành chính Việt
Nam, in force from 1/7/2025): 3.321 commune-level units (2.621 xã, 687 phường, 13 đặc khu). It is
read from the data file of the `vietnam-provinces` package (PyPI, version in the wheel's name,
GPL-3.0-or-later), which transcribes that list. Only the facts of the state list are copied
(code, name, kind, province code); no code of the package is used and the product does not
depend on it. Get the wheel with `pip download --no-deps vietnam-provinces==2025.10.1`.

The script refuses to write when the totals differ from the decision's 3.321 / 2.621 / 687 / 13.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "seeds" / "data"
KINDS = {"xã": "xa", "phường": "phuong", "đặc khu": "dac_khu"}
EXPECTED = {"xa": 2621, "phuong": 687, "dac_khu": 13}
PROVINCE_COLUMNS = ["communes_xa", "communes_phuong", "communes_dac_khu"]


def read_divisions(wheel: Path) -> list[dict]:
    with zipfile.ZipFile(wheel) as archive:
        return json.loads(archive.read("vietnam_provinces/data/nested-divisions.json"))


def commune_rows(divisions: list[dict]) -> list[tuple[str, str, str, str]]:
    rows = []
    for province in divisions:
        for ward in province["wards"]:
            rows.append((f"{ward['code']:05d}", ward["name"], KINDS[ward["division_type"]], f"{province['code']:02d}"))
    return sorted(rows)


def write_communes(rows: list[tuple[str, str, str, str]], source: str) -> None:
    out = io.StringIO()
    out.write(
        "# Nguồn / source: danh mục mã đơn vị hành chính cấp xã theo QĐ 19/2025/QĐ-TTg (hiệu lực 01/07/2025),\n"
        f"# chép từ tệp dữ liệu của gói PyPI {source} bằng scripts/derive_communes.py.\n"
        "# kind: xa = xã, phuong = phường, dac_khu = đặc khu; province_code: mã đơn vị cấp tỉnh hiện hành.\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "kind", "province_code"])
    writer.writerows(rows)
    (DATA / "communes.csv").write_text(out.getvalue(), encoding="utf-8")


def update_province_counts(rows: list[tuple[str, str, str, str]]) -> None:
    """Fill the communes_* columns of provinces-2025.csv, keeping its comments and other columns."""
    counts: dict[str, Counter] = {}
    for _code, _name, kind, province in rows:
        counts.setdefault(province, Counter())[kind] += 1
    path = DATA / "provinces-2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    out, header = [], None
    for line in lines:
        if not line.strip() or line.startswith("#"):
            out.append(line)
            continue
        cells = next(csv.reader([line]))
        if header is None:
            header = [c for c in cells if c not in PROVINCE_COLUMNS] + PROVINCE_COLUMNS
            out.append(",".join(header))
            continue
        record = dict(zip([c for c in header if c not in PROVINCE_COLUMNS] + PROVINCE_COLUMNS, cells, strict=False))
        tally = counts[record["code"]]
        record.update({f"communes_{kind}": str(tally[kind]) for kind in EXPECTED})
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow([record.get(c, "") for c in header])
        out.append(buffer.getvalue())
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    wheel = Path(argv[1])
    rows = commune_rows(read_divisions(wheel))
    totals = Counter(kind for _c, _n, kind, _p in rows)
    if dict(totals) != EXPECTED:
        print(f"Totals {dict(totals)} differ from QĐ 19/2025/QĐ-TTg {EXPECTED}; nothing written.")
        return 1
    source = "-".join(wheel.name.split("-")[:2]).replace("_", "-")  # vietnam-provinces-2025.10.1
    write_communes(rows, source)
    update_province_counts(rows)
    print(f"{len(rows)} communes written ({dict(totals)}) from {source}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
