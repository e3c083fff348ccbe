"""List what each catalog still lacks: `python innsiden/translations/untranslated.py`.

Run by `make translations` after the catalogs are updated from messages.pot. Prints, per
language, every message with an empty, fuzzy or partly empty translation (bokmål is the source
and is skipped), and exits 1 if there is any, so the integrator sees what to write.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po

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


def main() -> int:
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
