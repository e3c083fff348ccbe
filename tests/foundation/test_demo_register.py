"""The demo register generator: deterministic, in the register format, with extra columns."""

import csv

from membersync.demo_register import MEMBER_COLUMNS, ORG_COLUMNS, generate


def test_same_seed_gives_the_same_register(tmp_path):
    generate(300, seed=7).write_csv(tmp_path / "a")
    generate(300, seed=7).write_csv(tmp_path / "b")
    for name in ("organisasjon.csv", "medlemmer.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_register_has_the_format_columns_leaders_and_statuses(tmp_path):
    directory = generate(1000).write_csv(tmp_path)
    with (directory / "medlemmer.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    with (directory / "organisasjon.csv").open(encoding="utf-8-sig", newline="") as f:
        units = list(csv.DictReader(f, delimiter=";"))
    assert set(MEMBER_COLUMNS) <= set(rows[0])
    assert list(units[0]) == ORG_COLUMNS
    assert len(rows) == 1000
    assert {r["status"] for r in rows} == {"aktiv", "restanse", "utmeldt", "avdod", "strøket"}
    assert any("lokallagsleder@" in r["verv"] for r in rows)
    assert any("kasserer@" in r["verv"] for r in rows)
    assert len({r["medlemsnummer"] for r in rows}) == 1000
