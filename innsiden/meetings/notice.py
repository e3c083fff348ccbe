"""The notice (innkalling) with proof: the leader sends it, the job `meetings.send_notices`
sends it by e-mail and SMS to everyone with the right to vote on the roll (or, before the
roll is computed, to the unit's members), and each recipient's row records when it was
handed to the provider — the evidence the meeting approves the notice on.

Sending follows the leader's desk (`innsiden.desk.sending`): recipients are resolved from
the roll in one INSERT … SELECT, claimed in batches (pending → sending with a claim token,
committed before anything is sent), so no two runners and no restarted runner send to a
member twice; a claim left by a runner that died is marked failed, never sent again. Members'
desk opt-outs are respected per channel, as the desk does. Sending the notice again reaches
only those not reached yet: new lines on the roll, and failed sends. Never commits, except
in the job.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.desk import optout, segments
from innsiden.errors import ValidationFailed
from innsiden.groups.models import Group
from innsiden.i18n import language
from innsiden.jobs import job
from innsiden.language.service import saved_languages
from innsiden.mail import Mail, Sms, send_mail, send_sms
from innsiden.meetings import papers, service
from innsiden.meetings.models import Meeting, RollEntry
from innsiden.meetings.record_models import MeetingNotice, NoticeRecipient
from innsiden.meetings.roll import day_text
from membersync.db import utcnow
from membersync.models import Member, OrgUnit

log = logging.getLogger(__name__)
OSLO = ZoneInfo("Europe/Oslo")

BATCH = 200
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=2)
STALE_CLAIM = timedelta(minutes=30)
TEXT_LENGTH = 2000
REACHED = ("sent",)
NO_ADDRESS = ("no_address", "unsubscribed")


# --- The leader sends --------------------------------------------------------------------


def notice_of(session: Session, meeting: Meeting) -> MeetingNotice | None:
    return session.scalar(select(MeetingNotice).where(MeetingNotice.meeting_id == meeting.id))


def send_notice(session: Session, actor: Member, meeting: Meeting, text: str = "") -> MeetingNotice:
    """Queue the notice for the job. Again: those not reached yet get it, nobody twice."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    text = text.strip()
    if len(text) > TEXT_LENGTH:
        raise ValidationFailed(fields={"text": _("Teksten kan være høyst 2000 tegn.")})
    notice = notice_of(session, meeting)
    if notice is None:
        notice = MeetingNotice(meeting_id=meeting.id, text=text, sent_by=actor.number)
        session.add(notice)
    else:
        notice.text, notice.sent_by = text or notice.text, actor.number
        notice.state, notice.queued_at, notice.finished_at = "queued", utcnow(), None
        # A failed send is tried again; one handed to the provider never is.
        session.execute(
            update(NoticeRecipient)
            .where(NoticeRecipient.notice_id == notice.id, NoticeRecipient.state == "failed")
            .values(state="pending", attempts=0, next_attempt_at=None, error=None)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    audit.record(session, "meeting.notice_queued", actor_number=actor.number,
                 target=f"meeting:{meeting.id}", notice_id=notice.id)  # fmt: skip
    return notice


# --- The job -----------------------------------------------------------------------------


@job("meetings.send_notices")
def send_notices(session: Session) -> int:
    """Resolve queued notices and send what is due; returns how many members were reached."""
    while _resolve_next(session):
        pass
    _fail_stale_claims(session)
    sent = 0
    ids = list(session.scalars(select(MeetingNotice.id).where(MeetingNotice.state == "sending")))
    session.commit()
    for notice_id in ids:
        while True:
            _claim_token, rows = _claim(session, notice_id)
            if not rows:
                break
            sent += _deliver(session, notice_id, rows)
        _finish_if_done(session, notice_id)
    return sent


def _resolve_next(session: Session) -> bool:
    notice_id = session.scalar(
        select(MeetingNotice.id).where(MeetingNotice.state == "queued").order_by(MeetingNotice.id)
    )
    session.commit()
    if notice_id is None:
        return False
    claimed = session.execute(
        update(MeetingNotice)
        .where(MeetingNotice.id == notice_id, MeetingNotice.state == "queued")
        .values(state="sending")
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()  # another runner resolved it
        return True
    notice = session.get(MeetingNotice, notice_id)
    meeting = session.get(Meeting, notice.meeting_id) if notice else None
    if notice is None or meeting is None:
        session.rollback()
        return True
    audience, chosen = _audience(session, meeting)
    known = select(NoticeRecipient.member_number).where(NoticeRecipient.notice_id == notice_id)
    new = (
        chosen.where(chosen.selected_columns[0].not_in(known))
        .add_columns(literal(notice_id), literal("pending"))
        .order_by(None)
    )
    session.execute(
        insert(NoticeRecipient).from_select(["member_number", "notice_id", "state"], new)
    )
    notice.audience = audience
    count = session.scalar(
        select(func.count(NoticeRecipient.id)).where(NoticeRecipient.notice_id == notice_id)
    )
    audit.record(session, "meeting.notice_resolved", actor_number=notice.sent_by,
                 target=f"meeting:{meeting.id}", audience=audience, count=count)  # fmt: skip
    session.commit()
    return True


def _audience(session: Session, meeting: Meeting) -> tuple[str, Any]:
    """Who the notice goes to: the roll's voters once computed, else the unit's members."""
    if meeting.roll_state != "none":
        return "roll", select(RollEntry.member_number).where(
            RollEntry.meeting_id == meeting.id, RollEntry.eligible.is_(True)
        )
    group = session.get(Group, meeting.group_id)
    unit = session.get(OrgUnit, group.unit_id) if group and group.unit_id else None
    ids = segments.unit_ids(session, unit) if unit is not None else []
    return "members", segments.numbers(segments.Segment("all"), ids)


def _claim(session: Session, notice_id: int) -> tuple[str, list[tuple[int, int]]]:
    """Claim a batch of due recipients for this runner; committed before sending."""
    token, now = uuid.uuid4().hex, utcnow()
    due = (
        select(NoticeRecipient.id)
        .where(
            NoticeRecipient.notice_id == notice_id,
            NoticeRecipient.state == "pending",
            NoticeRecipient.next_attempt_at.is_(None) | (NoticeRecipient.next_attempt_at <= now),
        )
        .order_by(NoticeRecipient.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(due))
    if ids:
        session.execute(
            update(NoticeRecipient)
            .where(NoticeRecipient.id.in_(ids), NoticeRecipient.state == "pending")
            .values(state="sending", claim=token, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    rows = session.execute(
        select(NoticeRecipient.id, NoticeRecipient.member_number)
        .where(NoticeRecipient.claim == token, NoticeRecipient.state == "sending")
        .order_by(NoticeRecipient.id)
    ).all()
    session.commit()
    return token, [(r[0], r[1]) for r in rows]


def _deliver(session: Session, notice_id: int, rows: list[tuple[int, int]]) -> int:
    notice = session.get(MeetingNotice, notice_id)
    meeting = session.get(Meeting, notice.meeting_id) if notice else None
    if notice is None or meeting is None:
        return 0
    numbers = [n for _id, n in rows]
    members = {
        m.number: m for m in session.scalars(select(Member).where(Member.number.in_(numbers)))
    }
    off = optout.opted_out_of(session, numbers)
    languages = saved_languages(session, numbers)
    sent = 0
    for recipient_id, number in rows:
        member = members.get(number)
        with language(languages.get(number, "")):
            result = _send_one(session, notice, meeting, member, off.get(number, set()))
        sent += result["state"] == "sent"
        _write(session, recipient_id, result)
    return sent


def _send_one(session: Session, notice: MeetingNotice, meeting: Meeting, member: Member | None,
              off: set[str]) -> dict[str, Any]:  # fmt: skip
    if member is None:
        return {"state": "skipped", "error": "ikke i registeret"}
    wanted = [c for c in ("email", "sms") if (member.email if c == "email" else member.mobile)]
    channels = [c for c in wanted if c not in off]
    if not channels:
        return {"state": "unsubscribed" if wanted else "no_address"}
    done: list[str] = []
    errors: list[str] = []
    for channel in channels:
        try:
            if channel == "email":
                send_mail(notice_mail(session, notice, meeting, member))
            else:
                send_sms(Sms(to=str(member.mobile), text=notice_sms(session, meeting)))
            done.append(channel)
        except Exception as error:  # a provider's failure: retried a few times
            log.warning("notice %s to %s by %s failed: %s", notice.id, member.number, channel,
                        error)  # fmt: skip
            errors.append(f"{channel}: {error}"[:140])
    if not done:
        return {"state": "failed", "error": "; ".join(errors)[:300]}
    return {"state": "sent", "channels": " ".join(done), "sent_at": utcnow(),
            "error": "; ".join(errors)[:300] or None}  # fmt: skip


def meeting_url(meeting: Meeting) -> str:
    base = current_app.config["BASE_URL"]
    return f"{base}/grupper/{meeting.group_id}/arsmote/{meeting.id}"


def notice_mail(session: Session, notice: MeetingNotice, meeting: Meeting, member: Member) -> Mail:
    group = session.get(Group, meeting.group_id)
    profile = service.profile_of(session, meeting)
    stop_url = optout.unsubscribe_url(member.number, "email")
    text = render_template(
        "meetings/mail/notice.txt", meeting=meeting, group=group, member=member,
        text=notice.text, url=meeting_url(meeting), stop_url=stop_url,
        agenda=[service.item_title(i, profile) for i in service.agenda(session, meeting)],
        papers=[f.name for _p, f in papers.papers_of(session, meeting)],
        when=_when(meeting.starts_at), organisation=current_app.config["ORGANISATION_NAME"],
    )  # fmt: skip
    headers = {"List-Unsubscribe": f"<{stop_url}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}  # fmt: skip
    subject = _("Innkalling til %(title)s", title=meeting.title)
    return Mail(to=str(member.email), subject=subject, text=text, headers=headers)


def notice_sms(session: Session, meeting: Meeting) -> str:
    group = session.get(Group, meeting.group_id)
    where = meeting.place or _("på nett")
    return _(
        "Innkalling til %(title)s i %(group)s %(when)s, %(where)s. Saksliste og saksdokumenter: "
        "%(url)s",
        title=meeting.title, group=group.name if group else "", when=_when(meeting.starts_at),
        where=where, url=meeting_url(meeting),
    ) + "\n" + _("Svar STOPP for å slutte å få SMS fra laget.")  # fmt: skip


def _when(moment: datetime) -> str:
    local = moment.astimezone(OSLO)
    return f"{day_text(local.date())} {local:%H:%M}"


def _write(session: Session, recipient_id: int, result: dict[str, Any]) -> None:
    """Record one recipient's outcome at once: a crash after this never sends it again."""
    values = {**result, "claim": None}
    if result["state"] == "failed":
        tries = (session.scalar(select(NoticeRecipient.attempts)
                                .where(NoticeRecipient.id == recipient_id)) or 0) + 1  # fmt: skip
        values["attempts"] = tries
        if tries < MAX_ATTEMPTS:
            values |= {"state": "pending", "next_attempt_at": utcnow() + RETRY_AFTER * tries}
    session.execute(
        update(NoticeRecipient).where(NoticeRecipient.id == recipient_id).values(**values)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    session.commit()


def _fail_stale_claims(session: Session) -> None:
    """Claimed by a runner that never finished: unknown whether sent, so never re-sent."""
    session.execute(
        update(NoticeRecipient)
        .where(NoticeRecipient.state == "sending",
               NoticeRecipient.claimed_at < utcnow() - STALE_CLAIM)
        .values(state="failed", error="avbrutt under sending")
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    session.commit()


def _finish_if_done(session: Session, notice_id: int) -> None:
    open_rows = session.scalar(
        select(func.count(NoticeRecipient.id)).where(
            NoticeRecipient.notice_id == notice_id,
            NoticeRecipient.state.in_(("pending", "sending")),
        )
    )
    if not open_rows:
        session.execute(
            update(MeetingNotice)
            .where(MeetingNotice.id == notice_id, MeetingNotice.state == "sending")
            .values(state="done", finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    session.commit()


def mark_delivered(session: Session, notice_id: int, member_number: int, at: datetime) -> bool:
    """A provider's delivery report: record when the notice reached the member."""
    done = session.execute(
        update(NoticeRecipient)
        .where(NoticeRecipient.notice_id == notice_id,
               NoticeRecipient.member_number == member_number,
               NoticeRecipient.state == "sent", NoticeRecipient.delivered_at.is_(None))
        .values(delivered_at=at)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return bool(done.rowcount)  # type: ignore[attr-defined]


# --- Evidence ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceLine:
    member: Member | None
    member_number: int
    recipient: NoticeRecipient


@dataclass(frozen=True)
class Summary:
    audience: str | None
    total: int
    reached: int
    no_address: int
    failed: int
    waiting: int
    first_day: date | None


def evidence(session: Session, actor: Member, meeting: Meeting) -> list[EvidenceLine]:
    """Every recipient with channel, time sent and failure, for the board; audited."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    notice = notice_of(session, meeting)
    if notice is None:
        return []
    query = (
        select(NoticeRecipient, Member)
        .outerjoin(Member, Member.number == NoticeRecipient.member_number)
        .where(NoticeRecipient.notice_id == notice.id)
        .order_by(Member.last_name, Member.first_name, NoticeRecipient.member_number)
    )
    found = [EvidenceLine(m, r.member_number, r) for r, m in session.execute(query)]
    audit.record(session, "meeting.notice_evidence_viewed", actor_number=actor.number,
                 target=f"meeting:{meeting.id}", lines=len(found))  # fmt: skip
    return found


def summary(session: Session, meeting: Meeting) -> Summary | None:
    """Counts only (no names): what the "approve the notice" item shows to the meeting."""
    notice = notice_of(session, meeting)
    if notice is None:
        return None
    counts = dict(
        session.execute(
            select(NoticeRecipient.state, func.count())
            .where(NoticeRecipient.notice_id == notice.id)
            .group_by(NoticeRecipient.state)
        ).all()
    )
    first = session.scalar(
        select(func.min(NoticeRecipient.sent_at)).where(NoticeRecipient.notice_id == notice.id)
    )
    return Summary(
        audience=notice.audience,
        total=sum(counts.values()),
        reached=sum(counts.get(s, 0) for s in REACHED),
        no_address=sum(counts.get(s, 0) for s in NO_ADDRESS),
        failed=counts.get("failed", 0) + counts.get("skipped", 0),
        waiting=counts.get("pending", 0) + counts.get("sending", 0),
        first_day=first.astimezone(OSLO).date() if first else None,
    )


def summary_words(shown: Summary | None) -> str:
    """ "Sendt til 58 av 60 med stemmerett 12.03.2027, 2 uten e-post/telefon"."""
    if shown is None:
        return _("Innkallingen er ikke sendt.")
    if shown.first_day is None:
        return _("Innkallingen venter på å bli sendt.")
    figures = {"reached": shown.reached, "total": shown.total, "day": day_text(shown.first_day)}
    if shown.audience == "roll":
        words = _("Sendt til %(reached)s av %(total)s med stemmerett %(day)s", **figures)
    else:
        words = _("Sendt til %(reached)s av %(total)s medlemmer %(day)s", **figures)
    parts = [words]
    if shown.no_address:
        parts.append(_("%(n)s uten e-post/telefon", n=shown.no_address))
    if shown.failed:
        parts.append(_("%(n)s feilet", n=shown.failed))
    if shown.waiting:
        parts.append(_("%(n)s venter", n=shown.waiting))
    return ", ".join(parts)
