"""Min profil: the register's data as the mirror has it, change requests and their fate."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from werkzeug import Request, Response
from werkzeug.serving import make_server

from innsiden.groups.models import Group
from innsiden.notifications.models import Notification
from innsiden.profile.models import ChangeRequest
from tests.conftest import run_jobs
from tests.factories import make_member, make_small_organisation
from tests.profile.helpers import client_for, register_says, with_address


def _kari(db):
    units = make_small_organisation(db)
    kari = make_member(
        db, units["0001"], first_name="Kari", last_name="Fjellheimsen",
        email="kari@example.no", mobile="+4791234567", roles=["kasserer@0001"],
    )  # fmt: skip
    with_address(
        db, kari, address="Storgata 1", postal_code="5003", postal_place="Bergen",
        municipality="Bergen",
    )  # fmt: skip
    other = make_member(db, units["0001"], first_name="Ola", email="ola@example.no")
    with_address(db, other, address="Lillegata 9")
    db.commit()
    return units, kari, other


def test_min_profil_shows_exactly_the_register_data(app, db):
    _units, kari, _other = _kari(db)
    page = client_for(app, kari).get("/min-profil")
    assert page.status_code == 200
    text = page.text
    for value in (
        "Kari",
        "Fjellheimsen",
        "Storgata 1",
        "5003",
        "Bergen",
        "+4791234567",
        "kari@example.no",
        "Bergen lokallag",
        "Vestland fylkeslag",
        "aktiv",
        "2020-01-01",
        "2026-12-31",
        "kasserer",
        "Dette har medlemsregisteret om deg",
    ):
        assert value in text, value  # fmt: skip
    assert "ola@example.no" not in text and "Lillegata" not in text
    assert 'href="/min-profil"' in client_for(app, kari).get("/").text  # the header link


def test_a_change_request_reaches_the_outbox_and_the_next_sync_confirms_it(app, db, outbox):
    _units, kari, _other = _kari(db)
    client = client_for(app, kari)
    answer = client.post("/min-profil/endring", data={"kind": "email", "email": "Ny@Example.no"})
    assert answer.status_code == 302
    [mail] = outbox.mails(to="medlemsservice@localhost")
    assert str(kari.number) in mail["Subject"] and "ny@example.no" in mail.get_content()
    db.commit()
    [request] = db.scalars(select(ChangeRequest)).all()
    assert (request.state, request.fields) == ("sent", {"email": "ny@example.no"})
    assert "Sendt til medlemsregisteret" in client.get("/min-profil").text

    register_says(app, db, kari, mobil="+4799999999")  # a sync that does not carry it
    run_jobs(app, db)
    db.expire_all()
    assert db.get(ChangeRequest, request.id).state == "sent"

    register_says(app, db, kari, epost="ny@example.no")
    run_jobs(app, db)
    db.expire_all()
    assert db.get(ChangeRequest, request.id).state == "confirmed"
    told = db.scalars(select(Notification).where(Notification.kind == "profile.change_confirmed"))
    assert [n.recipient_number for n in told] == [kari.number]
    assert "Gjennomført i registeret" in client.get("/min-profil").text


def test_a_change_request_is_checked_before_it_is_sent(app, db, outbox):
    _units, kari, _other = _kari(db)
    answer = client_for(app, kari).post(
        "/min-profil/endring", data={"kind": "address", "address": "Ny vei 2", "postal_code": "50"}
    )
    assert answer.status_code == 400 and "Postnummeret har fire sifre." in answer.text
    assert outbox.mails() == []
    db.commit()
    assert db.scalars(select(ChangeRequest)).all() == []


@pytest.fixture
def register_api(app_config) -> Iterator[list[tuple[dict[str, str], bytes]]]:
    """A stub of the register's API that records what it is sent."""
    received: list[tuple[dict[str, str], bytes]] = []

    @Request.application
    def answer(request: Request) -> Response:
        received.append((dict(request.headers), request.get_data()))
        return Response("{}", status=202 if request.path == "/api/change-requests" else 404)

    server = make_server("127.0.0.1", 0, answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app_config.update(
        REGISTER_CHANGE_CHANNEL="api",
        REGISTER_API_URL=f"http://127.0.0.1:{server.server_port}/api",
        REGISTER_API_SECRET="delt-hemmelighet",
    )
    yield received
    server.shutdown()
    thread.join(timeout=10)


def test_the_api_channel_posts_a_signed_request_to_the_register(register_api, app, db, outbox):
    _units, kari, _other = _kari(db)
    answer = client_for(app, kari).post(
        "/api/v1/profile/change-requests",
        json={"kind": "mobile", "fields": {"mobile": "917 00 000"}, "message": "Nytt nummer"},
    )
    assert answer.status_code == 201 and answer.get_json()["state"] == "sent"
    [(headers, body)] = register_api
    timestamp = headers["X-Register-Timestamp"]
    expected = hmac.new(b"delt-hemmelighet", f"{timestamp}.".encode() + body, hashlib.sha256)
    assert headers["X-Register-Signature"] == "sha256=" + expected.hexdigest()
    sent = json.loads(body)
    assert sent["medlemsnummer"] == str(kari.number)
    assert sent["fields"] == {"mobile": "+4791700000"} and outbox.mails() == []


def test_a_register_that_cannot_be_reached_marks_the_request_failed(app_config, app, db):
    app.config.update(REGISTER_CHANGE_CHANNEL="api", REGISTER_API_URL="http://127.0.0.1:9/api")
    _units, kari, _other = _kari(db)
    answer = client_for(app, kari).post("/min-profil/endring", data={"kind": "resign"})
    assert answer.status_code == 302
    db.commit()
    [request] = db.scalars(select(ChangeRequest)).all()
    assert request.state == "failed" and request.error == "registeret kunne ikke nås"


def test_interests_suggest_interest_groups_to_join(app, db):
    _units, kari, _other = _kari(db)
    db.add_all([
        Group(kind="interest", own_name="Klima og miljø", visibility="open",
              description="Natur og klimapolitikk"),
        Group(kind="interest", own_name="Landbruk", visibility="closed", description="Bønder"),
        Group(kind="interest", own_name="Hemmelig klimastab", visibility="hidden"),
        Group(kind="interest", own_name="Idrett", visibility="open"),
    ])  # fmt: skip
    db.commit()
    client = client_for(app, kari)
    saved = client.post(
        "/min-profil/portal", data={"interests": "Klima, landbruk", "about": "Bonde"}
    )
    assert saved.status_code == 302
    profile = client.get("/api/v1/profile").get_json()
    assert profile["portal"]["interests"] == ["klima", "landbruk"]
    assert [g["name"] for g in profile["suggested_groups"]] == ["Klima og miljø", "Landbruk"]
    assert profile["register"]["email"] == "kari@example.no"
    page = client.get("/min-profil").text
    assert "Klima og miljø" in page and "Hemmelig klimastab" not in page


def test_the_picture_is_shown_only_to_those_who_share_a_group(app, db):
    import io

    from PIL import Image

    units, kari, other = _kari(db)
    stranger = make_member(db, units["0301"])
    db.commit()
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(picture, "PNG")
    picture.seek(0)
    client = client_for(app, kari)
    saved = client.post(
        "/min-profil/bilde", data={"picture": (picture, "meg.png")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert saved.status_code == 302
    assert _fetch(client, f"/min-profil/bilde/{kari.number}/mini") == (200, "image/png")
    assert _fetch(client_for(app, other), f"/min-profil/bilde/{kari.number}") == (200, "image/png")
    assert _fetch(client_for(app, stranger), f"/min-profil/bilde/{kari.number}")[0] == 404


def _fetch(client, url):
    response = client.get(url)
    response.get_data()
    response.close()
    return response.status_code, response.mimetype
