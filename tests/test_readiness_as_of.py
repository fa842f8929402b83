"""A readiness report read as of the as-of date: a modification reported done (完了) on a day
still to come is not known done then (as evidence dated after it), and a date beside 未着手 or
対象外 is warned of, not dropped without a word."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import shutil
import warnings
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import cutover
from cutover.calendar.load import load_calendar
from cutover.cli.main import main
from cutover.errors import InputWarning
from cutover.i18n.catalogue import Lang
from cutover.inputs.model import Agency, Readiness, Registry
from cutover.inputs.registry import load_agencies, load_readiness
from cutover.jp.vocabulary import Kind, Side, Status
from cutover.planning.chase import ChaseReason, chase_list
from cutover.planning.flags import FlagCode, Severity
from cutover.planning.hearings import hearings
from cutover.planning.model import TaskStatus
from cutover.planning.planner import plan
from cutover.planning.readiness import is_not_ready
from cutover.planning.summary import summarize
from cutover.render.plan import plan_json
from cutover.schedule.timeline import Timeline, build_timeline

EXAMPLE = Path(__file__).parent.parent / "examples" / "tottori"
YONAGO = "312029"
ROW = "312029,health,query,planned,2018-06-27\n"
AS_OF = dt.date(2018, 6, 25)


@functools.cache
def timeline() -> Timeline:
    """Return the timeline of the shipped July 2018 calendar (built once)."""
    return build_timeline(load_calendar("2018-07"))


def _example(tmp_path: Path, row: str) -> tuple[Path, Path]:
    """Return the example's agencies and readiness files, copied, 米子市's health query row
    written as `row`."""
    agencies = tmp_path / "agencies.csv"
    shutil.copy(EXAMPLE / "agencies.csv", agencies)
    text = (EXAMPLE / "readiness.csv").read_text(encoding="utf-8")
    assert ROW in text
    readiness = tmp_path / "readiness.csv"
    readiness.write_text(text.replace(ROW, row), encoding="utf-8")
    return agencies, readiness


def _query_health_not_ready(the_plan: cutover.Plan) -> int:
    """Return how many agencies the §3 table counts not ready on the query side of health."""
    summary = summarize(the_plan)
    (query,) = (s for s in summary.not_ready if s.side is Side.QUERY)
    return query.of("health").total


@pytest.mark.parametrize(
    ("planned", "code", "asked"),
    [
        # (0001-01-01, a cell's default date, is refused as it is read: before 1949.)
        ("1950-06-29", FlagCode.READINESS_PLAN_PASSED, True),
        ("令和30年6月29日", FlagCode.QUERY_NOT_READY, True),  # (平成30年, typed 令和: 2048)
        ("2015-06-20", FlagCode.READINESS_PLAN_PASSED, True),
        ("2018-06-20", FlagCode.READINESS_PLAN_PASSED, False),
        ("2019-03-29", FlagCode.QUERY_NOT_READY, False),  # (late, a year on: a plan)
    ],
)
def test_a_planned_day_years_from_the_revision_asks_for_its_year(
    tmp_path: Path, planned: str, code: FlagCode, asked: bool
) -> None:
    """A modification planned years before or after the revision (1950, 令和30年 for
    平成30年) is flagged as its day says, and its first remedy asks to check the year and
    era for a typo, in both languages; a day within a few years of it is a plan, not asked."""
    agencies, readiness = _example(tmp_path, f"312029,health,query,planned,{planned}\n")
    the_plan = plan(timeline(), cutover.load_registry(agencies, readiness), AS_OF)
    flags = the_plan.agency(YONAGO).flags
    (flag,) = (f for f in flags if f.task == "modify-query:health" and f.code is code)
    said = ("打ち間違い" in flag.remedies_ja[0], "typo" in flag.remedies_en[0])
    assert said == (asked, asked)


def test_done_after_the_as_of_date_counts_as_planned_for_that_day(tmp_path: Path) -> None:
    """The example with 米子市's health query reported 完了 on 2018-09-28, as of 6/25: it was
    counted ready in the §3 table with no flag. It is now a modification planned for that
    day, after the revision: not ready, flagged with the row's file and line, chased."""
    agencies, readiness = _example(tmp_path, "312029,health,query,done,2018-09-28\n")
    registry = cutover.load_registry(agencies, readiness)
    the_plan = plan(timeline(), registry, AS_OF)
    (tmp_path / "planned").mkdir()
    agencies_, planned = _example(tmp_path / "planned", "312029,health,query,planned,2018-09-28\n")
    as_planned = plan(timeline(), cutover.load_registry(agencies_, planned), AS_OF)
    # Counted as the same row written 予定 is: not ready (the example counts none).
    assert _query_health_not_ready(the_plan) == _query_health_not_ready(as_planned) == 1
    yonago = the_plan.agency(YONAGO)
    task = next(t for t in yonago.tasks if t.id == "modify-query:health")
    assert task.status is not TaskStatus.DONE
    (flag,) = (f for f in yonago.flags if f.code is FlagCode.READINESS_DONE_AFTER_AS_OF)
    assert flag.severity is Severity.WARNING
    assert (flag.task, flag.side, flag.systems) == ("modify-query:health", Side.QUERY, ("health",))
    assert flag.report is not None
    assert flag.report.line == 39
    assert "（readiness.csv 39行目）" in flag.message_ja
    assert "平成30年9月28日（金）" in flag.message_ja
    assert "(readiness.csv line 39), after the as-of date 2018-06-25 (Mon)" in flag.message_en
    assert "「予定」に直す" in flag.remedies_ja[0]
    assert flag.remedies_en[0].startswith("If it is not done yet, correct its status to 予定")
    # Not ready for the revision as well, as the row written 予定 is.
    about = {f.code for f in yonago.flags if f.task == "modify-query:health"}
    assert about >= {FlagCode.READINESS_DONE_AFTER_AS_OF, FlagCode.QUERY_NOT_READY}
    assert about == {f.code for f in as_planned.agency(YONAGO).flags if f.task == task.id} | {
        FlagCode.READINESS_DONE_AFTER_AS_OF
    }
    # The plan's JSON carries the row as data, as an evidence flag's row.
    (written,) = (
        f
        for a in plan_json(the_plan)["agencies"]
        if a["code"] == YONAGO
        for f in a["flags"]
        if f["code"] == "readiness-done-after-as-of"
    )
    assert written["evidence"] == [
        {"date": "2018-09-28", "reason": None, "file": str(readiness), "line": 39, "rows": None}
    ]
    # On the list to chase, as the coordinator asks for the status or the date corrected.
    chased = [c for c in chase_list(the_plan, hearings(the_plan)) if c.agency.code == YONAGO]
    reasons = [c.reason for c in chased if c.flag is flag]
    assert reasons == [ChaseReason.DONE_AFTER_AS_OF]
    assert ChaseReason.DONE_AFTER_AS_OF.label("ja") == "完了日が基準日より後"


