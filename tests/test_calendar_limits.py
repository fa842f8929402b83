"""Tests for the limits a calendar must respect: every input that made a command hang,
exhaust memory or end in an internal error is one located CutoverError, at once."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from cutover.calendar.load import load_calendar, parse_calendar
from cutover.calendar.model import Recurring, parse_lag
from cutover.errors import CutoverError
from cutover.jp.vocabulary import Actor
from cutover.jp.wareki import parse_date, parse_fuzzy
from cutover.render.timeline import timeline_mermaid
from cutover.schedule.shift import parse_shift
from cutover.schedule.timeline import build_timeline


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


#: A calendar the loader accepts: a [revision] and one event (the `{systems}` line may add
#: a list of systems).
MINIMAL = """\
[revision]
id = "limits"
title_ja = "限度の暦"
title_en = "Limits calendar"
effective = "2018-07-01"
source = "tests"
section = "§2"
{systems}
[[events]]
id = "provision-cutoff"
type = "deadline"
title_ja = "情報提供の期限"
title_en = "Provision cutoff"
date = "2018-06-30"
section = "§6"
"""
BASE = MINIMAL.format(systems="")


class _TooSlow(Exception):
    """The code under test ran past its time limit."""


@contextlib.contextmanager
def _within(seconds: int) -> Iterator[None]:
    """Fail with `_TooSlow` instead of waiting when the body runs longer than `seconds`."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _load_error(text: str) -> CutoverError:
    """Return the one error `parse_calendar` raises for `text`, in a few seconds at most."""
    with _within(10), pytest.raises(CutoverError) as info:
        parse_calendar(text, "limits.toml")
    return info.value


def _recurring(rule: str, dtstart: str = "2018-05-01") -> str:
    """Return the minimal calendar with one obligation following `rule`."""
    return BASE + (
        f'\n[[recurring]]\nid = "obligation"\ntitle_ja = "定期"\ntitle_en = "Periodic"\n'
        f'rrule = "{rule}"\ndtstart = "{dtstart}"\nsection = "§13"\n'
    )


def _task(title: str) -> str:
    """Return the minimal calendar with one per-system task titled `title`."""
    return BASE + (
        '\n[[tasks]]\nid = "modify"\nper = "system"\nside = "provision"\n'
        f'title_ja = "改修"\ntitle_en = "{title}"\ndue = "provision-cutoff"\nsection = "§3"\n'
    )


# --- recurrence rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("FREQ=DAILY;INTERVAL=0", "has INTERVAL=0, not a whole number from 1 to 9999"),
        ("FREQ=DAILY;INTERVAL=-1", "has INTERVAL=-1, not a whole number from 1 to 9999"),
        ("FREQ=YEARLY;INTERVAL=99999999999", "has INTERVAL=99999999999, not a whole number"),
        ("FREQ=MONTHLY;COUNT=0", "has COUNT=0, not a whole number from 1 to 9999"),
        ("FREQ=MONTHLY;COUNT=99999999999999", "has COUNT=99999999999999, not a whole number"),
        ("FREQ=DAILY;BYHOUR=9", "has BYHOUR: recurring work falls on days, not at times of day"),
        ("FREQ=DAILY;BYMINUTE=0,30", "has BYMINUTE: recurring work falls on days"),
        ("FREQ=DAILY;BYSECOND=1", "has BYSECOND: recurring work falls on days"),
        ("FREQ=MINUTELY", "repeats MINUTELY: recurring work falls on days"),
        ("FREQ=YEARLY;BYEASTER=0", "has 'BYEASTER', not a part of a rule"),
        ("FREQ=YEARLY;FREQ=DAILY", "gives FREQ twice"),
        ("FREQ=YEARLY;COUNT=2;UNTIL=20200101", "gives both COUNT and UNTIL"),
        ("FREQ=YEARLY;BYMONTH=99999", "has BYMONTH=99999: a number too long for a rule"),
        ("FREQ=YEARLY\\nEXDATE:20190101", "has the line 'EXDATE:20190101'"),
        ("FREQ=YEARLY; BYMONTH=5", "is not one rule: write its parts without spaces"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never falls on a day from 2018-05-01"),
        ("FREQ=DAILY;BYYEARDAY=400", "never falls on a day from 2018-05-01"),
        ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "never falls on a day"),
        ("FREQ=DAILY;UNTIL=99991231", "falls on more than 53 days in the year from 2018-05-01"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "falls on more than 53 days in the year"),
        ("DTSTART:00010101T000000\\nRRULE:FREQ=DAILY", "starts in 1, outside the years"),
    ],
)
def test_hostile_rule_is_refused_at_load(rule: str, fragment: str) -> None:
    """A rule that would hang, never fall or fall too often is refused at its key, at once."""
    err = _load_error(_recurring(rule))
    assert len(err.problems) == 1, err.text("en")
    assert err.problems[0].key == "recurring[0].rrule"
    assert err.problems[0].line is not None
    assert fragment in err.text("en")


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1",
        "FREQ=WEEKLY",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "freq=daily;bymonth=5;bymonthday=1,15",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3",
        "FREQ=YEARLY;INTERVAL=2;BYMONTH=11;BYDAY=2WE",
    ],
)
def test_ordinary_rules_are_accepted(rule: str) -> None:
    """Yearly, monthly and weekly rules, in any case or with an RRULE: prefix, still load."""
    (obligation,) = parse_calendar(_recurring(rule)).recurring
    assert obligation.occurrences(dt.date(2018, 5, 1), dt.date(2024, 12, 31))


