"""Tests for `cutover.inputs.registry`: the agencies, readiness and evidence readers, and the
template.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import agency_rows, leaked, without_line

from cutover.calendar.load import load_calendar
from cutover.errors import CutoverError, InputWarning, Problem
from cutover.i18n.catalogue import Lang
from cutover.inputs.model import Agency, Evidence, Readiness, Registry
from cutover.inputs.registry import (
    load_agencies,
    load_evidence,
    load_readiness,
    load_registry,
    registry_template,
    template_note,
)
from cutover.jp.codes import check_digit, municipalities_of
from cutover.jp.vocabulary import Kind, Side, Status

DATA = Path(__file__).parent / "data"
FIXTURES = DATA / "registry"
BAD = DATA / "bad" / "registry"
HEADER = "code,name,kind,test_requested,provides,new_delegations\n"

TOKYO_AGENCIES = (
    Agency("130001", "東京都", Kind.PREFECTURE, True, frozenset({2, 8, 21}), frozenset(), 2),
    Agency("131016", "千代田区", Kind.MUNICIPALITY, False, frozenset({2, 21}), frozenset({52}), 3),
    Agency("131024", "中央区", Kind.MUNICIPALITY, True, frozenset({2, 21}), frozenset(), 4),
    Agency("132012", "八王子市", Kind.MUNICIPALITY, False, frozenset({2, 8}), frozenset(), 5),
    Agency("138509", "例示広域連合", Kind.ASSOCIATION, True, frozenset(), frozenset(), 6),
)


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _problems(load: Callable[..., object], *args: object, lang: Lang = "en") -> list[str]:
    """Return the problems `load(*args)` raises, each as its line in `lang`."""
    with pytest.raises(CutoverError) as caught:
        load(*args)
    return [p.text(lang) for p in caught.value.problems]


#: An English sentence: four words or more (as tests/test_i18n.py looks for them in the
#: catalogue), once what a Japanese text quotes is set aside: values, columns, code.
_ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[ ,'-]+[A-Za-z]+){3,}")
_QUOTED = re.compile(r"「[^」]*」|`[^`]*`|'[^']*'|\"[^\"]*\"")


def assert_reads_as_japanese(problems: Iterable[Problem]) -> None:
    """Assert that no problem's Japanese message or fix holds an English sentence outside
    what it quotes (its file and column, the place, are not part of them)."""
    for problem in problems:
        for text in problem.describe("ja"):
            assert not _ENGLISH_RUN.search(_QUOTED.sub("", text)), text


# --- agencies.csv ---------------------------------------------------------------------------


def test_load_agencies_fixture() -> None:
    """The example agencies.csv loads into agencies sorted by code, with every column parsed."""
    assert load_agencies(FIXTURES / "agencies.csv") == TOKYO_AGENCIES


def test_japanese_headers_and_values() -> None:
    """Japanese headers, kinds, yes/no words, full-width digits and separators load the same."""
    assert load_agencies(FIXTURES / "agencies_ja.csv") == TOKYO_AGENCIES


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_every_encoding_loads(tmp_path: Path, encoding: str) -> None:
    """UTF-8, UTF-8 with BOM and cp932 (Excel's Shift_JIS) agencies files all load alike."""
    text = (FIXTURES / "agencies_ja.csv").read_text(encoding="utf-8")
    path = _write(tmp_path, text.replace("\n", "\r\n"), encoding)
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
    assert load_agencies(path) == TOKYO_AGENCIES


def test_cp932_errors_keep_japanese_values(tmp_path: Path) -> None:
    """An error in a cp932 file quotes the bad value as written, decoded."""
    path = _write(tmp_path, HEADER + "131016,千代田区,市役所,,,\n", "cp932")
    assert _problems(load_agencies, path) == [
        f"{path}:2: kind: unknown agency kind '市役所' — valid choices: association "
        "(一部事務組合等), municipality (市区町村) or prefecture (都道府県)"
    ]
    assert "「市役所」" in _problems(load_agencies, path, lang="ja")[0]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("yes", True), ("Yes", True), ("true", True), ("1", True), ("はい", True), ("○", True),
        ("有", True), ("ＹＥＳ", True), ("１", True), ("", False), ("no", False), ("false", False),
        ("0", False), ("いいえ", False), ("×", False), ("無", False), ("ｎｏ", False),
        # as Excel writes them: booleans in capitals, the 〇 (U+3007) of an IME, full-width spaces
        ("TRUE", True), ("FALSE", False), ("〇", True), ("　はい　", True), ("　×", False),
    ],
)  # fmt: skip
def test_test_requested_spellings(tmp_path: Path, cell: str, expected: bool) -> None:
    """test_requested accepts yes/no in English, Japanese, digits and marks; blank is no."""
    path = _write(tmp_path, HEADER + f"131016,千代田区,municipality,{cell},,\n")
    assert load_agencies(path)[0].test_requested is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", frozenset()), ("2", {2}), ("2 21", {2, 21}), ('"2,21"', {2, 21}), ("2、21", {2, 21}),
        ("2・21", {2, 21}), ("２　２１", {2, 21}), ('"2，21"', {2, 21}), ("2番、21番", {2, 21}),
        ('" 2 , 8 , 21 "', {2, 8, 21}), ("999", {999}), ("2 2", {2}), ("２ ２１", {2, 21}),
        ("　2 21　", {2, 21}), ("なし", frozenset()), ("無し", frozenset()), ("無", frozenset()),
        ("該当なし", frozenset()), ("－", frozenset()), ("-", frozenset()),
    ],
)  # fmt: skip
def test_item_lists(tmp_path: Path, cell: str, expected: frozenset[int]) -> None:
    """Item numbers may be separated by spaces, commas, 、 or ・ (full width too); blank, or
    なし or - as a clerk writes for none (as for a test not requested), is none."""
    path = _write(tmp_path, HEADER + f"131016,千代田区,municipality,,{cell},\n")
    assert load_agencies(path)[0].provides == expected


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    """Every problem of a file is raised at once, in line order, each with file and line."""
    path = _write(
        tmp_path,
        HEADER
        + "11002,札幌市,municipality,,,\n"
        + "131016,千代田区,city,maybe,2;21,\n"
        + "131024,中央区,municipality,,,\n"
        + "131016,千代田区,municipality,,,\n"
        + "131024,中央区\n",
    )
    problems = _problems(load_agencies, path)
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{path}:2",
        f"{path}:3",
        f"{path}:3",
        f"{path}:3",
        f"{path}:5",
        f"{path}:6",
    ]
    assert "appears twice, on lines 3 and 5" in problems[4]


def test_rows_after_blank_lines_keep_their_line_numbers(tmp_path: Path) -> None:
    """Blank lines are skipped, and the rows after them keep their physical line numbers."""
    path = _write(
        tmp_path, HEADER + "\n130001,東京都,prefecture,,,\n\n131016,千代田区,市区町村,,,\n"
    )
    assert [a.line for a in load_agencies(path)] == [3, 5]


def test_extra_columns_are_ignored(tmp_path: Path) -> None:
    """Columns the registry does not know (a coordinator's notes) are ignored."""
    path = _write(
        tmp_path,
        "備考,code,name,kind,test_requested,provides,new_delegations\n"
        "メモ,131016,千代田区,municipality,,,\n",
    )
    assert load_agencies(path)[0].code == "131016"


def test_missing_file(tmp_path: Path) -> None:
    """A file that does not exist is an error naming it, not a traceback; told only to check
    the name and folder (it also said to close the file in Excel, which cannot be the cause
    of a file that is not there)."""
    problems = _problems(load_agencies, tmp_path / "nope.csv")
    assert problems == [f"{tmp_path / 'nope.csv'}: cannot read agencies file: "
                        "No such file or directory — check the file's name and folder"]  # fmt: skip
    assert _problems(load_agencies, tmp_path / "nope.csv", lang="ja") == [
        f"{tmp_path / 'nope.csv'}: 団体一覧のファイルを読めません"
        "（ファイルまたはフォルダーがありません） — ファイル名とフォルダーを確かめてください"
    ]


