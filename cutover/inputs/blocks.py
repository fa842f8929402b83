"""What a CSV file's reading yields: rows, blocks of rows by column, and where each stretch of
the file is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import attrs

from cutover.errors import CutoverError, Problem

__all__ = ["CsvBlock", "CsvLayout", "CsvRow", "CsvSpan", "ScannedBlock", "Scanner"]


@attrs.frozen
class CsvRow:
    """One data row: the line it starts on, and its values by canonical column name."""

    line: int
    values: Mapping[str, str]


@attrs.frozen
class CsvBlock:
    """A run of consecutive data rows, by column.

    `lines[i]` is the line row i starts on, and `columns[name][i]` its value exactly as
    written (not stripped), for every canonical column the header has.
    """

    lines: Sequence[int]
    columns: Mapping[str, Sequence[str]]

    def __len__(self) -> int:
        return len(self.lines)


@attrs.frozen
class ScannedBlock:
    """A run of consecutive data rows that a `CsvFile.spans` caller's scanner read itself
    from the plain text, one row per line: `lines[i]` is row i's line; `found` is whatever
    the scanner made of them."""

    lines: range
    found: object

    def __len__(self) -> int:
        return len(self.lines)


#: A scanner for `CsvFile.spans`: given a stretch of decoded text (whole lines) and the line
#: it starts on, the rows it read itself, or None to have them split into columns as usual.
Scanner = Callable[[str, int], ScannedBlock | None]


@attrs.frozen
class CsvLayout:
    """What a file's header says: its encoding, its columns, and where the data starts."""

    encoding: str  # as detected: utf-8, utf-8-sig or cp932
    index: Mapping[str, int]  # canonical column name → position in a row
    width: int  # the number of columns in the header
    data_start: int  # byte offset of the first line after the header
    data_line: int  # that line's number (the header's lines are 1 …)
    size: int  # the file's size in bytes when the header was read
    #: the header's columns up to its last that is not blank: a header saved by Excel may
    #: end with blank cells (``code,name,,``) that some of its rows leave out
    named: int = attrs.field()

    #: the header's cells as written (a message names a column the reader ignores by it)
    header: Sequence[str] = ()

    @named.default
    def _named_default(self) -> int:
        return self.width

    @property
    def codec(self) -> str:
        """Return the codec that decodes the data lines (the BOM is behind them)."""
        return "utf-8" if self.encoding == "utf-8-sig" else self.encoding


@attrs.frozen
class CsvSpan:
    """The rows read from one stretch of a file: bytes ``[start, end)``, whole records only.

    `line` is the line the stretch starts on and `lines` the number of physical lines in it,
    so ``line + lines`` is the line of the byte at `end`.
    """

    start: int
    end: int
    line: int
    lines: int
    items: Sequence[CsvBlock | ScannedBlock | CutoverError]


def headed(
    problem: Problem, index: Mapping[str, int], header: Sequence[str]
) -> tuple[int | None, Problem]:
    """Return the position of `problem`'s column in a row (its key, or the column its text
    names; None when neither is one of `index`'s), and `problem` with that column named as
    the file's `header` writes it: 完了予定日, not ``planned``; 「種別 が空欄です」. A CSV file
    and a workbook name a column alike."""
    for name in (problem.key, problem.params.get("column")):
        if isinstance(name, str) and name in index:
            at = index[name]
            written = header[at].strip() if at < len(header) else ""
            if written and written != name:
                if name == problem.key:
                    problem = attrs.evolve(problem, header=written)
                else:
                    problem = attrs.evolve(problem, params={**problem.params, "column": written})
            return at, problem
    return None, problem


#: The problems whose fix is told otherwise for a workbook's cell than for a CSV file's
#: field: the CSV's fix is about how Excel saved the column; a cell is fixed where it is.
_IN_A_CELL = {
    "inputs.no-year": "inputs.no-year-cell",
    "inputs.excel-serial-date": "inputs.excel-serial-date-cell",
}


def in_a_cell(problem: Problem) -> Problem:
    """Return `problem` as a workbook's cell has it: with the fix for a cell, where its
    fix for a CSV file speaks of saving the file."""
    code = _IN_A_CELL.get(problem.code)
    return problem if code is None else attrs.evolve(problem, code=code)
