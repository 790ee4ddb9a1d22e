"""The catalogue: directives -> objectives -> indicators -> data elements; targets; report forms;
composite indices (versioned weighted definitions)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kpis.expressions import ExpressionError, parse
from kpis.periods import InvalidPeriod, Period, Periodicity

PERIODICITY_CHOICES = [
    (Periodicity.MONTHLY.value, _("Tháng")),
    (Periodicity.QUARTERLY.value, _("Quý")),
    (Periodicity.YEARLY.value, _("Năm")),
]


def validate_expression(text: str) -> None:
    try:
        parse(text, known_codes=set(DataElement.objects.values_list("code", flat=True)))
    except ExpressionError as exc:
        raise ValidationError(str(exc)) from exc


def validate_period(text: str) -> None:
    try:
        Period.parse(text)
    except InvalidPeriod as exc:
        raise ValidationError(str(exc)) from exc


# sdg-build's `base_year` default: an indicator without its own base period measures its trend
# from the first value at or after the start of 2015 (DESIGN §5.6).
DEFAULT_BASE_PERIOD = "2015"


def is_extensive(*, denominator: str, space_aggregations: list[str]) -> bool:
    """A total that adds up over units (stations, dossiers, people trained): no denominator and every
    element summed over space. Rates, shares, indices and per-unit floors (means) are intensive."""
    return not denominator and bool(space_aggregations) and all(a == "sum" for a in space_aggregations)


def in_language(vietnamese: str, english: str) -> str:
    """The English name on English pages (the admin's lists and choices) when there is one."""
    return english if english and not (get_language() or "vi").startswith("vi") else vietnamese


class Directive(models.Model):
    class Kind(models.TextChoices):
        RESOLUTION = "nghi_quyet", _("Nghị quyết")
        DECISION = "quyet_dinh", _("Quyết định")
        CONCLUSION = "ket_luan", _("Kết luận, thông báo kết luận")
        DIRECTIVE = "chi_thi", _("Chỉ thị")
        PLAN = "ke_hoach", _("Kế hoạch")
        PROGRAMME = "chuong_trinh", _("Chương trình, phong trào")
        INDEX = "bo_chi_so", _("Bộ chỉ số")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=400)
    title_en = models.CharField(_("trích yếu (tiếng Anh)"), max_length=400, blank=True)
    url = models.URLField(_("liên kết"), max_length=400, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["issued_on", "code"]

    def __str__(self) -> str:
        title = in_language(self.title, self.title_en)
        return f"{self.number} {title}".strip() if self.number else title


class Objective(models.Model):
    directive = models.ForeignKey(
        Directive, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="objectives"
    )
    code = models.SlugField(_("mã"), max_length=60, unique=True)
    group = models.CharField(_("nhóm"), max_length=100, blank=True, help_text=_("Ví dụ: “5 có”, “5 không”."))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("nội dung"), max_length=400)
    title_en = models.CharField(_("nội dung (tiếng Anh)"), max_length=400, blank=True)
    indicators = models.ManyToManyField(
        "Indicator", verbose_name=_("chỉ tiêu đo lường"), related_name="objectives", blank=True
    )
    not_measurable_reason = models.TextField(
        _("lý do chưa đo lường được"), blank=True, help_text=_("Điền khi mục tiêu chưa gắn chỉ tiêu nào.")
    )

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["directive", "order", "code"]

    def __str__(self) -> str:
        title = in_language(self.title, self.title_en)
        return f"{self.group}: {title}" if self.group else title


