"""The revision timeline: the events of a calendar as a networkx graph, scheduled to the day.

`build_timeline` turns a `RevisionCalendar` into a `Timeline`: every event with its dates,
the dates it moves to off closed days, how late it may slip before the revision takes
effect, the conflicts between declared dates and dependencies, and the critical path.
`what_if` compares the timeline with and without shifts (``--shift EVENT=+3bd``).

The graph
    One node per event id, `EFFECTIVE` included (the loader makes it from
    ``[revision].effective``). One edge A → B ("A comes first") for every ``after``
    dependency of B on A (``B.start >= A.<anchor> + lag``) and for every ``before``
    dependency of A on B (``A.end + lag <= B.<anchor>``, read as
    ``A.end <= B.<anchor> - lag``). The anchor is the end of the *other* event the lag
    counts from. Edge attributes: ``lag``, ``anchor``, ``direction`` of the first dependency
    between the two events, and ``constraints``: every `Constraint` between them, in the
    order they are written. A cycle is an error (`CutoverError` listing the events on the
    cycle, in order); so is a reference to an unknown event (in a calendar built in code:
    the loader already refuses it in a file).

Dates (the forward pass, in topological order, ties broken by id)
    - A declared `DateRange` gives a window its start (``range.start``) and its end
      (``range.end``); a milestone's or deadline's date is ``range.start``: for
      ``2018-05 下旬`` the conservative reading is the 21st.
    - An undeclared start is the latest of the dates its ``after`` dependencies allow.
      Lags count from the *unadjusted* dates of the other event: ``3bd`` is the third
      business day after (`ClosedDays.add_business_days`), ``3d`` three calendar days.
    - A window with ``duration = "Nbd"`` ends on the N-th business day counting its first
      business day (on or after its start) as day 1; ``"Nd"`` ends on ``start + N - 1``.
    - A declared start earlier than an ``after`` dependency allows is kept as declared and
      reported as a ``dependency-violated`` `Conflict`; so is an end later than a
      ``before`` dependency allows, or ``after-effective`` when the other event is
      `EFFECTIVE` (a registration window or the provision cutoff ending after the revision
      takes effect). A window that ends before it starts is ``window-inverted``; one whose
      every day is closed is ``window-all-closed``.
    - Closed days: with ``adjust = true`` (the default but for milestones) a deadline or a
      window end on a closed day is due on the previous business day, and a window that
      opens on a closed day opens on the next one (`ScheduledEvent.due`,
      `ScheduledEvent.opening`). Milestones never move: the revision took effect on Sunday
      2018-07-01. Adjustments are for people; dependencies use the unadjusted dates.
    - Closed days are known for 1949–2099 only: a day an event falls on, or one counted over
      (a closed-day move, a business-day lag, a duration, a shift), outside those years is
      a `CutoverError` at the event's key, naming what the user wrote
      (`cutover.schedule.years`); the cutoff's days are worked out once on the way, so that
      such a cutoff is refused with the calendar.

Shifts
    A `Shift` moves an event's start and end by its lag after its own dates are worked
    out; every event that depends on it is worked out again from the moved dates. Calendar
    days move the dates as written. Business days count from the dates people see: a
    deadline or window end on a closed day from the previous business day, a window
    opening on a closed day from the next one (``provision-cutoff=-1bd`` moves the
    Saturday 6/30 cutoff, seen on Friday 6/29, to Thursday 6/28).

Slack (the backward pass toward `EFFECTIVE`)
    For an event with a path to `EFFECTIVE`, the latest dates that still let everything
    after it meet its dependencies, `EFFECTIVE` staying on its date: over A → B,
    ``A.<anchor> <= B.latest_start - lag`` (``after``) or
    ``A.end <= B.latest_<anchor> - lag`` (``before``), a business-day lag counting
    business days back. ``slack_days = (latest_end - end).days``; an event is critical when
    its slack is zero *or negative* (negative slack means it is already late, and a
    conflict says why). Events with no path to `EFFECTIVE` have no latest dates. The
    critical path follows binding edges from critical events back from `EFFECTIVE` and is
    given in date order.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Mapping, Sequence

import attrs
import networkx as nx

from cutover.calendar.model import EFFECTIVE, Event, Lag, Recurring, RevisionCalendar
from cutover.errors import CutoverError, NotFound, Problem, require_instance, suggest
from cutover.jp.closed_days import ClosedDays, Closure
from cutover.schedule.conflicts import _all_closed_conflict, _conflicts, _inverted_conflict
from cutover.schedule.model import Conflict, Constraint, ScheduledEvent, _anchor_day, _Dates
from cutover.schedule.shift import Shift, _index_shifts, _minus, _shift
from cutover.schedule.years import (
    after_lag,
    closed_day_beyond,
    counted,
    duration_beyond,
    kept_due,
    kept_opening,
    latest_beyond,
    shift_beyond,
)
from cutover.triage import CutoffRule

__all__ = ["Timeline", "build_timeline"]


@attrs.frozen
class Timeline:
    """A calendar's events scheduled to the day, with conflicts, slack and critical path."""

    calendar: RevisionCalendar
    graph: nx.DiGraph = attrs.field(eq=False, repr=False)
    closed: ClosedDays
    #: in the order people read them: by the days they are acted on (`ScheduledEvent.acted_on`,
    #: off closed days), then by (start, end, id)
    events: tuple[ScheduledEvent, ...]
    conflicts: tuple[Conflict, ...]
    #: event ids in date order, ending at `EFFECTIVE`
    critical_path: tuple[str, ...]
    #: recurring obligations from the earliest event date to the latest, sorted by date
    recurring: tuple[tuple[Recurring, dt.date], ...]
    shifts: tuple[Shift, ...]
    _by_id: Mapping[str, ScheduledEvent] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.event.id: e for e in self.events})

    def __getitem__(self, event_id: str) -> ScheduledEvent:
        """Return the scheduled event with this id, or raise `NotFound` naming the nearest."""
        found = self._by_id.get(event_id)
        if found is None:
            raise NotFound.of(
                "schedule.no-event-in-timeline",
                file=self.calendar.source_file or None,
                event=event_id,
                calendar=self.calendar.id,
                suggestion=suggest(event_id, list(self._by_id)),
            )
        return found

    def get(self, event_id: str) -> ScheduledEvent | None:
        """Return the scheduled event with this id, or None."""
        return self._by_id.get(event_id)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._by_id

    def stays_closed(self, item: ScheduledEvent) -> tuple[Closure | None, Closure | None]:
        """Return the closures of the days `item` is acted on that it stays on: (a window's
        opening, its due date or a milestone's date); None for a business day.

        Only a date the calendar does not move off closed days can be one (a milestone, an
        event with ``adjust = false``): a moved date lands on a business day.
        """
        first, last = item.acted_on
        opening = self.closed.closure(first) if item.event.is_window else None
        return opening, self.closed.closure(last)

    @property
    def effective(self) -> dt.date:
        """Return the date the revision takes effect (moved, when a shift moves it)."""
        found = self._by_id.get(EFFECTIVE)
        return found.start if found is not None else self.calendar.revision.effective

    def cutoff_dates(self) -> CutoffRule | None:
        """Return the provision cutoff as dates, or None when there is none to apply.

        None when the calendar has no cutoff, or when its last provision day is not before
        the day queries are re-issued from (a what-if shift can do that): the timeline then
        reports the conflict, and there is no rule that could be applied to queries.
        (`build_timeline` works them out once: a day moved off a closed day outside the
        holiday data's years is refused there, at the event's key.)
        """
        spec = self.calendar.cutoff
        if spec is None:
            return None
        last_event, effective_event = self[spec.last_provision], self[spec.requery_from]
        last, effective = last_event.end, effective_event.start
        if last >= effective:
            return None
        file = self.calendar.source_file or None
        return CutoffRule(
            items=spec.items,
            last_provision=last,
            # Answering is a business act: it happens on a business day whatever `adjust`
            # says about the event (a milestone, say).
            answer_by=counted(
                self.closed,
                lambda: self.closed.previous_business_day(last),
                closed_day_beyond(
                    last_event.event, file, last, forward=False, shifted=bool(last_event.shifted)
                ),
            ),
            effective=effective,
            reissue_from=counted(
                self.closed,
                lambda: self.closed.next_business_day(effective),
                closed_day_beyond(
                    effective_event.event,
                    file,
                    effective,
                    forward=True,
                    shifted=bool(effective_event.shifted),
                ),
            ),
            section=spec.section,
            what_if=tuple(
                str(s)
                for s in self.shifts
                if s.event
                in self._dated_by(spec.last_provision) | self._dated_by(spec.requery_from)
            ),
        )

    def _dated_by(self, event_id: str) -> set[str]:
        """Return the events whose dates `event_id`'s dates are worked out from: itself, and
        for a derived start the events it comes `after`, and theirs (a shift of any of them
        moves it; a shift of another event does not)."""
        found: set[str] = set()
        todo = [event_id]
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.add(current)
            event = self[current].event
            if event.start is None:
                todo.extend(dep.event for dep in event.after)
        return found


