"""Tests for cutover.calendar: the calendar TOML loader, its models and its error messages."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import functools
import importlib
import inspect
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover.calendar.load import (
    calendar_path,
    load_calendar,
    parse_calendar,
    shipped_calendars,
    toml_error,
)
from cutover.calendar.model import (
    EFFECTIVE,
    Lag,
    Recurring,
    RevisionCalendar,
    TaskTemplate,
    TaskWhen,
    parse_lag,
    suggest_task,
)
from cutover.calendar.reader import type_name
from cutover.errors import CutoverError
from cutover.i18n.catalogue import Msg
from cutover.jp.vocabulary import SYSTEMS, Actor, Kind
from cutover.jp.wareki import DateRange


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


WriteCalendar = Callable[..., Path]

#: The smallest calendar the loader accepts: a [revision] and one event.
MINIMAL = """\
[revision]
id = "minimal"
title_ja = "最小の暦"
title_en = "Minimal calendar"
effective = "2018-07-01"
source = "tests"
section = "§2"

[[events]]
id = "provision-cutoff"
type = "deadline"
title_ja = "情報提供の期限"
title_en = "Provision cutoff"
date = "2018-06-30"
section = "§6"
"""


def _event(event_id: str, body: str) -> str:
    """Return an [[events]] table with the given id and extra lines."""
    return (
        f'\n[[events]]\nid = "{event_id}"\ntitle_ja = "行事"\ntitle_en = "Event"\n'
        f'section = "§2"\n{body}\n'
    )


def _load_error(text: str, file: str = "test.toml") -> CutoverError:
    """Return the error parse_calendar raises for `text` (failing when it raises none)."""
    with pytest.raises(CutoverError) as info:
        parse_calendar(text, file)
    return info.value


def _line_of(text: str, needle: str) -> int:
    """Return the 1-based number of the only line of `text` containing `needle`."""
    found = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(found) == 1, found
    return found[0]


# --- the bad-input corpus -----------------------------------------------------------------

BAD_DIR = Path(__file__).parent / "data" / "bad" / "calendars"
BAD_CALENDARS = sorted(BAD_DIR.glob("*.toml"))


@attrs.frozen
class Expectation:
    """What a broken calendar's header comments say its error must contain."""

    fragments: tuple[str, ...]
    line: int | None
    #: "load" (load_calendar raises) or "timeline" (build_timeline raises or reports)
    stage: str
    #: the conflict code build_timeline must report instead of raising
    conflict: str | None


def _expectation(path: Path) -> Expectation:
    """Return the expectation stated by the leading ``# key: value`` comments of `path`."""
    fragments: list[str] = []
    line: int | None = None
    stage = "load"
    conflict: str | None = None
    for text in path.read_text(encoding="utf-8").split("\n"):
        match = re.fullmatch(r"# (expect|expect-line|stage|expect-conflict): (.+)", text)
        if match is None:
            break
        key, value = match.groups()
        if key == "expect":
            fragments.append(value)
        elif key == "expect-line":
            line = int(value)
        elif key == "stage":
            stage = value
        else:
            conflict = value
    return Expectation(tuple(fragments), line, stage, conflict)


