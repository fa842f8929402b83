"""The agencies the ministry may hear from, grouped by prefecture (§4, §5).

The source names two follow-ups. §4: the ministry reads the logs of the inter-agency test
window and may hear from agencies that asked for a test through J-LIS but ran none in the
window. §5: J-LIS extracts the duplicate-registration logs; agencies whose registration is
lacking may be heard by the ministry through their prefecture. The calendar marks these
tasks ``hearing = true``; the planner gives each its status. This module only reads the
plan:

- a **candidate**: a hearing task the plan flags ``hearing-candidate`` (its window has
  ended without evidence), or flags ``done-late`` (done, but not in the window) saying the
  ministry may hear about it (`heard_late`: not after a failed test run in the window);
- **at risk**: any other hearing task not done whose window is open — the coordinator
  can still chase it before the deadline. At-risk agencies are not candidates.

A test run inside its window that failed is a test run: §4 hears from 「試験を実施していない
機関」, so the agency is neither a candidate nor at risk; its plan flags ``test-failed``
(find the cause, test again).

When a window ends is the planner's judgement (its flags), never made again here.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from cutover.calendar.model import RevisionCalendar
from cutover.errors import require_date, require_instance
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import check_lang, format_day
from cutover.inputs.model import Agency, Attempt, AttemptReason
from cutover.jp.codes import OfficialEntry, prefecture
from cutover.planning.flags import Flag, FlagCode, Severity, heard_late
from cutover.planning.model import AgencyPlan, Plan, Task, TaskStatus

__all__ = [
    "HearingAgency",
    "HearingGroup",
    "HearingReason",
    "Hearings",
    "MissingTask",
    "hearing_candidates",
    "hearing_counts",
    "hearings",
]


class HearingReason(enum.StrEnum):
    """Why a hearing task is not shown done inside its window."""

    #: no evidence at all (on or before the as-of date)
    NO_EVIDENCE = "no-evidence"
    #: only log lines that do not count: 0 records registered, or failed tests
    NOT_COUNTED = "not-counted"
    #: only evidence dated before the window opened
    BEFORE_WINDOW = "before-window"
    #: done, but after the due date: nothing in the window
    LATE = "late"
    #: recorded only with a date after the as-of date: not yet known then, or a mistyped
    #: date (an era or year slip)
    AFTER_AS_OF = "after-as-of"

    def text(self, lang: Lang) -> str:
        """Return the reason as a reader sees it, in `lang` (``ja`` or ``en``)."""
        return text(f"plan.hearing-reason-{self.value}", check_lang(lang))


@attrs.frozen
class MissingTask:
    """One hearing task of one agency that is not shown done in its window, and why."""

    task: Task
    reason: HearingReason
    #: the log lines that named the task but did not count (0 records, failed tests)
    attempts: tuple[Attempt, ...] = ()
    #: a retroactive item (2 and 21 in 2018): past data is registered too, in the new layout
    past_data: bool = False
    #: the item is registered because of a new delegation (§5)
    new_delegation: bool = False
    #: the ``evidence-after-as-of`` flag of the task, naming the row dated later
    later_record: Flag | None = None
    #: the ``evidence-before-window`` flag of the task, naming the row dated before its window
    early_record: Flag | None = None
    #: the ``done-late`` flag of a task done after its window, saying the day it was done
    done_late: Flag | None = None

    @property
    def id(self) -> str:
        """Return the task id (``inter-agency-test``, ``register:2``)."""
        return self.task.id

    def title(self, lang: Lang) -> str:
        """Return the task's title in `lang`."""
        return self.task.title_en if check_lang(lang) == "en" else self.task.title_ja

    def notes(self, lang: Lang) -> tuple[str, ...]:
        """Return what else the reader must know: an assumed due date, past data, new
        delegation, attempts."""
        lang = check_lang(lang)
        found: list[str] = []
        if self.task.due_assumed:
            # The source gives no date: the calendar's assumption is not the ministry's.
            assumed = self.task.assumption_in(lang)
            found.append(text("plan.hearing-note-assumed", lang, assumption=assumed))
        if self.past_data:
            found.append(text("plan.hearing-note-past-data", lang))
        if self.new_delegation:
            found.append(text("plan.hearing-note-new-delegation", lang))
        for record in (self.early_record, self.later_record):
            if record is not None:
                found.append(record.message(lang))
        if self.done_late is not None:
            # The day it was done: "done after its window" alone does not say how late.
            found.append(self.done_late.message(lang))
        for attempt in self.attempts:
            rows = (
                text("plan.hearing-note-rows", lang, rows=attempt.rows) if attempt.rows > 1 else ""
            )
            found.append(
                text(
                    "plan.hearing-note-attempt",
                    lang,
                    date=format_day(attempt.date, lang),  # as the due dates
                    reason=attempt.reason.text(lang),
                    where=attempt.where(lang),
                    rows=rows,
                )
            )
        if any(a.reason is AttemptReason.ZERO_RECORDS for a in self.attempts):
            # §8: a zero-record registration may be a wrong one; the source's runbook.
            found.append(text("plan.hearing-note-wrong-registration", lang))
        return tuple(found)