def _report(status: Status, day: dt.date | None) -> Readiness:
    return Readiness(YONAGO, "nhi", Side.QUERY, status, day, line=7, file="readiness.csv")


def _agency() -> Agency:
    return Agency(YONAGO, "米子市", Kind.MUNICIPALITY, False, frozenset(), frozenset(), line=2)


@settings(max_examples=60, deadline=None)
@given(
    done=st.dates(dt.date(2018, 5, 1), dt.date(2018, 12, 31)),
    lag=st.integers(-10, 10),
)
# (The as-of day itself, and the day before it; a done date after the revision too.)
@example(done=dt.date(2018, 6, 25), lag=0)
@example(done=dt.date(2018, 6, 25), lag=-1)
@example(done=dt.date(2018, 9, 28), lag=0)
@example(done=dt.date(2018, 9, 28), lag=-1)
def test_a_done_date_counts_from_the_as_of_date_on(done: dt.date, lag: int) -> None:
    """A modification reported done on `done` is done as of that day and after (the done
    date on the as-of day itself is done), and as of the day before it is one planned for
    that day: flagged, its task not done, and not ready as a planned one is."""
    as_of = done + dt.timedelta(days=lag)
    effective = timeline().effective
    report = _report(Status.DONE, done)
    registry = Registry((_agency(),), (report,))
    agency_plan = plan(timeline(), registry, as_of).agency(YONAGO)
    task = next(t for t in agency_plan.tasks if t.id == "modify-query:nhi")
    later = [f for f in agency_plan.flags if f.code is FlagCode.READINESS_DONE_AFTER_AS_OF]
    known = as_of >= done
    assert (task.status is TaskStatus.DONE) is known
    assert bool(later) is not known
    planned = _report(Status.PLANNED, done)
    # Known done on a day: ready if before the revision, not ready (late) on it or after, as
    # evidence of that day says (it flipped from not ready to ready once the day was known).
    assert is_not_ready(report, effective, as_of) is (
        done >= effective if known else is_not_ready(planned, effective, as_of)
    )
    # The day beside 完了 is the task's done day: after its due date, done late.
    # (Its day as written: done on Saturday 6/30, the due day moved to Friday, is not late.)
    late = any(f.code is FlagCode.DONE_LATE for f in agency_plan.flags)
    assert late is task.done_late is (known and done > task.due.original)
    assert task.done_on == (done if known else None)
    # Never a planned day passed: the day is still to come as of that date.
    assert not any(f.code is FlagCode.READINESS_PLAN_PASSED for f in agency_plan.flags)
    not_ready = any(f.code is FlagCode.QUERY_NOT_READY for f in agency_plan.flags)
    assert not_ready is (not known and is_not_ready(planned, effective, as_of))


