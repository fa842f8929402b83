"""What changed between two versions of a revision calendar (``cutover diff OLD NEW``).

`diff_calendars` compares two `RevisionCalendar`s, part by part, and gives a
`CalendarDiff`: one `EntryChange` per thing added, removed or changed, each with the
fields that differ (`FieldChange`, old → new). It is what a coordinator sends to the
municipalities when J-LIS or the ministry announce new dates, so it compares what the
calendar *says* and also what it *means*: each event's dates are worked out on both
timelines (`cutover.schedule.timeline.build_timeline`), so a changed dependency, lag, closure or
effective date shows as the dates it moves, on every event it moves.

What is compared, and in which order (`SECTIONS`):

- ``revision``: id, titles, the effective date, source, section, systems, kind, assumption;
- ``items``: names, whether registration is required, whether retroactive, the business
  systems that provide it and why, when the calendar assumes them; section;
- ``events``: type, titles, actor, declared dates, duration, dependencies, section,
  assumption, notes, ``adjust``, and the worked-out opening and due date;
- ``cutoff``: items, the events it takes its dates from, section, and its dates;
- ``tasks``: titles, texts, the when-conditions, ``per``, side, items, due and window
  events (and their worked-out dates), evidence, remedies, hearing, the tasks that come
  first (``after``), the event that ends it (``until``), section;
- ``recurring``: titles, RRULE, start, actor, section, notes, assumption, and the dates it
  falls on;
- ``closures``: by their days; reason and section.

Entries are sorted: items by number, events by date (on the new timeline, or the old one
for a removed event) then id, everything else by id. Identical calendars give no entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Literal, TypeVar

import attrs

from cutover.calendar.model import (
    CutoffSpec,
    DeclaredClosure,
    Dependency,
    Event,
    RevisedItem,
    RevisionCalendar,
    TaskTemplate,
)
from cutover.calendar.model import Recurring as RecurringObligation
from cutover.errors import require_instance
from cutover.i18n.catalogue import text
from cutover.jp.wareki import DateRange
from cutover.schedule.timeline import Timeline, build_timeline

__all__ = [
    "SECTIONS",
    "CalendarDiff",
    "ChangeKind",
    "EntryChange",
    "FieldChange",
    "Section",
    "Value",
    "dependency_key",
    "diff_calendars",
]

#: What a field holds: text, a number, a flag, a day, a declared (fuzzy) date, a list (of
#: texts, or of days: a recurring obligation's dates).
Value = str | int | bool | dt.date | DateRange | tuple[str, ...] | tuple[dt.date, ...] | None

ChangeKind = Literal["added", "removed", "changed"]
Section = Literal["revision", "items", "events", "cutoff", "tasks", "recurring", "closures"]
#: The parts of a calendar, in the order a diff lists them.
SECTIONS: tuple[Section, ...] = (
    "revision",
    "items",
    "events",
    "cutoff",
    "tasks",
    "recurring",
    "closures",
)


@attrs.frozen
class FieldChange:
    """One field of an entry: its value before and after (None: absent on that side)."""

    field: str
    old: Value
    new: Value


@attrs.frozen
class EntryChange:
    """One thing of a calendar added, removed or changed, with the fields that differ.

    For an added (removed) entry, `fields` holds its main fields with ``old`` (``new``)
    None, so that the notice says what was added or removed.
    """

    section: Section
    kind: ChangeKind
    #: the event, task, recurring or item id (an item's number; a closure's days)
    id: str
    title_ja: str
    title_en: str
    fields: tuple[FieldChange, ...]


@attrs.frozen
class CalendarDiff:
    """Every difference between two calendars, in `SECTIONS` order."""

    old: RevisionCalendar = attrs.field(eq=False, repr=False)
    new: RevisionCalendar = attrs.field(eq=False, repr=False)
    entries: tuple[EntryChange, ...]

    def __bool__(self) -> bool:
        """Return True when the calendars differ."""
        return bool(self.entries)

    def of(self, section: Section) -> tuple[EntryChange, ...]:
        """Return the entries of one section, in order."""
        return tuple(e for e in self.entries if e.section == section)


# --- fields of each part -------------------------------------------------------------------

_Fields = dict[str, Value]


def _declared(r: DateRange | None) -> DateRange | None:
    """Return a declared date as its days and precision (how it was spelled does not count)."""
    return None if r is None else DateRange(r.start, r.end, "", r.precision)


def dependency_key(dep: Dependency) -> str:
    """Return a dependency as the diff compares it and the JSON gives it: ``effective
    +1d``, ``survey +3bd from start`` (a person reads it in words: `dependency_words`)."""
    text = dep.event
    if dep.lag.days:
        text += f" {dep.lag}"
    default_anchor = "end" if dep.direction == "after" else "start"
    if dep.anchor != default_anchor:
        text += f" from {dep.anchor}"
    return text


def _revision_fields(calendar: RevisionCalendar) -> _Fields:
    r = calendar.revision
    return {
        "id": r.id,
        "title_ja": r.title_ja,
        "title_en": r.title_en,
        "effective": r.effective,
        "source": r.source,
        "section": r.section,
        "systems": r.systems,
        "kind": r.kind,
        "assumption": r.assumption,
        "assumption_en": r.assumption_en,
    }


def _item_fields(item: RevisedItem) -> _Fields:
    return {
        "name_ja": item.name_ja,
        "name_en": item.name_en,
        "short_ja": item.short_ja,
        "short_en": item.short_en,
        "registration_required": item.registration_required,
        "retroactive": item.retroactive,
        "systems": item.systems,
        "systems_assumption": item.systems_assumption,
        "systems_assumption_en": item.systems_assumption_en,
        "section": item.section,
    }


_ITEM_KEY = ("short_ja", "registration_required", "retroactive")


def _event_fields(event: Event, timeline: Timeline) -> _Fields:
    scheduled = timeline[event.id]
    window = event.is_window
    return {
        "type": event.type,
        "title_ja": event.title_ja,
        "title_en": event.title_en,
        "actor": event.actor.value,
        "start" if window else "date": _declared(event.start),
        "end": _declared(event.end),
        "duration": str(event.duration) if event.duration is not None else None,
        "after": tuple(dependency_key(d) for d in event.after),
        "before": tuple(dependency_key(d) for d in event.before),
        "section": event.section,
        "assumption": event.assumption,
        "assumption_en": event.assumption_en,
        "note_ja": event.note_ja,
        "note_en": event.note_en,
        "adjust": event.adjust,
        "opens": scheduled.opening.date if window else None,
        "due": scheduled.due.date,
    }


_EVENT_KEY = ("type", "actor", "opens", "due", "section", "assumption")


def _cutoff_fields(spec: CutoffSpec, timeline: Timeline) -> _Fields:
    dates = timeline.cutoff_dates()
    return {
        "items": tuple(str(n) for n in sorted(spec.items)),
        "last_provision": spec.last_provision,
        "requery_from": spec.requery_from,
        "section": spec.section,
        "last_provision_date": dates.last_provision if dates else None,
        "answer_by": dates.answer_by if dates else None,
        "reissue_from": dates.reissue_from if dates else None,
    }


_CUTOFF_KEY = ("items", "last_provision_date", "answer_by", "reissue_from")


def _task_fields(task: TaskTemplate, timeline: Timeline) -> _Fields:
    when = task.when
    # The loader refuses a task whose due or window event does not exist.
    window = timeline[task.window] if task.window else None
    due = timeline[task.due]
    return {
        "title_ja": task.title_ja,
        "title_en": task.title_en,
        "detail_ja": task.detail_ja,
        "detail_en": task.detail_en,
        "when.kinds": tuple(sorted(k.value for k in when.kinds)),
        "when.test_requested": when.test_requested,
        "when.provides": (
            tuple(str(n) for n in sorted(when.provides)) if when.provides is not None else None
        ),
        "when.new_delegation": when.new_delegation,
        "per": task.per,
        "side": task.side.value if task.side is not None else None,
        "items": task.items,
        "due": task.due,
        "window": task.window,
        "due_date": due.due.date,
        "window_opens": window.opening.date if window is not None else None,
        "evidence_ja": task.evidence_ja,
        "evidence_en": task.evidence_en,
        "remedies_ja": task.remedies_ja,
        "remedies_en": task.remedies_en,
        "remedies_too_late_ja": task.remedies_too_late_ja,
        "remedies_too_late_en": task.remedies_too_late_en,
        "remedies_late_ja": task.remedies_late_ja,
        "remedies_late_en": task.remedies_late_en,
        "queries": task.queries,
        "retroactive_ja": task.retroactive_ja,
        "retroactive_en": task.retroactive_en,
        "delegation_ja": task.delegation_ja,
        "delegation_en": task.delegation_en,
        "hearing": task.hearing,
        "hearing_ja": task.hearing_ja,
        "hearing_en": task.hearing_en,
        "optional": task.optional,
        "after": task.after,
        "until": task.until,
        "section": task.section,
    }


_TASK_KEY = ("per", "when.kinds", "due", "window", "due_date", "window_opens", "section")


def _recurring_fields(rule: RecurringObligation, timeline: Timeline) -> _Fields:
    return {
        "title_ja": rule.title_ja,
        "title_en": rule.title_en,
        "rrule": rule.rrule,
        "dtstart": rule.dtstart,
        "actor": rule.actor.value,
        "section": rule.section,
        "note_ja": rule.note_ja,
        "note_en": rule.note_en,
        "assumption": rule.assumption,
        "assumption_en": rule.assumption_en,
        # The days it falls on, as the timeline works them out: a changed RRULE or start
        # is told as the dates it moves, as an event's declared date is.
        "dates": tuple(day for r, day in timeline.recurring if r.id == rule.id),
    }


_RECURRING_KEY = ("rrule", "dtstart", "dates", "actor", "section")


def _closure_fields(closure: DeclaredClosure) -> _Fields:
    return {
        "start": closure.start,
        "end": closure.end,
        "reason_ja": closure.reason_ja,
        "reason_en": closure.reason_en,
        "section": closure.section,
    }


_CLOSURE_KEY = ("start", "end", "reason_ja")


def _closure_id(closure: DeclaredClosure) -> str:
    start, end = closure.start.isoformat(), closure.end.isoformat()
    return start if start == end else f"{start}..{end}"


# --- comparing -----------------------------------------------------------------------------

_T = TypeVar("_T")


def _changed(old: _Fields, new: _Fields) -> tuple[FieldChange, ...]:
    """Return the fields whose values differ, in the order of `new` (then `old`'s others)."""
    names = [*new, *(n for n in old if n not in new)]
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    )


