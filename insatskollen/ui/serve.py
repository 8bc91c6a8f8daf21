"""`python -m insatskollen.ui.serve [Streamlit's options]`: the dashboard, as `streamlit run app.py [options]`,
with Streamlit's legacy `pages/` mode off from the process's first request.

Why a launcher: with a folder named `pages/` next to the entrypoint, Streamlit serves the first session after a
start in its legacy multipage mode until a st.navigation call turns it off (streamlit/streamlit#10276). That
first visitor sees a menu of file names ("app, datakvalitet, kallor …") for a few seconds, and a deep link runs
its page script without app.py. Nothing of ours runs before that decision, so the flag is set here, before the
server starts. `streamlit run app.py` still works: app.py and every page leave that mode on their first run
(insatskollen.ui.frame), but the file names may show for a moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"


# What app.py and the start page import, loaded before the server listens: the first visitor after a start
# would otherwise wait for pandas, Plotly, DuckDB and our modules (~1 s) inside the first run.
WARM_MODULES = (
    "insatskollen.ui.session",
    "insatskollen.ui.sidebar",
    "insatskollen.ui.signin",
    "insatskollen.ui.widgets",
    "insatskollen.ui.overview",
    "insatskollen.ui.measures",
    "insatskollen.ui.downloads",
    "insatskollen.export.area_charts",
    "plotly.graph_objects",
)


def main(argv: list[str] | None = None) -> None:
    import importlib

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False  # app.py routes every page with st.navigation
    for module in WARM_MODULES:
        importlib.import_module(module)
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
