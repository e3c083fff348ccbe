"""The audit-log page: administrators only, filters by actor, action, subject and time, paged
by id, and every look at it is itself logged."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from innsiden import audit
from innsiden.audit import AuditEntry
from membersync.db import utcnow
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation


def _rows(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-audit-entry="(\d+)"', page)]


def test_administrators_filter_and_page_the_audit_log_and_the_look_is_logged(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0301"], first_name="Ola", roles=["sentraladmin@S"])
    leader = make_member(db, units["0001"], first_name="Kari", roles=["lokallagsleder@0001"])
    db.commit()
    for _n in range(60):
        audit.record(db, "auth.login", actor_number=leader.number, target=f"member:{leader.number}")
    audit.record(db, "admin.suspended", actor_number=admin.number, target="member:100999")
    old = audit.record(db, "auth.login", actor_number=admin.number, target="member:1")
    old.at = utcnow() - timedelta(days=40)
    db.commit()

    outsider = app.test_client()
    login_as(outsider, leader)
    assert outsider.get("/admin/logg").status_code == 404  # not even that it exists

    client = app.test_client()
    login_as(client, admin)
    first = client.get(f"/admin/logg?aktor={leader.number}&handling=auth.")
    assert first.status_code == 200
    page_one = _rows(first.text)
    assert len(page_one) == 50 and page_one == sorted(page_one, reverse=True)
    older = re.search(r'href="([^"]*foer=\d+[^"]*)" rel="next"', first.text).group(1)
    second = client.get(older.replace("&amp;", "&"))
    page_two = _rows(second.text)
    assert len(page_two) == 10 and max(page_two) < min(page_one)

    suspended = client.get("/admin/logg?gjelder=member:100999")
    assert len(_rows(suspended.text)) == 1 and "admin.suspended" in suspended.text
    today = utcnow().date()
    recent = client.get(f"/admin/logg?aktor={admin.number}&handling=auth.login&fra={today}")
    assert _rows(recent.text) == []  # the old login is outside the time window
    assert (
        client.get(f"/admin/logg?aktor={admin.number}&handling=auth.login").text.count(
            "data-audit-entry="
        )
        == 1
    )

    db.commit()
    looks = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "admin.audit_log_viewed")
    ).all()
    assert len(looks) == 5
    assert all(look.actor_number == admin.number for look in looks)
    assert looks[0].detail["aktor"] == str(leader.number)


def test_the_header_menu_shows_administration_to_administrators_only(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0301"], roles=["sentraladmin@S"])
    member = make_member(db, units["0001"])
    db.commit()
    for who, sees in ((admin, True), (member, False)):
        client = app.test_client()
        login_as(client, who)
        page = client.get("/").text
        assert 'data-menu-key="polls"' in page and 'data-menu-key="profile"' in page
        assert ('data-menu-key="admin"' in page) is sees