def _only(fields: _Fields, key: Sequence[str], *, added: bool) -> tuple[FieldChange, ...]:
    """Return the main fields of an added (or removed) entry, absent on the other side."""
    return tuple(
        FieldChange(name, None, fields[name]) if added else FieldChange(name, fields[name], None)
        for name in key
        if fields.get(name) not in (None, "", ())
    )


def _compare(
    section: Section,
    old: Mapping[str, _T],
    new: Mapping[str, _T],
    titles: Callable[[_T], tuple[str, str]],
    fields: Callable[[_T, Timeline], _Fields],
    key: Sequence[str],
    timelines: tuple[Timeline, Timeline],
) -> list[tuple[str, EntryChange]]:
    """Return (id, entry) for everything of one section added, removed or changed."""
    before, after = timelines
    found: list[tuple[str, EntryChange]] = []
    for ident in sorted(set(old) | set(new)):
        if ident not in old:
            thing = new[ident]
            title_ja, title_en = titles(thing)
            changes = _only(fields(thing, after), key, added=True)
            found.append((ident, EntryChange(section, "added", ident, title_ja, title_en, changes)))
        elif ident not in new:
            thing = old[ident]
            title_ja, title_en = titles(thing)
            changes = _only(fields(thing, before), key, added=False)
            found.append(
                (ident, EntryChange(section, "removed", ident, title_ja, title_en, changes))
            )
        else:
            changes = _changed(fields(old[ident], before), fields(new[ident], after))
            if changes:
                title_ja, title_en = titles(new[ident])
                found.append(
                    (ident, EntryChange(section, "changed", ident, title_ja, title_en, changes))
                )
    return found


