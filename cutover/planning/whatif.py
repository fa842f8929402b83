"""What-if replanning: what a set of shifts changes in every agency's plan.

`compare_plans` compares two plans of the same registry on the same calendar — one made
on the timeline as declared, one on the timeline with ``--shift`` applied — and gives
`PlanChanges`: every task whose due date or window opening moved (old → new, with its
status before and after), and the timeline conflicts the shifts created or resolved
(for example a registration window pushed past the day the revision takes effect).

`cutover.planning.planner.with_what_if` uses it: ``plan`` of a timeline made with shifts
(``plan``, ``checklists`` and ``summary --shift``) plans the same registry as of the same
date without them, and returns the plan with its `Plan.what_if` set.

Tasks are matched by agency code and task id; a task in only one of the plans is not
compared (with the same registry and calendar, both plans have the same tasks).
Conflicts are matched by code and events, as `cutover.schedule.whatif.what_if` matches them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from cutover.errors import CutoverError, require_code, require_instance
from cutover.jp.closed_days import Adjustment
from cutover.planning.model import Plan, TaskStatus
from cutover.schedule.model import Conflict
from cutover.schedule.shift import Shift
from cutover.schedule.timeline import Timeline

__all__ = [
    "PlanChanges",
    "TaskMove",
    "TemplateMove",
    "WrittenDates",
    "compare_plans",
]


@attrs.frozen
class WrittenDates:
    """A task's due date and its window's opening before and after the shifts, as written
    and as moved off closed days (None: no window). A date moved from one closed day to
    another (Saturday 6/30 to Sunday 7/1) is shown on the same business day (Friday 6/29),
    and only these say that it moved."""

    old_due: Adjustment | None = None
    new_due: Adjustment | None = None
    old_start: Adjustment | None = None
    new_start: Adjustment | None = None

    def key(self) -> tuple[dt.date, ...]:
        """Return the dates as written, in that order (a missing one as the earliest date)."""
        dates = (self.old_due, self.new_due, self.old_start, self.new_start)
        return tuple(d.original if d is not None else dt.date.min for d in dates)


@attrs.frozen
class TaskMove:
    """One agency's task whose due date or window opening moved, and its status either side."""

    #: the agency's code
    code: str
    #: the task instance id (``register:2``)
    task: str
    #: the id of the calendar task template it comes from (``register``)
    template: str
    #: whether the template multiplies (per system or per item): its label is ``register:*``
    multiplies: bool
    old_due: dt.date
    new_due: dt.date
    #: the window's opening (moved off closed days); None for a task without a window
    old_start: dt.date | None
    new_start: dt.date | None
    old_status: TaskStatus
    new_status: TaskStatus
    #: the due date and the window's opening as written and as moved off closed days
    written: WrittenDates = WrittenDates()

    @property
    def shown_moved(self) -> bool:
        """Return True when a date as shown moved (due date or opening), not only one as
        written: the moves the JSON lists."""
        return self.due_moved or self.start_moved

    @property
    def due_moved(self) -> bool:
        """Return True when the due date moved (not only the opening)."""
        return self.old_due != self.new_due

    @property
    def start_moved(self) -> bool:
        """Return True when the window's opening moved."""
        return self.old_start != self.new_start

    @property
    def status_changed(self) -> bool:
        """Return True when the task's status on the as-of date is not the same."""
        return self.old_status is not self.new_status


@attrs.frozen
class TemplateMove:
    """The tasks of one template whose dates moved alike, and how many agencies have them."""

    template: str
    #: the template id, or ``register:*`` for a template that multiplies
    label: str
    old_due: dt.date
    new_due: dt.date
    old_start: dt.date | None
    new_start: dt.date | None
    #: how many agencies have such a task
    agencies: int
    #: how many task instances moved (an agency registering three items counts three)
    tasks: int
    #: the dates as written, as `TaskMove` has them
    written: WrittenDates = WrittenDates()

    @property
    def shown_moved(self) -> bool:
        """Return True when a date as shown moved, not only one as written."""
        return (self.old_due, self.old_start) != (self.new_due, self.new_start)


_GroupKey = tuple[dt.date, dt.date, str, dt.date, dt.date, tuple[dt.date, ...]]


def _group_key(move: TaskMove) -> _GroupKey:
    """Return the key of a move's group, ordered so that groups read in date order."""
    # A template has a window for every agency or for none: a missing opening sorts first.
    return (
        move.old_due,
        move.old_start or dt.date.min,
        move.template,
        move.new_due,
        move.new_start or dt.date.min,
        move.written.key(),
    )


