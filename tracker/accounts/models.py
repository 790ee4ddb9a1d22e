from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ nhập liệu")
    # Enters and submits one commune's reports; the province's approver approves them.
    COMMUNE_OFFICER = "commune", _("Cán bộ cấp xã")
    APPROVER = "approver", _("Lãnh đạo phê duyệt")
    REVIEWER = "reviewer", _("Chuyên viên Bộ")
    ADMIN = "admin", _("Quản trị hệ thống")


class User(AbstractUser):
    """A user with one role; officers and approvers belong to one current province."""

    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.OFFICER)
    province = models.ForeignKey(
        "provinces.Province",
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # A commune officer's commune (their province is the commune's province).
    commune = models.ForeignKey(
        "provinces.Commune",
        verbose_name=_("xã, phường, đặc khu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["officer", "approver"]) | models.Q(province__isnull=False),
                name="provincial_roles_have_province",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="commune") | models.Q(commune__isnull=False, province__isnull=False),
                name="commune_role_has_commune",
            ),
        ]

    @property
    def is_provincial(self) -> bool:
        return self.role in (Role.OFFICER, Role.APPROVER)

    @property
    def is_commune(self) -> bool:
        return self.role == Role.COMMUNE_OFFICER

    @property
    def is_ministry(self) -> bool:
        return self.role in (Role.REVIEWER, Role.ADMIN)