#: An English sentence: four words or more (as tests/test_i18n.py looks for them in the
#: catalogue), once what a Japanese text quotes is set aside: values, keys, code.
_ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[ ,'-]+[A-Za-z]+){3,}")
_QUOTED = re.compile(r"「[^」]*」|`[^`]*`|'[^']*'|\"[^\"]*\"")


def assert_reads_as_japanese(*texts: str) -> None:
    """Assert that no text holds an English sentence outside what it quotes."""
    for text in texts:
        assert not _ENGLISH_RUN.search(_QUOTED.sub("", text)), text


def test_corpus_is_complete() -> None:
    """The corpus holds at least 16 broken calendars, each stating its message on line 1."""
    assert len(BAD_CALENDARS) >= 16
    for path in BAD_CALENDARS:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("# expect: "), path.name
        assert _expectation(path).stage in ("load", "timeline"), path.name


@pytest.mark.parametrize("path", BAD_CALENDARS, ids=[p.stem for p in BAD_CALENDARS])
def test_bad_calendar(path: Path) -> None:
    """Each broken calendar fails with every message its header states, naming its file."""
    expect = _expectation(path)
    if expect.stage == "timeline":
        timeline = pytest.importorskip("cutover.schedule.timeline")
        calendar = load_calendar(path)
        if expect.conflict is not None:
            conflicts = timeline.build_timeline(calendar).conflicts
            found = [c for c in conflicts if c.code == expect.conflict]
            assert found, conflicts
            text = "\n".join(f"{c.event} {c.other} {c.text('en')}" for c in found)
            for fragment in expect.fragments:
                assert fragment in text
            for conflict in found:
                assert_reads_as_japanese(*conflict.describe("ja"))
            return
        with pytest.raises(CutoverError) as info:
            timeline.build_timeline(calendar)
    else:
        with pytest.raises(CutoverError) as info:
            load_calendar(path)
    message = info.value.text("en")
    for fragment in expect.fragments:
        assert fragment in message
    assert all(problem.file == str(path) for problem in info.value.problems)
    assert message.startswith(str(path))
    if expect.line is not None:
        assert expect.line in [problem.line for problem in info.value.problems], message
    for problem in info.value.problems:
        assert_reads_as_japanese(*problem.describe("ja"))


def test_all_problems_reported_at_once() -> None:
    """A calendar with three independent problems reports all three in one error."""
    text = (
        MINIMAL.replace('source = "tests"', 'source = "tests"\nsytems = ["health"]')
        + _event("drill", 'date = "2018-13-01"')
        + _event("survey", 'actor = "ministri"\ndate = "2018-02-19"')
    )
    err = _load_error(text)
    assert len(err.problems) == 3
    message = err.text("en")
    assert "'sytems' is not a valid key — did you mean 'systems'?" in message
    assert "events[1].date: '2018-13-01' is not a date: there is no month 13" in message
    assert "events[2].actor: unknown actor 'ministri' — did you mean 'ministry'?" in message
    assert [p.text("ja").split(": ", 1)[1] for p in err.problems] == [
        "revision.sytems: 「sytems」という項目は使えません — 「systems」のことですか？",
        "events[1].date: 「2018-13-01」は日付ではありません: 13月はありません"
        " — 月は1から12までで書いてください",
        "events[2].actor: 「ministri」は実施主体ではありません — 「ministry」のことですか？",
    ]
    assert [p.line for p in err.problems] == [
        _line_of(text, "sytems"),
        _line_of(text, "2018-13-01"),
        _line_of(text, "ministri"),
    ]


# --- locating problems: key paths and lines -----------------------------------------------


def test_key_path_and_line_of_a_bad_date() -> None:
    """A bad date in the third event is reported as events[2].date, on its own line."""
    text = (
        MINIMAL
        + _event("second", 'note_en = "date = 2018-02-30 in a string"\ndate = "2018-05-02"')
        + _event("third", 'note_ja = "備考"\ndate = "2018-02-30"')
        + _event("fourth", 'date = "2018-05-04"')
    )
    err = _load_error(text, "cal.toml")
    (problem,) = err.problems
    assert problem.key == "events[2].date"
    assert problem.line == _line_of(text, 'date = "2018-02-30"')
    assert problem.file == "cal.toml"
    assert err.text("en") == (
        f"cal.toml:{problem.line}: events[2].date: '2018-02-30' is not a date: "
        "February 2018 has 28 days — use a day from 1 to 28"
    )


def test_missing_key_is_located_at_its_table_not_the_next_one() -> None:
    """A key missing from one event points at that event's header, not at a later event."""
    text = MINIMAL + _event("no-date", "") + _event("dated", 'date = "2018-05-01"')
    err = _load_error(text)
    (problem,) = err.problems
    assert problem.key == "events[1].date"
    assert "is missing" in problem.describe("en")[0]
    headers = [i for i, line in enumerate(text.split("\n"), start=1) if line == "[[events]]"]
    assert problem.line == headers[1]


def test_line_of_entries_in_arrays_and_inline_tables() -> None:
    """Problems inside one-line arrays and inline tables are located on their key's line."""
    text = (
        MINIMAL.replace('source = "tests"', 'systems = [\n  "health",\n  "helth",\n]\nsource = "t"')
        + _event("late", 'date = "2018-06-01"\nbefore = [{ event = "effective", lag = "2 days" }]')
        + '\n[[tasks]]\nid = "t"\ntitle_ja = "t"\ntitle_en = "t"\ndue = "late"\nsection = "§2"\n'
        + 'when = { kinds = ["prefecture", "village"] }\n'
    )
    err = _load_error(text)
    by_key = {p.key: p.line for p in err.problems}
    assert by_key == {
        "revision.systems[1]": _line_of(text, "systems = ["),
        "events[1].before[0].lag": _line_of(text, "2 days"),
        "tasks[0].when.kinds[1]": _line_of(text, "village"),
    }


def test_line_of_a_dotted_sub_table() -> None:
    """A problem in [tasks.when] is located on the line inside that sub-table."""
    text = (
        MINIMAL
        + '\n[[tasks]]\nid = "t"\ntitle_ja = "t"\ntitle_en = "t"\ndue = "provision-cutoff"\n'
        + 'section = "§6"\n\n[tasks.when]\ntest_requested = "yes"\n'
    )
    (problem,) = _load_error(text).problems
    assert problem.key == "tasks[0].when.test_requested"
    assert problem.line == _line_of(text, '"yes"')


def test_lines_count_like_toml_despite_unicode_line_separators() -> None:
    """A U+2028 inside a string does not shift the lines of the problems after it."""
    text = MINIMAL.replace('"Minimal calendar"', '"Minimal\u2028calendar"') + _event(
        "bad", 'date = "2018-02-30"'
    )
    (problem,) = _load_error(text).problems
    assert problem.line == _line_of(text, "2018-02-30")


def test_multi_line_strings_do_not_look_like_keys() -> None:
    """A line inside a multi-line string that looks like `date = …` is not taken for a key."""
    text = MINIMAL + _event("bad", 'note_en = """\ndate = "fine"\n"""\ndate = "2018-02-30"')
    (problem,) = _load_error(text).problems
    assert problem.line == _line_of(text, "2018-02-30")


def test_invalid_toml_names_its_line() -> None:
    """A TOML syntax error gives the line tomllib found it on, and the file."""
    text = MINIMAL + '\n[[events]]\nid = "x"\ntitle_ja = "閉じ忘れ\n'
    err = _load_error(text, "syntax.toml")
    (problem,) = err.problems
    assert problem.line == _line_of(text, "閉じ忘れ")
    assert err.text("en").startswith(f"syntax.toml:{problem.line}: not valid TOML")


def _tomllib_reasons() -> list[str]:
    """Return every reason tomllib's parser can give, as its source writes it (an
    f-string's fields as they would be filled: ``Cannot declare {key} twice`` → ``Cannot
    declare 'a' twice``)."""
    source = inspect.getsource(importlib.import_module("tomllib._parser"))
    found = re.findall(r'suffixed_err\([^,]+,[^,]+,\s*f?"([^"]*)"', source)
    assert len(found) > 15  # (the source still reads as it did)
    written = (ast.literal_eval(f'"{reason}"') for reason in found)
    return sorted({re.sub(r"\{[^}]*\}", "'a'", reason) for reason in written})


@pytest.mark.parametrize("reason", _tomllib_reasons())
def test_every_tomllib_reason_is_said_in_japanese(reason: str) -> None:
    """Each reason tomllib gives has its own text in the catalogue: a calendar written by
    hand is told what is wrong in Japanese, not in tomllib's English."""
    said = toml_error(tomllib.TOMLDecodeError(f"{reason} (at line 3, column 1)"), "x.toml")
    (problem,) = said.problems
    assert problem.line == 3
    said_as = problem.params["said"]
    assert isinstance(said_as, Msg)
    assert said_as.code != "calendar.toml-other", reason


def test_toml_ending_inside_a_value_names_the_last_line_in_japanese() -> None:
    """A quote or bracket never closed makes tomllib stop at the end of the file (no line
    of its own): the error names the file's last line and says, in Japanese, what is open
    and to look for where it was opened."""
    text = MINIMAL + '\n[[events]]\nid = "x"\ntitle_en = """never closed\ndate = "2018-05-23"\n\n'
    error = _load_error(text, "open.toml")
    (problem,) = error.problems
    assert problem.line == text.rstrip().count("\n") + 1
    japanese = error.text("ja")
    assert "文字列が閉じていません" in japanese
    assert_reads_as_japanese(japanese)
    assert "end of document" not in error.text("en")


def test_an_unknown_tomllib_reason_is_a_japanese_sentence() -> None:
    """A reason no text knows (a later Python's) reads as Japanese; English keeps its words."""
    error = toml_error(tomllib.TOMLDecodeError("Frobnicated table (at line 2, column 4)"), "x.toml")
    japanese = error.text("ja")
    assert japanese.startswith("x.toml:2: TOML として読めません: TOML の決まりに合わない書き方")
    assert "Frobnicated" not in japanese
    assert "not valid TOML: Frobnicated table" in error.text("en")


def test_deeply_nested_toml_is_a_cutover_error() -> None:
    """Arrays nested thousands deep are refused with CutoverError, not RecursionError."""
    err = _load_error("a = " + "[" * 5000 + "]" * 5000)
    assert "not valid TOML: arrays or tables nested too deeply" in err.text("en")


# --- finding calendars --------------------------------------------------------------------


def test_shipped_calendars_are_listed_by_id() -> None:
    """Both shipped calendars are listed, sorted by id, as existing TOML files."""
    shipped = shipped_calendars()
    assert {"2018-07", "2018-11"} <= set(shipped)
    assert list(shipped) == sorted(shipped)
    assert all(path.is_file() and path.suffix == ".toml" for path in shipped.values())


def test_a_shipped_calendar_is_named_as_its_file(tmp_path: Path) -> None:
    """A shipped calendar is named as its file, 2018-07.toml, in its problems (an event a
    --shift names that it lacks): not by the folder it is installed in, a site-packages path
    on a clerk's Windows PC. A calendar given by its path is named by that path."""
    import cutover

    calendar = load_calendar("2018-07")
    assert calendar.source_file == "2018-07.toml"
    with pytest.raises(CutoverError) as caught:
        cutover.build_timeline(calendar, [cutover.parse_shift("inter-agncy-test=+5bd")])
    assert caught.value.problems[0].file == "2018-07.toml"
    assert "2018-07.toml: " in caught.value.text("ja")
    copy = tmp_path / "2018-07.toml"
    copy.write_bytes(shipped_calendars()["2018-07"].read_bytes())
    assert load_calendar(copy).source_file == str(copy)


def test_load_by_id_and_by_path() -> None:
    """A shipped id, its path and its path as a string load the same calendar."""
    path = shipped_calendars()["2018-07"]
    by_id = load_calendar("2018-07")
    assert by_id.id == "2018-07"
    assert load_calendar(path) == by_id
    assert load_calendar(str(path)) == by_id
    assert calendar_path("2018-07") == path


def test_unknown_id_suggests_a_shipped_one() -> None:
    """An unknown calendar id gets 'did you mean' over the shipped ids."""
    with pytest.raises(CutoverError) as info:
        load_calendar("2018-7")
    message = info.value.text("en")
    assert "unknown calendar '2018-7'" in message
    assert "did you mean '2018-07'?" in message
    assert "cutover calendars" in message


def test_missing_file_is_named(tmp_path: Path) -> None:
    """A path that does not exist is an error naming the path."""
    missing = tmp_path / "nowhere" / "2018-07.toml"
    with pytest.raises(CutoverError) as info:
        load_calendar(missing)
    assert info.value.text("en").startswith(str(missing))
    assert "no such calendar file" in info.value.text("en")


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    """A calendar saved as Shift_JIS is refused at the line of its first Japanese text, with a
    message that names Shift_JIS and says to save it as UTF-8."""
    path = tmp_path / "sjis.toml"
    path.write_bytes(MINIMAL.encode("cp932"))
    with pytest.raises(CutoverError) as info:
        load_calendar(path)
    assert info.value.text("en") == (
        f"{path}:3: the calendar is not UTF-8; it looks like Shift_JIS (cp932), what many "
        "Windows editors save — save the TOML file as UTF-8 (in the editor's Save As dialog, "
        "choose the encoding UTF-8)"
    )


def test_binary_file_is_not_utf8_without_guessing_shift_jis(tmp_path: Path) -> None:
    """A file that is no text at all is 'not UTF-8', without naming Shift_JIS."""
    path = tmp_path / "image.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\xfd")
    with pytest.raises(CutoverError) as info:
        load_calendar(path)
    assert (
        info.value.text("en")
        == f"{path}:1: the calendar is not UTF-8 — save the TOML file as UTF-8"
    )


