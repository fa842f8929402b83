"""The survey workbooks (改修状況調査票) sent to every agency: one ``<code>.xlsx`` each.

The workbook is a contract with `cutover survey merge` (`cutover.inputs.survey`, whose sheet
names and `locked_digest` it uses), which reads the returned ones (docs/survey.md):

1. 「記入方法」: the instructions, for people only (in the run's language);
2. 「改修状況」: title rows 1–3 (the survey's title, 団体コード, 団体名), row 5 the header of
   readiness.csv in Japanese, then a row per business system of the calendar and side
   (提供, then 照会): 団体コード, 業務システム, 区分 locked; 状況 (a drop-down of 完了・予定・
   未着手・対象外), 完了予定日 (a date cell, yyyy/m/d) and 備考 left to fill in;
3. 「実施記録」: title row 1, row 3 the header of evidence.csv in Japanese, then a row per
   task the agency records (the calendar's order; a per-item task once per item it
   provides; the modifications are on sheet 2): 団体コード and 作業 (the task's Japanese
   title) locked, 実施日 and 内容 to fill in;
4. 「_cutover」 (very hidden): ``format``, ``calendar``, ``code``, ``name``, ``locked`` (the
   SHA-256 of the locked data cells, grouped: `cutover.inputs.survey.locked_digest`) and
   ``rows`` (data rows per sheet).

The sheets are protected without a password (against slips, not people). The sheet names,
headers and values of sheets 2–4 are the contract, in Japanese whatever the language.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from openpyxl.styles import PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cutover.errors import CutoverError, warn_input
from cutover.i18n.catalogue import Msg, text
from cutover.i18n.text import check_lang, format_day
from cutover.inputs.model import Agency
from cutover.inputs.survey import (
    EVIDENCE_SHEET,
    LOCKED_CELL,
    META_SHEET,
    OPEN_COLUMNS,
    READINESS_SHEET,
    SHEET_HEADERS,
    SURVEY_FORMAT,
    locked_digest,
)
from cutover.jp.vocabulary import SYSTEMS, Side, Status
from cutover.planning.model import AgencyPlan, Plan
from cutover.planning.survey_due import survey_due_problems
from cutover.render.sheetlayout import WRAPPED, bold_font, fit_rows, lines_taken
from cutover.render.xlsx import Book, Cell

__all__ = [
    "EVIDENCE_HEADERS",
    "READINESS_HEADERS",
    "SHEETS",
    "SIDES",
    "STATUSES",
    "survey_file",
    "survey_workbook",
    "survey_workbooks",
    "write_survey",
]

#: The sheets, in order: instructions, readiness, evidence (the hidden one is `META_SHEET`).
SHEETS = ("記入方法", READINESS_SHEET, EVIDENCE_SHEET)
#: The header of sheet 2 (row 5) and of sheet 3 (row 3): readiness.csv's and evidence.csv's.
READINESS_HEADERS = SHEET_HEADERS[READINESS_SHEET]
EVIDENCE_HEADERS = SHEET_HEADERS[EVIDENCE_SHEET]
READINESS_HEADER_ROW = 5
EVIDENCE_HEADER_ROW = 3
#: How sheet 2 names each side, and the statuses its drop-down offers.
SIDES = {Side.PROVISION: "提供", Side.QUERY: "照会"}
STATUSES = tuple(status.label("ja") for status in Status)
_UNLOCKED = Protection(locked=False)
#: The cells to fill in are light yellow, as the instructions say (記入するのは黄色のセル):
#: a protected sheet does not show which of its cells are open.
_TO_FILL = PatternFill("solid", fgColor="FFF2CC")
#: The width of the instructions' column (Excel's units).
_INSTRUCTIONS_WIDTH = 100
_TITLE_FONT = bold_font(12)
_PLANNED_FORMAT = "yyyy/m/d"
_FILE = re.compile(r"[0-9]{6}\.xlsx")


def survey_file(name: str) -> bool:
    """Return True for a name `survey make` writes (``<6-digit code>.xlsx``)."""
    return _FILE.fullmatch(name) is not None


def _instructions(
    book: Book, plan: Plan, agency_plan: AgencyPlan, due: dt.date | None, counts: Sequence[int]
) -> None:
    """Write sheet 1: what to fill in, where, with what, and to whom it goes back."""
    lang = book.lang
    agency = agency_plan.agency
    revision = plan.calendar.revision
    ws = book.sheet(SHEETS[0])

    def say(code: str, /, **params: object) -> str:
        return text(f"survey-book.{code}", lang, **params)

    statuses = text("text.sep-list", lang).join(STATUSES)
    lines = [
        say("title", title=revision.title_ja if lang == "ja" else revision.title_en),
        say("agency", code=agency.code, name=agency.name),
        say(f"effective-{revision.kind}", day=format_day(revision.effective, lang)),
        say("due", day=format_day(due, lang)) if due is not None else say("no-due"),
        "",
        say("readiness", sheet=SHEETS[1], rows=counts[0]),
        say("status", statuses=statuses),
        say("planned"),
        say("evidence", sheet=SHEETS[2], rows=counts[1]),
        say("locked"),
        say("return"),
    ]
    taken: dict[int, int] = {}
    for row, line in enumerate(lines, 1):
        book.write_row(ws, row, (line,))
        # Wrapped in the column, the row as high as its lines: a line longer than the column
        # shows and prints whole, not cut at the column's edge.
        ws.cell(row=row, column=1).alignment = WRAPPED
        if (count := lines_taken(line, _INSTRUCTIONS_WIDTH)) > 1:
            taken[row] = count
    fit_rows(ws, taken)
    ws["A1"].font = _TITLE_FONT
    ws.column_dimensions["A"].width = _INSTRUCTIONS_WIDTH
    ws.protection.sheet = True


def _readiness_sheet(
    book: Book, plan: Plan, agency_plan: AgencyPlan, locked: list[tuple[str, str, object]]
) -> None:
    """Write sheet 2; add its locked data cells to `locked`."""
    agency = agency_plan.agency
    name = SHEETS[1]
    revision = plan.calendar.revision
    # (As the instructions sheet names it: the revision's title says what it revises, a
    # layout or a master delivery.)
    title = f"{revision.title_ja} システム改修状況調査票"
    ws = book.sheet(name)
    book.write_row(ws, 1, (title,))
    ws["A1"].font = _TITLE_FONT
    book.write_row(ws, 2, ("団体コード", agency.code))
    book.write_row(ws, 3, ("団体名", agency.name))
    systems = [s for s in SYSTEMS if s.id in plan.calendar.revision.systems]
    rows = [(agency.code, s.ja, SIDES[side]) for s in systems for side in Side]
    book.table(name, READINESS_HEADERS, rows, sheet=ws, start=READINESS_HEADER_ROW)
    first = READINESS_HEADER_ROW + 1
    last = READINESS_HEADER_ROW + len(rows)
    open_columns = OPEN_COLUMNS[READINESS_SHEET]
    _open_to_fill(ws, name, range(first, last + 1), "ABC", open_columns, "E", locked)
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状況",
        error="一覧から選んでください: " + "、".join(STATUSES),
    )
    status.add(f"D{first}:D{last}")
    ws.add_data_validation(status)
    for column, width in (("D", 12), ("E", 14), ("F", 40)):
        ws.column_dimensions[column].width = width
    _protect(ws)


def _evidence_sheet(
    book: Book, agency: Agency, tasks: Sequence[str], locked: list[tuple[str, str, object]]
) -> None:
    """Write sheet 3, a row per task of `tasks`; add its locked data cells to `locked`."""
    name = SHEETS[2]
    ws = book.sheet(name)
    book.write_row(ws, 1, ("実施記録（作業を実施した日を記入してください）",))
    ws["A1"].font = _TITLE_FONT
    rows = [(agency.code, title) for title in tasks]
    book.table(name, EVIDENCE_HEADERS, rows, sheet=ws, start=EVIDENCE_HEADER_ROW)
    rows_written = range(EVIDENCE_HEADER_ROW + 1, EVIDENCE_HEADER_ROW + len(rows) + 1)
    _open_to_fill(ws, name, rows_written, "AB", OPEN_COLUMNS[EVIDENCE_SHEET], "C", locked)
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 40
    _protect(ws)


def _open_to_fill(
    ws: Worksheet,
    name: str,
    rows: range,
    written: str,
    to_fill: str,
    date_column: str,
    locked: list[tuple[str, str, object]],
) -> None:
    """Leave the cells of `rows` the agency fills in (columns `to_fill`) open and yellow, the
    date one formatted as a date; note those cutover wrote (`written`, locked) in `locked`."""
    for row in rows:
        for column in written:
            coordinate = f"{column}{row}"
            locked.append((name, coordinate, ws[coordinate].value))
        for column in to_fill:
            ws[f"{column}{row}"].protection = _UNLOCKED
            ws[f"{column}{row}"].fill = _TO_FILL
        ws[f"{date_column}{row}"].number_format = _PLANNED_FORMAT


def _protect(ws: Worksheet) -> None:
    """Protect `ws` without a password; its columns may still be widened and filtered."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.autoFilter = False
    ws.protection.sort = False


