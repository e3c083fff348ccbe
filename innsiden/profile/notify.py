"""What the member is told: a change request the register carried out, an archive ready.

Both are about the member alone; `subject_visibility` re-checks at delivery that the thing is
still theirs (and an archive still downloadable).
"""

from __future__ import annotations

from collections.abc import Collection

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.notifications.registry import Draft, subject_visibility, subject_visibility_batch
from innsiden.profile.models import ChangeRequest, DataExport
from membersync.db import utcnow
from membersync.models import Member


def confirmed_draft(request: ChangeRequest) -> Draft:
    return Draft(
        recipient_number=request.member_number,
        kind="profile.change_confirmed",
        title=_("Medlemsregisteret har gjennomført endringen du ba om"),
        excerpt=_("Min profil viser nå det registeret har."),
        url="/min-profil",
        subject=f"changerequest:{request.id}",
    )


def export_ready_draft(export: DataExport) -> Draft:
    return Draft(
        recipient_number=export.member_number,
        kind="profile.export_ready",
        title=_("Dataene dine er klare til nedlasting"),
        excerpt=_("Lenken virker i 7 dager, og bare for deg."),
        url=f"/min-profil/eksport/{export.id}",
        subject=f"export:{export.id}",
    )


@subject_visibility("changerequest")
def _own_request(session: Session, member: Member, ident: str) -> bool:
    request = session.get(ChangeRequest, int(ident)) if ident.isdigit() else None
    return request is not None and request.member_number == member.number


@subject_visibility("export")
def _own_export(session: Session, member: Member, ident: str) -> bool:
    export = session.get(DataExport, int(ident)) if ident.isdigit() else None
    return (
        export is not None
        and export.member_number == member.number
        and export.state == "ready"
        and export.expires_at is not None
        and export.expires_at > utcnow()
    )


@subject_visibility_batch("changerequest")
def _own_requests(session: Session, member: Member, idents: Collection[str]) -> set[str]:
    ids = sorted({int(i) for i in idents if i.isdigit()})
    own = select(ChangeRequest.id).where(
        ChangeRequest.id.in_(ids), ChangeRequest.member_number == member.number
    )
    return {str(i) for i in session.scalars(own)} if ids else set()


@subject_visibility_batch("export")
def _own_exports(session: Session, member: Member, idents: Collection[str]) -> set[str]:
    ids = sorted({int(i) for i in idents if i.isdigit()})
    ready = select(DataExport.id).where(
        DataExport.id.in_(ids),
        DataExport.member_number == member.number,
        DataExport.state == "ready",
        DataExport.expires_at > utcnow(),
    )
    return {str(i) for i in session.scalars(ready)} if ids else set()
