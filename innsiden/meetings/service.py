"""Statute profiles and meetings: the presets, new profile versions, calling a meeting with
its opening agenda, and reading meetings for pages. Never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.errors import NotFound, ValidationFailed
from innsiden.groups.models import Group
from innsiden.meetings.models import AgendaItem, Meeting, MeetingProfile
from innsiden.meetings.profiles import PRESETS, StatuteProfile
from membersync.db import utcnow
from membersync.models import Member

OSLO = ZoneInfo("Europe/Oslo")
OPENING_ITEMS = (
    "approve_notice",
    "approve_agenda",
    "elect_chair",
    "elect_minute_takers",
    "elect_minute_signers",
)
MAX_ITEMS = 60


# --- Statute profiles ---------------------------------------------------------------------


def ensure_presets(session: Session) -> None:
    """Add version 1 of each preset profile that is missing (idempotent)."""
    present = set(session.scalars(select(MeetingProfile.key).where(MeetingProfile.version == 1)))
    for key, profile in PRESETS.items():
        if key not in present:
            session.add(MeetingProfile(key=key, version=1, data=profile.to_data()))
    session.flush()


def current_profiles(session: Session) -> list[MeetingProfile]:
    """The newest version of every profile (`ensure_presets` makes the presets first)."""
    newest = (
        select(MeetingProfile.key, func.max(MeetingProfile.version).label("version"))
        .group_by(MeetingProfile.key)
        .subquery()
    )
    query = select(MeetingProfile).join(
        newest,
        (newest.c.key == MeetingProfile.key) & (newest.c.version == MeetingProfile.version),
    )
    return list(session.scalars(query.order_by(MeetingProfile.key)))


def revise_profile(
    session: Session, actor: Member, key: str, data: dict[str, Any]
) -> MeetingProfile:
    """Store `data` as the next version of profile `key`; meetings keep the versions they have."""
    access.require(session, actor, "meeting.profiles", visible=True)
    key = key.strip()
    if not key.isascii() or not key.replace("-", "").isalnum() or not 1 <= len(key) <= 40:
        raise ValidationFailed(fields={"key": _("Bruk bare bokstaver, tall og bindestrek.")})
    profile = StatuteProfile.from_data(data)
    ensure_presets(session)
    last = session.scalar(select(func.max(MeetingProfile.version)).where(MeetingProfile.key == key))
    row = MeetingProfile(
        key=key, version=(last or 0) + 1, data=profile.to_data(), created_by=actor.number
    )
    session.add(row)
    session.flush()
    audit.record(
        session, "meeting.profile_revised", actor_number=actor.number,
        target=f"meeting_profile:{row.id}", key=key, version=row.version,
    )  # fmt: skip
    return row


def profile_of(session: Session, meeting: Meeting) -> StatuteProfile:
    """The statute profile the meeting was called under (its version, not the newest)."""
    row = session.get(MeetingProfile, meeting.profile_id)
    assert row is not None  # a foreign key
    return StatuteProfile.from_data(row.data)


# --- Calling a meeting --------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInput:
    """A meeting as the leader filled it in (times already parsed, in UTC)."""

    title: str
    starts_at: datetime | None
    place: str
    online_url: str
    profile_id: int | None
    items: tuple[str, ...] = ()  # the agenda after the opening items, one title each


def call_meeting(session: Session, actor: Member, group: Group, data: MeetingInput) -> Meeting:
    """Call an årsmøte of `group` under the chosen profile version, with the opening items."""
    access.require(session, actor, "meeting.call", group, visible=True)
    errors: dict[str, str] = {}
    title = " ".join(data.title.split())
    if not 1 <= len(title) <= 200:
        errors["title"] = _("Gi møtet en tittel på opptil 200 tegn.")
    place, online = data.place.strip(), data.online_url.strip()
    if not place and not online:
        errors["place"] = _("Oppgi et møtested, en lenke til nettmøtet, eller begge.")
    if len(place) > 300:
        errors["place"] = _("Møtestedet kan være høyst 300 tegn.")
    if online and (not online.startswith("https://") or len(online) > 500 or " " in online):
        errors["online_url"] = _("Lenken til nettmøtet må begynne med https://.")
    items = [" ".join(t.split()) for t in data.items if t.strip()]
    if len(items) > MAX_ITEMS or any(len(t) > 300 for t in items):
        errors["items"] = _("Høyst 60 saker, hver på opptil 300 tegn.")
    row = session.get(MeetingProfile, data.profile_id) if data.profile_id else None
    if row is None:
        errors["profile_id"] = _("Velg en vedtektsprofil.")
    if data.starts_at is None:
        errors["starts_at"] = _("Oppgi når møtet starter.")
    elif row is not None:
        profile = StatuteProfile.from_data(row.data)
        if data.starts_at < utcnow() + timedelta(days=profile.notice_days):
            errors["starts_at"] = _(
                "Vedtektene krever innkalling minst %(days)s dager før møtet.",
                days=profile.notice_days,
            )
    if errors:
        raise ValidationFailed(fields=errors)
    assert row is not None and data.starts_at is not None
    profile = StatuteProfile.from_data(row.data)
    meeting_day = data.starts_at.astimezone(OSLO).date()
    cutoff = meeting_day - timedelta(days=profile.roll_cutoff_days)
    complaints_day = meeting_day - timedelta(days=profile.complaint_days)
    meeting = Meeting(
        group_id=group.id, profile_id=row.id, title=title, starts_at=data.starts_at,
        place=place, online_url=online, cutoff_on=cutoff,
        complaints_until=_end_of(complaints_day), called_by=actor.number,
    )  # fmt: skip
    session.add(meeting)
    session.flush()
    kinds = [*OPENING_ITEMS, *(["item"] * len(items))]
    titles = ["" for _k in OPENING_ITEMS] + items
    for position, (kind, text) in enumerate(zip(kinds, titles, strict=True), start=1):
        session.add(AgendaItem(meeting_id=meeting.id, position=position, kind=kind, title=text))
    session.flush()
    audit.record(
        session, "meeting.called", actor_number=actor.number, target=f"meeting:{meeting.id}",
        group_id=group.id, profile=row.key, version=row.version,
    )  # fmt: skip
    return meeting


def _end_of(day: date) -> datetime:
    """The last moment of an Oslo day, in UTC."""
    return datetime.combine(day, time(23, 59, 59), OSLO).astimezone(ZoneInfo("UTC"))


# --- Reading ------------------------------------------------------------------------------


def meeting_for(session: Session, actor: Member, group_id: int, meeting_id: int) -> Meeting:
    """The meeting if it belongs to `group_id` and the actor may read it; else NotFound."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.group_id != group_id:
        raise NotFound()
    access.require(session, actor, "meeting.read", meeting)
    return meeting


