"""Central administrators see every sync run, what it changed and which rows it rejected."""

from sqlalchemy import select

from innsiden.audit import AuditEntry
from tests.conftest import login_as
from tests.factories import make_member
from tests.membersync.helpers import changed, sync


def test_admins_see_runs_counts_rejections_and_changes(app, db, factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    after = changed(register)
    after.members[7]["status"] = "sovende"
    after.members[9]["etternavn"] = "Flyttesen"
    result = sync(factory, after.write_csv(tmp_path / "second"), on_bad_rows="skip")
    admin = make_member(db, "0001", roles=["sentraladmin@S"])
    db.commit()
    client = app.test_client()
    login_as(client, admin)

    listing = client.get("/admin/synk")
    assert listing.status_code == 200
    assert f"/admin/synk/{result.run_id}" in listing.text
    detail = client.get(f"/admin/synk/{result.run_id}")
    assert detail.status_code == 200
    assert "ugyldig status «sovende»" in detail.text and "medlemmer.csv" in detail.text
    assert after.members[9]["medlemsnummer"] in detail.text
    assert client.get(f"/admin/synk/{result.run_id}?slag=updated").status_code == 200
    assert "/admin/synk" in client.get("/admin/").text
    db.commit()
    viewed = db.scalars(select(AuditEntry).where(AuditEntry.action == "admin.sync_run_viewed"))
    assert [entry.actor_number for entry in viewed] == [admin.number, admin.number]


def test_others_do_not_find_the_page(app, db, factory, register, tmp_path):
    result = sync(factory, register.write_csv(tmp_path / "first"))
    leader = make_member(db, "0001", roles=["lokallagsleder@0001"])
    db.commit()
    client = app.test_client()
    login_as(client, leader)
    assert client.get("/admin/synk").status_code == 404
    assert client.get(f"/admin/synk/{result.run_id}").status_code == 404
