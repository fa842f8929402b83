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

Then the flag rules (`cutover.plan.flags`) look at the tasks and the readiness reports.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from cutover.calendar.model import Recurring, RevisedItem, RevisionCalendar, TaskTemplate
from cutover.inputs.model import Agency, Evidence, Readiness, Registry
from cutover.jp.closed_days import ClosedDays
from cutover.jp.vocabulary import Actor, Kind, Side, Status, system_by_id
from cutover.plan.evidence import _not_counted, _unknown_evidence
from cutover.plan.flags import Flag, FlagCode
from cutover.plan.model import (
    DUE_SOON_BUSINESS_DAYS,
    AgencyPlan,
    AgencyQueries,
    Plan,
    QueryFindings,
    Task,
    TaskStatus,
    _en,
    _ja,
)
from cutover.plan.queries import (
    QUERIES_SOURCE,
    _has_queries,
    _items_not_provided,
    _queries_by_agency,
    _query_flags,
)
from cutover.schedule.timeline import Timeline

if TYPE_CHECKING:
    pass

__all__ = ["is_not_ready", "obligation_applies", "plan"]


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
    The flag rules and `cutover.plan.summary` both ask this function, so the rule lives in one
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
