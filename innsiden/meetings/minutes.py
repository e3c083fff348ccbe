"""The minutes (protokoll), drafted from the record: the constitution (chair, minute-takers,
minute-signers), the notice's proof, attendance, every vote with its counts and the result
in words, lots with their seeds. The minute-taker edits it in versions; the minute-signers
sign one version each with a one-time code (the login codes of `innsiden.auth.service`, bound
to that version and signer, so a changed text needs new signatures) before the statutes'
deadline; when all have signed, the minutes are published: stored as a self-contained HTML
document in the group's file area, and the group's members are notified. Never commits.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access, audit, events
from innsiden.auth import service as auth
from innsiden.auth.identifiers import Identifier
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.files import service as files
from innsiden.gatherings.timefmt import when
from innsiden.groups.models import Group
from innsiden.mail import Mail, Sms, send_mail, send_sms
from innsiden.meetings import elections, notice, papers, roll, service, voting
from innsiden.meetings.models import Attendance, Meeting, RollEntry
from innsiden.meetings.record_models import (
    OFFICER_ROLES,
    MeetingMinutes,
    MeetingOfficer,
    MinutesSignature,
    MinutesVersion,
)
from membersync.db import utcnow
from membersync.models import Member

log = logging.getLogger(__name__)
BODY_LENGTH = 100_000


# --- The constitution ---------------------------------------------------------------------


def officers(session: Session, meeting: Meeting) -> dict[str, list[Member]]:
    """{role: members} as recorded, each list by name."""
    query = (
        select(MeetingOfficer.role, Member)
        .join(Member, Member.number == MeetingOfficer.member_number)
        .where(MeetingOfficer.meeting_id == meeting.id)
        .order_by(Member.first_name, Member.last_name, Member.number)
    )
    found: dict[str, list[Member]] = {role: [] for role in OFFICER_ROLES}
    for role, member in session.execute(query):
        found[role].append(member)
    return found


def candidates(session: Session, meeting: Meeting) -> list[Member]:
    """Who may be recorded as an officer: those on the roll and those who checked in."""
    numbers = select(RollEntry.member_number).where(RollEntry.meeting_id == meeting.id).union(
        select(Attendance.member_number).where(Attendance.meeting_id == meeting.id)
    )  # fmt: skip
    query = select(Member).where(Member.number.in_(numbers))
    return list(session.scalars(query.order_by(Member.first_name, Member.last_name)))


def record_officers(session: Session, actor: Member, meeting: Meeting, chair: Iterable[int],
                    takers: Iterable[int], signers: Iterable[int]) -> None:  # fmt: skip
    """Record who the meeting elected (replacing what was recorded before); logged."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    if (minutes := minutes_of(session, meeting)) is not None and minutes.state == "published":
        raise Conflict(_("Protokollen er publisert."))
    profile = service.profile_of(session, meeting)
    chosen = {"chair": set(chair), "minute_taker": set(takers), "signer": set(signers)}
    allowed = {m.number for m in candidates(session, meeting)}
    errors: dict[str, str] = {}
    if any(not numbers <= allowed for numbers in chosen.values()):
        errors["signer"] = _("Velg blant dem som står i manntallet eller sjekket inn.")
    if len(chosen["signer"]) != profile.minute_signers:
        errors["signer"] = _("Vedtektene krever %(n)s til å underskrive protokollen.",
                             n=profile.minute_signers)  # fmt: skip
    if not chosen["chair"] or not chosen["minute_taker"]:
        errors["chair"] = _("Velg møteleder og referent.")
    if errors:
        raise ValidationFailed(fields=errors)
    for row in session.scalars(
        select(MeetingOfficer).where(MeetingOfficer.meeting_id == meeting.id)
    ):
        session.delete(row)
    session.flush()
    for role, numbers in chosen.items():
        session.add_all(
            MeetingOfficer(
                meeting_id=meeting.id, role=role, member_number=n, recorded_by=actor.number
            )
            for n in sorted(numbers)
        )
    session.flush()
    audit.record(session, "meeting.officers_recorded", actor_number=actor.number,
                 target=f"meeting:{meeting.id}",
                 **{role: sorted(n) for role, n in chosen.items()})  # fmt: skip


def page_extras(session: Session, member: Member, meeting: Meeting) -> dict[str, Any]:
    """What the meeting page shows of the record: papers, the notice's summary, the minutes."""
    profile = service.profile_of(session, meeting)
    items = {i.id: service.item_title(i, profile) for i in service.agenda(session, meeting)}
    record = minutes_of(session, meeting)
    return {
        "papers": [(p, f, items.get(p.agenda_item_id or 0))
                   for p, f in papers.papers_of(session, meeting)],
        "notice_summary": notice.summary_words(notice.summary(session, meeting)),
        "minutes_state": record.state if record else None,
        "may_read_minutes": access.can(session, member, "meeting.minutes_read", meeting),
    }  # fmt: skip


