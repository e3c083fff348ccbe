"""Pieces of the format: phone numbers, delimiters and header problems (no database)."""

import pytest

from membersync.phones import normalise_phone
from membersync.readers import SourceError, open_source
from membersync.readers.csvfiles import detect_delimiter


@pytest.mark.parametrize(
    "written",
    [
        "+47 912 34 567",
        "91234567",
        "004791234567",
        "+4791234567",
        " 912 34 567 ",
        "0047 912-34-567",
    ],
)
def test_norwegian_numbers_become_e164(written):
    assert normalise_phone(written) == "+4791234567"


def test_foreign_numbers_keep_their_country_code():
    assert normalise_phone("+46 70 123 45 67") == "+46701234567"
    assert normalise_phone("0046701234567") == "+46701234567"


@pytest.mark.parametrize("written", ["12345", "+47 912", "9123456789", "abc", "+0047912345678"])
def test_malformed_numbers_are_refused(written):
    with pytest.raises(ValueError):
        normalise_phone(written)


def test_an_empty_number_is_none():
    assert normalise_phone("  ") is None


def test_the_delimiter_is_read_from_the_header():
    assert detect_delimiter("id;navn;type;overordnet_id\r\n") == ";"
    assert detect_delimiter("id,navn,type,overordnet_id\n") == ","


def test_a_file_without_the_format_columns_is_bad_input(tmp_path):
    (tmp_path / "organisasjon.csv").write_text("id;navn;type;overordnet_id\n")
    (tmp_path / "medlemmer.csv").write_text("medlemsnummer;fornavn\n1;Kari\n")
    with pytest.raises(SourceError, match="mangler kolonnene") as raised:
        list(open_source(str(tmp_path)).members)
    assert raised.value.bad_input


def test_a_file_that_is_not_utf8_is_bad_input(tmp_path):
    (tmp_path / "organisasjon.csv").write_bytes(
        "id;navn;type;overordnet_id\n1;Bærum;lokallag;\n".encode("latin-1")
    )
    (tmp_path / "medlemmer.csv").write_text("x\n")
    with pytest.raises(SourceError, match="UTF-8"):
        open_source(str(tmp_path))
