"""Download my data (GDPR art. 15 and 20): one zip with a JSON document and the member's files.

`request_export` records the wish; the job `profile.build_exports` builds the archive
outside any request, stores it, and tells the member; it is theirs alone for
`EXPORT_DAYS` (7) days, then deleted. The JSON holds what the portal and its mirror hold
about the member, and about others only the names the portal shows them. Secret ballots
are not in it: nothing links them to the member.
"""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from innsiden import storage
from innsiden.audit import AuditEntry
from innsiden.discussions.models import Attachment, Post, PostRevision, Reaction, Report, Thread
from innsiden.errors import NotFound
from innsiden.files.models import File, FileVersion
from innsiden.gatherings.models import Gathering, GatheringQuestion, GatheringReply
from innsiden.groups import service as groups
from innsiden.groups.models import Group, Invitation, JoinRequest
from innsiden.jobs import job
from innsiden.notifications import service as notifications
from innsiden.notifications.models import Notification, NotificationSettings
from innsiden.polls.models import Poll, PollOption, PollVoter
from innsiden.profile import notify, requests, service
from innsiden.profile.models import DataExport, ProfilePicture
from innsiden.profile.retention import LIST_ACTIONS
from innsiden.profile.settings import setting
from membersync.db import utcnow
from membersync.models import Member, OrgUnit, SyncChange

log = logging.getLogger(__name__)
BATCH = 5


def request_export(session: Session, member: Member) -> DataExport:
    """A new archive to build, or the one already waiting."""
    waiting = session.scalar(
        select(DataExport).where(
            DataExport.member_number == member.number, DataExport.state == "pending"
        )
    )
    if waiting is not None:
        return waiting
    export = DataExport(member_number=member.number)
    session.add(export)
    session.flush()
    return export


def exports_of(session: Session, member_number: int) -> list[DataExport]:
    query = select(DataExport).where(
        DataExport.member_number == member_number,
        or_(DataExport.expires_at.is_(None), DataExport.expires_at > utcnow()),
    )
    return list(session.scalars(query.order_by(DataExport.id.desc())))


def downloadable(session: Session, member: Member, export_id: int) -> DataExport:
    """The member's own ready, unexpired archive; 404 for anything else, whoever asks."""
    export = session.get(DataExport, export_id)
    if (
        export is None
        or export.member_number != member.number
        or export.state != "ready"
        or export.storage_key is None
        or export.expires_at is None
        or export.expires_at <= utcnow()
    ):
        raise NotFound()
    return export


@job("profile.build_exports")
def build_exports(session: Session) -> int:
    built = _purge_expired(session)
    pending = session.scalars(
        select(DataExport).where(DataExport.state == "pending").order_by(DataExport.id).limit(BATCH)
    ).all()
    for export in pending:
        member = session.get(Member, export.member_number)
        if member is None:
            continue
        stored = _store(session, member)
        claimed = session.execute(
            update(DataExport)
            .where(DataExport.id == export.id, DataExport.state == "pending")
            .values(
                state="ready", storage_key=stored.key, size=stored.size, ready_at=utcnow(),
                expires_at=utcnow() + timedelta(days=int(setting("EXPORT_DAYS"))),
            )
        )  # fmt: skip
        if claimed.rowcount != 1:  # another runner built it first
            storage.get_storage().delete(stored.key)
            session.rollback()
            continue
        session.refresh(export)
        notifications.create(session, [notify.export_ready_draft(export)])
        session.commit()
        built += 1
    return built


def _purge_expired(session: Session) -> int:
    expired = session.scalars(select(DataExport).where(DataExport.expires_at <= utcnow())).all()
    for export in expired:
        if export.storage_key:
            storage.get_storage().delete(export.storage_key)
        session.delete(export)
    session.commit()
    return 0


def _store(session: Session, member: Member) -> storage.StoredObject:
    with tempfile.TemporaryFile() as spool:
        write_archive(session, member, spool)
        spool.seek(0)
        return storage.get_storage().save(spool, content_type="application/zip")


