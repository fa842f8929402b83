"""Conflicts between a calendar's declared dates and its dependencies, and their descriptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from cutover.calendar.model import EFFECTIVE, Event, Lag
from cutover.jp.closed_days import ClosedDays
from cutover.jp.wareki import format_english, format_wareki
from cutover.schedule.model import Conflict, Constraint, Direction, _anchor_day, _Dates
from cutover.schedule.shift import _minus, _plus

# --- messages -----------------------------------------------------------------------------


def _title(event: Event) -> str:
    """Return how a message names an event: its title and, to find it in the file, its id."""
    return f"{event.title_en} ({event.id})" if event.title_en else event.id


def _title_ja(event: Event) -> str:
    return f"{event.title_ja}（{event.id}）" if event.title_ja else event.id


def _amount_en(lag: Lag) -> str:
    """Return ``3 business days`` / ``1 day`` (the size of the lag, without its sign)."""
    n = abs(lag.days)
    return f"{n} {'business day' if lag.business else 'day'}{'' if n == 1 else 's'}"


def _lag_en(lag: Lag, direction: Direction) -> str:
    """Return ``3 business days after`` / ``2 days before`` / ``when`` for a lag of zero."""
    if lag.days == 0:
        return "when"
    forward = (lag.days > 0) == (direction == "after")
    return f"{_amount_en(lag)} {'after' if forward else 'before'}"


def _lag_ja(lag: Lag, direction: Direction) -> str:
    """Return ``3営業日後`` / ``2日前`` / ``当日`` for a lag of zero."""
    n = abs(lag.days)
    if n == 0:
        return "当日"
    forward = (lag.days > 0) == (direction == "after")
    return f"{n}{'営業日' if lag.business else '日'}{'後' if forward else '前'}"


_VERB_EN = {"start": "starts", "end": "ends"}
_NOUN_JA = {"start": "開始", "end": "終了"}


def _after_conflict(
    c: Constraint,
    owner: Event,
    other: Event,
    start: dt.date,
    anchor_day: dt.date,
    required: dt.date,
) -> Conflict:
    en, ja = format_english, format_wareki
    message = (
        f"{_title(owner)} starts {en(start)}, earlier than {_lag_en(c.lag, 'after')} "
        f"{_title(other)} {_VERB_EN[c.anchor]} ({en(anchor_day)}): "
        f"it can start on {en(required)} at the earliest"
    )
    fix = (
        f"move {owner.id} to {en(required)} or later, move {other.id} earlier, "
        f"or change the dependency at {c.key} (lag {c.lag})"
    )
    message_ja = (
        f"{_title_ja(owner)}の開始（{ja(start)}）が、{_title_ja(other)}の{_NOUN_JA[c.anchor]}"
        f"（{ja(anchor_day)}）の{_lag_ja(c.lag, 'after')}より前です"
        f"（最も早くて{ja(required)}）"
    )
    fix_ja = (
        f"{owner.id} を{ja(required)}以降に移すか、{other.id} を早めるか、"
        f"{c.key} の依存関係（ラグ {c.lag}）を見直してください"
    )
    return Conflict(
        "dependency-violated", owner.id, other.id, message, fix, message_ja, fix_ja, c.key
    )


def _before_conflict(
    c: Constraint,
    owner: Event,
    other: Event,
    end: dt.date,
    anchor_day: dt.date,
    limit: dt.date,
) -> Conflict:
    en, ja = format_english, format_wareki
    if other.id == EFFECTIVE:
        if end > anchor_day:
            message = (
                f"{_title(owner)} ends {en(end)}, after the revision takes effect {en(anchor_day)}"
            )
            message_ja = (
                f"{_title_ja(owner)}の終了（{ja(end)}）が、改版の適用開始（{ja(anchor_day)}）"
                "より後です"
            )
        else:
            message = (
                f"{_title(owner)} ends {en(end)}, less than {_amount_en(c.lag)} "
                f"before the revision takes effect {en(anchor_day)}"
            )
            message_ja = (
                f"{_title_ja(owner)}の終了（{ja(end)}）が、改版の適用開始（{ja(anchor_day)}）の"
                f"{_lag_ja(c.lag, 'before')}より後です"
            )
        if limit != anchor_day:
            message += f": it must end by {en(limit)}"
            message_ja += f"（{ja(limit)}までに終了が必要）"
        fix = (
            f"end {owner.id} by {en(limit)} (the revision date is set by the ministry and "
            "does not move for a plan), "
            f"or change the dependency at {c.key} (lag {c.lag})"
        )
        fix_ja = (
            f"{owner.id} を{ja(limit)}までに終えるよう前倒ししてください"
            "（改版の適用開始日は総務省が定める日で、計画の都合では動きません）"
        )
        return Conflict(
            "after-effective", owner.id, other.id, message, fix, message_ja, fix_ja, c.key
        )
    message = (
        f"{_title(owner)} ends {en(end)}, later than {_lag_en(c.lag, 'before')} "
        f"{_title(other)} {_VERB_EN[c.anchor]} ({en(anchor_day)}): it must end by {en(limit)}"
    )
    fix = (
        f"end {owner.id} by {en(limit)}, move {other.id} later, "
        f"or change the dependency at {c.key} (lag {c.lag})"
    )
    message_ja = (
        f"{_title_ja(owner)}の終了（{ja(end)}）が、{_title_ja(other)}の{_NOUN_JA[c.anchor]}"
        f"（{ja(anchor_day)}）の{_lag_ja(c.lag, 'before')}より後です（{ja(limit)}までに終了が必要）"
    )
    fix_ja = (
        f"{owner.id} を{ja(limit)}までに終えるか、{other.id} を遅らせるか、"
        f"{c.key} の依存関係（ラグ {c.lag}）を見直してください"
    )
    return Conflict(
        "dependency-violated", owner.id, other.id, message, fix, message_ja, fix_ja, c.key
    )


def _inverted_conflict(event: Event, start: dt.date, end: dt.date, derived: bool) -> Conflict:
    en, ja = format_english, format_wareki
    why = " (its start comes from its dependencies)" if derived else ""
    why_ja = "（開始日は前提となる行事から導かれています）" if derived else ""
    return Conflict(
        "window-inverted",
        event.id,
        None,
        f"{_title(event)} ends {en(end)} before it starts {en(start)}{why}",
        "give a later end (or a longer duration), or move the events it starts after earlier",
        f"{_title_ja(event)}の終了（{ja(end)}）が開始（{ja(start)}）より前です{why_ja}",
        "終了日を遅らせる（期間を延ばす）か、開始の前提となる行事を早めてください",
        event.key or None,
    )


def _all_closed_conflict(event: Event, opening: dt.date, due: dt.date) -> Conflict:
    en, ja = format_english, format_wareki
    return Conflict(
        "window-all-closed",
        event.id,
        None,
        f"{_title(event)} has no business day: moved off closed days it would open "
        f"{en(opening)} and be due {en(due)}",
        "widen the window so that it holds a business day, or set adjust = false",
        f"{_title_ja(event)}の期間はすべて閉庁日です（開始{ja(opening)}、期限{ja(due)}）",
        "期間に開庁日が含まれるよう広げるか、adjust = false としてください",
        event.key or None,
    )


def _conflicts(
    constraints: Sequence[Constraint],
    events: Mapping[str, Event],
    dates: Mapping[str, _Dates],
    closed: ClosedDays,
) -> list[Conflict]:
    """Return every dependency the computed dates break, unsorted."""
    found: list[Conflict] = []
    for c in constraints:
        source, target = dates[c.source], dates[c.target]
        if c.direction == "after":
            anchor_day = _anchor_day(source, c.anchor)
            required = _plus(closed, anchor_day, c.lag)
            if target.start < required:
                found.append(
                    _after_conflict(
                        c, events[c.target], events[c.source], target.start, anchor_day, required
                    )
                )
        else:
            anchor_day = _anchor_day(target, c.anchor)
            limit = _minus(closed, anchor_day, c.lag)
            if source.end > limit:
                found.append(
                    _before_conflict(
                        c, events[c.source], events[c.target], source.end, anchor_day, limit
                    )
                )
    return found
