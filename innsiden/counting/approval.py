"""Approval voting: each ballot approves any number of candidates; the most approved win."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from innsiden.counting.balance import BalanceRule
from innsiden.counting.model import Report, Round
from innsiden.counting.select import fill_seats
from innsiden.counting.ties import TieRule


def count_approval(
    ballots: Sequence[Sequence[str]],
    candidates: Sequence[str],
    seats: int,
    *,
    ties: TieRule = (),
    balance: BalanceRule | None = None,
) -> Report:
    """One round; naming an unknown or repeated candidate makes a ballot invalid, none blank."""
    tallies = {c: Fraction(0) for c in candidates}
    blank = invalid = 0
    for ballot in ballots:
        names = set(ballot)
        if not ballot:
            blank += 1
        elif len(names) != len(ballot) or not names <= tallies.keys():
            invalid += 1
        else:
            for name in names:
                tallies[name] += 1
    valid = len(ballots) - blank - invalid
    round_ = Round(1, tallies, valid=valid, blank=blank, invalid=invalid)
    report = Report("approval", seats, tuple(candidates), len(ballots), valid, blank, invalid)
    report.rounds.append(round_)
    eligible = [c for c in candidates if tallies[c] > 0]
    report.elected = fill_seats(
        tallies, eligible, seats, round_=round_, elected_before=[], standing=list(candidates),
        ties=ties, history=[], balance=balance,
    )  # fmt: skip
    return report
