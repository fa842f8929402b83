"""cutover survey merge on the tables of workbooks as `survey make` writes them, after what a
clerk does to a table in Excel: rows added below it, copied, inserted, deleted, sorted,
hidden, filtered, taken from another agency's workbook, the table moved down. Each either
reads as sent or is told at its cell, and the workbook is then not merged."""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from workbooks import write_survey

from cutover.calendar.load import calendar_path, load_calendar, parse_calendar
from cutover.calendar.model import RevisionCalendar
from cutover.cli.main import main
from cutover.errors import InputWarning, Problem
from cutover.i18n.catalogue import Msg
from cutover.inputs.registry import load_agencies
from cutover.inputs.survey import (
    EVIDENCE_SHEET,
    META_SHEET,
    READINESS_SHEET,
    SurveyMerge,
    merge_survey,
    why_not_replaceable,
)

#: A prefecture and two cities: the city 312011 returns its workbook, edited.
AGENCIES = (
    "code,name,kind,test_requested,provides,new_delegations\n"
    "310000,鳥取県,prefecture,no,2 21,\n"
    "312011,鳥取市,municipality,yes,2 21,\n"
    "312029,米子市,municipality,yes,2,\n"
)
CITY = "312011"
#: What the city answers, on the rows `survey make` wrote them (改修状況 from row 6, in
#: the calendar's order of systems, 提供 then 照会; 実施記録 from row 4).
ANSWERS: dict[tuple[str, str], str | dt.datetime] = {
    (READINESS_SHEET, "D6"): "完了",
    (READINESS_SHEET, "D7"): "予定",
    (READINESS_SHEET, "E7"): dt.datetime(2018, 6, 20),
    (READINESS_SHEET, "D8"): "未着手",
    (EVIDENCE_SHEET, "C4"): dt.datetime(2018, 5, 24),
    (EVIDENCE_SHEET, "D4"): "接続検証環境で確認",
}
Edit = Callable[[Worksheet, Worksheet], None]


@pytest.fixture(scope="module")
def calendar() -> RevisionCalendar:
    """The shipped 2018 calendar."""
    return load_calendar("2018-07")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of the workbooks `survey make` writes for the three agencies."""
    root = tmp_path_factory.mktemp("made")
    (root / "agencies.csv").write_text(AGENCIES, encoding="utf-8")
    args = ["survey", "make", "2018-07", "--agencies", str(root / "agencies.csv")]
    assert main([*args, "--as-of", "2018-05-01", "--out", str(root / "survey")]) == 0
    return root


def _returned(made: Path, tmp_path: Path, edit: Edit) -> tuple[Path, Path]:
    """Return the registry and a folder of the workbooks as sent, but the city's: filled
    in (`ANSWERS`), then edited by `edit` (given its two sheets)."""
    folder = tmp_path / "returned"
    shutil.copytree(made / "survey", folder)
    path = folder / f"{CITY}.xlsx"
    book = load_workbook(path)
    for (sheet, cell), value in ANSWERS.items():
        book[sheet][cell] = value
    edit(book[READINESS_SHEET], book[EVIDENCE_SHEET])
    book.save(path)
    return made / "agencies.csv", folder


def _merged(calendar: RevisionCalendar, made: Path, tmp_path: Path, edit: Edit) -> SurveyMerge:
    agencies, folder = _returned(made, tmp_path, edit)
    return merge_survey(calendar, agencies, folder)


def _row_key(system: str, side: str) -> Msg:
    """Return how a message names a readiness row: its system and side."""
    return Msg("survey.row-key", {"system": system, "side": side})


def _told(merged: SurveyMerge) -> list[Problem]:
    """Return the problems of the city's workbook, refused (and nothing of it merged)."""
    (refusal,) = merged.refused
    assert refusal.code == CITY
    assert CITY not in {r.code for r in merged.readiness} | {e.code for e in merged.evidence}
    assert CITY not in merged.unanswered
    return list(refusal.problems)


def _copy(ws: Worksheet, source: int, row: int, columns: str) -> None:
    for column in columns:
        ws[f"{column}{row}"] = ws[f"{column}{source}"].value


def _sort(ws: Worksheet, first: int, last: int, width: int) -> None:
    """Sort rows `first`–`last` whole, by their last locked column, as Excel's sort does."""
    rows = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in range(first, last + 1)]
    rows.sort(key=lambda values: str(values[2 if width == 6 else 1]))
    for r, values in enumerate(rows, first):
        for c, value in enumerate(values, 1):
            ws.cell(r, c).value = value


