"""The engine reproduces published example elections round by round (sources in published.py)."""

from fractions import Fraction

import pytest

from innsiden.counting import (
    GREGORY,
    SCOTTISH,
    count_instant_runoff,
    count_meek,
    count_single_seat,
    count_stv,
    read_ranked,
)
from tests.counting.published import (
    TENNESSEE,
    TENNESSEE_TWO_ROUND_WINNER,
    WIKIPEDIA_DROOP,
    WIKIPEDIA_STV_FOOD,
)


@pytest.mark.parametrize("rules", [GREGORY, SCOTTISH], ids=["gregory", "scottish"])
@pytest.mark.parametrize("case", [WIKIPEDIA_STV_FOOD, WIKIPEDIA_DROOP], ids=lambda c: c.name)
def test_stv_reproduces_the_published_rounds(case, rules):
    report = count_stv(
        read_ranked(case.rankings(), case.candidates), list(case.candidates), case.seats,
        rules=rules,
    )  # fmt: skip
    assert sorted(report.elected) == sorted(case.elected)
    for published, round_ in zip(case.rounds, report.rounds, strict=False):
        assert round_.tallies == {c: Fraction(v) for c, v in published.items()}
    assert len(report.rounds) >= len(case.rounds)


def test_food_election_quota_and_order_of_events():
    case = WIKIPEDIA_STV_FOOD
    report = count_stv(read_ranked(case.rankings(), case.candidates), list(case.candidates), 3)
    assert report.quota == 6
    assert [r.elected for r in report.rounds] == [["Chocolate"], [], ["Oranges"], ["Strawberries"]]
    assert [r.eliminated for r in report.rounds] == [[], [], ["Pears"], ["Sweets"]]
    surplus = report.rounds[1].transfers[0]
    assert (surplus.source, surplus.value) == ("Chocolate", Fraction(1, 2))
    assert surplus.to["Strawberries"] == 4 and surplus.to["Sweets"] == 2


def test_meek_elects_the_same_food_winners():
    # Not a published Meek count: the article's winners, which Meek's method also gives.
    case = WIKIPEDIA_STV_FOOD
    report = count_meek(read_ranked(case.rankings(), case.candidates), list(case.candidates), 3)
    assert sorted(report.elected) == sorted(case.elected)


def test_tennessee_instant_runoff_elects_knoxville():
    report = count_instant_runoff(TENNESSEE.rankings(), TENNESSEE.candidates)
    assert report.elected == ["Knoxville"]
    assert [r.eliminated for r in report.rounds] == [["Chattanooga"], ["Nashville"], []]
    assert report.rounds[-1].tallies == {"Memphis": 42, "Knoxville": 58}


def test_tennessee_two_round_system_elects_nashville():
    first = [r[0] for r in TENNESSEE.rankings()]
    report = count_single_seat([first], TENNESSEE.candidates, method="runoff")
    assert report.next_round is not None
    assert set(report.next_round.candidates) == {"Memphis", "Nashville"}
    standing = set(report.next_round.candidates)
    second = [next(c for c in r if c in standing) for r in TENNESSEE.rankings()]
    report = count_single_seat([first, second], TENNESSEE.candidates, method="runoff")
    assert report.elected == [TENNESSEE_TWO_ROUND_WINNER]
    assert report.rounds[1].tallies == {"Memphis": 42, "Nashville": 58}
