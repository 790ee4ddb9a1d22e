import datetime

from django.db.models import Count, F, Prefetch, QuerySet

from provinces.models import MERGER_DATE, Commune, Province


def province_list(*, level: str | None = None) -> QuerySet[Province]:
    """Provinces with their lineage; level is 'current', 'former' or None for both."""
    queryset = Province.objects.select_related("successor").prefetch_related(
        Prefetch("predecessors", queryset=Province.objects.order_by("code"))
    )
    if level == "current":
        queryset = queryset.current()
    elif level == "former":
        queryset = queryset.former()
    return queryset.order_by("valid_to", "code")


def current_province(code: str) -> Province | None:
    return Province.objects.current().filter(code=code).first()


def province_for(code: str, *, former: bool = False) -> Province | None:
    return (Province.objects.former() if former else Province.objects.current()).filter(code=code).first()


def units_reporting_on(day: datetime.date) -> QuerySet[Province]:
    """The units that report for a day: the 63 former units before the merger, the 34 after."""
    return Province.objects.current() if day >= MERGER_DATE else Province.objects.former()


def commune_list(
    *, province_ids: list[int] | None = None, kind: str | None = None, on: datetime.date | None = None
) -> QuerySet[Commune]:
    """Communes with their province and successor, by code; each filter applies when given.

    `province_ids` are units (any version of a province code), `on` keeps the units valid that day.
    """
    queryset = Commune.objects.select_related("province", "successor")
    if province_ids is not None:
        queryset = queryset.filter(province_id__in=province_ids)
    if kind:
        queryset = queryset.filter(kind=kind)
    if on is not None:
        queryset = queryset.valid_on(on)
    return queryset.order_by("code", "valid_from")


def province_ids_with_code(code: str) -> list[int]:
    """Every unit that carried a province code (91: Kiên Giang until 2025-06-30, An Giang since)."""
    return list(Province.objects.filter(code=code).values_list("pk", flat=True))


def commune_for(code: str) -> Commune | None:
    """The unit with a commune code: the current one, else the one that ended last."""
    return (
        Commune.objects.select_related("province", "successor")
        .filter(code=code)
        .order_by(F("valid_to").desc(nulls_first=True))
        .first()
    )


def communes_of(province: Province, *, on: datetime.date) -> QuerySet[Commune]:
    """The communes of a province valid on a day, by code: the units that report for that day.

    Empty for a day before 2025-07-01 (the level did not exist) and for a former province.
    """
    return Commune.objects.filter(province=province).valid_on(on).order_by("code")


def commune_counts_of(province: Province, *, on: datetime.date) -> dict[str, int]:
    """How many communes of each kind a province has on a day, every kind present (0 when none)."""
    counts = dict.fromkeys(Commune.Kind.values, 0)
    rows = communes_of(province, on=on).order_by().values_list("kind").annotate(n=Count("pk"))
    counts.update(dict(rows))
    return counts
