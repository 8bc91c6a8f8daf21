"""A slide table never breaks a word: at 1024×768 Linköping's plan-chain slide showed "Bevilja/t" and
"Arbetsmarkna/d" (a new user's screenshot), because the narrow columns were given less than their longest word."""

from __future__ import annotations

import pandas as pd

from insatskollen.export import deck_layout

CHAIN = pd.DataFrame(
    {
        "Område": ["Boende", "Arbetsmarknad"],
        "Mål": ["Attraktiv kommun", "Hög egenförsörjningsgrad"],
        "Insatser": [
            "Bostadsförsörjning för grupper med behov; Modeller för samrådsmöten " * 2,
            "Högre sysselsättning",
        ],
        "Beviljat": ["okänt", "11\u00a0100\u00a0000\u00a0kr (tolkning)"],
        "Indikator": ["Detaljplaner ska bidra till ökad variation av upplåtelseformer " * 3, "Antal hushåll"],
    }
)


def _floor(word: str) -> float:
    return (
        (len(word) * deck_layout.WORD_EM + deck_layout.CELL_MARGIN_EM) * 14 / 72 * deck_layout.NARROW_SCREEN
    )


def test_every_column_is_at_least_as_wide_as_its_longest_word_and_the_table_keeps_its_width():
    [layout] = deck_layout.table_pages(CHAIN)
    widths = dict(zip(CHAIN.columns, layout.widths, strict=True))
    assert widths["Område"] >= _floor("Arbetsmarknad")
    assert widths["Beviljat"] >= _floor("11\u00a0100\u00a0000\u00a0kr")  # the no-break spaces bind the amount
    assert widths["Mål"] >= _floor("egenförsörjningsgrad")
    assert abs(sum(layout.widths) - deck_layout.TABLE_WIDTH) < 1e-9
    # the wordy columns gave way, but still hold the most
    assert widths["Indikator"] > widths["Beviljat"] and widths["Insatser"] > widths["Område"]
