"""The meeting's record in the JSON API, on the meetings API blueprint (`api.bp`):

GET /api/v1/meetings/<id>/notice    the notice's proof as counts (never names) and in words
GET /api/v1/meetings/<id>/papers    the papers, each with its permission-checked download URL
GET /api/v1/meetings/<id>/minutes   the published minutes (404 until published), with the
                                    signers and the file in the group's file area
"""

from __future__ import annotations

from flask import jsonify, url_for
from pydantic import BaseModel
from werkzeug import Response

from innsiden import openapi
from innsiden.db import get_session
from innsiden.meetings import minutes, notice, papers
from innsiden.meetings.api import _meeting, bp
from innsiden.web import acting_member


class NoticeOut(BaseModel):
    sent: bool
    audience: str | None
    total: int
    reached: int
    no_address: int
    failed: int
    waiting: int
    first_sent_on: str | None
    words: str


class PaperOut(BaseModel):
    file_id: int
    name: str
    agenda_item_id: int | None
    download_url: str


class PapersOut(BaseModel):
    items: list[PaperOut]


class SignatureOut(BaseModel):
    member_number: int
    name: str
    signed_at: str


class MinutesOut(BaseModel):
    version: int
    body: str
    published_at: str
    file_id: int | None
    download_url: str | None
    signatures: list[SignatureOut]


@bp.get("/<int:meeting_id>/notice")
@openapi.describe("The notice's proof of sending, as counts", response=NoticeOut)
def notice_summary(meeting_id: int) -> Response:
    session = get_session()
    meeting = _meeting(meeting_id)
    shown = notice.summary(session, meeting)
    return jsonify({
        "sent": shown is not None, "audience": shown.audience if shown else None,
        "total": shown.total if shown else 0, "reached": shown.reached if shown else 0,
        "no_address": shown.no_address if shown else 0, "failed": shown.failed if shown else 0,
        "waiting": shown.waiting if shown else 0,
        "first_sent_on": shown.first_day.isoformat() if shown and shown.first_day else None,
        "words": notice.summary_words(shown),
    })  # fmt: skip


@bp.get("/<int:meeting_id>/papers")
@openapi.describe("The meeting's papers", response=PapersOut)
def paper_list(meeting_id: int) -> Response:
    session = get_session()
    meeting = _meeting(meeting_id)
    items = [
        {
            "file_id": f.id,
            "name": f.name,
            "agenda_item_id": p.agenda_item_id,
            "download_url": url_for("files_api.download", file_id=f.id),
        }
        for p, f in papers.papers_of(session, meeting)
    ]
    return jsonify({"items": items})


@bp.get("/<int:meeting_id>/minutes")
@openapi.describe("The published minutes", response=MinutesOut)
def published_minutes(meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    record, version = minutes.published(session, member, meeting)
    assert record.published_at is not None  # published
    return jsonify({
        "version": version.number, "body": version.body,
        "published_at": record.published_at.isoformat(), "file_id": record.file_id,
        "download_url": url_for("files_api.download", file_id=record.file_id)
        if record.file_id else None,
        "signatures": [
            {"member_number": s.member_number, "name": m.full_name if m else "",
             "signed_at": s.signed_at.isoformat()}
            for m, s in minutes.signatures(session, version)
        ],
    })  # fmt: skip
