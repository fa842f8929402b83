"""Revision calendars: the TOML files under `calendars/`, loaded into frozen models.

Loading goes in stages, as towncrier loads its configuration: find the file (a shipped id
such as ``2018-07`` or a path), parse the TOML, validate every table against the schema,
and build `RevisionCalendar`. Every problem found is reported together, each naming the
file, the TOML key path (with its line where it can be found), the bad value and the fix.

The schema is documented key by key in ``docs/calendar-format.md``. A new revision is
described by writing a new file: nothing in here knows about 2018.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import re
import string
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from cutover.businessdays import FIRST_YEAR, LAST_YEAR, ClosedDays
from cutover.domain import SYSTEMS, Actor, Kind, Side, parse_actor, parse_kind, parse_side
from cutover.domain import parse_system as _parse_system
from cutover.errors import CutoverError, Problem, did_you_mean
from cutover.personal_number import holds_personal_number, refusal
from cutover.wareki import DateRange, parse_fuzzy

if TYPE_CHECKING:
    from dateutil.rrule import rrule

__all__ = [
    "EFFECTIVE",
    "Closure",
    "CutoffSpec",
    "Dependency",
    "Event",
    "EventType",
    "Lag",
    "Recurring",
    "RevisedItem",
    "Revision",
    "RevisionCalendar",
    "TaskTemplate",
    "TaskWhen",
    "calendar_path",
    "load_calendar",
    "parse_calendar",
    "parse_lag",
    "shipped_calendars",
    "suggest_task",
]

#: The id of the event the loader makes from ``[revision].effective``: the day the new
#: layout takes effect. Every calendar has it; events may depend on it.
EFFECTIVE = "effective"

SCHEMA_VERSION = 1

EventType = Literal["milestone", "deadline", "window"]
_EVENT_TYPES: tuple[EventType, ...] = ("milestone", "deadline", "window")
Per = Literal["once", "system", "item"]
_PERS: tuple[Per, ...] = ("once", "system", "item")
ItemSet = Literal["registration", "cutoff", "revised"]
_ITEM_SETS: tuple[ItemSet, ...] = ("registration", "cutoff", "revised")
Anchor = Literal["start", "end"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LAG = re.compile(r"^([+-]?)(\d+)(bd|d)$")
#: The longest lag, either way: 27 years of calendar days (about 40 of business days).
_MAX_LAG = 9999

#: Characters a personal number may be written with: a clipped message is never cut inside
#: a run of them, so no part of a number is left that the mask of messages would not know.
_NUMBERISH = re.compile(r"[\d\s\-－ー‐−]")


def _clip(text: str, limit: int) -> str:
    """Return `text`, or its beginning and its end around " … " when longer than `limit`."""
    if len(text) <= limit:
        return text
    kept = limit - len(" … ")
    head, tail = kept // 2, len(text) - (kept - kept // 2)
    while head > 0 and _NUMBERISH.match(text, head - 1) and _NUMBERISH.match(text, head):
        head -= 1
    while tail < len(text) and _NUMBERISH.match(text, tail - 1) and _NUMBERISH.match(text, tail):
        tail += 1
    return f"{text[:head]} … {text[tail:]}"


@attrs.frozen
class Lag:
    """A signed delay between two events, in business days (``bd``) or calendar days (``d``)."""

    days: int
    unit: Literal["bd", "d"]

    def __str__(self) -> str:
        return f"{self.days:+d}{self.unit}"

    @property
    def business(self) -> bool:
        """Return True when the lag counts business days (closed days skipped)."""
        return self.unit == "bd"


def parse_lag(text: str) -> Lag:
    """Return the lag written as ``3bd``, ``+3bd``, ``-1d`` (full-width digits accepted)."""
    from cutover.domain import normalize_text

    written = normalize_text(text).replace(" ", "")
    match = _LAG.match(written)
    if match is None:
        raise CutoverError(
            f"{_clip(text, 40)!r} is not a lag",
            fix="write a signed number of business days (3bd, -2bd) or calendar days (1d, -1d)",
        )
    sign, number, unit = match.groups()
    # Compared as text first: int() refuses more than 4300 digits with a ValueError.
    digits = number.lstrip("0")
    if len(digits) > len(str(_MAX_LAG)) or int(digits or "0") > _MAX_LAG:
        raise CutoverError(
            f"{_clip(text, 40)!r} is too long a lag: at most {_MAX_LAG} days",
            fix=f"give a lag of at most {_MAX_LAG} business or calendar days",
        )
    days = -int(number) if sign == "-" else int(number)
    return Lag(days, "bd" if unit == "bd" else "d")


@attrs.frozen
class Dependency:
    """An ordering constraint: this event starts `lag` after (or ends `lag` before) another."""

    event: str
    lag: Lag
    #: which end of the other event the lag counts from
    anchor: Anchor
    #: "after": this.start >= other.<anchor> + lag; "before": this.end + lag <= other.<anchor>
    direction: Literal["after", "before"]


@attrs.frozen
class Event:
    """A dated fact of the revision: a milestone, a deadline or a window, with its source."""

    id: str
    type: EventType
    title_ja: str
    title_en: str
    actor: Actor
    #: the declared start (for a milestone or deadline, its date); None when derived
    start: DateRange | None
    #: the declared end (windows only); None when derived or not a window
    end: DateRange | None
    #: a window's length when its end is not declared
    duration: Lag | None
    after: tuple[Dependency, ...]
    before: tuple[Dependency, ...]
    #: the section of the source document the date comes from (§N)
    section: str
    #: set when the source gives no date and the calendar assumes one: why, and what
    assumption: str | None = None
    #: the assumption in English, when `assumption` is written in Japanese
    assumption_en: str | None = None
    note_ja: str = ""
    note_en: str = ""
    #: whether a closed-day date moves: deadlines and window ends to the previous business
    #: day, window starts to the next; milestones (a law taking effect on a Sunday) never
    adjust: bool = True
    key: str = ""
    line: int | None = None

    def assumption_in(self, lang: str) -> str | None:
        """Return the assumption in `lang` ("ja" or "en"), falling back to the one written."""
        if lang == "en" and self.assumption_en:
            return self.assumption_en
        return self.assumption

    @property
    def is_window(self) -> bool:
        """Return True for an event that spans days (a window)."""
        return self.type == "window"


@attrs.frozen
class RevisedItem:
    """A 特定個人情報 item whose layout the revision changes."""

    number: int
    name_ja: str
    name_en: str
    short_ja: str
    short_en: str
    #: providers must register it again (副本登録) in the window (§5)
    registration_required: bool
    #: the new layout applies to past periods too: past data is re-registered (§5, §6)
    retroactive: bool
    section: str


@attrs.frozen
class CutoffSpec:
    """The provision cutoff rule (§6): which items, and the events that carry its dates."""

    items: frozenset[int]
    #: the event whose date is the last day a request can be answered (2018: 6/30)
    last_provision: str
    #: the event from whose date a withdrawn query may be re-issued (2018: 7/1)
    requery_from: str
    section: str


@attrs.frozen
class TaskWhen:
    """Which agencies a task template applies to; every condition given must hold."""

    kinds: frozenset[Kind] = frozenset(Kind)
    test_requested: bool | None = None
    #: the agency provides at least one of these items (None: no condition)
    provides: frozenset[int] | None = None
    new_delegation: bool | None = None


@attrs.frozen
class TaskTemplate:
    """What each agency must do, before when, and how the task multiplies per agency."""

    id: str
    title_ja: str
    title_en: str
    detail_ja: str
    detail_en: str
    when: TaskWhen
    per: Per
    #: per="system": the side of the systems to modify
    side: Side | None
    #: per="item": which of the agency's items
    items: ItemSet | None
    #: the event whose (adjusted) end is the due date
    due: str
    #: the event whose window the task runs in, when it has one
    window: str | None
    evidence_ja: str
    evidence_en: str
    remedies_ja: tuple[str, ...]
    remedies_en: tuple[str, ...]
    #: text added to a per-item task when the item is retroactive (past data included)
    retroactive_ja: str
    retroactive_en: str
    #: text added to a per-item task when the item comes from a new delegation
    delegation_ja: str
    delegation_en: str
    #: agencies that miss it are the ones the ministry follows up (§4, §5)
    hearing: bool
    section: str
    key: str = ""
    #: what to do once the task can no longer be done in time (its due date, before any
    #: closed-day move, has passed); empty: `remedies_ja` / `remedies_en` still apply
    remedies_too_late_ja: tuple[str, ...] = ()
    remedies_too_late_en: tuple[str, ...] = ()
    #: the task is about the agency's outstanding queries in this role (§6): with a queries
    #: file, an agency that has none in it has nothing to do, and the task does not apply
    queries: Literal["provider", "querier"] | None = None


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def suggest_task(text: str, templates: Iterable[TaskTemplate]) -> str | None:
    """Return the task id a task written by its Japanese name seems to mean, or None.

    ``機関間試験`` → ``inter-agency-test``; ``副本登録:2`` → ``register:2``;
    ``提供側改修:地方税務`` → ``modify-provision:local-tax``. The name is compared with each
    template's Japanese title by the pairs of characters they share; the best must hold
    two in five of the name's pairs and beat the next one. A qualifier the task could not
    take becomes ``<item>`` or ``<system>`` (``副本登録:二`` → ``register:<item>``), so the
    suggestion is never refused in its turn. Only ever a suggestion.
    """
    from cutover.domain import normalize_text

    name, _, qualifier = normalize_text(text).partition(":")
    wanted = _bigrams(name)
    if not wanted:
        return None
    scored = sorted(
        (
            (len(wanted & _bigrams(_PLACEHOLDER.sub("", t.title_ja))) / len(wanted), t.id, t)
            for t in templates
        ),
        key=lambda found: (-found[0], found[1]),
    )
    if not scored or scored[0][0] < 0.4 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    template = scored[0][2]
    if template.per == "once":
        return template.id
    if template.per == "system" and qualifier:
        # Only a system it can name: else the suggestion would be refused in its turn.
        try:
            qualifier = _parse_system(qualifier)
        except CutoverError:
            # Part of one system's §3 name (介護 of 介護保険), else a placeholder.
            named = [s.id for s in SYSTEMS if qualifier in s.ja]
            qualifier = named[0] if len(named) == 1 else ""
    elif not qualifier.isdigit():
        qualifier = ""
    if not qualifier:
        qualifier = "<item>" if template.per == "item" else "<system>"
    return f"{template.id}:{qualifier}"


@attrs.frozen
class Recurring:
    """An obligation that repeats (§13), as an RFC 5545 RRULE read by python-dateutil."""

    id: str
    title_ja: str
    title_en: str
    rrule: str
    dtstart: dt.date
    actor: Actor
    section: str
    note_ja: str = ""
    note_en: str = ""
    #: set when the source gives the period but not the day: what was assumed, and why
    assumption: str | None = None
    #: the assumption in English, when `assumption` is written in Japanese
    assumption_en: str | None = None

    def occurrences(self, start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
        """Return the dates the obligation falls on from `start` to `end` inclusive.

        Only dates in the years whose closed days cutover knows (up to 2099) are returned.
        A rule the loader would refuse (``INTERVAL=0``, ``BYHOUR``) raises `CutoverError`.
        """
        try:
            return _rule_dates(self.rrule, self.dtstart, start, end)
        except _BadRule as exc:
            raise CutoverError(f"{_clip(self.rrule, 80)!r} {exc}", fix=exc.fix) from None


@attrs.frozen
class Closure:
    """Days the calendar declares closed besides the law's (a planned outage, say)."""

    start: dt.date
    end: dt.date
    reason_ja: str
    reason_en: str
    section: str

    def days(self) -> Iterator[dt.date]:
        """Yield every day of the closure."""
        day = self.start
        while day <= self.end:
            yield day
            day += dt.timedelta(days=1)


