"""Motions with numbered lines, amendments by line range, the voting order and the adopted text.

An amendment replaces, deletes, inserts before or adds after lines of a motion, or of another
amendment's new text (an amendment to an amendment). The voting order (voteringsorden) built
here follows the usual Norwegian practice:

1. The motion is taken from the top: proposals are voted in the order of the lines they touch.
2. Proposals that touch the same lines compete; the most far-reaching is voted first
   (deleting goes further than replacing, replacing further than adding; then the one
   touching more lines; then the one submitted first). Once one is adopted, the rest of
   its group fall (bortfaller) and are not voted on.
3. Amendments to an amendment are voted, by the same rules, just before the amendment they
   amend, which is then voted in its amended form; if it falls, they fall with it.
4. Last, the motion as amended is voted on as a whole (endelig votering).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Operation = Literal["replace", "delete", "insert_before", "add_after"]
_REACH = {"delete": 3, "replace": 2, "insert_before": 1, "add_after": 1}


@dataclass(frozen=True)
class Motion:
    """A motion's text, one string per numbered line (line 1 is lines[0])."""

    id: str
    lines: tuple[str, ...]

    def numbered(self) -> list[tuple[int, str]]:
        return list(enumerate(self.lines, start=1))


@dataclass(frozen=True)
class Amendment:
    """Change lines `start`..`end` of the motion, or of amendment `target`'s new text."""

    id: str
    operation: Operation
    start: int
    end: int | None = None  # defaults to `start`
    text: tuple[str, ...] = ()
    target: str | None = None
    proposer: str = ""

    @property
    def last(self) -> int:
        return self.start if self.end is None else self.end

    def span(self) -> tuple[float, float]:
        """Where it acts, with line i occupying [2i, 2i+1] and inserts the points between."""
        if self.operation == "insert_before":
            return (2 * self.start - 0.5, 2 * self.start - 0.5)
        if self.operation == "add_after":
            return (2 * self.start + 1.5, 2 * self.start + 1.5)
        return (2 * self.start, 2 * self.last + 1)


class AmendmentError(ValueError):
    """An amendment does not fit its text, or votes do not fit the voting order."""


@dataclass(frozen=True)
class VoteItem:
    """One vote in the voting order; `amendment` None is the final vote on the whole motion."""

    number: int
    amendment: str | None
    falls_if_adopted: tuple[str, ...] = ()  # it is not voted on if any of these was adopted


