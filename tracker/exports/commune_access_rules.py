"""Which commune-level export a request asks for, and whether the user may have it (one rule for
the web download and the API): a province's communes need the right to read that province's
communes (a commune officer: 403, another province's staff: 404, never revealed); one commune
(`xa`) the right to read that commune (404 otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kpis.periods import Period
from provinces.models import Commune, Province
from provinces.selectors import commune_for, current_province
from tracker.accounts.commune_access import is_commune_officer, may_read_commune, may_read_communes_of
from tracker.exports import commune_exports, services
from tracker.exports.services import ExportRefused


@dataclass(frozen=True)
class CommuneExportRequest:
    province: Province
    period: Period
    file_format: str
    commune: Commune | None


def commune_export_request(
    *, user: Any, province_code: str, commune_code: str, period: str, file_format: str
) -> CommuneExportRequest:
    """The export asked for, checked; raises ExportRefused (400, 403 or 404) with the reason."""
    province = current_province(province_code[:2])
    if province is None:
        raise ExportRefused(_("Không tìm thấy tỉnh."), status=404)
    commune = None
    if commune_code:
        commune = commune_for(commune_code[:5])
        if commune is None or commune.province_id != province.pk or not may_read_commune(user, commune):
            raise ExportRefused(_("Không tìm thấy xã, phường, đặc khu."), status=404)
    elif is_commune_officer(user):
        raise ExportRefused(_("Cán bộ cấp xã chỉ tải được số liệu của xã mình."), status=403)
    elif not may_read_communes_of(user, province):
        raise ExportRefused(_("Không tìm thấy tỉnh."), status=404)
    if file_format not in commune_exports.FORMATS:
        raise ExportRefused(
            _("Định dạng “%(format)s” không được hỗ trợ: chọn xlsx, csv hoặc dhis2.") % {"format": file_format[:20]}
        )
    return CommuneExportRequest(
        province=province,
        period=services.report_period(period or ""),
        file_format=file_format,
        commune=commune,
    )
