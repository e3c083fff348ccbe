"""One seat: more than half the valid votes wins; otherwise a runoff between the top two or
repeated elimination of the lowest, each round a new ballot (or a ranked ballot read again)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Literal

from innsiden.counting.model import NextRound, Report, Round
from innsiden.counting.ties import TieRule, settle

Method = Literal["runoff", "eliminate"]


def count_single_seat(
    rounds: Sequence[Sequence[str | None]],
    candidates: Sequence[str],
    *,
    method: Method = "runoff",
    ties: TieRule = (),
) -> Report:
    """Count the ballots of each round held so far (a vote is a candidate, or None for blank).

    When no one is elected and no further round's ballots are given, the report's `next_round`
    says who stands in the next ballot.
    """
    report = Report(f"single_{method}", 1, tuple(candidates), len(rounds[0]) if rounds else 0, 0)
    standing = tuple(candidates)
    plurality = len(standing) <= 2
    history: list[Mapping[str, Fraction]] = []
    for number, votes in enumerate(rounds, start=1):
        round_ = _tally(number, votes, standing)
        report.rounds.append(round_)
        if number == 1:
            report.valid, report.blank, report.invalid = (
                round_.valid or 0,
                round_.blank or 0,
                round_.invalid or 0,
            )
        winner, standing = _decide(round_, standing, plurality, method, ties, history)
        history.append(round_.tallies)
        if winner is not None:
            report.elected.append(winner)
            return report
        plurality = method == "runoff" or len(standing) <= 2
    if rounds or candidates:
        report.next_round = NextRound(standing, 1, plurality)
    return report


def count_instant_runoff(
    rankings: Sequence[Sequence[str]], candidates: Sequence[str], *, ties: TieRule = ()
) -> Report:
    """Repeated elimination of the lowest read from ranked ballots (each ballot counts for its
    highest-ranked candidate still standing); a ballot with none left counts as blank."""
    rounds: list[list[str | None]] = []
    while True:
        report = count_single_seat(rounds, candidates, method="eliminate", ties=ties)
        if report.complete:
            report.method = "instant_runoff"
            report.ballots = len(rankings)
            return report
        assert report.next_round is not None
        standing = set(report.next_round.candidates)
        rounds.append([next((c for c in r if c in standing), None) for r in rankings])


def _tally(number: int, votes: Sequence[str | None], standing: Sequence[str]) -> Round:
    tallies = {c: Fraction(0) for c in standing}
    blank = invalid = 0
    for vote in votes:
        if not vote:
            blank += 1
        elif vote in tallies:
            tallies[vote] += 1
        else:
            invalid += 1
    valid = len(votes) - blank - invalid
    return Round(
        number,
        tallies,
        valid=valid,
        blank=blank,
        invalid=invalid,
        threshold=Fraction(valid // 2 + 1),
    )


def _decide(
    round_: Round,
    standing: tuple[str, ...],
    plurality: bool,
    method: Method,
    ties: TieRule,
    history: Sequence[Mapping[str, Fraction]],
) -> tuple[str | None, tuple[str, ...]]:
    tallies = round_.tallies
    if len(standing) == 1:
        round_.elected.append(standing[0])
        return standing[0], standing
    top = max(tallies.values())
    leaders = sorted(c for c in standing if tallies[c] == top)
    if len(leaders) == 1 and (plurality or top * 2 > (round_.valid or 0)):
        round_.elected.append(leaders[0])
        return leaders[0], standing
    if plurality:  # equal at the top of a deciding round: the tie rule elects
        winner, tie = settle(
            leaders, want="most", purpose="elect", rule=ties, round_number=round_.number,
            history=history,
        )  # fmt: skip
        round_.ties.append(tie)
        round_.elected.append(winner)
        return winner, standing
    if method == "runoff":
        return None, _top_two(round_, standing, ties, history)
    return None, _drop_lowest(round_, standing, ties, history)


def _top_two(
    round_: Round,
    standing: tuple[str, ...],
    ties: TieRule,
    history: Sequence[Mapping[str, Fraction]],
) -> tuple[str, ...]:
    tallies = round_.tallies
    ranked = sorted(standing, key=lambda c: -tallies[c])
    cut = tallies[ranked[1]]
    sure = [c for c in ranked if tallies[c] > cut]
    contenders = [c for c in ranked if tallies[c] == cut]
    chosen = list(sure)
    while len(chosen) < 2:
        pick = contenders[0]
        if len(contenders) > 2 - len(chosen):
            pick, tie = settle(
                contenders, want="most", purpose="runoff", rule=ties,
                round_number=round_.number, history=history,
            )  # fmt: skip
            round_.ties.append(tie)
        chosen.append(pick)
        contenders.remove(pick)
    round_.eliminated.extend(c for c in standing if c not in chosen)
    return tuple(c for c in standing if c in chosen)


def _drop_lowest(
    round_: Round,
    standing: tuple[str, ...],
    ties: TieRule,
    history: Sequence[Mapping[str, Fraction]],
) -> tuple[str, ...]:
    tallies = round_.tallies
    low = min(tallies[c] for c in standing)
    lowest = sorted(c for c in standing if tallies[c] == low)
    loser = lowest[0]
    if len(lowest) > 1:
        loser, tie = settle(
            lowest, want="least", purpose="eliminate", rule=ties, round_number=round_.number,
            history=history,
        )  # fmt: skip
        round_.ties.append(tie)
    round_.eliminated.append(loser)
    return tuple(c for c in standing if c != loser)
