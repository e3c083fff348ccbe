"""What search needs from the capabilities, told by each of them, so search imports none.

Each capability's `search.py` calls, at import:

- `register_kind(kind, action=..., load_hits=...)`: the access action a hit of that kind
  must pass before it is shown, and a loader that fetches many of its things by id in one
  query (leaving out those that no longer stand for a document, e.g. a hidden post);
- `register_reach(readable_groups=..., unit_ids=..., reads_every_group=...)` (the groups
  capability): which groups a member may read, which register units they belong to, and
  whether they may read every group (then a search runs in "all groups" instead of one
  audience per group), for the audiences a search runs in and the group filter.

The "group" kind's loader also names the groups on a results page.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from innsiden.search.engine import KINDS
from membersync.models import Member

HitLoader = Callable[[Session, Collection[int]], Mapping[int, Any]]


@dataclass(frozen=True)
class HitKind:
    """How a hit of one kind is loaded and checked again."""

    action: str  # an `innsiden.access` action, e.g. "post.read"
    load_hits: HitLoader  # ids → things, one query for the lot


@dataclass(frozen=True)
class Reach:
    """Where a member may find things: the groups they read, the units they belong to."""

    readable_groups: Callable[[Session, Member], set[int]]
    unit_ids: Callable[[Member], Iterable[str]]
    reads_every_group: Callable[[Session, Member], bool]


_KINDS: dict[str, HitKind] = {}
_REACH: list[Reach] = []


def register_kind(kind: str, *, action: str, load_hits: HitLoader) -> None:
    """Tell search how to load and check hits of `kind` (once per kind)."""
    if kind not in KINDS:
        raise ValueError(f"unknown search kind {kind!r}; the engine knows {KINDS}")
    entry = HitKind(action, load_hits)
    if _KINDS.setdefault(kind, entry) != entry:
        raise ValueError(f"search kind {kind!r} is registered twice")


def register_reach(
    *,
    readable_groups: Callable[[Session, Member], set[int]],
    unit_ids: Callable[[Member], Iterable[str]],
    reads_every_group: Callable[[Session, Member], bool],
) -> None:
    """Tell search which groups and units a member may find things in (once)."""
    reach = Reach(readable_groups, unit_ids, reads_every_group)
    if _REACH and _REACH[0] != reach:
        raise ValueError("the member's reach is registered twice")
    _REACH[:] = [reach]


def hit_kind(kind: str) -> HitKind | None:
    return _KINDS.get(kind)


def load(session: Session, kind: str, ids: Collection[int]) -> Mapping[int, Any]:
    """The things of `kind` with these ids (those still there), by id; {} for an unknown kind."""
    entry = _KINDS.get(kind)
    if entry is None or not ids:
        return {}
    return entry.load_hits(session, ids)


def reach() -> Reach:
    if not _REACH:
        raise LookupError("no capability told search which groups a member may read")
    return _REACH[0]
