"""The public API of `cutover`: what other tools may import."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import cutover

EXPECTED = {
    "Action", "Adjustment", "Agency", "AgencyPlan", "ClosedDays", "Conflict", "CutoffRule",
    "InputText",
    "CutoverError", "DateRange", "Evidence", "Flag", "FlagCode", "JAPAN", "Plan", "Problem",
    "Query", "QueryStatus", "Readiness", "Registry", "RevisionCalendar", "Severity", "Shift",
    "Summary", "Task", "TaskStatus", "Timeline", "TriageReport", "TriageResult", "WhatIf",
    "build_timeline", "format_english", "format_wareki", "load_agencies", "load_calendar",
    "load_evidence", "load_readiness", "load_registry", "parse_calendar", "parse_date",
    "parse_fuzzy", "parse_shift", "plan", "plan_ics", "plan_json", "registry_template",
    "render_checklist", "render_index", "shipped_calendars", "summarize", "summary_json",
    "timeline_ics", "timeline_json", "timeline_svg", "timeline_markdown", "triage_file",
    "validate_code", "what_if", "write_checklists", "write_triage",
    "Hearings", "hearing_candidates", "LogEvidence", "load_registration_log", "load_test_log",
    "CalendarDiff", "diff_calendars", "PlanChanges", "compare_plans", "progress_by_week",
    "SCHEMA_VERSION", "json_schema", "hearings", "hearings_json", "NotFound",
    "Closure", "Duplicate", "HearingGroup", "ProgressTable", "QueryFindings", "Reason",
    "ReasonCode", "ScheduledEvent", "TaskTemplate", "TriageCounts", "ValidationReport",
    "cutoff_rule", "diff_json", "load_queries", "suggest_task", "triage_rows",
    "uncounted_evidence", "validate", "InputWarning", "reason_text",
    "BusinessSystem", "Kind", "Side", "Status", "Lang", "JsonOutput",
    "EntryChange", "FieldChange", "CutoffSpec", "DeclaredClosure", "Dependency", "Event", "Lag",
    "Recurring", "RevisedItem", "Revision", "TaskWhen", "Msg", "Phrase", "Attempt",
    "AttemptReason", "OfficialEntry", "Actor", "HearingAgency", "HearingReason", "MissingTask",
    "AgencyQueries", "AssumedLink", "ProgressRow", "FlagCount", "KindCounts", "QueryTotals",
    "SideCounts",
    "SystemCounts", "FileCount", "TaskMove", "TemplateMove", "WrittenChecklists", "WrittenDates",
    "Chase", "ChaseReason", "chase_list",
}  # fmt: skip


def test_all_is_pinned() -> None:
    """The public names are exactly the documented ones: removing one breaks other tools."""
    assert set(cutover.__all__) == EXPECTED


def test_all_is_sorted_and_unique() -> None:
    """__all__ is sorted (upper-case constants first, as ruff sorts it) and has no repeats."""
    assert len(cutover.__all__) == len(set(cutover.__all__))
    assert list(cutover.__all__) == sorted(cutover.__all__, key=lambda n: (not n.isupper(), n))


def test_every_public_name_resolves() -> None:
    """Every name in __all__ can be imported from the package."""
    for name in cutover.__all__:
        assert getattr(cutover, name) is not None, name


def test_unknown_name_is_an_attribute_error() -> None:
    """A misspelt name fails like any missing attribute."""
    with pytest.raises(AttributeError, match="load_calender"):
        cutover.load_calender  # type: ignore[attr-defined]  # noqa: B018


def test_import_is_lean() -> None:
    """Importing cutover loads neither networkx, jinja2 nor the holiday tables."""
    code = "import sys, cutover; print(sorted({'networkx','jinja2','holidays'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


_QUIET = ("--follow-imports=silent",)


def test_a_misspelt_name_fails_the_type_check(tmp_path: Path) -> None:
    """A consumer that misspells a public name fails `mypy --strict` (the lazy loading is
    the interpreter's alone), and the public names come with their types."""
    pytest.importorskip("mypy", reason="mypy checks a consumer (pip install mypy)")
    consumer = tmp_path / "consumer.py"
    consumer.write_text(
        "import cutover\n"
        "calendar = cutover.load_calender('2018-07')\n"
        "version: int = cutover.__version__\n"
        "reveal_type(cutover.load_calendar)\n"
        "said: str = cutover.reason_text(42)\n"
        "side: cutover.Side = cutover.Side.QUERY\n"
        "kind: cutover.Kind = cutover.Kind(cutover.Status.DONE)\n"
        "def named(system: cutover.BusinessSystem) -> str: return system.label('en')\n"
        "def shown(error: cutover.CutoverError, lang: cutover.Lang) -> str:\n"
        "    return error.text(lang)\n"
        "output: cutover.JsonOutput = 'plan'\n"
        "schema = cutover.json_schema(output)\n",
        encoding="utf-8",
    )
    # (In a process of its own: mypy changes the interpreter's recursion limit.)
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *_QUIET, str(consumer)],
        capture_output=True,
        text=True,
        check=False,
    )
    out, status = run.stdout, run.returncode
    assert status == 1
    assert 'Module has no attribute "load_calender"; maybe "load_calendar"?' in out
    assert 'expression has type "str", variable has type "int"' in out
    assert "def (ref: " in out
    assert "RevisionCalendar" in out
    assert 'Argument 1 to "reason_text" has incompatible type "int"; expected "Reason"' in out
    assert out.count(": error:") == 3, out  # (not the domain's terms, Lang or JsonOutput)