def _filter(ws: Worksheet, ev: Worksheet) -> None:
    """Filter 改修状況 on 状況 = 完了 (Excel hides every other row) and hide 実施記録's row 4."""
    ws.auto_filter.add_filter_column(3, ["完了"])
    for row in range(7, 22):
        ws.row_dimensions[row].hidden = True
    ev.row_dimensions[4].hidden = True


def _sorted(ws: Worksheet, ev: Worksheet) -> None:
    _sort(ws, 6, 21, 6)
    _sort(ev, 4, 14, 4)


def _moved_down(ws: Worksheet, ev: Worksheet) -> None:
    ws.insert_rows(4, 2)
    ev.insert_rows(2, 3)


def _titled(ws: Worksheet, ev: Worksheet) -> None:
    ws.insert_rows(1)
    ws["A1"] = "鳥取市回答"


def _blank_inserted(ws: Worksheet, ev: Worksheet) -> None:
    ws.insert_rows(9)
    ev.insert_rows(6)


READ_AS_SENT: dict[str, Edit] = {
    "sorted": _sorted,
    "moved down": _moved_down,
    "a title typed above": _titled,
    "a blank row inserted": _blank_inserted,
    "hidden and filtered": _filter,
}


@pytest.mark.parametrize("edit", READ_AS_SENT.values(), ids=READ_AS_SENT.keys())
def test_rows_in_another_order_read_as_sent(
    calendar: RevisionCalendar, made: Path, tmp_path: Path, edit: Edit
) -> None:
    """Rows sorted, the table moved down by rows inserted above it, a blank row inserted,
    rows hidden or filtered out: every answer is read, on the row it was written on."""
    merged = _merged(calendar, made, tmp_path, edit)
    assert not merged.refused
    mine = [(r.system, r.side.value, r.status.value, r.planned) for r in merged.readiness]
    assert mine == [
        ("local-tax", "provision", "done", None),
        ("local-tax", "query", "planned", dt.date(2018, 6, 20)),
        ("public-assistance", "provision", "not-started", None),
    ]
    assert [(e.task, e.date) for e in merged.evidence] == [
        ("inter-agency-test", dt.date(2018, 5, 24))
    ]
    assert merged.unanswered[CITY] == 13


def _row_below(columns: str, status: str | None = None) -> Edit:
    def edit(ws: Worksheet, ev: Worksheet) -> None:
        _copy(ws, 9, 22, columns)
        if status is not None:
            ws["D22"] = status

    return edit


ROW_COPIED: dict[str, Edit] = {
    "below, no status": _row_below("ABC"),
    "below, with a status": _row_below("ABC", "完了"),
    "below, the whole row": _row_below("ABCDEF", "未着手"),
}


@pytest.mark.parametrize("edit", ROW_COPIED.values(), ids=ROW_COPIED.keys())
def test_a_row_added_below_the_table_is_told_at_its_cell(
    calendar: RevisionCalendar, made: Path, tmp_path: Path, edit: Edit
) -> None:
    """A row a clerk adds below the table, its system and side copied from row 9 (with or
    without a status), is told at its cell as a second row of them: not a row left blank,
    nor an answer that wins over row 9's."""
    (problem,) = _told(_merged(calendar, made, tmp_path, edit))
    assert (problem.code, problem.sheet, problem.column, problem.line) == (
        "survey.row-repeated",
        READINESS_SHEET,
        "A",
        22,
    )
    assert "22 行目は 9 行目と同じ「生活保護・照会」の行です" in problem.text("ja")
    # (In English the parts are joined as English joins them, whatever the sheet's words.)
    assert "row 22 is a second row of '生活保護 / 照会', as row 9 is" in problem.text("en")


def test_a_row_copied_and_inserted_is_told_on_either_sheet(
    calendar: RevisionCalendar, made: Path, tmp_path: Path
) -> None:
    """A row inserted in the middle of a table as a copy of the row above it (Excel's
    "insert copied cells") is told at the copy, on 改修状況 and on 実施記録."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        ws.insert_rows(9)
        _copy(ws, 8, 9, "ABCDEF")
        ev.insert_rows(5)
        _copy(ev, 4, 5, "ABCD")

    told = _told(_merged(calendar, made, tmp_path, edit))
    assert [(p.code, p.sheet, p.column, p.line, p.params["first"]) for p in told] == [
        ("survey.row-repeated", READINESS_SHEET, "A", 9, 8),
        ("survey.row-repeated", EVIDENCE_SHEET, "A", 5, 4),
    ]


def test_a_deleted_row_is_told_by_what_it_held(
    calendar: RevisionCalendar, made: Path, tmp_path: Path
) -> None:
    """A row deleted (the last one too) is not read as no reply for it: told by the system
    and side, or task, it held and the row it was sent on."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        ws.delete_rows(21)
        ws.delete_rows(8)
        ev.delete_rows(6)

    told = _told(_merged(calendar, made, tmp_path, edit))
    assert [(p.code, p.sheet, p.line, p.params["row"], p.params["what"]) for p in told] == [
        ("survey.row-missing", READINESS_SHEET, None, 8, _row_key("生活保護", "提供")),
        ("survey.row-missing", READINESS_SHEET, None, 21, _row_key("公営住宅", "照会")),
        (
            "survey.row-missing",
            EVIDENCE_SHEET,
            None,
            6,
            "特定個人情報21番（母子父子寡婦福祉資金貸付関係情報）の副本を登録する",
        ),
    ]
    assert (
        told[0]
        .text("ja")
        .endswith(
            f"{CITY}.xlsx:{READINESS_SHEET}: 配布したときの 8 行目にあった「生活保護・提供」の行が"
            "ありません（行を削除したようです） — 配布した調査票に記入し直してもらってください"
            "（行が削除されていると、その行が未回答なのか、誤って削除しただけなのか分かりません）"
        )
    )


