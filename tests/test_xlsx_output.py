"""The workbooks cutover writes (`cutover.render.xlsx`), read back with openpyxl as Excel
would: codes as text, dates as dates shown in Japanese, headers frozen and filtered, no cell a
formula, the same bytes for the same input; the format chosen by -o's extension; and every
CSV output starting with a BOM."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from workbooks import ready_registry

from cutover import build_timeline, cutoff_rule, load_calendar, triage_file
from cutover.cli.main import main
from cutover.errors import CutoverError
from cutover.i18n.catalogue import Lang, text
from cutover.render import xlsx
from cutover.render.plan import CSV_COLUMNS
from cutover.render.sheetlayout import display_width, page_header
from cutover.render.xlsx import Book

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"
AS_OF = "2018-06-25"
#: A registry of 北海道, whose codes start with a zero that Excel would drop.
HOKKAIDO = """code,name,kind,test_requested,provides,new_delegations
010006,北海道,prefecture,yes,21,
011002,札幌市,municipality,yes,2 8 21 52,
012025,函館市,municipality,no,2 8 52,
"""
#: 札幌市 reports one system not started and nothing else; 函館市 reports nothing.
HOKKAIDO_READINESS = """code,system,side,status,planned
010006,local-tax,provision,done,
011002,local-tax,query,未着手,
"""


def _example(*more: str) -> list[str]:
    files = ("agencies", "readiness", "evidence", "queries")
    given = [arg for name in files for arg in (f"--{name}", str(EXAMPLE / f"{name}.csv"))]
    return [*given, "--as-of", AS_OF, *more]


def _rows(ws: Worksheet) -> list[tuple[object, ...]]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


@pytest.fixture
def hokkaido(tmp_path: Path) -> list[str]:
    """Return the registry arguments of the 北海道 registry, written under `tmp_path`."""
    (tmp_path / "agencies.csv").write_text(HOKKAIDO, encoding="utf-8")
    (tmp_path / "readiness.csv").write_text(HOKKAIDO_READINESS, encoding="utf-8")
    return [
        "--agencies",
        str(tmp_path / "agencies.csv"),
        "--readiness",
        str(tmp_path / "readiness.csv"),
        "--as-of",
        AS_OF,
    ]


def test_plan_workbook(tmp_path: Path, hokkaido: list[str]) -> None:
    """The plan workbook: Japanese sheet and headers, codes as text with their zero, dates
    as date cells shown in Japanese, the header frozen and filtered, the flags, readiness
    and planned date of each task, columns sized for Japanese."""
    out = tmp_path / "plan.xlsx"
    assert main(["plan", "2018-07", *hokkaido, "--format", "xlsx", "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["計画"]
    ws = book["計画"]
    rows = _rows(ws)
    assert rows[0][:4] == ("団体コード", "団体名", "種別", "作業ID")
    assert rows[0][-3:] == ("指摘", "改修状況（報告）", "完了予定日")
    assert {row[0] for row in rows[1:]} == {"010006", "011002", "012025"}
    assert ws["A2"].data_type == "s"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:M{len(rows)}"
    due = ws["G2"]
    assert isinstance(due.value, dt.datetime)
    assert due.number_format == '[$-411]yyyy"年"m"月"d"日"(aaa)'
    sapporo = {row[3]: row for row in rows if row[0] == "011002"}
    local_tax = sapporo["modify-query:local-tax"]
    assert local_tax[-1] is None  # (not started: no planned date)
    assert local_tax[-2] == "未着手"
    assert "照会側の改修が改版までに完了しない" in str(local_tax[-3])
    assert "改修状況の報告がない" in str(sapporo["modify-query:health"][-3])
    assert "改修状況の報告がない" not in str(local_tax[-3])
    # (The title column holds Japanese: twice as wide as its characters.)
    assert ws.column_dimensions["E"].width >= display_width(str(rows[1][4]))


def test_plan_workbook_in_english(tmp_path: Path) -> None:
    """With --lang en the sheet, headers and values are English, dates ISO with the day."""
    out = tmp_path / "plan.xlsx"
    assert main(["plan", "2018-07", *_example("--lang", "en", "-o", str(out))]) == 0
    ws = openpyxl.load_workbook(out)["plan"]
    assert _rows(ws)[0][:3] == ("code", "name", "kind")
    assert ws["C2"].value == "prefecture"
    assert ws["G2"].number_format == "yyyy-mm-dd (ddd)"


def test_the_same_bytes_whatever_the_clock(tmp_path: Path) -> None:
    """A workbook's archive carries one fixed time and its properties the as-of date: the
    same input gives the same bytes."""
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (first, second):
        assert main(["summary", "2018-07", *_example("-o", str(out))]) == 0
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert f"{AS_OF}T00:00:00Z" in core
    assert openpyxl.load_workbook(first).properties.modified == dt.datetime(2018, 6, 25)


def test_no_cell_is_a_formula(tmp_path: Path) -> None:
    """A value that a spreadsheet would run as a formula is a text cell, marked as text,
    and the workbook holds no formula; control characters are written escaped."""
    book = Book("ja", dt.date(2018, 6, 25))
    values = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-1+2", "@SUM(A1)", "a\x01b"]
    book.table("t", ["値"], [(v,) for v in values])
    path = tmp_path / "t.xlsx"
    path.write_bytes(book.bytes())
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    ws = openpyxl.load_workbook(path)["t"]
    cells = [ws.cell(row=k, column=1) for k in range(2, 7)]
    assert [c.value for c in cells] == [*values[:4], "a\\x01b"]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells[:4])


def test_triage_workbook(tmp_path: Path) -> None:
    """Triage as a workbook: in Japanese, sorted by due date, each row with the agency that
    acts and its role; the rejected rows with their line and query id (a personal number
    masked); the duplicated ids."""
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "query_id,querier,provider,item,requested,status\n"
        "Q1,318035,312011,2,2018-07-02,pending\n"
        "Q2,318035,312011,2,2018-06-20,pending\n"
        "Q3,318035,312011,2,someday,pending\n"
        "621498320257,318035,312011,2,2018-06-21,pending\n"
        "Q2,318035,312029,21,2018-06-21,pending\n",
        encoding="utf-8",
    )
    out = tmp_path / "t.xlsx"
    args = ["triage", "2018-07", "--queries", str(queries), "--as-of", "2018-07-03"]
    assert main([*args, "--agencies", str(EXAMPLE / "agencies.csv"), "-o", str(out)]) == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["要対応の照会", "読めない行", "重複した照会番号"]
    rows = _rows(book["要対応の照会"])
    # (The CSV's words for the columns they share, and the source's for the roles.)
    assert rows[0][:6] == ("期限", "処置", "団体コード", "団体名", "役割", "照会番号")
    assert rows[0][6:11] == ("情報照会者", "情報提供者", "特定個人情報", "受付日時", "状態")
    assert [r[5] for r in rows[1:]] == ["Q2", "Q2"]
    assert {r[4] for r in rows[1:]} == {"情報照会者"}
    assert {r[2] for r in rows[1:]} == {"318035"}
    assert rows[1][3] == "鳥取県後期高齢者医療広域連合"
    dues = [str(r[0]) for r in rows[1:]]  # (ISO: sorted as the dates)
    assert dues == sorted(dues)
    rejected = _rows(book["読めない行"])
    assert rejected[0] == ("ファイル", "行", "照会番号", "内容")
    assert [r[:3] for r in rejected[1:]] == [
        (str(queries), 4, "Q3"),
        (str(queries), 5, "6214********"),
    ]
    assert "621498320257" not in str(rejected)
    assert _rows(book["重複した照会番号"])[1] == ("Q2", "3、6")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_table_longer_than_a_sheet_says_how_to_write_it(
    tmp_path: Path,
    lang: Lang,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A triage with more rows to act on than a sheet holds (Excel's 1,048,576, here made
    3) writes no workbook and says, in one line, which sheet and how to write it: the
    command names its option, a program the function's parameter."""
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    out = tmp_path / "triage.xlsx"
    args = ["triage", "2018-07", "--queries", str(EXAMPLE / "queries.csv"), "--as-of", AS_OF]
    assert main([*args, "--lang", lang, "-o", str(out)]) == 1
    said = capsys.readouterr().err.strip()
    sheet = text("xlsx.sheet-triage", lang)
    assert said.count("\n") == 0
    assert sheet in said
    assert ("--format を csv に" if lang == "ja" else "set --format to csv") in said
    assert "write_triage" not in said
    assert not out.exists()

    rule = cutoff_rule(build_timeline(load_calendar("2018-07")))
    book = xlsx.TriageBook(as_of=dt.date.fromisoformat(AS_OF), lang=lang)
    report = triage_file(EXAMPLE / "queries.csv", rule, book.as_of, on_action=book.write)
    with report, pytest.raises(CutoverError) as raised:
        book.finish(report)
    message = raised.value.problems[0].text(lang)
    assert sheet in message
    assert "write_triage(fmt)" in message
    assert "--format" not in message