# --- Drafting and editing -----------------------------------------------------------------


def minutes_of(session: Session, meeting: Meeting) -> MeetingMinutes | None:
    return session.scalar(select(MeetingMinutes).where(MeetingMinutes.meeting_id == meeting.id))


def current_version(session: Session, minutes: MeetingMinutes) -> MinutesVersion:
    version = session.scalar(
        select(MinutesVersion).where(
            MinutesVersion.minutes_id == minutes.id, MinutesVersion.number == minutes.version
        )
    )
    assert version is not None  # written with the minutes
    return version


def _names(members: list[Member]) -> str:
    return ", ".join(m.full_name for m in members) or "–"


def drafted_text(session: Session, meeting: Meeting) -> str:
    """The minutes as the record tells them, in the reader's language."""
    profile = service.profile_of(session, meeting)
    group = session.get(Group, meeting.group_id)
    chosen = officers(session, meeting)
    checked_in = select(Attendance.member_number).where(Attendance.meeting_id == meeting.id)
    came = session.scalar(select(func.count()).select_from(checked_in.subquery())) or 0
    came_voters = session.scalar(
        select(func.count()).select_from(RollEntry).where(
            RollEntry.meeting_id == meeting.id, RollEntry.eligible.is_(True),
            RollEntry.member_number.in_(checked_in))
    ) or 0  # fmt: skip
    on_roll = len(roll.eligible_numbers(session, meeting))
    where = ", ".join(p for p in (meeting.place, meeting.online_url) if p)
    proof = notice.summary_words(notice.summary(session, meeting))
    lines = [
        _("# Protokoll fra %(title)s", title=meeting.title),
        f"{group.name if group else ''}, {when(meeting.starts_at)}, {where}",
        "",
        _("## Konstituering"),
        _("Møteleder: %(names)s", names=_names(chosen["chair"])),
        _("Referent: %(names)s", names=_names(chosen["minute_taker"])),
        _("Til å underskrive protokollen: %(names)s", names=_names(chosen["signer"])),
        _("Innkallingen: %(summary)s", summary=proof),
        _("Sjekket inn under møtet: %(came)s, av dem %(voters)s med stemmerett. "
          "%(roll)s med stemmerett i manntallet.", came=came, voters=came_voters, roll=on_roll),
        "",
        _("## Saksliste"),
    ]  # fmt: skip
    for item in service.agenda(session, meeting):
        lines.append(f"{item.position}. {service.item_title(item, profile)}")
    votes = [v for v in voting.votes_of(session, meeting) if v.state == "closed" and v.result]
    if votes:
        lines += ["", _("## Avstemninger")]
    for vote in votes:
        result = vote.result or {}
        lines += [
            "",
            f"### {vote.question}",
            voting.result_words(result),
            _("Ja %(yes)s, nei %(no)s, blankt %(blank)s. %(present)s til stede med stemmerett "
              "da avstemningen ble lukket.", yes=result["yes"], no=result["no"],
              blank=result["blank"], present=result["present"]),
        ]  # fmt: skip
        if result.get("quorum_needed"):
            lines.append(_("Vedtaksført med %(needed)s til stede: %(state)s.",
                           needed=result["quorum_needed"],
                           state=_("ja") if result["quorate"] else _("nei")))  # fmt: skip
        tie = result.get("tie")
        if tie and tie.get("seed"):
            lines.append(_(
                "Stemmelikhet avgjort ved loddtrekning: «%(chosen)s». Frø %(seed)s, forpliktelse "
                "%(commitment)s (offentliggjort da avstemningen åpnet).",
                chosen=tie.get("chosen"), seed=tie["seed"], commitment=tie.get("commitment"),
            ))  # fmt: skip
        elif tie and tie.get("by") == "chair":
            lines.append(_("Stemmelikhet avgjort av møteleder: «%(chosen)s».",
                           chosen=tie.get("chosen")))  # fmt: skip
    lines += _election_lines(session, meeting)
    return "\n".join(lines) + "\n"


def _election_lines(session: Session, meeting: Meeting) -> list[str]:
    """Each election counted so far, round by round as the counting engine reports it (the
    report ends with who was elected)."""
    held = [e for e in elections.elections_of(session, meeting) if e.state in ("counted", "closed")]
    if not held:
        return []
    lines = ["", _("## Valg")]
    for election in held:
        lines += ["", f"### {election.title}", elections.report_text(session, election).strip()]
    return lines


