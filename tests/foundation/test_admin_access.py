"""Only members the register names `sentraladmin` reach the admin pages."""

from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation


def test_admin_page_is_for_sentraladmin_only(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"], roles=["sentraladmin@S"])
    leader = make_member(db, units["0001"], roles=["lokallagsleder@0001"])
    db.commit()
    admin_client, leader_client = app.test_client(), app.test_client()
    login_as(admin_client, admin)
    login_as(leader_client, leader)
    assert admin_client.get("/admin/").status_code == 200
    assert leader_client.get("/admin/").status_code == 404