# --- building the graph -------------------------------------------------------------------


def _index_events(calendar: RevisionCalendar) -> dict[str, Event]:
    """Return the calendar's events by id, refusing duplicates and unknown references."""
    events: dict[str, Event] = {}
    problems: list[Problem] = []
    file = calendar.source_file or None
    for event in calendar.events:
        if event.id in events:
            problems.append(
                Problem(
                    file=file,
                    line=event.line,
                    key=f"{event.key}.id" if event.key else None,
                    code="schedule.duplicate-event-id",
                    params={"event": event.id},
                )
            )
        else:
            events[event.id] = event
    if problems:
        raise CutoverError.from_problems(problems)
    ids = list(events)
    for event in calendar.events:
        for dep in (*event.after, *event.before):
            if dep.event not in events:
                problems.append(
                    Problem(
                        file=file,
                        line=event.line,
                        key=f"{event.key or event.id}.{dep.direction}",
                        code="schedule.unknown-dependency",
                        params={
                            "event": event.id,
                            "other": dep.event,
                            "suggestion": suggest(dep.event, ids),
                        },
                    )
                )
    if problems:
        raise CutoverError.from_problems(problems)
    return events


def _constraints(events: Mapping[str, Event]) -> list[Constraint]:
    """Return every dependency of every event as a graph edge, in the order written."""
    found: list[Constraint] = []
    for event in events.values():
        where = event.key or event.id
        for i, dep in enumerate(event.after):
            found.append(
                Constraint(
                    dep.event,
                    event.id,
                    dep.lag,
                    dep.anchor,
                    "after",
                    f"{where}.after[{i}]",
                    event.line,
                )
            )
        for i, dep in enumerate(event.before):
            found.append(
                Constraint(
                    event.id,
                    dep.event,
                    dep.lag,
                    dep.anchor,
                    "before",
                    f"{where}.before[{i}]",
                    event.line,
                )
            )
    return found


