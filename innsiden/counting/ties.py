"""Tie rules as data: earlier round, the nominee, the chair's decision, a lot from a committed seed.

A tie rule is a sequence of steps tried in order; each step narrows the tied candidates and
the first step that leaves one decides. Every step works in terms of *favoured*: the candidate
who is elected, who stays in, or whose surplus goes first. When the count needs the candidate
to eliminate, it asks for the least favoured.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from innsiden.counting.model import TieBreak, TieBreakMethod, TiePurpose


@dataclass(frozen=True)
class EarlierRound:
    """Favour the candidate who had more votes in an earlier round where the tied differed.

    `look` is which earlier round decides: the most recent one where they differed ("latest",
    the common rule) or the first one ("earliest").
    """

    look: Literal["latest", "earliest"] = "latest"


@dataclass(frozen=True)
class Nominee:
    """Favour the nomination committee's nominees (innstilte) over the others."""

    nominees: frozenset[str]


@dataclass(frozen=True)
class Chair:
    """The chair's decision, supplied as input: candidates in the order the chair favours them."""

    order: tuple[str, ...]


@dataclass(frozen=True)
class Lot:
    """A lot drawn from `seed`; publish `commitment(seed)` before the count so it can be checked."""

    seed: str


TieStep = EarlierRound | Nominee | Chair | Lot
TieRule = tuple[TieStep, ...]


class TieUnresolved(Exception):
    """No step of the tie rule settled the tie; the caller must supply one (e.g. the chair)."""

    def __init__(self, purpose: TiePurpose, tied: Sequence[str], round_number: int) -> None:
        super().__init__(f"unresolved tie ({purpose}, round {round_number}): {', '.join(tied)}")
        self.purpose = purpose
        self.tied = tuple(tied)
        self.round = round_number


def commitment(seed: str) -> str:
    """The value to publish before a draw: it binds the seed without revealing it."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def draw(seed: str, candidates: Sequence[str], context: str) -> str:
    """Draw one of `candidates` from `seed`; the same seed, set and context draw the same one."""
    pool = sorted(candidates)
    joined = "\x1e".join(pool)
    digest = hashlib.sha256(f"{seed}\x1f{context}\x1f{joined}".encode()).digest()
    return pool[int.from_bytes(digest, "big") % len(pool)]


def settle(
    tied: Sequence[str],
    *,
    want: Literal["most", "least"],
    purpose: TiePurpose,
    rule: TieRule,
    round_number: int,
    history: Sequence[Mapping[str, Fraction]] = (),
) -> tuple[str, TieBreak]:
    """Pick the most (or least) favoured of `tied` by `rule`; raise TieUnresolved if it cannot."""
    original = sorted(set(tied))
    pool = original
    for step in rule:
        narrowed = _narrow(step, pool, want, history)
        if isinstance(step, Lot) and len(narrowed) > 1:
            context = f"{purpose}:{round_number}:{want}"
            narrowed = [draw(step.seed, narrowed, context)]
        if len(narrowed) == 1:
            return narrowed[0], _record(step, original, narrowed[0], purpose, round_number)
        pool = narrowed
    raise TieUnresolved(purpose, pool, round_number)


def _narrow(
    step: TieStep, pool: list[str], want: str, history: Sequence[Mapping[str, Fraction]]
) -> list[str]:
    if isinstance(step, EarlierRound):
        rounds = list(reversed(history)) if step.look == "latest" else list(history)
        for tallies in rounds:
            values = {c: tallies.get(c, Fraction(0)) for c in pool}
            if len(set(values.values())) > 1:
                target = max(values.values()) if want == "most" else min(values.values())
                return [c for c in pool if values[c] == target]
        return pool
    if isinstance(step, Nominee):
        favoured = [c for c in pool if c in step.nominees]
        others = [c for c in pool if c not in step.nominees]
        if favoured and others:
            return favoured if want == "most" else others
        return pool
    if isinstance(step, Chair):
        ranked = [c for c in step.order if c in pool]
        if len(ranked) < len(pool):
            return pool  # the chair has not ranked all of them: undecided
        return [ranked[0] if want == "most" else ranked[-1]]
    return pool  # Lot narrows in settle(), where the draw's context is known


def _record(
    step: TieStep, tied: list[str], chosen: str, purpose: TiePurpose, round_number: int
) -> TieBreak:
    by: TieBreakMethod = {
        EarlierRound: "earlier_round",
        Nominee: "nominee",
        Chair: "chair",
        Lot: "lot",
    }[type(step)]  # type: ignore[assignment]
    seed = step.seed if isinstance(step, Lot) else None
    return TieBreak(
        purpose=purpose,
        tied=tuple(tied),
        chosen=chosen,
        by=by,
        round=round_number,
        seed=seed,
        commitment=commitment(seed) if seed is not None else None,
    )
