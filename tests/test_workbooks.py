"""Excel workbooks read wherever a CSV file is: the same models out, cells read as they mean,
problems located by sheet and cell, codes Excel made numbers restored only when that is
unambiguous, bad workbooks refused in one located line."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.worksheet import Worksheet
from workbooks import compound_file, csv_to_workbook, iso_date_book, with_shared_strings

from cutover.calendar.load import calendar_path, load_calendar, parse_calendar
from cutover.errors import CutoverError, InputWarning
from cutover.inputs.blocks import CsvRow
from cutover.inputs.cells import cell_text, restore_code
from cutover.inputs.logs import load_registration_log, load_test_log
from cutover.inputs.model import Agency
from cutover.inputs.registry import load_agencies, load_evidence, load_readiness, load_registry
from cutover.inputs.rows import _parse_date
from cutover.inputs.workbook import open_table
from cutover.jp.codes import check_digit, official_codes
from cutover.jp.vocabulary import Kind
from cutover.planning.queries import cutoff_rule, load_queries
from cutover.render.files import refuse_repeated_inputs
from cutover.schedule.timeline import build_timeline
from cutover.triage import TriageResult, triage_file

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"
AS_OF = dt.date(2018, 6, 29)
ONE_SECOND = dt.timedelta(seconds=1)


@pytest.fixture(scope="module")
def example_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped example's CSV files as workbooks: cells typed as Excel types them, title
    rows above the header of two of them."""
    folder = tmp_path_factory.mktemp("books")
    books = {}
    for name in ("agencies", "readiness", "evidence", "queries"):
        titles = ("鳥取県 団体一覧", "令和元年 作成") if name in ("agencies", "readiness") else ()
        books[name] = csv_to_workbook(
            EXAMPLE / f"{name}.csv", folder / f"{name}.xlsx", sheet=name, titles=titles
        )
    return books


# --- the same models as from CSV ----------------------------------------------------------------


def test_agencies_workbook_reads_as_its_csv(example_books: dict[str, Path]) -> None:
    """agencies.xlsx gives the agencies agencies.csv gives (lines aside: a sheet's rows)."""
    from_csv = load_agencies(EXAMPLE / "agencies.csv")
    from_book = load_agencies(example_books["agencies"])
    assert [a.code for a in from_book] == [a.code for a in from_csv]
    # (two title rows and a blank row above the header: each row three further down)
    assert all(b.line == c.line + 3 for b, c in zip(from_book, from_csv, strict=True))
    assert [
        (a.code, a.name, a.kind, a.test_requested, a.provides, a.new_delegations) for a in from_book
    ] == [
        (a.code, a.name, a.kind, a.test_requested, a.provides, a.new_delegations) for a in from_csv
    ]


def test_a_workbook_saved_by_excel_reads_as_its_csv(tmp_path: Path) -> None:
    """A workbook whose text sits in a shared-string table, as Excel and LibreOffice save
    every workbook, reads as its CSV: it was refused as a damaged workbook."""
    book = csv_to_workbook(EXAMPLE / "agencies.csv", tmp_path / "agencies.xlsx")
    from_book = load_agencies(with_shared_strings(book))
    from_csv = load_agencies(EXAMPLE / "agencies.csv")
    assert [(a.code, a.name, a.kind, a.provides) for a in from_book] == [
        (a.code, a.name, a.kind, a.provides) for a in from_csv
    ]


def test_readiness_and_evidence_workbooks_read_as_their_csv(example_books: dict[str, Path]) -> None:
    """readiness.xlsx (dates as date cells) and evidence.xlsx give the CSV files' rows."""
    agencies = load_agencies(EXAMPLE / "agencies.csv")
    tasks = load_calendar("2018-07").tasks
    readiness = [
        (r.code, r.system, r.side, r.status, r.planned)
        for r in load_readiness(example_books["readiness"], agencies)
    ]
    expected = [
        (r.code, r.system, r.side, r.status, r.planned)
        for r in load_readiness(EXAMPLE / "readiness.csv", agencies)
    ]
    assert readiness == expected
    evidence = [
        (e.code, e.task, e.date, e.detail)
        for e in load_evidence(example_books["evidence"], agencies, tasks=tasks)
    ]
    assert evidence == [
        (e.code, e.task, e.date, e.detail)
        for e in load_evidence(EXAMPLE / "evidence.csv", agencies, tasks=tasks)
    ]


def test_queries_workbook_triages_as_its_csv(example_books: dict[str, Path]) -> None:
    """queries.xlsx (moments as date-time cells) triages as queries.csv: same counts, same
    actions, same due dates."""
    timeline = build_timeline(load_calendar("2018-07"))
    book = load_queries(example_books["queries"], timeline, AS_OF)
    text = load_queries(EXAMPLE / "queries.csv", timeline, AS_OF)
    assert book.counts == text.counts
    shown = [(r.query.query_id, r.action, r.due, r.query.requested) for r in book.results]
    assert shown == [(r.query.query_id, r.action, r.due, r.query.requested) for r in text.results]


def test_registry_reads_workbooks_and_csv_together(example_books: dict[str, Path]) -> None:
    """A registry of workbooks is the registry of the CSV files."""
    tasks = load_calendar("2018-07").tasks
    books = load_registry(
        example_books["agencies"],
        example_books["readiness"],
        [example_books["evidence"]],
        tasks=tasks,
    )
    texts = load_registry(
        EXAMPLE / "agencies.csv",
        EXAMPLE / "readiness.csv",
        [EXAMPLE / "evidence.csv"],
        tasks=tasks,
    )
    assert len(books.readiness) == len(texts.readiness)
    assert [e.task for e in books.evidence] == [e.task for e in texts.evidence]


# --- the cells ----------------------------------------------------------------------------------


@given(
    st.text(alphabet="－ー（）〜　未定実施済日付不明予", min_size=1, max_size=20).filter(str.strip),
    st.sampled_from(["", " ", "　"]),
)
def test_a_date_refused_is_quoted_as_written(text: str, around: str) -> None:
    """A date refused is quoted as the cell or the file holds it, full-width and all
    (「－」, 「実施済み（日付不明）」), spaces around it aside: it was quoted folded, 「-」,
    which is not what the clerk sees in the cell."""
    with pytest.raises(CutoverError) as caught:
        _parse_date(f"{around}{text}{around}", "planned")
    assert f"「{text.strip()}」" in caught.value.text("ja")


@given(st.times())
def test_a_time_in_a_date_cell_is_told_as_a_time(moment: dt.time) -> None:
    """A date cell given 0 (read as 00:00:00) or a time (6:20 for 6/20) is told to be a time
    with no date, quoted as read: it was 「00:00:00」は日付として読めません, with no word
    of why."""
    shown = cell_text(moment)
    with pytest.raises(CutoverError) as caught:
        _parse_date(shown, "planned")
    (problem,) = caught.value.problems
    assert problem.code == "inputs.time-not-date"
    assert f"「{shown}」は時刻だけで、日付がありません" in problem.text("ja")


@pytest.mark.parametrize("written", ["未定", " 未　定 ", "調整中", "ＴＢＤ", "tbd"])
def test_a_planned_date_not_set_asks_for_the_day_expected(written: str) -> None:
    """「未定」 (or 調整中, TBD) for a planned date, the answer a survey most often gets, asks
    for the day expected, not for a date's form; an evidence date is refused as before."""
    with pytest.raises(CutoverError) as caught:
        _parse_date(written, "planned")
    (problem,) = caught.value.problems
    assert problem.code == "inputs.planned-undecided"
    assert f"「{written.strip()}」では、改修が完了する予定の日が分かりません" in problem.text("ja")
    assert "見込みの日を書いてください" in problem.text("ja")
    with pytest.raises(CutoverError) as caught:
        _parse_date(written, "date")
    assert [p.code for p in caught.value.problems] == ["jp.unrecognized-date"]


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_a_date_cell_reads_as_its_day(day: dt.date) -> None:
    """A date cell, or a date-time cell at midnight, is its day for the date reader."""
    assert _parse_date(cell_text(day), "date") == day
    midnight = dt.datetime.combine(day, dt.time())
    assert cell_text(midnight) == day.isoformat()
    assert _parse_date(cell_text(midnight), "date") == day


@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 12, 31)))
def test_a_moment_keeps_its_time(moment: dt.datetime) -> None:
    """A date-time cell keeps its time, to the second it falls in: never rounded up into the
    next second, nor so into the next day."""
    text = cell_text(moment)
    read = dt.datetime.fromisoformat(text)
    assert read == moment.replace(microsecond=0)
    assert read.date() == moment.date()


