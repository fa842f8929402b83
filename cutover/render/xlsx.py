"""Excel workbooks (.xlsx) of the tables people work in: the plan, triage, hearings, and the
coordinator's summary with its readiness matrix and the agencies to chase.

Every workbook is written the same way (`Book`):

- codes are text cells (``011002`` keeps its zero), dates are date cells shown in the
  reader's language (``2018年6月29日(金)``), counts are numbers;
- a text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``: the rule of
  `cutover.render.csvout`) is a text cell, marked as text (quotePrefix) so that editing it
  in Excel does not turn it into a formula either;
- each table starts at the first row with its header, frozen, with a filter on, and its
  columns are as wide as their widest value (a full-width character counts two); a table
  written below another on the same sheet only widens the columns, never narrows them;
- a table with no row says so under its header (the agencies to chase and the hearings in
  their page's words), lest its printed sheet read as a run that failed (`Book.no_rows`);
- every sheet prints on A4, all its columns on one page wide (landscape when they are wider
  than a portrait page), its frozen rows (the header) repeated on every page; a table too
  wide for that to be legible (the plan, hearings, triage, the readiness matrix) prints on
  as many pages wide as it takes, the columns that say whose row it is repeated on each
  (`cutover.render.sheetlayout.print_setup`);
- sheet names and headers come from the catalogue (``xlsx.*``), in the reader's language;
- the same input gives the same bytes: the workbook's dates are the as-of date, and every
  file in the archive carries one fixed time (`workbook_bytes`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from cutover.errors import CutoverError, require_date
from cutover.i18n.catalogue import Argument, Lang, text
from cutover.i18n.text import check_lang
from cutover.jp.codes import in_prefecture
from cutover.planning.chase import Chase, chase_list
from cutover.planning.flags import FlagCode
from cutover.planning.hearings import Hearings
from cutover.planning.model import Plan
from cutover.planning.summary import Summary
from cutover.render.csvout import FORMULA_STARTS
from cutover.render.labels import records_note
from cutover.render.plan import status_text, task_rows
from cutover.render.sheetlayout import (
    bold_font,
    display_width,
    fit_rows,
    lines_taken,
    print_header,
    print_setup,
    words_lines,
    wrap_long_texts,
)
from cutover.render.triage import reason_text
from cutover.render.triage_text import duplicate_places, rejected_message
from cutover.triage import Action, QueryStatus, TriageReport, TriageResult

__all__ = [
    "REJECTED_ROWS",
    "Book",
    "Cell",
    "TriageBook",
    "hearings_xlsx",
    "plan_xlsx",
    "summary_xlsx",
    "workbook_bytes",
]

#: What a cell of a table holds: text, a number, a date (or date and time), or nothing.
Cell = str | int | float | dt.date | dt.datetime | None

#: The time every file of a workbook's archive carries (zip's earliest), for equal bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_HEADER_FONT = bold_font()
#: A fact's value, read after its label: at the left of its cell, whatever its type.
_FACT_VALUE = Alignment(horizontal="left")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
#: A table's "no row" sentence, across the table's columns (`Book.no_rows`).
_NO_ROWS = Alignment(horizontal="left", vertical="top", wrap_text=True)
_WIDEST = 60
#: The rows a sheet holds at most (Excel's limit).
MAX_ROWS = 1_048_576
#: What writes a table too long for a sheet as CSV: the triage's, the only one that grows
#: with an input file (``--format`` on the command line).
_AS_CSV = Argument("write_triage(fmt)", dest="format")


def h(name: str, lang: Lang) -> str:
    """Return the header or word ``xlsx.<name>`` in `lang`."""
    return text(f"xlsx.{name}", lang)


def text_cell(value: str) -> str:
    """Return `value` as a cell can hold it: the control characters a workbook may not
    hold (all but tab, line feed and carriage return) written as ``\\x01``, and a line
    break as a line feed.

    (A workbook's XML is read back with every CR and CRLF made LF: a cell written with a
    CR would read back otherwise than written, and a survey workbook's locked cells,
    recorded as written, would then seem changed.)
    """
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if ILLEGAL_CHARACTERS_RE.search(value) is None:
        return value
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: repr(m.group())[1:-1], value)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose every member carries `_ZIP_TIME`, whatever the clock says."""

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        # (openpyxl writes a large sheet to a temporary file first: its time is the clock's.)
        with open(filename, "rb") as stream:  # noqa: PTH123 (a name or a path, as given)
            self.writestr(arcname or str(filename), stream.read(), compress_type, compresslevel)