def test_utf8_with_bom_loads(tmp_path: Path) -> None:
    """A calendar saved as UTF-8 with a byte-order mark (as Notepad does) loads."""
    path = tmp_path / "bom.toml"
    path.write_bytes(MINIMAL.encode("utf-8-sig"))
    assert load_calendar(path).id == "minimal"


def test_calendar_records_its_source_file(write_calendar: WriteCalendar) -> None:
    """A loaded calendar remembers the file it came from, for later messages."""
    path = write_calendar(MINIMAL)
    calendar = load_calendar(path)
    assert calendar.source_file == str(path)
    with pytest.raises(CutoverError) as info:
        calendar.event("provision-cutof")
    assert "did you mean 'provision-cutoff'?" in info.value.text("en")


# --- the models ---------------------------------------------------------------------------


def test_minimal_calendar_loads() -> None:
    """A calendar with only [revision] and one event loads, with the documented defaults."""
    calendar = parse_calendar(MINIMAL)
    assert isinstance(calendar, RevisionCalendar)
    assert calendar.id == "minimal"
    assert calendar.revision.effective == dt.date(2018, 7, 1)
    assert calendar.revision.systems == tuple(s.id for s in SYSTEMS)
    assert calendar.revision.assumption is None
    assert calendar.items == ()
    assert calendar.cutoff is None
    assert calendar.tasks == ()
    assert calendar.recurring == ()
    assert calendar.closures == ()
    assert [e.id for e in calendar.events] == [EFFECTIVE, "provision-cutoff"]
    deadline = calendar.event("provision-cutoff")
    assert deadline.actor is Actor.EVERY_AGENCY
    assert deadline.adjust
    assert calendar.event(EFFECTIVE).adjust is False


def test_effective_event_is_made_from_the_revision() -> None:
    """The loader adds the 'effective' milestone on [revision].effective, with its line."""
    effective = parse_calendar(MINIMAL).event(EFFECTIVE)
    assert effective.type == "milestone"
    assert effective.start == DateRange(
        dt.date(2018, 7, 1), dt.date(2018, 7, 1), "2018-07-01", "day"
    )
    assert effective.line == _line_of(MINIMAL, "effective =")
    assert effective.section == "§2"


def test_toml_native_dates_are_accepted() -> None:
    """Unquoted TOML dates (and date-times) are read as exact days."""
    text = MINIMAL.replace('effective = "2018-07-01"', "effective = 2018-07-01").replace(
        'date = "2018-06-30"', "date = 2018-06-30"
    ).replace('section = "§6"', 'section = "§6"\n') + _event("dated", "date = 2018-05-23T09:30:00")
    calendar = parse_calendar(text)
    assert calendar.revision.effective == dt.date(2018, 7, 1)
    start = calendar.event("provision-cutoff").start
    assert start is not None
    assert (start.start, start.end, start.precision) == (
        dt.date(2018, 6, 30),
        dt.date(2018, 6, 30),
        "day",
    )
    dated = calendar.event("dated").start
    assert dated is not None
    assert dated.start == dt.date(2018, 5, 23)


def test_fuzzy_dates() -> None:
    """`2018-05 下旬` is 5/21..5/31, a wareki month is the whole month, and labels are kept."""
    text = MINIMAL + _event(
        "registration", 'type = "window"\nstart = "2018-05 下旬"\nend = "平成30年6月"'
    )
    event = parse_calendar(text).event("registration")
    assert event.start == DateRange(
        dt.date(2018, 5, 21), dt.date(2018, 5, 31), "2018-05 下旬", "dekad"
    )
    assert event.end == DateRange(dt.date(2018, 6, 1), dt.date(2018, 6, 30), "平成30年6月", "month")


def test_effective_may_be_wareki() -> None:
    """[revision].effective may be written in wareki, as an exact day."""
    text = MINIMAL.replace('effective = "2018-07-01"', 'effective = "平成30年7月1日（日）"')
    assert parse_calendar(text).revision.effective == dt.date(2018, 7, 1)


