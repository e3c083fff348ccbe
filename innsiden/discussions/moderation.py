"""Moderation of discussions: pinning, locking, reports, hiding posts — each in the audit log.

Group moderators ("group.moderate": moderators, administrators, portal administrators)
pin and lock threads, see open reports for their group, and hide a post (with a reason
shown to moderators; members see nothing of it) or dismiss the report. Any member who can
read a post can report it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from innsiden import access, audit, events
from innsiden.discussions.models import Post, Report, Thread
from innsiden.errors import NotFound, ValidationFailed
from innsiden.groups.models import Group
from membersync.db import utcnow
from membersync.models import Member

MAX_REASON = 2000


@dataclass(frozen=True)
class OpenReport:
    report: Report
    post: Post
    thread: Thread
    reporter_name: str
    author_name: str


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(fields={"reason": _("Skriv en begrunnelse.")})
    if len(reason) > MAX_REASON:
        raise ValidationFailed(fields={"reason": _("Begrunnelsen er for lang.")})
    return reason


def set_pinned(session: Session, member: Member, thread: Thread, pinned: bool) -> None:
    access.require(session, member, "thread.read", thread)
    access.require(session, member, "thread.moderate", thread, visible=True)
    thread.pinned = pinned
    action = "discussions.thread_pinned" if pinned else "discussions.thread_unpinned"
    _audit(session, member, action, thread)
    session.flush()
    events.record(session, "thread.updated", thread_id=thread.id, group_id=thread.group_id)


def set_locked(session: Session, member: Member, thread: Thread, locked: bool) -> None:
    access.require(session, member, "thread.read", thread)
    access.require(session, member, "thread.moderate", thread, visible=True)
    thread.locked = locked
    action = "discussions.thread_locked" if locked else "discussions.thread_unlocked"
    _audit(session, member, action, thread)
    session.flush()
    events.record(session, "thread.updated", thread_id=thread.id, group_id=thread.group_id)


def _audit(session: Session, member: Member, action: str, thread: Thread) -> None:
    audit.record(
        session,
        action,
        actor_number=member.number,
        target=f"thread:{thread.id}",
        group_id=thread.group_id,
        title=thread.title,
    )


def report(session: Session, member: Member, post: Post, reason: str) -> Report:
    access.require(session, member, "post.read", post)
    access.require(session, member, "post.report", post, visible=True)
    row = Report(
        post_id=post.id,
        group_id=post.group_id,
        reporter_number=member.number,
        reason=_reason(reason),
    )
    session.add(row)
    session.flush()
    events.record(
        session,
        "post.reported",
        report_id=row.id,
        post_id=post.id,
        thread_id=post.thread_id,
        group_id=post.group_id,
    )
    return row


def hide_post(session: Session, member: Member, post: Post, reason: str) -> Post:
    """Hide a post from members (moderators still see it, with the reason); closes reports."""
    access.require(session, member, "post.read", post)
    access.require(session, member, "thread.moderate", post.thread, visible=True)
    if post.state != "visible":
        raise ValidationFailed(_("Innlegget er allerede skjult eller slettet."))
    post.state, post.hidden_reason = "hidden", _reason(reason)
    post.hidden_by, post.hidden_at = member.number, utcnow()
    closed = _close_reports(session, member, post, "hidden")
    audit.record(
        session,
        "discussions.post_hidden",
        actor_number=member.number,
        target=f"post:{post.id}",
        group_id=post.group_id,
        thread_id=post.thread_id,
        reason=post.hidden_reason,
        reports=closed,
    )
    session.flush()
    events.record(
        session, "post.hidden", post_id=post.id, thread_id=post.thread_id, group_id=post.group_id
    )
    return post


def dismiss_report(session: Session, member: Member, report_id: int) -> Report:
    row = _open_report(session, member, report_id)
    row.status, row.decided_by, row.decided_at = "dismissed", member.number, utcnow()
    audit.record(
        session,
        "discussions.report_dismissed",
        actor_number=member.number,
        target=f"post:{row.post_id}",
        group_id=row.group_id,
        report_id=row.id,
    )
    session.flush()
    return row


def decide_report(
    session: Session, member: Member, report_id: int, action: str, reason: str = ""
) -> Report:
    """A moderator's answer to a report: "hide" the post (with a reason) or "dismiss"."""
    if action == "dismiss":
        return dismiss_report(session, member, report_id)
    if action != "hide":
        raise ValidationFailed(_("Velg å skjule innlegget eller avvise rapporten."))
    row = _open_report(session, member, report_id)
    post = session.get(Post, row.post_id)
    assert post is not None
    hide_post(session, member, post, reason or row.reason)
    return row


def _open_report(session: Session, member: Member, report_id: int) -> Report:
    row = session.get(Report, report_id)
    if row is None:
        raise NotFound()
    group = session.get(Group, row.group_id)
    access.require(session, member, "group.moderate", group)
    if row.status != "open":
        raise ValidationFailed(_("Rapporten er allerede behandlet."))
    return row


def _close_reports(session: Session, member: Member, post: Post, status: str) -> list[int]:
    ids = list(
        session.scalars(select(Report.id).where(Report.post_id == post.id, Report.status == "open"))
    )
    if ids:
        session.execute(
            update(Report)
            .where(Report.id.in_(ids))
            .values(status=status, decided_by=member.number, decided_at=utcnow())
        )
    return ids


def open_reports(session: Session, member: Member, group: Group) -> list[OpenReport]:
    """Open reports of a group's posts, oldest first (moderators only)."""
    access.require(session, member, "group.moderate", group, visible=True)
    reporter, author = Member.__table__.alias("reporter"), Member.__table__.alias("author")
    rows = session.execute(
        select(
            Report,
            Post,
            Thread,
            reporter.c.first_name,
            reporter.c.last_name,
            author.c.first_name,
            author.c.last_name,
        )
        .join(Post, Post.id == Report.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .outerjoin(reporter, reporter.c.number == Report.reporter_number)
        .outerjoin(author, author.c.number == Post.author_number)
        .where(Report.group_id == group.id, Report.status == "open")
        .order_by(Report.id)
        .limit(200)
    ).unique()
    return [OpenReport(r, p, t, _name(rf, rl), _name(af, al)) for r, p, t, rf, rl, af, al in rows]


def open_report_count(session: Session, group_id: int) -> int:
    query = select(func.count()).where(Report.group_id == group_id, Report.status == "open")
    return session.scalar(query) or 0


def _name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or _("tidligere medlem")