class _UnreadableBytes(io.BytesIO):
    """A sheet's bytes in memory, in a buffer that says it cannot be read: the text stream
    openpyxl's XML writer puts over it then has no decoder, which it would otherwise reset
    (a Python call) on each of the sheet's writes, several per cell. (openpyxl takes the
    bytes back with `getvalue`.)"""

    def readable(self) -> bool:
        """Return False (see the class)."""
        return False


class _InMemoryWriter(ExcelWriter):
    """openpyxl's writer, each sheet serialised in memory rather than through a temporary
    file: creating and removing four files per workbook was a third of the time of the
    national survey (1,826 workbooks). (The body is openpyxl 3.1's `write_worksheet`, the
    temporary file aside; its private attributes are untyped, hence `Any`.)"""

    def write_worksheet(self, ws: Worksheet) -> None:
        sheet: Any = ws
        sheet._drawing = SpreadsheetDrawing()
        sheet._drawing.charts = sheet._charts
        sheet._drawing.images = sheet._images
        writer: Any = WorksheetWriter(ws, out=_UnreadableBytes())
        writer.write()
        sheet._rels = writer._rels
        archive: Any = getattr(self, "_archive")  # noqa: B009 (untyped)
        archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


def workbook_bytes(book: Workbook, stamp: dt.date) -> bytes:
    """Return the bytes of `book`, the same for the same content: its created and modified
    dates are `stamp` (the as-of date), and its archive's times fixed."""
    moment = dt.datetime.combine(stamp, dt.time())
    for ws in book.worksheets:
        if ws.sheet_state == "visible":
            print_setup(ws)
    book.properties.created = moment
    book.properties.modified = moment
    book.properties.creator = "cutover"
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED)
    _InMemoryWriter(book, archive).save()  # (closes the archive)
    return buffer.getvalue()