def test_a_reason_s_sentence_is_public_and_checks_its_language() -> None:
    """A tool writing triage results its own way gets the sentence the outputs carry from
    `cutover.reason_text` (it was reachable only in `cutover.render.triage`), in either
    language; another language is the one error (it was a bare KeyError)."""
    timeline, _ = _tottori()
    row = {
        "query_id": "Q1", "querier": "310000", "provider": "312011", "item": "2",
        "requested": "2018-06-01", "status": "pending",
    }  # fmt: skip
    (result,) = cutover.triage_rows([row], cutover.cutoff_rule(timeline), dt.date(2018, 6, 25))
    assert isinstance(result, cutover.TriageResult)
    english = cutover.reason_text(result.reason, "en")
    assert english.startswith("item 2 requested 2018-06-01, on or before the cutoff 2018-06-30")
    japanese = cutover.reason_text(result.reason)
    assert japanese.startswith("特定個人情報2番、平成30年6月1日（金）受付")
    with pytest.raises(cutover.CutoverError) as caught:
        cutover.reason_text(result.reason, "fr")  # type: ignore[arg-type]
    assert caught.value.text("en") == "unknown language 'fr' — use 'ja' or 'en'"


def test_a_warning_is_public_to_filter() -> None:
    """What is taken as meant (codes a workbook holds as numbers) is a `cutover.InputWarning`,
    which a tool turns into an error with a filter, without importing a private module."""
    import warnings

    hokkaido = Path(__file__).resolve().parent.parent / "examples" / "tottori" / "hokkaido.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error", cutover.InputWarning)
        with pytest.raises(cutover.InputWarning) as caught:
            cutover.load_agencies(hokkaido)
    assert caught.value.problem.code == "inputs.codes-restored"
    assert "A4: 10006 → 010006" in caught.value.problem.text("en")


def test_the_domain_s_terms_are_public() -> None:
    """A tool that asks a summary for one side's counts, or counts by kind, names the side
    and the kind with public types (a type checker refused the codes as text, and the types
    were only in `cutover.jp.vocabulary`)."""
    timeline, _ = _tottori()
    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    registry = cutover.load_registry(example / "agencies.csv", example / "readiness.csv")
    summary = cutover.summarize(cutover.plan(timeline, registry, dt.date(2018, 6, 25)))
    query = summary.not_ready_of(cutover.Side.QUERY)
    assert query.side == "query"
    local_tax = query.of("local-tax")
    assert local_tax.of(cutover.Kind.MUNICIPALITY) == local_tax.municipality == 1
    (system,) = (c.system for c in query.systems if c.system.id == "local-tax")
    assert isinstance(system, cutover.BusinessSystem)
    assert (system.ja, system.label("en")) == ("地方税務", "local tax")
    assert {r.status for r in registry.readiness} <= set(cutover.Status)
    assert cutover.Status("not-started") is cutover.Status.NOT_STARTED


