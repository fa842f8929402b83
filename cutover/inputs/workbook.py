"""Reading an Excel workbook (.xlsx) as the CSV readers read a file: the same rows of text
by canonical column, each located by sheet and cell.

Every reader of `cutover` opens its file with `open_table`: a CSV file is a `CsvFile`, a
workbook a `WorkbookFile`, told apart by their first bytes (not by their names). A workbook
is read a row at a time from the sheet's XML, with openpyxl's cell parser (read-only,
cached values of formulas), so that a queries workbook of a million rows takes the memory
of one block of rows.

- The sheet: the first one, or the one named after ``#`` (``readiness.xlsx#改修状況``).
- The header: the first row, among the first 50 that are not blank, that names every
  required column; the rows above it are title rows, and are not read (but for personal
  numbers, which no cell of a workbook may hold).
- The cells: as they mean (`cutover.inputs.cells`); a code Excel turned into a number
  gets its leading zero back only where that is unambiguous, and one warning says how
  many (`cutover.errors.InputWarning`).
- The problems: located by file, sheet and cell (``readiness.xlsx:改修状況!E7``): a
  formula without its result saved, an error value (``#REF!``), a full sheet (rows may have
  been cut off), merged header cells, a workbook that is encrypted, an old .xls, or not a
  workbook at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import Any, BinaryIO, Protocol

import attrs

from cutover.errors import (
    CutoverError,
    Problem,
    clip,
    printable,
    suggest,
    warn_input,
)
from cutover.i18n.catalogue import Argument, Msg
from cutover.inputs.blocks import CsvBlock, CsvRow, headed, in_a_cell
from cutover.inputs.cells import cell_text, restore_code
from cutover.inputs.csvfile import CsvFile, InputText, header_key
from cutover.inputs.merges import hiding_values, merged_on
from cutover.inputs.sheetnames import (
    first_sheet,
    named_path,
    named_sheet,
    sheet_read,
    split_sheet,
)
from cutover.inputs.sheetxml import (
    UNREAD,
    ErrorValue,
    Uncached,
    plain_formula,
    sheet_values,
    unread_cell,
)
from cutover.inputs.titles import BELOW_ROWS, rows_of_the_table
from cutover.inputs.unreadable import UNREADABLE_WORKBOOK, open_workbook, unreadable_workbook
from cutover.jp.codes import described_code, official_entry
from cutover.jp.personal_number import (
    holds_personal_number,
    may_hold_personal_number,
    number_value_text,
    refused,
)

__all__ = [
    "EXCEL_ROWS",
    "SURVEY_META_SHEET",
    "ZIP_SIGNATURE",
    "TableFile",
    "WorkbookFile",
    "first_sheet",
    "open_table",
    "personal_number_cells",
    "refuse_compound",
    "sheet_read",
    "split_sheet",
]

#: The rows of an Excel sheet: a sheet with data in the last of them is full, and Excel
#: drops what does not fit when it opens a longer file.
EXCEL_ROWS = 1_048_576
#: How a workbook (.xlsx, a zip archive) begins.
ZIP_SIGNATURE = b"PK\x03\x04"
# An OLE2 compound file: an old .xls, or an encrypted .xlsx (which holds an EncryptionInfo
# stream; a directory entry's name is UTF-16).
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
#: Rows (not blank) searched for the header: title rows above it are a few at most.
_HEADER_SEARCH = 50
#: Rows of another sheet looked at for a table's header (`WorkbookFile._tables_beside`),
#: blank ones counted: a sheet of a million formatted but empty rows (6 s to read through)
#: is not read to its end for a warning.
_BESIDE_ROWS = 1000
_BLOCK_ROWS = 4096


#: The hidden sheet of a survey workbook (`cutover survey make`; docs/survey.md).
SURVEY_META_SHEET = "_cutover"


def _guarded(values: Sequence[object], texts: Sequence[str]) -> Sequence[str]:
    """Return the texts the personal-number guard checks for a row of cells: each cell's
    text, but a 9–11 digit whole number of a number cell as `number_cell_text` gives it
    (with the leading zeros a personal number typed there lost)."""
    if not any(type(v) is int or type(v) is float for v in values):
        return texts
    guarded = list(texts)
    for i, value in enumerate(values):
        filled = number_value_text(value)
        if filled is not None:
            guarded[i] = filled
    return guarded


def refuse_compound(raw: BinaryIO, file: str) -> None:
    """Raise for a file that is an OLE2 compound file (its bytes `raw`, read from where they
    are): an encrypted workbook (Excel's password to open), or an old .xls; for any other,
    leave `raw` where it was."""
    start = raw.tell()
    head = raw.read(len(_CFB))
    if not head.startswith(_CFB):
        raw.seek(start)
        return
    encrypted = False
    tail = b""
    while chunk := raw.read(1 << 20):
        if _ENCRYPTION_INFO in tail + chunk:
            encrypted = True
            break
        tail = chunk[-len(_ENCRYPTION_INFO) :]
    code = "inputs.workbook-encrypted" if encrypted else "inputs.workbook-xls"
    raise CutoverError.of(code, file=file)


def personal_number_cells(
    values: Sequence[object], texts: Sequence[str], header: Sequence[str] | None = None
) -> list[tuple[int, str, dict[str, object]]]:
    """Return each cell of a row (its `values`, shown as `texts`) that holds a personal
    number, or a number cell's whole number that is one with its lost leading zeros back
    (`_guarded`): its index, and the code and parameters of its refusal (a number cell's
    with a fix of its own), the column named by `header` or by its letter."""
    guarded = _guarded(values, texts)
    if not may_hold_personal_number("\x00".join(guarded)):
        return []
    found: list[tuple[int, str, dict[str, object]]] = []
    for i, text in enumerate(guarded):
        if holds_personal_number(text):
            named = header[i].strip() if header is not None and i < len(header) else ""
            message = refused(named or get_column_letter(i + 1), text)
            code = message.code if text == texts[i] else "inputs.personal-number-cell"
            found.append((i, code, dict(message.params)))
    return found


def get_column_letter(index: int) -> str:
    """Return the letters of the 1-based column `index` (1 → A, 27 → AA), as Excel names it."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


#: The files a survey's answers go to, once merged (`survey merge`): a survey workbook given
#: for one of them is to be merged first.
_ANSWER_FILES = frozenset({"inputs.file-readiness", "inputs.file-evidence"})


class TableFile(Protocol):
    """What the readers need of a file of rows (`CsvFile` or `WorkbookFile`): its name,
    its header spellings, its rows or blocks of rows, and where a problem is."""

    @property
    def name(self) -> str: ...

    def header_names(self) -> dict[str, str]: ...

    def rows(self) -> Iterator[CsvRow | CutoverError]: ...

    def blocks(self) -> Iterator[CsvBlock | CutoverError]: ...

    def stripped_blocks(self) -> Iterator[CsvBlock | CutoverError]: ...

    def locate(self, problem: Problem) -> Problem: ...

    def outside_values(self) -> dict[int, tuple[str, str, tuple[str, ...]]]: ...


def open_table(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str],
    label: Msg | str = "",
    notes: frozenset[str] = frozenset(),
    codes: Sequence[str] = (),
    known: Callable[[str], bool] | None = None,
    book: Any = None,
) -> CsvFile | WorkbookFile:
    """Return the file at `path` ready to be read: a workbook, or a CSV file; an `InputText`
    is read from memory, as the file it names would be.

    `codes` are the columns that hold agency codes, and `known` says which codes are
    agencies' (default: the official code list): a code that Excel turned into a number is
    restored against them. `book`, the workbook at `path` already opened (`open_workbook`),
    is read instead of opening it again; the caller closes it.
    """
    if book is not None:
        file, sheet = split_sheet(path)
        source = CsvFile(file, columns=columns, required=required, label=label, notes=notes)
        return WorkbookFile(source, sheet, tuple(codes), known or _official, book=book)
    if isinstance(path, InputText):
        # (Named as a file would be, sheet included: no file on disk to tell a name with a
        # ``#`` from a sheet's.)
        (file, sheet), content = named_path(path.name), path.content
    else:
        (file, sheet), content = split_sheet(path), None
    source = CsvFile(
        file, columns=columns, required=required, label=label, notes=notes, content=content
    )
    with source.open_bytes() as raw:
        head = raw.read(len(_CFB))
    if head.startswith((ZIP_SIGNATURE, _CFB)):
        return WorkbookFile(source, sheet, tuple(codes), known or _official)
    if sheet is not None:
        raise CutoverError.of("inputs.sheet-of-csv", file=source.name, sheet=sheet)
    return source