@pytest.mark.filterwarnings("ignore::cutover.errors.InputWarning")  # random names, real codes
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(
    st.lists(agency_rows(), min_size=1, max_size=20, unique_by=lambda row: row[1].code),
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_random_agency_rows_round_trip(
    tmp_path: Path, rows: list[tuple[list[str], Agency]], encoding: str
) -> None:
    """Any valid rows, in any accepted spelling, written as CSV load back as the same agencies."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER.strip().split(","))
    writer.writerows(cells for cells, _ in rows)
    path = _write(tmp_path, out.getvalue(), encoding, name="round-trip.csv")
    loaded = load_agencies(path)
    assert [without_line(a) for a in loaded] == sorted(
        (agency for _, agency in rows), key=lambda a: a.code
    )


def _synthetic_rows() -> list[str]:
    """Return one row for each of the 46,953 possible non-prefecture codes."""
    rows = []
    for prefecture in range(1, 48):
        for number in range(1, 1000):
            five = f"{prefecture:02d}{number:03d}"
            code = f"{five}{check_digit(five)}"
            rows.append(f"{code},団体{code},municipality,yes,2 21,8\n")
    return rows


# Speed is measured by benchmarks, not timed tests (DESIGN.md §4); these two check that
# nothing is lost at the size of a national registry and beyond.


@pytest.mark.filterwarnings("ignore::cutover.errors.InputWarning")  # names made up: 団体NNNNNN
def test_every_possible_municipality_code_loads(tmp_path: Path) -> None:
    """All 46,953 possible municipality codes load, none dropped."""
    rows = _synthetic_rows()
    agencies = load_agencies(_write(tmp_path, HEADER + "".join(rows)))
    assert len(agencies) == len(rows)
    assert agencies[0].code == "010014"


def test_100000_rows_with_duplicates_are_all_reported(tmp_path: Path) -> None:
    """A 100,000-row file with 53,047 repeated codes reports every repeat, each on its line."""
    rows = (_synthetic_rows() * 3)[:100_000]
    with pytest.raises(CutoverError) as caught:
        load_agencies(_write(tmp_path, HEADER + "".join(rows)))
    problems = caught.value.problems
    assert len(problems) == 100_000 - 46_953
    assert problems[0].line == 46_953 + 2
    assert problems[-1].line == 100_001


# --- what Excel does to the files ---------------------------------------------------------------


def test_a_registry_warning_on_a_workbook_names_its_sheet_and_cell(tmp_path: Path) -> None:
    """A warning about a row of a registry workbook is placed as its errors are: on the
    sheet and in the cell of the column it is about (団体一覧!B4), not on a bare line."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "団体一覧"
    sheet.append(["北海道 団体一覧"])
    sheet.append(HEADER.strip().split(","))
    sheet.append(["010006", "北海道", "prefecture"])
    sheet.append(["012025", "小樽市", "municipality"])
    sheet.append(["403059", "那珂川町", "municipality"])
    path = tmp_path / "agencies.xlsx"
    book.save(path)
    said = _warned(lambda: load_agencies(path))
    assert [line.split(" ", 1)[0] for line in said] == [
        f"{path}:団体一覧!B4:",
        f"{path}:団体一覧!C5:",
    ]


def test_a_name_in_a_variant_form_is_the_official_name(tmp_path: Path) -> None:
    """A name written with ヶ for the list's ケ (or the other way), or with the other form
    of a kanji of the list's names (鯵 for 鰺, the town's own 檮 for the list's 梼) is the
    official name: no warning; a different name still is warned of, and an association
    named so, as the listed agency it copies."""
    path = _write(
        tmp_path,
        HEADER + "033812,金ヶ崎町,municipality,,,\n023213,鯵ヶ沢町,municipality,,,\n"
        "023078,青森県　外ケ浜町,municipality,,,\n394050,檮原町,municipality,,,\n"
        "082082,竜ヶ崎市,municipality,,,\n133078,桧原村,municipality,,,\n"
        "392014,梼原町,municipality,,,\n398012,檮原町,association,,,\n",
    )
    said = _warned(lambda: load_agencies(path))
    assert len(said) == 2
    assert said[0].startswith(f"{path}:8: name: code 392014 is named '梼原町', but")
    assert said[0].endswith(
        "write that agency's code (梼原町 is 394050) (cutover init "
        "--prefecture writes the list as the code list has it)"
    )
    assert said[1].startswith(
        f"{path}:9: name: association 398012 is named '檮原町', the "
        "name of 高知県 梼原町 (394050, municipality)"
    )


EVIDENCE_HEADER = "code,task,date,detail\n"
READINESS_HEADER = "code,system,side,status,planned\n"


@pytest.mark.parametrize(
    "cell",
    [
        "2018/06/08 0:00", "2018/6/8 0:00:00", "2018-06-08 00:00", "2018-06-08T09:30:00",
        "2018/6/8 23:59", "H30.6.8 9:30", "平成30年6月8日 0:00", "２０１８/６/８　０:００",
    ],
)  # fmt: skip
def test_a_date_with_a_time_of_day_is_its_day(tmp_path: Path, cell: str) -> None:
    """A date cell Excel writes with its time (2018/06/08 0:00) is read as its day."""
    evidence = _write(tmp_path, EVIDENCE_HEADER + f"131016,inter-agency-test,{cell},\n")
    assert load_evidence(evidence)[0].date == date(2018, 6, 8)
    readiness = _write(tmp_path, READINESS_HEADER + f"131016,nhi,query,planned,{cell}\n", name="r")
    assert load_readiness(readiness)[0].planned == date(2018, 6, 8)


_SERIAL_EPOCH = date(1899, 12, 30)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(
    # Serials 30,000 to 59,999 (1982-02-18 to 2064-04-07): the range `excel_serial` names.
    day=st.dates(
        min_value=_SERIAL_EPOCH + timedelta(30_000),
        max_value=_SERIAL_EPOCH + timedelta(59_999),
    ),
    fraction=st.sampled_from(["", ".5", ".25", ".875"]),
    column=st.sampled_from(["planned", "date"]),
)
def test_an_excel_serial_date_is_refused_naming_its_day(
    tmp_path: Path, day: date, fraction: str, column: str
) -> None:
    """A date saved as Excel's serial number is never taken for a date: the message names
    the day it stands for, and the fix how to save the column as a date."""
    serial = f"{(day - _SERIAL_EPOCH).days}{fraction}"
    if column == "planned":
        path = _write(tmp_path, READINESS_HEADER + f"131016,nhi,query,planned,{serial}\n")
        (problem,) = _problems(load_readiness, path)
    else:
        path = _write(tmp_path, EVIDENCE_HEADER + f"131016,inter-agency-test,{serial},\n")
        (problem,) = _problems(load_evidence, path)
    assert problem.startswith(f"{path}:2: {column}: '{serial}' is a date as Excel stores it")
    assert f"({day.isoformat()}" in problem
    assert f"written as {day.year}/{day.month}/{day.day} (if that is the date meant)" in problem
    (japanese,) = _problems(load_readiness if column == "planned" else load_evidence, path,
                            lang="ja")  # fmt: skip
    assert japanese.startswith(f"{path}:2: {column}: 「{serial}」は Excel が内部で持つ日付の数値")
    assert f"{day.year}/{day.month}/{day.day} と書き出されるように" in japanese


@pytest.mark.parametrize(("serial", "named"), [("29999", False), ("30000", True),
                                               ("59999.875", True), ("60000", False)])  # fmt: skip
def test_excel_serial_range_edges(tmp_path: Path, serial: str, named: bool) -> None:
    """Only numbers from 30,000 to 59,999.x (1982-02-18 to 2064-04-07) are named as Excel's
    dates; others are unrecognized dates, with the forms to write."""
    path = _write(tmp_path, READINESS_HEADER + f"131016,nhi,query,planned,{serial}\n")
    (problem,) = _problems(load_readiness, path)
    assert ("is a date as Excel stores it" in problem) is named
    assert ("unrecognized date" in problem) is not named


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    form=st.sampled_from(["{m}月{d}日", "{m}/{d}", "{m}月{d}日(金)", "{m}/{d} 0:00", "{m}／{d}"]),
)
def test_a_date_without_a_year_is_refused(tmp_path: Path, day: date, form: str) -> None:
    """Month and day without the year (a cell formatted m月d日) is refused, never guessed."""
    cell = form.format(m=day.month, d=day.day)
    path = _write(tmp_path, EVIDENCE_HEADER + f"131016,inter-agency-test,{cell},\n")
    (problem,) = _problems(load_evidence, path)
    assert "has no year" in problem
    assert f"e.g. 2018/{day.month}/{day.day} or 平成30年{day.month}月{day.day}日" in problem
    (japanese,) = _problems(load_evidence, path, lang="ja")
    assert japanese.startswith(f"{path}:2: date: 「")
    assert "」に年がありません" in japanese
    assert f"2018/{day.month}/{day.day} または 平成30年{day.month}月{day.day}日" in japanese


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    form=st.sampled_from(["{y}/{m}/{d}", "{y}/{m:02d}/{d:02d}", "{y}-{m:02d}-{d:02d}"]),
)
def test_any_excel_date_time_reads_as_its_day(
    tmp_path: Path, day: date, hour: int, minute: int, form: str
) -> None:
    """Whatever the time, a date-time written by Excel reads as the day it names."""
    cell = form.format(y=day.year, m=day.month, d=day.day) + f" {hour}:{minute:02d}"
    path = _write(tmp_path, EVIDENCE_HEADER + f"131016,inter-agency-test,{cell},\n")
    assert load_evidence(path)[0].date == day


