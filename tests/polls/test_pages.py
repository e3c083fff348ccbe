"""The poll pages as members use them: create, vote with a receipt, lists, group page;
and nothing of a group's polls reaches a member of another group."""

from datetime import UTC, datetime

from sqlalchemy import select

from innsiden.polls.models import Poll
from tests.polls.conftest import client_for, close_now, create_poll, option_ids
from tests.querycount import counted


def test_a_leader_creates_a_poll_with_oslo_times(app, db, bergen):
    leader = client_for(app, bergen.leader)
    form = leader.get(f"/avstemninger/gruppe/{bergen.group_id}/ny")
    assert form.status_code == 200 and 'name="closes_at"' in form.get_data(as_text=True)
    response = leader.post(
        f"/avstemninger/gruppe/{bergen.group_id}/ny",
        data={
            "kind": "multiple", "question": "Velg to delegater",
            "description": "Se **sakspapirene**.<script>alert(1)</script>",
            "options": "Anne\nPer\nLars", "max_choices": "2",
            "opens_at": "2027-01-15T18:00", "closes_at": "2027-01-15T19:00",
            "electorate": "aktiv", "secret": "ja", "results_shown": "live",
            "quorum_kind": "percent", "quorum_value": "30",
        },
    )  # fmt: skip
    assert response.status_code == 302
    db.commit()
    poll = db.scalar(select(Poll).where(Poll.question == "Velg to delegater"))
    assert poll.closes_at == datetime(2027, 1, 15, 18, 0, tzinfo=UTC)  # 19:00 in Oslo, winter
    assert "<strong>sakspapirene</strong>" in poll.description_html
    assert "<script" not in poll.description_html
    assert [o.label for o in poll.options] == ["Anne", "Per", "Lars"]
    page = leader.get(response.headers["Location"]).get_data(as_text=True)
    assert "fredag 15. januar 2027 kl. 19:00" in page
    assert "Hvem som kan stemme, fastsettes når avstemningen åpner" in page


