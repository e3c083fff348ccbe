"""CSV exports as spreadsheets and register systems write them: `;` or `,`, BOM, CRLF or LF."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from operator import itemgetter
from pathlib import Path

from membersync.readers.errors import SourceError
from membersync.records import (
    MEMBER_COLUMNS,
    UNIT_COLUMNS,
    UNIT_RESHAPE_COLUMNS,
    RawRegister,
    RawRow,
)

UNITS_FILE = "organisasjon.csv"
MEMBERS_FILE = "medlemmer.csv"
DELIMITERS = (";", ",", "\t")


def read_csv_directory(directory: Path) -> RawRegister:
    """A full export: organisasjon.csv and medlemmer.csv in `directory`."""
    units = directory / UNITS_FILE
    if not units.is_file():
        raise SourceError(f"mangler {UNITS_FILE} i {directory}")
    return RawRegister(
        source=str(directory),
        mode="full",
        units=list(read_csv(units, UNIT_COLUMNS, UNIT_RESHAPE_COLUMNS)),
        members=read_csv(directory / MEMBERS_FILE, MEMBER_COLUMNS),
    )


def read_csv(path: Path, columns: Sequence[str], optional: Sequence[str] = ()) -> Iterator[RawRow]:
    """Rows of `path` holding only `columns` (each must be in the header) and those of the
    `optional` columns the header has."""
    try:
        # utf-8-sig reads files with and without a byte order mark alike; newline="" lets the
        # csv module handle CRLF, LF and line breaks inside quoted fields (RFC 4180).
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header_line = handle.readline()
            delimiter = detect_delimiter(header_line)
            header = [
                name.strip().lower()
                for name in next(csv.reader([header_line], delimiter=delimiter))
            ]
            positions = _column_positions(path, header, columns)
            positions += [(name, header.index(name)) for name in optional if name in header]
            yield from _rows(
                path.name, csv.reader(handle, delimiter=delimiter), positions, len(header)
            )
    except UnicodeDecodeError as error:
        raise SourceError(
            f"{path.name} er ikke UTF-8 ({error.reason} ved byte {error.start})"
        ) from None
    except csv.Error as error:
        raise SourceError(f"{path.name} kan ikke leses som CSV: {error}") from None
    except OSError as error:
        raise SourceError(f"kan ikke lese {path}: {error.strerror}") from None


def detect_delimiter(header_line: str) -> str:
    """The delimiter of a file, judged by its header row (column names hold none of them)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _column_positions(
    path: Path, header: list[str], columns: Sequence[str]
) -> list[tuple[str, int]]:
    missing = [name for name in columns if name not in header]
    if missing:
        raise SourceError(f"{path.name} mangler kolonnene {', '.join(missing)}")
    # Only the format's columns are copied out of a row; anything else is never kept.
    return [(name, header.index(name)) for name in columns]


def _rows(
    file: str, reader: Iterator[list[str]], positions: list[tuple[str, int]], width: int
) -> Iterator[RawRow]:
    last_line = 1  # the header
    names = [name for name, _ in positions]
    pick = itemgetter(*[index for _, index in positions])
    for cells in reader:
        line = last_line + 1
        last_line = reader.line_num + 1  # type: ignore[attr-defined]
        if not cells:
            continue
        if len(cells) != width:
            problem = f"feil antall kolonner ({len(cells)}, ventet {width})"
            yield RawRow(file, line, None, problem)
            continue
        yield RawRow(file, line, dict(zip(names, pick(cells), strict=True)))