def test_empty_rows_are_one_problem_per_run(tmp_path: Path) -> None:
    """Hundreds of ",,,," rows under the data are one problem, not one per row."""
    path = _write(
        tmp_path,
        READINESS_HEADER
        + "131016,nhi,query,done,\n"
        + ",,,,\n"
        + "131016,nhi,provision,done,\n"
        + ",,,,\n" * 300,
    )
    assert _problems(load_readiness, path) == [
        f"{path}:3: the row is empty — delete the empty rows: in Excel, select them (under or "
        "between the data), delete them with 行の削除 and save again (Excel writes a row of "
        "commas for each row once used or formatted)",
        f"{path}:5: the rows on lines 5–304 are empty (300 rows) — delete the empty rows: in "
        "Excel, select them (under or between the data), delete them with 行の削除 and save "
        "again (Excel writes a row of commas for each row once used or formatted)",
    ]
    assert [p.split(" — ")[0] for p in _problems(load_readiness, path, lang="ja")] == [
        f"{path}:3: 空の行です",
        f"{path}:5: 5〜304行目の 300 行が空です",
    ]


def test_a_repeated_header_is_one_problem(tmp_path: Path) -> None:
    """A header in the middle (two sheets pasted together) is one problem, not one per
    column; the rows after it are still checked."""
    path = _write(
        tmp_path,
        EVIDENCE_HEADER
        + "131016,inter-agency-test,2018-06-01,\n"
        + "団体コード,作業,日付,備考\n"
        + "131024,inter-agency-test,2018-06-31,\n",
    )
    problems = _problems(load_evidence, path)
    assert problems[0] == (
        f"{path}:3: the row repeats the header: two sheets or files pasted together — delete "
        "this row (the rows under it are read in the columns of the first header)"
    )
    assert len(problems) == 2
    assert problems[1].startswith(f"{path}:4: date: '2018-06-31' is not a date")
    japanese = _problems(load_evidence, path, lang="ja")
    assert japanese[0].startswith(f"{path}:3: この行は見出しの繰り返しです")
    assert japanese[1].startswith(f"{path}:4: date: 「2018-06-31」は日付ではありません")


def test_a_value_that_names_a_column_is_not_a_header(tmp_path: Path) -> None:
    """Only a row whose every value is a header name is taken for a header."""
    path = _write(tmp_path, EVIDENCE_HEADER + "code,inter-agency-test,2018-06-01,\n")
    assert _problems(load_evidence, path) == [
        f"{path}:2: code: code 'code' is not all digits — a 全国地方公共団体コード has 6 digits: "
        "prefecture (2), municipality (3), check digit (1)"
    ]


def test_rows_without_the_header_s_trailing_blank_columns(tmp_path: Path) -> None:
    """A header saved with empty columns (trailing commas) reads rows that leave them out."""
    path = _write(
        tmp_path,
        "code,name,kind,test_requested,provides,new_delegations,,\n"
        '131016,千代田区,municipality,no,"2,21",52,,\n'
        "131024,中央区,市区町村,はい,2、21,\n",
    )
    assert [(a.code, a.provides, a.new_delegations) for a in load_agencies(path)] == [
        ("131016", frozenset({2, 21}), frozenset({52})),
        ("131024", frozenset({2, 21}), frozenset()),
    ]


# --- the bad-input corpus ---------------------------------------------------------------------


def _corpus() -> list[Path]:
    return sorted(BAD.glob("*.csv"))


