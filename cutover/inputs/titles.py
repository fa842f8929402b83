"""A header under title rows, and rows above a header that are no titles.

A sheet has 「○○県 改修状況調査」 above its table: a workbook's title rows are skipped
(`cutover.inputs.workbook`); a CSV file's first line is its header, and the message says
where the header is instead. But a row above the header may be a row of the table: Excel
sorts a table whose header it did not recognise with the header among the rows, and every
row sorted above it would be skipped as a title. `looks_like_a_row` tells the two apart,
for both readers: a row of the table holds an agency's code under a column of codes.
"""

from __future__ import annotations

import contextlib
import csv
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice

from cutover.errors import CutoverError
from cutover.jp.codes import has_valid_check_digit

__all__ = ["header_below_titles", "looks_like_a_row"]

# The columns of agencies' codes, in every kind of input that has them.
_CODE_COLUMNS = ("code", "querier", "provider")

# Lines looked at under a first line that is not the header: a sheet has a title or two,
# and a blank line, above its table.
_TITLE_ROWS = 5


def header_below_titles(
    missing: CutoverError,
    file: str,
    first: list[str],
    records: Iterator[list[str]],
    index: Callable[[list[str]], object],
) -> CutoverError | None:
    """Return the problem of a header under title rows when `missing` (the first line's
    problem) is its missing columns and one of the next lines of `records` is a header
    (`index` reads it without raising); else None, and `missing` is the problem."""
    problem = missing.problems[0]
    if not problem.code.startswith("inputs.missing-columns"):
        return None
    blank = not any(cell.strip() for cell in first)
    with contextlib.suppress(csv.Error, UnicodeDecodeError):
        seen = 0
        skipped: list[list[str]] = []  # the lines between the first one and the header
        for line, record in enumerate(islice(records, _TITLE_ROWS), start=2):
            seen += 1
            if not any(cell.strip() for cell in record):
                skipped.append(record)
                continue
            blank = False
            try:
                found = index(record)
            except CutoverError:
                skipped.append(record)
                continue
            # Rows of the table above it (a sort that took the header for a row): said, so
            # that they are not deleted as the titles the message below would call them.
            above = [first, *skipped]
            if isinstance(found, Mapping):
                rows = [at for at, cells in enumerate(above, 1) if looks_like_a_row(cells, found)]
                if rows:
                    return CutoverError.of(
                        "inputs.rows-above-header",
                        file=file,
                        line=rows[0],
                        header=line,
                        rows=len(rows),
                    )
            return CutoverError.of(
                "inputs.header-below-title",
                file=file,
                line=1,
                at=line,
                above=line - 1,
                first=",".join(cell.strip() for cell in first),
            )
        # Nothing but blank lines (Enter pressed in an empty file): the file is empty.
        if blank and seen < _TITLE_ROWS:
            header = problem.params["expected"]
            return CutoverError.of("inputs.empty", file=file, line=1, header=header)
    return None


def looks_like_a_row(cells: Sequence[str], index: Mapping[str, int]) -> bool:
    """Return whether `cells`, a line above the header `index` reads (column → position),
    is a row of the table rather than a title: an agency's code (six digits with their
    check digit, or five with a lost leading zero) under a column of codes, and values
    under two more columns the header names (every kind of row has three at least; a
    title of an agency's code and name, ``312011 | 鳥取市``, has two)."""

    def cell(at: int) -> str:
        return cells[at].strip() if at < len(cells) else ""

    filled = sum(1 for at in index.values() if cell(at))
    return filled >= 3 and any(
        _is_code(cell(at)) for name, at in index.items() if name in _CODE_COLUMNS
    )


def _is_code(text: str) -> bool:
    digits = unicodedata.normalize("NFKC", text).strip().lstrip("'")
    if len(digits) == 5:
        digits = "0" + digits
    return len(digits) == 6 and digits.isascii() and has_valid_check_digit(digits)
