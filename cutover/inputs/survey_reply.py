"""A survey workbook returned by an agency, opened once and read for `survey merge` and
`survey make` (`cutover.inputs.survey`): what its hidden sheet 「_cutover」 says, its locked
cells as they are now and their digest, every row of its tables, and then, from the same
opened workbook, the rows its agency wrote, read by the readers of readiness.csv and
evidence.csv (`cutover.inputs.registry`). A national folder holds 1,826 workbooks: opening
each once, not once for its hidden sheet and once more for each sheet read, spares half of
the time of a merge (docs/performance.md).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from cutover.errors import CutoverError, Problem
from cutover.inputs.merges import hiding_cells
from cutover.inputs.model import Evidence, Readiness
from cutover.inputs.registry import _read_evidence, _read_readiness
from cutover.inputs.rows import KnownCodes
from cutover.inputs.sheetxml import sheet_values
from cutover.inputs.survey_sheets import (
    EVIDENCE_SHEET,
    FIRST_ROWS,
    LOCKED_CELL,
    LOCKED_COLUMNS,
    META_SHEET,
    OPEN_COLUMNS,
    READINESS_SHEET,
    TableRow,
    answered_copies,
    header_row,
    moved_header,
    refuse_personal_numbers,
    renamed_header,
    renamed_sheet,
    status_notes,
    survey_cell_text,
    table_rows,
)
from cutover.inputs.unreadable import UNREADABLE_WORKBOOK, open_workbook, unreadable_workbook
from cutover.inputs.workbook import refuse_compound

if TYPE_CHECKING:
    from cutover.calendar.model import TaskTemplate

__all__ = ["hidden_rows", "locked_digest", "read_answers", "read_reply"]


def locked_digest(cells: Iterable[tuple[str, str, object]]) -> str:
    """Return the ``locked`` value of a survey workbook's hidden sheet: the SHA-256 of its
    locked cells (sheet, coordinate, value), in the order given, each
    ``sheet!coordinate=value``, joined by newlines (docs/survey.md); its hex digest written
    in eight groups of eight, joined by ``:``.

    (Grouped because a bare hex digest may hold twelve digits in a row that pass the
    personal number's check digit — about one workbook in fifty — which no output may
    hold: a group holds eight characters at most, and ``:`` separates no personal number.)
    `survey make` writes it and `survey merge` recomputes it with this one function.
    """
    text = "\n".join(
        f"{sheet}!{coordinate}={'' if value is None else value}"
        for sheet, coordinate, value in cells
    )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ":".join(digest[i : i + 8] for i in range(0, len(digest), 8))


@attrs.frozen
class _Workbook:
    """What a returned workbook's hidden sheet says, and its locked cells as they are."""

    meta: Mapping[str, str]
    digest: str
    #: the value of each 団体コード cell of the data rows, by sheet and coordinate
    codes: tuple[tuple[str, str, str], ...]
    #: each locked cell (sheet, coordinate, value), as the digest reads them
    cells: tuple[tuple[str, str, object], ...] = ()
    #: True when a cell left to fill in (`OPEN_COLUMNS`) of a data row holds anything
    typed: bool = False
    #: every row of each sheet's table as it is now (rows added, moved or copied among them)
    tables: Mapping[str, tuple[TableRow, ...]] = attrs.field(factory=dict)
    #: by sheet, a header of a locked column found in another column (`moved_header`)
    moved: Mapping[str, tuple[int, str, str, str]] = attrs.field(factory=dict)
    #: by sheet, the merged ranges that hide a locked cell of the table (`hiding_cells`)
    merged: Mapping[str, list[tuple[int, int, str]]] = attrs.field(factory=dict)
    #: a sheet of the survey missing (or renamed): nothing else is read
    missing: Problem | None = None
    #: copies of a survey sheet with answers on them, and the sheet (`answered_copies`)
    copies: tuple[tuple[str, str], ...] = ()
    #: by sheet, a header of a column read written over (`renamed_header`)
    renamed: Mapping[str, tuple[int, str, str, str]] = attrs.field(factory=dict)
    #: 改修状況's rows answered only by a note that reads as a status (`status_notes`)
    notes: tuple[tuple[int, str], ...] = ()
    #: the row of each key of the hidden sheet
    meta_rows: Mapping[str, int] = attrs.field(factory=dict)


