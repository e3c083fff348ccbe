"""Results: counts and percentages, turnout, quorum, ties shown as ties, CSV; when they show."""

from innsiden.groups.models import GroupAppointment
from tests.polls.conftest import client_for, close_now, create_poll, option_ids, vote


def _cast(app, members, poll_id, choices_per_member):
    for member, choices in zip(members, choices_per_member, strict=True):
        assert vote(client_for(app, member), poll_id, choices).status_code == 201


def _results(app, member, poll_id):
    return client_for(app, member).get(f"/api/v1/polls/{poll_id}").get_json()["results"]


def test_counts_percentages_turnout_and_a_yes_no_tie(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, results_shown="live")
    yes, no, blank = option_ids(client_for(app, bergen.leader), poll_id)
    _cast(app, bergen.members[:4], poll_id, [[yes], [no], [blank], [yes]])
    results = _results(app, bergen.members[0], poll_id)
    assert [(o["label"], o["count"], o["percent"]) for o in results["options"]] == [
        ("Ja", 2, 50.0), ("Nei", 1, 25.0), ("Blankt", 1, 25.0),
    ]  # fmt: skip
    assert results["winners"] == [yes] and results["tied"] == []
    assert results["ballots"] == 4 and results["electorate"] == 6
    assert results["turnout_percent"] == 66.7 and results["final"] is False
    _cast(app, [bergen.members[4]], poll_id, [[no]])
    tie = _results(app, bergen.members[0], poll_id)
    assert tie["winners"] == [] and sorted(tie["tied"]) == sorted([yes, no])
    page = client_for(app, bergen.members[0]).get(f"/avstemninger/{poll_id}").get_data(as_text=True)
    assert "Uavgjort mellom Ja, Nei" in page


def test_several_choices_tied_for_the_last_seat(app, db, bergen):
    poll_id = create_poll(
        app, bergen.leader, bergen.group_id, kind="multiple", max_choices=2,
        options=["Anne", "Per", "Lars", "Marit"], results_shown="live",
    )  # fmt: skip
    anne, per, lars, _marit = option_ids(client_for(app, bergen.leader), poll_id)
    _cast(app, bergen.members[:3], poll_id, [[anne, per], [anne, lars], [anne]])
    results = _results(app, bergen.leader, poll_id)
    assert results["winners"] == [anne]
    assert sorted(results["tied"]) == sorted([per, lars])
    assert [o["count"] for o in results["options"]] == [3, 1, 1, 0]


def test_quorum_by_count_and_by_percentage(app, db, bergen):
    by_count = create_poll(
        app, bergen.leader, bergen.group_id, quorum_kind="count", quorum_value=3,
        results_shown="live",
    )  # fmt: skip
    by_percent = create_poll(
        app, bergen.leader, bergen.group_id, quorum_kind="percent", quorum_value=50,
        results_shown="live",
    )  # fmt: skip
    yes = option_ids(client_for(app, bergen.leader), by_count)[0]
    _cast(app, bergen.members[:2], by_count, [[yes], [yes]])
    results = _results(app, bergen.leader, by_count)
    assert results["quorum_required"] == 3 and results["quorum_met"] is False
    _cast(app, bergen.members[2:3], by_count, [[yes]])
    assert _results(app, bergen.leader, by_count)["quorum_met"] is True
    yes = option_ids(client_for(app, bergen.leader), by_percent)[0]
    _cast(app, bergen.members[:3], by_percent, [[yes]] * 3)
    results = _results(app, bergen.leader, by_percent)
    assert results["quorum_required"] == 3 and results["quorum_met"] is True  # 50 % of 6
    page = client_for(app, bergen.leader).get(f"/avstemninger/{by_percent}").get_data(as_text=True)
    assert "beslutningsdyktig" in page


def test_a_date_poll_counts_yes_maybe_and_no(app, db, bergen):
    poll_id = create_poll(
        app, bergen.leader, bergen.group_id, kind="date", results_shown="live", secret=False,
        options=[{"day": "2026-12-03", "label": "kl. 19"}, {"day": "2026-12-04"}],
    )  # fmt: skip
    first, second = option_ids(client_for(app, bergen.leader), poll_id)
    _cast(
        app, bergen.members[:3], poll_id,
        [{str(first): "yes", str(second): "maybe"}, {str(first): "maybe", str(second): "yes"},
         {str(first): "yes"}],
    )  # fmt: skip
    results = _results(app, bergen.leader, poll_id)
    rows = {o["id"]: (o["count"], o["maybe"], o["no"]) for o in results["options"]}
    assert rows == {first: (2, 1, 0), second: (1, 1, 1)}
    assert results["winners"] == [first]
    assert results["options"][0]["label"].endswith("kl. 19")


