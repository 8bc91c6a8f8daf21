"""Data text shown safely: escaped for Streamlit's markdown and our own HTML, never 'nan', and a file's
errors as text."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

_MARKUP = re.compile(r"[\\`*_{}\[\]<>()#+\-.!|~:$@&=\"']")


# GFM turns http://…, www.… and e-mail addresses into links even when written with character references;
# a WORD JOINER (U+2060, invisible, zero width) after the scheme or before the @ keeps them plain text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)(?=&#58;|&#46;)|(?=&#64;)")


def md_escape(value: str) -> str:
    """Show data as text inside Streamlit markdown: every character that could start markup (emphasis,
    links, images, HTML, autolinks like http:// or www., :emoji: and :material/…: codes, $LaTeX$) becomes
    a numeric character reference, which the markdown renderer shows as that very character. Backslash
    escapes are not enough: inside a GFM autolink (http://…) they stay visible as backslashes."""
    escaped = _MARKUP.sub(lambda m: f"&#{ord(m.group())};", str(value))
    return _AUTOLINK.sub(lambda m: (m.group(1) or "") + "\u2060", escaped)


def text_heading(value: str, level: int = 3) -> None:
    """A heading whose text comes from data: shown literally, never as markdown or HTML."""
    st.markdown(f"{'#' * level} {md_escape(value)}")


def data_error(failure, shown_at_most: int = 50) -> None:
    """A file that cannot be imported (DataError): its heading, that nothing was saved, and its problems as
    text, the first `shown_at_most` listed and the rest counted."""
    total = failure.total  # beyond errors.MAX_COLLECTED problems are counted, not kept
    st.error(f"**{plain(failure.heading)}.** Ingenting har sparats. {total} fel:")
    shown = failure.problems[:shown_at_most]
    st.markdown("\n".join(f"- {plain(str(p))}" for p in shown))
    if total > len(shown):
        st.caption(f"… och {total - len(shown)} fel till.")


def or_text(value, missing: str) -> str:
    """A data value as text, or `missing` when it is empty or unknown (None, NaN, NA): never 'nan'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == "":
        return missing
    return str(value)


def plain(value) -> str:
    """Data text made safe for st.markdown."""
    return md_escape("" if value is None else value)


def html_text(value) -> str:
    """Data text made safe inside our own HTML snippets: every markup character (HTML and markdown) is a
    character reference and line breaks are spaces, so the text can neither end the HTML block (a blank
    line would) nor be read as markdown around it."""
    text = re.sub(r"\s*\n\s*", " ", "" if value is None else str(value))
    return _MARKUP.sub(lambda m: f"&#{ord(m.group())};", text)