@pytest.mark.parametrize(
    ("text", "lag"),
    [
        ("3bd", Lag(3, "bd")),
        ("+3bd", Lag(3, "bd")),
        ("-1d", Lag(-1, "d")),
        ("0d", Lag(0, "d")),
        ("３bd", Lag(3, "bd")),
        ("＋３ｂｄ", Lag(3, "bd")),
        (" 10 BD ", Lag(10, "bd")),
        ("-2 d", Lag(-2, "d")),
    ],
)
def test_parse_lag(text: str, lag: Lag) -> None:
    """Lags are signed business (bd) or calendar (d) days, full-width digits included."""
    assert parse_lag(text) == lag


def test_lag_str_and_business() -> None:
    """A lag prints with its sign and says whether it counts business days."""
    assert str(Lag(3, "bd")) == "+3bd"
    assert str(Lag(-1, "d")) == "-1d"
    assert Lag(3, "bd").business
    assert not Lag(3, "d").business


@pytest.mark.parametrize("text", ["3 weeks", "", "bd", "3", "3.5bd", "3bdd", "+-3bd", "3w", "三bd"])
def test_parse_lag_rejects(text: str) -> None:
    """Anything but a signed whole number of bd or d is refused with the accepted forms."""
    with pytest.raises(CutoverError) as info:
        parse_lag(text)
    assert f"{text!r} is not a lag" in info.value.text("en")
    assert "3bd" in info.value.text("en")


@pytest.mark.parametrize("text", ["12345bd", "+100000d", "-99999bd"])
def test_parse_lag_too_long(text: str) -> None:
    """A well-formed lag of five digits or more is refused for its size, not its form."""
    with pytest.raises(CutoverError) as info:
        parse_lag(text)
    assert info.value.text("en").endswith(
        f"{text!r} is too long a lag: at most 9999 days — give a lag of at most 9999 "
        "business or calendar days"
    )


def test_longest_lag_is_read() -> None:
    """9999 days either way is a lag; leading zeros do not make one longer."""
    assert parse_lag("-9999bd") == Lag(-9999, "bd")
    assert parse_lag("00001bd") == Lag(1, "bd")
    assert parse_lag("+01000d") == Lag(1000, "d")


def test_dependencies_are_parsed() -> None:
    """after/before take ids or tables with a lag and an anchor; defaults are 0d from the end."""
    text = MINIMAL + _event(
        "follow-up",
        'after = ["provision-cutoff", { event = "effective", lag = "-2bd", from = "start" }]\n'
        'before = { event = "effective", lag = "1d" }',
    )
    event = parse_calendar(text).event("follow-up")
    assert [(d.event, d.lag, d.anchor, d.direction) for d in event.after] == [
        ("provision-cutoff", Lag(0, "d"), "end", "after"),
        (EFFECTIVE, Lag(-2, "bd"), "start", "after"),
    ]
    assert [(d.event, d.lag, d.anchor, d.direction) for d in event.before] == [
        (EFFECTIVE, Lag(1, "d"), "start", "before"),
    ]
    assert event.start is None


def test_an_event_cannot_depend_on_itself() -> None:
    """A self-reference is refused at load time, naming the dependency."""
    err = _load_error(MINIMAL + _event("loop", 'after = ["loop"]'))
    assert "events[1].after[0].event: event 'loop' depends on itself" in err.text("en")


def test_broken_revision_does_not_cascade() -> None:
    """A bad effective date is reported once, not again at every event that depends on it."""
    text = MINIMAL.replace('"2018-07-01"', '"2018-07-32"') + _event(
        "late", 'date = "2018-06-01"\nbefore = ["effective"]'
    )
    err = _load_error(text)
    assert [p.key for p in err.problems] == ["revision.effective"]


def test_recurring_occurrences() -> None:
    """A yearly rule yields one date a year between the two dates given, both included."""
    rule = Recurring(
        id="annual-self-inspection",
        title_ja="自己点検",
        title_en="Self-inspection",
        rrule="FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1",
        dtstart=dt.date(2018, 5, 1),
        actor=Actor.EVERY_AGENCY,
        section="§13",
    )
    assert rule.occurrences(dt.date(2018, 1, 1), dt.date(2020, 5, 1)) == (
        dt.date(2018, 5, 1),
        dt.date(2019, 5, 1),
        dt.date(2020, 5, 1),
    )
    assert rule.occurrences(dt.date(2017, 1, 1), dt.date(2018, 4, 30)) == ()


def test_recurring_is_loaded() -> None:
    """A [[recurring]] table becomes a Recurring whose occurrences follow its rule."""
    text = MINIMAL + (
        '\n[[recurring]]\nid = "monthly-check"\ntitle_ja = "月次確認"\ntitle_en = "Monthly check"\n'
        'rrule = "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3"\ndtstart = "平成30年4月1日"\n'
        'actor = "都道府県"\nsection = "§13"\n'
    )
    (rule,) = parse_calendar(text).recurring
    assert rule.actor is Actor.PREFECTURE
    assert rule.occurrences(dt.date(2018, 1, 1), dt.date(2019, 1, 1)) == (
        dt.date(2018, 4, 1),
        dt.date(2018, 5, 1),
        dt.date(2018, 6, 1),
    )


def test_closures_feed_closed_days() -> None:
    """A declared closure day is closed, with its reason; the days around it are not."""
    text = MINIMAL + (
        '\n[[closures]]\ndate = "2018-06-15"\nreason_ja = "情報提供NWSの計画停止"\n'
        'reason_en = "NWS planned outage"\nsection = "§14"\n'
        '\n[[closures]]\nstart = "2018-06-19"\nend = "2018-06-20"\nreason_ja = "中間サーバー保守"\n'
        'section = "§14"\n'
    )
    calendar = parse_calendar(text)
    closed = calendar.closed_days()
    closure = closed.closure(dt.date(2018, 6, 15))
    assert closure is not None
    assert closure.ja == "情報提供NWSの計画停止"
    assert closed.is_closed(dt.date(2018, 6, 19))
    assert closed.is_closed(dt.date(2018, 6, 20))
    assert closed.is_business_day(dt.date(2018, 6, 14))
    assert closed.is_business_day(dt.date(2018, 6, 18))
    assert closed.previous_business_day(dt.date(2018, 6, 17)) == dt.date(2018, 6, 14)
    assert calendar.closures[1].reason_en == "中間サーバー保守"


def test_no_closures_means_the_law_only() -> None:
    """Without closures, closed days are the law's: 2018-06-29 (Friday) is a business day."""
    closed = parse_calendar(MINIMAL).closed_days()
    assert closed.is_business_day(dt.date(2018, 6, 29))
    assert closed.is_closed(dt.date(2018, 6, 30))


# --- task templates -----------------------------------------------------------------------

_TASK_EVENTS = MINIMAL + (
    '\n[[items]]\nnumber = 2\nname_ja = "地方税関係情報"\nname_en = "local tax"\n'
    'registration_required = true\nretroactive = true\nsection = "§5"\n'
    '\n[[items]]\nnumber = 8\nname_ja = "障害者自立支援給付関係情報"\nname_en = "disability"\n'
    'registration_required = true\nsection = "§5"\n'
)


