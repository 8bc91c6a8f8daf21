"""Values an .xlsx holds but Excel does not show as they are: cells whose number format or white text
hides the value (`;;;`, `0;;`, `[White]0`, a white font) or scales it (`0,,` shows 99 000 000 as 99), and
what the preview says about them and about hidden columns."""

from __future__ import annotations

import functools
import re

from insatskollen.core import lists
from insatskollen.ingest.reading import (
    MAX_CELL_CHARS,
    MAX_HIDDEN_CELLS,
    MAX_SHARED_STRINGS,
    ReadFailure,
    column_index,
    column_letters,
)
from insatskollen.ingest.xlsx_package import Package, local_name, xml_events


def style_index(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 7 else -1


def hiding_styles(package: Package) -> dict[int, tuple[str, bool]]:
    """Cell style index -> (its number format code, whether its text is white on no fill), for the styles
    that may hide a value (`;;;`, `0;;`, `" "`, `[White]0`, `[=99000000]"";0`, a white font) or scale it
    (`0,,` shows 99 000 000 as 99). From xl/styles.xml; the others are left out."""
    path = "xl/styles.xml"
    if path not in package.names:
        return {}
    formats: dict[str, str] = {}
    white_fonts: list[bool] = []
    shaded_fills: list[bool] = []
    hiding: dict[int, tuple[str, bool]] = {}
    section = ""  # "fonts", "fills" or "cellXfs" while inside one
    white = shaded = False
    index = 0
    for event, element in xml_events(package.open(path), path):
        tag = local_name(element)
        if tag in ("fonts", "fills", "cellXfs"):
            section = tag if event == "start" else ""
        elif section == "fonts" and tag == "font" and event == "start":
            white = False
        elif section == "fonts" and tag == "color" and event == "start":
            white = _is_white(element)
        elif section == "fonts" and tag == "font" and len(white_fonts) < MAX_SHARED_STRINGS:
            white_fonts.append(white)
        elif section == "fills" and tag == "patternFill" and event == "start":
            shaded = element.get("patternType", "none") != "none"
        elif section == "fills" and tag == "fgColor" and event == "start" and _is_white(element):
            shaded = False
        elif (
            section == "fills" and tag == "fill" and event == "end" and len(shaded_fills) < MAX_SHARED_STRINGS
        ):
            shaded_fills.append(shaded)
            shaded = False
        elif event == "start" and tag == "numFmt" and len(formats) < MAX_SHARED_STRINGS:
            formats[element.get("numFmtId", "")] = element.get("formatCode", "")[:MAX_CELL_CHARS]
        elif event == "start" and tag == "xf" and section == "cellXfs":
            code = formats.get(element.get("numFmtId", "0"), "")
            font, fill = style_index(element.get("fontId", "0")), style_index(element.get("fillId", "0"))
            white_text = 0 <= font < len(white_fonts) and white_fonts[font]
            white_text = white_text and not (0 <= fill < len(shaded_fills) and shaded_fills[fill])
            code = code if any(_section_effect(part) for part in _format_sections(code)) else ""
            if code or white_text:
                hiding[index] = (code, white_text)
            index += 1
            if index > MAX_SHARED_STRINGS:
                raise ReadFailure("Excel-filen har orimligt många cellformat; spara om den som CSV")
    return hiding


def _is_white(color) -> bool:
    """Whether a <color>/<fgColor> is white: rgb FFFFFF, indexed 1 or 9, or theme 0 (Background 1, white
    in the default theme) not darkened by a tint."""
    rgb = (color.get("rgb") or "").upper()
    if rgb:
        return rgb[-6:] == "FFFFFF"
    if color.get("theme") == "0":
        tint = color.get("tint") or "0"
        try:
            return float(tint) >= 0
        except ValueError:
            return True
    return color.get("indexed") in ("1", "9")


_WHOLE_FINDING = " men importeras; kontrollera att det ska med."


def style_note(style: tuple[str, bool], value) -> str | None:
    """What the finding says after "värdet 99 000 000" when this style hides or scales the value, or None."""
    code, white_text = style
    effect = _format_effect(code, value) if code else None
    if effect == "hidden":
        return f"syns inte i Excel (cellens talformat ”{code[:40]}” visar ingenting){_WHOLE_FINDING}"
    if effect == "white":
        return f"syns inte i Excel (cellens talformat ”{code[:40]}” visar det med vit text){_WHOLE_FINDING}"
    if white_text and not isinstance(effect, int):
        return f"syns inte i Excel (cellen har vit text på vit bakgrund){_WHOLE_FINDING}"
    if isinstance(effect, int) and isinstance(value, int | float) and value:
        scaled = value / 1000**effect
        shown = (
            _shown(round(scaled)) if abs(scaled) >= 1 or scaled == 0 else f"{scaled:.3g}".replace(".", ",")
        )
        return (
            f"visas i Excel som {shown} (talformatet ”{code[:40]}” delar med {_shown(1000**effect)}) men "
            f"importeras som {_shown(value)}; kontrollera beloppet."
        )
    return None


def format_hides(code: str, value) -> bool:
    """Whether Excel shows nothing for this value in this number format: the section that applies
    (positive;negative;zero;text, or the one whose condition such as [=99000000] holds) shows only empty
    or blank literals, or shows it in white ([White], [Color2])."""
    return _format_effect(code, value) in ("hidden", "white")


def _format_effect(code: str, value):
    """ "hidden", "white", the number of thousands the format divides by (0,, -> 2), or None."""
    parts = _parsed_format(code)
    if isinstance(value, str):
        return parts[3][1] if len(parts) >= 4 else None
    conditioned = [p for p in parts[:2] if p[0] is not None]
    if conditioned:
        for condition, effect in parts[:2]:
            if condition is None or _condition_holds(condition, value):
                return effect
        return parts[2][1] if len(parts) >= 3 else None
    if value > 0 or len(parts) < 2:
        return parts[0][1]
    if value < 0:
        return parts[1][1]
    return parts[2][1] if len(parts) >= 3 else parts[0][1]


_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*(-?[0-9]+(?:\.[0-9]+)?)\]")


