"""Proxies (fullmakt) where the statutes allow them: issued and revoked by the giver, accepted
by the holder within the cap, counted in a vote only while the holder is checked in, voided
when the giver checks in; a member who checks out cannot vote until they check back in."""

from __future__ import annotations

from sqlalchemy import select

from innsiden.meetings.models import MeetingProxy, MeetingVote
from tests.meetings.conftest import add_profile, audit_entries, frozen_meeting, url


def _api(meeting_id: int, tail: str = "") -> str:
    return f"/api/v1/meetings/{meeting_id}{tail}"


def _open_vote(world, meeting_id: int, question: str) -> int:
    leader = world.client(world.leader)
    assert leader.post(url(world, meeting_id, "/voteringer"),
                       data={"question": question}).status_code == 302  # fmt: skip
    vote = leader.get(_api(meeting_id, "/votes")).get_json()["items"][-1]
    assert vote["state"] == "open"
    return vote["id"]


def _close(world, meeting_id: int, vote_id: int) -> dict:
    leader = world.client(world.leader)
    closed = leader.post(url(world, meeting_id, f"/voteringer/{vote_id}/lukk"))
    assert closed.status_code == 302
    return leader.get(_api(meeting_id, f"/votes/{vote_id}")).get_json()


def test_a_proxy_is_accepted_within_the_cap_and_counts_only_while_its_holder_is_in(app, db, bergen):
    add_profile(app, "fullmakt", name="Med fullmakt", proxies_allowed=True, proxy_cap=1)
    meeting_id, code = frozen_meeting(bergen, key="fullmakt")
    giver, holder, second = (bergen.client(m) for m in bergen.paid)
    holder_number = bergen.paid[1].number

    # Only members with the right to vote give or hold proxies.
    to_owing = giver.post(_api(meeting_id, "/proxies"), json={"holder": bergen.owing.number})
    assert to_owing.status_code == 400
    from_owing = bergen.client(bergen.owing).post(
        _api(meeting_id, "/proxies"), json={"holder": holder_number}
    )
    assert from_owing.status_code == 409

    given = giver.post(_api(meeting_id, "/proxies"), json={"holder": holder_number})
    assert given.status_code == 201 and given.get_json()["given"]["state"] == "offered"
    by_page = second.post(url(bergen, meeting_id, "/fullmakt"), data={"holder": holder_number})
    assert by_page.status_code == 302
    offered = holder.get(_api(meeting_id, "/proxies")).get_json()["held"]
    assert {p["giver"] for p in offered} == {bergen.paid[0].number, bergen.paid[2].number}
    page = holder.get(url(bergen, meeting_id)).get_data(as_text=True)
    assert "vil gi deg fullmakt" in page

    accepted = holder.post(_api(meeting_id, f"/proxies/{bergen.paid[0].number}/accept"))
    assert accepted.status_code == 200
    over_cap = holder.post(_api(meeting_id, f"/proxies/{bergen.paid[2].number}/accept"))
    assert over_cap.status_code == 409
    assert "høyst 1" in over_cap.get_json()["detail"]
    # Nobody but the holder can accept it.
    stranger = bergen.client(bergen.leader).post(
        _api(meeting_id, f"/proxies/{bergen.paid[2].number}/accept")
    )
    assert stranger.status_code == 404

    control = bergen.client(bergen.leader).get(url(bergen, meeting_id, "/styring"))
    assert "Godtatte fullmakter: 1" in control.get_data(as_text=True)

    # The holder is not checked in: the proxy is not in the vote.
    bergen.client(bergen.leader).post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    first = _open_vote(bergen, meeting_id, "Godkjenning av innkallingen")
    assert holder.get(_api(meeting_id, f"/votes/{first}")).get_json()["my_rights"] == []
    assert _close(bergen, meeting_id, first)["electorate_at_opening"] == 1

    # Checked in, the holder casts two votes: their own and the giver's.
    holder.post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    second_vote = _open_vote(bergen, meeting_id, "Godkjenning av saklisten")
    rights = holder.get(_api(meeting_id, f"/votes/{second_vote}")).get_json()["my_rights"]
    assert [(r["member_number"], r["proxy"]) for r in rights] == [
        (holder_number, False), (bergen.paid[0].number, True)
    ]  # fmt: skip
    page = holder.get(url(bergen, meeting_id)).get_data(as_text=True)
    assert "Som fullmektig for Aktiv0" in page
    cast = url(bergen, meeting_id, f"/voteringer/{second_vote}/stem")
    assert holder.post(cast, data={"choice": "ja"}).status_code == 302
    assert holder.post(cast, data={"choice": "ja", "for": bergen.paid[0].number}).status_code == 302
    again = holder.post(cast, data={"choice": "nei", "for": bergen.paid[0].number})
    assert again.status_code == 409
    # A proxy the holder does not hold cannot be used.
    foreign = holder.post(cast, data={"choice": "ja", "for": bergen.paid[2].number})
    assert foreign.status_code == 409
    result = _close(bergen, meeting_id, second_vote)
    assert result["electorate_at_opening"] == 3 and result["electorate_at_close"] == 3
    assert (result["result"]["yes"], result["voted"]) == (2, 2)

    # The giver whose offer went unanswered takes it back on the page.
    taken = second.post(url(bergen, meeting_id, "/fullmakt/trekk"))
    assert taken.status_code == 302
    assert holder.get(_api(meeting_id, "/proxies")).get_json()["held"] == [
        {"giver": bergen.paid[0].number, "holder": holder_number, "state": "accepted",
         "name": "Aktiv0 " + bergen.paid[0].last_name}
    ]  # fmt: skip

    actions = [e.detail for e in audit_entries(db, "meeting.proxy_accepted")]
    assert actions == [{"giver": bergen.paid[0].number, "holder": holder_number}]
    assert len(audit_entries(db, "meeting.proxy_issued")) == 2
    assert len(audit_entries(db, "meeting.proxy_revoked")) == 1


