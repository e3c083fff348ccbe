"""The `membersync` command: a summary table, and exit codes a scheduler can act on."""

from click.testing import CliRunner

from membersync.cli import main
from tests.membersync.helpers import changed


def run(app, *args):
    url = app.config["DATABASE_URL"]
    return CliRunner().invoke(main, ["run", "--database-url", url, *map(str, args)])


def test_a_run_prints_a_summary_and_exits_0(app, register, tmp_path):
    result = run(app, "--source", register.write_csv(tmp_path / "export"))
    assert result.exit_code == 0, result.output
    assert "utført" in result.output
    assert "nye" in result.output and str(len(register.members)) in result.output

    again = run(app, "--source", tmp_path / "export", "--quiet")
    assert again.exit_code == 0
    assert "ingen endringer" in again.output


def test_a_dry_run_prints_the_first_changes(app, register, tmp_path):
    result = run(app, "--source", register.write_csv(tmp_path / "export"), "--dry-run")
    assert result.exit_code == 0
    assert "prøvekjøring" in result.output
    assert (
        "Første endringer" in result.output
        and register.members[0]["medlemsnummer"] in result.output
    )


def test_bad_rows_exit_2_and_a_safety_stop_exits_3(app, register, tmp_path):
    assert run(app, "--source", register.write_csv(tmp_path / "first")).exit_code == 0
    bad = changed(register)
    bad.members[4]["status"] = "sovende"
    result = run(app, "--source", bad.write_csv(tmp_path / "bad"))
    assert result.exit_code == 2
    assert "medlemmer.csv:6" in result.output and "ugyldig status" in result.output

    half = changed(register)
    half.members = half.members[:40]
    stopped = run(app, "--source", half.write_csv(tmp_path / "half"))
    assert stopped.exit_code == 3
    assert "--allow-mass-removal" in stopped.output
    assert run(app, "--source", tmp_path / "half", "--allow-mass-removal").exit_code == 0


def test_an_unreachable_register_exits_1(app):
    result = run(
        app, "--source", "http://127.0.0.1:9/api", "--http-retries", "0", "--http-timeout", "2"
    )
    assert result.exit_code == 1
    assert "ingen forbindelse" in result.output


def test_demo_register_writes_the_format(tmp_path):
    result = CliRunner().invoke(
        main, ["demo-register", "--members", "30", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0
    assert (tmp_path / "r" / "medlemmer.csv").read_text(encoding="utf-8-sig").count("\n") == 31