def test_another_agency_s_row_is_not_merged_as_its_answer(
    calendar: RevisionCalendar, made: Path, tmp_path: Path
) -> None:
    """A row copied from another agency's workbook (米子市's code, in 鳥取市's workbook), below
    the table or pasted over one of its rows, is told at its cell (once: the row pasted over
    is the code cell changed, not a row deleted too): none of its answers becomes 米子市's,
    nor 鳥取市's."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        for column, value in zip("ABCD", ("312029", "地方税務", "提供", "完了"), strict=True):
            ws[f"{column}22"] = value
        ev["A4"], ev["C4"] = "312029", dt.datetime(2018, 5, 25)

    merged = _merged(calendar, made, tmp_path, edit)
    told = _told(merged)
    assert "312029" not in {r.code for r in merged.readiness} | {e.code for e in merged.evidence}
    assert [(p.code, p.sheet, p.column, p.line) for p in told] == [
        ("survey.code-cell-changed", EVIDENCE_SHEET, "A", 4),
        ("survey.row-other-agency", READINESS_SHEET, "A", 22),
    ]
    assert (
        told[1]
        .text("en")
        .endswith(
            f"{CITY}.xlsx:{READINESS_SHEET}!A22: row 22 is another agency's row ('地方税務 / 提供' "
            f"of code '312029'); this workbook is the one of code '{CITY}' — if it was copied from "
            "another agency's workbook, delete the row as a whole and merge again (that agency's "
            "answers come in its own workbook)"
        )
    )


@pytest.mark.parametrize("typed", [312029, 12345, "312029", 3.12029e5, 1e20, 10**20])
def test_a_code_typed_over_a_code_cell_is_told_once_at_its_cell(
    calendar: RevisionCalendar, made: Path, tmp_path: Path, typed: int | float | str
) -> None:
    """Another code typed into a locked code cell (the sheet unprotected), as a number or as
    text, is one problem at that cell, with what it holds, what it must hold and how to put
    it back: not a row of another agency and a row deleted besides."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        ws["A7"] = typed

    (problem,) = _told(_merged(calendar, made, tmp_path, edit))
    assert (problem.code, problem.sheet, problem.column, problem.line) == (
        "survey.code-cell-changed",
        READINESS_SHEET,
        "A",
        7,
    )
    # (1E+20 as Excel shows it: not 21 digits it never held, masked as a personal number.)
    shown: dict[object, str] = {12345: "12345", 1e20: "1E+20"}
    found = shown.get(typed, "312029")
    assert problem.text("ja").endswith(
        f"{CITY}.xlsx:{READINESS_SHEET}!A7: 団体コードのセルが「{found}」になっています。"
        f"この調査票の団体コード「{CITY}」でなければなりません — セルに「{CITY}」と入力し直して"
        "保存してから、もう一度まとめてください（別の団体の調査票から写した行なら、その行の回答も"
        "この団体のものに戻してください）"
    )