@pytest.mark.parametrize("fraction", [500_000, 600_000, 999_000, 999_600, 999_999])
def test_a_request_in_the_last_second_of_the_cutoff_day_is_on_that_day(
    tmp_path: Path, fraction: int
) -> None:
    """A request received in a workbook at 23:59:59 and a fraction on 6/30 was received on
    the cutoff day: it is answered by 6/30 (§6), as the same moment written in a CSV file
    is, never moved to 7/1 by rounding and left with no action."""
    moment = dt.datetime(2018, 6, 30, 23, 59, 59, fraction)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["query_id", "querier", "provider", "item", "requested", "status"])
    sheet.append(["Q1", "131016", "011002", 2, moment, "pending"])
    sheet["E2"].number_format = "yyyy/m/d h:mm:ss"
    path = tmp_path / "queries.xlsx"
    book.save(path)
    text = tmp_path / "queries.csv"
    text.write_text(
        f"query_id,querier,provider,item,requested,status\n"
        f"Q1,131016,011002,2,{moment.isoformat()},pending\n",
        encoding="utf-8",
    )
    rule = cutoff_rule(build_timeline(load_calendar("2018-07")))
    actions: dict[Path, list[TriageResult]] = {path: [], text: []}
    for source, seen in actions.items():
        with triage_file(source, rule, AS_OF, on_action=seen.append) as report:
            assert report.counts.total == 1
    for seen in actions.values():
        assert [(r.action, r.due) for r in seen] == [("provide-by-cutoff", dt.date(2018, 6, 30))]


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.datetimes(min_value=dt.datetime(1949, 1, 1), max_value=dt.datetime(2099, 12, 31)),
        min_size=1,
        max_size=50,
    ),
    st.booleans(),
)
def test_a_date_time_cell_reads_as_the_moment_written(
    moments: list[dt.datetime], mac_1904: bool
) -> None:
    """A date-time cell, in either date system, reads as the moment a program wrote in it, to
    the second it falls in (a serial cannot tell the last two microseconds of a second from
    the next one), and always on its own day: never rounded past midnight."""
    book = Workbook()
    if mac_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet.append(["moment"])
    for moment in moments:
        sheet.append([moment])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "moments.xlsx"
        book.save(path)
        table = open_table(path, columns={"moment": ()}, required=("moment",))
        read = [row.values["moment"] for row in table.rows() if isinstance(row, CsvRow)]
    assert len(read) == len(moments)
    for text, moment in zip(read, moments, strict=True):
        second = moment.replace(microsecond=0)
        got = dt.datetime.fromisoformat(text)
        assert got.date() == moment.date()
        # (Within 7 µs when the serial's shortest form has 15 digits or fewer: read as a
        # spreadsheet's, which keeps no more, test_a_time_libreoffice_saved_reads_as_typed.)
        assert got == second or (moment.microsecond >= 999_993 and got == second + ONE_SECOND)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 12, 31)))
def test_a_time_libreoffice_saved_reads_as_typed(moment: dt.datetime) -> None:
    """A date-time cell whose serial is written to 15 significant digits, as LibreOffice
    saves every workbook (17:43:00 as 43279.7381944444), reads as the second typed: it read
    as the second before (17:42:59), in every request time triage printed."""
    moment = moment.replace(microsecond=0)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["moment"])
    sheet.append([moment])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "moments.xlsx"
        book.save(path)
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        serial = (moment - dt.datetime(1899, 12, 30)) / dt.timedelta(days=1)
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        written, count = re.subn(
            r'(<c r="A2"[^>]*><v>)[^<]*(</v>)', rf"\g<1>{serial:.15g}\g<2>", xml
        )
        assert count == 1
        parts["xl/worksheets/sheet1.xml"] = written.encode()
        with zipfile.ZipFile(path, "w") as archive:
            for part, data in parts.items():
                archive.writestr(part, data)
        table = open_table(path, columns={"moment": ()}, required=("moment",))
        (read,) = [row.values["moment"] for row in table.rows() if isinstance(row, CsvRow)]
    assert read == (moment.date().isoformat() if moment.time() == dt.time() else moment.isoformat())


def test_the_calendar_s_last_second_is_not_rounded_past_it(tmp_path: Path) -> None:
    """A moment in the last second of 9999 (a serial of 2958465.99999) is that second, as any
    moment is the second it falls in; the queries file that holds it is triaged (a request
    from far in the future, warned of), not ended by an internal error."""
    assert cell_text(dt.datetime(9999, 12, 31, 23, 59, 59, 600_000)) == "9999-12-31T23:59:59"
    assert cell_text(dt.datetime(9999, 12, 31, 23, 59, 58, 600_000)) == "9999-12-31T23:59:58"
    assert cell_text(dt.datetime(2018, 6, 30, 23, 59, 59, 500_000)) == "2018-06-30T23:59:59"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["query_id", "querier", "provider", "item", "requested", "status"])
    last = dt.datetime(9999, 12, 31, 23, 59, 59, 600_000)
    sheet.append(["Q1", "131016", "011002", 2, last, "pending"])
    sheet.append(["Q2", "131016", "011002", 2, dt.datetime(2018, 6, 28, 9), "pending"])
    path = tmp_path / "queries.xlsx"
    book.save(path)
    timeline = build_timeline(load_calendar("2018-07"))
    with triage_file(path, cutoff_rule(timeline), AS_OF) as report:
        counts, far = report.counts, report.far_future_rows
    assert (counts.total, counts.rejected, far) == (2, 0, (1, 2))


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_an_integral_number_has_no_decimal_point(number: int) -> None:
    """A number that is an integer reads as it (21, never 21.0), int or float."""
    assert cell_text(number) == str(number)
    assert cell_text(float(number)) == str(number)


@given(st.floats(min_value=1e15, max_value=1e300))
def test_a_number_past_fifteen_digits_is_shown_as_excel_shows_it(number: float) -> None:
    """A number whose digits Excel has lost is written as Excel shows it (2.01828E+18), which
    the id check refuses, never as another id."""
    assert "E+" in cell_text(number)


@given(st.text())
def test_text_reads_as_itself(value: str) -> None:
    """A text cell is its text."""
    assert cell_text(value) == value


_OFFICIAL = sorted(e.code for e in official_codes())
_ZEROED = [c for c in _OFFICIAL if c.startswith("0")]


@given(st.sampled_from(_ZEROED))
def test_a_code_that_lost_its_zero_is_restored_when_unambiguous(code: str) -> None:
    """A code of prefectures 01-09 stored as a number (011002 → 11002) gets its zero back
    against the official list, unless its other reading (check digit left out) is a code
    too, which is an error."""
    known = set(_OFFICIAL).__contains__
    reading = restore_code(int(code), known)
    other = code[1:] + str(check_digit(code[1:]))
    if other in _OFFICIAL:
        assert reading.ambiguous == (code, other)
        assert not reading.restored
    else:
        assert reading.text == code
        assert reading.restored


@given(st.integers(min_value=0, max_value=10**7))
def test_a_number_is_restored_only_to_a_known_code(number: int) -> None:
    """Nothing but a known code comes out of a restoration: else the digits as written."""
    known = set(_OFFICIAL).__contains__
    reading = restore_code(number, known)
    if reading.restored:
        assert known(reading.text)
        assert reading.text == "0" + str(number)
    else:
        assert reading.text == str(number)


def _sheet(path: Path, rows: Sequence[Sequence[object]], title: str = "Sheet1") -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


HEADER = ["code", "name", "kind", "test_requested", "provides", "new_delegations"]


