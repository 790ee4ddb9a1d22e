"""Where each of the 34 units sits on the tile-grid map, laid out like the country.

Rows run north to south, columns west to east; the long central coast steps east as the country
does. Hand-placed from the provinces' positions (codes of QĐ 19/2025/QĐ-TTg, see
seeds/data/provinces-2025.csv); one tile per unit, so small and large units weigh the same.
"""

from __future__ import annotations

COLUMNS = 5

# code: (row, column)
TILES: dict[str, tuple[int, int]] = {
    # Northern mountains and midlands
    "12": (0, 1),  # Lai Châu
    "15": (0, 2),  # Lào Cai
    "08": (0, 3),  # Tuyên Quang
    "04": (0, 4),  # Cao Bằng
    "11": (1, 0),  # Điện Biên
    "14": (1, 1),  # Sơn La
    "25": (1, 2),  # Phú Thọ
    "19": (1, 3),  # Thái Nguyên
    "20": (1, 4),  # Lạng Sơn
    # Red River delta
    "01": (2, 2),  # Hà Nội
    "24": (2, 3),  # Bắc Ninh
    "22": (2, 4),  # Quảng Ninh
    "37": (3, 2),  # Ninh Bình
    "33": (3, 3),  # Hưng Yên
    "31": (3, 4),  # Hải Phòng
    # North central coast
    "38": (4, 2),  # Thanh Hóa
    "40": (5, 2),  # Nghệ An
    "42": (6, 3),  # Hà Tĩnh
    "44": (7, 3),  # Quảng Trị
    "46": (8, 4),  # Huế
    # South central coast and Central Highlands
    "48": (9, 4),  # Đà Nẵng
    "51": (10, 4),  # Quảng Ngãi
    "52": (11, 4),  # Gia Lai
    "66": (12, 4),  # Đắk Lắk
    "68": (13, 3),  # Lâm Đồng
    "56": (13, 4),  # Khánh Hòa
    # South east
    "80": (13, 1),  # Tây Ninh
    "75": (13, 2),  # Đồng Nai
    "79": (14, 2),  # Thành phố Hồ Chí Minh
    # Mekong delta
    "91": (14, 0),  # An Giang
    "82": (14, 1),  # Đồng Tháp
    "92": (15, 1),  # Cần Thơ
    "86": (15, 2),  # Vĩnh Long
    "96": (16, 1),  # Cà Mau
}

ROWS = max(row for row, _column in TILES.values()) + 1


def tile_of(code: str) -> tuple[int, int] | None:
    return TILES.get(code)


def short_name(name: str) -> str:
    """ "Thành phố Hồ Chí Minh" -> "Hồ Chí Minh", "Tỉnh An Giang" -> "An Giang": what fits on a tile."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