def write_archive(session: Session, member: Member, out: Any) -> None:
    """The zip: `mine-data.json` and the member's own files under `filer/`."""
    document, files = collect(session, member)
    store = storage.get_storage()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(document, ensure_ascii=False, indent=2, default=_plain)
        archive.writestr("mine-data.json", text)
        for name, key in files:
            with store.open(key) as stream, archive.open(f"filer/{name}", "w") as target:
                while chunk := stream.read(storage.CHUNK_SIZE):
                    target.write(chunk)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def collect(session: Session, member: Member) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Everything held about the member, and (archive name, storage key) of their files."""
    names = _Names(session)
    files: list[tuple[str, str]] = []
    document: dict[str, Any] = {
        "laget": utcnow(),
        "medlemsnummer": member.number,
        "medlemsregisteret": _register(session, member),
        "profil": _profile(session, member, files),
        "endringsonsker": [
            {
                "id": r.id,
                "type": r.kind,
                "felt": r.fields,
                "melding": r.message,
                "tilstand": r.state,
                "sendt": r.sent_at,
                "bekreftet": r.confirmed_at,
                "laget": r.created_at,
            }
            for r in requests.requests_of(session, member.number)
        ],
        "grupper": _groups(session, member),
        "innlegg": list(_posts(session, member, names, files)),
        "reaksjoner": [
            {"innlegg": r.post_id, "reaksjon": r.kind, "tid": r.created_at}
            for r in session.scalars(
                select(Reaction).where(Reaction.member_number == member.number)
            )
        ],
        "rapporter": [
            {"innlegg": r.post_id, "grunn": r.reason, "status": r.status, "tid": r.created_at}
            for r in session.scalars(select(Report).where(Report.reporter_number == member.number))
        ],
        "stemmer_i_apne_avstemninger": list(_open_votes(session, member)),
        "arrangementer": list(_signups(session, member)),
        "filer": list(_files(session, member, names, files)),
        "varsler": list(_notifications(session, member)),
        "varselinnstillinger": _notification_settings(session, member),
        "logg": list(_audit(session, member, names)),
        "endringer_fra_registeret": [
            {"tid": c.created_at, "type": c.kind, "detaljer": c.detail}
            for c in session.scalars(
                select(SyncChange)
                .where(SyncChange.member_number == member.number)
                .order_by(SyncChange.id)
            )
        ],
    }
    return document, files


class _Names:
    """Other members by name only (as the portal shows them), never their numbers."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[int, str] = {}

    def __call__(self, number: int | None) -> str | None:
        if number is None:
            return None
        if number not in self.cache:
            member = self.session.get(Member, number)
            self.cache[number] = member.full_name if member else "Tidligere medlem"
        return self.cache[number]


def _register(session: Session, member: Member) -> dict[str, Any]:
    view = service.register_view(session, member)
    return {
        "fornavn": view.first_name, "etternavn": view.last_name, "e-post": view.email,
        "mobil": view.mobile, "adresse": view.address, "postnummer": view.postal_code,
        "poststed": view.postal_place, "kommune": view.municipality,
        "lokallag": view.lokallag, "fylkeslag": view.fylkeslag, "status": view.status,
        "innmeldt": view.joined_on, "betalt_til": view.paid_until,
        "verv": [{"verv": role, "enhet": unit} for role, unit in view.positions],
    }  # fmt: skip


def _profile(session: Session, member: Member, files: list[tuple[str, str]]) -> dict[str, Any]:
    view = service.portal_view(session, member)
    picture = session.get(ProfilePicture, member.number)
    shown = None
    if picture is not None:
        extension = ".png" if picture.mime_type == "image/png" else ".jpg"
        shown = f"profilbilde{extension}"
        files.append((shown, picture.storage_key))
    return {
        "om_meg": view.about, "vis_e-post": view.show_email, "vis_mobil": view.show_mobile,
        "interesser": view.interests,
        "profilbilde": f"filer/{shown}" if shown else None,
    }  # fmt: skip


def _groups(session: Session, member: Member) -> dict[str, Any]:
    own = {"member_number": member.number}
    group_names = {g.id: g.name for g in session.scalars(select(Group))}
    return {
        "medlem_av": [
            {"gruppe": g.name, "type": g.kind, "rolle": groups.role_in_group(session, member, g)}
            for g in groups.groups_of_member(session, member)
        ],
        "foresporsler": [
            {
                "gruppe": group_names.get(r.group_id),
                "melding": r.message,
                "status": r.status,
                "tid": r.created_at,
            }
            for r in session.scalars(select(JoinRequest).filter_by(**own))
        ],
        "invitasjoner": [
            {"gruppe": group_names.get(i.group_id), "status": i.status, "tid": i.created_at}
            for i in session.scalars(select(Invitation).filter_by(**own))
        ],
    }


