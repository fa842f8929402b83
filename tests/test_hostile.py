"""Hostile input: every reader and parser gives a result or one `CutoverError`, never another
exception, and no failure leaves a partial output file (DESIGN.md §4).

The large sizes (a 200 MB queries file, 100,000 agencies, 10,000 events) run in
``python benchmarks/run.py --hostile``; here `LARGE` keeps the same shapes small enough
for the test suite.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover.calendar.load import calendar_path, load_calendar, parse_calendar, shipped_calendars
from cutover.calendar.model import Lag, RevisionCalendar, parse_lag
from cutover.cli.main import main
from cutover.errors import CutoverError
from cutover.inputs.model import Agency, Registry
from cutover.inputs.registry import load_agencies, load_evidence, load_readiness, load_registry
from cutover.jp.codes import check_digit
from cutover.jp.vocabulary import Kind
from cutover.jp.wareki import DateRange, parse_date, parse_fuzzy
from cutover.planning.model import Plan
from cutover.planning.planner import plan
from cutover.planning.summary import summarize
from cutover.render.checklist import render_checklist
from cutover.render.checklists import write_checklists
from cutover.render.files import open_output, write_text
from cutover.render.index import render_index
from cutover.render.timeline import timeline_markdown
from cutover.schedule.shift import Shift, parse_shift
from cutover.schedule.timeline import Timeline, build_timeline
from cutover.triage import CutoffRule, triage_file

_T = TypeVar("_T")

#: Rows, events or characters of the "large" inputs in the test suite; the benchmark's
#: --hostile mode runs the real sizes.
LARGE = 3_000
AS_OF = dt.date(2018, 6, 20)
SHIPPED = calendar_path("2018-07").read_text(encoding="utf-8")
RULE = CutoffRule(
    items=frozenset({2, 21}),
    last_provision=dt.date(2018, 6, 30),
    answer_by=dt.date(2018, 6, 29),
    effective=dt.date(2018, 7, 1),
    reissue_from=dt.date(2018, 7, 2),
)
FILE_FIXTURE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def result_or_error(call: Callable[[], _T]) -> _T | CutoverError:
    """Return what `call` gives, or the `CutoverError` it raises, checked to be a clear one."""
    try:
        return call()
    except CutoverError as err:
        error = err
    assert error.problems
    for problem in error.problems:
        assert problem.message.strip()
    assert str(error).strip()
    return error


@functools.cache
def shipped_timeline() -> Timeline:
    """Return the timeline of the shipped July 2018 calendar (built once)."""
    return build_timeline(load_calendar("2018-07"))


def small_registry() -> Registry:
    """Return three agencies, one of each kind, with every task kind in play."""
    none: frozenset[int] = frozenset()
    return Registry(
        (
            Agency(
                "131016",
                "千代田区",
                Kind.MUNICIPALITY,
                True,
                frozenset({2, 21}),
                frozenset({52}),
                2,
            ),
            Agency("130001", "東京都", Kind.PREFECTURE, False, frozenset({8}), none, 3),
            Agency("138509", "例示広域連合", Kind.ASSOCIATION, False, none, none, 4),
        )
    )


# --- CSV readers ------------------------------------------------------------------------------

AGENCIES_HEADER = "code,name,kind,test_requested,provides,new_delegations"
READINESS_HEADER = "code,system,side,status,planned"
EVIDENCE_HEADER = "code,task,date,detail"
QUERIES_HEADER = "query_id,querier,provider,item,requested,status"

# Cells that get a reader deep into its checks, and characters that break naive CSV code.
_CELLS = [
    "131016", "130001", "138509", "13101", "１３１０１６", "1.30001E+5", "010006", "999999",
    "千代田区", "municipality", "prefecture", "association", "市区町村", "yes", "no", "○", "maybe",
    "2 21", "2、21", "0", "1000", "local-tax", "地方税務", "helth", "provision", "照会", "done",
    "planned", "not-started", "n/a", "2018-06-01", "平成30年6月31日", "H30.6.1", "register:2",
    "modify-query:地方税務", "Q1", "pending", "提供済", "2018-06-28T10:00:00", "2018/6/28 25:00",
    "個人番号", "", " ", '"', '""', '"a,b"', '"multi\nline"', "\x00", "\ufeff", "\u2028", "|",
    "<script>", "=cmd|' /C calc'!A0",
]  # fmt: skip
_HEADERS = [AGENCIES_HEADER, READINESS_HEADER, EVIDENCE_HEADER, QUERIES_HEADER, ""]
_ENDINGS = ["\n", "\r\n", "\r"]
# Bytes that are not valid UTF-8; cp932 lead bytes with no or an invalid trail byte (Python's
# cp932 decodes 0x80, 0xA0 and 0xFD–0xFF, to U+0080 and private-use characters); BOMs; NUL.
_BAD_BYTES = [b"\x80", b"\xa0", b"\xfd", b"\xff", b"\x81", b"\x82\xa0", b"\xe3\x81", b"\x00",
              b"\x81\x7f", b"\x85\x40", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b'"', b"\r",
              b"\n", b","]  # fmt: skip


@st.composite
def csvish_text(draw: st.DrawFn) -> str:
    """Return CSV-like text: a real or no header, rows of tricky cells, any line endings."""
    header = draw(st.sampled_from(_HEADERS))
    cell = st.sampled_from(_CELLS) | st.text(max_size=8)
    lines = [header] if header else []
    for _ in range(draw(st.integers(0, 6))):
        cells = draw(st.lists(cell, min_size=0, max_size=7))
        lines.append(",".join(cells))
    return "".join(line + draw(st.sampled_from(_ENDINGS)) for line in lines)


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    """Return CSV-like text encoded in any of the accepted encodings, then corrupted."""
    text = draw(csvish_text())
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
    data = text.encode(encoding, errors="replace")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(_BAD_BYTES)) + data[at:]
    return data


def _readers(path: Path) -> dict[str, Callable[[], object]]:
    """Return every CSV reader, each reading `path`."""
    known = small_registry().agencies

    def queries() -> object:
        with triage_file(path, RULE, AS_OF) as report:
            counts = report.counts
            # No row is dropped: every data row is classified or rejected.
            parts = counts.provide_by_cutoff + counts.withdraw_and_reissue + counts.none
            assert counts.total == parts + counts.rejected
            assert counts.rejected == len(list(report.rejected))
            return counts

    return {
        "agencies": lambda: load_agencies(path),
        "readiness": lambda: load_readiness(path),
        "readiness with agencies": lambda: load_readiness(path, known),
        "evidence": lambda: load_evidence(path, known),
        "registry": lambda: load_registry(path, path, [path]),
        "queries": queries,
    }


READERS = list(_readers(Path()))


@pytest.mark.parametrize("reader", READERS)
# (Any bytes: a quote left open in a free-text column, or codes a workbook holds as numbers,
# are read and warned of, as meant.)
@pytest.mark.filterwarnings("ignore::cutover.errors.InputWarning")
@settings(max_examples=40, suppress_health_check=FILE_FIXTURE, deadline=None)
@given(data=hostile_bytes())
def test_csv_readers_any_bytes(tmp_path: Path, reader: str, data: bytes) -> None:
    """Any bytes in a CSV file give rows or one CutoverError from every reader."""
    path = tmp_path / "input.csv"
    path.write_bytes(data)
    result_or_error(_readers(path)[reader])


def _huge_field() -> bytes:
    return f"{AGENCIES_HEADER}\n131016,{'千' * 200_000},municipality,no,,\n".encode()


# Each strange file, and a phrase its error must contain (None: any result or error).
STRANGE_FILES: dict[str, tuple[bytes, str | None]] = {
    "NUL byte": (
        f"{AGENCIES_HEADER}\n131016,千代\x00田区,municipality,no,,\n".encode(), "a NUL byte"
    ),
    "NUL in the header": (b"co\x00de,name\n131016,x\n", "binary data"),
    "lone quote": (f'{AGENCIES_HEADER}\n131016,"千代田区,municipality,no,,\n'.encode(), None),
    "huge field": (_huge_field(), None),
    "cp932-invalid bytes": (
        (AGENCIES_HEADER + "\n131016,千代田区,municipality,no,,\n").encode("cp932") + b"\x81\x7f\n",
        "not valid",
    ),
    "BOM in the middle": (
        f"{AGENCIES_HEADER}\n131016,千代田区,municipality,no,,\n\ufeff130001,東京都,prefecture,no,,\n".encode(),
        None,
    ),
    "only a BOM": (codecs.BOM_UTF8, "empty"),
    "empty": (b"", "empty"),
    "header only": (AGENCIES_HEADER.encode() + b"\n", None),
    "UTF-16": (AGENCIES_HEADER.encode("utf-16"), "UTF-16 text"),
    "binary": (bytes(range(256)) * 4, "binary data"),
    "lone CR endings": (
        f"{AGENCIES_HEADER}\r131016,千代田区,municipality,no,,\r130001,東京都,prefecture,no,,\r".encode(),
        None,
    ),
}  # fmt: skip


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("name", list(STRANGE_FILES))
def test_strange_csv_files(tmp_path: Path, reader: str, name: str) -> None:
    """NUL bytes, lone quotes, huge fields, bad bytes and stray BOMs give rows or a clear error."""
    data, phrase = STRANGE_FILES[name]
    path = tmp_path / "strange.csv"
    path.write_bytes(data)
    found = result_or_error(_readers(path)[reader])
    if phrase is not None and reader == "agencies":
        assert isinstance(found, CutoverError)
        assert phrase in found.text("en")


def test_nul_byte_in_a_code(tmp_path: Path) -> None:
    """A NUL byte in a code is an error naming the row's line."""
    path = tmp_path / "agencies.csv"
    path.write_bytes(
        f"{AGENCIES_HEADER}\n131016,a,municipality,no,,\n1310\x0016,b,municipality,,,\n".encode()
    )
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    assert caught.value.problems[0].line == 3


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
def test_nul_byte_in_a_name_is_refused_with_its_line(tmp_path: Path, encoding: str) -> None:
    """A NUL byte in a name (the csv module accepts it) is that row's error, with its line."""
    path = tmp_path / "agencies.csv"
    rows = ["131016,千代田区,municipality,no,,", "130001,東\x00京都,prefecture,no,,"]
    path.write_bytes("\n".join([AGENCIES_HEADER, *rows, ""]).encode(encoding))
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.describe("en")[0]) == (
        3,
        "a NUL byte in this row: the file is damaged here, or holds binary data",
    )
    assert problem.message == (
        "この行に NUL バイトがあります。ファイルがここで壊れているか、バイナリデータを含んでいます"
    )