def group_meetings(session: Session, group: Group) -> list[Meeting]:
    query = select(Meeting).where(Meeting.group_id == group.id)
    return list(session.scalars(query.order_by(Meeting.starts_at.desc())))


def agenda(session: Session, meeting: Meeting) -> list[AgendaItem]:
    query = select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
    return list(session.scalars(query.order_by(AgendaItem.position)))


def item_title(item: AgendaItem, profile: StatuteProfile) -> str:
    """The agenda item's title in the reader's language (opening items are named by kind)."""
    titles = {
        "approve_notice": _("Godkjenning av innkallingen"),
        "approve_agenda": _("Godkjenning av saklisten"),
        "elect_chair": _("Valg av møteleder"),
        "elect_minute_takers": _("Valg av referent"),
        "elect_minute_signers": _(
            "Valg av %(count)s til å underskrive protokollen", count=profile.minute_signers
        ),
    }
    return titles.get(item.kind, item.title)


def deadlines(meeting: Meeting, profile: StatuteProfile) -> dict[str, date]:
    """The statutes' deadlines for this meeting, as Oslo days."""
    day = meeting.starts_at.astimezone(OSLO).date()
    return {
        "notice": day - timedelta(days=profile.notice_days),
        "papers": day - timedelta(days=profile.papers_days),
        "motions": day - timedelta(days=profile.motion_days),
        "cutoff": meeting.cutoff_on,
        "complaints": meeting.complaints_until.astimezone(OSLO).date(),
    }
