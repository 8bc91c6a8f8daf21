#!/usr/bin/env python3
"""Writes the import test corpus (files/ and expected.json). Run it after changing a case; the files
are committed so that anyone can open them in Excel and see what the tests feed the importer."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
HEAD = "Kommun;År;Finansieringskälla;Ram (kr);Nämnd;Insats;Område;Belopp (kr);Status"
ROWS = [
    "Malmö;2025;KS anslag till förfogande;15 000 000;Kulturnämnden;Samtida cirkus;Utbildning;350 000;föreslagen",
    "Malmö;2025;KS anslag till förfogande;;Miljönämnden;Hållbara Rosengård;Boende;700 000;föreslagen",
    "Malmö;2025;KS anslag till förfogande;;Fritidsnämnden;Fritidsbanken;Demokrati och civilsamhälle;300 000;beslutad",
]
OK3 = {
    "rows": 3,
    "total": 1_350_000,
    "by_area": {"Utbildning": 350_000, "Boende": 700_000, "Demokrati och civilsamhälle": 300_000},
}
CASES: dict[str, dict] = {}


def csv_text(head: str, rows: list[str], sep: str = ";") -> str:
    return "\r\n".join([head.replace(";", sep)] + [r.replace(";", sep) for r in rows]) + "\r\n"


def write(name: str, data: bytes | str, expected: dict, encoding: str = "utf-8") -> None:
    path = FILES / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    CASES[name] = expected


def xlsx(name: str, header: list, rows: list[list], expected: dict, formula: str | None = None) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if formula:
        sheet["H2"] = formula
    book.save(FILES / name)
    CASES[name] = expected


def errors(*items) -> dict:
    """Expected failure: (line or None, column or None, phrase) per problem, in order."""
    return {"ok": False, "errors": [list(i) for i in items]}


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    base = csv_text(HEAD, ROWS)
    ok = {"ok": True, **OK3}
    write("v01_mall_utf8.csv", base, ok)
    write("v02_utf8_bom.csv", codecs.BOM_UTF8 + base.encode(), ok)
    write("v03_windows1252.csv", base, ok, encoding="cp1252")
    write(
        "v04_unicode_text_utf16.txt", codecs.BOM_UTF16_LE + csv_text(HEAD, ROWS, "\t").encode("utf-16-le"), ok
    )
    write("v05_comma.csv", csv_text(HEAD, [r.replace(" 000", "000") for r in ROWS], ","), ok)
    write("v06_tab.tsv", csv_text(HEAD, ROWS, "\t"), ok)
    amounts = [
        "1 000 000",
        "1 000 000 kr",
        "1.000.000",
        "2,08 mnkr",
        "300 tkr",
        "1,5 mkr",
        "1\u00a0000\u00a0000 kr",
    ]
    write(
        "v07_amount_formats.csv",
        csv_text(
            HEAD,
            [
                f"Motala;2025;Statsbidrag Delmos;;;Insats {i};Boende;{a};planerad"
                for i, a in enumerate(amounts)
            ],
        ),
        {"ok": True, "rows": 7, "total": 7_880_000, "by_area": {"Boende": 7_880_000}},
    )
    write(
        "v08_english_headers.csv",
        csv_text(
            "Municipality;Year;Funding source;Measure;Area;Amount",
            ["Malmö;2025;KS anslag till förfogande;Fritidsbanken;Boende;300000"],
        ),
        {"ok": True, "rows": 1, "total": 300_000, "by_area": {"Boende": 300_000}},
    )
    labels = [
        "Bostad / Samhällsservice",
        "Skola",
        "Trygghet / Brottslighet",
        "Demokrati/ Civilsamhälle",
        "Etablering på arbetsmarknaden",
    ]
    write(
        "v09_municipal_area_labels.csv",
        csv_text(
            HEAD,
            [
                f"Linköping;2025;Statsbidrag Delmos;;;Aktivitet {i};{a};100 000;planerad"
                for i, a in enumerate(labels)
            ],
        ),
        {
            "ok": True,
            "rows": 5,
            "total": 500_000,
            "by_area": {
                "Boende": 100_000,
                "Utbildning": 100_000,
                "Brottslighet": 100_000,
                "Demokrati och civilsamhälle": 100_000,
                "Arbetsmarknad": 100_000,
            },
        },
    )
    write(
        "v10_unknown_amounts.csv",
        csv_text(HEAD, ROWS[:1] + [ROWS[1].replace("700 000", "")]),
        {"ok": True, "rows": 2, "total": 350_000, "unknown": 1, "by_area": {"Utbildning": 350_000}},
    )
    write(
        "v11_new_municipality.csv",
        csv_text(
            "Kommun;Kommunkod;År;Finansieringskälla;Insats;Område;Belopp",
            ["Stockholm;0180;2025;Statsbidrag Delmos;Läxhjälp;Utbildning;2 mnkr"],
        ),
        {"ok": True, "rows": 1, "total": 2_000_000, "by_area": {"Utbildning": 2_000_000}},
    )
    header = ["Kommun", "År", "Finansieringskälla", "Insats", "Område", "Belopp (kr)"]
    xlsx(
        "v12_excel.xlsx",
        header,
        [
            ["Malmö", 2025, "KS anslag till förfogande", "Fritidsbanken", "Boende", 300000],
            ["Malmö", 2025, "KS anslag till förfogande", "Mammakraft", "Brottslighet", 250000],
        ],
        {"ok": True, "rows": 2, "total": 550_000, "by_area": {"Boende": 300_000, "Brottslighet": 250_000}},
    )
    xlsx(
        "v13_excel_text_amounts.xlsx",
        header,
        [["Malmö", "2025", "KS anslag till förfogande", "A", "Boende", "2,5 mnkr"]],
        {"ok": True, "rows": 1, "total": 2_500_000, "by_area": {"Boende": 2_500_000}},
    )
    write(
        "v14_html_in_text.csv",
        csv_text(HEAD, [ROWS[0].replace("Samtida cirkus", "<script>alert(1)</script><b>fet</b>")]),
        {
            "ok": True,
            "rows": 1,
            "total": 350_000,
            "by_area": {"Utbildning": 350_000},
            "titles": ["<script>alert(1)</script><b>fet</b>"],
        },
    )
    write(
        "v15_sql_in_text.csv",
        csv_text(HEAD, [ROWS[0].replace("Samtida cirkus", '"Robert\'); DROP TABLE measures;--"')]),
        {
            "ok": True,
            "rows": 1,
            "total": 350_000,
            "by_area": {"Utbildning": 350_000},
            "titles": ["Robert'); DROP TABLE measures;--"],
        },
    )
    write(
        "v16_blank_lines.csv",
        HEAD + "\r\n\r\n" + ROWS[0] + "\r\n;;;;;;;;\r\n" + ROWS[1] + "\r\n\r\n",
        {"ok": True, "rows": 2, "total": 1_050_000, "by_area": {"Utbildning": 350_000, "Boende": 700_000}},
    )
    write(
        "v17_quoted_delimiters.csv",
        "Kommun;År;Finansieringskälla;Insats;Beskrivning;Område;Belopp\r\n"
        'Malmö;2025;KS anslag till förfogande;Fritidsbanken;"Lån; gratis; utrustning";Boende;"300 000"\r\n',
        {"ok": True, "rows": 1, "total": 300_000, "by_area": {"Boende": 300_000}},
    )
    write(
        "v18_status_case.csv",
        csv_text(HEAD, [ROWS[2].replace("beslutad", "Beslutad")]),
        {"ok": True, "rows": 1, "total": 300_000, "by_area": {"Demokrati och civilsamhälle": 300_000}},
    )
    write(
        "v21_municipality_name_variants.csv",
        csv_text(
            "Kommun;År;Finansieringskälla;Insats;Område;Belopp",
            [
                "Norrköpings kommun;2025;Statsbidrag Delmos;Läxhjälp;Utbildning;100 000",
                "norrkoping;2025;Statsbidrag Delmos;Sommarjobb;Arbetsmarknad;200 000",
                "NORRKÖPING;2025;Statsbidrag Delmos;Trygghetsvandring;Brottslighet;300 000",
                "Malmö stad;2025;Statsbidrag Delmos;Föreningsstöd;Demokrati och civilsamhälle;400 000",
            ],
        ),
        {
            "ok": True,
            "rows": 4,
            "total": 1_000_000,
            "by_area": {
                "Utbildning": 100_000,
                "Arbetsmarknad": 200_000,
                "Brottslighet": 300_000,
                "Demokrati och civilsamhälle": 400_000,
            },
        },
    )
    xlsx(
        "v22_excel_code_as_number.xlsx",
        ["Kommunkod", "År", "Finansieringskälla", "Ram (kr)", "Insats", "Område", "Belopp (kr)"],
        [
            [581, 2025, "Statsbidrag Delmos", 2000000, "Läxhjälp", "Utbildning", 1200000],
            [581, 2025, "Statsbidrag Delmos", None, "Sommarjobb", "Arbetsmarknad", 500000],
        ],
        {
            "ok": True,
            "rows": 2,
            "total": 1_700_000,
            "by_area": {"Utbildning": 1_200_000, "Arbetsmarknad": 500_000},
        },
    )
    write(
        "v19_code_only.csv",
        csv_text(
            "Kommunkod;År;Finansieringskälla;Insats;Område;Belopp",
            ["1280;2025;KS anslag till förfogande;X;Boende;100 tkr"],
        ),
        {"ok": True, "rows": 1, "total": 100_000, "by_area": {"Boende": 100_000}},
    )
    write(
        "v20_trailing_delimiters.csv",
        HEAD + ";;\r\n" + ROWS[0] + ";;\r\n",
        {"ok": True, "rows": 1, "total": 350_000, "by_area": {"Utbildning": 350_000}},
    )
    # ------------------------------------------------------------ broken and hostile
    write("b01_empty.csv", b"", errors((None, None, "filen är tom")))
    write("b02_header_only.csv", HEAD + "\r\n", errors((None, None, "filen innehåller bara rubrikraden")))
    write(
        "b03_ragged_row.csv",
        csv_text(HEAD, [ROWS[0] + ";extra;fält"]),
        errors((2, None, "9 fält som rubrikraden (raden har 11)")),
    )
    write(
        "b04_duplicate_headers.csv",
        csv_text(HEAD + ";Belopp", [ROWS[0] + ";5"]),
        errors((1, "J", "kolumnen finns redan i kolumn H")),
    )
    write("b05_nul_bytes.csv", base.encode() + b"\x00\x00\x00", errors((None, None, "NUL-tecken")))
    write(
        "b06_enormous_line.csv",
        csv_text(HEAD, [ROWS[0].replace("Samtida cirkus", "x" * 30_000)]),
        errors((2, None, "raden är orimligt lång (30")),
    )
    write("b07_over_size_limit.csv", base, {**errors((None, None, "filen är för stor")), "max_bytes": 100})
    xlsx(
        "b08_formula_in_excel.xlsx",
        header,
        [["Malmö", 2025, "KS anslag till förfogande", "A", "Boende", 1]],
        errors((2, "H", "ett värde, inte en formel")),
        formula="=SUM(1,2)",
    )
    write(
        "b09_formula_in_csv.csv",
        csv_text(HEAD, [ROWS[0].replace("Samtida cirkus", '=HYPERLINK("http://x")')]),
        errors((2, "Insats", "text, inte en formel")),
    )
    write(
        "b10_unknown_area.csv",
        csv_text(HEAD, [ROWS[0].replace("Utbildning", "Bostad")]),
        errors((2, "Område", "Menade du 'Boende'?")),
    )
    write(
        "b11_amount_not_a_number.csv",
        csv_text(HEAD, [ROWS[0].replace("350 000", "tusen")]),
        errors((2, "Belopp (kr)", 'Kan inte tolka "tusen" som ett belopp')),
    )
    write(
        "b12_negative_amount.csv",
        csv_text(HEAD, [ROWS[0].replace("350 000", "-350 000")]),
        errors((2, "Belopp (kr)", "får inte vara negativt")),
    )
    write(
        "b13_absurd_amount.csv",
        csv_text(HEAD, [ROWS[0].replace("350 000", "999 999 999 999")]),
        errors((2, "Belopp (kr)", "orimligt stort")),
    )
    write(
        "b14_unknown_municipality.csv",
        csv_text(HEAD, [ROWS[0].replace("Malmö", "Malmoe stad")]),
        errors((2, "Kommun", "Menade du 'Malmö'?")),
    )
    write(
        "b15_bad_year.csv",
        csv_text(HEAD, [ROWS[0].replace("2025", "tjugo")]),
        errors((2, "År", "ett årtal mellan 1990 och 2100")),
    )
    write(
        "b16_unknown_funding_source.csv",
        csv_text(HEAD, [ROWS[0].replace("KS anslag till förfogande", "Egen budget")]),
        errors((2, "Finansieringskälla", "en finansieringskälla: Statsbidrag Tillväxtverket")),
    )
    write(
        "b17_missing_amount_column.csv",
        csv_text(
            "Kommun;År;Finansieringskälla;Insats;Område", ["Malmö;2025;KS anslag till förfogande;X;Boende"]
        ),
        errors((1, None, "kolumnen ”Belopp (kr)” saknas")),
    )
    write(
        "b18_misspelt_header.csv",
        csv_text(HEAD.replace("Belopp (kr)", "Bellopp (kr)"), ROWS[:1]),
        errors((1, "H", "Menade du 'Belopp (kr)'?"), (1, None, "kolumnen ”Belopp (kr)” saknas")),
    )
    write(
        "b19_unknown_status.csv",
        csv_text(HEAD, [ROWS[0].replace("föreslagen", "pågår")]),
        errors((2, "Status", "en status: beslutad, föreslagen, planerad")),
    )
    write(
        "b20_conflicting_frame.csv",
        csv_text(HEAD, [ROWS[0], ROWS[1].replace(";;Miljö", ";14 000 000;Miljö")]),
        errors((3, "Ram (kr)", "samma ram som på rad 2")),
    )
    write(
        "b21_not_really_excel.xlsx",
        b"this is not a spreadsheet",
        errors((None, None, "inte en giltig Excel-fil")),
    )
    write("b22_wrong_type.pdf", b"%PDF-1.4\n", errors((None, None, "filtypen stöds inte")))
    write(
        "b23_bad_municipality_code.csv",
        csv_text(
            "Kommunkod;År;Finansieringskälla;Insats;Område;Belopp",
            ["12a;2025;KS anslag till förfogande;X;Boende;1"],
        ),
        errors((2, "Kommunkod", "en kommunkod med fyra siffror")),
    )
    code_head = "Kommunkod;År;Finansieringskälla;Insats;Område;Belopp"
    write(
        "b25_unknown_municipality_code.csv",
        csv_text(code_head, ["0999;2025;Statsbidrag Delmos;X;Boende;1"]),
        errors((2, "Kommunkod", "finns bland Sveriges 290 kommuner")),
    )
    write(
        "b26_name_and_code_disagree.csv",
        csv_text("Kommun;" + code_head, ["Linköping;0581;2025;Statsbidrag Delmos;X;Boende;1"]),
        errors((2, "Kommun", "samma kommun som kommunkoden 0581 (Norrköping)")),
    )
    write(
        "b27_fullwidth_digits_in_code.csv",
        csv_text(code_head, ["\uff10\uff15\uff18\uff11;2025;Statsbidrag Delmos;X;Boende;1"]),
        errors((2, "Kommunkod", "en kommunkod med fyra siffror")),
    )
    many = [ROWS[0].replace("350 000", f"fel{i}") for i in range(60)]
    write(
        "b24_sixty_errors.csv",
        csv_text(HEAD, many),
        {**errors(*[(i + 2, "Belopp (kr)", f'"fel{i}"') for i in range(60)]), "count": 60},
    )
    (HERE / "expected.json").write_text(json.dumps(CASES, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(CASES)} filer")


if __name__ == "__main__":
    main()
