"""The single-writer lock of the search index: a thread lock plus an fcntl lock file."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from innsiden.search.engine import SearchBusy


class WriterLock:
    """One writer at a time: a thread lock within the process, an fcntl lock across them.

    Re-entrant within a thread, so `apply()` can run inside an `exclusive()` block."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextlib.contextmanager
    def hold(self, timeout: float) -> Iterator[None]:
        if timeout > 0:
            acquired = self._thread_lock.acquire(timeout=timeout)
        else:
            acquired = self._thread_lock.acquire(blocking=False)
        if not acquired:
            raise SearchBusy("the search index writer is busy in this process")
        try:
            if self._depth == 0:
                self._fd = lock_file(self._path, timeout)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None
        finally:
            self._thread_lock.release()


def lock_file(path: Path, timeout: float) -> int:
    """An exclusive flock on `path` within `timeout` seconds (the open descriptor), else
    SearchBusy. Locks are per open file, so two engines in one process exclude each other too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise SearchBusy(f"{path} is held by another writer") from None
            time.sleep(0.05)  # another process writes; poll until the deadline
