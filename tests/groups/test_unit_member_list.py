"""Leaders' member lists from the register: for the unit's leaders only, every look audited,
exports safe to open in a spreadsheet."""

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from innsiden.audit import AuditEntry
from tests.factories import make_member, make_small_organisation
from tests.groups.helpers import client_for

LIST = "/grupper/enhet/{unit}/medlemsliste"


def _audit(db):
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    db.commit()
    return [(e.action, e.actor_number, e.target, e.detail.get("format")) for e in entries]


@pytest.mark.parametrize("suffix", ["", ".csv", ".xlsx"])
def test_a_non_leader_gets_403_on_the_list_and_its_exports(app, db, suffix):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"], roles=["styremedlem@0001"])
    other_leader = make_member(db, units["0002"], roles=["lokallagsleder@0002"])
    db.commit()
    for who in (member, other_leader):
        assert client_for(app, who).get(LIST.format(unit="0001") + suffix).status_code == 403
    assert _audit(db) == []


@pytest.mark.parametrize(
    "role",
    [
        "lokallagsleder@0001",
        "kasserer@0001",
        "fylkesleder@F01",
        "fylkessekretaer@F01",
        "kasserer@F01",
    ],
)
def test_leaders_see_their_units_list_and_every_look_is_audited(app, db, role):
    units = make_small_organisation(db)
    leader = make_member(db, units["0301"], roles=[role])
    make_member(db, units["0001"], first_name="Kari", last_name="Bergen", mobile="+4791234567")
    make_member(db, units["0001"], first_name="Utmeldt", status="utmeldt")
    db.commit()
    client = client_for(app, leader)

    page = client.get(LIST.format(unit="0001"))
    assert page.status_code == 200
    assert "Bergen, Kari" in page.text and "+4791234567" in page.text
    assert "Utmeldt" not in page.text
    assert "Utmeldt" in client.get(LIST.format(unit="0001") + "?status=utmeldt").text
    assert client.get(LIST.format(unit="0001") + ".csv").status_code == 200
    assert client.get(LIST.format(unit="0001") + ".xlsx").status_code == 200

    assert _audit(db) == [
        ("groups.member_list_viewed", leader.number, "unit:0001", "view"),
        ("groups.member_list_viewed", leader.number, "unit:0001", "view"),
        ("groups.member_list_exported", leader.number, "unit:0001", "csv"),
        ("groups.member_list_exported", leader.number, "unit:0001", "xlsx"),
    ]


def test_a_fylkesleader_sees_the_whole_fylkeslag_and_filters_by_lokallag(app, db):
    units = make_small_organisation(db)
    leader = make_member(db, units["0001"], roles=["fylkesleder@F01"])
    make_member(db, units["0002"], first_name="Vossing")
    make_member(db, units["0301"], first_name="Oslobu")
    db.commit()
    client = client_for(app, leader)
    page = client.get(LIST.format(unit="F01")).text
    assert "Vossing" in page and "Oslobu" not in page
    assert "Vossing" not in client.get(LIST.format(unit="F01") + "?lokallag=0001").text
    assert client.get(LIST.format(unit="F02")).status_code == 403


def test_the_csv_export_neutralises_formulas(app, db):
    units = make_small_organisation(db)
    leader = make_member(db, units["0001"], roles=["lokallagsleder@0001"])
    make_member(
        db,
        units["0001"],
        first_name="=cmd|' /C calc'!A0",
        last_name="@SUM(A1)",
        email="-2+3@example.no",
    )
    db.commit()
    response = client_for(app, leader).get(LIST.format(unit="0001") + ".csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads æøå right
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "'@SUM(A1)" in cells and "'-2+3@example.no" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_xlsx_export_holds_only_text_cells(app, db):
    units = make_small_organisation(db)
    leader = make_member(db, units["0001"], roles=["lokallagsleder@0001"])
    make_member(db, units["0001"], first_name='=HYPERLINK("http://x")', last_name="Ødegård")
    db.commit()
    response = client_for(app, leader).get(LIST.format(unit="0001") + ".xlsx")
    with zipfile.ZipFile(io.BytesIO(response.data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        assert "xl/workbook.xml" in book.namelist()
    assert "<f>" not in sheet and 't="inlineStr"' in sheet
    assert "'=HYPERLINK(&quot;http://x&quot;)" in sheet or '\'=HYPERLINK("http://x")' in sheet
    assert "Ødegård" in sheet
