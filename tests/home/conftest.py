"""A small organisation for the front-page tests: Kari and Per in Bergen lokallag, Ola in
Oslo, a hidden interest group Kari is not in; helpers to read the stream as a member sees it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from innsiden.groups.anchors import location_group_ids
from membersync.models import Member
from tests.conftest import run_jobs
from tests.factories import make_member, make_small_organisation
from tests.groups.helpers import client_for, make_interest_group


@dataclass
class Home:
    app: Flask
    db: Session
    bergen: int  # group ids
    vestland: int
    oslo: int
    hidden: int  # a hidden interest group of Oslo members
    kari: Member  # Bergen, lokallagsleder
    per: Member  # Bergen
    ola: Member  # Oslo, administers the hidden group

    def client(self, member: Member) -> FlaskClient:
        return client_for(self.app, member)

    def run_jobs(self) -> None:
        run_jobs(self.app, self.db)


@pytest.fixture
def home(app, db) -> Home:
    units = make_small_organisation(db)
    kari = make_member(
        db, units["0001"], first_name="Kari", last_name="Nordmann", roles=["lokallagsleder@0001"]
    )
    per = make_member(db, units["0001"], first_name="Per", last_name="Dahl")
    ola = make_member(db, units["0301"], first_name="Ola", last_name="Oslo")
    hidden = make_interest_group(db, "Hemmelig utvalg", "hidden", admin=ola)
    db.commit()
    ids = location_group_ids(db, ["0001", "F01", "0301"])
    db.commit()
    return Home(app, db, ids["0001"], ids["F01"], ids["0301"], hidden.id, kari, per, ola)


def stream(client: FlaskClient, **args: object) -> dict:
    response = client.get("/api/v1/home/stream", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def headlines(client: FlaskClient, **args: object) -> list[str]:
    return [entry["headline"] for entry in stream(client, **args)["entries"]]


def front_page(client: FlaskClient, **args: object) -> str:
    response = client.get("/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)
