"""The search service, used by the search page and the JSON API alike.

`parse_params(args)` turns a query string into `SearchParams` (ValidationFailed with a
Norwegian message per field when something is wrong); `search(session, member, params)`
asks the engine within the member's audiences of this moment, then checks every hit on the
page again with `innsiden.access` and drops any the member may not see, e.g. a post hidden
moments ago that the index has not caught up with yet. Which action a kind must pass, and
how its things are loaded (one query per kind on the page), each capability tells
`innsiden.search.registry`; search imports no capability.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.errors import NotFound, ValidationFailed
from innsiden.search import get_engine, registry
from innsiden.search.audiences import allowed_audiences
from innsiden.search.engine import KINDS, SearchHit, SearchQuery, SearchResults
from membersync.models import Member

OSLO = ZoneInfo("Europe/Oslo")
PER_PAGE = 20
MAX_PAGE = 500  # the engine ranks page × per_page hits; nobody reads further than this
MAX_QUERY = 200
SORTS = ("relevance", "newest")


@dataclass(frozen=True)
class SearchParams:
    """What a member asked for, as plain values."""

    text: str = ""
    kind: str | None = None
    group_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    sort: str = "relevance"

    def as_args(self) -> dict[str, str]:
        """The query string that asks for exactly this (empty values left out)."""
        args = {
            "q": self.text,
            "kind": self.kind or "",
            "group": str(self.group_id) if self.group_id else "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "page": str(self.page) if self.page > 1 else "",
            "sort": self.sort if self.sort != "relevance" else "",
        }
        return {key: value for key, value in args.items() if value}


@dataclass(frozen=True)
class SearchPage:
    """One page of results that passed the second check."""

    params: SearchParams
    results: SearchResults  # hits shown; total counts out those withheld on this page
    withheld: int = 0  # hits on this page the permission check dropped
    groups: Mapping[int, Any] = field(default_factory=dict)  # the hits' groups, by id

    def group_name(self, hit: SearchHit) -> str:
        group = self.groups.get(hit.group_id or 0)
        return group.name if group is not None else ""


def parse_params(args: Mapping[str, str]) -> SearchParams:
    """Read `q`, `kind`, `group`, `from`, `to`, `page`, `sort`; raise ValidationFailed."""
    errors: dict[str, str] = {}
    text = " ".join((args.get("q") or "").split())
    if len(text) > MAX_QUERY:
        errors["q"] = _("Søket er for langt (høyst %(n)d tegn).", n=MAX_QUERY)
    kind = args.get("kind") or None
    if kind is not None and kind not in KINDS:
        errors["kind"] = _("Ukjent type treff.")
    group_id = _whole(args.get("group"), errors, "group", _("Velg en gruppe fra listen."))
    date_from = _date(args.get("from"), errors, "from")
    date_to = _date(args.get("to"), errors, "to")
    if date_from and date_to and date_to < date_from:
        errors["to"] = _("Til-datoen kan ikke være før fra-datoen.")
    page = _whole(args.get("page"), errors, "page", _("Sidetallet må være et helt tall."))
    if page is not None and not 1 <= page <= MAX_PAGE:
        errors["page"] = _("Sidetallet må være mellom 1 og %(n)d.", n=MAX_PAGE)
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        errors["sort"] = _("Sorter etter relevans eller nyeste.")
    if errors:
        raise ValidationFailed(" ".join(errors.values()), fields=errors)
    return SearchParams(text, kind, group_id, date_from, date_to, page or 1, sort)


def _whole(value: str | None, errors: dict[str, str], name: str, message: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        errors[name] = message
        return None
    return int(value)


def _date(value: str | None, errors: dict[str, str], name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = _("Skriv datoen som ÅÅÅÅ-MM-DD.")
        return None


def _start_of(day: date) -> datetime:
    """Midnight in Oslo at the start of `day` (the dates a member types are Oslo dates)."""
    return datetime.combine(day, time(), OSLO)


def search(session: Session, member: Member, params: SearchParams) -> SearchPage:
    """The member's hits for `params`, each checked against the permission module."""
    reach = registry.reach()
    # Who may read every group is not given every group's id (thousands) to filter by.
    every = reach.reads_every_group(session, member)
    readable = None if every else reach.readable_groups(session, member)
    if params.group_id is not None and not _may_filter_by(session, params.group_id, readable):
        raise NotFound()  # the same for a group that does not exist and one they cannot read
    empty = SearchResults(hits=[], total=0, page=params.page, per_page=PER_PAGE)
    if not params.text:
        return SearchPage(params, empty)
    query = SearchQuery(
        text=params.text,
        allowed_audiences=allowed_audiences(session, member, readable),
        kinds={params.kind} if params.kind else None,
        group_id=params.group_id,
        date_from=_start_of(params.date_from) if params.date_from else None,
        # The whole last day counts: everything before the next midnight.
        date_to=_start_of(params.date_to + timedelta(days=1)) - timedelta(seconds=1)
        if params.date_to
        else None,
        page=params.page,
        per_page=PER_PAGE,
        sort=cast(Literal["relevance", "newest"], params.sort),
    )
    found = get_engine().search(query)
    groups = _groups_of(session, found.hits)
    shown = visible_hits(session, member, found.hits, groups)
    withheld = len(found.hits) - len(shown)
    results = replace(found, hits=shown, total=max(0, found.total - withheld))
    return SearchPage(params, results, withheld, groups)


def _may_filter_by(session: Session, group_id: int, readable: set[int] | None) -> bool:
    """Whether the group filter may name `group_id` (`readable` None: every group there is)."""
    if readable is not None:
        return group_id in readable
    return bool(registry.load(session, "group", {group_id}))


def visible_hits(
    session: Session,
    member: Member,
    hits: Iterable[SearchHit],
    groups: Mapping[int, Any] | None = None,
) -> list[SearchHit]:
    """The hits the member may see now, by the same rules as the pages they link to.

    `groups`: the hits' groups by id, if the caller loaded them. The groups are loaded
    before the things in them, so the rules find each thing's group in the session without
    a query of their own."""
    hits = list(hits)
    if groups is None:
        groups = _groups_of(session, hits)
    wanted: dict[str, set[int]] = defaultdict(set)
    for hit in hits:
        kind, _sep, ident = hit.id.partition(":")
        if kind == hit.kind and ident.isdigit():
            wanted[kind].add(int(ident))
    targets = {
        kind: {i: groups[i] for i in ids if i in groups}
        if kind == "group"
        else registry.load(session, kind, ids)
        for kind, ids in wanted.items()
    }
    return [hit for hit in hits if _may_see(session, member, hit, targets)]


def _groups_of(session: Session, hits: Iterable[SearchHit]) -> Mapping[int, Any]:
    return registry.load(session, "group", {h.group_id for h in hits if h.group_id})


def _may_see(
    session: Session, member: Member, hit: SearchHit, targets: Mapping[str, Mapping[int, Any]]
) -> bool:
    entry = registry.hit_kind(hit.kind)
    _kind, _sep, ident = hit.id.partition(":")
    target = targets.get(hit.kind, {}).get(int(ident)) if ident.isdigit() else None
    return (
        entry is not None
        and target is not None
        and access.can(session, member, entry.action, target)
    )


def group_choices(session: Session, member: Member) -> list[tuple[int, str]]:
    """The groups whose content the member may read, by name (the group filter's choices)."""
    groups = registry.load(session, "group", registry.reach().readable_groups(session, member))
    return sorted(((g.id, g.name) for g in groups.values()), key=lambda c: (c[1].lower(), c[0]))
