"""A header under title rows, and rows above a header that are no titles.

A sheet has 「○○県 改修状況調査」 above its table: a workbook's title rows are skipped
(`cutover.inputs.workbook`); a CSV file's first line is its header, and the message says
where the header is instead. But a row above the header may be a row of the table: Excel
sorts a table whose header it did not recognise with the header among the rows, and every
row sorted above it would be skipped as a title. `rows_of_the_table` tells the two apart:
a row of the table holds an agency's code under a column of codes and some value the
table's other rows hold.
"""

from __future__ import annotations

import contextlib
import csv
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice

from cutover.errors import CutoverError
from cutover.jp.codes import has_valid_check_digit

__all__ = ["BELOW_ROWS", "header_below_titles", "rows_of_the_table"]

# The columns of agencies' codes, in every kind of input that has them.
_CODE_COLUMNS = ("code", "querier", "provider")

#: Lines below a header whose values tell rows of the table above it from titles.
BELOW_ROWS = 200
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
                # (Refused whether they are titles or rows: a row with an agency's code is
                # said to be one, not called a title to delete.)
                rows = rows_of_the_table(above, (), found, shared=False)
                if rows:
                    return CutoverError.of(
                        "inputs.rows-above-header",
                        file=file,
                        line=rows[0] + 1,
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


def rows_of_the_table(
    above: Sequence[Sequence[str]],
    below: Iterable[Sequence[str]],
    index: Mapping[str, int],
    *,
    among_above: bool = True,
    shared: bool = True,
) -> list[int]:
    """Return the positions in `above` (lines above the header `index` reads, column →
    position) of the rows of the table rather than titles, given the first lines `below`
    the header (up to `BELOW_ROWS` of them are read).

    A row of the table holds an agency's code (six digits with their check digit, or five
    with a lost leading zero) under a column of codes, values under two more columns, and,
    under some column not of codes, a value a row below holds there too (a business
    system, a status, an item, a kind, yes or no), or, `among_above`, another row above
    (a header sorted to the table's end has no rows below). A title holds none of the
    table's values: 「312011 | 鳥取市 | 改修状況調査票」, a contact block 「312011 | 鳥取市 |
    情報政策課 | 0857-20-3000」 above a readiness table. Without `shared`, a row with the code
    and values is enough (a CSV file, refused either way, is told what the rows may be).
    """
    coded = [at for at, cells in enumerate(above) if _coded(cells, index)]
    if not coded or not shared:
        return coded
    others = [at for name, at in index.items() if name not in _CODE_COLUMNS]
    held: dict[int, set[str]] = {at: set() for at in others}
    for cells in islice(below, BELOW_ROWS):
        for at in others:
            held[at].add(_cell(cells, at))
    if among_above:
        for at in others:
            counted = Counter(_cell(cells, at) for cells in above)
            held[at].update(value for value, n in counted.items() if n > 1)
    return [
        row
        for row in coded
        if any(value in held[at] for at in others if (value := _cell(above[row], at)))
    ]


def _cell(cells: Sequence[str], at: int) -> str:
    return cells[at].strip() if at < len(cells) else ""


def _coded(cells: Sequence[str], index: Mapping[str, int]) -> bool:
    """Return whether `cells` hold an agency's code under a column of codes, and values
    under two more of the header's columns (every kind of row has three at least; a title
    of an agency's code and name, ``312011 | 鳥取市``, has two)."""
    filled = sum(1 for at in index.values() if _cell(cells, at))
    return filled >= 3 and any(
        _is_code(_cell(cells, at)) for name, at in index.items() if name in _CODE_COLUMNS
    )


def _is_code(text: str) -> bool:
    digits = unicodedata.normalize("NFKC", text).strip().lstrip("'")
    if len(digits) == 5:
        digits = "0" + digits
    return len(digits) == 6 and digits.isascii() and has_valid_check_digit(digits)