# Each column of agencies.csv with a bad value, then the columns of readiness.csv.
_MEMO_ROWS = {
    "agencies": ("131016,{},municipality,no,,", "{},千代田区,municipality,no,,",
                 "131016,千代田区,{},no,,", "131016,千代田区,municipality,{},,",
                 "131016,千代田区,municipality,no,{},", "131016,千代田区,municipality,no,,{}"),
    "readiness": ("{},local-tax,provision,done,", "131016,{},provision,done,",
                  "131016,local-tax,{},done,", "131016,local-tax,provision,{},",
                  "131016,local-tax,provision,planned,{}"),
}  # fmt: skip


@pytest.mark.filterwarnings("ignore::cutover.errors.InputWarning")
@settings(max_examples=20, suppress_health_check=FILE_FIXTURE, deadline=None)
@given(
    file=st.sampled_from(sorted(_MEMO_ROWS)),
    column=st.integers(0, 5),
    memo=st.text(
        st.characters(codec="utf-8", exclude_categories=("C", "Z"), exclude_characters=',"'),
        min_size=1,
    ),
    length=st.integers(300, 12_000),
)
def test_a_pasted_memo_is_quoted_by_its_ends(
    tmp_path: Path, file: str, column: int, memo: str, length: int
) -> None:
    """A cell holding thousands of characters (a memo pasted into the wrong column) gives
    messages of a few lines' length that still show how it begins and ends, in both languages."""
    value = ("あ" + memo * length)[:length]
    rows = _MEMO_ROWS[file]
    row = rows[column % len(rows)].format(value)
    header = AGENCIES_HEADER if file == "agencies" else "code,system,side,status,planned"
    path = tmp_path / f"{file}.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    readers = {"agencies": lambda: load_agencies(path), "readiness": lambda: load_readiness(path)}
    found = result_or_error(readers[file])
    if not isinstance(found, CutoverError):
        return
    for lang in ("ja", "en"):
        for problem in found.problems:
            assert len(problem.text(lang)) < 1_500, problem.text(lang)[:300]
        # (a date is told its length instead: a date is never that long)
        said = found.text(lang)
        assert "あ" in said or re.search(r"[\d,]+ ?(文字|characters)", said), said[:300]


