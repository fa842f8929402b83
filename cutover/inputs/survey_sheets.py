"""The layout of a survey workbook's sheets (docs/survey.md), as `survey make` writes them
and `survey merge` reads them back: the sheets' names, where their tables start, which
columns are locked and which left to fill in; and the rows of a sheet's table as they are
now, wherever a clerk moved them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from cutover.errors import CutoverError, Problem, closest, warn_input
from cutover.i18n.catalogue import Msg
from cutover.inputs.cells import cell_text
from cutover.inputs.csvfile import column_aliases, header_key
from cutover.inputs.model import EVIDENCE_COLUMNS, READINESS_COLUMNS
from cutover.inputs.rows import _parse_date
from cutover.inputs.sheetxml import plain_formula, sheet_values, unread_cell
from cutover.inputs.workbook import SURVEY_META_SHEET, get_column_letter, personal_number_cells
from cutover.jp.personal_number import mask_personal_numbers
from cutover.jp.vocabulary import status_in_note

__all__ = [
    "ALIASES",
    "EVIDENCE_SHEET",
    "FIRST_ROWS",
    "KEY_COLUMNS",
    "LOCKED_CELL",
    "LOCKED_COLUMNS",
    "META_SHEET",
    "OPEN_COLUMNS",
    "READINESS_SHEET",
    "SHEET_HEADERS",
    "SURVEY_FORMAT",
    "TableRow",
    "answered_copies",
    "header_row",
    "moved_header",
    "refuse_personal_numbers",
    "renamed_header",
    "renamed_sheet",
    "status_notes",
    "survey_cell_text",
    "table_rows",
    "warn_status_notes",
]

#: The start of a key of the hidden sheet that holds a locked cell as written
#: (``locked:改修状況!B6`` = 地方税務): merge names the cell an agency changed.
LOCKED_CELL = "locked:"
#: The format a survey workbook's 「_cutover」 sheet names (docs/survey.md).
SURVEY_FORMAT = "cutover-survey/1"
READINESS_SHEET = "改修状況"
EVIDENCE_SHEET = "実施記録"
META_SHEET = SURVEY_META_SHEET
# Where the data rows start (the row after the header) and which of their columns are
# locked: 団体コード, 業務システム, 区分 on 改修状況; 団体コード, 作業 on 実施記録.
_READINESS_FIRST_ROW = 6
_EVIDENCE_FIRST_ROW = 4
LOCKED_COLUMNS = {READINESS_SHEET: "ABC", EVIDENCE_SHEET: "AB"}
#: The columns of a data row left to fill in (状況, 完了予定日, 備考; 実施日, 内容), after
#: the locked ones: `survey make` opens them, and anything typed there is an answer.
OPEN_COLUMNS = {READINESS_SHEET: "DEF", EVIDENCE_SHEET: "CD"}
#: Each sheet's header as `survey make` writes it, from column A (readiness.csv's and
#: evidence.csv's columns, in Japanese whatever the language).
SHEET_HEADERS = {
    READINESS_SHEET: ("団体コード", "業務システム", "区分", "状況", "完了予定日", "備考"),
    EVIDENCE_SHEET: ("団体コード", "作業", "実施日", "内容"),
}
FIRST_ROWS = {READINESS_SHEET: _READINESS_FIRST_ROW, EVIDENCE_SHEET: _EVIDENCE_FIRST_ROW}
# The columns the locked ones are, in order (their header names the sheet's header row, wherever
# rows inserted above it moved it), and the spellings the sheets' readers accept for them.
KEY_COLUMNS = {READINESS_SHEET: ("code", "system", "side"), EVIDENCE_SHEET: ("code", "task")}
ALIASES = {
    READINESS_SHEET: column_aliases(READINESS_COLUMNS),
    EVIDENCE_SHEET: column_aliases(EVIDENCE_COLUMNS),
}


@attrs.frozen
class TableRow:
    """A row of a survey sheet's table, below its header, with anything in it: its number,
    the text of its locked cells (団体コード, 業務システム, 区分; 団体コード, 作業), and the
    letter of its first cell left to fill in that holds anything ("" when none does)."""

    number: int
    key: tuple[str, ...]
    typed: str
    #: the first of them the sheet's reader reads (not 備考), "" when none does
    answered: str = ""
    #: its locked cells that hold no text but are not blank (`unread_cell`), by letter
    unread: tuple[tuple[str, object], ...] = ()


def moved_header(
    sheet: str, values: Mapping[int, tuple[object, ...]]
) -> tuple[int, str, str, str] | None:
    """Return where a column inserted or deleted left of a locked one moved its header: the
    header row's number, the header as sent, the column it was sent in and the one it is
    in ("" when it is no longer anywhere: its column deleted); None when the header row
    names the locked columns in place (or is not found: no row names two of the sheet's
    columns, locked or open: 実施記録's header keeps only one locked column once the other is
    deleted, and the row 「団体コード | 310000」 above the table names one)."""
    columns, names, aliases = LOCKED_COLUMNS[sheet], KEY_COLUMNS[sheet], ALIASES[sheet]
    for number, row in values.items():
        read = [aliases.get(header_key("" if v is None else str(v))) for v in row]
        if tuple(read[: len(columns)]) == names:
            return None
        if len(set(read).difference({None})) < 2:
            continue
        for at, (letter, name) in enumerate(zip(columns, names, strict=True)):
            found = read.index(name) if name in read else None
            if found != at:
                where = "" if found is None else get_column_letter(found + 1)
                return number, SHEET_HEADERS[sheet][at], letter, where
    return None


def table_rows(sheet: str, values: Mapping[int, tuple[object, ...]]) -> tuple[TableRow, ...]:
    """Return the rows of a survey sheet's table (`values`: the sheet's rows by number, in
    order): those below its header (the first row whose locked columns name theirs, as the
    sheet's reader knows them; else the row `survey make` wrote it on) with anything in them."""
    columns = LOCKED_COLUMNS[sheet]
    open_columns = OPEN_COLUMNS[sheet]
    aliases = ALIASES[sheet]
    texts = _texts(values)
    header = _header_row(sheet, texts)
    # The cells left to fill in that the sheet's reader reads (状況, 完了予定日; 実施日, 内容),
    # by their header: not 備考, which merge does not read. (All, when the header is lost.)
    headed = texts.get(header)
    read = (
        "".join(
            c
            for c, t in zip(open_columns, headed[len(columns) :], strict=False)
            if aliases.get(header_key(t)) is not None
        )
        if headed is not None
        else open_columns
    )
    found = []
    for number, row in texts.items():
        cells = tuple(zip(open_columns, row[len(columns) :], strict=False))
        typed = next((c for c, t in cells if t), "")
        answered = next((c for c, t in cells if t and c in read), "")
        if number > header and (typed or any(row[: len(columns)])):
            unread = tuple(
                (letter, value)
                for letter, value in zip(columns, values[number], strict=False)
                if unread_cell(value) is not None
            )
            key = (_code_text(row[0]), *row[1 : len(columns)])
            found.append(TableRow(number, key, typed, answered, unread))
    return tuple(found)


def _texts(values: Mapping[int, tuple[object, ...]]) -> dict[int, tuple[str, ...]]:
    return {
        number: tuple(survey_cell_text(v).strip() for v in row) for number, row in values.items()
    }


def header_row(sheet: str, values: Mapping[int, tuple[object, ...]]) -> int:
    """Return the number of a survey sheet's header row (`values`: its rows by number)."""
    return _header_row(sheet, _texts(values))


def _header_row(sheet: str, texts: Mapping[int, tuple[str, ...]]) -> int:
    """Return the number of a survey sheet's header row: the first whose locked columns name
    theirs, as the sheet's reader knows them; else the row `survey make` wrote it on."""
    return next(
        (number for number, row in texts.items() if _is_header(sheet, row)),
        FIRST_ROWS[sheet] - 1,
    )


def _is_header(sheet: str, row: tuple[str, ...]) -> bool:
    """Return True when `row` is a survey sheet's header: its locked columns named as the
    sheet's reader knows them."""
    columns, aliases, names = LOCKED_COLUMNS[sheet], ALIASES[sheet], KEY_COLUMNS[sheet]
    return tuple(aliases.get(header_key(t)) for t in row[: len(columns)]) == names


def renamed_header(
    sheet: str, values: Mapping[int, tuple[object, ...]]
) -> tuple[int, str, str, str] | None:
    """Return the first header of a column left to fill in that the sheet's reader reads
    (状況, 完了予定日; 実施日, 内容: not 備考) written over with a name it does not read as
    that column (「状況（選択してください）」): the header row's number, the column's letter,
    what its header holds and what it was sent as; None when each reads as sent (or the
    header row is not found: `moved_header` tells of that)."""
    texts = _texts(values)
    header = _header_row(sheet, texts)
    row = texts.get(header)
    if row is None:
        return None
    aliases, width = ALIASES[sheet], len(LOCKED_COLUMNS[sheet])
    for at, letter in enumerate(OPEN_COLUMNS[sheet], start=width):
        sent = SHEET_HEADERS[sheet][at]
        found = row[at] if at < len(row) else ""
        meant = aliases.get(header_key(sent))
        if meant is not None and aliases.get(header_key(found)) != meant:
            return header, letter, found, sent
    return None


def status_notes(
    found: Sequence[TableRow], values: Mapping[int, tuple[object, ...]]
) -> list[tuple[int, str]]:
    """Return the rows of 改修状況's table (`found`, their cells `values`) whose only answer
    is a note (備考) that reads as a status (完了, 済, 未着手: `status_in_note`) or is a
    date, each with the note as written: merge reads no note, and the row is unanswered."""
    at = len(SHEET_HEADERS[READINESS_SHEET]) - 1  # (備考, the last column)
    note = get_column_letter(at + 1)
    notes = []
    for row in found:
        if row.typed != note or not any(row.key):
            continue  # (answered, or a note under the table: `warn_outside` says it)
        written = survey_cell_text(values[row.number][at]).strip()
        if status_in_note(written) or _is_date(written):
            notes.append((row.number, written))
    return notes


def warn_status_notes(notes: Sequence[tuple[int, str]], file: str) -> None:
    """Warn, once for a workbook, of its rows of 改修状況 answered only by a note that reads
    as a status: at the first one's note, naming its status cell (blank), and how many more."""
    if not notes:
        return
    number, note = notes[0]
    status, planned, written = (OPEN_COLUMNS[READINESS_SHEET][at] for at in range(3))
    more = len(notes) - 1
    said = Problem(
        file=file,
        sheet=READINESS_SHEET,
        line=number,
        column=written,
        code="survey.note-as-status",
        params={
            "note": note,
            "status": f"{status}{number}",
            "planned": f"{planned}{number}",
            "more": Msg("survey.locked-cells-more", {"count": more}) if more else "",
        },
    )
    warn_input(said)


#: What the date reader says of a date too rough for a planned date, but a date: written
#: in 備考 beside a blank status, it is a planned date (6/20, 6月末, 7月中旬).
_ROUGH_DATES = frozenset(
    {"inputs.no-year", "jp.month-end-no-year", "jp.month-end-not-date", "jp.span-not-date"}
)


def _is_date(text: str) -> bool:
    """Return True when `text` is a date, as the planned date's reader reads one, or one it
    refuses only as too rough (`_ROUGH_DATES`)."""
    try:
        _parse_date(text, "planned")
    except CutoverError as exc:
        return any(p.code in _ROUGH_DATES for p in exc.problems)
    return True


def answered_copies(
    book: Any, read: Mapping[str, Mapping[int, tuple[object, ...]]]
) -> list[tuple[str, str]]:
    """Return each other sheet of a workbook that is a copy of a survey sheet (its name is
    close: Excel names a copy 「改修状況 (2)」; or, whatever its name (「回答」), its table
    has the survey sheet's header) with an answer on its table that the survey sheet (its
    rows `read`) does not have, and the survey sheet: answers there are never read, and
    would be lost unsaid. (A copy of the sheet as answered loses nothing; a sheet of the
    clerk's own, with no such header, is none of the survey's business.)"""
    copies = []
    for name in _other_sheets(book):
        found = list(sheet_values(book, book[name]))
        close = closest(name, [*LOCKED_COLUMNS])
        for sheet in [close] if close is not None else [*LOCKED_COLUMNS]:
            rows = _padded(sheet, found)
            if close is None and not _headed(sheet, rows):
                continue
            if _answers(sheet, rows) - _answers(sheet, read[sheet]):
                copies.append((name, sheet))
                break
    return copies


def renamed_sheet(book: Any, sheet: str) -> str | None:
    """Return the name of the sheet of `book` that is survey sheet `sheet` renamed: one
    whose name is close (Excel names a copy 「改修状況 (2)」), else one whose table has its
    header, whatever its name (「Sheet9」); None when there is none (the sheet deleted)."""
    others = _other_sheets(book)
    close = closest(sheet, others)
    if close is not None:
        return close
    return next(
        (n for n in others if _headed(sheet, _padded(sheet, sheet_values(book, book[n])))),
        None,
    )


def _other_sheets(book: Any) -> list[str]:
    """Return the names of the worksheets of `book` that are not the survey's own."""
    return [
        name
        for name in book.sheetnames
        if name not in (*LOCKED_COLUMNS, META_SHEET) and book[name] in book.worksheets
    ]


def _padded(sheet: str, found: Iterable[tuple[int, list[object]]]) -> dict[int, tuple[object, ...]]:
    """Return the rows `found` (`sheet_values`) cut or filled to survey sheet `sheet`'s width."""
    width = len(LOCKED_COLUMNS[sheet]) + len(OPEN_COLUMNS[sheet])
    return {n: (*row, *(None,) * width)[:width] for n, row in found}


def _headed(sheet: str, rows: Mapping[int, tuple[object, ...]]) -> bool:
    """Return True when one of `rows` is survey sheet `sheet`'s header (`_is_header`)."""
    return any(_is_header(sheet, row) for row in _texts(rows).values())


def _answers(sheet: str, rows: Mapping[int, tuple[object, ...]]) -> set[tuple[str, ...]]:
    """Return the rows of a sheet's table with anything typed in them, each as its cells'
    text, locked and typed (wherever the row is)."""
    return {
        tuple(survey_cell_text(v).strip() for v in rows[row.number])
        for row in table_rows(sheet, rows)
        if row.typed
    }


def _code_text(text: str) -> str:
    """Return a code cell's text as the code readers read it: full-width digits, as a
    Japanese input method types them (３１２０１１), are the code's digits."""
    folded = unicodedata.normalize("NFKC", text)
    return folded if folded.isascii() and folded.isdigit() else text


def survey_cell_text(value: object) -> str:
    """Return what a cell of a survey sheet holds, as text: as the sheets' readers read it
    (`cell_text`: 1E+20 as Excel shows it), a formula whose result was not saved as its
    formula, an error value as itself."""
    return plain_formula(value) if unread_cell(value) is not None else cell_text(value)


def refuse_personal_numbers(
    read: Mapping[str, Mapping[int, Sequence[object]]], hidden: Iterable[Sequence[object]]
) -> None:
    """Raise the refusal of each locked cell of the survey sheets (`read`: each sheet's rows
    by number, column A first; named by the header `survey make` wrote) and each cell of
    the hidden sheet (`hidden`: its rows of key and value) that holds a personal number, as
    the sheets' readers refuse one in any other cell (a number cell's 9–11 digits with
    their lost zeros back). These cells are compared
    with those sent before the sheets are read, and a problem that quotes one would show
    such a number cell's digits as they are."""
    problems: list[Problem] = []
    rows: list[tuple[str, int, Sequence[object], Sequence[str] | None]] = [
        (sheet, number, row[: len(LOCKED_COLUMNS[sheet])], SHEET_HEADERS[sheet])
        for sheet, numbered in read.items()
        for number, row in numbered.items()
    ]
    for number, row in enumerate(hidden, 1):
        key = "" if not row or row[0] is None else mask_personal_numbers(str(row[0]).strip())
        rows.append((META_SHEET, number, tuple(row[:2]), ("", key)))
    for sheet, number, values, header in rows:
        texts = [survey_cell_text(v) for v in values]
        problems.extend(
            Problem(
                sheet=sheet, line=number, column=get_column_letter(i + 1), code=code, params=params
            )
            for i, code, params in personal_number_cells(values, texts, header)
        )
    if problems:
        raise CutoverError.from_problems(problems)
