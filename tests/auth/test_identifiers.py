"""What a member types is understood the way the register writes it."""

import pytest

from innsiden.auth.identifiers import Identifier, normalise_mobile, parse_identifier


@pytest.mark.parametrize(
    "typed", ["+47 912 34 567", "91234567", "004791234567", "+4791234567", "912 34 567"]
)
def test_mobile_numbers_become_e164(typed):
    assert normalise_mobile(typed) == "+4791234567"
    assert parse_identifier(typed) == Identifier("mobile", "+4791234567")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (" Kari.Nordmann@Example.NO ", Identifier("email", "kari.nordmann@example.no")),
        ("100001", Identifier("number", "100001")),
        ("22334455", Identifier("number", "22334455")),  # not a mobile number
        ("0046701234567", Identifier("mobile", "+46701234567")),
        ("kari@", None),
        ("hei", None),
        ("", None),
    ],
)
def test_identifiers(typed, expected):
    assert parse_identifier(typed) == expected
