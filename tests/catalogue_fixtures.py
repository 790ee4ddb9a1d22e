"""What the exports and reporting tests share: their autouse settings, an API client and the
monthly digital-transformation form both catalogues are built on.

Not a pytest plugin on purpose: the fixtures are autouse, so each of those folders' conftest.py
imports them and they apply there only.
"""

import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

import pytest
from rest_framework.test import APIClient

from kpis.models import DataElement, Indicator, ReportForm, ValidationRule
from tests.factories import DataElementFactory, IndicatorFactory, ReportFormElementFactory, ReportFormFactory
from tracker.reporting import services

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

# (code, name, value type, unit, time aggregation, section, required)
ElementSpec = tuple[str, str, str, str, str, str, bool]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The factories set a password on every user; the production hasher makes that slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def figure_changes(monkeypatch):
    """Calls of the roll-up seam, in order, recorded instead of run."""
    calls = []
    monkeypatch.setattr(services, "figures_changed", lambda **kwargs: calls.append(kwargs))
    return calls


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@dataclass
class Catalogue:
    form: ReportForm
    elements: dict[str, DataElement]
    indicators: dict[str, Indicator] = field(default_factory=dict)


def build_monthly_catalogue(
    code: str,
    specs: list[ElementSpec],
    indicator_code: str,
    names_en: dict[str, str] | None = None,
    message_en: str = "",
) -> Catalogue:
    """The monthly form with `specs` as its elements in that order, the rule that dossiers handled
    online cannot exceed those received, and the indicator `indicator_code` dividing the two."""
    form = cast(
        ReportForm, ReportFormFactory(code=code, name="Báo cáo chuyển đổi số hằng tháng", due_day=5, lock_days=30)
    )
    elements: dict[str, DataElement] = {}
    for order, (el_code, name, kind, unit, time_agg, section, required) in enumerate(specs):
        elements[el_code] = cast(
            DataElement,
            DataElementFactory(
                code=el_code,
                name=name,
                name_en=(names_en or {}).get(el_code, ""),
                value_type=kind,
                unit=unit,
                min_value=None,
                time_aggregation=time_agg,
            ),
        )
        ReportFormElementFactory(form=form, element=elements[el_code], order=order, section=section, required=required)
    ValidationRule.objects.get_or_create(
        code="DVC_ONLINE_LE_RECEIVED",
        defaults={
            "left": "DVC_ONLINE",
            "operator": "<=",
            "right": "DVC_RECEIVED",
            "message": "Số hồ sơ xử lý trực tuyến toàn trình không được lớn hơn số hồ sơ tiếp nhận",
            "message_en": message_en,
        },
    )
    online = cast(
        Indicator,
        IndicatorFactory(
            code=indicator_code,
            name="Tỷ lệ hồ sơ trực tuyến toàn trình",
            numerator="DVC_ONLINE",
            denominator="DVC_RECEIVED",
            factor=Decimal(100),
            unit="%",
        ),
    )
    online.data_elements.set([elements["DVC_ONLINE"], elements["DVC_RECEIVED"]])
    return Catalogue(form=form, elements=elements, indicators={indicator_code: online})
