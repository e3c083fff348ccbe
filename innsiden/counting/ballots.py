"""Reading ranked ballots: which are valid, which blank, grouped so equal ballots count once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Ranked:
    """Ranked ballots after checking: distinct rankings with how many ballots gave each."""

    groups: tuple[tuple[tuple[str, ...], int], ...]
    total: int
    valid: int
    blank: int
    invalid: int


def read_ranked(rankings: Sequence[Sequence[str]], candidates: Collection[str]) -> Ranked:
    """A ranking with an unknown or repeated candidate is invalid; an empty one blank."""
    known = set(candidates)
    counts: Counter[tuple[str, ...]] = Counter()
    blank = invalid = 0
    for ranking in rankings:
        if not ranking:
            blank += 1
        elif len(set(ranking)) != len(ranking) or not set(ranking) <= known:
            invalid += 1
        else:
            counts[tuple(ranking)] += 1
    # Sorted so the count never depends on the order ballots arrived in.
    groups = tuple(sorted(counts.items()))
    return Ranked(groups, len(rankings), sum(counts.values()), blank, invalid)
