"""Run the portal as separate server processes sharing Redis, as a multi-process deployment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

STARTUP_DEADLINE_SECONDS = 90  # generous: CI machines can be loaded
# The checkout these tests run from: server processes import its code, not whatever an
# editable install of the virtual environment points at (another worktree).
SOURCE_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PortalProcess:
    url: str
    process: subprocess.Popen[bytes]
    log: BinaryIO

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def start_portal(env_overrides: dict[str, str], workdir: Path) -> PortalProcess:
    """Start `innsiden serve` in its own process and wait until it answers."""
    port = free_port()
    innsiden = Path(sys.executable).with_name("innsiden")
    command = [str(innsiden), "serve", "--port", str(port), "--no-jobs"]
    return start_process(command, port, env_overrides, workdir)


def start_gunicorn(
    env_overrides: dict[str, str], workdir: Path, config: Path, ready_path: str = "/helse"
) -> PortalProcess:
    """Start one production web process (gunicorn with `config`) on a free loopback port and
    wait until `ready_path` answers 200 (`/klar` also waits for the database, Redis, storage)."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "--config", str(config), "--bind", f"127.0.0.1:{port}",
        "innsiden.wsgi:app",
    ]  # fmt: skip
    return start_process(command, port, env_overrides, workdir, ready_path)


def start_process(
    command: list[str],
    port: int,
    env_overrides: dict[str, str],
    workdir: Path,
    ready_path: str = "/helse",
) -> PortalProcess:
    """Run `command` (a server that listens on `port`), logging to `workdir`, until it answers."""
    env = {**os.environ, **env_overrides}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE_ROOT), env.get("PYTHONPATH")]))
    log_path = workdir / f"portal-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=SOURCE_ROOT
    )
    portal = PortalProcess(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until(
            lambda: process.poll() is None and answers(portal.url + ready_path),
            STARTUP_DEADLINE_SECONDS,
            f"{command[0]} on port {port} to answer {ready_path}",
        )
    except AssertionError as error:
        portal.stop()
        raise AssertionError(f"{error}\n{log_path.read_text()}") from None
    return portal


def answers(url: str) -> bool:
    """True if `url` answers 200 right now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local test server.
            return response.status == 200
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll `condition` until it holds; fail after `seconds` (a deadline, not a sleep)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
