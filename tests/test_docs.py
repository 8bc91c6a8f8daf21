"""Documentation that users rely on stays complete: every data file and column is described."""

from __future__ import annotations

import re

from insatskollen import queries
from insatskollen.schema import TABLES
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


def test_readme_names_the_two_commands_and_the_allocation_view():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 scripts/dev.py start" in text and "python3 scripts/dev.py test" in text
    for column in ALLOCATION_COLUMNS:
        assert f"`{column}`" in text
    assert "INSATSKOLLEN_VAR" in text


def test_every_named_query_is_listed_in_the_readme():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in queries.all_queries():
        assert f"`{name}`" in text, name


def test_every_column_of_the_follow_up_view_is_documented_in_its_readme_section(db):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^### The `follow_up` view.*?(?=^##)", text, flags=re.M | re.S)
    assert section, "README has no section on the follow_up view"
    columns = list(db.query("follow_up", municipality_codes=[], years=[]).columns)
    assert len(columns) == 27
    for column in columns:
        assert f"`{column}`" in section.group(0), f"follow_up.{column} undocumented"
    assert "`follow_up`" in text.split("## Nyckeltal")[0]  # named beside the other documented views
