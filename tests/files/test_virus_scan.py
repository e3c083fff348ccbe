"""The optional virus scan: a fake clamd on a Unix socket speaks the real INSTREAM protocol."""

from __future__ import annotations

import socketserver
import struct
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from innsiden.files.models import File
from tests.files.helpers import PDF, client_for, make_org, stored_objects, upload

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    scanned: list[bytes]


class InstreamHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        assert self.rfile.read(10) == b"zINSTREAM\0"
        data = b""
        while (size := struct.unpack("!L", self.rfile.read(4))[0]) > 0:
            data += self.rfile.read(size)
        self.server.scanned.append(data)  # type: ignore[attr-defined]
        found = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in data
        self.wfile.write(b"stream: Eicar-Test-Signature FOUND\0" if found else b"stream: OK\0")


@pytest.fixture
def clamd() -> Iterator[FakeClamd]:
    # A short path of its own: Unix socket paths are limited to about 100 bytes.
    with tempfile.TemporaryDirectory(prefix="clamd-") as directory:
        server = FakeClamd(str(Path(directory) / "clamd.sock"), InstreamHandler)
        server.scanned = []
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def scanning(app_config, clamd):
    app_config["CLAMD_SOCKET"] = clamd.server_address
    return clamd


def count(db) -> int:
    db.commit()
    return db.scalar(select(func.count(File.id)))


def test_a_clean_file_passes_the_scan(scanning, app, db):
    org = make_org(db)
    response = upload(client_for(app, org.member), org.bergen, ("Referat.pdf", PDF))
    assert response.status_code == 201
    assert scanning.scanned == [PDF]


def test_an_infected_file_is_refused(scanning, app, db):
    org = make_org(db)
    response = upload(client_for(app, org.member), org.bergen, ("virus.txt", EICAR))
    assert response.status_code == 400
    assert "virussjekken fant skadelig innhold" in response.get_json()["detail"]
    assert count(db) == 0 and stored_objects(app) == []


def test_without_clamd_nothing_is_taken_in(app_config, app, db, tmp_path):
    app.config["CLAMD_SOCKET"] = str(tmp_path / "nobody-listens.sock")
    org = make_org(db)
    member = client_for(app, org.member)
    response = upload(member, org.bergen, ("Referat.pdf", PDF))
    assert response.status_code == 503
    assert "Virussjekken av filer virker ikke" in response.get_json()["detail"]
    assert count(db) == 0 and stored_objects(app) == []


def test_the_scan_is_off_by_default(app, db):
    assert app.config["CLAMD_SOCKET"] == ""
    org = make_org(db)
    assert upload(client_for(app, org.member), org.bergen, ("virus.txt", EICAR)).status_code == 201