_RULES = [
    "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO",
    "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH;WKST=SU",
    "FREQ=YEARLY;BYYEARDAY=-1",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=WE",
    "FREQ=DAILY;INTERVAL=17;BYMONTH=6",
    "FREQ=MONTHLY;COUNT=7;BYMONTHDAY=15",
    "FREQ=WEEKLY;UNTIL=20190301;BYDAY=FR",
]
_WINDOWS = [
    (dt.date(2018, 1, 1), dt.date(2020, 12, 31)),
    (dt.date(1949, 1, 1), dt.date(2099, 12, 31)),
    (dt.date(2099, 1, 1), dt.date(2099, 12, 31)),
]


@pytest.mark.parametrize("rule", _RULES)
@pytest.mark.parametrize("dtstart", [dt.date(1952, 3, 1), dt.date(2016, 1, 1)])
def test_occurrences_are_dateutils_own(rule: str, dtstart: dt.date) -> None:
    """The dates of a rule run on 400-year-moved dates are the ones dateutil gives unmoved."""
    obligation = Recurring("o", "定期", "Periodic", rule, dtstart, Actor.EVERY_AGENCY, "§13")
    unmoved = rrulestr(rule, dtstart=dt.datetime.combine(dtstart, dt.time()))
    for start, end in _WINDOWS:
        expected = unmoved.between(
            dt.datetime.combine(start, dt.time()), dt.datetime.combine(end, dt.time()), inc=True
        )
        assert obligation.occurrences(start, end) == tuple(d.date() for d in expected)


def test_rule_built_in_code_that_never_falls_costs_little() -> None:
    """A Recurring made in code whose rule never falls gives no dates, in well under a second."""
    obligation = Recurring(
        "o", "定期", "Periodic", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", dt.date(1949, 1, 1),
        Actor.EVERY_AGENCY, "§13",
    )  # fmt: skip
    with _within(5):
        assert obligation.occurrences(dt.date(1949, 1, 1), dt.date(2099, 12, 31)) == ()


def test_rule_built_in_code_with_interval_zero_is_an_error() -> None:
    """A Recurring made in code with INTERVAL=0 raises a CutoverError instead of hanging."""
    obligation = Recurring(
        "o", "定期", "Periodic", "FREQ=DAILY;INTERVAL=0", dt.date(2018, 1, 1),
        Actor.EVERY_AGENCY, "§13",
    )  # fmt: skip
    with _within(5), _refused("INTERVAL=0"):
        obligation.occurrences(dt.date(2018, 1, 1), dt.date(2018, 12, 31))