def test_version_is_the_installed_one() -> None:
    """`cutover.__version__` is the version pip installed."""
    from importlib.metadata import version

    assert cutover.__version__ == version("cutover")


def test_severity_orders_by_severity() -> None:
    """An error is worse than a warning, which is worse than info: comparisons and sorting
    say so (not the strings' alphabetical order)."""
    from cutover import Severity

    assert Severity.ERROR > Severity.WARNING > Severity.INFO
    assert Severity.ERROR >= Severity.WARNING
    assert not Severity.WARNING >= Severity.ERROR
    assert Severity.INFO < Severity.ERROR
    assert Severity.WARNING <= Severity.WARNING
    assert sorted([Severity.WARNING, Severity.ERROR, Severity.INFO]) == [
        Severity.INFO,
        Severity.WARNING,
        Severity.ERROR,
    ]
    assert max(Severity) is Severity.ERROR
    assert Severity.ERROR.value == "error"  # still the code JSON and CSV write


def _tottori() -> tuple[Any, Any]:
    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    timeline = cutover.build_timeline(cutover.load_calendar("2018-07"))
    return timeline, cutover.load_registry(example / "agencies.csv")


_MOMENT = dt.datetime(2018, 6, 30, 12, 0)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda tl, reg: cutover.plan(tl, reg, _MOMENT), id="plan"),
        pytest.param(lambda tl, reg: cutover.format_wareki(_MOMENT), id="format_wareki"),
        pytest.param(lambda tl, reg: cutover.format_english(_MOMENT), id="format_english"),
        pytest.param(
            lambda tl, reg: cutover.timeline_markdown(tl, as_of=_MOMENT), id="timeline_markdown"
        ),
        pytest.param(lambda tl, reg: cutover.timeline_svg(tl, as_of=_MOMENT), id="timeline_svg"),
        pytest.param(
            lambda tl, reg: cutover.triage_file("q.csv", tl.cutoff_dates(), _MOMENT),
            id="triage_file",
        ),
        pytest.param(
            lambda tl, reg: cutover.write_triage(
                [], tl.cutoff_dates(), _MOMENT, io.StringIO(), fmt="csv", calendar="2018-07"
            ),
            id="write_triage",
        ),
        pytest.param(
            lambda tl, reg: __import__("cutover.triage", fromlist=["triage"]).triage(
                [], tl.cutoff_dates(), _MOMENT
            ),
            id="triage",
        ),
        pytest.param(lambda tl, reg: cutover.validate(tl.calendar, as_of=_MOMENT), id="validate"),
    ],
)
def test_a_datetime_where_a_day_belongs_is_a_clear_type_error(
    call: Callable[[Any, Any], object],
) -> None:
    """A `datetime` type-checks where a `date` is asked for (it is one to Python), but it is
    not a day: each entry point says so at the call, naming the argument and the fix,
    instead of failing later on a comparison (or a generator's first row)."""
    timeline, registry = _tottori()
    with pytest.raises(TypeError, match=r"must be a datetime\.date \(a day\), not a datetime"):
        call(timeline, registry)


def test_rows_that_are_not_mappings_are_a_clear_type_error(request: pytest.FixtureRequest) -> None:
    """A database cursor gives tuples unless asked for rows by name, and is typed Any, so a
    type checker lets them through: `triage_rows` (and `write_triage` from rows) says at the
    row what to pass, in a `TypeError` for the programmer, instead of an AttributeError
    ('tuple' object has no attribute 'get') from inside the reader."""
    import sqlite3

    timeline, _ = _tottori()
    rule = cutover.cutoff_rule(timeline)
    db = sqlite3.connect(":memory:")
    request.addfinalizer(db.close)  # (Python 3.13 warns of a database left open)
    db.execute("create table log (query_id, querier, provider, item, requested, status)")
    db.execute("insert into log values ('Q1', '131016', '011002', '2', '2018-06-28', 'pending')")
    day = dt.date(2018, 7, 2)
    calls: list[Callable[[], object]] = [
        lambda: list(cutover.triage_rows(db.execute("select * from log"), rule, day)),
        lambda: cutover.write_triage(
            db.execute("select * from log"), rule, day, io.StringIO(), fmt="csv", calendar="2018-07"
        ),
    ]
    for call in calls:
        with pytest.raises(TypeError) as caught:
            call()
        message = str(caught.value)
        assert message.startswith("rows must hold mappings of the query columns to text")
        assert "not a tuple (row 1): pass map(dict, cursor)" in message
    db.row_factory = sqlite3.Row
    rows = map(dict, db.execute("select * from log"))
    (result,) = cutover.triage_rows(rows, rule, day)
    assert isinstance(result, cutover.TriageResult)