@attrs.frozen
class HearingAgency:
    """One agency with its hearing tasks not shown done."""

    agency: Agency
    missing: tuple[MissingTask, ...]


@attrs.frozen
class HearingGroup:
    """The agencies of one prefecture (the ministry hears them through it), sorted by code."""

    prefecture: OfficialEntry
    agencies: tuple[HearingAgency, ...]

    @property
    def code(self) -> str:
        """Return the prefecture's 6-digit code (東京都: 130001)."""
        return self.prefecture.code

    @property
    def name(self) -> str:
        """Return the prefecture's name (東京都)."""
        return self.prefecture.name


@attrs.frozen
class Hearings:
    """The hearing candidates and the agencies at risk of becoming one, as of one date."""

    calendar: RevisionCalendar
    as_of: dt.date
    shifts: tuple[str, ...]
    #: windows ended without evidence: the agencies the ministry may hear from
    candidates: tuple[HearingGroup, ...]
    #: windows still open, tasks not done: to chase before the deadline
    at_risk: tuple[HearingGroup, ...]

    @property
    def candidate_count(self) -> int:
        """Return how many agencies are candidates."""
        return sum(len(g.agencies) for g in self.candidates)

    @property
    def at_risk_count(self) -> int:
        """Return how many agencies are at risk."""
        return sum(len(g.agencies) for g in self.at_risk)

    def findings_at_or_above(self, threshold: Severity | str) -> int:
        """Return the agencies listed at `threshold` or worse (for ``--fail-on``).

        Candidates are errors (the ``hearing-candidate`` flag's severity), but those whose
        every missed window ends on a date the calendar assumes, warnings
        (``hearing-candidate-assumed``: an assumed date never makes an error on its own);
        agencies at risk are warnings.
        """
        rank = Severity(threshold).rank
        listed = [a for g in self.candidates for a in g.agencies]
        certain = sum(1 for a in listed if any(not m.task.due_assumed for m in a.missing))
        count = certain if rank <= Severity.ERROR.rank else 0
        if rank <= Severity.WARNING.rank:
            count += len(listed) - certain + self.at_risk_count
        return count


def hearings(plan: Plan) -> Hearings:
    """Return the hearing candidates and the agencies at risk, by prefecture, sorted by code."""
    require_instance(plan, Plan, "plan", "common.not-a-plan")
    candidates: dict[str, list[HearingAgency]] = {}
    at_risk: dict[str, list[HearingAgency]] = {}
    for agency_plan in plan.agencies:
        late: list[MissingTask] = []
        open_now: list[MissingTask] = []
        for task in agency_plan.tasks:
            if not task.hearing:
                continue
            if _is_candidate(agency_plan, task):
                late.append(_missing(plan, agency_plan, task))
            elif _is_at_risk(agency_plan, task, plan.as_of):
                open_now.append(_missing(plan, agency_plan, task))
        code = agency_plan.agency.code
        if late:
            candidates.setdefault(code[:2], []).append(
                HearingAgency(agency_plan.agency, tuple(late))
            )
        if open_now:
            at_risk.setdefault(code[:2], []).append(
                HearingAgency(agency_plan.agency, tuple(open_now))
            )
    return Hearings(
        calendar=plan.calendar,
        as_of=plan.as_of,
        shifts=tuple(str(s) for s in plan.timeline.shifts),
        candidates=_groups(candidates),
        at_risk=_groups(at_risk),
    )


