"""The modifications a flag is about, as data: its `side` and `systems` (ids), made in the one
place that makes the message's words for them (`Flag.of`), so a program never parses them."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import dates, registries

import cutover
from cutover.calendar.load import load_calendar
from cutover.inputs.model import Agency, Evidence, Registry
from cutover.jp.vocabulary import Side, system_by_id
from cutover.planning.chase import ChaseReason
from cutover.planning.flags import FlagCode
from cutover.planning.model import QueryFindings, TaskStatus
from cutover.planning.planner import plan
from cutover.planning.queries import load_queries
from cutover.planning.readiness import modifications
from cutover.render.plan import task_rows
from cutover.schedule.timeline import Timeline, build_timeline
from cutover.triage import Action

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"

#: The flags about a side's modifications: each names its side and systems.
ABOUT = frozenset(
    {
        FlagCode.PROVISION_NOT_READY,
        FlagCode.PROVISION_NOT_READY_ASSUMED,
        FlagCode.QUERY_NOT_READY,
        FlagCode.READINESS_UNKNOWN,
        FlagCode.READINESS_PLAN_PASSED,
        FlagCode.READINESS_DONE_AFTER_AS_OF,
    }
)


@functools.cache
def timeline() -> Timeline:
    return build_timeline(load_calendar("2018-07"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry=registries(), as_of=dates(dt.date(2018, 4, 1), dt.date(2018, 8, 31)))
def test_a_flag_names_its_modifications_as_data(registry: Registry, as_of: dt.date) -> None:
    """Each readiness flag carries the side and the system ids its message names (in both
    languages); one about a modification's task names that task's side and system; the
    readiness-unknown flags of an agency list exactly the modifications it did not report
    (and no evidence shows done); a flag about no modification has none."""
    the_plan = plan(timeline(), registry, as_of)
    found = modifications(the_plan.calendar)
    for agency_plan in the_plan.agencies:
        tasks = {t.id: t for t in agency_plan.tasks}
        unknown: set[tuple[str, Side]] = set()
        for flag in agency_plan.flags:
            if flag.code is FlagCode.EVIDENCE_BEFORE_MODIFICATION:
                # (The modification that comes first: one of the task's `first`.)
                assert flag.task is not None
                assert flag.side is not None
                firsts = [tasks[first] for first in tasks[flag.task].first]
                assert any(
                    (t.template.side, (t.system,)) == (flag.side, flag.systems) for t in firsts
                )
                continue
            if flag.code not in ABOUT:
                assert (flag.side, flag.systems) == (None, ())
                continue
            assert flag.side is not None
            assert flag.systems
            assert len(set(flag.systems)) == len(flag.systems)
            assert flag.side.label("ja") in flag.message_ja
            assert f"{flag.side.value}-side" in flag.message_en
            for system in map(system_by_id, flag.systems):
                assert system.ja in flag.message_ja
                assert system.en in flag.message_en
            if flag.code is FlagCode.READINESS_UNKNOWN:
                assert flag.task is None
                unknown |= {(s, flag.side) for s in flag.systems}
            else:
                assert flag.task == f"modify-{flag.side.value}:{flag.systems[0]}"
                assert len(flag.systems) == 1
        reported = {(r.system, r.side) for r in agency_plan.readiness}
        expected = {
            m.key
            for _, found_side in found
            for m in found_side
            if m.key not in reported
            and not (m.task in tasks and tasks[m.task].status is TaskStatus.DONE)
        }
        assert unknown == (expected if the_plan.has_readiness else set())
        # The plan's rows (CSV, workbook) mark the same modifications readiness-unknown.
        marked = {
            (row.task.system, row.task.template.side)
            for row in task_rows(the_plan)
            if row.agency is agency_plan and FlagCode.READINESS_UNKNOWN in row.flags
        }
        assert marked == {k for k in unknown if f"modify-{k[1].value}:{k[0]}" in tasks}


def test_the_library_s_chase_entries_carry_their_flag_s() -> None:
    """A `Chase` of a readiness reason has its flag's side and systems; a hearing's none."""
    registry = cutover.load_registry(
        EXAMPLE / "agencies.csv", EXAMPLE / "readiness.csv", [EXAMPLE / "evidence.csv"]
    )
    the_plan = cutover.plan(timeline(), registry, dt.date(2018, 7, 2))
    chase = cutover.chase_list(the_plan, cutover.hearings(the_plan))
    for entry in chase:
        if entry.flag is None:
            assert (entry.side, entry.systems) == (None, ())
        else:
            assert (entry.side, entry.systems) == (entry.flag.side, entry.flag.systems)
            assert entry.side is not None
            assert entry.systems
    reasons = {entry.reason for entry in chase}
    assert {ChaseReason.HEARING, ChaseReason.NOT_READY} <= reasons


def test_evidence_before_modification_names_the_modification_first() -> None:
    """A test or registration evidenced before the modification that comes first (§2) names
    that modification as data: 鳥取県's item 21 before child welfare's provision side."""
    registry = cutover.load_registry(
        EXAMPLE / "agencies.csv", EXAMPLE / "readiness.csv", [EXAMPLE / "evidence.csv"]
    )
    the_plan = cutover.plan(timeline(), registry, dt.date(2018, 6, 25))
    found = {
        (a.agency.code, f.task): (f.side, f.systems)
        for a in the_plan.agencies
        for f in a.flags
        if f.code is FlagCode.EVIDENCE_BEFORE_MODIFICATION
    }
    assert len(found) == 6
    assert found["310000", "register:21"] == (Side.PROVISION, ("child-welfare",))
    assert found["312011", "register:2"] == (Side.PROVISION, ("local-tax",))
    # The evidence row it names, as data: evidence.csv's line 5 (310000,register:21,…).
    (flag,) = (
        f
        for a in the_plan.agencies
        for f in a.flags
        if f.code is FlagCode.EVIDENCE_BEFORE_MODIFICATION and f.task == "register:21"
    )
    (row,) = flag.evidence
    assert isinstance(row, Evidence)
    assert (row.file, row.line, row.date) == (
        str(EXAMPLE / "evidence.csv"),
        5,
        dt.date(2018, 5, 28),
    )
    assert "evidence.csv 5行目" in flag.message_ja


@pytest.mark.parametrize(
    ("as_of", "flagged"),
    [
        (dt.date(2018, 6, 25), {FlagCode.QUERIES_TO_ANSWER, FlagCode.QUERIES_ITEM_NOT_PROVIDED}),
        (dt.date(2018, 7, 3), {FlagCode.QUERIES_TO_REISSUE, FlagCode.QUERIES_OUTSIDE_RULE}),
    ],
)
def test_a_flag_names_its_items_as_data(
    tmp_path: Path, as_of: dt.date, flagged: set[FlagCode]
) -> None:
    """A flag about items carries their numbers, ascending, as its message names them: the
    new delegations, and the items of the requests each queries flag counts (as triaged
    for the agency, provider or querier); here with requests for items 2 and 21 sent to
    鳥取県, which provides only 21."""
    registry = cutover.load_registry(
        EXAMPLE / "agencies.csv", EXAMPLE / "readiness.csv", [EXAMPLE / "evidence.csv"]
    )
    queries = (EXAMPLE / "queries.csv").read_text(encoding="utf-8")
    queries += "QX-1,318035,310000,2,2018-06-22T10:00:00,pending\n"
    queries += "QX-2,318035,310000,2,2018-06-22T11:00:00,pending\n"
    (tmp_path / "queries.csv").write_text(queries, encoding="utf-8")
    findings = load_queries(tmp_path / "queries.csv", timeline(), as_of)
    the_plan = plan(timeline(), registry, as_of, queries=findings)
    by_action = {
        FlagCode.QUERIES_TO_ANSWER: (Action.PROVIDE_BY_CUTOFF, "provider"),
        FlagCode.QUERIES_TO_REISSUE: (Action.WITHDRAW_AND_REISSUE, "querier"),
    }
    seen = set()
    for agency_plan in the_plan.agencies:
        agency = agency_plan.agency
        asked = {r.query.item for r in findings.results if r.query.provider == agency.code}
        for flag in agency_plan.flags:
            if flag.code is FlagCode.NEW_DELEGATION:
                expected = sorted(agency.new_delegations)
            elif flag.code in by_action:
                action, role = by_action[flag.code]
                expected = sorted(
                    {
                        r.query.item
                        for r in findings.results
                        if r.action is action and getattr(r.query, role) == agency.code
                    }
                )
            elif flag.code is FlagCode.QUERIES_ITEM_NOT_PROVIDED:
                expected = sorted(asked - agency.provides)
            elif flag.code is FlagCode.QUERIES_OUTSIDE_RULE:
                expected = sorted(
                    {r.query.item for r in findings.outside if r.query.provider == agency.code}
                )
            else:
                assert flag.items == ()
                continue
            seen.add(flag.code)
            assert list(flag.items) == expected
            for n in flag.items:
                assert f"{n}番" in flag.message_ja
                assert re.search(rf"\b{n}\b", flag.message_en)
            if flag.code is FlagCode.NEW_DELEGATION:
                assert (flag.counts, flag.count) == ((), None)
                continue
            # How many requests of each item, and in all: as the message says them.
            assert dict(flag.item_counts) == _counted(findings, agency, flag.code)
            assert flag.count == sum(flag.counts)
            for n, count in flag.item_counts:
                assert f"{n}番 {count}件" in flag.message_ja
                assert f"item {n}: {count}" in flag.message_en
            if flag.code is not FlagCode.QUERIES_ITEM_NOT_PROVIDED:
                assert f" {flag.count}件" in flag.message_ja
                assert flag.message_en.startswith(f"{flag.count} ")
    assert {FlagCode.NEW_DELEGATION, *flagged} <= seen


def _counted(findings: QueryFindings, agency: Agency, flag: FlagCode) -> dict[int, int]:
    """Return how many requests of each item a queries flag of `agency` counts, as the
    triage has them (an oracle beside the planner's own counting)."""
    code = agency.code
    if flag is FlagCode.QUERIES_OUTSIDE_RULE:
        rows = [r for r in findings.outside if r.query.provider == code]
    elif flag is FlagCode.QUERIES_TO_REISSUE:
        rows = [
            r
            for r in findings.results
            if r.action is Action.WITHDRAW_AND_REISSUE and r.query.querier == code
        ]
    else:
        rows = [r for r in findings.results if r.query.provider == code]
        if flag is FlagCode.QUERIES_TO_ANSWER:
            rows = [r for r in rows if r.action is Action.PROVIDE_BY_CUTOFF]
        else:
            rows = [r for r in rows if r.query.item not in agency.provides]
    return dict(Counter(r.query.item for r in rows))


#: The flags about one evidence row, which their message names (``evidence.csv 4行目``).
ABOUT_A_ROW = frozenset(
    {
        FlagCode.EVIDENCE_UNKNOWN_TASK,
        FlagCode.EVIDENCE_BEFORE_WINDOW,
        FlagCode.EVIDENCE_AFTER_AS_OF,
        FlagCode.EVIDENCE_BEFORE_MODIFICATION,
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry=registries(), as_of=dates(dt.date(2018, 4, 1), dt.date(2018, 8, 31)))
def test_a_flag_names_its_evidence_row_as_data(registry: Registry, as_of: dt.date) -> None:
    """A flag about an evidence row carries that row (`Flag.evidence`): one of the agency's,
    of the flag's task, where the message says it is in both languages; every other flag
    (no log here, so no log line either) carries none."""
    the_plan = plan(timeline(), registry, as_of)
    for agency_plan in the_plan.agencies:
        rows = registry.evidence_of(agency_plan.agency.code)
        for flag in agency_plan.flags:
            if flag.code not in ABOUT_A_ROW:
                assert flag.evidence == ()
                continue
            (row,) = flag.evidence
            assert isinstance(row, Evidence)
            assert row in rows
            assert row.task == flag.task
            assert row.where("ja") in flag.message_ja
            assert row.where("en") in flag.message_en
            if flag.code is FlagCode.EVIDENCE_AFTER_AS_OF:
                assert row.date > as_of
            if flag.code is FlagCode.EVIDENCE_BEFORE_MODIFICATION:
                # (The latest row that counts: the one the task was done by, or after it.)
                done_on = next(t.done_on for t in agency_plan.tasks if t.id == flag.task)
                assert done_on is not None
                assert done_on <= row.date <= as_of


def test_a_flag_names_every_log_line_it_is_about(tmp_path: Path) -> None:
    """The log lines that did not count of a task, and the failed test runs in the window,
    are a flag's `evidence`, all of them: the message names the first three and how many
    more (five registrations of 0 records, each its own day; two failed runs)."""
    registration = tmp_path / "reg.csv"
    registration.write_text(
        "code,item,registered,records\n"
        + "".join(f"312011,2,2018-06-0{day},0\n" for day in range(4, 9)),
        encoding="utf-8",
    )
    test = tmp_path / "test.csv"
    test.write_text(
        "code,tested,result\n312029,2018-06-01,異常\n312029,2018-06-04,NG\n", encoding="utf-8"
    )
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(
        "code,name,kind,test_requested,provides,new_delegations\n"
        "312011,鳥取市,municipality,yes,2 8 21 52,\n"
        "312029,米子市,municipality,yes,2 8 52,\n",
        encoding="utf-8",
    )
    registry = cutover.load_registry(agencies, registration_logs=[registration], test_logs=[test])
    the_plan = plan(timeline(), registry, dt.date(2018, 6, 25))
    flags = {(a.agency.code, f.code): f for a in the_plan.agencies for f in a.flags}
    zero = flags["312011", FlagCode.EVIDENCE_NOT_COUNTED]
    assert zero.evidence == registry.attempts_of("312011")
    assert [(a.line, a.date.day) for a in zero.evidence] == [(n - 2, n) for n in range(4, 9)]
    assert "ほか2件" in zero.message_ja
    assert "; 2 more" in zero.message_en
    for attempt in zero.evidence[:3]:
        assert attempt.where("ja") in zero.message_ja
    assert zero.evidence[3].where("ja") not in zero.message_ja
    failed = flags["312029", FlagCode.TEST_FAILED]
    assert failed.evidence == registry.attempts_of("312029")
    assert [a.line for a in failed.evidence] == [2, 3]
    assert "ほか" not in failed.message_ja


def test_done_late_names_every_failed_run_in_the_window(tmp_path: Path) -> None:
    """A test done after its window, with runs in the window that failed, names the first
    three of those runs and how many more (it named three and said nothing of the fourth),
    and carries all of them as its `evidence`."""
    test = tmp_path / "test.csv"
    failed_days = (21, 22, 23, 24)
    test.write_text(
        "code,tested,result\n"
        + "".join(f"312029,2018-05-{day},異常\n" for day in failed_days)
        + "312029,2018-06-26,正常\n",
        encoding="utf-8",
    )
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(
        "code,name,kind,test_requested,provides,new_delegations\n"
        "312029,米子市,municipality,yes,2 8 52,\n",
        encoding="utf-8",
    )
    registry = cutover.load_registry(agencies, test_logs=[test])
    the_plan = plan(timeline(), registry, dt.date(2018, 6, 27))
    late = next(f for f in the_plan.agencies[0].flags if f.code is FlagCode.DONE_LATE)
    assert [(a.date.day, a.line) for a in late.evidence] == [
        (d, n) for n, d in enumerate(failed_days, 2)
    ]
    assert "ほか1件" in late.message_ja
    assert "; 1 more" in late.message_en
    assert late.evidence[3].where("ja") not in late.message_ja


#: The flags whose `evidence` holds log lines that did not count (`attempts`).
ABOUT_LOG_LINES = frozenset(
    {FlagCode.EVIDENCE_NOT_COUNTED, FlagCode.TEST_FAILED, FlagCode.DONE_LATE}
)


@pytest.mark.parametrize(
    ("page", "starts", "ends"),
    [
        ("json.md", "`evidence` (since 1.4)", "read these instead"),
        ("flags.md", "A flag about modifications", "The mistyped task id above"),
    ],
)
def test_the_docs_name_every_flag_that_carries_evidence(page: str, starts: str, ends: str) -> None:
    """The pages that say which flags fill `evidence` name each of them (a done-late test
    after failed runs in its window carries those runs, which the pages left out)."""
    text = (EXAMPLE.parent.parent / "docs" / page).read_text(encoding="utf-8")
    said = text[text.index(starts) :]
    said = said[: said.index(ends)]
    named = set(re.findall(r"`([a-z-]+)`", said))
    expected = ABOUT_A_ROW | ABOUT_LOG_LINES | {FlagCode.READINESS_DONE_AFTER_AS_OF}
    assert sorted(code.value for code in expected if code.value not in named) == []
