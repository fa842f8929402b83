"""A CSV file's header under title rows: a sheet with 「○○県 改修状況調査」 above its table,
saved as CSV. (A workbook's title rows are skipped: `cutover.inputs.workbook`; a CSV file's
first line is its header, and the message says where the header is instead.)
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterator
from itertools import islice

from cutover.errors import CutoverError

__all__ = ["header_below_titles"]

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
        for line, record in enumerate(islice(records, _TITLE_ROWS), start=2):
            seen += 1
            if not any(cell.strip() for cell in record):
                continue
            blank = False
            try:
                index(record)
            except CutoverError:
                continue
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
