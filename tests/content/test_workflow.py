"""The workflow: a member writes, submits; the leader (a reviewer through the register)
approves; the lokallag's members read it and everyone else gets 404. Rejection needs a
reason, retraction hides it again, and every step is in the history."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from tests.content.conftest import Org, act, client_for, create


def test_member_writes_leader_approves_only_lokallag_reads(app: Flask, org: Org) -> None:
    bergen = org.groups["0001"]
    writer, leader = client_for(app, org.writer), client_for(app, org.leader)
    item = create(writer, bergen, title="Turkalender", body="Vi går til **Ulriken**.")
    url = f"/api/v1/content/{item['id']}"
    others = [client_for(app, m) for m in (org.bergen, org.voss, org.oslo, org.fylkesleder)]
    # A draft: its author and the reviewer see it; nobody else knows it exists.
    assert leader.get(url).status_code == 200
    assert [c.get(url).status_code for c in others] == [404, 404, 404, 200]
    assert act(writer, item["id"], "send").get_json()["state"] == "til_godkjenning"
    assert client_for(app, org.bergen).get(url).status_code == 404
    assert client_for(app, org.bergen).get(f"/innhold/{item['id']}").status_code == 404
    # The writer may not approve their own page; the register's leader may.
    assert act(writer, item["id"], "godkjenn").status_code == 403
    approved = act(leader, item["id"], "godkjenn").get_json()
    assert approved["state"] == "publisert" and approved["live"] is True
    assert client_for(app, org.bergen).get(url).status_code == 200
    page = client_for(app, org.bergen).get(f"/innhold/{item['id']}")
    assert page.status_code == 200 and "<strong>Ulriken</strong>" in page.text
    assert client_for(app, org.voss).get(url).status_code == 404
    assert client_for(app, org.oslo).get(f"/innhold/{item['id']}").status_code == 404
    steps = writer.get(f"{url}/history").get_json()["history"]
    assert [(s["action"], s["by"]) for s in steps] == [
        ("send", org.writer.number),
        ("godkjenn", org.leader.number),
    ]


def test_rejection_needs_a_reason_and_returns_the_draft(app: Flask, org: Org) -> None:
    writer, leader = client_for(app, org.writer), client_for(app, org.leader)
    item = create(writer, org.groups["0001"])
    act(writer, item["id"], "send")
    assert act(leader, item["id"], "avvis").status_code == 400
    rejected = act(leader, item["id"], "avvis", "Mangler dato for møtet.").get_json()
    assert rejected["state"] == "utkast"
    history = writer.get(f"/api/v1/content/{item['id']}/history").get_json()["history"]
    assert history[-1]["comment"] == "Mangler dato for møtet."
    page = writer.get(f"/innhold/{item['id']}")
    assert "Mangler dato for møtet." in page.text


def test_retracting_a_published_item_hides_it_again(app: Flask, org: Org) -> None:
    leader = client_for(app, org.leader)
    item = create(leader, org.groups["0001"])
    act(leader, item["id"], "publiser")
    member = client_for(app, org.bergen)
    assert member.get(f"/api/v1/content/{item['id']}").status_code == 200
    assert act(leader, item["id"], "trekk_publisert").get_json()["state"] == "utkast"
    assert member.get(f"/api/v1/content/{item['id']}").status_code == 404


def test_fylkesleder_reviews_lokallag_below_unless_the_item_says_otherwise(
    app: Flask, org: Org
) -> None:
    writer, fylke = client_for(app, org.writer), client_for(app, org.fylkesleder)
    inherited = create(writer, org.groups["0001"])
    act(writer, inherited["id"], "send")
    assert act(fylke, inherited["id"], "godkjenn").status_code == 200
    own = create(writer, org.groups["0001"], inherit_roles=False)
    act(writer, own["id"], "send")
    assert fylke.get(f"/api/v1/content/{own['id']}").status_code == 404
    assert act(client_for(app, org.leader), own["id"], "godkjenn").status_code == 200
    # Oslo's lokallag is not below Vestland.
    oslo_writer = client_for(app, org.oslo)
    oslo_item = create(oslo_writer, org.groups["0301"])
    act(oslo_writer, oslo_item["id"], "send")
    assert fylke.get(f"/api/v1/content/{oslo_item['id']}").status_code == 404


def test_deling_grants_reviewer_by_hand(app: Flask, org: Org) -> None:
    leader, bergen = client_for(app, org.leader), client_for(app, org.bergen)
    writer = client_for(app, org.writer)
    item = create(writer, org.groups["0001"])
    act(writer, item["id"], "send")
    assert act(bergen, item["id"], "godkjenn").status_code == 404
    # Ordinary members may not share; the group's administrator (the leader) may.
    place = f"/innhold/sted/{org.groups['0001']}/deling"
    assert (
        bergen.post(place, data={"member": org.bergen.number, "role": "reviewer"}).status_code
        == 403
    )
    assert (
        leader.post(place, data={"member": org.voss.number, "role": "reviewer"}).status_code == 400
    )
    assert (
        leader.post(place, data={"member": org.bergen.number, "role": "reviewer"}).status_code
        == 302
    )
    assert str(org.bergen.number) in leader.get(place).text
    assert act(bergen, item["id"], "godkjenn").status_code == 200


def test_interest_group_content_is_reviewed_by_its_administrators(
    app: Flask, db: Session, org: Org
) -> None:
    from tests.groups.helpers import make_interest_group

    group = make_interest_group(db, "Klima og miljø", "closed", admin=org.voss,
                                members=[org.writer, org.oslo])  # fmt: skip
    db.commit()
    writer = client_for(app, org.writer)
    item = create(writer, group.id, title="Leseliste")
    act(writer, item["id"], "send")
    # The lokallag leader has no say here; the group's administrator reviews.
    assert act(client_for(app, org.leader), item["id"], "godkjenn").status_code == 404
    assert act(client_for(app, org.voss), item["id"], "godkjenn").status_code == 200
    url = f"/api/v1/content/{item['id']}"
    assert client_for(app, org.oslo).get(url).status_code == 200
    assert client_for(app, org.bergen).get(url).status_code == 404