def test_a_csv_names_a_column_as_its_header_writes_it(tmp_path: Path) -> None:
    """A problem of a CSV file's column names it as the file's header does (種別, 完了予定日),
    as a workbook's does: it said ``kind`` and ``planned``, names the clerk never wrote."""
    path = tmp_path / "agencies.csv"
    path.write_text(
        "団体コード,団体名,種別,test_requested,provides,new_delegations\n310000,鳥取県,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    (problem,) = caught.value.problems
    assert problem.text("ja").startswith(f"{path}:2: 種別 が空欄です — ")
    agencies = load_agencies(FIXTURES / "agencies.csv")
    path = tmp_path / "readiness.csv"
    path.write_text(
        "団体コード,業務システム,区分,状況,完了予定日\n131016,地方税務,提供,予定,6月31日\n",
        encoding="utf-8",
    )
    with pytest.raises(CutoverError) as caught:
        load_readiness(path, agencies)
    (problem,) = caught.value.problems
    assert problem.text("ja").startswith(f"{path}:2: 完了予定日: ")
    assert problem.key == "planned"  # (the canonical name stays, for a program)


def test_a_note_under_a_column_not_read_is_no_row_and_is_said(tmp_path: Path) -> None:
    """A CSV row whose only value is under a column the reader does not read (備考) is a note,
    not 「空の行です」: the rows are read as without it, one warning gives its line, column
    and text; a row that is empty throughout is still the problem it was."""
    agencies = load_agencies(FIXTURES / "agencies.csv")
    rows = [
        "code,system,side,status,planned,備考",
        "131016,local-tax,provision,done,,",
        ",,,,,6月末に再確認します",
        "131016,local-tax,query,done,,",
    ]
    path = tmp_path / "readiness.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.warns(InputWarning) as caught:
        found = load_readiness(path, agencies)
    assert [(r.code, r.side) for r in found] == [("131016", Side.PROVISION), ("131016", Side.QUERY)]
    (said,) = [w.message.problem for w in caught if isinstance(w.message, InputWarning)]
    assert (said.code, said.line, said.key) == ("inputs.outside-table", 3, "備考")
    assert "（最初は「6月末に再確認します」）" in said.text("ja")
    assert "(the first: '6月末に再確認します')" in said.text("en")
    path.write_text("\n".join([*rows, ",,,,,"]) + "\n", encoding="utf-8")
    with pytest.raises(CutoverError) as refused, pytest.warns(InputWarning):
        load_readiness(path, agencies)
    assert [(p.code, p.line) for p in refused.value.problems] == [("inputs.empty-row", 5)]


def test_a_file_with_many_empty_rows_is_read_again_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows of commas between every row: each is told, and the file is read a second time
    (for notes under a column not read) once, not once per run of empty rows (40,000 rows
    took 141 s that way)."""
    from cutover.inputs.csvfile import CsvFile

    agencies = load_agencies(FIXTURES / "agencies.csv")
    rows = ["code,system,side,status,planned"]
    for system in ("local-tax", "health", "child-welfare", "nhi"):
        rows += [f"131016,{system},provision,done,", ",,,,"]
    path = tmp_path / "readiness.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    asked = []
    reads = CsvFile.outside_values

    def counted(self: CsvFile) -> dict[int, tuple[str, str, tuple[str, ...]]]:
        asked.append(self.name)
        return reads(self)

    monkeypatch.setattr(CsvFile, "outside_values", counted)
    with pytest.raises(CutoverError) as caught:
        load_readiness(path, agencies)
    assert [(p.code, p.line) for p in caught.value.problems] == [
        ("inputs.empty-row", line) for line in (3, 5, 7, 9)
    ]
    assert asked == [str(path)]


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.stem)
def test_bad_input_corpus(path: Path) -> None:
    """Each bad file produces the message fragments its .expected file lists, with its name."""
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    agencies = load_agencies(FIXTURES / "agencies.csv")
    loaders: dict[str, Callable[[], object]] = {
        "agencies": lambda: load_agencies(path),
        "readiness": lambda: load_readiness(path, agencies),
        # As the commands read it: with the calendar's tasks, for "it seems to mean".
        "evidence": lambda: load_evidence(path, agencies, tasks=load_calendar("2018-07").tasks),
    }
    with pytest.raises(CutoverError) as caught:
        loaders[path.stem.split("-", 1)[0]]()
    message = caught.value.text("en")
    for fragment in filter(None, expected):
        assert fragment in message
    # (no message repeats a personal number, in either language)
    assert not leaked(message)
    assert not leaked(caught.value.text("ja"))
    assert all(p.file == str(path) for p in caught.value.problems)
    # (A line for every problem but a workbook's own: damaged, encrypted, an old .xls.)
    assert all(
        p.line is not None or p.code.startswith("inputs.workbook-") for p in caught.value.problems
    )
    assert_reads_as_japanese(caught.value.problems)


def test_a_workbook_of_another_kind_names_the_option_it_belongs_to() -> None:
    """The example's readiness workbook given as the agencies file says, at its sheet and
    header row, that it is a readiness file for --readiness: asking for the agencies'
    columns had the clerk add them to the wrong file."""
    example = Path(__file__).parent.parent / "examples" / "tottori"
    with pytest.raises(CutoverError) as caught:
        load_agencies(example / "readiness.xlsx")
    (problem,) = caught.value.problems
    assert (problem.code, problem.sheet, problem.line) == ("inputs.other-kind", "改修状況", 1)
    said = problem.text("ja")
    assert "団体一覧のファイルとして読めません" in said
    assert "改修状況のファイルの見出しです — このファイルは --readiness に指定してください" in said
    assert "give this file to --readiness" in problem.text("en")


def test_corpus_is_complete() -> None:
    """Every corpus file has its .expected file, and the corpus covers the three files."""
    corpus = _corpus()
    assert all(p.with_suffix(".expected").is_file() for p in corpus)
    assert {p.stem.split("-", 1)[0] for p in corpus} == {"agencies", "readiness", "evidence"}


# --- readiness.csv and evidence.csv -------------------------------------------------------------


def test_load_readiness_fixture() -> None:
    """readiness.csv loads with Japanese values and wareki dates, sorted by code, system, side."""
    agencies = load_agencies(FIXTURES / "agencies.csv")
    assert load_readiness(FIXTURES / "readiness.csv", agencies) == (
        Readiness("130001", "local-tax", Side.PROVISION, Status.DONE, None, 2),
        Readiness("130001", "local-tax", Side.QUERY, Status.PLANNED, date(2018, 6, 15), 3),
        Readiness("131016", "local-tax", Side.QUERY, Status.PLANNED, date(2018, 6, 29), 4),
        Readiness("131016", "nhi", Side.PROVISION, Status.NOT_STARTED, None, 5),
        Readiness("132012", "health", Side.QUERY, Status.NOT_APPLICABLE, None, 6),
    )


def test_readiness_without_agencies_accepts_any_valid_code(tmp_path: Path) -> None:
    """Without an agencies list, readiness codes are only checked for shape and check digit."""
    path = _write(tmp_path, "コード,業務システム,提供照会,状況\n472018,国保,提供,完了\n")
    assert load_readiness(path) == (
        Readiness("472018", "nhi", Side.PROVISION, Status.DONE, None, 2),
    )


def test_readiness_planned_date_kept_for_other_statuses(tmp_path: Path) -> None:
    """A date given with another status is kept, not dropped."""
    path = _write(tmp_path, "code,system,side,status,planned\n131016,nhi,query,done,2018-05-01\n")
    assert load_readiness(path)[0].planned == date(2018, 5, 1)


def test_load_evidence_fixture() -> None:
    """evidence.csv loads, wareki dates and Japanese system qualifiers included, sorted by code."""
    agencies = load_agencies(FIXTURES / "agencies.csv")
    path = FIXTURES / "evidence.csv"
    assert load_evidence(path, agencies) == (
        Evidence("130001", "register:2", date(2018, 6, 20), "", 3, str(path)),
        Evidence(
            "131016", "inter-agency-test", date(2018, 6, 1), "接続検証環境で実施", 2, str(path)
        ),
        Evidence(
            "131024",
            "modify-query:local-tax",
            date(2018, 6, 25),
            "detail, with a comma",
            4,
            str(path),
        ),
    )


def test_unknown_codes_without_near_match(tmp_path: Path) -> None:
    """An unknown code with no near known code says to add the agency, not a list of codes."""
    agencies = load_agencies(FIXTURES / "agencies.csv")
    path = _write(tmp_path, "code,task,date,detail\n139998,inter-agency-test,2018-06-01,\n")
    assert _problems(load_evidence, path, agencies) == [
        f"{path}:2: code: code '139998' is not in the agencies file — add the agency to the "
        "agencies file, or correct the code"
    ]


# --- the registry ------------------------------------------------------------------------------


def test_load_registry() -> None:
    """load_registry reads all three files and indexes them by code."""
    registry = load_registry(
        FIXTURES / "agencies.csv", FIXTURES / "readiness.csv", [FIXTURES / "evidence.csv"]
    )
    assert registry.agencies == TOKYO_AGENCIES
    assert registry.by_code("131016").name == "千代田区"
    assert [r.system for r in registry.readiness_of("131016")] == ["local-tax", "nhi"]
    assert registry.readiness_of("138509") == ()
    assert len(registry.evidence) == 3
    assert [e.task for e in registry.evidence_of("130001")] == ["register:2"]


def test_registry_unknown_code() -> None:
    """Asking the registry for an unknown code is an error suggesting the nearest code."""
    registry = Registry(TOKYO_AGENCIES)
    with pytest.raises(CutoverError) as caught:
        registry.by_code("131017")
    assert caught.value.text("en") == (
        "no agency with code '131017' in the registry — did you mean '131016'? Otherwise add "
        "the agency to the agencies file"
    )
    assert str(caught.value) == (
        "コード「131017」の団体は団体一覧にありません — 「131016」のことですか？ そうでなければ、"
        "団体一覧にその団体を追加してください"
    )


def test_load_registry_reports_every_file(tmp_path: Path) -> None:
    """Problems of the agencies, readiness and evidence files are raised together."""
    agencies = _write(tmp_path, HEADER + "11002,札幌市,municipality,,,\n", name="a.csv")
    readiness = _write(tmp_path, "code,system,side,status\n131016,税,提供,完了\n", name="r.csv")
    evidence = _write(tmp_path, "code,task,date\n131016,test,someday\n", name="e.csv")
    problems = _problems(load_registry, agencies, readiness, [evidence])
    assert [p.split(":", 1)[0] for p in problems] == [str(agencies), str(readiness), str(evidence)]


# --- the template ------------------------------------------------------------------------------


def test_template_by_number_and_name_agree() -> None:
    """registry_template('13') and registry_template('東京都') give the same file."""
    assert registry_template("13") == registry_template("東京都")


def test_template_lists_the_prefecture_and_its_municipalities(tmp_path: Path) -> None:
    """The template has the prefecture and all its municipalities, and loads as a registry."""
    text = registry_template("東京都")
    lines = text.splitlines()
    assert lines[0] == HEADER.strip()
    assert lines[1] == "130001,東京都,prefecture,,,"
    assert lines[2] == "131016,千代田区,municipality,,,"
    assert len(lines) == 1 + 1 + len(municipalities_of("13")) == 64
    agencies = load_agencies(_write(tmp_path, text))
    assert len(agencies) == 63
    assert not any(a.test_requested or a.provides or a.new_delegations for a in agencies)


def test_template_notes_mention_associations() -> None:
    """The notes printed with the template explain how to add 一部事務組合・広域連合, in the
    reader's language."""
    assert "一部事務組合・広域連合" in template_note("ja")
    assert "association" in template_note("ja")
    assert template_note("en").startswith("Wrote the prefecture and its municipalities")
    # (and, for Excel, the workbook whose codes keep their zero: `init -o agencies.xlsx`)
    assert all("-o agencies.xlsx" in template_note(lang) for lang in ("ja", "en"))


def test_template_unknown_prefecture() -> None:
    """An unknown prefecture for the template is an error with a suggestion."""
    with pytest.raises(CutoverError) as caught:
        registry_template("東京県")
    assert "did you mean '東京都'" in caught.value.text("en")
    assert "「東京都」のことですか？" in str(caught.value)


def test_two_note_columns_read_the_first(tmp_path: Path) -> None:
    """evidence.csv with both 内容 and 備考 (free text) is read, the first as the detail."""
    text = "団体コード,作業,実施日,内容,備考\n131016,inter-agency-test,2018/6/8,試験済,メモ\n"
    path = _write(tmp_path, text)
    (evidence,) = load_evidence(path)
    assert evidence.detail == "試験済"


def test_two_date_columns_are_refused(tmp_path: Path) -> None:
    """evidence.csv with both 日付 and 実施日: which is the day? Refused, naming both."""
    text = "団体コード,作業,日付,実施日\n131016,inter-agency-test,2018/6/8,2018/6/9\n"
    path = _write(tmp_path, text)
    (problem,) = _problems(load_evidence, path)
    assert problem.startswith(f"{path}:1: columns '日付' and '実施日' both mean date")
    (japanese,) = _problems(load_evidence, path, lang="ja")
    assert japanese.startswith(f"{path}:1: 列「日付」と「実施日」はどちらも date の列です")


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("未完了", None),  # "not finished": looks like 完了, means anything but done
        ("対応済", "done"),  # looks like 未対応
        ("着手済", "planned"),  # started: looks like 未着手
        ("完了予定", "planned"),  # looks like 完了
        ("doen", "done"),  # an English typo is still spelled out
    ],
)
def test_status_is_suggested_by_meaning_not_spelling(written: str, meant: str | None) -> None:
    """A Japanese status word is never matched by its look: 未完了 is not "did you mean
    done", which would count a system not modified as done in the §3 table."""
    from cutover.jp.vocabulary import parse_status

    with pytest.raises(CutoverError) as caught:
        parse_status(written)
    fix = caught.value.problems[0].describe("en")[1]
    if meant is None:
        assert fix.startswith("valid choices: ")
    elif written.isascii():
        assert fix == f"did you mean {meant!r}?"
    else:
        assert fix.startswith(f"it seems to mean {meant!r}: if so, write {meant}")


