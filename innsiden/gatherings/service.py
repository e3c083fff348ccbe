"""The gatherings service: creating, changing and cancelling events, and looking them up.

Reading: `get(session, id)` (NotFound), `visible(session, member, id)` (404 unless
"gathering.see"), `organiser_numbers`, `organisers`, `fylkeslag_of(group)`.
Writing (flush, never commit; raise domain errors): `create`, `update`, `cancel`.
Replies and the waiting list are in `innsiden.gatherings.signup`; organisers' tools
(attendee list, check-in, CSV) in `innsiden.gatherings.organise`.

Domain events: gathering.created {gathering_id, group_id, actor}, gathering.changed
{gathering_id, actor, changes}, gathering.cancelled {gathering_id, actor}; search and
notifications build on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access, events
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.gatherings import questions as question_rules
from innsiden.gatherings import reminders, signup
from innsiden.gatherings.models import AUDIENCES, Gathering, GatheringOrganiser
from innsiden.gatherings.questions import QuestionInput
from innsiden.groups.models import Group
from innsiden.sanitize import render_markdown
from membersync.db import utcnow
from membersync.models import Member

DEFAULT_LENGTH = timedelta(hours=2)
MAX_CAPACITY = 100_000
MAX_ORGANISERS = 10
# Changes those signed up are told about (a new title only reaches their calendars).
CHANGES_TOLD = ("starts_at", "ends_at", "place", "online_url")


@dataclass
class GatheringInput:
    """What an organiser fills in; times are aware UTC (None when missing or unreadable)."""

    title: str
    starts_at: datetime | None
    ends_at: datetime | None = None
    description: str = ""
    place: str = ""
    online_url: str = ""
    capacity: int | None = None
    signup_deadline: datetime | None = None
    audience: str = "group"
    questions: list[QuestionInput] = field(default_factory=list)
    organiser_numbers: list[int] = field(default_factory=list)


def get(session: Session, gathering_id: int) -> Gathering:
    gathering = session.get(Gathering, gathering_id)
    if gathering is None:
        raise NotFound()
    return gathering


def visible(session: Session, member: Member | None, gathering_id: int) -> Gathering:
    """The event, if the member may see it; otherwise NotFound (never 403)."""
    gathering = session.get(Gathering, gathering_id)
    access.require(session, member, "gathering.see", gathering)
    assert gathering is not None  # the rule said yes
    return gathering


def organiser_numbers(session: Session, gathering_id: int) -> list[int]:
    query = select(GatheringOrganiser.member_number).where(
        GatheringOrganiser.gathering_id == gathering_id
    )
    return sorted(session.scalars(query))


def organisers(session: Session, gathering: Gathering) -> list[Member]:
    numbers = organiser_numbers(session, gathering.id)
    if not numbers:
        return []
    found = session.scalars(select(Member).where(Member.number.in_(numbers))).unique()
    return sorted(found, key=lambda m: (m.first_name, m.last_name))


def fylkeslag_of(group: Group) -> str | None:
    """The fylkeslag a group belongs to (for events open to "the fylkeslag"), if any."""
    unit = group.unit or group.scope_unit
    if unit is None:
        return None
    if unit.type == "fylkeslag":
        return unit.id
    parent = unit.parent
    return parent.id if parent is not None and parent.type == "fylkeslag" else None


def create(session: Session, actor: Member, group: Group, data: GatheringInput) -> Gathering:
    access.require(session, actor, "gathering.create", group, visible=True)
    if data.starts_at is not None and data.starts_at < utcnow():
        raise ValidationFailed(fields={"starts_at": _("Arrangementet kan ikke starte i fortiden.")})
    gathering = Gathering(group_id=group.id, group=group, created_by=actor.number)
    _apply(gathering, group, data)
    gathering.questions = question_rules.replace([], question_rules.check(data.questions))
    session.add(gathering)
    session.flush()
    _set_organisers(session, gathering, [actor.number, *data.organiser_numbers])
    events.record(
        session,
        "gathering.created",
        gathering_id=gathering.id,
        group_id=group.id,
        actor=actor.number,
    )
    return gathering


def update(session: Session, actor: Member, gathering_id: int, data: GatheringInput) -> Gathering:
    """Change an event; those signed up are told when its time or place changed."""
    gathering = signup.lock(session, gathering_id)
    access.require(session, actor, "gathering.see", gathering)
    access.require(session, actor, "gathering.organise", gathering, visible=True)
    if gathering.cancelled:
        raise Conflict(_("Arrangementet er avlyst og kan ikke endres."))
    before = _what_members_notice(gathering)
    _apply(gathering, gathering.group, data)
    gathering.questions = question_rules.replace(
        gathering.questions, question_rules.check(data.questions)
    )
    _set_organisers(session, gathering, data.organiser_numbers)
    after = _what_members_notice(gathering)
    changes = [key for key in CHANGES_TOLD if before[key] != after[key]]
    if changes or before["title"] != after["title"]:
        gathering.sequence += 1
    session.flush()
    if "starts_at" in changes:
        reminders.reschedule_gathering(session, gathering)
    signup.fill_free_places(session, gathering)
    if changes:
        events.record(
            session,
            "gathering.changed",
            gathering_id=gathering.id,
            actor=actor.number,
            changes=changes,
        )
    events.record(session, "gathering.edited", gathering_id=gathering.id, actor=actor.number)
    return gathering


def cancel(session: Session, actor: Member, gathering_id: int, reason: str = "") -> Gathering:
    """Cancel an event: replies are kept, and everyone signed up is told."""
    gathering = signup.lock(session, gathering_id)
    access.require(session, actor, "gathering.see", gathering)
    access.require(session, actor, "gathering.organise", gathering, visible=True)
    if gathering.cancelled:
        raise Conflict(_("Arrangementet er allerede avlyst."))
    if len(reason) > 2000:
        raise ValidationFailed(fields={"reason": _("Begrunnelsen er for lang.")})
    gathering.status, gathering.cancel_reason = "cancelled", reason.strip()
    gathering.cancelled_at = utcnow()
    gathering.sequence += 1
    session.flush()
    events.record(session, "gathering.cancelled", gathering_id=gathering.id, actor=actor.number)
    return gathering


def _what_members_notice(gathering: Gathering) -> dict[str, object]:
    return {
        "starts_at": gathering.starts_at,
        "ends_at": gathering.ends_at,
        "place": gathering.place,
        "online_url": gathering.online_url,
        "title": gathering.title,
    }


def _apply(gathering: Gathering, group: Group, data: GatheringInput) -> None:
    """Check every field of `data` (all problems at once), then write them to `gathering`."""
    title = " ".join(data.title.split())
    ends_at = data.ends_at or (data.starts_at + DEFAULT_LENGTH if data.starts_at else None)
    online_url = data.online_url.strip()
    audience_unit = fylkeslag_of(group) if data.audience == "fylkeslag" else None
    errors = {
        **_what_errors(title, data.description),
        **_when_errors(data.starts_at, ends_at),
        **_where_errors(data.place, online_url),
        **_signup_errors(data),
        **_audience_errors(data.audience, audience_unit),
    }
    if errors:
        raise ValidationFailed(fields=errors)
    assert data.starts_at is not None and ends_at is not None
    gathering.title, gathering.description = title, data.description.strip()
    gathering.description_html = render_markdown(gathering.description)
    gathering.starts_at, gathering.ends_at = data.starts_at, ends_at
    gathering.place, gathering.online_url = data.place.strip(), online_url or None
    gathering.capacity, gathering.signup_deadline = data.capacity, data.signup_deadline
    gathering.audience, gathering.audience_unit_id = data.audience, audience_unit


# The checks of `_apply`, each a field name → message for what is wrong (empty if nothing).


def _what_errors(title: str, description: str) -> dict[str, str]:
    errors = {}
    if not 3 <= len(title) <= 200:
        errors["title"] = _("Tittelen må ha mellom 3 og 200 tegn.")
    if len(description) > 20_000:
        errors["description"] = _("Beskrivelsen er for lang.")
    return errors


def _when_errors(starts_at: datetime | None, ends_at: datetime | None) -> dict[str, str]:
    if starts_at is None:
        return {"starts_at": _("Oppgi når arrangementet starter.")}
    if ends_at is not None and ends_at < starts_at:
        return {"ends_at": _("Slutten kan ikke være før starten.")}
    return {}


def _where_errors(place: str, online_url: str) -> dict[str, str]:
    errors = {}
    if len(place) > 300:
        errors["place"] = _("Stedet er for langt.")
    if online_url and not _is_web_address(online_url):
        errors["online_url"] = _("Lenken må være en nettadresse som begynner med https://.")
    return errors


def _signup_errors(data: GatheringInput) -> dict[str, str]:
    errors = {}
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        errors["capacity"] = _("Antall plasser må være et positivt tall.")
    if data.signup_deadline and data.starts_at and data.signup_deadline > data.starts_at:
        errors["signup_deadline"] = _("Påmeldingsfristen må være før arrangementet starter.")
    return errors


def _audience_errors(audience: str, audience_unit: str | None) -> dict[str, str]:
    if audience not in AUDIENCES or (audience == "fylkeslag" and not audience_unit):
        return {"audience": _("Velg hvem arrangementet er åpent for.")}
    return {}


def _is_web_address(url: str) -> bool:
    if len(url) > 500 or any(c.isspace() for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _set_organisers(session: Session, gathering: Gathering, numbers: Sequence[int]) -> None:
    """Name the organisers: members who may see the event. An empty list keeps them."""
    wanted = list(dict.fromkeys(numbers))
    if not wanted:
        return
    if len(wanted) > MAX_ORGANISERS:
        raise ValidationFailed(fields={"organisers": _("Høyst 10 arrangører.")})
    for number in wanted:
        member = session.get(Member, number)
        if member is None or not access.can(session, member, "gathering.see", gathering):
            message = _("Medlem %(number)s kan ikke se arrangementet.", number=number)
            raise ValidationFailed(fields={"organisers": message})
    current = set(organiser_numbers(session, gathering.id))
    for number in current - set(wanted):
        row = session.get(GatheringOrganiser, (gathering.id, number))
        if row is not None:
            session.delete(row)
    for number in set(wanted) - current:
        session.add(GatheringOrganiser(gathering_id=gathering.id, member_number=number))
    session.flush()
