"""Versions: every save is one, editors compare any two and restore an earlier one (as a
new version); a second editor saving from an old version is refused and keeps their text."""

from __future__ import annotations

from flask import Flask

from tests.content.conftest import Org, client_for, create


def save(client, item_id: int, version: int, **fields):
    body = {"title": "Vedtekter", "body": "", "version": version, **fields}
    return client.put(f"/api/v1/content/{item_id}", json=body)


def test_diff_between_any_two_versions_and_restore(app: Flask, org: Org) -> None:
    leader = client_for(app, org.leader)
    item = create(leader, org.groups["0001"], title="Vedtekter", body="§ 1 Navn\n§ 2 Formål")
    assert item["version"] == 1
    assert save(leader, item["id"], 1, body="§ 1 Navn\n§ 2 Formål og verdier").status_code == 200
    assert (
        save(leader, item["id"], 2, body="§ 1 Navn\n§ 2 Formål og verdier\n§ 3 Årsmøte").status_code
        == 200
    )
    listed = leader.get(f"/api/v1/content/{item['id']}/versions").get_json()["versions"]
    assert [v["number"] for v in listed] == [3, 2, 1]
    lines = leader.get(f"/api/v1/content/{item['id']}/diff?from=1&to=3").get_json()["lines"]
    changed = {(line["op"], line["text"]) for line in lines if line["op"] in "+-"}
    assert changed == {("-", "§ 2 Formål"), ("+", "§ 2 Formål og verdier"), ("+", "§ 3 Årsmøte")}
    page = leader.get(f"/innhold/{item['id']}/versjoner?fra=1&til=3")
    assert page.status_code == 200 and "§ 3 Årsmøte" in page.text
    restored = leader.post(f"/api/v1/content/{item['id']}/versions/1/restore", json={"version": 3})
    assert restored.get_json()["version"] == 4
    assert restored.get_json()["body_source"] == "§ 1 Navn\n§ 2 Formål"
    # Nothing lost: the restore is a fourth version, the third is still there.
    listed = leader.get(f"/api/v1/content/{item['id']}/versions").get_json()["versions"]
    assert [v["number"] for v in listed] == [4, 3, 2, 1]
    # Members who only read see neither versions nor diffs.
    leader.post(f"/api/v1/content/{item['id']}/transitions", json={"action": "publiser"})
    member = client_for(app, org.bergen)
    assert member.get(f"/api/v1/content/{item['id']}").status_code == 200
    assert member.get(f"/api/v1/content/{item['id']}/versions").status_code == 403
    assert member.get(f"/api/v1/content/{item['id']}/diff?from=1&to=2").status_code == 403


def test_a_concurrent_edit_is_refused_not_lost(app: Flask, org: Org) -> None:
    leader, writer = client_for(app, org.leader), client_for(app, org.writer)
    item = create(writer, org.groups["0001"], title="Styret", body="Leder: Kari")
    # Both open version 1; the writer saves first.
    assert (
        save(writer, item["id"], 1, title="Styret", body="Leder: Kari\nKasserer: Per").status_code
        == 200
    )
    refused = save(leader, item["id"], 1, title="Styret", body="Leder: Kari\nSekretær: Eva")
    assert refused.status_code == 409
    assert "nyere versjon" in refused.get_json()["detail"]
    current = writer.get(f"/api/v1/content/{item['id']}").get_json()
    assert current["body_source"] == "Leder: Kari\nKasserer: Per" and current["version"] == 2
    # In the form: the message, and the leader's text still in the textarea.
    page = leader.post(
        f"/innhold/{item['id']}/rediger",
        data={"title": "Styret", "body": "Leder: Kari\nSekretær: Eva", "version": "1"},
    )
    assert page.status_code == 409
    assert "nyere versjon" in page.text and "Sekretær: Eva" in page.text
    assert writer.get(f"/api/v1/content/{item['id']}").get_json()["version"] == 2
