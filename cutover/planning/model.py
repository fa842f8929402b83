"""An agency's plan: its tasks with dates and status, its flags, and the plan of a whole
registry.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from cutover.calendar.model import RevisionCalendar, TaskTemplate
from cutover.errors import NotFound, Problem, require_code
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import Phrase, check_lang
from cutover.inputs.model import Agency, Attempt, Readiness
from cutover.inputs.rows import KnownCodes
from cutover.jp.closed_days import Adjustment
from cutover.planning.flags import Flag
from cutover.schedule.timeline import Timeline
from cutover.triage import Action, Duplicate, TriageCounts, TriageResult

if TYPE_CHECKING:
    from cutover.planning.whatif import PlanChanges

__all__ = [
    "DUE_SOON_BUSINESS_DAYS",
    "LAPSED_SOURCE",
    "AgencyPlan",
    "AgencyQueries",
    "AssumedLink",
    "Plan",
    "QueryFindings",
    "QueryTotals",
    "Task",
    "TaskStatus",
    "open_until_day_ends",
]

#: A task due within this many business days of the as-of date is "due soon" (two weeks).
DUE_SOON_BUSINESS_DAYS = 10
#: The `status_source` of a task that no longer applies because the event that ends its
#: purpose (`TaskTemplate.until`) is over with the task not done.
LAPSED_SOURCE = "lapsed"


class TaskStatus(enum.StrEnum):
    """Where a task stands on the as-of date."""

    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    UPCOMING = "upcoming"
    #: not due yet, but the agency's readiness report says it will be late: not started
    #: (未着手), or planned to finish after the due date
    LATE_EXPECTED = "late-expected"
    NOT_APPLICABLE = "n/a"
    #: whether the task applies is not known: a task about the agency's pending queries
    #: (§6) in a plan made without a queries file
    UNKNOWN = "unknown"
    #: a task the source says to do as needed (「必要に応じて」) whose due date has passed with
    #: nothing recorded: not overdue, and not counted as applying
    AS_NEEDED = "as-needed"

    @property
    def ja(self) -> str:
        """Return the Japanese name of the status."""
        return self.label("ja")

    @property
    def counted(self) -> bool:
        """Return True when a task in this status counts among those that apply (progress,
        overdue): not n/a, unknown or as-needed."""
        return self not in _NOT_COUNTED

    def label(self, lang: Lang) -> str:
        """Return the status as a reader sees it: 期限超過 / overdue, …"""
        return text(f"plan.task-status-{self.name.lower().replace('_', '-')}", check_lang(lang))


#: The statuses of tasks not counted as applying (progress, overdue).
_NOT_COUNTED = frozenset({TaskStatus.NOT_APPLICABLE, TaskStatus.UNKNOWN, TaskStatus.AS_NEEDED})


#: The note before the remedies of a task too late by a date the calendar assumes.
_ASSUMED_PASSED = Phrase.of("plan.assumed-date-passed")


def open_until_day_ends(status: TaskStatus, due: Adjustment | None, as_of: dt.date | None) -> bool:
    """Return True when a task overdue to the plan is still open on `as_of`: due on the last
    business day before its written end (Saturday 6/30, a closed day), and `as_of` not past
    that end. Its row says so, no count of a page calls it overdue, and its `task-overdue`
    warning says its written end is still ahead."""
    return (
        as_of is not None
        and due is not None
        and status is TaskStatus.OVERDUE
        and as_of <= due.original
    )


@attrs.frozen
class AssumedLink:
    """A task instance that comes first (§2) by the calendar's assumption, not the source's:
    that `system` provides `items` (`[[items]] systems_assumption`, which says why)."""

    #: the id of the instance that comes first (``modify-provision:nhi``)
    first: str
    system: str
    items: tuple[int, ...]
    #: why the calendar assumes the link, in Japanese and in English
    why_ja: str
    why_en: str


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
    #: may not have passed: a task due by an event declared to end before the revision cannot
    #: be, once the revision has come; one due by an assumed date the revision does not bound
    #: (the self-inspection's May, §13) still may be
    may_still_be_due: bool = False
    #: the readiness report that makes the task `late-expected` (its status and planned
    #: date are shown on the task); None otherwise
    reported: Readiness | None = None
    #: the note naming the tasks that come first (§2: システム改修, 機関間試験, 副本登録), or ""
    first_ja: str = ""
    first_en: str = ""
    #: the ids of the task instances that come first (§2), as ``first_ja`` names them
    first: tuple[str, ...] = ()
    #: of `first`, those that come first only by a link the calendar assumes between an item
    #: and its system (`[[items]] systems_assumption`): the source names no system per item
    first_assumed: tuple[AssumedLink, ...] = ()

    def given_remedies(self, lang: Lang) -> tuple[str, ...]:
        """Return the calendar's remedies of the task in `lang`: once it is too late, the
        template's `remedies_too_late_*` when it has them; when its report says it will be
        late (`late-expected`), the template's `remedies_late_*` when it has them."""
        lang = check_lang(lang)
        template = self.template
        if lang == "en":
            late, usual = template.remedies_too_late_en, template.remedies_en
            expected = template.remedies_late_en
        else:
            late, usual = template.remedies_too_late_ja, template.remedies_ja
            expected = template.remedies_late_ja
        if self.too_late and late:
            return late
        if self.status is TaskStatus.LATE_EXPECTED and expected:
            return expected
        return usual

    @property
    def advice(self) -> tuple[Phrase, ...]:
        """Return what the catalogue says before the calendar's remedies: too late by a date
        the calendar assumes, that the real date may not have passed."""
        # The date that passed is the calendar's guess (the test window is J-LIS's to give,
        # §13 names only the month of the self-inspection's request): the task may still be
        # due, and must not be given up on — whether or not the calendar has remedies for a
        # task too late. An assumed date never makes lateness certain on its own. (A task
        # done as needed is owed by no date: nothing to hedge.)
        owed = self.too_late and not self.template.optional
        return (_ASSUMED_PASSED,) if owed and self.may_still_be_due else ()

    def overdue_since(self, as_of: dt.date) -> Phrase | dt.date:
        """Return the due date the warning of this overdue task names on `as_of`: one the
        calendar assumes said to be one (an assumed date never makes lateness certain on
        its own), on any `as_of` — once the real date must have passed too
        (`may_still_be_due` false), only the advice that it may not have goes, the date is
        still no fact of the source; the last business day before a closed written end
        (6/29 for Saturday 6/30) saying that end is still ahead, as the task's row does."""
        assert self.due is not None  # (an overdue task has a due date)
        if self.assumption:
            return Phrase.of("plan.assumed-due", due=self.due.date)
        if open_until_day_ends(self.status, self.due, as_of):
            return Phrase.of("plan.due-open-until", due=self.due.date, until=self.due.original)
        return self.due.date

    def remedies(self, lang: Lang) -> tuple[str, ...]:
        """Return what to do about the task not being done, in `lang`: the `advice`, then
        the calendar's remedies (`given_remedies`)."""
        lang = check_lang(lang)
        return (*(phrase.text(lang) for phrase in self.advice), *self.given_remedies(lang))

    @property
    def due_assumed(self) -> bool:
        """Return True when the due date is one the calendar assumes (※仮定: the source gives
        no date, `assumption` says why), not the ministry's."""
        return bool(self.assumption)

    def assumption_in(self, lang: str) -> str | None:
        """Return the assumption behind the due date in `lang`, if there is one."""
        lang = check_lang(lang)
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

    @property
    def done_late(self) -> bool:
        """Return True when the task is done after its due date as written (6/30, not 6/29)."""
        done_on = self.done_on if self.status is TaskStatus.DONE else None
        return done_on is not None and done_on > self.due.original


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
    #: the open requests the §6 rule does not cover (another item, or received from the
    #: effective date), in input order: answered as usual, not "nothing to do"
    outside: tuple[TriageResult, ...] = ()

    # The one rule of which rows count for a set of agencies (a plan's registry, a summary's
    # prefecture): every output that counts queries for agencies asks these two methods.

    def elsewhere(self, codes: Iterable[str]) -> tuple[TriageResult, ...]:
        """Return the open requests (to act on, or outside §6's rule) of which no agency of
        `codes` is querier or provider: the rows to act on first, then those outside the
        rule, each in input order. No checklist of those agencies lists them."""
        scope = _codes(codes)
        return tuple(
            r
            for r in (*self.results, *self.outside)
            if r.query.provider not in scope and r.query.querier not in scope
        )

    def totals(self, codes: Iterable[str]) -> QueryTotals:
        """Return the counts of the rows for the agencies of `codes`.

        A row to act on counts when one of the agencies is a party to it: its provider
        answers by the cutoff, its querier withdraws and re-issues (as each one's checklist
        lists it); an open request outside §6's rule when its provider, who answers it as
        usual, is one of them. The rest of the rows read are `none`, and those of them that
        are open requests with no party among the agencies are also `elsewhere`, so that
        they are said, not lost. `total` and `rejected` are the file's, whatever `codes`.
        (`cutover triage`, with no registry, counts every row: `counts`.)
        """
        scope = _codes(codes)
        actions = Counter(
            r.action for r in self.results if r.query.provider in scope or r.query.querier in scope
        )
        return QueryTotals(
            total=self.counts.total,
            provide_by_cutoff=actions[Action.PROVIDE_BY_CUTOFF],
            withdraw_and_reissue=actions[Action.WITHDRAW_AND_REISSUE],
            rejected=self.counts.rejected,
            outside_rule=sum(1 for r in self.outside if r.query.provider in scope),
            elsewhere=len(self.elsewhere(scope)),
        )