def test_codes_stored_as_numbers_are_restored_with_one_warning(tmp_path: Path) -> None:
    """Codes of 北海道 that Excel made numbers read as their 6 digits, said in one warning
    line that names the column, the count and an example."""
    path = _sheet(
        tmp_path / "agencies.xlsx",
        [
            HEADER,
            [10006, "北海道", "都道府県", "", "", ""],
            [11002, "札幌市", "市区町村", "", "", ""],
        ],
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        agencies = load_agencies(path)
    assert [a.code for a in agencies] == ["010006", "011002"]
    said = [w.message for w in caught if isinstance(w.message, InputWarning)]
    assert len(said) == 1
    line = said[0].problem.text("ja")
    assert line.startswith(f"{path}:Sheet1: ")
    assert "code（A列）2個" in line
    assert "A2 の 10006 → 010006" in line
    assert "column A" in said[0].problem.text("en")


def test_an_ambiguous_code_number_is_an_error_with_its_cell(tmp_path: Path) -> None:
    """A number both of whose readings are codes is refused at its cell, naming both."""
    ambiguous = next(
        c
        for c in _ZEROED
        if c[1:] + str(__import__("cutover.jp.codes").jp.codes.check_digit(c[1:])) in _OFFICIAL
    )
    path = _sheet(tmp_path / "a.xlsx", [HEADER, [int(ambiguous), "x", "市区町村", "", "", ""]])
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    text = caught.value.text("ja")
    assert f"{path}:Sheet1!A2:" in text
    assert ambiguous in text
    assert "文字列" in text


@given(
    st.one_of(
        st.floats(min_value=1e15, max_value=1e300),
        st.integers(min_value=10**15, max_value=10**40),
    )
)
def test_a_code_number_past_fifteen_digits_reads_as_excel_shows_it(number: float) -> None:
    """A code cell holding a number past Excel's 15 digits (1E+20) reads as Excel shows it,
    never as digits it never held (100000000000000000000, whose run of zeros passes the
    personal number's check digit and would be shown masked, 0000********)."""
    reading = restore_code(number, set(_OFFICIAL).__contains__)
    assert reading.text == cell_text(float(number))
    assert "E+" in reading.text
    assert not reading.restored
    assert reading.ambiguous is None


@pytest.mark.parametrize("number", [1e20, 10**20, 123456789012345678])
@pytest.mark.parametrize("which", ["agencies", "readiness"])
def test_a_long_number_in_a_code_cell_is_shown_as_typed(
    tmp_path: Path, number: float, which: str
) -> None:
    """1E+20 in the code cell of a registry or readiness workbook is refused as a code that
    Excel saved as a number, shown as Excel shows it: not masked as a personal number."""
    if which == "agencies":
        rows: list[list[object]] = [list(HEADER), [number, "鳥取市", "市区町村", "", "", ""]]
    else:
        rows = [["code", "system", "side", "status", "planned"]]
        rows.append([number, "local-tax", "provision", "done", None])
    path = _sheet(tmp_path / f"{which}.xlsx", rows)
    load = load_agencies if which == "agencies" else load_readiness
    with pytest.raises(CutoverError) as caught:
        load(path)
    (problem,) = caught.value.problems
    shown = cell_text(float(number))
    assert (problem.column, problem.line) == ("A", 2)
    assert f"コード「{shown}」が Excel で数値として保存されています" in problem.text("ja")
    assert "*" not in problem.text("ja") + problem.text("en")


@pytest.mark.parametrize("name", ["士別市", "北海道 士別市", "北海道　士別市"])
def test_a_code_number_is_read_as_the_agency_its_row_names(tmp_path: Path, name: str) -> None:
    """北海道's 士別市 saved by Excel as the number 12203, in the row that names it, is 012203
    with the one warning of restored codes: it was refused (122033 is 千葉県 市川市 without
    its check digit), 8 of 北海道's 179 municipalities in a registry Excel saved."""
    path = _sheet(tmp_path / "a.xlsx", [HEADER, [12203, name, "市区町村", "", "", ""]])
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        (agency,) = load_agencies(path)
    assert agency.code == "012203"
    assert [w.category for w in said] == [InputWarning]
    assert "12203 → 012203" in str(said[0].message)


def test_a_code_number_is_not_given_a_check_digit_by_its_row_s_name(tmp_path: Path) -> None:
    """12203 beside 市川市 (122033 without its check digit) is still refused: only a lost
    leading zero is put back, a missing check digit never."""
    path = _sheet(tmp_path / "a.xlsx", [HEADER, [12203, "市川市", "市区町村", "", "", ""]])
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    assert caught.value.problems[0].code == "inputs.workbook-code-ambiguous"


def test_an_ambiguous_code_number_names_the_agency_of_each_reading(tmp_path: Path) -> None:
    """北海道's 士別市 typed as the number 12203 could also be 千葉県 市川市 without its check
    digit: both readings are named with their agencies, as a 5-digit code in a CSV file is,
    so that the row's name shows which is meant (the codes alone said nothing)."""
    path = _sheet(tmp_path / "a.xlsx", [HEADER, [12203, "士別", "市区町村", "", "", ""]])
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    assert "「012203」（北海道 士別市）" in caught.value.text("ja")
    assert "「122033」（千葉県 市川市）" in caught.value.text("ja")
    assert "'012203' (北海道 士別市)" in caught.value.text("en")


def test_problems_are_located_by_sheet_and_cell(tmp_path: Path) -> None:
    """A bad value is named by its sheet and cell; a row's problem by its sheet and row."""
    path = _sheet(
        tmp_path / "readiness.xlsx",
        [
            ["改修状況調査"],
            [],
            ["団体コード", "業務システム", "区分", "状況", "完了予定日", "備考"],
            ["310000", "地方税務", "提供", "予定", "6月8日", ""],
            ["310000", "地方税務", "照会", "完了", None, ""],
            ["310000", "地方税務", "照会", "完了", None, ""],
        ],
        title="改修状況",
    )
    with pytest.raises(CutoverError) as caught:
        load_readiness(path)
    lines = caught.value.text("ja").splitlines()
    assert lines[0].startswith(f"{path}:改修状況!E4: ")
    assert lines[1].startswith(f"{path}:改修状況:6: ")


@pytest.mark.parametrize(
    ("reader", "header", "row"),
    [
        ("agencies", HEADER, ["01-2041", "旭川市", "municipality", "", "", ""]),
        ("agencies", HEADER, ["12041", "旭川市", "municipality", "", "", ""]),
        ("agencies", HEADER, ["012042", "旭川市", "municipality", "", "", ""]),
        ("agencies", HEADER, ["", "旭川市", "municipality", "", "", ""]),
        (
            "readiness",
            ["団体コード", "業務システム", "区分", "状況"],
            ["01-2041", "地方税務", "提供", "完了"],
        ),
        (
            "readiness",
            ["code", "system", "side", "status"],
            ["012025", "local-tax", "query", "done"],
        ),
        ("evidence", ["code", "task", "date"], ["01-2041", "register:2", "2018-06-01"]),
        ("evidence", ["code", "task", "date"], ["012025", "register:2", "2018-06-01"]),
    ],
)
def test_a_bad_code_is_named_at_its_cell(
    tmp_path: Path, reader: str, header: list[str], row: list[str]
) -> None:
    """A code that is no agency's (not digits, 5 digits, a wrong check digit, blank, or not
    in the agencies file) is named at its cell, as every other column's problem is, not at
    its row: a clerk goes to 団体一覧!A3 and corrects it."""
    agencies = [Agency("010006", "北海道", Kind.PREFECTURE, False, frozenset(), frozenset(), 2)]
    # (A good row above it, the agencies' own row for the other two files.)
    good = ["010006", "北海道", "prefecture", "", "", ""]
    if reader != "agencies":
        good = ["010006", *row[1:]]
    path = _sheet(tmp_path / f"{reader}.xlsx", [header, good, row], title="表")
    loads: dict[str, Callable[[], object]] = {
        "agencies": lambda: load_agencies(path),
        "readiness": lambda: load_readiness(path, agencies),
        "evidence": lambda: load_evidence(path, agencies),
    }
    with pytest.raises(CutoverError) as caught:
        loads[reader]()
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.column, problem.line) == ("表", "A", 3)
    assert problem.text("ja").startswith(f"{path}:表!A3: {header[0]}: ")