def test_summary_workbook(tmp_path: Path, hokkaido: list[str]) -> None:
    """The coordinator's workbook: the survey table, the readiness matrix (agency × side ×
    system) and the agencies to chase: no reply, not ready, hearing candidates."""
    out = tmp_path / "summary.xlsx"
    assert main(["summary", "2018-07", *hokkaido, "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["集計", "改修状況", "督促先"]
    summary = _rows(book["集計"])
    assert ("情報照会に係る対応状況", "未対応団体数", 1, 0, 0, 0, 0, 0, 0, 0) in summary
    matrix = _rows(book["改修状況"])
    assert matrix[0] == (
        "団体コード",
        "団体名",
        "種別",
        "区分",
        "業務システム",
        "改修状況（報告）",
        "完了予定日",
        "状況",
        "完了日",
        "指摘",
    )
    assert len(matrix) == 1 + 3 * 2 * 8
    sapporo = [r for r in matrix if r[0] == "011002" and r[3] == "情報照会" and r[4] == "地方税務"]
    assert sapporo[0][5] == "未着手"
    chase = _rows(book["督促先"])
    assert chase[0] == (
        "団体コード",
        "団体名",
        "種別",
        "督促の理由",
        "不足しているもの",
        "期限",
        "詳細",
    )
    why = {(r[0], r[3]) for r in chase[1:]}
    assert ("012025", "回答なし") in why
    assert ("011002", "改修が間に合わない") in why
    assert ("010006", "回答なし") in why
    codes = [str(r[0]) for r in chase[1:]]
    assert codes == sorted(codes)
    # The facts above the table read as one column: dates and counts at the left of their
    # cells, as the texts are (a date stood at the right, out of line with the rest).
    facts = book["集計"]
    dates = [c for (c,) in facts.iter_rows(min_col=2, max_col=2, max_row=6) if c.data_type == "d"]
    assert len(dates) == 2
    assert all(c.alignment.horizontal == "left" for c in dates)


def test_an_agency_whose_planned_day_passed_undone_is_to_chase(tmp_path: Path) -> None:
    """鳥取県's example on 6/28: 米子市 (312029) reported its health system's query side planned for
    6/27 and has not reported it done. Ready in time by its report, it was on no list; it is
    to chase, with the task and its own date (§3: 「現在の予定どおり…必ず対応」)."""
    out = tmp_path / "summary.xlsx"
    given = ["--agencies", str(EXAMPLE / "agencies.csv")]
    given += ["--readiness", str(EXAMPLE / "readiness.csv"), "--as-of", "2018-06-28"]
    assert main(["summary", "2018-07", *given, "-o", str(out)]) == 0
    chase = _rows(openpyxl.load_workbook(out)["督促先"])
    (row,) = [r for r in chase if r[3] == "完了予定日を過ぎた"]
    assert row[:5] == (
        "312029",
        "米子市",
        "市区町村",
        "完了予定日を過ぎた",
        "情報照会に係るシステム改修を完了する（健康管理）",
    )
    assert "完了予定日（平成30年6月27日（水））を過ぎたが" in str(row[6])
    # Its due date (6/29, the day before the revision) is the calendar's assumption (§3 says
    # only 「改版までに」): the sheet says so, as the page marks it ※.
    assert "完了の報告がない。※期限は仮定（資料に日付なし）: §3は" in str(row[6])
    # The summary page and its JSON list the same entries, in the same order: one list.
    page, data = tmp_path / "summary.md", tmp_path / "summary.json"
    assert main(["summary", "2018-07", *given, "-o", str(page)]) == 0
    assert main(["summary", "2018-07", *given, "--format", "json", "-o", str(data)]) == 0
    tokens = MarkdownIt("commonmark").enable("table").parse(page.read_text(encoding="utf-8"))
    heading = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "督促先")
    start = next(i for i in range(heading, len(tokens)) if tokens[i].type == "table_open")
    end = next(i for i in range(start, len(tokens)) if tokens[i].type == "table_close")
    cells = [t.content for t in tokens[start:end] if t.type == "inline"]
    table = [tuple(cells[k : k + 6]) for k in range(0, len(cells), 6)]
    assert table[0] == ("団体コード", "団体名", "種別", "督促の理由", "不足しているもの", "期限")
    assert [r[:5] for r in table[1:]] == [r[:5] for r in chase[1:]]
    listed = json.loads(data.read_text(encoding="utf-8"))["chase"]
    assert [(c["code"], c["reason_text"], c["missing"], c["detail"]) for c in listed] == [
        (r[0], r[3], r[4], r[6]) for r in chase[1:]
    ]
    assert {c["reason"] for c in listed} == {"not-ready", "plan-passed", "hearing", "at-risk"}
    # A due date the calendar assumes says so on the page, as on the sheet's detail.
    hearings = [r for r in table if r[3] == "ヒアリング候補"]
    assert hearings
    assert {r[5] for r in hearings} == {"平成30年6月22日（金） ※"}
    assert [r[5] for r in table if r[3] == "完了予定日を過ぎた"] == ["平成30年6月29日（金） ※"]
    assert "※ は資料に日付がなく、カレンダーが仮定した期限。" in page.read_text(encoding="utf-8")


def test_summary_workbook_of_one_prefecture(tmp_path: Path) -> None:
    """With --prefecture, the matrix and the agencies to chase are that prefecture's."""
    out = tmp_path / "s.xlsx"
    assert main(["summary", "2018-07", *_example("--prefecture", "31", "-o", str(out))]) == 0
    matrix = _rows(openpyxl.load_workbook(out)["改修状況"])
    assert {str(r[0])[:2] for r in matrix[1:]} == {"31"}
    chase = _rows(openpyxl.load_workbook(out)["督促先"])
    assert ("312045", "ヒアリング候補") in {(r[0], r[3]) for r in chase}


def says_no_row(ws: Worksheet) -> str:
    """Return the sentence a table with no row says under its header, having checked that
    it spans the table's columns, prints (the print area is the header and it) and is wide
    enough to read on one line, outside the filter."""
    rows = _rows(ws)
    assert len(rows) == 2, rows
    last = get_column_letter(len(rows[0]))
    assert [str(r) for r in ws.merged_cells.ranges] == ([f"A2:{last}2"] if last != "A" else [])
    assert ws.print_area == f"'{ws.title}'!$A$1:${last}$2"
    width = sum(
        ws.column_dimensions[get_column_letter(c)].width for c in range(1, len(rows[0]) + 1)
    )
    words = str(rows[1][0])
    assert width >= display_width(words) + 2
    assert ws.auto_filter.ref == f"A1:{last}1"  # (the sentence is not a row to filter)
    return words


@pytest.mark.parametrize(
    ("lang", "sheet", "words"),
    [("ja", "督促先", "督促先はない。"), ("en", "to chase", "No agency to chase.")],
)
def test_no_agency_to_chase_says_so(tmp_path: Path, lang: str, sheet: str, words: str) -> None:
    """With no agency to chase, the 督促先 sheet says so under its header, in the summary
    page's words, across the table's columns and inside what prints: a sheet printed with
    its header alone could as well be a run that failed."""
    given = [*ready_registry(tmp_path), "--as-of", AS_OF]
    page = tmp_path / "summary.md"
    assert main(["summary", "2018-07", *given, "--lang", lang, "-o", str(page)]) == 0
    assert page.read_text(encoding="utf-8").endswith(f"\n{words}\n")
    out = tmp_path / "summary.xlsx"
    assert main(["summary", "2018-07", *given, "--lang", lang, "-o", str(out)]) == 0
    assert says_no_row(openpyxl.load_workbook(out)[sheet]) == words


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_empty_triage_or_hearings_sheet_says_so(tmp_path: Path, lang: Lang) -> None:
    """A triage with nothing to act on, no rejected row and no query id twice, and hearings
    with no agency on either list, write sheets that say so under their headers (the
    hearings in their page's words, 該当なし。): each printed as its header alone."""
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "query_id,querier,provider,item,requested,status\n"
        "Q1,011002,010006,8,2018-06-20T09:00:00,pending\n",
        encoding="utf-8",
    )
    out = tmp_path / "triage.xlsx"
    args = ["triage", "2018-07", "--queries", str(queries), "--as-of", AS_OF, "--lang", lang]
    assert main([*args, "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    words = [says_no_row(ws) for ws in book.worksheets]
    expected = [text(f"xlsx.{n}", lang) for n in ("no-triage-rows", "no-rejected-rows")]
    assert words == [*expected, text("xlsx.no-duplicates", lang)]
    given = [*ready_registry(tmp_path), "--as-of", "2018-07-02", "--lang", lang]
    page, out = tmp_path / "hearings.md", tmp_path / "hearings.xlsx"
    assert main(["hearings", "2018-07", *given, "-o", str(page)]) == 0
    assert text("hearings.none", lang) in page.read_text(encoding="utf-8")
    assert main(["hearings", "2018-07", *given, "-o", str(out)]) == 0
    (sheet,) = openpyxl.load_workbook(out).worksheets
    assert says_no_row(sheet) == text("hearings.none", lang)
    # With rows, a sheet holds them and no sentence (the example's triage rejects none).
    example = tmp_path / "example.xlsx"
    args = ["triage", "2018-07", "--queries", str(EXAMPLE / "queries.csv"), "--as-of", AS_OF]
    assert main([*args, "--lang", lang, "-o", str(example)]) == 0
    acted_on, *empty, notes = openpyxl.load_workbook(example).worksheets
    assert acted_on.max_row > 2
    assert not acted_on.merged_cells.ranges
    assert [says_no_row(ws) for ws in empty] == words[1:]
    # (Its queries in error point to the §10–§12 note, on a last sheet of its own.)
    assert notes.title == text("xlsx.sheet-notes", lang)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_summary_without_findings_says_so(lang: Lang) -> None:
    """The 集計 sheet of a summary with no finding says so under the findings' header, in
    the page's words (指摘はない。): the header alone read as a table the run left empty."""
    import attrs

    from cutover.cli.demo import load_example, plan_example
    from cutover.planning.hearings import hearings
    from cutover.planning.summary import summarize
    from cutover.render.xlsx import summary_xlsx

    the_plan = plan_example(load_example())
    summary = attrs.evolve(summarize(the_plan), flags=())
    book = openpyxl.load_workbook(
        io.BytesIO(summary_xlsx(summary, the_plan, hearings(the_plan), lang=lang))
    )
    rows = [r for r in _rows(book.worksheets[0]) if any(v is not None for v in r)]
    header = tuple(
        text(f"xlsx.header-{n}", lang) for n in ("flag", "flag-code", "severity", "count")
    )
    assert rows[-2][:4] == header
    assert rows[-1][0] == text("summary.no-flags", lang)
    assert summarize(the_plan).flags  # (the example's own summary has findings, in a table)


def test_no_markdown_marks_in_a_cell(tmp_path: Path) -> None:
    """The summary workbook's facts show their text as the page does, without the
    Markdown code marks the Markdown page uses (「`cutover hearings` の2つの一覧」)."""
    for lang, words in (("ja", "cutover hearings の2つの一覧"), ("en", "cutover hearings")):
        out = tmp_path / f"summary-{lang}.xlsx"
        assert main(["summary", "2018-07", *_example("--lang", lang, "-o", str(out))]) == 0
        cells = [str(v) for row in _rows(openpyxl.load_workbook(out).worksheets[0]) for v in row]
        assert not [cell for cell in cells if "`" in cell]
        assert any(words in cell for cell in cells)


def test_an_assumed_due_date_to_chase_says_so(tmp_path: Path) -> None:
    """On the 督促先 sheet, a hearing candidate whose due date the calendar assumed (境港市's
    test, the window's end 6/22 has no date in the source) says so beside the date, as the
    hearings list does: a coordinator does not chase a date the ministry never gave."""
    out = tmp_path / "s.xlsx"
    assert main(["summary", "2018-07", *_example("-o", str(out))]) == 0
    chase = _rows(openpyxl.load_workbook(out)["督促先"])
    (row,) = [r for r in chase if (r[0], r[3]) == ("312045", "ヒアリング候補")]
    assert row[5] == dt.datetime(2018, 6, 22)
    assert str(row[6]).startswith("実施の記録なし")
    assert "※期限は仮定（資料に日付なし）" in str(row[6])


def test_hearings_workbook(tmp_path: Path) -> None:
    """The hearings list: candidates, then agencies at risk, each row saying which."""
    out = tmp_path / "h.xlsx"
    assert main(["hearings", "2018-07", *_example("-o", str(out))]) == 0
    rows = _rows(openpyxl.load_workbook(out)["ヒアリング"])
    assert rows[0][:4] == ("一覧", "都道府県コード", "都道府県", "団体コード")
    lists = [str(r[0]) for r in rows[1:]]
    assert lists == sorted(lists, key=["ヒアリング候補", "期限前で未完了"].index)
    assert "ヒアリング候補" in lists
    # The at-risk list has the name the Markdown page and the summary give it.
    assert "期限前で未完了" in lists


def test_a_window_open_on_its_closed_last_day_is_not_overdue_in_a_workbook(
    tmp_path: Path,
) -> None:
    """On Saturday 6/30 the registration window and the modifications (due Friday 6/29, their
    written end 6/30) are still open: the plan, hearings and summary workbooks say the last
    business day has passed, as the checklists and the hearings page do — not 期限超過, which
    put agencies still in time, listed as at risk, under a word that says they are late."""
    (tmp_path / "agencies.csv").write_text(HOKKAIDO, encoding="utf-8")
    (tmp_path / "readiness.csv").write_text(HOKKAIDO_READINESS, encoding="utf-8")
    given = [
        "--agencies",
        str(tmp_path / "agencies.csv"),
        "--readiness",
        str(tmp_path / "readiness.csv"),
        "--as-of",
        "2018-06-30",
    ]
    passed = "最終の開庁日は過ぎた（平成30年6月30日（土）まで）"
    for command, sheet, task_column in (
        ("plan", "計画", "作業ID"),
        ("hearings", "ヒアリング", "作業ID"),
    ):
        out = tmp_path / f"{command}.xlsx"
        assert main([command, "2018-07", *given, "-o", str(out)]) == 0
        rows = _rows(openpyxl.load_workbook(out)[sheet])
        header = rows[0]
        status = header.index("状況")
        task = header.index(task_column)
        registrations = [r for r in rows[1:] if str(r[task]).startswith("register:")]
        assert registrations
        assert {r[status] for r in registrations} == {passed}, command
    out = tmp_path / "summary.xlsx"
    assert main(["summary", "2018-07", *given, "-o", str(out)]) == 0
    rows = _rows(openpyxl.load_workbook(out)["改修状況"])
    status = rows[0].index("状況")
    # (北海道's provision side of local tax is reported done.)
    assert {r[status] for r in rows[1:]} == {passed, "完了"}


# --- on paper ------------------------------------------------------------------------------


def _printed_width(ws: Worksheet) -> float:
    """Return how wide the sheet's columns are, in Excel's units (8.43 when not sized)."""
    letters = (get_column_letter(c) for c in range(1, ws.max_column + 1))
    found = (ws.column_dimensions.get(letter) for letter in letters)
    return sum(d.width if d is not None else 8.43 for d in found)


def test_every_sheet_prints_on_a4_one_page_wide(tmp_path: Path) -> None:
    """Every sheet of every workbook prints on A4 with all its columns on one page wide
    (landscape when they are wider than a portrait page) and its header on every page: a
    coordinator who prints the summary gets the table, not 32 pages of cut-off columns. A
    table too wide for that to be legible (tests/test_print.py) prints a few pages wide,
    across then down, the agency's code and name repeated on each."""
    books = {
        "summary": ["summary", "2018-07", *_example("-o", str(tmp_path / "summary.xlsx"))],
        "plan": ["plan", "2018-07", *_example("-o", str(tmp_path / "plan.xlsx"))],
        "hearings": ["hearings", "2018-07", *_example("-o", str(tmp_path / "hearings.xlsx"))],
        "triage": [
            "triage",
            "2018-07",
            *("--queries", str(EXAMPLE / "queries.csv"), "--as-of", "2018-06-29"),
            *("-o", str(tmp_path / "triage.xlsx")),
        ],
    }
    for args in books.values():
        assert main(args) == 0
    survey = ["--agencies", str(EXAMPLE / "agencies.csv"), "--as-of", "2018-05-01"]
    assert main(["survey", "make", "2018-07", *survey, "--out", str(tmp_path / "s")]) == 0
    paths = [tmp_path / f"{name}.xlsx" for name in books] + [tmp_path / "s" / "312045.xlsx"]
    found: set[str] = set()  # (the workbooks with a sheet printed more than one page wide)
    for path in paths:
        for ws in openpyxl.load_workbook(path).worksheets:
            if ws.sheet_state != "visible":
                continue
            where = f"{path.name}!{ws.title}"
            setup = ws.page_setup
            assert str(setup.paperSize) == "9", where  # (A4)
            margins = ws.page_margins  # (Excel's 「狭い」: the most room for the columns)
            assert (margins.left, margins.right, margins.top, margins.bottom) == (
                0.25,
                0.25,
                0.75,
                0.75,
            ), where
            fit = ws.sheet_properties.pageSetUpPr
            assert fit is not None, where
            assert fit.fitToPage, where
            assert str(setup.fitToHeight) == "0", where
            if str(setup.fitToWidth) != "1":
                assert int(str(setup.fitToWidth)) <= 4, where
                assert setup.pageOrder == "overThenDown", where
                assert ws.print_title_cols is not None, where
                found.add(path.name)
            wide = _printed_width(ws) > 90
            assert setup.orientation == ("landscape" if wide else "portrait"), where
            if ws.freeze_panes is not None:
                header = int(ws.freeze_panes[1:]) - 1
                assert ws.print_title_rows == f"$1:${header}", where
    assert found == {"plan.xlsx", "hearings.xlsx", "summary.xlsx", "triage.xlsx"}


def test_a_long_text_wraps_in_its_column(tmp_path: Path) -> None:
    """A text longer than its column (a triage reason, a hearing's notes) wraps in it, its
    row high enough for its lines: on paper it is read whole in its column, instead of
    running on to the right and the page, fit to one page wide, shrinking to take it in.
    No row's height is marked as set by hand (``customHeight``): Excel fits each such row
    to its text in its own fonts when it opens the workbook (every row was fixed at 18
    points a line, two lines too high for a reason of 15)."""
    triage = ["triage", "2018-07", "--queries", str(EXAMPLE / "queries.csv")]
    runs = {
        "triage.xlsx": [*triage, "--as-of", "2018-06-29"],
        "hearings.xlsx": ["hearings", "2018-07", *_example()[:-2], "--as-of", "2018-07-02"],
    }
    long_texts = 0
    for name, args in runs.items():
        assert main([*args, "-o", str(tmp_path / name)]) == 0
        for ws in openpyxl.load_workbook(tmp_path / name).worksheets:
            # (A text across merged cells, a sheet's "no row" sentence, has their width.)
            merged = {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges}
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if not isinstance(cell.value, str):
                        continue
                    last = merged.get((cell.row, cell.column), cell.column)
                    width = sum(
                        ws.column_dimensions[get_column_letter(c)].width
                        for c in range(cell.column, last + 1)
                    )
                    if display_width(cell.value) <= width:
                        continue
                    long_texts += 1
                    where = f"{name}!{cell.coordinate}"
                    assert cell.alignment.wrap_text, where
                    lines = -(-display_width(cell.value) // int(width))
                    assert (ws.row_dimensions[cell.row].height or 0) >= 15 * lines, where
        with zipfile.ZipFile(tmp_path / name) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
            rows = [r for n in sheets for r in re.findall(r"<row [^>]*>", archive.read(n).decode())]
        assert [r for r in rows if " ht=" in r], name
        assert [r for r in rows if "customHeight" in r] == [], name
    assert long_texts >= 10


def test_the_survey_table_headers_fit_their_columns(tmp_path: Path) -> None:
    """On the 集計 sheet, each business system's header (地方税務 システム関係) wraps at its
    space in a column as wide as its widest word and each count: the table written below it
    (the flag counts) does not narrow the columns to its own values."""
    out = tmp_path / "summary.xlsx"
    assert main(["summary", "2018-07", *_example("-o", str(out))]) == 0
    ws = openpyxl.load_workbook(out)["集計"]
    first = "地方税務 システム関係"
    at = next(k for k, row in enumerate(ws.iter_rows(), 1) if row[2].value == first)
    assert (ws.row_dimensions[at].height or 0) >= 30  # (two lines)
    for column in range(3, 11):
        cell = ws.cell(row=at, column=column)
        width = ws.column_dimensions[get_column_letter(column)].width
        words = str(cell.value).split()
        assert len(words) == 2, cell.value
        assert width >= max(map(display_width, words)), (cell.coordinate, width)
        assert cell.alignment.wrap_text, cell.coordinate
    for (cell,) in ws.iter_rows(min_col=4, max_col=4):
        if cell.value is not None and cell.row != at:
            width = ws.column_dimensions["D"].width
            assert width >= display_width(str(cell.value)), (cell.coordinate, cell.value)


# --- the format and the target -------------------------------------------------------------


def test_format_from_the_extension(tmp_path: Path) -> None:
    """Without --format, -o's extension chooses the format when the command offers it; an
    extension that contradicts a --format given is a usage error, as before."""
    assert main(["plan", "2018-07", *_example("-o", str(tmp_path / "p.xlsx"))]) == 0
    assert zipfile.is_zipfile(tmp_path / "p.xlsx")
    assert main(["plan", "2018-07", *_example("-o", str(tmp_path / "p.csv"))]) == 0
    assert (tmp_path / "p.csv").read_text(encoding="utf-8-sig").startswith("code,name,")
    assert main(["plan", "2018-07", *_example("-o", str(tmp_path / "p.txt"))]) == 0
    assert (tmp_path / "p.txt").read_text(encoding="utf-8").startswith("{")
    given = ["--format", "json", "-o", str(tmp_path / "q.xlsx")]
    assert main(["plan", "2018-07", *_example(*given)]) == 2
    assert not (tmp_path / "q.xlsx").exists()


def test_no_workbook_on_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    """A workbook is never written to standard output: a usage error that says to use -o."""
    assert main(["summary", "2018-07", *_example("--format", "xlsx")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "cutover: --format xlsx のブックは標準出力には書き出せません — "
        "-o FILE.xlsx で保存先のファイル名を指定してください\n"
    )


def test_a_workbook_replaces_a_file_atomically(tmp_path: Path) -> None:
    """A workbook over an existing file replaces it whole, keeping its permissions."""
    out = tmp_path / "p.xlsx"
    out.write_bytes(b"old")
    out.chmod(0o640)
    assert main(["plan", "2018-07", *_example("-o", str(out))]) == 0
    assert zipfile.is_zipfile(out)
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["p.xlsx"]


# --- CSV for Excel ---------------------------------------------------------------------------


def test_every_csv_starts_with_a_bom(tmp_path: Path) -> None:
    """Every CSV written to a file starts with a UTF-8 BOM, so that Excel reads Japanese."""
    commands = {
        "plan": ["plan", "2018-07", *_example()],
        "triage": ["triage", "2018-07", "--queries", str(EXAMPLE / "queries.csv")],
        "hearings": ["hearings", "2018-07", *_example()],
        "summary": ["summary", "2018-07", *_example()],
    }
    for name, args in commands.items():
        out = tmp_path / f"{name}.csv"
        if name == "triage":
            args = [*args, "--as-of", AS_OF]
        assert main([*args, "--format", "csv", "-o", str(out)]) == 0, name
        assert out.read_bytes().startswith(b"\xef\xbb\xbf"), name
    init = tmp_path / "agencies.csv"
    assert main(["init", "--prefecture", "01", "-o", str(init)]) == 0
    assert init.read_bytes().startswith(b"\xef\xbb\xbfcode,name,")


def test_plan_csv_ends_with_the_new_columns(tmp_path: Path, hokkaido: list[str]) -> None:
    """The plan CSV keeps its columns first and ends with flags, readiness and planned."""
    assert CSV_COLUMNS[:10] == (
        "code",
        "name",
        "kind",
        "task",
        "title",
        "start",
        "due",
        "status",
        "done_on",
        "section",
    )
    assert CSV_COLUMNS[10:] == ("flags", "readiness", "planned")
    out = tmp_path / "p.csv"
    assert main(["plan", "2018-07", *hokkaido, "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    row = next(
        line
        for line in lines
        if line.startswith("011002,札幌市,municipality,modify-query:local-tax")
    )
    assert row.endswith(",query-not-ready,not-started,")
    health = next(
        line for line in lines if line.startswith("011002,札幌市,municipality,modify-query:health")
    )
    assert re.search(r",readiness-unknown,,$", health)


def test_summary_csv(tmp_path: Path, hokkaido: list[str]) -> None:
    """The summary CSV is the §3 table by ids: one row per table, side and kind."""
    out = tmp_path / "s.csv"
    assert main(["summary", "2018-07", *hokkaido, "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == (
        "table,side,kind,local-tax,public-assistance,health,child-welfare,"
        "disability-welfare,long-term-care,nhi,public-housing"
    )
    assert "not-ready,query,municipality,1,0,0,0,0,0,0,0" in lines
    assert len(lines) == 1 + 2 * 2 * 4


def test_triage_workbook_of_several_files(tmp_path: Path) -> None:
    """With two queries files, one a workbook, each rejected row is shown with its own
    file, row and query id."""
    header = ("query_id", "querier", "provider", "item", "requested", "status")
    first = tmp_path / "a.csv"
    first.write_text(",".join(header) + "\nA1,318035,312011,2,someday,pending\n", "utf-8")
    second = tmp_path / "b.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    sheet.append(("B1", "318035", "312011", "2", "2018-06-20", "pending"))
    sheet.append(("B2", "318035", "312011", "2", "never", "pending"))
    book.save(second)
    out = tmp_path / "t.xlsx"
    queries = ["--queries", str(first), "--queries", str(second)]
    assert main(["triage", "2018-07", *queries, "--as-of", "2018-06-25", "-o", str(out)]) == 1
    rejected = _rows(openpyxl.load_workbook(out)["読めない行"])
    assert [r[:3] for r in rejected[1:]] == [(str(first), 2, "A1"), (str(second), 3, "B2")]


@pytest.mark.parametrize(("calendar", "hearings"), [("2018-07", True), ("2018-11", False)])
def test_summary_workbook_says_what_the_summary_page_says(
    tmp_path: Path, calendar: str, *, hearings: bool
) -> None:
    """The workbook's facts are the Markdown summary's counts: the hearing lists (or, for a
    calendar the source gives no hearings for, that none are judged) and, with a queries
    file (2018-07: 2018-11 has no cutoff to sort them by), the §6 counts. The workbook once
    wrote its own copy of these lines, without either."""
    given = _example() if hearings else [a for a in _example() if "queries" not in a]
    out, page = tmp_path / "summary.xlsx", tmp_path / "summary.md"
    assert main(["summary", calendar, *given, "-o", str(out)]) == 0
    assert main(["summary", calendar, *given, "-o", str(page)]) == 0
    facts = {r[0]: r[1] for r in _rows(openpyxl.load_workbook(out)["集計"]) if len(r) > 1}
    # (As the page shows it: a cell has no Markdown code marks.)
    markdown = page.read_text(encoding="utf-8").replace("`", "")
    labels = ["ヒアリング対象となり得る団体（§4・§5）"]
    labels += ["提供の締切前後の照会（§6）"] if hearings else []
    for label in labels:
        assert f"- {label}: {facts[label]}" in markdown
    judged = "このカレンダーではヒアリングの対象を判定しない" not in str(facts[labels[0]])
    assert judged is hearings


@given(st.text(max_size=40))
def test_a_text_is_as_wide_as_its_characters(value: str) -> None:
    """A column is as wide as its widest text: two for each full-width character (漢字,
    全角 letters) and each of ambiguous width (※ ○ …, which a Japanese font draws two
    columns wide), none for a combining mark, one for any other, whether the text is ASCII,
    Japanese or mixed."""
    expected = sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WFA" else 1
        for c in value
    )
    assert display_width(value) == expected
    assert display_width("鳥取県 ｱｲｳ ＡＢ") == 6 + 1 + 3 + 1 + 4
    assert display_width("※仮定 ○ …― ①") == 2 + 4 + 1 + 2 + 1 + 4 + 1 + 2


@given(st.text(max_size=20), st.text(alphabet="\u0301\u0308\u3099\u309a", max_size=3))
def test_a_combining_mark_takes_no_column(before: str, marks: str) -> None:
    """A combining mark (an accent written after its letter, か and the voiced mark) is drawn
    over the character before it: it adds no column, though its width is "ambiguous"."""
    assert display_width(before + marks) == display_width(before)
    assert display_width("cafe\u0301") == 4
    assert display_width("か\u3099") == display_width("が") == 2


#: Characters of East Asian Ambiguous width a note may hold: two columns in MS ゴシック.
_AMBIGUOUS = "※○●◎△▲□■◇◆…―‐①②③⑩ⅠⅡ§×÷°±→←↑↓★☆♪"


@given(st.text(max_size=20), st.text(alphabet=_AMBIGUOUS, min_size=1, max_size=20))
def test_a_note_mark_takes_two_columns(before: str, marks: str) -> None:
    """※ ○ … ① and the other characters of ambiguous width take two columns each, as a
    Japanese font (MS ゴシック, Excel's with a Japanese UI) draws them, wherever they are."""
    assert all(unicodedata.east_asian_width(c) == "A" for c in _AMBIGUOUS)
    assert display_width(before + marks) == display_width(before) + 2 * len(marks)
    assert display_width(marks + before) == display_width(before + marks)


def test_a_column_of_note_marks_is_wide_enough(tmp_path: Path) -> None:
    """A column whose notes begin with ※ and number their points ①②③ is as wide as Excel
    draws them: it was sized one column a mark, and the notes were cut off at the next
    column."""
    book = Book("ja", dt.date(2018, 6, 25))
    notes = ["※仮定", "※①②③…", "○○○○○○"]
    book.table("t", ["注", "次"], [(note, "x") for note in notes])
    path = tmp_path / "t.xlsx"
    path.write_bytes(book.bytes())
    ws = openpyxl.load_workbook(path)["t"]
    assert ws.column_dimensions["A"].width >= 2 * max(map(len, notes)) + 2


def test_init_writes_a_workbook_whose_codes_keep_their_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`init -o agencies.xlsx` (or `--format xlsx`) writes the template as a workbook: the
    CSV's rows, codes as text cells in columns formatted as text (a row added below keeps
    its zero too), read back by `validate` as the prefecture's agencies, the same bytes on
    every run."""
    out = tmp_path / "agencies.xlsx"
    assert main(["init", "--prefecture", "01", "-o", str(out)]) == 0
    assert f"{out} に 180 団体を書き出しました" in capsys.readouterr().err
    csv_out = tmp_path / "agencies.csv"
    assert main(["init", "--prefecture", "01", "-o", str(csv_out)]) == 0
    lines = csv_out.read_text(encoding="utf-8-sig").splitlines()
    ws = openpyxl.load_workbook(out)["団体一覧"]
    assert [",".join(str(v or "") for v in row) for row in _rows(ws)] == lines
    assert ws["A2"].value == "010006"
    for letter in "AEF":
        assert ws.column_dimensions[letter].number_format == "@"
        assert {ws[f"{letter}{row}"].number_format for row in range(2, 182)} == {"@"}
    capsys.readouterr()
    assert main(["validate", "2018-07", "--agencies", str(out)]) == 0
    captured = capsys.readouterr()
    assert f"{out}: 180 団体" in captured.out
    assert captured.err == ""
    again = tmp_path / "again"
    again.mkdir()
    monkeypatch.chdir(again)
    assert main(["init", "--prefecture", "北海道", "--format", "xlsx"]) == 0
    assert (again / "agencies.xlsx").read_bytes() == out.read_bytes()
    assert not (again / "agencies.csv").exists()


def _header(ws: Worksheet) -> str:
    """Return what prints at the top of each page of `ws`."""
    header = ws.oddHeader
    return (header.center.text or "") if header is not None else ""


@pytest.mark.parametrize("command", ["plan", "summary", "hearings"])
@pytest.mark.parametrize(("lang", "says"), [("ja", "仮の日程"), ("en", "not the real schedule")])
def test_a_what_if_workbook_says_so_on_every_page(
    tmp_path: Path, command: str, lang: str, says: str
) -> None:
    """A workbook made with --shift holds assumed dates: each printed page says so, with the
    shifts, and the summary sheet says it too; a workbook made without says nothing."""
    shift = "inter-agency-test=+3bd"
    out, real = tmp_path / "what-if.xlsx", tmp_path / "real.xlsx"
    args = [command, "2018-07", "--lang", lang, *_example()]
    assert main([*args, "--shift", shift, "-o", str(out)]) == 0
    assert main([*args, "-o", str(real)]) == 0
    book = openpyxl.load_workbook(out)
    for ws in book.worksheets:
        header = _header(ws)
        assert says in header, ws.title
        assert shift in header, ws.title
    for ws in openpyxl.load_workbook(real).worksheets:
        assert not _header(ws), ws.title
    if command == "summary":
        values = [str(v) for row in _rows(book.worksheets[0]) for v in row if v is not None]
        assert any(says in v and shift in v for v in values)


@given(st.text(alphabet=st.sampled_from("&a想"), max_size=400))
def test_a_page_header_keeps_its_words_within_excels_limit(words: str) -> None:
    """A page header holds at most 255 characters, each ``&`` of the words doubled (a
    single one would start a header code): read back, it is the words or their start."""
    header = page_header(words)
    assert len(header) <= 255
    shown = header.removesuffix("…") if header != words.replace("&", "&&") else header
    assert re.fullmatch(r"(&&|[^&])*", shown)
    assert words.startswith(shown.replace("&&", "&"))