def _task(body: str) -> str:
    """Return a calendar with one task made of `body` lines."""
    return _TASK_EVENTS + (
        f'\n[[tasks]]\nid = "task"\ndue = "provision-cutoff"\nsection = "§6"\n{body}\n'
    )


@pytest.mark.parametrize(
    ("per", "title", "ok"),
    [
        ('per = "once"', "Answer all requests", True),
        ('per = "once"', "Answer {system}", False),
        ('per = "once"', "Use {{braces}} literally", True),
        ('per = "system"\nside = "provision"', "Modify {system_ja} / {system_en} / {system}", True),
        ('per = "system"\nside = "query"', "Modify item {item}", False),
        ('per = "item"', "Register item {item} ({item_ja}, {item_en})", True),
        ('per = "item"', "Register {system_en}", False),
        ('per = "item"', "Register item {item", False),
        ('per = "item"', "Register item {item!x}", False),
        ('per = "item"', "Register item {item:>{width}}", False),
        ('per = "item"', "Register item {item!r:>5}", True),
    ],
)
def test_placeholders_are_checked_per_multiplication(per: str, title: str, ok: bool) -> None:
    """Titles may use only the placeholders of their multiplication, in a form that formats."""
    text = _task(f'{per}\ntitle_ja = "タスク"\ntitle_en = "{title}"')
    if ok:
        (task,) = parse_calendar(text).tasks
        assert task.title_en == title
    else:
        err = _load_error(text)
        assert {p.key for p in err.problems} == {"tasks[0].title_en"}
        assert "placeholder" in err.text("en")


def test_unknown_placeholder_lists_the_usable_ones() -> None:
    """An unknown placeholder names the placeholders the task may use."""
    err = _load_error(_task('title_ja = "{item}番"\ntitle_en = "Item"'))
    assert 'unknown placeholder {item} — usable here: none (per = "once")' in err.text("en")


def test_task_when_is_parsed() -> None:
    """`when` reads kinds (English or Japanese), test_requested, provides and new_delegation."""
    text = _task(
        'title_ja = "t"\ntitle_en = "t"\n'
        'when = { kinds = ["市区町村", "prefecture"], test_requested = true, '
        "provides = [2, 21], new_delegation = false }"
    )
    (task,) = parse_calendar(text).tasks
    assert task.when == TaskWhen(
        kinds=frozenset({Kind.MUNICIPALITY, Kind.PREFECTURE}),
        test_requested=True,
        provides=frozenset({2, 21}),
        new_delegation=False,
    )


def test_task_when_defaults_and_revised() -> None:
    """Without `when` a task applies to every agency; provides = "revised" means the items."""
    text = _task('title_ja = "t"\ntitle_en = "t"') + (
        '\n[[tasks]]\nid = "other"\ntitle_ja = "t"\ntitle_en = "t"\ndue = "provision-cutoff"\n'
        'section = "§6"\nwhen = { provides = "revised" }\n'
    )
    first, second = parse_calendar(text).tasks
    assert first.when == TaskWhen()
    assert first.when.kinds == frozenset(Kind)
    assert second.when.provides == frozenset({2, 8})


def test_task_fields_are_parsed() -> None:
    """A per-item task keeps its item set, window, remedies, hearing flag and key."""
    text = _task(
        'per = "item"\nitems = "cutoff"\ntitle_ja = "{item}番"\ntitle_en = "Item {item}"\n'
        'window = "provision-cutoff"\nremedies_ja = ["期限までに提供する。"]\n'
        'remedies_en = "Answer by the cutoff."\nhearing = true'
    )
    (task,) = parse_calendar(text).tasks
    assert (task.per, task.items, task.side) == ("item", "cutoff", None)
    assert (task.due, task.window) == ("provision-cutoff", "provision-cutoff")
    assert task.remedies_ja == ("期限までに提供する。",)
    assert task.remedies_en == ("Answer by the cutoff.",)
    assert task.hearing
    assert task.key == "tasks[0]"
    assert (task.remedies_too_late_ja, task.remedies_too_late_en) == ((), ())


def test_task_queries_role_is_parsed() -> None:
    """`queries` is provider or querier; anything else is refused with both choices."""
    (task,) = parse_calendar(_task('title_ja = "t"\ntitle_en = "t"\nqueries = "querier"')).tasks
    assert task.queries == "querier"
    (plain,) = parse_calendar(_task('title_ja = "t"\ntitle_en = "t"')).tasks
    assert plain.queries is None
    with _refused("queries 'both' is neither provider nor querier"):
        parse_calendar(_task('title_ja = "t"\ntitle_en = "t"\nqueries = "both"'))


def test_task_too_late_remedies_are_parsed() -> None:
    """`remedies_too_late_*` are read like the remedies; a number instead of text is refused."""
    text = _task(
        'title_ja = "t"\ntitle_en = "t"\nremedies_too_late_ja = ["取りやめ、再照会する。"]\n'
        'remedies_too_late_en = ["Withdraw and re-issue."]'
    )
    (task,) = parse_calendar(text).tasks
    assert task.remedies_too_late_ja == ("取りやめ、再照会する。",)
    assert task.remedies_too_late_en == ("Withdraw and re-issue.",)
    with _refused("remedies_too_late_ja"):
        parse_calendar(_task('title_ja = "t"\ntitle_en = "t"\nremedies_too_late_ja = 3'))


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('per = "each"', "unknown multiplication 'each'"),
        ('per = "system"\nside = "both"', "unknown side 'both'"),
        ('per = "item"\nitems = "registraton"', "did you mean 'registration'?"),
        ('items = "cutoff"', "only a per-item task selects items"),
        ("when = { test_requested = 1 }", "must be true or false, not 1"),
        ("when = { provides = 2 }", "must be 'revised' or a list of items, not 2"),
        ('when = { kind = ["prefecture"] }', "did you mean 'kinds'?"),
        ('window = "provision-cutoff-window"', "tasks[0].window: unknown event"),
        ("hearing = 1", "tasks[0].hearing: must be true or false, not 1"),
    ],
)
def test_bad_task_fields(body: str, fragment: str) -> None:
    """Each bad task field is reported at its key with what is wrong."""
    err = _load_error(_task(f'title_ja = "t"\ntitle_en = "t"\n{body}'))
    assert fragment in err.text("en")
    assert all(p.key is not None and p.key.startswith("tasks[0].") for p in err.problems)


def _recurring(rule: str) -> str:
    """Return a [[recurring]] table with the given TOML value as its rule."""
    return (
        '\n[[recurring]]\nid = "r"\ntitle_ja = "r"\ntitle_en = "r"\n'
        f'rrule = {rule}\ndtstart = "2018-05-01"\nsection = "§13"\n'
    )