def _warned(path: Path, lang: Lang = "en") -> list[str]:
    agencies = load_agencies(EXAMPLE / "agencies.csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_readiness(path, agencies)
    return [w.message.problem.text(lang) for w in caught if isinstance(w.message, InputWarning)]


@pytest.mark.parametrize(
    ("status", "said", "fix"),
    [
        ("not-started", "status is not-started (未着手)", "correct the status to planned (予定)"),
        ("未着手", "status is not-started (未着手)", "if it has not begun, delete the date"),
        ("n/a", "status is n/a (対象外)", "correct the status to done (完了)"),
        ("対象外", "status is n/a (対象外)", "delete the date"),
    ],
)
def test_a_date_beside_not_started_or_not_applicable_is_warned_of(
    tmp_path: Path, status: str, said: str, fix: str
) -> None:
    """A row 未着手 or 対象外 with a date had the date dropped without a word: the clerk
    meant 予定 or 完了, or left it from an earlier answer. It is read as its status says,
    and one warning at its line gives the date and the fix."""
    path = tmp_path / "readiness.csv"
    path.write_text(
        "code,system,side,status,planned\n"
        "312029,nhi,query,done,2018-05-01\n"
        f"312029,health,query,{status},2018/9/1\n",
        encoding="utf-8",
    )
    (warning,) = _warned(path)
    assert warning.startswith(f"{path}:3: planned: {said}, but a date '2018/9/1'")
    assert fix in warning
    assert "such rows" not in warning
    (japanese,) = _warned(path, "ja")
    assert ":3: planned: 状況が" in japanese
    assert "日付「2018/9/1」" in japanese
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        rows = load_readiness(path)
    (health,) = (r for r in rows if r.system == "health")
    assert health.status.value == ("not-started" if "started" in said else "n/a")


def test_a_file_of_many_dated_rows_warns_once_a_status(tmp_path: Path) -> None:
    """Rows 未着手 with a date throughout a file are one warning, at the first, with how many;
    rows 完了 or 予定 with a date are none."""
    path = tmp_path / "readiness.csv"
    path.write_text(
        "code,system,side,status,planned\n"
        "312029,nhi,query,done,2018-05-01\n"
        "312029,nhi,provision,planned,2018-06-01\n"
        "312029,health,query,未着手,2018-09-01\n"
        "312029,health,provision,未着手,2018-10-01\n"
        "312029,local-tax,query,未着手,\n",
        encoding="utf-8",
    )
    (warning,) = _warned(path)
    assert f"{path}:4: planned:" in warning
    assert "(2 such rows in this file; this is the first)" in warning
    path.write_text(
        "code,system,side,status,planned\n312029,nhi,query,done,2018-05-01\n", encoding="utf-8"
    )
    assert _warned(path) == []


def test_validate_warns_of_a_modification_reported_done_after_the_as_of_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cutover validate --as-of` says of the readiness row what the checklists say (it
    checked only the evidence's rows, and only with evidence given): its flag, its line, the
    fix; --fail-on warning exits 3. As of the done date itself, nothing."""
    from cutover.cli.main import main

    agencies, readiness = _example(tmp_path, "312029,health,query,done,2018-09-28\n")
    args = ["validate", "2018-07", "--agencies", str(agencies), "--readiness", str(readiness)]
    assert main([*args, "--as-of", "2018-06-25", "--fail-on", "warning"]) == 3
    (warning,) = [line for line in capsys.readouterr().err.splitlines() if "312029" in line]
    assert "312029 米子市: readiness-done-after-as-of:" in warning
    assert "readiness.csv 39行目" in warning
    assert main([*args, "--as-of", "2018-09-28", "--fail-on", "warning"]) == 0
    assert "readiness-done-after-as-of" not in capsys.readouterr().err


@pytest.mark.parametrize("status", ["not-started", "未着手", "n/a", "対象外"])
@pytest.mark.parametrize("no_day", ["未定", "調整中", "TBD", "-", "－", "―", "ー"])
def test_a_no_day_beside_not_started_or_not_applicable_is_read(
    tmp_path: Path, status: str, no_day: str
) -> None:
    """未着手 or 対象外 with 未定 or a dash in its date's cell says there is no day, as its
    status does: the row is read, without a word (the whole file was refused, told to
    write the day the modification is expected done)."""
    path = tmp_path / "readiness.csv"
    path.write_text(
        f"code,system,side,status,planned\n312029,health,query,{status},{no_day}\n",
        encoding="utf-8",
    )
    assert _warned(path) == []
    (row,) = load_readiness(path)
    assert (row.status.value in ("not-started", "n/a"), row.planned) == (True, None)


@settings(max_examples=60, deadline=None)
@given(
    status=st.sampled_from(["not-started", "n/a"]),
    # (Twelve digits may be a personal number, which every reader refuses: not this test's.)
    written=st.text(
        st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12
    ).filter(lambda t: sum(c.isdigit() for c in t) < 12),
)
def test_any_text_beside_not_started_or_not_applicable_is_not_refused(
    status: str, written: str
) -> None:
    """Beside 未着手 or 対象外 the date's cell is not read: whatever it holds (2018/13/01, 来月),
    the row is read as its status says, and the text warned of unless it says there is no
    day (未定, －); never the file refused."""
    import tempfile

    from cutover.inputs.rows import says_no_day

    cell = '"' + written.replace('"', '""') + '"'
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "readiness.csv"
        path.write_text(
            f"code,system,side,status,planned\n312029,health,query,{status},{cell}\n",
            encoding="utf-8",
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            rows = load_readiness(path)
    assert [r.status.value for r in rows] == [status]
    told = [w for w in caught if isinstance(w.message, InputWarning)]
    blank = not written.strip()
    assert len(told) == (0 if blank or says_no_day(written) else 1)


@pytest.mark.parametrize("status", ["done", "完了"])
@pytest.mark.parametrize("no_day", ["不明", "未定", "-", "－"])
def test_a_done_row_saying_it_has_no_day_is_read(tmp_path: Path, status: str, no_day: str) -> None:
    """完了 need not give its day: 不明 or a dash beside it says it does not, and the row is
    read as done with no date (the file was refused, told to write the day the modification
    is planned to be done); 予定 with 未定 is still refused, asking for the day expected."""
    path = tmp_path / "readiness.csv"
    path.write_text(
        f"code,system,side,status,planned\n312029,health,query,{status},{no_day}\n",
        encoding="utf-8",
    )
    assert _warned(path) == []
    (row,) = load_readiness(path)
    assert (row.status, row.planned) == (Status.DONE, None)
    path.write_text(
        f"code,system,side,status,planned\n312029,health,query,予定,{no_day}\n", encoding="utf-8"
    )
    with pytest.raises(cutover.CutoverError, match=r"planned to be done|予定の日が分かりません"):
        load_readiness(path)


def test_validate_counts_the_readiness_rows_beyond_its_hundred_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past its first hundred warnings, `validate` says how many more there are of the rows
    the checklists do not count, readiness rows among them (it called them all 実績)."""
    from cutover.cli.main import main

    agencies = tmp_path / "agencies.csv"
    shutil.copy(EXAMPLE / "agencies.csv", agencies)
    readiness = tmp_path / "readiness.csv"
    text = (EXAMPLE / "readiness.csv").read_text(encoding="utf-8")
    readiness.write_text(text.replace(",done,\n", ",done,2018-09-28\n"), encoding="utf-8")
    done = text.count(",done,\n")
    args = ["validate", "2018-07", "--agencies", str(agencies), "--readiness", str(readiness)]
    assert main([*args, "--as-of", "2018-06-25"]) == 0
    err = capsys.readouterr().err
    assert err.count("readiness-done-after-as-of") == 100 < done
    assert f"数えない実績・改修状況の行についての警告がほかに {done - 100} 件" in err


@settings(max_examples=60, deadline=None)
@given(
    done=st.dates(dt.date(2018, 5, 1), dt.date(2018, 12, 31)),
    lag=st.integers(-120, 10),
)
# (Done after the as-of date and after the revision; after the as-of date, before the
# revision; on the revision's day itself.)
@example(done=dt.date(2018, 9, 28), lag=-95)
@example(done=dt.date(2018, 6, 28), lag=-3)
@example(done=dt.date(2018, 7, 1), lag=-6)
def test_a_modification_is_chased_once_whatever_its_done_date(done: dt.date, lag: int) -> None:
    """A modification reported 完了 on a day after the as-of date and on or after the
    revision's was listed to chase twice, 改修が間に合わない and 完了日が基準日より後: one agency,
    one modification, one call. It is one entry, which says both; the §3 table still counts
    it not ready."""
    as_of = done + dt.timedelta(days=lag)
    effective = timeline().effective
    report = _report(Status.DONE, done)
    the_plan = plan(timeline(), Registry((_agency(),), (report,)), as_of)
    chased = [
        c
        for c in chase_list(the_plan, hearings(the_plan))
        if c.reason is not ChaseReason.HEARING and c.task is not None
    ]
    assert [c.task.id for c in chased if c.task is not None] in ([], ["modify-query:nhi"])
    reasons = [r for c in chased for r in c.reasons]
    later = done > as_of
    not_ready = is_not_ready(report, effective, as_of)
    assert (ChaseReason.DONE_AFTER_AS_OF in reasons) is later
    if later:
        # (Known done on a day, a late one is done late: its task done, not chased.)
        assert (ChaseReason.NOT_READY in reasons) is not_ready
    (query,) = (s for s in summarize(the_plan).not_ready if s.side is Side.QUERY)
    assert query.of("nhi").total == int(not_ready)
    if later and not_ready:
        (entry,) = chased
        assert entry.reason is ChaseReason.DONE_AFTER_AS_OF
        assert entry.reasons == (ChaseReason.DONE_AFTER_AS_OF, ChaseReason.NOT_READY)
        assert entry.reason_text("ja") == "完了日が基準日より後（未完了なら改修が間に合わない）"
        assert entry.reason_text("en") == (
            "done date after the as-of date (if not done, not ready in time)"
        )
        # Its detail says both: the date to correct, and not ready as the report stands.
        detail = entry.detail("ja") or ""
        assert "完了とみなさず" in detail
        assert "までに完了しない" in detail
    elif chased:
        (entry,) = chased
        assert entry.reason_text("ja") == entry.reason.label("ja")


def test_every_output_lists_a_done_date_after_the_as_of_date_once(tmp_path: Path) -> None:
    """The example with 米子市's health query reported 完了 on 2018-09-28, as of 6/25: the
    summary page, its HTML, JSON and workbook and the checklists' index listed it twice to
    chase. Each lists it once, in the same words; JSON keeps its `reason` and adds
    `reasons`, and the §3 counts are those of the row written 予定."""
    agencies, readiness = _example(tmp_path, "312029,health,query,done,2018-09-28\n")
    given = ["--agencies", str(agencies), "--readiness", str(readiness), "--as-of", "2018-06-25"]
    outputs = {ext: tmp_path / f"summary.{ext}" for ext in ("md", "json", "xlsx", "html")}
    for out in outputs.values():
        assert main(["summary", "2018-07", *given, "-o", str(out)]) == 0
    assert main(["checklists", "2018-07", *given, "--out", str(tmp_path / "lists")]) == 0
    why = "完了日が基準日より後（未完了なら改修が間に合わない）"
    task = "情報照会に係るシステム改修を完了する（健康管理）"
    due = "平成30年6月29日（金） ※"
    for page in (outputs["md"], tmp_path / "lists" / "index.md"):
        rows = [r for r in page.read_text(encoding="utf-8").splitlines() if task in r]
        assert rows == [f"| {YONAGO} | 米子市 | 市区町村 | {why} | {task} | {due} |"]
    html = outputs["html"].read_text(encoding="utf-8")
    assert html.count(task) == 1
    assert why in html
    data = json.loads(outputs["json"].read_text(encoding="utf-8"))
    (entry,) = (c for c in data["chase"] if c["task"] == "modify-query:health")
    assert (entry["code"], entry["reason"], entry["reason_text"]) == (
        YONAGO,
        "done-after-as-of",
        why,
    )
    assert entry["reasons"] == ["done-after-as-of", "not-ready"]
    assert all(c["reasons"][0] == c["reason"] for c in data["chase"])
    sheet = openpyxl.load_workbook(outputs["xlsx"])["督促先"]
    (row,) = [r for r in sheet.iter_rows(values_only=True) if r[4] == task]
    assert (row[0], row[3], row[6]) == (YONAGO, why, entry["detail"])
    # The §3 counts: as the row written 予定, flags counted each (both flags are raised).
    (tmp_path / "planned").mkdir()
    agencies_, planned = _example(tmp_path / "planned", "312029,health,query,planned,2018-09-28\n")
    as_planned = tmp_path / "planned" / "summary.json"
    given_ = ["--agencies", str(agencies_), "--readiness", str(planned), "--as-of", "2018-06-25"]
    assert main(["summary", "2018-07", *given_, "-o", str(as_planned)]) == 0
    other = json.loads(as_planned.read_text(encoding="utf-8"))
    assert data["not_ready"] == other["not_ready"]
    assert data["flags"]["query-not-ready"] == other["flags"]["query-not-ready"]
    assert data["flags"]["readiness-done-after-as-of"] == 1


def _outputs(the_plan: cutover.Plan) -> dict[str, object]:
    """Return every output of `the_plan` that shows a readiness report: the plan's CSV,
    JSON and workbook, the summary's JSON and workbook (its 改修状況 matrix), the checklist
    and the index."""
    from cutover.render.checklist import render_checklist
    from cutover.render.index import render_index
    from cutover.render.plan import write_plan_csv
    from cutover.render.summary import summary_json
    from cutover.render.xlsx import plan_xlsx, summary_xlsx

    found = hearings(the_plan)
    summary = summarize(the_plan)
    csv = io.StringIO()
    write_plan_csv(the_plan, csv)
    return {
        "plan.csv": csv.getvalue(),
        "plan.json": plan_json(the_plan),
        "plan.xlsx": plan_xlsx(the_plan),
        "summary.json": summary_json(summary, chase=chase_list(the_plan, found)),
        "summary.xlsx": summary_xlsx(summary, the_plan, found),
        "checklist": render_checklist(the_plan.agency(YONAGO), the_plan),
        "index": render_index(the_plan, summary),
    }


# (Each example plans twice and writes every output: the explicit examples hold the cases
# that failed; a dozen drawn ones cover the rest of the dates around the revision.)
@settings(max_examples=12, deadline=None)
@given(
    status=st.sampled_from([Status.NOT_STARTED, Status.NOT_APPLICABLE]),
    day=st.dates(dt.date(2017, 1, 1), dt.date(2019, 12, 31)),
    as_of=st.dates(dt.date(2018, 5, 1), dt.date(2018, 9, 30)),
)
# (A date before the revision, as of after it: the flag said 「未着手、完了の報告なし」.)
@example(status=Status.NOT_STARTED, day=dt.date(2018, 6, 20), as_of=dt.date(2018, 7, 2))
@example(status=Status.NOT_APPLICABLE, day=dt.date(2018, 5, 1), as_of=dt.date(2018, 6, 25))
def test_a_date_beside_not_started_or_not_applicable_shows_nowhere(
    status: Status, day: dt.date, as_of: dt.date
) -> None:
    """The date beside 未着手 or 対象外 is warned of and not read, yet the plan's CSV and
    workbooks showed it as the 完了予定日, and a query-not-ready flag as of after the
    revision said 「未着手、完了の報告なし」 for a date before it. Every output is now the
    one of the row with no date: what the plan read."""
    dated = _report(status, day)
    undated = _report(status, None)
    outputs = [
        _outputs(plan(timeline(), Registry((_agency(),), (report,)), as_of))
        for report in (dated, undated)
    ]
    assert outputs[0] == outputs[1]
    assert (dated.planned, dated.day) == (day, None)  # (as written, for survey merge)


def test_the_plan_csv_and_workbooks_leave_an_unread_date_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example with 若桜町's child-welfare query 未着手 written with 2018-06-20: the plan's
    CSV, its workbook and the summary's 改修状況 sheet showed 2018-06-20 as its 完了予定日;
    they leave it empty, as the reader warns it is not read. `survey merge`'s file keeps
    it as written (the model's `planned`)."""
    wakasa = "313254,child-welfare,query,not-started,"
    agencies, readiness = _example(tmp_path, ROW)
    text = readiness.read_text(encoding="utf-8")
    assert f"{wakasa}\n" in text
    readiness.write_text(text.replace(f"{wakasa}\n", f"{wakasa}2018-06-20\n"), encoding="utf-8")
    given = ["--agencies", str(agencies), "--readiness", str(readiness), "--as-of", "2018-06-25"]
    outputs = {ext: tmp_path / f"plan.{ext}" for ext in ("csv", "xlsx")}
    for out in outputs.values():
        assert main(["plan", "2018-07", *given, "-o", str(out)]) == 0
    assert main(["summary", "2018-07", *given, "-o", str(tmp_path / "summary.xlsx")]) == 0
    assert "readiness.csv:105: planned:" in capsys.readouterr().err
    (row,) = [
        r
        for r in outputs["csv"].read_text(encoding="utf-8-sig").splitlines()
        if r.startswith("313254,") and ",modify-query:child-welfare," in r
    ]
    assert row.endswith(",not-started,")
    task = "modify-query:child-welfare"
    (cells,) = [
        r
        for r in openpyxl.load_workbook(outputs["xlsx"])["計画"].iter_rows(values_only=True)
        if r[0] == "313254" and r[3] == task
    ]
    assert cells[-2:] == ("未着手", None)
    matrix = openpyxl.load_workbook(tmp_path / "summary.xlsx")["改修状況"]
    (cells,) = [
        r
        for r in matrix.iter_rows(values_only=True)
        if r[0] == "313254" and r[3] == "情報照会" and r[4] == "児童福祉"
    ]
    assert cells[5:7] == ("未着手", None)