def test_recurring_dates_over_decades_are_refused_by_the_timeline() -> None:
    """Weekly rules over events 150 years apart are one error, not a million checklist lines."""
    text = BASE + (
        '\n[[events]]\nid = "far"\ntitle_ja = "遠い"\ntitle_en = "Far"\ndate = "2099-06-01"\n'
        'section = "§2"\n'
        '\n[[events]]\nid = "old"\ntitle_ja = "古い"\ntitle_en = "Old"\ndate = "1950-06-01"\n'
        'section = "§2"\n'
    )
    for i in range(3):
        text += (
            f'\n[[recurring]]\nid = "weekly-{i}"\ntitle_ja = "毎週"\ntitle_en = "Weekly"\n'
            'rrule = "FREQ=WEEKLY"\ndtstart = "1950-01-02"\nsection = "§13"\n'
        )
    with _within(20), _refused("more than 5,000 days"):
        build_timeline(parse_calendar(text, "far.toml"))


# --- placeholders ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "fragment"),
    [
        ("Modify {system_en:>5000000}", "pads or cuts to 5000000 characters: at most 100"),
        ("Modify {system_en:>101}", "pads or cuts to 101 characters: at most 100"),
        ("Modify {system_en:.99999}", "pads or cuts to 99999 characters"),
        ("Modify {system_en:0>150}", "pads or cuts to 150 characters"),
        ("Modify {system_en:>٥٥٥}", "pads or cuts to ٥٥٥ characters"),
        ("Modify {system_en:>" + "9" * 5000 + "}", "pads or cuts to a 5000-digit number of"),
        ("Modify {system_en:{system}<5}", "takes its format from another placeholder"),
    ],
)
def test_placeholder_too_wide_is_refused(title: str, fragment: str) -> None:
    """A placeholder padded or cut past 100 characters, or formatted by another, is refused."""
    err = _load_error(_task(title))
    assert [p.key for p in err.problems] == ["tasks[0].title_en"]
    assert fragment in err.text("en")


def test_placeholder_of_100_characters_is_accepted() -> None:
    """A width of 100 is allowed: the bound refuses only what no title needs."""
    (task,) = parse_calendar(_task("Modify {system_en:>100} ({system!r:.3})")).tasks
    assert task.title_en == "Modify {system_en:>100} ({system!r:.3})"


# --- sizes, keys, integers and lists -----------------------------------------------------------


def test_100000_duplicate_systems_are_refused(tmp_path: Path) -> None:
    """A list of 100,000 systems is one problem saying its length and the bound."""
    path = tmp_path / "systems.toml"
    systems = "systems = [" + ", ".join(['"health"'] * 100_000) + "]\n"
    path.write_text(MINIMAL.format(systems=systems), encoding="utf-8")
    with _within(10), pytest.raises(CutoverError) as info:
        load_calendar(path)
    (problem,) = info.value.problems
    assert (problem.key, problem.line) == ("revision.systems", 8)
    assert problem.describe("en")[0] == "has 100,000 entries: at most 50"


def test_repeated_system_names_the_first() -> None:
    """A system listed again, by id or by its Japanese name, names the entry it repeats."""
    systems = 'systems = ["health", "local-tax", "健康管理", "local-tax"]\n'
    err = _load_error(MINIMAL.format(systems=systems))
    assert [p.text("en").split(": ", 1)[1] for p in err.problems] == [
        "revision.systems[2]: '健康管理' repeats revision.systems[0] (health) — "
        "list each business system once",
        "revision.systems[3]: 'local-tax' repeats revision.systems[1] (local-tax) — "
        "list each business system once",
    ]


