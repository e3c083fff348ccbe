"""The register moves a member to another lokallag: the front page follows the mirror at once,
with no job in between (the stream rows stay; only which groups are the member's changes)."""

from __future__ import annotations

from innsiden.db import session_factory
from innsiden.discussions import service as discussions
from innsiden.groups.anchors import location_group_ids
from membersync.models import Member
from tests.groups.helpers import client_for
from tests.home.conftest import headlines
from tests.membersync.helpers import active_member_row, changed, small_register, sync


def _writer(register, unit_id: str, not_number: int) -> int:
    return next(
        int(r["medlemsnummer"])
        for r in register.members
        if r["lokallag_id"] == unit_id
        and r["status"] == "aktiv"
        and int(r["medlemsnummer"]) != not_number
    )


def _thread(app, author_number: int, unit_id: str, title: str) -> None:
    with app.test_request_context(), session_factory(app)() as session:
        group_id = location_group_ids(session, [unit_id])[unit_id]
        author = session.get(Member, author_number)
        discussions.create_thread(session, author, group_id, title=title, body="Innspill, takk.")
        session.commit()


def test_after_the_register_moves_a_member_the_old_lokallags_entries_are_gone(app, db, tmp_path):
    from tests.conftest import run_jobs

    factory = session_factory(app)
    register = small_register()
    sync(factory, register.write_csv(tmp_path / "first"))
    row = active_member_row(register)
    number, old_unit = int(row["medlemsnummer"]), row["lokallag_id"]
    new_unit = next(
        u["id"] for u in register.units if u["type"] == "lokallag" and u["id"] != old_unit
    )
    _thread(app, _writer(register, old_unit, number), old_unit, "Saken i det gamle laget")
    _thread(app, _writer(register, new_unit, number), new_unit, "Saken i det nye laget")
    run_jobs(app, db)
    client = client_for(app, db.get(Member, number))
    assert "Ny tråd: «Saken i det gamle laget»" in headlines(client)
    assert "Ny tråd: «Saken i det nye laget»" not in headlines(client)

    after = changed(register)
    next(r for r in after.members if r["medlemsnummer"] == str(number))["lokallag_id"] = new_unit
    sync(factory, after.write_csv(tmp_path / "second"))

    now = headlines(client)
    assert "Ny tråd: «Saken i det nye laget»" in now
    assert "Ny tråd: «Saken i det gamle laget»" not in now