def test_the_code_typed_as_a_number_reads_as_sent(
    calendar: RevisionCalendar, made: Path, tmp_path: Path
) -> None:
    """The workbook's own code typed back into its cell as a number (312011, not '312011'),
    or in full-width digits, is the code sent: the workbook is merged."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        ws["A6"], ev["A4"] = int(CITY), int(CITY)
        ws["A7"] = "３１２０１１"  # (typed back in full-width digits, as an IME types them)

    merged = _merged(calendar, made, tmp_path, edit)
    assert not merged.refused
    assert ("312011", "local-tax") in {(r.code, r.system) for r in merged.readiness}


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "code", "said"),
    [
        (READINESS_SHEET, "A6", "=B2", "inputs.workbook-uncached", "数式（=B2）ですが、計算結果"),
        (READINESS_SHEET, "C7", "=C6", "inputs.workbook-uncached", "数式（=C6）ですが、計算結果"),
        (EVIDENCE_SHEET, "B4", "=B5", "inputs.workbook-uncached", "数式（=B5）ですが、計算結果"),
        (READINESS_SHEET, "B8", "#REF!", "inputs.workbook-error-value", "エラー値 #REF! です"),
    ],
)
def test_a_formula_with_no_saved_result_in_a_locked_cell_is_not_a_blank(
    calendar: RevisionCalendar,
    made: Path,
    tmp_path: Path,
    sheet: str,
    cell: str,
    value: str,
    code: str,
    said: str,
) -> None:
    """A formula typed into a locked cell and saved by a program that keeps no result (as
    openpyxl writes it), or an error value, is told once at its cell as the sheets' readers
    tell it, with the fix (save it in Excel, or type the value): not as a cell changed to
    blank."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        (ws if sheet == READINESS_SHEET else ev)[cell] = value

    (problem,) = _told(_merged(calendar, made, tmp_path, edit))
    assert (problem.code, problem.sheet, f"{problem.column}{problem.line}") == (code, sheet, cell)
    text = problem.text("ja")
    assert f"{CITY}.xlsx:{sheet}!{cell}: " in text
    assert said in text
    assert "「」" not in text


