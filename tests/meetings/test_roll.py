"""The voting roll: computed from the mirror at the cutoff with each member's reason; a complaint
upheld by the board adds a member, logged; after the freeze a sync moving a member changes
nothing, and every correction is logged."""

from __future__ import annotations

from sqlalchemy import func, select

from innsiden.db import session_factory
from innsiden.meetings.models import RollComplaint, RollEntry
from membersync.models import Member
from membersync.sync import apply_member_event
from tests.meetings.conftest import (
    audit_entries,
    call,
    complaints_closed,
    cutoff_today,
    url,
)


def _reason(world, member, meeting_id) -> str:
    page = world.client(member).get(url(world, meeting_id)).get_data(as_text=True)
    start = page.index("data-roll-reason>") + len("data-roll-reason>")
    return page[start : page.index("</p>", start)]


def test_the_roll_is_read_at_the_cutoff_and_each_member_sees_why(app, db, bergen):
    meeting_id = call(bergen, days=22)  # "Ny" joined 27 days before it; the statutes want 30
    leader = bergen.client(bergen.leader)
    early = leader.post(url(bergen, meeting_id, "/manntall/beregn"))
    assert early.status_code == 303  # before the cutoff day: refused, nothing computed
    db.commit()
    assert db.scalar(select(func.count()).select_from(RollEntry)) == 0

    cutoff_today(app, meeting_id)
    assert leader.post(url(bergen, meeting_id, "/manntall/beregn")).status_code == 302

    assert _reason(bergen, bergen.paid[0], meeting_id) == (
        "Du har stemmerett: aktiv, betalt til 31.12.2026, medlem siden 01.01.2020"
    )
    owing = _reason(bergen, bergen.owing, meeting_id)
    assert owing.startswith("Du har ikke stemmerett: status «restanse» på skjæringsdatoen")
    assert "må være innmeldt senest" in _reason(bergen, bergen.new, meeting_id)
    # Only the leader sees the whole roll, and each view of it is logged.
    page = leader.get(url(bergen, meeting_id, "/styring")).get_data(as_text=True)
    assert bergen.owing.full_name in page and bergen.outsider.full_name not in page
    assert len(audit_entries(db, "meeting.roll_viewed")) == 1
    assert bergen.client(bergen.paid[0]).get(url(bergen, meeting_id, "/styring")).status_code == 403
    api = bergen.client(bergen.owing).get(f"/api/v1/meetings/{meeting_id}").get_json()
    assert api["my_roll"]["eligible"] is False


def test_complaint_upheld_then_frozen_roll_ignores_a_sync_and_corrections_are_logged(
    app, db, bergen
):
    meeting_id = call(bergen)
    cutoff_today(app, meeting_id)
    leader = bergen.client(bergen.leader)
    leader.post(url(bergen, meeting_id, "/manntall/beregn"))
    owing = bergen.client(bergen.owing)
    assert owing.post(url(bergen, meeting_id, "/klage"), data={"text": ""}).status_code == 400
    sent = owing.post(url(bergen, meeting_id, "/klage"), data={"text": "Jeg betalte i går."})
    assert sent.status_code == 302
    db.commit()
    complaint = db.scalar(select(RollComplaint))
    # Another lokallag's leader can neither see nor decide it.
    voss = bergen.client(bergen.voss_leader)
    decide = url(bergen, meeting_id, f"/klager/{complaint.id}")
    assert voss.post(decide, data={"beslutning": "godkjenn"}).status_code == 404
    complaints_closed(app, meeting_id)
    assert leader.post(url(bergen, meeting_id, "/manntall/las")).status_code == 303  # pending

    leader.post(decide, data={"beslutning": "godkjenn", "note": "Betalt 3.12, kvittering vist."})

    assert _reason(bergen, bergen.owing, meeting_id) == (
        "Du har stemmerett: klagen din på manntallet ble tatt til følge"
    )
    [logged] = audit_entries(db, "meeting.complaint_decided")
    assert logged.actor_number == bergen.leader.number and logged.detail["outcome"] == "upheld"
    assert logged.detail["before"]["eligible"] is False and logged.detail["after"]["eligible"]
    assert leader.post(url(bergen, meeting_id, "/manntall/las")).status_code == 302

    # A register sync moves a voter to Voss and puts another in restanse: the roll stands.
    moved, lapsed = bergen.paid[0], bergen.paid[1]
    for member, changes in ((moved, {"lokallag_id": "0002"}), (lapsed, {"status": "restanse"})):
        apply_member_event(session_factory(app), {"event": "member.updated",
                                                  "member": _row(member, **changes)})  # fmt: skip
    db.commit()
    db.expire_all()
    assert db.get(Member, moved.number).lokallag_id == "0002"
    eligible = set(db.scalars(select(RollEntry.member_number).where(RollEntry.eligible)))
    assert {moved.number, lapsed.number, bergen.owing.number} <= eligible
    assert leader.post(url(bergen, meeting_id, "/manntall/beregn")).status_code == 303

    bad = leader.post(url(bergen, meeting_id, "/manntall/rett"),
                      data={"member_number": "999", "eligible": "nei", "note": ""})  # fmt: skip
    assert bad.status_code == 303
    assert audit_entries(db, "meeting.roll_corrected") == []
    correction = {"member_number": str(lapsed.number), "eligible": "nei", "note": "Utmeldt 4.12."}
    leader.post(url(bergen, meeting_id, "/manntall/rett"), data=correction)
    [corrected] = audit_entries(db, "meeting.roll_corrected")
    assert corrected.detail["frozen"] is True and corrected.detail["before"]["eligible"] is True
    assert not db.get(RollEntry, (meeting_id, lapsed.number)).eligible


def test_a_complaint_after_the_window_is_refused_and_stores_nothing(app, db, bergen):
    meeting_id = call(bergen)
    cutoff_today(app, meeting_id)
    bergen.client(bergen.leader).post(url(bergen, meeting_id, "/manntall/beregn"))
    complaints_closed(app, meeting_id)

    late = bergen.client(bergen.owing).post(url(bergen, meeting_id, "/klage"), data={"text": "Hei"})

    assert late.status_code == 409
    assert "Klagefristen" in late.get_data(as_text=True)
    db.commit()
    assert db.scalar(select(func.count()).select_from(RollComplaint)) == 0
    outsider = bergen.client(bergen.outsider).post(url(bergen, meeting_id, "/klage"),
                                                   data={"text": "Hei"})  # fmt: skip
    assert outsider.status_code == 404


def _row(member: Member, **changes: str) -> dict[str, str]:
    """The member as the register would push them (format version 1)."""
    return {
        "medlemsnummer": str(member.number), "fornavn": member.first_name,
        "etternavn": member.last_name, "epost": member.email or "", "mobil": "",
        "adresse": "", "postnummer": "", "poststed": "", "kommune": "",
        "lokallag_id": member.lokallag_id or "", "status": member.status,
        "innmeldt": "2020-01-01", "betalt_til": "2026-12-31", "verv": "",
        "endret": "2026-12-05T10:00:00+01:00", **changes,
    }  # fmt: skip