def _warned(load: Callable[[], object], lang: Lang = "en") -> list[str]:
    """Return the text of each `InputWarning` that `load` gives, in `lang`."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load()
    return [w.message.problem.text(lang) for w in caught if isinstance(w.message, InputWarning)]


def test_a_name_other_than_the_official_lists_is_warned_of(tmp_path: Path) -> None:
    """Issue 18 point 9: 012025 written as 小樽市 (it is 函館市) loads as written, with one
    warning naming the file, the line, both names and the fix (小樽市 is 012033)."""
    path = _write(
        tmp_path,
        HEADER + "010006,北海道,prefecture,,,\n012025,小樽市,municipality,,,\n"
        "012033,北海道　小樽市,municipality,,,\n",
    )
    said = _warned(lambda: load_agencies(path))
    assert said == [
        f"{path}:3: name: code 012025 is named '小樽市', but the 総務省 code list names it "
        "北海道 函館市 — if the code is right, name it '函館市'; if the name is right, "
        "write that agency's code (小樽市 is 012033) (cutover init --prefecture writes the "
        "list as the code list has it)"
    ]
    japanese = _warned(lambda: load_agencies(path), "ja")
    assert "名称「小樽市」が、総務省のコード表の名称（北海道 函館市）と違います" in japanese[0]
    # (The name to write as `cutover init --prefecture 1` writes it, without its prefecture.)
    assert "コードが正しければ名称を「函館市」に" in japanese[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        assert [a.name for a in load_agencies(path)][1] == "小樽市"


EVIDENCE_HEADER = "code,task,date,detail\n"


def test_rows_swallowed_into_an_evidence_detail_are_warned_of(tmp_path: Path) -> None:
    """A quote left open in a detail swallows the rows up to the next quote: the file loads
    as read, with one warning at the quote's line saying so (the rows it took do not vanish
    without a word); closed, the same file loads every row and warns of nothing."""
    rows = (
        '131016,self-inspection,2018-05-17,"自己点検表を提出\n'
        "131016,all-agency-drill,2018-05-23,閲覧を確認\n"
        '131016,inter-agency-test,2018-05-30,試験"\n'
        "131024,self-inspection,2018-05-22,ok\n"
    )
    agencies = load_agencies(FIXTURES / "agencies.csv")
    path = _write(tmp_path, EVIDENCE_HEADER + rows)
    said = _warned(lambda: load_evidence(path, agencies))
    assert said == [
        f"{path}:2: detail: this value runs over lines 2–4, and lines in it look like rows of "
        'this file: if a quote (") was left open on line 2, they are read as part of this '
        "value, not as rows — if the quote was left open, close or remove it on line 2; if "
        "the line breaks belong in the cell, nothing needs to change"
    ]
    japanese = _warned(lambda: load_evidence(path, agencies), "ja")
    assert "2行目の引用符を閉じるか削除してください" in japanese[0]
    closed = _write(
        tmp_path, EVIDENCE_HEADER + rows.replace("提出\n", '提出"\n', 1).replace('試験"', "試験")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        assert len(load_evidence(closed, agencies)) == 4


def test_a_detail_written_on_several_lines_is_read_as_it_is(tmp_path: Path) -> None:
    """A detail Excel wrote on several lines (a cell with line breaks, one line with commas)
    is read whole and warned of in no way."""
    detail = "自己点検表を提出\n担当: 総務課 山田, 鈴木, 佐藤, 高橋\n確認済み"
    path = _write(tmp_path, EVIDENCE_HEADER + f'131016,self-inspection,2018-05-17,"{detail}"\n')
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        (found,) = load_evidence(path, load_agencies(FIXTURES / "agencies.csv"))
    assert found.detail == detail


@pytest.mark.parametrize(
    "detail",
    [
        "自己点検表を提出\n131016, 総務課, 山田, 確認済み",
        "自己点検表を提出\n131016,総務課,山田,確認済み\n131016,再提出,鈴木,完了",
        "結合試験\n131024, 6月分, 未了, 担当 佐藤",
    ],
)
def test_a_note_line_starting_with_a_code_is_not_taken_for_a_row(
    tmp_path: Path, detail: str
) -> None:
    """A detail Excel wrote on several lines, one of which starts with a code and holds a
    row's worth of commas, is read whole and warned of in no way: its words are not where
    the file's tasks and dates are."""
    path = _write(tmp_path, EVIDENCE_HEADER + f'131016,self-inspection,2018-05-17,"{detail}"\n')
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        (found,) = load_evidence(path, load_agencies(FIXTURES / "agencies.csv"))
    assert found.detail == detail