def test_bad_input_shows_the_form_again_with_messages(app, db, bergen):
    leader = client_for(app, bergen.leader)
    response = leader.post(
        f"/avstemninger/gruppe/{bergen.group_id}/ny",
        data={"kind": "single", "question": "Hm", "options": "Bare ett", "closes_at": "i morgen"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Skriv tidspunktet som" in page
    assert 'value="Hm"' in page


def test_only_administrators_create_unless_the_group_allows_members(app, db, bergen):
    member = client_for(app, bergen.members[0])
    assert member.get(f"/avstemninger/gruppe/{bergen.group_id}/ny").status_code == 403
    settings = f"/avstemninger/gruppe/{bergen.group_id}/innstillinger"
    assert member.post(settings, data={"members_may_create": "ja"}).status_code == 403
    leader = client_for(app, bergen.leader)
    assert leader.post(settings, data={"members_may_create": "ja"}).status_code == 302
    assert member.get(f"/avstemninger/gruppe/{bergen.group_id}/ny").status_code == 200


def test_voting_in_the_page_shows_the_receipt_once(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    member = client_for(app, bergen.members[0])
    page = member.get(f"/avstemninger/{poll_id}").get_data(as_text=True)
    assert 'name="choice"' in page and "0 av 6 stemmeberettigede har stemt" in page
    yes = option_ids(member, poll_id)[0]
    receipt = member.post(f"/avstemninger/{poll_id}/stem", data={"choice": str(yes)})
    assert receipt.status_code == 200
    assert "Kvitteringskoden din" in receipt.get_data(as_text=True)
    assert receipt.headers["Cache-Control"] == "no-store"
    after = member.get(f"/avstemninger/{poll_id}").get_data(as_text=True)
    assert "Du har stemt." in after and 'name="choice"' not in after
    assert "1 av 6 stemmeberettigede har stemt" in after


def test_a_date_poll_in_the_page(app, db, bergen):
    poll_id = create_poll(
        app, bergen.leader, bergen.group_id, kind="date", secret=False, results_shown="live",
        options=["2026-12-03 kl. 19", "2026-12-04"],
    )  # fmt: skip
    member = client_for(app, bergen.members[0])
    first, second = option_ids(member, poll_id)
    response = member.post(
        f"/avstemninger/{poll_id}/stem", data={f"date-{first}": "yes", f"date-{second}": "maybe"}
    )
    assert response.status_code == 302
    page = member.get(f"/avstemninger/{poll_id}").get_data(as_text=True)
    assert "torsdag 3. desember 2026 kl. 19" in page
    assert "Best egnet: torsdag 3. desember 2026 kl. 19" in page


def test_lists_and_the_group_front_page_show_polls(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    member = client_for(app, bergen.members[0])
    for path in (
        "/avstemninger/",
        f"/avstemninger/gruppe/{bergen.group_id}",
        f"/grupper/{bergen.group_id}",
    ):
        page = member.get(path)
        assert page.status_code == 200, path
        assert f"/avstemninger/{poll_id}" in page.get_data(as_text=True), path
    mine = member.get("/api/v1/groups?mine=1").get_json()["groups"]
    assert any(g.get("unread") == 1 for g in mine)  # a poll waiting for the member's vote


def test_nothing_reaches_a_member_of_another_group(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, results_shown="live")
    close_now(app, poll_id)
    outsider = client_for(app, bergen.outsider)
    paths = [
        f"/avstemninger/{poll_id}", f"/avstemninger/{poll_id}/stemmesedler",
        f"/avstemninger/{poll_id}/resultat.csv", f"/avstemninger/{poll_id}/rediger",
        f"/avstemninger/gruppe/{bergen.group_id}", f"/avstemninger/gruppe/{bergen.group_id}/ny",
        f"/api/v1/polls/{poll_id}", f"/api/v1/polls/{poll_id}/results",
        f"/api/v1/polls/{poll_id}/ballots", f"/api/v1/polls?group={bergen.group_id}",
    ]  # fmt: skip
    for path in paths:
        assert outsider.get(path).status_code == 404, path
    assert (
        outsider.post(f"/api/v1/polls/{poll_id}/receipt", json={"receipt": "x"}).status_code == 404
    )
    assert outsider.post(f"/avstemninger/{poll_id}/slett").status_code == 404
    assert outsider.get("/api/v1/polls").get_json() == {"polls": [], "next": None}
    assert f"/avstemninger/{poll_id}" not in outsider.get("/avstemninger/").get_data(as_text=True)


def test_list_pages_do_not_grow_with_the_number_of_polls(app, db, bergen):
    member = client_for(app, bergen.members[0])
    paths = ["/avstemninger/", f"/avstemninger/gruppe/{bergen.group_id}", "/api/v1/polls"]

    def statements():
        found = {}
        for path in paths:
            member.get(path)
            with counted(app) as executed:
                assert member.get(path).status_code == 200
            found[path] = len(executed)
        return found

    for _ in range(2):
        create_poll(app, bergen.leader, bergen.group_id)
    few = statements()
    for _ in range(15):
        create_poll(app, bergen.leader, bergen.group_id, kind="single", options=["A", "B"])
    assert statements() == few


def test_the_edit_form_shows_what_was_saved_and_the_electorate_stays_frozen(app, db, bergen):
    options = ["2026-12-03 kl. 19", "2026-12-04"]
    poll_id = create_poll(app, bergen.leader, bergen.group_id, kind="date", options=options)
    leader = client_for(app, bergen.leader)
    page = leader.get(f"/avstemninger/{poll_id}/rediger").get_data(as_text=True)
    assert "2026-12-03 kl. 19\n2026-12-04</textarea>" in page
    shown = leader.get(f"/api/v1/polls/{poll_id}").get_json()
    body = {"kind": "date", "question": shown["question"], "closes_at": shown["closes_at"],
            "options": ["2026-12-05"], "electorate": "aktiv"}  # fmt: skip
    refused = leader.patch(
        f"/api/v1/polls/{poll_id}", json={**body, "options": ["2026-12-05", "2026-12-06"]}
    )
    assert refused.status_code == 400
    assert "electorate" in refused.get_json()["fields"]
