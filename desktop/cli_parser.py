"""argparse in Dutch: its own words (usage, options, help, error lines) translated.

argparse looks up every text it shows through the module-level gettext functions `_` and
`ngettext`. While a DutchArgumentParser builds, parses or prints, those two are swapped for
lookups in the table below; a text the table lacks (a newer Python's) stays as argparse says it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

USAGE_ERROR = 2

DUTCH = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "subcommands": "opdrachten",
    "show this help message and exit": "deze hulp tonen en stoppen",
    "show program's version number and exit": "het versienummer tonen en stoppen",
    " (default: %(default)s)": " (standaard: %(default)s)",
    "%(heading)s:": "%(heading)s:",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: waarschuwing: %(message)s\n",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "one of the arguments %s is required": "geef een van deze argumenten: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "not allowed with argument %s": "kan niet samen met %s",
    "expected one argument": "hier hoort één waarde bij",
    "expected at most one argument": "hier hoort hoogstens één waarde bij",
    "expected at least one argument": "hier hoort minstens één waarde bij",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "onduidelijke optie: %(option)s kan %(matches)s zijn",
    "ignored explicit argument %r": "overbodige waarde %r",
    "unexpected option string: %s": "onverwachte optie: %s",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
    "option '%(option)s' is deprecated": "optie '%(option)s' verdwijnt binnenkort",
    "argument '%(argument_name)s' is deprecated":
        "argument '%(argument_name)s' verdwijnt binnenkort",
    "command '%(parser_name)s' is deprecated": "opdracht '%(parser_name)s' verdwijnt binnenkort",
}
DUTCH_PLURAL = {
    ("expected %s argument", "expected %s arguments"):
        ("hier hoort %s waarde bij", "hier horen %s waarden bij"),
}


def dutch(text: str) -> str:
    return DUTCH.get(text, text)


def dutch_plural(singular: str, plural: str, n: int) -> str:
    one, many = DUTCH_PLURAL.get((singular, plural), (singular, plural))
    return one if n == 1 else many


@contextmanager
def argparse_in_dutch() -> Iterator[None]:
    """argparse's own texts in Dutch for the duration of the block."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = dutch, dutch_plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class DutchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, usage and errors are Dutch, with one help option."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - argparse's own
        kwargs.setdefault("add_help", False)
        with argparse_in_dutch():
            super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="deze hulp tonen en stoppen")

    def add_subparsers(self, **kwargs) -> argparse._SubParsersAction:  # noqa: ANN003
        kwargs.setdefault("parser_class", DutchArgumentParser)
        with argparse_in_dutch():
            return super().add_subparsers(**kwargs)

    def add_argument_group(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        with argparse_in_dutch():
            return super().add_argument_group(*args, **kwargs)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        with argparse_in_dutch():
            return super().parse_args(args, namespace)

    def format_help(self) -> str:
        with argparse_in_dutch():
            return super().format_help()

    def format_usage(self) -> str:
        with argparse_in_dutch():
            return super().format_usage()

    def error(self, message: str) -> NoReturn:
        """One Dutch line (and the usage), exit code 2: never argparse's English."""
        with argparse_in_dutch():
            self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"Fout: {message}. Zie '{self.prog} --help'.\n")
