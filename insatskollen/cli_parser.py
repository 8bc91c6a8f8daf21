"""An argparse parser that speaks Swedish: usage, help headings and the errors a mistyped command gets.

argparse words its own messages in English (`usage:`, `error: argument --format: invalid choice …`). The
messages are translated here by their fixed English patterns (Python 3.11–3.13 word them the same); a
message we do not know is shown as it is, after the Swedish prefix, rather than hidden.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

# The commands' exit codes (README): ok, invalid data or query, a store that cannot be opened, an import
# that needs --replace.
EXIT_OK, EXIT_INVALID, EXIT_BUSY, EXIT_REPLACE = 0, 1, 3, 4

_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), swedish)
    for pattern, swedish in (
        (
            r"^argument (?P<arg>.+?): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)$",
            "argumentet {arg}: ogiltigt val {value} (välj bland {choices})",
        ),
        (
            r"^argument (?P<arg>.+?): invalid int value: (?P<value>.+)$",
            "argumentet {arg}: {value} är inte ett heltal",
        ),
        (
            r"^argument (?P<arg>.+?): invalid (?P<kind>\S+) value: (?P<value>.+)$",
            "argumentet {arg}: ogiltigt värde {value}",
        ),
        (r"^argument (?P<arg>.+?): expected one argument$", "argumentet {arg} behöver ett värde"),
        (
            r"^argument (?P<arg>.+?): expected at least one argument$",
            "argumentet {arg} behöver minst ett värde",
        ),
        (
            r"^argument (?P<arg>.+?): not allowed with argument (?P<other>.+)$",
            "argumentet {arg} kan inte anges tillsammans med {other}",
        ),
        (r"^unrecognized arguments: (?P<args>.+)$", "okända argument: {args}"),
        (r"^the following arguments are required: (?P<args>.+)$", "följande argument måste anges: {args}"),
        (r"^one of the arguments (?P<args>.+) is required$", "ett av argumenten {args} måste anges"),
        (
            r"^ambiguous option: (?P<opt>\S+) could match (?P<matches>.+)$",
            "{opt} kan betyda flera: {matches}",
        ),
    )
)

# The dest of the subcommand arguments, as argparse names them in "the following arguments are required".
_NAMES = {
    "command": "kommando",
    "users_command": "kommando",
    "kolada_command": "kommando",
    "scenarios_command": "kommando",
}


def swedish(message: str) -> str:
    """argparse's English error message in Swedish; an unknown one unchanged."""
    for pattern, template in _ERRORS:
        found = pattern.match(message)
        if found:
            parts = {key: _NAMES.get(value, value) for key, value in found.groupdict().items()}
            for key in ("args",):
                if key in parts:
                    parts[key] = ", ".join(_NAMES.get(a, a) for a in parts[key].split(", "))
            return template.format(**parts)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class SwedishParser(argparse.ArgumentParser):
    """ArgumentParser with Swedish usage, headings, -h/--help and error messages. Subcommands made with
    `add_subparsers().add_parser` are of this class too (argparse uses the parent's class)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="visa den här hjälpen och avsluta")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {swedish(message)}\n")
