"""Majorities, block votes, runoffs, ties, ballots and balance rules as statutes word them."""

from fractions import Fraction

import pytest

from innsiden.counting import (
    SCOTTISH,
    BalanceRule,
    BallotRefused,
    BallotRule,
    Base,
    Chair,
    EarlierRound,
    Lot,
    Majority,
    Nominee,
    TieUnresolved,
    check_ballot,
    commitment,
    count_block,
    count_single_seat,
    count_stv,
    decide,
    read_ranked,
)
from tests.counting.published import NIF_BLOCK_SOURCE

TWO_THIRDS = Majority(Fraction(2, 3), strict=False)


def test_simple_majority_ignores_blank_votes():
    decision = decide(10, 9, blank=30)
    assert decision.adopted and decision.base_count == 19 and decision.needed == 10


def test_two_thirds_of_votes_cast_present_and_electorate_differ():
    assert decide(40, 20, 5, rule=TWO_THIRDS).adopted  # 40 of 60 cast is exactly 2/3
    on_present = Majority(Fraction(2, 3), strict=False, base=Base.PRESENT)
    assert not decide(40, 20, 5, rule=on_present, present=65).adopted  # needs 44
    on_roll = Majority(Fraction(1, 2), base=Base.ELECTORATE)
    assert decide(41, 0, rule=on_roll, electorate=80).adopted
    assert not decide(40, 0, rule=on_roll, electorate=80).adopted


def test_a_tied_simple_vote_falls_unless_the_chair_decides():
    assert not decide(7, 7).adopted
    decision = decide(7, 7, ties=(Chair(("ja", "nei")),))
    assert decision.adopted and decision.tie is not None and decision.tie.by == "chair"


def test_nif_block_vote_fills_open_seats_in_a_new_round():
    # NIF_BLOCK_SOURCE: 3 seats, 10 ballots; A (8) and B (6) have more than half,
    # C and D have 5 each (not more than half of 10): one seat goes to a new vote.
    candidates = ["A", "B", "C", "D", "E"]
    ballots = [["A", "B", "C"]] * 5 + [["A", "B", "D"]] + [["A", "D", "E"]] * 2
    ballots += [["D", "E"], ["D"], [], ["A", "B", "C", "D"]]  # a blank and a too-long ballot
    report = count_block([ballots], candidates, 3)
    assert NIF_BLOCK_SOURCE
    assert report.valid == 10 and report.blank == 1 and report.invalid == 1
    assert report.rounds[0].threshold == 6
    assert report.elected == ["A", "B"]
    assert report.next_round is not None and report.next_round.seats == 1
    assert set(report.next_round.candidates) == {"C", "D", "E"}
    second = [["C"]] * 4 + [["D"]] * 3 + [["E"]] * 2  # the most votes win in the new round
    report = count_block([ballots, second], candidates, 3)
    assert report.elected == ["A", "B", "C"] and report.complete


def test_block_vote_with_exactly_k_names_refuses_short_ballots():
    report = count_block([[["A", "B"], ["A"], ["B", "C"]]], ["A", "B", "C"], 2, exact=True)
    assert report.invalid == 1 and report.valid == 2


def test_runoff_round_tie_goes_to_the_nominee_then_lot():
    rounds = [["A"] * 4 + ["B"] * 4 + ["C"] * 2, ["A"] * 5 + ["B"] * 5]
    report = count_single_seat(rounds, ["A", "B", "C"], ties=(Nominee(frozenset({"B"})),))
    assert report.elected == ["B"] and report.ties[0].by == "nominee"
    drawn = count_single_seat(rounds, ["A", "B", "C"], ties=(Lot("frø-2024"),))
    again = count_single_seat(rounds, ["A", "B", "C"], ties=(Lot("frø-2024"),))
    assert drawn.elected == again.elected
    tie = drawn.ties[0]
    assert tie.by == "lot" and tie.seed == "frø-2024" and tie.commitment == commitment("frø-2024")


