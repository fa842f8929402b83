"""Building the calendar models from parsed TOML, every problem recorded with its key path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from cutover.calendar.model import (
    _EVENT_TYPES,
    EFFECTIVE,
    SCHEMA_VERSION,
    Closure,
    CutoffSpec,
    Dependency,
    Event,
    EventType,
    Lag,
    Recurring,
    RevisedItem,
    Revision,
    RevisionCalendar,
    parse_lag,
)
from cutover.calendar.reader import _check_id, _event_ref, _Reader
from cutover.calendar.recurrence import _RRULE_FIX, _check_rule
from cutover.calendar.tasks import _task
from cutover.errors import CutoverError, did_you_mean
from cutover.jp.vocabulary import SYSTEMS, Actor, parse_actor
from cutover.jp.vocabulary import parse_system as _parse_system
from cutover.jp.wareki import DateRange

if TYPE_CHECKING:
    pass


_TOP_KEYS = ("schema", "revision", "items", "events", "cutoff", "tasks", "recurring", "closures")
_REVISION_KEYS = (
    "id",
    "title_ja",
    "title_en",
    "effective",
    "source",
    "section",
    "systems",
    "assumption",
    "assumption_en",
)
_ITEM_KEYS = (
    "number",
    "name_ja",
    "name_en",
    "short_ja",
    "short_en",
    "registration_required",
    "retroactive",
    "section",
)
_EVENT_KEYS = (
    "id",
    "type",
    "title_ja",
    "title_en",
    "actor",
    "date",
    "start",
    "end",
    "duration",
    "after",
    "before",
    "section",
    "assumption",
    "assumption_en",
    "note_ja",
    "note_en",
    "adjust",
)
_DEP_KEYS = ("event", "lag", "from")
_CUTOFF_KEYS = ("items", "last_provision", "requery_from", "section")
_RECURRING_KEYS = (
    "id",
    "title_ja",
    "title_en",
    "rrule",
    "dtstart",
    "actor",
    "section",
    "note_ja",
    "note_en",
    "assumption",
    "assumption_en",
)
_CLOSURE_KEYS = ("date", "start", "end", "reason_ja", "reason_en", "section")


def _build(data: Mapping[str, Any], r: _Reader) -> RevisionCalendar | None:
    r.unknown_keys(data, _TOP_KEYS, "")
    schema = data.get("schema", SCHEMA_VERSION)
    # `true == 1` and `1.0 == 1` in Python: check the type too.
    if type(schema) is not int or schema != SCHEMA_VERSION:
        r.problem(
            "schema",
            f"schema {schema!r} is not supported",
            f"this cutover reads schema = {SCHEMA_VERSION}",
        )
    revision = _revision(data, r)
    items = tuple(
        _item(t, f"items[{i}]", r) for i, t in enumerate(r.array_of_tables(data, "items"))
    )
    _unique(
        r, "item number", [(f"items[{i}].number", str(it.number)) for i, it in enumerate(items)]
    )
    events = [
        _event(t, f"events[{i}]", r)
        for i, t in enumerate(r.array_of_tables(data, "events", required=True))
    ]
    if revision is not None:
        events.insert(
            0,
            Event(
                id=EFFECTIVE,
                type="milestone",
                title_ja="改版（新レイアウトの適用開始）",
                title_en="the revision takes effect (new layout applies)",
                actor=Actor.NWS_OPERATOR,
                start=DateRange(
                    revision.effective, revision.effective, revision.effective.isoformat(), "day"
                ),
                end=None,
                duration=None,
                after=(),
                before=(),
                section=revision.section,
                assumption=revision.assumption,
                assumption_en=revision.assumption_en,
                adjust=False,
                key="revision.effective",
                line=r.line_of("revision.effective"),
            ),
        )
    for event in events:
        if event.id == EFFECTIVE and event.key != "revision.effective":
            r.problem(
                f"{event.key}.id",
                f"{EFFECTIVE!r} is reserved for [revision].effective",
                "give this event another id, or depend on 'effective' instead",
            )
    # The reserved id is reported above, not again as a duplicate of the effective event.
    _unique(
        r,
        "event id",
        [
            (f"{e.key}.id", e.id)
            for e in events
            if e.id != EFFECTIVE or e.key == "revision.effective"
        ],
    )
    # 'effective' is always a valid reference, even when [revision] is broken: the problem
    # is reported once there, not again at every event that depends on it.
    event_ids = list(dict.fromkeys([EFFECTIVE, *(e.id for e in events if e.id)]))
    for event in events:
        for direction, deps in (("after", event.after), ("before", event.before)):
            for i, dep in enumerate(deps):
                where = f"{event.key}.{direction}[{i}].event"
                if dep.event and dep.event not in event_ids:
                    r.problem(
                        where, f"unknown event {dep.event!r}", did_you_mean(dep.event, event_ids)
                    )
                if dep.event == event.id:
                    r.problem(
                        where, f"event {event.id!r} depends on itself", "remove the reference"
                    )

    item_numbers = {it.number for it in items}
    cutoff = _cutoff(data, r, event_ids, item_numbers)
    tasks = tuple(
        _task(t, f"tasks[{i}]", r, event_ids, item_numbers)
        for i, t in enumerate(r.array_of_tables(data, "tasks"))
    )
    _unique(r, "task id", [(f"tasks[{i}].id", t.id) for i, t in enumerate(tasks)])
    recurring = tuple(
        _recurring(t, f"recurring[{i}]", r)
        for i, t in enumerate(r.array_of_tables(data, "recurring"))
    )
    _unique(r, "recurring id", [(f"recurring[{i}].id", t.id) for i, t in enumerate(recurring)])
    closures = tuple(
        c
        for i, t in enumerate(r.array_of_tables(data, "closures"))
        if (c := _closure(t, f"closures[{i}]", r)) is not None
    )
    if revision is None:
        return None
    return RevisionCalendar(
        revision=revision,
        items=items,
        events=tuple(events),
        cutoff=cutoff,
        tasks=tasks,
        recurring=recurring,
        closures=closures,
        source_file=r.file,
    )


def _unique(r: _Reader, what: str, keyed: Sequence[tuple[str, str]]) -> None:
    """Record a problem for every value met a second time; `what` names it ("event id")."""
    first: dict[str, str] = {}
    for key, value in keyed:
        # A missing or invalid value ("", or number 0) is reported where it is read.
        if value in ("", "0"):
            continue
        if value in first:
            r.problem(
                key,
                f"duplicate {what} {value!r} (first at {first[value]})",
                "give each one its own" + (" number" if what.endswith("number") else " id"),
            )
        else:
            first[value] = key


def _revision(data: Mapping[str, Any], r: _Reader) -> Revision | None:
    if "revision" not in data:
        r.problem("revision", "is missing", "add a [revision] table with id, titles and effective")
        return None
    if not isinstance(data["revision"], Mapping):
        # Reported once: not again as every key of the table missing.
        r.table(data, "revision", "revision")
        return None
    table = r.table(data, "revision", "revision")
    r.unknown_keys(table, _REVISION_KEYS, "revision")
    rev_id = r.string(table, "id", "revision")
    effective = r.date_range(table, "effective", "revision")
    if "effective" not in table:
        r.problem("revision.effective", "is missing", 'add effective = "2018-07-01"')
    elif effective is not None and effective.precision != "day":
        r.problem(
            "revision.effective",
            f"{effective.label!r} is not one day",
            "the revision takes effect on an exact date: write it as YYYY-MM-DD",
        )
    systems: list[str] = []
    first_at: dict[str, int] = {}
    for i, name in enumerate(r.strings(table, "systems", "revision")):
        try:
            system = _parse_system(name)
        except CutoverError as err:
            r.problem(f"revision.systems[{i}]", err.problems[0].message, err.problems[0].fix)
            continue
        # A repeated system would repeat every per-system task of every agency.
        if system in first_at:
            r.problem(
                f"revision.systems[{i}]",
                f"{name!r} repeats revision.systems[{first_at[system]}] ({system})",
                "list each business system once",
            )
            continue
        first_at[system] = i
        systems.append(system)
    if not systems:
        systems = [s.id for s in SYSTEMS]
    revision = Revision(
        id=rev_id,
        title_ja=r.string(table, "title_ja", "revision"),
        title_en=r.string(table, "title_en", "revision"),
        effective=effective.start if effective else dt.date.min,
        source=r.string(table, "source", "revision"),
        section=r.string(table, "section", "revision"),
        systems=tuple(systems),
        assumption=r.string(table, "assumption", "revision", default="") or None,
        assumption_en=r.string(table, "assumption_en", "revision", default="") or None,
    )
    return revision if effective is not None else None


def _item(t: Mapping[str, Any], key: str, r: _Reader) -> RevisedItem:
    r.unknown_keys(t, _ITEM_KEYS, key)
    number = t.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        r.problem(
            f"{key}.number", f"must be a positive item number, not {number!r}", "write number = 2"
        )
        number = 0
    name_ja = r.string(t, "name_ja", key)
    return RevisedItem(
        number=number,
        name_ja=name_ja,
        name_en=r.string(t, "name_en", key),
        short_ja=r.string(t, "short_ja", key, default=name_ja),
        short_en=r.string(t, "short_en", key, default=r.string(t, "name_en", key, default="")),
        registration_required=r.boolean(t, "registration_required", key, default=False),
        retroactive=r.boolean(t, "retroactive", key, default=False),
        section=r.string(t, "section", key),
    )


def _dependencies(
    t: Mapping[str, Any], field: Literal["after", "before"], key: str, r: _Reader
) -> tuple[Dependency, ...]:
    value = t.get(field, [])
    if isinstance(value, str | Mapping):
        value = [value]
    if not isinstance(value, list):
        r.problem(
            f"{key}.{field}",
            f"must be a list of event ids or tables, not {value!r}",
            f'write {field} = ["event-id"] or {field} = [{{ event = "event-id", lag = "3bd" }}]',
        )
        return ()
    deps: list[Dependency] = []
    for i, entry in enumerate(value):
        where = f"{key}.{field}[{i}]"
        if isinstance(entry, str):
            entry = {"event": entry}
        if not isinstance(entry, Mapping):
            r.problem(
                where,
                f"must be an event id or a table, not {entry!r}",
                '{ event = "event-id", lag = "3bd" }',
            )
            continue
        r.unknown_keys(entry, _DEP_KEYS, where)
        event = r.string(entry, "event", where)
        lag_text = r.string(entry, "lag", where, default="0d")
        try:
            lag = parse_lag(lag_text)
        except CutoverError as err:
            r.problem(f"{where}.lag", err.problems[0].message, err.problems[0].fix)
            lag = Lag(0, "d")
        anchor = r.string(entry, "from", where, default="end" if field == "after" else "start")
        if anchor not in ("start", "end"):
            r.problem(
                f"{where}.from",
                f"must be 'start' or 'end', not {anchor!r}",
                'write from = "start" or from = "end"',
            )
            anchor = "end"
        deps.append(Dependency(event, lag, "start" if anchor == "start" else "end", field))
    return tuple(deps)


def _event(t: Mapping[str, Any], key: str, r: _Reader) -> Event:
    r.unknown_keys(t, _EVENT_KEYS, key)
    event_id = r.string(t, "id", key)
    _check_id(r, f"{key}.id", event_id)
    kind = r.string(t, "type", key, default="milestone")
    # "" means the value was not a string: reported already by r.string.
    if kind and kind not in _EVENT_TYPES:
        r.problem(f"{key}.type", f"unknown event type {kind!r}", did_you_mean(kind, _EVENT_TYPES))
        kind = "milestone"
    event_type: EventType = (
        "window" if kind == "window" else ("deadline" if kind == "deadline" else "milestone")
    )
    after = _dependencies(t, "after", key, r)
    before = _dependencies(t, "before", key, r)
    duration: Lag | None = None
    if event_type == "window":
        if "date" in t:
            r.problem(
                f"{key}.date",
                "a window has a start and an end, not a date",
                "write start = … and end = … (or duration = …)",
            )
        start = r.date_range(t, "start", key)
        end = r.date_range(t, "end", key)
        duration_text = r.string(t, "duration", key) if "duration" in t else ""
        if duration_text:
            try:
                duration = parse_lag(duration_text)
            except CutoverError as err:
                r.problem(f"{key}.duration", err.problems[0].message, err.problems[0].fix)
            if duration is not None and duration.days <= 0:
                r.problem(
                    f"{key}.duration",
                    f"{duration} is not a positive length",
                    'write duration = "10bd"',
                )
                duration = None
        # A start or end that is written but wrong is reported where it is read.
        if "start" not in t and not after:
            r.problem(f"{key}.start", "is missing", 'give start = … or after = ["event-id"]')
        if "end" not in t and "duration" not in t:
            r.problem(f"{key}.end", "is missing", 'give end = … or duration = "10bd"')
        if end is not None and duration is not None:
            r.problem(
                f"{key}.duration",
                "a window has either an end or a duration, not both",
                "remove one of them",
            )
        if start is not None and end is not None and end.end < start.start:
            r.problem(
                f"{key}.end",
                f"the window ends ({end.label}) before it starts ({start.label})",
                "swap start and end, or correct the dates",
            )
    else:
        for bad in ("start", "end", "duration"):
            if bad in t:
                r.problem(
                    f"{key}.{bad}",
                    f"a {event_type} has a date, not {bad!r}",
                    'write date = … (or type = "window")',
                )
        start = r.date_range(t, "date", key)
        end = None
        if start is None and not after and "date" not in t:
            r.problem(f"{key}.date", "is missing", 'give date = … or after = ["event-id"]')
    actor = r.choice(t, "actor", key, parse_actor, default=Actor.EVERY_AGENCY)
    section = r.string(t, "section", key, default="")
    assumption = t.get("assumption")
    if assumption is not None and not isinstance(assumption, str):
        r.problem(f"{key}.assumption", "must be a string", 'write assumption = "…why…"')
        assumption = None
    if not section and not assumption:
        r.problem(
            f"{key}.section",
            "every event names its source section or its assumption",
            'add section = "§N" (the source slide) or assumption = "why this date"',
        )
    adjust = r.boolean(t, "adjust", key, default=event_type != "milestone")
    return Event(
        id=event_id,
        type=event_type,
        title_ja=r.string(t, "title_ja", key),
        title_en=r.string(t, "title_en", key),
        actor=actor or Actor.EVERY_AGENCY,
        start=start,
        end=end,
        duration=duration,
        after=after,
        before=before,
        section=section,
        assumption=assumption,
        assumption_en=r.string(t, "assumption_en", key, default="") or None,
        note_ja=r.string(t, "note_ja", key, default=""),
        note_en=r.string(t, "note_en", key, default=""),
        adjust=adjust,
        key=key,
        line=r.line_of(key),
    )


def _cutoff(
    data: Mapping[str, Any], r: _Reader, event_ids: Sequence[str], item_numbers: set[int]
) -> CutoffSpec | None:
    if "cutoff" not in data:
        return None
    t = r.table(data, "cutoff", "cutoff")
    r.unknown_keys(t, _CUTOFF_KEYS, "cutoff")
    items = r.integers(t, "items", "cutoff")
    for number in sorted(items - item_numbers):
        r.problem(
            "cutoff.items",
            f"item {number} is not one of the revised [[items]]",
            f"add an [[items]] table with number = {number}, or remove it here",
        )
    last = _event_ref(r, t, "last_provision", "cutoff", event_ids)
    requery = _event_ref(r, t, "requery_from", "cutoff", event_ids)
    return CutoffSpec(
        items=items,
        last_provision=last or "",
        requery_from=requery or "",
        section=r.string(t, "section", "cutoff"),
    )


def _recurring(t: Mapping[str, Any], key: str, r: _Reader) -> Recurring:
    r.unknown_keys(t, _RECURRING_KEYS, key)
    rec_id = r.string(t, "id", key)
    _check_id(r, f"{key}.id", rec_id)
    start = r.date_range(t, "dtstart", key)
    if start is None and "dtstart" not in t:
        r.problem(f"{key}.dtstart", "is missing", 'add dtstart = "2018-05-01"')
    rule = r.string(t, "rrule", key)
    if isinstance(t.get("rrule"), str) and not rule.strip():
        r.problem(f"{key}.rrule", "is empty", _RRULE_FIX)
        rule = ""
    actor = r.choice(t, "actor", key, parse_actor, default=Actor.EVERY_AGENCY)
    recurring = Recurring(
        id=rec_id,
        title_ja=r.string(t, "title_ja", key),
        title_en=r.string(t, "title_en", key),
        rrule=rule,
        dtstart=start.start if start else dt.date(2000, 1, 1),
        actor=actor or Actor.EVERY_AGENCY,
        section=r.string(t, "section", key),
        note_ja=r.string(t, "note_ja", key, default=""),
        note_en=r.string(t, "note_en", key, default=""),
        assumption=r.string(t, "assumption", key, default="") or None,
        assumption_en=r.string(t, "assumption_en", key, default="") or None,
    )
    if rule:
        _check_rule(r, f"{key}.rrule", rule, start.start if start else None)
    return recurring


def _closure(t: Mapping[str, Any], key: str, r: _Reader) -> Closure | None:
    r.unknown_keys(t, _CLOSURE_KEYS, key)
    if "date" in t:
        start = end = r.date_range(t, "date", key)
    else:
        start, end = r.date_range(t, "start", key), r.date_range(t, "end", key)
        if start is None or end is None:
            r.problem(
                key,
                "a closure has a date, or a start and an end",
                'write date = "2018-06-16" or start = … and end = …',
            )
    reason_ja = r.string(t, "reason_ja", key)
    reason_en = r.string(t, "reason_en", key, default=reason_ja)
    section = r.string(t, "section", key)
    if start is None or end is None:
        return None
    if end.end < start.start:
        r.problem(
            f"{key}.end",
            f"the closure ends ({end.label}) before it starts ({start.label})",
            "swap start and end",
        )
        return None
    if (end.end - start.start).days > 366:
        r.problem(f"{key}.end", "a closure longer than a year is not a closure", "check the dates")
        return None
    return Closure(start.start, end.end, reason_ja, reason_en, section)
