"""What must never get in is refused (or neutralised) with a clear message, and nothing of
it is left behind: disguised HTML, SVG with script, path tricks, image bombs, files too large."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from innsiden.files.models import File
from tests.files.helpers import PDF, client_for, make_org, stored_objects, upload

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header (with a valid CRC) claims width × height pixels."""
    out = io.BytesIO()
    Image.new("1", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def post_multipart(client, path, fields):
    # Encoded in memory: the test client would spool a large body to a temporary file it
    # never closes when the app refuses the request unread.
    boundary, body = encode_multipart(MultiDict(fields))
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def form_upload(client, group_id, name, content):
    path = f"/grupper/{group_id}/filer/last-opp"
    return post_multipart(client, path, {"file": FileStorage(io.BytesIO(content), name)})


def file_count(db) -> int:
    db.commit()
    return db.scalar(select(func.count(File.id)))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bilde.png", b"<html><script>alert(1)</script></html>", "Denne filtypen kan ikke"),
        ("logo.svg", SVG, "Denne filtypen kan ikke"),
        ("logo.png", SVG, "Denne filtypen kan ikke"),
        ("bombe.png", png_claiming_size(20_000, 20_000), "for mange piksler"),
        ("tom.pdf", b"", "Filen er tom"),
        (
            "program.exe",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200),
            "Denne filtypen kan ikke",
        ),
    ],
)
def test_dangerous_files_are_refused_with_a_clear_message(app, db, name, content, message):
    org = make_org(db)
    member = client_for(app, org.member)

    response = form_upload(member, org.bergen, name, content)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)  # shown above the upload form
    api = upload(member, org.bergen, (name, content))
    assert api.status_code == 400 and message in api.get_json()["detail"]
    assert file_count(db) == 0
    assert stored_objects(app) == []


def test_a_path_in_the_name_is_neutralised(app, db):
    org = make_org(db)
    member = client_for(app, org.member)

    response = upload(member, org.bergen, ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"))
    assert response.status_code == 201
    assert response.get_json()["files"][0]["name"] == "passwd.txt"
    windows = upload(member, org.bergen, ("..\\..\\boot.ini\u202egpj.exe", b"[boot]\n"))
    assert windows.get_json()["files"][0]["name"] == "boot.inigpj.exe.txt"
    # Stored under generated names, never the member's.
    assert all("passwd" not in path and "boot" not in path for path in stored_objects(app))


@pytest.fixture
def small_limit(app_config):
    app_config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    return app_config


def test_a_file_over_the_limit_gets_a_clear_413_page(small_limit, app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    big = PDF + b"0" * (1024 * 1024 + 10)

    response = form_upload(member, org.bergen, "stor.pdf", big)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "For stor fil" in page and "1 MB" in page
    api = post_multipart(
        member,
        "/api/v1/files",
        {"group": str(org.bergen), "file": FileStorage(io.BytesIO(big), "stor.pdf")},
    )
    assert api.status_code == 413
    assert "Største tillatte størrelse" in api.get_json()["detail"]
    assert file_count(db) == 0
    assert stored_objects(app) == []


def test_a_file_over_the_limit_is_refused_also_when_handed_over_by_a_service(small_limit, app, db):
    from innsiden.db import session_factory
    from innsiden.errors import TooLarge
    from innsiden.files import intake, service
    from innsiden.groups.models import Group
    from membersync.models import Member

    org = make_org(db)
    with app.test_request_context(), session_factory(app)() as session:
        member = session.get(Member, org.member.number)
        group = session.get(Group, org.bergen)
        big = intake.Upload("stor.pdf", io.BytesIO(PDF + b"0" * (2 * 1024 * 1024)))
        with pytest.raises(TooLarge, match="Største tillatte størrelse er 1 MB"):
            service.attach(session, member, group, big, source="post:1")
    assert file_count(db) == 0
    assert stored_objects(app) == []


def test_choosing_no_file_is_explained(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    response = member.post(
        f"/grupper/{org.bergen}/filer/last-opp",
        data={"file": (io.BytesIO(b""), "")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Velg minst én fil" in response.get_data(as_text=True)


def test_a_too_long_description_is_explained_and_nothing_is_kept(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    response = upload(member, org.bergen, ("Referat.pdf", PDF), description="x" * 2001)
    assert response.status_code == 400
    assert "høyst 2000 tegn" in response.get_json()["detail"]
    assert file_count(db) == 0
    assert stored_objects(app) == []