def test_an_unresolved_tie_asks_for_the_chair():
    rounds = [["A"] * 5 + ["B"] * 5]
    with pytest.raises(TieUnresolved) as raised:
        count_single_seat(rounds, ["A", "B"])
    assert raised.value.tied == ("A", "B")
    report = count_single_seat(rounds, ["A", "B"], ties=(Chair(("B", "A")),))
    assert report.elected == ["B"]


def test_elimination_tie_settled_by_the_earlier_round():
    # C and D tie in round 2; in round 1 D had fewer, so D goes.
    rounds = [
        ["A"] * 6 + ["B"] * 5 + ["C"] * 3 + ["D"] * 2 + ["E"],
        ["A"] * 6 + ["B"] * 5 + ["C"] * 3 + ["D"] * 3,
    ]
    report = count_single_seat(rounds, ["A", "B", "C", "D", "E"], method="eliminate",
                               ties=(EarlierRound(),))  # fmt: skip
    assert report.rounds[1].eliminated == ["D"] and report.ties[0].by == "earlier_round"


GENDERS = {"Kari": "K", "Ola": "M", "Per": "M", "Pål": "M", "Eva": "K", "Ali": "M"}


def test_ballot_breaking_the_gender_rule_or_the_count_is_refused():
    balance = BalanceRule.share(GENDERS, 3, Fraction(2, 5), {"K", "M"})  # one of each
    assert balance.minimum == 1
    rule = BallotRule(frozenset(GENDERS), 3, exact=True, balance=balance)
    check_ballot(["Kari", "Eva", "Ola"], rule)  # fine: 2 K, 1 M
    with pytest.raises(BallotRefused) as raised:
        check_ballot(["Ola", "Per", "Pål"], rule)
    assert {p.code for p in raised.value.problems} == {"group_maximum", "group_minimum"}
    with pytest.raises(BallotRefused) as raised:
        check_ballot(["Ola", "Kari"], rule)
    assert [p.code for p in raised.value.problems] == ["too_few"]
    with pytest.raises(BallotRefused):
        check_ballot(["Ola", "Kari", "Eva", "Per"], rule)


def test_count_time_gender_rule_skips_a_candidate_who_would_break_it():
    # 4 seats, at least 40 % (2) of each gender; the men are ahead but only two may be elected.
    candidates = list(GENDERS)
    ballots = [["Ola", "Per", "Pål", "Ali", "Kari", "Eva"]] * 10 + [["Kari"]] * 3 + [["Eva"]] * 2
    balance = BalanceRule.share(GENDERS, 4, Fraction(2, 5), {"K", "M"})
    block = [["Ola", "Per", "Pål", "Ali"]] * 8 + [["Ola", "Per", "Pål"]] * 2
    block += [["Kari", "Eva"]] * 5  # the women have 5 of 15: not more than half
    report = count_block([block], candidates, 4, balance=balance, ties=(Lot("frø"),))
    assert len(report.elected) == 2 and {GENDERS[c] for c in report.elected} == {"M"}
    assert sorted(report.elected + report.rounds[0].skipped) == ["Ali", "Ola", "Per", "Pål"]
    assert report.next_round is not None and set(report.next_round.candidates) == {"Kari", "Eva"}
    stv = count_stv(read_ranked(ballots, candidates), candidates, 4, balance=balance)
    assert sorted(stv.elected) == ["Eva", "Kari", "Ola", "Per"]


def test_scottish_transfer_values_are_truncated_to_five_decimals():
    # Worked example (not published): 2 seats, quota 4; A's surplus is 3 of 7 votes.
    ballots = [["A", "B"]] * 5 + [["A", "C"]] * 2 + [["B"]] * 1 + [["C"]] * 1
    report = count_stv(read_ranked(ballots, "ABC"), ["A", "B", "C"], 2, rules=SCOTTISH)
    assert report.quota == 4  # 9 // 3 + 1
    moved = report.rounds[1].transfers[0].to
    assert moved["B"] == 5 * Fraction(42857, 100000)  # 3/7 truncated to 0.42857
    exact = count_stv(read_ranked(ballots, "ABC"), ["A", "B", "C"], 2)
    assert exact.rounds[1].transfers[0].to["B"] == Fraction(15, 7)
