"""The register merges, splits and moves lokallag; the groups follow with their content.

Each test syncs a real register export through membersync, writes content through the
portal's own API, syncs the changed export and runs the jobs, then looks as members do.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden.audit import AuditEntry
from innsiden.content.models import ContentItem
from innsiden.db import session_factory
from innsiden.discussions.models import Thread
from innsiden.files.models import File, Folder
from innsiden.gatherings.models import Gathering, GatheringReply
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import Group, GroupReshape
from innsiden.groups.service import group_member_numbers
from innsiden.polls import drafting, forms
from innsiden.polls.models import Poll, PollElector
from innsiden.search import get_engine
from innsiden.search.engine import SearchQuery
from membersync.db import utcnow
from membersync.demo_register import DemoRegister
from membersync.models import Member, SyncChange
from tests.conftest import login_as, run_jobs
from tests.files.helpers import png
from tests.membersync.helpers import changed, small_register, sync


@dataclass
class Org:
    app: Flask
    db: Session
    tmp: Path
    register: DemoRegister
    people: dict[str, Member]  # by role in the story

    def client(self, who: str) -> FlaskClient:
        client = self.app.test_client()
        login_as(client, self.people[who])
        return client

    def sync(self, register: DemoRegister, name: str) -> None:
        self.db.commit()  # end this session's read, so the sync may write
        result = sync(session_factory(self.app), register.write_csv(self.tmp / name))
        assert result.outcome == "applied", result.error
        self.register = register

    def follow(self) -> None:
        """Run the jobs as cron would, twice: the reshape job, then search indexing of what
        it recorded (change records and events made old enough for the consumers' lag)."""
        self.db.commit()
        self.db.execute(update(SyncChange).values(created_at=utcnow() - timedelta(minutes=1)))
        self.db.commit()
        run_jobs(self.app, self.db)
        run_jobs(self.app, self.db)
        self.db.expire_all()  # read what the sync and the jobs wrote

    def group(self, unit_id: str) -> int:
        ids = location_group_ids(self.db, [unit_id])
        self.db.commit()
        return ids[unit_id]


def _person(register: DemoRegister, unit_id: str, skip: int = 0) -> dict[str, str]:
    rows = [
        r
        for r in register.members
        if r["lokallag_id"] == unit_id and r["status"] == "aktiv" and r["epost"]
    ]
    return rows[skip]


def _org(app: Flask, db: Session, tmp_path: Path) -> Org:
    """Nord-Fron (0001) and Sør-Fron (0003) in Innlandet fylkeslag (F01), with Lesja (0005)
    beside them; 0002 in another fylkeslag. Each Fron lag has a leader and a member."""
    register = small_register(members=120)
    units = {u["id"]: u for u in register.units}
    if "F01" not in units:
        units["F01"] = {
            "id": "F01",
            "navn": "Innlandet fylkeslag",
            "type": "fylkeslag",
            "overordnet_id": "S",
        }
        register.units.insert(1, units["F01"])
    units["0001"]["overordnet_id"] = units["0003"]["overordnet_id"] = "F01"
    units["0001"]["navn"], units["0003"]["navn"] = "Nord-Fron lokallag", "Sør-Fron lokallag"
    register.units.append(
        {"id": "0005", "navn": "Lesja lokallag", "type": "lokallag", "overordnet_id": "F01"}
    )
    for row in register.members:
        row["verv"] = ""
    cast = {
        "nf_leader": _person(register, "0001"),
        "nf_member": _person(register, "0001", 1),
        "sf_leader": _person(register, "0003"),
        "sf_member": _person(register, "0003", 1),
        "sf_other": _person(register, "0003", 2),
        "outsider": _person(register, "0002"),
        "neighbour": _person(register, "0003", 3),  # moved to Lesja below
    }
    cast["nf_leader"]["verv"] = "lokallagsleder@0001"
    cast["sf_leader"]["verv"] = "lokallagsleder@0003"
    cast["neighbour"]["lokallag_id"] = "0005"
    org = Org(app, db, tmp_path, register, {})
    org.sync(register, "first")
    db.commit()
    org.people = {name: db.get(Member, int(row["medlemsnummer"])) for name, row in cast.items()}
    return org


def _merge_into_fron(org: Org) -> None:
    after = changed(org.register)
    for unit in after.units:
        if unit["id"] in ("0001", "0003"):
            unit["erstattet_av"] = "0020"
    after.units.append({"id": "0020", "navn": "Fron", "type": "lokallag", "overordnet_id": "F01"})
    for row in after.members:
        if row["lokallag_id"] in ("0001", "0003"):
            row["lokallag_id"] = "0020"
        row["verv"] = row["verv"].replace("@0001", "@0020").replace("@0003", "@0020")
    org.sync(after, "merged")
    org.follow()


def _start_thread(client: FlaskClient, group_id: int, title: str, body: str) -> int:
    response = client.post(
        f"/api/v1/discussions/groups/{group_id}/threads", json={"title": title, "body": body}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["thread"]["id"]


def _open_poll(org: Org, group_id: int) -> int:
    with org.app.test_request_context(), session_factory(org.app)() as session:
        body = {
            "group_id": group_id,
            "kind": "yes_no",
            "question": "Skal vi ha felles julebord?",
            "closes_at": (utcnow() + timedelta(days=7)).isoformat(),
        }
        actor = session.get(Member, org.people["sf_leader"].number)
        poll = drafting.create_poll(
            session, actor, session.get(Group, group_id), forms.poll_from_json(body)
        )
        session.commit()
        return poll.id


def _upcoming_event(client: FlaskClient, group_id: int) -> int:
    starts = (utcnow() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    response = client.post(
        "/api/v1/gatherings",
        json={
            "group_id": group_id,
            "title": "Medlemsmøte på Vinstra",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "place": "Vinstra kulturhus",
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _vote(client: FlaskClient, poll_id: int, option: int):
    options = client.get(f"/api/v1/polls/{poll_id}").get_json()["options"]
    return client.post(f"/api/v1/polls/{poll_id}/vote", json={"choices": [options[option]["id"]]})


def _search(org: Org, text: str, group_id: int) -> set[str]:
    query = SearchQuery(text, {f"group:{group_id}"})
    return {hit.id for hit in get_engine(org.app).search(query).hits}


def test_a_merged_lokallag_brings_everything_to_the_new_group_and_nothing_leaks(app, db, tmp_path):
    org = _org(app, db, tmp_path)
    nord, sor = org.group("0001"), org.group("0003")
    nf_leader, nf_member = org.client("nf_leader"), org.client("nf_member")
    sf_member = org.client("sf_member")

    nf_thread = _start_thread(nf_member, nord, "Dugnad på Vinstra", "Vi rydder stien i mai.")
    sf_thread = _start_thread(sf_member, sor, "Kaffe etter møtet", "Hvem tar med kake?")
    upload = nf_leader.post(
        "/api/v1/files",
        data={"group": str(nord), "file": [(io.BytesIO(png()), "kart.png")]},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.get_json()
    file_id = upload.get_json()["files"][0]["id"]
    poll_id = _open_poll(org, sor)
    event_id = _upcoming_event(nf_leader, nord)
    assert nf_member.post(
        f"/api/v1/gatherings/{event_id}/reply", json={"answer": "yes"}
    ).status_code in (200, 201)
    page = nf_leader.post(
        "/api/v1/content",
        json={"place": str(nord), "kind": "page", "title": "Om Nord-Fron", "body": "Velkommen."},
    )
    assert page.status_code == 201, page.get_json()
    page_id = page.get_json()["id"]
    published = nf_leader.post(
        f"/api/v1/content/{page_id}/transitions", json={"action": "publiser", "comment": ""}
    )
    assert published.status_code == 200, published.get_json()
    run_jobs(app, db)  # the poll opens (its electorate is frozen) and search indexes
    assert _vote(sf_member, poll_id, 0).status_code in (200, 201)
    db.commit()
    electorate = set(
        db.scalars(select(PollElector.member_number).where(PollElector.poll_id == poll_id))
    )
    assert org.people["sf_other"].number in electorate
    assert org.people["nf_member"].number not in electorate
    replies = {
        (r.member_number, r.status, r.signed_up_at)
        for r in db.scalars(select(GatheringReply).where(GatheringReply.gathering_id == event_id))
    }
    assert replies

    _merge_into_fron(org)
    db.commit()
    fron = org.group("0020")

    # The new group has all of it, marked where it came from.
    assert {t.group_id for t in db.scalars(select(Thread))} == {fron}
    assert db.get(File, file_id).group_id == fron
    folder = db.get(Folder, db.get(File, file_id).folder_id)
    assert (folder.group_id, folder.name) == (fron, "Nord-Fron lokallag")
    assert db.get(Poll, poll_id).group_id == fron
    assert db.get(Gathering, event_id).group_id == fron
    assert db.get(ContentItem, page_id).group_id == fron
    assert sf_member.get(f"/api/v1/content/{page_id}").status_code == 200
    assert org.client("outsider").get(f"/api/v1/content/{page_id}").status_code == 404
    page = sf_member.get(f"/diskusjoner/traad/{nf_thread}")
    assert page.status_code == 200
    assert "fra Nord-Fron lokallag" in page.get_data(as_text=True)

    # Every member of both sees it; members elsewhere, even in the same fylkeslag, do not.
    for who in ("nf_member", "sf_member", "nf_leader", "sf_leader"):
        client = org.client(who)
        listed = client.get(f"/api/v1/discussions/groups/{fron}/threads").get_json()
        assert {t["id"] for t in listed["threads"]} == {nf_thread, sf_thread}, who
        assert client.get(f"/api/v1/files/{file_id}").status_code == 200, who
        assert client.get(f"/api/v1/gatherings/{event_id}").status_code == 200, who
    for who in ("outsider", "neighbour"):
        client = org.client(who)
        assert client.get(f"/diskusjoner/traad/{nf_thread}").status_code == 404, who
        assert client.get(f"/api/v1/files/{file_id}").status_code == 404, who
        assert client.get(f"/api/v1/gatherings/{event_id}").status_code == 404, who
        assert client.get(f"/grupper/{nord}?arkiv=1").status_code == 200  # a location group
        assert client.get(f"/diskusjoner/gruppe/{nord}").status_code in (301, 404)

    # Old links redirect to the new group; the old group's own page shows where it went.
    moved = sf_member.get(f"/grupper/{nord}")
    assert moved.status_code == 301 and moved.headers["Location"].endswith(f"/grupper/{fron}")
    listing = nf_member.get(f"/diskusjoner/gruppe/{sor}")
    assert listing.status_code == 301
    assert listing.headers["Location"].endswith(f"/diskusjoner/gruppe/{fron}")
    api = nf_member.get(f"/api/v1/groups/{nord}")
    assert api.status_code == 301 and api.headers["Location"].endswith(f"/groups/{fron}")
    went = nf_member.get(f"/api/v1/groups/{nord}/reshapes").get_json()["reshapes"]
    assert [(r["kind"], r["new_group_id"]) for r in went] == [("merged", fron)]
    archive = nf_member.get(f"/grupper/{nord}?arkiv=1").get_data(as_text=True)
    assert "slått sammen med Fron" in archive
    assert "Nord-Fron lokallag" in sf_member.get(f"/grupper/{fron}").get_data(as_text=True)

    # The poll's electorate is unchanged: who could vote still can, nobody else.
    after = set(db.scalars(select(PollElector.member_number).where(PollElector.poll_id == poll_id)))
    assert after == electorate
    assert _vote(org.client("sf_other"), poll_id, 1).status_code in (200, 201)
    assert _vote(nf_member, poll_id, 1).status_code in (403, 404)

    # The event's sign-ups are intact.
    db.commit()
    kept = {
        (r.member_number, r.status, r.signed_up_at)
        for r in db.scalars(select(GatheringReply).where(GatheringReply.gathering_id == event_id))
    }
    assert kept == replies

    # Search finds the old threads under the new group, with its audience and name.
    assert f"thread:{nf_thread}" in _search(org, "vinstra", fron)
    assert f"thread:{nf_thread}" not in _search(org, "vinstra", nord)
    html = " ".join(
        sf_member.get("/sok", query_string={"q": "dugnad"}).get_data(as_text=True).split()
    )
    assert "<mark>Dugnad</mark> på Vinstra</a>" in html and "Tråd</span> · Fron ·" in html
    outsider_html = org.client("outsider").get("/sok", query_string={"q": "dugnad"})
    assert "på Vinstra" not in outsider_html.get_data(as_text=True)

    # Logged: one audit entry per merged group.
    merged = db.scalars(select(AuditEntry).where(AuditEntry.action == "groups.merged")).all()
    assert sorted(e.target for e in merged) == [f"group:{nord}", f"group:{sor}"]

    # Running the jobs again changes nothing.
    org.follow()
    assert db.scalar(select(GroupReshape).where(GroupReshape.kind == "merged").offset(2)) is None


def test_a_split_lokallag_stays_readable_for_its_former_members_only(app, db, tmp_path):
    org = _org(app, db, tmp_path)
    nord = org.group("0001")
    thread = _start_thread(org.client("nf_member"), nord, "Historien vår", "Fra 1921 til i dag.")
    former = group_member_numbers(db, db.get(Group, nord))
    db.commit()

    after = changed(org.register)
    units = {u["id"]: u for u in after.units}
    del units["0001"]
    for n, name in ((1, "Vest"), (2, "Øst")):
        units[f"002{n}"] = {
            "id": f"002{n}",
            "navn": f"Nord-Fron {name}",
            "type": "lokallag",
            "overordnet_id": "F01",
            "delt_fra": "0001",
        }
    after.units = list(units.values())
    nf = [r for r in after.members if r["lokallag_id"] == "0001"]
    for n, row in enumerate(nf):
        row["lokallag_id"] = ("0021", "0022")[n % 2]
        row["verv"] = ""
    leader = org.people["nf_leader"].number
    leader_row = next(r for r in after.members if r["medlemsnummer"] == str(leader))
    leader_row["verv"] = f"lokallagsleder@{leader_row['lokallag_id']}"
    org.sync(after, "split")
    org.follow()
    db.commit()
    vest, ost = org.group("0021"), org.group("0022")
    archive = db.get(Group, nord)
    assert archive.archived and archive.reshaped == "split"

    for who in ("nf_member", "nf_leader"):
        client = org.client(who)
        assert client.get(f"/diskusjoner/traad/{thread}").status_code == 200, who
    for who in ("sf_member", "neighbour", "outsider"):  # Sør-Fron and Lesja share the fylkeslag
        assert org.client(who).get(f"/diskusjoner/traad/{thread}").status_code == 404, who
    assert org.people["sf_member"].number not in former

    # The new groups start with a link to the archive, which names them.
    page = org.client("nf_member").get(f"/grupper/{vest}").get_data(as_text=True)
    assert f"/grupper/{nord}" in page and "delt ut fra Nord-Fron lokallag" in page
    assert "Nord-Fron Øst" in org.client("nf_member").get(f"/grupper/{nord}").get_data(as_text=True)

    # The leader moves the thread into their new group: logged, and readable there.
    home = vest if leader_row["lokallag_id"] == "0021" else ost
    leader_client = org.client("nf_leader")
    form = leader_client.get(f"/grupper/{nord}").get_data(as_text=True)
    assert "Historien vår" in form
    token = _csrf(form)
    moved = leader_client.post(
        f"/grupper/{nord}/flytt",
        data={"item": f"thread:{thread}", "til": str(home), "csrf_token": token},
    )
    assert moved.status_code == 302
    db.commit()
    assert db.get(Thread, thread).group_id == home
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "groups.item_moved")).one()
    assert (entry.actor_number, entry.target) == (leader, f"thread:{thread}")
    # A member who leads neither new group cannot move anything.
    refused = org.client("nf_member").post(
        f"/grupper/{nord}/flytt", data={"item": f"thread:{thread}", "til": str(home)}
    )
    assert refused.status_code in (400, 403, 404)


def _csrf(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_a_lokallag_moved_to_another_fylkeslag_takes_its_members_and_is_listed(app, db, tmp_path):
    org = _org(app, db, tmp_path)
    f01, f02 = org.group("F01"), org.group("F02")
    member = org.people["sf_member"].number
    assert member in group_member_numbers(db, db.get(Group, f01))

    after = changed(org.register)
    next(u for u in after.units if u["id"] == "0003")["overordnet_id"] = "F02"
    fylkesleder = next(
        r for r in after.members if r["lokallag_id"] == "0002" and r["status"] == "aktiv"
    )
    fylkesleder["verv"] = "fylkesleder@F02"
    org.sync(after, "moved")
    org.follow()
    db.commit()

    assert member in group_member_numbers(db, db.get(Group, f02))
    assert member not in group_member_numbers(db, db.get(Group, f01))
    [row] = db.scalars(select(GroupReshape).where(GroupReshape.kind == "moved")).all()
    assert (row.unit_id, row.old_group_id, row.new_group_id) == ("0003", f01, f02)
    leader = db.get(Member, int(fylkesleder["medlemsnummer"]))
    client = app.test_client()
    login_as(client, leader)
    page = client.get(f"/grupper/{f02}").get_data(as_text=True)
    old_name, new_name = db.get(Group, f01).name, db.get(Group, f02).name
    assert f"Sør-Fron lokallag er flyttet fra {old_name} til {new_name}" in page
    desk = client.get(f"/api/v1/groups/{f02}/reshapes").get_json()["reshapes"]
    assert [(r["kind"], r["unit_id"], r["old_group_id"]) for r in desk] == [("moved", "0003", f01)]
    # Ordinary members are not shown the leaders' list.
    plain = org.client("sf_member").get(f"/grupper/{f02}").get_data(as_text=True)
    assert "er flyttet fra" not in plain
    assert (
        org.client("sf_member").get(f"/api/v1/groups/{f02}/reshapes").get_json()["reshapes"] == []
    )
    assert db.scalars(select(AuditEntry).where(AuditEntry.action == "groups.unit_moved")).one()