def _codes(codes: Iterable[str]) -> frozenset[str]:
    """Return `codes`, agencies' codes as text, as a set; a bare text (``"312011"``, read
    as its characters) or a code held as a number is a `TypeError`, never a scope that
    finds no agency."""
    if isinstance(codes, str | bytes):
        raise TypeError(text("common.not-codes", "en", name="codes", kind=type(codes).__name__))
    return frozenset(require_code(code, "codes") for code in codes)


@attrs.frozen
class QueryTotals:
    """How many rows of a queries file need action around the cutoff (§6) for a set of
    agencies: a plan's registry, or one prefecture of it (`QueryFindings.totals`)."""

    #: rows read from the queries file (the whole file, whatever the agencies)
    total: int
    #: requests of which one of the agencies is provider or querier, to answer by the cutoff
    provide_by_cutoff: int
    #: queries of which one of the agencies is provider or querier, to withdraw and re-issue
    withdraw_and_reissue: int
    #: rows of the file that could not be read
    rejected: int
    #: open requests to one of the agencies that §6's rule does not cover (answered as usual)
    outside_rule: int = 0
    #: open requests (to act on, or outside the rule) of which none of the agencies is
    #: provider or querier: among `none`, and in none of their checklists
    elsewhere: int = 0

    @property
    def none(self) -> int:
        """Return the rows read that ask nothing of the agencies by the cutoff: no action,
        or an action of other agencies only (`elsewhere`). With the other counts but
        `outside_rule` and `elsewhere` (which are among these), it adds up to `total`."""
        return self.total - self.provide_by_cutoff - self.withdraw_and_reissue - self.rejected


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
    #: as provider: open requests outside §6's rule (another item, or received from the
    #: effective date): answered as usual
    outside_rule: tuple[TriageResult, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.to_answer
            or self.awaiting
            or self.to_reissue
            or self.unanswerable
            or self.outside_rule
        )