# (Names unlike the official list's are warned of: not what this test checks.)
@pytest.mark.filterwarnings("ignore::cutover.errors.InputWarning")
def test_mixed_line_endings_lose_no_row(tmp_path: Path) -> None:
    """Rows ended by LF, CRLF and lone CR in one file all load, none dropped or merged."""
    rows = [_agency_row(n) for n in range(LARGE)]
    text = AGENCIES_HEADER + "\n" + "".join(r + _ENDINGS[n % 3] for n, r in enumerate(rows))
    path = tmp_path / "agencies.csv"
    path.write_text(text, encoding="utf-8", newline="")
    assert len(load_agencies(path)) == LARGE


def _agency_row(n: int) -> str:
    """Return an agencies.csv row for the n-th synthetic municipality code."""
    five = f"{n // 999 + 1:02d}{n % 999 + 1:03d}"
    return f"{five}{check_digit(five)},団体{n},municipality,no,2 21,"


def test_large_registry(tmp_path: Path) -> None:
    """A registry of `LARGE` agencies with repeated codes reports every duplicate, by line."""
    rows = [_agency_row(n % (LARGE // 2)) for n in range(LARGE)]
    path = tmp_path / "agencies.csv"
    path.write_text(AGENCIES_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(CutoverError) as caught:
        load_agencies(path)
    assert len(caught.value.problems) == LARGE - LARGE // 2
    assert "appears twice" in caught.value.problems[0].describe("en")[0]
    assert "の2つあります" in caught.value.problems[0].message


# --- calendars --------------------------------------------------------------------------------

_TOML_VALUES = st.sampled_from(
    ['""', '"x"', "0", "-1", "99999999999999999999", "1e400", "nan", "true", "[]", "[1, 2]",
     '["2018-13-01"]', "{}", '{ event = "effective", lag = "1bd" }', '{ event = "nope" }',
     "2018-06-30", '"2018-06-30"', '"平成30年5月下旬"', '"2018-02 下旬"', '"平成31年13月"',
     '"9999-12-31"', '"0001-01-01"', '"+9999bd"', '"-9999d"', '"FREQ=DAILY;COUNT=100000"',
     '"FREQ=SECONDLY"', '"{system_ja}"', '"{nope}"', '"{"', '"\\u0000"', "[[[[[[[[1]]]]]]]]",
     '[{ event = "effective", lag = "-9999bd" }]']
)  # fmt: skip


@st.composite
def mutated_calendars(draw: st.DrawFn) -> str:
    """Return the shipped calendar with a few lines rewritten, deleted, duplicated or cut."""
    lines = SHIPPED.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["value", "value", "delete", "duplicate", "cut"]))
        if operation == "value" and "=" in lines[index]:
            key = lines[index].split("=", 1)[0]
            lines[index] = f"{key}= {draw(_TOML_VALUES)}"
        elif operation == "delete" and len(lines) > 1:  # (a cut may have left one line)
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "cut":
            lines = lines[: max(index, 1)]
    return "\n".join(lines)


def _whole_run(calendar: RevisionCalendar) -> None:
    """Run a calendar through the pipeline: timeline, plan, checklist, index, timeline page."""
    timeline = build_timeline(calendar)
    timeline_markdown(timeline)
    the_plan = plan(timeline, small_registry(), AS_OF)
    for agency_plan in the_plan.agencies:
        render_checklist(agency_plan, the_plan)
    render_index(the_plan, summarize(the_plan))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_calendars())
def test_mutated_calendar_through_the_pipeline(text: str) -> None:
    """A shipped calendar with random edits gives checklists or one CutoverError, at any stage."""
    calendar = result_or_error(lambda: parse_calendar(text, "fuzz.toml"))
    if isinstance(calendar, RevisionCalendar):
        result_or_error(lambda: _whole_run(calendar))


@settings(max_examples=40, suppress_health_check=FILE_FIXTURE, deadline=None)
@given(st.integers(0, len(SHIPPED.encode())), st.sampled_from(_BAD_BYTES))
def test_calendar_file_bad_bytes(tmp_path: Path, at: int, bad: bytes) -> None:
    """A calendar file with a bad byte, NUL or BOM anywhere loads or gives one CutoverError."""
    data = SHIPPED.encode()
    path = tmp_path / "bad.toml"
    path.write_bytes(data[:at] + bad + data[at:])
    result_or_error(lambda: load_calendar(path))


def _chain_calendar(events: int, title: str = "Chain") -> str:
    """Return a calendar of `events` events, each one calendar day after the previous."""
    parts = [
        "[revision]\n"
        f'id = "chain"\ntitle_ja = "鎖"\ntitle_en = "{title}"\neffective = "2018-07-01"\n'
        'source = "tests"\nsection = "§2"\n'
        '\n[[events]]\nid = "ev-0"\ntype = "milestone"\ntitle_ja = "行事"\ntitle_en = "Event"\n'
        'date = "2018-01-04"\nsection = "§2"\n'
    ]
    parts.extend(
        f'\n[[events]]\nid = "ev-{i}"\ntype = "milestone"\ntitle_ja = "行事{i}"\n'
        f'title_en = "Event {i}"\nafter = [{{ event = "ev-{i - 1}", lag = "0d" }}]\n'
        'section = "§2"\n'
        for i in range(1, events)
    )
    return "".join(parts)


def test_calendar_many_events() -> None:
    """A chain of `LARGE` dependent events (deeper than Python's recursion limit) is scheduled."""
    timeline = build_timeline(parse_calendar(_chain_calendar(LARGE), "chain.toml"))
    assert timeline[f"ev-{LARGE - 1}"].due.date == dt.date(2018, 1, 4)


def test_calendar_one_megabyte_string() -> None:
    """A 1 MB title parses, and renders into a one-line Markdown heading."""
    calendar = parse_calendar(_chain_calendar(2, "x" * 1_000_000), "long.toml")
    assert len(calendar.revision.title_en) == 1_000_000
    text = timeline_markdown(build_timeline(calendar), lang="en")
    assert text.split("\n", 1)[0] == f"# {'x' * 1_000_000} — timeline"


def test_calendar_nested_too_deep() -> None:
    """Arrays nested thousands deep are one CutoverError, not a RecursionError."""
    text = "schema = " + "[" * 5_000 + "]" * 5_000 + "\n"
    with pytest.raises(CutoverError) as caught:
        parse_calendar(text, "deep.toml")
    assert "nested too deeply" in caught.value.text("en")


# --- dates, lags and shifts -------------------------------------------------------------------

_DATE_PIECES = st.sampled_from(
    ["平成", "令和", "昭和", "大正", "明治", "元", "年", "月", "日", "度", "上旬", "中旬", "下旬",
     "末", "H", "R", "S", "FY", ".", "-", "/", " ", "（金）", "(Fri)", "0", "1", "12", "31", "30",
     "2018", "99999999999999999999", "０", "９", "\u3000", "\x00", "T", ":", "early", "late", "end"]
)  # fmt: skip


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    """Return text assembled from the pieces dates are written with, or any text."""
    if draw(st.booleans()):
        return draw(st.text(max_size=20))
    return "".join(draw(st.lists(_DATE_PIECES, max_size=10)))


@settings(max_examples=300)
@given(date_texts())
def test_dates_any_text(text: str) -> None:
    """parse_date and parse_fuzzy give any text a date, a span, or one CutoverError."""
    day = result_or_error(lambda: parse_date(text))
    assert isinstance(day, dt.date | CutoverError)
    span = result_or_error(lambda: parse_fuzzy(text))
    assert isinstance(span, DateRange | CutoverError)


_LAG_PIECES = st.sampled_from(
    ["+", "-", "＋", "−", "0", "3", "9999", "99999999", "bd", "d", "BD", "ｂｄ", " ", "=", "＝",
     "effective", "inter-agency-test", "provision-cutoff", "nope", "\x00"]
)  # fmt: skip


@settings(max_examples=200)
@given(st.text(max_size=12) | st.lists(_LAG_PIECES, max_size=6).map("".join))
def test_lags_any_text(text: str) -> None:
    """parse_lag gives any text a Lag or one CutoverError."""
    assert isinstance(result_or_error(lambda: parse_lag(text)), Lag | CutoverError)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=12) | st.lists(_LAG_PIECES, max_size=6).map("".join))
