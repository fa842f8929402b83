"""Per-agency plans: the calendar's task templates, made concrete for every agency.

For each agency of the registry, every task template that applies becomes one task per
agency, per business system or per item; each gets its due date (and window) from the
timeline, already moved off closed days, and a status relative to the as-of date:

- ``done`` — evidenced (evidence.csv, dated on or before as-of and not before the
  task's window opened), or, for a system modification, reported ``done`` in readiness.csv;
- ``n/a`` — a system modification the agency reports as not applicable (対象外);
- ``overdue`` — the due date has passed;
- ``due-soon`` — due within `DUE_SOON_BUSINESS_DAYS` business days, its window open;
- ``upcoming`` — later, or its window not open yet.

Then the flag rules (`cutover.flags`) look at the tasks and the readiness reports.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from cutover.businessdays import Adjustment, ClosedDays
from cutover.calendar import Recurring, RevisedItem, RevisionCalendar, TaskTemplate
from cutover.domain import Actor, Kind, Side, Status, system_by_id
from cutover.errors import CutoverError, Problem, did_you_mean
from cutover.flags import Flag, FlagCode
from cutover.logs import Attempt, AttemptReason
from cutover.registry import Agency, Evidence, Readiness, Registry
from cutover.render.text import format_day
from cutover.timeline import Timeline
from cutover.triage import Action, CutoffRule, Duplicate, TriageCounts, TriageResult, triage_file

if TYPE_CHECKING:
    from cutover.whatif import PlanChanges

__all__ = [
    "DUE_SOON_BUSINESS_DAYS",
    "AgencyPlan",
    "AgencyQueries",
    "Plan",
    "QueryFindings",
    "Task",
    "TaskStatus",
    "is_not_ready",
    "obligation_applies",
    "plan",
    "uncounted_evidence",
]

#: A task due within this many business days of the as-of date is "due soon" (two weeks).
DUE_SOON_BUSINESS_DAYS = 10


class TaskStatus(enum.StrEnum):
    """Where a task stands on the as-of date."""

    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    UPCOMING = "upcoming"
    NOT_APPLICABLE = "n/a"

    @property
    def ja(self) -> str:
        """Return the Japanese name of the status."""
        return _STATUS_JA[self]


_STATUS_JA = {
    TaskStatus.DONE: "完了",
    TaskStatus.OVERDUE: "期限超過",
    TaskStatus.DUE_SOON: "期限間近",
    TaskStatus.UPCOMING: "予定",
    TaskStatus.NOT_APPLICABLE: "対象外",
}


_ASSUMED_PASSED_JA = (
    "※過ぎた期限は資料に日付がなく仮定したもの。J-LIS・総務省から示された期限（期間）がまだ"
    "過ぎていなければ、その期限までに行う。"
)
_ASSUMED_PASSED_EN = (
    "※ The date that passed is an assumption, not the source's: if the date (or window) "
    "J-LIS or the ministry gave has not passed, do it by then."
)


@attrs.frozen
class Task:
    """One thing one agency must do, with its dates, status and what proves it done."""

    #: the instance id evidence.csv uses: ``register:2``, ``modify-query:local-tax``
    id: str
    template: TaskTemplate
    title_ja: str
    title_en: str
    detail_ja: str
    detail_en: str
    #: extra lines: past data included (retroactive items), new delegation
    notes_ja: tuple[str, ...]
    notes_en: tuple[str, ...]
    system: str | None
    item: int | None
    #: the due date, moved to the previous business day when it fell on a closed day
    due: Adjustment
    #: the window's opening, moved to the next business day when closed (windowed tasks)
    start: Adjustment | None
    status: TaskStatus
    done_on: dt.date | None
    #: where the status comes from: the evidence detail, or the readiness report
    status_source: str
    #: the calendar's assumption behind the due date, when the source gives none
    assumption: str | None
    assumption_en: str | None = None
    #: not done and its due date, as written (6/30, not the 6/29 it moves to), has passed
    too_late: bool = False
    #: too late by a date the calendar assumes (the source gives none) while the real date
    #: may not have passed: a task due before the revision cannot be, once it has come
    may_still_be_due: bool = False

    def remedies(self, lang: str) -> tuple[str, ...]:
        """Return what to do about the task not being done, in `lang`: once it is too late,
        the template's `remedies_too_late_*` when it has them."""
        template = self.template
        if lang == "en":
            late, usual = template.remedies_too_late_en, template.remedies_en
        else:
            late, usual = template.remedies_too_late_ja, template.remedies_ja
        if not (self.too_late and late):
            return usual
        if self.may_still_be_due:
            # The date that passed is the calendar's guess (the test window is J-LIS's to
            # give): the task may still be due, and must not be given up on.
            return (_ASSUMED_PASSED_EN if lang == "en" else _ASSUMED_PASSED_JA, *late)
        return late

    def assumption_in(self, lang: str) -> str | None:
        """Return the assumption behind the due date in `lang`, if there is one."""
        if lang == "en" and self.assumption_en:
            return self.assumption_en
        return self.assumption

    @property
    def section(self) -> str:
        """Return the source section of the task."""
        return self.template.section

    @property
    def hearing(self) -> bool:
        """Return True when the ministry follows up agencies that miss this task."""
        return self.template.hearing