@pytest.mark.parametrize(
    ("sheet", "merged"),
    [
        (READINESS_SHEET, "A6:A7"),
        (READINESS_SHEET, "B6:C6"),
        (EVIDENCE_SHEET, "A4:B5"),
        (READINESS_SHEET, "A5:C5"),
        (EVIDENCE_SHEET, "A3:B3"),
    ],
)
def test_merged_locked_cells_are_told_as_merged_not_as_blanks(
    calendar: RevisionCalendar, made: Path, tmp_path: Path, sheet: str, merged: str
) -> None:
    """Locked cells merged (a code merged over two rows, a system and side merged into one
    cell, the header's locked cells merged) are told once, at the range, with how to
    unmerge them: not each cell the range hides as changed to blank, nor a merged header
    as a column deleted. A title merged above the table is no problem."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        (ws if sheet == READINESS_SHEET else ev).merge_cells(merged)

    (problem,) = _told(_merged(calendar, made, tmp_path, edit))
    top_left = merged.partition(":")[0]
    assert (problem.code, problem.sheet, f"{problem.column}{problem.line}") == (
        "inputs.workbook-merged-cells",
        sheet,
        top_left,
    )
    assert f"結合されたセル {merged} があります" in problem.text("ja")

    def title(ws: Worksheet, ev: Worksheet) -> None:
        ws.merge_cells("A1:F1")

    assert not _merged(calendar, made, tmp_path / "title", title).refused


@pytest.mark.parametrize(
    ("sheet", "renamed", "code"),
    [
        (READINESS_SHEET, "改修状況 (2)", "survey.sheet-renamed"),
        (EVIDENCE_SHEET, "実施記録１", "survey.sheet-renamed"),
        (EVIDENCE_SHEET, "Sheet9", "survey.sheet-renamed"),
    ],
)
def test_a_sheet_renamed_is_told_with_its_new_name(
    calendar: RevisionCalendar,
    made: Path,
    tmp_path: Path,
    sheet: str,
    renamed: str,
    code: str,
) -> None:
    """A survey sheet renamed (as Excel names a copy, with a full-width digit, or to any
    name: it is known by its table's header) is told once, with the name it has and how to
    name it back. The workbook is refused as its agency's: the agency is not listed as one
    that did not reply. A sheet deleted is told missing."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        (ws if sheet == READINESS_SHEET else ev).title = renamed

    merged = _merged(calendar, made, tmp_path, edit)
    assert CITY not in {a.code for a in merged.no_reply}
    (problem,) = _told(merged)
    assert (problem.code, problem.params["sheet"]) == (code, sheet)
    if code == "survey.sheet-renamed":
        assert problem.text("ja").endswith(
            f"{CITY}.xlsx: 調査票に「{sheet}」シートがなく、名前の変わったシート「{renamed}」が"
            f"あります — シート「{renamed}」の名前を「{sheet}」に戻して保存してから、もう一度"
            "まとめてください（シート見出しをダブルクリックすると名前を変えられます）"
        )

    def deleted(ws: Worksheet, ev: Worksheet) -> None:
        gone = ws if sheet == READINESS_SHEET else ev
        assert gone.parent is not None
        gone.parent.remove(gone)

    (missing,) = _told(_merged(calendar, made, tmp_path / "deleted", deleted))
    assert (missing.code, missing.params["sheet"]) == ("survey.missing-sheet", sheet)


@pytest.mark.parametrize(("sheet", "cell"), [(READINESS_SHEET, "D9"), (EVIDENCE_SHEET, "C5")])
def test_answers_on_a_copy_of_a_survey_sheet_are_not_lost_unsaid(
    calendar: RevisionCalendar, made: Path, tmp_path: Path, sheet: str, cell: str
) -> None:
    """A survey sheet copied (Excel names the copy 「改修状況 (2)」) and answered on the copy:
    the workbook is refused, naming the copy and how to move its answers, not merged with
    them left unread; `survey make` does not write over it. A copy left blank is no
    problem."""

    def copied(answer: bool, title: str = f"{sheet} (2)") -> Edit:
        def edit(ws: Worksheet, ev: Worksheet) -> None:
            source = ws if sheet == READINESS_SHEET else ev
            book = source.parent
            assert book is not None
            copy = book.copy_worksheet(source)
            copy.title = title
            if answer:
                copy[cell] = "完了" if sheet == READINESS_SHEET else dt.datetime(2018, 6, 1)

        return edit

    (problem,) = _told(_merged(calendar, made, tmp_path, copied(answer=True)))
    assert (problem.code, problem.params["found"]) == ("survey.sheet-copied", f"{sheet} (2)")
    # A copy renamed to anything (「回答」) is known by its table's header.
    (renamed,) = _told(_merged(calendar, made, tmp_path / "renamed", copied(True, "回答")))
    assert (renamed.code, renamed.params["found"]) == ("survey.sheet-copied", "回答")
    assert problem.text("ja").endswith(
        f"{CITY}.xlsx: シート「{sheet} (2)」（「{sheet}」シートのコピー）にも回答が書かれて"
        f"いますが、読むのは「{sheet}」シートだけです — 回答を「{sheet}」シートの行に書き写し、"
        f"シート「{sheet} (2)」を削除して保存してから、もう一度まとめてください"
    )
    path = tmp_path / "returned" / f"{CITY}.xlsx"
    assert why_not_replaceable(path) is not None
    assert not _merged(calendar, made, tmp_path / "blank", copied(answer=False)).refused

    def memo(ws: Worksheet, ev: Worksheet) -> None:
        book = ws.parent
        assert book is not None
        own = book.create_sheet("メモ")
        own.append(["担当", "内線"])
        own.append(["鳥取 太郎", "1234"])

    # A sheet of the clerk's own, with no survey header, is not taken for a copy.
    assert not _merged(calendar, made, tmp_path / "memo", memo).refused


def test_a_row_not_sent_or_an_answer_off_the_table_is_told(
    calendar: RevisionCalendar, made: Path, tmp_path: Path
) -> None:
    """A task of the agency's own added below 実施記録, a status typed below 改修状況 on a
    row with no system: each told at its cell, not read as a task id or left unread."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        ws["D23"] = "完了"
        ev["A15"], ev["B15"], ev["C15"] = CITY, "独自の確認作業", dt.datetime(2018, 5, 25)

    told = _told(_merged(calendar, made, tmp_path, edit))
    assert [(p.code, p.sheet, p.column, p.line) for p in told] == [
        ("survey.answer-off-table", READINESS_SHEET, "D", 23),
        ("survey.row-not-sent", EVIDENCE_SHEET, "A", 15),
    ]
    assert "15 行目の「独自の確認作業」は、配布した調査票にない行です" in told[1].text("ja")


def test_a_locked_cell_written_over_is_still_told_where_it_is(
    calendar: RevisionCalendar, made: Path, tmp_path: Path
) -> None:
    """A side written over in place (提供 to 照会, as on the row below) is told at that cell,
    with what it held and holds: not as a row repeated and a row missing."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        ws["C6"] = "照会"

    (problem,) = _told(_merged(calendar, made, tmp_path, edit))
    assert (problem.code, problem.column, problem.line) == ("survey.locked-cell-changed", "C", 6)
    assert (problem.params["found"], problem.params["written"]) == ("照会", "提供")


def _column_for_whom(ws: Worksheet, ev: Worksheet) -> None:
    ws.insert_cols(2)
    ws.cell(5, 2, "担当")


def _column_before_the_table(ws: Worksheet, ev: Worksheet) -> None:
    ws.insert_cols(1)


def _column_before_the_task(ws: Worksheet, ev: Worksheet) -> None:
    ev.insert_cols(2)


COLUMN_INSERTED: dict[str, tuple[Edit, str, tuple[str, str, str, int]]] = {
    "a column for 担当 before 業務システム": (
        _column_for_whom,
        READINESS_SHEET,
        ("業務システム", "B", "C", 5),
    ),
    "a column before the table": (
        _column_before_the_table,
        READINESS_SHEET,
        ("団体コード", "A", "B", 5),
    ),
    "a column before 作業": (_column_before_the_task, EVIDENCE_SHEET, ("作業", "B", "C", 3)),
}


@pytest.mark.parametrize(
    ("edit", "sheet", "expected"), COLUMN_INSERTED.values(), ids=COLUMN_INSERTED.keys()
)
def test_a_column_inserted_left_of_a_locked_one_is_told_once_as_such(
    calendar: RevisionCalendar,
    made: Path,
    tmp_path: Path,
    edit: Edit,
    sheet: str,
    expected: tuple[str, str, str, int],
) -> None:
    """A column a clerk inserts in the table (for 担当, say) moves the locked cells right of
    it: that is told once, at the header it moved, with the fix (delete the column), not
    as every locked cell of the sheet "changed" and the workbook to be filled in again."""
    (problem,) = _told(_merged(calendar, made, tmp_path, edit))
    header, sent, found, row = expected
    assert (problem.code, problem.sheet, problem.column, problem.line) == (
        "survey.header-moved",
        sheet,
        found,
        row,
    )
    assert f"{sent} 列にあった見出し「{header}」が {found} 列にあります" in problem.text("ja")
    assert "挿入した列を削除して" in problem.text("ja")
    assert f"sent in column {sent}, is in column {found}" in problem.text("en")


COLUMN_DELETED: dict[str, tuple[str, tuple[int, ...], str, str, int]] = {
    "業務システム": (READINESS_SHEET, (2,), "業務システム", "B", 5),
    "団体コード": (READINESS_SHEET, (1,), "団体コード", "A", 5),
    "団体コード and 業務システム": (READINESS_SHEET, (1, 1), "団体コード", "A", 5),
    "作業": (EVIDENCE_SHEET, (2,), "作業", "B", 3),
    "団体コード of 実施記録": (EVIDENCE_SHEET, (1,), "団体コード", "A", 3),
}


@pytest.mark.parametrize(
    ("sheet", "columns", "header", "letter", "row"),
    COLUMN_DELETED.values(),
    ids=COLUMN_DELETED.keys(),
)
def test_a_locked_column_deleted_is_told_once_as_such(
    calendar: RevisionCalendar,
    made: Path,
    tmp_path: Path,
    sheet: str,
    columns: tuple[int, ...],
    header: str,
    letter: str,
    row: int,
) -> None:
    """A locked column deleted (業務システム, or 団体コード; 作業 on the evidence sheet, whose
    header then names one locked column only) is told once at the header row, naming the
    column as sent: not as every locked cell of the sheet "changed"."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        for column in columns:
            (ws if sheet == READINESS_SHEET else ev).delete_cols(column)

    (problem,) = _told(_merged(calendar, made, tmp_path, edit))
    assert (problem.code, problem.sheet, problem.column, problem.line) == (
        "survey.column-deleted",
        sheet,
        None,
        row,
    )
    said = f"配布したときの {letter} 列「{header}」の列がありません（列を削除したようです）"
    assert said in problem.text("ja")
    assert f"the column '{header}', sent as column {letter}, is missing" in problem.text("en")


def test_a_row_below_an_earlier_version_s_workbook_is_told(
    calendar: RevisionCalendar, tmp_path: Path
) -> None:
    """A workbook whose hidden sheet does not keep its rows as sent (made by an earlier
    version): a row added below its table is told at its cell, not counted as left blank."""
    (root := tmp_path / "returned").mkdir()
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    for agency in load_agencies(agencies):
        write_survey(root / f"{agency.code}.xlsx", calendar, agency)
    path = root / f"{CITY}.xlsx"
    book = load_workbook(path)
    ws = book[READINESS_SHEET]
    ws["D6"] = "完了"
    _copy(ws, 7, 22, "ABC")
    book.save(path)
    (problem,) = _told(merge_survey(calendar, agencies, root))
    assert (problem.code, problem.sheet, problem.column, problem.line) == (
        "survey.row-not-sent",
        READINESS_SHEET,
        "A",
        22,
    )


def test_a_note_under_the_table_is_no_answer_and_is_said(
    calendar: RevisionCalendar, made: Path, tmp_path: Path
) -> None:
    """A general note typed in 備考 under the table (a row of no code, system and side) is
    no answer (merge reads no 備考): the workbook is merged as answered, and one warning
    says the note was not read, at its cell. (A note right of a row of the table is not
    read either, and needs no word: the row is read.)"""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        ws["F24"] = "全体として、7月中に完了の予定です"
        ws["H6"] = "担当: 情報政策課"

    with pytest.warns(InputWarning) as caught:
        merged = _merged(calendar, made, tmp_path, edit)
    assert not merged.refused
    assert CITY in {a.code for a in merged.replied}
    said = [w.message.problem for w in caught if isinstance(w.message, InputWarning)]
    assert [(p.code, p.sheet, p.column, p.line) for p in said] == [
        ("inputs.outside-table", READINESS_SHEET, "F", 24)
    ]
    assert "（最初は「全体として、7月中に完了の予定です」）" in said[0].text("ja")


def test_a_table_sorted_reads_as_sent_with_a_task_titled_with_spaces_around(
    tmp_path: Path,
) -> None:
    """A task whose title has spaces around it (as the calendar writes it, and the workbook
    keeps it): the table sorted, or moved down by a title typed above it, still reads as
    sent. (The hidden sheet's cells were read trimmed, so they no longer made its digest:
    merge took the workbook for one of an earlier version and refused every such edit as
    locked cells changed and a row not sent.)"""
    shipped = 'title_ja = "機関間試験を実施する（接続検証環境）"'
    title = " 機関間試験を実施する "
    text = calendar_path("2018-07").read_text("utf-8").replace(shipped, f'title_ja = "{title}"')
    (tmp_path / "calendar.toml").write_text(text, encoding="utf-8")
    (tmp_path / "agencies.csv").write_text(AGENCIES, encoding="utf-8")
    args = ["survey", "make", str(tmp_path / "calendar.toml"), "--as-of", "2018-05-01"]
    folder = tmp_path / "returned"
    assert main([*args, "--agencies", str(tmp_path / "agencies.csv"), "--out", str(folder)]) == 0
    path = folder / f"{CITY}.xlsx"
    book = load_workbook(path)
    ev = book[EVIDENCE_SHEET]
    assert ev["B4"].value == title
    ev["C4"] = dt.datetime(2018, 5, 24)
    _sorted(book[READINESS_SHEET], ev)
    _titled(book[READINESS_SHEET], ev)
    book.save(path)
    merged = merge_survey(parse_calendar(text), tmp_path / "agencies.csv", folder)
    assert not merged.refused
    assert [(e.code, e.task) for e in merged.evidence] == [(CITY, "inter-agency-test")]


def _said(caught: Iterable[warnings.WarningMessage]) -> list[Problem]:
    return [w.message.problem for w in caught if isinstance(w.message, InputWarning)]


@pytest.mark.parametrize(
    "note",
    [
        "完了",
        "済",
        "未着手",
        "対象外",
        "6月完了予定",
        "改修済み",
        "6/20",
        "7月中旬",
        dt.datetime(2018, 6, 20),
    ],
)
def test_a_status_typed_in_the_note_beside_a_blank_status_is_said_at_its_cell(
    calendar: RevisionCalendar, made: Path, tmp_path: Path, note: str | dt.datetime
) -> None:
    """A status (or a date) typed in 備考 with 状況 left blank is no answer, as merge reads
    no 備考, and the row counts as unanswered as before; but one warning says so at the
    note's cell, naming the blank status cell to choose it in: it was merged unsaid, and the
    clerk thought the row answered."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        ws["F9"] = note

    with pytest.warns(InputWarning) as caught:
        merged = _merged(calendar, made, tmp_path, edit)
    assert not merged.refused
    assert CITY in {a.code for a in merged.replied}
    assert merged.unanswered[CITY] == 16 - 3  # (rows 6 to 8 answered, 9 still not)
    said = [p for p in _said(caught) if p.code == "survey.note-as-status"]
    assert [(p.sheet, p.column, p.line) for p in said] == [(READINESS_SHEET, "F", 9)]
    assert "状況のセル D9 は空欄" in said[0].text("ja")
    assert "D9 の一覧" in said[0].text("ja")
    assert "the status cell D9 is blank" in said[0].text("en")


def test_notes_that_are_no_status_or_beside_a_status_are_not_said(
    calendar: RevisionCalendar, made: Path, tmp_path: Path
) -> None:
    """A note that names no status (a person in charge), one beside a status chosen, and a
    long message that happens to hold 完了 are notes, and need no word; several notes that
    read as a status are said once, at the first, with how many more."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        ws["F6"] = "完了"  # (beside 完了 in D6)
        ws["F9"] = "担当: 情報政策課 山田"
        ws["F10"] = "ベンダーとの契約が遅れたため、改修完了は7月以降になる見込みです"

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        merged = _merged(calendar, made, tmp_path, edit)
    assert not merged.refused
    assert not caught

    def several(ws: Worksheet, ev: Worksheet) -> None:
        for number in (10, 12, 15):
            ws[f"F{number}"] = "完了"

    with pytest.warns(InputWarning) as more:
        _merged(calendar, made, tmp_path / "several", several)
    (said,) = [p for p in _said(more) if p.code == "survey.note-as-status"]
    assert (said.line, said.column) == (10, "F")
    assert "（ほかに 2 か所）" in said.text("ja")


def _hidden_code(ws: Worksheet, ev: Worksheet) -> None:
    book = ws.parent
    assert book is not None
    meta = book[META_SHEET]
    (row,) = [r for r in range(1, meta.max_row + 1) if meta[f"A{r}"].value == "code"]
    meta[f"B{row}"] = "312029"


def test_the_hidden_sheet_s_code_written_over_is_told_at_its_cell(
    calendar: RevisionCalendar, made: Path, tmp_path: Path
) -> None:
    """The hidden sheet's code changed (to another agency's of the registry) is told at its
    cell, with what it held when sent (its code cells, as the hidden sheet keeps them) and
    to use the workbook as sent: it was told only as a file named after another agency, the
    workbook refused as that agency's, and the city listed as no reply."""
    merged = _merged(calendar, made, tmp_path, _hidden_code)
    (problem,) = _told(merged)
    assert (problem.code, problem.sheet, problem.column, problem.line) == (
        "survey.hidden-changed",
        META_SHEET,
        "B",
        3,
    )
    assert (problem.params["found"], problem.params["written"]) == ("312029", CITY)
    assert CITY not in {a.code for a in merged.no_reply}
    assert "「312011」、いまは「312029」" in problem.text("ja")
    assert "held '312011' when sent, and now holds '312029'" in problem.text("en")
    assert "cutover survey make" in problem.text("en")