def test_shifts_any_text_then_timeline(text: str) -> None:
    """Any --shift text gives a Shift or one CutoverError; so does the timeline it shifts."""
    shift = result_or_error(lambda: parse_shift(text))
    if isinstance(shift, Shift):
        calendar = shipped_timeline().calendar
        result_or_error(lambda: build_timeline(calendar, [shift]))


@pytest.mark.parametrize("shift", ["+9999bd", "-9999bd", "+9999d", "-9999d"])
def test_largest_shifts(shift: str) -> None:
    """The largest shifts (four digits) of every event, adding up, give a timeline or one error."""
    calendar = shipped_timeline().calendar
    shifts = [parse_shift(f"{event.id}={shift}") for event in calendar.events]
    result_or_error(lambda: build_timeline(calendar, shifts))


@pytest.mark.parametrize(
    ("day", "shift", "edge", "stay"),
    [
        ("2098-06-01", "ev-0=+9999bd", "after 2099", "on or before 2099-12-28"),
        ("1950-06-01", "ev-0=-9999d", "before 1949", "on or after 1949-01-04"),
    ],
)
def test_shift_past_the_holiday_years(day: str, shift: str, edge: str, stay: str) -> None:
    """A shift past the years the holiday tables know is one CutoverError at the shifted
    event's place in the calendar, naming the shift, the event's day and the edge crossed,
    in both languages."""
    text = _chain_calendar(3).replace("2018-01-04", day)
    calendar = parse_calendar(text, "x.toml")
    with pytest.raises(CutoverError) as caught:
        build_timeline(calendar, [parse_shift(shift)])
    (problem,) = caught.value.problems
    assert (problem.file, problem.key) == ("x.toml", "events[0]")
    assert problem.line == text.split("\n").index('id = "ev-0"')
    assert caught.value.text("en") == (
        f"x.toml:{problem.line}: events[0]: the shift {shift} moves 'ev-0' from {day} to a day"
        f" {edge}, outside the years the holiday data covers (1949–2099) — give a smaller"
        f" shift, so that 'ev-0' stays {stay} (the {'last' if '2099' in edge else 'first'}"
        " business day the holiday data covers)"
    )
    japanese = caught.value.text("ja")
    assert japanese.startswith(f"x.toml:{problem.line}: events[0]: 日程をずらす指定 {shift} で")
    assert "祝日のデータがある年（1949〜2099年）の外" in japanese