def _graph(events: Mapping[str, Event], constraints: Sequence[Constraint]) -> nx.DiGraph:
    """Return the dependency graph: a node per event, an edge per ordered pair of events."""
    graph = nx.DiGraph()
    for event_id, event in events.items():
        graph.add_node(event_id, event=event)
    by_pair: dict[tuple[str, str], list[Constraint]] = {}
    for c in constraints:
        by_pair.setdefault((c.source, c.target), []).append(c)
    for (source, target), between in by_pair.items():
        first = between[0]
        graph.add_edge(
            source,
            target,
            lag=first.lag,
            anchor=first.anchor,
            direction=first.direction,
            constraints=tuple(between),
        )
    return graph


def _order(graph: nx.DiGraph, events: Mapping[str, Event], file: str | None) -> list[str]:
    """Return the event ids in topological order (ties by id), or raise on a cycle."""
    try:
        return list(nx.lexicographical_topological_sort(graph))
    except nx.NetworkXUnfeasible:
        pass
    cycle = [source for source, _ in nx.find_cycle(graph)]
    # Start from the event written first in the file: the cycle reads like the calendar.
    position = {event_id: i for i, event_id in enumerate(events)}
    first = min(range(len(cycle)), key=lambda i: position[cycle[i]])
    cycle = cycle[first:] + cycle[:first]
    # Located at the step of the cycle written first in the file: an `after` or `before` the
    # calendar holds (the revision's effective date, first of all, has neither).
    steps: list[Constraint] = [
        c
        for source, target in itertools.pairwise([*cycle, cycle[0]])
        for c in graph.edges[source, target]["constraints"]
    ]
    written = min(steps, key=lambda c: (position[c.owner], c.direction != "after", c.key))
    raise CutoverError.of(
        "schedule.cycle",
        file=file,
        line=written.line,
        key=written.key,
        cycle=" → ".join([*cycle, cycle[0]]),
    )


