"""A day before 昭和 (1926-12-25): the one date formatter writes every date the readers
accept, in both languages, and no command stops or loses a row over such a day in a query or
a log; evidence and readiness, typed by people, refuse one (none is meant: a number typed into
an Excel date cell is a day of January 1900), saying so at its line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from strategies import BEFORE_SHOWA, EARLIEST_DAY, dates

from cutover.cli.main import main
from cutover.errors import CutoverError
from cutover.i18n.catalogue import LANGS, Lang
from cutover.i18n.text import (
    Phrase,
    format_day,
    format_month,
    format_span,
    format_week,
    long_day,
    moved_note,
    short_day,
)
from cutover.jp.closed_days import Adjustment, Closure
from cutover.jp.wareki import (
    WEEKDAYS_JA,
    DateRange,
    fiscal_year,
    fiscal_year_range,
    format_english,
    format_range,
    format_wareki,
    japanese_year,
    parse_date,
    parse_fuzzy,
)

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = ROOT / "examples" / "tottori" / "agencies.csv"

# --- the formatter ---------------------------------------------------------------------------


@given(dates(EARLIEST_DAY, BEFORE_SHOWA))
def test_every_form_writes_a_day_before_showa(d: dt.date) -> None:
    """Each form of the one date formatter writes a day before 昭和: in Japanese in its
    Western year with no era (``1900年1月1日（月）``, reading back to the day), in English as
    any other day."""
    weekday = WEEKDAYS_JA[d.weekday()]
    year = f"{d.year:04d}年"
    assert format_day(d, "ja") == long_day(d, "ja") == f"{year}{d.month}月{d.day}日（{weekday}）"
    assert parse_date(format_day(d, "ja")) == d
    assert format_week(d, "ja") == f"{year} {d.month}月{d.day}日"  # (a column's two lines)
    assert format_month(d, "ja", with_year=True) == f"{year}{d.month}月"
    assert short_day(d, "ja") == f"{d.month}/{d.day}（{weekday}）"
    english = format_english(d)
    assert format_day(d, "en") == f"{d.isoformat()} ({english[:3]})"
    assert long_day(d, "en") == english
    assert format_week(d, "en") == d.isoformat()
    assert format_month(d, "en", with_year=True) == f"{english.split()[2]} {d.year}"
    later = d + dt.timedelta(days=1)
    moved = Adjustment(d, later, Closure(d, "臨時の閉庁", "extra closure"))
    for lang in LANGS:
        assert format_span(d, later, lang).startswith(format_day(d, lang))
        assert format_month(d, lang, with_year=False)
        assert short_day(d, lang) in moved_note(moved, lang, opening=True)
        assert format_day(d, lang) in Phrase.of("text.aside", text=d).text(lang)


def _same_span(a: DateRange, b: DateRange) -> bool:
    """Return True when `a` and `b` are the same days, given as precisely."""
    return (a.start, a.end, a.precision) == (b.start, b.end, b.precision)


@given(dates(EARLIEST_DAY, BEFORE_SHOWA))
def test_every_wareki_form_writes_a_day_before_showa_as_japanese_year_does(d: dt.date) -> None:
    """Each Japanese form of `cutover.jp.wareki` writes a day before 昭和 in its Western year
    in four digits, as `japanese_year` does, and reads back: a day with parse_date, a month,
    a part of one or a fiscal year with parse_fuzzy (``900年度`` read as nothing)."""
    year = japanese_year(d)
    assert year == f"{d.year:04d}年"
    assert format_wareki(d, weekday=False) == f"{year}{d.month}月{d.day}日"
    day = DateRange(d, d, "", "day")
    assert format_range(day) == format_wareki(d)
    assert parse_date(format_range(day)) == d
    month = parse_fuzzy(f"{d.year:04d}-{d.month:02d}")
    assert format_range(month) == f"{year}{d.month}月"
    dekad = parse_fuzzy(
        f"{d.year:04d}-{d.month:02d} {('上旬', '中旬', '下旬')[min(d.day, 21) // 11]}"
    )
    assert format_range(dekad).startswith(f"{year}{d.month}月")
    for span in (month, dekad):
        assert _same_span(parse_fuzzy(format_range(span)), span)
    fy = fiscal_year(d)
    if 1 <= fy < 1926:  # (FY1926 is 昭和元年度: 昭和 began in it)
        whole = fiscal_year_range(fy)
        assert whole.label == format_range(whole) == f"{fy:04d}年度"
        assert _same_span(parse_fuzzy(whole.label), whole)


@given(dates(EARLIEST_DAY, BEFORE_SHOWA))
def test_an_error_writes_a_day_before_showa_as_the_formatter_does(d: dt.date) -> None:
    """A Japanese message naming a day before 昭和 (a weekday that is not the day's) writes
    it as the formatter does, ``1900年1月1日``, not in ISO."""
    wrong = WEEKDAYS_JA[(d.weekday() + 1) % 7]
    with pytest.raises(CutoverError) as info:
        parse_date(f"{d.isoformat()}（{wrong}）")
    message = info.value.text("ja")
    assert f"{format_wareki(d, weekday=False)}は{WEEKDAYS_JA[d.weekday()]}曜日" in message


# --- the commands ----------------------------------------------------------------------------

OLD = "1900-01-01"
#: How each language writes the day before 昭和 the inputs give.
WRITTEN: dict[Lang, str] = {"ja": "1900年1月1日（月）", "en": "1900-01-01 (Mon)"}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """Return a folder of inputs, each with a row dated 1900-01-01 (and a valid query)."""
    files = {
        "queries.csv": "query_id,querier,provider,item,requested,status\n"
        f"Q1,131016,011002,2,{OLD},pending\nQ2,131016,011002,2,2018-06-28,pending\n",
        "evidence.csv": f"code,task,date,detail\n310000,self-inspection,{OLD},x\n",
        "registration.csv": f"code,item,registered,records\n312011,2,{OLD},10\n",
        "test.csv": f"code,date,result\n312011,{OLD},ok\n",
    }
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    return tmp_path


def _output(path: Path) -> str:
    """Return what an output file says: its text, or a workbook's cells one per line."""
    if path.suffix != ".xlsx":
        return path.read_text(encoding="utf-8-sig")
    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def _run(args: Sequence[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run cutover with `args`; assert it ends well and return its standard error."""
    code = main(list(args))
    err = capsys.readouterr().err
    assert code == 0, err
    return err


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "md", "html"])
def test_triage_keeps_a_query_received_before_showa(
    inputs: Path, fmt: str, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """A query received in 1900 is triaged like any query received before the cutoff,
    beside the valid one, in every format (it stopped csv, json and xlsx after the header)."""
    out = inputs / f"triage.{fmt}"
    args = ["triage", "2018-07", "--queries", str(inputs / "queries.csv"), "--as-of", "2018-06-25"]
    _run([*args, "--format", fmt, "-o", str(out), "--lang", lang], capsys)
    written = _output(out)
    assert "Q1" in written
    assert "Q2" in written
    if fmt in ("csv", "json", "xlsx"):
        assert WRITTEN[lang].split(" ")[0] in written  # the reason names the day received
    if fmt == "json":
        report = json.loads(written)
        assert report["counts"]["total"] == report["counts"]["provide-by-cutoff"] == 2
        assert [q["reason_code"] for q in report["queries"]] == ["received-before-cutoff"] * 2


@pytest.mark.parametrize("lang", LANGS)
def test_validate_names_logs_dated_before_showa(
    inputs: Path, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate reads logs dated 1900 and says, row by row, that they are before the task's
    window, writing the day as the reader's language does; evidence typed with such a day
    (a number typed into an Excel date cell is one in 1900) is refused at its line, saying so."""
    args = [
        "validate", "2018-07", "--agencies", str(AGENCIES),
        "--registration-log", str(inputs / "registration.csv"),
        "--test-log", str(inputs / "test.csv"),
        "--as-of", "2018-06-25", "--lang", lang,
    ]  # fmt: skip
    err = _run(args, capsys)
    lines = [line for line in err.splitlines() if WRITTEN[lang] in line]
    line_2 = {"ja": "2行目", "en": "line 2"}[lang]
    for name in ("registration.csv", "test.csv"):
        assert any(f"{name} {line_2}" in line for line in lines), err
    assert main([*args, "--evidence", str(inputs / "evidence.csv")]) == 1
    err = capsys.readouterr().err
    said = {"ja": "「1900-01-01」は1900年の日付", "en": "'1900-01-01' is a date in 1900"}[lang]
    assert any("evidence.csv:2: date: " in line and said in line for line in err.splitlines())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_plan_with_logs_dated_before_showa(
    inputs: Path, fmt: str, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """plan writes its flags about logs dated 1900, with the day written."""
    out = inputs / f"plan.{fmt}"
    _run(
        [
            "plan", "2018-07", "--agencies", str(AGENCIES),
            "--registration-log", str(inputs / "registration.csv"),
            "--test-log", str(inputs / "test.csv"),
            "--as-of", "2018-06-25", "--format", fmt, "-o", str(out), "--lang", lang,
        ],
        capsys,
    )  # fmt: skip
    assert _output(out).count(WRITTEN[lang]) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_checklists_with_logs_dated_before_showa(
    inputs: Path, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """checklists writes every agency's checklist; 鳥取市's flags its 1900 log lines."""
    out = inputs / "checklists"
    _run(
        [
            "checklists", "2018-07", "--agencies", str(AGENCIES),
            "--registration-log", str(inputs / "registration.csv"),
            "--as-of", "2018-06-25", "--out", str(out), "--lang", lang,
        ],
        capsys,
    )  # fmt: skip
    assert WRITTEN[lang] in (out / "312011.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_workbook_date_serials_before_showa(
    inputs: Path, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """A workbook's date cells holding serials before 昭和 (1 to 9,855, and negative ones) are
    days like any other: each query is triaged and none is lost."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["query_id", "querier", "provider", "item", "requested", "status"])
    serials = [1, 9_855, -1, -693_593]
    for n, serial in enumerate(serials, start=2):
        sheet.append([f"Q{n}", "131016", "011002", 2, serial, "pending"])
        sheet.cell(row=n, column=5).number_format = "yyyy-mm-dd"
    sheet.append(["Q9", "131016", "011002", 2, dt.datetime(2018, 6, 28), "pending"])
    book.save(inputs / "queries.xlsx")
    out = inputs / "triage.json"
    args = ["triage", "2018-07", "--queries", str(inputs / "queries.xlsx"), "--as-of", "2018-06-25"]
    _run([*args, "--format", "json", "-o", str(out), "--lang", lang], capsys)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["counts"]["total"] == report["counts"]["provide-by-cutoff"] == 5
    requested = [q["requested"][:10] for q in report["queries"]]
    assert requested == ["1900-01-01", "1926-12-24", "1899-12-29", "0001-01-01", "2018-06-28"]
