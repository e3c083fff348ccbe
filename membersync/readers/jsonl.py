"""JSON Lines exports: `members.jsonl`, one member object a line (a full export).

Units travel beside it in `organisasjon.csv` (as the demo generator writes them) or in
`org-units.json` (a JSON list, as the API's `/org-units` answers). With neither, the units
in the mirror are left as they are and members are checked against them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from membersync.readers.csvfiles import UNITS_FILE, read_csv
from membersync.readers.errors import SourceError
from membersync.records import (
    MEMBER_COLUMNS,
    UNIT_COLUMNS,
    UNIT_RESHAPE_COLUMNS,
    RawRegister,
    RawRow,
)

UNITS_JSON = "org-units.json"


def read_jsonl(path: Path) -> RawRegister:
    return RawRegister(
        source=str(path), mode="full", units=_units_beside(path), members=_lines(path)
    )


def _units_beside(path: Path) -> list[RawRow] | None:
    if (path.parent / UNITS_FILE).is_file():
        return list(read_csv(path.parent / UNITS_FILE, UNIT_COLUMNS, UNIT_RESHAPE_COLUMNS))
    if (path.parent / UNITS_JSON).is_file():
        try:
            units = json.loads((path.parent / UNITS_JSON).read_text(encoding="utf-8-sig"))
        except (ValueError, OSError) as error:
            raise SourceError(f"{UNITS_JSON} kan ikke leses: {error}") from None
        if not isinstance(units, list):
            raise SourceError(f"{UNITS_JSON} er ikke en liste")
        return [
            object_row(UNITS_JSON, index, item, UNIT_COLUMNS + UNIT_RESHAPE_COLUMNS)
            for index, item in enumerate(units, 1)
        ]
    return None


def _lines(path: Path) -> Iterator[RawRow]:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except ValueError as error:
                    yield RawRow(path.name, number, None, f"ugyldig JSON: {error.msg}")
                    continue
                yield object_row(path.name, number, item, MEMBER_COLUMNS)
    except UnicodeDecodeError as error:
        raise SourceError(f"{path.name} er ikke UTF-8 ({error.reason})") from None
    except OSError as error:
        raise SourceError(f"kan ikke lese {path}: {error.strerror}") from None


def object_row(file: str, line: int, item: Any, columns: tuple[str, ...]) -> RawRow:
    """A JSON object as a row of text fields: only `columns`, null as empty, lists `|`-joined."""
    if not isinstance(item, Mapping):
        return RawRow(file, line, None, "raden er ikke et JSON-objekt")
    fields: dict[str, str] = {}
    for name in columns:
        if name in item:
            fields[name] = _text(item[name])
    return RawRow(file, line, fields)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(_text(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