@pytest.mark.parametrize(
    ("load", "header", "row", "cell"),
    [
        (load_agencies, HEADER, ["010006", "北海道", "組合", "", "", ""], "C2"),
        (load_evidence, ["code", "task", "date"], ["010006", "機関間しけん", "2018-06-01"], "B2"),
        (load_evidence, ["code", "task", "date"], ["010006", "bad task!", "2018-06-01"], "B2"),
        (
            load_registration_log,
            ["code", "item", "registered", "records"],
            ["010006", "x", "2018-06-01", "3"],
            "B2",
        ),
    ],
)
def test_a_bad_kind_task_or_item_is_named_at_its_cell(
    tmp_path: Path,
    load: Callable[[Path], object],
    header: list[str],
    row: list[str],
    cell: str,
) -> None:
    """An agency's kind, an evidence row's task and a registration log's item that cannot be
    read are named at their cell, as the other columns' problems are, not at their row."""
    path = _sheet(tmp_path / "book.xlsx", [header, row], title="表")
    with pytest.raises(CutoverError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert problem.text("ja").startswith(f"{path}:表!{cell}: {header[ord(cell[0]) - 65]}: ")


@pytest.mark.parametrize(
    ("load", "header", "row", "cell", "value"),
    [
        (
            load_registration_log,
            ["code", "item", "registered", "records"],
            ["010006", "2", "2018-06-01", "y"],
            "D2",
            "y",
        ),
        (
            load_registration_log,
            ["code", "item", "registered", "records"],
            ["010006", "2", "2018-06-01", "-3"],
            "D2",
            "-3",
        ),
        (
            load_test_log,
            ["code", "tested", "result"],
            ["010006", "2018-06-01", "maybe"],
            "C2",
            "maybe",
        ),
        (load_test_log, ["code", "tested", "result"], ["010006", "2018-06-01", "1"], "C2", "1"),
        (load_test_log, ["団体コード", "実施日", "結果"], ["010006", "2018-06-01", "?"], "C2", "?"),
    ],
)
def test_a_bad_record_count_or_test_result_is_named_at_its_cell(
    tmp_path: Path,
    load: Callable[[Path], object],
    header: list[str],
    row: list[str],
    cell: str,
    value: str,
) -> None:
    """A log's record count or test result that cannot be read is named at its cell, by the
    column as the sheet heads it, as the log's other columns' problems are."""
    path = _sheet(tmp_path / "log.xlsx", [header, row], title="ログ")
    with pytest.raises(CutoverError) as caught:
        load(path)
    (problem,) = caught.value.problems
    column = header[ord(cell[0]) - 65]
    assert problem.text("ja").startswith(f"{path}:ログ!{cell}: {column} の「{value}」")
    assert f"{column} '{value}'" in problem.text("en")


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("2018-06-01", None),
        ("2018-06-01T09:00:00", None),
        ("2018-13-45", "2018-13-45"),  # not a date: Python's own error named no cell
        ("令和", "令和"),
        # A personal number in a fraction of a second: openpyxl rounded it away.
        ("2018-06-01T09:00:00.621498320257", "2018-06-01T09:00:00.6214********"),
    ],
)
def test_a_date_cell_stored_as_iso_text_is_read_as_its_text_would_be(
    tmp_path: Path, text: str, refused: str | None
) -> None:
    """A date cell stored as ISO 8601 text (``t="d"``) reads as its date; a text that is
    no date, or holds a personal number, is refused at its cell as the same text in a CSV
    file is, the number masked."""
    path = iso_date_book(
        tmp_path / "readiness.xlsx",
        [["code", "system", "side", "status", "planned"], ["310000", "地方税務", "提供", "予定"]],
        "E2",
        text,
    )
    if refused is None:
        (row,) = load_readiness(path)
        assert row.planned == dt.date(2018, 6, 1)
        return
    with pytest.raises(CutoverError) as caught:
        load_readiness(path)
    for lang in ("ja", "en"):
        line = caught.value.text(lang)
        assert line.startswith(f"{path}:Sheet1!E2: ")
        assert refused in line
        assert "621498320257" not in line
        assert "month must be" not in line


@pytest.mark.parametrize(
    ("text", "action"),
    [
        # 7/1 00:00 and 10:00 in Japan: after the cutoff, whatever the wall clock elsewhere.
        ("2018-06-30T15:00:00Z", None),
        ("2018-06-30T15:00:00+00:00", None),
        ("2018-06-30T20:00:00-05:00", None),
        # 6/30 in Japan, and the last moments of it.
        ("2018-06-30T14:59:59Z", "provide-by-cutoff"),
        ("2018-06-30T23:59:59+09:00", "provide-by-cutoff"),
        ("2018-06-30T23:59:59.9999", "provide-by-cutoff"),
    ],
)
def test_a_zoned_iso_date_cell_is_read_in_japan_time(
    tmp_path: Path, text: str, action: str | None
) -> None:
    """A date cell stored as ISO 8601 text with a time zone (``t="d"``) is received when the
    same text in a CSV file says, in Japan time: 2018-06-30T15:00:00Z is 7/1 00:00, after
    the cutoff (§6), not 6/30 15:00 with its zone dropped."""
    header = ["query_id", "querier", "provider", "item", "requested", "status"]
    book = iso_date_book(
        tmp_path / "queries.xlsx",
        [header, ["Q1", "131016", "011002", 2, None, "pending"]],
        "E2",
        text,
    )
    csv_file = tmp_path / "queries.csv"
    csv_file.write_text(
        f"{','.join(header)}\nQ1,131016,011002,2,{text},pending\n", encoding="utf-8"
    )
    rule = cutoff_rule(build_timeline(load_calendar("2018-07")))
    actions: dict[Path, list[TriageResult]] = {book: [], csv_file: []}
    for source, seen in actions.items():
        with triage_file(source, rule, AS_OF, on_action=seen.append) as report:
            assert (report.counts.total, report.counts.rejected) == (1, 0)
    expected = [] if action is None else [action]
    for seen in actions.values():
        assert [r.action for r in seen] == expected
    assert [r.query.requested for r in actions[book]] == [
        r.query.requested for r in actions[csv_file]
    ]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2018-06-01T00:00:00+09:00", dt.date(2018, 6, 1)),
        # 6/1 09:00 in Japan: the day in Japan, not the one the zone drops to.
        ("2018-06-01T00:00:00Z", dt.date(2018, 6, 1)),
        ("2018-05-31T15:00:00+00:00", dt.date(2018, 6, 1)),
        ("2018-05-31T20:00:00-05:00", dt.date(2018, 6, 1)),
    ],
)
def test_a_zoned_iso_date_cell_is_a_registry_date_in_japan(
    tmp_path: Path, text: str, day: dt.date
) -> None:
    """A planned date stored as ISO 8601 text with a time zone (``t="d"``) is the day it is
    in Japan, in a workbook as in a CSV file: not refused as 'unrecognized' (openpyxl read
    2018-06-01T00:00:00+09:00 as 6/1 before the cell was read as its text), nor the day of
    its own zone."""
    header = ["code", "system", "side", "status", "planned"]
    book = iso_date_book(
        tmp_path / "readiness.xlsx", [header, ["310000", "地方税務", "提供", "予定"]], "E2", text
    )
    csv_file = tmp_path / "readiness.csv"
    csv_file.write_text(f"{','.join(header)}\n310000,地方税務,提供,予定,{text}\n", "utf-8")
    for source in (book, csv_file):
        (row,) = load_readiness(source)
        assert row.planned == day


def test_a_named_sheet_is_read(tmp_path: Path) -> None:
    """book.xlsx#シート reads that sheet; a sheet that is not there is named with the
    others."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "記入方法"
    first.append(["この表に記入してください"])
    sheet = book.create_sheet("団体一覧")
    sheet.append(HEADER)
    sheet.append(["310000", "鳥取県", "都道府県", "はい", "21", ""])
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert [a.code for a in load_agencies(f"{path}#団体一覧")] == ["310000"]
    with pytest.raises(CutoverError) as caught:
        load_agencies(f"{path}#団体")
    assert "シート「団体」がありません" in caught.value.text("ja")
    assert "団体一覧" in caught.value.text("ja")


def test_a_sheet_named_after_a_full_width_mark_is_read(tmp_path: Path) -> None:
    """book.xlsx＃シート (the ＃ Japanese input gives before a Japanese sheet name) reads the
    sheet as book.xlsx#シート does: it was a file not found; a file of that very name is
    still that file."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.append(["この表に記入してください"])
    sheet = book.create_sheet("団体一覧")
    sheet.append(HEADER)
    sheet.append(["310000", "鳥取県", "都道府県", "はい", "21", ""])
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert [a.code for a in load_agencies(f"{path}\uff03団体一覧")] == ["310000"]
    with pytest.raises(CutoverError) as caught:  # (the one sheet, however marked)
        refuse_repeated_inputs(
            [("--agencies", f"{path}\uff03団体一覧"), ("--agencies", f"{path}#団体一覧")]
        )
    assert "同じファイルが2回" in caught.value.text("ja")
    named = tmp_path / "two\uff03lists.csv"
    named.write_text(",".join(HEADER) + "\n312011,鳥取市,市区町村,,,\n", encoding="utf-8")
    assert [a.code for a in load_agencies(named)] == ["312011"]


# --- several files ------------------------------------------------------------------------------


