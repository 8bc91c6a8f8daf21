"""What the benchmark and the load test do to the app: the pages and the filter changes.

Shared by scripts/benchmark.py (in-process) and scripts/loadtest.py (real server), so both measure
the same clicks. The filter combinations are built from the data's own filter options, so the same
workload runs on the bundled data and on the synthetic national data.
"""

from __future__ import annotations

# title, script (for AppTest), url path (for the browser and the websocket client)
PAGES = [
    ("Översikt", "pages/oversikt.py", ""),
    ("Prioriterade områden", "pages/omraden.py", "omraden"),
    ("Nämnder", "pages/namnder.py", "namnder"),
    ("Kommuner", "pages/kommuner.py", "kommuner"),
    ("Insatser", "pages/insatser.py", "insatser"),
    ("Källor", "pages/kallor.py", "kallor"),
    ("Datakvalitet", "pages/datakvalitet.py", "datakvalitet"),
    ("Scenarier", "pages/scenarier.py", "scenarier"),
    ("Uppföljning", "pages/uppfoljning.py", "uppfoljning"),
    ("Importera", "pages/importera.py", "importera"),
    ("Presentation", "pages/presentation.py", "presentation"),
]
FILTER_KEYS = ("municipalities", "years", "funding_sources", "committees", "areas", "statuses")


def filter_cycle(options: dict[str, list[str]]) -> list[dict[str, list[str]]]:
    """Six filter settings a user clicking around would try: none, one municipality, a municipality and
    a year, one area, a funding source and an area, two municipalities. Values are the sidebar's
    option strings."""
    municipalities = list(options["municipalities"])
    years = list(options["years"])
    sources = list(options["funding_sources"])
    areas = [a for a in options["areas"] if a]
    return [
        {},
        {"municipalities": municipalities[:1]},
        {"municipalities": municipalities[-1:], "years": years[len(years) // 2 : len(years) // 2 + 1]},
        {"areas": [a for a in areas if a == "Utbildning"] or areas[:1]},
        {"funding_sources": sources[-1:], "areas": [a for a in areas if a == "Boende"] or areas[:1]},
        {"municipalities": municipalities[1:3]},
    ]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile of `values`, interpolated between the two nearest ranks (the scripts' one definition)."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)
