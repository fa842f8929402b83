"""Per-agency plans: the calendar's task templates, made concrete for every agency.

For each agency of the registry, every task template that applies becomes one task per
agency, per business system or per item; each gets its due date (and window) from the
timeline, already moved off closed days, and a status relative to the as-of date:

- ``done`` — evidenced (evidence.csv, dated on or before as-of and not before the
  task's window opened), or, for a system modification, reported ``done`` in readiness.csv;
- ``n/a`` — a system modification the agency reports as not applicable (対象外), or a
  task about the agency's pending queries (§6) when the queries file holds none of them;
- ``unknown`` — a task about the agency's pending queries in a plan made without a queries
  file: §6 asks it only of agencies with such queries, which only that file tells;
- ``overdue`` — the due date has passed;
- ``due-soon`` — due within `DUE_SOON_BUSINESS_DAYS` business days, its window open;
- ``upcoming`` — later, or its window not open yet.

Then the flag rules (`cutover.planning.flags`) look at the tasks and the readiness reports.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable, Sequence

import attrs

from cutover.calendar.model import EFFECTIVE, Event, Recurring, RevisionCalendar, TaskTemplate
from cutover.errors import require_date, require_instance, type_error
from cutover.i18n.text import DataText, Phrase
from cutover.inputs.model import Agency, Attempt, AttemptReason, Evidence, Readiness, Registry
from cutover.jp.closed_days import LAST_YEAR, ClosedDays, OutsideHolidayYears
from cutover.jp.vocabulary import Actor, Kind, Side, Status
from cutover.planning.evidence import (
    _not_counted,
    _unknown_evidence,
    evidence_before_window,
)
from cutover.planning.flags import FLAG_CODES, Flag, FlagCode, attempts_said, done_late_hearing
from cutover.planning.instances import _InstanceCache, _Texts
from cutover.planning.model import (
    DUE_SOON_BUSINESS_DAYS,
    LAPSED_SOURCE,
    AgencyPlan,
    AgencyQueries,
    Plan,
    QueryFindings,
    Task,
    TaskStatus,
)
from cutover.planning.order import before_modification
from cutover.planning.queries import (
    QUERIES_SOURCE,
    _has_queries,
    _items_not_provided,
    _queries_by_agency,
    _query_flags,
)
from cutover.planning.readiness import Modification, as_known, is_not_ready, readiness_flags
from cutover.planning.readiness import modifications as readiness_modifications
from cutover.planning.whatif import compare_plans
from cutover.schedule.timeline import Timeline, build_timeline

__all__ = ["is_not_ready", "obligation_applies", "plan", "with_what_if"]


def plan(
    timeline: Timeline,
    registry: Registry,
    as_of: dt.date,
    *,
    queries: QueryFindings | None = None,
) -> Plan:
    """Return the plan of every agency in `registry`, sorted by code, as of `as_of`.

    With `queries` (the triage of a queries file as of the same date), each agency also
    gets its own queries around the cutoff, as provider and as querier, and their flags.
    With a timeline made with shifts, `Plan.what_if` says what they changed from the plan
    of the declared timeline (as ``--shift`` gives it: `with_what_if`).
    """
    require_instance(timeline, Timeline, "timeline", "common.not-a-timeline")
    require_instance(registry, Registry, "registry", "common.not-a-registry")
    require_date(as_of, "as_of")
    if queries is not None and not isinstance(queries, QueryFindings):
        raise type_error("common.not-query-findings", "queries", queries)
    has_readiness = bool(registry.readiness)
    by_agency = _queries_by_agency(queries) if queries is not None else None
    instances = _InstanceCache(timeline.calendar)
    made_tasks: dict[_MadeKey, _Made] = {}
    modifications = readiness_modifications(timeline.calendar)
    plans = []
    for agency in sorted(registry.agencies, key=lambda a: a.code):
        own = by_agency.get(agency.code, AgencyQueries()) if by_agency is not None else None
        agency_plan = _plan_agency(
            timeline,
            registry,
            agency,
            as_of,
            has_readiness=has_readiness,
            queries=own,
            instances=instances,
            made_tasks=made_tasks,
            modifications=modifications,
        )
        if own is not None:
            flags = (
                *agency_plan.flags,
                *_query_flags(timeline, own),
                *_items_not_provided(agency, own),
            )
            agency_plan = attrs.evolve(
                agency_plan, queries=own, flags=tuple(sorted(flags, key=_flag_order))
            )
        plans.append(agency_plan)
    made = Plan(timeline.calendar, timeline, as_of, tuple(plans), has_readiness, queries)
    return with_what_if(made, registry)


def with_what_if(shifted: Plan, registry: Registry) -> Plan:
    """Return `shifted` with `Plan.what_if` set: what its shifts changed.

    The plan without the shifts is made from the same calendar, registry and as-of date
    (without queries: they change no task's dates). A plan made without shifts, or whose
    what-if is already set, comes back as it is.
    """
    if not shifted.timeline.shifts or shifted.what_if is not None:
        return shifted
    declared = plan(build_timeline(shifted.calendar), registry, shifted.as_of)
    return attrs.evolve(shifted, what_if=compare_plans(declared, shifted))


# --- tasks -------------------------------------------------------------------------------


def obligation_applies(obligation: Recurring, agency: Agency) -> bool:
    """Return True when a recurring obligation (§13) falls on `agency`.

    Obligations of every agency, of providers and of queriers fall on every agency (each
    one provides or queries something); those of the prefecture on prefectures only; those
    of the ministry, the NWS operator and J-LIS on none.
    """
    if obligation.actor is Actor.PREFECTURE:
        return agency.kind is Kind.PREFECTURE
    return obligation.actor in (Actor.EVERY_AGENCY, Actor.PROVIDER, Actor.QUERIER)


#: The statuses of a task whose due date has passed with nothing recorded.
_PAST_DUE = frozenset({TaskStatus.OVERDUE, TaskStatus.AS_NEEDED})


def _status(
    *,
    due: dt.date,
    opens: dt.date | None,
    as_of: dt.date,
    timeline: Timeline,
    done_on: dt.date | None,
    reported_done: bool,
    not_applicable: bool,
    unknown: bool = False,
    optional: bool = False,
) -> TaskStatus:
    if not_applicable:
        return TaskStatus.NOT_APPLICABLE
    if done_on is not None or reported_done:
        return TaskStatus.DONE
    if unknown:
        return TaskStatus.UNKNOWN
    if as_of > due:
        # What the source says to do as needed is not owed: past its date, it was needed or
        # not, and nothing recorded is no lateness.
        return TaskStatus.AS_NEEDED if optional else TaskStatus.OVERDUE
    if opens is not None and as_of < opens:
        # A window that has not opened yet cannot be acted on: not "due soon" however close.
        return TaskStatus.UPCOMING
    # Due soon: due on or before the DUE_SOON_BUSINESS_DAYS-th business day after as-of
    # (two weeks before a Friday deadline is the Friday before), as-of itself not counted.
    if due <= _due_soon_limit(timeline.closed, as_of):
        return TaskStatus.DUE_SOON
    return TaskStatus.UPCOMING


@functools.lru_cache(maxsize=16)
def _due_soon_limit(closed: ClosedDays, as_of: dt.date) -> dt.date:
    """Return the last due date that is "due soon" as of `as_of`.

    Cached: it is the same for every task of a plan (tens of thousands at national scale).
    """
    try:
        return closed.add_business_days(as_of, DUE_SOON_BUSINESS_DAYS)
    except OutsideHolidayYears:
        # Counted past the last year the holiday data covers, where every due date lies.
        return dt.date(LAST_YEAR, 12, 31)


def _plan_agency(
    timeline: Timeline,
    registry: Registry,
    agency: Agency,
    as_of: dt.date,
    *,
    has_readiness: bool,
    queries: AgencyQueries | None = None,
    instances: _InstanceCache,
    made_tasks: dict[_MadeKey, _Made],
    modifications: Sequence[tuple[Side, Sequence[Modification]]],
) -> AgencyPlan:
    calendar = timeline.calendar
    evidence: dict[str, list[Evidence]] = {}
    for row in registry.evidence_of(agency.code):
        evidence.setdefault(row.task, []).append(row)
    readiness: dict[tuple[str, Side], Readiness] = {
        (r.system, r.side): r for r in registry.readiness_of(agency.code)
    }
    attempts = tuple(a for a in registry.attempts_of(agency.code) if a.date <= as_of)
    failed_by_task: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        if attempt.reason is AttemptReason.FAILED_TEST:
            failed_by_task.setdefault(attempt.task, []).append(attempt)
    #: tasks with a failed test run inside their window: run, for §4 (not done)
    failed_runs: set[str] = set()
    tasks: list[Task] = []
    #: the tasks again, with their flags of their own (`_Made`)
    dated: list[_Made] = []
    flags: list[Flag] = []
    for template, found in instances.of_agency(agency):
        # The same for every instance of the template.
        due = timeline[template.due].due
        window = timeline[template.window] if template.window else None
        # Evidence counts from the day the window opens in the source (re-query "on or
        # after 7/1", a Sunday), not from the business day the plan opens it on (7/2).
        opened = window.opening.original if window else None
        opens = window.opening.date if window else None
        side = template.side
        # A task whose purpose ends with an event (a contact plan for the revision
        # weekend) no longer applies once that event is over with the task not done.
        ended = template.until is not None and as_of > timeline[template.until].end
        for texts in found:
            instance = texts.instance
            written = (
                readiness.get((instance.system, side))
                if instance.system is not None and side is not None
                else None
            )
            # (Done on a day after the as-of date: planned for that day, as the §3 rules read it.)
            report = as_known(written, as_of) if written is not None else None
            rows = evidence.get(instance.id, ())
            done_on, source, before_window = _evidence_date(rows, as_of, opened)
            if before_window is not None and window is not None and done_on is None:
                # Only worth saying when no later evidence completes the task anyway.
                flags.append(evidence_before_window(instance.id, before_window, window))
            reported_done = report is not None and report.status is Status.DONE
            if reported_done and not source:
                source = "readiness"
                # The day beside 完了 is the day it was done (evidence's day goes first): a
                # report done after the task's due date is late, as evidence so dated is.
                assert report is not None  # (reported done)
                done_on = report.day
            # With a queries file, a task about the agency's outstanding queries does not
            # apply when it has none (in that role, for that item).
            no_queries = (
                queries is not None
                and template.queries is not None
                and done_on is None
                and not _has_queries(queries, template.queries, instance.item)
            )
            if no_queries:
                source = QUERIES_SOURCE
            lapsed = ended and done_on is None and not reported_done
            if lapsed:
                source = LAPSED_SOURCE
            # Without a queries file, whether the agency has such queries is not known: the
            # task is neither owed (no overdue warning for a query it may never have had)
            # nor ruled out.
            unknown = queries is None and template.queries is not None and done_on is None
            status = _status(
                due=due.date,
                opens=opens,
                as_of=as_of,
                timeline=timeline,
                done_on=done_on,
                reported_done=reported_done,
                not_applicable=(report is not None and report.status is Status.NOT_APPLICABLE)
                or no_queries
                or lapsed,
                unknown=unknown,
                optional=template.optional,
            )
            # §3: a report that the work will not be done in time (not started, or planned
            # after the due date) makes a task not due yet "late-expected", not on track.
            late_report = (
                report
                if report is not None
                and status in (TaskStatus.DUE_SOON, TaskStatus.UPCOMING)
                and _will_be_late(report, due.original)
                else None
            )
            if late_report is not None:
                status = TaskStatus.LATE_EXPECTED
            # Agencies in the same state share one task (frozen): made once per plan.
            key = (texts, status, done_on, source, late_report)
            made = made_tasks.get(key)
            if made is None:
                made = made_tasks[key] = _made(timeline, template, texts, as_of, *key[1:])
            task = made.task
            tasks.append(task)
            dated.append(made)
            # (A task done late may have had a test run in its window that failed: run,
            # for §4, so no hearing for its lateness.)
            failed = (
                _failed_in_window(failed_by_task.get(instance.id, ()), task)
                if failed_by_task and (status is not TaskStatus.DONE or task.done_late)
                else ()
            )
            if failed:
                failed_runs.add(task.id)
                flags.extend(_task_flags(task, as_of, failed))
            else:
                flags.extend(made.flags)
            if rows and status not in _SETTLED:
                later = _after_as_of(rows, as_of)
                if later is not None:
                    # Not yet known as of that date, or a slip of the era or year (令和元年
                    # for 平成30年): either way the reader must see why the task is not done.
                    flags.append(_evidence_after_as_of(task, later, as_of))
    flags.extend(before_modification(tasks, evidence, as_of))
    not_ready = list(
        readiness_flags(
            calendar,
            modifications,
            readiness,
            effective=timeline.effective,
            as_of=as_of,
            has_readiness=has_readiness,
            done={t.id for t in tasks if t.status is TaskStatus.DONE},
        )
    )
    # A modification reported not ready gets that flag (error or warning, from the §3
    # rule) and not a second, overdue one for the same task with the same remedies.
    # (A planned day passed is no such report: the task's own due date may have passed too.)
    unreported = (
        FlagCode.READINESS_UNKNOWN,
        FlagCode.READINESS_PLAN_PASSED,
        FlagCode.READINESS_DONE_AFTER_AS_OF,
    )
    reported = {f.task for f in not_ready if f.code not in unreported}
    flags = [f for f in flags if not (f.code is FlagCode.TASK_OVERDUE and f.task in reported)]
    flags.extend(not_ready)
    known = {t.id for t in tasks}
    flags.extend(_unknown_evidence(evidence, known, calendar, agency, attempts))
    flags.extend(_not_counted(attempts, tasks, reported=failed_runs))
    flags.extend(_date_flags(dated))
    if agency.new_delegations:
        flags.append(_new_delegation(calendar, agency))
    return AgencyPlan(
        agency=agency,
        tasks=tuple(tasks),
        flags=tuple(sorted(flags, key=_flag_order)),
        readiness=tuple(sorted(readiness.values(), key=operator.attrgetter("side", "system"))),
        attempts=attempts,
    )


#: What a task depends on besides the plan (timeline, as-of date): its instance, status,
#: evidence date, status source and the report that makes it late-expected.
_MadeKey = tuple[_Texts, TaskStatus, dt.date | None, str, Readiness | None]


@attrs.frozen
class _Made:
    """A task as every agency in the same state shares it, with the flags it raises on its
    own: `_task_flags` without failed test runs, and those of its due date (`_date_flags`)."""

    task: Task
    flags: tuple[Flag, ...]
    dated: tuple[Flag, ...]


def _made(
    timeline: Timeline,
    template: TaskTemplate,
    texts: _Texts,
    as_of: dt.date,
    status: TaskStatus,
    done_on: dt.date | None,
    source: str,
    late_report: Readiness | None,
) -> _Made:
    """Return the task of `texts` in this state, with its flags of its own."""
    instance = texts.instance
    due_event = timeline[template.due]
    window = timeline[template.window] if template.window else None
    # (A due date worked out from an assumed one is assumed: `ScheduledEvent.assumed_from`.)
    assumed = due_event.assumed_from
    task = Task(
        id=instance.id,
        template=template,
        title_ja=texts.title_ja,
        title_en=texts.title_en,
        detail_ja=texts.detail_ja,
        detail_en=texts.detail_en,
        notes_ja=instance.notes_ja,
        notes_en=instance.notes_en,
        first_ja=instance.first.note_ja,
        first_en=instance.first.note_en,
        first=instance.first.ids,
        first_assumed=instance.first.assumed,
        system=instance.system,
        item=instance.item,
        due=due_event.due,
        start=window.opening if window else None,
        status=status,
        done_on=done_on,
        status_source=source,
        assumption=assumed.assumption if assumed else None,
        assumption_en=assumed.assumption_en if assumed else None,
        too_late=status in _PAST_DUE and as_of > due_event.due.original,
        may_still_be_due=assumed is not None
        and not (_before_revision(due_event.event) and timeline.effective <= as_of),
        reported=late_report,
    )
    # (The flags of a due date are only ever asked of a task not settled.)
    dated = () if status in _SETTLED else tuple(_task_date_flags(task))
    return _Made(task, tuple(_task_flags(task, as_of)), dated)


def _before_revision(event: Event) -> bool:
    """Return True when `event` is declared to end before the revision takes effect."""
    return any(dependency.event == EFFECTIVE for dependency in event.before)


def _will_be_late(report: Readiness, due: dt.date) -> bool:
    """Return True when a readiness report says its task will not be done by `due` (the due
    date as written): not started, or planned after it (or planned with no date)."""
    if report.status is Status.NOT_STARTED:
        return True
    return report.status is Status.PLANNED and (report.day is None or report.day > due)


#: The order of evidence rows: by date, then line (a C call, not a lambda: tens of
#: thousands of rows at national scale).
_ROW_ORDER = operator.attrgetter("date", "line")


def _evidence_date(
    rows: Sequence[Evidence], as_of: dt.date, window_opens: dt.date | None
) -> tuple[dt.date | None, str, Evidence | None]:
    """Return the first valid evidence date, its detail, and evidence that came too early."""
    if not rows:
        return None, "", None
    counted = [r for r in rows if r.date <= as_of]
    counted.sort(key=_ROW_ORDER)
    too_early = None
    for row in counted:
        if window_opens is not None and row.date < window_opens:
            too_early = row
            continue
        return row.date, row.detail or "evidence", too_early
    return None, "", too_early


def _after_as_of(rows: Sequence[Evidence], as_of: dt.date) -> Evidence | None:
    """Return the earliest evidence row dated after `as_of`, if there is one."""
    if not rows:
        return None
    return min((r for r in rows if r.date > as_of), key=_ROW_ORDER, default=None)


# --- flags -------------------------------------------------------------------------------


def _flag_order(flag: Flag) -> tuple[int, str, str]:
    rank, code = _CODE_ORDER[flag.code]
    return (rank, code, flag.task or "")


#: Each code's place in an agency's flags: the worst first, then by code (worked out once,
#: not for each of tens of thousands of flags).
_CODE_ORDER = {code: (-FLAG_CODES[code].rank, code.value) for code in FlagCode}


def _title(task: Task) -> DataText:
    """Return the task's title, as a flag's message quotes it."""
    return DataText(task.title_ja, task.title_en)


def _given(task: Task) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the calendar's remedies of `task` in both languages (once too late, the
    template's `remedies_too_late_*`)."""
    return task.given_remedies("ja"), task.given_remedies("en")


def _failed_in_window(attempts: Sequence[Attempt], task: Task) -> tuple[Attempt, ...]:
    """Return the failed test runs of `task` dated inside its window (as declared: from its
    opening to its end, closed days included)."""
    opens = task.start.original if task.start is not None else None
    return tuple(
        a for a in attempts if (opens is None or a.date >= opens) and a.date <= task.due.original
    )


def _task_flags(task: Task, as_of: dt.date, failed: Sequence[Attempt] = ()) -> Iterable[Flag]:
    template = task.template
    # The due date a plan gives is the last business day; a window whose declared end is a
    # closed day (6/30, a Saturday) is still open until that day ends. A hearing is for
    # agencies that missed the window itself, and work inside it is not late.
    window_over = as_of > task.due.original
    if failed and task.status not in _SETTLED:
        # §4 hears from 「試験を実施していない機関」: a test run in the window that failed was
        # run. It is no hearing candidate, but the test did not succeed: find the cause and
        # test again (inside the window, or at a chance J-LIS announces after it).
        yield Flag.of(
            FlagCode.TEST_FAILED,
            task=task.id,
            section=template.section,
            advice=(
                Phrase.of("plan.find-test-failure-cause"),
                Phrase.of("plan.test-again-after-window" if window_over else "plan.test-again"),
            ),
            title=_title(task),
            attempts=failed,
        )
    elif task.status is TaskStatus.OVERDUE and template.hearing and window_over:
        # An end the calendar assumes (the test window is J-LIS's to announce) makes a
        # warning: the real window may not be over, and an assumption is no ground for an error.
        yield Flag.of(
            FlagCode.HEARING_CANDIDATE_ASSUMED if task.assumption else FlagCode.HEARING_CANDIDATE,
            task=task.id,
            section=template.section,
            advice=task.advice,
            given=_given(task),
            title=_title(task),
            due=task.due.date,
            notes=DataText(
                "".join(task.notes_ja),
                "".join(f"{note} " for note in task.notes_en),
            ),
            hearing=_hearing(template),
        )
    elif task.status is TaskStatus.OVERDUE:
        yield Flag.of(
            FlagCode.TASK_OVERDUE,
            task=task.id,
            section=template.section,
            advice=task.advice,
            given=_given(task),
            title=_title(task),
            due=task.overdue_since(as_of),
        )
    if task.done_late:
        yield Flag.of(
            FlagCode.DONE_LATE,
            task=task.id,
            section=template.section,
            title=_title(task),
            due=task.due.date,
            done=task.done_on,
            hearing=_late_hearing(task, failed),
            # (The failed runs in the window, which the message names, as data too.)
            attempts=failed,
        )


def _late_hearing(task: Task, failed: Sequence[Attempt]) -> Phrase | str:
    """Return what a done-late flag adds: done, but not in the window whose logs the ministry
    reads (§4, §5), so it may hear from the agency all the same, as the hearings list has it
    (`heard_late`) — if the real window was over by then, when its end is assumed; nothing
    after a test run in the window that failed (§4 hears from agencies that ran none)."""
    if failed:
        return Phrase.of("plan.done-late-run-in-window", **attempts_said(failed))
    if not task.hearing:
        return ""
    code = done_late_hearing(assumed=bool(task.assumption))
    return Phrase.of(code, hearing=_hearing(task.template))


def _hearing(template: TaskTemplate) -> DataText | Phrase:
    """Return what the ministry may do about a hearing task, as the source says it for it."""
    if template.hearing_ja:
        return DataText(template.hearing_ja, template.hearing_en)
    return Phrase.of("plan.hearing-by-ministry")


def _evidence_after_as_of(task: Task, row: Evidence, as_of: dt.date) -> Flag:
    if row.date <= task.due.original:
        then = Phrase.of("plan.then-counts-from-as-of")
    else:
        # Past the due date: that record would make the task done late, never on time.
        then = Phrase.of("plan.then-late", due=task.due.original)
    return Flag.of(
        FlagCode.EVIDENCE_AFTER_AS_OF,
        task=task.id,
        section=task.section,
        advice=(
            Phrase.of("plan.check-log-as-of" if row.log else "plan.correct-mistyped-date"),
            then,
        ),
        title=_title(task),
        date=row.date,
        row=row,
        as_of=as_of,
    )


#: The statuses of a task whose due date no longer matters (`_date_flags`).
_SETTLED = frozenset({TaskStatus.DONE, TaskStatus.NOT_APPLICABLE})


def _date_flags(made: Iterable[_Made]) -> Iterable[Flag]:
    """Yield the flags of the due dates of an agency's tasks not done (a date moved off a
    closed day, a date the calendar assumes), once per date: the first task due on it."""
    seen: set[tuple[str, dt.date]] = set()
    for entry in made:
        task = entry.task
        if task.status in _SETTLED:
            continue
        key = (task.template.due, task.due.date)
        if key in seen:
            continue
        seen.add(key)
        yield from entry.dated


def _task_date_flags(task: Task) -> Iterable[Flag]:
    """Yield the flags of `task`'s due date, as `_date_flags` gives them."""
    if task.due.moved and task.due.closure is not None:
        closure = task.due.closure
        yield Flag.of(
            FlagCode.DEADLINE_MOVED,
            task=task.id,
            original=task.due.original,
            closure=DataText(closure.ja, closure.en),
            due=task.due.date,
        )
    if task.assumption:
        yield Flag.of(
            FlagCode.ASSUMED_DATE,
            task=task.id,
            advice=(Phrase.of("plan.confirm-assumed-date"),),
            title=_title(task),
            due=task.due.date,
            assumption=DataText(task.assumption, task.assumption_in("en") or ""),
        )


def _new_delegation(calendar: RevisionCalendar, agency: Agency) -> Flag:
    return Flag.of(
        FlagCode.NEW_DELEGATION,
        section="§5",
        advice=(Phrase.of("plan.register-delegated-items"),),
        items=agency.new_delegations,
    )
