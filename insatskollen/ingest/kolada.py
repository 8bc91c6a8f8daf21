"""Kolada (RKA's open database of municipal key figures), API v3: a small client and the snapshot format.

Only the command line talks to Kolada (`python -m insatskollen kolada fetch`); the app never does, it
reads imported snapshots. The HTTP layer is one injectable function `get(url) -> (status, headers,
body)`, so tests run without network.

Response shapes used here, as documented and as used by working v3 clients:
- kolada.se/om-oss/api ("Om version 3": v3 released 2025-04-04, v2 kept about six months after; terms:
  "Källa: Kolada" on the data, own computations must not name Kolada as source; Swagger on /v3/docs).
- `GET /v3/data/kpi/{ids}/municipality/{codes}[/year/{years}]` answers
  `{"count": n, "values": [{"kpi", "municipality", "period", "values": [{"gender", "count", "status",
  "value"}]}], "next_url": url-or-absent}`; one entry per gender K/M/T in any order, `value` null when
  missing (with a `status`). Pages are followed through `next_url` (as in the public v3 fetchers
  isakskogstad/Kolada-MCP src/config/types.ts and the v3 raw fetcher found by the code search, which
  loops `url = page.get("next_url")`).
- `GET /v3/kpi/{ids}` and `GET /v3/municipality/{codes}`: `{"values": [{"id", "title", ...}]}`.
"""

from __future__ import annotations

import email.utils
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

BASE_URL = "https://api.kolada.se/v3"
COUNTRY_CODE = "0000"  # Kolada's code for Riket
TOTAL = "T"  # gender: T = totalt (K = kvinnor, M = män)
SOURCE = "Kolada"
SNAPSHOT_FORMAT = "insatskollen-kolada-snapshot/1"
MAX_PAGES = 1000
MAX_RETRIES = 4
MAX_WAIT_SECONDS = 300
DEFAULT_WAIT_SECONDS = 10

HttpGet = Callable[[str], tuple[int, Mapping[str, str], bytes]]


class KoladaError(Exception):
    """A problem talking to Kolada or reading what it sent, said in Swedish."""


@dataclass(frozen=True)
class Value:
    """One key figure for one municipality and year, gender T. value None = unknown (see status)."""

    kpi: str
    municipality: str
    period: int
    value: float | None
    status: str | None
    gender: str = TOTAL


def urllib_get(url: str, timeout: float = 30) -> tuple[int, Mapping[str, str], bytes]:
    """The default HTTP layer: one GET with a timeout; HTTP errors come back as their status."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - https only
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers or {}), error.read() or b""
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise KoladaError(f"Kolada kan inte nås från den här datorn ({reason}).") from error


def retry_after_seconds(headers: Mapping[str, str], now: datetime | None = None) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); a default if absent."""
    raw = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if raw is None:
        return DEFAULT_WAIT_SECONDS
    raw = str(raw).strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return DEFAULT_WAIT_SECONDS
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Client:
    """Kolada API v3. `get` is the HTTP layer, `sleep` the wait between retries (both injectable)."""

    def __init__(
        self,
        get: HttpGet = urllib_get,
        sleep: Callable[[float], None] = time.sleep,
        base_url: str = BASE_URL,
        max_retries: int = MAX_RETRIES,
    ):
        self.get = get
        self.sleep = sleep
        self.base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        self.urls: list[str] = []  # every URL answered, in order (for the manifest)

    def _json(self, url: str) -> dict:
        for attempt in range(self.max_retries + 1):
            status, headers, body = self.get(url)
            if status == 429 and attempt < self.max_retries:
                wait = retry_after_seconds(headers)
                if wait > MAX_WAIT_SECONDS:
                    break
                self.sleep(wait)
                continue
            break
        if status == 429:
            raise KoladaError(
                f"Kolada ber oss vänta (HTTP 429) även efter {self.max_retries} nya försök. Försök igen senare."
            )
        if status == 410:
            raise KoladaError(
                "Kolada svarar att adressen inte längre finns (HTTP 410): version 2 av Koladas API är "
                f"avvecklad. Använd version 3 ({BASE_URL}). Adressen var {url}."
            )
        if status != 200:
            raise KoladaError(f"Kolada svarade med HTTP {status} på {url}.")
        try:
            answer = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise KoladaError(f"Kolada svarade med något som inte är JSON på {url}.") from error
        if not isinstance(answer, dict) or not isinstance(answer.get("values", []), list):
            raise KoladaError(f"Kolada svarade i ett format som inte känns igen på {url}.")
        self.urls.append(url)
        return answer

    def _pages(self, url: str) -> Iterator[dict]:
        seen: set[str] = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen or len(seen) >= MAX_PAGES:
                raise KoladaError(f"Koladas sidor tar inte slut (sidan {next_url} kom tillbaka).")
            seen.add(next_url)
            page = self._json(next_url)
            yield page
            next_url = page.get("next_url") or None

    def kpis(self, ids: Iterable[str]) -> dict[str, str]:
        """KPI id -> title, as Kolada names them now."""
        return self._titles("kpi", ids)

    def municipalities(self, codes: Iterable[str]) -> dict[str, str]:
        """Municipality code -> name (0000 is Riket)."""
        return self._titles("municipality", codes)

    def _titles(self, what: str, ids: Iterable[str]) -> dict[str, str]:
        joined = ",".join(ids)
        titles: dict[str, str] = {}
        for page in self._pages(f"{self.base_url}/{what}/{joined}"):
            for item in page.get("values", []):
                titles[str(item["id"])] = str(item.get("title") or "")
        return titles

    def data(self, kpis: Iterable[str], codes: Iterable[str], years: Iterable[int] = ()) -> list[Value]:
        """Every value of these KPIs for these municipalities (and years), gender T only."""
        url = f"{self.base_url}/data/kpi/{','.join(kpis)}/municipality/{','.join(codes)}"
        years = list(years)
        if years:
            url += "/year/" + ",".join(str(y) for y in years)
        out: list[Value] = []
        for page in self._pages(url):
            out.extend(values_from_page(page))
        return out


def values_from_page(page: dict) -> list[Value]:
    """The gender-T values of one data page; a null value is unknown (None with its status), never 0."""
    out = []
    for record in page.get("values", []):
        total = [v for v in record.get("values") or [] if v.get("gender") == TOTAL]
        for item in total[:1]:
            raw = item.get("value")
            status = item.get("status") or None
            out.append(
                Value(
                    kpi=str(record["kpi"]),
                    municipality=str(record["municipality"]),
                    period=int(record["period"]),
                    value=None if raw is None else float(raw),
                    status=status,
                )
            )
    return out


def changed_titles(known: Mapping[str, str], found: Mapping[str, str]) -> list[str]:
    """Swedish lines for every KPI whose title differs between `known` (earlier) and `found` (now)."""
    return [
        f'Nyckeltalet {kpi} hette "{known[kpi]}" men heter nu "{found[kpi]}". Kolada kan ha ändrat vad det '
        "mäter; de två kan inte visas som en serie."
        for kpi in sorted(set(known) & set(found))
        if known[kpi].strip() != found[kpi].strip()
    ]


def snapshot_document(
    kpi_titles: Mapping[str, str], municipality_names: Mapping[str, str], values: list[Value]
) -> dict:
    """The snapshot file's content (JSON)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "kpis": dict(kpi_titles),
        "municipalities": dict(municipality_names),
        "values": [asdict(v) for v in values],
    }