class DataElement(models.Model):
    """A raw figure a province reports."""

    class ValueType(models.TextChoices):
        INTEGER = "integer", _("Số nguyên")
        DECIMAL = "decimal", _("Số thập phân")
        PERCENT = "percent", _("Tỷ lệ phần trăm")
        BOOLEAN = "boolean", _("Có/Không")
        MONEY = "money", _("Số tiền (đồng)")

    class TimeAggregation(models.TextChoices):
        SUM = "sum", _("Cộng dồn (luồng)")
        LAST = "last", _("Giá trị cuối kỳ (tồn)")
        AVERAGE = "average", _("Trung bình")

    class SpaceAggregation(models.TextChoices):
        SUM = "sum", _("Cộng")
        MEAN = "mean", _("Trung bình không trọng số")
        NONE = "none", _("Không tổng hợp")

    code = models.CharField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    value_type = models.CharField(_("kiểu giá trị"), max_length=10, choices=ValueType.choices)
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    min_value = models.DecimalField(_("giá trị nhỏ nhất"), max_digits=24, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField(_("giá trị lớn nhất"), max_digits=24, decimal_places=6, null=True, blank=True)
    time_aggregation = models.CharField(
        _("tổng hợp theo thời gian"), max_length=10, choices=TimeAggregation.choices, default=TimeAggregation.SUM
    )
    space_aggregation = models.CharField(
        _("tổng hợp theo địa bàn"), max_length=10, choices=SpaceAggregation.choices, default=SpaceAggregation.SUM
    )

    class Meta:
        verbose_name = _("chỉ tiêu dữ liệu")
        verbose_name_plural = _("chỉ tiêu dữ liệu")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(min_value__lte=models.F("max_value")),
                name="data_element_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {in_language(self.name, self.name_en)}"


class Indicator(models.Model):
    """A KPI: factor · numerator / denominator over data elements."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Càng cao càng tốt")
        LOWER = "lower", _("Càng thấp càng tốt")

    code = models.CharField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    definition = models.TextField(_("định nghĩa"), blank=True)
    numerator = models.CharField(_("tử số"), max_length=500, validators=[validate_expression])
    denominator = models.CharField(_("mẫu số"), max_length=500, blank=True, validators=[validate_expression])
    factor = models.DecimalField(_("hệ số"), max_digits=12, decimal_places=4, default=1)
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    direction = models.CharField(_("chiều tốt"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    natural_limit = models.DecimalField(_("giới hạn tự nhiên"), max_digits=24, decimal_places=6, null=True, blank=True)
    periodicity = models.CharField(
        _("tần suất"), max_length=10, choices=PERIODICITY_CHOICES, default=Periodicity.MONTHLY
    )
    # The trend without a target is measured from the first value at or after this period
    # (sdg-build `base_year`); blank: the catalogue-wide DEFAULT_BASE_PERIOD.
    base_period = models.CharField(_("kỳ gốc đo xu hướng"), max_length=7, blank=True, validators=[validate_period])
    data_elements = models.ManyToManyField(
        DataElement, verbose_name=_("chỉ tiêu dữ liệu"), related_name="indicators", blank=True
    )

    class Meta:
        verbose_name = _("chỉ tiêu (KPI)")
        verbose_name_plural = _("chỉ tiêu (KPI)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {in_language(self.name, self.name_en)}"

    @property
    def is_ratio(self) -> bool:
        return bool(self.denominator)

    @property
    def effective_base_period(self) -> str:
        return self.base_period or DEFAULT_BASE_PERIOD

    def is_extensive(self, aggregations: dict[str, str] | None = None) -> bool:
        """Derived from the aggregation of the formula's elements (see `is_extensive`).
        `aggregations`: {element code: space aggregation}, to spare a query per indicator."""
        codes = self.element_codes()
        if aggregations is None:
            aggregations = dict(DataElement.objects.filter(code__in=codes).values_list("code", "space_aggregation"))
        return is_extensive(
            denominator=self.denominator,
            space_aggregations=[aggregations.get(code, "") for code in codes],
        )

    def element_codes(self) -> list[str]:
        codes = parse(self.numerator).codes
        if self.denominator:
            codes += [c for c in parse(self.denominator).codes if c not in codes]
        return codes


class Target(models.Model):
    """A value an indicator should reach by a deadline, nationally or for one province.

    Which units it applies to (DESIGN §5.8): its own unit always; the units below it (the provinces,
    for a national target) only when the indicator is intensive (a rate, share, index or per-unit
    floor). `applies_to` overrides the rule derived from the indicator's aggregation, except that a
    total that adds up over units can never be given to each unit below.
    """

    class AppliesTo(models.TextChoices):
        AUTO = "auto", _("Theo cách tổng hợp của chỉ tiêu")
        OWN_UNIT = "own_unit", _("Chỉ đơn vị giao mục tiêu")
        EVERY_UNIT = "every_unit", _("Cả từng đơn vị cấp dưới")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="targets"
    )
    province = models.ForeignKey(
        "provinces.Province",
        verbose_name=_("tỉnh (để trống: toàn quốc)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    value = models.DecimalField(_("giá trị mục tiêu"), max_digits=24, decimal_places=6)
    baseline_value = models.DecimalField(_("giá trị gốc"), max_digits=24, decimal_places=6, null=True, blank=True)
    baseline_period = models.CharField(_("kỳ gốc"), max_length=7, blank=True, validators=[validate_period])
    deadline = models.DateField(_("thời hạn"))
    source = models.ForeignKey(
        Directive, verbose_name=_("văn bản giao"), on_delete=models.PROTECT, related_name="targets"
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    applies_to = models.CharField(
        _("phạm vi áp dụng"), max_length=12, choices=AppliesTo.choices, default=AppliesTo.AUTO
    )

    class Meta:
        verbose_name = _("mục tiêu định lượng")
        verbose_name_plural = _("mục tiêu định lượng")
        ordering = ["indicator", "deadline"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "province", "deadline", "source"],
                name="target_unique_per_scope",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        scope = self.province.name if self.province_id and self.province else _("toàn quốc")
        return f"{self.indicator.code} {self.value} ({scope}, {self.deadline:%Y})"

    def clean(self) -> None:
        super().clean()
        if self.indicator_id is None:
            return
        problem = applicability_problem(
            applies_to=self.applies_to,
            extensive=self.indicator.is_extensive(),
        )
        if problem:
            raise ValidationError({"applies_to": problem})

    def applies_below(self, *, extensive: bool) -> bool:
        """Whether the units below the target's own (each province, for a national target) are
        measured against it."""
        return target_applies_below(applies_to=self.applies_to, extensive=extensive)


class ReportForm(models.Model):
    """A data set: which elements a province reports, how often, and when it is due and locked."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    periodicity = models.CharField(
        _("tần suất"), max_length=10, choices=PERIODICITY_CHOICES, default=Periodicity.MONTHLY
    )
    due_day = models.PositiveSmallIntegerField(_("hạn nộp (ngày thứ … sau kỳ)"), default=5)
    lock_days = models.PositiveSmallIntegerField(_("khóa sau (ngày kể từ hạn nộp)"), default=30)
    # Commune reporting (two-level government since 2025-07-01): from this period on, the form's
    # commune-level elements are reported by each commune and the province's figure for them is
    # the roll-up of its communes' approved figures. Empty: the form has no commune reporting.
    commune_reporting_from = models.CharField(
        _("cấp xã báo cáo từ kỳ"), max_length=7, blank=True, validators=[validate_period]
    )
    # The province report cannot be submitted while fewer of its communes' reports (in percent)
    # are approved, unless its approver records why.
    commune_coverage_threshold = models.PositiveSmallIntegerField(
        _("ngưỡng tỷ lệ xã đã duyệt để nộp báo cáo tỉnh (%)"),
        default=90,
        validators=[MaxValueValidator(100)],
    )
    elements = models.ManyToManyField(
        DataElement, through="ReportFormElement", verbose_name=_("chỉ tiêu dữ liệu"), related_name="forms"
    )

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["code"]

    def __str__(self) -> str:
        return in_language(self.name, self.name_en)


