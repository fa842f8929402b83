"""CSV for spreadsheets: every CSV cutover writes goes through here.

Coordinators open these files in Excel, which runs a cell that starts with ``=``, ``+``,
``-`` or ``@`` as a formula (and skips a leading tab or carriage return to find one): a
query id ``=HYPERLINK("http://…")`` or ``+cmd|' /C calc'!A0`` written as it is would run when
the file is opened (OWASP "CSV injection"). Such a cell gets a leading apostrophe, which is
how spreadsheets themselves mark text: Excel shows the value without it.
"""

from __future__ import annotations

import csv
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
    """Return `text` as one CSV field: guarded as `cell` does, then quoted as the csv
    module's QUOTE_MINIMAL would (for writers that join their rows themselves, for speed)."""
    text = cell(text)
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class CsvOut:
    """Writes rows of CSV to a stream, each text cell guarded as `cell` does.

    Numbers and None are written as the csv module writes them (None as an empty cell).
    """

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")

    def row(self, cells: Iterable[str | int | None]) -> None:
        """Write one row."""
        self._writer.writerow([cell(c) if isinstance(c, str) else c for c in cells])
