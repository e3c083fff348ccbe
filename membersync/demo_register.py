"""A deterministic demo register in the register format (version 1), of any size.

Tests, the demo (`make run`) and the benchmarks all build their registers with this, so
they exercise the same format the real register exports.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ORG_COLUMNS = ["id", "navn", "type", "overordnet_id"]
RESHAPE_COLUMNS = ["erstattet_av", "delt_fra"]  # written only when a unit uses them
MEMBER_COLUMNS = [
    "medlemsnummer",
    "fornavn",
    "etternavn",
    "epost",
    "mobil",
    "adresse",
    "postnummer",
    "poststed",
    "kommune",
    "lokallag_id",
    "status",
    "innmeldt",
    "betalt_til",
    "verv",
    "endret",
]
# Real exports carry columns the portal must never store; the demo has one to prove it.
EXTRA_COLUMNS = ["fodselsdato"]

FYLKER = [
    "Oslo", "Vestland", "Rogaland", "Trøndelag", "Innlandet", "Agder", "Nordland",
    "Troms", "Finnmark", "Akershus", "Buskerud", "Vestfold", "Telemark", "Østfold",
    "Møre og Romsdal",
]  # fmt: skip
# (place, postnummer, fylke): each lokallag sits under the fylkeslag of its own county.
PLACES = [
    ("Bergen", "5003", "Vestland"), ("Stavanger", "4006", "Rogaland"),
    ("Trondheim", "7010", "Trøndelag"), ("Hamar", "2317", "Innlandet"),
    ("Kristiansand", "4611", "Agder"), ("Bodø", "8006", "Nordland"),
    ("Tromsø", "9008", "Troms"), ("Alta", "9510", "Finnmark"),
    ("Lillestrøm", "2000", "Akershus"), ("Drammen", "3015", "Buskerud"),
    ("Tønsberg", "3110", "Vestfold"), ("Skien", "3717", "Telemark"),
    ("Fredrikstad", "1606", "Østfold"), ("Ålesund", "6002", "Møre og Romsdal"),
    ("Oslo", "0150", "Oslo"), ("Voss", "5700", "Vestland"), ("Førde", "6800", "Vestland"),
    ("Steinkjer", "7713", "Trøndelag"), ("Gjøvik", "2815", "Innlandet"),
    ("Arendal", "4836", "Agder"), ("Mo i Rana", "8622", "Nordland"),
    ("Harstad", "9405", "Troms"), ("Vadsø", "9800", "Finnmark"),
    ("Jessheim", "2050", "Akershus"), ("Kongsberg", "3611", "Buskerud"),
    ("Sandefjord", "3210", "Vestfold"), ("Notodden", "3674", "Telemark"),
    ("Halden", "1771", "Østfold"), ("Molde", "6413", "Møre og Romsdal"),
    ("Ørsta", "6150", "Møre og Romsdal"), ("Røros", "7374", "Trøndelag"),
    ("Lærdal", "6887", "Vestland"),
]  # fmt: skip
FIRST_NAMES = [
    "Kari", "Ola", "Ingrid", "Per", "Anne", "Lars", "Marit", "Jon", "Solveig", "Knut",
    "Åse", "Bjørn", "Sigrid", "Øystein", "Liv", "Håkon", "Ragnhild", "Eirik", "Turid",
    "Magnus", "Nora", "Emma", "Jakob", "Sofie", "Aksel", "Ida", "Mathias", "Thea",
    "Gunnhild", "Tor", "Berit", "Arne", "Randi", "Geir", "Aud", "Svein", "Hege", "Odd",
]  # fmt: skip
LAST_NAMES = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
    "Kristiansen", "Jensen", "Karlsen", "Berg", "Haugen", "Hagen", "Eriksen", "Dahl",
    "Bakken", "Solberg", "Strand", "Lie", "Moen", "Sæther", "Bråten", "Løvås", "Ødegård",
    "Aasen", "Fjeld", "Nordli", "Vik", "Myhre", "Tangen",
]  # fmt: skip
STREETS = ["Storgata", "Kirkeveien", "Skolegata", "Fjordveien", "Bakkeveien", "Åsveien"]
STATUS_WEIGHTS = {"aktiv": 82, "restanse": 8, "utmeldt": 6, "avdod": 1, "strøket": 3}


@dataclass
class DemoRegister:
    """The units and members of a generated register, as register-format rows."""

    units: list[dict[str, str]] = field(default_factory=list)
    members: list[dict[str, str]] = field(default_factory=list)

    def write_csv(self, directory: Path, delimiter: str = ";", bom: bool = True) -> Path:
        """Write organisasjon.csv and medlemmer.csv as a register export would."""
        directory.mkdir(parents=True, exist_ok=True)
        encoding = "utf-8-sig" if bom else "utf-8"
        reshaped = any(unit.get(name) for unit in self.units for name in RESHAPE_COLUMNS)
        org_columns = ORG_COLUMNS + (RESHAPE_COLUMNS if reshaped else [])
        _write_csv(directory / "organisasjon.csv", org_columns, self.units, delimiter, encoding)
        _write_csv(
            directory / "medlemmer.csv",
            MEMBER_COLUMNS + EXTRA_COLUMNS,
            self.members,
            delimiter,
            encoding,
        )
        return directory

    def write_jsonl(self, path: Path) -> Path:
        """Write the members as JSON Lines (units travel in organisasjon.csv beside it)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            for row in self.members:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return path