def _official(code: str) -> bool:
    return official_entry(code) is not None


@attrs.frozen
class _Layout:
    """Where a sheet's header is and what it says."""

    row: int
    index: Mapping[str, int]  # canonical column → position in a row (0: column A)
    header: Sequence[str]


class WorkbookFile:
    """A sheet of a workbook, read as rows of canonical columns like a `CsvFile`.

    `source` is the file as a `CsvFile` would read it (its columns, label, and the copy of
    a stream); `sheet` the sheet asked for (None: the first); `book`, the workbook already
    opened, read instead of opening the file (and left open).
    """

    def __init__(
        self,
        source: CsvFile,
        sheet: str | None,
        codes: Sequence[str] = (),
        known: Callable[[str], bool] = _official,
        *,
        book: Any = None,
    ) -> None:
        self.source = source
        self.book = book
        self.name = source.name
        self.sheet = sheet
        self.codes = tuple(codes)
        self.known = known
        #: the sheet's title once opened; the header once found
        self.title: str | None = None
        self.layout: _Layout | None = None
        self._merges: list[str] = []
        #: the other sheets with a table of the same columns, once the first is read
        self._beside: list[str] = []
        #: the other sheets with rows of the table under no header (`rows_of_the_table`)
        self._rows_beside: list[str] = []
        # The first rows of the sheet read, by number (`_book_rows`).
        self._first_rows: list[tuple[int, list[object]]] = []

    def header_names(self) -> dict[str, str]:
        """Return the canonical column named by each accepted header spelling."""
        return self.source.header_names()

    # --- where ---------------------------------------------------------------------------

    def outside_values(self) -> dict[int, tuple[str, str, tuple[str, ...]]]:
        """Return nothing: a sheet's rows with something only in cells no column reads are
        no rows (`_records` warns of them), so no row the readers see holds any."""
        return {}

    def locate(self, problem: Problem) -> Problem:
        """Return `problem` (of one of this sheet's rows) placed on its sheet, and on its
        cell when it is one column's (its key, or the column its text names, then named as the
        sheet heads it)."""
        if problem.sheet is not None or problem.file != printable(self.name) or not self.title:
            return problem
        layout = self.layout
        if layout is None:
            return attrs.evolve(in_a_cell(problem), sheet=self.title)
        at, named = headed(in_a_cell(problem), layout.index, layout.header)
        column = None if at is None else get_column_letter(at + 1)
        return attrs.evolve(named, sheet=self.title, column=column)

    def _problem(
        self, code: str, row: int | None, at: int | None = None, **params: object
    ) -> Problem:
        """Return the problem `code` at a row, and at its cell in column `at` (0: A)."""
        return Problem(
            file=self.name,
            line=row,
            sheet=self.title,
            column=None if at is None else get_column_letter(at + 1),
            code=code,
            params=params,
        )

    def _error(
        self, code: str, row: int | None, at: int | None = None, **params: object
    ) -> CutoverError:
        return CutoverError.from_problems([self._problem(code, row, at, **params)])

    # --- opening -------------------------------------------------------------------------

    def _refuse_compound(self) -> None:
        """Raise for an OLE2 compound file: an encrypted workbook, or an old .xls."""
        with self.source.open_bytes() as raw:
            refuse_compound(raw, self.name)

    def _sheet_rows(self) -> Iterator[tuple[int, list[object]]]:
        """Yield each row of the sheet that has cells: its number and its values by
        position (column A first); the merged ranges are in `_merges` once done."""
        from openpyxl.utils.exceptions import InvalidFileException

        if self.book is not None:
            yield from self._book_rows(self.book)
            return
        self._refuse_compound()
        with self.source.open_bytes() as raw:
            try:
                book = open_workbook(raw)
            except UNREADABLE_WORKBOOK as exc:
                raise unreadable_workbook(exc, self.name) from None
            except (OSError, InvalidFileException) as exc:
                raise unreadable_workbook(exc, self.name) from None
            try:
                yield from self._book_rows(book)
            finally:
                book.close()

    def _book_rows(self, book: Any) -> Iterator[tuple[int, list[object]]]:
        """Yield the rows of `_sheet_rows` from the opened `book`."""
        try:
            sheet = self._choose(book)
            # The first rows are kept (`_first_rows`): the other sheets' rows are told from
            # titles by the values of this sheet's table (`_holds_table`).
            kept = _HEADER_SEARCH + BELOW_ROWS
            self._first_rows = []
            for row in sheet_values(book, sheet, self._merges):
                if kept:
                    self._first_rows.append(row)
                    kept -= 1
                yield row
            if self.sheet is None:
                self._beside, self._rows_beside = self._tables_beside(book, sheet)
        except UNREADABLE_WORKBOOK as exc:
            raise unreadable_workbook(exc, self.name) from None

    def _choose(self, book: Any) -> Any:
        """Return the sheet asked for, or the first; raise when there is none such."""
        names: list[str] = list(book.sheetnames)
        sheets = book.worksheets
        if not sheets:
            raise CutoverError.of("inputs.workbook-no-sheets", file=self.name)
        if self.sheet is None and SURVEY_META_SHEET in names:
            # A returned survey workbook: its first sheet is the instructions, no table.
            # Given for the answers, they are to be merged first; given for another file (the
            # agencies, the queries), that file goes in its place.
            label = self.source._label()
            answers = isinstance(label, Msg) and label.code in _ANSWER_FILES
            raise CutoverError.of(
                "inputs.survey-workbook" if answers else "inputs.survey-workbook-for-other",
                file=self.name,
                first=names[0],
                label=label,
                # (What reads the merged files: a program's functions, the command's options.)
                readiness=Argument("load_readiness", dest="readiness"),
                evidence=Argument("load_evidence", dest="evidence"),
            )
        if self.sheet is None:
            chosen = first_sheet(book)
        else:
            chosen = named_sheet(book, self.sheet)
            if chosen is None:
                raise CutoverError.of(
                    "inputs.workbook-no-sheet",
                    file=self.name,
                    sheet=self.sheet,
                    sheets=tuple(names),
                    suggestion=suggest(self.sheet, names),
                )
        self.title = str(chosen.title)
        return chosen

    # --- the header ------------------------------------------------------------------------

    def _find_header(
        self, rows: Iterator[tuple[int, list[object]]]
    ) -> tuple[_Layout, Iterator[tuple[int, list[object]]]]:
        """Return the header, read from `rows`, and the rows that go on with the first data
        row (`rows`, or the rows looked at below the header and then `rows`).

        Rows above it are titles: checked for personal numbers, and not read; rows of the
        table above it refuse the sheet (`_under_titles`)."""
        aliases = self.header_names()
        required = self.source.required
        best: tuple[int, int, list[str]] | None = None
        searched: list[tuple[int, list[str]]] = []  # the rows read, not blank
        for number, values in rows:
            texts = _texts(values)
            if not any(t.strip() for t in texts):
                continue
            self._refuse_personal_numbers(number, values, texts, header=None)
            named = {aliases.get(header_key(t)) for t in texts if t.strip()} - {None}
            if all(name in named for name in required):
                return self._under_titles(self._layout(number, texts), searched, rows)
            searched.append((number, texts))
            if best is None or len(named) > best[0]:
                best = (len(named), number, texts)
            if len(searched) >= _HEADER_SEARCH:
                break
        if best is None:
            raise self._error("inputs.empty", 1, header=",".join(self.source.columns))
        for _ in rows:  # (the merged ranges come after the rows)
            pass
        _, number, texts = best
        merged = merged_on(self._merges, number)
        if merged:
            raise self._error("inputs.workbook-merged-header", number, ranges=tuple(merged))
        return self._under_titles(self._layout(number, texts), searched, rows)

    def _under_titles(
        self,
        layout: _Layout,
        above: list[tuple[int, list[str]]],
        rows: Iterator[tuple[int, list[object]]],
    ) -> tuple[_Layout, Iterator[tuple[int, list[object]]]]:
        """Return `layout` and the rows after it, or raise when rows of the table stand
        above its header (a sort that took the header for a row): skipped as titles, they
        would be lost unsaid. The first rows below the header are looked at to tell
        (`rows_of_the_table`), and given back."""
        above = [(number, texts) for number, texts in above if number < layout.row]
        below = list(islice(rows, BELOW_ROWS))
        found = rows_of_the_table(
            [texts for _, texts in above], (_texts(values) for _, values in below), layout.index
        )
        if found:
            raise self._error(
                "inputs.rows-above-header", above[found[0]][0], header=layout.row, rows=len(found)
            )
        return layout, chain(below, rows)

    def _tables_beside(self, book: Any, chosen: Any) -> tuple[list[str], list[str]]:
        """Return the titles of the book's other sheets whose first rows hold a header with
        every column the file must have, and of those that hold rows of the table read
        (`rows_of_the_table`) under no such header: a table split over sheets (the
        associations on a sheet of their own), whose rows are not read when the first sheet
        alone is."""
        headed: list[str] = []
        unheaded: list[str] = []
        for sheet in book.worksheets:
            if sheet is chosen or sheet.sheet_state != "visible":
                continue  # (a hidden sheet is no part of the table the clerk sees)
            try:
                held = self._holds_table(book, sheet)
            except UNREADABLE_WORKBOOK:
                continue  # (a damaged sheet not read: no reason to refuse the one read)
            if held is not None:
                (headed if held else unheaded).append(str(sheet.title))
        return headed, unheaded

    def _holds_table(self, book: Any, sheet: Any) -> bool | None:
        """Return True when the first rows of `sheet` (not blank; within its first
        `_BESIDE_ROWS`) hold a header with every column the file must have; False when,
        without one, they hold a row of the table read (its columns where the first sheet
        has them: a part of the table copied to a sheet of its own); else None."""
        aliases = self.header_names()
        required = self.source.required
        rows = (_texts(values) for _, values in islice(sheet_values(book, sheet), _BESIDE_ROWS))
        first: list[list[str]] = []
        for texts in islice((t for t in rows if any(c.strip() for c in t)), _HEADER_SEARCH):
            named = {aliases.get(header_key(t)) for t in texts if t.strip()}
            if all(name in named for name in required):
                return True
            first.append(texts)
        if self.layout is None:
            return None
        # (Values shared with this sheet's table: another table, evidence beside readiness,
        # shares none where this one has its values.)
        row = self.layout.row
        below = (_texts(values) for number, values in self._first_rows if number > row)
        found = rows_of_the_table(first, below, self.layout.index, among_above=False)
        return False if found else None

    def _layout(self, number: int, texts: list[str]) -> _Layout:
        """Return the layout of the header in row `number`, or raise what is wrong with it
        (the CSV reader's checks: missing columns, a column twice, a personal number)."""
        try:
            index = self.source._index(texts)
        except CutoverError as exc:
            raise CutoverError.from_problems(
                attrs.evolve(p, line=number, sheet=self.title) for p in exc.problems
            ) from None
        self.layout = _Layout(number, index, tuple(texts))
        return self.layout

    def _refuse_personal_numbers(
        self,
        number: int,
        values: Sequence[object],
        texts: Sequence[str],
        header: Sequence[str] | None,
    ) -> None:
        problems = self._personal_numbers(number, values, texts, header)
        if problems:
            raise CutoverError.from_problems(problems)

    def _personal_numbers(
        self,
        number: int,
        values: Sequence[object],
        texts: Sequence[str],
        header: Sequence[str] | None,
    ) -> list[Problem]:
        """Return the refusal of each cell of a row (its `values`, shown as `texts`) that
        holds a personal number, or a number cell's whole number that is one with its lost
        leading zeros back (`_guarded`): refused with a fix of its own."""
        return [
            self._problem(code, number, i, **params)
            for i, code, params in personal_number_cells(values, texts, header)
        ]

    # --- rows ------------------------------------------------------------------------------

    def _records(self) -> Iterator[tuple[int, dict[str, str]] | CutoverError]:
        """Yield each data row (its number and its text by canonical column), or the error
        of a row that cannot be read; raise for a sheet that cannot be read at all."""
        self._merges = []
        rows = self._sheet_rows()
        layout, rows = self._find_header(rows)
        index = layout.index
        codes = {name: index[name] for name in self.codes if name in index}
        restored: dict[str, list[tuple[int, str, str]]] = {}
        # Rows with something only in cells no column reads (a note beside or below the
        # table): not rows of the table, nor blank ones; one warning says so.
        outside: tuple[int, int, str] | None = None  # the first: its row, column and text
        outside_rows = 0
        read = frozenset(index.values())
        for number, values in rows:
            texts = [
                cell_text(v) if not isinstance(v, (Uncached, ErrorValue)) else "" for v in values
            ]
            if not any(texts) and not any(isinstance(v, UNREAD) for v in values):
                continue  # a blank row: nothing to read (an Excel sheet has no "line")
            problems = self._personal_numbers(number, values, texts, layout.header)
            if problems:
                yield CutoverError.from_problems(problems)
                continue
            if not any(texts[i] or isinstance(values[i], UNREAD) for i in read if i < len(values)):
                if outside is None:
                    at = next(i for i, v in enumerate(values) if texts[i] or isinstance(v, UNREAD))
                    outside = (number, at, texts[at] or plain_formula(values[at]))
                outside_rows += 1
                continue
            if number >= EXCEL_ROWS:
                yield self._error("inputs.workbook-full", number, rows=EXCEL_ROWS)
                continue
            record: dict[str, str] = {}
            named = texts[index["name"]] if index.get("name", len(texts)) < len(texts) else ""
            for name, i in index.items():
                value = values[i] if i < len(values) else None
                unread = unread_cell(value)
                if unread is not None:
                    problems.append(self._problem(unread[0], number, i, **unread[1]))
                    continue
                if (
                    name in codes
                    and isinstance(value, (int, float))
                    and not isinstance(value, bool)
                ):
                    reading = restore_code(value, self.known, named)
                    if reading.ambiguous is not None:
                        zero, checked = reading.ambiguous
                        problems.append(
                            self._problem(
                                "inputs.workbook-code-ambiguous",
                                number,
                                i,
                                value=reading.text,
                                zero=described_code(zero),
                                checked=described_code(checked),
                            )
                        )
                        continue
                    if reading.restored:
                        restored.setdefault(name, []).append(
                            (number, reading.text[1:], reading.text)
                        )
                    record[name] = reading.text
                    continue
                record[name] = texts[i] if i < len(texts) else ""
            if problems:
                yield CutoverError.from_problems(problems)
                continue
            yield number, record
        merged = merged_on(self._merges, layout.row)
        if merged:
            raise self._error("inputs.workbook-merged-header", layout.row, ranges=tuple(merged))
        hidden = hiding_values(self._merges, layout.row, (i + 1 for i in layout.index.values()))
        if hidden:
            top, left, _ = hidden[0]
            ranges = tuple(ref for _, _, ref in hidden)
            raise self._error("inputs.workbook-merged-cells", top, left - 1, ranges=ranges)
        if restored:
            self._warn_restored(restored, index)
        if self._beside:
            beside = Problem(
                file=self.name,
                sheet=self.title,
                code="inputs.workbook-tables-beside",
                params={
                    "first": self.title,
                    "sheets": tuple(self._beside),
                    "named": f"{printable(self.name)}#{self.title}",
                    "example": f"{printable(self.name)}#{self._beside[0]}",
                },
            )
            warn_input(beside)
        if self._rows_beside:
            warn_input(
                Problem(
                    file=self.name,
                    sheet=self.title,
                    code="inputs.workbook-rows-beside",
                    params={"first": self.title, "sheets": tuple(self._rows_beside)},
                )
            )
        if outside is not None:
            number, at, value = outside
            columns = tuple(layout.header[i].strip() for i in sorted(read))
            said = self._problem(
                "inputs.outside-table",
                number,
                at,
                count=outside_rows,
                value=clip(value, 40),
                columns=columns,
            )
            warn_input(said)

    def _warn_restored(
        self, restored: Mapping[str, list[tuple[int, str, str]]], index: Mapping[str, int]
    ) -> None:
        """Say, in one warning, how many codes of which columns got their zero back."""
        columns = []
        for name, found in restored.items():
            letter = get_column_letter(index[name] + 1)
            number, value, code = found[0]
            header = self.layout.header if self.layout is not None else ()
            written = header[index[name]].strip() if index[name] < len(header) else ""
            columns.append(
                Msg(
                    "inputs.codes-restored-column",
                    {
                        "column": written or name,
                        "letter": letter,
                        "count": len(found),
                        "cell": f"{letter}{number}",
                        "value": value,
                        "code": code,
                    },
                )
            )
        problem = Problem(
            file=self.name,
            sheet=self.title,
            code="inputs.codes-restored",
            params={"columns": tuple(columns)},
        )
        warn_input(problem)

    def rows(self) -> Iterator[CsvRow | CutoverError]:
        """Yield every data row (values stripped), or a `CutoverError` for a row that
        cannot be read; raise for a sheet that cannot be read at all."""
        for item in self._records():
            if isinstance(item, CutoverError):
                yield item
                continue
            number, record = item
            yield CsvRow(number, {name: value.strip() for name, value in record.items()})

    def stripped_blocks(self) -> Iterator[CsvBlock | CutoverError]:
        """Yield the rows of `rows` as blocks of one row each, by column, or their errors
        (`CsvFile.stripped_blocks`)."""
        for row in self.rows():
            if isinstance(row, CutoverError):
                yield row
                continue
            yield CsvBlock((row.line,), {name: [value] for name, value in row.values.items()})

    def blocks(self) -> Iterator[CsvBlock | CutoverError]:
        """Yield the data rows in blocks, by column (values as written), or a
        `CutoverError` for a row that cannot be read."""
        lines: list[int] = []
        columns: dict[str, list[str]] | None = None
        for item in self._records():
            if columns is None:
                assert self.layout is not None
                columns = {name: [] for name in self.layout.index}
            if isinstance(item, CutoverError):
                if lines:
                    yield CsvBlock(lines, columns)
                    lines, columns = [], {name: [] for name in columns}
                yield item
                continue
            number, record = item
            lines.append(number)
            for name, values in columns.items():
                values.append(record[name])
            if len(lines) >= _BLOCK_ROWS:
                yield CsvBlock(lines, columns)
                lines, columns = [], {name: [] for name in columns}
        if lines and columns is not None:
            yield CsvBlock(lines, columns)


def _texts(values: Sequence[object]) -> list[str]:
    """Return a row's cells as text; a formula without its result and an error value as
    blank (each is told where it is read)."""
    return [cell_text(v) if not isinstance(v, (Uncached, ErrorValue)) else "" for v in values]


def _plain(value: object) -> str:
    """Return a cell's text; "" for a formula without its result and an error value (each
    a problem of its own where it is read)."""
    return "" if isinstance(value, (Uncached, ErrorValue)) else cell_text(value)
