from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

# The merger of Nghị quyết 202/2025/QH15 took effect on this day: 63 units became 34.
MERGER_DATE = datetime.date(2025, 7, 1)


class ProvinceQuerySet(models.QuerySet["Province"]):
    def current(self) -> ProvinceQuerySet:
        return self.filter(valid_to__isnull=True)

    def former(self) -> ProvinceQuerySet:
        return self.filter(valid_to__isnull=False)

    def valid_on(self, day: datetime.date) -> ProvinceQuerySet:
        return self.filter(valid_from__lte=day).filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))


class Province(models.Model):
    """A provincial-level unit for a span of time.

    Codes are reused: 91 was Kiên Giang until 2025-06-30 and is the new An Giang since, so a
    unit is identified by (code, valid_from), and `successor` links a former unit to the
    current unit it became part of.
    """

    class Kind(models.TextChoices):
        TINH = "tinh", _("Tỉnh")
        THANH_PHO = "thanh_pho", _("Thành phố trực thuộc trung ương")

    code = models.CharField(_("mã"), max_length=2)
    name = models.CharField(_("tên"), max_length=100)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    area_km2 = models.DecimalField(_("diện tích (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    population = models.PositiveBigIntegerField(_("dân số"), null=True, blank=True)
    # Commune-level units from 1/7/2025 by kind (QĐ 19/2025/QĐ-TTg); empty for the former units.
    communes_xa = models.PositiveIntegerField(_("số xã"), null=True, blank=True)
    communes_phuong = models.PositiveIntegerField(_("số phường"), null=True, blank=True)
    communes_dac_khu = models.PositiveIntegerField(_("số đặc khu"), null=True, blank=True)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["valid_to", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="province_code_valid_from_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="province_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["code", "valid_to"])]

    def __str__(self) -> str:
        if self.is_current:
            return f"{self.code} {self.name}"
        return f"{self.code} {self.name} ({pgettext('đơn vị hành chính', 'cũ')})"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def name_on(self, day: datetime.date) -> str:
        """The unit's official name on a day: Thừa Thiên Huế became Thành phố Huế on 2025-01-01."""
        for entry in self.names.all():
            if entry.valid_from <= day and (entry.valid_to is None or day <= entry.valid_to):
                return entry.name
        return self.name


class ProvinceName(models.Model):
    """A name a unit carried for part of its life, when it changed without a merger.

    Code 46 was Tỉnh Thừa Thiên Huế until 2024-12-31 and Thành phố Huế (centrally-run city)
    from 2025-01-01, inside the same former unit (2008-08-01 .. 2025-06-30); the former unit
    keeps the name it had longest and these rows say what it was called when.
    """

    province = models.ForeignKey(Province, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=Province.Kind.choices)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tên gọi theo thời kỳ")
        verbose_name_plural = _("tên gọi theo thời kỳ")
        ordering = ["province", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["province", "valid_from"], name="province_name_valid_from_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})" if self.valid_to else self.name


class CommuneQuerySet(models.QuerySet["Commune"]):
    def current(self) -> CommuneQuerySet:
        return self.filter(valid_to__isnull=True)

    def valid_on(self, day: datetime.date) -> CommuneQuerySet:
        return self.filter(valid_from__lte=day).filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))


class Commune(models.Model):
    """A commune-level unit (xã, phường, đặc khu) for a span of time, since the two-level
    government of 2025-07-01.

    Codes are those of QĐ 19/2025/QĐ-TTg (5 digits). As for provinces, a unit is identified by
    (code, valid_from): when a commune is later merged or renamed, the old row gets a `valid_to`
    and a `successor`, and the new unit a row of its own, so figures stay with the unit that
    reported them.
    """

    class Kind(models.TextChoices):
        XA = "xa", _("Xã")
        PHUONG = "phuong", _("Phường")
        DAC_KHU = "dac_khu", _("Đặc khu")

    code = models.CharField(_("mã"), max_length=5)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT, related_name="communes"
    )
    valid_from = models.DateField(_("hiệu lực từ"), default=MERGER_DATE)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị cấp xã")
        verbose_name_plural = _("xã, phường, đặc khu")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="commune_code_valid_from_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="commune_valid_range",
            ),
        ]
        indexes = [
            models.Index(fields=["code", "valid_to"]),
            models.Index(fields=["province", "kind", "code"]),
        ]

    def __str__(self) -> str:
        if self.is_current:
            return f"{self.code} {self.name}"
        return f"{self.code} {self.name} ({pgettext('đơn vị hành chính', 'cũ')})"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def clean(self) -> None:
        """A commune lies inside a province that exists for the whole of the commune's life."""
        errors: dict[str, Any] = {}
        if self.province_id is not None and self.valid_from is not None:
            province = self.province
            ends_after = province.valid_to is None or (self.valid_to is not None and self.valid_to <= province.valid_to)
            if province.valid_from > self.valid_from or not ends_after:
                errors["province"] = _(
                    "Tỉnh “%(province)s” không có hiệu lực trong suốt thời gian hiệu lực của đơn vị cấp xã."
                ) % {"province": province}
        if self.valid_to is not None and self.valid_from is not None and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Ngày hết hiệu lực đứng trước ngày bắt đầu hiệu lực.")
        if self.successor_id is not None and self.successor_id == self.pk:
            errors["successor"] = _("Một đơn vị không thể kế thừa chính nó.")
        elif self.successor_id is not None and self.valid_to is None:
            errors["successor"] = _("Chỉ đơn vị đã hết hiệu lực mới có đơn vị kế thừa.")
        if errors:
            raise ValidationError(errors)
