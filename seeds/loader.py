"""Loading the catalogue from seeds/data into the database.

`catalogue_load` validates every file first (seeds.catalogue) and only then writes, all in one
transaction: a file that does not validate, or a write that fails, leaves the database as it
was. Rows are upserted on their natural keys (codes; (code, valid_from) for provinces and
communes), so a second run changes nothing and an edited file updates rows in place.

What the files own is synchronised exactly: an indicator's data elements (derived from its
formulas), an objective's indicators, a form's rows, an index version's components and the
national targets of the indicators in the files. Other rows that are no longer in the files
(a directive, an indicator, a province target added in the admin) are left alone: they may
carry reported data.

A load that created, updated or deleted rows the figures are computed from (FIGURE_MODELS)
marks every roll-up stale in the same transaction (tracker.progress.services.
rollups_catalogue_changed); the recompute is enqueued on commit. A load that changes nothing, as
at every `make run`, marks nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from kpis.models import (
    CompositeIndex,
    CompositeIndexComponent,
    CompositeIndexVersion,
    DataElement,
    Directive,
    Indicator,
    Objective,
    ReportForm,
    ReportFormElement,
    Target,
    ValidationRule,
)
from kpis.services import indicator_elements_sync
from provinces.models import MERGER_DATE, Commune, Province, ProvinceName
from seeds.catalogue import FORMER_VALID_FROM, FORMER_VALID_TO, Catalogue, catalogue_read
from tracker.progress.services import rollups_catalogue_changed

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"

# Printed in this order; labels are the models' Vietnamese names.
_MODELS: list[type[models.Model]] = [
    Province,
    ProvinceName,
    Commune,
    Directive,
    Objective,
    DataElement,
    Indicator,
    Target,
    ReportForm,
    ReportFormElement,
    ValidationRule,
    CompositeIndex,
    CompositeIndexVersion,
    CompositeIndexComponent,
]

# What the roll-ups read: lineage and validity of units, formulas, aggregation rules, targets,
# index versions and weights, forms (periodicity, due day, rows), and which province a commune
# belongs to (its figures roll up there). Names, directives, objectives and validation rules do
# not change a computed figure.
FIGURE_MODELS: tuple[type[models.Model], ...] = (
    Province,
    Commune,
    DataElement,
    Indicator,
    Target,
    ReportForm,
    ReportFormElement,
    CompositeIndex,
    CompositeIndexVersion,
    CompositeIndexComponent,
)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class LoadReport:
    counts: dict[str, Counts] = field(default_factory=lambda: {m._meta.label: Counts() for m in _MODELS})
    # True when this load marked every roll-up stale (it changed rows of FIGURE_MODELS).
    rollups_marked: bool = False

    def of(self, model: type[models.Model]) -> Counts:
        return self.counts[model._meta.label]

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def deleted(self) -> int:
        return sum(c.deleted for c in self.counts.values())

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def changed_figure_models(self) -> list[type[models.Model]]:
        """The models the figures are computed from that this load created, updated or deleted rows of."""
        out = []
        for model in FIGURE_MODELS:
            c = self.of(model)
            if c.created or c.updated or c.deleted:
                out.append(model)
        return out

    def lines(self) -> list[str]:
        out = []
        for model in _MODELS:
            c = self.of(model)
            out.append(
                _("%(name)s: tạo mới %(created)d, cập nhật %(updated)d, không đổi %(unchanged)d, xóa %(deleted)d")
                % {
                    "name": _capitalised(str(model._meta.verbose_name_plural)),
                    "created": c.created,
                    "updated": c.updated,
                    "unchanged": c.unchanged,
                    "deleted": c.deleted,
                }
            )
        return out


class _Upserter:
    """Upserts rows of one model on a natural key, counting what really changed.

    Existing rows are read once; a row whose values already match is not written at all, so a
    second run issues no UPDATE. New rows are inserted; changed rows go through update_or_create
    on the key, which locks the row it updates.
    """

    def __init__(self, model: type[models.Model], key_fields: tuple[str, ...], report: LoadReport) -> None:
        self.model = model
        self.key_fields = key_fields
        self.counts = report.of(model)
        self.existing: dict[tuple[Any, ...], models.Model] = {
            tuple(getattr(obj, f) for f in key_fields): obj for obj in model._default_manager.all()
        }

    def upsert(self, key: dict[str, Any], values: dict[str, Any]) -> tuple[Any, str]:
        lookup = tuple(key[f] for f in self.key_fields)
        current = self.existing.get(lookup)
        if current is not None and all(_same(getattr(current, name), value) for name, value in values.items()):
            self.counts.unchanged += 1
            return current, "unchanged"
        if current is None:
            # Not there when the table was read at the start of this transaction: a plain insert.
            obj = self.model._default_manager.create(**key, **values)
            self.existing[lookup] = obj
            self.counts.created += 1
            return obj, "created"
        obj, _created = self.model._default_manager.update_or_create(defaults=values, **key)
        self.existing[lookup] = obj
        self.counts.updated += 1
        return obj, "updated"

    def sync(self, owned: models.QuerySet[Any], rows: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> None:
        """Upsert `rows` (key, values), then delete the rows of `owned` that are not among them.

        `owned` is what one file entry owns exactly: an indicator's national targets, a form's
        rows, an index version's components.
        """
        kept = {self.upsert(key, values)[0].pk for key, values in rows}
        self.counts.deleted += owned.exclude(pk__in=kept).delete()[0]

    def touched(self, outcome: str) -> None:
        """A row whose own fields were unchanged but whose links changed counts as updated."""
        if outcome == "unchanged":
            self.counts.unchanged -= 1
            self.counts.updated += 1


def _same(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is None and new is None
    return bool(old == new)


def _sync_m2m(manager: Any, wanted: Iterable[Any]) -> bool:
    wanted_ids = {obj.pk for obj in wanted}
    present = set(manager.values_list("pk", flat=True))
    if wanted_ids == present:
        return False
    manager.set(list(wanted_ids))
    return True


def catalogue_load(*, data_dir: Path | str = DEFAULT_DATA_DIR) -> LoadReport:
    """Validate the seed files in `data_dir`, then upsert them in one transaction.

    Raises seeds.errors.CatalogueInvalid (file, line, reason for every problem) before any write.
    """
    catalogue = catalogue_read(data_dir=Path(data_dir))
    report = LoadReport()
    with transaction.atomic():
        provinces = _load_provinces(catalogue, report)
        _load_communes(catalogue, report, provinces)
        directives = _load_directives(catalogue, report)
        elements = _load_elements(catalogue, report)
        indicators = _load_indicators(catalogue, report, directives, provinces)
        _load_objectives(catalogue, report, directives, indicators)
        _load_forms(catalogue, report, elements)
        _load_rules(catalogue, report)
        _load_indices(catalogue, report, directives, indicators)
        changed = report.changed_figure_models()
        if changed:
            rollups_catalogue_changed(reason="load_catalogue: " + ", ".join(m.__name__ for m in changed))
            report.rollups_marked = True
    return report


def _load_provinces(catalogue: Catalogue, report: LoadReport) -> dict[str, Province]:
    upserter = _Upserter(Province, ("code", "valid_from"), report)
    current: dict[str, Province] = {}
    for row in catalogue.current:
        obj, _outcome = upserter.upsert(
            {"code": row.code, "valid_from": MERGER_DATE},
            {
                "name": row.name,
                "name_en": row.name_en,
                "kind": row.kind,
                "valid_to": None,
                "successor_id": None,
                "area_km2": row.area_km2,
                "population": row.population,
                **row.communes,
            },
        )
        current[row.code] = obj
    former: dict[str, Province] = {}
    for row in catalogue.former:
        obj, _outcome = upserter.upsert(
            {"code": row.code, "valid_from": FORMER_VALID_FROM},
            {
                "name": row.name,
                "name_en": row.name_en,
                "kind": row.kind,
                "valid_to": FORMER_VALID_TO,
                "successor_id": current[row.successor_code].pk,
            },
        )
        former[row.code] = obj
    names = _Upserter(ProvinceName, ("province_id", "valid_from"), report)
    for name in catalogue.names:
        unit = (current if name.unit == "current" else former)[name.code]
        names.upsert(
            {"province_id": unit.pk, "valid_from": name.valid_from},
            {"name": name.name, "kind": name.kind, "valid_to": name.valid_to, "source": name.source},
        )
    return current


def _load_communes(catalogue: Catalogue, report: LoadReport, provinces: dict[str, Province]) -> None:
    """Upsert the 3.321 communes on (code, valid_from) in a few statements instead of one per row.

    Like _Upserter: existing rows are read once, rows whose values match are not written, and
    the rows of the file are the units valid from the merger, so a row of the file always ends up
    current (valid_to and successor empty). A unit later merged or renamed leaves the file for a
    file of former communes, as the provinces do. Two loads racing to insert the same new code
    collide on the unique (code, valid_from) constraint and the second rolls back whole.
    """
    counts = report.of(Commune)
    existing = {(c.code, c.valid_from): c for c in Commune.objects.all()}
    created: list[Commune] = []
    changed: list[Commune] = []
    fields = ["name", "kind", "province_id", "valid_to", "successor_id"]
    for row in catalogue.communes:
        values = {
            "name": row.name,
            "kind": row.kind,
            "province_id": provinces[row.province_code].pk,
            "valid_to": None,
            "successor_id": None,
        }
        current = existing.get((row.code, MERGER_DATE))
        if current is None:
            created.append(Commune(code=row.code, valid_from=MERGER_DATE, **values))
        elif all(_same(getattr(current, name), value) for name, value in values.items()):
            counts.unchanged += 1
        else:
            for name, value in values.items():
                setattr(current, name, value)
            changed.append(current)
    Commune.objects.bulk_create(created, batch_size=500)
    Commune.objects.bulk_update(changed, fields, batch_size=500)
    counts.created += len(created)
    counts.updated += len(changed)


def _load_directives(catalogue: Catalogue, report: LoadReport) -> dict[str, Directive]:
    upserter = _Upserter(Directive, ("code",), report)
    return {rec.code: upserter.upsert({"code": rec.code}, rec.values)[0] for rec in catalogue.directives}


def _load_elements(catalogue: Catalogue, report: LoadReport) -> dict[str, DataElement]:
    upserter = _Upserter(DataElement, ("code",), report)
    return {rec.code: upserter.upsert({"code": rec.code}, rec.values)[0] for rec in catalogue.elements}


def _load_indicators(
    catalogue: Catalogue,
    report: LoadReport,
    directives: dict[str, Directive],
    provinces: dict[str, Province],
) -> dict[str, Indicator]:
    upserter = _Upserter(Indicator, ("code",), report)
    targets = _Upserter(Target, ("indicator_id", "province_id", "deadline", "source_id"), report)
    out: dict[str, Indicator] = {}
    for rec in catalogue.indicators:
        indicator, outcome = upserter.upsert({"code": rec.code}, rec.values)
        if indicator_elements_sync(indicator=indicator):
            upserter.touched(outcome)
        targets.sync(
            Target.objects.filter(indicator=indicator, province__isnull=True),
            (
                (
                    {
                        "indicator_id": indicator.pk,
                        "province_id": provinces[target.province.code].pk if target.province else None,
                        "deadline": target.values["deadline"],
                        "source_id": directives[target.source.code].pk,
                    },
                    {key: value for key, value in target.values.items() if key != "deadline"},
                )
                for target in rec.targets
            ),
        )
        out[rec.code] = indicator
    return out


def _load_objectives(
    catalogue: Catalogue,
    report: LoadReport,
    directives: dict[str, Directive],
    indicators: dict[str, Indicator],
) -> None:
    upserter = _Upserter(Objective, ("code",), report)
    for directive in catalogue.directives:
        for rec in directive.objectives:
            objective, outcome = upserter.upsert(
                {"code": rec.code}, {"directive_id": directives[directive.code].pk, **rec.values}
            )
            if _sync_m2m(objective.indicators, [indicators[ref.code] for ref in rec.indicators]):
                upserter.touched(outcome)


def _load_forms(catalogue: Catalogue, report: LoadReport, elements: dict[str, DataElement]) -> None:
    forms = _Upserter(ReportForm, ("code",), report)
    rows = _Upserter(ReportFormElement, ("form_id", "element_id"), report)
    for rec in catalogue.forms:
        form, _outcome = forms.upsert({"code": rec.code}, rec.values)
        rows.sync(
            ReportFormElement.objects.filter(form=form),
            (
                (
                    {"form_id": form.pk, "element_id": elements[row.element.code].pk},
                    {
                        "order": row.order,
                        "required": row.required,
                        "section": row.section,
                        "commune_level": row.commune_level,
                    },
                )
                for row in rec.elements
            ),
        )


def _load_rules(catalogue: Catalogue, report: LoadReport) -> None:
    upserter = _Upserter(ValidationRule, ("code",), report)
    for rec in catalogue.rules:
        upserter.upsert({"code": rec.code}, rec.values)


def _load_indices(
    catalogue: Catalogue,
    report: LoadReport,
    directives: dict[str, Directive],
    indicators: dict[str, Indicator],
) -> None:
    indices = _Upserter(CompositeIndex, ("code",), report)
    versions = _Upserter(CompositeIndexVersion, ("index_id", "valid_from"), report)
    components = _Upserter(CompositeIndexComponent, ("version_id", "indicator_id"), report)
    for rec in catalogue.indices:
        index, _outcome = indices.upsert(
            {"code": rec.code}, {"source_id": directives[rec.source.code].pk, **rec.values}
        )
        for version_rec in rec.versions:
            values = dict(version_rec.values)
            version, _v_outcome = versions.upsert(
                {"index_id": index.pk, "valid_from": values.pop("valid_from")}, values
            )
            components.sync(
                CompositeIndexComponent.objects.filter(version=version),
                (
                    (
                        {"version_id": version.pk, "indicator_id": indicators[component.indicator.code].pk},
                        {"weight": component.weight, "order": component.order},
                    )
                    for component in version_rec.components
                ),
            )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
