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
    env = {**os.environ, **env_overrides}
    innsiden = Path(sys.executable).with_name("innsiden")
    log_path = workdir / f"portal-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [str(innsiden), "serve", "--port", str(port), "--no-jobs"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    portal = PortalProcess(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until(lambda: _answers(portal.url), STARTUP_DEADLINE_SECONDS, "portal to start")
    except AssertionError:
        portal.stop()
        raise AssertionError(log_path.read_text()) from None
    return portal


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/helse", timeout=1) as response:  # noqa: S310 - local test server.
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