@attrs.frozen
class Revision:
    """The revision a calendar describes."""

    id: str
    title_ja: str
    title_en: str
    effective: dt.date
    source: str
    section: str
    systems: tuple[str, ...]
    #: set when the source gives no exact effective date and the calendar assumes one
    assumption: str | None = None
    #: the assumption in English, when `assumption` is written in Japanese
    assumption_en: str | None = None


@attrs.frozen
class RevisionCalendar:
    """A whole revision calendar, validated; the input of the timeline and the planner."""

    revision: Revision
    items: tuple[RevisedItem, ...]
    events: tuple[Event, ...]
    cutoff: CutoffSpec | None
    tasks: tuple[TaskTemplate, ...]
    recurring: tuple[Recurring, ...]
    closures: tuple[Closure, ...]
    #: where the calendar was read from (for messages)
    source_file: str = ""

    @property
    def id(self) -> str:
        """Return the revision id (``2018-07``)."""
        return self.revision.id

    def event(self, event_id: str) -> Event:
        """Return the event with this id."""
        for event in self.events:
            if event.id == event_id:
                return event
        raise CutoverError(
            f"no event {event_id!r} in calendar {self.id}",
            fix=did_you_mean(event_id, [e.id for e in self.events]),
            file=self.source_file or None,
        )

    def item(self, number: int) -> RevisedItem | None:
        """Return the revised item with this number, or None when the revision keeps it."""
        for item in self.items:
            if item.number == number:
                return item
        return None

    def closed_days(self) -> ClosedDays:
        """Return the closed days: the law's, plus the closures this calendar declares."""
        extra: dict[dt.date, str] = {}
        for closure in self.closures:
            for day in closure.days():
                extra[day] = closure.reason_ja
        return ClosedDays(extra=extra) if extra else ClosedDays()