def _evidence_tasks(plan: Plan, agency_plan: AgencyPlan) -> list[str]:
    """Return the Japanese titles of the tasks the agency records on sheet 3, in the
    calendar's order (a per-item task's items in order)."""
    order = {template.id: k for k, template in enumerate(plan.calendar.tasks)}
    # (The modifications, one per system and side, are sheet 2's.)
    tasks = [task for task in agency_plan.tasks if task.template.per != "system"]
    tasks.sort(key=lambda task: (order[task.template.id], task.item or 0))
    return [task.title_ja for task in tasks]


def survey_workbook(
    plan: Plan,
    agency_plan: AgencyPlan,
    *,
    lang: str = "ja",
    due: dt.date | None = None,
) -> bytes:
    """Return the survey workbook of one agency of `plan` (the module's layout), dated
    `plan.as_of`; `due` is the date to return it by, said on the instructions sheet."""
    book = Book(check_lang(lang), plan.as_of)
    agency = agency_plan.agency
    systems = [s for s in SYSTEMS if s.id in plan.calendar.revision.systems]
    tasks = _evidence_tasks(plan, agency_plan)
    counts = (len(systems) * len(SIDES), len(tasks))
    _instructions(book, plan, agency_plan, due, counts)
    locked: list[tuple[str, str, object]] = []
    _readiness_sheet(book, plan, agency_plan, locked)
    _evidence_sheet(book, agency, tasks, locked)
    meta = book.sheet(META_SHEET)
    values: Sequence[tuple[str, Cell]] = (
        ("format", SURVEY_FORMAT),
        ("calendar", plan.calendar.id),
        ("code", agency.code),
        ("name", agency.name),
        ("locked", locked_digest(locked)),
        ("rows", f"{SHEETS[1]}={counts[0]};{SHEETS[2]}={counts[1]}"),
        # (Each locked cell as written: merge names the one changed, not only that one was.)
        *((f"{LOCKED_CELL}{sheet}!{at}", "" if v is None else str(v)) for sheet, at, v in locked),
    )
    for row, pair in enumerate(values, 1):
        book.write_row(meta, row, pair)
    meta.sheet_state = "veryHidden"
    return book.bytes()


