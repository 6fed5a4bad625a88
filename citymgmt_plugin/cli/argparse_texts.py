"""argparse's own words ("usage:", "options", "show this help message and exit", its error
messages) in the user's language.

argparse looks its words up with ``gettext`` through the module's ``_`` and ``ngettext``
when it builds a parser and when it formats help or an error. :func:`translated_argparse`
puts our catalogue (``tr("Argparse", …)``) in their place while the command line runs;
words argparse adds in a later Python stay as argparse has them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..core.i18n import tr


def messages() -> dict[str, str]:
    """argparse's messages (Python 3.9–3.12 wording) and ours for them."""
    return {
        "usage: ": tr("Argparse", "usage: "),
        "positional arguments": tr("Argparse", "positional arguments"),
        "options": tr("Argparse", "options"),
        "optional arguments": tr("Argparse", "optional arguments"),  # Python 3.9
        "show this help message and exit": tr("Argparse", "show this help message and exit"),
        "show program's version number and exit": tr(
            "Argparse", "show program's version number and exit"
        ),
        "%(prog)s: error: %(message)s\n": tr("Argparse", "%(prog)s: error: %(message)s\n"),
        "the following arguments are required: %s": tr(
            "Argparse", "the following arguments are required: %s"
        ),
        "unrecognized arguments: %s": tr("Argparse", "unrecognized arguments: %s"),
        "argument %(argument_name)s: %(message)s": tr(
            "Argparse", "argument %(argument_name)s: %(message)s"
        ),
        "invalid choice: %(value)r (choose from %(choices)s)": tr(
            "Argparse", "invalid choice: %(value)r (choose from %(choices)s)"
        ),
        "invalid %(type)s value: %(value)r": tr("Argparse", "invalid %(type)s value: %(value)r"),
        "expected one argument": tr("Argparse", "expected one argument"),
        "expected at most one argument": tr("Argparse", "expected at most one argument"),
        "expected at least one argument": tr("Argparse", "expected at least one argument"),
        "not allowed with argument %s": tr("Argparse", "not allowed with argument %s"),
        "one of the arguments %s is required": tr(
            "Argparse", "one of the arguments %s is required"
        ),
        "ambiguous option: %(option)s could match %(matches)s": tr(
            "Argparse", "ambiguous option: %(option)s could match %(matches)s"
        ),
        "ignored explicit argument %r": tr("Argparse", "ignored explicit argument %r"),
        "unknown parser %(parser_name)r (choices: %(choices)s)": tr(
            "Argparse", "unknown parser %(parser_name)r (choices: %(choices)s)"
        ),
    }


def plurals() -> dict[str, str]:
    """``ngettext('expected %s argument', 'expected %s arguments', n)``: one form in
    Chinese, as our catalogue has it."""
    return {"expected %s argument": tr("Argparse", "expected %s arguments")}


def _gettext(table: dict[str, str]) -> Callable[[str], str]:
    return lambda message: table.get(message, message)


def _ngettext(table: dict[str, str]) -> Callable[[str, str, int], str]:
    def ngettext(singular: str, plural: str, n: int) -> str:
        if singular in table:
            return table[singular]
        return singular if n == 1 else plural

    return ngettext


@contextmanager
def translated_argparse() -> Iterator[None]:
    """argparse speaks through our catalogue inside the block (build and parse in it)."""
    saved = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    argparse._ = _gettext(messages())  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext(plurals())  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