@dataclass
class Outcome:
    """What the votes did: adopted, rejected and fallen proposals, and the resulting text."""

    adopted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    fallen: list[str] = field(default_factory=list)
    motion_adopted: bool = False
    text: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: "=" unchanged, "-" removed, "+" added, with its line numbers."""

    kind: Literal["=", "-", "+"]
    old: int | None
    new: int | None
    text: str


def voting_order(motion: Motion, amendments: Sequence[Amendment]) -> list[VoteItem]:
    """The order to vote in, ending with the final vote on the motion as amended."""
    by_id = {a.id: a for a in amendments}
    if len(by_id) != len(amendments):
        raise AmendmentError("two amendments share an id")
    for a in amendments:
        _check(a, _target_lines(motion, by_id, a))
    order = {a.id: i for i, a in enumerate(amendments)}
    items: list[tuple[str, tuple[str, ...]]] = []
    _plan(None, amendments, order, (), items)
    plan = [VoteItem(i, aid, falls) for i, (aid, falls) in enumerate(items, start=1)]
    return [*plan, VoteItem(len(plan) + 1, None, ())]


def _plan(
    target: str | None,
    amendments: Sequence[Amendment],
    order: Mapping[str, int],
    inherited: tuple[str, ...],
    items: list[tuple[str, tuple[str, ...]]],
) -> None:
    siblings = [a for a in amendments if a.target == target]
    for group in _conflict_groups(siblings):
        ranked = sorted(
            group, key=lambda a: (-_REACH[a.operation], -(a.last - a.start), order[a.id])
        )
        for position, amendment in enumerate(ranked):
            falls = (*inherited, *(a.id for a in ranked[:position]))
            _plan(amendment.id, amendments, order, falls, items)
            items.append((amendment.id, falls))


def _conflict_groups(siblings: Sequence[Amendment]) -> list[list[Amendment]]:
    """Amendments that compete for the same lines (directly or through others), in text order."""
    groups: list[list[Amendment]] = []
    for amendment in sorted(siblings, key=lambda a: a.span()):
        if groups and any(_compete(a, amendment) for a in groups[-1]):
            groups[-1].append(amendment)
        else:
            groups.append([amendment])
    return groups


def _compete(first: Amendment, second: Amendment) -> bool:
    (low1, high1), (low2, high2) = first.span(), second.span()
    if low1 == high1 and low2 == high2:
        return False  # two inserts at one place do not compete: both can be adopted, in order
    if low1 == high1:
        return low2 < low1 < high2
    if low2 == high2:
        return low1 < low2 < high1
    return max(low1, low2) <= min(high1, high2)


def _target_lines(
    motion: Motion, by_id: Mapping[str, Amendment], amendment: Amendment
) -> tuple[str, ...]:
    if amendment.target is None:
        return motion.lines
    parent = by_id.get(amendment.target)
    if parent is None:
        raise AmendmentError(f"{amendment.id} amends unknown {amendment.target}")
    if parent.operation == "delete":
        raise AmendmentError(f"{amendment.id} amends a deletion, which has no text")
    return parent.text


def _check(amendment: Amendment, lines: Sequence[str]) -> None:
    if not 1 <= amendment.start <= amendment.last <= len(lines):
        raise AmendmentError(
            f"{amendment.id}: lines {amendment.start}-{amendment.last} not in text"
        )
    if (amendment.operation == "delete") == bool(amendment.text):
        raise AmendmentError(f"{amendment.id}: {amendment.operation} with wrong text")


def run_votes(
    motion: Motion,
    amendments: Sequence[Amendment],
    decisions: Mapping[str, bool],
    *,
    motion_adopted: bool = True,
) -> Outcome:
    """Walk the voting order with the votes' results; fallen proposals must not have one."""
    by_id = {a.id: a for a in amendments}
    outcome = Outcome(motion_adopted=motion_adopted)
    for item in voting_order(motion, amendments)[:-1]:
        aid = item.amendment
        assert aid is not None
        if any(f in outcome.adopted for f in item.falls_if_adopted):
            if aid in decisions:
                raise AmendmentError(f"{aid} fell and cannot be voted on")
            outcome.fallen.append(aid)
        elif aid not in decisions:
            raise AmendmentError(f"no result for {aid}")
        else:
            (outcome.adopted if decisions[aid] else outcome.rejected).append(aid)
    adopted = set(outcome.adopted)
    top = [by_id[a] for a in outcome.adopted if by_id[a].target is None]
    amended = (_amended(a, amendments, adopted) for a in top)
    changes = [c for c in amended if c is not None]
    outcome.text = apply(motion.lines, changes) if motion_adopted else ()
    return outcome


def _amended(
    amendment: Amendment, amendments: Sequence[Amendment], adopted: set[str]
) -> Amendment | None:
    """The amendment as adopted: its adopted sub-amendments applied to its text. If they
    struck all of it, a replacement deletes its lines and an insertion adds nothing (None)."""
    found = (_amended(a, amendments, adopted) for a in amendments
             if a.target == amendment.id and a.id in adopted)  # fmt: skip
    subs = [a for a in found if a is not None]
    if not subs:
        return amendment
    text = apply(amendment.text, subs)
    if not text:
        if amendment.operation != "replace":
            return None
        return Amendment(amendment.id, "delete", amendment.start, amendment.end, (), None,
                         amendment.proposer)  # fmt: skip
    return Amendment(amendment.id, amendment.operation, amendment.start, amendment.end,
                     text, None, amendment.proposer)  # fmt: skip


def apply(lines: Sequence[str], changes: Sequence[Amendment]) -> tuple[str, ...]:
    """Apply non-competing changes, all numbered against `lines` as they stand."""
    before: dict[int, list[str]] = {}
    after: dict[int, list[str]] = {}
    current: dict[int, list[str]] = {i: [line] for i, line in enumerate(lines, start=1)}
    for change in changes:
        _check(change, lines)
        if change.operation == "insert_before":
            before.setdefault(change.start, []).extend(change.text)
        elif change.operation == "add_after":
            after.setdefault(change.start, []).extend(change.text)
        else:
            for i in range(change.start, change.last + 1):
                current[i] = []
            if change.operation == "replace":
                current[change.start] = list(change.text)
    result: list[str] = []
    for i in range(1, len(lines) + 1):
        result += before.get(i, []) + current[i] + after.get(i, [])
    return tuple(result)


def diff(original: Sequence[str], adopted: Sequence[str]) -> list[DiffLine]:
    """A line diff of the original and the adopted text, with both sides' line numbers."""
    result: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=list(original), b=list(adopted), autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            result += [
                DiffLine("=", a0 + k + 1, b0 + k + 1, original[a0 + k]) for k in range(a1 - a0)
            ]
            continue
        result += [DiffLine("-", i + 1, None, original[i]) for i in range(a0, a1)]
        result += [DiffLine("+", None, j + 1, adopted[j]) for j in range(b0, b1)]
    return result
