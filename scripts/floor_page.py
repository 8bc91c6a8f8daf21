"""The floor page: a typical dashboard page built the plain way on our stack, so the benchmark can say what a
page costs against what the stack itself needs (issue 25).

Four metrics, three Plotly bar charts, two tables and three DuckDB queries over the same published read store
the app serves (its `model_allocation` table), with one filter (kommun). Nothing of Insatskollen's: no caches of
query results or charts, no sidebar, no downloads, no checks. The connection is opened once per process, as any
Streamlit app keeps its database. scripts/benchmark.py runs it with AppTest beside the pages, same filter
changes, same cold and warm runs, and prints each page's ratio to it.

    INSATSKOLLEN_FLOOR_DB=var/read/rs-….duckdb .venv/bin/python -m streamlit run scripts/floor_page.py
"""

from __future__ import annotations

import os

import duckdb
import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def connection(path: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=True)


con = connection(os.environ["INSATSKOLLEN_FLOOR_DB"]).cursor()

# 1: per kommun (all of them: the filter's options and the first chart)
by_municipality = con.execute(
    "select municipality as Kommun, sum(amount_sek) as Belopp, count(*) as Rader "
    "from model_allocation group by 1 order by 1"
).df()
chosen = st.multiselect("Kommun", by_municipality["Kommun"].tolist(), key="floor_kommun")
where, params = ("where municipality in (select unnest($k))", {"k": chosen}) if chosen else ("", {})

# 2 and 3: per område and per nämnd, filtered
by_area = con.execute(
    f"select coalesce(priority_area, 'Okänt') as Område, sum(amount_sek) as Belopp, count(*) as Rader, "
    f"count(*) - count(amount_sek) as Utan_belopp, count(distinct measure_id) as Insatser "
    f"from model_allocation {where} group by 1 order by 2 desc nulls last",
    params,
).df()
by_committee = con.execute(
    f"select coalesce(committee, 'Okänd') as Nämnd, sum(amount_sek) as Belopp, count(*) as Rader "
    f"from model_allocation {where} group by 1 order by 2 desc nulls last",
    params,
).df()

st.title("Golvsida")
a, b, c, d = st.columns(4)
a.metric("Fördelat", f"{int(by_area['Belopp'].sum()):,} kr".replace(",", " "))
b.metric("Rader", int(by_area["Rader"].sum()))
c.metric("Utan belopp", int(by_area["Utan_belopp"].sum()))
d.metric("Insatser", int(by_area["Insatser"].sum()))
for title, frame, column in [
    ("Per kommun", by_municipality, "Kommun"),
    ("Per område", by_area, "Område"),
    ("Per nämnd", by_committee, "Nämnd"),
]:
    st.plotly_chart(
        go.Figure(go.Bar(x=frame["Belopp"], y=frame[column], orientation="h"), layout={"title": title}),
        key=f"floor_{column}",
    )
st.dataframe(by_area, hide_index=True)
st.dataframe(by_committee, hide_index=True)
