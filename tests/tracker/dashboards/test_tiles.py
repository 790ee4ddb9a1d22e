import csv
from pathlib import Path

from tracker.dashboards import tiles

REFERENCE = Path(__file__).resolve().parents[3] / "seeds" / "data" / "provinces-2025.csv"


def test_every_current_unit_has_exactly_one_tile():
    # given
    with REFERENCE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    codes = {row["code"] for row in csv.DictReader(lines)}

    # then
    assert len(codes) == 34
    assert set(tiles.TILES) == codes


def test_no_two_units_share_a_tile_and_all_fit_the_grid():
    places = list(tiles.TILES.values())

    assert len(set(places)) == 34
    assert all(0 <= row < tiles.ROWS and 0 <= column < tiles.COLUMNS for row, column in places)


def test_the_grid_runs_north_to_south():
    # Hà Nội above Đà Nẵng above Hồ Chí Minh above Cà Mau; Điện Biên west of Lạng Sơn.
    assert tiles.TILES["01"][0] < tiles.TILES["48"][0] < tiles.TILES["79"][0] < tiles.TILES["96"][0]
    assert tiles.TILES["11"][1] < tiles.TILES["20"][1]


def test_short_names_drop_the_kind():
    assert tiles.short_name("Thành phố Hồ Chí Minh") == "Hồ Chí Minh"
    assert tiles.short_name("Tỉnh An Giang") == "An Giang"
    assert tiles.short_name("Huế") == "Huế"
