"""Arguments of the wrong type, as a tool built on `cutover` passes them: a value typed Any
(a database's row, a spreadsheet's cell) gets past a type checker, so the call itself says
what is wrong, naming the argument, instead of a wrong answer or an error from inside."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import cutover

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"


@functools.cache  # (named by many cases as they are collected: planned once)
def _tottori() -> tuple[cutover.Registry, cutover.Plan]:
    timeline = cutover.build_timeline(cutover.load_calendar("2018-07"))
    registry = cutover.load_registry(
        EXAMPLE / "agencies.csv", EXAMPLE / "readiness.csv", [EXAMPLE / "evidence.csv"]
    )
    return registry, cutover.plan(timeline, registry, dt.date(2018, 6, 25))


_LOOKUPS: dict[str, Callable[[cutover.Registry, cutover.Plan, Any], object]] = {
    "registry[code]": lambda reg, plan, code: reg[code],
    "registry.get": lambda reg, plan, code: reg.get(code),
    "registry.by_code": lambda reg, plan, code: reg.by_code(code),
    "in registry": lambda reg, plan, code: code in reg,
    "registry.readiness_of": lambda reg, plan, code: reg.readiness_of(code),
    "registry.evidence_of": lambda reg, plan, code: reg.evidence_of(code),
    "registry.attempts_of": lambda reg, plan, code: reg.attempts_of(code),
    "plan.agency": lambda reg, plan, code: plan.agency(code),
    "plan.get": lambda reg, plan, code: plan.get(code),
    "plan_ics": lambda reg, plan, code: cutover.plan_ics(plan, code),
}


@pytest.mark.parametrize("lookup", list(_LOOKUPS))
def test_a_code_held_as_a_number_is_a_clear_type_error(lookup: str) -> None:
    """A code read from an INTEGER column (312011, or 11002 for 011002) is no code: a lookup
    by it would find nothing (None, False, no rows), as for an agency not in the registry,
    though the agency is there. Each lookup by code says so at the call."""
    registry, plan = _tottori()
    call = _LOOKUPS[lookup]
    if lookup != "registry.attempts_of":  # (the example has no log lines that did not count)
        assert call(registry, plan, "312011") not in (None, False, ())  # the agency is there
    with pytest.raises(TypeError) as caught:
        call(registry, plan, 312011)
    assert str(caught.value).startswith(
        'code is an agency\'s code as text ("011002"), not a int: a number loses'
    )


def test_a_code_as_text_is_looked_up_as_before() -> None:
    """Text that is no agency's code is still not found, as documented (None, NotFound)."""
    registry, plan = _tottori()
    assert registry.get("999999") is None
    assert "999999" not in registry
    assert registry.readiness_of("999999") == ()
    assert plan.get("999999") is None
    with pytest.raises(cutover.NotFound):
        registry["999999"]


_MOMENT = dt.datetime(2018, 6, 30, 12, 0)
_DAY = dt.date(2018, 6, 25)


def _xlsx() -> Any:
    return pytest.importorskip("cutover.render.xlsx")


_DAY_CALLS: dict[str, tuple[str, Callable[[cutover.Plan, Any], object]]] = {
    "JAPAN.closure": ("d", lambda p, d: cutover.JAPAN.closure(d)),
    "JAPAN.is_closed": ("d", lambda p, d: cutover.JAPAN.is_closed(d)),
    "ClosedDays.is_business_day": ("d", lambda p, d: p.timeline.closed.is_business_day(d)),
    "JAPAN.previous_business_day": ("d", lambda p, d: cutover.JAPAN.previous_business_day(d)),
    "JAPAN.next_business_day": ("d", lambda p, d: cutover.JAPAN.next_business_day(d)),
    "JAPAN.add_business_days": ("d", lambda p, d: cutover.JAPAN.add_business_days(d, 3)),
    "JAPAN.adjust_deadline": ("d", lambda p, d: cutover.JAPAN.adjust_deadline(d)),
    "JAPAN.adjust_opening": ("d", lambda p, d: cutover.JAPAN.adjust_opening(d)),
    "JAPAN.business_days_between": (
        "start", lambda p, d: cutover.JAPAN.business_days_between(d, _DAY)
    ),
    "JAPAN.business_days_between(end)": (
        "end", lambda p, d: cutover.JAPAN.business_days_between(_DAY, d)
    ),
    "Recurring.occurrences": (
        "start", lambda p, d: p.calendar.recurring[0].occurrences(d, dt.date(2018, 12, 31))
    ),
    "timeline_ics": ("as_of", lambda p, d: cutover.timeline_ics(p.timeline, as_of=d)),
    "hearing_counts": (
        "as_of",
        lambda p, d: __import__(
            "cutover.planning.hearings", fromlist=["hearing_counts"]
        ).hearing_counts(p.agencies, d),
    ),
    "TriageBook": ("as_of", lambda p, d: _xlsx().TriageBook(as_of=d)),
}  # fmt: skip


