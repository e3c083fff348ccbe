"""Listings cost the same number of statements for 2 groups as for 40."""

from innsiden.groups import activity
from tests.factories import make_member, make_small_organisation, make_unit
from tests.groups.helpers import client_for, make_interest_group
from tests.querycount import counted


def _statements(app, client, path):
    client.get(path)  # the first look anchors any new location groups
    with counted(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def _grow(db, admin, member, start, count):
    for n in range(start, start + count):
        make_unit(db, f"L{n:03d}", f"Lag {n}", "lokallag", "F01")
        make_member(db, f"L{n:03d}")
        make_interest_group(
            db, f"Gruppe {n}", ("open", "closed", "hidden")[n % 3], admin=admin, members=[member]
        )
    db.commit()


def test_mine_grupper_and_the_directory_do_not_grow_with_the_groups(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"], roles=["lokallagsleder@0001"])
    member = make_member(db, units["0001"], roles=["nestleder@0002"])
    db.commit()
    client = client_for(app, member)
    _grow(db, admin, member, 0, 2)
    paths = ["/grupper/mine", "/grupper/", "/api/v1/groups", "/api/v1/groups?mine=1"]
    few = {path: _statements(app, client, path) for path in paths}
    _grow(db, admin, member, 2, 40)
    many = {path: _statements(app, client, path) for path in paths}
    assert many == few
    # BEGIN, the login check, a fixed handful, and one statement per capability that counts
    # unread things on "Mine grupper" (discussions, polls, …: each answers for all groups).
    assert max(many.values()) <= 15 + len(activity._counters)