def test_a_row_swallowed_into_an_agency_name_is_warned_of(tmp_path: Path) -> None:
    """A quote left open in a name and closed at the next row's name makes one record of
    the two rows, as wide as a row: it is warned of, not read as one agency silently."""
    path = _write(
        tmp_path,
        HEADER + '131016,"千代田区,municipality,no,2,52\n131024,中央区",municipality,yes,2,\n',
    )
    said = _warned(lambda: load_agencies(path))
    assert said[:1] == [
        f"{path}:2: name: this value runs over lines 2–3, and lines in it look like rows of "
        'this file: if a quote (") was left open on line 2, they are read as part of this '
        "value, not as rows — if the quote was left open, close or remove it on line 2; if "
        "the line breaks belong in the cell, nothing needs to change"
    ]


def _open_quotes_told(load: Callable[[], Iterable[object]], rows: int) -> bool:
    """Return True when `load` raises, warns of a quote left open, or reads all `rows` rows:
    a row a quote swallowed never goes without a word."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            loaded = list(load())
        except CutoverError:
            return True
    codes = {w.message.problem.code for w in caught if isinstance(w.message, InputWarning)}
    return "inputs.open-quote-free-text" in codes or len(loaded) == rows


def _with_stray_quote(lines: list[str], column: int, first: int, closed: int | None) -> str:
    """Return `lines` (CSV rows, each with its line break) with a quote opened at the start
    of `column` on row `first` and, if `closed` is given, one closing that column on row
    `closed` (before the next comma or line end)."""
    lines = list(lines)
    head, tail = lines[first].split(",", column)[:column], lines[first].split(",", column)[-1]
    lines[first] = ",".join([*head, '"' + tail])
    if closed is not None:
        cells = lines[closed].rstrip("\r\n").split(",")
        cells[column] += '"'
        lines[closed] = ",".join(cells) + "\r\n"
    return "".join(lines)


_PLAIN_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='\ufeff",\r\n'),
    max_size=12,
)


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from([a.code for a in TOKYO_AGENCIES]),
            st.sampled_from(["inter-agency-test", "register:2", "self-inspection", "接続試験"]),
            st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
            st.sampled_from(["{:%Y-%m-%d}", "{:%Y/%m/%d}", "{:%Y/%m/%d 0:00}"]),
            _PLAIN_TEXT,
        ),
        min_size=2,
        max_size=8,
    ),
    data=st.data(),
)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_rows_a_stray_quote_swallows_in_an_evidence_file_are_told(
    tmp_path: Path, rows: list[tuple[str, str, date, str, str]], data: st.DataObject
) -> None:
    """Valid evidence rows with a quote opened at the start of a detail (and perhaps closed
    in a later one): the file is refused, the quote is warned of, or every row is read."""
    lines = [
        f"{code},{task},{form.format(day)},{detail}\r\n" for code, task, day, form, detail in rows
    ]
    first = data.draw(st.integers(0, len(rows) - 2))
    closed = data.draw(st.none() | st.integers(first + 1, len(rows) - 1))
    path = _write(tmp_path, EVIDENCE_HEADER + _with_stray_quote(lines, 3, first, closed))
    agencies = load_agencies(FIXTURES / "agencies.csv")
    assert _open_quotes_told(lambda: load_evidence(path, agencies), len(rows))


@given(
    rows=st.lists(agency_rows(), min_size=2, max_size=8, unique_by=lambda row: row[1].code),
    names=st.lists(_PLAIN_TEXT.filter(lambda s: s.strip() == s and s), min_size=8, max_size=8),
    data=st.data(),
)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_rows_a_stray_quote_swallows_in_an_agencies_file_are_told(
    tmp_path: Path, rows: list[tuple[list[str], Agency]], names: list[str], data: st.DataObject
) -> None:
    """Valid agencies rows, in any accepted spelling, with a quote opened at the start of a
    name (and perhaps closed in a later one): the file is refused, the quote is warned of,
    or every row is read."""
    out = io.StringIO()
    writer = csv.writer(out)
    for (cells, _), name in zip(rows, names, strict=False):
        writer.writerow([cells[0], name, *cells[2:]])
    lines = out.getvalue().splitlines(keepends=True)
    first = data.draw(st.integers(0, len(rows) - 2))
    closed = data.draw(st.none() | st.integers(first + 1, len(rows) - 1))
    path = _write(tmp_path, HEADER + _with_stray_quote(lines, 1, first, closed))
    assert _open_quotes_told(lambda: load_agencies(path), len(rows))


def test_many_names_off_the_list_are_counted_after_ten(tmp_path: Path) -> None:
    """Issue 18 point 9: a registry named otherwise throughout gives ten warnings and a count."""
    rows = "".join(f"{e.code},x{e.code},municipality,,,\n" for e in municipalities_of("01")[:25])
    said = _warned(lambda: load_agencies(_write(tmp_path, HEADER + rows)))
    assert len(said) == 11
    assert "15 more warnings like these in the agencies list (from line 12)" in said[-1]


@pytest.mark.parametrize("under", [None, "01", "北海道"])
def test_an_association_of_another_prefecture_is_warned_of(
    tmp_path: Path, under: str | None
) -> None:
    """Issue 18 point 9: an association whose code starts with another prefecture's number
    than the one it is planned under (--prefecture, or the registry's prefecture row) is
    warned of; one of the same prefecture is not."""
    path = _write(
        tmp_path,
        HEADER + "010006,北海道,prefecture,,,\n019992,北海道の組合,association,,,\n"
        "139998,東京都の組合,association,,,\n",
    )
    said = _warned(lambda: load_agencies(path, prefecture=under))
    assert said == [
        f"{path}:4: code: association 139998 (東京都の組合) has a code starting with 13 "
        "(東京都), not 01 (北海道), the prefecture it is planned under — an association's "
        "code starts with its prefecture's number: if it is one of 北海道's, check the code; "
        "if it is 東京都's, move it to that prefecture's registry"
    ]


def test_an_association_written_with_kind_municipality_is_warned_of(tmp_path: Path) -> None:
    """An association added with kind municipality (its code is on no list of municipalities)
    loads as written, with one warning naming the line, the code and both fixes; one named
    as a municipality of the list gets that municipality's code in the fix."""
    path = _write(
        tmp_path,
        HEADER + "310000,鳥取県,prefecture,,,\n318019,鳥取中部ふるさと広域連合,municipality,,,\n"
        "318027,鳥取市,municipality,,,\n",
    )
    said = _warned(lambda: load_agencies(path))
    assert said == [
        f"{path}:3: kind: kind is municipality, but code 318019 (鳥取中部ふるさと広域連合) is no "
        "municipality on the 総務省 code list — if it is a partial-affairs association "
        "(一部事務組合・広域連合), write kind association; if it is a municipality, write its "
        "code from the code list (cutover init --prefecture writes the list as the code list "
        "has it)",
        f"{path}:4: kind: kind is municipality, but code 318027 (鳥取市) is no municipality on "
        "the 総務省 code list — if it is a partial-affairs association (一部事務組合・広域連合), "
        "write kind association; if it is a municipality, write its code from the code list "
        "(鳥取市 is 312011) (cutover init --prefecture writes the list as the code list has it)",
    ]
    assert said[0].startswith(f"{path}:3: kind: kind is municipality")
    ja = _warned(lambda: load_agencies(path), "ja")
    assert "kind を association（一部事務組合等）に" in ja[0]


def test_a_ward_of_a_designated_city_is_warned_of_as_no_agency(tmp_path: Path) -> None:
    """A ward (行政区) of a 政令市, which the code list leaves out, copied into the registry
    as a municipality or an association is warned of as a ward of its city, named with its
    code, the row to delete; 東京都's 特別区 (on the list) and a municipality off the list
    outside the wards' numbers are not taken for wards."""
    path = _write(
        tmp_path,
        HEADER + "270008,大阪府,prefecture,,,\n271004,大阪市,municipality,,,\n"
        "271276,大阪市北区,municipality,,,\n271411,堺市堺区,association,,,\n"
        "011011,札幌市中央区,municipality,,,\n141011,横浜市鶴見区,municipality,,,\n"
        "131016,千代田区,municipality,,,\n403059,那珂川町,municipality,,,\n",
    )
    said = _warned(lambda: load_agencies(path))
    assert said[:4] == [
        f"{path}:{line}: code: code {code} ({name}) is numbered as a ward of the designated "
        f"city {city} ({city_code}); a ward (行政区) is not an agency of the information "
        f"linkage — delete this row: the ward's work is planned on the row of {city} "
        f"({city_code}) (cutover init --prefecture leaves wards out)"
        for line, code, name, city, city_code in [
            (6, "011011", "札幌市中央区", "札幌市", "011002"),
            (7, "141011", "横浜市鶴見区", "横浜市", "141003"),
            (4, "271276", "大阪市北区", "大阪市", "271004"),
            (5, "271411", "堺市堺区", "堺市", "271403"),
        ]
    ]
    assert len(said) == 5
    assert said[4].startswith(f"{path}:9: kind: kind is municipality, but code 403059")
    ja = _warned(lambda: load_agencies(path), "ja")
    assert "政令市 大阪市（271004）の区（行政区）のコードです" in ja[2]


@pytest.mark.parametrize(
    ("name", "official"),
    [
        ("鳥取市", "鳥取県 鳥取市 (312011, municipality)"),
        ("鳥取県　鳥取市", "鳥取県 鳥取市 (312011, municipality)"),
        ("鳥取県", "鳥取県 (310000, prefecture)"),
    ],
)
def test_an_association_named_as_an_agency_of_the_list_is_warned_of(
    tmp_path: Path, name: str, official: str
) -> None:
    """An association row named as a municipality or the prefecture of the code list (a row
    copied and not renamed) is warned of, with that agency's code and kind for the fix; an
    association with a name of its own is not."""
    path = _write(
        tmp_path,
        HEADER + f"318019,{name},association,,,\n318027,鳥取中部ふるさと広域連合,association,,,\n",
    )
    said = _warned(lambda: load_agencies(path))
    assert len(said) == 1
    assert said[0].startswith(f"{path}:2: name: association 318019 is named {name!r}, ")
    assert f"the name of {official}" in said[0]


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        ("131016,東京二十三区清掃一部事務組合,association", "association"),
        ("130001,東京都後期高齢者医療広域連合,association", "association"),
        ("130001,東京都の市,municipality", "municipality"),
    ],
)
def test_a_listed_code_of_another_kind_already_on_a_row_is_one_problem(
    tmp_path: Path, row: str, kind: str
) -> None:
    """A row that gives another kind of agency (an association) the code of a listed agency
    already on a row is one problem, not two: "change the kind" would only repeat that row,
    so the fix is the row's own code (or deleting a repeated row)."""
    first = {"131016": 3, "130001": 2}[row[:6]]
    path = _write(
        tmp_path,
        HEADER + f"130001,東京都,prefecture,,,\n131016,千代田区,municipality,,,\n{row},,,\n",
    )
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    assert [(p.line, p.code) for p in caught.value.problems] == [(4, "inputs.kind-code-taken")]
    assert f"kind is {kind} but '{row[:6]}' is the code of" in caught.value.text("en")
    assert f", on line {first}" in caught.value.text("en")


