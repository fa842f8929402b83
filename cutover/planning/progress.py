"""Progress over time: how many tasks were done, per task template, week by week.

`progress_by_week` reads the done dates of a plan's tasks (`Task.done_on`: the first
evidence dated on or before the as-of date and not before the task's window opened) and
counts, for each ISO week from the week of the first done date to the week of the as-of
date, how many tasks of each calendar task template were done by the end of that week
(cumulative; the last week ends on the as-of date). Evidence dated after the as-of date
is not counted: the planner does not take it.

A task reported done in readiness.csv carries no date; it is counted apart, as done on a
date unknown. Tasks that do not apply (n/a) are not counted as applicable.
"""

from __future__ import annotations

import bisect
import datetime as dt

import attrs

from cutover.errors import require_instance
from cutover.planning.model import Plan, TaskStatus

__all__ = ["ProgressRow", "ProgressTable", "progress_by_week", "week_of"]


def week_of(day: dt.date) -> dt.date:
    """Return the Monday of the ISO week of `day`."""
    return day - dt.timedelta(days=day.weekday())


@attrs.frozen
class ProgressRow:
    """The tasks of one template (or all of them): done by the end of each week."""

    #: the calendar task template id (``register``), or "" for the totals row
    template: str
    #: tasks that apply (every status but n/a)
    applicable: int
    #: tasks done by the end of each week of the table, cumulative
    cumulative: tuple[int, ...]
    #: tasks done on a date unknown (reported done in readiness.csv)
    undated: int

    @property
    def done(self) -> int:
        """Return every task done by the as-of date, dated or not."""
        return (self.cumulative[-1] if self.cumulative else 0) + self.undated


@attrs.frozen
class ProgressTable:
    """Tasks done per template and ISO week, from the first done date to the as-of date."""

    as_of: dt.date
    #: the Monday of each week, oldest first; empty when no task has a done date
    weeks: tuple[dt.date, ...]
    #: one row per task template that some agency has, in the calendar's order
    rows: tuple[ProgressRow, ...]

    def __bool__(self) -> bool:
        """Return True when some task has a done date (there is progress to show)."""
        return bool(self.weeks)

    @property
    def totals(self) -> ProgressRow:
        """Return the sum of every row."""
        return ProgressRow(
            template="",
            applicable=sum(r.applicable for r in self.rows),
            cumulative=tuple(
                sum(r.cumulative[i] for r in self.rows) for i in range(len(self.weeks))
            ),
            undated=sum(r.undated for r in self.rows),
        )


def progress_by_week(plan: Plan) -> ProgressTable:
    """Return the tasks of `plan` done per task template and ISO week, up to its as-of date."""
    require_instance(plan, Plan, "plan", "common.not-a-plan")
    order = [template.id for template in plan.calendar.tasks]
    applicable: dict[str, int] = dict.fromkeys(order, 0)
    dated: dict[str, list[dt.date]] = {template_id: [] for template_id in order}
    undated: dict[str, int] = dict.fromkeys(order, 0)
    for agency_plan in plan.agencies:
        for task in agency_plan.tasks:
            if not task.status.counted:
                continue
            template_id = task.template.id
            applicable[template_id] += 1
            if task.status is not TaskStatus.DONE:
                continue
            # The planner already ignores evidence after the as-of date; a task made in
            # code may not have been through it.
            if task.done_on is not None and task.done_on <= plan.as_of:
                dated[template_id].append(task.done_on)
            elif task.done_on is None:
                undated[template_id] += 1
    for days in dated.values():
        days.sort()
    first = min((days[0] for days in dated.values() if days), default=None)
    weeks: tuple[dt.date, ...] = ()
    if first is not None:
        last = week_of(plan.as_of)
        monday = week_of(first)
        found = []
        while monday <= last:
            found.append(monday)
            monday += dt.timedelta(days=7)
        weeks = tuple(found)
    ends = tuple(min(monday + dt.timedelta(days=6), plan.as_of) for monday in weeks)
    rows = tuple(
        ProgressRow(
            template=template_id,
            applicable=applicable[template_id],
            cumulative=tuple(bisect.bisect_right(dated[template_id], end) for end in ends),
            undated=undated[template_id],
        )
        for template_id in order
        if applicable[template_id]
    )
    return ProgressTable(as_of=plan.as_of, weeks=weeks, rows=rows)