def _event_order(
    timelines: tuple[Timeline, Timeline],
) -> Callable[[tuple[str, EntryChange]], tuple[dt.date, str]]:
    before, after = timelines

    def order(pair: tuple[str, EntryChange]) -> tuple[dt.date, str]:
        ident, _ = pair
        timeline = after if ident in after else before
        return (timeline[ident].start, ident)

    return order


def diff_calendars(old: RevisionCalendar, new: RevisionCalendar) -> CalendarDiff:
    """Return every difference between calendar `old` and calendar `new`.

    Both calendars' timelines are built (without shifts) to compare the dates they mean;
    a calendar whose timeline cannot be built (a cycle) raises `CutoverError`.
    """
    require_instance(old, RevisionCalendar, "old", "common.not-a-calendar")
    require_instance(new, RevisionCalendar, "new", "common.not-a-calendar")
    timelines = (build_timeline(old), build_timeline(new))
    entries: list[EntryChange] = []

    revision = _changed(_revision_fields(old), _revision_fields(new))
    if revision:
        r = new.revision
        entries.append(EntryChange("revision", "changed", r.id, r.title_ja, r.title_en, revision))

    items = _compare(
        "items",
        {str(i.number): i for i in old.items},
        {str(i.number): i for i in new.items},
        lambda i: (i.short_ja or i.name_ja, i.short_en or i.name_en),
        lambda i, _: _item_fields(i),
        _ITEM_KEY,
        timelines,
    )
    entries.extend(e for _, e in sorted(items, key=lambda pair: int(pair[0])))

    events = _compare(
        "events",
        {e.id: e for e in old.events},
        {e.id: e for e in new.events},
        lambda e: (e.title_ja, e.title_en),
        _event_fields,
        _EVENT_KEY,
        timelines,
    )
    entries.extend(e for _, e in sorted(events, key=_event_order(timelines)))

    cutoff = _compare(
        "cutoff",
        {"cutoff": old.cutoff} if old.cutoff is not None else {},
        {"cutoff": new.cutoff} if new.cutoff is not None else {},
        lambda _: (text("calendar.cutoff-title", "ja"), text("calendar.cutoff-title", "en")),
        _cutoff_fields,
        _CUTOFF_KEY,
        timelines,
    )
    entries.extend(e for _, e in cutoff)

    tasks = _compare(
        "tasks",
        {t.id: t for t in old.tasks},
        {t.id: t for t in new.tasks},
        lambda t: (t.title_ja, t.title_en),
        _task_fields,
        _TASK_KEY,
        timelines,
    )
    entries.extend(e for _, e in tasks)

    recurring = _compare(
        "recurring",
        {r.id: r for r in old.recurring},
        {r.id: r for r in new.recurring},
        lambda r: (r.title_ja, r.title_en),
        _recurring_fields,
        _RECURRING_KEY,
        timelines,
    )
    entries.extend(e for _, e in recurring)

    closures = _compare(
        "closures",
        {_closure_id(c): c for c in old.closures},
        {_closure_id(c): c for c in new.closures},
        lambda c: (c.reason_ja, c.reason_en),
        lambda c, _: _closure_fields(c),
        _CLOSURE_KEY,
        timelines,
    )
    entries.extend(e for _, e in closures)
    return CalendarDiff(old=old, new=new, entries=tuple(entries))
