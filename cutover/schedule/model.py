"""The scheduled timeline's parts: constraints, scheduled events and conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from cutover.calendar.model import Event, Lag
from cutover.jp.closed_days import Adjustment

__all__ = ["CONFLICT_CODES", "Anchor", "Conflict", "Constraint", "Direction", "ScheduledEvent"]

Anchor = Literal["start", "end"]
Direction = Literal["after", "before"]

#: Every conflict code, stable across versions: tools may match on them.
CONFLICT_CODES = (
    "after-effective",
    "dependency-violated",
    "window-all-closed",
    "window-inverted",
)


@attrs.frozen
class Constraint:
    """One dependency as an edge of the graph: `source` comes before `target`."""

    source: str
    target: str
    lag: Lag
    #: the end of the *other* event the lag counts from (the source's for "after",
    #: the target's for "before")
    anchor: Anchor
    direction: Direction
    #: where the dependency is written, e.g. ``events[3].after[0]``
    key: str = ""
    line: int | None = None

    @property
    def owner(self) -> str:
        """Return the id of the event whose ``after`` or ``before`` declares the dependency."""
        return self.target if self.direction == "after" else self.source

    @property
    def other(self) -> str:
        """Return the id of the event the dependency refers to."""
        return self.source if self.direction == "after" else self.target


@attrs.frozen
class ScheduledEvent:
    """An event with its dates worked out: earliest, adjusted off closed days, and latest."""

    event: Event
    #: declared or derived, before any closed-day adjustment
    start: dt.date
    #: equal to `start` for milestones and deadlines
    end: dt.date
    #: the start moved to the next business day when a window opens on a closed day
    opening: Adjustment
    #: the end moved to the previous business day for deadlines and window ends
    due: Adjustment
    #: the start came from dependencies, not from a declared date
    derived: bool
    shifted: Lag | None
    #: the latest dates that keep the revision on its date; None with no path to it
    latest_start: dt.date | None
    latest_end: dt.date | None
    slack_days: int | None
    critical: bool

    @property
    def id(self) -> str:
        """Return the event id."""
        return self.event.id

    @property
    def moved(self) -> bool:
        """Return True when the opening or the due date was moved off a closed day."""
        return self.opening.moved or self.due.moved


@attrs.frozen
class Conflict:
    """A declared date or a shift that breaks a dependency, or a window that cannot be."""

    #: stable: one of `CONFLICT_CODES`
    code: str
    event: str
    other: str | None
    message: str
    fix: str
    message_ja: str = ""
    fix_ja: str = ""
    #: the TOML key of the dependency or event at fault, when known
    key: str | None = None

    @property
    def identity(self) -> tuple[str, str, str]:
        """Return what identifies the conflict across two timelines: code and events."""
        return (self.code, self.event, self.other or "")


@attrs.frozen
class _Dates:
    start: dt.date
    end: dt.date
    derived: bool


def _anchor_day(dates: _Dates, anchor: Anchor) -> dt.date:
    return dates.start if anchor == "start" else dates.end
