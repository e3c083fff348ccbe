"""Shared steps for the files tests: an organisation with members, uploads as members do
them, and what the storage backend holds."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy.orm import Session

from innsiden.groups.anchors import location_group_ids
from innsiden.storage import LocalStorage, S3Storage
from membersync.models import Member
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation
from tests.s3 import BUCKET, client

on_both_backends = pytest.mark.parametrize("backend", ["local", "s3"], indirect=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Org:
    leader: Member  # lokallagsleder: administers Bergen's group
    member: Member  # an ordinary member of Bergen lokallag
    other: Member  # another ordinary member of Bergen lokallag
    outsider: Member  # a member of Oslo lokallag
    bergen: int  # group ids
    oslo: int


def make_org(db: Session) -> Org:
    units = make_small_organisation(db)
    leader = make_member(db, units["0001"], first_name="Kari", roles=["lokallagsleder@0001"])
    member = make_member(db, units["0001"], first_name="Per")
    other = make_member(db, units["0001"], first_name="Anne")
    outsider = make_member(db, units["0301"], first_name="Oslo")
    db.commit()
    ids = location_group_ids(db, ["0001", "0301"])
    db.commit()
    return Org(leader, member, other, outsider, ids["0001"], ids["0301"])


def client_for(app: Flask, member: Member) -> FlaskClient:
    client_ = app.test_client()
    login_as(client_, member)
    return client_


def png(width: int = 640, height: int = 480, color: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def upload(
    client_: FlaskClient, group_id: int, *files: tuple[str, bytes], folder: int | None = None,
    description: str = "",
):  # fmt: skip
    """Upload through the JSON API; returns the response."""
    data: dict[str, object] = {
        "group": str(group_id),
        "description": description,
        "file": [(io.BytesIO(content), name) for name, content in files],
    }
    if folder is not None:
        data["folder"] = str(folder)
    return client_.post("/api/v1/files", data=data, content_type="multipart/form-data")


def uploaded_id(client_: FlaskClient, group_id: int, name: str, content: bytes) -> int:
    response = upload(client_, group_id, (name, content))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["files"][0]["id"]


def fetch(client_: FlaskClient, url: str) -> bytes:
    """A download's bytes, following a presigned-URL redirect to S3 if there is one."""
    response = client_.get(url, buffered=True)
    if response.status_code == 302:
        import urllib.request

        location = response.headers["Location"]
        assert location.startswith("http://127.0.0.1")  # our local S3 server
        with urllib.request.urlopen(location, timeout=10) as answer:  # noqa: S310 - local server
            return answer.read()
    assert response.status_code == 200, response.status_code
    return response.get_data()


def stored_objects(app: Flask) -> list[str]:
    """Every object the app's storage holds now."""
    storage = app.extensions["innsiden.storage"]
    if isinstance(storage, LocalStorage):
        if not storage.root.exists():
            return []
        return [str(p) for p in storage.root.rglob("*") if p.is_file()]
    assert isinstance(storage, S3Storage)
    endpoint = app.config["S3_ENDPOINT_URL"]
    found = client(endpoint).list_objects_v2(Bucket=BUCKET, Prefix=storage.prefix)
    return [o["Key"] for o in found.get("Contents", [])]
