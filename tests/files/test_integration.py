"""Files elsewhere in the portal: attachments of other capabilities, the group's front page,
the plain upload form (several files, no JavaScript needed) and the demo content."""

from __future__ import annotations

import io

from flask import render_template_string
from sqlalchemy import func, select

from innsiden.db import session_factory
from innsiden.files import intake, listing, service
from innsiden.files.demo import seed_files
from innsiden.files.models import File, FileVersion, Folder
from innsiden.groups.models import Group
from membersync.models import Member
from tests.factories import make_member, make_small_organisation
from tests.files.helpers import PDF, client_for, make_org, png

MACRO = (
    '{% from "files/_macros.html" import attachment_list %}{{ attachment_list(rows, "Vedlegg") }}'
)


def test_an_attachment_of_another_capability_is_a_file_of_the_group(app, db):
    org = make_org(db)
    with app.test_request_context(), session_factory(app)() as session:
        member = session.get(Member, org.member.number)
        group = session.get(Group, org.bergen)
        upload = intake.Upload("Sakspapirer.pdf", io.BytesIO(PDF))
        file = service.attach(session, member, group, upload, source="event:12")
        session.commit()
        found = listing.attachments(session, ["event:12", "post:99"])
        assert [row.file.id for row in found["event:12"]] == [file.id]
        assert found["post:99"] == []
        html = render_template_string(MACRO, rows=found["event:12"])
        assert "Sakspapirer.pdf" in html and f"/filer/{file.id}/last-ned" in html

    listed = client_for(app, org.member).get(f"/api/v1/files?group={org.bergen}").get_json()
    assert [(f["name"], f["source"]) for f in listed["files"]] == [("Sakspapirer.pdf", "event:12")]


def test_the_group_front_page_shows_the_newest_files(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    response = member.post(
        f"/grupper/{org.bergen}/filer/last-opp",
        data={
            "file": [(io.BytesIO(PDF), "Dagsorden.pdf"), (io.BytesIO(png()), "Stand.png")],
            "description": "Til møtet",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    area = member.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 filer er lastet opp." in area
    assert "Til møtet" in area

    page = member.get(f"/grupper/{org.bergen}").get_data(as_text=True)
    assert "Dagsorden.pdf" in page and "Stand.png" in page
    assert "Alle filer (2)" in page
    assert f"/grupper/{org.bergen}/filer" in page


def test_pages_work_without_inline_script(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    member.post(
        f"/grupper/{org.bergen}/filer/last-opp",
        data={"file": (io.BytesIO(PDF), "Dagsorden.pdf")},
        content_type="multipart/form-data",
    )
    page = member.get(f"/grupper/{org.bergen}/filer").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert "<script>" not in page and " style=" not in page and "onclick" not in page
    assert "/static/js/files.js" in page
    assert member.get("/static/js/files.js", buffered=True).status_code == 200


def test_the_demo_puts_a_few_files_in_bergen_lokallag_once(app, db):
    units = make_small_organisation(db)
    make_member(db, units["0001"], number=100_001, first_name="Kari", last_name="Nordmann",
                roles=["lokallagsleder@0001"])  # fmt: skip
    db.commit()
    with app.test_request_context():
        for _ in range(2):  # `make run` seeds on every start
            with session_factory(app)() as session:
                seed_files(session)
                session.commit()
    db.commit()
    names = dict(db.execute(select(File.name, FileVersion.mime_type).join(FileVersion)).all())
    assert names == {
        "Dagsorden medlemsmøte.pdf": "application/pdf",
        "Referat styremøte.txt": "text/plain",
        "Stand på Torgallmenningen.png": "image/png",
    }
    assert db.scalar(select(func.count(Folder.id))) == 1
    assert (
        db.scalar(select(func.count(FileVersion.id)).where(FileVersion.thumb_key.is_not(None))) == 1
    )
