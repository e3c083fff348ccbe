"""The report reads as bokmål text for the minutes, every round and every lot shown."""

from innsiden.counting import Lot, count_single_seat, count_stv, read_ranked
from innsiden.counting_text import number, render
from tests.counting.published import WIKIPEDIA_STV_FOOD


def test_every_round_is_in_the_text():
    case = WIKIPEDIA_STV_FOOD
    report = count_stv(read_ranked(case.rankings(), case.candidates), list(case.candidates), 3)
    text = render(report, {"Chocolate": "Sjokolade"})
    assert "Valgtall: 6" in text
    assert all(f"Runde {r.number}" in text for r in report.rounds)
    assert "Valgt: Sjokolade, Oranges, Strawberries" in text


def test_a_lot_shows_its_seed_and_commitment():
    report = count_single_seat([["A", "B"]], ["A", "B"], ties=(Lot("frø"),))
    text = render(report)
    assert "loddtrekning" in text and "frø" in text and report.ties[0].commitment in text


def test_numbers_use_a_decimal_comma():
    from fractions import Fraction

    assert number(Fraction(1, 3)) == "0,33333" and number(Fraction(4)) == "4"
