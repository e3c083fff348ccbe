"""The engine-neutral search interface: documents in, permission-filtered results out.

Callers (views, API, indexer, capabilities' document builders) use only these types, so the
engine is chosen by a setting: Whoosh (`innsiden.search.index`, on this server's disk) or
PostgreSQL full text (`innsiden.search.pgengine`, one index for every server).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from markupsafe import Markup

Kind = Literal["thread", "post", "event", "file", "group", "page", "news"]
# Append only: the index stores a kind as its position here.
KINDS: tuple[Kind, ...] = ("thread", "post", "event", "file", "group", "page", "news")

# Audience keywords: who may find a document. A member's allowed set is built by the caller
# from the groups helper (`readable_group_ids`) and their units, e.g.
# {"org", "unit:F01", "group:12", "group:40"}.
ORG = "org"
GROUP_PREFIX = "group:"
# "Every group": given instead of one "group:…" audience per group to a member who may read
# every group (a portal administrator), so their search costs no more than anyone's.
ALL_GROUPS = "group:*"


def group_audience(group_id: int) -> str:
    """The audience of content readable by the members of one group."""
    return f"{GROUP_PREFIX}{group_id}"


def audience_allowed(audience: str, allowed: frozenset[str] | set[str]) -> bool:
    """Whether a document of `audience` is within the `allowed` audiences of a query."""
    return audience in allowed or (
        ALL_GROUPS in allowed and audience.startswith(GROUP_PREFIX) and audience != ALL_GROUPS
    )


def unit_audience(unit_id: str) -> str:
    """The audience of content open to a whole fylkeslag or lokallag (e.g. an open event)."""
    return f"unit:{unit_id}"


@dataclass(frozen=True)
class SearchDocument:
    """One findable thing. `id` is unique across kinds, e.g. "post:123"."""

    kind: Kind
    id: str
    audience: str
    title: str
    body: str = ""
    group_id: int | None = None
    author_name: str = ""
    created_at: datetime | None = None
    url: str = ""
    # The document this one belongs to (a post's thread, "thread:7"): deleting the parent
    # with `Delete(..., with_children=True)` removes its children too.
    parent: str | None = None


@dataclass(frozen=True)
class Delete:
    """Remove the document `id` (and, with `with_children`, every document whose parent it is)."""

    id: str
    with_children: bool = False


Change = SearchDocument | Delete


@dataclass(frozen=True)
class SearchQuery:
    """What a member asked for, and what they may see (`allowed_audiences`)."""

    text: str
    allowed_audiences: frozenset[str] | set[str]
    kinds: frozenset[str] | set[str] | None = None
    group_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    page: int = 1
    per_page: int = 20
    sort: Literal["relevance", "newest"] = "relevance"


@dataclass(frozen=True)
class SearchHit:
    id: str
    kind: str
    audience: str
    group_id: int | None
    title: Markup  # HTML-safe, query words in <mark>
    excerpt: Markup  # HTML-safe, query words in <mark>
    url: str
    author_name: str
    created_at: datetime | None
    score: float


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    # "Mente du …?": a corrected query that finds something, offered when nothing was found.
    suggestion: str | None = None
    # How many matches of each kind (for grouping/filter links), before the kind filter.
    kind_counts: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


Progress = Callable[[int], None]


class SearchEngine(Protocol):
    """What the portal needs of a search engine. Writes go through one writer at a time."""

    def apply(self, changes: Sequence[Change]) -> None:
        """Apply documents (insert or replace by id) and deletions in one durable batch."""

    def index(self, docs: Iterable[SearchDocument]) -> None:
        """Insert or replace documents by id."""

    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id (unknown ids are ignored)."""

    def search(self, query: SearchQuery) -> SearchResults:
        """Documents matching every word of `query.text` within the allowed audiences."""

    def rebuild(self, docs: Iterable[SearchDocument], progress: Progress | None = None) -> int:
        """Build a fresh index from `docs` and switch to it atomically; returns the count."""

    def exclusive(self, timeout: float = ...) -> AbstractContextManager[None]:
        """Hold the single-writer lock (across processes) while the caller's block runs;
        raises SearchBusy if another writer holds it for longer than `timeout` seconds."""

    def doc_count(self) -> int:
        """How many documents the current index holds."""


class SearchBusy(RuntimeError):
    """Another writer held the index for longer than the caller was willing to wait."""
