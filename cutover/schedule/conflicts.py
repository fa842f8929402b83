"""Conflicts between a calendar's declared dates and its dependencies.

Each conflict carries the days and lags its text names; the text itself is the catalogue's
(``schedule.…``), written in the reader's language where it is shown (`Conflict.describe`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from cutover.calendar.model import EFFECTIVE, Event, RevisionKind
from cutover.i18n.catalogue import Msg
from cutover.jp.closed_days import ClosedDays
from cutover.schedule.model import (
    Conflict,
    Constraint,
    EventName,
    _amount,
    _anchor,
    _anchor_day,
    _Dates,
    _lag,
)
from cutover.schedule.years import after_lag, before_lag, kept_due, kept_opening

# --- the parts of a conflict's text ---------------------------------------------------------


def _dependency(c: Constraint, owner: Event, other: Event) -> dict[str, object]:
    """Return the parameters every text of a broken dependency names."""
    return {
        "event": owner.id,
        "event_name": EventName.of(owner),
        "other": other.id,
        "other_name": EventName.of(other),
        "lag": c.lag,
        "where": c.key,
    }


# --- conflicts ------------------------------------------------------------------------------


def _after_conflict(
    c: Constraint,
    owner: Event,
    other: Event,
    start: dt.date,
    anchor_day: dt.date,
    required: dt.date,
) -> Conflict:
    params = _dependency(c, owner, other) | {
        "start": start,
        "lag_phrase": _lag(c.lag, "after"),
        "anchor": _anchor(c),
        "anchor_day": anchor_day,
        "required": required,
    }
    return Conflict(
        "dependency-violated",
        owner.id,
        other.id,
        "schedule.dependency-violated-after",
        params,
        c.key,
    )


def _before_conflict(
    c: Constraint,
    owner: Event,
    other: Event,
    end: dt.date,
    anchor_day: dt.date,
    limit: dt.date,
    kind: RevisionKind,
    kept: dt.date,
) -> Conflict:
    """Return the conflict of `owner` ending on `end`, after `limit`, the latest day `c`
    allows (said as `kept`, the day the timeline keeps for it)."""
    params = _dependency(c, owner, other) | {"end": end, "anchor_day": anchor_day, "limit": kept}
    if other.id == EFFECTIVE:
        # What takes effect: a layout revision (改版) or a master delivery (マスター配信).
        params["revision"] = Msg(f"schedule.effective-{kind}")
        if end > anchor_day:
            # Ends after the revision takes effect; with a lag, the day it must end by too.
            text_code = (
                "schedule.after-effective"
                if limit == anchor_day
                else "schedule.after-effective-limit"
            )
        else:
            text_code = "schedule.too-close-to-effective"
            params |= {"amount": _amount(c.lag), "lag_phrase": _lag(c.lag, "before")}
        return Conflict("after-effective", owner.id, other.id, text_code, params, c.key)
    params |= {"lag_phrase": _lag(c.lag, "before"), "anchor": _anchor(c)}
    return Conflict(
        "dependency-violated",
        owner.id,
        other.id,
        "schedule.dependency-violated-before",
        params,
        c.key,
    )


def _inverted_conflict(event: Event, start: dt.date, end: dt.date, derived: bool) -> Conflict:
    return Conflict(
        "window-inverted",
        event.id,
        None,
        "schedule.window-inverted-derived" if derived else "schedule.window-inverted",
        {"event_name": EventName.of(event), "start": start, "end": end},
        event.key or None,
    )


def _all_closed_conflict(event: Event, opening: dt.date, due: dt.date) -> Conflict:
    return Conflict(
        "window-all-closed",
        event.id,
        None,
        "schedule.window-all-closed",
        {"event_name": EventName.of(event), "opening": opening, "due": due},
        event.key or None,
    )


def _conflicts(
    constraints: Sequence[Constraint],
    events: Mapping[str, Event],
    dates: Mapping[str, _Dates],
    closed: ClosedDays,
    file: str | None,
    kind: RevisionKind = "layout-revision",
) -> list[Conflict]:
    """Return every dependency the computed dates break, unsorted, the revision's text
    naming its `kind`; raise `CutoverError` for a lag that leaves the years the holiday data
    covers (`cutover.schedule.years`)."""
    found: list[Conflict] = []
    for c in constraints:
        source, target = dates[c.source], dates[c.target]
        if c.direction == "after":
            anchor_day = _anchor_day(source, c.anchor)
            required = after_lag(closed, c, anchor_day, file)
            if target.start < required:
                owner = events[c.target]
                required = kept_opening(closed, owner, required, file).date
                found.append(
                    _after_conflict(c, owner, events[c.source], target.start, anchor_day, required)
                )
        else:
            anchor_day = _anchor_day(target, c.anchor)
            limit = before_lag(closed, c, anchor_day, file)
            if source.end > limit:
                owner = events[c.source]
                # (A remedy never asks for a closed day: the day an end on `limit` is kept on.)
                kept = kept_due(closed, owner, limit, file).date
                found.append(
                    _before_conflict(
                        c, owner, events[c.target], source.end, anchor_day, limit, kind, kept
                    )
                )
    return found
