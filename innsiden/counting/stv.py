"""Preference election (STV) with a Droop quota and fractional (weighted inclusive Gregory)
transfers: exact fractions by default, or the Scottish rules' five-decimal truncation.

The count, stage by stage: first preferences; everyone at or above the quota is elected;
the largest untransferred surplus is moved on (every ballot the candidate holds, each at
surplus/total of its current value); when there is no surplus to move, the lowest candidate
is excluded and their ballots move on at their current value. When the candidates still
standing are no more than the open seats, they are all elected. A balance rule excludes a
candidate it forbids (their ballots move on at full value) instead of electing them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from innsiden.counting.balance import BalanceRule, can_elect
from innsiden.counting.ballots import Ranked
from innsiden.counting.model import Report, Round, Transfer
from innsiden.counting.ties import TieRule, settle


@dataclass(frozen=True)
class StvRules:
    """How transfer values are computed: exact, or truncated to `decimals` places."""

    name: str
    decimals: int | None = None


GREGORY = StvRules("stv")  # exact fractions
SCOTTISH = StvRules("scottish_stv", decimals=5)  # SSI 2007/42 sch. 1 r. 48(3)


def droop_quota(valid: int, seats: int) -> Fraction:
    """Votes divided by one more than the seats, fraction ignored, plus one."""
    return Fraction(valid // (seats + 1) + 1)


@dataclass
class _Parcel:
    ranking: tuple[str, ...]
    count: int
    value: Fraction
    at: int = 0  # index in `ranking` of the candidate holding it


@dataclass
class _State:
    seats: int
    quota: Fraction
    ties: TieRule
    balance: BalanceRule | None
    rules: StvRules
    piles: dict[str, list[_Parcel]]
    continuing: list[str]
    elected: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # elected with a surplus not yet moved
    history: list[Mapping[str, Fraction]] = field(default_factory=list)
    exhausted: Fraction = Fraction(0)

    def total(self, candidate: str) -> Fraction:
        return sum((p.value * p.count for p in self.piles[candidate]), Fraction(0))

    def tallies(self) -> dict[str, Fraction]:
        return {c: self.total(c) for c in self.piles}


def count_stv(
    ranked: Ranked,
    candidates: list[str],
    seats: int,
    *,
    rules: StvRules = GREGORY,
    ties: TieRule = (),
    balance: BalanceRule | None = None,
) -> Report:
    """Count ranked ballots for `seats` seats; every stage is a round in the report."""
    quota = droop_quota(ranked.valid, seats)
    report = Report(rules.name, seats, tuple(candidates), ranked.total, ranked.valid,
                    ranked.blank, ranked.invalid, quota)  # fmt: skip
    state = _State(seats, quota, ties, balance, rules, {c: [] for c in candidates},
                   list(candidates))  # fmt: skip
    for ranking, count in ranked.groups:
        state.piles[ranking[0]].append(_Parcel(ranking, count, Fraction(1)))
    round_ = Round(1, {})
    _elect_reaching_quota(state, round_)
    _close(state, round_, report)
    while len(state.elected) < seats and (state.pending or state.continuing):
        round_ = Round(len(report.rounds) + 1, {})
        open_seats = seats - len(state.elected)
        if state.pending:
            _transfer_surplus(state, round_)
        elif len(state.continuing) <= open_seats:
            _elect_all_standing(state, round_)
        else:
            _exclude_lowest(state, round_)
        _elect_reaching_quota(state, round_)
        if 0 < len(state.continuing) <= seats - len(state.elected):
            _elect_all_standing(state, round_)  # as many standing as seats open: all elected
        _close(state, round_, report)
    report.elected = list(state.elected)
    return report


def _close(state: _State, round_: Round, report: Report) -> None:
    round_.tallies = state.tallies()
    round_.exhausted = state.exhausted
    round_.threshold = state.quota
    state.history.append(round_.tallies)
    report.rounds.append(round_)


def _elect_reaching_quota(state: _State, round_: Round) -> None:
    while len(state.elected) < state.seats:
        reached = [c for c in state.continuing if state.total(c) >= state.quota]
        if not reached:
            return
        top = max(state.total(c) for c in reached)
        best = sorted(c for c in reached if state.total(c) == top)
        pick = best[0]
        if len(best) > 1:
            pick, tie = settle(best, want="most", purpose="elect", rule=state.ties,
                               round_number=round_.number, history=state.history)  # fmt: skip
            round_.ties.append(tie)
        _elect_or_skip(state, round_, pick)


def _elect_or_skip(state: _State, round_: Round, candidate: str) -> None:
    if state.balance and not can_elect(candidate, state.elected, state.continuing, state.balance):
        round_.skipped.append(candidate)
        _move_all(state, round_, candidate, "skip")
        return
    state.continuing.remove(candidate)
    state.elected.append(candidate)
    round_.elected.append(candidate)
    if state.total(candidate) > state.quota:
        state.pending.append(candidate)
    if state.balance:  # anyone the rule now forbids is passed over at once
        for other in list(state.continuing):
            if not can_elect(other, state.elected, state.continuing, state.balance):
                round_.skipped.append(other)
                _move_all(state, round_, other, "skip")


def _elect_all_standing(state: _State, round_: Round) -> None:
    for candidate in sorted(state.continuing, key=lambda c: -state.total(c)):
        if candidate in state.continuing and len(state.elected) < state.seats:
            _elect_or_skip(state, round_, candidate)


def _transfer_surplus(state: _State, round_: Round) -> None:
    top = max(state.total(c) for c in state.pending)
    largest = sorted(c for c in state.pending if state.total(c) == top)
    source = largest[0]
    if len(largest) > 1:
        source, tie = settle(largest, want="most", purpose="surplus_order", rule=state.ties,
                             round_number=round_.number, history=state.history)  # fmt: skip
        round_.ties.append(tie)
    state.pending.remove(source)
    total = state.total(source)
    surplus = total - state.quota
    moved = {c: Fraction(0) for c in state.continuing}
    for parcel in state.piles[source]:
        value = _truncate(surplus * parcel.value / total, state.rules.decimals)
        _pass_on(state, parcel, value, moved)
    state.piles[source] = [_Parcel((source,), 1, state.quota)]
    sent = sum(moved.values(), Fraction(0))
    state.exhausted += surplus - sent
    round_.transfers.append(Transfer(source, "surplus", surplus / total, moved, surplus - sent))


def _exclude_lowest(state: _State, round_: Round) -> None:
    low = min(state.total(c) for c in state.continuing)
    lowest = sorted(c for c in state.continuing if state.total(c) == low)
    loser = lowest[0]
    if len(lowest) > 1:
        loser, tie = settle(lowest, want="least", purpose="eliminate", rule=state.ties,
                            round_number=round_.number, history=state.history)  # fmt: skip
        round_.ties.append(tie)
    round_.eliminated.append(loser)
    _move_all(state, round_, loser, "elimination")


def _move_all(
    state: _State, round_: Round, source: str, kind: Literal["elimination", "skip"]
) -> None:
    """Move every ballot `source` holds on at its current value; `source` stops standing."""
    state.continuing.remove(source)
    moved = {c: Fraction(0) for c in state.continuing}
    before = state.total(source)
    for parcel in state.piles[source]:
        _pass_on(state, parcel, parcel.value, moved)
    state.piles[source] = []
    sent = sum(moved.values(), Fraction(0))
    state.exhausted += before - sent
    round_.transfers.append(Transfer(source, kind, Fraction(1), moved, before - sent))


def _pass_on(state: _State, parcel: _Parcel, value: Fraction, moved: dict[str, Fraction]) -> None:
    for at in range(parcel.at + 1, len(parcel.ranking)):
        target = parcel.ranking[at]
        if target in state.continuing:
            state.piles[target].append(_Parcel(parcel.ranking, parcel.count, value, at))
            moved[target] += value * parcel.count
            return


def _truncate(value: Fraction, decimals: int | None) -> Fraction:
    if decimals is None:
        return value
    scale = 10**decimals
    return Fraction(math.floor(value * scale), scale)