def _condition_holds(condition: tuple[str, float], value) -> bool:
    operator, limit = condition
    return {
        "<": value < limit,
        ">": value > limit,
        "=": value == limit,
        "<=": value <= limit,
        ">=": value >= limit,
        "<>": value != limit,
    }[operator]


@functools.lru_cache(maxsize=256)
def _parsed_format(code: str) -> list[tuple[tuple[str, float] | None, object]]:
    """Per section of a format code: its condition ([>100]) if any, and its effect (see _section_effect)."""
    parsed = []
    for part in _format_sections(code):
        match = _CONDITION.search(part)
        parsed.append(((match.group(1), float(match.group(2))) if match else None, _section_effect(part)))
    return parsed


def _section_effect(part: str):
    """ "hidden" when a format section shows nothing (empty, or only blank literals such as "" or " "),
    "white" when it colours the value white, the number of thousands trailing commas divide by (0,, -> 2),
    else None."""
    colours = [c.strip().lower() for c in re.findall(r"\[([^\]]*)\]", part)]
    plain = re.sub(r"\[[^\]]*\]", "", part)
    plain = re.sub(r'"([^"]*)"', lambda m: m.group(0) if m.group(1).strip() else "", plain)
    plain = re.sub(r"_.|\\\s|\*\s", "", plain)  # padding, an escaped space, a fill with spaces
    if not plain.strip():
        return "hidden"
    if "white" in colours or "color2" in colours:
        return "white"
    bare = re.sub(r'"[^"]*"|\\.|_.|\*.', "", plain)
    scale = re.search(r"[0#?](,+)[^0#?]*$", bare)
    return len(scale.group(1)) if scale else None


def _format_sections(code: str) -> list[str]:
    """A format code split at the semicolons that are not inside quotes or escaped."""
    sections, current, quoted, escaped = [], [], False, False
    for char in code:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == '"':
            current.append(char)
            quoted = not quoted
        elif char == ";" and not quoted:
            sections.append("".join(current))
            current = []
        else:
            current.append(char)
    sections.append("".join(current))
    return sections


def hidden_findings(
    header: list[str], header_row: int, columns: list[int], cells: list[tuple[int, str, object, str]]
) -> list[str]:
    """What the preview says about values that Excel does not show: hidden columns and cells whose number
    format or white text hides the value, or whose format scales it (a ;;; format hid 99 000 000 kr
    without a word before; 0,, shows it as 99)."""

    def titled(letter: str, index: int) -> str:
        title = header[index] if index < len(header) and header[index] else ""
        return f"{letter} ({title})" if title else letter

    findings = []
    for index in columns:
        findings.append(
            f"Kolumn {titled(column_letters(index), index)} är dold i Excel men importeras; kontrollera att "
            "den ska med."
        )
    body_cells = [c for c in cells if c[0] != header_row]
    return findings + lists.capped(
        body_cells,
        MAX_HIDDEN_CELLS,
        show=lambda cell: (
            f"Rad {cell[0]}, kolumn {titled(cell[1], column_index(cell[1]))}: värdet {_shown(cell[2])} {cell[3]}"
        ),
        more=lambda _rest: (
            "Fler celler har talformat eller textfärg som döljer värdet eller visar det annorlunda (visas bara "
            f"för de första {MAX_HIDDEN_CELLS})."
        ),
    )


def _shown(value) -> str:
    """A cell value as the finding quotes it, Swedish style: spaces between thousands and a decimal comma
    (99 000 000, 1 111,25)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}".replace(",", " ").replace(".", ",")
    return str(value)
