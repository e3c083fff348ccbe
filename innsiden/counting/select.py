"""Filling seats from a tally: highest first, ties by the tie rule, balance rules by skipping."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction

from innsiden.counting.balance import BalanceRule, can_elect
from innsiden.counting.model import Round
from innsiden.counting.ties import TieRule, settle


def fill_seats(
    tallies: Mapping[str, Fraction],
    eligible: Collection[str],
    open_seats: int,
    *,
    round_: Round,
    elected_before: Sequence[str],
    standing: Collection[str],
    ties: TieRule,
    history: Sequence[Mapping[str, Fraction]],
    balance: BalanceRule | None,
) -> list[str]:
    """Elect up to `open_seats` of `eligible`, most votes first, into `round_`.

    Candidates the balance rule forbids are recorded in `round_.skipped` and passed over.
    """
    chosen: list[str] = []
    left = [c for c in eligible]
    while len(chosen) < open_seats and left:
        top = max(tallies[c] for c in left)
        group = sorted(c for c in left if tallies[c] == top)
        electable = []
        for c in group:
            if balance is None or can_elect(c, [*elected_before, *chosen], standing, balance):
                electable.append(c)
            else:
                round_.skipped.append(c)
                left.remove(c)
        if not electable:
            continue
        pick = electable[0]
        if len(electable) > 1 and (len(electable) > open_seats - len(chosen) or balance):
            pick, tie = settle(
                electable,
                want="most",
                purpose="elect",
                rule=ties,
                round_number=round_.number,
                history=history,
            )
            round_.ties.append(tie)
        chosen.append(pick)
        left.remove(pick)
    round_.elected.extend(chosen)
    return chosen