@attrs.frozen
class QueryFindings:
    """The triage of a queries file, for the plan: its counts and the rows needing action."""

    counts: TriageCounts
    #: the rows whose action is not ``none``, in input order
    results: tuple[TriageResult, ...]
    #: the rows that could not be read, with their lines and reasons
    rejected: tuple[Problem, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    #: open requests for cutoff items dated far after the as-of date, and the first's line
    #: (`TriageReport.far_future_rows`)
    far_future: tuple[int, int | None] = (0, None)


def cutoff_rule(timeline: Timeline) -> CutoffRule:
    """Return the timeline's provision cutoff rule, or raise when its calendar has none."""
    rule = timeline.cutoff_dates()
    if rule is not None:
        return rule
    spec = timeline.calendar.cutoff
    if spec is None:
        raise CutoverError(
            f"calendar {timeline.calendar.id} has no [cutoff] rule, so queries cannot be triaged",
            fix="use a calendar with a [cutoff] table (docs/calendar-format.md)",
            file=timeline.calendar.source_file or None,
        )
    last = timeline[spec.last_provision].end
    effective = timeline[spec.requery_from].start
    raise CutoverError(
        f"the cutoff's last provision day {last.isoformat()} ({spec.last_provision}) is not "
        f"before the day queries are re-issued from, {effective.isoformat()} "
        f"({spec.requery_from})",
        fix="undo the --shift that moved it, or correct the calendar's dates",
        file=timeline.calendar.source_file or None,
    )


def load_queries(path: str | Path, timeline: Timeline, as_of: dt.date) -> QueryFindings:
    """Return the triage of a queries file against the timeline's cutoff, as of `as_of`."""
    results: list[TriageResult] = []
    with triage_file(path, cutoff_rule(timeline), as_of, on_action=results.append) as report:
        return QueryFindings(
            counts=report.counts,
            results=tuple(results),
            rejected=tuple(report.rejected),
            duplicates=tuple(report.duplicates),
            far_future=report.far_future_rows,
        )


@attrs.frozen
class AgencyQueries:
    """One agency's queries around the cutoff (§6), seen as provider and as querier."""

    #: as provider: requests received by the cutoff, to answer by it
    to_answer: tuple[TriageResult, ...] = ()
    #: as querier: queries waiting for an answer; withdraw and re-issue if none comes
    awaiting: tuple[TriageResult, ...] = ()
    #: as querier: queries that can no longer be answered: withdraw and re-issue
    to_reissue: tuple[TriageResult, ...] = ()
    #: as provider: requests that can no longer be answered (the querier re-issues them)
    unanswerable: tuple[TriageResult, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.to_answer or self.awaiting or self.to_reissue or self.unanswerable)


@attrs.frozen
class AgencyPlan:
    """One agency's tasks and flags, sorted as they appear in its checklist."""

    agency: Agency
    tasks: tuple[Task, ...]
    flags: tuple[Flag, ...]
    readiness: tuple[Readiness, ...]
    #: its queries around the cutoff, when a queries file was given
    queries: AgencyQueries | None = None
    #: log lines dated on or before as-of that did not count as evidence (`cutover.logs`)
    attempts: tuple[Attempt, ...] = ()

    @property
    def applicable(self) -> tuple[Task, ...]:
        """Return the tasks that apply (every status but n/a)."""
        return tuple(t for t in self.tasks if t.status is not TaskStatus.NOT_APPLICABLE)

    @property
    def done(self) -> int:
        """Return how many applicable tasks are done."""
        return sum(1 for t in self.tasks if t.status is TaskStatus.DONE)


@attrs.frozen
class Plan:
    """Every agency's plan for one revision, as of one date."""

    calendar: RevisionCalendar
    timeline: Timeline
    as_of: dt.date
    agencies: tuple[AgencyPlan, ...]
    #: whether readiness.csv was given (without it, readiness is not judged)
    has_readiness: bool
    #: the triage of the queries file, when one was given
    queries: QueryFindings | None = None
    #: with ``--shift``: what the shifts changed from the plan without them
    #: (`cutover.whatif.with_what_if`); None for a plan of the declared timeline
    what_if: PlanChanges | None = None

    def agency(self, code: str) -> AgencyPlan:
        """Return the plan of the agency with this code."""
        for agency_plan in self.agencies:
            if agency_plan.agency.code == code:
                return agency_plan
        raise KeyError(code)


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
    """
    has_readiness = bool(registry.readiness)
    by_agency = _queries_by_agency(queries) if queries is not None else None
    plans = []
    for agency in sorted(registry.agencies, key=lambda a: a.code):
        own = by_agency.get(agency.code, AgencyQueries()) if by_agency is not None else None
        agency_plan = _plan_agency(
            timeline, registry, agency, as_of, has_readiness=has_readiness, queries=own
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
    return Plan(timeline.calendar, timeline, as_of, tuple(plans), has_readiness, queries)


#: `Task.status_source` of a task that does not apply because the queries file holds no
#: query of the agency's for it.
QUERIES_SOURCE = "queries"


def _has_queries(own: AgencyQueries, role: str, item: int | None) -> bool:
    """Return True when the agency has outstanding queries in `role` (for `item`, if any)."""
    rows = (
        (*own.to_answer, *own.unanswerable)
        if role == "provider"
        else (*own.awaiting, *own.to_reissue)
    )
    return any(item is None or r.query.item == item for r in rows)


def _queries_by_agency(findings: QueryFindings) -> dict[str, AgencyQueries]:
    lists: dict[str, dict[str, list[TriageResult]]] = {}
    for result in findings.results:
        query = result.query
        if result.action is Action.PROVIDE_BY_CUTOFF:
            lists.setdefault(query.provider, {}).setdefault("to_answer", []).append(result)
            lists.setdefault(query.querier, {}).setdefault("awaiting", []).append(result)
        elif result.action is Action.WITHDRAW_AND_REISSUE:
            lists.setdefault(query.querier, {}).setdefault("to_reissue", []).append(result)
            lists.setdefault(query.provider, {}).setdefault("unanswerable", []).append(result)
    return {
        code: AgencyQueries(**{name: tuple(rows) for name, rows in found.items()})
        for code, found in lists.items()
    }


def _items_not_provided(agency: Agency, own: AgencyQueries) -> Iterable[Flag]:
    """Yield one flag when the queries file asks the agency, as provider, for items that
    agencies.csv says it does not provide: its registry row lacks them (and so its tasks
    for them), or the requests went to the wrong agency. Either way someone must look."""
    asked = Counter(r.query.item for r in (*own.to_answer, *own.unanswerable))
    missing = {item: n for item, n in sorted(asked.items()) if item not in agency.provides}
    if not missing:
        return
    listed_ja = "、".join(f"{item}番 {n}件" for item, n in missing.items())
    listed_en = ", ".join(f"item {item}: {n}" for item, n in missing.items())
    items = "・".join(str(i) for i in missing)
    yield Flag(
        FlagCode.QUERIES_ITEM_NOT_PROVIDED,
        f"照会ファイルに、登録簿で提供しないとされている特定個人情報の提供の求めがある（{listed_ja}）。",
        f"The queries file holds requests to this agency for items agencies.csv says it does "
        f"not provide ({listed_en}).",
        (
            f"提供しているなら agencies.csv の provides に{items}を加える（作業も加わる）。",
            "提供していないなら、照会ファイルの提供者コードを確かめる。",
        ),
        (
            f"If it provides them, add {items.replace('・', ', ')} to provides in agencies.csv "
            "(their tasks follow).",
            "If not, check the provider codes in the queries file.",
        ),
        None,
        "§6",
    )


def _query_flags(timeline: Timeline, own: AgencyQueries) -> Iterable[Flag]:
    rule = timeline.cutoff_dates()
    if rule is None:
        return
    if own.to_answer:
        items, items_en = _count_items(own.to_answer, "ja"), _count_items(own.to_answer, "en")
        # A request received on a closed cutoff day (Sat 6/30) is due that day itself.
        same_day = [r for r in own.to_answer if r.due != rule.answer_by]
        last_ja, last_en = _ja(rule.last_provision), _en(rule.last_provision)
        same_day_ja = f"。{last_ja}当日に受けた{len(same_day)}件は当日中" if same_day else ""
        same_day_en = (
            f"; the {len(same_day)} received on {last_en} itself, that day" if same_day else ""
        )
        yield Flag(
            FlagCode.QUERIES_TO_ANSWER,
            f"{last_ja}以前に受けた提供の求め {len(own.to_answer)}件"
            f"（{items}）に、{_ja(rule.answer_by)}までに情報提供する"
            f"（一時入力を含む{same_day_ja}）。",
            f"{len(own.to_answer)} request(s) received by {last_en} ({items_en}) to answer by "
            f"{_en(rule.answer_by)} (temporary input included{same_day_en}).",
            (
                "期限までに情報提供する。照会者から問合せがあれば、提供時期の目安又は事由を説明する。",
            ),
            ("Answer by the cutoff; tell queriers who ask when, or why not.",),
            section=rule.section,
        )
    if own.to_reissue:
        items, items_en = _count_items(own.to_reissue, "ja"), _count_items(own.to_reissue, "en")
        yield Flag(
            FlagCode.QUERIES_TO_REISSUE,
            f"{_ja(rule.last_provision)}までに提供されなかった照会 {len(own.to_reissue)}件"
            f"（{items}）は、もう提供されない。取りやめて{_ja(rule.reissue_from)}以降に"
            "再照会する。",
            f"{len(own.to_reissue)} query(ies) ({items_en}) not answered by "
            f"{_en(rule.last_provision)} can no longer be answered: withdraw them and "
            f"re-issue them from {_en(rule.reissue_from)}.",
            ("照会を取りやめ、新版のレイアウトで再照会する。",),
            ("Withdraw the queries and query again in the new layout.",),
            section=rule.section,
        )


def _count_items(results: Sequence[TriageResult], lang: str) -> str:
    counts: dict[int, int] = {}
    for result in results:
        counts[result.query.item] = counts.get(result.query.item, 0) + 1
    if lang == "en":
        return ", ".join(f"item {item}: {n}" for item, n in sorted(counts.items()))
    return "、".join(f"{item}番 {n}件" for item, n in sorted(counts.items()))


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


def _applies(template: TaskTemplate, agency: Agency) -> bool:
    when = template.when
    if agency.kind not in when.kinds:
        return False
    if when.test_requested is not None and agency.test_requested != when.test_requested:
        return False
    if when.provides is not None and not (agency.provides & when.provides):
        return False
    return not (
        when.new_delegation is not None and bool(agency.new_delegations) != when.new_delegation
    )


def _items_for(template: TaskTemplate, calendar: RevisionCalendar, agency: Agency) -> list[int]:
    revised = {item.number: item for item in calendar.items}
    if template.items == "cutoff":
        cutoff = calendar.cutoff.items if calendar.cutoff else frozenset()
        chosen = set(agency.provides & cutoff)
    elif template.items == "revised":
        chosen = {n for n in agency.provides if n in revised}
    else:
        # §5: every revised item that needs registration, plus every item newly delegated.
        chosen = {n for n in agency.provides if n in revised and revised[n].registration_required}
        chosen |= agency.new_delegations
    return sorted(chosen)


def _item_names(number: int, item: RevisedItem | None) -> tuple[str, str]:
    if item is None:
        return "新たな委任受任分", "new delegation"
    return item.short_ja, item.short_en


@attrs.frozen
class _Instance:
    id: str
    system: str | None
    item: int | None
    fields: Mapping[str, str]
    notes_ja: tuple[str, ...]
    notes_en: tuple[str, ...]


def _instances(
    template: TaskTemplate, calendar: RevisionCalendar, agency: Agency
) -> list[_Instance]:
    if template.per == "once":
        return [_Instance(template.id, None, None, {}, (), ())]
    if template.per == "system":
        found = []
        for system_id in calendar.revision.systems:
            system = system_by_id(system_id)
            fields = {"system": system.id, "system_ja": system.ja, "system_en": system.en}
            found.append(_Instance(f"{template.id}:{system.id}", system.id, None, fields, (), ()))
        return found
    found = []
    for number in _items_for(template, calendar, agency):
        item = calendar.item(number)
        name_ja, name_en = _item_names(number, item)
        notes_ja: list[str] = []
        notes_en: list[str] = []
        if item is not None and item.retroactive and template.retroactive_ja:
            notes_ja.append(template.retroactive_ja)
            notes_en.append(template.retroactive_en)
        if number in agency.new_delegations and template.delegation_ja:
            notes_ja.append(template.delegation_ja)
            notes_en.append(template.delegation_en)
        fields = {"item": str(number), "item_ja": name_ja, "item_en": name_en}
        found.append(
            _Instance(
                f"{template.id}:{number}", None, number, fields, tuple(notes_ja), tuple(notes_en)
            )
        )
    return found


def _status(
    *,
    due: dt.date,
    opens: dt.date | None,
    as_of: dt.date,
    timeline: Timeline,
    done_on: dt.date | None,
    reported_done: bool,
    not_applicable: bool,
) -> TaskStatus:
    if not_applicable:
        return TaskStatus.NOT_APPLICABLE
    if done_on is not None or reported_done:
        return TaskStatus.DONE
    if as_of > due:
        return TaskStatus.OVERDUE
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
    return closed.add_business_days(as_of, DUE_SOON_BUSINESS_DAYS)


def _plan_agency(
    timeline: Timeline,
    registry: Registry,
    agency: Agency,
    as_of: dt.date,
    *,
    has_readiness: bool,
    queries: AgencyQueries | None = None,
) -> AgencyPlan:
    calendar = timeline.calendar
    evidence: dict[str, list[Evidence]] = {}
    for row in registry.evidence_of(agency.code):
        evidence.setdefault(row.task, []).append(row)
    readiness: dict[tuple[str, Side], Readiness] = {
        (r.system, r.side): r for r in registry.readiness_of(agency.code)
    }
    tasks: list[Task] = []
    flags: list[Flag] = []
    for template in calendar.tasks:
        if not _applies(template, agency):
            continue
        due_event = timeline[template.due]
        window = timeline[template.window] if template.window else None
        for instance in _instances(template, calendar, agency):
            report = (
                readiness.get((instance.system, template.side))
                if instance.system is not None and template.side is not None
                else None
            )
            # Evidence counts from the day the window opens in the source (re-query "on or
            # after 7/1", a Sunday), not from the business day the plan opens it on (7/2).
            opened = window.opening.original if window else None
            done_on, source, before_window = _evidence_date(
                evidence.get(instance.id, ()), as_of, opened
            )
            if before_window is not None and opened is not None and done_on is None:
                # Only worth saying when no later evidence completes the task anyway.
                flags.append(_evidence_before_window(instance.id, before_window, opened))
            reported_done = report is not None and report.status is Status.DONE
            if reported_done and not source:
                source = "readiness"
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
            status = _status(
                due=due_event.due.date,
                opens=window.opening.date if window else None,
                as_of=as_of,
                timeline=timeline,
                done_on=done_on,
                reported_done=reported_done,
                not_applicable=(report is not None and report.status is Status.NOT_APPLICABLE)
                or no_queries,
            )
            task = Task(
                id=instance.id,
                template=template,
                title_ja=template.title_ja.format_map(instance.fields),
                title_en=template.title_en.format_map(instance.fields),
                detail_ja=template.detail_ja.format_map(instance.fields),
                detail_en=template.detail_en.format_map(instance.fields),
                notes_ja=instance.notes_ja,
                notes_en=instance.notes_en,
                system=instance.system,
                item=instance.item,
                due=due_event.due,
                start=window.opening if window else None,
                status=status,
                done_on=done_on,
                status_source=source,
                assumption=due_event.event.assumption,
                assumption_en=due_event.event.assumption_en,
                too_late=status is TaskStatus.OVERDUE and as_of > due_event.due.original,
                may_still_be_due=(
                    due_event.event.assumption is not None
                    and not (due_event.due.original < calendar.revision.effective <= as_of)
                ),
            )
            tasks.append(task)
            flags.extend(_task_flags(task, as_of))
            later = _after_as_of(evidence.get(instance.id, ()), as_of)
            if later is not None and status not in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE):
                # Not yet known as of that date, or a slip of the era or year (令和元年 for
                # 平成30年): either way the reader must see why the task is not done.
                flags.append(_evidence_after_as_of(task, later, as_of))
    not_ready = list(
        _readiness_flags(
            calendar,
            agency,
            readiness,
            as_of=as_of,
            has_readiness=has_readiness,
            done={t.id for t in tasks if t.status is TaskStatus.DONE},
        )
    )
    # A modification reported not ready gets that flag (error or warning, from the §3
    # rule) and not a second, overdue one for the same task with the same remedies.
    reported = {f.task for f in not_ready if f.code is not FlagCode.READINESS_UNKNOWN}
    flags = [f for f in flags if not (f.code is FlagCode.TASK_OVERDUE and f.task in reported)]
    flags.extend(not_ready)
    flags.extend(_unknown_evidence(evidence, {t.id for t in tasks}, calendar, agency))
    attempts = tuple(a for a in registry.attempts_of(agency.code) if a.date <= as_of)
    flags.extend(_not_counted(attempts, tasks))
    flags.extend(_date_flags(tasks))
    if agency.new_delegations:
        flags.append(_new_delegation(calendar, agency))
    return AgencyPlan(
        agency=agency,
        tasks=tuple(tasks),
        flags=tuple(sorted(flags, key=_flag_order)),
        readiness=tuple(sorted(readiness.values(), key=lambda r: (r.side, r.system))),
        attempts=attempts,
    )


def _evidence_date(
    rows: Sequence[Evidence], as_of: dt.date, window_opens: dt.date | None
) -> tuple[dt.date | None, str, Evidence | None]:
    """Return the first valid evidence date, its detail, and evidence that came too early."""
    if not rows:
        return None, "", None
    counted = sorted((r for r in rows if r.date <= as_of), key=lambda r: (r.date, r.line))
    too_early = None
    for row in counted:
        if window_opens is not None and row.date < window_opens:
            too_early = row
            continue
        return row.date, row.detail or "evidence", too_early
    return None, "", too_early


def _after_as_of(rows: Sequence[Evidence], as_of: dt.date) -> Evidence | None:
    """Return the earliest evidence row dated after `as_of`, if there is one."""
    return min((r for r in rows if r.date > as_of), key=lambda r: (r.date, r.line), default=None)


# --- flags -------------------------------------------------------------------------------


def _ja(d: dt.date) -> str:
    """Return a date in a flag's Japanese text as a checklist shows it: 平成30年6月29日（金）."""
    return format_day(d, "ja")


def _en(d: dt.date) -> str:
    """Return a date in a flag's English text as a checklist shows it: 2018-06-29 (Fri)."""
    return format_day(d, "en")


def _flag_order(flag: Flag) -> tuple[int, str, str]:
    return (-flag.severity.rank, flag.code.value, flag.task or "")


def _task_flags(task: Task, as_of: dt.date) -> Iterable[Flag]:
    template = task.template
    due_ja, due_en = _ja(task.due.date), _en(task.due.date)
    notes_ja = "".join(task.notes_ja)
    notes_en = " ".join(task.notes_en)
    # The due date a plan gives is the last business day; a window whose declared end is a
    # closed day (6/30, a Saturday) is still open until that day ends. A hearing is for
    # agencies that missed the window itself, and work inside it is not late.
    window_over = as_of > task.due.original
    if task.status is TaskStatus.OVERDUE and template.hearing and window_over:
        yield Flag(
            FlagCode.HEARING_CANDIDATE,
            f"「{task.title_ja}」の実施が期限（{due_ja}）までに確認できない。{notes_ja}"
            "総務省から状況のヒアリングを受ける可能性がある。",
            f"No evidence of '{task.title_en}' by {due_en}. {notes_en} "
            "The ministry may hold a hearing on it.".replace("  ", " "),
            task.remedies("ja"),
            task.remedies("en"),
            task.id,
            template.section,
        )
    elif task.status is TaskStatus.OVERDUE:
        yield Flag(
            FlagCode.TASK_OVERDUE,
            f"「{task.title_ja}」が期限（{due_ja}）を過ぎても完了していない。",
            f"'{task.title_en}' is past its due date ({due_en}) and not done.",
            task.remedies("ja"),
            task.remedies("en"),
            task.id,
            template.section,
        )
    if (
        task.status is TaskStatus.DONE
        and task.done_on is not None
        and task.done_on > task.due.original
    ):
        yield Flag(
            FlagCode.DONE_LATE,
            f"「{task.title_ja}」は期限（{due_ja}）後の{_ja(task.done_on)}に完了した。",
            f"'{task.title_en}' was done on {_en(task.done_on)}, after its due date ({due_en}).",
            task=task.id,
            section=template.section,
        )


def _evidence_after_as_of(task: Task, row: Evidence, as_of: dt.date) -> Flag:
    if row.date <= task.due.original:
        then_ja = (
            "基準日より後に実施した記録なら、その日以降を基準日（--as-of）にすると完了になる。"
        )
        then_en = (
            "If the task was done after the as-of date, it counts from an as-of date on or "
            "after that day (--as-of)."
        )
    else:
        # Past the due date: that record would make the task done late, never on time.
        then_ja = (
            f"その日に実施したのなら、期限（{_ja(task.due.original)}）より後の実施で、"
            "完了しても期限後の扱いになる。"
        )
        then_en = (
            f"If the task was done on that day, it was done after its due date "
            f"({_en(task.due.original)}): late, even once counted."
        )
    return Flag(
        FlagCode.EVIDENCE_AFTER_AS_OF,
        f"「{task.title_ja}」の実績日 {_ja(row.date)}（{row.where('ja')}）は基準日 {_ja(as_of)} "
        "より後のため、完了とみなさない。",
        f"Evidence for '{task.title_en}' is dated {_en(row.date)} ({row.where('en')}), after "
        f"the as-of date {_en(as_of)}, so it does not complete the task.",
        (
            "運用主体のログの日付（ログは直さない）。基準日（--as-of）が正しいか確かめる。"
            if row.log
            else "日付の誤り（元号・年の取り違え、令和元年と平成30年など）なら、正しい日付に直す。",
            then_ja,
        ),
        (
            "The date is the operator's log's (not edited): check the as-of date (--as-of)."
            if row.log
            else "If the date is wrong (era or year mistyped), correct it.",
            then_en,
        ),
        task.id,
        task.section,
    )


def _evidence_before_window(task_id: str, row: Evidence, opens: dt.date) -> Flag:
    return Flag(
        FlagCode.EVIDENCE_BEFORE_WINDOW,
        f"{task_id} の実績日 {_ja(row.date)}（{row.where('ja')}）は期間の開始"
        f"（{_ja(opens)}）より前のため、完了とみなさない。",
        f"Evidence for {task_id} dated {_en(row.date)} ({row.where('en')}) is "
        f"before the window opened ({_en(opens)}), so it does not complete the task.",
        ("期間内に実施した日付で実績を登録する。",),
        ("Record the date the task was done inside its window.",),
        task_id,
    )


def _readiness_flags(
    calendar: RevisionCalendar,
    agency: Agency,
    readiness: Mapping[tuple[str, Side], Readiness],
    *,
    as_of: dt.date,
    has_readiness: bool,
    done: Collection[str] = frozenset(),
) -> Iterable[Flag]:
    """Yield the §3 flags of an agency's readiness report; a modification whose task is
    `done` (evidence of it, whatever the report says) gets none."""
    if not has_readiness:
        return
    effective = calendar.revision.effective
    remedies = {t.side: t for t in calendar.tasks if t.per == "system" and t.side is not None}
    for side in Side:
        missing: list[str] = []
        for system_id in calendar.revision.systems:
            system = system_by_id(system_id)
            report = readiness.get((system_id, side))
            template = remedies.get(side)
            if template is not None and f"{template.id}:{system_id}" in done:
                continue  # evidence shows it done: the report is behind (done-late if late)
            if report is None:
                missing.append(system_id)
                continue
            if not is_not_ready(report, effective, as_of):
                continue
            when_ja = (
                "未着手"
                if report.status is Status.NOT_STARTED
                else f"完了予定 {_ja(report.planned) if report.planned else '?'}"
            )
            when_en = (
                "not started"
                if report.status is Status.NOT_STARTED
                else f"planned for {_en(report.planned) if report.planned else '?'}"
            )
            if report.planned is not None and report.planned < effective <= as_of:
                # (Planned before the revision, and the revision came: never reported done.)
                when_ja += "、完了の報告なし"
                when_en += ", never reported done"
            code = (
                FlagCode.PROVISION_NOT_READY if side is Side.PROVISION else FlagCode.QUERY_NOT_READY
            )
            yield Flag(
                code,
                f"{system.ja}システムの{side.ja}に係る改修が改版（{_ja(effective)}）までに"
                f"完了しない（{when_ja}）。",
                f"The {side.value}-side modification of the {system.en} system will not be "
                f"complete before the revision ({_en(effective)}): {when_en}.",
                # From the day the revision takes effect, "before the revision" is past.
                (template.remedies_too_late_ja or template.remedies_ja)
                if template and as_of >= effective
                else template.remedies_ja
                if template
                else (),
                (template.remedies_too_late_en or template.remedies_en)
                if template and as_of >= effective
                else template.remedies_en
                if template
                else (),
                f"{template.id}:{system_id}" if template else None,
                template.section if template else "§3",
            )
        if missing:
            names_ja = "・".join(system_by_id(s).ja for s in missing)
            names_en = ", ".join(system_by_id(s).en for s in missing)
            yield Flag(
                FlagCode.READINESS_UNKNOWN,
                f"{side.ja}に係る改修状況の報告がない（{names_ja}）。",
                f"No {side.value}-side readiness reported for: {names_en}.",
                ("readiness.csv に各システムの状況（完了・予定・未着手・対象外）を記入する。",),
                ("Add a readiness.csv row per system: done, planned, not-started or n/a.",),
            )


#: The flags about evidence rows themselves: what `uncounted_evidence` reports of the files.
EVIDENCE_FLAGS = frozenset(
    {
        FlagCode.EVIDENCE_UNKNOWN_TASK,
        FlagCode.EVIDENCE_BEFORE_WINDOW,
        FlagCode.EVIDENCE_AFTER_AS_OF,
        FlagCode.EVIDENCE_NOT_COUNTED,
    }
)


def uncounted_evidence(
    plan: Plan, registry: Registry, lang: str = "ja"
) -> list[tuple[Agency, str, str]]:
    """Return every evidence row the plan does not count, as (agency, what, why) in `lang`.

    First each agency's flags about its evidence (`EVIDENCE_FLAGS`: an unknown task, a date
    before the window or after the as-of date, a log line that does not count), with the
    first remedy. Then the rows the checklists rightly say nothing of, because other
    evidence completes their task: a row dated after the as-of date or before the window
    still says something untrue, or mistyped. `cutover validate` prints them.
    """
    ja = lang != "en"
    as_of = plan.as_of
    found: list[tuple[Agency, str, str]] = []
    for agency_plan in plan.agencies:
        agency = agency_plan.agency
        for flag in agency_plan.flags:
            if flag.code in EVIDENCE_FLAGS:
                remedies = flag.remedies(lang)
                remedy = f" — {remedies[0]}" if remedies else ""
                found.append((agency, flag.code.value, f"{flag.message(lang)}{remedy}"))
        done = {t.id: t for t in agency_plan.tasks if t.status is TaskStatus.DONE}
        for row in registry.evidence_of(agency.code):
            task = done.get(row.task)
            if task is None or row.date == task.done_on:
                continue
            opened = task.start.original if task.start is not None else None
            if row.date > as_of and row.log:
                # An operator's log is not edited: only the as-of date can be wrong.
                why = (
                    f"ログの記録が基準日 {_ja(as_of)} より後（作業は他の実績で完了）"
                    if ja
                    else f"the log records it after the as-of date {_en(as_of)} (the "
                    "task is done by other evidence)"
                )
            elif row.date > as_of:
                why = (
                    f"基準日 {_ja(as_of)} より後の日付のため数えない（作業は他の実績で"
                    "完了）。日付の誤り（元号・年）なら直す"
                    if ja
                    else f"dated after the as-of date {_en(as_of)}, not counted (the "
                    "task is done by other evidence); if the date is wrong (era or year), "
                    "correct it"
                )
            elif opened is not None and row.date < opened:
                why = (
                    f"期間の開始 {_ja(opened)} より前の日付のため数えない（作業は他の"
                    "実績で完了）。日付を確かめる"
                    if ja
                    else f"dated before the window opened ({_en(opened)}), not counted "
                    "(the task is done by other evidence); check the date"
                )
            else:
                continue
            found.append((agency, row.task, f"{row.where(lang)}: {why}"))
    return found


def is_not_ready(
    report: Readiness,
    effective: dt.date,
    as_of: dt.date | None = None,
    *,
    done_on: dt.date | None = None,
) -> bool:
    """Return True for "not ready" as the §3 survey counts it (DESIGN.md §3).

    Not ready: not started, or planned to finish on or after the day the revision takes
    effect (a planned date that is missing counts as not ready too). From that day on
    (`as_of`), a modification still only planned is not ready either, whatever its date:
    the revision is in force and it was never reported done. Evidence that the
    modification was done (`done_on`, the task's evidence date) overrides the report: ready
    when done before the revision took effect, not ready (late) when done on or after it.
    The flag rules and `cutover.summary` both ask this function, so the rule lives in one
    place.
    """
    if done_on is not None:
        return done_on >= effective
    if report.status is Status.NOT_STARTED:
        return True
    return report.status is Status.PLANNED and (
        report.planned is None
        or report.planned >= effective
        or (as_of is not None and as_of >= effective)
    )


def _unknown_evidence(
    evidence: Mapping[str, list[Evidence]],
    known: set[str],
    calendar: RevisionCalendar,
    agency: Agency,
) -> Iterable[Flag]:
    templates = {t.id: t for t in calendar.tasks}
    for task_id in sorted(set(evidence) - known):
        name, _, qualifier = task_id.partition(":")
        template = templates.get(name)
        for row in evidence[task_id]:
            if template is not None:
                # A task of the calendar this agency does not have: say why, and never offer
                # another item's task (a log line of item 3 is no registration of item 8).
                why_ja, why_en, fix_ja, fix_en = _why_not_its_task(
                    template, qualifier, calendar, agency, log=row.log
                )
            else:
                same = [k for k in sorted(known) if k.partition(":")[2] == qualifier]
                fix = did_you_mean(task_id, same) if same else "this agency has no such task"
                why_ja = why_en = fix
                fix_ja, fix_en = (
                    "作業IDをチェックリストの表記に合わせる。",
                    "Use the task id shown in the checklist.",
                )
            yield Flag(
                FlagCode.EVIDENCE_UNKNOWN_TASK,
                f"{row.where('ja')}の作業 {task_id!r} はこの団体の作業にない（{why_ja}）。",
                f"Evidence row ({row.where('en')}) names task {task_id!r}, which this agency "
                f"does not have ({why_en}).",
                (fix_ja,),
                (fix_en,),
                task_id,
            )


def _why_not_its_task(
    template: TaskTemplate,
    qualifier: str,
    calendar: RevisionCalendar,
    agency: Agency,
    *,
    log: bool = False,
) -> tuple[str, str, str, str]:
    """Return why `agency` has no such instance of `template`, and what to correct where.

    A row of an operator's log (`log`) is never to be edited: the advice is about the
    registry, or says the log shows what the agency did.
    """
    if log:
        row_ja = "ログは運用主体のもので直さない。"
        row_en = "the log is the operator's and is not edited"
        only_ja, only_en = (
            "登録簿（agencies.csv）が正しければ、ログの記録はこの改版の作業に当たらない。",
            "If agencies.csv is right, the log line is no task of this revision.",
        )
    else:
        row_ja = "実績の行が誤りなら直す。"
        row_en = "otherwise correct the evidence row"
        only_ja, only_en = "実績の行を直す。", "Correct the evidence row."
    systems = calendar.revision.systems
    if template.per == "once" and qualifier:
        return (
            f"{template.id} は番号や業務システムを付けない作業",
            f"{template.id} takes no item or system",
            f"作業IDは {template.id} と書く。",
            f"Write the task id as {template.id}.",
        )
    if template.per != "once" and not qualifier:
        example = f"{template.id}:2" if template.per == "item" else f"{template.id}:local-tax"
        part_ja, part_en = (
            ("特定個人情報の番号", "item number")
            if template.per == "item"
            else ("業務システム", "business system")
        )
        return (
            f"作業IDに{part_ja}がない",
            f"the task id lacks its {part_en}",
            f"{example} のように{part_ja}を付けて書く。",
            f"Write the task id with its {part_en}, as {example}.",
        )
    if template.per == "system" and qualifier not in systems:
        listed = ", ".join(systems)
        return (
            f"業務システム '{qualifier}' は改版の業務システムにない",
            f"business system {qualifier!r} is not one of the revision's",
            f"業務システムは {listed} のいずれか（§3 の名称でもよい）で書く。",
            f"Write one of {listed} (or its §3 name).",
        )
    if template.per == "item" and not qualifier.isdigit():
        return (
            f"'{qualifier}' は特定個人情報の番号ではない",
            f"{qualifier!r} is not an item number",
            f"{template.id}:2 のように番号で書く。",
            f"Write the item number, as {template.id}:2.",
        )
    if template.per == "item":
        n = int(qualifier)
        item = calendar.item(n)
        cutoff = calendar.cutoff.items if calendar.cutoff else frozenset()
        if template.items == "cutoff" and n not in cutoff:
            listed = "・".join(str(i) for i in sorted(cutoff))
            return (
                f"{n}番は提供の締切（§6）の対象（{listed}番）ではない",
                f"item {n} is not under the cutoff rule (items {listed.replace('・', ', ')})",
                only_ja,
                only_en,
            )
        delegation = template.items == "registration"
        if item is not None:
            return (
                f"登録簿で{n}番を提供する団体になっていない",
                f"agencies.csv does not list item {n} among what it provides",
                f"{n}番を提供する団体なら agencies.csv の provides に{n}を加える"
                + ("（新たな委任受任なら new_delegations に）。" if delegation else "。")
                + row_ja,
                f"If it provides item {n}, add {n} to provides in agencies.csv"
                + (" (to new_delegations for a new delegation)" if delegation else "")
                + f"; {row_en}.",
            )
        if delegation:
            return (
                f"{n}番は今回の改版の項目ではなく、新たな委任受任にも登録されていない",
                f"item {n} is not revised, and agencies.csv has no new delegation of it",
                f"{n}番の委任受任が新たに生じたなら agencies.csv の new_delegations に{n}を加える。"
                + row_ja,
                f"If a new delegation of item {n} arose, add {n} to new_delegations in "
                f"agencies.csv; {row_en}.",
            )
        return (
            f"{n}番は今回の改版の項目ではない",
            f"item {n} is not revised this time",
            only_ja,
            only_en,
        )
    when = template.when
    if when.test_requested and not agency.test_requested:
        return (
            "登録簿の test_requested が機関間試験を希望していないとしている",
            "agencies.csv says no in test_requested",
            "試験を希望していたなら agencies.csv の test_requested を yes にする。" + row_ja,
            f"If it asked for a test, write yes in test_requested in agencies.csv; {row_en}.",
        )
    if agency.kind not in when.kinds:
        return (
            f"{agency.kind.ja}の作業ではない",
            f"the task is not for a {agency.kind.value}",
            "agencies.csv の kind を確かめる。" + row_ja,
            f"Check kind in agencies.csv; {row_en}.",
        )
    return (
        "この団体には当てはまらない作業",
        "the task does not apply to this agency",
        "agencies.csv の provides・new_delegations を確かめる。" + row_ja,
        f"Check provides and new_delegations in agencies.csv; {row_en}.",
    )


def _not_counted(attempts: Sequence[Attempt], tasks: Sequence[Task]) -> Iterable[Flag]:
    """Yield one flag per task not done whose log lines did not count (0 records, failed test)."""
    by_id = {t.id: t for t in tasks}
    by_task: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_task.setdefault(attempt.task, []).append(attempt)
    for task_id, found in sorted(by_task.items()):
        task = by_id.get(task_id)
        if task is not None and task.status in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE):
            continue
        title_ja = f"「{task.title_ja}」" if task else task_id
        title_en = f"'{task.title_en}'" if task else task_id
        shown = found[:3]
        more_ja = f"ほか{len(found) - 3}件" if len(found) > 3 else ""
        more_en = f"; {len(found) - 3} more" if len(found) > 3 else ""
        lines_ja = "、".join(f"{_ja(a.date)} {a.reason.ja}（{a.where('ja')}）" for a in shown)
        lines_en = "; ".join(f"{_en(a.date)} {a.reason.en} ({a.where('en')})" for a in shown)
        zero = any(a.reason is AttemptReason.ZERO_RECORDS for a in found)
        yield Flag(
            FlagCode.EVIDENCE_NOT_COUNTED,
            f"{title_ja}のログの記録は完了とみなさない: {lines_ja}{more_ja}。",
            f"Log lines for {title_en} do not count as done: {lines_en}{more_en}.",
            ("新版のレイアウトで副本を登録し直し、登録件数が0件でないことを確認する。",)
            if zero
            else ("実施期間内に試験をやり直し、結果が正常であることを確認する。",),
            ("Register again in the new layout and check that records were registered.",)
            if zero
            else ("Run the test again inside the window and check that it succeeds.",),
            task_id,
            task.section if task else "",
        )