class Book:
    """A workbook being written, in one language, dated `stamp` (`workbook_bytes`)."""

    def __init__(self, lang: Lang, stamp: dt.date, shifts: Sequence[str] = ()) -> None:
        self.lang = check_lang(lang)
        require_date(stamp, "stamp")
        self.stamp = stamp
        #: the plan's what-if shifts (``--shift``, as ``EVENT=+3bd``): said on every page
        self.shifts = tuple(shifts)
        self.workbook = Workbook()
        self._first: Worksheet | None = self.workbook.active  # (replaced by the first table)
        self.date_format = h("date-format", lang)
        self.datetime_format = h("datetime-format", lang)

    def sheet(self, name: str) -> Worksheet:
        """Return a new, empty sheet named `name` (the workbook's first, for the first)."""
        first = self._first
        if first is not None:
            self._first = None
            first.title = name
            return first
        made: Worksheet = self.workbook.create_sheet(name)
        return made

    def table(
        self,
        name: str,
        headers: Sequence[str],
        rows: Iterable[Sequence[Cell]],
        *,
        sheet: Worksheet | None = None,
        start: int = 1,
        filtered: bool = True,
        repeated: tuple[int, int] | None = None,
    ) -> Worksheet:
        """Write a table: its header at row `start` of a new sheet `name` (or of `sheet`),
        then `rows`; freeze the header and put a filter on it when `filtered`; on paper,
        the columns `repeated` (first and last, from 1) say whose row it is on every page
        when the table prints more than one page wide."""
        ws = self.sheet(name) if sheet is None else sheet
        widths = [display_width(header) for header in headers]
        for column, header in enumerate(headers, 1):
            cell = ws.cell(row=start, column=column, value=text_cell(header))
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(vertical="center")
        row = start
        for row_values in rows:
            row += 1
            if row > MAX_ROWS:
                raise CutoverError.of(
                    "xlsx.too-many-rows", sheet=ws.title, limit=MAX_ROWS, csv=_AS_CSV
                )
            self.write_row(ws, row, row_values, widths)
        for column, width in enumerate(widths, 1):
            letter = get_column_letter(column)
            wanted: float = min(width + 2, _WIDEST)
            earlier = ws.column_dimensions.get(letter)
            # (A table below another on the sheet: the columns stay wide enough for both.)
            if earlier is not None and sheet is not None:
                wanted = max(earlier.width, wanted)
            ws.column_dimensions[letter].width = wanted
        wrap_long_texts(ws, [c for c, w in enumerate(widths, 1) if w + 2 > _WIDEST], start + 1)
        if filtered:
            ws.freeze_panes = f"A{start + 1}"
            last = get_column_letter(max(len(headers), 1))
            ws.auto_filter.ref = f"A{start}:{last}{row}"
        if repeated is not None:
            ws.print_title_cols = ":".join(map(get_column_letter, repeated))
        return ws

    def write_row(
        self, ws: Worksheet, row: int, values: Sequence[Cell], widths: list[int] | None = None
    ) -> None:
        """Write `values` into row `row` of `ws`, each typed as the module says; widen
        `widths` (one per column) to fit them."""
        for column, value in enumerate(values, 1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=row, column=column)
            if isinstance(value, str):
                cell.value = text_cell(value)
                if value[:1] in FORMULA_STARTS:
                    # A text cell, never a formula: and marked as text, so that Excel keeps
                    # it one when someone edits it.
                    cell.data_type = "s"
                    cell.quotePrefix = True
                width = display_width(value)
            elif isinstance(value, dt.datetime):
                cell.value = value
                cell.number_format = self.datetime_format
                width = 18
            elif isinstance(value, dt.date):
                cell.value = value
                cell.number_format = self.date_format
                width = 17
            else:
                cell.value = value
                width = len(str(value))
            if widths is not None:
                while len(widths) < column:
                    widths.append(0)
                widths[column - 1] = max(widths[column - 1], width)

    def no_rows(self, ws: Worksheet, words: str, columns: int, start: int = 1) -> None:
        """Say `words` (that the table has no row, in the page's own words) on the row
        under the header at row `start` of `ws`, across the table's `columns`, and print
        the header and that row: a sheet printed with its header alone could as well be a
        failed run as a table with nothing in it."""
        row = start + 1
        last = get_column_letter(max(columns, 1))
        cell = ws.cell(row=row, column=1, value=text_cell(words))
        cell.alignment = _NO_ROWS
        if columns > 1:
            ws.merge_cells(f"A{row}:{last}{row}")
        dimensions = ws.column_dimensions
        room = sum(dimensions[get_column_letter(c)].width for c in range(1, columns + 1))
        # (A narrow table, a query id and its lines, widens its last column to say it on
        # one line, as wide as a column may be.)
        wanted = display_width(words) + 4 - room
        widest = dimensions[last]
        if wanted > 0:
            widened = min(widest.width + wanted, max(widest.width, _WIDEST))
            room += widened - widest.width
            widest.width = widened
        fit_rows(ws, {row: lines_taken(words, room)})
        ws.print_area = f"A{start}:{last}{row}"

    def facts(self, ws: Worksheet, facts: Sequence[tuple[str, Cell]]) -> int:
        """Write (label, value) lines from the first row of `ws`; return the next free row."""
        widths = [0, 0]
        for row, (label, value) in enumerate(facts, 1):
            self.write_row(ws, row, (label, value), widths)
            ws.cell(row=row, column=1).font = _HEADER_FONT
            # (A date or a number stands right in its cell: beside the text values, the
            # column of facts would read ragged.)
            ws.cell(row=row, column=2).alignment = _FACT_VALUE
        ws.column_dimensions["A"].width = min(widths[0] + 2, _WIDEST)
        return len(facts) + 2

    def bytes(self) -> bytes:
        """Return the workbook's bytes (`workbook_bytes`); a what-if's (`shifts`) says so at
        the top of every printed page: its dates are assumed, not the real schedule."""
        if self.shifts:
            for ws in self.workbook.worksheets:
                print_header(ws, what_if_mark(self.shifts, self.lang))
        return workbook_bytes(self.workbook, self.stamp)


