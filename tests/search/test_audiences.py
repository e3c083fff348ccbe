"""The permission filter follows memberships at the moment of each search."""

from innsiden.search import get_engine
from innsiden.search.audiences import allowed_audiences
from innsiden.search.engine import SearchDocument, SearchQuery
from tests.factories import make_member, make_small_organisation
from tests.groups.helpers import client_for, make_interest_group


def test_leaving_a_group_hides_its_posts_from_the_next_search(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"], first_name="Anne")
    insider = make_member(db, units["0001"], first_name="Ivar")
    outsider = make_member(db, units["0001"], first_name="Olav")
    group = make_interest_group(db, "Valgkampstab", "hidden", admin=admin, members=[insider])
    db.commit()
    engine = get_engine(app)
    engine.index([SearchDocument("post", "post:1", f"group:{group.id}", "",
                                 "Utkast til valgkampplanen", group_id=group.id)])  # fmt: skip

    def search_as(member):
        allowed = allowed_audiences(db, member)
        db.commit()  # as a request ends: the next search reads memberships afresh
        return [h.id for h in engine.search(SearchQuery("valgkampplanen", allowed)).hits]

    assert search_as(insider) == ["post:1"]
    assert search_as(outsider) == []
    mine = allowed_audiences(db, insider)
    db.commit()
    assert "org" in mine and f"unit:{insider.lokallag_id}" in mine

    assert client_for(app, insider).post(f"/api/v1/groups/{group.id}/leave").status_code == 200
    assert search_as(insider) == []


def test_no_member_no_audiences(app, db):
    assert allowed_audiences(db, None) == frozenset()
