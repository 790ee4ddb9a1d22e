"""Boundaries for the choropleth map.

An admin uploads a GeoJSON of the current units or of the former ones (keyed by the statistics
office's code); it is checked, former units are dissolved into the current ones through the
lineage (Province.successor), simplified for the web and stored here as one FeatureCollection
keyed by current code. Every accepted upload is a new row; the newest is drawn, so a refused
upload leaves the previous boundaries in use, and an older set can be restored by deleting newer
ones in the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BoundarySet(models.Model):
    class Level(models.TextChoices):
        CURRENT = "current", _("Tỉnh, thành phố hiện nay (34)")
        FORMER = "former", _("Đơn vị trước sáp nhập (63), gộp theo đơn vị kế thừa")

    level = models.CharField(_("loại đơn vị trong tệp"), max_length=10, choices=Level.choices)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    source = models.CharField(_("nguồn và giấy phép"), max_length=300)
    features = models.PositiveSmallIntegerField(_("số đơn vị hiện nay có ranh giới"))
    missing = models.CharField(_("đơn vị chưa có ranh giới"), max_length=300, blank=True)
    # The simplified FeatureCollection, properties {"code": current code}; kept under a megabyte.
    geojson = models.TextField()
    size = models.PositiveIntegerField(_("kích thước (byte)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("bộ ranh giới hành chính")
        verbose_name_plural = _("bộ ranh giới hành chính")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"