def test_a_day_is_still_a_day() -> None:
    """A `date` (and only the date) passes the check unchanged."""
    from cutover.errors import require_date

    day = dt.date(2018, 6, 30)
    assert require_date(day, "as_of") is day
    with pytest.raises(TypeError, match="not a str"):
        require_date("2018-06-30", "as_of")


_EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"


@pytest.mark.parametrize(
    ("name", "call"),
    [
        pytest.param(
            "evidence_paths",
            lambda given: cutover.load_registry(_EXAMPLE / "agencies.csv", None, given),
            id="load_registry-evidence",
        ),
        pytest.param(
            "registration_logs",
            lambda given: cutover.load_registry(_EXAMPLE / "agencies.csv", registration_logs=given),
            id="load_registry-registration",
        ),
        pytest.param(
            "test_logs",
            lambda given: cutover.load_registry(_EXAMPLE / "agencies.csv", test_logs=given),
            id="load_registry-test",
        ),
        pytest.param(
            "evidence",
            lambda given: cutover.validate("2018-07", as_of=dt.date(2018, 6, 20), evidence=given),
            id="validate-evidence",
        ),
        pytest.param(
            "test_logs",
            lambda given: cutover.validate("2018-07", as_of=dt.date(2018, 6, 20), test_logs=given),
            id="validate-test",
        ),
    ],
)
@pytest.mark.parametrize("as_path", [False, True], ids=["str", "Path"])
def test_one_bare_path_where_files_belong_is_a_clear_type_error(
    name: str, call: Callable[[Any], object], *, as_path: bool
) -> None:
    """A `str` is a sequence of letters to Python and to a type checker: given where a
    sequence of files belongs (``evidence_paths="evidence.csv"``) it was once read letter
    by letter (34 problems "p: cannot read evidence file"). It is a `TypeError` at the call,
    naming the argument and showing the call to write; no file is read."""
    given = str(_EXAMPLE / "evidence.csv")
    with pytest.raises(TypeError) as caught:
        call(Path(given) if as_path else given)
    message = str(caught.value)
    assert message.startswith(f"{name} takes a sequence of paths, not one ")
    assert f"{name}=[{given!r}]" in message
    assert "\n" not in message
    assert "cannot read" not in message


_STRAY = (
    "code,name,kind,test_requested,provides,new_delegations\n"
    "310000,鳥取県,prefecture,,,\n319996,鳥取県の組合,association,,,\n"
    "139998,東京都の組合,association,,,\n"
)


