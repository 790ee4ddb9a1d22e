from django.db.models import Count, Prefetch, QuerySet

from kpis.models import DataElement, Directive, Indicator, Objective, ReportForm, Target
from provinces.models import Province


def catalogue_counts() -> dict[str, int]:
    return {
        "provinces": Province.objects.current().count(),
        "former_provinces": Province.objects.former().count(),
        "directives": Directive.objects.count(),
        "objectives": Objective.objects.count(),
        "indicators": Indicator.objects.count(),
        "targets": Target.objects.count(),
    }


def directive_list() -> QuerySet[Directive]:
    return Directive.objects.prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.prefetch_related("indicators"))
    )


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.prefetch_related(
        "data_elements",
        Prefetch("targets", queryset=Target.objects.select_related("province", "source")),
        "objectives",
    )


def data_element_list() -> QuerySet[DataElement]:
    return DataElement.objects.all()


def report_form_list() -> QuerySet[ReportForm]:
    return ReportForm.objects.annotate(element_count=Count("form_elements")).prefetch_related("form_elements__element")