def what_if_mark(shifts: Sequence[str], lang: Lang) -> str:
    """Return the words that say a workbook's dates were moved by `shifts` (``--shift``)."""
    return text("xlsx.what-if", lang, shifts=" ".join(shifts))


def _columns(headers: Sequence[str], first: str, last: str) -> tuple[int, int]:
    """Return the columns (from 1) of the headers `first` to `last` of a table's `headers`."""
    return headers.index(first) + 1, headers.index(last) + 1


def _flag_labels(flags: Iterable[FlagCode], lang: Lang) -> str:
    """Return flag codes as a cell shows them: their names, joined as the language joins."""
    return text("text.sep-list", lang).join(code.label(lang) for code in flags)


# --- the plan ------------------------------------------------------------------------------

_PLAN_HEADERS = (
    "code",
    "name",
    "kind",
    "task-id",
    "task",
    "start",
    "due",
    "status",
    "done-on",
    "section",
    "flags",
    "readiness",
    "planned",
)


def plan_xlsx(plan: Plan, *, lang: str = "ja") -> bytes:
    """Return the plan as a workbook: one row per agency and task, as the plan CSV, with the
    task's flags, its readiness report and planned date (`cutover.render.plan.task_rows`)."""
    language = check_lang(lang)
    book = Book(language, plan.as_of, [str(s) for s in plan.timeline.shifts])

    def rows() -> Iterable[Sequence[Cell]]:
        for row in task_rows(plan):
            agency, task, report = row.agency.agency, row.task, row.report
            yield (
                agency.code,
                agency.name,
                agency.kind.label(language),
                task.id,
                task.title_en if language == "en" else task.title_ja,
                task.start.date if task.start is not None else None,
                task.due.date,
                status_text(task, plan.as_of, language),
                task.done_on,
                task.section,
                _flag_labels(row.flags, language),
                report.status.label(language) if report is not None else None,
                report.day if report is not None else None,
            )

    headers = [h(f"header-{name}", language) for name in _PLAN_HEADERS]
    whose = _columns(_PLAN_HEADERS, "code", "name")
    book.table(h("sheet-plan", language), headers, rows(), repeated=whose)
    return book.bytes()


# --- hearings ------------------------------------------------------------------------------

_HEARINGS_HEADERS = (
    "list",
    "prefecture-code",
    "prefecture",
    "code",
    "name",
    "kind",
    "task-id",
    "item",
    "task",
    "start",
    "due",
    "status",
    "reason",
    "done-on",
    "past-data",
    "new-delegation",
    "notes",
)


def hearings_xlsx(hearings: Hearings, *, lang: str = "ja") -> bytes:
    """Return the hearings list as a workbook: one row per agency and task, candidates
    first, then the agencies at risk (the ``一覧`` column tells them apart)."""
    language = check_lang(lang)
    book = Book(language, hearings.as_of, hearings.shifts)
    yes = h("yes", language)
    sep = text("text.sep-note", language)

    def rows() -> Iterable[Sequence[Cell]]:
        lists = (("candidate", hearings.candidates), ("at-risk", hearings.at_risk))
        for label, groups in lists:
            shown = h(f"list-{label}", language)
            for group in groups:
                for entry in group.agencies:
                    agency = entry.agency
                    for missing in entry.missing:
                        task = missing.task
                        yield (
                            shown,
                            group.code,
                            group.name,
                            agency.code,
                            agency.name,
                            agency.kind.label(language),
                            task.id,
                            task.item,
                            missing.title(language),
                            task.start.date if task.start is not None else None,
                            task.due.date,
                            status_text(task, hearings.as_of, language),
                            missing.reason.text(language),
                            task.done_on,
                            yes if missing.past_data else None,
                            yes if missing.new_delegation else None,
                            sep.join(missing.notes(language)),
                        )

    headers = [h(f"header-{name}", language) for name in _HEARINGS_HEADERS]
    whose = _columns(_HEARINGS_HEADERS, "code", "name")
    ws = book.table(h("sheet-hearings", language), headers, rows(), repeated=whose)
    if not hearings.candidates and not hearings.at_risk:
        book.no_rows(ws, text("hearings.none", language), len(headers))
    return book.bytes()


