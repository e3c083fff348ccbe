"""k-of-n block vote (NIF lovnorm style): each ballot names up to (or exactly) k candidates.

In the first round a candidate needs more than half of the valid ballots; the best of those
take the seats. Seats left open go to a new ballot among the candidates not elected, where
(under NIF's rule) the most votes win, or (`later_rounds="majority"`) more than half is
needed again. Ballots naming too many, unknown or repeated candidates, or (when `exact`) too
few, are invalid and not counted; blank ballots are not counted either.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from typing import Literal

from innsiden.counting.balance import BalanceRule, can_elect
from innsiden.counting.model import NextRound, Report, Round
from innsiden.counting.select import fill_seats
from innsiden.counting.ties import TieRule


def count_block(
    rounds: Sequence[Sequence[Sequence[str]]],
    candidates: Sequence[str],
    seats: int,
    *,
    exact: bool = False,
    later_rounds: Literal["plurality", "majority"] = "plurality",
    ties: TieRule = (),
    balance: BalanceRule | None = None,
) -> Report:
    """Count the ballots of each round held so far; `next_round` says what the next ballot is."""
    report = Report("block", seats, tuple(candidates), len(rounds[0]) if rounds else 0, 0)
    standing = list(candidates)
    history: list[Mapping[str, Fraction]] = []
    for number, ballots in enumerate(rounds, start=1):
        open_seats = seats - len(report.elected)
        majority = number == 1 or later_rounds == "majority"
        round_ = _tally(number, ballots, standing, open_seats, exact)
        report.rounds.append(round_)
        if number == 1:
            report.valid = round_.valid or 0
            report.blank, report.invalid = round_.blank or 0, round_.invalid or 0
        valid = round_.valid or 0
        if majority:
            round_.threshold = Fraction(valid // 2 + 1)
        floor = round_.threshold if majority else Fraction(1)
        eligible = [c for c in standing if round_.tallies[c] >= (floor or 1)]
        chosen = fill_seats(
            round_.tallies, eligible, open_seats, round_=round_, elected_before=report.elected,
            standing=standing, ties=ties, history=history, balance=balance,
        )  # fmt: skip
        report.elected.extend(chosen)
        history.append(round_.tallies)
        standing = [c for c in standing if c not in chosen]
        if len(report.elected) == seats:
            return report
    standing = _still_electable(standing, report.elected, balance)
    if standing and len(report.elected) < seats:
        plurality = bool(rounds) and later_rounds == "plurality"
        report.next_round = NextRound(tuple(standing), seats - len(report.elected), plurality)
    return report


def _tally(
    number: int, ballots: Sequence[Sequence[str]], standing: Collection[str], open_seats: int,
    exact: bool,
) -> Round:  # fmt: skip
    tallies = {c: Fraction(0) for c in standing}
    blank = invalid = 0
    for ballot in ballots:
        names = set(ballot)
        if not ballot:
            blank += 1
        elif (
            len(names) != len(ballot)
            or not names <= tallies.keys()
            or len(names) > open_seats
            or (exact and len(names) != open_seats)
        ):
            invalid += 1
        else:
            for name in names:
                tallies[name] += 1
    return Round(
        number, tallies, valid=len(ballots) - blank - invalid, blank=blank, invalid=invalid
    )


def _still_electable(
    standing: list[str], elected: list[str], balance: BalanceRule | None
) -> list[str]:
    if balance is None:
        return standing
    return [c for c in standing if can_elect(c, elected, standing, balance)]