def test_calendar_over_one_mebibyte_is_refused(tmp_path: Path) -> None:
    """A calendar file over 1 MiB is refused by its size, before it is parsed."""
    path = tmp_path / "large.toml"
    path.write_text(BASE + "# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    with _within(10), pytest.raises(CutoverError) as info:
        load_calendar(path)
    assert "the calendar is larger than 1,048,576 bytes (1 MiB)" in info.value.text("en")


def test_dotted_key_50000_deep_is_refused_before_tomllib() -> None:
    """A dotted key of 50,000 parts (gigabytes in tomllib) is refused on its line, at once."""
    err = _load_error(BASE + "\nx" + ".a" * 50_000 + " = 1\n")
    (problem,) = err.problems
    assert problem.line == BASE.count("\n") + 2
    assert "is a key of more than 10 dotted parts" in problem.describe("en")[0]
    assert len(problem.describe("en")[0]) < 200


def test_dotted_key_of_ten_parts_passes_the_scan() -> None:
    """A key of exactly ten parts reaches the schema, which names it as unknown."""
    err = _load_error("note.a.b.c.d.e.f.g.h.i = 1\n" + BASE)
    assert "'note' is not a valid key" in err.text("en")


def test_string_of_escaped_quotes_is_scanned_quickly() -> None:
    """A string of 300,000 escaped quotes is read in linear time, not quadratic."""
    err = _load_error(BASE + 'note = "' + '\\"' * 300_000 + '"\n')
    assert "'note' is not a valid key" in err.text("en")


def test_integer_of_5000_digits_is_located() -> None:
    """An integer tomllib cannot read (over 4300 digits) is an error on its line."""
    text = BASE + "\n[[items]]\nnumber = " + "7" * 5000 + '\nname_ja = "a"\nname_en = "a"\n'
    (problem,) = _load_error(text).problems
    assert problem.line == text.count("\n") - 2
    assert problem.describe("en")[0] == "not valid TOML: an integer of more than 4300 digits"


def test_hexadecimal_integer_of_a_megabit_is_refused() -> None:
    """A hexadecimal integer tomllib reads, but no message could print, is refused at its key."""
    text = BASE + "\n[[items]]\nnumber = 0x" + "f" * 200_000 + '\nname_ja = "a"\nname_en = "a"\n'
    (problem,) = _load_error(text).problems
    assert problem.key == "items[0].number"
    assert (
        problem.describe("en")[0]
        == "is an integer of about 240,824 digits: TOML integers are 64-bit"
    )


def test_problems_are_at_most_one_hundred_and_one() -> None:
    """Five hundred unknown keys give the first hundred problems and one counting the rest."""
    err = _load_error(BASE + "".join(f"unknown-{i} = 1\n" for i in range(500)))
    assert len(err.problems) == 101
    assert err.problems[-1].describe("en")[0] == "and 400 more problems"


def test_long_value_is_quoted_shortened() -> None:
    """A bad value of 100,000 characters is quoted in a message of at most 400."""
    err = _load_error(BASE.replace('section = "§6"', f'section = ["{"x" * 100_000}", 1]'))
    problem = err.problems[0]
    assert problem.key == "events[0].section"
    assert len(problem.describe("en")[0]) <= 400
    assert len(problem.describe("en")[1]) <= 400
    assert " … " in problem.describe("en")[0]


def test_shortened_message_keeps_no_part_of_a_number() -> None:
    """A value cut short loses a long number whole: no part of a number is shown. (A number
    that passes the personal number's check is refused and masked before: see
    tests/test_personal_numbers.py; this one fails the check.)"""
    number = "123456789019"
    before = len("must be a string, not an array ['")
    for offset in range(165, 185):  # the number across where the value is cut
        value = "x" * (offset - before) + number + "y" * 300
        err = _load_error(BASE.replace('section = "§6"', f'section = ["{value}", true]'))
        message = err.problems[0].describe("en")[0]
        assert " … " in message
        assert number in message or not re.search(r"[0-9]", message)


# --- lags, shifts and dates ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["+" + "9" * 5000 + "bd", "+99999999999bd", "+10000d"])
def test_lag_too_long_is_an_error(text: str) -> None:
    """A lag past 9999 days, even of thousands of digits, is one short CutoverError."""
    with _refused("too long a lag: at most 9999 days") as info:
        parse_lag(text)
    assert len(info.value.text("en")) < 200


def test_lag_of_9999_days_with_leading_zeros_is_read() -> None:
    """The longest lag is read, however many zeros lead it."""
    assert parse_lag("-0009999bd").days == -9999


def test_shift_of_thousands_of_digits_is_an_error() -> None:
    """--shift with a lag of 5,000 digits is a CutoverError that does not quote them."""
    with _refused("is not a shift") as info:
        parse_shift("duplicate-registration=+" + "9" * 5000 + "bd")
    assert "9" * 100 not in info.value.text("en")


@pytest.mark.parametrize(
    "text", ["2018" + " " * 50_000 + "-", "平成" + "9" * 5000 + "年1月1日", "㍻" * 40]
)
def test_date_text_too_long_is_refused_at_once(text: str) -> None:
    """A text too long to be a date is refused before the date patterns, which were quadratic."""
    for parse in (parse_date, parse_fuzzy):
        with _within(5), _refused("is too long for a date"):
            parse(text)


def test_dates_with_spaces_and_weekday_still_read() -> None:
    """The longest ordinary date texts are still read."""
    assert parse_date("平成30年6月30日（土曜日）") == dt.date(2018, 6, 30)
    assert parse_fuzzy(" 2018 年 6 月 30 日 ( 土 ) ").start == dt.date(2018, 6, 30)


# --- Mermaid --------------------------------------------------------------------------------------


def test_mermaid_shows_html_in_titles_as_text() -> None:
    """No `<`, `>` or backquote of a title reaches the Mermaid chart: they become entity codes."""
    text = BASE.replace(
        'title_ja = "情報提供の期限"', 'title_ja = "<img src=x onerror=alert(1)>期限 ``` &"'
    ).replace('title_ja = "限度の暦"', 'title_ja = "<script>alert(1)</script>"')
    chart = timeline_mermaid(build_timeline(parse_calendar(text)))
    assert not re.search("[<>`]", chart)
    assert "    title #lt;script#gt;alert(1)#lt;/script#gt;" in chart
    assert "#lt;img src=x onerror=alert(1)#gt;期限 #96;#96;#96; #amp; :" in chart


# --- what Python and dateutil say stays out of a message ---------------------------------


def _python_refusal(title: str) -> str:
    """Return what Python says filling `title`'s placeholders with text (its own words)."""
    try:
        title.format_map(dict.fromkeys(("system", "system_ja", "system_en"), "x"))
    except (ValueError, KeyError) as exc:
        return str(exc)
    pytest.fail(f"{title!r} is no mistake")


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("x}", "has a } with no { before it — write }} for a brace itself"),
        ("Modify {system", "has a { that no } closes — write {{ for a brace itself"),
        ("Modify {system!}", "the placeholder {system!} asks for a conversion there is none of"),
        ("Modify {system!} now", "the placeholder {system!} asks for a conversion"),
        ("Modify {system!", "the placeholder {system! asks for a conversion"),
        ("Modify {system!rr}", "the placeholder {system!rr} asks for a conversion"),
        ("Modify {system!:>3}", "the placeholder {system!:>3} asks for a conversion"),
        ("Modify {system!r x", "the placeholder {system!r x asks for a conversion"),
        ("Modify {system!r:d}", "the placeholder {system!r:d} has the format 'd'"),
        ("Modify {system:,}", "the placeholder {system:,} has the format ','"),
        ("Modify {system:z}", "the placeholder {system:z} has the format 'z'"),
        ("Modify {system:d}", "the placeholder {system:d} has the format 'd'"),
        ("Modify {system:=5}", "the placeholder {system:=5} has the format '=5'"),
        ("Modify {system!x}", "the placeholder {system!x} asks for a conversion there is none of"),
    ],
)
def test_a_broken_placeholder_is_said_in_the_catalogues_words(title: str, said: str) -> None:
    """A title whose braces or format Python refuses is one problem at its key, quoting the
    title and saying what is wrong and how to write it, in either language, never with
    Python's English ("Single '}' encountered in format string")."""
    err = _load_error(_task(title))
    (problem,) = err.problems
    assert problem.key == "tasks[0].title_en"
    assert said in problem.text("en")
    message, fix = problem.describe("ja")
    assert f"「{title}」" in message
    assert fix
    for lang in ("ja", "en"):
        assert _python_refusal(title) not in problem.text(lang)


