"""Reading and validating the seed files into plain records, before anything is written.

Every problem is collected with its file and line; `catalogue_read` raises CatalogueInvalid
with all of them, so an author fixes a file in one pass and the database is never touched by a
file that does not validate.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from kpis.expressions import ExpressionError, parse
from kpis.models import (
    CompositeIndex,
    CompositeIndexVersion,
    DataElement,
    Directive,
    Indicator,
    Objective,
    ReportForm,
    ReportFormElement,
    Target,
    ValidationRule,
    applicability_problem,
    is_extensive,
)
from kpis.periods import Period, Periodicity
from provinces.models import MERGER_DATE, Province
from seeds.communes import COMMUNES_COLUMNS, COMMUNES_FILE, CommuneRow, check_communes, read_communes
from seeds.errors import CatalogueInvalid
from seeds.fields import Problems, Section, mappings
from seeds.yaml_lines import LineDict, SeedReadError, read_yaml

# The 63 units of 2008-08-01 (Hà Tây joined Hà Nội that day) lasted until the 2025 merger.
FORMER_VALID_FROM = datetime.date(2008, 8, 1)
FORMER_VALID_TO = MERGER_DATE - datetime.timedelta(days=1)

CURRENT_FILE = "provinces-2025.csv"
COMMUNE_COLUMNS = ["communes_xa", "communes_phuong", "communes_dac_khu"]
FORMER_FILE = "provinces-2008-2025.csv"
NAMES_FILE = "province-names.csv"
DIRECTIVES_FILE = "directives.yaml"
ELEMENTS_FILE = "data_elements.yaml"
INDICATORS_FILE = "indicators.yaml"
INDICES_FILE = "composite_indices.yaml"
RULES_FILE = "validation_rules.yaml"
FORMS_FILE = "report_forms.yaml"

PROVINCE_CODE = r"\d{2}"
SLUG = r"[a-z0-9][a-z0-9-]*"
UPPER_CODE = r"[A-Z][A-Z0-9_]*"
PERIODICITIES = [p.value for p in Periodicity]
# Communes exist from the two-level government of 2025-07-01 (QĐ 19/2025/QĐ-TTg): no earlier
# commune reporting. commune_reporting_from is a month, as the model stores it ('YYYY-MM').
FIRST_COMMUNE_MONTH = "2025-07"
MONTH = r"\d{4}-(0[1-9]|1[0-2])"


@dataclass
class ProvinceRow:
    line: int
    code: str
    name: str
    name_en: str
    kind: str
    area_km2: Decimal | None = None
    population: int | None = None
    communes: dict[str, int | None] = field(default_factory=dict)  # communes_xa, communes_phuong, communes_dac_khu
    former_codes: list[str] = field(default_factory=list)
    successor_code: str = ""


@dataclass
class ProvinceNameRow:
    line: int
    code: str
    unit: str  # "current" or "former"
    name: str
    kind: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    source: str


@dataclass
class Ref:
    """A code that must exist elsewhere, with where it was written."""

    code: str
    file: str
    line: int


@dataclass
class ObjectiveRec:
    code: str
    values: dict[str, Any]
    indicators: list[Ref]
    line: int


@dataclass
class DirectiveRec:
    code: str
    values: dict[str, Any]
    objectives: list[ObjectiveRec]
    line: int


@dataclass
class ElementRec:
    code: str
    values: dict[str, Any]
    line: int


@dataclass
class TargetRec:
    values: dict[str, Any]
    source: Ref
    province: Ref | None
    line: int


@dataclass
class IndicatorRec:
    code: str
    values: dict[str, Any]
    element_codes: list[str]
    targets: list[TargetRec]
    line: int
    lines: dict[str, int]


@dataclass
class ComponentRec:
    indicator: Ref
    weight: Decimal
    order: int


@dataclass
class VersionRec:
    values: dict[str, Any]
    components: list[ComponentRec]
    line: int


@dataclass
class IndexRec:
    code: str
    values: dict[str, Any]
    source: Ref
    versions: list[VersionRec]
    line: int


@dataclass
class FormElementRec:
    element: Ref
    order: int
    required: bool
    section: str
    commune_level: bool = False


@dataclass
class FormRec:
    code: str
    values: dict[str, Any]
    elements: list[FormElementRec]
    line: int


@dataclass
class RuleRec:
    code: str
    values: dict[str, Any]
    line: int
    lines: dict[str, int]


@dataclass
class Catalogue:
    current: list[ProvinceRow] = field(default_factory=list)
    former: list[ProvinceRow] = field(default_factory=list)
    names: list[ProvinceNameRow] = field(default_factory=list)
    communes: list[CommuneRow] = field(default_factory=list)
    directives: list[DirectiveRec] = field(default_factory=list)
    elements: list[ElementRec] = field(default_factory=list)
    indicators: list[IndicatorRec] = field(default_factory=list)
    indices: list[IndexRec] = field(default_factory=list)
    rules: list[RuleRec] = field(default_factory=list)
    forms: list[FormRec] = field(default_factory=list)


def catalogue_read(*, data_dir: Path) -> Catalogue:
    """Parse and validate every seed file in `data_dir`; raise CatalogueInvalid listing all problems."""
    problems = Problems()
    catalogue = Catalogue()
    reader = _Reader(Path(data_dir), problems, catalogue)
    reader.read_all()
    if not problems.errors:
        reader.check_references()
    if problems.errors:
        raise CatalogueInvalid(problems.errors)
    return catalogue


class _Reader:
    def __init__(self, data_dir: Path, problems: Problems, catalogue: Catalogue) -> None:
        self.data_dir = data_dir
        self.problems = problems
        self.catalogue = catalogue

    # -- files -------------------------------------------------------------------------------

    def read_all(self) -> None:
        self.catalogue.current = self._read_provinces(
            CURRENT_FILE,
            ["code", "name", "name_en", "kind", "former_codes", "area_km2", "population", *COMMUNE_COLUMNS],
        )
        self.catalogue.former = self._read_provinces(FORMER_FILE, ["code", "name", "kind", "successor_code"])
        self.catalogue.names = self._read_names()
        self.catalogue.communes = read_communes(self._csv_rows(COMMUNES_FILE, COMMUNES_COLUMNS), self.problems)
        self.catalogue.directives = self._read_list(DIRECTIVES_FILE, _("văn bản"), self._directive)
        self.catalogue.elements = self._read_list(ELEMENTS_FILE, _("chỉ tiêu dữ liệu"), self._element)
        self.catalogue.indicators = self._read_list(INDICATORS_FILE, _("chỉ tiêu"), self._indicator)
        self.catalogue.indices = self._read_list(INDICES_FILE, _("chỉ số tổng hợp"), self._index)
        self.catalogue.rules = self._read_list(RULES_FILE, _("quy tắc"), self._rule)
        self.catalogue.forms = self._read_list(FORMS_FILE, _("biểu mẫu"), self._form)

    def _csv_rows(self, name: str, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
        path = self.data_dir / name
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            self.problems.add(name, 0, _("Không tìm thấy tệp."))
            return []
        except UnicodeDecodeError:
            self.problems.add(name, 0, _("Tệp không phải UTF-8."))
            return []
        header: list[str] | None = None
        rows: list[tuple[int, dict[str, str]]] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue  # comments say where the file came from
            try:
                cells = next(csv.reader([raw], strict=True))
            except csv.Error as exc:
                self.problems.add(name, number, _("CSV không hợp lệ: %(problem)s") % {"problem": exc})
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                if header != columns:
                    self.problems.add(
                        name,
                        number,
                        _("Dòng tiêu đề phải là “%(expected)s”, đang là “%(actual)s”.")
                        % {"expected": ",".join(columns), "actual": ",".join(header)},
                    )
                    return []
                continue
            if len(cells) != len(header):
                self.problems.add(
                    name,
                    number,
                    _("Dòng có %(actual)d cột, cần %(expected)d.") % {"actual": len(cells), "expected": len(header)},
                )
                continue
            rows.append((number, {key: cell.strip() for key, cell in zip(header, cells, strict=True)}))
        if header is None:
            self.problems.add(name, 0, _("Tệp trống: thiếu dòng tiêu đề."))
        return rows

    def _read_provinces(self, name: str, columns: list[str]) -> list[ProvinceRow]:
        out: list[ProvinceRow] = []
        seen: dict[str, int] = {}
        kinds = [k.value for k in Province.Kind]
        for line, row in self._csv_rows(name, columns):
            code = row["code"]
            ok = True
            if not re.fullmatch(PROVINCE_CODE, code):
                self.problems.add(name, line, _("Mã tỉnh “%(code)s” phải gồm 2 chữ số.") % {"code": code})
                ok = False
            elif code in seen:
                self.problems.add(
                    name,
                    line,
                    _("Mã “%(code)s” bị lặp (đã có ở dòng %(first)d).") % {"code": code, "first": seen[code]},
                )
                ok = False
            else:
                seen[code] = line
            if not row["name"]:
                self.problems.add(name, line, _("Thiếu tên đơn vị."))
                ok = False
            if row["kind"] not in kinds:
                self.problems.add(
                    name,
                    line,
                    _("Loại “%(kind)s” không hợp lệ; chọn một trong: %(choices)s.")
                    % {"kind": row["kind"], "choices": ", ".join(kinds)},
                )
                ok = False
            record = ProvinceRow(
                line, code, row["name"], row.get("name_en", "") or _ascii_name(row["name"]), row["kind"]
            )
            if "former_codes" in row:
                record.former_codes = [c.strip() for c in row["former_codes"].split(";") if c.strip()]
                if not record.former_codes:
                    self.problems.add(name, line, _("Thiếu former_codes."))
                    ok = False
                record.area_km2 = self._csv_decimal(name, line, "area_km2", row["area_km2"])
                record.population = self._csv_int(name, line, "population", row["population"])
                record.communes = {c: self._csv_int(name, line, c, row[c]) for c in COMMUNE_COLUMNS}
            if "successor_code" in row:
                record.successor_code = row["successor_code"]
            if ok:
                out.append(record)
        return out

    def _csv_decimal(self, name: str, line: int, column: str, text: str) -> Decimal | None:
        if not text:
            return None
        if not re.fullmatch(r"\d{1,8}(\.\d{1,2})?", text):
            self.problems.add(
                name, line, _("Cột “%(column)s”: “%(value)s” không phải là số.") % {"column": column, "value": text}
            )
            return None
        return Decimal(text)

    def _csv_int(self, name: str, line: int, column: str, text: str) -> int | None:
        if not text:
            return None
        if not text.isdigit():
            self.problems.add(
                name,
                line,
                _("Cột “%(column)s”: “%(value)s” không phải là số nguyên.") % {"column": column, "value": text},
            )
            return None
        return int(text)

    def _read_names(self) -> list[ProvinceNameRow]:
        out: list[ProvinceNameRow] = []
        kinds = [k.value for k in Province.Kind]
        columns = ["code", "unit", "name", "kind", "valid_from", "valid_to", "source"]
        for line, row in self._csv_rows(NAMES_FILE, columns):
            problems_before = len(self.problems.errors)
            if row["unit"] not in ("current", "former"):
                self.problems.add(
                    NAMES_FILE, line, _("Cột “unit” phải là current hoặc former, đang là “%(v)s”.") % {"v": row["unit"]}
                )
            if row["kind"] not in kinds:
                self.problems.add(NAMES_FILE, line, _("Loại “%(kind)s” không hợp lệ.") % {"kind": row["kind"]})
            dates: list[datetime.date | None] = []
            for column in ("valid_from", "valid_to"):
                text = row[column]
                if not text and column == "valid_to":
                    dates.append(None)
                    continue
                try:
                    dates.append(datetime.date.fromisoformat(text))
                except ValueError:
                    self.problems.add(
                        NAMES_FILE,
                        line,
                        _("Ngày “%(value)s” ở cột “%(column)s” không hợp lệ (dùng YYYY-MM-DD).")
                        % {"value": text, "column": column},
                    )
                    dates.append(None)
            if len(self.problems.errors) == problems_before and dates[0] is not None:
                out.append(
                    ProvinceNameRow(
                        line, row["code"], row["unit"], row["name"], row["kind"], dates[0], dates[1], row["source"]
                    )
                )
        return out

    def _read_list(self, name: str, what: str, build: Any) -> list[Any]:
        try:
            document = read_yaml(self.data_dir / name, name)
        except SeedReadError as exc:
            self.problems.errors.append(exc.error)
            return []
        if document is None:
            return []
        if not isinstance(document, list):
            line = document.line if isinstance(document, LineDict) else 1
            self.problems.add(name, line, _("Tệp phải là một danh sách (mỗi mục bắt đầu bằng “- ”)."))
            return []
        out = []
        for mapping in mappings(self.problems, name, document, 1, what):
            record = build(name, mapping)
            if record is not None:
                out.append(record)
        return out

    # -- records -----------------------------------------------------------------------------

    def _directive(self, name: str, m: LineDict) -> DirectiveRec | None:
        s = Section(
            self.problems,
            name,
            m,
            model=Directive,
            allowed={
                "code",
                "kind",
                "number",
                "issuer",
                "issued_on",
                "title",
                "title_en",
                "url",
                "summary",
                "objectives",
            },
        )
        code = s.code("code", SLUG)
        values: dict[str, Any] = {
            "kind": s.choice("kind", [k.value for k in Directive.Kind]),
            "number": s.text("number"),
            "issuer": s.text("issuer"),
            "issued_on": s.date("issued_on"),
            "title": s.text("title", required=True),
            "title_en": s.text("title_en"),
            "url": s.text("url"),
            "summary": s.text("summary"),
        }
        if values["url"] and not re.fullmatch(r"https?://\S+", values["url"]):
            s.fail("url", _("Liên kết “%(url)s” không hợp lệ.") % {"url": values["url"]})
        objectives = []
        for order, om in enumerate(
            mappings(self.problems, name, s.items("objectives"), s.line_of("objectives"), _("mục tiêu")), 1
        ):
            objective = self._objective(name, om, order)
            if objective is not None:
                objectives.append(objective)
        return DirectiveRec(code, values, objectives, m.line) if s.ok else None

    def _objective(self, name: str, m: LineDict, order: int) -> ObjectiveRec | None:
        s = Section(
            self.problems,
            name,
            m,
            model=Objective,
            allowed={"code", "group", "order", "title", "title_en", "indicators", "not_measurable_reason"},
        )
        code = s.code("code", SLUG)
        values: dict[str, Any] = {
            "group": s.text("group"),
            "order": s.integer("order", default=order, maximum=32767),
            "title": s.text("title", required=True),
            "title_en": s.text("title_en"),
            "not_measurable_reason": s.text("not_measurable_reason"),
        }
        indicators = []
        for item in s.items("indicators"):
            if isinstance(item, str):
                indicators.append(Ref(item, name, s.line_of("indicators")))
            else:
                s.fail("indicators", _("Mỗi mã chỉ tiêu trong “indicators” phải là một chuỗi."))
        if s.ok and not indicators and not values["not_measurable_reason"]:
            s.fail(
                None,
                _("Mục tiêu “%(code)s” chưa gắn chỉ tiêu nào và chưa có lý do (not_measurable_reason).")
                % {"code": code},
            )
        return ObjectiveRec(code, values, indicators, m.line) if s.ok else None

    def _element(self, name: str, m: LineDict) -> ElementRec | None:
        s = Section(
            self.problems,
            name,
            m,
            model=DataElement,
            allowed={
                "code",
                "name",
                "name_en",
                "description",
                "value_type",
                "unit",
                "min_value",
                "max_value",
                "time_aggregation",
                "space_aggregation",
            },
        )
        code = s.code("code", UPPER_CODE)
        values: dict[str, Any] = {
            "name": s.text("name", required=True),
            "name_en": s.text("name_en"),
            "description": s.text("description"),
            "value_type": s.choice("value_type", [v.value for v in DataElement.ValueType]),
            "unit": s.text("unit"),
            "min_value": s.decimal("min_value"),
            "max_value": s.decimal("max_value"),
            "time_aggregation": s.choice("time_aggregation", [v.value for v in DataElement.TimeAggregation]),
            "space_aggregation": s.choice("space_aggregation", [v.value for v in DataElement.SpaceAggregation]),
        }
        low, high = values["min_value"], values["max_value"]
        if low is not None and high is not None and low > high:
            s.fail("max_value", _("max_value (%(high)s) nhỏ hơn min_value (%(low)s).") % {"high": high, "low": low})
        if values["value_type"] == DataElement.ValueType.BOOLEAN and (low != 0 or high != 1):
            s.fail("value_type", _("Chỉ tiêu kiểu Có/Không phải có min_value 0 và max_value 1."))
        return ElementRec(code, values, m.line) if s.ok else None

    def _indicator(self, name: str, m: LineDict) -> IndicatorRec | None:
        s = Section(
            self.problems,
            name,
            m,
            model=Indicator,
            allowed={
                "code",
                "name",
                "name_en",
                "definition",
                "numerator",
                "denominator",
                "factor",
                "unit",
                "direction",
                "natural_limit",
                "periodicity",
                "base_period",
                "targets",
            },
        )
        code = s.code("code", UPPER_CODE)
        values: dict[str, Any] = {
            "name": s.text("name", required=True),
            "name_en": s.text("name_en"),
            "definition": s.text("definition"),
            "numerator": s.text("numerator", required=True),
            "denominator": s.text("denominator"),
            "factor": s.decimal("factor", default=Decimal(1)),
            "unit": s.text("unit"),
            "direction": s.choice("direction", [v.value for v in Indicator.Direction]),
            "natural_limit": s.decimal("natural_limit"),
            "periodicity": s.choice("periodicity", PERIODICITIES),
            "base_period": s.period("base_period"),
        }
        if values["factor"] is not None and values["factor"] == 0:
            s.fail("factor", _("Hệ số không được bằng 0."))
        targets = []
        for tm in mappings(self.problems, name, s.items("targets"), s.line_of("targets"), _("mục tiêu định lượng")):
            target = self._target(name, tm)
            if target is not None:
                targets.append(target)
        return IndicatorRec(code, values, [], targets, m.line, dict(m.key_lines)) if s.ok else None

    def _target(self, name: str, m: LineDict) -> TargetRec | None:
        s = Section(
            self.problems,
            name,
            m,
            model=Target,
            allowed={
                "value",
                "deadline",
                "source",
                "province",
                "baseline_value",
                "baseline_period",
                "note",
                "applies_to",
            },
        )
        source = s.code("source", SLUG)
        province = s.code("province", PROVINCE_CODE, required=False)
        values: dict[str, Any] = {
            "value": s.decimal("value", required=True),
            "deadline": s.date("deadline", required=True),
            "baseline_value": s.decimal("baseline_value"),
            "baseline_period": s.period("baseline_period"),
            "note": s.text("note"),
            "applies_to": s.choice("applies_to", [v.value for v in Target.AppliesTo], default=Target.AppliesTo.AUTO),
        }
        if values["baseline_value"] is not None and m.get("baseline_period") is None:
            s.fail("baseline_value", _("Có giá trị gốc thì phải có kỳ gốc (baseline_period)."))
        if not s.ok:
            return None
        return TargetRec(
            values,
            Ref(source, name, s.line_of("source")),
            Ref(province, name, s.line_of("province")) if province else None,
            m.line,
        )

    def _index(self, name: str, m: LineDict) -> IndexRec | None:
        s = Section(
            self.problems,
            name,
            m,
            model=CompositeIndex,
            allowed={"code", "name", "name_en", "source", "periodicity", "versions"},
        )
        code = s.code("code", UPPER_CODE)
        source = s.code("source", SLUG)
        values: dict[str, Any] = {
            "name": s.text("name", required=True),
            "name_en": s.text("name_en"),
            "periodicity": s.choice("periodicity", PERIODICITIES),
        }
        versions = []
        for vm in mappings(
            self.problems, name, s.items("versions", required=True), s.line_of("versions"), _("phiên bản")
        ):
            version = self._version(name, vm, values["periodicity"])
            if version is not None:
                versions.append(version)
        ordered = sorted(versions, key=lambda v: Period.parse(v.values["valid_from"]))
        for before, after in itertools.pairwise(ordered):
            end = before.values["valid_to"]
            if not end or Period.parse(end) >= Period.parse(after.values["valid_from"]):
                self.problems.add(
                    name,
                    after.line,
                    _("Phiên bản từ %(start)s chồng lên phiên bản từ %(prev)s.")
                    % {"start": after.values["valid_from"], "prev": before.values["valid_from"]},
                )
                s.ok = False
        return IndexRec(code, values, Ref(source, name, s.line_of("source")), versions, m.line) if s.ok else None

    def _version(self, name: str, m: LineDict, periodicity: str) -> VersionRec | None:
        s = Section(
            self.problems,
            name,
            m,
            model=CompositeIndexVersion,
            allowed={"valid_from", "valid_to", "divisor", "note", "components"},
        )
        values: dict[str, Any] = {
            "valid_from": s.period("valid_from", required=True),
            "valid_to": s.period("valid_to"),
            "divisor": s.decimal("divisor", default=Decimal(1)),
            "note": s.text("note"),
        }
        for key in ("valid_from", "valid_to"):
            if values[key] and Period.parse(values[key]).periodicity != periodicity:
                s.fail(
                    key,
                    _("Kỳ “%(period)s” không khớp tần suất %(periodicity)s của chỉ số.")
                    % {"period": values[key], "periodicity": periodicity},
                )
        if s.ok and values["valid_to"] and Period.parse(values["valid_to"]) < Period.parse(values["valid_from"]):
            s.fail("valid_to", _("valid_to đứng trước valid_from."))
        if values["divisor"] is not None and values["divisor"] <= 0:
            s.fail("divisor", _("Số chia phải lớn hơn 0."))
        components = []
        items = mappings(
            self.problems, name, s.items("components", required=True), s.line_of("components"), _("thành phần")
        )
        for order, cm in enumerate(items, 1):
            cs = Section(self.problems, name, cm, allowed={"indicator", "weight"})
            indicator = cs.code("indicator", UPPER_CODE)
            weight = cs.decimal("weight", required=True)
            if cs.ok and weight is not None:
                components.append(ComponentRec(Ref(indicator, name, cs.line_of("indicator")), weight, order))
            else:
                s.ok = False
        if not components and s.ok:
            s.fail("components", _("Phiên bản phải có ít nhất một thành phần."))
        return VersionRec(values, components, m.line) if s.ok else None

    def _rule(self, name: str, m: LineDict) -> RuleRec | None:
        s = Section(
            self.problems,
            name,
            m,
            model=ValidationRule,
            allowed={"code", "left", "operator", "right", "message", "message_en"},
        )
        code = s.code("code", UPPER_CODE)
        values: dict[str, Any] = {
            "left": s.text("left", required=True),
            "operator": s.choice("operator", [v.value for v in ValidationRule.Operator]),
            "right": s.text("right", required=True),
            "message": s.text("message", required=True),
            "message_en": s.text("message_en"),
        }
        return RuleRec(code, values, m.line, dict(m.key_lines)) if s.ok else None

    def _form(self, name: str, m: LineDict) -> FormRec | None:
        s = Section(
            self.problems,
            name,
            m,
            model=ReportForm,
            allowed={
                "code",
                "name",
                "name_en",
                "periodicity",
                "due_day",
                "lock_days",
                "commune_reporting_from",
                "commune_coverage_threshold",
                "sections",
            },
        )
        code = s.code("code", UPPER_CODE)
        values: dict[str, Any] = {
            "name": s.text("name", required=True),
            "name_en": s.text("name_en"),
            "periodicity": s.choice("periodicity", PERIODICITIES),
            "due_day": s.integer("due_day", default=5, minimum=1, maximum=60),
            "lock_days": s.integer("lock_days", default=30, minimum=0, maximum=366),
            "commune_reporting_from": self._commune_month(s),
            "commune_coverage_threshold": s.integer("commune_coverage_threshold", default=90, maximum=100),
        }
        elements: list[FormElementRec] = []
        section_maps = mappings(
            self.problems, name, s.items("sections", required=True), s.line_of("sections"), _("mục")
        )
        for sm in section_maps:
            ss = Section(
                self.problems,
                name,
                sm,
                model=ReportFormElement,
                allowed={"section", "elements", "required", "commune"},
            )
            section = ss.text("section", required=True)
            required = ss.boolean("required", default=True)
            commune = ss.boolean("commune", default=False)
            for item in ss.items("elements", required=True):
                if isinstance(item, str):
                    elements.append(
                        FormElementRec(
                            Ref(item, name, ss.line_of("elements")), len(elements) + 1, required, section, commune
                        )
                    )
                elif isinstance(item, LineDict):
                    es = Section(self.problems, name, item, allowed={"element", "required", "commune"})
                    element = es.code("element", UPPER_CODE)
                    if es.ok:
                        elements.append(
                            FormElementRec(
                                Ref(element, name, item.line_of("element")),
                                len(elements) + 1,
                                es.boolean("required", default=required),
                                section,
                                es.boolean("commune", default=commune),
                            )
                        )
                    s.ok = s.ok and es.ok
                else:
                    ss.fail("elements", _("Mỗi dòng trong “elements” phải là một mã hoặc “element: MÃ”."))
            s.ok = s.ok and ss.ok
        communal = [row for row in elements if row.commune_level]
        if s.ok and communal and not values["commune_reporting_from"]:
            s.fail(
                None,
                _("Biểu “%(form)s” có chỉ tiêu cấp xã (%(code)s) nhưng thiếu commune_reporting_from.")
                % {"form": code, "code": communal[0].element.code},
            )
        elif s.ok and values["commune_reporting_from"] and not communal:
            s.fail(
                "commune_reporting_from",
                _("Biểu “%(form)s” có commune_reporting_from nhưng không có chỉ tiêu nào đánh dấu commune: true.")
                % {"form": code},
            )
        return FormRec(code, values, elements, m.line) if s.ok else None

    def _commune_month(self, s: Section) -> str:
        """The first month of commune reporting ('YYYY-MM', not before the communes exist), or ''."""
        value = s.mapping.get("commune_reporting_from")
        if value is None:
            return ""
        text = str(value).strip()
        if not isinstance(value, str) or not re.fullmatch(MONTH, text):
            s.fail(
                "commune_reporting_from",
                _("commune_reporting_from “%(value)s” không hợp lệ: ghi tháng dạng YYYY-MM, ví dụ “%(first)s”.")
                % {"value": value, "first": FIRST_COMMUNE_MONTH},
            )
            return ""
        if text < FIRST_COMMUNE_MONTH:
            s.fail(
                "commune_reporting_from",
                _(
                    "commune_reporting_from “%(value)s” đứng trước %(first)s: cấp xã mới có từ 01/07/2025 "
                    "(chính quyền hai cấp)."
                )
                % {"value": text, "first": FIRST_COMMUNE_MONTH},
            )
            return ""
        return text

    # -- cross-file checks -------------------------------------------------------------------

    def _unique(self, file: str, items: list[Any], label: str) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for item in items:
            if item.code in seen:
                self.problems.add(
                    file,
                    item.line,
                    _("Mã %(label)s “%(code)s” bị lặp (đã có ở dòng %(first)d).")
                    % {"label": label, "code": item.code, "first": seen[item.code].line},
                )
            else:
                seen[item.code] = item
        return seen

    def _exists(self, ref: Ref, known: dict[str, Any] | set[str], label: str) -> bool:
        if ref.code in known:
            return True
        self.problems.add(
            ref.file, ref.line, _("Không có %(label)s mã “%(code)s”.") % {"label": label, "code": ref.code}
        )
        return False

    def check_references(self) -> None:
        c = self.catalogue
        self._check_lineage()
        check_communes(c.communes, c.current, CURRENT_FILE, self.problems)
        current_codes = {row.code for row in c.current}
        directives = self._unique(DIRECTIVES_FILE, c.directives, _("văn bản"))
        self._unique(DIRECTIVES_FILE, [o for d in c.directives for o in d.objectives], _("mục tiêu"))
        elements = self._unique(ELEMENTS_FILE, c.elements, _("chỉ tiêu dữ liệu"))
        indicators = self._unique(INDICATORS_FILE, c.indicators, _("chỉ tiêu"))
        self._unique(INDICES_FILE, c.indices, _("chỉ số tổng hợp"))
        self._unique(RULES_FILE, c.rules, _("quy tắc"))
        self._unique(FORMS_FILE, c.forms, _("biểu mẫu"))
        known = set(elements)

        for directive in c.directives:
            for objective in directive.objectives:
                for ref in objective.indicators:
                    self._exists(ref, indicators, _("chỉ tiêu"))
        for indicator in c.indicators:
            codes: list[str] = []
            for key in ("numerator", "denominator"):
                text = indicator.values[key]
                if key == "denominator" and not text:
                    continue
                line = indicator.lines.get(key, indicator.line)
                codes += [
                    code for code in self._expression(INDICATORS_FILE, line, key, text, known) if code not in codes
                ]
            indicator.element_codes = codes
            extensive = is_extensive(
                denominator=indicator.values["denominator"],
                space_aggregations=[
                    elements[code].values["space_aggregation"] if code in elements else "" for code in codes
                ],
            )
            seen_targets: set[tuple[str | None, datetime.date, str]] = set()
            for target in indicator.targets:
                problem = applicability_problem(applies_to=target.values["applies_to"], extensive=extensive)
                if problem:
                    self.problems.add(
                        INDICATORS_FILE,
                        target.line,
                        _("Mục tiêu của “%(code)s” không áp dụng được: %(reason)s")
                        % {"code": indicator.code, "reason": problem},
                    )
                self._exists(target.source, directives, _("văn bản"))
                if target.province is not None:
                    self._exists(target.province, current_codes, _("tỉnh, thành phố hiện hành"))
                key3 = (
                    target.province.code if target.province else None,
                    target.values["deadline"],
                    target.source.code,
                )
                if key3 in seen_targets:
                    self.problems.add(
                        INDICATORS_FILE,
                        target.line,
                        _("Mục tiêu của “%(code)s” bị lặp (cùng phạm vi, thời hạn và văn bản).")
                        % {"code": indicator.code},
                    )
                seen_targets.add(key3)
        for index in c.indices:
            self._exists(index.source, directives, _("văn bản"))
            for version in index.versions:
                seen: set[str] = set()
                for component in version.components:
                    self._exists(component.indicator, indicators, _("chỉ tiêu"))
                    if component.indicator.code in seen:
                        self.problems.add(
                            INDICES_FILE,
                            component.indicator.line,
                            _("Thành phần “%(code)s” bị lặp trong phiên bản.") % {"code": component.indicator.code},
                        )
                    seen.add(component.indicator.code)
        for rule in c.rules:
            for key in ("left", "right"):
                line = rule.lines.get(key, rule.line)
                self._expression(RULES_FILE, line, key, rule.values[key], known)
        for form in c.forms:
            seen = set()
            for row in form.elements:
                self._exists(row.element, elements, _("chỉ tiêu dữ liệu"))
                if row.element.code in seen:
                    self.problems.add(
                        FORMS_FILE,
                        row.element.line,
                        _("Chỉ tiêu dữ liệu “%(code)s” xuất hiện hai lần trong biểu “%(form)s”.")
                        % {"code": row.element.code, "form": form.code},
                    )
                seen.add(row.element.code)
                element = elements.get(row.element.code)
                if row.commune_level and element is not None and element.values["space_aggregation"] == "none":
                    self.problems.add(
                        FORMS_FILE,
                        row.element.line,
                        _(
                            "Chỉ tiêu dữ liệu “%(code)s” không cộng được theo địa bàn (space_aggregation: none) "
                            "nên không báo cáo cấp xã được."
                        )
                        % {"code": row.element.code},
                    )

    def _expression(self, file: str, line: int, key: str, text: str, known: set[str]) -> list[str]:
        try:
            return parse(text, known_codes=known).codes
        except ExpressionError as exc:
            self.problems.add(file, line, _("Công thức “%(key)s” sai: %(error)s") % {"key": key, "error": exc})
            return []

    def _check_lineage(self) -> None:
        c = self.catalogue
        current = {row.code: row for row in c.current}
        former = {row.code: row for row in c.former}
        successors: dict[str, set[str]] = defaultdict(set)
        for row in c.former:
            if row.successor_code not in current:
                self.problems.add(
                    FORMER_FILE,
                    row.line,
                    _("Đơn vị kế thừa “%(code)s” không có trong %(file)s.")
                    % {"code": row.successor_code, "file": CURRENT_FILE},
                )
            successors[row.successor_code].add(row.code)
        for row in c.current:
            unknown = [code for code in row.former_codes if code not in former]
            if unknown:
                self.problems.add(
                    CURRENT_FILE,
                    row.line,
                    _("former_codes có mã không có trong %(file)s: %(codes)s.")
                    % {"file": FORMER_FILE, "codes": ", ".join(unknown)},
                )
            elif set(row.former_codes) != successors[row.code]:
                self.problems.add(
                    CURRENT_FILE,
                    row.line,
                    _(
                        "former_codes của “%(code)s” là %(declared)s nhưng %(file)s ghi các đơn vị kế thừa "
                        "là %(actual)s."
                    )
                    % {
                        "code": row.code,
                        "declared": ";".join(sorted(row.former_codes)),
                        "file": FORMER_FILE,
                        "actual": ";".join(sorted(successors[row.code])) or "—",
                    },
                )
        for name in c.names:
            units = current if name.unit == "current" else former
            unit = units.get(name.code)
            if unit is None:
                self.problems.add(NAMES_FILE, name.line, _("Không có đơn vị mã “%(code)s”.") % {"code": name.code})
                continue
            start, end = (MERGER_DATE, None) if name.unit == "current" else (FORMER_VALID_FROM, FORMER_VALID_TO)
            inside = (
                start <= name.valid_from
                and (end is None or (name.valid_to is not None and name.valid_to <= end))
                and (name.valid_to is None or name.valid_from <= name.valid_to)
            )
            if not inside:
                self.problems.add(
                    NAMES_FILE, name.line, _("Khoảng thời gian của tên nằm ngoài thời gian hiệu lực của đơn vị.")
                )


def _ascii_name(name: str) -> str:
    """An English name for a former unit: the Vietnamese one without its prefix and diacritics."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    name = name.replace("Đ", "D").replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", name) if unicodedata.category(ch) != "Mn")
