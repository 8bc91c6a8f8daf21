"""A deck as PDF (one 16:9 page per slide, printed by headless Chromium) and a chart as PNG (Kaleido).

Both need a Chromium on the machine; without one they raise StaticExportUnavailable with a Swedish message and
the other formats still work. Nothing is fetched from the network. table_html also draws the Presentation
page's tables, so the screen and the PDF split and set a table alike.
"""

from __future__ import annotations

import atexit
import base64
import html
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import warnings
from pathlib import Path

import pandas as pd

from insatskollen.export import table_files
from insatskollen.export.deck import DRAFT, Deck, Slide
from insatskollen.export.deck_layout import cell_text, footer_fit, is_total, pages, slide_number
from insatskollen.export.table_files import StaticExportUnavailable

LOG = logging.getLogger(__name__)
CHROMIUM_ENV = "INSATSKOLLEN_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

NO_CHROMIUM = (
    "PDF och bilder av diagram kräver webbläsaren Chromium på datorn (Debian/Ubuntu: apt-get install chromium). "
    "Den hittades inte. PowerPoint, Word och Excel fungerar ändå."
)


def chromium_path() -> str | None:
    """The Chromium to use: $INSATSKOLLEN_CHROMIUM, else the first of the usual names on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if Path(configured).exists() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def static_export_available() -> bool:
    return chromium_path() is not None


_KALEIDO_LOCK = threading.Lock()
_kaleido_started = False


def _kaleido_server() -> None:
    """Kaleido's browser kept running in this process after its first use, as its sync server: each call
    otherwise starts a Chromium of its own (a deck's three charts as SVG: ~2.4 s a PDF, ~0.5 s with the server;
    issue 25's PDF target is 3 s). Started when the export panel opens (warm_up) or on the first PDF or PNG, so a
    server where nobody opens the panel runs none.
    If it cannot start, every call starts its own browser as before."""
    global _kaleido_started
    with _KALEIDO_LOCK:
        if _kaleido_started:
            return
        _kaleido_started = True
        try:
            import kaleido

            kaleido.start_sync_server(silence_warnings=True)
            atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        except Exception:  # the per-call browser still works; the export says any failure in Swedish
            LOG.warning(
                "Kaleido's server did not start; each chart image starts its own browser", exc_info=True
            )


def warm_up() -> None:
    """Start Kaleido's browser in the background, once, when someone opens the panel with "Skapa PDF": the first
    PDF of a process otherwise waits for the browser to start (3.8 s against 1.8-2.0 s for a later one; issue
    25's target is 3 s). A server where nobody opens the panel still starts none."""
    if _kaleido_started or not static_export_available():
        return
    threading.Thread(target=_kaleido_server, name="kaleido-warm-up", daemon=True).start()


_KALEIDO_CALL = threading.Lock()


def _images(make):
    """Run a Kaleido call through the process's server, one at a time: the server answers on one shared return
    queue, so two sessions' calls at once could each take the other's images. (Its "kopts are ignored with a
    server" note is about our own call, which sets none.)"""
    _kaleido_server()
    with _KALEIDO_CALL, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored if using a server")
        return make()


def chart_png(figure, width: int = 1400, height: int | None = None) -> bytes:
    """A PNG of one Plotly chart (Kaleido with the machine's Chromium)."""
    if not static_export_available():
        raise StaticExportUnavailable(NO_CHROMIUM)
    return _images(
        lambda: figure.to_image(
            format="png", width=width, height=height or figure.layout.height or 600, scale=2
        )
    )


def to_pdf(deck: Deck, timeout: int = 120) -> bytes:
    """The deck as a PDF for the meeting papers: one 16:9 page per slide, printed by headless Chromium."""
    chromium = chromium_path()
    if chromium is None:
        raise StaticExportUnavailable(NO_CHROMIUM)
    import plotly.graph_objects as go
    import plotly.io as pio

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        charted = [s for s in deck.slides if s.chart is not None]
        paths = [work / f"chart-{i}.svg" for i in range(len(charted))]
        if charted:
            # copies without their own title: the slide heading says it (the cached figures stay untouched)
            figures = [
                go.Figure(s.chart.figure).update_layout(title_text="", margin={"t": 20}) for s in charted
            ]
            heights = [min(460, max(300, int(s.chart.figure.layout.height or 400))) for s in charted]
            _images(lambda: pio.write_images(figures, paths, format="svg", width=1160, height=heights))
        # a name with a character XML cannot hold (U+FFFF …) would make the SVG invalid and the chart vanish
        images = {
            id(s): base64.b64encode(table_files.clean(p.read_text(encoding="utf-8")).encode("utf-8")).decode()
            for s, p in zip(charted, paths, strict=True)
        }
        page = work / "deck.html"
        page.write_text(_deck_html(deck, images), encoding="utf-8")
        out = work / "deck.pdf"
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--no-pdf-header-footer",
                f"--user-data-dir={work / 'profile'}",
                f"--print-to-pdf={out}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return out.read_bytes()


def _html(text) -> str:
    """Data text for the PDF's HTML: without the characters XML cannot hold, escaped, never interpreted."""
    return html.escape(table_files.clean(str(text)))


def table_html(table: pd.DataFrame, widths: tuple[float, ...] | None = None) -> str:
    """A slide table as HTML: every value escaped, amounts right-aligned, Totalbelopp/Att disponera in bold.
    With `widths` (a TableLayout's, inches) the columns get the PowerPoint's proportions, so that rows wrap
    as they were measured."""
    e = _html
    cols = ""
    if widths:
        total = sum(widths)
        cols = (
            "<colgroup>"
            + "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in widths)
            + "</colgroup>"
        )
    head = "".join(f'<th class="{"num" if "(kr)" in str(c) else ""}">{e(str(c))}</th>' for c in table.columns)
    rows = []
    for row in table.itertuples(index=False):
        cells = "".join(
            f'<td class="{"num" if "(kr)" in str(c) else ""}">{e(cell_text(str(c), v, table_files.clean))}</td>'
            for c, v in zip(table.columns, row, strict=True)
        )
        rows.append(f'<tr class="{"total" if is_total(row[0]) else ""}">{cells}</tr>')
    fixed = ' class="fixed"' if widths else ""
    return f"<table{fixed}>{cols}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _deck_html(deck: Deck, images: dict[int, str]) -> str:
    e = _html
    css = """
    @page { size: 1280px 720px; margin: 0; }
    body { margin: 0; font-family: 'DejaVu Sans', 'Source Sans Pro', Arial, sans-serif; color: #1F2937; }
    .slide { width: 1280px; height: 720px; box-sizing: border-box; padding: 36px 56px 60px; position: relative;
             page-break-after: always; overflow: hidden; }
    h1 { font-size: 34px; margin: 0 0 10px; } .msg { font-size: 21px; margin: 0 0 18px; }
    .big h1 { font-size: 44px; margin-top: 200px; } .big .msg { font-size: 24px; }
    img { max-width: 1160px; max-height: 470px; } .note { font-size: 15px; color: #4B5563; margin: 4px 0 0; }
    table { border-collapse: collapse; font-size: 17px; } th, td { padding: 4px 14px; border-bottom: 1px solid #D1D5DB;
    text-align: left; } td.num, th.num { text-align: right; white-space: nowrap; } tr.total td { font-weight: bold; }
    table.fixed { table-layout: fixed; width: 100%; }
    .footer { position: absolute; left: 48px; right: 48px; bottom: 14px; height: 58px; line-height: 1.2;
              display: flex; align-items: flex-end; color: #4B5563; }
    .number { position: absolute; right: 56px; top: 8px; font-size: 13px; color: #4B5563; }
    .head { display: flex; align-items: flex-start; gap: 24px; }
    .head h1 { flex: 1; }
    .draft { flex: none; color: #B91C1C; border: 3px solid #B91C1C; font-weight: bold; font-size: 22px;
             padding: 2px 12px; margin-top: 4px; }
    """

    def footer(slide: Slide | None = None) -> str:  # the slide's own rows, as on screen and in the PowerPoint
        text, size = footer_fit(deck.footer_for(slide))  # the PowerPoint's box: 96 px an inch, 4/3 px a point
        return f'<div class="footer" style="font-size:{size * 4 / 3:.1f}px">{e(text)}</div>'

    draft = f'<div class="draft">{e(DRAFT.upper())}</div>' if deck.draft else ""

    def head(title: str) -> str:  # the mark sits beside the title in the flow, so it can never cover it
        return f'<div class="head"><h1>{e(title)}</h1>{draft}</div>'

    parts = [
        f'<section class="slide big">{head(deck.title)}<p class="msg">{e(deck.scope)}</p>{footer()}</section>'
    ]
    shown = pages(deck)
    for number, page in enumerate(shown, start=1):
        slide, body = page.slide, ""
        if id(slide) in images:
            body = f'<img alt="{e(slide.chart.alt)}" src="data:image/svg+xml;base64,{images[id(slide)]}">'
            if slide.note:  # as the screen's caption under the chart
                body += f'<p class="note">{e(slide.note)}</p>'
        elif page.table is not None:  # split as the PowerPoint is, so that no row is printed under the footer
            body = table_html(page.table.table, page.table.widths)
        parts.append(
            f'<section class="slide"><div class="number">{e(slide_number(number, len(shown)))}</div>'
            f'{head(page.title)}<p class="msg">{e(slide.message)}</p>{body}{footer(slide)}</section>'
        )
    return f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{e(deck.title)}</title><style>{css}</style></head><body>{"".join(parts)}</body></html>'
