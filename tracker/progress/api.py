"""Read API of the computed tables under /api/v1/: official figures only, never the preview."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kpis.periods import InvalidPeriod, Period, Periodicity
from tracker.progress import selectors
from tracker.progress.models import IndexScore, IndicatorValue, Level, ProgressStatus, ReportingRate, TargetProgress
from tracker.progress.serializers import (
    IndexScoreSerializer,
    IndicatorValueSerializer,
    ReportingRateSerializer,
    RollupStatusSerializer,
    StandingSerializer,
    TargetProgressSerializer,
)
from tracker.progress.standing_selectors import StandingRecord, standing_records


class PeriodField(serializers.CharField):
    def to_internal_value(self, data: Any) -> Period:  # type: ignore[override]
        try:
            return Period.parse(str(data))
        except InvalidPeriod as error:
            raise serializers.ValidationError(str(error)) from error


class Filters(serializers.Serializer):
    indicator = serializers.CharField(required=False, max_length=60)
    index = serializers.CharField(required=False, max_length=40)
    form = serializers.CharField(required=False, max_length=40)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    province = serializers.RegexField(
        r"^\d{2}$", required=False, error_messages={"invalid": _("Mã tỉnh gồm 2 chữ số.")}
    )
    period = PeriodField(required=False)
    period_from = PeriodField(required=False)
    period_to = PeriodField(required=False)
    periodicity = serializers.ChoiceField(choices=[p.value for p in Periodicity], required=False)
    status = serializers.ChoiceField(choices=ProgressStatus.choices, required=False)


def _filters(request: Request, names: list[str]) -> dict[str, Any]:
    params = {name: request.query_params[name] for name in names if request.query_params.get(name)}
    filters = Filters(data=params)
    filters.is_valid(raise_exception=True)
    return {name: filters.validated_data.get(name) for name in names}


LEVEL = OpenApiParameter("level", str, enum=[c[0] for c in Level.choices], description="province | former | national")
PROVINCE = OpenApiParameter(
    "province", str, description="Mã tỉnh (2 chữ số); với level=former là mã đơn vị trước sáp nhập"
)
PERIOD = OpenApiParameter("period", str, description="YYYY-MM | YYYY-Qn | YYYY")
PERIOD_FROM = OpenApiParameter("period_from", str, description="từ kỳ (theo ngày đầu kỳ)")
PERIOD_TO = OpenApiParameter("period_to", str, description="đến kỳ (theo ngày cuối kỳ)")
PERIODICITY = OpenApiParameter("periodicity", str, enum=[p.value for p in Periodicity])


@extend_schema(
    parameters=[OpenApiParameter("indicator", str), LEVEL, PROVINCE, PERIOD, PERIOD_FROM, PERIOD_TO, PERIODICITY]
)
class IndicatorValueListApi(generics.ListAPIView):
    """Indicator values (value, numerator, denominator) per unit and period, from approved figures."""

    serializer_class = IndicatorValueSerializer

    def get_queryset(self) -> QuerySet[IndicatorValue]:
        names = ["indicator", "level", "province", "period", "period_from", "period_to", "periodicity"]
        return selectors.indicator_value_list(**_filters(self.request, names))


@extend_schema(
    parameters=[
        OpenApiParameter("indicator", str),
        LEVEL,
        PROVINCE,
        OpenApiParameter("status", str, enum=[c[0] for c in ProgressStatus.choices]),
    ]
)
class TargetProgressListApi(generics.ListAPIView):
    """Progress towards every target (Open SDG method), per province and for the nation."""

    serializer_class = TargetProgressSerializer

    def get_queryset(self) -> QuerySet[TargetProgress]:
        return selectors.target_progress_list(**_filters(self.request, ["indicator", "level", "province", "status"]))


class StandingFilters(serializers.Serializer):
    period = PeriodField(error_messages={"required": _("Cần cho biết kỳ (period), ví dụ 2026-11, 2026-Q3 hoặc 2026.")})
    indicator = serializers.CharField(required=False, max_length=60)
    level = serializers.ChoiceField(choices=[Level.PROVINCE, Level.NATIONAL], required=False)
    province = serializers.RegexField(
        r"^\d{2}$", required=False, error_messages={"invalid": _("Mã tỉnh gồm 2 chữ số.")}
    )
    headline = serializers.BooleanField(required=False, default=False)


@extend_schema(
    parameters=[
        OpenApiParameter("period", str, required=True, description="YYYY-MM | YYYY-Qn | YYYY"),
        OpenApiParameter("indicator", str),
        OpenApiParameter("level", str, enum=[Level.PROVINCE, Level.NATIONAL]),
        PROVINCE,
        OpenApiParameter("headline", bool, description="chỉ mục tiêu chính của mỗi đơn vị"),
    ]
)
class StandingListApi(generics.ListAPIView):
    """Where each unit stands on each indicator as of a period, against each target that applies
    (or along its trend): computed from the series up to that period. A unit without a value for
    the period answers "no_data_this_period" with its latest earlier value and that value's period."""

    serializer_class = StandingSerializer

    def get_queryset(self) -> list[StandingRecord]:  # type: ignore[override]
        filters = StandingFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return standing_records(
            data["period"],
            indicator=data.get("indicator"),
            level=data.get("level"),
            province=data.get("province"),
            headline_only=data["headline"],
        )


@extend_schema(parameters=[OpenApiParameter("index", str), LEVEL, PROVINCE, PERIOD])
class IndexScoreListApi(generics.ListAPIView):
    """Composite index scores (provincial DTI, 766 index) with ranks and component values."""

    serializer_class = IndexScoreSerializer

    def get_queryset(self) -> QuerySet[IndexScore]:
        return selectors.index_score_list(**_filters(self.request, ["index", "level", "province", "period"]))


@extend_schema(parameters=[OpenApiParameter("form", str), LEVEL, PROVINCE, PERIOD, PERIOD_FROM, PERIOD_TO, PERIODICITY])
class ReportingRateListApi(generics.ListAPIView):
    """Reports expected, received, on time and approved per form, unit and period."""

    serializer_class = ReportingRateSerializer

    def get_queryset(self) -> QuerySet[ReportingRate]:
        names = ["form", "level", "province", "period", "period_from", "period_to", "periodicity"]
        return selectors.reporting_rate_list(**_filters(self.request, names))


class RollupStatusApi(APIView):
    """When figures were last computed (full and incremental) and how many changes are pending."""

    @extend_schema(responses=RollupStatusSerializer)
    def get(self, request: Request) -> Response:
        return Response(RollupStatusSerializer(selectors.rollup_status()).data)
