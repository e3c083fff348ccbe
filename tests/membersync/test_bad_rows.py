"""Bad rows are reported with file, line and reason; `abort` applies nothing, `skip` the rest."""

from sqlalchemy import select

from membersync.models import Member, SyncRun
from tests.membersync.helpers import changed, snapshot, sync

HEADER = (
    "medlemsnummer;fornavn;etternavn;epost;mobil;adresse;postnummer;poststed;kommune;"
    "lokallag_id;status;innmeldt;betalt_til;verv;endret"
)
GOOD = (
    "{n};Kari;Hansen;k{n}@example.no;91234567;Storgata 1;0150;Oslo;Oslo;0001;aktiv;2020-01-01;"
    "2026-12-31;;2026-11-01T08:00:00+01:00"
)


def write_members(directory, register, lines):
    directory = register.write_csv(directory)
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    (directory / "medlemmer.csv").write_text(text, encoding="utf-8")
    return directory


BAD_LINES = [
    GOOD.format(n=900001),  # line 2: fine
    GOOD.format(n="9x01"),  # 3: malformed number
    GOOD.format(n="").replace("Kari", "Uten nummer", 1),  # 4: missing number
    GOOD.format(n=900001),  # 5: duplicate of line 2
    GOOD.format(n=900005).replace(";0001;", ";9999;"),  # 6: unknown lokallag
    GOOD.format(n=900006).replace(";aktiv;", ";sovende;"),  # 7: invalid status
    GOOD.format(n=900007).replace("2020-01-01", "01.01.2020"),  # 8: malformed date
    GOOD.format(n=900008).replace("k900008@example.no", "ikke-en-adresse"),  # 9: bad e-mail
    GOOD.format(n=900009).replace("91234567", "12345"),  # 10: bad phone
    GOOD.format(n=900010).replace(";;", ";styremedlem@9999;"),  # 11: unknown unit in verv
    "900011;Kort;Rad",  # 12: too few columns (a truncated line)
    GOOD.format(n=900012),  # 13: fine
]


def test_bad_rows_are_reported_with_line_numbers_and_abort_applies_nothing(
    db, factory, register, tmp_path
):
    sync(factory, register.write_csv(tmp_path / "first"))
    before = snapshot(db)
    result = sync(factory, write_members(tmp_path / "bad", register, BAD_LINES))

    assert result.outcome == "aborted" and result.exit_code == 2
    reported = {(r.file, r.line): r.reason for r in result.rejected}
    assert set(reported) == {("medlemmer.csv", line) for line in (2, *range(3, 13))}
    assert "ugyldig medlemsnummer «9x01»" in reported[("medlemmer.csv", 3)]
    assert "mangler medlemsnummer" in reported[("medlemmer.csv", 4)]
    assert "flere ganger (også linje 2)" in reported[("medlemmer.csv", 5)]
    assert "flere ganger (også linje 5)" in reported[("medlemmer.csv", 2)]
    assert "ukjent lokallag «9999»" in reported[("medlemmer.csv", 6)]
    assert "ugyldig status «sovende»" in reported[("medlemmer.csv", 7)]
    assert "ugyldig dato i innmeldt «01.01.2020»" in reported[("medlemmer.csv", 8)]
    assert "ugyldig e-postadresse" in reported[("medlemmer.csv", 9)]
    assert "ugyldig mobilnummer «12345»" in reported[("medlemmer.csv", 10)]
    assert "ukjent enhet i verv" in reported[("medlemmer.csv", 11)]
    assert "feil antall kolonner" in reported[("medlemmer.csv", 12)]
    assert snapshot(db) == before
    run = db.get(SyncRun, result.run_id)
    assert run.outcome == "aborted" and len(run.rejected) == 11
    assert {"file": "medlemmer.csv", "line": 7, "key": "900006"}.items() <= run.rejected[5].items()


def test_skip_applies_the_good_rows_and_reports_the_rest(db, factory, register, tmp_path):
    directory = write_members(tmp_path / "bad", register, BAD_LINES)
    result = sync(factory, directory, on_bad_rows="skip")

    assert result.outcome == "applied"
    assert result.counts["rejected"] == 11 and result.counts["created"] == 1
    db.commit()
    assert set(db.scalars(select(Member.number))) == {900012}
    assert len(db.get(SyncRun, result.run_id).rejected) == 11


def test_a_rejected_row_is_not_a_resignation(db, factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    after = changed(register)
    row = next(r for r in after.members[2:] if r["status"] == "aktiv")
    row["epost"] = "ødelagt adresse"
    result = sync(factory, after.write_csv(tmp_path / "second"), on_bad_rows="skip")

    assert result.outcome == "applied"
    assert result.counts["rejected"] == 1 and result.counts["deactivated"] == 0
    db.commit()
    member = db.get(Member, int(row["medlemsnummer"]))
    assert member.in_register and member.email != "ødelagt adresse"