@pytest.mark.parametrize(
    "row", ["131016,東京二十三区清掃一部事務組合,association", "130001,東京都広域連合,association"]
)
@pytest.mark.parametrize("listed_first", [True, False])
def test_a_listed_code_of_another_kind_in_another_file_is_one_problem(
    tmp_path: Path, row: str, listed_first: bool
) -> None:
    """An association given, in a second agencies file, the code of a listed agency of the
    first file (in either order) is one problem naming both files and lines, not a kind
    problem and a repeated code besides."""
    listed = _write(
        tmp_path, HEADER + "130001,東京都,prefecture,,,\n131016,千代田区,municipality,,,\n"
    )
    other = tmp_path / "associations.csv"
    other.write_text(HEADER + f"{row},,,\n", encoding="utf-8")
    first = {"131016": 3, "130001": 2}[row[:6]]
    paths = [listed, other] if listed_first else [other, listed]
    with pytest.raises(CutoverError) as caught:
        load_agencies(paths)
    problems = caught.value.problems
    assert [(p.file, p.line, p.code) for p in problems] == [
        (str(other), 2, "inputs.kind-code-taken-in-files")
    ]
    said = caught.value.text("en")
    assert (
        f"is the code of 東京都{' 千代田区' if first == 3 else ''}, in {listed} line {first}"
        in said
    )
    assert f"(this row: {other} line 2)" in said
    assert f"{listed} の{first}行目にあります" in caught.value.text("ja")


def test_a_listed_code_of_another_kind_before_its_agency_row_is_one_problem(
    tmp_path: Path,
) -> None:
    """An association given the code of a listed agency whose own row comes later in the file
    is one problem naming that later row, not a second one for the code written twice."""
    path = _write(
        tmp_path,
        HEADER
        + "131016,東京二十三区清掃一部事務組合,association,,,\n131016,千代田区,municipality,,,\n",
    )
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    assert [(p.line, p.code) for p in caught.value.problems] == [(2, "inputs.kind-code-taken")]
    assert "is the code of 東京都 千代田区, on line 3" in caught.value.text("en")


def test_two_agencies_given_one_code_are_told_apart_from_a_repeated_row(tmp_path: Path) -> None:
    """Two associations given one code are one problem naming both (each needs its own
    code); a third row of that code is still counted as a repeat, and a row repeated under
    the same name (spaces and full-width forms aside) is the plain repeat."""
    path = _write(
        tmp_path,
        HEADER + "139998,東京二十三区清掃一部事務組合,association,,,\n"
        "139998,東京都後期高齢者医療広域連合,association,,,\n"
        "139998,東京二十三区清掃一部事務組合,association,,,\n"
        "139971,東京都市町村総合事務組合,association,,,\n"
        "139971,東京都市町村総合事務組合　,association,yes,,\n",
    )
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    assert [(p.line, p.code) for p in caught.value.problems] == [
        (3, "inputs.duplicate-agency-names"),
        (4, "inputs.duplicate-agency-again"),
        (6, "inputs.duplicate-agency"),
    ]
    assert "3 times so far, first on line 2" in caught.value.text("en")


def test_an_association_named_as_another_association_is_warned_of(tmp_path: Path) -> None:
    """A row copied to add an association, its code changed and its name not, is warned of
    once, naming the code it repeats; municipalities of two prefectures may share a name
    (府中市), and an association named as a listed agency is warned of only as such."""
    path = _write(
        tmp_path,
        HEADER + "318019,鳥取中部ふるさと広域連合,association,,,\n"
        "318027,鳥取中部ふるさと広域連合,association,,,\n"
        "132063,府中市,municipality,,,\n342084,府中市,municipality,,,\n"
        "318035,鳥取市,association,,,\n318043,鳥取市,association,,,\n",
    )
    said = _warned(lambda: load_agencies(path))
    repeated = [w for w in said if "as 318019 is" in w]
    assert repeated == [
        f"{path}:3: name: association 318027 is named '鳥取中部ふるさと広域連合', as 318019 is — "
        "if they are two agencies, write this row's own name; if they are one, keep only the "
        "row with the right code"
    ]
    assert len(said) == 3  # (and 318035, 318043: each named as 鳥取市, once)
    assert all("the name of 鳥取県 鳥取市" in w for w in said if w not in repeated)


def test_a_registry_of_several_prefectures_warns_of_no_association(tmp_path: Path) -> None:
    """Issue 18 point 9: in a registry of several prefectures, an association of one of them
    is no stray, with or without --prefecture; nor is one in a registry of no prefecture row."""
    several = _write(
        tmp_path,
        HEADER + "010006,北海道,prefecture,,,\n130001,東京都,prefecture,,,\n"
        "139998,東京都の組合,association,,,\n",
        name="several.csv",
    )
    assert _warned(lambda: load_agencies(several)) == []
    assert _warned(lambda: load_agencies(several, prefecture="01")) == []
    alone = _write(tmp_path, HEADER + "139998,東京都の組合,association,,,\n", name="alone.csv")
    assert _warned(lambda: load_agencies(alone)) == []


