"""The four catalogs are complete: every text the code shows has a translation in nynorsk,
English and Danish, none is fuzzy or stale, and placeholders survive translation."""

from __future__ import annotations

import pytest

from innsiden.i18n import SUPPORTED_LOCALES
from tests.i18n.catalogs import LANGUAGES, PLACEHOLDER, extracted, read

TRANSLATED = [code for code in LANGUAGES if code != "nb"]


def _ident(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_every_supported_language_has_a_catalog():
    assert set(SUPPORTED_LOCALES) == set(LANGUAGES)
    for code in LANGUAGES:
        assert read(code).locale_identifier == code


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_holds_exactly_the_messages_the_code_uses(language):
    source = extracted()
    wanted = {_ident(m) for m in source if m.id}
    catalog = read(language)
    have = {_ident(m) for m in catalog if m.id}
    missing = sorted(wanted - have)
    stale = sorted(have - wanted) + [_ident(m) for m in catalog.obsolete.values()]
    assert missing == [], f"run `make translations` and translate: {missing[:10]}"
    assert stale == [], f"stale messages (run `make translations`): {stale[:10]}"
    fuzzy = [_ident(m) for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(language):
    for message in read(language):
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: no translation for {sources[0]!r}"
        # The plural form must keep every placeholder; a singular may spell out "1".
        wanted = set(PLACEHOLDER.findall(sources[-1]))
        assert set(PLACEHOLDER.findall(strings[-1])) == wanted, (language, sources[-1])
        if len(sources) == 1:
            assert sorted(PLACEHOLDER.findall(strings[0])) == sorted(
                PLACEHOLDER.findall(sources[0])
            ), (language, sources[0])


@pytest.mark.parametrize("language", TRANSLATED)
def test_plurals_have_the_languages_plural_forms(language):
    catalog = read(language)
    assert catalog.num_plurals == 2
    plurals = [m for m in catalog if isinstance(m.id, tuple)]
    assert plurals and all(len(m.string) == 2 for m in plurals)
