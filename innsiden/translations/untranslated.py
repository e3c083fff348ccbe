"""List what each catalog still lacks: `python innsiden/translations/untranslated.py`.

Run by `make translations` after the catalogs are updated from messages.pot. With
`--fill-source` (before compiling) it writes the bokmål catalog out in full: bokmål is the
source, so each text is its own translation, and tools and reviewers see a complete catalog.
Without it, it prints, per other language, every message with an empty, fuzzy or partly empty
translation, and exits 1 if there is any, so the integrator sees what to write.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).parent
SOURCE = "nb"


def missing(language: str) -> list[str]:
    path = HERE / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            ident = message.id[0] if isinstance(message.id, tuple) else message.id
            found.append(ident)
    return found


def fill_source() -> int:
    """Give every bokmål message its own text as translation; returns how many changed."""
    path = HERE / SOURCE / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=SOURCE)
    changed = 0
    for message in catalog:
        if not message.id:
            continue
        wanted = tuple(message.id) if isinstance(message.id, tuple) else message.id
        if message.string != wanted or message.fuzzy:
            message.string = wanted
            message.flags.discard("fuzzy")
            changed += 1
    if changed:
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, no_location=True, sort_output=True,
                     ignore_obsolete=True)  # fmt: skip
    return changed


def main() -> int:
    if "--fill-source" in sys.argv[1:]:
        print(f"{SOURCE}: {fill_source()} texts written as their own translation")
        return 0
    total = 0
    for folder in sorted(p for p in HERE.iterdir() if (p / "LC_MESSAGES").is_dir()):
        if folder.name == SOURCE:
            continue
        todo = missing(folder.name)
        total += len(todo)
        print(f"{folder.name}: {len(todo)} to translate")
        for ident in todo:
            print(f"  {ident}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