@pytest.mark.parametrize("call", list(_DAY_CALLS))
@pytest.mark.parametrize("value", [_MOMENT, "2018-06-30"], ids=["datetime", "str"])
def test_a_day_argument_that_is_no_day_is_a_clear_type_error(call: str, value: object) -> None:
    """Where a day belongs, a `datetime` (a `date` to a type checker) or an ISO text is a
    `TypeError` naming the argument, as docs/api.md says of every call: not a datetime
    answered back (the next business day at 12:00), nor a failed comparison from inside."""
    _, plan = _tottori()
    name, function = _DAY_CALLS[call]
    function(plan, _DAY)  # a day is answered
    with pytest.raises(TypeError) as caught:
        function(plan, value)
    kind = type(value).__name__
    assert str(caught.value).startswith(f"{name} must be a datetime.date (a day), not a {kind}")


_SHIFT = "duplicate-registration=+3bd"
_TEXT = "text is the text to read, a str"

_TYPED_CALLS: dict[str, tuple[Callable[[Any], object], object, object, str]] = {
    # name: (call, a right value, a wrong one, the start of what the TypeError says)
    "parse_date": (cutover.parse_date, "H30.6.29", _DAY, f"{_TEXT}, not a date"),
    "parse_date(None)": (cutover.parse_date, "2018-06-29", None, f"{_TEXT}, not a NoneType"),
    "parse_fuzzy": (cutover.parse_fuzzy, "2018-05 下旬", None, f"{_TEXT}, not a NoneType"),
    "parse_shift": (cutover.parse_shift, _SHIFT, None, f"{_TEXT}, not a NoneType"),
    "parse_calendar": (
        cutover.parse_calendar,
        (EXAMPLE / "2018-07-jlis.toml").read_text(encoding="utf-8"),
        (EXAMPLE / "2018-07-jlis.toml").read_bytes(),
        f"{_TEXT}, not a bytes",
    ),
    "suggest_task": (
        lambda text: cutover.suggest_task(text, cutover.load_calendar("2018-07").tasks),
        "機関間試験", None, f"{_TEXT}, not a NoneType",
    ),
    "validate_code": (
        cutover.validate_code, "312011", 312011,
        "text is an agency's code as text (\"011002\"), not a int",
    ),
    "build_timeline": (
        cutover.build_timeline, cutover.load_calendar("2018-07"), "2018-07",
        "calendar must be a RevisionCalendar, not a str: pass cutover.load_calendar(ref)",
    ),
    "diff_calendars": (
        lambda old: cutover.diff_calendars(old, cutover.load_calendar("2018-07")),
        cutover.load_calendar("2018-07"), Path("calendars/2018-07.toml"),
        "old must be a RevisionCalendar, not a PosixPath",
    ),
    "build_timeline(shifts)": (
        lambda shifts: cutover.build_timeline(cutover.load_calendar("2018-07"), shifts),
        [cutover.parse_shift(_SHIFT)], [_SHIFT],
        "shifts holds Shift objects, not a str: pass cutover.parse_shift(text)",
    ),
    "what_if(one text)": (
        lambda shifts: cutover.what_if(cutover.load_calendar("2018-07"), shifts),
        (cutover.parse_shift(_SHIFT),), _SHIFT,
        "shifts is a sequence of Shift objects, not one str: write shifts=[shift] for one, each "
        "made by cutover.parse_shift(text)",
    ),
    "plan(timeline)": (
        lambda timeline: cutover.plan(timeline, _tottori()[0], _DAY),
        cutover.build_timeline(cutover.load_calendar("2018-07")), cutover.load_calendar("2018-07"),
        "timeline must be a Timeline, not a RevisionCalendar: pass cutover.build_timeline(",
    ),
    "plan(registry)": (
        lambda registry: cutover.plan(_tottori()[1].timeline, registry, _DAY),
        _tottori()[0], EXAMPLE / "agencies.csv",
        "registry must be a Registry, not a PosixPath: pass cutover.load_registry(",
    ),
    "plan(queries)": (
        lambda queries: cutover.plan(_tottori()[1].timeline, _tottori()[0], _DAY, queries=queries),
        None, EXAMPLE / "queries.csv",
        "queries must be a QueryFindings or None, not a PosixPath: pass cutover.load_queries(",
    ),
    "cutoff_rule": (
        cutover.cutoff_rule,
        cutover.build_timeline(cutover.load_calendar("2018-07")), cutover.load_calendar("2018-07"),
        "timeline must be a Timeline, not a RevisionCalendar",
    ),
    "load_queries(rule)": (
        lambda timeline: cutover.load_queries(EXAMPLE / "queries.csv", timeline, _DAY),
        cutover.build_timeline(cutover.load_calendar("2018-07")),
        cutover.cutoff_rule(cutover.build_timeline(cutover.load_calendar("2018-07"))),
        "timeline must be a Timeline, not a CutoffRule: pass cutover.build_timeline(",
    ),
    "write_triage(rule)": (
        lambda rule: cutover.write_triage(
            [], rule, _DAY, io.StringIO(), fmt="csv", calendar="2018-07"
        ),
        cutover.cutoff_rule(cutover.build_timeline(cutover.load_calendar("2018-07"))),
        cutover.build_timeline(cutover.load_calendar("2018-07")),
        "rule must be a CutoffRule, not a Timeline: pass cutover.cutoff_rule(timeline)",
    ),
    "triage_rows(rule)": (
        lambda rule: list(cutover.triage_rows([], rule, _DAY)),
        cutover.cutoff_rule(cutover.build_timeline(cutover.load_calendar("2018-07"))),
        cutover.build_timeline(cutover.load_calendar("2018-07")),
        "rule must be a CutoffRule, not a Timeline: pass cutover.cutoff_rule(timeline)",
    ),
    "triage_file(rule)": (
        lambda rule: cutover.triage_file(EXAMPLE / "queries.csv", rule, _DAY).close(),
        cutover.cutoff_rule(cutover.build_timeline(cutover.load_calendar("2018-07"))),
        cutover.build_timeline(cutover.load_calendar("2018-07")),
        "rule must be a CutoffRule, not a Timeline: pass cutover.cutoff_rule(timeline)",
    ),
    "InputText(name)": (
        lambda name: cutover.InputText(name, "code\n"),
        "agencies.csv", None,
        "name is the name the input is read as and named by (\"agencies.csv\"), a str, not a",
    ),
    "InputText(text)": (
        lambda text: cutover.InputText("agencies.csv", text),
        b"code\n", 123,
        "text is the input's content, a str or the file's bytes, not a int",
    ),
    "summarize": (
        cutover.summarize,
        _tottori()[1], _tottori()[0],
        "plan must be a Plan, not a Registry: pass cutover.plan(timeline, registry, as_of)",
    ),
    "hearings": (
        cutover.hearings,
        _tottori()[1], _tottori()[0],
        "plan must be a Plan, not a Registry: pass cutover.plan(timeline, registry, as_of)",
    ),
    "chase_list(hearings)": (
        lambda found: cutover.chase_list(_tottori()[1], found),
        cutover.hearings(_tottori()[1]), _tottori()[1],
        "hearings must be the Hearings of the plan, not a Plan: pass cutover.hearings(plan)",
    ),
    "progress_by_week": (
        cutover.progress_by_week,
        _tottori()[1], _tottori()[0],
        "plan must be a Plan, not a Registry: pass cutover.plan(timeline, registry, as_of)",
    ),
    "plan_json": (
        cutover.plan_json,
        _tottori()[1], _tottori()[0],
        "plan must be a Plan, not a Registry: pass cutover.plan(timeline, registry, as_of)",
    ),
    "compare_plans": (
        lambda before: cutover.compare_plans(before, _tottori()[1]),
        _tottori()[1], _tottori()[0],
        "before must be a Plan, not a Registry: pass cutover.plan(timeline, registry, as_of)",
    ),
    "write_checklists": (
        lambda plan: cutover.write_checklists(plan, "out"),
        _tottori()[1], _tottori()[0],
        "plan must be a Plan, not a Registry: pass cutover.plan(timeline, registry, as_of)",
    ),
}  # fmt: skip