# --- scheduling ---------------------------------------------------------------------------


def _forward(
    order: Sequence[str],
    events: Mapping[str, Event],
    after_in: Mapping[str, Sequence[Constraint]],
    shifts: Mapping[str, Shift],
    closed: ClosedDays,
    file: str | None,
) -> dict[str, _Dates]:
    """Return each event's unadjusted start and end, worked out in topological order."""
    dates: dict[str, _Dates] = {}
    for event_id in order:
        event = events[event_id]
        try:
            dates[event_id] = _dates_of(
                event, after_in.get(event_id, ()), dates, shifts.get(event_id), closed
            )
        except CutoverError as err:
            raise err.at(file=file, line=event.line, key=event.key or event.id) from None
    return dates


def _dates_of(
    event: Event,
    after: Sequence[Constraint],
    known: Mapping[str, _Dates],
    shift: Shift | None,
    closed: ClosedDays,
) -> _Dates:
    """Return one event's dates from its declaration, its dependencies and its shift."""
    if event.start is not None and event.type == "deadline":
        # A deadline given as a span (「4月中旬まで」) is met on its last day, as a window's
        # end is: its first day is a day the source does not give, and would make a task
        # overdue, or an agency a hearing candidate, while the source's deadline still runs.
        start, derived = event.start.end, False
    elif event.start is not None:
        start, derived = event.start.start, False
    elif after:
        # (The file is the caller's to add: `_forward`.)
        start = max(
            after_lag(closed, c, _anchor_day(known[c.source], c.anchor), None, event_day=True)
            for c in after
        )
        derived = True
    else:
        raise CutoverError.of("schedule.no-date", event=event.id)
    if not event.is_window:
        end = start
    elif event.end is not None:
        end = event.end.end
    elif event.duration is not None and event.duration.days > 0:
        end = counted(
            closed,
            functools.partial(_last_day, closed, start, event.duration),
            duration_beyond(event, None, start, event.duration),
            event_day=True,
        )
    else:
        raise CutoverError.of("schedule.window-without-end", event=event.id)
    if shift is not None:
        start = _shifted(closed, event, start, shift, _seen_start(event, closed))
        end = _shifted(closed, event, end, shift, _seen_end(event, closed))
    return _Dates(start, end, derived)


def _last_day(closed: ClosedDays, start: dt.date, duration: Lag) -> dt.date:
    """Return the last day of a window that opens on `start` and lasts `duration`."""
    if duration.business:
        # Day 1 is the first business day the window is open.
        return closed.add_business_days(closed.next_business_day(start), duration.days - 1)
    return start + dt.timedelta(days=duration.days - 1)


def _shifted(
    closed: ClosedDays,
    event: Event,
    day: dt.date,
    shift: Shift,
    seen: Callable[[dt.date], dt.date],
) -> dt.date:
    """Return one of `event`'s days moved by `shift` (`_shift`), inside the years."""
    return counted(
        closed,
        lambda: _shift(closed, day, shift.lag, seen),
        shift_beyond(event, None, str(shift), day),
        event_day=True,
    )


def _unmoved(day: dt.date) -> dt.date:
    return day


def _seen_end(event: Event, closed: ClosedDays) -> Callable[[dt.date], dt.date]:
    """Return how an event's end is seen: a deadline or window end on a closed day, on the
    previous business day (as `_schedule` adjusts it); a milestone, where it falls."""
    if event.type != "milestone" and event.adjust:
        return closed.previous_business_day
    return _unmoved


def _seen_start(event: Event, closed: ClosedDays) -> Callable[[dt.date], dt.date]:
    """Return how an event's start is seen: a window opening on a closed day, on the next
    business day; a deadline's single date as its end; a milestone, where it falls."""
    if event.is_window:
        return closed.next_business_day if event.adjust else _unmoved
    return _seen_end(event, closed)