#: What Python says of a conversion it cannot read, in whichever words it finds it.
_CONVERSION_REFUSALS = (
    "conversion specifier",  # "end of string while looking for …", "expected ':' after …"
    "Unknown conversion specifier",
)


@given(st.text("{}!:rsax>3[] ", max_size=8))
def test_a_conversion_python_cannot_read_is_said_to_be_the_conversion(tail: str) -> None:
    """Whenever Python's refusal of a title is about a conversion (``{system!}``,
    ``{system!rr}``, ``{system!x}``), the problem is the catalogue's bad conversion, quoting
    the placeholder: never braces that do not pair, whose fix would not help."""
    title = "Modify {system!" + tail
    try:
        title.format_map(dict.fromkeys(("system", "system_ja", "system_en"), "x"))
    except (ValueError, KeyError, IndexError) as exc:
        said = str(exc)
    else:
        return
    if not any(words in said for words in _CONVERSION_REFUSALS):
        return
    (problem,) = _load_error(_task(title)).problems
    assert problem.code == "calendar.placeholder-bad-conversion", (title, said)
    assert "{system!" in problem.text("en")


def _dateutil_refusal(rule: str) -> str:
    """Return what dateutil says reading `rule` (its own words)."""
    try:
        rrulestr(rule.replace("\\n", "\n"), dtstart=dt.datetime(2018, 5, 1))
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        return str(exc)
    return "(dateutil reads it)"


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        ("FREQ=SOMETIMES;BYMONTH=5", "has FREQ=SOMETIMES, not how often a rule repeats"),
        ("FREQ=YEARLi;BYMONTH=5", "did you mean 'YEARLY'?"),
        ("BYMONTH=5;BYMONTHDAY=1", "has no FREQ — say how often it repeats, e.g. FREQ=YEARLY"),
        ("FREQ=MONTHLY;BYDAY=-1FRI", "has BYDAY=-1FRI: '-1FRI' is not a day of the week"),
        ("FREQ=YEARLY;BYDAY=+60MO", "'+60MO' is not a day of the week"),
        ("FREQ=WEEKLY;WKST=SUN", "has WKST=SUN: 'SUN' is not a day of the week"),
        ("FREQ=YEARLY;UNTIL=2030-03-31", "has UNTIL=2030-03-31, not a date"),
        ("FREQ=YEARLY;UNTIL=20301301", "has UNTIL=20301301, not a date"),
        ("DTSTART:2018-05-01\\nRRULE:FREQ=YEARLY", "has the line 'DTSTART:2018-05-01'"),
        ("FREQ=YEARLY;BYSETPOS=0", "is not an RRULE that can be read"),
    ],
)
def test_a_rule_dateutil_refuses_is_said_in_the_catalogues_words(rule: str, said: str) -> None:
    """A rule dateutil cannot read is one problem at its key saying which part is wrong and
    how to write it, never with dateutil's English ("invalid 'FREQ': SOMETIMES")."""
    err = _load_error(_recurring(rule))
    (problem,) = err.problems
    assert problem.key == "recurring[0].rrule"
    assert said in problem.text("en")
    for lang in ("ja", "en"):
        assert _dateutil_refusal(rule) not in problem.text(lang)


