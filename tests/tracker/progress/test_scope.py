"""Who contributes to whose rows: the lineage of merged provinces as the engine reads it."""

import datetime

from tracker.progress.models import Level
from tracker.progress.scope import NATIONAL, Lineage, Unit, UnitKey

MERGER = datetime.date(2025, 7, 1)
BEFORE = MERGER - datetime.timedelta(days=1)
FOUNDED = datetime.date(2008, 8, 1)


def lineage() -> Lineage:
    """An Giang (1) from former An Giang (11) and Kiên Giang (12); Hà Nội (2) from former Hà Nội (21)."""
    return Lineage(
        [
            Unit(1, MERGER, None, None),
            Unit(2, MERGER, None, None),
            Unit(11, FOUNDED, BEFORE, 1),
            Unit(12, FOUNDED, BEFORE, 1),
            Unit(21, FOUNDED, BEFORE, 2),
        ]
    )


def members_of(key: UnitKey) -> dict[int, tuple[int, bool]]:
    return {member.unit.id: (member.peers, member.solo) for member in lineage().members([key])}


def test_a_unit_is_solo_where_no_other_unit_of_the_same_row_is_in_force_beside_it():
    # when / then: An Giang's two predecessors reported side by side; the new An Giang alone after them
    assert members_of(UnitKey(Level.PROVINCE, 1)) == {1: (1, True), 11: (2, False), 12: (2, False)}
    # Hà Nội had one predecessor, so each of its units is its row alone in its own time
    assert members_of(UnitKey(Level.PROVINCE, 2)) == {2: (1, True), 21: (1, True)}
    # a former province is its own row
    assert members_of(UnitKey(Level.FORMER, 12)) == {12: (1, True)}
    # the nation always combines units
    assert members_of(NATIONAL) == {1: (2, False), 2: (2, False), 11: (3, False), 12: (3, False), 21: (3, False)}
