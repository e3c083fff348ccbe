"""Who sees an event: its group, and beyond it only when it is open to the organisation or
to the fylkeslag. Everything else answers 404, in pages, API, calendar files and lists."""

from __future__ import annotations

import pytest

from tests.gatherings.conftest import create_gathering, reply, run_jobs


def _paths(gid: int) -> list[tuple[str, str]]:
    return [
        ("GET", f"/arrangementer/{gid}"),
        ("GET", f"/arrangementer/{gid}.ics"),
        ("GET", f"/api/v1/gatherings/{gid}"),
        ("POST", f"/arrangementer/{gid}/svar"),
        ("POST", f"/api/v1/gatherings/{gid}/reply"),
        ("GET", f"/arrangementer/{gid}/deltakere"),
        ("GET", f"/arrangementer/{gid}/deltakere.csv"),
        ("GET", f"/api/v1/gatherings/{gid}/attendees"),
        ("GET", f"/arrangementer/{gid}/innsjekk"),
        ("GET", f"/arrangementer/{gid}/rediger"),
        ("POST", f"/arrangementer/{gid}/avlys"),
        ("GET", f"/arrangementer/{gid}/melding"),
        ("POST", f"/api/v1/gatherings/{gid}/messages"),
        ("POST", f"/api/v1/gatherings/{gid}/cancel"),
    ]


def test_members_of_other_groups_get_404_everywhere(world):
    gid = create_gathering(world.client(world.kari), world.bergen, title="Hemmelig styremøte")["id"]
    outsider = world.client(world.outsider)
    for method, path in _paths(gid):
        response = outsider.open(path, method=method, json={"answer": "yes"})
        assert response.status_code == 404, (method, path)
    assert "Hemmelig styremøte" not in outsider.get("/arrangementer/").text
    assert "Hemmelig styremøte" not in outsider.get(f"/arrangementer/gruppe/{world.bergen}").text
    listed = outsider.get(f"/api/v1/gatherings?group={world.bergen}").get_json()
    assert listed["gatherings"] == []
    assert world.client(world.voss).get(f"/arrangementer/{gid}").status_code == 404


@pytest.mark.parametrize(
    ("audience", "voss_sees", "outsider_sees"),
    [("group", False, False), ("fylkeslag", True, False), ("organisation", True, True)],
)
def test_an_open_event_reaches_exactly_its_audience(world, audience, voss_sees, outsider_sees):
    gid = create_gathering(world.client(world.kari), world.bergen, audience=audience)["id"]
    for member, sees in ((world.voss, voss_sees), (world.outsider, outsider_sees)):
        client = world.client(member)
        assert client.get(f"/arrangementer/{gid}").status_code == (200 if sees else 404)
        assert reply(client, gid).status_code == (200 if sees else 404)
        mine = client.get("/api/v1/gatherings").get_json()["gatherings"]
        assert [g["id"] for g in mine] == ([gid] if sees else [])


def test_a_fylkeslag_event_is_open_to_the_fylkeslag_of_the_group(world):
    gid = create_gathering(world.client(world.kari), world.bergen, audience="fylkeslag")["id"]
    shown = world.client(world.voss).get(f"/api/v1/gatherings/{gid}").get_json()
    assert shown["audience"] == "fylkeslag"
    # An event of the Oslo group open to its fylkeslag is not open to Vestland.
    oslo_event = create_gathering(world.client(world.outsider), world.oslo, audience="fylkeslag")
    assert world.client(world.voss).get(f"/arrangementer/{oslo_event['id']}").status_code == 404


def test_only_organisers_see_the_attendee_list(world):
    gid = create_gathering(world.client(world.kari), world.bergen)["id"]
    anne = world.client(world.anne)
    reply(anne, gid)
    assert anne.get(f"/arrangementer/{gid}").status_code == 200
    for path in ("deltakere", "deltakere.csv", "innsjekk", "rediger", "melding"):
        assert anne.get(f"/arrangementer/{gid}/{path}").status_code == 403, path
    assert anne.get(f"/api/v1/gatherings/{gid}/attendees").status_code == 403
    assert "Deltakerliste" not in anne.get(f"/arrangementer/{gid}").text


def test_a_member_who_moves_away_loses_the_groups_events_at_once(world, db):
    gid = create_gathering(world.client(world.kari), world.bergen)["id"]
    anne = world.client(world.anne)
    assert reply(anne, gid).status_code == 200
    world.anne.lokallag_id = "0301"  # the register moves Anne to Oslo
    db.commit()
    assert anne.get(f"/arrangementer/{gid}").status_code == 404
    assert anne.get("/api/v1/gatherings").get_json()["gatherings"] == []


def test_members_cannot_create_events_in_groups_they_cannot_write_in(world):
    outsider = world.client(world.outsider)
    created = outsider.post(
        "/api/v1/gatherings",
        json={"group_id": world.bergen, "title": "Inntrenger", "starts_at": "2031-01-01T18:00"},
    )
    assert created.status_code == 403
    assert outsider.get(f"/arrangementer/gruppe/{world.bergen}/nytt").status_code == 403
    assert outsider.get("/arrangementer/gruppe/99999").status_code == 404


def test_no_notification_reaches_a_member_who_can_no_longer_see_the_event(world, db, outbox):
    kari = world.client(world.kari)
    gid = create_gathering(kari, world.bergen)["id"]
    reply(world.client(world.anne), gid)
    reply(world.client(world.per), gid)
    kari.post(f"/api/v1/gatherings/{gid}/cancel", json={"reason": "Sykdom"})
    world.anne.lokallag_id = "0301"  # moved to Oslo before the job runs
    db.commit()
    run_jobs(world.app, db)
    assert outbox.mails(to="anne@example.no") == []
    assert world.client(world.anne).get("/api/v1/notifications").get_json()["unread"] == 0
    [mail] = outbox.mails(to="per@example.no")
    assert "Sykdom" in mail.get_body(("plain",)).get_content()