def _posts(
    session: Session, member: Member, names: _Names, files: list[tuple[str, str]]
) -> Iterator[dict[str, Any]]:
    query = (
        select(Post, Thread.title)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_number == member.number)
        .order_by(Post.id)
    )
    for post, title in session.execute(query):
        revisions = session.scalars(
            select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id)
        ).all()
        pictures = session.scalars(select(Attachment).where(Attachment.post_id == post.id)).all()
        for picture in pictures:
            files.append(
                (f"innlegg-{post.id}-{picture.id}-{picture.filename}", picture.storage_key)
            )
        yield {
            "id": post.id, "tråd": title, "tekst": post.body_source, "tilstand": post.state,
            "skrevet": post.created_at, "redigert": post.edited_at,
            "tidligere_versjoner": [{"tekst": r.body_source, "skrevet": r.written_at}
                                    for r in revisions],
            "bilder": [f"filer/innlegg-{post.id}-{p.id}-{p.filename}" for p in pictures],
        }  # fmt: skip


def _open_votes(session: Session, member: Member) -> Iterator[dict[str, Any]]:
    query = (
        select(PollVoter, Poll)
        .join(Poll, Poll.id == PollVoter.poll_id)
        .where(PollVoter.member_number == member.number, Poll.secret.is_(False))
    )
    for voter, poll in session.execute(query):
        options = {
            o.id: o.label
            for o in session.scalars(select(PollOption).where(PollOption.poll_id == poll.id))
        }
        yield {"avstemning": poll.question, "valg": voter.choices, "alternativer": options}


def _signups(session: Session, member: Member) -> Iterator[dict[str, Any]]:
    query = (
        select(GatheringReply, Gathering)
        .join(Gathering, Gathering.id == GatheringReply.gathering_id)
        .where(GatheringReply.member_number == member.number)
    )
    for reply, gathering in session.execute(query):
        labels = {
            str(q.id): q.label
            for q in session.scalars(
                select(GatheringQuestion).where(GatheringQuestion.gathering_id == gathering.id)
            )
        }
        yield {
            "arrangement": gathering.title, "starter": gathering.starts_at, "svar": reply.status,
            "venteliste": reply.queue_number, "påmeldt": reply.signed_up_at,
            "svar_på_spørsmål": {labels.get(str(k), str(k)): v for k, v in reply.answers.items()},
        }  # fmt: skip


def _files(
    session: Session, member: Member, names: _Names, files: list[tuple[str, str]]
) -> Iterator[dict[str, Any]]:
    query = (
        select(FileVersion, File)
        .join(File, File.id == FileVersion.file_id)
        .where(FileVersion.uploaded_by == member.number)
        .order_by(FileVersion.id)
    )
    for version, file in session.execute(query):
        archived = f"fil-{file.id}-v{version.number}-{version.name}"
        files.append((archived, version.storage_key))
        yield {
            "navn": version.name, "versjon": version.number, "størrelse": version.size,
            "type": version.mime_type, "lastet_opp": version.created_at,
            "beskrivelse": file.description, "i_arkivet": f"filer/{archived}",
        }  # fmt: skip


def _notifications(session: Session, member: Member) -> Iterator[dict[str, Any]]:
    query = select(Notification).where(Notification.recipient_number == member.number)
    for n in session.scalars(query.order_by(Notification.id)):
        yield {
            "tittel": n.title, "utdrag": n.excerpt, "lenke": n.url, "tid": n.created_at,
            "lest": n.read_at, "e-post": n.email_state,
        }  # fmt: skip


def _notification_settings(session: Session, member: Member) -> dict[str, Any]:
    row = session.get(NotificationSettings, member.number)
    return {"e-post": row.email_mode if row else notifications.email_mode(session, member.number)}


def _audit(session: Session, member: Member, names: _Names) -> Iterator[dict[str, Any]]:
    """Entries by or about the member, and every member list a leader saw them in."""
    own = session.scalars(
        select(AuditEntry)
        .where(
            or_(
                AuditEntry.actor_number == member.number,
                AuditEntry.target == f"member:{member.number}",
            )
        )
        .order_by(AuditEntry.id)
    )
    for entry in own:
        by_self = entry.actor_number == member.number
        yield {
            "tid": entry.at, "hendelse": entry.action,
            "utført_av": "deg" if by_self else names(entry.actor_number),
            "detaljer": entry.detail, "adresse": entry.client_address if by_self else None,
        }  # fmt: skip
    lists = session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(LIST_ACTIONS)).order_by(AuditEntry.id)
    )
    units = dict(session.execute(select(OrgUnit.id, OrgUnit.name)).all())
    for entry in lists:
        if member.number not in (entry.detail or {}).get("member_numbers", []):
            continue
        unit_id = (entry.target or "").removeprefix("unit:")
        yield {
            "tid": entry.at, "hendelse": entry.action, "utført_av": names(entry.actor_number),
            "medlemsliste": units.get(unit_id, unit_id), "format": entry.detail.get("format"),
        }  # fmt: skip
