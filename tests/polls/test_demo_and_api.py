"""The demo's polls, and creating polls through the JSON API."""

from collections import Counter

from sqlalchemy import func, select

from innsiden.db import session_factory
from innsiden.polls.demo import seed_polls
from innsiden.polls.models import Poll, PollVoter
from tests.factories import make_member
from tests.groups.helpers import make_interest_group
from tests.polls.conftest import client_for, poll_body


def test_the_demo_has_open_and_closed_polls_of_every_kind(app, db, bergen):
    kari = make_member(db, "0001", number=100001, first_name="Kari", roles=["lokallagsleder@0001"])
    admin = make_member(db, "0002", first_name="Ola", roles=["sentraladmin@S"])
    make_interest_group(db, "Klima og miljø", "open", admin=admin, members=[kari, *bergen.members])
    db.commit()
    for _run in range(2):  # `make run` seeds on every start: the second run adds nothing
        with app.app_context(), session_factory(app)() as session:
            seed_polls(session)
            session.commit()
    db.commit()
    polls = db.scalars(select(Poll)).all()
    now_closed = Counter(
        (p.group_id == bergen.group_id, p.kind, p.closed_at is not None) for p in polls
    )
    for kind in ("yes_no", "single", "multiple", "date"):
        assert now_closed[(True, kind, True)] == 1 and now_closed[(True, kind, False)] == 1
    assert sum(now_closed[(False, k, c)] for k in ("yes_no", "single") for c in (True, False)) == 2
    closed = [p for p in polls if p.closed_at is not None]
    for poll in closed:
        voters = db.scalar(select(func.count()).where(PollVoter.poll_id == poll.id))
        assert voters >= 1, poll.question
    page = (
        client_for(app, kari).get(f"/avstemninger/gruppe/{bergen.group_id}").get_data(as_text=True)
    )
    assert page.count("poll-card-title") == 8


def test_creating_and_voting_through_the_api(app, db, bergen):
    member = client_for(app, bergen.members[0])
    settings = f"/api/v1/polls/groups/{bergen.group_id}/settings"
    assert member.post("/api/v1/polls", json=poll_body(bergen.group_id)).status_code == 403
    assert member.put(settings, json={"members_may_create": True}).status_code == 403
    leader = client_for(app, bergen.leader)
    assert leader.put(settings, json={"members_may_create": True}).get_json() == {
        "group_id": bergen.group_id, "members_may_create": True,
    }  # fmt: skip
    created = member.post(
        "/api/v1/polls",
        json=poll_body(bergen.group_id, kind="single", options=["Bål", "Grill"], secret=False),
    )
    assert created.status_code == 201
    poll = created.get_json()
    assert poll["state"] == "open" and poll["electorate_size"] == 6
    assert poll["rules"]["secret"] is False and poll["me"]["can_vote"] is True
    bad = member.post(
        "/api/v1/polls", json=poll_body(bergen.group_id, kind="single", options=["A"])
    )
    assert bad.status_code == 400 and "options" in bad.get_json()["fields"]
    listed = member.get(f"/api/v1/polls?group={bergen.group_id}").get_json()["polls"]
    assert [p["id"] for p in listed] == [poll["id"]]