def test_a_code_in_two_agencies_files_names_both(tmp_path: Path) -> None:
    """Two agencies files read as one: an agency in both is a problem naming both files."""
    one = tmp_path / "one.csv"
    one.write_text(",".join(HEADER) + "\n310000,鳥取県,都道府県,,,\n", encoding="utf-8")
    two = _sheet(
        tmp_path / "two.xlsx",
        [HEADER, ["312011", "鳥取市", "市区町村"], ["310000", "鳥取県", "都道府県"]],
    )
    with pytest.raises(CutoverError) as caught:
        load_agencies([one, two])
    (problem,) = caught.value.problems
    assert problem.text("en").startswith(f"{two}:Sheet1:3: ")
    assert f"{one} line 2" in problem.text("en")
    assert str(two) in problem.text("ja")


def test_several_files_are_all_read_and_a_path_is_one_file(tmp_path: Path) -> None:
    """A list of paths reads each; a str is one path, never its letters."""
    one = tmp_path / "one.csv"
    one.write_text(",".join(HEADER) + "\n310000,鳥取県,都道府県,,,\n", encoding="utf-8")
    two = tmp_path / "two.csv"
    two.write_text(",".join(HEADER) + "\n312011,鳥取市,市区町村,,,\n", encoding="utf-8")
    assert [a.code for a in load_agencies([one, two])] == ["310000", "312011"]
    assert [a.code for a in load_agencies(str(one))] == ["310000"]


def test_a_query_id_in_two_files_names_both(tmp_path: Path) -> None:
    """Two queries files triaged as one: an id in both is one duplicate with both files."""
    rule = cutoff_rule(build_timeline(load_calendar("2018-07")))
    row = "q1,312011,310000,21,2018-06-20,未提供\n"
    head = "query_id,querier,provider,item,requested,status\n"
    one, two = tmp_path / "a.csv", tmp_path / "b.csv"
    one.write_text(head + row, encoding="utf-8")
    two.write_text(head + row, encoding="utf-8")
    with triage_file([one, two], rule, AS_OF) as report:
        assert report.counts.total == 2
        (duplicate,) = report.duplicates
        assert duplicate.files == (str(one), str(two))
        assert duplicate.lines == (2, 2)


def test_a_note_under_the_queries_is_no_row_in_a_csv_as_in_a_workbook(tmp_path: Path) -> None:
    """Triage reads a queries file's note under 備考 (every read column blank) the same from
    a CSV as from a workbook: no row, neither counted nor rejected, and one warning naming
    its line and column. In the CSV it was 「空の行です」, a rejected row and exit 1, where
    the workbook had the warning. A row empty throughout is still rejected in the CSV."""
    rule = cutoff_rule(build_timeline(load_calendar("2018-07")))
    rows = [
        ["query_id", "querier", "provider", "item", "requested", "status", "備考"],
        ["q1", "312011", "310000", "21", "2018-06-20", "未提供", ""],
        ["", "", "", "", "", "", "6/20 電話で確認"],
        ["q2", "312011", "310000", "2", "2018-06-21", "未提供", ""],
    ]
    csv_file = tmp_path / "queries.csv"
    csv_file.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    book = _sheet(tmp_path / "queries.xlsx", [[v or None for v in row] for row in rows])
    for path, where in ((csv_file, f"{csv_file}:3: 備考: "), (book, f"{book}:Sheet1!G3: ")):
        with pytest.warns(InputWarning) as caught:
            report = triage_file(path, rule, AS_OF)
        with report:
            assert (report.counts.total, report.counts.rejected) == (2, 0)
            assert report.counts.provide_by_cutoff == 2
        (said,) = [w.message.problem for w in caught if isinstance(w.message, InputWarning)]
        assert said.code == "inputs.outside-table"
        assert said.text("ja").startswith(where)
        assert "（最初は「6/20 電話で確認」）" in said.text("ja")
    csv_file.write_text(csv_file.read_text(encoding="utf-8") + ",,,,,,\n", encoding="utf-8")
    with pytest.warns(InputWarning):
        report = triage_file(csv_file, rule, AS_OF)
    with report:
        assert (report.counts.total, report.counts.rejected) == (3, 1)
        assert [(p.code, p.line) for p in report.rejected] == [("triage.empty-row", 5)]


def test_a_workbook_row_with_two_bad_cells_is_one_rejected_row(tmp_path: Path) -> None:
    """A queries workbook's row whose two code cells Excel made ambiguous numbers is one
    rejected row, with both cells in its one message: it was two, and the report counted
    one row more than the sheet has (50,001 of 50,000 on a log opened in a spreadsheet)."""
    rule = cutoff_rule(build_timeline(load_calendar("2018-07")))
    rows: list[list[object]] = [
        ["query_id", "querier", "provider", "item", "requested", "status"],
        ["q1", "312011", "310000", "21", "2018-06-20", "未提供"],
        ["q2", 23213, 43214, "21", "2018-06-20", "未提供"],  # (each: 0 lost, or no check digit?)
        ["q3", "312011", "310000", "2", "2018-06-21", "未提供"],
    ]
    book = _sheet(tmp_path / "queries.xlsx", rows)
    with triage_file(book, rule, AS_OF) as report:
        counts = report.counts
        rejected = list(report.rejected)
    assert (counts.total, counts.rejected, counts.provide_by_cutoff) == (3, 1, 2)
    (problem,) = rejected
    assert (problem.code, problem.sheet, problem.line) == ("triage.several-problems", "Sheet1", 3)
    line = problem.text("ja")
    assert line.startswith(f"{book}:Sheet1:3: B3: 団体コードが数値の 23213 になっていて")
    assert "。C3: 団体コードが数値の 43214 になっていて" in line
    assert line.count("セルの書式を「文字列」にして") == 1  # (the fix once)
    assert "; C3: the code is the number 43214" in problem.text("en")


#: Cells a queries workbook's row may hold, column by column: good and bad values, numbers
#: Excel made of codes (restored, or ambiguous), date cells, and blanks.
_QUERY_CELLS = (
    st.sampled_from(["q1", "q2", "q1", None, "2.01828E+18", "621498320257"]),
    st.sampled_from(["312011", 23213, 13101, None, "abc", 312011]),
    st.sampled_from(["310000", 43214, 11002, None, "31000"]),
    st.sampled_from(["21", 2, "x", None, "2.5"]),
    st.sampled_from(
        ["2018-06-20", dt.datetime(2018, 6, 29, 23, 59), dt.date(2018, 7, 1), None, "2018-13-01"]
    ),
    st.sampled_from(["未提供", "pending", "??", None, "提供済"]),
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(*_QUERY_CELLS), min_size=1, max_size=8))
def test_a_queries_workbook_counts_each_row_once(rows: list[tuple[object, ...]]) -> None:
    """Whatever a queries workbook's rows hold, each row with anything in it is counted
    once: classified, or rejected once with one problem (a row's bad cells in one line)."""
    rule = cutoff_rule(build_timeline(load_calendar("2018-07")))
    with tempfile.TemporaryDirectory() as folder:
        header = ["query_id", "querier", "provider", "item", "requested", "status"]
        book = _sheet(Path(folder) / "queries.xlsx", [header, *rows])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InputWarning)  # (codes restored: said, and read)
            with triage_file(book, rule, AS_OF) as report:
                counts, rejected = report.counts, list(report.rejected)
    filled = sum(any(v is not None for v in row) for row in rows)
    assert counts.total == filled
    assert counts.rejected == len(rejected) == len({p.line for p in rejected})


# --- bad workbooks ------------------------------------------------------------------------------


def _damaged(tmp_path: Path, part: str, old: str, new: str) -> Path:
    """Return the example's agencies workbook with `old` replaced by `new` in its `part`."""
    source = Path(__file__).parents[1] / "examples" / "tottori" / "agencies.xlsx"
    path = tmp_path / f"damaged-{part.rsplit('/', 1)[-1]}.xlsx"
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(path, "w") as out:
        for item in book.infolist():
            data = book.read(item)
            if item.filename == part:
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            out.writestr(item, data)
    return path


