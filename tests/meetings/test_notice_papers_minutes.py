"""The meeting's record: the notice sent to the roll with proof per member (and a resend that
reaches only those not reached), papers from the group's file area visible only to the
group, and minutes drafted from the record, edited in versions, signed by both minute-signers
with one-time codes, then published to the group's file area with a notification."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import select

from innsiden.files.models import File
from innsiden.jobs import run_all
from innsiden.meetings import voting
from innsiden.meetings.models import Meeting, MeetingProfile, MeetingVote, RollEntry
from innsiden.meetings.profiles import PARTY, revised
from innsiden.meetings.record_models import (
    MeetingMinutes,
    MeetingPaper,
    MinutesVersion,
    NoticeRecipient,
)
from innsiden.notifications.models import Notification
from membersync.db import utcnow
from membersync.models import Member
from tests.conftest import run_jobs
from tests.factories import make_member
from tests.meetings.conftest import audit_entries, call, complaints_closed, cutoff_today, url

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _fresh(db) -> None:
    """See what the requests committed."""
    db.commit()
    db.expire_all()


def _send_notices(app) -> int:
    return run_all(app, only=["meetings.send_notices"])["meetings.send_notices"]


def _computed(app, bergen) -> int:
    meeting_id = call(bergen)
    cutoff_today(app, meeting_id)
    bergen.client(bergen.leader).post(url(bergen, meeting_id, "/manntall/beregn"))
    return meeting_id


def test_the_notice_reaches_the_roll_with_proof_and_a_resend_sends_nobody_twice(
    app, db, bergen, outbox
):
    silent, texting = bergen.paid[1], bergen.paid[2]
    db.get(Member, silent.number).email = None  # neither e-mail nor mobile in the register
    db.get(Member, texting.number).mobile = "+4791234567"
    _fresh(db)
    meeting_id = _computed(app, bergen)
    leader = bergen.client(bergen.leader)
    # Only the board sends and sees the proof; outside the group it does not exist.
    assert (
        bergen.client(bergen.paid[0]).post(url(bergen, meeting_id, "/innkalling")).status_code
        == 403
    )
    assert (
        bergen.client(bergen.voss_leader).get(url(bergen, meeting_id, "/innkalling")).status_code
        == 404
    )

    sent = leader.post(url(bergen, meeting_id, "/innkalling"), data={"text": "Velkommen!"})
    assert sent.status_code == 302
    # Everyone with the right to vote on the roll, but `silent` (no address) is reached.
    assert _send_notices(app) == 4

    mails = outbox.mails(bergen.paid[0].email)
    assert len(mails) == 1 and mails[0]["Subject"] == "Innkalling til Årsmøte 2027"
    body = mails[0].get_content()
    assert "Velkommen!" in body and "Godkjenning av innkallingen" in body
    assert len(outbox.sms("+4791234567")) == 1 and len(outbox.mails(texting.email)) == 1
    assert outbox.mails(bergen.owing.email) == []  # restanse: not on the roll with a vote

    page = leader.get(url(bergen, meeting_id, "/innkalling")).get_data(as_text=True)
    assert "Sendt til 4 av 5 med stemmerett" in page and "1 uten e-post/telefon" in page
    row = re.search(rf'data-member="{texting.number}">(.*?)</tr>', page, re.S).group(1)
    assert "e-post SMS" in row and "sendt" in row
    row = re.search(rf'data-member="{silent.number}">(.*?)</tr>', page, re.S).group(1)
    assert "uten e-post/telefon" in row
    assert len(audit_entries(db, "meeting.notice_evidence_viewed")) == 1
    _fresh(db)
    handed = db.scalars(select(NoticeRecipient).where(NoticeRecipient.state == "sent")).all()
    assert len(handed) == 4 and all(r.sent_at is not None for r in handed)

    # The meeting sees the proof on the "approve the notice" item.
    member_page = bergen.client(bergen.paid[0]).get(url(bergen, meeting_id)).get_data(as_text=True)
    assert "Sendt til 4 av 5 med stemmerett" in member_page
    api = bergen.client(bergen.paid[0]).get(f"/api/v1/meetings/{meeting_id}/notice").get_json()
    assert (api["reached"], api["total"], api["no_address"]) == (4, 5, 1)

    # Sent again after a new line on the roll: only the new voter gets it.
    late = make_member(db, "0001", first_name="Sen")
    db.add(RollEntry(meeting_id=meeting_id, member_number=late.number, eligible=True, reasons=[]))
    _fresh(db)
    leader.post(url(bergen, meeting_id, "/innkalling"))
    assert _send_notices(app) == 1
    assert len(outbox.mails(bergen.paid[0].email)) == 1
    assert len(outbox.mails(late.email)) == 1
    assert len(outbox.sms("+4791234567")) == 1
    assert _send_notices(app) == 0  # and a runner coming by later sends nothing


def _download(client, path: str) -> tuple[int, str, bytes]:
    """A download, read to the end and closed (it streams from storage)."""
    response = client.get(path)
    try:
        return response.status_code, response.mimetype or "", response.get_data()
    finally:
        response.close()


def _upload(client, group_id: int, name: str) -> None:
    response = client.post(
        f"/grupper/{group_id}/filer/last-opp",
        data={"file": (io.BytesIO(PDF), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_papers_come_from_the_group_file_area_and_are_only_for_the_group(app, db, bergen):
    meeting_id = call(bergen)
    leader = bergen.client(bergen.leader)
    _upload(leader, bergen.group_id, "budsjett.pdf")
    _upload(bergen.client(bergen.voss_leader), bergen.voss_group_id, "voss.pdf")
    _fresh(db)
    ours = db.scalar(select(File).where(File.group_id == bergen.group_id))
    theirs = db.scalar(select(File).where(File.group_id == bergen.voss_group_id))

    attach = url(bergen, meeting_id, "/saksdokumenter")
    assert leader.post(attach, data={"file_id": theirs.id}).status_code == 303  # another group's
    assert bergen.client(bergen.paid[0]).post(attach, data={"file_id": ours.id}).status_code == 403
    assert leader.post(attach, data={"file_id": ours.id}).status_code == 302
    _fresh(db)
    assert [p.file_id for p in db.scalars(select(MeetingPaper))] == [ours.id]

    member = bergen.client(bergen.paid[0])
    page = member.get(url(bergen, meeting_id)).get_data(as_text=True)
    assert "budsjett.pdf" in page and f"/filer/{ours.id}/last-ned" in page
    assert _download(member, f"/filer/{ours.id}/last-ned") == (200, "application/pdf", PDF)
    listed = member.get(f"/api/v1/meetings/{meeting_id}/papers").get_json()["items"]
    assert [p["name"] for p in listed] == ["budsjett.pdf"]

    outsider = bergen.client(bergen.outsider)
    assert outsider.get(f"/filer/{ours.id}/last-ned").status_code == 404
    assert outsider.get(f"/api/v1/files/{ours.id}/download").status_code == 404
    assert outsider.get(f"/api/v1/meetings/{meeting_id}/papers").status_code == 404
    assert outsider.get(url(bergen, meeting_id)).status_code == 404


def _lot_profile(db) -> None:
    """A profile whose tied decisions are settled by lot (as some statutes say)."""
    data = revised(PARTY, name="Loddtrekning ved likhet", decision_tie="lot").to_data()
    db.add(MeetingProfile(key="lodd", version=1, data=data))
    _fresh(db)


def _code(outbox, member: Member) -> str:
    mail = outbox.mails(member.email)[-1]
    return re.search(r"(\d{6}) er koden din for å underskrive", mail.get_content()).group(1)


def _meeting_with_a_tied_vote(app, db, bergen) -> tuple[int, MeetingVote]:
    _lot_profile(db)
    meeting_id = call(bergen, key="lodd")
    cutoff_today(app, meeting_id)
    leader = bergen.client(bergen.leader)
    leader.post(url(bergen, meeting_id, "/manntall/beregn"))
    complaints_closed(app, meeting_id)
    leader.post(url(bergen, meeting_id, "/manntall/las"))
    leader.post(url(bergen, meeting_id, "/innsjekk/apne"))
    _fresh(db)
    code = db.get(Meeting, meeting_id).room_code
    voters = [bergen.client(m) for m in (bergen.leader, *bergen.paid)]
    for client in voters:
        client.post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    leader.post(url(bergen, meeting_id, "/voteringer"), data={"question": "Kjøpe nytt banner"})
    _fresh(db)
    vote = db.scalar(select(MeetingVote))
    for client, choice in zip(voters, ("ja", "ja", "nei", "nei"), strict=True):
        client.post(url(bergen, meeting_id, f"/voteringer/{vote.id}/stem"), data={"choice": choice})
    leader.post(url(bergen, meeting_id, f"/voteringer/{vote.id}/lukk"))
    _fresh(db)
    return meeting_id, db.get(MeetingVote, vote.id)


def test_minutes_drafted_from_the_record_signed_by_both_signers_and_published(
    app, db, bergen, outbox
):
    meeting_id, vote = _meeting_with_a_tied_vote(app, db, bergen)
    seed = vote.result["tie"]["seed"]
    assert seed
    leader, taker = bergen.client(bergen.leader), bergen.client(bergen.paid[0])
    first, second = bergen.paid[1], bergen.paid[2]
    signer1, signer2 = bergen.client(first), bergen.client(second)
    minutes_url = url(bergen, meeting_id, "/protokoll")

    officers = leader.post(url(bergen, meeting_id, "/protokoll/funksjonaerer"), data={
        "chair": bergen.leader.number, "minute_taker": bergen.paid[0].number,
        "signer": [first.number, second.number],
    })  # fmt: skip
    assert officers.status_code == 302
    assert signer1.post(f"{minutes_url}/utkast").status_code == 403  # signers do not edit
    assert taker.post(f"{minutes_url}/utkast").status_code == 302
    _fresh(db)
    draft = db.scalar(select(MinutesVersion))
    chosen = "ja" if vote.result["adopted"] else "nei"
    assert "Kjøpe nytt banner" in draft.body
    with app.test_request_context():
        words = voting.result_words(vote.result)  # the line the chair's page shows
    assert "alminnelig flertall av avgitte stemmer" in words and words.endswith("ja 2 av 4")
    assert words in draft.body
    assert f"Frø {seed}" in draft.body and f"«{chosen}»" in draft.body
    assert "Møteleder: Kari" in draft.body and "Ja 2, nei 2, blankt 0." in draft.body
    # Not published, the draft is for those who write and sign it only.
    assert bergen.client(bergen.owing).get(minutes_url).status_code == 404
    assert taker.get(f"/api/v1/meetings/{meeting_id}/minutes").status_code == 404

    # The first signer signs version 1 …
    assert signer1.post(f"{minutes_url}/kode").status_code == 302
    signed = signer1.post(f"{minutes_url}/underskriv",
                          data={"code": _code(outbox, first), "version": 1})  # fmt: skip
    assert signed.status_code == 302
    signer2.post(f"{minutes_url}/kode")  # the second asks for a code for version 1 too
    old_code = _code(outbox, second)

    # … then the minute-taker changes the text: the signature no longer counts.
    changed = draft.body + "Møtet ble hevet kl. 21.30.\n"
    assert taker.post(minutes_url, data={"body": changed, "version": 1}).status_code == 302
    page = signer1.get(minutes_url).get_data(as_text=True)
    assert "Ingen har underskrevet denne versjonen ennå." in page and "hevet kl. 21.30" in page
    stale = signer1.post(f"{minutes_url}/underskriv", data={"code": "123456", "version": 1})
    assert stale.status_code == 303  # signed a text that is no longer the minutes
    # A code made for version 1 does not sign version 2.
    refused = signer2.post(f"{minutes_url}/underskriv", data={"code": old_code, "version": 2})
    assert refused.status_code == 303
    _fresh(db)
    assert db.scalar(select(MeetingMinutes)).state == "draft"

    # Someone who is not a minute-signer cannot sign, with or without a code.
    assert taker.post(f"{minutes_url}/kode").status_code == 403
    assert (
        taker.post(f"{minutes_url}/underskriv", data={"code": "1", "version": 2}).status_code == 403
    )
    assert bergen.client(bergen.outsider).post(f"{minutes_url}/kode").status_code == 404

    for member, client in ((first, signer1), (second, signer2)):
        client.post(f"{minutes_url}/kode")
        client.post(f"{minutes_url}/underskriv", data={"code": _code(outbox, member), "version": 2})
    _fresh(db)
    record = db.scalar(select(MeetingMinutes))
    assert record.state == "published" and record.version == 2

    # Stored in the group's file area as a self-contained document anyone in the group opens.
    stored = db.get(File, record.file_id)
    assert stored.group_id == bergen.group_id and stored.source == f"meeting:{meeting_id}"
    reader = bergen.client(bergen.owing)
    status, mimetype, data = _download(reader, f"/filer/{stored.id}/last-ned")
    assert (status, mimetype) == (200, "text/html")
    html = data.decode()
    assert f"Frø {seed}" in html and "hevet kl. 21.30" in html and "@page" in html
    assert not re.search(r"<script|<link|src=|https?://", html)
    assert bergen.client(bergen.outsider).get(f"/filer/{stored.id}/last-ned").status_code == 404

    published = reader.get(f"/api/v1/meetings/{meeting_id}/minutes").get_json()
    assert published["version"] == 2 and len(published["signatures"]) == 2
    assert "hevet kl. 21.30" in reader.get(minutes_url).get_data(as_text=True)

    run_jobs(app, db)
    told = db.scalars(
        select(Notification.recipient_number).where(
            Notification.kind == "meetings.minutes_published"
        )
    ).all()
    assert {bergen.owing.number, bergen.paid[0].number, bergen.leader.number} <= set(told)
    assert bergen.outsider.number not in told


def test_the_signing_deadline_from_the_statutes_holds(app, db, bergen, outbox):
    meeting_id = call(bergen)
    cutoff_today(app, meeting_id)
    leader = bergen.client(bergen.leader)
    leader.post(url(bergen, meeting_id, "/manntall/beregn"))
    leader.post(url(bergen, meeting_id, "/protokoll/funksjonaerer"), data={
        "chair": bergen.leader.number, "minute_taker": bergen.leader.number,
        "signer": [bergen.paid[0].number, bergen.paid[1].number],
    })  # fmt: skip
    leader.post(url(bergen, meeting_id, "/protokoll/utkast"))
    _fresh(db)
    record = db.scalar(select(MeetingMinutes))
    assert record.sign_by == db.get(Meeting, meeting_id).starts_at + timedelta(days=14)
    record.sign_by = utcnow() - timedelta(seconds=1)  # the deadline has passed
    _fresh(db)
    late = bergen.client(bergen.paid[0]).post(url(bergen, meeting_id, "/protokoll/kode"))
    assert late.status_code == 303
    assert outbox.mails(bergen.paid[0].email) == []