# --- the coordinator's summary -------------------------------------------------------------


def _in_scope(summary: Summary, code: str) -> bool:
    """Return whether the agency with `code` is in the summary's scope."""
    return in_prefecture(code, summary.prefecture_code)


def _summary_sheet(book: Book, summary: Summary) -> None:
    """Write the facts, the §3 survey table (and the unknown one) and the flag counts."""
    from cutover.render.htmltext import plain_text
    from cutover.render.summary import count_facts, readiness_tables

    lang = book.lang
    ws = book.sheet(h("sheet-summary", lang))
    if summary.prefecture_code is not None:
        scope = text(
            "summary.scope-prefecture",
            lang,
            name=summary.prefecture_name or "",
            code=summary.prefecture_code,
        )
    else:
        scope = text("summary.scope-registry", lang)
    row = book.facts(
        ws,
        (
            (h("facts-title", lang), summary.title_en if lang == "en" else summary.title_ja),
            (h("facts-calendar", lang), summary.calendar),
            (text("render.fact-effective", lang), summary.takes_effect),
            (text("render.fact-as-of", lang), summary.as_of),
            (
                text("summary.fact-scope", lang),
                text("summary.scope", lang, scope=scope, count=summary.agencies.total),
            ),
            # (Written for the Markdown page: a cell shows its text, not its code marks.)
            *((label, plain_text(value)) for label, value in count_facts(summary, lang)),
            *(
                ((h("facts-what-if", lang), what_if_mark(summary.shifts, lang)),)
                if summary.shifts
                else ()
            ),
        ),
    )
    survey_headers: list[int] = []
    for table in readiness_tables(summary, lang):
        if table is None:
            continue
        cells = [
            [int(v) if v.isdigit() else v for v in values] for values in table.rows
        ]  # (counts as numbers)
        book.table("", table.headers, cells, sheet=ws, start=row, filtered=False)
        book.write_row(ws, row + len(cells) + 1, (table.note,))
        survey_headers.append(row)
        row += len(cells) + 3
    found = sorted(
        (f for f in summary.flags if f.count), key=lambda f: (-f.severity.rank, f.code.value)
    )
    headers = [h(f"header-{n}", lang) for n in ("flag", "flag-code", "severity", "count")]
    flags = [(f.code.label(lang), f.code.value, f.severity.label(lang), f.count) for f in found]
    book.table("", headers, flags, sheet=ws, start=row, filtered=False)
    if not flags:  # (the page's words: no finding, not a table the run left empty)
        book.write_row(ws, row + 1, (text("summary.no-flags", lang),))
    _wrap_system_headers(ws, survey_headers)


#: The first column of the §3 table that names a business system (after the two labels).
_FIRST_SYSTEM_COLUMN = 3


def _wrap_system_headers(ws: Worksheet, header_rows: Sequence[int]) -> None:
    """Wrap the business-system headers of the §3 tables at their spaces (地方税務 /
    システム関係, long-term / care / insurance / systems), as the ministry's table does,
    make their columns as wide as the widest word of a header or the widest other cell, and
    each header row as high as its most lines: the table then prints legibly on one page
    wide, every header whole."""
    wrapped = Alignment(wrap_text=True, horizontal="center", vertical="center")
    lines = dict.fromkeys(header_rows, 1)
    for column in range(_FIRST_SYSTEM_COLUMN, ws.max_column + 1):
        headers = [ws.cell(row=row, column=column) for row in header_rows]
        words = [word for cell in headers for word in str(cell.value or "").split()]
        if not words:
            continue
        for cell in headers:
            cell.alignment = wrapped
        others = (
            display_width(str(cell.value))
            for (cell,) in ws.iter_rows(min_col=column, max_col=column)
            if cell.value is not None and cell.row not in header_rows
        )
        widest = max((*map(display_width, words), *others))
        ws.column_dimensions[get_column_letter(column)].width = min(widest + 2, _WIDEST)
        for row, cell in zip(header_rows, headers, strict=True):
            lines[row] = max(lines[row], words_lines(str(cell.value or ""), widest))
    fit_rows(ws, lines)