@pytest.mark.parametrize("call", list(_TYPED_CALLS))
def test_a_value_of_another_type_is_a_type_error_naming_the_argument(
    call: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text where a cutover object belongs (a calendar's id, a shift as written on the
    command line), or anything but text where text is read, is a `TypeError` that names the
    argument and says what to pass, not an AttributeError or a ``len()`` from inside."""
    monkeypatch.chdir(tmp_path)  # (write_checklists writes into ./out)
    function, right, wrong, said = _TYPED_CALLS[call]
    function(right)
    with pytest.raises(TypeError) as caught:
        function(wrong)
    assert str(caught.value).startswith(said)


@pytest.mark.parametrize(
    ("out", "calendar", "said"),
    [
        pytest.param(
            "triage.json", "2018-07", "out is a text stream to write to (sys.stdout", id="path"
        ),
        pytest.param(
            io.BytesIO(), "2018-07", "out is a text stream to write to (sys.stdout", id="bytes"
        ),
        pytest.param(
            io.StringIO(), None, 'calendar is the calendar\'s id ("2018-07"), its', id="none"
        ),
    ],
)
def test_write_triage_says_what_to_write_to(
    out: object, calendar: object, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file's name, or a binary file, where `write_triage` takes a text stream (or None
    for the calendar) is a `TypeError` before anything is read or written, not an
    AttributeError or ``a bytes-like object is required`` once the rows are read."""
    monkeypatch.chdir(tmp_path)
    rule = cutover.cutoff_rule(cutover.build_timeline(cutover.load_calendar("2018-07")))
    rows = [
        {"query_id": "Q1", "querier": "310000", "provider": "312011", "item": "2",
         "requested": "2018-06-01", "status": "pending"},
    ]  # fmt: skip
    with pytest.raises(TypeError) as caught:
        cutover.write_triage(rows, rule, _DAY, out, fmt="json", calendar=calendar)  # type: ignore[arg-type]
    assert str(caught.value).startswith(said)
    assert list(tmp_path.iterdir()) == []
    written = io.StringIO()
    with cutover.write_triage(rows, rule, _DAY, written, fmt="json", calendar="2018-07"):
        pass
    assert written.getvalue().startswith('{\n  "schema_version"')


@pytest.mark.parametrize("given", [None, [], ()], ids=["None", "empty-list", "empty-tuple"])
def test_no_agencies_file_is_a_type_error_not_an_empty_registry(given: object) -> None:
    """A tool whose setting for the agencies file is missing passes None (or no files):
    that read as an empty registry, and so an empty plan and dashboard without a word,
    while an agencies file with no agency in it is refused. It is said at the call."""
    for call, name in (
        (lambda: cutover.load_registry(given), "agencies_path"),  # type: ignore[arg-type]
        (lambda: cutover.load_agencies(given), "paths"),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError) as caught:
            call()
        said = f"{name} names the agencies file or files (a path, or a sequence of paths), not"
        assert str(caught.value).startswith(said)
    assert len(cutover.load_registry([EXAMPLE / "agencies.csv"]).agencies) == 23


def _log(kind: str) -> cutover.InputText:
    """Return a log of one good line for 312011, of `kind` (registration or test)."""
    if kind == "registration":
        return cutover.InputText(
            "reg.csv", "code,item,registered,records\n312011,2,2018-06-01,10\n"
        )
    return cutover.InputText("test.csv", "code,tested,result\n312011,2018-05-30,success\n")


_AGENCIES_CALLS: dict[str, Callable[[object], object]] = {
    "load_readiness": lambda a: cutover.load_readiness(EXAMPLE / "readiness.csv", a),  # type: ignore[arg-type]
    "load_evidence": lambda a: cutover.load_evidence(EXAMPLE / "evidence.csv", a),  # type: ignore[arg-type]
    "load_registration_log": lambda a: cutover.load_registration_log(_log("registration"), a),  # type: ignore[arg-type]
    "load_test_log": lambda a: cutover.load_test_log(_log("test"), a),  # type: ignore[arg-type]
}  # fmt: skip


@pytest.mark.parametrize("call", list(_AGENCIES_CALLS))
@pytest.mark.parametrize(
    ("wrong", "kind"),
    [(EXAMPLE / "agencies.csv", "PosixPath"), ("agencies.csv", "str"), (["312011"], "str")],
    ids=["path", "text", "codes"],
)
def test_agencies_are_the_agencies_not_their_file(call: str, wrong: object, kind: str) -> None:
    """`agencies=` takes what `load_agencies` gives: the agencies file's path failed inside
    ('PosixPath' object is not iterable), and its name as text was read letter by letter
    ('str' object has no attribute 'code')."""
    function = _AGENCIES_CALLS[call]
    function(cutover.load_agencies(EXAMPLE / "agencies.csv"))
    with pytest.raises(TypeError) as caught:
        function(wrong)
    said = f"agencies are the agencies load_agencies gives (Agency objects), not a {kind}: pass"
    assert str(caught.value).startswith(said)
