"""`make run` for a newcomer: the printed address follows PORT, the logins name one person per
role, and with INNSIDEN_INSTANCE_PATH everything the demo writes stays out of the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from innsiden.config import PROJECT_ROOT

INNSIDEN = Path(sys.executable).parent / "innsiden"
GIT, MAKE = shutil.which("git") or "git", shutil.which("make") or "make"


def _checkout_state() -> str:
    tracked = subprocess.run(
        [GIT, "status", "--porcelain", "--ignored", "--untracked-files=all"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    # Bytecode from importing the package and catalogs compiled on first use (by this run or
    # by a parallel test worker) are build products, not the demo's doing.
    return "\n".join(
        line
        for line in tracked.stdout.splitlines()
        if "__pycache__" not in line and "LC_MESSAGES/messages.mo" not in line
    )


def test_make_run_passes_port_and_host_to_the_demo_and_the_server():
    plan = subprocess.run(
        [MAKE, "-n", "run", "PORT=5202"], cwd=PROJECT_ROOT, capture_output=True, text=True,
        check=True, env={**os.environ, "INSTALLED": "/dev/null"},
    ).stdout  # fmt: skip
    assert "--host 127.0.0.1 --port 5202" in plan.split("innsiden demo", 1)[1].splitlines()[0]
    assert "innsiden serve --host 127.0.0.1 --port 5202" in plan


def test_the_demo_prints_the_right_address_and_writes_nothing_into_the_checkout(tmp_path):
    before = _checkout_state()
    env = {**os.environ, "INNSIDEN_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("DATABASE_URL", None)
    env.pop("INNSIDEN_UPLOADS_DIR", None)
    subprocess.run([INNSIDEN, "db", "upgrade"], env=env, check=True, capture_output=True)
    run = subprocess.run(
        [INNSIDEN, "demo", "--members", "120", "--port", "5202"],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "http://127.0.0.1:5202/logg-inn" in run.stdout
    assert ":5000" not in run.stdout
    logins = run.stdout.split("as one of:", 1)[1]
    for role in ("medlem i Bergen lokallag", "lokallagsleder i Bergen lokallag",
                 "fylkesleder i Vestland fylkeslag", "portaladministrator"):  # fmt: skip
        assert role in logins
    assert (tmp_path / "instance" / "demo-register").is_dir()
    assert (tmp_path / "instance" / "uploads").is_dir()
    assert _checkout_state() == before