def _write_csv(
    path: Path, columns: list[str], rows: list[dict[str, str]], delimiter: str, encoding: str
) -> None:
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.DictWriter(
            out,
            fieldnames=columns,
            delimiter=delimiter,
            lineterminator="\r\n",
            extrasaction="ignore",
        )
        writer.writeheader()
        writer.writerows(rows)


def generate(members: int = 500, lokallag: int | None = None, seed: int = 2026) -> DemoRegister:
    """A register with `members` members in `lokallag` lokallag (default: one per ~50)."""
    rng = random.Random(seed)
    lokallag_count = lokallag or max(3, members // 50)
    register = DemoRegister()
    register.units = list(_units(lokallag_count))
    lokallag_units = [u for u in register.units if u["type"] == "lokallag"]
    register.members = list(_members(rng, members, lokallag_units))
    _assign_positions(register, lokallag_units)
    return register


def _units(lokallag_count: int) -> Iterator[dict[str, str]]:
    """Sentralt, the fylkeslag of the counties the lokallag are in, and the lokallag."""
    used = [PLACES[n % len(PLACES)] for n in range(lokallag_count)]
    counties = [name for name in FYLKER if any(fylke == name for _, _, fylke in used)]
    fylke_ids = {name: f"F{FYLKER.index(name) + 1:02d}" for name in counties}
    yield {"id": "S", "navn": "Sentralt", "type": "sentralt", "overordnet_id": ""}
    for name in counties:
        yield {"id": fylke_ids[name], "navn": f"{name} fylkeslag", "type": "fylkeslag",
               "overordnet_id": "S"}  # fmt: skip
    for n, (place, _postnummer, fylke) in enumerate(used):
        suffix = "" if n < len(PLACES) else f" {n // len(PLACES) + 1}"
        yield {
            "id": f"{n + 1:04d}",
            "navn": f"{place}{suffix} lokallag",
            "type": "lokallag",
            "overordnet_id": fylke_ids[fylke],
        }


def _mobile(rng: random.Random) -> str:
    digits = f"{rng.choice('49')}{rng.randrange(10_000_000):07d}"
    style = rng.randrange(4)
    if style == 0:
        return f"+47 {digits[:3]} {digits[3:5]} {digits[5:]}"
    if style == 1:
        return digits
    if style == 2:
        return f"0047{digits}"
    return ""


def _members(
    rng: random.Random, count: int, lokallag_units: list[dict[str, str]]
) -> Iterator[dict[str, str]]:
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    changed = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if index < 2:  # two well-known demo members, see README
            first, last = ("Kari", "Nordmann") if index == 0 else ("Ola", "Nordmann")
        unit = lokallag_units[index % len(lokallag_units)]
        place_index = int(unit["id"]) - 1
        place, postnummer, _fylke = PLACES[place_index % len(PLACES)]
        joined = date(2005, 1, 1) + timedelta(days=rng.randrange(7500))
        status = "aktiv" if index < 2 else rng.choices(statuses, weights)[0]
        paid = date(2026, 12, 31) if status == "aktiv" else date(2025, 12, 31)
        email = f"{_ascii(first)}.{_ascii(last)}{index}@example.no"
        if index < 2:
            email = f"{_ascii(first)}.{_ascii(last)}@example.no"
        elif rng.random() < 0.05:
            email = ""
        yield {
            "medlemsnummer": str(100_001 + index),
            "fornavn": first,
            "etternavn": last,
            "epost": email,
            "mobil": "+47 912 34 567" if index == 0 else _mobile(rng),
            "adresse": f"{rng.choice(STREETS)} {rng.randrange(1, 120)}",
            "postnummer": postnummer,
            "poststed": place,
            "kommune": place,
            "lokallag_id": unit["id"],
            "status": status,
            "innmeldt": joined.isoformat(),
            "betalt_til": paid.isoformat(),
            "verv": "",
            "endret": (changed + timedelta(minutes=index % 10_000)).isoformat(),
            "fodselsdato": f"19{rng.randrange(40, 99)}-0{rng.randrange(1, 10)}-15",
        }


def _assign_positions(register: DemoRegister, lokallag_units: list[dict[str, str]]) -> None:
    """Give each lokallag a leader and a treasurer, each fylkeslag a leader, and one admin."""
    by_unit: dict[str, list[dict[str, str]]] = {}
    for row in register.members:
        if row["status"] == "aktiv":
            by_unit.setdefault(row["lokallag_id"], []).append(row)
    fylke_leaders: set[str] = set()
    for unit in lokallag_units:
        candidates = by_unit.get(unit["id"], [])
        roles = [f"lokallagsleder@{unit['id']}", f"kasserer@{unit['id']}"]
        for row, role in zip(candidates, roles, strict=False):
            row["verv"] = role
        fylke = unit["overordnet_id"]
        if candidates and fylke not in fylke_leaders and len(candidates) > 2:
            candidates[2]["verv"] = f"fylkesleder@{fylke}"
            fylke_leaders.add(fylke)
    register.members[1]["verv"] = "|".join(
        v for v in (register.members[1]["verv"], "sentraladmin@S") if v
    )


def _ascii(name: str) -> str:
    return name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a").replace(" ", "")
