"""What-if shifts of events (``duplicate-registration=+3bd``): parsed and applied to dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import attrs

from cutover.calendar.model import Event, Lag, parse_lag
from cutover.errors import CutoverError, clip, require_instance, require_text, suggest, type_error
from cutover.i18n.catalogue import Msg
from cutover.jp.closed_days import ClosedDays
from cutover.jp.vocabulary import normalize_text

__all__ = ["Shift", "parse_shift"]


# --- models --------------------------------------------------------------------------------


@attrs.frozen
class Shift:
    """A what-if: one event moved by a lag, and everything after it with it."""

    event: str
    lag: Lag

    def __str__(self) -> str:
        return f"{self.event}={self.lag}"


def parse_shift(text: str) -> Shift:
    """Return the shift written as ``EVENT=+3bd`` or ``EVENT=-2d`` (full-width accepted)."""
    require_text(text, "text")
    event, sep, lag_text = text.partition("=")
    if not sep:
        event, sep, lag_text = text.partition("＝")
    event_id = normalize_text(event)
    # A shift is quoted back shortened: it may be as long as a command line.
    shown = clip(text, 60)
    if not sep or not event_id or not lag_text.strip():
        raise CutoverError.of("schedule.not-a-shift", shift=shown)
    try:
        lag = parse_lag(lag_text)
    except CutoverError as err:
        if err.problems[0].code == "calendar.lag-too-long":
            too_long = err.problems[0].params
            raise CutoverError.of(
                "schedule.shift-lag-too-long",
                shift=shown,
                lag=too_long["lag"],
                most=too_long["most"],
            ) from None
        raise CutoverError.of(
            "schedule.shift-not-a-lag", shift=shown, lag=clip(lag_text.strip(), 40)
        ) from None
    return Shift(event_id, lag)


# --- date arithmetic --------------------------------------------------------------------------


def _plus(closed: ClosedDays, day: dt.date, lag: Lag) -> dt.date:
    """Return the earliest date `lag` after `day` (business days via `add_business_days`)."""
    if lag.business:
        return closed.add_business_days(day, lag.days)
    return day + dt.timedelta(days=lag.days)


def _minus(closed: ClosedDays, day: dt.date, lag: Lag) -> dt.date:
    """Return the latest date `lag` before `day`, business lags counting business days back."""
    if not lag.business:
        return day - dt.timedelta(days=lag.days)
    if lag.days == 0:
        # "0bd" forward means "the same business day or the next": backward, the same or
        # the previous one.
        return closed.previous_business_day(day)
    return closed.add_business_days(day, -lag.days)


def _shift(
    closed: ClosedDays, day: dt.date, lag: Lag, seen: Callable[[dt.date], dt.date]
) -> dt.date:
    """Return `day` moved by a shift's lag (a zero lag leaves it alone, even on a closed day).

    A business-day lag counts from the date people see, `seen(day)`: a deadline on Saturday
    6/30 is seen on Friday 6/29, so ``-1bd`` makes it Thursday 6/28 (counting from 6/30
    would give 6/29 again: nothing moved); a window opening on Sunday 7/1 is seen on Monday
    7/2, so ``+7bd`` opens it seven business days after 7/2, and its length in business
    days is kept.
    """
    if lag.days == 0:
        return day
    if lag.business:
        return closed.add_business_days(seen(day), lag.days)
    return day + dt.timedelta(days=lag.days)


#: The most events whose titles hold the words typed for a shift that its fix names.
_MOST_TITLED = 5


def _meant(shift: Shift, events: Mapping[str, Event]) -> Msg:
    """Return the fix for a shift of an event the calendar lacks: the event whose title holds
    what was typed (副本登録: duplicate-registration, written with its id), those events
    with their titles when several do, else the id nearest in spelling or every id."""
    typed = normalize_text(shift.event)
    titled = [
        e
        for e in events.values()
        if len(typed) > 1
        and (typed in normalize_text(e.title_ja) or typed in normalize_text(e.title_en))
    ]
    if not titled or len(titled) > _MOST_TITLED:
        # (None, or words too common to tell one event: "e" is in nineteen titles.)
        return suggest(shift.event, list(events))
    first = f"{titled[0].id}={shift.lag}"
    if len(titled) == 1:
        (event,) = titled
        said = {"title_ja": event.title_ja, "title_en": event.title_en}
        return Msg("schedule.shift-by-title", {**said, "shift": first})
    named = {
        "choices_ja": tuple(f"{e.id}（{e.title_ja}）" for e in titled),
        "choices_en": tuple(f"{e.id} ({e.title_en})" for e in titled),
    }
    return Msg("schedule.shift-by-titles", {**named, "typed": shift.event, "shift": first})


def _index_shifts(
    shifts: Iterable[Shift], events: Mapping[str, Event], file: str | None
) -> dict[str, Shift]:
    by_event: dict[str, Shift] = {}
    if isinstance(shifts, (Shift, str)):
        # (One shift given bare, or its text: 'Shift' object is not iterable, said so.)
        raise type_error("common.not-shifts", "shifts", shifts)
    for shift in shifts:
        require_instance(shift, Shift, "shifts", "common.not-a-shift")
        if shift.event not in events:
            raise CutoverError.of(
                "schedule.unknown-shifted-event",
                file=file,
                event=clip(shift.event, 60),
                suggestion=_meant(shift, events),
            )
        if shift.event in by_event:
            raise CutoverError.of(
                "schedule.shifted-twice",
                event=shift.event,
                first=str(by_event[shift.event]),
                second=str(shift),
            )
        by_event[shift.event] = shift
    return by_event
