"""The timeline with events shifted, beside the calendar's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from cutover.calendar.model import RevisionCalendar
from cutover.errors import require_instance
from cutover.schedule.model import Conflict, ScheduledEvent
from cutover.schedule.shift import Shift
from cutover.schedule.timeline import Timeline, build_timeline

__all__ = ["WhatIf", "shown_timeline", "what_if"]


@attrs.frozen
class WhatIf:
    """A timeline before and after shifts: what moved, what became late, what got fixed."""

    before: Timeline
    after: Timeline
    #: (event id, due before, due after) for every event whose due date changed, in the
    #: order of `after.events`
    moved: tuple[tuple[str, dt.date, dt.date], ...]
    new_conflicts: tuple[Conflict, ...]
    resolved_conflicts: tuple[Conflict, ...]
    #: (event id, opening before, opening after) for every window whose opening changed,
    #: in the same order (a window can open later and still close on the same day)
    moved_openings: tuple[tuple[str, dt.date, dt.date], ...] = ()

    @property
    def changed(self) -> tuple[str, ...]:
        """Return the ids of the events any of whose dates changed, in the order of
        `after.events`: the due date or the opening shown, or only a date as declared (a
        Saturday 6/30 cutoff moved to Sunday 7/1 is still shown on Friday 6/29, but the
        last day to answer is no longer the day before the revision)."""
        return tuple(
            item.id for item in self.after.events if _dates(self.before[item.id]) != _dates(item)
        )


def _dates(item: ScheduledEvent) -> tuple[dt.date, ...]:
    """Return an event's dates, as declared and as shown: its opening and its due date."""
    return (item.opening.original, item.opening.date, item.due.original, item.due.date)


def what_if(calendar: RevisionCalendar, shifts: Sequence[Shift]) -> WhatIf:
    """Return the timeline before and after `shifts`, and what moved or became late."""
    before = build_timeline(calendar)
    after = build_timeline(calendar, shifts)
    moved = tuple(
        (item.id, before[item.id].due.date, item.due.date)
        for item in after.events
        if before[item.id].due.date != item.due.date
    )
    moved_openings = tuple(
        (item.id, before[item.id].opening.date, item.opening.date)
        for item in after.events
        if before[item.id].opening.date != item.opening.date
    )
    old = {c.identity for c in before.conflicts}
    new = {c.identity for c in after.conflicts}
    return WhatIf(
        before=before,
        after=after,
        moved=moved,
        new_conflicts=tuple(c for c in after.conflicts if c.identity not in old),
        resolved_conflicts=tuple(c for c in before.conflicts if c.identity not in new),
        moved_openings=moved_openings,
    )


def shown_timeline(subject: object, name: str = "subject") -> Timeline:
    """Return the timeline a page of `subject` shows: a `Timeline` itself, a `WhatIf`'s
    timeline after its shifts; raise `TypeError` for anything else (a calendar passed where
    its timeline goes), naming the argument and what to pass."""
    if isinstance(subject, WhatIf):
        return subject.after
    return require_instance(subject, Timeline, name, "common.not-a-timeline-page")
