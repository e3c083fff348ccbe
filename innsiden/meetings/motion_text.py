"""A motion's text as numbered lines, amendments checked against it, the vote to hold next and
the adopted text with its diff. Pure: no database, no Flask, no translations (problems are
codes a caller turns into words), so hypothesis can test it on its own.

The voting order (voteringsorden) is the counting engine's (`innsiden.counting.amendments`):

1. Amendments to an amendment are voted just before the amendment they amend, which is then
   voted in its amended form; if it falls, they fall with it.
2. Otherwise from the top of the motion: proposals in the order of the lines they touch.
3. Proposals touching the same lines compete; the furthest-reaching is voted first (deleting
   before replacing before adding, then the one touching more lines, then the earliest
   submitted). Once one is adopted the rest of its group fall and are not voted on.
4. Last, the motion as amended is voted on as a whole.

A block vote (blokkvotering) settles the amendments it holds by the drafting committee's
recommendations in one vote; `settled` reads its decisions into the voting order as if each
had been voted there, so the adopted text is the same as with separate votes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from innsiden.counting.amendments import (
    Amendment,
    AmendmentError,
    DiffLine,
    Motion,
    Outcome,
    VoteItem,
    apply,
    diff,
    run_votes,
    voting_order,
)

__all__ = [
    "OPERATIONS",
    "Amendment",
    "AmendmentError",
    "DiffLine",
    "Motion",
    "Next",
    "Outcome",
    "VoteItem",
    "adopted",
    "amendment_problems",
    "apply",
    "diff",
    "join_lines",
    "next_vote",
    "settled",
    "split_lines",
    "voting_order",
]

OPERATIONS = ("replace", "delete", "insert_before", "add_after")
MAX_LINES = 2000
MAX_LINE = 2000

Problem = Literal["operation", "range", "text", "empty_text", "too_long"]


def split_lines(text: str) -> tuple[str, ...]:
    """Text as numbered lines: any line ending, trailing spaces and blank ends dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return tuple(line.replace("\x00", "") for line in lines)


def join_lines(lines: Sequence[str]) -> str:
    """The stored form of numbered lines (`split_lines` reads it back unchanged)."""
    return "\n".join(lines)


def text_problems(lines: Sequence[str]) -> list[Problem]:
    """Why `lines` cannot be a motion's text (nothing written, too long), or nothing."""
    if not lines:
        return ["empty_text"]
    if len(lines) > MAX_LINES or any(len(line) > MAX_LINE for line in lines):
        return ["too_long"]
    return []


def amendment_problems(
    lines: Sequence[str], operation: str, start: int | None, end: int | None, text: Sequence[str]
) -> list[Problem]:
    """Why an amendment does not fit the text it amends; an empty list means it fits."""
    if operation not in OPERATIONS:
        return ["operation"]
    problems: list[Problem] = []
    last = start if end is None else end
    if start is None or last is None or not 1 <= start <= last <= len(lines):
        problems.append("range")
    elif operation in ("insert_before", "add_after") and last != start:
        problems.append("range")  # an insertion is at one place
    if operation == "delete":
        if text:
            problems.append("text")
    elif not text:
        problems.append("text")
    elif len(text) > MAX_LINES or any(len(line) > MAX_LINE for line in text):
        problems.append("too_long")
    return problems


@dataclass(frozen=True)
class Next:
    """What to do next on a motion: vote `item`, or (item None) nothing is left to vote.

    `fallen` are the amendments passed over since the last vote because an adopted
    competitor made them fall.
    """

    item: VoteItem | None
    fallen: tuple[str, ...]


def next_vote(order: Sequence[VoteItem], results: Mapping[str | None, bool]) -> Next:
    """The next vote in `order` given the results so far (None is the final vote's key).

    A proposal whose competitor was adopted falls and is skipped; the final vote on the whole
    motion comes last.
    """
    adopted = {aid for aid, yes in results.items() if yes and aid is not None}
    fallen: list[str] = []
    for item in order:
        if item.amendment in results:
            continue
        if item.amendment is not None and any(f in adopted for f in item.falls_if_adopted):
            fallen.append(item.amendment)
            continue
        return Next(item, tuple(fallen))
    return Next(None, tuple(fallen))


def settled(
    order: Sequence[VoteItem],
    separate: Mapping[str | None, bool],
    block: Mapping[str, bool],
) -> dict[str | None, bool]:
    """The results in the voting order's terms: separate votes (None: the final vote), and the
    decisions of an adopted block vote (amendment → adopted?) read in the voting order as if
    voted there. A block decision on an amendment that falls (a competitor adopted before it)
    is passed over, as a separate vote on it would not have been held."""
    results: dict[str | None, bool] = {}
    adopted_ids: set[str] = set()
    for item in order:
        aid = item.amendment
        if aid is None:
            if None in separate:
                results[None] = separate[None]
            continue
        if any(f in adopted_ids for f in item.falls_if_adopted):
            continue
        if aid in separate:
            yes = separate[aid]
        elif aid in block:
            yes = block[aid]
        else:
            continue
        results[aid] = yes
        if yes:
            adopted_ids.add(aid)
    return results


def adopted(
    motion: Motion, amendments: Sequence[Amendment], results: Mapping[str | None, bool]
) -> Outcome:
    """The outcome of a motion whose votes are all held: what was adopted, what fell, and
    the adopted text (empty when the final vote rejected the motion)."""
    decisions = {aid: yes for aid, yes in results.items() if aid is not None}
    return run_votes(motion, amendments, decisions, motion_adopted=bool(results.get(None)))