def _warned_of(call: Callable[[], object]) -> tuple[object, list[str]]:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [str(w.message) for w in caught]


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda path, p: _warned_of(lambda: cutover.load_agencies(path, prefecture=p))),
        pytest.param(lambda path, p: _warned_of(lambda: cutover.load_registry(path, prefecture=p))),
        pytest.param(lambda path, p: cutover.registry_template(p)),
        pytest.param(
            lambda path, p: cutover.summarize(
                cutover.plan(*_tottori(), dt.date(2018, 6, 1)), prefecture=p
            )
        ),
    ],
    ids=["load_agencies", "load_registry", "registry_template", "summarize"],
)
def test_a_prefecture_number_may_be_an_int(
    tmp_path: Path, call: Callable[[Path, object], object]
) -> None:
    """A program may hold a prefecture's number as an int, as ``--prefecture 31`` means on
    the command line: every public function taking a prefecture reads ``31`` as ``"31"``
    (鳥取県), where it once raised "normalize() argument 2 must be str"."""
    path = tmp_path / "agencies.csv"
    path.write_text(_STRAY, encoding="utf-8")
    assert call(path, 31) == call(path, "31") == call(path, "鳥取県")


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("prefecture", lambda path, p: cutover.load_agencies(path, prefecture=p)),
        ("prefecture", lambda path, p: cutover.load_registry(path, prefecture=p)),
        ("prefecture_query", lambda path, p: cutover.registry_template(p)),
        (
            "prefecture",
            lambda path, p: cutover.summarize(
                cutover.plan(*_tottori(), dt.date(2018, 6, 1)), prefecture=p
            ),
        ),
    ],
    ids=["load_agencies", "load_registry", "registry_template", "summarize"],
)
@pytest.mark.parametrize(("given", "kind"), [(31.0, "float"), (True, "bool"), (b"31", "bytes")])
def test_a_prefecture_of_another_type_is_a_clear_type_error(
    tmp_path: Path, name: str, call: Callable[[Path, object], object], given: object, kind: str
) -> None:
    """A float (31.0 from a spreadsheet column), a bool or bytes names no prefecture: a
    `TypeError` at the call names the argument and shows what to pass (a bool is an int to
    Python, but True is not 北海道)."""
    path = tmp_path / "agencies.csv"
    path.write_text(_STRAY, encoding="utf-8")
    with pytest.raises(TypeError) as caught:
        call(path, given)
    assert str(caught.value) == (
        f"{name} names a prefecture by its number or its name, not by a {kind}: "
        f'pass {name}=31, {name}="31" or {name}="鳥取県"'
    )


def test_a_sequence_of_files_is_read_each() -> None:
    """The same argument as a list reads each file: the example's evidence counts."""
    evidence = _EXAMPLE / "evidence.csv"
    registry = cutover.load_registry(_EXAMPLE / "agencies.csv", None, [evidence])
    assert registry.evidence
    assert {e.file for e in registry.evidence} == {str(evidence)}
    assert cutover.load_registry(_EXAMPLE / "agencies.csv", None, (evidence,)) == registry


