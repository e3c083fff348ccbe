"""Access follows the register: who leaves cannot log in and their session ends; who returns can."""

import pytest

from membersync.models import Member
from tests.conftest import login_as
from tests.membersync.helpers import active_member_row, changed, sync


@pytest.mark.parametrize("how", ["utmeldt", "avdod", "strøket", "missing"])
def test_a_member_who_leaves_cannot_log_in_and_their_session_ends(
    app, db, factory, register, auth, client, outbox, tmp_path, how
):
    assert sync(factory, register.write_csv(tmp_path / "first")).outcome == "applied"
    row = active_member_row(register)
    number, email = int(row["medlemsnummer"]), row["epost"]
    login_as(client, db.get(Member, number))
    assert client.get("/").status_code == 200

    after = changed(register)
    if how == "missing":
        after.members = [r for r in after.members if r["medlemsnummer"] != str(number)]
    else:
        next(r for r in after.members if r["medlemsnummer"] == str(number))["status"] = how
    result = sync(factory, after.write_csv(tmp_path / "second"))

    assert result.outcome == "applied"
    assert result.counts["deactivated"] == 1
    response = client.get("/")  # the session they already had
    assert response.status_code == 302
    assert "/logg-inn" in response.location
    auth.request_code(email)  # and a new login sends nothing
    assert outbox.mails(to=email) == []


def test_reactivation_restores_access_but_not_the_old_session(
    app, db, factory, register, auth, tmp_path
):
    sync(factory, register.write_csv(tmp_path / "first"))
    row = active_member_row(register)
    number = int(row["medlemsnummer"])
    old_session = app.test_client()
    login_as(old_session, db.get(Member, number))

    resigned = changed(register)
    next(r for r in resigned.members if r["medlemsnummer"] == str(number))["status"] = "utmeldt"
    sync(factory, resigned.write_csv(tmp_path / "resigned"))
    result = sync(factory, register.write_csv(tmp_path / "back"))

    assert result.counts["reactivated"] == 1
    db.commit()
    member = db.get(Member, number)
    assert auth.login(member).location.endswith("/")
    assert auth.client.get("/").status_code == 200
    assert old_session.get("/").status_code == 302  # ended sessions stay ended


def test_a_member_missing_from_the_export_is_kept_but_out_of_the_register(
    db, factory, register, tmp_path
):
    sync(factory, register.write_csv(tmp_path / "first"))
    row = active_member_row(register)
    after = changed(register)
    after.members = [r for r in after.members if r["medlemsnummer"] != row["medlemsnummer"]]
    sync(factory, after.write_csv(tmp_path / "second"))

    db.commit()
    member = db.get(Member, int(row["medlemsnummer"]))
    assert member is not None and member.in_register is False
    assert member.access_epoch == 1