def _backward(
    order: Sequence[str],
    graph: nx.DiGraph,
    out: Mapping[str, Sequence[Constraint]],
    dates: Mapping[str, _Dates],
    closed: ClosedDays,
    file: str | None,
) -> tuple[dict[str, dt.date], dict[str, tuple[str, ...]]]:
    """Return the latest end of every event with a path to `EFFECTIVE`, and its binding edges."""
    latest_end: dict[str, dt.date] = {}
    binding: dict[str, tuple[str, ...]] = {}
    if EFFECTIVE not in graph:
        return latest_end, binding
    on_path = nx.ancestors(graph, EFFECTIVE)
    latest_end[EFFECTIVE] = dates[EFFECTIVE].end
    span = {event_id: d.end - d.start for event_id, d in dates.items()}
    for event_id in reversed(order):
        if event_id not in on_path:
            continue
        bounds: list[tuple[dt.date, str]] = []
        for c in out.get(event_id, ()):
            if c.target not in latest_end:
                continue
            target_end = latest_end[c.target]
            target_start = target_end - span[c.target]
            if c.direction == "after":
                limit = _latest(closed, c, target_start, file)
                # A bound on the start is a bound on the end, the window's length later.
                bounds.append((limit + span[event_id] if c.anchor == "start" else limit, c.target))
            else:
                anchor_day = target_start if c.anchor == "start" else target_end
                bounds.append((_latest(closed, c, anchor_day, file), c.target))
        best = min(bound for bound, _ in bounds)
        latest_end[event_id] = best
        binding[event_id] = tuple(sorted({t for bound, t in bounds if bound == best}))
    return latest_end, binding


def _latest(closed: ClosedDays, c: Constraint, anchor_day: dt.date, file: str | None) -> dt.date:
    """Return the latest day `c`'s lag allows its source, counted back from `anchor_day`."""
    return counted(
        closed, lambda: _minus(closed, anchor_day, c.lag), latest_beyond(c, file, anchor_day)
    )


def _critical_path(
    graph: nx.DiGraph,
    scheduled: Mapping[str, ScheduledEvent],
    binding: Mapping[str, tuple[str, ...]],
) -> tuple[str, ...]:
    """Return the chain of critical events over binding edges, ending at `EFFECTIVE`."""
    if EFFECTIVE not in scheduled:
        return ()
    chain = [EFFECTIVE]
    current = EFFECTIVE
    while True:
        candidates = [
            p
            for p in graph.predecessors(current)
            if scheduled[p].critical and current in binding.get(p, ())
        ]
        if not candidates:
            break
        # The least slack first (the latest already), then the latest end, then the id.
        current = min(
            candidates,
            key=lambda p: (scheduled[p].slack_days or 0, -scheduled[p].end.toordinal(), p),
        )
        chain.append(current)
    return tuple(reversed(chain))


def _assumed_from(
    order: Sequence[str],
    events: Mapping[str, Event],
    after_in: Mapping[str, Sequence[Constraint]],
    dates: Mapping[str, _Dates],
) -> dict[str, tuple[Event | None, Event | None]]:
    """Return, for each event, the event whose assumption its dates rest on, and the one its
    opening rests on (see `ScheduledEvent.assumed_from`, `opening_assumed_from`): a test
    window ten business days after a change-request window the calendar assumes is assumed
    too, and never makes an error on its own; a window derived from a date the source gives
    (re-query from 7/1) opens on a given date, whatever it assumes of its end."""
    found: dict[str, tuple[Event | None, Event | None]] = {}
    for event_id in order:
        event = events[event_id]
        own = event if event.assumption else None
        if dates[event_id].derived:
            upstream = (found[c.source][0] for c in after_in.get(event_id, ()))
            derived = next((e for e in upstream if e is not None), None)
            found[event_id] = (own or derived, derived)
        else:
            found[event_id] = (own, own)
    return found


def _schedule(
    event: Event,
    dates: _Dates,
    shift: Shift | None,
    latest_end: dt.date | None,
    closed: ClosedDays,
    file: str | None,
) -> ScheduledEvent:
    """Return one event's schedule: adjusted dates, latest dates and slack."""
    start, end = dates.start, dates.end
    shifted = shift is not None
    opening = kept_opening(closed, event, start, file, shifted=shifted)
    due = kept_due(closed, event, end, file, shifted=shifted)
    slack = None if latest_end is None else (latest_end - end).days
    return ScheduledEvent(
        event=event,
        start=start,
        end=end,
        opening=opening,
        due=due,
        derived=dates.derived,
        shifted=shift.lag if shift is not None else None,
        latest_start=None if latest_end is None else latest_end - (end - start),
        latest_end=latest_end,
        slack_days=slack,
        critical=slack is not None and slack <= 0,
    )