@attrs.frozen
class PlanChanges:
    """What the shifts of a what-if changed: tasks that moved, conflicts created or resolved."""

    shifts: tuple[Shift, ...]
    #: in the order of the plan: agencies by code, each agency's tasks in its order
    moved: tuple[TaskMove, ...]
    #: conflicts of the shifted timeline that the declared one does not have
    new_conflicts: tuple[Conflict, ...]
    #: conflicts of the declared timeline that the shifts made go away
    resolved_conflicts: tuple[Conflict, ...]
    #: the timeline of the plan compared against, and the shifted one
    declared: Timeline = attrs.field(repr=False, eq=False)
    shifted: Timeline = attrs.field(repr=False, eq=False)
    _by_agency: Mapping[str, tuple[TaskMove, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        by_agency: dict[str, list[TaskMove]] = {}
        for move in self.moved:
            by_agency.setdefault(move.code, []).append(move)
        object.__setattr__(self, "_by_agency", {k: tuple(v) for k, v in by_agency.items()})

    def __bool__(self) -> bool:
        """Return True when anything moved or a conflict appeared or went away."""
        return bool(self.moved or self.new_conflicts or self.resolved_conflicts)

    def of_agency(self, code: str) -> tuple[TaskMove, ...]:
        """Return the moved tasks of the agency with this code, in its plan's order (a
        number is a `TypeError`: 312011 found nothing, as an agency with no move)."""
        return self._by_agency.get(require_code(code, "code"), ())

    @property
    def agencies(self) -> int:
        """Return how many agencies have at least one task that moved."""
        return len(self._by_agency)

    def by_template(self) -> tuple[TemplateMove, ...]:
        """Return the moves grouped by template and dates, in order of the old dates.

        One group per template and (old, new) dates: a national run has tens of thousands
        of moved tasks and a handful of groups.
        """
        groups: dict[_GroupKey, list[TaskMove]] = {}
        for move in self.moved:
            groups.setdefault(_group_key(move), []).append(move)
        found = []
        for key in sorted(groups):
            moves = groups[key]
            first = moves[0]
            found.append(
                TemplateMove(
                    template=first.template,
                    label=f"{first.template}:*" if first.multiplies else first.template,
                    old_due=first.old_due,
                    new_due=first.new_due,
                    old_start=first.old_start,
                    new_start=first.new_start,
                    agencies=len({m.code for m in moves}),
                    tasks=len(moves),
                    written=first.written,
                )
            )
        return tuple(found)

    def scoped(self, codes: Iterable[str]) -> PlanChanges:
        """Return the changes restricted to the agencies with these codes (conflicts kept)."""
        wanted = frozenset(codes)
        return PlanChanges(
            shifts=self.shifts,
            moved=tuple(m for m in self.moved if m.code in wanted),
            new_conflicts=self.new_conflicts,
            resolved_conflicts=self.resolved_conflicts,
            declared=self.declared,
            shifted=self.shifted,
        )


def _conflict_changes(
    before: Timeline, after: Timeline
) -> tuple[tuple[Conflict, ...], tuple[Conflict, ...]]:
    """Return the conflicts only `after` has, and those only `before` has, in their order."""
    old = {c.identity for c in before.conflicts}
    new = {c.identity for c in after.conflicts}
    return (
        tuple(c for c in after.conflicts if c.identity not in old),
        tuple(c for c in before.conflicts if c.identity not in new),
    )


def compare_plans(before: Plan, after: Plan) -> PlanChanges:
    """Return what changed from `before` to `after`: moved tasks and conflicts.

    Both plans must be of the same calendar (by id); `after.timeline.shifts` are the
    shifts reported. A task moved when its due date or its window's opening differs, as
    shown or as written (moved from one closed day to another).
    """
    require_instance(before, Plan, "before", "common.not-a-plan")
    require_instance(after, Plan, "after", "common.not-a-plan")
    if before.calendar.id != after.calendar.id:
        raise CutoverError.of(
            "plan.compare-other-calendar", before=before.calendar.id, after=after.calendar.id
        )
    old_tasks = {
        (agency_plan.agency.code, task.id): task
        for agency_plan in before.agencies
        for task in agency_plan.tasks
    }
    moved: list[TaskMove] = []
    for agency_plan in after.agencies:
        code = agency_plan.agency.code
        for task in agency_plan.tasks:
            old = old_tasks.get((code, task.id))
            if old is None:
                continue
            old_start = old.start.date if old.start is not None else None
            new_start = task.start.date if task.start is not None else None
            if (old.due, old.start) == (task.due, task.start):
                continue
            moved.append(
                TaskMove(
                    code=code,
                    task=task.id,
                    template=task.template.id,
                    multiplies=task.template.per != "once",
                    old_due=old.due.date,
                    new_due=task.due.date,
                    old_start=old_start,
                    new_start=new_start,
                    old_status=old.status,
                    new_status=task.status,
                    written=WrittenDates(old.due, task.due, old.start, task.start),
                )
            )
    new_conflicts, resolved = _conflict_changes(before.timeline, after.timeline)
    return PlanChanges(
        shifts=after.timeline.shifts,
        moved=tuple(moved),
        new_conflicts=new_conflicts,
        resolved_conflicts=resolved,
        declared=before.timeline,
        shifted=after.timeline,
    )
