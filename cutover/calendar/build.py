"""Building the calendar models from parsed TOML, every problem recorded with its key path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from cutover.calendar.model import (
    _EVENT_TYPES,
    EFFECTIVE,
    REVISION_KINDS,
    SCHEMA_VERSION,
    CutoffSpec,
    DeclaredClosure,
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
from cutover.calendar.reader import _check_id, _event_ref, _Reader, shown
from cutover.calendar.recurrence import _check_rule
from cutover.calendar.tasks import _task
from cutover.errors import CutoverError, suggest
from cutover.i18n.catalogue import Msg, text
from cutover.jp.vocabulary import SYSTEMS, Actor, parse_actor
from cutover.jp.vocabulary import parse_system as _parse_system
from cutover.jp.wareki import DateRange

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
    "kind",
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
    "systems",
    "systems_assumption",
    "systems_assumption_en",
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
        r.problem("schema", "calendar.bad-schema", schema=shown(schema), supported=SCHEMA_VERSION)
    revision = _revision(data, r)
    items = tuple(
        _item(t, f"items[{i}]", r) for i, t in enumerate(r.array_of_tables(data, "items"))
    )
    _unique(
        r,
        "calendar.duplicate-item",
        [(f"items[{i}].number", str(it.number)) for i, it in enumerate(items)],
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
                title_ja=text(f"calendar.effective-title-{revision.kind}", "ja"),
                title_en=text(f"calendar.effective-title-{revision.kind}", "en"),
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
            r.problem(f"{event.key}.id", "calendar.reserved-id", id=EFFECTIVE)
    # The reserved id is reported above, not again as a duplicate of the effective event.
    _unique(
        r,
        "calendar.duplicate-event",
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
                        where,
                        "calendar.unknown-event",
                        value=dep.event,
                        suggestion=suggest(dep.event, event_ids),
                    )
                if dep.event == event.id:
                    r.problem(where, "calendar.depends-on-itself", event=event.id)

    item_numbers = {it.number for it in items}
    cutoff = _cutoff(data, r, event_ids, item_numbers)
    tasks = tuple(
        _task(t, f"tasks[{i}]", r, event_ids, item_numbers)
        for i, t in enumerate(r.array_of_tables(data, "tasks"))
    )
    _unique(r, "calendar.duplicate-task", [(f"tasks[{i}].id", t.id) for i, t in enumerate(tasks)])
    per_system = [t.id for t in tasks if t.per == "system"]
    for i, task in enumerate(tasks):
        for j, before in enumerate(task.after):
            if before not in per_system:
                r.problem(
                    f"tasks[{i}].after[{j}]",
                    "calendar.unknown-after-task",
                    value=before,
                    suggestion=suggest(before, per_system),
                )
    recurring = tuple(
        _recurring(t, f"recurring[{i}]", r)
        for i, t in enumerate(r.array_of_tables(data, "recurring"))
    )
    _unique(
        r,
        "calendar.duplicate-recurring",
        [(f"recurring[{i}].id", t.id) for i, t in enumerate(recurring)],
    )
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


def _unique(r: _Reader, code: str, keyed: Sequence[tuple[str, str]]) -> None:
    """Record the problem `code` (``calendar.duplicate-…``) for every value met a second time."""
    first: dict[str, str] = {}
    for key, value in keyed:
        # A missing or invalid value ("", or number 0) is reported where it is read.
        if value in ("", "0"):
            continue
        if value in first:
            r.problem(key, code, value=value, first=first[value])
        else:
            first[value] = key


def _revision(data: Mapping[str, Any], r: _Reader) -> Revision | None:
    if "revision" not in data:
        r.problem("revision", "calendar.missing-revision")
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
        r.problem("revision.effective", "calendar.missing-effective")
    elif effective is not None and effective.precision != "day":
        r.problem("revision.effective", "calendar.effective-not-a-day", label=effective.label)
    systems: list[str] = []
    first_at: dict[str, int] = {}
    for i, name in enumerate(r.strings(table, "systems", "revision")):
        try:
            system = _parse_system(name)
        except CutoverError as err:
            r.problems_of(f"revision.systems[{i}]", err)
            continue
        # A repeated system would repeat every per-system task of every agency.
        if system in first_at:
            r.problem(
                f"revision.systems[{i}]",
                "calendar.repeated-system",
                name=name,
                first=f"revision.systems[{first_at[system]}]",
                system=system,
            )
            continue
        first_at[system] = i
        systems.append(system)
    if isinstance(table.get("systems"), list) and not table["systems"]:
        # (Left out, the revision concerns all eight; written empty, it is not said which:
        # `[[items]] systems = []` means none, and a revision of no system has no tasks.)
        r.problem("revision.systems", "calendar.no-systems")
    if not systems:
        systems = [s.id for s in SYSTEMS]
    written = r.string(table, "kind", "revision", default=REVISION_KINDS[0])
    kind = next((k for k in REVISION_KINDS if k == written), REVISION_KINDS[0])
    if kind != written:
        r.problem(
            "revision.kind",
            "calendar.bad-revision-kind",
            value=written,
            suggestion=suggest(written, REVISION_KINDS),
        )
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
        kind=kind,
    )
    return revision if effective is not None else None


def _item(t: Mapping[str, Any], key: str, r: _Reader) -> RevisedItem:
    r.unknown_keys(t, _ITEM_KEYS, key)
    number = t.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        r.problem(f"{key}.number", "calendar.bad-item-number", value=shown(number))
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
        systems=tuple(_item_systems(t, key, r)),
        systems_assumption=r.string(t, "systems_assumption", key, default="") or None,
        systems_assumption_en=r.string(t, "systems_assumption_en", key, default="") or None,
    )


def _item_systems(t: Mapping[str, Any], key: str, r: _Reader) -> list[str]:
    """Return the business systems an item names (ids or Japanese names), each once."""
    found: list[str] = []
    for i, name in enumerate(r.strings(t, "systems", key)):
        try:
            system = _parse_system(name)
        except CutoverError as err:
            r.problems_of(f"{key}.systems[{i}]", err)
            continue
        if system not in found:
            found.append(system)
    return found


def _dependencies(
    t: Mapping[str, Any], field: Literal["after", "before"], key: str, r: _Reader
) -> tuple[Dependency, ...]:
    value = t.get(field, [])
    if isinstance(value, str | Mapping):
        value = [value]
    if not isinstance(value, list):
        r.problem(f"{key}.{field}", "calendar.bad-dependencies", value=shown(value), name=field)
        return ()
    deps: list[Dependency] = []
    for i, entry in enumerate(value):
        where = f"{key}.{field}[{i}]"
        if isinstance(entry, str):
            entry = {"event": entry}
        if not isinstance(entry, Mapping):
            r.problem(where, "calendar.bad-dependency", value=shown(entry))
            continue
        r.unknown_keys(entry, _DEP_KEYS, where)
        event = r.string(entry, "event", where)
        lag_text = r.lag_text(entry, "lag", where, default="0d")
        try:
            lag = parse_lag(lag_text)
        except CutoverError as err:
            r.problems_of(f"{where}.lag", err)
            lag = Lag(0, "d")
        anchor = r.string(entry, "from", where, default="end" if field == "after" else "start")
        if anchor not in ("start", "end"):
            r.problem(f"{where}.from", "calendar.bad-anchor", value=anchor)
            anchor = "end"
        deps.append(Dependency(event, lag, "start" if anchor == "start" else "end", field))
    return tuple(deps)


def _event(t: Mapping[str, Any], key: str, r: _Reader) -> Event:
    unfitting = ("date",) if t.get("type") == "window" else ("start", "end", "duration")
    fitting = [k for k in _EVENT_KEYS if k not in unfitting]
    r.unknown_keys(t, _EVENT_KEYS, key, fitting=fitting)
    event_id = r.string(t, "id", key)
    _check_id(r, f"{key}.id", event_id)
    kind = r.string(t, "type", key, default="milestone")
    # "" means the value was not a string: reported already by r.string.
    if kind and kind not in _EVENT_TYPES:
        r.problem(
            f"{key}.type",
            "calendar.unknown-event-type",
            value=kind,
            suggestion=suggest(kind, _EVENT_TYPES),
        )
        kind = "milestone"
    event_type: EventType = (
        "window" if kind == "window" else ("deadline" if kind == "deadline" else "milestone")
    )
    after = _dependencies(t, "after", key, r)
    before = _dependencies(t, "before", key, r)
    duration: Lag | None = None
    if event_type == "window":
        if "date" in t:
            r.problem(f"{key}.date", "calendar.window-with-date")
        start = r.date_range(t, "start", key)
        end = r.date_range(t, "end", key)
        duration_text = r.lag_text(t, "duration", key, default="") if "duration" in t else ""
        if duration_text:
            try:
                duration = parse_lag(duration_text)
            except CutoverError as err:
                r.problems_of(f"{key}.duration", err)
            if duration is not None and duration.days <= 0:
                r.problem(f"{key}.duration", "calendar.duration-not-positive", duration=duration)
                duration = None
        # A start or end that is written but wrong is reported where it is read.
        if "start" not in t and not after:
            r.problem(f"{key}.start", "calendar.missing-start")
        if "end" not in t and "duration" not in t:
            r.problem(f"{key}.end", "calendar.missing-end")
        if end is not None and duration is not None:
            r.problem(f"{key}.duration", "calendar.end-and-duration")
        if start is not None and end is not None and end.end < start.start:
            r.problem(f"{key}.end", "calendar.window-inverted", start=start.label, end=end.label)
    else:
        for bad in ("start", "end", "duration"):
            if bad in t:
                r.problem(
                    f"{key}.{bad}",
                    "calendar.dated-with-span",
                    type=Msg(f"calendar.event-type-{event_type}"),
                    field=bad,
                )
        start = r.date_range(t, "date", key)
        end = None
        if start is None and not after and "date" not in t:
            r.problem(f"{key}.date", "calendar.missing-date")
    actor = r.choice(t, "actor", key, parse_actor, default=Actor.EVERY_AGENCY)
    section = r.string(t, "section", key, default="")
    assumption = t.get("assumption")
    if assumption is not None and not isinstance(assumption, str):
        r.problem(f"{key}.assumption", "calendar.assumption-not-a-string")
        assumption = None
    if not section and not assumption:
        r.problem(f"{key}.section", "calendar.no-section")
    adjust = r.boolean(t, "adjust", key, default=event_type != "milestone")
    if event_type == "milestone" and t.get("adjust") is True:
        # A milestone happens on its day (a law taking effect on a Sunday): `adjust = true`
        # would be read and do nothing, and its writer would think the date moved.
        r.problem(f"{key}.adjust", "calendar.milestone-adjust")
        adjust = False
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
        r.problem("cutoff.items", "calendar.cutoff-item-not-revised", number=number)
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
        r.problem(f"{key}.dtstart", "calendar.missing-dtstart")
    rule = r.string(t, "rrule", key)
    if isinstance(t.get("rrule"), str) and not rule.strip():
        r.problem(f"{key}.rrule", "calendar.rule-empty")
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


def _closure(t: Mapping[str, Any], key: str, r: _Reader) -> DeclaredClosure | None:
    r.unknown_keys(t, _CLOSURE_KEYS, key)
    if "date" in t:
        start = end = r.date_range(t, "date", key)
    else:
        start, end = r.date_range(t, "start", key), r.date_range(t, "end", key)
        if start is None or end is None:
            r.problem(key, "calendar.closure-without-dates")
    reason_ja = r.string(t, "reason_ja", key)
    reason_en = r.string(t, "reason_en", key, default=reason_ja)
    section = r.string(t, "section", key)
    if start is None or end is None:
        return None
    if end.end < start.start:
        r.problem(f"{key}.end", "calendar.closure-inverted", start=start.label, end=end.label)
        return None
    if (end.end - start.start).days > 366:
        r.problem(f"{key}.end", "calendar.closure-too-long")
        return None
    return DeclaredClosure(start.start, end.end, reason_ja, reason_en, section)
