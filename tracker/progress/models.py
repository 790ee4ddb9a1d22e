"""Computed tables of the roll-up engine, and the bookkeeping that keeps them fresh.

Everything here is derived from official figures (reporting.DataValue.approved_value) and the
catalogue; it can be dropped and recomputed at any time (`manage.py recompute_rollups`).
Dashboards and exports read these tables, never the entry tables (DESIGN §3).

A row identifies its unit by `level` and `province`: level "province" is one of the 34 current
units (its series before 2025-07-01 is the roll-up of its predecessors), "former" one of the 63
units of 2008-2025, "national" the whole country (province is null).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from kpis.periods import Periodicity

PERIODICITY_CHOICES = [
    (Periodicity.MONTHLY.value, _("Tháng")),
    (Periodicity.QUARTERLY.value, _("Quý")),
    (Periodicity.YEARLY.value, _("Năm")),
]


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    FORMER = "former", _("Đơn vị trước sáp nhập")
    NATIONAL = "national", _("Toàn quốc")


class ProgressStatus(models.TextChoices):
    """Open SDG progress categories (sdg-build ProgressMeasure), with the labels officials use."""

    TARGET_ACHIEVED = "target_achieved", _("Đã đạt")
    SUBSTANTIAL = "substantial_progress", _("Đúng tiến độ")
    MODERATE = "moderate_progress", _("Cần đẩy nhanh")
    LIMITED = "limited_progress", _("Chậm")
    DETERIORATION = "deterioration", _("Đi xuống")
    NOT_AVAILABLE = "not_available", _("Chưa đủ dữ liệu")
    # Final, after the deadline (DESIGN §5.7): the value at the deadline did not meet the target.
    MISSED = "missed", _("Không đạt (quá hạn)")
    # Not a standing: the value cannot be true (beyond its natural limit, a negative total), DESIGN §5.9.
    DATA_QUALITY = "data_quality", _("Số liệu cần kiểm tra")


# Exact decimals: 20 integer digits hold national sums of money in đồng; 10 decimals hold ratios.
def _amount(verbose_name: Any = None) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=30, decimal_places=10, null=True, blank=True)


class IndicatorValue(models.Model):
    """value = factor · numerator / denominator (or factor · numerator) for one unit and period.

    The largest table (some 500 000 rows nationally) and rebuilt by jobs, so its foreign keys carry
    no database constraint: checking two of them per inserted row doubled the cost of a full
    recompute, and Django still deletes a province's or an indicator's rows with it (CASCADE).
    """

    indicator = models.ForeignKey(
        "kpis.Indicator",
        verbose_name=_("chỉ tiêu"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique index starts with it
        db_constraint=False,
    )
    # Follows from the province (a current or a former unit; none for the nation), so no index
    # carries it: comparing it costs more than the rest of a key.
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    # Indexed: a unit's rows (dashboards, API) and the nation's (province null).
    province = models.ForeignKey(
        "provinces.Province",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    period = models.CharField(_("kỳ"), max_length=7)
    periodicity = models.CharField(_("loại kỳ"), max_length=10, choices=PERIODICITY_CHOICES)
    period_start = models.DateField(_("đầu kỳ"))
    period_end = models.DateField(_("cuối kỳ"))
    numerator = _amount(_("tử số"))
    denominator = _amount(_("mẫu số"))
    value = _amount(_("giá trị"))
    units_count = models.PositiveIntegerField(_("số đơn vị báo cáo"), default=0)
    computed_at = models.DateTimeField(_("thời điểm tính"))

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        ordering = ["indicator", "level", "province", "period_start", "period_end"]
        # Two constraints rather than NULLS NOT DISTINCT, which SQLite lacks: the first also gives
        # SQLite the index its merge statements look rows up by, and everyone an indicator's rows;
        # the nation's rows (province null) are unique by the second. Each index costs a first
        # fill a sort of the whole table (tracker.progress.deferred_indexes), hence so few.
        constraints = [
            models.UniqueConstraint(fields=["indicator", "province", "period"], name="progress_indicator_value_unique"),
            models.UniqueConstraint(
                fields=["period", "indicator"],  # period first: the first and last month computed
                condition=models.Q(level="national"),
                name="progress_indicator_value_national_unique",
            ),
        ]
        indexes = [models.Index(fields=["period"], name="progress_iv_period_idx")]  # a period's rows

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.level} {self.province_id or '-'} {self.period} = {self.value}"


class TargetProgress(models.Model):
    """Progress of one unit towards one target (or, without a target, along its trend)."""

    class Method(models.TextChoices):
        TARGET = "target", _("So với mục tiêu")
        TREND = "trend", _("Theo xu hướng (không có mục tiêu)")

    indicator = models.ForeignKey(
        "kpis.Indicator", verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="+"
    )
    target = models.ForeignKey(
        "kpis.Target",
        verbose_name=_("mục tiêu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "provinces.Province",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    method = models.CharField(_("phương pháp"), max_length=10, choices=Method.choices)
    status = models.CharField(_("tình trạng"), max_length=25, choices=ProgressStatus.choices)
    current_value = _amount(_("giá trị hiện tại"))
    current_period = models.CharField(_("kỳ hiện tại"), max_length=7, blank=True)
    baseline_value = _amount(_("giá trị gốc"))
    baseline_period = models.CharField(_("kỳ gốc"), max_length=7, blank=True)
    target_value = _amount(_("giá trị mục tiêu"))
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    share_of_way = _amount(_("tỷ lệ quãng đường đã đi"))
    projected_value = _amount(_("giá trị dự báo tại thời hạn"))
    required_monthly_change = _amount(_("mức thay đổi cần thiết mỗi tháng"))
    progress_value = _amount(_("chỉ số tiến độ"))
    coefficient = _amount(_("hệ số giới hạn tự nhiên"))
    computed_at = models.DateTimeField(_("thời điểm tính"))

    class Meta:
        verbose_name = _("tiến độ thực hiện mục tiêu")
        verbose_name_plural = _("tiến độ thực hiện mục tiêu")
        ordering = ["indicator", "level", "province", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "target", "level", "province"],
                name="progress_target_progress_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.level} {self.province_id or '-'} → {self.target_id}: {self.status}"


class Standing(models.Model):
    """Where a unit stands on an indicator against one applicable target (or its trend), as of one
    period: computed from the series up to that period only (DESIGN §5.7), for every period of every
    periodicity that has a value. `value`/`value_period` are the figure the status is about: the
    period's own value, or, after the deadline, the value at the deadline.

    Rebuilt by jobs and large (some 200 000 rows nationally), so like IndicatorValue its foreign
    keys carry no database constraint. The nation's rows have no province; a trend row no target.
    """

    indicator = models.ForeignKey(
        "kpis.Indicator",
        verbose_name=_("chỉ tiêu"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique index starts with it
        db_constraint=False,
    )
    target = models.ForeignKey(
        "kpis.Target",
        verbose_name=_("mục tiêu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "provinces.Province",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period = models.CharField(_("kỳ"), max_length=7)
    periodicity = models.CharField(_("loại kỳ"), max_length=10, choices=PERIODICITY_CHOICES)
    period_end = models.DateField(_("cuối kỳ"))
    status = models.CharField(_("tình trạng"), max_length=25, choices=ProgressStatus.choices)
    final = models.BooleanField(_("đã chốt (quá thời hạn)"), default=False)
    flag = models.CharField(_("cảnh báo chất lượng số liệu"), max_length=200, blank=True)
    value = _amount(_("giá trị"))
    value_period = models.CharField(_("kỳ của giá trị"), max_length=7, blank=True)
    # The period's own value, as IndicatorValue has it: a full run finds the series whose values
    # changed by comparing the two tables, and recomputes only those.
    period_value = _amount(_("giá trị của kỳ"))
    baseline_value = _amount(_("giá trị gốc"))
    baseline_period = models.CharField(_("kỳ gốc"), max_length=7, blank=True)
    target_value = _amount(_("giá trị mục tiêu"))
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    share_of_way = _amount(_("tỷ lệ quãng đường đã đi"))
    projected_value = _amount(_("giá trị dự báo tại thời hạn"))
    required_monthly_change = _amount(_("mức thay đổi cần thiết mỗi tháng"))
    progress_value = _amount(_("chỉ số tiến độ"))
    computed_at = models.DateTimeField(_("thời điểm tính"))

    class Meta:
        verbose_name = _("tình trạng theo kỳ")
        verbose_name_plural = _("tình trạng theo kỳ")
        ordering = ["indicator", "level", "province", "target", "period_end", "periodicity"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "province", "target", "period"],
                name="progress_standing_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["period"], name="progress_standing_period_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.province_id or '-'} → {self.target_id} @ {self.period}: {self.status}"


class IndexScore(models.Model):
    """A composite index score of one unit for one period, and its rank among units of its level."""

    index = models.ForeignKey(
        "kpis.CompositeIndex", verbose_name=_("chỉ số"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        "kpis.CompositeIndexVersion", verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "provinces.Province",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.CharField(_("kỳ"), max_length=7)
    period_start = models.DateField(_("đầu kỳ"))
    score = models.DecimalField(_("điểm"), max_digits=20, decimal_places=4)
    rank = models.PositiveIntegerField(_("xếp hạng"), null=True, blank=True)
    # [{"indicator": code, "weight": "200.0000", "value": "0.6543000000"}] in the version's order.
    components = models.JSONField(_("giá trị thành phần"), default=list)
    computed_at = models.DateTimeField(_("thời điểm tính"))

    class Meta:
        verbose_name = _("điểm chỉ số tổng hợp")
        verbose_name_plural = _("điểm chỉ số tổng hợp")
        ordering = ["index", "period_start", "level", "rank", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["index", "level", "province", "period"],
                name="progress_index_score_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.index_id} {self.period} {self.province_id or '-'}: {self.score} (#{self.rank})"


class ReportingRate(models.Model):
    """How many reports a unit owed for a form and period, and how many arrived, on time, approved."""

    form = models.ForeignKey("kpis.ReportForm", verbose_name=_("biểu mẫu"), on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "provinces.Province",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.CharField(_("kỳ"), max_length=7)
    periodicity = models.CharField(_("loại kỳ"), max_length=10, choices=PERIODICITY_CHOICES)
    period_start = models.DateField(_("đầu kỳ"))
    period_end = models.DateField(_("cuối kỳ"))
    expected = models.PositiveIntegerField(_("số báo cáo phải nộp"))
    received = models.PositiveIntegerField(_("số báo cáo đã nhận"))
    on_time = models.PositiveIntegerField(_("số báo cáo đúng hạn"))
    approved = models.PositiveIntegerField(_("số báo cáo đã phê duyệt"))
    # Not received and not yet due (its due day has not passed): neither late nor missing.
    not_due = models.PositiveIntegerField(_("số báo cáo chưa đến hạn"), default=0)
    computed_at = models.DateTimeField(_("thời điểm tính"))

    class Meta:
        verbose_name = _("tỷ lệ báo cáo")
        verbose_name_plural = _("tỷ lệ báo cáo")
        ordering = ["form", "level", "province", "period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "level", "province", "period"],
                name="progress_reporting_rate_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.level} {self.province_id or '-'} {self.period}: {self.received}/{self.expected}"


class CommuneIndicatorValue(models.Model):
    """An indicator's value for one commune and period, from the commune's approved figures
    (indicators whose elements are all reported at commune level). Like IndicatorValue: rebuilt by
    jobs, foreign keys without database constraints; `province` is the commune's, for a province's
    drill-down."""

    indicator = models.ForeignKey(
        "kpis.Indicator",
        verbose_name=_("chỉ tiêu"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    commune = models.ForeignKey(
        "provinces.Commune",
        verbose_name=_("xã, phường, đặc khu"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    province = models.ForeignKey(
        "provinces.Province",
        verbose_name=_("tỉnh"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period = models.CharField(_("kỳ"), max_length=7)
    periodicity = models.CharField(_("loại kỳ"), max_length=10, choices=PERIODICITY_CHOICES)
    period_start = models.DateField(_("đầu kỳ"))
    period_end = models.DateField(_("cuối kỳ"))
    numerator = _amount(_("tử số"))
    denominator = _amount(_("mẫu số"))
    value = _amount(_("giá trị"))
    computed_at = models.DateTimeField(_("thời điểm tính"))

    class Meta:
        verbose_name = _("giá trị chỉ tiêu cấp xã")
        verbose_name_plural = _("giá trị chỉ tiêu cấp xã")
        ordering = ["indicator", "commune", "period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "commune", "period"], name="progress_commune_value_unique"),
        ]
        indexes = [models.Index(fields=["province", "period", "indicator"], name="progress_civ_province_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.commune_id} {self.period} = {self.value}"


class CommuneStanding(models.Model):
    """Where a commune stands on an indicator against one applicable target (its province's
    target for an intensive indicator, the nation's where it applies to every unit) or its trend,
    as of one period: the same fields and rules as Standing, one level down."""

    indicator = models.ForeignKey(
        "kpis.Indicator",
        verbose_name=_("chỉ tiêu"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    target = models.ForeignKey(
        "kpis.Target",
        verbose_name=_("mục tiêu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    commune = models.ForeignKey(
        "provinces.Commune",
        verbose_name=_("xã, phường, đặc khu"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    province = models.ForeignKey(
        "provinces.Province",
        verbose_name=_("tỉnh"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period = models.CharField(_("kỳ"), max_length=7)
    periodicity = models.CharField(_("loại kỳ"), max_length=10, choices=PERIODICITY_CHOICES)
    period_end = models.DateField(_("cuối kỳ"))
    status = models.CharField(_("tình trạng"), max_length=25, choices=ProgressStatus.choices)
    final = models.BooleanField(_("đã chốt (quá thời hạn)"), default=False)
    flag = models.CharField(_("cảnh báo chất lượng số liệu"), max_length=200, blank=True)
    value = _amount(_("giá trị"))
    value_period = models.CharField(_("kỳ của giá trị"), max_length=7, blank=True)
    period_value = _amount(_("giá trị của kỳ"))
    baseline_value = _amount(_("giá trị gốc"))
    baseline_period = models.CharField(_("kỳ gốc"), max_length=7, blank=True)
    target_value = _amount(_("giá trị mục tiêu"))
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    share_of_way = _amount(_("tỷ lệ quãng đường đã đi"))
    projected_value = _amount(_("giá trị dự báo tại thời hạn"))
    required_monthly_change = _amount(_("mức thay đổi cần thiết mỗi tháng"))
    progress_value = _amount(_("chỉ số tiến độ"))
    computed_at = models.DateTimeField(_("thời điểm tính"))

    class Meta:
        verbose_name = _("tình trạng cấp xã theo kỳ")
        verbose_name_plural = _("tình trạng cấp xã theo kỳ")
        ordering = ["indicator", "commune", "target", "period_end", "periodicity"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "commune", "target", "period"],
                name="progress_commune_standing_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["province", "period", "indicator"], name="progress_cst_province_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.commune_id} → {self.target_id} @ {self.period}: {self.status}"


class CommuneReportingRate(models.Model):
    """Commune reports of a form and period: per commune (expected 1) and, with `commune` empty,
    per province over its communes ("98/102 xã đã được duyệt")."""

    form = models.ForeignKey("kpis.ReportForm", verbose_name=_("biểu mẫu"), on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(
        "provinces.Province", verbose_name=_("tỉnh"), on_delete=models.CASCADE, related_name="+"
    )
    commune = models.ForeignKey(
        "provinces.Commune",
        verbose_name=_("xã, phường, đặc khu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    period = models.CharField(_("kỳ"), max_length=7)
    periodicity = models.CharField(_("loại kỳ"), max_length=10, choices=PERIODICITY_CHOICES)
    period_start = models.DateField(_("đầu kỳ"))
    period_end = models.DateField(_("cuối kỳ"))
    expected = models.PositiveIntegerField(_("số báo cáo phải nộp"))
    received = models.PositiveIntegerField(_("số báo cáo đã nhận"))
    on_time = models.PositiveIntegerField(_("số báo cáo đúng hạn"))
    approved = models.PositiveIntegerField(_("số báo cáo đã phê duyệt"))
    not_due = models.PositiveIntegerField(_("số báo cáo chưa đến hạn"), default=0)
    computed_at = models.DateTimeField(_("thời điểm tính"))

    class Meta:
        verbose_name = _("tỷ lệ báo cáo cấp xã")
        verbose_name_plural = _("tỷ lệ báo cáo cấp xã")
        ordering = ["form", "province", "commune", "period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "province", "commune", "period"],
                name="progress_commune_rate_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        unit = self.commune_id or f"P{self.province_id}"
        return f"{self.form_id} {unit} {self.period}: {self.approved}/{self.expected}"


# The reason of a dirty row that changes reporting rates only (a report submitted or sent back).
REPORTING_CHANGED = "reporting_changed"


class DirtyUnit(models.Model):
    """Official figures of a reporting unit changed for a period range and are not yet rolled up.

    Written in the same transaction as the change (an approval, a correction), so a lost
    message or a broker outage delays the figures but loses nothing: the periodic sweep
    recomputes whatever is still here. A row without province means "everything" (a catalogue
    edit, or a full recompute that has not finished). Rows are only inserted, never merged, and
    a recompute deletes exactly the rows it read, so a change that lands during a recompute
    stays pending.
    """

    province = models.ForeignKey(
        "provinces.Province",
        verbose_name=_("đơn vị báo cáo"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    period_start = models.DateField(_("từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("đến ngày"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("đơn vị cần tính lại")
        verbose_name_plural = _("đơn vị cần tính lại")
        ordering = ["id"]

    def __str__(self) -> str:
        if self.province_id is None:
            return f"* ({self.reason})"
        return f"{self.province_id} {self.period_start}..{self.period_end}"


class RollupState(models.Model):
    """A single row: recomputations lock it so that two workers never write the same scope at once."""

    last_full_at = models.DateTimeField(_("lần tính toàn bộ gần nhất"), null=True, blank=True)
    last_incremental_at = models.DateTimeField(_("lần tính bổ sung gần nhất"), null=True, blank=True)
    # DDL of the indexes a first fill dropped, until they are built again (tracker.progress.deferred_indexes).
    deferred_indexes = models.JSONField(_("chỉ mục chờ dựng lại"), default=list, blank=True)
    # What the stored standings were computed with (indicators' rules, targets, units): a full run
    # recomputes every standing when it differs, otherwise only the series whose values changed.
    standings_fingerprint = models.CharField(_("dấu vân tay của tình trạng theo kỳ"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("trạng thái tổng hợp")
        verbose_name_plural = _("trạng thái tổng hợp")

    def __str__(self) -> str:
        return f"full {self.last_full_at} / incremental {self.last_incremental_at}"


class ComputationRun(models.Model):
    """Fill state of one recomputation: a full run that stays "running" was interrupted and is redone."""

    class Kind(models.TextChoices):
        FULL = "full", _("Toàn bộ")
        INCREMENTAL = "incremental", _("Bổ sung")

    class Status(models.TextChoices):
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")
        ABANDONED = "abandoned", _("Bị gián đoạn")

    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    chunks_total = models.PositiveIntegerField(_("số phần"), default=0)
    chunks_done = models.PositiveIntegerField(_("số phần đã xong"), default=0)
    dirty_processed = models.PositiveIntegerField(_("số bản ghi cần tính đã xử lý"), default=0)
    rows_changed = models.PositiveIntegerField(_("số dòng thay đổi"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    # A full run split into chunks (tracker.progress.full_run): the dirty rows it covers (ids up to
    # this one, its fill-state row included), whether its chunks fill empty tables, and when a chunk
    # last finished (a run without progress for long is taken to have lost its worker and resumed).
    dirty_upto = models.PositiveBigIntegerField(_("bao gồm bản ghi cần tính đến số"), null=True, blank=True)
    into_empty = models.BooleanField(_("điền bảng trống"), default=False)
    progress_at = models.DateTimeField(_("tiến triển gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt tính toán")
        verbose_name_plural = _("lượt tính toán")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["kind", "status", "finished_at"], name="progress_run_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.started_at:%Y-%m-%d %H:%M:%S}"


class ComputationChunk(models.Model):
    """One independent piece of a split full run: a year for a group of provinces (with their
    predecessors), or a year's national rows. Done exactly once: the chunk's transaction marks it
    done, so a copy of the task delivered again (a worker lost after the commit) finds it done."""

    run = models.ForeignKey(
        ComputationRun, verbose_name=_("lượt tính toán"), on_delete=models.CASCADE, related_name="chunks"
    )
    year = models.PositiveIntegerField(_("năm"))
    # Current provinces (their predecessors go with them, and former units without a current
    # successor with the first group); empty for the national chunk.
    province_ids = models.JSONField(_("tỉnh, thành phố"), default=list, blank=True)
    national = models.BooleanField(_("toàn quốc"), default=False)
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    rows_changed = models.PositiveIntegerField(_("số dòng thay đổi"), default=0)
    worker = models.CharField(_("tiến trình"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("phần của lượt tính")
        verbose_name_plural = _("phần của lượt tính")
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.year} {'national' if self.national else self.province_ids}"
