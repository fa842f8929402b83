"""CSV for spreadsheets: every CSV cutover writes goes through here.

Coordinators open these files in Excel, which runs a cell that starts with ``=``, ``+``,
``-`` or ``@`` as a formula (and skips a leading tab or carriage return to find one): a
query id ``=HYPERLINK("http://…")`` or ``+cmd|' /C calc'!A0`` written as it is would run when
the file is opened (OWASP "CSV injection"). Such a cell gets a leading apostrophe, which is
how spreadsheets themselves mark text: Excel shows the value without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

__all__ = ["FORMULA_STARTS", "CsvOut", "cell", "field"]

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r")


def cell(text: str) -> str:
    """Return `text` as a spreadsheet must show it: with a leading apostrophe when it would
    otherwise be read as a formula, else unchanged."""
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


def field(text: str) -> str:
    """Return `text` as one CSV field: guarded as `cell` does, then quoted when it holds a
    comma, a quote or a line break (for writers that join their rows themselves, for speed).

    A carriage return alone is a line break too: Excel and the csv module read one as the
    end of the row. (The csv module's writer leaves it bare when rows end in LF alone.)
    """
    text = cell(text)
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class CsvOut:
    """Writes rows of CSV to a stream, each text cell a `field`, each row ended by LF.

    Numbers are written as digits and None as an empty cell, as the csv module writes them.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def row(self, cells: Iterable[str | int | None]) -> None:
        """Write one row."""
        fields = [field(c) if isinstance(c, str) else "" if c is None else str(c) for c in cells]
        # (A row of one empty cell is written "" as the csv module does: an empty line
        # would be no row at all.)
        line = ",".join(fields) if fields != [""] else '""'
        self._stream.write(line + "\n")