_MATRIX_HEADERS = (
    "code",
    "name",
    "kind",
    "side",
    "system",
    "readiness",
    "planned",
    "status",
    "done-on",
    "flags",
)


def _matrix_sheet(book: Book, summary: Summary, plan: Plan) -> None:
    """Write the readiness matrix: one row per agency, side and business system."""
    from cutover.jp.vocabulary import system_by_id

    lang = book.lang

    def rows() -> Iterable[Sequence[Cell]]:
        for row in task_rows(plan):
            task, template = row.task, row.task.template
            agency = row.agency.agency
            if template.per != "system" or template.side is None or not task.system:
                continue
            if not _in_scope(summary, agency.code):
                continue
            report = row.report
            yield (
                agency.code,
                agency.name,
                agency.kind.label(lang),
                template.side.label(lang),
                system_by_id(task.system).label(lang),
                report.status.label(lang) if report is not None else None,
                report.day if report is not None else None,
                status_text(task, summary.as_of, lang),
                task.done_on,
                _flag_labels(row.flags, lang),
            )

    headers = [h(f"header-{name}", lang) for name in _MATRIX_HEADERS]
    whose = _columns(_MATRIX_HEADERS, "code", "name")
    book.table(h("sheet-matrix", lang), headers, rows(), repeated=whose)


_CHASE_HEADERS = ("code", "name", "kind", "why", "missing", "due", "detail")


def _chase_sheet(book: Book, chase: Sequence[Chase]) -> None:
    """Write the agencies to chase (`cutover.planning.chase`): one row for each thing
    missing, by agency code."""
    lang = book.lang
    rows = (
        (
            c.agency.code,
            c.agency.name,
            c.agency.kind.label(lang),
            c.reason_text(lang),
            c.missing(lang),
            c.due,
            c.detail(lang),
        )
        for c in chase
    )
    headers = [h(f"header-{name}", lang) for name in _CHASE_HEADERS]
    whose = _columns(_CHASE_HEADERS, "code", "name")
    ws = book.table(h("sheet-chase", lang), headers, rows, repeated=whose)
    if not chase:
        # (The summary page's words: no agency to chase, not a run that wrote nothing.)
        book.no_rows(ws, text("summary.no-chase", lang), len(headers))


def summary_xlsx(summary: Summary, plan: Plan, hearings: Hearings, *, lang: str = "ja") -> bytes:
    """Return the coordinator's workbook: the summary (the §3 survey table, the flag
    counts), the readiness matrix (agency × side × system: reported status, planned date,
    the task's status, flags) and the agencies to chase (督促先), for the summary's scope
    (`summary.prefecture_code`) of `plan`."""
    language = check_lang(lang)
    book = Book(language, summary.as_of, summary.shifts)
    _summary_sheet(book, summary)
    _matrix_sheet(book, summary, plan)
    _chase_sheet(book, chase_list(plan, hearings, prefecture=summary.prefecture_code))
    return book.bytes()


# --- triage --------------------------------------------------------------------------------

_TRIAGE_HEADERS = (
    "due",
    "action",
    "code",
    "name",
    "role",
    "query-id",
    "querier",
    "provider",
    "item",
    "requested",
    "query-status",
    "reason",
)
#: Rejected rows listed on their sheet at most: the JSON output lists every one.
REJECTED_ROWS = 10_000