# --- finding calendars ---------------------------------------------------------------


def _shipped_dirs() -> list[Path]:
    dirs: list[Path] = []
    # Installed wheel: the calendars are copied into the package (see pyproject.toml).
    packaged = importlib.resources.files("cutover") / "calendars"
    if packaged.is_dir():
        dirs.append(Path(str(packaged)))
    # Source checkout or editable install: the calendars stay at the repository root.
    checkout = Path(__file__).resolve().parent.parent / "calendars"
    if checkout.is_dir() and checkout not in dirs:
        dirs.append(checkout)
    return dirs


def shipped_calendars() -> dict[str, Path]:
    """Return the calendars shipped with cutover, by id, sorted."""
    found: dict[str, Path] = {}
    for directory in _shipped_dirs():
        for path in sorted(directory.glob("*.toml")):
            found.setdefault(path.stem, path)
    return dict(sorted(found.items()))


def calendar_path(ref: str | Path) -> Path:
    """Return the file a calendar reference names: a shipped id or a path to a TOML file."""
    text = str(ref)
    shipped = shipped_calendars()
    if text in shipped:
        return shipped[text]
    path = Path(text)
    if path.exists() and not path.is_dir():
        return path  # a file, or a stream (``/dev/stdin``, ``<(…)``: read once, as a whole)
    looks_like_path = path.suffix == ".toml" or "/" in text or "\\" in text
    if looks_like_path:
        raise CutoverError(
            "no such calendar file", fix="check the path, or give a shipped id", file=text
        )
    raise CutoverError(
        f"unknown calendar {text!r}",
        fix=did_you_mean(text, list(shipped)) + " (`cutover calendars` lists them)",
    )


