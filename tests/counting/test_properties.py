"""Properties of the engine over generated ballots (hypothesis, bounded to run in seconds)."""

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from innsiden.counting import (
    GREGORY,
    SCOTTISH,
    EarlierRound,
    Lot,
    count_approval,
    count_block,
    count_meek,
    count_stv,
    draw,
    read_ranked,
)

CANDIDATES = ["A", "B", "C", "D", "E"]
TIES = (EarlierRound(), Lot("egenskapstest"))
BOUNDED = settings(max_examples=100, deadline=None)

rankings = st.lists(
    st.permutations(CANDIDATES).flatmap(lambda p: st.integers(1, 5).map(lambda n: p[:n])),
    min_size=1,
    max_size=40,
)
selections = st.lists(st.sets(st.sampled_from(CANDIDATES), max_size=3).map(sorted), max_size=40)


def _shuffled(items, seed):
    copy = list(items)
    random.Random(seed).shuffle(copy)
    return copy


@BOUNDED
@given(rankings, st.integers(1, 3), st.sampled_from([GREGORY, SCOTTISH]), st.integers())
def test_stv_never_counts_more_votes_than_ballots_and_ignores_ballot_order(
    ballots, seats, rules, seed
):
    report = count_stv(read_ranked(ballots, CANDIDATES), CANDIDATES, seats, rules=rules, ties=TIES)
    assert len(report.elected) <= seats and len(set(report.elected)) == len(report.elected)
    for round_ in report.rounds:
        counted = sum(round_.tallies.values(), Fraction(0)) + round_.exhausted
        assert counted <= report.valid
        if rules is GREGORY:
            assert counted == report.valid  # exact arithmetic loses nothing
    again = count_stv(read_ranked(_shuffled(ballots, seed), CANDIDATES), CANDIDATES, seats,
                      rules=rules, ties=TIES)  # fmt: skip
    assert again.elected == report.elected
    assert [r.tallies for r in again.rounds] == [r.tallies for r in report.rounds]


@settings(max_examples=30, deadline=None)
@given(rankings, st.integers(1, 3))
def test_meek_never_counts_more_votes_than_ballots(ballots, seats):
    report = count_meek(read_ranked(ballots, CANDIDATES), CANDIDATES, seats, ties=TIES)
    assert len(report.elected) <= seats
    for round_ in report.rounds:
        assert sum(round_.tallies.values(), Fraction(0)) <= report.valid


@BOUNDED
@given(selections, st.integers(1, 3), st.integers())
def test_block_and_approval_counts_stay_within_the_ballots(ballots, seats, seed):
    block = count_block([ballots], CANDIDATES, seats, ties=TIES)
    approval = count_approval(ballots, CANDIDATES, seats, ties=TIES)
    for report in (block, approval):
        assert len(report.elected) <= seats
        assert all(v <= report.valid for v in report.rounds[0].tallies.values())
    again = count_block([_shuffled(ballots, seed)], CANDIDATES, seats, ties=TIES)
    assert again.elected == block.elected and again.next_round == block.next_round


@BOUNDED
@given(st.text(min_size=1), st.sets(st.sampled_from(CANDIDATES), min_size=2), st.integers())
def test_a_lot_is_reproducible_from_its_seed(seed, tied, order_seed):
    first = draw(seed, sorted(tied), "elect:1")
    assert first in tied
    assert draw(seed, _shuffled(sorted(tied), order_seed), "elect:1") == first
