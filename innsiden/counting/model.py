"""The report every count returns: rounds, tallies, transfers, elections, eliminations, ties."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

TieBreakMethod = Literal["earlier_round", "nominee", "chair", "lot"]
TiePurpose = Literal["elect", "eliminate", "runoff", "surplus_order", "decide"]


@dataclass(frozen=True)
class TieBreak:
    """How a tie among `tied` was settled: `chosen` is whom the rule picked for `purpose`."""

    purpose: TiePurpose
    tied: tuple[str, ...]
    chosen: str
    by: TieBreakMethod
    round: int
    seed: str | None = None
    commitment: str | None = None  # sha256 of the seed, published before the draw


@dataclass(frozen=True)
class Transfer:
    """Votes moved from one candidate to the others at `value` per ballot."""

    source: str
    kind: Literal["surplus", "elimination", "skip"]
    value: Fraction
    to: dict[str, Fraction]
    exhausted: Fraction = Fraction(0)


@dataclass
class Round:
    """One round (stage) of a count: the tallies at its end and what happened in it."""

    number: int
    tallies: dict[str, Fraction]
    elected: list[str] = field(default_factory=list)
    eliminated: list[str] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # passed over by a balance rule
    exhausted: Fraction = Fraction(0)
    valid: int | None = None  # ballots counted in this round (multi-ballot methods)
    blank: int | None = None
    invalid: int | None = None
    threshold: Fraction | None = None  # votes needed in this round, where there is one
    keep_factors: dict[str, Fraction] | None = None  # Meek STV only
    ties: list[TieBreak] = field(default_factory=list)


@dataclass(frozen=True)
class NextRound:
    """A count that needs another ballot: who is still standing and for how many seats."""

    candidates: tuple[str, ...]
    seats: int
    plurality: bool  # True when most votes wins outright in that round


@dataclass
class Report:
    """Everything a count did, in order, so minutes can show each round."""

    method: str
    seats: int
    candidates: tuple[str, ...]
    ballots: int
    valid: int
    blank: int = 0
    invalid: int = 0
    quota: Fraction | None = None
    rounds: list[Round] = field(default_factory=list)
    elected: list[str] = field(default_factory=list)
    next_round: NextRound | None = None

    @property
    def complete(self) -> bool:
        return self.next_round is None

    @property
    def ties(self) -> list[TieBreak]:
        return [tie for round_ in self.rounds for tie in round_.ties]