#: A shipped calendar's effective date moved to the edges of the years the holiday data
#: covers (1949-01-01 and 2099-12-31 are closed days) and one day inside them.
_EDGE_EFFECTIVE = ["1949-01-01", "1949-01-04", "2099-12-28", "2099-12-31"]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("effective", _EDGE_EFFECTIVE)
@pytest.mark.parametrize("calendar_id", sorted(shipped_calendars()))
def test_shipped_calendar_at_the_edge_of_the_holiday_years(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    calendar_id: str,
    effective: str,
    lang: str,
) -> None:
    """A shipped calendar taking effect at the edge of the holiday data is a timeline in
    every format, or one located line per problem: the calendar's file, a line and a key
    (never the closed days' own error, naming a day the user never wrote)."""
    text = calendar_path(calendar_id).read_text(encoding="utf-8")
    written = re.sub(r'(?m)^effective = ".*"', f'effective = "{effective}"', text)
    assert written != text
    path = tmp_path / f"{calendar_id}.toml"
    path.write_text(written, encoding="utf-8")
    for fmt in ("md", "json", "ics", "mermaid", "svg"):
        out = tmp_path / f"timeline.{fmt}"
        code = main(["timeline", str(path), "--format", fmt, "-o", str(out), "--lang", lang])
        errors = [
            line
            for line in capsys.readouterr().err.splitlines()
            if not line.startswith(("cutover: 警告: ", "cutover: warning: "))
        ]
        assert code in (0, 1), errors
        assert (code == 0) == (not errors), errors
        for line in errors:
            assert re.match(
                rf"cutover: {re.escape(str(path))}:[0-9]+: [a-z]+[.a-z_\[\]0-9]*: ", line
            )
            assert "祝日のデータがある年" in line or "holiday data covers" in line