@attrs.frozen
class AgencyPlan:
    """One agency's tasks and flags, sorted as they appear in its checklist."""

    agency: Agency
    tasks: tuple[Task, ...]
    flags: tuple[Flag, ...]
    readiness: tuple[Readiness, ...]
    #: its queries around the cutoff, when a queries file was given
    queries: AgencyQueries | None = None
    #: log lines dated on or before as-of that did not count as evidence (`cutover.inputs.logs`)
    attempts: tuple[Attempt, ...] = ()

    @property
    def applicable(self) -> tuple[Task, ...]:
        """Return the tasks that count among those that apply (`TaskStatus.counted`): not
        n/a, not unknown (a §6 task without a queries file may or may not apply), and not
        as-needed (a task the source says to do 「必要に応じて」, with nothing recorded)."""
        return tuple(t for t in self.tasks if t.status.counted)

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
    #: (`cutover.planning.planner.with_what_if`); None for a plan of the declared timeline
    what_if: PlanChanges | None = None

    def query_totals(self) -> QueryTotals | None:
        """Return the counts of the queries file for the plan's agencies (its registry), or
        None for a plan made without one (`QueryFindings.totals`)."""
        if self.queries is None:
            return None
        return self.queries.totals(a.agency.code for a in self.agencies)

    def queries_elsewhere(self) -> tuple[TriageResult, ...]:
        """Return the open requests of the queries file of which no agency of the plan is
        querier or provider (`QueryFindings.elsewhere`); none without a queries file."""
        if self.queries is None:
            return ()
        return self.queries.elsewhere(a.agency.code for a in self.agencies)

    def agency(self, code: str) -> AgencyPlan:
        """Return the plan of the agency with this code, or raise `NotFound` (a `KeyError`)
        with the nearest codes, as ``registry[code]`` does."""
        found = self.get(code)
        if found is None:
            known = KnownCodes(a.agency.code for a in self.agencies)
            raise NotFound.of("inputs.no-agency", agency=code, how=known.fix(code))
        return found

    def get(self, code: str) -> AgencyPlan | None:
        """Return the plan of the agency with this code, or None."""
        require_code(code, "code")
        for agency_plan in self.agencies:
            if agency_plan.agency.code == code:
                return agency_plan
        return None