class ReportFormElement(models.Model):
    form = models.ForeignKey(
        ReportForm, verbose_name=_("biểu mẫu"), on_delete=models.CASCADE, related_name="form_elements"
    )
    element = models.ForeignKey(
        DataElement, verbose_name=_("chỉ tiêu dữ liệu"), on_delete=models.PROTECT, related_name="form_elements"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    section = models.CharField(_("mục"), max_length=200, blank=True)
    # Reported by each commune (from the form's commune_reporting_from); the province's cell is
    # then the read-only roll-up of its communes' approved figures.
    commune_level = models.BooleanField(_("báo cáo cấp xã"), default=False)

    class Meta:
        verbose_name = _("dòng biểu mẫu")
        verbose_name_plural = _("dòng biểu mẫu")
        ordering = ["form", "order"]
        constraints = [models.UniqueConstraint(fields=["form", "element"], name="form_element_unique")]

    def __str__(self) -> str:
        return f"{self.form.code}/{self.element.code}"


class ValidationRule(models.Model):
    """A cross-element rule checked on every submission: left <op> right, e.g. online <= received."""

    class Operator(models.TextChoices):
        LE = "<=", "≤"
        LT = "<", "<"
        GE = ">=", "≥"
        GT = ">", ">"
        EQ = "==", "="

    code = models.CharField(_("mã"), max_length=60, unique=True)
    left = models.CharField(_("vế trái"), max_length=500, validators=[validate_expression])
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=Operator.choices)
    right = models.CharField(_("vế phải"), max_length=500, validators=[validate_expression])
    message = models.CharField(_("thông báo lỗi"), max_length=300)
    message_en = models.CharField(_("thông báo lỗi (tiếng Anh)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quy tắc kiểm tra chéo")
        verbose_name_plural = _("quy tắc kiểm tra chéo")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"


class CompositeIndex(models.Model):
    """A composite index (provincial DTI, 766 public-service index); its formula lives in versions."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    source = models.ForeignKey(
        Directive, verbose_name=_("văn bản quy định"), on_delete=models.PROTECT, related_name="indices"
    )
    periodicity = models.CharField(
        _("tần suất"), max_length=10, choices=PERIODICITY_CHOICES, default=Periodicity.YEARLY
    )

    class Meta:
        verbose_name = _("chỉ số tổng hợp")
        verbose_name_plural = _("chỉ số tổng hợp")
        ordering = ["code"]

    def __str__(self) -> str:
        return in_language(self.name, self.name_en)


class CompositeIndexVersion(models.Model):
    """score = sum(weight · component value) / divisor, for periods in [valid_from, valid_to]."""

    index = models.ForeignKey(
        CompositeIndex, verbose_name=_("chỉ số tổng hợp"), on_delete=models.CASCADE, related_name="versions"
    )
    valid_from = models.CharField(_("áp dụng từ kỳ"), max_length=7, validators=[validate_period])
    valid_to = models.CharField(_("áp dụng đến kỳ"), max_length=7, blank=True, validators=[validate_period])
    divisor = models.DecimalField(_("số chia"), max_digits=12, decimal_places=4, default=1)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("phiên bản chỉ số")
        verbose_name_plural = _("phiên bản chỉ số")
        ordering = ["index", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["index", "valid_from"], name="index_version_unique")]

    def __str__(self) -> str:
        return f"{self.index.code} {self.valid_from}–{self.valid_to or '…'}"


class CompositeIndexComponent(models.Model):
    version = models.ForeignKey(
        CompositeIndexVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="components"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="index_components"
    )
    weight = models.DecimalField(_("trọng số"), max_digits=12, decimal_places=4)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thành phần chỉ số")
        verbose_name_plural = _("thành phần chỉ số")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "indicator"], name="index_component_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.code} × {self.weight}"


def target_applies_below(*, applies_to: str, extensive: bool) -> bool:
    if applies_to == Target.AppliesTo.OWN_UNIT:
        return False
    return not extensive


def applicability_problem(*, applies_to: str, extensive: bool) -> str:
    """Why a target cannot apply as asked, or "" (the loader and the admin refuse such a target)."""
    if applies_to == Target.AppliesTo.EVERY_UNIT and extensive:
        return str(
            _(
                "Chỉ tiêu này là tổng cộng dồn theo địa bàn (như số trạm, số hồ sơ): mục tiêu của một cấp "
                "chỉ áp dụng cho chính cấp đó, không áp dụng cho từng đơn vị cấp dưới. Hãy giao mục tiêu "
                "riêng cho từng tỉnh hoặc dùng một chỉ tiêu tỷ lệ."
            )
        )
    return ""
