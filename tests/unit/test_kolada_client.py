"""The Kolada v3 client against fixtures in the documented response shape, with no network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insatskollen.ingest import kolada

FIXTURES = Path(__file__).parents[1] / "fixtures" / "kolada"
BASE = "https://api.kolada.se/v3"
DATA_URL = f"{BASE}/data/kpi/N07403/municipality/0580,0000"


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class FakeKolada:
    """The injected HTTP layer: answers per URL, in order when a URL has several answers."""

    def __init__(self, answers: dict[str, list[tuple[int, dict, bytes]]]):
        self.answers = {url: list(items) for url, items in answers.items()}
        self.asked: list[str] = []

    def __call__(self, url: str):
        self.asked.append(url)
        if url not in self.answers or not self.answers[url]:
            raise AssertionError(f"unexpected request {url}")
        return self.answers[url].pop(0)


def paged() -> dict:
    page2 = json.loads(body("data_page1.json"))["next_url"]
    return {DATA_URL: [(200, {}, body("data_page1.json"))], page2: [(200, {}, body("data_page2.json"))]}


def test_pages_are_followed_through_next_url_and_every_value_kept():
    http = FakeKolada(paged())
    values = kolada.Client(get=http).data(["N07403"], ["0580", "0000"])
    assert len(http.asked) == 2
    assert [(v.municipality, v.period) for v in values] == [
        ("0580", 2019),
        ("0580", 2020),
        ("0580", 2021),
        ("0000", 2019),
    ]


def test_the_total_is_taken_whatever_order_the_genders_come_in():
    values = kolada.Client(get=FakeKolada(paged())).data(["N07403"], ["0580", "0000"])
    by_year = {(v.municipality, v.period): v.value for v in values}
    assert by_year[("0580", 2019)] == 152.4  # T listed second, after K
    assert by_year[("0580", 2020)] == 148.7  # T listed last
    assert {v.gender for v in values} == {"T"}


def test_a_null_value_with_a_status_is_unknown_not_zero_and_a_real_zero_stays_zero():
    values = kolada.Client(get=FakeKolada(paged())).data(["N07403"], ["0580", "0000"])
    missing = next(v for v in values if v.period == 2021)
    assert missing.value is None and missing.status == "Missing"
    zero = next(v for v in values if v.municipality == "0000")
    assert zero.value == 0.0 and zero.status is None


def test_429_waits_as_long_as_retry_after_says_then_gets_the_page():
    waits: list[float] = []
    http = FakeKolada(
        {DATA_URL + "/year/2020": [(429, {"Retry-After": "7"}, b""), (200, {}, body("empty.json"))]}
    )
    client = kolada.Client(get=http, sleep=waits.append)
    assert client.data(["N07403"], ["0580", "0000"], years=[2020]) == []
    assert waits == [7.0]
    assert len(http.asked) == 2


def test_429_without_end_stops_after_bounded_retries_with_a_swedish_message():
    waits: list[float] = []
    http = FakeKolada({DATA_URL: [(429, {"retry-after": "1"}, b"")] * 10})
    with pytest.raises(kolada.KoladaError, match="HTTP 429"):
        kolada.Client(get=http, sleep=waits.append, max_retries=3).data(["N07403"], ["0580", "0000"])
    assert waits == [1.0, 1.0, 1.0]
    assert len(http.asked) == 4


def test_410_from_the_retired_v2_says_so_in_swedish():
    v2 = "https://api.kolada.se/v2"
    http = FakeKolada({f"{v2}/kpi/N07403": [(410, {}, b"Gone")]})
    with pytest.raises(kolada.KoladaError) as error:
        kolada.Client(get=http, base_url=v2).kpis(["N07403"])
    assert "version 2 av Koladas API är avvecklad" in str(error.value)
    assert "https://api.kolada.se/v3" in str(error.value)


def test_an_empty_result_is_an_empty_result():
    http = FakeKolada({DATA_URL: [(200, {}, body("empty.json"))]})
    assert kolada.Client(get=http).data(["N07403"], ["0580", "0000"]) == []


def test_kpi_and_municipality_titles():
    http = FakeKolada(
        {
            f"{BASE}/kpi/N07403": [(200, {}, body("kpi.json"))],
            f"{BASE}/municipality/0580,0000": [(200, {}, body("municipality.json"))],
        }
    )
    client = kolada.Client(get=http)
    assert client.kpis(["N07403"]) == {"N07403": "Anmälda våldsbrott, antal/100 000 inv"}
    assert client.municipalities(["0580", "0000"]) == {"0580": "Linköping", "0000": "Riket"}
    assert client.urls == [f"{BASE}/kpi/N07403", f"{BASE}/municipality/0580,0000"]


def test_a_kpi_whose_title_changed_is_named_with_both_titles():
    lines = kolada.changed_titles(
        {"N07403": "Anmälda våldsbrott, antal/100 000 inv"}, {"N07403": "Anmälda våldsbrott, antal/1 000 inv"}
    )
    assert len(lines) == 1
    assert "N07403" in lines[0] and "antal/100 000 inv" in lines[0] and "antal/1 000 inv" in lines[0]
    assert kolada.changed_titles({"N07403": "A"}, {"N07403": "A "}) == []