def test_the_hidden_sheet_s_digest_written_over_is_told_at_its_cell(
    calendar: RevisionCalendar, made: Path, tmp_path: Path
) -> None:
    """The hidden sheet's ``locked`` value written over, the locked cells as sent, is told
    at its cell with the value it held: it was told as locked cells changed, which none was."""
    sent = load_workbook(made / "survey" / f"{CITY}.xlsx")[META_SHEET]
    (row,) = [r for r in range(1, sent.max_row + 1) if sent[f"A{r}"].value == "locked"]

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        book = ws.parent
        assert book is not None
        book[META_SHEET][f"B{row}"] = "0000"

    (problem,) = _told(_merged(calendar, made, tmp_path, edit))
    assert (problem.code, problem.sheet, f"{problem.column}{problem.line}") == (
        "survey.hidden-changed",
        META_SHEET,
        f"B{row}",
    )
    assert (problem.params["found"], problem.params["written"]) == ("0000", sent[f"B{row}"].value)


@pytest.mark.parametrize(
    ("sheet", "cell", "header", "sent"),
    [
        (READINESS_SHEET, "D5", "状況（選択してください）", "状況"),
        (READINESS_SHEET, "E5", "完了予定日（yyyy/m/d）", "完了予定日"),
        (READINESS_SHEET, "D5", None, "状況"),
        (EVIDENCE_SHEET, "C3", "実施日（記入）", "実施日"),
        (EVIDENCE_SHEET, "D3", "メモ欄", "内容"),
    ],
)
def test_a_header_of_a_column_read_written_over_is_told_at_its_cell(
    calendar: RevisionCalendar,
    made: Path,
    tmp_path: Path,
    sheet: str,
    cell: str,
    header: str | None,
    sent: str,
) -> None:
    """A header of a column merge reads, renamed or cleared, is told at its cell with what
    it holds and what it must hold: it was told as a column missing from the header row
    (no cell), or, for 完了予定日, not at all (the dates beside 完了 dropped unsaid)."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        (ws if sheet == READINESS_SHEET else ev)[cell] = header

    (problem,) = _told(_merged(calendar, made, tmp_path, edit))
    assert (problem.code, problem.sheet, f"{problem.column}{problem.line}") == (
        "survey.header-renamed",
        sheet,
        cell,
    )
    assert problem.params == {"found": header or "", "header": sent}
    assert f"「{sent}」と入力し直して" in problem.text("ja")
    assert f"type '{sent}' back into this cell" in problem.text("en")


@pytest.mark.parametrize(("cell", "header"), [("D5", "対応状況"), ("F5", "連絡事項")])
def test_a_header_renamed_to_a_name_read_as_it_reads_as_sent(
    calendar: RevisionCalendar, made: Path, tmp_path: Path, cell: str, header: str
) -> None:
    """A header renamed to another name of its column (対応状況), or 備考's (not read),
    reads as sent: the workbook merges."""

    def edit(ws: Worksheet, ev: Worksheet) -> None:
        ws[cell] = header

    merged = _merged(calendar, made, tmp_path, edit)
    assert not merged.refused
    assert CITY in {a.code for a in merged.replied}
