"""A built wheel carries everything the portal needs to run: templates, static, migrations."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_templates_static_and_migrations(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    [wheel] = tmp_path.glob("innsiden-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "innsiden/_templates/base.html" in names
    assert "innsiden/_templates/errors/error.html" in names
    assert "innsiden/static/css/innsiden.css" in names
    assert "innsiden/static/js/socket.io.min.js" in names
    assert "innsiden/migrations/env.py" in names
    assert "innsiden/migrations/versions/0001_foundation.py" in names
    assert "innsiden/translations/en/LC_MESSAGES/messages.mo" in names
    assert "membersync/models.py" in names