def build_timeline(calendar: RevisionCalendar, shifts: Sequence[Shift] = ()) -> Timeline:
    """Return the calendar's timeline, with `shifts` applied; see the module for the rules."""
    require_instance(calendar, RevisionCalendar, "calendar", "common.not-a-calendar")
    file = calendar.source_file or None
    closed = calendar.closed_days()
    events = _index_events(calendar)
    by_shift = _index_shifts(shifts, events, file)
    constraints = _constraints(events)
    graph = _graph(events, constraints)
    order = _order(graph, events, file)

    after_in: dict[str, list[Constraint]] = {}
    out: dict[str, list[Constraint]] = {}
    for c in constraints:
        out.setdefault(c.source, []).append(c)
        if c.direction == "after":
            after_in.setdefault(c.target, []).append(c)

    dates = _forward(order, events, after_in, by_shift, closed, file)
    # Before the latest dates: a dependency whose lag leaves the years the holiday data
    # covers is told from the dates as they are, not from the latest ones.
    conflicts = _conflicts(constraints, events, dates, closed, file, calendar.revision.kind)
    latest_end, binding = _backward(order, graph, out, dates, closed, file)
    assumed = _assumed_from(order, events, after_in, dates)
    scheduled = {
        event_id: attrs.evolve(
            _schedule(
                events[event_id],
                dates[event_id],
                by_shift.get(event_id),
                latest_end.get(event_id),
                closed,
                file,
            ),
            assumed_from=assumed[event_id][0],
            opening_assumed_from=assumed[event_id][1],
        )
        for event_id in order
    }
    for event_id, item in scheduled.items():
        graph.nodes[event_id]["scheduled"] = item

    for item in scheduled.values():
        if not item.event.is_window:
            continue
        if item.end < item.start:
            conflicts.append(_inverted_conflict(item.event, item.start, item.end, item.derived))
        elif item.opening.date > item.due.date:
            conflicts.append(_all_closed_conflict(item.event, item.opening.date, item.due.date))
    conflicts.sort(key=lambda c: (scheduled[c.event].start, c.event, c.code, c.other or ""))

    # A deadline moved back off a closed day is shown, and acted on, on its new date: listed by
    # its declared date, a 4/30 deadline moved to Friday 4/26 would follow a 4/27 milestone.
    ordered = tuple(
        sorted(scheduled.values(), key=lambda s: (*s.acted_on, s.start, s.end, s.event.id))
    )
    timeline = Timeline(
        calendar=calendar,
        graph=graph,
        closed=closed,
        events=ordered,
        conflicts=tuple(conflicts),
        critical_path=_critical_path(graph, scheduled, binding),
        recurring=_recurring(calendar, ordered),
        shifts=tuple(by_shift[event_id] for event_id in sorted(by_shift)),
    )
    # The cutoff's days are worked out when asked for: one that cannot be (moved off a
    # closed day past the holiday data) is refused with the calendar, not by a later command.
    timeline.cutoff_dates()
    return timeline


#: The most dates of recurring obligations a timeline holds. Each rule falls at most weekly
#: (the loader sees to it), but over events that span decades fifty rules would give
#: hundreds of thousands of dates, listed again in every agency's checklist.
_MAX_RECURRING_DATES = 5000


def _recurring(
    calendar: RevisionCalendar, events: Sequence[ScheduledEvent]
) -> tuple[tuple[Recurring, dt.date], ...]:
    """Return the occurrences of recurring obligations over the span of the events."""
    if not events or not calendar.recurring:
        return ()
    first = min(e.start for e in events)
    last = max(e.end for e in events)
    found: list[tuple[Recurring, dt.date]] = []
    for rule in calendar.recurring:
        found.extend((rule, day) for day in rule.occurrences(first, last))
        if len(found) > _MAX_RECURRING_DATES:
            raise CutoverError.of(
                "schedule.too-many-recurring-dates",
                file=calendar.source_file or None,
                most=_MAX_RECURRING_DATES,
                first=first.isoformat(),
                last=last.isoformat(),
            )
    return tuple(sorted(found, key=lambda pair: (pair[1], pair[0].id)))
