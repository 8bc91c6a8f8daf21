"""Documentation that users rely on stays complete: every data file and column is described."""

from __future__ import annotations

import ast
import re

from insatskollen.core.schema import TABLES
from insatskollen.store import queries
from tests.conftest import ALLOCATION_COLUMNS, ROOT


def test_every_data_file_and_column_is_documented():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for table in TABLES:
        heading = re.search(rf"^### {re.escape(table.file)}\b.*?(?=^### |\Z)", text, flags=re.M | re.S)
        assert heading, f"{table.file} is not described in data/README.md"
        section = heading.group(0)
        for column in table.column_names:
            assert re.search(rf"(^|\W){re.escape(column)}(\W|$)", section), (
                f"{table.file}: {column} undocumented"
            )


DATA_DOC = ROOT / "docs" / "data.md"


def test_readme_names_the_two_commands_and_data_doc_the_allocation_view():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 scripts/dev.py start" in readme and "python3 scripts/dev.py test" in readme
    text = DATA_DOC.read_text(encoding="utf-8")
    for column in ALLOCATION_COLUMNS:
        assert f"`{column}`" in text
    assert "INSATSKOLLEN_VAR" in text


def test_every_named_query_is_listed_in_the_data_doc():
    text = DATA_DOC.read_text(encoding="utf-8")
    for name in queries.all_queries():
        assert f"`{name}`" in text, name


def test_every_column_of_the_follow_up_view_is_documented_in_its_section(db):
    text = DATA_DOC.read_text(encoding="utf-8")
    section = re.search(r"^### The `follow_up` view.*?(?=^##)", text, flags=re.M | re.S)
    assert section, "README has no section on the follow_up view"
    columns = list(db.query("follow_up", municipality_codes=[], years=[]).columns)
    assert len(columns) == 27
    for column in columns:
        assert f"`{column}`" in section.group(0), f"follow_up.{column} undocumented"
    assert (
        "`follow_up`" in text.split("### The `follow_up` view")[0]
    )  # named beside the other documented views


def test_readme_stays_an_overview_and_links_resolve():
    """Issue 24 item 5: the README is what it is, the two commands, the pages, the CLI and where to read more
    (at most 400 lines); every relative link in it and in docs/ points at a file that exists."""
    readme = ROOT / "README.md"
    assert len(readme.read_text(encoding="utf-8").splitlines()) <= 400
    for doc in [readme, *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\((?!https?:|#|mailto:)([^)#\s]+)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.name}: link to {target} leads nowhere"


def test_the_readme_layout_names_every_module():
    """The README's "How the code is laid out" lists every module of the package and every script, so that
    the tree and the map cannot drift apart."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## How the code is laid out\n\n```\n(.*?)```", text, flags=re.S)
    assert block, "README has no code layout block"
    lines = block.group(1).splitlines()
    named = set(re.findall(r"[\w.]+\.py", block.group(1)))
    for module in sorted((ROOT / "scripts").glob("*.py")):
        assert module.name in named, f"scripts/{module.name} is missing from the README's layout"
    # the package: each module listed under its layer's line ("  core/"), so the map says where it lives
    package = ROOT / "insatskollen"
    for module in sorted(package.rglob("*.py")):
        parts = module.relative_to(package).parts
        if "migrations" in parts:
            continue
        if len(parts) == 1:
            assert module.name in named or module.name == "__init__.py", f"{module.name} missing"
            continue
        layer = next(
            (
                i
                for i, line in enumerate(lines)
                if line.strip() == f"{parts[0]}/" or line.strip().startswith(f"{parts[0]}/ ")
            ),
            None,
        )
        assert layer is not None, f"the layer {parts[0]}/ is missing from the README's layout"
        after = next((i for i in range(layer + 1, len(lines)) if re.match(r"  \w+/", lines[i])), len(lines))
        listed = set(re.findall(r"[\w.]+\.py", "\n".join(lines[layer:after])))
        if module.name == "__init__.py" and module.stat().st_size < 200:
            continue  # an empty package marker
        assert module.name in listed, f"insatskollen/{'/'.join(parts)} is missing under {parts[0]}/"


ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _defined(path, name: str) -> bool:
    """Whether `name` (a function, class, module-level variable, or Class.method) is defined in a Python file, or
    (a macro, view, table or CTE) in a SQL file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".sql":
        pattern = rf"\b(macro|view|table)\s+(\w+\.)?{re.escape(name)}\b|\b{re.escape(name)}\s+as\s*\("
        return re.search(pattern, text, flags=re.I) is not None
    scope = ast.parse(text).body
    for part in name.split("."):
        found = None
        for node in scope:
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and node.name == part
                or isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == part for t in node.targets)
                or isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id == part
            ):
                found = node
        if found is None:
            return False
        scope = getattr(found, "body", [])
    return True


def test_every_path_and_name_in_the_architecture_doc_exists():
    """docs/architecture.md traces "Ofördelat" and "Kvar att fördela" from page to SQL as `path::name` steps: each
    file exists and defines the name, so the trace fails here, not in a newcomer's hands, when code moves."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    steps = re.findall(r"`([\w./-]+\.(?:py|sql))(?:::([\w.]+))?`", text)
    assert len([s for s in steps if s[1]]) >= 20, "the traces name their steps as `path::name`"
    for path, name in steps:
        assert (ROOT / path).is_file(), f"docs/architecture.md: {path} does not exist"
        if name:
            assert _defined(ROOT / path, name), f"docs/architecture.md: {path} defines no {name}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/architecture.md)" in readme.split("## Where to read more")[1].split("\n## ")[0]
