"""Per-period standings (issue 12's `Standing`) for the hand-made dataset, October 2025: what the
scorecard and its grid read through `headline_as_of`. The same statuses as the dataset's
TargetProgress rows: An Giang on track on DVC_TT (2025 target) and slow on TRAM_5G (trend), Hà
Nội going backwards on DVC_TT and without any figure on TRAM_5G."""

from __future__ import annotations

import datetime

from tests.tracker.dashboards.dataset import COMPUTED_AT, Dataset
from tracker.progress.models import Standing

OCTOBER_END = datetime.date(2025, 10, 31)


def add_standings(data: Dataset) -> None:
    rows = [
        (data.online, data.an_giang, data.target_2025, "substantial_progress"),
        (data.online, data.an_giang, data.target_2030, "moderate_progress"),
        (data.stations, data.an_giang, None, "limited_progress"),
        (data.online, data.ha_noi, data.target_2025, "deterioration"),
        (data.online, data.ha_noi, data.target_2030, "deterioration"),
    ]
    for indicator, province, target, status in rows:
        # The dataset may already hold a standing for the key (it writes its own): set its status.
        Standing.objects.update_or_create(
            indicator=indicator,
            target=target,
            province=province,
            period="2025-10",
            defaults={
                "level": "province",
                "periodicity": "monthly",
                "period_end": OCTOBER_END,
                "status": status,
                "value_period": "2025-10",
                "deadline": target.deadline if target else None,
                "computed_at": COMPUTED_AT,
            },
        )
