"""Statute profiles are data with versions, and a leader calls an årsmøte with its opening items;
nobody else can, and bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from innsiden.errors import ValidationFailed
from innsiden.meetings.models import AgendaItem, Meeting, MeetingProfile
from innsiden.meetings.profiles import NIF, PARTY, StatuteProfile, revised
from membersync.db import utcnow
from tests.factories import make_member
from tests.meetings.conftest import call, url


def test_presets_round_trip_and_an_incoherent_profile_is_refused(app):
    with app.test_request_context():
        for preset in (PARTY, NIF):
            assert StatuteProfile.from_data(preset.to_data()) == preset
        assert NIF.majority.engine().needed(58) == 30  # more than half of 58 votes cast
        assert PARTY.statute_majority.engine().needed(58) == 39  # 2/3 of 58, rounded up
        with pytest.raises(ValidationFailed) as refused:
            revised(PARTY, voter_statuses=("utmeldt",), proxies_allowed=True, proxy_cap=0)
        assert set(refused.value.fields) == {"voter_statuses", "proxy_cap"}
        with pytest.raises(ValidationFailed):
            StatuteProfile.from_data({**PARTY.to_data(), "quorum": 3})  # not a field


def test_a_meeting_keeps_the_profile_version_it_was_called_under(app, db, bergen):
    admin = make_member(db, "0002", first_name="Admin", roles=["sentraladmin@S"])
    db.commit()
    meeting_id = call(bergen, key="parti")
    api = bergen.client(admin)
    changed = {**PARTY.to_data(), "notice_days": 28}

    refused = api.post("/api/v1/meetings/profiles", json={"key": "parti", "profile": {
        **changed, "dues": "whenever"}})  # fmt: skip
    assert refused.status_code == 400
    assert "dues" in refused.get_json()["fields"]
    assert (
        bergen.client(bergen.leader)
        .post("/api/v1/meetings/profiles", json={"key": "parti", "profile": changed})
        .status_code
        == 403
    )  # a lokallag leader is not a portal administrator
    added = api.post("/api/v1/meetings/profiles", json={"key": "parti", "profile": changed})

    assert added.status_code == 201 and added.get_json()["version"] == 2
    db.commit()
    assert db.scalar(select(func.count()).select_from(MeetingProfile)) == 3  # parti 1+2, nif 1
    meeting = db.get(Meeting, meeting_id)
    assert db.get(MeetingProfile, meeting.profile_id).version == 1
    listed = {p["key"]: p for p in api.get("/api/v1/meetings/profiles").get_json()["profiles"]}
    assert listed["parti"]["profile"]["notice_days"] == 28
    assert listed["nif"]["profile"]["min_age"] == 15


def _form(profile_id: int, **fields: str) -> dict[str, str]:
    # 32 days: clear of the longest preset notice (NIF, 30 days) whatever the time of day.
    starts = (utcnow() + timedelta(days=32)).strftime("%Y-%m-%dT18:00")
    return {"title": "Årsmøte 2027", "starts_at": starts, "place": "Folkets hus",
            "online_url": "", "profile_id": str(profile_id),
            "items": "Årsmelding\nRegnskap\n\nValg", **fields}  # fmt: skip


def test_the_leader_calls_an_arsmote_with_the_opening_items(app, db, bergen):
    leader = bergen.client(bergen.leader)
    assert leader.get(f"/grupper/{bergen.group_id}/arsmote/nytt").status_code == 200
    nif = db.scalar(select(MeetingProfile).where(MeetingProfile.key == "nif"))

    response = leader.post(f"/grupper/{bergen.group_id}/arsmote/nytt", data=_form(nif.id))

    assert response.status_code == 302
    db.commit()
    meeting = db.scalar(select(Meeting))
    kinds = db.scalars(
        select(AgendaItem.kind).where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position)
    ).all()  # fmt: skip
    assert kinds == ["approve_notice", "approve_agenda", "elect_chair", "elect_minute_takers",
                     "elect_minute_signers", "item", "item", "item"]  # fmt: skip
    page = bergen.client(bergen.paid[0]).get(url(bergen, meeting.id)).get_data(as_text=True)
    for text in ("Godkjenning av innkallingen", "Valg av 2 til å underskrive protokollen",
                 "Regnskap", "sender ikke fødselsdato"):  # fmt: skip
        assert text in page
    # Another group's leader, an outsider and an ordinary member see nothing and call nothing.
    for member in (bergen.voss_leader, bergen.outsider):
        assert bergen.client(member).get(url(bergen, meeting.id)).status_code == 404
    assert bergen.client(bergen.voss_leader).get(
        f"/grupper/{bergen.group_id}/arsmote/nytt").status_code == 403  # fmt: skip
    plain = bergen.client(bergen.paid[0])
    assert plain.post(f"/grupper/{bergen.group_id}/arsmote/nytt",
                      data=_form(nif.id)).status_code == 403  # fmt: skip
    assert plain.get(url(bergen, meeting.id, "/styring")).status_code == 403


def test_bad_input_is_refused_with_reasons_and_changes_nothing(app, db, bergen):
    leader = bergen.client(bergen.leader)
    leader.get(f"/grupper/{bergen.group_id}/arsmote/nytt")  # makes the presets
    db.commit()
    party = db.scalar(select(MeetingProfile).where(MeetingProfile.key == "parti"))
    too_soon = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%dT18:00")

    response = leader.post(
        f"/grupper/{bergen.group_id}/arsmote/nytt",
        data=_form(party.id, starts_at=too_soon, place="", online_url="http://x", title=""),
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "innkalling minst 21 dager" in page
    assert "https://" in page and "tittel" in page
    db.commit()
    assert db.scalar(select(func.count()).select_from(Meeting)) == 0
    assert db.scalar(select(func.count()).select_from(AgendaItem)) == 0
