"""@mention autocomplete offers the group's members by name, to those who may list them."""


def names(client, group_id, prefix):
    response = client.get(f"/api/v1/discussions/groups/{group_id}/members?prefix={prefix}")
    assert response.status_code == 200
    return [m["name"] for m in response.get_json()["members"]]


def test_members_of_the_group_are_offered_by_first_or_last_name(world):
    kari = world.client(world.leader)
    assert names(kari, world.bergen, "an") == ["Anne Berg"]
    assert names(kari, world.bergen, "Dahl") == ["Per Dahl"]
    assert names(kari, world.bergen, "Kari N") == ["Kari Nordmann"]
    assert names(kari, world.bergen, "Ola") == []  # Oslo: not in the group
    assert names(kari, world.bergen, "%") == []  # no wildcards
    member = kari.get(f"/api/v1/discussions/groups/{world.bergen}/members?prefix=An")
    assert member.get_json()["members"] == [{"number": world.anne.number, "name": "Anne Berg"}]


def test_outsiders_get_nothing(world):
    oslo = world.client(world.outsider)
    response = oslo.get(f"/api/v1/discussions/groups/{world.bergen}/members?prefix=An")
    assert response.status_code == 404


def test_the_reply_form_offers_autocomplete_through_the_script(world):
    from tests.discussions.conftest import start_thread

    thread_id, _ = start_thread(world.client(world.leader), world.bergen)
    page = world.client(world.anne).get(f"/diskusjoner/traad/{thread_id}").get_data(as_text=True)
    assert f'data-mentions="/api/v1/discussions/groups/{world.bergen}/members"' in page
    assert "/static/js/mentions.js" in page and "/static/js/discussions.js" in page
    assert "<script>" not in page  # no inline script (strict CSP)