def load_calendar(ref: str | Path) -> RevisionCalendar:
    """Return the calendar a shipped id (``2018-07``) or a TOML path names, validated."""
    path = calendar_path(ref)
    try:
        with path.open("rb") as stream:
            # One byte past the limit is enough to know the file is too large.
            data = stream.read(_MAX_SIZE + 1)
    except OSError as exc:
        raise CutoverError(
            f"cannot read the calendar: {exc.strerror}", fix="check the path", file=str(path)
        ) from None
    if len(data) > _MAX_SIZE:
        raise _too_large(str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CutoverError(
            "the calendar is not UTF-8", fix="save the TOML file as UTF-8", file=str(path)
        ) from None
    return parse_calendar(text, str(path))


# --- parsing and validation -----------------------------------------------------------

_T = TypeVar("_T")


class _Reader:
    """Collects every problem of one calendar file, each located by key path and line."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        # Split on "\n" only, as TOML counts lines: str.splitlines() would also split on
        # U+2028, form feeds and the like inside strings, and shift every later line.
        self.lines = text.split("\n")
        self.problems: list[Problem] = []
        self._key_lines: dict[str, int] | None = None

    def problem(self, key: str, message: str, fix: str) -> None:
        # A message quotes the bad value: a shortened one is as clear, and no longer than a
        # line, whatever the file holds.
        line = self.line_of(key)
        message, fix = _clip(message, _MAX_MESSAGE), _clip(fix, _MAX_MESSAGE)
        self.problems.append(Problem(message, fix, self.file, line, _clip(key, _MAX_MESSAGE // 2)))

    def line_of(self, key: str) -> int | None:
        """Return the line where a key path such as ``events[3].date`` is written, if found.

        A path not written on a line of its own (an entry of a one-line array, a key that
        is missing) is located at its nearest written parent: the array's key, the table's
        header.
        """
        if self._key_lines is None:
            self._key_lines = _key_lines(self.lines)
        path = key
        while path:
            if path in self._key_lines:
                return self._key_lines[path]
            parent = _LAST_PART.sub("", path)
            if parent == path:
                break
            path = parent
        return None

    # Typed getters: each records a problem and returns a default instead of raising, so
    # that one run reports everything wrong with the file.

    def table(self, data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            self.problem(path, f"must be a table, not {_type_name(value)}", f"write [{path}]")
            return {}
        return value

    def array_of_tables(
        self, data: Mapping[str, Any], key: str, *, required: bool = False
    ) -> list[Mapping[str, Any]]:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(key, "is missing", f"add at least one [[{key}]] table")
            return []
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.problem(
                key,
                f"must be an array of tables, not {_type_name(value)}",
                f"write each entry as [[{key}]]",
            )
            return []
        return value

    def string(
        self, data: Mapping[str, Any], key: str, path: str, *, default: str | None = None
    ) -> str:
        value = data.get(key)
        if value is None:
            if default is None:
                self.problem(f"{path}.{key}", "is missing", f'add {key} = "…"')
                return ""
            return default
        if not isinstance(value, str):
            self.problem(
                f"{path}.{key}",
                f"must be a string, not {_type_name(value)} {value!r}",
                f'quote it: {key} = "{value}"',
            )
            return ""
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: str, *, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(
                f"{path}.{key}",
                f"must be true or false, not {value!r}",
                f"write {key} = true or {key} = false",
            )
            return default
        return value

    def strings(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                f"{path}.{key}",
                f"must be a list of strings, not {value!r}",
                f'write {key} = ["…", "…"]',
            )
            return ()
        return tuple(value)

    def integers(self, data: Mapping[str, Any], key: str, path: str) -> frozenset[int]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
        ):
            self.problem(
                f"{path}.{key}",
                f"must be a list of item numbers, not {value!r}",
                f"write {key} = [2, 21]",
            )
            return frozenset()
        return frozenset(value)

    def choice(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        parse: Callable[[str], _T],
        default: _T | None = None,
    ) -> _T | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.problem(f"{path}.{key}", "is missing", f'add {key} = "…"')
            return default
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", f"must be a string, not {value!r}", "quote it")
            return default
        try:
            return parse(value)
        except CutoverError as err:
            for p in err.problems:
                self.problem(f"{path}.{key}", p.message, p.fix)
            return default

    def date_range(self, data: Mapping[str, Any], key: str, path: str) -> DateRange | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            found = DateRange(value, value, value.isoformat(), "day")
        elif not isinstance(value, str):
            self.problem(
                f"{path}.{key}",
                f"must be a date, not {value!r}",
                f'write {key} = "2018-06-30" (or 平成30年6月30日, or "2018-05 下旬")',
            )
            return None
        else:
            try:
                found = parse_fuzzy(value)
            except CutoverError as err:
                for p in err.problems:
                    self.problem(f"{path}.{key}", p.message, p.fix)
                return None
        # Business days are only known for these years: a date outside them would fail
        # later, in the timeline, far from the line that is wrong.
        if not (found.start.year >= FIRST_YEAR and found.end.year <= LAST_YEAR):
            self.problem(
                f"{path}.{key}",
                f"{found.label!r} is outside the years cutover knows the closed days of "
                f"({FIRST_YEAR}–{LAST_YEAR})",
                f"give a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31",
            )
            return None
        return found

    def unknown_keys(self, data: Mapping[str, Any], allowed: Sequence[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                where = f"{path}.{key}" if path else key
                self.problem(where, f"{key!r} is not a valid key", did_you_mean(key, allowed))


# --- locating key paths in the text -----------------------------------------------------
# tomllib gives values, not positions; these light patterns find where each key path is
# written, so that a message can name the line. They follow TOML closely enough for the
# files people write by hand: bare keys, headers, inline tables, multi-line arrays/strings.

_HEADER = re.compile(
    r"^\s*(\[\[?)\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*\]\]?\s*(?:#.*)?$"
)
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")
_INLINE_KEY = re.compile(r"[{,]\s*([A-Za-z0-9_\-]+)\s*=")
# (Possessive, and never from a quote after a backslash: a line of a megabyte of \" in a
# comment is read once, not once per quote.)
_STRINGS = re.compile(r'(?<!\\)"(?:[^"\\]|\\.)*+"|\'[^\']*+\'')
_LAST_PART = re.compile(r"(?:\.[^.\[\]]*|\[\d+\])$")


def _bracket_depth(value: str) -> int:
    """Return how many more brackets `value` opens than it closes, strings and comment aside."""
    bare = _STRINGS.sub("", value).split("#", 1)[0]
    return bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")


def _key_lines(lines: Sequence[str]) -> dict[str, int]:
    """Return the 1-based line of every key path written in `lines` (first one wins)."""
    found: dict[str, int] = {}
    counts: dict[str, int] = {}
    table = ""
    depth = 0  # inside a multi-line array: its lines are values, not keys or headers
    in_string = ""  # inside a multi-line string: the quotes that close it
    for number, line in enumerate(lines, start=1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = ""
            continue
        if depth > 0:
            depth = max(0, depth + _bracket_depth(line))
            continue
        header = _HEADER.match(line)
        if header is not None:
            names = [part.strip() for part in header.group(2).split(".")]
            path = ""
            for i, name in enumerate(names):
                path = f"{path}.{name}" if path else name
                # [tasks.when] after [[tasks]] belongs to the last [[tasks]] table.
                if i < len(names) - 1 and path in counts:
                    path = f"{path}[{counts[path] - 1}]"
            found.setdefault(path, number)
            if header.group(1) == "[[":
                index = counts.get(path, 0)
                counts[path] = index + 1
                path = f"{path}[{index}]"
                found.setdefault(path, number)
            table = path
            continue
        key = _KEY_LINE.match(line)
        if key is None:
            continue
        name = re.sub(r"\s+", "", key.group(1))
        path = f"{table}.{name}" if table else name
        found.setdefault(path, number)
        value = line[key.end() :]
        for inner in _INLINE_KEY.finditer(_STRINGS.sub('""', value)):
            found.setdefault(f"{path}.{inner.group(1)}", number)
        for quotes in ('"""', "'''"):
            if value.count(quotes) % 2 == 1:
                in_string = quotes
                break
        else:
            depth = max(0, _bracket_depth(value))
    return found


def _type_name(value: object) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


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
_TASK_KEYS = (
    "id",
    "title_ja",
    "title_en",
    "detail_ja",
    "detail_en",
    "when",
    "per",
    "side",
    "items",
    "due",
    "window",
    "evidence_ja",
    "evidence_en",
    "remedies_ja",
    "remedies_en",
    "remedies_too_late_ja",
    "remedies_too_late_en",
    "retroactive_ja",
    "retroactive_en",
    "delegation_ja",
    "delegation_en",
    "hearing",
    "section",
    "queries",
)
_WHEN_KEYS = ("kinds", "test_requested", "provides", "new_delegation")
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
#: the placeholders a task's title and detail may use
_PLACEHOLDERS = {
    "once": set(),
    "system": {"system", "system_ja", "system_en"},
    "item": {"item", "item_ja", "item_en"},
}


def parse_calendar(text: str, file: str = "<calendar>") -> RevisionCalendar:
    """Return the calendar in TOML `text`; `file` names it in messages."""
    _check_text(text, file)
    try:
        data = tomllib.loads(text)
    except ValueError as exc:
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise _toml_error(exc, file) from None
        # int() refuses to read more than 4300 digits; tomllib lets its ValueError through.
        long_number = _LONG_NUMBER.search(text)
        raise CutoverError(
            "not valid TOML: an integer of more than 4300 digits",
            fix="TOML integers are 64-bit: a calendar's are item numbers and the schema",
            file=file,
            line=text.count("\n", 0, long_number.start()) + 1 if long_number else None,
        ) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise CutoverError(
            "not valid TOML: arrays or tables nested too deeply",
            fix="a calendar nests tables two or three levels at most",
            file=file,
        ) from None
    reader = _Reader(text, file)
    _check_limits(data, "", reader)
    calendar = None if reader.problems else _build(data, reader)
    if reader.problems or calendar is None:
        raise CutoverError.from_problems(_at_most(reader.problems, file))
    return calendar


def _toml_error(exc: tomllib.TOMLDecodeError, file: str) -> CutoverError:
    message = str(exc)
    match = re.search(r"\(at line (\d+), column \d+\)", message)
    line = int(match.group(1)) if match else None
    reason = re.sub(r"\s*\(at line.*\)", "", message) or "invalid TOML"
    return CutoverError(
        f"not valid TOML: {reason}",
        fix="check quotes, brackets and = on that line",
        file=file,
        line=line,
    )


# --- limits ------------------------------------------------------------------------------
# A calendar is a few dozen KB, written by hand. These bounds are far above what any
# revision needs, and low enough that no file within them makes a command hang, exhaust
# memory or write gigabytes. docs/calendar-format.md lists them ("Limits").

#: The largest calendar, in bytes (in characters, for a text): the shipped ones are under
#: 30 KB.
_MAX_SIZE = 1024 * 1024
#: The most parts of a dotted key or a table header: the schema uses two (``[tasks.when]``).
#: tomllib takes time and memory growing with the square of the parts (50,000: gigabytes).
_MAX_KEY_PARTS = 10
#: The deepest nesting of tables and arrays: the schema has four (``tasks[0].when.kinds``).
_MAX_DEPTH = 10
#: TOML integers are 64-bit; Python reads any, and one of thousands of digits cannot even
#: be quoted in a message.
_MAX_INTEGER = 2**63 - 1
#: The most entries of each array of tables (the shipped calendars: 17 events, 9 tasks,
#: 4 items, 2 obligations). Tasks are multiplied by systems or items and by agencies.
_MAX_TABLES = {"events": 5000, "tasks": 100, "items": 200, "recurring": 50, "closures": 200}
#: The most entries of any other array: systems, remedies, dependencies (shipped: 8 at most).
_MAX_LIST = 50
#: The most problems reported at once; one more says how many more there are.
_MAX_PROBLEMS = 100
#: The longest message: a quoted value is shortened to fit.
_MAX_MESSAGE = 400

# A key part: bare, or quoted. Possessive (++, *+), and never starting inside another part
# or after a backslash (an escaped quote): every character is read once or twice, so a
# search of a megabyte stays linear.
_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""
_DEEP_KEY = re.compile(
    rf"(?<![A-Za-z0-9_\-\"'.\\]){_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART}){{{_MAX_KEY_PARTS},}}"
)
_LONG_NUMBER = re.compile(r"[0-9_]{4301,}")


def _too_large(file: str) -> CutoverError:
    return CutoverError(
        f"the calendar is larger than {_MAX_SIZE:,} bytes (1 MiB)",
        fix="a calendar is a few dozen KB: check that this is the calendar file",
        file=file,
    )


def _check_text(text: str, file: str) -> None:
    """Raise `CutoverError` for a text too large, or with keys too deep, to hand to tomllib."""
    if len(text) > _MAX_SIZE:
        raise _too_large(file)
    # Sought in the whole text, strings included: a string that looks like a key of eleven
    # parts is no more likely in a calendar than the key itself.
    deep = _DEEP_KEY.search(text)
    if deep is not None:
        raise CutoverError(
            f"{_clip(deep.group(), 60)!r} is a key of more than {_MAX_KEY_PARTS} dotted parts",
            fix="a calendar's keys have one or two parts, e.g. [tasks.when] or when.kinds",
            file=file,
            line=text.count("\n", 0, deep.start()) + 1,
        )


def _check_limits(value: object, key: str, r: _Reader, depth: int = 0) -> None:
    """Record a problem for every array too long, integer too large or nesting too deep, and
    for every text that holds a personal number."""
    if depth > _MAX_DEPTH:
        r.problem(
            key,
            f"nests tables and arrays more than {_MAX_DEPTH} deep",
            "a calendar nests them four deep at most: [[tasks]] > when > kinds",
        )
    elif isinstance(value, Mapping):
        for name, inner in value.items():
            inner_key = f"{key}.{name}" if key else name
            if holds_personal_number(name):
                r.problem(inner_key, *refusal("the key", name))
            _check_limits(inner, inner_key, r, depth + 1)
    elif isinstance(value, str) and holds_personal_number(value):
        # A title or a note goes into every agency's checklist.
        r.problem(key, *refusal("the text", value))
    elif isinstance(value, list):
        most = _MAX_TABLES.get(key, _MAX_LIST)
        if len(value) > most:
            r.problem(
                key,
                f"has {len(value):,} entries: at most {most}",
                "a calendar lists a revision's few events, tasks, items and systems; "
                "check for repeated lines",
            )
            return
        for i, inner in enumerate(value):
            _check_limits(inner, f"{key}[{i}]", r, depth + 1)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_INTEGER:
        # (str() refuses more than 4300 digits: past them, the count is worked out)
        bits = abs(value).bit_length()
        digits = f"{len(str(abs(value)))}" if bits < 14_000 else f"about {int(bits * 0.30103):,}"
        r.problem(
            key,
            f"is an integer of {digits} digits: TOML integers are 64-bit",
            "a calendar's integers are item numbers and the schema: write a small number",
        )


def _at_most(problems: Sequence[Problem], file: str) -> list[Problem]:
    """Return the first `_MAX_PROBLEMS` problems, and one saying how many more there are."""
    if len(problems) <= _MAX_PROBLEMS:
        return list(problems)
    more = len(problems) - _MAX_PROBLEMS
    return [
        *problems[:_MAX_PROBLEMS],
        Problem(f"and {more:,} more problems", "correct these first, then validate again", file),
    ]


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


def _check_id(r: _Reader, key: str, value: str) -> None:
    if value and not _ID.match(value):
        r.problem(
            key,
            f"id {value!r} is not lower-case letters, digits and hyphens",
            "write ids like 'duplicate-registration'",
        )


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


def _event_ref(
    r: _Reader,
    t: Mapping[str, Any],
    field: str,
    key: str,
    event_ids: Sequence[str],
    *,
    required: bool = True,
) -> str | None:
    if field not in t and not required:
        return None
    value = r.string(t, field, key)
    if value and value not in event_ids:
        r.problem(f"{key}.{field}", f"unknown event {value!r}", did_you_mean(value, event_ids))
    return value or None


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


#: The widest a placeholder may be padded or cut to (``{item:>3}``): a title is one line, and
#: whatever a width adds the planner writes for every task of every agency
#: (``{system_ja:>5000000}`` would make gigabytes of a prefecture's plan). The shipped
#: calendars use none; 100 is wider than any line of a checklist.
_MAX_FORMAT_WIDTH = 100


def _placeholders(text: str) -> set[str]:
    """Return the field names `text` formats; raise ValueError for unbalanced braces.

    Fields nested in a format spec (``{item:{width}}``) are fields too: ``format_map``
    would look them up.
    """
    names: set[str] = set()
    for _, name, spec, _ in string.Formatter().parse(text):
        if name is None:
            continue
        names.add(name)
        if spec and "{" in spec:
            names |= _placeholders(spec)
    return names


def _check_placeholders(r: _Reader, key: str, text: str, per: str) -> None:
    allowed = _PLACEHOLDERS.get(per, set())
    try:
        names = _placeholders(text)
    except ValueError as exc:
        r.problem(key, f"broken placeholder in {text!r}: {exc}", "write {{ and }} for braces")
        return
    unknown = sorted(names - allowed)
    for name in unknown:
        usable = ", ".join("{" + n + "}" for n in sorted(allowed)) or 'none (per = "once")'
        r.problem(key, f"unknown placeholder {{{name}}}", f"usable here: {usable}")
    if unknown:
        return
    for _, field_name, spec, _ in string.Formatter().parse(text):
        if not spec:
            continue
        field = _clip(f"{{{field_name}:{spec}}}", 40)
        if "{" in spec:
            # Its format would come from the value: {item:{item}<5} pads with the item's
            # number, and fails for the item's name.
            r.problem(
                key,
                f"the placeholder {field} takes its format from another placeholder",
                "write the placeholder plainly, e.g. {item}, or with a fixed format: {item:>3}",
            )
            return
        # Widths and precisions are runs of digits (any script: Python reads ٥ as 5).
        # (int() is only given a few digits: it refuses more than 4300.)
        too_wide = [n for n in re.findall(r"\d+", spec) if len(n) > 6 or int(n) > _MAX_FORMAT_WIDTH]
        if too_wide:
            widest = too_wide[0]
            size = widest if len(widest) <= 9 else f"a {len(widest)}-digit number of"
            r.problem(
                key,
                f"the placeholder {field} pads or cuts to {size} characters: "
                f"at most {_MAX_FORMAT_WIDTH}",
                "give a width of at most 100, e.g. {item:>3}, or write the placeholder plainly",
            )
            return
    # The planner fills placeholders with strings (format_map): a conversion or a format
    # spec that a string refuses ({item!x}, {item:d}) would fail there, so try it here.
    try:
        text.format_map(dict.fromkeys(allowed, "x"))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        r.problem(
            key,
            f"broken placeholder in {text!r}: {exc}",
            "write the placeholder plainly, e.g. {item}",
        )


def _task(
    t: Mapping[str, Any], key: str, r: _Reader, event_ids: Sequence[str], item_numbers: set[int]
) -> TaskTemplate:
    r.unknown_keys(t, _TASK_KEYS, key)
    task_id = r.string(t, "id", key)
    _check_id(r, f"{key}.id", task_id)
    per_text = r.string(t, "per", key, default="once")
    # "" means the value was not a string: reported already by r.string.
    if per_text and per_text not in _PERS:
        r.problem(
            f"{key}.per", f"unknown multiplication {per_text!r}", did_you_mean(per_text, _PERS)
        )
        per_text = "once"
    per: Per = "system" if per_text == "system" else ("item" if per_text == "item" else "once")
    side = r.choice(t, "side", key, parse_side, default=None) if "side" in t else None
    if per == "system" and side is None and "side" not in t:
        r.problem(
            f"{key}.side",
            "a per-system task names its side",
            'add side = "provision" or side = "query"',
        )
    elif per != "system" and "side" in t:
        r.problem(f"{key}.side", "only a per-system task has a side", 'add per = "system"')
    items: ItemSet | None = None
    if per == "item":
        item_text = r.string(t, "items", key, default="registration")
        if not item_text:
            pass  # not a string: reported already by r.string
        elif item_text not in _ITEM_SETS:
            r.problem(
                f"{key}.items",
                f"unknown item set {item_text!r}",
                did_you_mean(item_text, _ITEM_SETS),
            )
        else:
            items = (
                "cutoff"
                if item_text == "cutoff"
                else ("revised" if item_text == "revised" else "registration")
            )
    elif "items" in t:
        r.problem(f"{key}.items", "only a per-item task selects items", 'add per = "item"')
    when_table = r.table(t, "when", f"{key}.when") if "when" in t else {}
    r.unknown_keys(when_table, _WHEN_KEYS, f"{key}.when")
    kinds: set[Kind] = set()
    for i, name in enumerate(r.strings(when_table, "kinds", f"{key}.when")):
        try:
            kinds.add(parse_kind(name))
        except CutoverError as err:
            r.problem(f"{key}.when.kinds[{i}]", err.problems[0].message, err.problems[0].fix)
    provides: frozenset[int] | None = None
    if "provides" in when_table:
        value = when_table["provides"]
        if value == "revised":
            provides = frozenset(item_numbers)
        elif isinstance(value, list):
            provides = r.integers(when_table, "provides", f"{key}.when")
        else:
            r.problem(
                f"{key}.when.provides",
                f"must be 'revised' or a list of items, not {value!r}",
                'write provides = [2, 21] or provides = "revised"',
            )
    test_requested = when_table.get("test_requested")
    new_delegation = when_table.get("new_delegation")
    for name, flag in (("test_requested", test_requested), ("new_delegation", new_delegation)):
        if flag is not None and not isinstance(flag, bool):
            r.problem(
                f"{key}.when.{name}", f"must be true or false, not {flag!r}", f"write {name} = true"
            )
    when = TaskWhen(
        kinds=frozenset(kinds) if kinds else frozenset(Kind),
        test_requested=test_requested if isinstance(test_requested, bool) else None,
        provides=provides,
        new_delegation=new_delegation if isinstance(new_delegation, bool) else None,
    )
    texts = {
        name: r.string(
            t,
            name,
            key,
            default="" if name.startswith(("detail", "evidence", "retro", "deleg")) else None,
        )
        for name in (
            "title_ja",
            "title_en",
            "detail_ja",
            "detail_en",
            "evidence_ja",
            "evidence_en",
            "retroactive_ja",
            "retroactive_en",
            "delegation_ja",
            "delegation_en",
        )
    }
    for name in ("title_ja", "title_en", "detail_ja", "detail_en"):
        _check_placeholders(r, f"{key}.{name}", texts[name], per)
    due = _event_ref(r, t, "due", key, event_ids)
    window = _event_ref(r, t, "window", key, event_ids, required=False)
    return TaskTemplate(
        id=task_id,
        title_ja=texts["title_ja"],
        title_en=texts["title_en"],
        detail_ja=texts["detail_ja"],
        detail_en=texts["detail_en"],
        when=when,
        per=per,
        side=side,
        items=items,
        due=due or "",
        window=window,
        evidence_ja=texts["evidence_ja"],
        evidence_en=texts["evidence_en"],
        remedies_ja=r.strings(t, "remedies_ja", key),
        remedies_en=r.strings(t, "remedies_en", key),
        retroactive_ja=texts["retroactive_ja"],
        retroactive_en=texts["retroactive_en"],
        delegation_ja=texts["delegation_ja"],
        delegation_en=texts["delegation_en"],
        hearing=r.boolean(t, "hearing", key, default=False),
        section=r.string(t, "section", key),
        key=key,
        remedies_too_late_ja=r.strings(t, "remedies_too_late_ja", key),
        remedies_too_late_en=r.strings(t, "remedies_too_late_en", key),
        queries=_queries_role(r, t, key),
    )


def _queries_role(
    r: _Reader, t: Mapping[str, Any], key: str
) -> Literal["provider", "querier"] | None:
    """Return a task's `queries` role, or None; anything else is a problem of the file."""
    role = r.string(t, "queries", key, default="")
    if role == "provider":
        return "provider"
    if role == "querier":
        return "querier"
    if not role:
        return None
    r.problem(
        f"{key}.queries",
        f"queries {role!r} is neither provider nor querier",
        'write queries = "provider" (the agency answers them) or "querier" (it sent them)',
    )
    return None


# --- recurrence rules -----------------------------------------------------------------
# dateutil runs a rule until it has found the dates asked for. A rule that finds none (no
# 30 February) it runs to the year 9999, day by day for a daily rule: seconds per call,
# and the checklists ask once per agency. A rule with INTERVAL=0 it runs for ever. So a
# rule is checked part by part before dateutil sees it, and always run on dates moved
# close to the year 9999 (see `_rule_dates`), where dateutil soon runs out of years.

_RRULE_FIX = 'write an RFC 5545 rule such as "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1"'
#: The parts of a rule cutover reads. Not BYHOUR, BYMINUTE, BYSECOND (an obligation falls
#: on days), nor dateutil's own BYEASTER (not a date of Japanese administration, and the
#: only one that does not repeat every 400 years, which `_rule_dates` relies on).
_RULE_PARTS = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "WKST",
    "BYDAY",
    "BYMONTH",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYSETPOS",
)
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_NUMBER_LISTS = ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS")
#: The longest rule: the shipped ones are under 40 characters.
_MAX_RULE_TEXT = 200
#: The largest INTERVAL and COUNT: every 9999th day is once in 27 years; an obligation that
#: falls at most weekly has fewer than 9999 dates in the years cutover knows.
_MAX_RULE_NUMBER = 9999
#: An obligation falls at most weekly: no more than 53 days in a year. A checklist lists
#: every date of every obligation, for every agency.
_MAX_PER_YEAR = 53
#: The Gregorian calendar repeats every 400 years (146,097 days, 20,871 weeks): a date
#: moved by a multiple of 400 years keeps its weekday, its week number and its leap day.
_CYCLE_YEARS = 400
_LAST_DAY = dt.date(LAST_YEAR, 12, 31)


