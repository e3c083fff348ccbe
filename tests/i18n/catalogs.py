"""Reading the catalogs in tests: the source messages, and each language's translations."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "innsiden" / "translations"
LANGUAGES = ("nb", "nn", "en", "da")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def read(language: str) -> Catalog:
    with (CATALOGS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


@cache
def extracted() -> Catalog:
    """What the code and templates say now (a fresh extraction, not the committed .pot)."""
    pot = Path(tempfile.mkdtemp(prefix="innsiden-pot-")) / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "--no-location",
         "-o", str(pot), "."],
        cwd=ROOT, check=True,
    )  # fmt: skip
    with pot.open("rb") as handle:
        return read_po(handle)


def translations(language: str) -> dict[str, str]:
    """Each singular source text and its translation (bokmål: itself)."""
    found = {}
    for message in read(language):
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        text = message.string[0] if isinstance(message.string, tuple) else message.string
        found[source] = text or source
    return found


def telltale_phrases(language: str) -> set[str]:
    """Texts that, seen on a page, can only come from `language`'s catalog.

    The literal parts (between placeholders) of each message, at least three words long, that no
    other language's catalog also uses (e.g. "Innsiden" or "Status" are the same everywhere)."""
    others = [translations(code) for code in LANGUAGES if code != language]
    own = translations(language)
    shared = {text for catalog in others for text in catalog.values()}
    phrases = set()
    for text in own.values():
        if text in shared:
            continue
        for part in PLACEHOLDER.split(text):
            part = part.strip(" .,:;!?«»“”()–-")
            if len(part.split()) >= 3 and not any(part in t for t in shared):
                phrases.add(part)
    return phrases