def _date_flags(tasks: Sequence[Task]) -> Iterable[Flag]:
    seen: set[tuple[str, dt.date]] = set()
    for task in tasks:
        if task.status in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE):
            continue
        key = (task.template.due, task.due.date)
        if key in seen:
            continue
        seen.add(key)
        if task.due.moved and task.due.closure is not None:
            yield Flag(
                FlagCode.DEADLINE_MOVED,
                f"期限 {_ja(task.due.original)} は閉庁日（{task.due.closure.ja}）のため、"
                f"前の開庁日 {_ja(task.due.date)} を期限とする。",
                f"The due date {_en(task.due.original)} is a closed day "
                f"({task.due.closure.en}); the last business day before it, "
                f"{_en(task.due.date)}, is used.",
                task=task.id,
            )
        if task.assumption:
            yield Flag(
                FlagCode.ASSUMED_DATE,
                f"「{task.title_ja}」の期限 {_ja(task.due.date)} は"
                f"資料に日付がなく仮定したもの: {task.assumption}",
                f"The due date of '{task.title_en}' ({_en(task.due.date)}) is an "
                f"assumption: {task.assumption_in('en')}",
                ("J-LIS・総務省から示された日付で確認する。",),
                ("Confirm against the dates J-LIS or the ministry announce.",),
                task.id,
            )


def _new_delegation(calendar: RevisionCalendar, agency: Agency) -> Flag:
    items = "・".join(f"{n}番" for n in sorted(agency.new_delegations))
    items_en = ", ".join(str(n) for n in sorted(agency.new_delegations))
    return Flag(
        FlagCode.NEW_DELEGATION,
        f"新たな委任受任（特定個人情報 {items}）があるため、該当する特定個人情報も副本登録する。",
        f"New delegation of items {items_en}: register those items too.",
        ("副本登録期間内に、委任受任に係る特定個人情報も登録する。",),
        ("Register the delegated items inside the registration window.",),
        section="§5",
    )
