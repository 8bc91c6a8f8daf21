"""Amounts as Swedish users write them; an amount that could be read two ways is asked about, not guessed."""

from __future__ import annotations

import pytest

from insatskollen.core.amounts import AmountError, parse_amount


@pytest.mark.parametrize(
    ("text", "kronor"),
    [
        ("1 500 000", 1_500_000),
        ("1 500 000 kr", 1_500_000),
        ("1.000.000", 1_000_000),
        ("1,000,000", 1_000_000),
        ("2,08 mnkr", 2_080_000),
        ("2,080 mnkr", 2_080_000),
        ("300 tkr", 300_000),
        ("15000", 15_000),
    ],
)
def test_amounts_people_write(text, kronor):
    assert parse_amount(text) == kronor


@pytest.mark.parametrize("text", ["15,000", "350,000", "1.000", "999.000 kr"])
def test_one_group_of_three_after_a_comma_or_point_is_ambiguous(text):
    """'15,000' is 15 kr to a Swede and 15 000 kr to an English spreadsheet; before, it became 15 kr."""
    with pytest.raises(AmountError, match="är tvetydigt"):
        parse_amount(text)


def test_the_message_says_how_to_write_it():
    with pytest.raises(AmountError) as caught:
        parse_amount("350,000")
    assert str(caught.value) == (
        'Beloppet "350,000" är tvetydigt (tusental eller decimaler?). Skriv 350 000 för 350 tusen kronor.'
    )
