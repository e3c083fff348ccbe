"""CSV with `;`, BOM and CRLF, CSV with `,` and LF, JSON Lines and the HTTP API: one mirror."""

import pytest

from tests.conftest import clean_database
from tests.membersync.helpers import changed, snapshot, sync
from tests.membersync.register_api import TOKEN, RegisterApi, serve


@pytest.fixture
def tricky_register(register):
    # Quoting as RFC 4180 has it: delimiters, quotes and a line break inside fields.
    edited = changed(register)
    edited.members[3]["fornavn"] = 'Anne; "Mette",\nMarie'
    edited.members[4]["adresse"] = "c/o Berg, Storgata 5; 2. etasje"
    return edited


def _lf_only(directory):
    for name in ("organisasjon.csv", "medlemmer.csv"):
        path = directory / name
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))
    return directory


def _jsonl(register, directory):
    register.write_csv(directory)
    (directory / "medlemmer.csv").unlink()
    return register.write_jsonl(directory / "members.jsonl")


def test_every_source_gives_the_same_mirror(app, db, factory, tricky_register, tmp_path):
    engine = app.extensions["innsiden.engine"]
    semicolon = tricky_register.write_csv(tmp_path / "semicolon", delimiter=";", bom=True)
    assert semicolon.joinpath("medlemmer.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    comma = _lf_only(tricky_register.write_csv(tmp_path / "comma", delimiter=",", bom=False))
    jsonl = _jsonl(tricky_register, tmp_path / "jsonl")

    mirrors = []
    with serve(RegisterApi(tricky_register)) as api_url:
        for source, extra in [
            (semicolon, {}),
            (comma, {}),
            (jsonl, {}),
            (api_url, {"api_token": TOKEN}),
        ]:
            db.commit()  # release the last snapshot before emptying the tables
            clean_database(engine)
            result = sync(factory, source, **extra)
            assert result.outcome == "applied", (source, result.error, result.rejected)
            assert result.counts["created"] == len(tricky_register.members)
            mirrors.append(snapshot(db))

    assert all(mirror == mirrors[0] for mirror in mirrors[1:])
    number = int(tricky_register.members[3]["medlemsnummer"])
    assert mirrors[0]["members"][number][0] == 'Anne; "Mette",\nMarie'


def test_the_api_token_comes_from_the_environment(db, factory, register, monkeypatch):
    with serve(RegisterApi(register)) as api_url:
        refused = sync(factory, api_url)
        monkeypatch.setenv("MEMBERSYNC_API_TOKEN", TOKEN)
        applied = sync(factory, api_url)
    assert refused.outcome == "failed" and "HTTP 401" in refused.error
    assert applied.outcome == "applied"


def test_the_api_is_retried_after_a_temporary_failure(factory, register):
    api = RegisterApi(register)
    api.fail_next = [503, 502]
    with serve(api) as api_url:
        result = sync(factory, api_url, api_token=TOKEN)
    assert result.outcome == "applied"
    assert sum(1 for path in api.requests if path.startswith("/api/members")) > 4


def test_a_broken_page_aborts_with_nothing_applied(db, factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    before = snapshot(db)
    after = changed(register)
    for row in after.members:
        row["etternavn"] = "Endret"
    api = RegisterApi(after)
    api.broken_page = 3
    with serve(api) as api_url:
        result = sync(factory, api_url, api_token=TOKEN, http_retries=1)
    assert result.outcome == "failed" and result.exit_code == 1
    assert "side 3" in result.error or "JSON" in result.error
    assert snapshot(db) == before


def test_an_incremental_run_changes_only_what_it_names(db, factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    after = changed(register)
    after.members = after.members[:10]  # the API's incremental answer lists only changed rows
    for row in after.members:
        row["etternavn"] = "Endret"
        row["endret"] = "2026-11-20T10:00:00+01:00"
    with serve(RegisterApi(after)) as api_url:
        result = sync(factory, api_url, api_token=TOKEN, updated_since="2026-11-15T00:00:00+01:00")
    assert result.outcome == "applied" and result.mode == "incremental"
    assert result.counts["updated"] == 10
    assert result.counts["deactivated"] == 0  # absence means nothing
    assert all(m[13] for m in snapshot(db)["members"].values())