# --- a line TOML refused, explained ----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "a" + " " * 100_000 + "b",
        "[a" + " " * 100_000 + "b]",
        "a" + "\u3000" * 100_000 + "b",
    ],
    ids=["spaces", "spaces-in-a-list", "ideographic-spaces"],
)
def test_a_long_line_toml_refuses_is_explained_at_once(value: str) -> None:
    """A line of 100,000 characters TOML refuses is read in linear time by what explains
    its value (a run of spaces was scanned once per space: minutes)."""
    (problem,) = _load_error(BASE + f"\nnote = {value}\n").problems
    assert problem.line == BASE.count("\n") + 2


@pytest.mark.parametrize(
    "line",
    [
        "number = " + "２" * 5000,
        "systems = [1、" + "[" * 3000 + "]" * 3000 + "]",
        "systems = [\n  1、" + "[" * 3000 + "]" * 3000 + "\n]",
        "systems = [\n  1、 2\n]\nn = " + "7" * 5000,
    ],
    ids=["full-width-digits", "comma-before-nesting", "list-line-nesting", "long-integer-later"],
)
def test_a_fix_tomllib_cannot_read_is_no_internal_error(line: str) -> None:
    """A value whose fix would be an integer of over 4300 digits, or lists nested thousands
    deep, is located as not TOML: the fix was tried with tomllib, whose ValueError or
    RecursionError escaped as a traceback."""
    (problem,) = _load_error(line + "\n" + BASE).problems
    assert problem.line is not None
    assert len(problem.describe("en")[0]) <= 400


def test_an_explained_value_of_100000_characters_is_quoted_shortened() -> None:
    """A word without quotes 100,000 characters long is quoted shortened in the message and
    its fix, as any value a calendar's message quotes (the message was 200,000 long)."""
    (problem,) = _load_error(BASE + "\nnote = " + "x" * 100_000 + "\n").problems
    message, fix = problem.describe("en")
    assert "is not a TOML value" in message
    assert len(message) <= 400
    assert len(fix) <= 400
