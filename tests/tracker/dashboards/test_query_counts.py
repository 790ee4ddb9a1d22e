"""Each page reads a fixed number of queries, however many provinces there are."""

import pytest
from django.urls import reverse

from tests.tracker.dashboards.dataset import add_provinces

# session, user, the navigation's unread notifications, then the page's own reads
PAGES = {
    "national": (reverse("dashboards:national"), {"indicator": "DVC_TT"}, 23),
    "national-index": (reverse("dashboards:national"), {"index": "DTI"}, 26),
    "national-directive": (reverse("dashboards:national"), {"directive": "kl-5-co"}, 24),
    # province: + its communes' section for readers of them (indicators, reporting, communes: three)
    "province": (reverse("dashboards:province", args=["91"]), {}, 25),
    "province-directive": (reverse("dashboards:province", args=["91"]), {"directive": "kl-5-co"}, 26),
    "indicator": (reverse("dashboards:indicator", args=["DVC_TT"]), {}, 19),
    "directive": (reverse("dashboards:directive", args=["kl-5-co"]), {}, 15),
    # scorecard: the last computed month, the month it opens on, and the headline standings as of
    # it (five queries, four when every standing has the month's own figure)
    "scorecard": (reverse("dashboards:scorecard"), {}, 14),
    "scorecard-directive": (reverse("dashboards:scorecard"), {"van-ban": "kl-5-co"}, 15),
    "scorecard-grid": (reverse("dashboards:scorecard_grid"), {"van-ban": "kl-5-co"}, 14),
    "map": (reverse("dashboards:map"), {}, 7),
}


# Standings as of the selected period (tracker.progress.standing_selectors) take six queries per read.
@pytest.mark.parametrize("name", PAGES)
def test_page_queries_are_pinned_and_do_not_grow_with_provinces(reviewer_client, data, django_assert_num_queries, name):
    path, params, expected = PAGES[name]
    reviewer_client.get(path, params)  # warm: the first request also loads content types and the like

    with django_assert_num_queries(expected):
        assert reviewer_client.get(path, params).status_code == 200

    add_provinces(data, 15)
    with django_assert_num_queries(expected):
        assert reviewer_client.get(path, params).status_code == 200


def test_the_added_provinces_really_appear_on_the_pages(reviewer_client, data):
    add_provinces(data, 15)

    national = reviewer_client.get(reverse("dashboards:national"), {"indicator": "DVC_TT"})
    directive = reviewer_client.get(reverse("dashboards:directive", args=["kl-5-co"]))

    ranking = next(chart for chart in national.context["charts"] if chart.key == "xep-hang")
    assert len(ranking.table.rows) == 17
    assert len(national.context["late"]) == 16
    online = directive.text.split('data-indicator="DVC_TT"')[1].split("</tr>")[0]
    assert 'data-count="substantial_progress">↗ Đúng tiến độ: 1</span>' in online
    assert 'data-count="limited_progress">↘ Chậm: 15</span>' in online
    assert 'data-count="deterioration">↓ Đi xuống: 1</span>' in online
