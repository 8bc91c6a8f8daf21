"""LibreOffice and poppler for the tests that look at an export as it is laid out.

One LibreOffice profile per test process, made on first use; pytest-xdist's workers each have their own,
so two never share one (soffice locks it).
"""

from __future__ import annotations

import atexit
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

_PROFILE: Path | None = None
WORD_BOX = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')


def available(*tools: str) -> bool:
    """Whether soffice and these other programs (pdftotext, pdftoppm, pdfinfo) are installed."""
    return all(shutil.which(tool) for tool in ("soffice", *tools))


def _profile() -> Path:
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = Path(tempfile.mkdtemp(prefix="insatskollen-lo-"))
        atexit.register(shutil.rmtree, _PROFILE, True)
    return _PROFILE


def to_pdf(path: Path, outdir: Path | None = None) -> Path:
    """`path` (.pptx, .docx, .xlsx) as LibreOffice lays it out, a PDF in `outdir` (default: beside it).
    The returned path may not exist where LibreOffice lacks the module for the file (Calc for .xlsx)."""
    return to_pdfs([path], outdir or path.parent)[0]


def to_pdfs(paths: list[Path], outdir: Path) -> list[Path]:
    """Several files laid out by one LibreOffice start (a start costs more than a small file's layout): their
    PDFs in `outdir`, in the order given. The stems must differ (each PDF is named by its file's stem)."""
    assert len({path.stem for path in paths}) == len(paths), paths
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{_profile()}", "--convert-to", "pdf"]
        + ["--outdir", str(outdir), *map(str, paths)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return [outdir / f"{path.stem}.pdf" for path in paths]


def bbox_pages(pdf: Path) -> list[str]:
    """Each page of the PDF as pdftotext -bbox gives it (the <page …> element, its words with boxes)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.findall(r"<page .*?</page>", html, flags=re.S)


def page_words(page: str) -> list[tuple[float, float, str]]:
    """The words of one bbox page as (top, bottom, word), in reading order."""
    return [(float(y0), float(y1), word) for y0, y1, word in WORD_BOX.findall(page)]


def words(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Every page's words as (top, bottom, word)."""
    return [page_words(page) for page in bbox_pages(pdf)]
