"""Download my data, retention after leaving, "glem medlemmet" and records of processing."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from sqlalchemy import select, text, update

from innsiden import storage
from innsiden.files.models import File, FileVersion
from innsiden.gatherings.models import Gathering, GatheringQuestion, GatheringReply
from innsiden.groups.anchors import location_group_ids
from innsiden.polls.models import Poll, PollOption, PollVoter
from innsiden.profile.models import Anonymisation, DataExport, Departure
from innsiden.schema import metadata
from membersync.db import utcnow
from membersync.models import Member
from tests.conftest import run_jobs
from tests.factories import make_member, make_small_organisation
from tests.profile.helpers import age_sync_changes, client_for, register_says, with_address

SECRETS = ("Ingeborg Fjellheimsen", "Fjellheimsen", "ingeborg@example.no", "+4791234567",
           "Storgata 1")  # fmt: skip


def _organisation(app, db):
    units = make_small_organisation(db)
    ingeborg = make_member(
        db, units["0001"], first_name="Ingeborg", last_name="Fjellheimsen",
        email="ingeborg@example.no", mobile="+4791234567",
    )  # fmt: skip
    with_address(db, ingeborg, address="Storgata 1", postal_code="5003", postal_place="Bergen")
    leader = make_member(
        db, units["0001"], first_name="Leif", last_name="Leder", roles=["lokallagsleder@0001"]
    )
    other = make_member(
        db, units["0001"], first_name="Olga", last_name="Olsen",
        email="olga@example.no", mobile="+4790000001",
    )  # fmt: skip
    db.commit()
    group_id = location_group_ids(db, ["0001"])["0001"]
    db.commit()
    return units, ingeborg, leader, other, group_id


def _use_every_capability(app, db, ingeborg, leader, other, group_id) -> dict[str, int]:
    """Ingeborg writes, reacts, votes, signs up, uploads; a leader looks at the member list."""
    mine, theirs = client_for(app, ingeborg), client_for(app, other)
    thread = mine.post(
        f"/api/v1/discussions/groups/{group_id}/threads",
        json={"title": "Dugnad i mai", "body": "Hvem blir med på dugnaden?"},
    ).get_json()
    thread_id = thread["thread"]["id"] if "thread" in thread else thread["id"]
    reply = theirs.post(
        f"/api/v1/discussions/threads/{thread_id}/posts",
        json={"body": f"Ja! @[Ingeborg Fjellheimsen](medlem:{ingeborg.number}) tar med kaffe."},
    ).get_json()
    reply_id = reply["post"]["id"] if "post" in reply else reply["id"]
    assert mine.put(f"/api/v1/discussions/posts/{reply_id}/reactions/tommel").status_code < 300
    now = utcnow()
    polls = {}
    for secret in (False, True):
        poll = Poll(group_id=group_id, kind="single", question=f"Hemmelig={secret}",
                    opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
                    secret=secret)  # fmt: skip
        db.add(poll)
        db.flush()
        option = PollOption(poll_id=poll.id, position=0, label="Grillfest")
        db.add(option)
        db.flush()
        db.add(PollVoter(poll_id=poll.id, member_number=ingeborg.number,
                         choices=None if secret else [option.id]))  # fmt: skip
        polls[secret] = poll.id
    gathering = Gathering(group_id=group_id, title="Sommerfest", starts_at=now + timedelta(days=3),
                          ends_at=now + timedelta(days=3, hours=2))  # fmt: skip
    db.add(gathering)
    db.flush()
    question = GatheringQuestion(gathering_id=gathering.id, label="Matallergier?")
    db.add(question)
    db.flush()
    db.add(GatheringReply(gathering_id=gathering.id, member_number=ingeborg.number,
                          status="confirmed", answers={str(question.id): "Nøtter"}))  # fmt: skip
    with app.app_context():
        stored = storage.get_storage().save(io.BytesIO(b"Referat fra styremote\n"),
                                            content_type="text/plain")  # fmt: skip
    file = File(group_id=group_id, name="referat.txt", uploaded_by=ingeborg.number)
    db.add(file)
    db.flush()
    db.add(FileVersion(file_id=file.id, number=1, name="referat.txt", storage_key=stored.key,
                       size=stored.size, sha256=stored.sha256, mime_type="text/plain",
                       uploaded_by=ingeborg.number))  # fmt: skip
    db.commit()
    assert client_for(app, leader).get("/grupper/enhet/0001/medlemsliste").status_code == 200
    run_jobs(app, db)  # notifications (the mention) are made
    return {"thread": thread_id, "open_poll": polls[False], "secret_poll": polls[True]}


def _export_of(app, db, member):
    client = client_for(app, member)
    asked = client.post("/api/v1/profile/export")
    assert asked.status_code == 202
    run_jobs(app, db)
    db.expire_all()
    [export] = db.scalars(select(DataExport).where(DataExport.member_number == member.number))
    assert export.state == "ready"
    return client, export


def _archive(response):
    data = response.get_data()
    response.close()
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, json.loads(archive.read("mine-data.json"))


def test_the_export_holds_everything_about_the_member_and_nothing_about_others(app, db):
    _units, ingeborg, leader, other, group_id = _organisation(app, db)
    _use_every_capability(app, db, ingeborg, leader, other, group_id)
    client, export = _export_of(app, db, ingeborg)
    archive, document = _archive(client.get(f"/min-profil/eksport/{export.id}"))

    assert document["medlemsregisteret"]["adresse"] == "Storgata 1"
    assert document["medlemsregisteret"]["e-post"] == "ingeborg@example.no"
    assert [p["tekst"] for p in document["innlegg"]] == ["Hvem blir med på dugnaden?"]
    assert [r["reaksjon"] for r in document["reaksjoner"]] == ["tommel"]
    assert [v["avstemning"] for v in document["stemmer_i_apne_avstemninger"]] == ["Hemmelig=False"]
    [signup] = document["arrangementer"]
    assert signup["svar_på_spørsmål"] == {"Matallergier?": "Nøtter"}
    [upload] = document["filer"]
    assert archive.read(upload["i_arkivet"]) == b"Referat fra styremote\n"
    assert any("nevnte deg" in n["tittel"] for n in document["varsler"])
    assert any(g["gruppe"] == "Bergen lokallag" for g in document["grupper"]["medlem_av"])
    [look] = [e for e in document["logg"] if e["hendelse"] == "groups.member_list_viewed"]
    assert look["utført_av"] == "Leif Leder" and look["medlemsliste"] == "Bergen lokallag"
    everything = json.dumps(document, ensure_ascii=False)
    for foreign in ("olga@example.no", "+4790000001", str(other.number), str(leader.number)):
        assert foreign not in everything


def test_the_export_is_the_members_alone_and_only_for_seven_days(app, db):
    _units, ingeborg, leader, other, _group_id = _organisation(app, db)
    client, export = _export_of(app, db, ingeborg)
    url = f"/min-profil/eksport/{export.id}"
    for stranger in (other, leader):
        assert client_for(app, stranger).get(url).status_code == 404
        assert (
            client_for(app, stranger).get(f"/api/v1/profile/export/{export.id}").status_code == 404
        )
    assert app.test_client().get(url).status_code in (302, 401)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    response.close()
    db.execute(update(DataExport).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    assert client.get(url).status_code == 404
    run_jobs(app, db)
    db.expire_all()
    assert db.scalars(select(DataExport)).all() == []


def _dump(db) -> str:
    """Every row of every table, as text."""
    rows = []
    for table in metadata.sorted_tables:
        for row in db.execute(select(table)):
            rows.append(repr(tuple(row)))
    return "\n".join(rows)


def test_a_former_member_is_anonymised_after_the_retention_period(app, db):
    _units, ingeborg, leader, other, group_id = _organisation(app, db)
    ids = _use_every_capability(app, db, ingeborg, leader, other, group_id)
    assert "Fjellheimsen" in _dump(db)
    register_says(app, db, ingeborg, status="utmeldt")
    run_jobs(app, db)
    db.expire_all()
    assert db.get(Departure, ingeborg.number) is not None
    assert "Fjellheimsen" in _dump(db)  # nothing goes before the period has passed

    db.execute(update(Departure).values(left_at=utcnow() - timedelta(days=91)))
    db.commit()
    run_jobs(app, db)
    db.expire_all()
    dump = _dump(db)
    for secret in SECRETS:
        assert secret not in dump, secret
    [record] = db.scalars(select(Anonymisation)).all()
    assert record.trigger == "retention" and "Fjellheimsen" not in repr(record.counts)
    page = client_for(app, other).get(f"/diskusjoner/traad/{ids['thread']}")
    assert "Hvem blir med på dugnaden?" in page.text and "Tidligere medlem" in page.text


def test_a_member_who_rejoins_within_the_period_keeps_everything(app, db):
    _units, ingeborg, _leader, _other, _group_id = _organisation(app, db)
    client_for(app, ingeborg).post(
        "/min-profil/portal", data={"about": "Birøkter", "interests": "bier"}
    )
    register_says(app, db, ingeborg, status="utmeldt")
    run_jobs(app, db)
    register_says(app, db, ingeborg, status="aktiv")
    run_jobs(app, db)
    age_sync_changes(db, timedelta(days=100))
    db.execute(
        text("UPDATE profile_departure SET left_at = :t"), {"t": utcnow() - timedelta(days=91)}
    )
    db.commit()
    run_jobs(app, db)
    db.expire_all()
    assert db.scalars(select(Anonymisation)).all() == []
    page = client_for(app, ingeborg).get("/min-profil").text
    assert "Birøkter" in page and "Storgata 1" in page and "bier" in page


def test_an_administrator_forgets_a_former_member_at_once_with_a_reason(app, db):
    units, ingeborg, _leader, other, _group_id = _organisation(app, db)
    admin = make_member(db, units["0301"], roles=["sentraladmin@S"])
    db.commit()
    admin_client = client_for(app, admin)
    forget = {"member_number": ingeborg.number, "reason": "Ba om sletting"}
    refused = admin_client.post("/admin/personvern/glem", data=forget)
    assert refused.status_code == 302
    db.expire_all()
    assert db.scalars(select(Anonymisation)).all() == []  # still a member: refused
    register_says(app, db, ingeborg, status="utmeldt")
    admin_client.post("/admin/personvern/glem", data=forget)
    db.expire_all()
    [record] = db.scalars(select(Anonymisation)).all()
    assert record.trigger == "forget"
    assert db.get(Member, ingeborg.number).full_name == "Tidligere medlem"
    for secret in SECRETS:
        assert secret not in _dump(db), secret
    assert client_for(app, other).get("/admin/personvern/glem").status_code in (404, 405)
    assert client_for(app, other).get("/admin/personvern").status_code == 404


def test_records_of_processing_for_administrators(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0301"], roles=["sentraladmin@S"])
    db.commit()
    app.config["RETENTION_DAYS"] = 60
    client = client_for(app, admin)
    page = client.get("/admin/personvern").text
    assert "Protokoll over behandlingsaktiviteter" in page and "60 dager" in page
    document = client.get("/admin/personvern/behandlingsprotokoll.md")
    assert "Hemmelige stemmesedler" in document.text and "Lagringstid" in document.text
