"""The link in the e-mail logs in with one click: once, and only in the browser that asked."""

from sqlalchemy import select

from innsiden.audit import AuditEntry
from tests.auth_helpers import AuthActions
from tests.factories import make_member


def test_link_logs_in_once_on_the_same_device(client, db, units, auth):
    member = make_member(db, units["0001"], first_name="Kari")
    db.commit()
    auth.request_code(member.email, remember=False)
    link = auth.link_from_mail(member.email)
    cookie_after_request = client.get_cookie("session").value
    response = client.get(link)
    assert response.status_code == 302
    assert "Hei, Kari!" in client.get("/").text
    auth.logout()
    client.set_cookie("session", cookie_after_request)  # the same browser, the same link again
    again = client.get(link)
    assert again.status_code == 400
    assert "Lenken virker ikke lenger" in again.text
    assert client.get("/").status_code == 302
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "auth.login")).one()
    assert entry.detail["method"] == "link"


def test_forwarded_link_does_not_log_in_another_browser(app, client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.request_code(member.email)
    link = auth.link_from_mail(member.email)
    stranger = app.test_client()
    refused = stranger.get(link)
    assert refused.status_code == 400
    assert "nettleseren der du ba om koden" in refused.text
    assert stranger.get("/").status_code == 302
    # Refusing the stranger did not spend the link: the member's own browser still gets in.
    assert client.get(link).status_code == 302
    assert client.get("/").status_code == 200


def test_link_dies_with_the_epoch(client, db, units, auth):
    from membersync.access import end_all_credentials

    member = make_member(db, units["0001"])
    db.commit()
    auth.request_code(member.email)
    link = auth.link_from_mail(member.email)
    code = auth.code_from_mail(member.email)
    end_all_credentials(db, member.number)
    db.commit()
    assert client.get(link).status_code == 400
    assert AuthActions(auth.app, client).enter_code(code).status_code in {302, 400}
    assert client.get("/").status_code == 302
