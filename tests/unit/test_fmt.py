"""Swedish number formats as users write them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from insatskollen.core import fmt
from insatskollen.core.fmt import NBSP


def test_kronor():
    assert fmt.sek(15_000_000) == f"15{NBSP}000{NBSP}000{NBSP}kr"
    assert fmt.sek(0) == f"0{NBSP}kr"
    assert fmt.sek(None) == "belopp saknas"
    assert fmt.sek(float("nan")) == "belopp saknas"


def test_millions_and_percent():
    assert fmt.mnkr(2_080_000) == f"2,08{NBSP}mnkr"
    assert fmt.mnkr(1_800_000) == f"1,8{NBSP}mnkr"
    assert fmt.mnkr(15_000_000) == f"15{NBSP}mnkr"
    # from 1 000 mnkr on, national totals are written in billions
    assert fmt.mnkr(999_990_000) == f"999,99{NBSP}mnkr"
    assert fmt.mnkr(999_999_000) == f"1{NBSP}mdkr"  # would round to '1 000 mnkr'
    assert fmt.mnkr(1_234_000_000) == f"1,23{NBSP}mdkr"
    assert fmt.mnkr(-2_500_000_000) == f"\u22122,5{NBSP}mdkr"
    assert fmt.mnkr(12_345_678_901) == f"12,35{NBSP}mdkr"
    assert fmt.pct(0.125) == f"12,5{NBSP}%"
    assert fmt.pct(0.1) == f"10{NBSP}%"
    assert fmt.pct_points(10) == f"10{NBSP}%"
    assert fmt.signed_sek(-61_000) == f"\u221261{NBSP}000{NBSP}kr"


@given(st.integers(min_value=0, max_value=10**12))
def test_kronor_round_trip(amount):
    text = fmt.sek(amount)
    assert text.endswith(f"{NBSP}kr")
    assert int(text[:-3].replace(NBSP, "")) == amount