def test_no_subpackage_shadows_a_public_name() -> None:
    """Importing any module of the package first (as a tool may, for a class the API does
    not export) leaves every public name what the API says: a subpackage named like a
    public function would replace it on the package (``cutover.plan`` once was both)."""
    packages = sorted(
        p.name for p in Path(cutover.__file__).parent.iterdir() if (p / "__init__.py").is_file()
    )
    assert not set(packages) & set(cutover.__all__)
    code = (
        "import importlib, pkgutil, cutover\n"
        "for m in pkgutil.walk_packages(cutover.__path__, 'cutover.'):\n"
        "    importlib.import_module(m.name)\n"
        "import types\n"
        "print([n for n in cutover.__all__ if isinstance(getattr(cutover, n), types.ModuleType)])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_error_crosses_processes_whole() -> None:
    """A program that runs cutover in worker processes gets its errors back whole: the same
    class, problems and attributes, and the one-line text in `args` and `str`."""
    import pickle

    from cutover.jp.closed_days import OutsideHolidayYears

    error = OutsideHolidayYears.of("triage.bad-date", file="q.csv", line=3, value="x", forms="y")
    error.day = dt.date(1900, 1, 1)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is OutsideHolidayYears
    assert back.problems == error.problems
    assert back.day == dt.date(1900, 1, 1)
    assert (
        back.args
        == (str(back),)
        == ("q.csv:3: 「x」は日付として読めません — y のように書いてください",)
    )
    assert "'x'" in back.text("en")
    plain = pickle.loads(pickle.dumps(cutover.CutoverError("bad", fix="mend", file="f", line=2)))
    assert str(plain) == "f:2: bad — mend"


@pytest.mark.parametrize("name", ["RevisionCalendar", "ScheduledEvent", "Timeline"])
def test_every_public_attribute_of_the_timeline_s_models_is_documented(name: str) -> None:
    """docs/api.md's row of the calendar, the timeline and a scheduled event names every
    public attribute they hold: `item_numbers` and `opening_assumed_from` were added with no
    word there, for a program to find only by reading the code."""
    import re

    import attrs

    docs = (Path(__file__).parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    (row,) = re.findall(rf"^\| `{name}` \|.*$", docs, re.M)
    cls = getattr(cutover, name)
    public = {n for n in dir(cls) if not n.startswith("_")}
    public |= {f.name for f in attrs.fields(cls) if not f.name.startswith("_")}
    assert [n for n in sorted(public) if not re.search(rf"[`.]{n}\b", row)] == []


def test_a_problem_is_hashable_as_every_frozen_model_is() -> None:
    """A tool keeps the problems it has reported in a set, or counts them by problem: a
    `Problem` is frozen like every model, and hashes (its `params`, a dict, aside) as
    equal problems compare."""
    rows = (
        "code,name,kind,test_requested,provides,new_delegations\n31201,鳥取市,municipality,yes,2,\n"
    )
    problems: list[cutover.Problem] = []
    for _ in range(2):
        with pytest.raises(cutover.CutoverError) as caught:
            cutover.load_registry(cutover.InputText("agencies.csv", rows))
        problems.extend(caught.value.problems)
    first, again = problems
    assert first == again
    assert first is not again
    assert len({first, again}) == 1
    assert {first: 1}[again] == 1
    other = cutover.Problem(file="agencies.csv", line=2, key="code", code=first.code)
    assert other != first  # (its params differ)
    assert len({first, other}) == 2


def test_inputs_read_quietly_in_one_thread_warn_in_another() -> None:
    """`quiet_inputs` silences the input warnings of its own thread only: another thread's
    warnings, read at the same time, still reach the host's filters (here ``"error"``)."""
    import threading
    import warnings

    from cutover.errors import quiet_inputs, warn_input

    problem = cutover.Problem(
        file="agencies.csv", code="inputs.codes-restored", params={"columns": ("code",)}
    )
    inside, done = threading.Event(), threading.Event()
    quiet: list[BaseException | None] = []

    def look() -> None:
        with quiet_inputs():
            inside.set()
            done.wait(10)
            try:
                warn_input(problem)
                quiet.append(None)
            except BaseException as exc:  # (the test reports it)
                quiet.append(exc)

    with warnings.catch_warnings():
        warnings.simplefilter("error", cutover.InputWarning)
        thread = threading.Thread(target=look)
        thread.start()
        assert inside.wait(10)
        with pytest.raises(cutover.InputWarning):
            warn_input(problem)
        done.set()
        thread.join(10)
    assert quiet == [None]


def test_an_input_warning_is_said_from_the_programs_own_call() -> None:
    """An input read as meant but warned of (an item list Excel saved as one number, 221)
    is warned of from the program's call into cutover, however deep the reader: its file and
    line are the program's, and a filter by the program's module (``module=``) takes it."""
    import warnings

    agencies = cutover.InputText(
        "agencies.csv",
        "code,name,kind,test_requested,provides,new_delegations\n"
        "312011,鳥取市,municipality,no,221,\n",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
        cutover.load_registry(agencies, items=[2, 21])
    said = [w for w in caught if issubclass(w.category, cutover.InputWarning)]
    assert said
    assert {(w.filename, w.lineno) for w in said} == {(__file__, line)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=cutover.InputWarning, module=__name__)
        cutover.load_registry(agencies, items=[2, 21])
    assert not [w for w in caught if issubclass(w.category, cutover.InputWarning)]


def test_validate_gives_each_warning_once(tmp_path: Path) -> None:
    """`validate` with readiness or evidence read the agencies file a second time for the
    plan it checks, and a program recording warnings got each of the file's twice: each
    file is read once, and the report is the same (its evidence check included)."""
    import warnings

    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    agencies = tmp_path / "agencies.csv"
    text = (example / "agencies.csv").read_text(encoding="utf-8")
    agencies.write_text(text.replace("312011,鳥取市,", "312011,鳥取市役所,"), encoding="utf-8")
    files = (agencies, example / "readiness.csv", [example / "evidence.csv"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = cutover.validate(
            "2018-07",
            as_of=dt.date(2018, 6, 25),
            agencies=files[0],
            readiness=files[1],
            evidence=files[2],
        )
        said = [str(w.message) for w in caught if isinstance(w.message, cutover.InputWarning)]
        loaded = cutover.load_registry(*files)
    assert len(said) == len(set(said)) >= 1
    assert any("鳥取市役所" in s for s in said)
    assert report.evidence_check is not None
    _, registry = report.evidence_check
    assert (registry.agencies, registry.readiness) == (loaded.agencies, loaded.readiness)
    assert registry.evidence == loaded.evidence


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda tl, p, reg: cutover.timeline_json(tl.calendar), "subject"),
        (lambda tl, p, reg: cutover.timeline_markdown(tl.calendar), "subject"),
        (lambda tl, p, reg: cutover.timeline_svg(tl.calendar), "subject"),
        (lambda tl, p, reg: cutover.timeline_ics(tl.calendar), "subject"),
        (lambda tl, p, reg: cutover.summary_json(p), "summary"),
        (lambda tl, p, reg: cutover.hearings_json(p), "hearings"),
        (lambda tl, p, reg: cutover.render_checklist(p, p.agencies[0]), "agency_plan"),
        (lambda tl, p, reg: cutover.uncounted_evidence(p, "agencies.csv"), "registry"),  # type: ignore[arg-type]
        (
            lambda tl, p, reg: __import__("cutover.inputs.survey", fromlist=["x"]).merge_survey(
                "2018-07", _EXAMPLE / "agencies.csv", "."
            ),
            "calendar",
        ),
    ],
)
def test_a_wrong_object_is_a_type_error_that_names_the_argument(
    call: Callable[[Any, Any, Any], object], named: str
) -> None:
    """A calendar passed for its timeline, a plan for its summary, arguments swapped: each is
    a `TypeError` at the call naming the argument and what to pass (api.md), where the first
    attribute read inside failed with an AttributeError."""
    timeline, registry = _tottori()
    the_plan = cutover.plan(timeline, registry, dt.date(2018, 6, 25))
    with pytest.raises(TypeError, match=rf"^{named} (must be|には)"):
        call(timeline, the_plan, registry)


@pytest.mark.parametrize(
    "call",
    [
        lambda p: cutover.Phrase.of("plan.task-status-done").text("fr"),  # type: ignore[arg-type]
        lambda p: __import__("cutover.i18n.text", fromlist=["x"]).DataText("a", "b").text("fr"),
        lambda p: cutover.render.html.HtmlPages(p, "fr"),  # type: ignore[arg-type]
        lambda p: cutover.render.checklist.ChecklistViews(p, "fr"),  # type: ignore[arg-type]
        lambda p: cutover.render.checklist.TaskItems("fr"),  # type: ignore[arg-type]
        lambda p: cutover.render.xlsx.Book("fr", p.as_of),  # type: ignore[arg-type]
        lambda p: cutover.render.html.html_document("# x", lang="fr"),  # type: ignore[arg-type]
    ],
)
def test_an_unknown_language_is_refused_everywhere(call: Callable[[Any], object]) -> None:
    """A language cutover does not speak is a `CutoverError` at every call that takes one
    (api.md), where these gave a KeyError, Japanese text, or a page marked lang="fr"."""
    import cutover.render.checklist
    import cutover.render.html
    import cutover.render.xlsx

    timeline, registry = _tottori()
    the_plan = cutover.plan(timeline, registry, dt.date(2018, 6, 25))
    with pytest.raises(cutover.CutoverError) as caught:
        call(the_plan)
    assert caught.value.problems[0].code == "text.unknown-language"


def test_a_message_in_an_unknown_language_is_a_value_error_saying_which_are_spoken() -> None:
    """`Msg.text("fr")`, below `cutover.errors` (so no `CutoverError`), says the languages
    cutover speaks, where it was a KeyError blaming a missing message."""
    with pytest.raises(ValueError, match=r"^unknown language 'fr' — use 'ja' or 'en'$"):
        cutover.Msg("plan.task-status-done").text("fr")  # type: ignore[arg-type]


def test_summary_counts_refuse_a_kind_or_system_that_is_none_of_theirs() -> None:
    """A typo in a system id read as zero agencies late ("none late on locall-tax"): each
    count's ``of`` takes its enum member or code, and anything else is a `ValueError` that
    names what there is, as ``Summary.not_ready_of`` already did."""
    timeline, registry = _tottori()
    summary = cutover.summarize(cutover.plan(timeline, registry, dt.date(2018, 6, 25)))
    query = summary.not_ready_of("query")
    assert (
        query.of("local-tax")
        == query.systems[[c.system.id for c in query.systems].index("local-tax")].counts
    )
    assert summary.agencies.of("municipality") == summary.agencies.of(cutover.Kind.MUNICIPALITY)
    with pytest.raises(ValueError, match=r"^'locall-tax' is not a business system .*local-tax"):
        query.of("locall-tax")
    with pytest.raises(ValueError, match="bogus"):
        summary.agencies.of("bogus")


@pytest.mark.parametrize(
    ("call", "said"),
    [
        (
            lambda cal: cutover.suggest_task("副本登録:2", "register"),  # type: ignore[arg-type]
            "templates holds the calendar's task templates (TaskTemplate objects), not a str",
        ),
        (
            lambda cal: cutover.suggest_task("副本登録:2", [cal]),
            "templates holds the calendar's task templates (TaskTemplate objects), not a "
            "RevisionCalendar",
        ),
        (
            lambda cal: cal.closed_days().add_business_days(dt.date(2018, 6, 1), "3"),
            "n is a whole number of business days, an int, not a str",
        ),
    ],
)
def test_misused_helpers_say_what_to_pass(call: Callable[[Any], object], said: str) -> None:
    """A text for a count of business days (``'>' not supported``) or for a calendar's task
    templates (``'str' object has no attribute 'title_ja'``) is a `TypeError` that names the
    argument, and the calendar itself is taken for its templates."""
    calendar = cutover.load_calendar("2018-07")
    assert cutover.suggest_task("副本登録:2", calendar) == "register:2"
    assert cutover.suggest_task("副本登録:2", calendar.tasks) == "register:2"
    with pytest.raises(TypeError) as caught:
        call(calendar)
    assert str(caught.value).startswith(said)


@pytest.mark.parametrize(
    "call",
    [
        lambda p: p.what_if.of_agency(312011) if p.what_if else None,
        lambda p: cutover.render.checklists.page_file_name(312011),  # type: ignore[arg-type]
        lambda p: __import__("cutover.jp.codes", fromlist=["x"]).has_valid_check_digit(312011),
        lambda p: cutover.write_triage(
            [],
            cutover.cutoff_rule(p.timeline),
            p.as_of,
            io.StringIO(),
            fmt="md",
            calendar="2018-07",
            agency_names={310000: "鳥取県"},  # type: ignore[dict-item]
        ),
        lambda p: cutover.render_index(p, cutover.summarize(p), links={312011: "x.md"}),  # type: ignore[dict-item]
    ],
)
def test_a_number_where_a_code_belongs_is_a_type_error(call: Callable[[Any], object]) -> None:
    """A code given as a number (a database's INTEGER, a spreadsheet's number cell: 312011,
    or 10006 for 010006) is a `TypeError` at the call (api.md), where these found nothing
    (no move, no name, no link) without a word, or failed with "no len()"."""
    import cutover.render.checklists

    timeline, registry = _tottori()
    shifts = [cutover.parse_shift("duplicate-registration=+3bd")]
    the_plan = cutover.plan(
        cutover.build_timeline(timeline.calendar, shifts), registry, dt.date(2018, 6, 25)
    )
    assert the_plan.what_if is not None
    with pytest.raises(TypeError, match=r"an agency's code as text"):
        call(the_plan)


@pytest.mark.parametrize("given", ["duplicate-registration=+3bd", "shift"])
def test_one_shift_given_bare_is_a_type_error_saying_to_list_it(given: str) -> None:
    """`build_timeline(calendar, shift)` and `what_if(calendar, "…=+3bd")` failed with
    "'Shift' object is not iterable" (or read the text letter by letter): a `TypeError`
    says to pass a list."""
    calendar = cutover.load_calendar("2018-07")
    shift = cutover.parse_shift("duplicate-registration=+3bd")
    bare = shift if given == "shift" else given
    for call in (cutover.build_timeline, cutover.what_if):
        with pytest.raises(TypeError, match=r"^shifts is a sequence of Shift objects.*\[shift\]"):
            call(calendar, bare)  # type: ignore[arg-type]
    assert cutover.build_timeline(calendar, [shift]).shifts == (shift,)