def test_results_hidden_until_the_close_in_pages_and_api(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, results_shown="after_close")
    yes = option_ids(client_for(app, bergen.leader), poll_id)[0]
    _cast(app, bergen.members[:2], poll_id, [[yes], [yes]])
    for member in (bergen.leader, bergen.members[0]):
        client = client_for(app, member)
        assert client.get(f"/api/v1/polls/{poll_id}").get_json()["results"] is None
        assert client.get(f"/api/v1/polls/{poll_id}/results").status_code == 403
        assert client.get(f"/avstemninger/{poll_id}/resultat.csv").status_code == 403
        page = client.get(f"/avstemninger/{poll_id}").get_data(as_text=True)
        assert "Resultatet vises når avstemningen stenger" in page
        # The results section is there (live pages swap it in), but holds no numbers, and
        # the page joins no room that pushes counts.
        assert "<table data-poll-results" not in page
        assert "data-count" not in page and "data-percent" not in page
        assert "Oppmøte:" not in page and f"poll-results:{poll_id}" not in page
        assert "2 av 6 stemmeberettigede har stemt" in page  # turnout is always shown
    close_now(app, poll_id)
    results = _results(app, bergen.members[0], poll_id)
    assert results["final"] is True and results["options"][0]["count"] == 2


def test_administrators_only_until_the_close(app, db, bergen):
    moderator = bergen.members[4]
    db.add(
        GroupAppointment(group_id=bergen.group_id, member_number=moderator.number, role="moderator")
    )
    db.commit()
    poll_id = create_poll(app, bergen.leader, bergen.group_id, results_shown="admins", secret=False)
    yes = option_ids(client_for(app, bergen.leader), poll_id)[0]
    _cast(app, bergen.members[:1], poll_id, [[yes]])
    assert _results(app, bergen.leader, poll_id)["ballots"] == 1
    assert _results(app, moderator, poll_id)["ballots"] == 1
    assert _results(app, bergen.members[1], poll_id) is None
    shown = client_for(app, bergen.leader).get(f"/api/v1/polls/{poll_id}").get_json()
    assert shown["votes"][0]["choices"] == ["Ja"]  # an open ballot, to those who see results
    assert (
        client_for(app, bergen.members[1]).get(f"/api/v1/polls/{poll_id}").get_json()["votes"] == []
    )
    close_now(app, poll_id)
    assert _results(app, bergen.members[1], poll_id)["ballots"] == 1


def test_csv_export_is_safe_to_open_in_a_spreadsheet(app, db, bergen):
    poll_id = create_poll(
        app, bergen.leader, bergen.group_id, kind="single", results_shown="live",
        options=["=HYPERLINK(\"http://x\")", "+SUM(A1)", "Vanlig"],
    )  # fmt: skip
    first = option_ids(client_for(app, bergen.leader), poll_id)[0]
    _cast(app, bergen.members[:1], poll_id, [[first]])
    response = client_for(app, bergen.leader).get(f"/avstemninger/{poll_id}/resultat.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    body = response.data.decode("utf-8-sig")
    lines = body.splitlines()
    assert lines[0] == "Alternativ;Stemmer;Prosent;"
    assert "'=HYPERLINK" in body and "'+SUM(A1)" in body
    assert not any(line.startswith(("=", "+", "-", "@")) for line in lines)
    assert "Avgitte stemmer;1;;" in lines


def test_options_and_rules_are_frozen_by_the_first_vote(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, kind="single", options=["A", "B"])
    leader = client_for(app, bergen.leader)
    closes_at = leader.get(f"/api/v1/polls/{poll_id}").get_json()["closes_at"]
    body = {"kind": "single", "question": "Nytt spørsmål", "options": ["A", "B", "C"],
            "closes_at": closes_at}  # fmt: skip
    changed = leader.patch(f"/api/v1/polls/{poll_id}", json=body)
    assert changed.status_code == 200 and len(changed.get_json()["options"]) == 3
    a = option_ids(leader, poll_id)[0]
    assert vote(client_for(app, bergen.members[0]), poll_id, [a]).status_code == 201
    refused = leader.patch(f"/api/v1/polls/{poll_id}", json={**body, "options": ["X", "Y"]})
    assert refused.status_code == 409
    assert "kan ikke endres" in refused.get_json()["detail"]
    assert leader.delete(f"/api/v1/polls/{poll_id}").status_code == 409
    page = leader.post(f"/avstemninger/{poll_id}/rediger", data={"kind": "single"})
    assert page.status_code == 409
    assert leader.get(f"/avstemninger/{poll_id}/rediger").status_code == 409
    assert [o["label"] for o in leader.get(f"/api/v1/polls/{poll_id}").get_json()["options"]] == [
        "A", "B", "C",
    ]  # fmt: skip
