"""Pages only lay out (STYLE.md, "The layout we are moving to"): app.py and pages/*.py call insatskollen.ui
for data and numbers; no pandas, no database, no store or core rule, and no arithmetic over a table in a page.
import-linter cannot see the pages (they are scripts, not a package), so this test reads them with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
FORBIDDEN_IMPORTS = ("pandas", "duckdb", "sqlalchemy", "insatskollen.store", "insatskollen.core")
FORBIDDEN_CALLS = ("groupby", "sum", "nunique")


def _imported(node: ast.AST) -> list[str]:
    """The module names an import statement pulls in (`from insatskollen import core` names insatskollen.core)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return []


def violations(source: str) -> list[str]:
    """What a page may not do, as 'line N: …'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        for name in _imported(node):
            if any(name == bad or name.startswith(f"{bad}.") for bad in FORBIDDEN_IMPORTS):
                found.append((node.lineno, f"line {node.lineno}: imports {name}"))
                break
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in FORBIDDEN_CALLS
        ):
            found.append((node.lineno, f"line {node.lineno}: calls .{node.func.attr}("))
    return [text for _, text in sorted(found)]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_page_only_lays_out(script):
    assert violations(script.read_text(encoding="utf-8")) == []


def test_the_check_sees_what_it_forbids():
    page = (
        "import pandas as pd\nfrom insatskollen.core import fmt\nfrom insatskollen import store\n"
        "rows.groupby('a').amount.sum()\nrows.municipality.nunique()\n"
        "from insatskollen.ui import widgets\nwidgets.table(rows)\n"
    )
    assert [v.split(":", 1)[0] for v in violations(page)] == ["line 1", "line 2", "line 3"] + [
        "line 4"
    ] * 2 + ["line 5"]


# Issue 24: no module of the app or its tools over 500 lines (the tests' own modules are not counted).
MAX_LINES = 500
MODULES = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "insatskollen").rglob("*.py")),
    *sorted((ROOT / "scripts").glob("*.py")),
]


def too_long(paths: list[Path], limit: int = MAX_LINES) -> list[str]:
    """Each file over `limit` lines, as 'path: N lines'."""
    found = []
    for path in paths:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{path.relative_to(ROOT).as_posix()}: {lines} lines")
    return found


def test_no_module_of_the_app_or_its_tools_is_over_500_lines():
    assert len(MODULES) > 100  # the app, its pages and its scripts are all read
    assert too_long(MODULES) == []


def test_the_length_check_names_a_long_file():
    long = ROOT / "scripts" / "benchmark.py"
    assert too_long([long], limit=10) == [
        f"scripts/benchmark.py: {len(long.read_text(encoding='utf-8').splitlines())} lines"
    ]