# --- user templates ---------------------------------------------------------------------------

# Pieces of Jinja (the view-models' names included), so that random templates often compile
# and reach into the page; `*` is left out: `'x' * 10**10` would exhaust memory.
_JINJA_PIECES = st.sampled_from(
    ["{{", "}}", "{%", "%}", "{#", "#}", " ", "\n", "page", ".", "title", "facts", "tasks",
     "labels", "heading", "agencies", "for", "t", "in", "endfor", "if", "endif", "else", "|",
     "join", "length", "upper", "(", ")", "'", '"', ",", "x", "0", "1", "/", "-", "+", "~",
     "range(10)", "__class__", "mro", "self", "cycler", "namespace", "lipsum", "{% raw %}",
     "{% set x = 1 %}", "{% macro m() %}{% endmacro %}", "{% include 'x.j2' %}",
     "{% extends 'checklist.md.j2' %}", "{{ page.title }}", "{% for t in page.tasks %}",
     "{% endfor %}", "{{ 1/0 }}", "{{ nope }}", "\x00"]
)  # fmt: skip


@functools.cache
def small_plan() -> Plan:
    """Return the plan of `small_registry` on the shipped calendar."""
    return plan(shipped_timeline(), small_registry(), AS_OF)


@settings(max_examples=80, suppress_health_check=FILE_FIXTURE, deadline=None)
@given(
    st.lists(_JINJA_PIECES, max_size=12).map("".join) | st.text(max_size=30),
    st.sampled_from(["checklist.md.j2", "index.md.j2"]),
)
def test_random_user_templates(tmp_path: Path, source: str, name: str) -> None:
    """Any user template renders to text or gives one CutoverError naming the template."""
    (tmp_path / name).write_text(source, encoding="utf-8")
    the_plan = small_plan()
    if name == "checklist.md.j2":
        found = result_or_error(
            lambda: render_checklist(the_plan.agencies[0], the_plan, templates=tmp_path)
        )
    else:
        found = result_or_error(
            lambda: render_index(the_plan, summarize(the_plan), templates=tmp_path)
        )
    assert isinstance(found, str | CutoverError)