# --- more refusals, each reported once ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (
            MINIMAL.replace('type = "deadline"', 'type = "window"'),
            [
                "events[0].date: a window has a start and an end, not a date",
                "events[0].start: is missing",
                "events[0].end: is missing",
            ],
        ),
        (
            MINIMAL + _event("w", 'type = "window"\nstart = "2018-05-01"\nduration = 5'),
            ["events[1].duration: the number 5 has no unit (business or calendar days)"],
        ),
        (
            MINIMAL + _event("w", 'type = "window"\nstart = "2018-05-01"\nduration = "0bd"'),
            ["events[1].duration: +0bd is not a positive length"],
        ),
        (
            MINIMAL + _event("w", 'type = "window"\nstart = "2018-13-01"\nend = "2018-06-01"'),
            ["events[1].start: '2018-13-01' is not a date"],
        ),
        (
            MINIMAL + _event("m", 'type = 3\ndate = "2018-05-01"'),
            ["events[1].type: must be a string, not an integer 3"],
        ),
        (
            MINIMAL + _event("m", 'type = "milstone"\ndate = "2018-05-01"'),
            ["unknown event type 'milstone' — did you mean 'milestone'?"],
        ),
        (
            MINIMAL + _event("m", 'start = "2018-05-01"'),
            ["events[1].start: a milestone has a date, not 'start'", "events[1].date: is missing"],
        ),
        (
            MINIMAL + _event("Bad_Id", 'date = "2018-05-01"'),
            ["id 'Bad_Id' is not lower-case letters, digits and hyphens"],
        ),
        (
            "schema = 2\n" + MINIMAL,
            ["schema: schema 2 is not supported — this cutover reads schema = 1"],
        ),
        ("schema = true\n" + MINIMAL, ["schema: schema True is not supported"]),
        (
            MINIMAL + '\n[[items]]\nnumber = 2\nname_ja = "a"\nname_en = "a"\nsection = "§5"\n'
            '\n[[items]]\nnumber = 2\nname_ja = "b"\nname_en = "b"\nsection = "§5"\n',
            ["items[1].number: duplicate item number '2' (first at items[0].number)"],
        ),
        (
            MINIMAL + '\n[[items]]\nnumber = -2\nname_ja = "a"\nname_en = "a"\nsection = "§5"\n',
            ["items[0].number: must be a positive item number, not -2"],
        ),
        (
            MINIMAL.replace('section = "§2"', 'section = "§2"\nassumption = 3'),
            ["revision.assumption: must be a string, not an integer 3"],
        ),
        (
            "events = 3\n" + MINIMAL.split("[[events]]")[0],
            ["events: must be an array of tables, not an integer — write each entry as [[events]]"],
        ),
        (
            "revision = 3\n" + MINIMAL.split("[revision]")[1].split("\n\n", 1)[1],
            ["revision: must be a table, not an integer — write [revision]"],
        ),
        (
            MINIMAL + '\n[[closures]]\nstart = "2018-01-01"\nend = "2019-06-01"\nreason_ja = "x"\n'
            'section = "§14"\n',
            ["closures[0].end: a closure longer than a year is not a closure"],
        ),
        (
            MINIMAL + '\n[[closures]]\nreason_ja = "x"\nsection = "§14"\n',
            ["closures[0]: a closure has a date, or a start and an end"],
        ),
        (
            MINIMAL + '\n[[recurring]]\nid = "r"\ntitle_ja = "r"\ntitle_en = "r"\n'
            'rrule = "FREQ=YEARLY"\nsection = "§13"\n',
            ["recurring[0].dtstart: is missing"],
        ),
        (
            MINIMAL + _recurring('""'),
            ["recurring[0].rrule: is empty"],
        ),
        (
            MINIMAL + _recurring('"FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30"'),
            ["repeats HOURLY: recurring work falls on days"],
        ),
        (
            MINIMAL + _recurring('"DTSTART:20180101T000000Z\\nRRULE:FREQ=YEARLY"'),
            [
                "has the line 'DTSTART:20180101T000000Z': a DTSTART is a date, or a date and "
                "time, without a time zone"
            ],
        ),
        (
            MINIMAL + "\n[cutoff]\nitems = [2]\n",
            [
                "cutoff.items: item 2 is not one of the revised [[items]]",
                "cutoff.last_provision: is missing",
                "cutoff.requery_from: is missing",
                "cutoff.section: is missing",
            ],
        ),
    ],
    ids=[
        "window-with-a-date",
        "duration-not-a-string",
        "duration-zero",
        "window-bad-start",
        "type-not-a-string",
        "type-misspelt",
        "milestone-with-a-start",
        "bad-id",
        "schema-2",
        "schema-true",
        "duplicate-item",
        "negative-item",
        "assumption-not-a-string",
        "events-not-tables",
        "revision-not-a-table",
        "closure-longer-than-a-year",
        "closure-without-dates",
        "recurring-without-dtstart",
        "rrule-empty",
        "rrule-hourly",
        "rrule-dtstart-with-a-zone",
        "cutoff-incomplete",
    ],
)
def test_refusals(text: str, messages: list[str]) -> None:
    """Each mistake is reported once, at its key, with what is wrong."""
    err = _load_error(text)
    found = err.text("en")
    for message in messages:
        assert message in found
    assert len(err.problems) == len(messages), found


# --- fuzzing: any text is a calendar or a CutoverError ------------------------------------

_SHIPPED_TEXTS = [path.read_text(encoding="utf-8") for path in shipped_calendars().values()]

#: Values written as a person writes them elsewhere, which TOML cannot read: a date or a
#: lag without quotes, True or はい for true, full-width digits, 「、」 between entries.
_SLIPS = (
    "2019/5/1",
    "平成31年4月下旬",
    "5bd",
    "[effective]",
    "[change-requests-open, effective]",
    "True",
    "はい",
    "２",
    "[２, ２１]",
    "[2、21]",
    "ministry",
)

#: Values a person might mistype into a calendar: wrong types, bad dates, bad lags, …
_TOML_VALUES = st.sampled_from(
    [
        "42",
        "-1",
        "0",
        "3.5",
        "true",
        '"x"',
        '""',
        "[]",
        "{}",
        '[1, "a"]',
        '["effective"]',
        "[{ event = 3 }]",
        '[{ event = "effective", lag = "3 weeks" }]',
        '{ event = "nowhere", lag = "-2bd", from = "middle" }',
        "2018-13-01",
        "1900-01-01",
        "9999-12-31",
        "2018-06-30T25:00:00",
        '"2018-02-30"',
        '"平成31年5月1日"',
        '"令和元年4月30日"',
        '"2018-05 下旬"',
        '"FY2018"',
        '"3bd"',
        '"{item}"',
        '"{system!x}"',
        '"{"',
        '"effective"',
        '"window"',
        '"system"',
        '"item"',
        '"FREQ=DAILY;COUNT=0"',
        '"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"',
        '"RRULE:FREQ=YEARLY\\nEXDATE:20190101"',
        '"DTSTART:20180101T000000Z\\nRRULE:FREQ=YEARLY;UNTIL=20190101"',
        *_SLIPS,
    ]
)


@st.composite
def _mutated_calendars(draw: st.DrawFn) -> str:
    """Return a shipped calendar with a few lines deleted, duplicated, moved or rewritten."""
    lines = draw(st.sampled_from(_SHIPPED_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "move", "value", "text", "cut"]))
        if operation == "delete":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "move":
            lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(index))
        elif operation == "value" and "=" in lines[index]:
            key = lines[index].split("=", 1)[0]
            lines[index] = f"{key}= {draw(_TOML_VALUES)}"
        elif operation == "text":
            lines.insert(index, draw(st.text(max_size=30)))
        elif operation == "cut":
            lines = lines[:index]
        if not lines:
            lines = [""]
    return "\n".join(lines)


