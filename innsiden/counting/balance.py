"""Gender (or other) balance: refuse ballots that break it, skip candidates in the count.

A rule names each candidate's group and the minimum number of seats each of the groups in
`applies_to` must get. Statutes word it as a share ("minst 40 % av hvert kjønn", rounded up)
or as NIF's table (both genders when two or three are elected, at least two of each when
more than three are); both build the same rule.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal


@dataclass(frozen=True)
class BalanceRule:
    """At least `minimum` of the `seats` go to each group in `applies_to`."""

    groups: Mapping[str, str]  # candidate -> group, e.g. "kvinne" / "mann"
    seats: int
    minimum: int
    applies_to: frozenset[str]

    @classmethod
    def share(
        cls, groups: Mapping[str, str], seats: int, share: Fraction, applies_to: Collection[str]
    ) -> BalanceRule:
        """A minimum share of the seats for each group, rounded up (40 % of 5 is 2) but never
        more than an even split allows (40 % of 3 is 1 each, not an impossible 2)."""
        fair = seats // max(len(applies_to), 1)
        return cls(groups, seats, min(math.ceil(share * seats), fair), frozenset(applies_to))

    @classmethod
    def nif(cls, groups: Mapping[str, str], seats: int, applies_to: Collection[str]) -> BalanceRule:
        """NIF's rule: both represented among two or three, two of each among more than three."""
        minimum = 0 if seats < 2 else 1 if seats <= 3 else 2
        return cls(groups, seats, minimum, frozenset(applies_to))

    def group_of(self, candidate: str) -> str | None:
        return self.groups.get(candidate)

    def maximum(self, group: str, offered: Mapping[str | None, int]) -> int:
        """Most seats `group` can take and still leave the others their minimum.

        `offered` counts the candidates of each group: an other group's minimum is capped at
        the candidates it has.
        """
        owed = sum(min(self.minimum, offered.get(h, 0)) for h in self.applies_to - {group})
        return max(self.seats - owed, 0)


def can_elect(
    candidate: str, elected: Sequence[str], standing: Collection[str], rule: BalanceRule
) -> bool:
    """Whether electing `candidate` still lets every group reach its minimum.

    A group's minimum is reduced to what its standing candidates can give it: seats are not
    held back for candidates who do not exist.
    """
    after = [*elected, candidate]
    have = Counter(rule.group_of(c) for c in after)
    left = rule.seats - len(after)
    if left < 0:
        return False
    others = [c for c in standing if c != candidate and c not in after]
    available = Counter(rule.group_of(c) for c in others)
    owed = sum(max(0, min(rule.minimum, have[g] + available[g]) - have[g]) for g in rule.applies_to)
    return owed <= left


ProblemCode = Literal[
    "unknown_candidate", "duplicate", "too_many", "too_few", "group_minimum", "group_maximum"
]


@dataclass(frozen=True)
class BallotProblem:
    """Why a ballot is refused; `detail` is the candidate, count or group concerned."""

    code: ProblemCode
    detail: str | int = ""


@dataclass(frozen=True)
class BallotRule:
    """What a valid ballot looks like for one election."""

    candidates: frozenset[str]
    seats: int
    exact: bool = False  # True: exactly `seats` names; False: up to `seats`
    balance: BalanceRule | None = None
    allow_blank: bool = True


class BallotRefused(ValueError):
    """The ballot breaks the election's rules and is not cast."""

    def __init__(self, problems: Sequence[BallotProblem]) -> None:
        super().__init__(", ".join(f"{p.code}:{p.detail}" for p in problems))
        self.problems = tuple(problems)


def ballot_problems(selection: Sequence[str], rule: BallotRule) -> list[BallotProblem]:
    """Everything wrong with `selection` under `rule`; none means the ballot may be cast."""
    if not selection:
        return [] if rule.allow_blank else [BallotProblem("too_few", 0)]
    problems = [
        BallotProblem("unknown_candidate", c) for c in selection if c not in rule.candidates
    ]
    problems += [BallotProblem("duplicate", c) for c, n in Counter(selection).items() if n > 1]
    count = len(set(selection))
    if count > rule.seats:
        problems.append(BallotProblem("too_many", count))
    elif rule.exact and count < rule.seats:
        problems.append(BallotProblem("too_few", count))
    if rule.balance is not None:
        problems += _balance_problems(set(selection), rule)
    return problems


def _balance_problems(chosen: set[str], rule: BallotRule) -> list[BallotProblem]:
    balance = rule.balance
    assert balance is not None
    have = Counter(balance.group_of(c) for c in chosen)
    offered = Counter(balance.group_of(c) for c in rule.candidates)
    problems = [
        BallotProblem("group_maximum", g)
        for g in sorted(balance.applies_to)
        if have[g] > balance.maximum(g, offered)
    ]
    if rule.exact and len(chosen) == rule.seats:
        problems += [
            BallotProblem("group_minimum", g)
            for g in sorted(balance.applies_to)
            if have[g] < min(balance.minimum, offered[g])
        ]
    return problems


def check_ballot(selection: Sequence[str], rule: BallotRule) -> None:
    """Refuse a ballot before it is cast: raise BallotRefused listing every problem."""
    problems = ballot_problems(selection, rule)
    if problems:
        raise BallotRefused(problems)
