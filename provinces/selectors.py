import datetime

from django.db.models import Prefetch, QuerySet

from provinces.models import MERGER_DATE, Province


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
