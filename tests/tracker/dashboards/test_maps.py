"""Boundary upload (checks, dissolving former units, simplifying) and the choropleth map.

Synthetic squares only: the product ships no boundary file."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from shapely.geometry import shape

from tests.tracker.dashboards.synthetic_boundaries import as_bytes, current_collection, feature, former_collection
from tracker.dashboards.boundaries import BoundaryRefused, boundary_upload, process
from tracker.dashboards.models import BoundarySet

UPLOAD = reverse("dashboards:boundaries")
MAP = reverse("dashboards:map")


def post(client, data: bytes, level="current"):
    return client.post(
        UPLOAD, {"file": SimpleUploadedFile("ranh-gioi.geojson", data), "level": level, "source": "Hình vuông thử"}
    )


def test_current_units_are_stored_keyed_by_their_code(data):
    processed = process(as_bytes(current_collection(["91", "01"])), level="current")

    stored = json.loads(processed.geojson)
    assert [item["properties"]["code"] for item in stored["features"]] == ["01", "91"]
    assert processed.features == 2
    assert processed.missing == []


def test_former_units_are_dissolved_into_their_successor(data):
    # given An Giang's two predecessors (89, 91) as two halves of its square, and Hà Nội's one
    collection = former_collection([("89", "91"), ("91", "91"), ("01", "01")])

    # when
    processed = process(as_bytes(collection), level="former")

    # then one polygon per current unit, the union of its predecessors (a 0.8° square)
    stored = {item["properties"]["code"]: shape(item["geometry"]) for item in json.loads(processed.geojson)["features"]}
    assert sorted(stored) == ["01", "91"]
    assert stored["91"].geom_type == "Polygon"
    assert round(stored["91"].area, 4) == 0.64
    assert round(stored["01"].area, 4) == 0.64


def test_a_missing_current_unit_is_named_but_does_not_refuse_the_file(data):
    processed = process(as_bytes(current_collection(["91"])), level="current")

    assert processed.missing == ["01"]


BOWTIE = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "Tệp không phải JSON hợp lệ"),
        (b'{"type": "Feature"}', "Tệp GeoJSON phải là một FeatureCollection."),
        (b'{"type": "FeatureCollection", "features": []}', "FeatureCollection không có đối tượng nào."),
        (
            as_bytes({"type": "FeatureCollection", "features": [feature("99", [[[0, 0], [1, 0], [1, 1], [0, 0]]])]}),
            "Mã đơn vị 99 không có trong danh mục đơn vị hành chính.",
        ),
        (
            as_bytes({"type": "FeatureCollection", "features": current_collection(["91", "91"])["features"]}),
            "Mã đơn vị 91 xuất hiện nhiều lần.",
        ),
        (
            as_bytes({"type": "FeatureCollection", "features": [feature("91", BOWTIE)]}),
            "Đơn vị 91: ranh giới không hợp lệ (Self-intersection",
        ),
        (
            as_bytes({"type": "FeatureCollection", "features": [feature("91", [])]}),
            "Đơn vị 91: ranh giới trống.",
        ),
        (
            as_bytes({"type": "FeatureCollection", "features": [feature("91", [1, 2], kind="Point")]}),
            "Đơn vị 91: cần vùng (Polygon hoặc MultiPolygon), tệp có Point.",
        ),
        (
            as_bytes(
                {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": None}]}
            ),
            "Đối tượng thứ 1 không có mã đơn vị",
        ),
    ],
    ids=[
        "not-json",
        "not-collection",
        "no-features",
        "unknown-code",
        "duplicate",
        "self-intersecting",
        "empty",
        "point",
        "no-code",
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_the_previous_boundaries_stay(
    client, admin_user, data, content, reason
):
    # given boundaries in use
    previous = boundary_upload(
        user=admin_user, data=as_bytes(current_collection(["91", "01"])), name="cu.geojson", level="current", source="A"
    )
    client.force_login(admin_user)

    # when
    response = post(client, content)

    # then
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert list(BoundarySet.objects.values_list("pk", flat=True)) == [previous.pk]


def test_a_file_over_the_limit_is_refused(client, admin_user, data, settings):
    settings.BOUNDARY_MAX_BYTES = 100
    client.force_login(admin_user)

    response = post(client, as_bytes(current_collection(["91", "01"])))

    assert response.status_code == 400
    assert "Tệp lớn hơn giới hạn 0.0 MB." in response.content.decode()
    assert BoundarySet.objects.count() == 0


def test_process_refuses_without_the_page_too(data):
    with pytest.raises(BoundaryRefused, match="FeatureCollection"):
        process(b"[]", level="current")


def test_without_boundaries_the_map_page_says_how_to_add_them(reviewer_client, data):
    response = reviewer_client.get(MAP)

    assert response.status_code == 200
    assert response.context["chart"] is None
    assert "data-no-boundaries" in response.content.decode()


def test_the_map_draws_each_province_in_its_status_colour_without_another_host(reviewer_client, admin_user, data):
    # given
    boundary_upload(
        user=admin_user, data=as_bytes(current_collection(["91", "01"])), name="a.geojson", level="current", source="A"
    )

    # when
    response = reviewer_client.get(MAP, {"indicator": "DVC_TT"})

    # then
    chart = response.context["chart"]
    traces = chart.figure["data"]
    assert [(trace["customdata"], trace["fillcolor"]) for trace in traces] == [
        (["01"], "#D55E00"),  # Hà Nội: going backwards
        (["91"], "#56B4E9"),  # An Giang: on track
    ]
    assert traces[1]["text"] == "Tỉnh An Giang: 65 % · ↗ Đúng tiến độ"
    figure = chart.figure_json()
    assert "http" not in figure
    assert len(figure.encode()) < 1024 * 1024
    assert chart.figure["layout"]["yaxis"]["scaleanchor"] == "x"