def _ensure_minutes(session: Session, meeting: Meeting) -> MeetingMinutes:
    minutes = minutes_of(session, meeting)
    if minutes is None:
        days = service.profile_of(session, meeting).minutes_sign_days
        minutes = MeetingMinutes(meeting_id=meeting.id, version=0,
                                 sign_by=meeting.starts_at + timedelta(days=days))  # fmt: skip
        session.add(minutes)
        session.flush()
    if minutes.state == "published":
        raise Conflict(_("Protokollen er publisert og kan ikke endres."))
    return minutes


def _new_version(session: Session, actor: Member, minutes: MeetingMinutes, body: str
                 ) -> MinutesVersion:  # fmt: skip
    # Two editors at once: the unique (minutes, number) refuses the second one's version.
    minutes.version += 1
    version = MinutesVersion(minutes_id=minutes.id, number=minutes.version, body=body,
                             written_by=actor.number)  # fmt: skip
    session.add(version)
    session.flush()
    audit.record(session, "meeting.minutes_version", actor_number=actor.number,
                 target=f"meeting:{minutes.meeting_id}", version=version.number,
                 sha256=hashlib.sha256(body.encode()).hexdigest())  # fmt: skip
    return version


def draft(session: Session, actor: Member, meeting: Meeting) -> MinutesVersion:
    """A new version drafted from the record as it stands now."""
    access.require(session, actor, "meeting.minutes_edit", meeting, visible=True)
    minutes = _ensure_minutes(session, meeting)
    return _new_version(session, actor, minutes, drafted_text(session, meeting))


def save(session: Session, actor: Member, meeting: Meeting, body: str, based_on: int | None
         ) -> MinutesVersion | None:  # fmt: skip
    """The minute-taker's edit as a new version (None if the text did not change). Every
    signature on the earlier version stops counting: the signers must sign the new text."""
    access.require(session, actor, "meeting.minutes_edit", meeting, visible=True)
    minutes = minutes_of(session, meeting)
    if minutes is None:
        raise Conflict(_("Lag et utkast fra møtet først."))
    minutes = _ensure_minutes(session, meeting)
    body = body.replace("\r\n", "\n").strip() + "\n"
    if not body.strip() or len(body) > BODY_LENGTH:
        raise ValidationFailed(fields={"body": _("Protokollen kan ikke være tom.")})
    if based_on != minutes.version:
        raise Conflict(_("Protokollen er endret av en annen i mellomtiden. Last siden på nytt."))
    if current_version(session, minutes).body == body:
        return None
    return _new_version(session, actor, minutes, body)


# --- Signing ------------------------------------------------------------------------------


class Signed(Enum):
    WRONG_CODE = "wrong_code"
    SIGNED = "signed"
    PUBLISHED = "published"


def _device(version: MinutesVersion, member: Member) -> str:
    """What the one-time code is bound to: this text, this signer."""
    return f"meeting-minutes:{version.id}:{version.number}:{member.number}"


def _signable(
    session: Session, actor: Member, meeting: Meeting
) -> tuple[MeetingMinutes, MinutesVersion]:
    access.require(session, actor, "meeting.minutes_sign", meeting, visible=True)
    minutes = minutes_of(session, meeting)
    if minutes is None or minutes.version == 0:
        raise Conflict(_("Det finnes ingen protokoll å underskrive ennå."))
    if minutes.state == "published":
        raise Conflict(_("Protokollen er allerede underskrevet og publisert."))
    if utcnow() > minutes.sign_by:
        raise Conflict(_("Fristen for å underskrive protokollen gikk ut %(when)s.",
                         when=when(minutes.sign_by)))  # fmt: skip
    return minutes, current_version(session, minutes)


def request_signing_code(session: Session, actor: Member, meeting: Meeting
                         ) -> auth.CodeToSend | None:  # fmt: skip
    """A one-time code for signing the current version, sent to the signer's own address
    in the register (the caller sends it after the commit)."""
    _minutes, version = _signable(session, actor, meeting)
    return auth.request_code(
        session, Identifier("number", str(actor.number)), device=_device(version, actor),
        secret=current_app.config["SECRET_KEY"],
    )  # fmt: skip