def _snapshot(directory: Path) -> dict[str, bytes]:
    """Return every file under `directory` (hidden ones included) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@settings(max_examples=10, suppress_health_check=FILE_FIXTURE, deadline=None)
@given(st.integers(0, 2), st.sampled_from(["checklist.md.j2", "index.md.j2"]))
def test_template_failing_midway_writes_nothing(tmp_path: Path, failing: int, name: str) -> None:
    """A template failing for one agency, or for the index, leaves the directory as it was."""
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "131016.md").write_text("an older checklist\n", encoding="utf-8")
    before = _snapshot(out)
    the_plan = small_plan()
    name_of_failing = the_plan.agencies[failing].agency.name
    for other in templates.iterdir():
        other.unlink()
    if name == "checklist.md.j2":
        # The shipped template for every agency but one, which reads an undefined name.
        source = f"{{% if '{name_of_failing}' in page.title %}}{{{{ page.nope }}}}{{% endif %}}ok\n"
    else:
        source = "{{ page.agencies[0].nope }}\n"
    (templates / name).write_text(source, encoding="utf-8")
    with pytest.raises(CutoverError) as caught:
        write_checklists(the_plan, out, templates=templates)
    assert "the template asks for 'nope', which that value does not have" in caught.value.text("en")
    assert "テンプレートが求める「nope」は、その値にはありません" in str(caught.value)
    assert _snapshot(out) == before


def test_checklists_command_template_failure_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cutover checklists --templates` with a failing template exits 1 and writes no file."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(
        AGENCIES_HEADER
        + "\n131016,千代田区,municipality,yes,2 21,\n130001,東京都,prefecture,no,,\n",
        encoding="utf-8",
    )
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "checklist.md.j2").write_text(
        "{% if '東京都' in page.title %}{{ 1 / 0 }}{% endif %}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    argv = ["checklists", "2018-07", "--agencies", str(agencies), "--as-of", "2018-06-20"]
    code = main([*argv, "--templates", str(templates), "--out", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("cutover: ")
    assert "0 で割り算をしています" in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists() or not list(out.iterdir())


# --- atomic output ----------------------------------------------------------------------------


def test_open_output_keeps_the_old_file(tmp_path: Path) -> None:
    """An error while writing leaves the previous file whole and no temporary file behind."""
    target = tmp_path / "report.md"
    target.write_text("previous\n", encoding="utf-8")

    def write_half() -> None:
        with open_output(target) as stream:
            stream.write("half of a new ")
            raise CutoverError("stopped midway")

    with pytest.raises(CutoverError, match="stopped midway"):
        write_half()
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_open_output_to_a_directory(tmp_path: Path) -> None:
    """An output path that is a directory is one CutoverError, and leaves no temporary file."""
    (tmp_path / "out").mkdir()
    with pytest.raises(CutoverError) as caught:
        write_text(tmp_path / "out", "text\n")
    assert "not of a directory" in caught.value.text("en")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_open_output_under_a_file(tmp_path: Path) -> None:
    """An output path whose parent is a file is one CutoverError."""
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(CutoverError) as caught:
        write_text(tmp_path / "file" / "out.md", "text\n")
    assert "cannot write here" in caught.value.text("en")
    assert "ここには書き込めません" in str(caught.value)


def test_triage_fatal_error_midway_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cutover triage -o` on a file that turns undecodable past its start keeps the old output."""
    rows = "".join(f"Q{n},131016,011002,2,2018-06-28T10:00:00,pending\n" for n in range(LARGE * 2))
    queries = tmp_path / "queries.csv"
    # Past the 64 KB the encoding is sniffed from, bytes that are neither UTF-8 nor cp932.
    queries.write_bytes(
        (QUERIES_HEADER + "\n" + rows).encode() + b"Q-bad,\xff\xfe\x80,\n" + rows.encode()
    )
    out = tmp_path / "triage.csv"
    out.write_text("previous\n", encoding="utf-8")
    argv = ["triage", "2018-07", "--queries", str(queries), "--as-of", "2018-06-20"]
    assert main([*argv, "-o", str(out)]) == 1
    # (Its encoding is told by its first non-ASCII bytes, these, which are not UTF-8.)
    bad_line = LARGE * 2 + 2
    assert f"queries.csv:{bad_line}: Shift_JIS（cp932）の文字として読めないバイトがあります" in (
        capsys.readouterr().err
    )
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["queries.csv", "triage.csv"]