def test_the_givers_check_in_voids_the_proxy_and_checking_out_stops_voting(app, db, bergen):
    add_profile(app, "fullmakt", name="Med fullmakt", proxies_allowed=True, proxy_cap=2)
    meeting_id, code = frozen_meeting(bergen, key="fullmakt")
    giver, holder = bergen.client(bergen.paid[0]), bergen.client(bergen.paid[1])
    giver.post(_api(meeting_id, "/proxies"), json={"holder": bergen.paid[1].number})
    holder.post(_api(meeting_id, f"/proxies/{bergen.paid[0].number}/accept"))
    holder.post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    vote_id = _open_vote(bergen, meeting_id, "Valg av møteleder")
    cast = url(bergen, meeting_id, f"/voteringer/{vote_id}/stem")

    # The holder checks out: neither their own vote nor the proxy's can be cast.
    holder.post(url(bergen, meeting_id, "/utsjekk"))
    out = holder.post(cast, data={"choice": "ja"})
    assert out.status_code == 409 and "Du er sjekket ut" in out.get_data(as_text=True)
    assert holder.post(cast, data={"choice": "ja", "for": bergen.paid[0].number}).status_code == 409
    holder.post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    assert holder.post(cast, data={"choice": "ja"}).status_code == 302

    # The giver arrives: the proxy is void; they came after the opening, so this vote is not
    # theirs, and the holder can no longer cast it.
    giver.post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    db.commit()
    assert db.get(MeetingProxy, (meeting_id, bergen.paid[0].number)).state == "voided"
    void = holder.post(cast, data={"choice": "ja", "for": bergen.paid[0].number})
    assert void.status_code == 409 and "Fullmakten gjelder ikke lenger" in void.get_data(
        as_text=True
    )
    result = _close(bergen, meeting_id, vote_id)
    assert (result["electorate_at_opening"], result["electorate_at_close"]) == (2, 1)
    assert len(audit_entries(db, "meeting.proxy_voided")) == 1

    # In the next vote the giver votes themselves; checking out does not revive the proxy.
    next_vote = _open_vote(bergen, meeting_id, "Valg av referent")
    rights = holder.get(_api(meeting_id, f"/votes/{next_vote}")).get_json()["my_rights"]
    assert [r["proxy"] for r in rights] == [False]
    assert giver.post(url(bergen, meeting_id, f"/voteringer/{next_vote}/stem"),
                      data={"choice": "nei"}).status_code == 302  # fmt: skip
    db.commit()
    db.expire_all()
    assert db.scalar(select(MeetingVote).where(MeetingVote.id == next_vote)).electorate_size == 2


def test_the_presets_allow_no_proxies(app, db, bergen):
    meeting_id, _code = frozen_meeting(bergen, key="parti")
    giver = bergen.client(bergen.paid[0])
    refused = giver.post(_api(meeting_id, "/proxies"), json={"holder": bergen.paid[1].number})
    assert refused.status_code == 409
    assert "tillater ikke fullmakter" in refused.get_json()["detail"]
    assert "Gi fullmakt" not in giver.get(url(bergen, meeting_id)).get_data(as_text=True)
