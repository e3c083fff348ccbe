"""The changes list reads the sync's change records: new, moved in and out, lapsed, left."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from innsiden.db import session_factory
from innsiden.desk import smsparts
from membersync.db import utcnow
from membersync.models import SyncChange
from tests.conftest import login_as
from tests.membersync.helpers import changed, row_of, small_register, sync


def _numbers(page: str, kind: str) -> set[int]:
    section = re.search(rf'data-kind="{kind}">(.*?)</section>', page, re.S)
    assert section, kind
    return {int(n) for n in re.findall(r"<td>(\d{6})</td>", section.group(1))}


def test_the_changes_list_after_a_sync_shows_exactly_its_new_moved_lapsed_and_left(
    app, db, tmp_path
):
    factory = session_factory(app)
    register = small_register()
    sync(factory, register.write_csv(tmp_path / "first"))
    # The first sync created everyone: make it last month's news.
    db.execute(update(SyncChange).values(created_at=utcnow() - timedelta(days=40)))
    db.commit()

    bergen = [r for r in register.members[2:] if r["lokallag_id"] == "0001" and not r["verv"]]
    aktiv = [r for r in bergen if r["status"] == "aktiv"]
    outside = next(r for r in register.members[2:] if r["lokallag_id"] == "0003" and not r["verv"])
    nxt = changed(register)
    lapsing, leaving, moving_out = aktiv[0], aktiv[1], aktiv[2]
    row_of(nxt, int(lapsing["medlemsnummer"]))["status"] = "restanse"
    row_of(nxt, int(leaving["medlemsnummer"]))["status"] = "utmeldt"
    row_of(nxt, int(moving_out["medlemsnummer"]))["lokallag_id"] = "0003"
    row_of(nxt, int(outside["medlemsnummer"]))["lokallag_id"] = "0001"
    newcomer = {**aktiv[3], "medlemsnummer": "199999", "epost": "ny@example.no", "verv": ""}
    nxt.members.append(newcomer)
    other_new = {**outside, "medlemsnummer": "199998", "epost": "ny2@example.no", "verv": ""}
    nxt.members.append(other_new)
    result = sync(factory, nxt.write_csv(tmp_path / "second"))
    assert result.outcome == "applied"

    client = app.test_client()
    from membersync.models import Member

    kari = db.get(Member, 100001)  # lokallagsleder@0001 in the demo register
    db.commit()
    login_as(client, kari)
    page = client.get("/mitt-lag/0001/endringer").text
    assert _numbers(page, "new") == {199999}
    assert _numbers(page, "moved_in") == {int(outside["medlemsnummer"])}
    assert _numbers(page, "moved_out") == {int(moving_out["medlemsnummer"])}
    assert _numbers(page, "lapsed") == {int(lapsing["medlemsnummer"])}
    assert _numbers(page, "left") == {int(leaving["medlemsnummer"])}

    last_month = (utcnow() - timedelta(days=40)).date().isoformat()
    old = client.get(f"/mitt-lag/0001/endringer?fra={last_month}&til={last_month}").text
    first_bergen = {int(r["medlemsnummer"]) for r in register.members if r["lokallag_id"] == "0001"}
    assert _numbers(old, "new") == first_bergen


def test_sms_parts_follow_gsm7_and_ucs2_lengths():
    assert smsparts.parts("a" * 160) == 1
    assert smsparts.parts("a" * 161) == 2
    assert smsparts.parts("æøå" * 51) == 1  # Norwegian letters are GSM-7
    assert smsparts.parts("€" * 80) == 1 and smsparts.parts("€" * 81) == 2  # two septets each
    assert smsparts.parts("a" * 306) == 2 and smsparts.parts("a" * 307) == 3
    assert smsparts.parts("😀" * 35) == 1 and smsparts.parts("ő" * 71) == 2
    assert smsparts.parts("ő" * 134) == 2 and smsparts.parts("ő" * 135) == 3