def _parses_or_refuses(text: str) -> None:
    """Assert that `text` gives a calendar, or a CutoverError whose problems are located."""
    try:
        calendar = parse_calendar(text, "fuzz.toml")
    except CutoverError as err:
        problems = err.problems
    else:
        assert isinstance(calendar, RevisionCalendar)
        assert calendar.events[0].id == EFFECTIVE
        return
    assert problems
    line_count = len(text.split("\n"))
    for problem in problems:
        assert problem.file == "fuzz.toml"
        assert problem.describe("en")[0]
        assert problem.line is None or 1 <= problem.line <= line_count


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_fuzz_arbitrary_text(text: str) -> None:
    """Any text is either a calendar or a CutoverError, never another exception."""
    _parses_or_refuses(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated_calendars())
def test_fuzz_mutated_calendars(text: str) -> None:
    """A shipped calendar with random edits is either a calendar or a located CutoverError."""
    _parses_or_refuses(text)


# --- a task written by its Japanese name --------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("機関間試験", "inter-agency-test"),
        ("機関間試験の実施", "inter-agency-test"),
        ("副本登録:2", "register:2"),
        ("副本登録", "register:<item>"),
        ("副本登録:二", "register:<item>"),
        ("照会側の改修:介護", "modify-query:long-term-care"),
        ("照会側の改修:xyz", "modify-query:<system>"),
        ("提供側改修:地方税", "modify-provision:local-tax"),
        ("照会側の改修:国保", "modify-query:nhi"),
        ("自己点検", "self-inspection"),
        ("再照会", "withdraw-and-reissue"),
    ],
)
def test_suggest_task_from_its_japanese_name(written: str, meant: str) -> None:
    """A task id written as the checklist's Japanese wording is matched to its id."""
    assert suggest_task(written, load_calendar("2018-07").tasks) == meant


@pytest.mark.parametrize("written", ["何か", "", "x", "改修"])
def test_suggest_task_only_when_one_stands_out(written: str) -> None:
    """Nothing is suggested for a word no title holds, or one that two titles hold alike
    (改修: the provision and the query side)."""
    assert suggest_task(written, load_calendar("2018-07").tasks) is None


@given(st.text(max_size=30))
def test_suggest_task_names_a_real_task_or_nothing(written: str) -> None:
    """Whatever is written, the suggestion is None or an id of the calendar's templates."""
    tasks = _shipped_tasks()
    meant = suggest_task(written, tasks)
    assert meant is None or meant.split(":")[0] in {t.id for t in tasks}


@functools.lru_cache(maxsize=1)
def _shipped_tasks() -> tuple[TaskTemplate, ...]:
    return load_calendar("2018-07").tasks


@pytest.mark.parametrize(
    ("value", "en", "ja"),
    [
        ("text", "a string", "文字列"),
        (3, "an integer", "整数"),
        (2.5, "a number", "数値"),
        (True, "a boolean", "真偽値"),
        ([1], "an array", "配列"),
        ({"a": 1}, "a table", "テーブル"),
        (dt.date(2018, 6, 30), "date", "date"),
    ],
)
def test_a_value_type_is_named_in_both_languages(value: object, en: str, ja: str) -> None:
    """A TOML value's type is named by the catalogue, in the reader's language."""
    assert type_name(value).text("en") == en
    assert type_name(value).text("ja") == ja


# --- a misspelt key ---------------------------------------------------------------------------


def test_a_misspelt_required_key_is_one_problem() -> None:
    """``titel_en`` for ``title_en`` is one line (did you mean 'title_en'?), not a second one
    saying ``title_en`` is missing."""
    shipped = shipped_calendars()["2018-07"].read_text(encoding="utf-8")
    text = shipped.replace('title_en = "Survey of system', 'titel_en = "Survey of system')
    with pytest.raises(CutoverError) as info:
        parse_calendar(text, "typo.toml")
    assert [(p.key, p.code) for p in info.value.problems] == [
        ("events[0].titel_en", "calendar.unknown-key")
    ]
    assert "did you mean 'title_en'?" in info.value.text("en")


_KEY_AT_LINE_START = re.compile(r"(?P<indent>\s*)(?P<key>[a-z_]{4,})(?P<rest>\s*=.*)")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_misspelt_key_is_not_also_reported_missing(data: st.DataObject) -> None:
    """A key with two letters swapped is refused, and the key it is taken for ("did you
    mean …?") is not reported missing besides."""
    lines = data.draw(st.sampled_from(_SHIPPED_TEXTS)).split("\n")
    keyed = [i for i, line in enumerate(lines) if _KEY_AT_LINE_START.fullmatch(line)]
    index = data.draw(st.sampled_from(keyed))
    written = _KEY_AT_LINE_START.fullmatch(lines[index])
    assert written is not None
    key = written["key"]
    at = data.draw(st.integers(0, len(key) - 2).filter(lambda i: key[i] != key[i + 1]))
    typo = key[:at] + key[at + 1] + key[at] + key[at + 2 :]
    lines[index] = written["indent"] + typo + written["rest"]
    with pytest.raises(CutoverError) as info:
        parse_calendar("\n".join(lines), "typo.toml")
    problems = info.value.problems
    unknown = [p for p in problems if p.code == "calendar.unknown-key" and p.line == index + 1]
    assert unknown, [p.describe("en") for p in problems]
    meant = {
        f"{p.key.rpartition('.')[0]}.{p.params['suggestion'].params['choice']}".lstrip(".")
        for p in unknown
        if p.key
        and isinstance(p.params["suggestion"], Msg)
        and p.params["suggestion"].code == "common.did-you-mean"
    }
    assert not [p for p in problems if p.code.startswith("calendar.missing") and p.key in meant]


_KEYED_LINE = re.compile(r"(?P<key>[a-z_]+) = .*")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), slip=st.sampled_from(_SLIPS))
def test_a_value_toml_cannot_read_is_named_by_its_key(data: st.DataObject, slip: str) -> None:
    """A value written as in a Word document (``after = [effective]``, ``True``, ``２``) on a
    line of a shipped calendar is refused at that line, naming its key path and the value as
    written; never only "not valid TOML"."""
    lines = data.draw(st.sampled_from(_SHIPPED_TEXTS)).split("\n")
    keyed = [i for i, line in enumerate(lines) if _KEYED_LINE.fullmatch(line)]
    index = data.draw(st.sampled_from(keyed))
    written = _KEYED_LINE.fullmatch(lines[index])
    assert written is not None
    lines[index] = f"{written['key']} = {slip}"
    with pytest.raises(CutoverError) as info:
        parse_calendar("\n".join(lines), "slip.toml")
    problem = info.value.problems[0]
    assert problem.code != "calendar.toml-invalid", problem.describe("en")
    assert problem.line == index + 1
    assert (problem.key or "").split(".")[-1] == written["key"]
    assert slip in problem.describe("en")[0]


