"""Days the timeline works out outside the years the holiday data covers (1949–2099).

The loader refuses a date written outside those years, but a day worked out from one
inside them can still leave them: a deadline on a closed day moved back before
1949-01-01, a window opening moved on past 2099-12-31, a lag, a duration or a shift counted
over the edge. The closed days' own error (`OutsideHolidayYears`) can only name the day it
reached, which the user never wrote. Each case here is instead one problem at the event's
key, naming the date, lag, duration or shift the user wrote, which edge it crossed, and
the first or last business day the data covers, which a fix keeps the day on this side of.

`counted` runs one computation and turns a day outside the years into the error a
``*_beyond`` function makes: the caller knows the event, and where it is written.
`after_lag` and `before_lag` count a dependency's lag so, for the dates and the conflicts.

A day an event falls on must lie inside the years, as a date written in the calendar must
(`cutover.calendar`): the closed days of its year are asked about it. A day that only
bounds another (a conflict's "must end by") need not, when no closed day was counted to
find it: ``1d`` before a revision on 1949-01-01 is 1948-12-31, and the conflict says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from cutover.calendar.model import EFFECTIVE, Event, Lag
from cutover.errors import CutoverError
from cutover.i18n.catalogue import Msg
from cutover.jp.closed_days import (
    FIRST_YEAR,
    LAST_YEAR,
    Adjustment,
    ClosedDays,
    OutsideHolidayYears,
    in_holiday_years,
)
from cutover.schedule.model import Constraint, _amount, _anchor, _lag
from cutover.schedule.shift import _minus, _plus

__all__ = [
    "Beyond",
    "after_lag",
    "before_lag",
    "closed_day_beyond",
    "counted",
    "duration_beyond",
    "kept_due",
    "kept_opening",
    "latest_beyond",
    "shift_beyond",
]

_T = TypeVar("_T")

#: What a problem about a day outside the years says of the edge it crossed: ``beyond``
#: (after 2099 / before 1949), ``stay`` (on or before the last business day the data
#: covers / on or after the first), ``first`` and ``last`` (the years).
Beyond = dict[str, object]


def _beyond(closed: ClosedDays, day: dt.date) -> Beyond:
    """Return what a problem says of `day`, outside the years, and of the edge it crossed."""
    if day.year > LAST_YEAR:
        last_open = closed.previous_business_day(dt.date(LAST_YEAR, 12, 31))
        beyond = Msg("schedule.beyond-after", {"last": LAST_YEAR})
        stay = Msg("schedule.stay-until", {"day": last_open.isoformat()})
    else:
        first_open = closed.next_business_day(dt.date(FIRST_YEAR, 1, 1))
        beyond = Msg("schedule.beyond-before", {"first": FIRST_YEAR})
        stay = Msg("schedule.stay-from", {"day": first_open.isoformat()})
    return {"beyond": beyond, "stay": stay, "first": FIRST_YEAR, "last": LAST_YEAR}


def counted(
    closed: ClosedDays,
    count: Callable[[], _T],
    fail: Callable[[Beyond], CutoverError],
    *,
    event_day: bool = False,
) -> _T:
    """Return what `count` works out (a day, or a day moved off a closed day); raise `fail`'s
    error when a day it counts over lies outside the years the holiday data covers, or
    the day it gives, when that is an `event_day` (one an event falls on)."""
    try:
        found = count()
    except OutsideHolidayYears as err:
        day = err.day
    else:
        if not (event_day and isinstance(found, dt.date) and not in_holiday_years(found)):
            return found
        day = found
    raise fail(_beyond(closed, day))


def after_lag(
    closed: ClosedDays,
    c: Constraint,
    anchor_day: dt.date,
    file: str | None,
    *,
    event_day: bool = False,
) -> dt.date:
    """Return the earliest day dependency `c` allows, its lag counted on from `anchor_day`
    (`event_day`: the day the event starts on, then)."""
    return counted(
        closed,
        lambda: _plus(closed, anchor_day, c.lag),
        lag_beyond(c, file, anchor_day),
        event_day=event_day,
    )


def before_lag(closed: ClosedDays, c: Constraint, anchor_day: dt.date, file: str | None) -> dt.date:
    """Return the latest day dependency `c` (a ``before``) allows, its lag counted back from
    `anchor_day`."""
    return counted(
        closed, lambda: _minus(closed, anchor_day, c.lag), lag_beyond(c, file, anchor_day)
    )


def _written(range_label: str, day: dt.date) -> object:
    """Return a date as the user wrote it, with the day it stands for when that differs
    (``2018-05 下旬`` begins on 2018-05-21)."""
    if range_label == day.isoformat():
        return range_label
    return Msg("schedule.written-as", {"day": day.isoformat(), "label": range_label})


def _where(event: Event, field: str) -> str:
    """Return the key of one field of `event` (its id when the calendar is built in code;
    the revision's date is ``revision.effective`` itself)."""
    if event.id == EFFECTIVE and event.key:
        return event.key
    return f"{event.key or event.id}.{field}"


def closed_day_beyond(
    event: Event, file: str | None, day: dt.date, *, forward: bool, shifted: bool = False
) -> Callable[[Beyond], CutoverError]:
    """Return the error of `event`'s `day`, a closed day, moved to the next business day
    (`forward`: a window's opening, the day queries are re-issued from) or the previous one
    (a deadline, a window's end, the last day to answer) outside the years; `shifted` says
    a what-if shift moved the day from the one written."""
    if forward:
        declared = event.start
        field = "start" if event.is_window else "date"
        part = "schedule.part-start" if event.is_window else "schedule.part-date"
    elif event.is_window:
        declared, field, part = event.end, "end", "schedule.part-end"
    else:
        declared, field, part = event.start, "date", "schedule.part-date"
    written: object = day.isoformat()
    if declared is not None and not shifted:
        written = _written(declared.label, day)
    elif declared is None:
        # Worked out from its dependencies or its duration: the user wrote those.
        field = "duration" if event.is_window and event.duration and not forward else "after"

    def fail(beyond: Beyond) -> CutoverError:
        return CutoverError.of(
            "schedule.closed-day-beyond-years",
            file=file,
            line=event.line,
            key=_where(event, field),
            event=event.id,
            part=Msg(part),
            written=written,
            toward=Msg("schedule.toward-next" if forward else "schedule.toward-previous"),
            **beyond,
        )

    return fail


def lag_beyond(
    c: Constraint, file: str | None, anchor_day: dt.date
) -> Callable[[Beyond], CutoverError]:
    """Return the error of dependency `c`'s lag counted from `anchor_day` outside the years."""

    def fail(beyond: Beyond) -> CutoverError:
        relation = "schedule.relation-start" if c.direction == "after" else "schedule.relation-end"
        return CutoverError.of(
            "schedule.lag-beyond-years",
            file=file,
            line=c.line,
            key=c.key or None,
            event=c.owner,
            other=c.other,
            relation=Msg(relation),
            lag_phrase=_lag(c.lag, c.direction),
            anchor=_anchor(c),
            anchor_day=anchor_day.isoformat(),
            lag=str(c.lag),
            **beyond,
        )

    return fail


def latest_beyond(
    c: Constraint, file: str | None, anchor_day: dt.date
) -> Callable[[Beyond], CutoverError]:
    """Return the error of the latest dates of `c`'s source, counted back from `anchor_day`
    (the latest start or end of `c`'s target, for the revision to keep its date), outside
    the years."""
    # An ``after`` bounds the source's end (or start) by the target's latest start.
    own = (
        "schedule.part-start"
        if c.direction == "after" and c.anchor == "start"
        else "schedule.part-end"
    )
    verb = "start" if c.direction == "after" or c.anchor == "start" else "end"

    def fail(beyond: Beyond) -> CutoverError:
        return CutoverError.of(
            "schedule.latest-beyond-years",
            file=file,
            line=c.line,
            key=c.key or None,
            event=c.source,
            other=c.target,
            own=Msg(own),
            verb=Msg(f"schedule.part-{verb}"),
            anchor_day=anchor_day.isoformat(),
            lag=str(c.lag),
            **beyond,
        )

    return fail


def duration_beyond(
    event: Event, file: str | None, opening: dt.date, duration: Lag
) -> Callable[[Beyond], CutoverError]:
    """Return the error of a window whose duration, from `opening`, ends outside the years."""

    def fail(beyond: Beyond) -> CutoverError:
        return CutoverError.of(
            "schedule.duration-beyond-years",
            file=file,
            line=event.line,
            key=_where(event, "duration"),
            event=event.id,
            duration=_amount(duration),
            opening=opening.isoformat(),
            **beyond,
        )

    return fail


def shift_beyond(
    event: Event, file: str | None, shift: str, day: dt.date
) -> Callable[[Beyond], CutoverError]:
    """Return the error of a what-if shift that moves `event`'s `day` outside the years."""

    def fail(beyond: Beyond) -> CutoverError:
        return CutoverError.of(
            "schedule.shift-beyond-years",
            file=file,
            line=event.line,
            key=event.key or event.id,
            event=event.id,
            shift=shift,
            day=day.isoformat(),
            **beyond,
        )

    return fail


def kept_opening(
    closed: ClosedDays, event: Event, day: dt.date, file: str | None, *, shifted: bool = False
) -> Adjustment:
    """Return `day`, an opening of `event`, as the timeline keeps it: a window's that adjusts
    moved on to the next business day when closed; any other as it is."""
    if not (event.is_window and event.adjust):
        return Adjustment(day, day, None)
    return counted(
        closed,
        lambda: closed.adjust_opening(day),
        closed_day_beyond(event, file, day, forward=True, shifted=shifted),
    )


def kept_due(
    closed: ClosedDays, event: Event, day: dt.date, file: str | None, *, shifted: bool = False
) -> Adjustment:
    """Return `day`, an end of `event`, as the timeline keeps it: a deadline's or a window's
    that adjusts moved back to the previous business day when closed; a milestone's, or
    one written with ``adjust = false``, as it is."""
    if event.type == "milestone" or not event.adjust:
        return Adjustment(day, day, None)
    return counted(
        closed,
        lambda: closed.adjust_deadline(day),
        closed_day_beyond(event, file, day, forward=False, shifted=shifted),
    )
