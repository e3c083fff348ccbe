"""Meek STV (Hill, Wichmann & Woodall 1987): keep factors instead of parcels.

Every elected candidate keeps the same share of each ballot reaching them (their keep
factor) and passes the rest on, also to candidates elected later; excluded candidates pass
everything on. Keep factors are found by iteration, with the quota recomputed from the
votes not yet exhausted. As in the published algorithm, arithmetic is fixed-point: votes
truncated and keep factors rounded up to `decimals` places, iteration until the elected
candidates' surpluses total less than `omega`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

from innsiden.counting.balance import BalanceRule, can_elect
from innsiden.counting.ballots import Ranked
from innsiden.counting.model import Report, Round
from innsiden.counting.ties import TieRule, settle

_MAX_ITERATIONS = 1000


def count_meek(
    ranked: Ranked,
    candidates: list[str],
    seats: int,
    *,
    ties: TieRule = (),
    balance: BalanceRule | None = None,
    decimals: int = 9,
    omega: Fraction = Fraction(1, 10**6),
) -> Report:
    """Count ranked ballots by Meek's method; each election or exclusion is a round."""
    report = Report("meek_stv", seats, tuple(candidates), ranked.total, ranked.valid,
                    ranked.blank, ranked.invalid)  # fmt: skip
    keep = {c: Fraction(1) for c in candidates}
    hopeful = list(candidates)
    elected: list[str] = []
    history: list[Mapping[str, Fraction]] = []
    while True:
        votes, quota = _converge(ranked, keep, elected, seats, decimals, omega)
        round_ = Round(len(report.rounds) + 1, votes, threshold=quota, keep_factors=dict(keep))
        round_.exhausted = Fraction(ranked.valid) - sum(votes.values(), Fraction(0))
        changed = _elect_reaching(round_, votes, quota, hopeful, elected, seats, keep, ties,
                                  balance, history)  # fmt: skip
        done = len(elected) == seats or not hopeful
        if not changed and not done:
            if len(hopeful) <= seats - len(elected):
                for c in sorted(hopeful, key=lambda c: -votes[c]):
                    _elect_or_skip(round_, c, hopeful, elected, seats, keep, balance)
                done = True
            else:
                _exclude_lowest(round_, votes, hopeful, keep, ties, history)
        report.rounds.append(round_)
        history.append(votes)
        report.quota = quota
        if done or len(elected) == seats or not hopeful:
            break
    report.elected = elected
    return report


def _distribute(ranked: Ranked, keep: Mapping[str, Fraction], decimals: int) -> dict[str, Fraction]:
    votes = {c: Fraction(0) for c in keep}
    scale = 10**decimals
    for ranking, count in ranked.groups:
        weight = Fraction(1)
        for candidate in ranking:
            factor = keep[candidate]
            if factor:
                share = Fraction(math.floor(weight * factor * scale), scale)
                votes[candidate] += share * count
                weight -= share
                if weight <= 0:
                    break
    return votes


def _converge(
    ranked: Ranked,
    keep: dict[str, Fraction],
    elected: list[str],
    seats: int,
    decimals: int,
    omega: Fraction,
) -> tuple[dict[str, Fraction], Fraction]:
    scale = 10**decimals
    for _ in range(_MAX_ITERATIONS):
        votes = _distribute(ranked, keep, decimals)
        active = sum(votes.values(), Fraction(0))
        quota = Fraction(math.floor(active / (seats + 1) * scale), scale) + Fraction(1, scale)
        surplus = sum((votes[c] - quota for c in elected if votes[c] > quota), Fraction(0))
        if surplus < omega:
            return votes, quota
        new = {
            c: Fraction(math.ceil(keep[c] * quota / votes[c] * scale), scale)
            for c in elected
            if votes[c] > 0
        }
        if all(new[c] == keep[c] for c in new):
            return votes, quota
        keep.update(new)
    return votes, quota


def _elect_reaching(
    round_: Round,
    votes: Mapping[str, Fraction],
    quota: Fraction,
    hopeful: list[str],
    elected: list[str],
    seats: int,
    keep: dict[str, Fraction],
    ties: TieRule,
    balance: BalanceRule | None,
    history: list[Mapping[str, Fraction]],
) -> bool:
    reached = sorted((c for c in hopeful if votes[c] >= quota), key=lambda c: (-votes[c], c))
    for candidate in reached:
        if len(elected) == seats:
            break
        level = [c for c in reached if votes[c] == votes[candidate] and c in hopeful]
        pick = candidate
        if len(level) > 1 and len(level) > seats - len(elected):
            pick, tie = settle(level, want="most", purpose="elect", rule=ties,
                               round_number=round_.number, history=history)  # fmt: skip
            round_.ties.append(tie)
        if pick in hopeful:
            _elect_or_skip(round_, pick, hopeful, elected, seats, keep, balance)
    return bool(reached)


def _elect_or_skip(
    round_: Round,
    candidate: str,
    hopeful: list[str],
    elected: list[str],
    seats: int,
    keep: dict[str, Fraction],
    balance: BalanceRule | None,
) -> None:
    if len(elected) >= seats or candidate not in hopeful:
        return
    hopeful.remove(candidate)
    if balance and not can_elect(candidate, elected, [*hopeful, candidate], balance):
        keep[candidate] = Fraction(0)
        round_.skipped.append(candidate)
        return
    elected.append(candidate)
    round_.elected.append(candidate)
    if balance:
        for other in list(hopeful):
            if not can_elect(other, elected, hopeful, balance):
                hopeful.remove(other)
                keep[other] = Fraction(0)
                round_.skipped.append(other)


def _exclude_lowest(
    round_: Round,
    votes: Mapping[str, Fraction],
    hopeful: list[str],
    keep: dict[str, Fraction],
    ties: TieRule,
    history: list[Mapping[str, Fraction]],
) -> None:
    low = min(votes[c] for c in hopeful)
    lowest = sorted(c for c in hopeful if votes[c] == low)
    loser = lowest[0]
    if len(lowest) > 1:
        loser, tie = settle(lowest, want="least", purpose="eliminate", rule=ties,
                            round_number=round_.number, history=history)  # fmt: skip
        round_.ties.append(tie)
    hopeful.remove(loser)
    keep[loser] = Fraction(0)
    round_.eliminated.append(loser)