#: 「、」 or 「，」 as a person types it between entries, with or without spaces.
_JAPANESE_COMMAS = st.sampled_from(["、", "，", " 、 ", "、 ", " ，"])


@settings(max_examples=100, deadline=None)
@given(data=st.data(), comma=_JAPANESE_COMMAS)
def test_a_japanese_comma_in_a_multi_line_list_is_named_by_its_key(
    data: st.DataObject, comma: str
) -> None:
    """A list written over several lines (a shipped calendar's systems) with 「、」 between
    two entries is refused at the line of the 「、」, naming the list's key and the line
    fixed; never only tomllib's "Unclosed array" (which it once was, unlike the same slip
    in a one-line list)."""
    lines = data.draw(st.sampled_from(_SHIPPED_TEXTS)).split("\n")
    opened = [i for i, line in enumerate(lines) if _KEYED_LINE.fullmatch(line)]
    opened = [i for i in opened if lines[i].endswith("= [")]
    start = data.draw(st.sampled_from(opened))
    key = lines[start].split(" = ")[0]
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "]")
    index = data.draw(st.integers(start + 1, end - 1))
    commas = [m.start() for m in re.finditer(",", lines[index])]
    at = data.draw(st.sampled_from(commas))
    written = lines[index][:at] + comma + lines[index][at + 1 :]
    lines[index] = written
    with pytest.raises(CutoverError) as info:
        parse_calendar("\n".join(lines), "slip.toml")
    (problem,) = info.value.problems
    assert problem.code == "calendar.toml-array-line-fix"
    assert problem.line == index + 1
    assert (problem.key or "").split(".")[-1] == key
    fixed = problem.params["fixed"]
    assert isinstance(fixed, str)
    assert not re.search("[、，]", fixed)
    lines[index] = fixed
    parse_calendar("\n".join(lines), "fixed.toml")  # the fix as said is a calendar
    assert_reads_as_japanese(*problem.describe("ja"))


@pytest.mark.parametrize(
    ("value", "fixed"),
    [
        ('["取りやめ、再照会"、"確認"]', '["取りやめ、再照会", "確認"]'),
        ("['a、b'，'c']", "['a、b', 'c']"),
        ("[2、21]", "[2, 21]"),
    ],
)
def test_a_japanese_comma_in_a_quoted_text_stays(value: str, fixed: str) -> None:
    """Only a 「、」 between entries is made a comma in the fix: one inside a quoted text is
    part of the text and stays."""
    err = _load_error(MINIMAL + f"\n[cutoff]\nitems = {value}\n")
    (problem,) = err.problems
    assert problem.params["fixed"] == fixed


@pytest.mark.parametrize(
    ("body", "meant"),
    [
        ('per = "systems"\nside = "provision"\ntitle_ja = "改修（{system_ja}）"', "system"),
        ('per = "業務システム"\nside = "query"\ntitle_ja = "改修（{system_ja}）"', "system"),
        ('per = "items"\nitems = "cutoff"\ntitle_ja = "{item}番に回答"', "item"),
        ('per = "毎回"\ntitle_ja = "確認"', "once"),
    ],
)
def test_a_misspelt_per_is_the_one_problem(body: str, meant: str) -> None:
    """A task's `per` that is no choice is reported once: its side, items and placeholders,
    which say how it was meant to multiply, are not reported as well."""
    err = _load_error(_task(f'title_en = "t"\n{body}'))
    assert [p.key for p in err.problems] == ["tasks[0].per"], err.text("en")
    assert f"'{meant}'" in err.text("en")


@pytest.mark.parametrize(
    ("kind", "written", "meant"),
    [
        ("window", 'start = "2019-04-01"\nend_date = "2019-04-19"', "end"),
        ("window", 'start_date = "2019-04-01"\nend = "2019-04-19"', "start"),
        ("deadline", 'end_date = "2019-04-19"', "date"),
        ("milestone", 'start_date = "2019-04-19"', "date"),
    ],
)
def test_a_key_written_with_a_suffix_is_the_key_the_event_lacks(
    kind: str, written: str, meant: str
) -> None:
    """``end_date`` in a window is its ``end`` (difflib said 'date', which a window may not
    have, and then reported ``end`` missing besides); in a milestone or deadline, its
    ``date``: one problem, suggesting the key of that type of event it lacks."""
    err = _load_error(MINIMAL + _event("registration", f'type = "{kind}"\n{written}'))
    assert [p.code for p in err.problems] == ["calendar.unknown-key"], err.text("en")
    (problem,) = err.problems
    assert problem.params["suggestion"] == Msg("common.did-you-mean", {"choice": meant})


# --- what is given in a calendar's place ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "ja", "en"),
    [
        (
            "agencies.csv",
            b"code,name,kind\n312011,\xe9\xb3\xa5\xe5\x8f\x96\xe5\xb8\x82,municipality\n",
            "CSV ファイル",
            "a CSV file",
        ),
        # (A CSV saved under another name: known by its first line of values and commas.)
        ("agencies.txt", b"code,name,kind\n312011,x,municipality\n", "CSV ファイル", "a CSV file"),
        ("312011.xlsx", b"PK\x03\x04" + bytes(40), "Excel のブック", "an Excel workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0" + bytes(40), "Excel のブック", "an Excel workbook"),
    ],
)
def test_a_csv_or_workbook_given_as_the_calendar_is_named_so(
    tmp_path: Path, name: str, data: bytes, ja: str, en: str
) -> None:
    """A file given where the calendar goes (the agencies file, a survey workbook) is said to
    be that, with the calendars to give instead: not a TOML error with a TOML fix."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CutoverError) as raised:
        load_calendar(path)
    (problem,) = raised.value.problems
    assert problem.code == "calendar.not-a-calendar"
    assert problem.file == str(path)
    assert ja in problem.text("ja")
    assert en in problem.text("en")
    assert "2018-07" in problem.text("ja")
    assert "TOML として読めません" not in problem.text("ja")


def test_a_toml_calendar_whose_first_line_has_commas_is_still_read(tmp_path: Path) -> None:
    """A calendar whose first line is a key with a list (commas and an ``=``), or a comment
    with commas after a BOM, is TOML."""
    shipped = shipped_calendars()["2018-07"].read_text(encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text('tags = ["a", "b", "c"]\n' + shipped, encoding="utf-8")
    with pytest.raises(CutoverError) as raised:
        load_calendar(path)
    assert raised.value.problems[0].code != "calendar.not-a-calendar"
    # A comment of commas first, after Notepad's BOM: a calendar, read as one.
    path.write_text("# 改版, 鳥取県, 写し\n" + shipped, encoding="utf-8-sig")
    assert load_calendar(path).revision == load_calendar("2018-07").revision


def test_a_shipped_id_typed_full_width_is_that_calendar() -> None:
    """２０１８－０７ (an IME left in full-width) names 2018-07, as a date or a code typed
    so is read everywhere else."""
    assert load_calendar("２０１８－０７") == load_calendar("2018-07")
    assert load_calendar(" 2018-07 ") == load_calendar("2018-07")
