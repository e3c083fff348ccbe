"""Yes/no decisions: simple majority (blanks not counted), qualified majorities on a chosen base."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from innsiden.counting.model import TieBreak
from innsiden.counting.ties import TieRule, settle

YES = "ja"
NO = "nei"


class Base(StrEnum):
    """What the majority is a share of."""

    CAST = "cast"  # votes cast: yes + no (blank votes count as not cast)
    PRESENT = "present"  # everyone with the right to vote who is present
    ELECTORATE = "electorate"  # everyone on the roll


@dataclass(frozen=True)
class Majority:
    """`fraction` of the base: more than it when `strict` (alminnelig flertall), else at least."""

    fraction: Fraction = Fraction(1, 2)
    strict: bool = True
    base: Base = Base.CAST

    def needed(self, base_count: int) -> int:
        """The least number of yes votes that carries."""
        share = self.fraction * base_count
        return math.floor(share) + 1 if self.strict else max(math.ceil(share), 1)


SIMPLE = Majority()
TWO_THIRDS = Majority(Fraction(2, 3), strict=False)


@dataclass(frozen=True)
class Decision:
    """A yes/no result with the figures the minutes show."""

    adopted: bool
    yes: int
    no: int
    blank: int
    base: Base
    base_count: int
    needed: int
    tie: TieBreak | None = None


def decide(
    yes: int,
    no: int,
    blank: int = 0,
    *,
    rule: Majority = SIMPLE,
    present: int | None = None,
    electorate: int | None = None,
    ties: TieRule = (),
) -> Decision:
    """Adopted or not. A tie (yes equal to no under a simple majority of votes cast) goes to
    `ties` with the options "ja" and "nei"; with no tie rule the proposal falls."""
    if min(yes, no, blank) < 0:
        raise ValueError("negative vote count")
    base_count = _base_count(rule.base, yes + no, yes + no + blank, present, electorate)
    needed = rule.needed(base_count)
    is_tie = rule == Majority(base=rule.base) and rule.base is Base.CAST and yes == no and yes > 0
    if is_tie and ties:
        # TieUnresolved propagates: the chair must decide and the count is run again.
        winner, tie = settle((YES, NO), want="most", purpose="decide", rule=ties, round_number=1)
        return Decision(winner == YES, yes, no, blank, rule.base, base_count, needed, tie)
    return Decision(yes >= needed, yes, no, blank, rule.base, base_count, needed)


def _base_count(
    base: Base, cast: int, voting: int, present: int | None, electorate: int | None
) -> int:
    if base is Base.CAST:
        return cast
    count = present if base is Base.PRESENT else electorate
    if count is None:
        raise ValueError(f"the {base.value} count is needed for this majority")
    if count < voting:
        raise ValueError("more votes than voters in the base")
    return count