@pytest.mark.parametrize(
    ("part", "old", "new"),
    [
        # (An attribute no workbookView has: openpyxl's TypeError.)
        ("xl/workbook.xml", 'autoFilterDateGrouping="1"', 'aut="1"'),
        # (A cell naming a shared string the workbook does not have: openpyxl's IndexError.)
        (
            "xl/worksheets/sheet1.xml",
            '<c r="B2" t="inlineStr"><is><t>',
            '<c r="B2" t="s"><v>999</v><is><t>',
        ),
    ],
    ids=["unknown attribute", "shared string not there"],
)
def test_a_part_openpyxl_cannot_use_is_a_damaged_workbook(
    tmp_path: Path, part: str, old: str, new: str
) -> None:
    """A workbook part that parses as XML but holds what no workbook's part does is told as a
    damaged workbook, with what to do, for every reader and survey merge: it was an internal
    error (exit 70) asking for a bug report."""
    path = _damaged(tmp_path, part, old, new)
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    (problem,) = caught.value.problems
    assert problem.code == "inputs.workbook-corrupt"
    assert "ブックの中の XML が壊れている" in problem.text("ja")
    rule = cutoff_rule(build_timeline(load_calendar("2018-07")))
    with pytest.raises(CutoverError) as caught:
        triage_file(path, rule, AS_OF).close()
    assert [p.code for p in caught.value.problems] == ["inputs.workbook-corrupt"]


def test_an_encrypted_workbook_is_told_from_an_xls(tmp_path: Path) -> None:
    """An OLE2 file with an EncryptionInfo stream is a password-protected workbook; without,
    an old .xls: each is said, with how to save it."""
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(compound_file(["EncryptionInfo", "EncryptedPackage"]))
    old = tmp_path / "old.xls"
    old.write_bytes(compound_file(["Workbook"]))
    with pytest.raises(CutoverError) as caught:
        load_agencies(locked)
    assert "パスワード" in caught.value.text("ja")
    with pytest.raises(CutoverError) as caught:
        load_agencies(old)
    assert ".xls" in caught.value.text("ja")
    assert "Excel Workbook (*.xlsx)" in caught.value.text("en")


def test_a_formula_without_its_result_names_its_cell(tmp_path: Path) -> None:
    """A formula whose result was never saved (a program wrote it) is refused at its cell,
    saying to open and save the workbook in Excel."""
    path = _sheet(tmp_path / "a.xlsx", [HEADER, ["310000", "=B1", "都道府県", "", "", ""]])
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    text = caught.value.text("ja")
    assert text.startswith(f"{path}:Sheet1!B2: ")
    assert "=B1" in text
    assert "上書き保存" in text


def test_a_full_sheet_says_rows_may_have_been_cut_off(tmp_path: Path) -> None:
    """A sheet with data in its last row (1,048,576) is full: Excel may have cut rows off."""
    path = _sheet(tmp_path / "q.xlsx", [HEADER, ["310000", "鳥取県", "都道府県", "", "", ""]])
    _append_last_row(path, ["312011", "鳥取市", "市区町村"])
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    text = caught.value.text("en")
    assert f"{path}:Sheet1:1048576: " in text
    assert "cut off" in text