class TriageBook:
    """Collects the rows of a triage that need action (`write`, a `triage_file` callback),
    then makes the workbook (`finish`): the rows sorted by due date, each with the agency
    that acts and its role (the provider answers by the cutoff; the querier withdraws and
    re-issues); the rejected rows on a sheet of their own, with their line and query id;
    the query ids on more than one row. Agencies are named from `agency_names` when given.
    """

    def __init__(
        self, *, as_of: dt.date, lang: str = "ja", agency_names: Mapping[str, str] | None = None
    ) -> None:
        self.lang = check_lang(lang)
        self.as_of = require_date(as_of, "as_of")
        self.names = agency_names
        self.results: list[TriageResult] = []

    def write(self, result: TriageResult) -> None:
        """Keep one result, unless its action is ``none``."""
        if result.action is not Action.NONE:
            self.results.append(result)

    def finish(
        self,
        report: TriageReport,
        query_ids: Mapping[tuple[str | None, int], str] | None = None,
    ) -> bytes:
        """Return the workbook; `query_ids` are the ids of the rejected rows by (file, line)
        (from `cutover.triage.lines.query_ids_at`), masked."""
        lang = self.lang
        book = Book(lang, self.as_of)
        states = {s: text(f"triage-report.status-{s.value}", lang) for s in QueryStatus}
        actions: dict[Action, str] = {
            a: h(f"action-{a.value}", lang) for a in Action if a is not Action.NONE
        }
        roles: dict[Action, str] = {
            Action.PROVIDE_BY_CUTOFF: h("role-provider", lang),
            Action.WITHDRAW_AND_REISSUE: h("role-querier", lang),
        }

        def acting(result: TriageResult) -> str:
            query = result.query
            return query.provider if result.action is Action.PROVIDE_BY_CUTOFF else query.querier

        def order(result: TriageResult) -> tuple[dt.date, str, dt.datetime, int]:
            due = result.due if result.due is not None else dt.date.max
            return due, acting(result), result.query.requested, result.query.line

        # A query in error points to the §10–§12 note, once on a sheet of its own (`notes`).
        notes = h("sheet-notes", lang)
        pointer = text("xlsx.error-row-note", lang, sheet=notes)

        def rows() -> Iterable[Sequence[Cell]]:
            for result in sorted(self.results, key=order):
                query, code = result.query, acting(result)
                yield (
                    result.due,
                    actions[result.action],
                    code,
                    self._name(code),
                    roles[result.action],
                    query.query_id,
                    query.querier,
                    query.provider,
                    query.item,
                    query.requested.replace(tzinfo=None),  # (always JST: Excel has no zones)
                    states[query.status],
                    reason_text(result.reason, lang)
                    + (f" {pointer}" if query.status is QueryStatus.ERROR else ""),
                )

        names = list(_TRIAGE_HEADERS)
        if self.names is None:
            names.pop(3)
            sheet_rows: Iterable[Sequence[Cell]] = ((*r[:3], *r[4:]) for r in rows())
        else:
            sheet_rows = rows()
        headers = [h(f"header-{name}", lang) for name in names]
        # (On a page of its own, a reason still says whose query, and what to do by when.)
        whose = _columns(names, "due", "query-id")
        ws = book.table(h("sheet-triage", lang), headers, sheet_rows, repeated=whose)
        if not self.results:
            book.no_rows(ws, h("no-triage-rows", lang), len(headers))
        ids = query_ids or {}

        def rejected() -> Iterable[Sequence[Cell]]:
            for k, problem in enumerate(report.rejected):
                if k == REJECTED_ROWS:
                    more = report.counts.rejected - REJECTED_ROWS
                    yield (None, None, None, text("xlsx.more-rows", lang, count=more))
                    return
                line = problem.line
                query_id = ids.get((problem.file, line)) if line is not None else None
                yield (problem.file, line, query_id, rejected_message(problem, lang))

        headers = [h(f"header-{name}", lang) for name in ("file", "line", "query-id", "problem")]
        ws = book.table(h("sheet-rejected", lang), headers, rejected())
        if not report.counts.rejected:
            book.no_rows(ws, h("no-rejected-rows", lang), len(headers))
        sep = text("text.sep-list", lang)
        duplicates = ((d.query_id, sep.join(duplicate_places(d, lang))) for d in report.duplicates)
        headers = [h(f"header-{name}", lang) for name in ("query-id", "lines")]
        ws = book.table(h("sheet-duplicates", lang), headers, duplicates)
        if not report.duplicates:
            book.no_rows(ws, h("no-duplicates", lang), len(headers))
        if any(r.query.status is QueryStatus.ERROR for r in self.results):
            book.table(notes, [h("header-note", lang)], [(records_note(lang),)], filtered=False)
        return book.bytes()

    def _name(self, code: str) -> str | None:
        if self.names is None:
            return None
        return self.names.get(code) or h("no-name", self.lang)