class _BadRule(ValueError):
    """A recurrence rule cutover does not run: what is wrong with it, and the fix."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


def _check_rule_parts(text: str) -> None:
    """Raise `_BadRule` unless `text` is one rule of day-based parts, each number small."""
    if len(text) > _MAX_RULE_TEXT:
        raise _BadRule(
            f"is {len(text)} characters long: a rule is at most {_MAX_RULE_TEXT}", _RRULE_FIX
        )
    # dateutil reads the text in upper case, each run of spaces or newlines ending a line.
    lines = text.upper().split()
    for line in lines:
        name = line.partition(":")[0].partition(";")[0] if ":" in line else "RRULE"
        if name not in ("RRULE", "DTSTART"):
            raise _BadRule(
                f"has the line {_clip(line, 40)!r}: only the rule itself is read",
                "write only the rule's parts, without ':', e.g. FREQ=YEARLY;BYMONTH=5;"
                "BYMONTHDAY=1 (the first date is dtstart = …)",
            )
    rules = [
        line.removeprefix("RRULE:")
        for line in lines
        if ":" not in line or line.startswith("RRULE:")
    ]
    if len(rules) != 1:
        raise _BadRule("is not one rule: write its parts without spaces, joined by ;", _RRULE_FIX)
    parts: dict[str, str] = {}
    for part in rules[0].split(";"):
        name, sep, value = part.partition("=")
        if not (name and sep and value):
            raise _BadRule(f"has {_clip(part, 40)!r}, not a PART=VALUE", _RRULE_FIX)
        if name in _TIME_PARTS:
            raise _BadRule(
                f"has {name}: an obligation falls on days, not at times of day",
                f"remove {name}=…; the obligation falls once on each day the rule gives",
            )
        if name not in _RULE_PARTS:
            raise _BadRule(
                f"has {_clip(name, 40)!r}, not a part of a rule", did_you_mean(name, _RULE_PARTS)
            )
        if name in parts:
            raise _BadRule(f"gives {name} twice", f"keep one {name}=…")
        if name not in ("UNTIL", "INTERVAL", "COUNT") and re.search(r"[0-9]{5}", value):
            raise _BadRule(
                f"has {name}={_clip(value, 20)}: a number too long for a rule", _RRULE_FIX
            )
        parts[name] = value
    freq = parts.get("FREQ", "")
    if freq in ("HOURLY", "MINUTELY", "SECONDLY"):
        raise _BadRule(
            f"repeats {freq}: an obligation falls on days",
            "use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY",
        )
    for name in ("INTERVAL", "COUNT"):
        value = parts.get(name, "1")
        if not (re.fullmatch(r"[0-9]{1,4}", value) and 1 <= int(value) <= _MAX_RULE_NUMBER):
            raise _BadRule(
                f"has {name}={_clip(value, 20)}, not a whole number from 1 to {_MAX_RULE_NUMBER}",
                f"write {name}=1 or more"
                + (
                    ", e.g. FREQ=YEARLY;INTERVAL=2 for every other year"
                    if name == "INTERVAL"
                    else ""
                ),
            )
    if "COUNT" in parts and "UNTIL" in parts:
        raise _BadRule("gives both COUNT and UNTIL", "keep one of them (RFC 5545 allows one)")
    for name in _NUMBER_LISTS:
        for entry in parts[name].split(",") if name in parts else ():
            if not re.fullmatch(r"[+-]?[0-9]{1,3}", entry):
                raise _BadRule(
                    f"has {name}={_clip(parts[name], 20)}: {_clip(entry, 20)!r} is not a number",
                    f"write {name} as numbers joined by commas, e.g. BYMONTH=5,11",
                )


def _rrule(text: str, dtstart: dt.date) -> rrule:
    """Return the rule dateutil reads in `text`, starting on `dtstart` (or its DTSTART line)."""
    from dateutil.rrule import rrule, rrulestr

    _check_rule_parts(text)
    parsed = rrulestr(text, dtstart=dt.datetime.combine(dtstart, dt.time()))
    if not isinstance(parsed, rrule):
        raise _BadRule("is not one rule", _RRULE_FIX)
    return parsed


def _years_later(moment: dt.datetime, years: int) -> dt.datetime:
    # `years` is a multiple of 400: 29 February stays a day.
    return moment.replace(year=moment.year + years)


@functools.lru_cache(maxsize=512)
def _rule_dates(
    text: str, dtstart: dt.date, start: dt.date, end: dt.date, limit: int | None = None
) -> tuple[dt.date, ...]:
    """Return the dates rule `text` from `dtstart` falls on from `start` to `end` (at most
    `limit` of them); only up to 2099-12-31, the last day whose closed days are known.

    dateutil is given the rule moved forward by whole 400-year cycles, so that `end` falls
    within 400 years of the year 9999, where dateutil stops: a rule that finds no more
    dates costs at most 550 years of search, not 8,000. The dates it finds are moved back.
    Cached: the checklists ask the same question once per agency.
    """
    rule = _rrule(text, dtstart)
    # dateutil keeps the rule's first day and its UNTIL only here; the first day is
    # `dtstart` unless a DTSTART line in the rule replaced it.
    state = vars(rule)
    first: dt.datetime = state["_dtstart"]
    until: dt.datetime | None = state["_until"]
    if not FIRST_YEAR <= first.year <= LAST_YEAR:
        raise _BadRule(
            f"starts in {first.year}, outside the years cutover knows ({FIRST_YEAR}–{LAST_YEAR})",
            "remove the DTSTART line; the first date is dtstart = …",
        )
    last = dt.datetime.combine(min(end, _LAST_DAY), dt.time())
    if last.date() < max(start, first.date()):
        return ()
    if until is not None and until > last:
        # An UNTIL past the last day asked for changes none of the dates found.
        until = last
    years = _CYCLE_YEARS * ((dt.MAXYEAR - last.year) // _CYCLE_YEARS)
    moved = rule.replace(
        dtstart=_years_later(first, years),
        until=None if until is None else _years_later(until, years),
    )
    found: list[dt.date] = []
    after = _years_later(dt.datetime.combine(start, dt.time()), years)
    before = _years_later(last, years)
    for moment in moved.xafter(after, inc=True):
        if moment > before or (limit is not None and len(found) >= limit):
            break
        found.append(moment.replace(year=moment.year - years).date())
    return tuple(found)


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


def _check_rule(r: _Reader, key: str, rule: str, dtstart: dt.date | None) -> None:
    """Record a problem unless `rule` falls on a day in the years cutover knows, and on no
    more than `_MAX_PER_YEAR` days in the year from its first (`dtstart`; when it is
    missing or wrong, reported already, only the rule's parts are checked)."""
    shown = _clip(rule, 80)
    try:
        if dtstart is None:
            _check_rule_parts(rule)
            return
        # Its first dates, one more than a year may hold: some mistakes (a DTSTART with a
        # time zone inside the rule, say) only show when dateutil runs the rule.
        days = _rule_dates(rule, dtstart, dtstart, _LAST_DAY, _MAX_PER_YEAR + 1)
    except _BadRule as exc:
        r.problem(key, f"{shown!r} {exc}", exc.fix)
        return
    # dateutil reports a bad rule with whichever exception its parser meets first.
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
        r.problem(key, f"{shown!r} is not an RRULE: {exc}", _RRULE_FIX)
        return
    if not days:
        r.problem(
            key,
            f"{shown!r} never falls on a day from {dtstart.isoformat()} to {_LAST_DAY.isoformat()}",
            "check that the days it names exist (no 30 February) and that INTERVAL, COUNT "
            "and UNTIL leave one",
        )
    elif len(days) > _MAX_PER_YEAR and (days[-1] - days[0]).days < 365:
        r.problem(
            key,
            f"{shown!r} falls on more than {_MAX_PER_YEAR} days in the year from "
            f"{days[0].isoformat()}: an obligation recurs at most weekly",
            "use FREQ=WEEKLY, MONTHLY or YEARLY, or name the days with BYMONTH, BYMONTHDAY "
            "or BYDAY",
        )


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