@pytest.mark.parametrize(
    ("name", "header", "rows"),
    [
        (
            "agencies.csv",
            "code,name,kind,test_requested,provides,new_delegations",
            ["312011,鳥取市,,yes,2,", "312029,米子市,,yes,2,", "312037,倉吉市,city,yes,2,"],
        ),
        (
            "readiness.csv",
            "code,system,side,status,planned",
            [
                "312011,local-tax,provision,nearly,",
                "312029,local-tax,provision,nearly,",
                "312037,local-tax,query,maybe,",
            ],
        ),
        (
            "evidence.csv",
            "code,task,date,detail",
            [
                "312011,self-inspection,2018-13-40,",
                "312029,self-inspection,2018-13-40,",
                "312037,self-inspection,2018-02-30,",
            ],
        ),
    ],
)
def test_a_bad_value_repeated_is_reported_on_every_row(
    tmp_path: Path, name: str, header: str, rows: list[str]
) -> None:
    """The readers parse each distinct text once; a bad one is still reported on every row
    that holds it (lines 2 and 3 share one), never only on the first with the rest dropped."""
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    tasks = load_calendar("2018-07").tasks
    readers: dict[str, Callable[[Path], object]] = {
        "agencies.csv": load_agencies,
        "readiness.csv": load_readiness,
        "evidence.csv": lambda p: load_evidence(p, tasks=tasks),
    }
    with pytest.raises(CutoverError) as caught:
        readers[name](path)
    assert [p.line for p in caught.value.problems] == [2, 3, 4]
    first, second, _ = caught.value.problems
    assert (first.code, first.key) == (second.code, second.key)


def test_total_row_is_one_problem_saying_so(tmp_path: Path) -> None:
    """A total row under the table (合計 | 2団体, as a clerk's sheet ends) is one problem that
    says to delete it, not one a column asking for a code or a kind to be written into it;
    a row of data whose free text begins with 合計 is read as data."""
    path = tmp_path / "agencies.csv"
    path.write_bytes(
        "団体名,団体コード,種別,試験希望,提供する特定個人情報,新たな委任\r\n"
        "東京都,130001,都道府県,○,2 8 21,\r\n"
        "合計２件,131016,市区町村,×,2,\r\n"
        "合　計,2団体,,,,\r\n".encode("cp932")
    )
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    assert [(p.line, p.code) for p in caught.value.problems] == [(4, "inputs.total-row")]
    assert "合計の行のようです" in str(caught.value)
    assert "この行を削除してください" in str(caught.value)


def test_kind_written_as_the_names_last_character(tmp_path: Path) -> None:
    """A kind written as a registry often writes it, by the name's last character, is read for
    every prefecture and municipality: 道 (北海道) as 県 is, and 市, 町, 村, 特別区."""
    path = tmp_path / "agencies.csv"
    path.write_bytes(
        "団体コード,団体名,種別,試験希望,提供,新たな委任\r\n"
        "010006,北海道,道,,,\r\n"
        "130001,東京都,都,,,\r\n"
        "260002,京都府,府,,,\r\n"
        "310000,鳥取県,県,,,\r\n"
        "011002,札幌市,市,,,\r\n"
        "131016,千代田区,特別区,,,\r\n"
        "313025,岩美町,町,,,\r\n"
        "313840,日吉津村,村,,,\r\n".encode("cp932")
    )
    kinds = {a.name: a.kind for a in load_agencies(path)}
    assert kinds == dict.fromkeys(("北海道", "東京都", "京都府", "鳥取県"), Kind.PREFECTURE) | (
        dict.fromkeys(("札幌市", "千代田区", "岩美町", "日吉津村"), Kind.MUNICIPALITY)
    )


def test_readiness_read_in_a_municipalitys_own_words(tmp_path: Path) -> None:
    """障がい福祉 (how many municipalities write 障害) is the disability-welfare system, and a
    side written 提供側 / 照会側 is provision / query: read, not refused."""
    path = tmp_path / "readiness.csv"
    path.write_bytes(
        "団体コード,業務システム,側,状況,完了予定日\r\n"
        "130001,障がい福祉,提供側,完了,\r\n"
        "130001,障がい福祉システム,照会側,予定,平成30年6月28日\r\n".encode("cp932")
    )
    rows = load_readiness(path, load_agencies(FIXTURES / "agencies.csv"))
    assert [(r.system, r.side, r.status) for r in rows] == [
        ("disability-welfare", Side.PROVISION, Status.DONE),
        ("disability-welfare", Side.QUERY, Status.PLANNED),
    ]


def test_a_name_typed_without_its_extension_names_the_files_it_may_mean(tmp_path: Path) -> None:
    """Windows's Explorer hides extensions: ``--agencies agencies`` (for agencies.csv) or
    ``agencies.csv`` (for agencies.csv.csv, saved with the extension typed again) was told
    only that no such file exists. The files beside it that the name may mean are named;
    a name like none of them is told as before."""
    rows = (FIXTURES / "agencies.csv").read_bytes()
    (tmp_path / "agencies.csv").write_bytes(rows)
    (tmp_path / "agencies.xlsx").write_bytes(b"")
    (tmp_path / "readiness.csv.csv").write_bytes(b"")
    (tmp_path / "notes.txt").write_bytes(b"")
    (tmp_path / "agencies.old").mkdir()  # a folder is no file it may mean
    for typed, named in (
        ("agencies", "agencies.csv、agencies.xlsx"),
        ("AGENCIES", "agencies.csv、agencies.xlsx"),
        ("readiness.csv", "readiness.csv.csv"),
        ("agencies.txt", "agencies.csv、agencies.xlsx"),
    ):
        with pytest.raises(CutoverError) as caught:
            load_agencies(tmp_path / typed)
        (problem,) = caught.value.problems
        assert problem.code == "inputs.cannot-read-near"
        assert f"同じフォルダーに {named} があります — " in problem.text("ja")
    for typed in ("agencis.csv", "other"):
        with pytest.raises(CutoverError) as caught:
            load_agencies(tmp_path / typed)
        assert [p.code for p in caught.value.problems] == ["inputs.cannot-read-missing"]


def test_a_name_typed_with_japanese_input_on_names_the_file_it_may_mean(tmp_path: Path) -> None:
    """A name typed with Japanese input on (agencies．csv, ａｇｅｎｃｉｅｓ.csv) or with a
    space after it (a batch file's ``"agencies.csv "``) looks like the file's but is none:
    it was told only that no such file exists; the file it may mean is named."""
    rows = (FIXTURES / "agencies.csv").read_bytes()
    (tmp_path / "agencies.csv").write_bytes(rows)
    (tmp_path / "readiness.xlsx").write_bytes(b"")
    for typed, named in (
        ("agencies\uff0ecsv", "agencies.csv"),
        ("\uff41\uff47\uff45\uff4e\uff43\uff49\uff45\uff53.csv", "agencies.csv"),
        ("agencies.csv ", "agencies.csv"),
        ("\uff41\uff47\uff45\uff4e\uff43\uff49\uff45\uff53", "agencies.csv"),
        ("readiness\uff0ecsv", "readiness.xlsx"),
    ):
        with pytest.raises(CutoverError) as caught:
            load_agencies(tmp_path / typed)
        (problem,) = caught.value.problems
        assert problem.code == "inputs.cannot-read-near", typed
        assert f"同じフォルダーに {named} があります — " in problem.text("ja")
        assert "全角・半角や空白も同じに" in problem.text("ja")


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u200d", "\u00ad"])
def test_an_invisible_character_pasted_with_a_word_is_no_part_of_it(
    tmp_path: Path, invisible: str
) -> None:
    """A status pasted with a zero-width space or a BOM before it (「\u200b完了」, which the
    clerk sees as 完了) was refused as no status, the message showing an escape code for
    nothing the clerk could see: invisible characters are no part of a word."""
    readiness = _write(
        tmp_path,
        READINESS_HEADER
        + f"131016,nhi,query,{invisible}完了,\n131016,nhi,provision,done{invisible},\n",
        name="r",
    )
    rows = load_readiness(readiness)
    assert {(r.side.value, r.status.value) for r in rows} == {
        ("query", "done"),
        ("provision", "done"),
    }
