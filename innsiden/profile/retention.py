"""Retention after leaving: a former member's personal data goes, their content stays.

The register ends a membership; access ends at once (membersync). The portal notes when it
saw the member lose access (`Departure`, kept by `innsiden.profile.follow`); a member who
rejoins before `RETENTION_DAYS` have passed loses nothing, because nothing is touched
until then. After the period the job `profile.retention` anonymises them: the mirror's
personal details, the picture, presentation, interests, sign-up answers, settings,
notifications, interest-group memberships, requests and archives go; posts, files and
votes stay and show "Tidligere medlem" (the mirror row keeps the number and that name);
the audit log keeps the member number only. "Glem medlemmet" (`forget`) takes the same
path at once. Each anonymisation is recorded with counts only (`Anonymisation`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from html import escape
from typing import Any
from urllib.parse import quote, quote_plus

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from innsiden import audit, storage
from innsiden.audit import AuditEntry
from innsiden.auth.models import LoginCodeMember, Suspension
from innsiden.discussions.models import Post, PostRevision, ReadMark
from innsiden.errors import Conflict, NotFound
from innsiden.gatherings.models import CalendarFeedToken, GatheringReply, ReminderPreference
from innsiden.groups.membership import has_access_clause
from innsiden.groups.models import (
    GroupAppointment,
    GroupMembership,
    GroupSubscription,
    Invitation,
    JoinRequest,
    MemberProfile,
)
from innsiden.jobs import job
from innsiden.notifications.models import Notification, NotificationSettings
from innsiden.profile.models import (
    Anonymisation,
    ChangeRequest,
    DataExport,
    Departure,
    ProfileInterest,
    ProfilePicture,
)
from innsiden.profile.settings import setting
from membersync.access import has_access
from membersync.db import utcnow
from membersync.models import Member, Position

FORMER_FIRST, FORMER_LAST = "Tidligere", "medlem"
FORMER_NAME = f"{FORMER_FIRST} {FORMER_LAST}"
BATCH = 200
# Member-list audit entries name the members a leader saw; their search text may too.
LIST_ACTIONS = ("groups.member_list_viewed", "groups.member_list_exported")


def retention_period() -> timedelta:
    return timedelta(days=int(setting("RETENTION_DAYS")))


def note_departures(session: Session) -> int:
    """Start the clock for members without access who have none running (self-healing)."""
    running = select(Departure.member_number)
    done = select(Anonymisation.member_number)
    numbers = session.scalars(
        select(Member.number).where(
            ~has_access_clause(), Member.number.not_in(running), Member.number.not_in(done)
        )
    ).all()
    session.add_all(Departure(member_number=n) for n in numbers)
    session.flush()
    return len(numbers)


@job("profile.retention")
def anonymise_due(session: Session) -> int:
    """Anonymise former members whose retention period has passed."""
    note_departures(session)
    due = session.scalars(
        select(Departure.member_number)
        .where(Departure.left_at <= utcnow() - retention_period())
        .order_by(Departure.left_at)
        .limit(BATCH)
    ).all()
    done = 0
    for number in due:
        member = session.get(Member, number)
        if member is None or has_access(member):
            session.execute(delete(Departure).where(Departure.member_number == number))
        else:
            anonymise(session, member, "retention")
            done += 1
        session.commit()
    return done


def forget(session: Session, actor: Member, member_number: int, reason: str) -> Anonymisation:
    """An administrator's "glem medlemmet": the same path as retention, at once.

    Refused while the register still grants access: the next sync would bring it all back,
    so the register must end the membership first.
    """
    member = session.get(Member, member_number)
    if member is None:
        raise NotFound()
    if has_access(member):
        raise Conflict(
            _(
                "Medlemmet har fortsatt tilgang etter medlemsregisteret. "
                "Meld medlemmet ut der først."
            )
        )
    record = anonymise(session, member, "forget")
    audit.record(
        session, "profile.member_forgotten", actor_number=actor.number,
        target=f"member:{member_number}", reason=reason.strip()[:500],
    )  # fmt: skip
    return record


def anonymise(session: Session, member: Member, trigger: str) -> Anonymisation:
    """Remove the member's personal data everywhere the portal holds it; keep their content."""
    traces = _traces(member)
    counts: dict[str, int] = {}
    for name, step in _STEPS:
        counts[name] = step(session, member.number, traces)
    counts["others_texts"] = _scrub_texts(session, traces)
    _scrub_mirror(session, member)
    record = Anonymisation(member_number=member.number, trigger=trigger, counts=counts)
    session.add(record)
    session.execute(delete(Departure).where(Departure.member_number == member.number))
    session.flush()
    return record


def rescrub_mirror(session: Session, member_numbers: set[int]) -> int:
    """A sync wrote the register's data back for anonymised numbers still without access."""
    if not member_numbers:
        return 0
    forgotten = set(
        session.scalars(
            select(Anonymisation.member_number).where(
                Anonymisation.member_number.in_(sorted(member_numbers))
            )
        )
    )
    scrubbed = 0
    for number in sorted(forgotten):
        member = session.get(Member, number)
        if member is not None and not has_access(member) and member.first_name != FORMER_FIRST:
            _scrub_texts(session, _traces(member))
            _scrub_mirror(session, member)
            scrubbed += 1
    session.flush()
    return scrubbed


