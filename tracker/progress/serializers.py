"""Read-only representations of the computed tables. Decimals travel as exact strings."""

from __future__ import annotations

from rest_framework import serializers

from tracker.progress.completeness import Coverage, ExpectedUnits
from tracker.progress.models import IndexScore, IndicatorValue, ReportingRate, TargetProgress


class _UnitFields(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", allow_null=True, default=None)
    province_name = serializers.CharField(source="province.name", allow_null=True, default=None)


class IndicatorValueSerializer(_UnitFields):
    indicator = serializers.CharField(source="indicator.code")
    expected_units = serializers.SerializerMethodField(
        help_text="Số đơn vị phải báo cáo trong kỳ (toàn quốc: các tỉnh có hiệu lực trong kỳ)."
    )
    provisional = serializers.SerializerMethodField(
        help_text="Tạm tính: số đơn vị đã báo cáo dưới ngưỡng TRACKER_COMPLETE_COVERAGE_PERCENT (mặc định 90 %)."
    )
    coverage_label = serializers.SerializerMethodField(help_text="“Tạm tính: 6/34 tỉnh”, hoặc rỗng.")

    def _coverage(self, row: IndicatorValue) -> Coverage:
        # read once per response: kept on the list serializer all rows share
        expected = getattr(self.root, "_expected_units", None)
        if expected is None:
            expected = ExpectedUnits()
            setattr(self.root, "_expected_units", expected)  # noqa: B010 - an attribute DRF does not declare
        return expected.coverage(row.level, row.province_id, row.period_start, row.period_end, row.units_count)

    def get_expected_units(self, row: IndicatorValue) -> int:
        return self._coverage(row).expected

    def get_provisional(self, row: IndicatorValue) -> bool:
        return self._coverage(row).provisional

    def get_coverage_label(self, row: IndicatorValue) -> str:
        return self._coverage(row).label

    class Meta:
        model = IndicatorValue
        fields = [
            "indicator",
            "level",
            "province",
            "province_name",
            "period",
            "periodicity",
            "period_start",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "units_count",
            "expected_units",
            "provisional",
            "coverage_label",
            "computed_at",
        ]


class TargetProgressSerializer(_UnitFields):
    indicator = serializers.CharField(source="indicator.code")
    target = serializers.IntegerField(source="target_id", allow_null=True)
    target_source = serializers.CharField(source="target.source.number", allow_null=True, default=None)
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = TargetProgress
        fields = [
            "indicator",
            "target",
            "target_source",
            "level",
            "province",
            "province_name",
            "method",
            "status",
            "status_label",
            "current_value",
            "current_period",
            "baseline_value",
            "baseline_period",
            "target_value",
            "deadline",
            "share_of_way",
            "projected_value",
            "required_monthly_change",
            "progress_value",
            "coefficient",
            "computed_at",
        ]


class IndexScoreSerializer(_UnitFields):
    index = serializers.CharField(source="index.code")
    version = serializers.CharField(source="version.valid_from")

    class Meta:
        model = IndexScore
        fields = [
            "index",
            "version",
            "level",
            "province",
            "province_name",
            "period",
            "score",
            "rank",
            "components",
            "computed_at",
        ]


class ReportingRateSerializer(_UnitFields):
    form = serializers.CharField(source="form.code")

    class Meta:
        model = ReportingRate
        fields = [
            "form",
            "level",
            "province",
            "province_name",
            "period",
            "periodicity",
            "period_start",
            "period_end",
            "expected",
            "received",
            "on_time",
            "approved",
            "not_due",
            "computed_at",
        ]


class RollupStatusSerializer(serializers.Serializer):
    last_full_at = serializers.DateTimeField(allow_null=True)
    last_incremental_at = serializers.DateTimeField(allow_null=True)
    pending_dirty = serializers.IntegerField()
    oldest_pending_at = serializers.DateTimeField(allow_null=True)
    full_recompute_pending = serializers.BooleanField()
    full_running_since = serializers.DateTimeField(allow_null=True)


def _amount(source: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=30, decimal_places=10, source=source, allow_null=True, read_only=True)


class StandingSerializer(serializers.Serializer):
    """A standing as of a period (tracker.progress.standing_selectors.StandingView); labels come
    from tracker.progress.vocabulary in the request's language."""

    indicator = serializers.CharField(source="indicator_code")
    level = serializers.CharField(source="view.level")
    province = serializers.CharField(source="province_code", allow_null=True)
    province_name = serializers.CharField(allow_null=True)
    target = serializers.IntegerField(source="view.target_id", allow_null=True)
    target_applies_to = serializers.CharField(source="target_scope")
    period = serializers.CharField(source="view.period")
    status = serializers.CharField(source="view.status")
    status_label = serializers.CharField(source="view.label")
    as_of = serializers.CharField(source="view.as_of")
    final = serializers.BooleanField(source="view.final")
    flag = serializers.CharField(source="view.flag")
    flag_label = serializers.CharField()
    value = _amount("view.value")
    value_period = serializers.CharField(source="view.value_period")
    baseline_value = _amount("view.baseline_value")
    baseline_period = serializers.CharField(source="view.baseline_period")
    target_value = _amount("view.target_value")
    deadline = serializers.DateField(source="view.deadline", allow_null=True)
    share_of_way = _amount("view.share_of_way")
    projected_value = _amount("view.projected_value")
    required_monthly_change = _amount("view.required_monthly_change")
    progress_value = _amount("view.progress_value")
