"""Which domain events become front-page entries, and what each entry holds.

Entry kinds (each rendered by templates/home/_entry.html and checked by feed.CHECKS):
thread, reply (discussions), file, file_version (files), gathering (events), poll_opened,
poll_closed (polls), joined (a member joined an interest group). The grouping key puts
entries about the same thing together: replies by thread, uploads by group, new versions
by file, newcomers by group.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.files.models import File, FileVersion
from innsiden.home.stream import NewEntry, entry_from, removes
from innsiden.polls.models import Poll


@entry_from("post.created")
def _post(_session: Session, payload: dict[str, Any]) -> NewEntry:
    opening = bool(payload.get("opening"))
    thread_id = payload["thread_id"]
    return NewEntry(
        kind="thread" if opening else "reply",
        group_id=payload["group_id"],
        subject_kind="post",
        subject_id=payload["post_id"],
        group_key=f"thread:{thread_id}:{'new' if opening else 'replies'}",
        actor_number=payload.get("author_number"),
    )


@entry_from("file.created")
def _file(session: Session, payload: dict[str, Any]) -> NewEntry | None:
    if payload.get("source"):
        return None  # attached to a post or an event: that is the entry
    file = session.get(File, payload["file_id"])
    return NewEntry(
        kind="file",
        group_id=payload["group_id"],
        subject_kind="file",
        subject_id=payload["file_id"],
        group_key=f"files:{payload['group_id']}",
        actor_number=file.uploaded_by if file else None,
    )


@entry_from("file.version_added")
def _file_version(session: Session, payload: dict[str, Any]) -> NewEntry:
    uploader = session.scalar(
        select(FileVersion.uploaded_by).where(
            FileVersion.file_id == payload["file_id"], FileVersion.number == payload.get("number")
        )
    )
    return NewEntry(
        kind="file_version",
        group_id=payload["group_id"],
        subject_kind="file",
        subject_id=payload["file_id"],
        group_key=f"file:{payload['file_id']}",
        actor_number=uploader,
    )


@entry_from("gathering.created")
def _gathering(_session: Session, payload: dict[str, Any]) -> NewEntry:
    return NewEntry(
        kind="gathering",
        group_id=payload["group_id"],
        subject_kind="gathering",
        subject_id=payload["gathering_id"],
        group_key=f"gathering:{payload['gathering_id']}",
        actor_number=payload.get("actor"),
    )


def _poll(kind: str) -> Any:
    def translate(session: Session, payload: dict[str, Any]) -> NewEntry | None:
        poll = session.get(Poll, payload["poll_id"])
        if poll is None:
            return None
        return NewEntry(
            kind=kind,
            group_id=payload["group_id"],
            subject_kind="poll",
            subject_id=poll.id,
            group_key=f"poll:{poll.id}:{kind}",
            actor_number=poll.created_by if kind == "poll_opened" else None,
        )

    translate.__name__ = f"_{kind}"
    return translate


entry_from("poll.opened")(_poll("poll_opened"))
entry_from("poll.closed")(_poll("poll_closed"))


@entry_from("group.joined")
def _joined(_session: Session, payload: dict[str, Any]) -> NewEntry:
    return NewEntry(
        kind="joined",
        group_id=payload["group_id"],
        subject_kind="group",
        subject_id=payload["group_id"],
        group_key=f"joined:{payload['group_id']}",
        actor_number=payload.get("member_number"),
    )


# Gone for everyone: no need to keep fetching their rows.
removes("post.deleted", lambda p: ("post", p["post_id"]))
removes("post.hidden", lambda p: ("post", p["post_id"]))
removes("file.purged", lambda p: ("file", p["file_id"]))
removes("poll.deleted", lambda p: ("poll", p["poll_id"]))