def _append_last_row(path: Path, values: list[str]) -> None:
    """Add a row at 1,048,576, the sheet's last, to a workbook's first sheet (written as
    Excel writes a sparse sheet: rows in between are simply absent)."""
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    name = "xl/worksheets/sheet1.xml"
    cells = "".join(
        f'<c r="{letter}1048576" t="inlineStr"><is><t>{value}</t></is></c>'
        for letter, value in zip("ABC", values, strict=False)
    )
    parts[name] = parts[name].replace(
        b"</sheetData>", f'<row r="1048576">{cells}</row></sheetData>'.encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for part, data in parts.items():
            book.writestr(part, data)


def test_merged_header_cells_are_refused(tmp_path: Path) -> None:
    """A two-row header with merged cells (a 調査票's habit) is refused, naming the cells."""
    path = _sheet(
        tmp_path / "r.xlsx",
        [["団体コード", "業務システム", "対応状況", None], [None, None, "区分", "状況"]],
    )
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book.active
    assert ws is not None
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:D1")
    book.save(path)
    with pytest.raises(CutoverError) as caught:
        load_readiness(path)
    text = caught.value.text("ja")
    assert "結合" in text
    assert "A1:A2" in text


def test_a_personal_number_in_any_cell_is_refused_masked(tmp_path: Path) -> None:
    """A personal number in a title row or an unread column refuses it, masked."""
    number = "123456789018"  # (a valid check digit)
    from cutover.jp.personal_number import is_personal_number

    assert is_personal_number(number)
    path = _sheet(
        tmp_path / "a.xlsx",
        [[*HEADER, "memo"], ["310000", "鳥取県", "都道府県", "", "", "", number]],
    )
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    assert number not in caught.value.text("ja")
    assert number not in caught.value.text("en")
    assert f"{path}:Sheet1!G2:" in caught.value.text("ja")


def test_a_note_beside_the_table_is_no_row_and_is_said(tmp_path: Path) -> None:
    """A clerk's note in cells no column reads (beside the table, below it, or under a
    header the reader does not read) makes no row: it was "a blank row — delete it", which
    refused the file. The rows read are the same as without the notes, and one warning
    names the first note's cell, how many rows, and the columns that are read; a personal
    number there is still refused."""
    rows = [
        [*HEADER, "memo"],
        ["310000", "鳥取県", "都道府県", "", "", "", ""],
        ["", "", "", "", "", "", "県に確認済み"],
        ["312011", "鳥取市", "市区町村", "", "", "", ""],
    ]
    path = _sheet(tmp_path / "a.xlsx", [*rows, [], ["", "", "", "", "", "", "", "6/20 電話"]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        agencies = load_agencies(path)
    assert [a.code for a in agencies] == ["310000", "312011"]
    said = [w.message for w in caught if isinstance(w.message, InputWarning)]
    assert [w.problem.code for w in said] == ["inputs.outside-table"]
    line = said[0].problem.text("ja")
    assert line.startswith(f"{path}:Sheet1!G3: ")
    assert "ほかの列にだけ値がある行を読みませんでした: 2 行（最初は「県に確認済み」）" in line
    assert "読み込む列（code、name、kind、test_requested、provides、new_delegations）" in line
    english = said[0].problem.text("en")
    assert "were not read: 2 (the first: '県に確認済み')" in english
    number = "123456789018"  # (a valid check digit)
    path = _sheet(tmp_path / "b.xlsx", [*rows, ["", "", "", "", "", "", number]])
    with pytest.raises(CutoverError) as refused, pytest.warns(InputWarning):
        load_agencies(path)
    assert f"{path}:Sheet1!G5:" in refused.value.text("ja")
    assert number not in refused.value.text("ja")


def test_an_evidence_task_may_be_its_japanese_name(tmp_path: Path) -> None:
    """A task written by its checklist name (as the survey workbook writes it) is its id."""
    tasks = load_calendar("2018-07").tasks
    path = tmp_path / "evidence.csv"
    path.write_text(
        "団体コード,作業,実施日\n"
        "310000,機関間試験を実施する（接続検証環境）,2018/5/24\n"
        "310000,特定個人情報21番（母子父子寡婦福祉資金貸付関係情報）の副本を登録する,2018/5/28\n"
        "310000,情報照会に係るシステム改修を完了する（生活保護）,2018/6/1\n",
        encoding="utf-8",
    )
    assert [e.task for e in load_evidence(path, tasks=tasks)] == [
        "inter-agency-test",
        "register:21",
        "modify-query:public-assistance",
    ]


def test_a_task_title_with_spaces_around_it_still_names_the_task(tmp_path: Path) -> None:
    """A calendar whose task title has a space at its end (a slip in the TOML) still reads
    a task written by that title; it stopped every evidence file with an internal error."""
    shipped = 'title_ja = "機関間試験を実施する（接続検証環境）"'
    text = calendar_path("2018-07").read_text("utf-8")
    tasks = parse_calendar(text.replace(shipped, shipped[:-1] + ' "', 1)).tasks
    path = tmp_path / "evidence.csv"
    row = "310000,機関間試験を実施する（接続検証環境）,2018/5/24"
    path.write_text(f"code,task,date\n{row}\n", "utf-8")
    assert [e.task for e in load_evidence(path, tasks=tasks)] == ["inter-agency-test"]


def test_merged_ranges_that_hide_values_are_those_over_rows_below_the_header() -> None:
    """A range over several rows below the header, in a column read, hides the values of
    the rows below its first; a title over the header, a range within one row, or one over
    columns not read, hides nothing read."""
    from cutover.inputs.merges import hiding_values

    merges = ["A1:F1", "D3:D4", "E5:F5", "G6:H9", "B8:C9"]
    assert hiding_values(merges, 2, range(1, 7)) == [(3, 4, "D3:D4"), (8, 2, "B8:C9")]


def test_total_row_of_a_sheet_is_one_problem_at_its_cell(tmp_path: Path) -> None:
    """A sheet's total row (計 under the codes, as a survey table ends) is one problem,
    located at the cell that says 計, telling to delete the row."""
    path = _sheet(
        tmp_path / "readiness.xlsx",
        [
            ["団体コード", "業務システム", "提供・照会", "状況", "完了予定日"],
            ["130001", "地方税務", "提供", "完了", None],
            ["130001", "地方税務", "照会", "予定", dt.datetime(2018, 6, 28)],
            ["計", None, None, 2, None],
        ],
        title="改修状況",
    )
    agencies = load_agencies(Path(__file__).parent / "data" / "registry" / "agencies.csv")
    with pytest.raises(CutoverError) as caught:
        load_readiness(path, agencies)
    assert [(p.line, p.column, p.code) for p in caught.value.problems] == [
        (4, "A", "inputs.total-row")
    ]
    assert "readiness.xlsx:改修状況!A4: この行は合計の行のようです" in str(caught.value)


#: Text a cell can hold (XML 1.0's characters: no control character but tab and line breaks).
_CELL_TEXT = st.text(
    alphabet=st.characters(
        exclude_categories=["Cs"],
        exclude_characters=[chr(c) for c in range(0x20) if c not in (9, 10)] + ["\ufffe"],
    ),
    min_size=0,
    max_size=12,
).filter(lambda text: not text.startswith("="))  # (openpyxl writes that as a formula)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_CELL_TEXT, min_size=1, max_size=6))
def test_inline_strings_read_as_openpyxl_reads_them(texts: list[str]) -> None:
    """openpyxl writes text as inline strings (``<is><t>…</t></is>``), which the sheet's
    reader takes without openpyxl's rich-text objects: every text (spaces at either end,
    line breaks, Japanese, the empty one) reads as openpyxl itself reads it, and so does a
    cell of rich text, which keeps openpyxl's path."""
    from openpyxl import load_workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from cutover.inputs.sheetxml import sheet_values
    from cutover.inputs.unreadable import open_workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(texts)
    sheet.append([CellRichText("前", TextBlock(InlineFont(b=True), "太字"), "後")])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inline.xlsx"
        book.save(path)
        with zipfile.ZipFile(path) as z:
            assert 't="inlineStr"' in z.read("xl/worksheets/sheet1.xml").decode()
        theirs = load_workbook(path, read_only=True).worksheets[0]
        expected = [[cell.value for cell in row] for row in theirs.rows]
        with path.open("rb") as raw:
            opened = open_workbook(raw)
            got = [values for _, values in sheet_values(opened, opened.worksheets[0])]
            opened.close()

    def blank(value: object) -> object:
        return None if value in ("", None) else value

    width = max(len(expected[0]), len(got[0]))
    first = [blank(v) for v in got[0]] + [None] * (width - len(got[0]))
    assert first == [blank(v) for v in expected[0]] + [None] * (width - len(expected[0]))
    assert got[-1] == ["前太字後"]


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _shared_string(kind: str, text: str) -> str:
    """Return one ``<si>`` as Excel writes it: a plain text (spaces kept), an empty one,
    runs of rich text, or a text with its phonetic guide (furigana)."""
    from xml.sax.saxutils import escape

    t = escape(text)
    return {
        "plain": f'<si><t xml:space="preserve">{t}</t></si>',
        "empty": "<si><t/></si>",
        "runs": f"<si><r><rPr><b/></rPr><t>{t}</t></r><r><t>後</t></r></si>",
        "phonetic": f'<si><t>{t}</t><rPh sb="0" eb="1"><t>ヨミ</t></rPh></si>',
    }[kind]


@settings(max_examples=80, deadline=None)
@given(
    strings=st.lists(
        st.tuples(st.sampled_from(["plain", "empty", "runs", "phonetic"]), _CELL_TEXT),
        min_size=1,
        max_size=8,
    )
)
def test_shared_strings_read_as_openpyxl_reads_them(strings: list[tuple[str, str]]) -> None:
    """A workbook Excel saved names its texts in a shared strings table, which is read
    without openpyxl's rich-text objects for a plain text: every string (spaces at either
    end, line breaks, openpyxl's x005F_ escape, the empty one, rich-text runs, a phonetic
    guide) reads as openpyxl's own reader reads it."""
    import io

    from openpyxl.reader.strings import read_string_table

    from cutover.inputs.unreadable import _string_table

    body = "".join(_shared_string(kind, text) for kind, text in strings)
    xml = f'<sst xmlns="{_NS}" count="{len(strings)}">{body}</sst>'.encode()
    assert _string_table(io.BytesIO(xml)) == list(read_string_table(io.BytesIO(xml)))


def test_a_workbook_with_an_empty_chart_sheet_reads_its_table(tmp_path: Path) -> None:
    """A chart sheet added and left without a chart (Excel's "new chart sheet") made
    openpyxl fail inside its loader, and every command stopped with an internal error: the
    table sheet reads as without it."""
    from openpyxl import load_workbook

    from cutover.inputs.registry import load_readiness

    path = tmp_path / "readiness.xlsx"
    book = load_workbook(EXAMPLE / "readiness.xlsx")
    book.create_chartsheet("グラフ")
    book.save(path)
    assert load_readiness(path) == load_readiness(EXAMPLE / "readiness.xlsx")


def test_a_sheet_not_found_keeps_its_choices_apart_from_how_sheets_are_named() -> None:
    """A sheet named with nothing like it in the book lists the book's sheets, and the
    list ends before the note on naming sheets: it read 「次のいずれかを書いてください:
    Sheet1 シートは「ファイル名.xlsx#シート名」で指定します」, as if Sheet1 were named so."""
    with pytest.raises(CutoverError) as caught:
        load_agencies(f"{EXAMPLE / 'agencies.xlsx'}#団体")
    (problem,) = caught.value.problems
    said = problem.text("ja")
    assert said.endswith(
        "— 次のいずれかを書いてください: Sheet1（シートは「ファイル名.xlsx#シート名」で指定します）"
    )


#: The example's agencies.csv, a line each (its header first).
AGENCY_LINES = (EXAMPLE / "agencies.csv").read_text(encoding="utf-8").splitlines()


def _registry_book(title: str, lines: Sequence[str]) -> tuple[Workbook, Worksheet]:
    """Return a new workbook whose first sheet, `title`, holds `lines` of agencies.csv as
    rows of cells, and that sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for line in lines:
        sheet.append(line.split(","))
    return book, sheet


def test_a_table_split_over_sheets_is_said_not_dropped(tmp_path: Path) -> None:
    """A registry whose associations stand on a second sheet with the same header read 20
    agencies of 23 and said nothing: only the first sheet is read. A warning now names
    the sheets with a table of the same columns, and how to read them too; naming each
    sheet reads every row without a word. A sheet of notes is said nothing of."""
    rows = AGENCY_LINES
    book, _ = _registry_book("市町村", rows[:21])
    notes = book.create_sheet("メモ")
    notes.append(["団体コード", "備考"])
    second = book.create_sheet("一部事務組合")
    second.append(["団体一覧（一部事務組合等）"])  # (a title above its header)
    second.append(rows[0].split(","))
    for line in rows[21:]:
        second.append(line.split(","))
    path = tmp_path / "agencies.xlsx"
    book.save(path)
    with pytest.warns(InputWarning) as caught:
        found = load_agencies(path)
    assert len(found) == 20
    (said,) = [w.message.problem for w in caught if isinstance(w.message, InputWarning)]
    assert (said.code, said.sheet) == ("inputs.workbook-tables-beside", "市町村")
    text = said.text("ja")
    assert "ほかのシート（一部事務組合）にも同じ見出しの表があり、その行は読んでいません" in text
    assert f"（例: {path}#市町村 と {path}#一部事務組合）" in text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(load_agencies([f"{path}#市町村", f"{path}#一部事務組合"])) == 23


def test_rows_sorted_above_the_header_are_refused_not_skipped_as_titles(tmp_path: Path) -> None:
    """Excel sorts a table whose header it took for a row with the header among the rows:
    the rows sorted above it were skipped as title rows, and a registry read 20 agencies
    of 23 (a queries log, every pending request) without a word. Such rows (an agency's code
    under a column of codes) refuse the file at the first of them; a title row, even a
    long one, is still skipped."""
    rows = AGENCY_LINES
    book, _ = _registry_book("団体一覧", [*rows[21:], *rows[:21]])
    path = tmp_path / "sorted.xlsx"
    book.save(path)
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    (problem,) = caught.value.problems
    assert (problem.code, problem.sheet, problem.line) == (
        "inputs.rows-above-header",
        "団体一覧",
        1,
    )
    assert problem.params["header"] == 4
    assert problem.params["rows"] == 3
    assert "見出し（4行目）より上に、表の行に見える行" in problem.text("ja")
    assert "先頭行をデータの見出しとして使用する" in problem.text("ja")
    # Titles of two cells, one of them holding a code among its words: no row of the table.
    titles = ["鳥取県 団体一覧（平成30年6月1日現在）,作成: 鳥取県 市町村課 312011", ","]
    titled, _ = _registry_book("団体一覧", [*titles, *rows])
    titled.save(tmp_path / "titled.xlsx")
    assert len(load_agencies(tmp_path / "titled.xlsx")) == 23


@pytest.mark.parametrize("typed", [6.28, 28, 1], ids=["6.28", "28", "1"])
def test_a_number_typed_into_a_date_cell_is_refused_not_read_as_1900(
    tmp_path: Path, typed: float
) -> None:
    """Japanese Excel keeps 6.28 (meant for 6/28) typed into a yyyy/m/d cell as the number,
    shown as 1900/1/6: it was read as planned for 1900-01-06 (a survey reply merged it
    without a word). A date before 1949 is refused at its cell, saying why."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "system", "side", "status", "planned"])
    sheet.append(["131016", "nhi", "query", "planned", typed])
    sheet["E2"].number_format = "yyyy/m/d"
    path = tmp_path / "readiness.xlsx"
    book.save(path)
    with pytest.raises(CutoverError) as caught:
        load_readiness(path)
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.column) == ("inputs.date-too-early", 2, "E")
    assert "1900年の日付" in problem.text("ja")
    assert "6.28 や 28 のような数値を入力すると、1900年1月の日付として保存されます" in problem.text(
        "ja"
    )


@pytest.mark.parametrize(
    "titles",
    [
        # A per-agency sheet's contact block, and a title of code, name and what it is.
        [["改修状況調査（鳥取市）"], ["団体コード", "団体名", "担当課", "電話番号"],
         ["312011", "鳥取市", "情報政策課", "0857-20-3000"], []],
        [["312011", "鳥取市", "改修状況調査票", "平成30年5月1日現在"]],
        [["312011", "鳥取市", "回答者: 情報政策課 山田"]],
    ],
    ids=["contact-block", "code-name-title", "code-name-respondent"],
)  # fmt: skip
def test_a_title_with_an_agencys_code_is_still_a_title(
    tmp_path: Path, titles: list[list[str]]
) -> None:
    """Rows above the header that hold an agency's code but none of the table's values (a
    business system, a side, a status under their columns) are titles, skipped as before:
    the first rule for sorted-in rows refused these sheets whole."""
    lines = (EXAMPLE / "readiness.csv").read_text(encoding="utf-8").splitlines()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for title in titles:
        sheet.append(title)
    for line in lines:
        sheet.append(line.split(","))
    path = tmp_path / "readiness.xlsx"
    book.save(path)
    assert len(load_readiness(path)) == len(lines) - 1


def test_a_queries_export_with_its_agency_above_the_header_is_read(tmp_path: Path) -> None:
    """A log export whose first row names the agency it is of (団体コード | 131016 | 千代田区,
    the code where the querier column is) is read: the row shares none of the table's
    values where they are."""
    lines = (EXAMPLE / "queries.csv").read_text(encoding="utf-8").splitlines()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["団体コード", "312011", "鳥取市"])
    for line in lines:
        sheet.append(line.split(","))
    path = tmp_path / "queries.xlsx"
    book.save(path)
    rule = cutoff_rule(build_timeline(load_calendar("2018-07")))
    with triage_file(path, rule, AS_OF) as report:
        assert report.counts.total == len(lines) - 1


def test_rows_of_the_table_on_a_sheet_without_its_header_are_said(tmp_path: Path) -> None:
    """The associations moved to a sheet of their own, under a title but no header, were
    not read and not said (the warning looked for the header only): their rows, codes
    where the first sheet has its codes, are said now."""
    rows = AGENCY_LINES
    book, _ = _registry_book("市町村", rows[:21])
    second = book.create_sheet("一部事務組合")
    second.append(["一部事務組合等"])
    for line in rows[21:]:
        second.append(line.split(","))
    path = tmp_path / "agencies.xlsx"
    book.save(path)
    with pytest.warns(InputWarning) as caught:
        assert len(load_agencies(path)) == 20
    (said,) = [w.message.problem for w in caught if isinstance(w.message, InputWarning)]
    assert (said.code, said.sheet) == ("inputs.workbook-rows-beside", "市町村")
    assert "ほかのシート（一部事務組合）に、その表と同じ列に団体コードがある行があります" in (
        said.text("ja")
    )


def test_another_table_on_another_sheet_is_no_part_of_the_table(tmp_path: Path) -> None:
    """A readiness workbook with the evidence on a sheet of its own (its own header, a code
    where readiness has its codes) was said to hold readiness rows without a header, whose
    fix would paste evidence under readiness: rows of another table share none of the
    table's values where the table has them."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "改修状況"
    for line in (EXAMPLE / "readiness.csv").read_text(encoding="utf-8").splitlines():
        sheet.append(line.split(","))
    record = book.create_sheet("実施記録")
    for line in (EXAMPLE / "evidence.csv").read_text(encoding="utf-8").splitlines()[:20]:
        record.append(line.split(",")[:3])
    path = tmp_path / "readiness.xlsx"
    book.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_readiness(path)


def test_another_sheet_is_looked_at_only_in_its_first_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other sheets are looked at for a table's header in their first rows only, blank
    ones counted: a sheet of a million formatted but empty rows was read to its end (6 s
    each) for a warning. A header below them is no table a clerk split over sheets."""
    import cutover.inputs.workbook as workbook

    monkeypatch.setattr(workbook, "_BESIDE_ROWS", 30)
    rows = AGENCY_LINES
    book, _ = _registry_book("団体一覧", rows)
    near, far = book.create_sheet("近い"), book.create_sheet("遠い")
    for sheet, blank in ((near, 29), (far, 30)):
        for row in range(1, blank + 1):
            sheet.cell(row, 1).number_format = "0"  # (formatted, no value: a blank row)
        sheet.append(rows[0].split(","))
    path = tmp_path / "agencies.xlsx"
    book.save(path)
    with pytest.warns(InputWarning) as caught:
        load_agencies(path)
    (said,) = [w.message.problem for w in caught if isinstance(w.message, InputWarning)]
    assert said.params["sheets"] == ("近い",)


def test_a_damaged_sheet_beside_the_one_read_does_not_refuse_the_book(tmp_path: Path) -> None:
    """The book's other sheets are looked at for a table of the same columns: one of them
    damaged (its XML malformed, as a program other than Excel may write it) refused the
    whole book, whose first sheet, the one read, is whole. It is read, as when its sheet
    is named."""
    rows = AGENCY_LINES
    book, _ = _registry_book("団体一覧", rows)
    book.create_sheet("メモ")["A1"] = "memo"
    whole = tmp_path / "whole.xlsx"
    book.save(whole)
    path = tmp_path / "agencies.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as damaged:
        for part in source.namelist():
            data = source.read(part)
            damaged.writestr(part, b"<worksheet" if part == "xl/worksheets/sheet2.xml" else data)
    assert len(load_agencies(path)) == len(load_agencies(f"{path}#団体一覧")) == len(rows) - 1


def test_a_hidden_first_sheet_is_not_the_one_read(tmp_path: Path) -> None:
    """A book whose first sheet is hidden (an old copy of the registry, kept out of sight)
    was read from that sheet, 4 agencies of 23, with nothing said: the clerk sees, edits
    and means the first visible one. It is read, and the hidden copy is said nothing of;
    named after ``#``, the hidden sheet is still read."""
    rows = AGENCY_LINES
    book, old = _registry_book("旧", rows[:5])
    old.sheet_state = "hidden"
    shown = book.create_sheet("団体一覧")
    for line in rows:
        shown.append(line.split(","))
    book.active = 1
    path = tmp_path / "agencies.xlsx"
    book.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(load_agencies(path)) == 23
    assert len(load_agencies(f"{path}#旧")) == 4
