"""Security headers, CSRF, error pages and login-by-default, as a visitor meets them."""

import pytest

from innsiden.security import CONTENT_SECURITY_POLICY
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation


def test_login_page_is_norwegian_and_carries_the_csp(client):
    response = client.get("/logg-inn")
    assert response.status_code == 200
    assert "Logg inn" in response.text
    assert '<html lang="nb">' in response.text
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_english_browser_gets_the_organisations_language_until_english_is_chosen(client):
    # Issue 19: the browser's language is not used unless the organisation turns that on.
    response = client.get("/logg-inn", headers={"Accept-Language": "en"})
    assert '<html lang="nb">' in response.text
    client.post("/sprak", data={"sprak": "en", "neste": "/logg-inn"})
    response = client.get("/logg-inn", headers={"Accept-Language": "en"})
    assert '<html lang="en">' in response.text
    assert "Log in" in response.text


def test_pages_have_no_inline_script(client):
    html = client.get("/logg-inn").text
    assert "<script>" not in html
    assert " on" + "click=" not in html


def test_unknown_page_is_a_norwegian_404_with_csp(client):
    response = client.get("/finnes-ikke")
    assert response.status_code == 404
    assert "Siden finnes ikke" in response.text
    assert "Content-Security-Policy" in response.headers


def test_api_errors_answer_json(client):
    response = client.get("/api/v1/finnes-ikke")
    assert response.status_code in {401, 404}
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == response.status_code and problem["code"] and problem["detail"]


@pytest.mark.parametrize("path", ["/"])
def test_pages_require_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/logg-inn" in response.headers["Location"]


def test_every_non_public_get_page_redirects_anonymous_visitors(app, client):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.arguments or "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if getattr(view, "innsiden_public", False):
            continue
        response = client.get(rule.rule)
        assert response.status_code in {302, 401}, rule.rule


def test_health_check_is_public(client):
    assert client.get("/helse").get_json() == {"status": "ok"}


@pytest.fixture
def csrf_app_config(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    return app_config


def test_post_without_csrf_token_is_refused_with_a_clear_page(csrf_app_config, app, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    client = app.test_client()
    login_as(client, member)
    response = client.post("/logg-ut", data={})
    assert response.status_code == 400
    assert "sikkerhetsnøkkel" in response.text
    assert client.get("/").status_code == 200  # still logged in: nothing changed


def test_post_with_wrong_csrf_token_is_refused(csrf_app_config, app, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    client = app.test_client()
    login_as(client, member)
    response = client.post("/logg-ut", data={"csrf_token": "feil"})
    assert response.status_code == 400


def test_too_large_request_gets_413_page(csrf_app_config, app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/logg-ut", data={"x": "y" * 5000})
    assert response.status_code == 413
    assert "For stor" in response.text