@contextlib.contextmanager
def read_reply(path: Path) -> Iterator[tuple[_Workbook, Any]]:
    """Open the workbook at `path`, once: yield what its hidden sheet says and its locked
    cells as they are, and the workbook opened (`open_workbook`), for its sheets' readers
    to read (`read_answers`) without opening it again; closed on leaving. Raise
    `CutoverError` when it cannot be read, or has no hidden sheet."""
    with contextlib.ExitStack() as opened:
        try:
            raw = opened.enter_context(path.open("rb"))
            # (A reply saved with a password to open it, or as an old .xls and renamed, is
            # told as that, as the sheets' readers tell it, not as a damaged zip archive.)
            refuse_compound(raw, str(path))
            book = open_workbook(raw)
            opened.callback(book.close)
            read = _workbook_of(book)
        except UNREADABLE_WORKBOOK as exc:
            raise unreadable_workbook(exc, str(path)) from None
        except OSError as exc:
            raise unreadable_workbook(exc, str(path)) from None
        yield read, book


def _workbook_of(book: Any) -> _Workbook:
    """Return what the opened `book`'s hidden sheet says, and its locked cells and tables as
    they are now; raise `CutoverError` when it has no hidden sheet."""
    # (A chart sheet of a survey sheet's name is no sheet of cells: the sheet is missing.)
    worksheets = {str(ws.title) for ws in book.worksheets}
    if META_SHEET not in worksheets:
        raise CutoverError.of("survey.not-a-survey", sheet=META_SHEET)
    meta: dict[str, str] = {}
    meta_rows: dict[str, int] = {}
    hidden = hidden_rows(book, book[META_SHEET])
    for number, (key, value) in enumerate(hidden, 1):
        if key is None:
            continue
        name, text = str(key).strip(), "" if value is None else str(value)
        meta_rows.setdefault(name, number)
        # (A locked cell as written, spaces around it too: the digest is of those, and a
        # task's title may begin or end with one.)
        meta[name] = text if name.startswith(LOCKED_CELL) else text.strip()
    rows: dict[str, int] = {}
    for part in meta.get("rows", "").split(";"):
        sheet_name, _, written = part.partition("=")
        if written.strip().isdigit():
            rows[sheet_name.strip()] = int(written)
    cells: list[tuple[str, str, object]] = []
    codes: list[tuple[str, str, str]] = []
    tables: dict[str, tuple[TableRow, ...]] = {}
    moved: dict[str, tuple[int, str, str, str]] = {}
    renamed: dict[str, tuple[int, str, str, str]] = {}
    merged: dict[str, list[tuple[int, int, str]]] = {}
    read: dict[str, dict[int, tuple[object, ...]]] = {}
    for sheet, columns in LOCKED_COLUMNS.items():
        if sheet not in worksheets:
            found = renamed_sheet(book, sheet)
            # (Its agency is still known: the workbook is refused, not its agency unanswered.)
            missing = Problem(
                code="survey.missing-sheet" if found is None else "survey.sheet-renamed",
                params={"sheet": sheet, "found": found},
            )
            return _Workbook(meta, "", (), missing=missing)
        first = FIRST_ROWS[sheet]
        size = rows.get(sheet, 0)
        width = len(columns) + len(OPEN_COLUMNS[sheet])
        # (Every row of the sheet with anything in it: a row added below the table, or the
        # table moved down by rows inserted above it, is the table's too. Read as the
        # sheets' readers read them: a formula whose result was not saved is not blank.)
        sheet_rows: dict[int, tuple[object, ...]] = {}
        merges: list[str] = []
        # (Kept, for the sheet's reader to read the same rows without parsing them again.)
        for number, row in sheet_values(book, book[sheet], merges, keep=True):
            if any(v is not None for v in row[:width]):
                sheet_rows[number] = (tuple(row) + (None,) * width)[:width]
        for number in range(first, first + size):
            values = sheet_rows.get(number, (None,) * width)
            for letter, value in zip(columns, values, strict=False):
                cells.append((sheet, f"{letter}{number}", value))
            codes.append((sheet, f"A{number}", survey_cell_text(values[0])))
        tables[sheet] = table_rows(sheet, sheet_rows)
        read[sheet] = sheet_rows
        # (The header's locked cells too: merged, they read as a column deleted.)
        below = header_row(sheet, sheet_rows) - 1
        merged[sheet] = hiding_cells(merges, below, range(1, len(columns) + 1))
        header = moved_header(sheet, sheet_rows)
        if header is not None:
            moved[sheet] = header
        renamed_at = renamed_header(sheet, sheet_rows)
        if renamed_at is not None:
            renamed[sheet] = renamed_at
    refuse_personal_numbers(read, hidden)  # (before any problem quotes one of their cells)
    typed = any(row.typed for table in tables.values() for row in table)
    digest = locked_digest(cells)
    copies = tuple(answered_copies(book, read))
    notes = tuple(status_notes(tables[READINESS_SHEET], read[READINESS_SHEET]))
    return _Workbook(
        meta,
        digest,
        tuple(codes),
        tuple(cells),
        typed,
        tables,
        moved,
        merged,
        copies=copies,
        renamed=renamed,
        notes=notes,
        meta_rows=meta_rows,
    )