def hearing_counts(agency_plans: Iterable[AgencyPlan], as_of: dt.date) -> tuple[int, int]:
    """Return how many of `agency_plans` are hearing candidates, and how many have a task
    at risk, as `hearings` lists them (an agency can be in both lists): the summary's
    counts, so that the two agree."""
    require_date(as_of, "as_of")
    candidates = at_risk = 0
    for agency_plan in agency_plans:
        tasks = [t for t in agency_plan.tasks if t.hearing]
        late = [t for t in tasks if _is_candidate(agency_plan, t)]
        candidates += bool(late)
        at_risk += any(_is_at_risk(agency_plan, t, as_of) for t in tasks if t not in late)
    return candidates, at_risk


def hearing_candidates(plan: Plan) -> tuple[HearingGroup, ...]:
    """Return the hearing candidates of `plan`, by prefecture, sorted by code."""
    return hearings(plan).candidates


def _is_candidate(agency_plan: AgencyPlan, task: Task) -> bool:
    """Return True when the plan flags the task a hearing candidate, or done late with
    nothing of it in its window (not after a test run in the window that failed: §4)."""
    wanted = (FlagCode.HEARING_CANDIDATE, FlagCode.HEARING_CANDIDATE_ASSUMED)
    return any(f.task == task.id and (f.code in wanted or heard_late(f)) for f in agency_plan.flags)


def _is_at_risk(agency_plan: AgencyPlan, task: Task, as_of: dt.date) -> bool:
    """Return True when the task (not a candidate) is not done, and its window has opened
    and not ended; a test run in its window that failed is not at risk: §4 hears from
    agencies that ran no test, and the plan flags it ``test-failed`` (re-test) instead."""
    if task.status in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE):
        return False
    if as_of > task.due.original:
        return False
    if any(f.code is FlagCode.TEST_FAILED and f.task == task.id for f in agency_plan.flags):
        return False
    return task.start is None or task.start.date <= as_of


def _task_flag(agency_plan: AgencyPlan, task: Task, code: FlagCode) -> Flag | None:
    """Return the agency's first flag of `code` about `task`, if it has one."""
    return next((f for f in agency_plan.flags if f.code is code and f.task == task.id), None)


def _missing(plan: Plan, agency_plan: AgencyPlan, task: Task) -> MissingTask:
    attempts = tuple(a for a in agency_plan.attempts if a.task == task.id)
    early = _task_flag(agency_plan, task, FlagCode.EVIDENCE_BEFORE_WINDOW)
    later = _task_flag(agency_plan, task, FlagCode.EVIDENCE_AFTER_AS_OF)
    done_late = next((f for f in agency_plan.flags if heard_late(f) and f.task == task.id), None)
    if task.status is TaskStatus.DONE:
        reason = HearingReason.LATE
    elif later is not None:
        # "No record" would be false: there is one, dated after the as-of date.
        reason = HearingReason.AFTER_AS_OF
    elif attempts:
        reason = HearingReason.NOT_COUNTED
    elif early is not None:
        reason = HearingReason.BEFORE_WINDOW
    else:
        reason = HearingReason.NO_EVIDENCE
    item = plan.calendar.item(task.item) if task.item is not None else None
    return MissingTask(
        task=task,
        reason=reason,
        attempts=attempts,
        past_data=item is not None and item.retroactive,
        new_delegation=task.item is not None and task.item in agency_plan.agency.new_delegations,
        later_record=later,
        early_record=early,
        done_late=done_late,
    )


def _groups(by_prefecture: dict[str, list[HearingAgency]]) -> tuple[HearingGroup, ...]:
    return tuple(
        HearingGroup(prefecture(number), tuple(sorted(found, key=lambda a: a.agency.code)))
        for number, found in sorted(by_prefecture.items())
    )
