"""Readers for the register's three forms: a CSV directory, JSON Lines, and the HTTP API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from membersync.readers.errors import SourceError
from membersync.records import RawRegister

__all__ = ["ApiSettings", "SourceError", "open_source"]


@dataclass(frozen=True)
class ApiSettings:
    """How to talk to the register's HTTP API."""

    token: str | None = None
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    updated_since: str | None = None


def open_source(source: str, api: ApiSettings | None = None) -> RawRegister:
    """The reader for `source`: an http(s) URL, a directory, a .jsonl file or medlemmer.csv."""
    if source.startswith(("http://", "https://")):
        from membersync.readers.api import read_api

        return read_api(source, api or ApiSettings())
    from membersync.readers.csvfiles import read_csv_directory
    from membersync.readers.jsonl import read_jsonl

    path = Path(source)
    if path.is_dir():
        if (path / "medlemmer.csv").is_file():
            return read_csv_directory(path)
        if (path / "members.jsonl").is_file():
            return read_jsonl(path / "members.jsonl")
        raise SourceError(f"fant verken medlemmer.csv eller members.jsonl i {path}")
    if path.is_file() and path.suffix == ".jsonl":
        return read_jsonl(path)
    if path.is_file() and path.name == "medlemmer.csv":
        return read_csv_directory(path.parent)
    raise SourceError(f"finner ikke kilden {source}")