def hidden_rows(book: Any, sheet: Any) -> list[tuple[object, object]]:
    """Return the rows of the opened `book`'s hidden `sheet` from its first, each its key and
    value (columns A and B), a row with no cells as two Nones: what openpyxl's
    ``iter_rows(max_col=2, values_only=True)`` reads, the same values (`sheet_values` with
    ``as_openpyxl``: its keys and values and its locked cells' texts are compared as text),
    in the same places (no row past the one its dimension says is its last, a row written
    again or out of order not read), only sooner: openpyxl builds its rich-text objects for
    each text cell openpyxl wrote. (No empty rows after the last with cells: they read as
    nothing.)"""
    rows: list[tuple[object, object]] = []
    for number, values in sheet_values(book, sheet, as_openpyxl=True):
        if number <= len(rows):
            continue
        rows.extend([(None, None)] * (number - 1 - len(rows)))
        key, value = (*values, None, None)[:2]
        rows.append((key, value))
    return rows


def read_answers(
    path: Path, book: Any, known: KnownCodes | None, tasks: Sequence[TaskTemplate]
) -> tuple[list[Readiness], list[Evidence], int, int] | list[Problem]:
    """Return the rows a survey workbook's agency wrote on its two sheets, and how many
    readiness rows and tasks it left blank; or the problems of the rows, when any has one.
    (Rows and tasks both empty: a blank workbook.) `book` is the workbook at `path` as
    `read_reply` opened it: each sheet is read by the reader of its file, from it."""
    problems: list[Problem] = []
    rows: list[Readiness] = []
    proofs: list[Evidence] = []
    blank: list[int] = []
    not_done: list[int] = []
    try:
        at = f"{path}#{READINESS_SHEET}"
        _read_readiness(at, known, rows, {}, unanswered=blank, book=book)
    except CutoverError as exc:
        problems.extend(exc.problems)
    try:
        at = f"{path}#{EVIDENCE_SHEET}"
        _read_evidence(at, known, tasks, proofs, undone=not_done, book=book)
    except CutoverError as exc:
        problems.extend(exc.problems)
    if problems:
        return problems
    return rows, proofs, len(blank), len(not_done)