def deliver_code(meeting: Meeting, message: auth.CodeToSend) -> None:
    minutes_left = int(auth.CODE_LIFETIME.total_seconds() // 60)
    text = _("%(code)s er koden din for å underskrive protokollen fra %(title)s. "
             "Den gjelder i %(minutes)s minutter.", code=message.code, title=meeting.title,
             minutes=minutes_left)  # fmt: skip
    if message.channel == "sms":
        send_sms(Sms(to=message.to, text=text))
    else:
        subject = _("Kode for å underskrive protokollen")
        send_mail(Mail(to=message.to, subject=subject, text=text))


def sign(session: Session, actor: Member, meeting: Meeting, code: str, version_number: int | None
         ) -> Signed:  # fmt: skip
    """Sign the version the signer read with their one-time code. A wrong code is counted
    (the caller commits either way); when every signer has signed, the minutes are published."""
    minutes, version = _signable(session, actor, meeting)
    if version_number != version.number:
        raise Conflict(_("Protokollen er endret siden du leste den. Les den nye teksten og be "
                         "om en ny kode."))  # fmt: skip
    verified = auth.verify_code(session, device=_device(version, actor), code=code,
                                secret=current_app.config["SECRET_KEY"])  # fmt: skip
    if verified is None or actor.number not in {m.number for m in verified.members}:
        return Signed.WRONG_CODE
    if session.get(MinutesSignature, (version.id, actor.number)) is None:
        session.add(MinutesSignature(version_id=version.id, member_number=actor.number,
                                     channel=verified.channel))  # fmt: skip
        session.flush()
    audit.record(session, "meeting.minutes_signed", actor_number=actor.number,
                 target=f"meeting:{meeting.id}", version=version.number)  # fmt: skip
    if set(signers(session, meeting)) <= signed_by(session, version) and signers(session, meeting):
        publish(session, meeting, minutes, version)
        return Signed.PUBLISHED
    return Signed.SIGNED


def signers(session: Session, meeting: Meeting) -> list[int]:
    return list(session.scalars(select(MeetingOfficer.member_number).where(
        MeetingOfficer.meeting_id == meeting.id, MeetingOfficer.role == "signer")))  # fmt: skip


def signed_by(session: Session, version: MinutesVersion) -> set[int]:
    query = select(MinutesSignature.member_number).where(MinutesSignature.version_id == version.id)
    return set(session.scalars(query))


def signatures(
    session: Session, version: MinutesVersion
) -> list[tuple[Member | None, MinutesSignature]]:
    query = (
        select(MinutesSignature, Member)
        .outerjoin(Member, Member.number == MinutesSignature.member_number)
        .where(MinutesSignature.version_id == version.id)
        .order_by(MinutesSignature.signed_at)
    )
    return [(m, s) for s, m in session.execute(query)]


# --- Publishing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    kind: str  # h1, h2, h3, p
    text: str


def blocks(body: str) -> list[Block]:
    """The text as headings ("# ", "## ", "### ") and lines; nothing else is interpreted."""
    found: list[Block] = []
    for line in body.splitlines():
        for mark, kind in (("### ", "h3"), ("## ", "h2"), ("# ", "h1")):
            if line.startswith(mark):
                found.append(Block(kind, line[len(mark) :]))
                break
        else:
            if line.strip():
                found.append(Block("p", line))
    return found


def document_html(session: Session, meeting: Meeting, version: MinutesVersion) -> str:
    """The signed minutes as one self-contained HTML document (PDF/A-friendly: print CSS,
    embedded style, no script, no external assets)."""
    group = session.get(Group, meeting.group_id)
    return render_template(
        "meetings/minutes_document.html", meeting=meeting, group=group, version=version,
        blocks=blocks(version.body), signatures=signatures(session, version), when=when,
        sha256=hashlib.sha256(version.body.encode()).hexdigest(),
        organisation=current_app.config["ORGANISATION_NAME"],
    )  # fmt: skip


def publish(session: Session, meeting: Meeting, minutes: MeetingMinutes, version: MinutesVersion
            ) -> None:  # fmt: skip
    group = session.get(Group, meeting.group_id)
    assert group is not None  # a foreign key
    html = document_html(session, meeting, version)
    name = _("Protokoll %(title)s", title=meeting.title)
    file = files.store_generated(session, group, name, html.encode(), "text/html",
                                 source=f"meeting:{meeting.id}")  # fmt: skip
    minutes.state, minutes.published_at, minutes.file_id = "published", utcnow(), file.id
    session.flush()
    events.record(session, "meeting.minutes_published", meeting_id=meeting.id,
                  group_id=meeting.group_id)  # fmt: skip
    audit.record(session, "meeting.minutes_published", target=f"meeting:{meeting.id}",
                 version=version.number, file_id=file.id)  # fmt: skip


def published(session: Session, actor: Member, meeting: Meeting
              ) -> tuple[MeetingMinutes, MinutesVersion]:  # fmt: skip
    """The published minutes, for whoever may read the meeting; else NotFound."""
    minutes = minutes_of(session, meeting)
    if minutes is None or minutes.state != "published":
        raise NotFound()
    access.require(session, actor, "meeting.minutes_read", meeting)
    return minutes, current_version(session, minutes)


def rendered(body: str) -> Markup:
    """The text for a page (escaped, headings kept)."""
    parts = [f"<{b.kind}>{escape(b.text)}</{b.kind}>" for b in blocks(body)]
    return Markup("\n".join(parts))  # noqa: S704 - every text part is escaped above