def _traces(member: Member) -> list[str]:
    """The strings that identify the member in others' texts, longest first."""
    found = [member.full_name, member.email, member.mobile, member.address]
    # Rendered mentions carry the name in links too (URL-encoded, HTML-escaped).
    found += [quote(member.full_name), quote_plus(member.full_name), escape(member.full_name)]
    return sorted({t for t in found if t and t != FORMER_NAME and len(t) > 3}, key=len)[::-1]


def _scrub_mirror(session: Session, member: Member) -> None:
    member.first_name, member.last_name = FORMER_FIRST, FORMER_LAST
    member.email = member.mobile = member.address = None
    member.postal_code = member.postal_place = member.municipality = None
    member.joined_on = member.paid_until = member.register_changed_at = None
    member.lokallag_id = None
    session.execute(delete(Position).where(Position.member_number == member.number))
    session.expire(member, ["positions"])


def _delete(model: Any, column: str = "member_number") -> Callable[[Session, int, list[str]], int]:
    def step(session: Session, number: int, _traces: list[str]) -> int:
        return session.execute(delete(model).where(getattr(model, column) == number)).rowcount

    return step


def _picture(session: Session, number: int, _traces: list[str]) -> int:
    picture = session.get(ProfilePicture, number)
    if picture is None:
        return 0
    for key in (picture.storage_key, picture.thumb_key):
        storage.get_storage().delete(key)
    session.delete(picture)
    return 1


def _exports(session: Session, number: int, _traces: list[str]) -> int:
    rows = session.scalars(select(DataExport).where(DataExport.member_number == number)).all()
    for row in rows:
        if row.storage_key:
            storage.get_storage().delete(row.storage_key)
        session.delete(row)
    return len(rows)


def _answers(session: Session, number: int, _traces: list[str]) -> int:
    return session.execute(
        update(GatheringReply).where(GatheringReply.member_number == number).values(answers={})
    ).rowcount


def _suspension_reasons(session: Session, number: int, _traces: list[str]) -> int:
    return session.execute(
        update(Suspension).where(Suspension.member_number == number).values(reason="")
    ).rowcount


def _audit(session: Session, number: int, traces: list[str]) -> int:
    """Entries by or about the member keep the number only (no detail, no address)."""
    about = session.execute(
        update(AuditEntry)
        .where(or_(AuditEntry.actor_number == number, AuditEntry.target == f"member:{number}"))
        .values(detail={}, client_address=None)
    ).rowcount
    lists = session.scalars(select(AuditEntry).where(AuditEntry.action.in_(LIST_ACTIONS)))
    for entry in lists:
        query = str((entry.detail or {}).get("query") or "")
        if query and any(query.lower() in t.lower() or t.lower() in query.lower() for t in traces):
            entry.detail = {**entry.detail, "query": ""}
            about += 1
    return about


_STEPS: list[tuple[str, Callable[[Session, int, list[str]], int]]] = [
    ("picture", _picture),
    ("interests", _delete(ProfileInterest)),
    ("profile", _delete(MemberProfile)),
    ("change_requests", _delete(ChangeRequest)),
    ("exports", _exports),
    ("signup_answers", _answers),
    ("reminder_preferences", _delete(ReminderPreference)),
    ("calendar_feeds", _delete(CalendarFeedToken)),
    ("notifications", _delete(Notification, "recipient_number")),
    ("notification_settings", _delete(NotificationSettings)),
    ("group_subscriptions", _delete(GroupSubscription)),
    ("interest_groups", _delete(GroupMembership)),
    ("appointments", _delete(GroupAppointment)),
    ("join_requests", _delete(JoinRequest)),
    ("invitations", _delete(Invitation)),
    ("read_marks", _delete(ReadMark)),
    ("login_codes", _delete(LoginCodeMember)),
    ("suspensions", _suspension_reasons),
    ("audit", _audit),
]

# Other members' texts that may carry the member's name or contact details: mentions in
# posts and their earlier versions, notifications naming them as the actor.
_TEXTS: list[tuple[Any, tuple[str, ...]]] = [
    (Post, ("body_source", "body_html")),
    (PostRevision, ("body_source", "body_html")),
    (Notification, ("title", "excerpt")),
]


def _scrub_texts(session: Session, traces: list[str]) -> int:
    changed = 0
    for model, columns in _TEXTS:
        matches = [getattr(model, c).contains(t, autoescape=True) for c in columns for t in traces]
        if not matches:
            continue
        for row in session.scalars(select(model).where(or_(*matches))):
            for column in columns:
                text = getattr(row, column)
                for trace in traces:
                    text = text.replace(trace, FORMER_NAME)
                setattr(row, column, text)
            changed += 1
    session.flush()
    return changed