def survey_workbooks(
    plan: Plan, *, lang: str = "ja", due: dt.date | None = None
) -> Iterator[tuple[str, bytes]]:
    """Yield (file name, bytes) of the survey workbook of every agency of `plan`, by code."""
    for agency_plan in plan.agencies:
        yield (
            f"{agency_plan.agency.code}.xlsx",
            survey_workbook(plan, agency_plan, lang=lang, due=due),
        )


def write_survey(
    plan: Plan, out: str | Path, *, lang: str = "ja", due: dt.date | None = None
) -> list[str]:
    """Write the folder `out` as a whole (`cutover.render.files.write_folder`): a survey
    workbook per agency of `plan`. Return the names of an earlier run's workbooks left out
    (agencies no longer in the registry); other files of the folder are kept.

    A ``<code>.xlsx`` of the folder is replaced or left out only when it is a survey
    workbook with no answer in it (`cutover.inputs.survey.why_not_replaceable`): when one
    holds answers (a workbook an agency returned, saved there) or is no survey workbook,
    `CutoverError` says so for each such file, and nothing is written.

    A `due` the agencies cannot keep (before the survey's date, or on a closed day:
    `cutover.planning.survey_due.survey_due_problems`) is written as given, and warned of
    (`InputWarning`, one for each problem), as `cutover survey make` prints it.
    """
    from cutover.render.files import write_folder

    if due is not None:
        for problem in survey_due_problems(plan, due):
            warn_input(problem)
    made = _check_folder(plan, Path(out), lang, due)

    def workbooks() -> Iterator[tuple[str, bytes]]:
        for agency_plan in plan.agencies:
            name = f"{agency_plan.agency.code}.xlsx"
            data = made.pop(name, None)
            yield name, data or survey_workbook(plan, agency_plan, lang=lang, due=due)

    return write_folder(
        out,
        workbooks(),
        ours=survey_file,
        contents=Msg("files.contents-survey-workbooks"),
    )


def _check_folder(plan: Plan, out: Path, lang: str, due: dt.date | None) -> dict[str, bytes]:
    """Return the workbooks made for the ``<code>.xlsx`` files `out` holds now (by name: each
    compared with the file it replaces); raise `CutoverError` when one of those files, or
    of those no agency of `plan` has, may not be replaced (one problem per file)."""
    from cutover.inputs.survey import why_not_replaceable

    try:
        present = sorted(
            entry.name
            for entry in os.scandir(out)
            if survey_file(entry.name) and not entry.is_dir(follow_symlinks=False)
        )
    except OSError:  # no folder yet (or not a folder: writing says so)
        return {}
    agencies = {f"{a.agency.code}.xlsx": a for a in plan.agencies}
    made: dict[str, bytes] = {}
    problems = []
    for name in present:
        agency_plan = agencies.get(name)
        if agency_plan is not None:
            made[name] = survey_workbook(plan, agency_plan, lang=lang, due=due)
        problem = why_not_replaceable(out / name, blank=made.get(name))
        if problem is not None:
            problems.append(problem)
    if problems:
        raise CutoverError.from_problems(problems)
    return made
