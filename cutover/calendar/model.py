"""The revision calendar as frozen models: events, dependencies and lags, revised items, task
templates, recurring obligations, closures.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

from cutover.calendar.recurrence import _BadRule, _rule_dates
from cutover.errors import CutoverError, NotFound, clip, require_date, require_text, suggest
from cutover.i18n.catalogue import text as catalogue_text
from cutover.jp.closed_days import ClosedDays
from cutover.jp.vocabulary import SYSTEMS, Actor, Kind, Side, normalize_text
from cutover.jp.vocabulary import parse_system as _parse_system
from cutover.jp.wareki import DateRange

__all__ = [
    "EFFECTIVE",
    "REVISION_KINDS",
    "SCHEMA_VERSION",
    "Anchor",
    "CutoffSpec",
    "DeclaredClosure",
    "Dependency",
    "Event",
    "EventType",
    "ItemSet",
    "Lag",
    "Per",
    "Recurring",
    "RevisedItem",
    "Revision",
    "RevisionCalendar",
    "RevisionKind",
    "TaskTemplate",
    "TaskWhen",
    "parse_lag",
    "suggest_task",
]

#: The id of the event the loader makes from ``[revision].effective``: the day the new
#: layout takes effect. Every calendar has it; events may depend on it.
EFFECTIVE = "effective"

SCHEMA_VERSION = 1

#: What a calendar's revision is (``[revision].kind``): a data standard layout revision
#: (データ標準レイアウト改版, the default), or a master delivery (マスター配信) that revises no
#: layout (§2: the November 2018 one, for change requests); the first is the default.
RevisionKind = Literal["layout-revision", "master-delivery"]
REVISION_KINDS: tuple[RevisionKind, ...] = ("layout-revision", "master-delivery")

EventType = Literal["milestone", "deadline", "window"]
_EVENT_TYPES: tuple[EventType, ...] = ("milestone", "deadline", "window")
Per = Literal["once", "system", "item"]
_PERS: tuple[Per, ...] = ("once", "system", "item")
ItemSet = Literal["registration", "cutoff", "revised"]
_ITEM_SETS: tuple[ItemSet, ...] = ("registration", "cutoff", "revised")
Anchor = Literal["start", "end"]

_LAG = re.compile(r"^([+-]?)(\d+)(bd|d)$")
#: The longest lag, either way: 27 years of calendar days (about 40 of business days).
_MAX_LAG = 9999


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


#: The minus signs and dashes a lag's sign may be typed or pasted as (a word processor's
#: − U+2212, ‐ U+2010, – U+2013, ー the long-vowel mark), which NFKC leaves as they are.
_MINUS_SIGNS = str.maketrans(dict.fromkeys("\u2212\u2010\u2011\u2012\u2013\u2014\u30fc", "-"))


def parse_lag(text: str) -> Lag:
    """Return the lag written as ``3bd``, ``+3bd``, ``-1d`` (full-width digits accepted)."""
    written = normalize_text(text).replace(" ", "").translate(_MINUS_SIGNS)
    match = _LAG.match(written)
    if match is None:
        raise CutoverError.of("calendar.not-a-lag", lag=clip(text, 40))
    sign, number, unit = match.groups()
    # Compared as text first: int() refuses more than 4300 digits with a ValueError.
    digits = number.lstrip("0")
    if len(digits) > len(str(_MAX_LAG)) or int(digits or "0") > _MAX_LAG:
        raise CutoverError.of("calendar.lag-too-long", lag=clip(text, 40), most=_MAX_LAG)
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
    #: the business systems that provide it: their provision-side modification comes before
    #: its registration in the new layout (§2: システム改修, 機関間試験, 副本登録)
    systems: tuple[str, ...] = ()
    #: why the calendar takes `systems` to provide the item, when the source does not say
    #: (it names no system per item): the link is then the calendar's assumption
    systems_assumption: str | None = None
    systems_assumption_en: str | None = None

    def systems_assumption_in(self, lang: str) -> str | None:
        """Return why the calendar links the item to `systems`, in `lang` ("ja" or "en"),
        falling back to the one written; None when the link is not an assumption."""
        if lang == "en" and self.systems_assumption_en:
            return self.systems_assumption_en
        return self.systems_assumption


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
    #: what to do when the agency's readiness report says the task will be late (not
    #: started, or planned after its due date) while it is not yet; empty: `remedies_ja` /
    #: `remedies_en` still apply
    remedies_late_ja: tuple[str, ...] = ()
    remedies_late_en: tuple[str, ...] = ()
    #: per-system templates whose instances, for the systems behind the task's items (its
    #: item; for a task done once, every item the agency provides), come first (§2)
    after: tuple[str, ...] = ()
    #: the task is about the agency's outstanding queries in this role (§6): with a queries
    #: file, an agency that has none in it has nothing to do, and the task does not apply
    queries: Literal["provider", "querier"] | None = None
    #: the event whose end closes the task's purpose (the revision weekend, for a contact plan
    #: for it): once it has ended with the task not done, the task no longer applies (it is
    #: past, not overdue)
    until: str | None = None
    #: the source says to do it as needed (「必要に応じて」, §6's follow-up and re-query): once
    #: its due date has passed with nothing recorded, it is done as needed, not overdue
    optional: bool = False
    #: what the ministry may do with an agency that misses a `hearing` task, as the source
    #: says it (§5: 「総務省から都道府県を通じて…」); empty: the catalogue's words (§4's)
    hearing_ja: str = ""
    hearing_en: str = ""

    def title_of_all(self, lang: str, blank: str) -> str:
        """Return the title of the template's tasks taken together (a row of the index's
        progress table), in `lang`: each field its tasks fill in (a system, an item) written
        `blank` (``情報提供に係るシステム改修を完了する（○○）``)."""
        title = self.title_en if lang == "en" else self.title_ja
        return "".join(text + ("" if name is None else blank) for text, name in _title_parts(title))


def _title_parts(title: str) -> list[tuple[str, str | None]]:
    """Return a template's title in parts: each text as the tasks' titles show it (``{{``
    as ``{``) and the name of the field after it (None after the last), as
    `str.format_map`, which writes the tasks' titles, reads the title."""
    try:
        return [(text, name) for text, name, _, _ in string.Formatter().parse(title)]
    except ValueError:  # (braces the calendar's reader refuses: no field is read in them)
        return [(title, None)]


def _title_text(title: str) -> str:
    """Return a template's title without its fields, as its tasks show its text."""
    return "".join(text for text, _ in _title_parts(title))


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def task_by_name(text: str, templates: Iterable[TaskTemplate]) -> str | None:
    """Return the id of the task whose Japanese name `text` is, or None.

    A task is named as its checklist names it (its template's ``title_ja`` with the
    system's or the item's fields filled in): ``機関間試験を実施する（接続検証環境）`` →
    ``inter-agency-test``; ``特定個人情報2番（地方税関係情報）の副本を登録する`` →
    ``register:2``; ``情報照会に係るシステム改修を完了する（地方税務）`` →
    ``modify-query:local-tax``. The survey workbook's evidence sheet writes tasks so.
    """
    written = normalize_text(text)
    if not written:
        return None
    # (A title in ASCII alone is a name too: a calendar may call a task "LGWAN-ASP check".)
    for template in templates:
        match = _title_pattern(template.title_ja).fullmatch(written)
        if match is None:
            continue
        fields = match.groupdict()
        if template.per == "once":
            return template.id
        if template.per == "system" and fields.get("system_ja"):
            return f"{template.id}:{_parse_system(fields['system_ja'])}"
        if template.per == "item" and fields.get("item"):
            return f"{template.id}:{int(fields['item'])}"
    return None


_FIELD_PATTERNS = {
    "item": r"(?P<item>[0-9]{1,3})",
    "system_ja": "(?P<system_ja>" + "|".join(re.escape(s.ja) for s in SYSTEMS) + ")",
}


def _title_pattern(title: str) -> re.Pattern[str]:
    """Return a pattern matching a template's title with its fields filled in (folded and
    trimmed as `normalize_text` folds and trims a name)."""
    literals = [""]  # the title's text between its fields, folded
    names: list[str] = []
    for text, name in _title_parts(title):
        literals[-1] += text
        if name is not None:
            names.append(name)
            literals.append("")
    literals = [unicodedata.normalize("NFKC", text).lower() for text in literals]
    # Trimmed as text, before it is escaped: a title's trailing space escaped and then
    # stripped would leave a lone backslash, which is no pattern.
    literals[0] = literals[0].lstrip()
    literals[-1] = literals[-1].rstrip()
    parts = [re.escape(literals[0])]
    seen: set[str] = set()
    for name, literal in zip(names, literals[1:], strict=True):
        if name in _FIELD_PATTERNS and name not in seen:
            parts.append(_FIELD_PATTERNS[name])
            seen.add(name)
        elif name in _FIELD_PATTERNS:
            parts.append(f"(?P={name})")
        else:
            parts.append(".+?")
        parts.append(re.escape(literal))
    return re.compile("".join(parts))


def _task_templates(
    templates: RevisionCalendar | Iterable[TaskTemplate], name: str
) -> tuple[TaskTemplate, ...]:
    """Return a calendar's task templates, given as the calendar or as its templates; any
    other object is a `TypeError` naming the argument."""
    if isinstance(templates, RevisionCalendar):
        return templates.tasks
    kind = type(templates).__name__
    if isinstance(templates, Iterable) and not isinstance(templates, str | bytes):
        found = tuple(templates)
        wrong = next((t for t in found if not isinstance(t, TaskTemplate)), None)
        if wrong is None:
            return found
        kind = type(wrong).__name__
    raise TypeError(catalogue_text("common.not-task-templates", "en", name=name, kind=kind))


def suggest_task(text: str, templates: RevisionCalendar | Iterable[TaskTemplate]) -> str | None:
    """Return the task id a task written by its Japanese name seems to mean, or None.

    ``機関間試験`` → ``inter-agency-test``; ``副本登録:2`` → ``register:2``;
    ``提供側改修:地方税務`` → ``modify-provision:local-tax``. `templates` are a calendar's
    (``calendar.tasks``, or the calendar itself). The name is compared with each
    template's Japanese title by the pairs of characters they share; the best must hold
    two in five of the name's pairs and beat the next one. A qualifier the task could not
    take becomes ``<item>`` or ``<system>`` (``副本登録:二`` → ``register:<item>``), so the
    suggestion is never refused in its turn. Only ever a suggestion.
    """
    require_text(text, "text")
    templates = _task_templates(templates, "templates")
    name, _, qualifier = normalize_text(text).partition(":")
    wanted = _bigrams(name)
    if not wanted:
        return None
    scored = sorted(
        (
            (len(wanted & _bigrams(_title_text(t.title_ja))) / len(wanted), t.id, t)
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
        require_date(start, "start")
        require_date(end, "end")
        try:
            return _rule_dates(self.rrule, self.dtstart, start, end)
        except _BadRule as exc:
            raise exc.error(self.rrule) from None


@attrs.frozen
class DeclaredClosure:
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
    #: a layout revision, or a master delivery that revises no layout
    kind: RevisionKind = "layout-revision"


@attrs.frozen
class RevisionCalendar:
    """A whole revision calendar, validated; the input of the timeline and the planner."""

    revision: Revision
    items: tuple[RevisedItem, ...]
    events: tuple[Event, ...]
    cutoff: CutoffSpec | None
    tasks: tuple[TaskTemplate, ...]
    recurring: tuple[Recurring, ...]
    closures: tuple[DeclaredClosure, ...]
    #: where the calendar was read from (for messages)
    source_file: str = ""

    @property
    def id(self) -> str:
        """Return the revision id (``2018-07``)."""
        return self.revision.id

    def event(self, event_id: str) -> Event:
        """Return the event with this id, or raise `NotFound` naming the nearest."""
        found = self.get_event(event_id)
        if found is not None:
            return found
        raise NotFound.of(
            "calendar.no-such-event",
            file=self.source_file or None,
            event=event_id,
            calendar=self.id,
            suggestion=suggest(event_id, [e.id for e in self.events]),
        )

    def get_event(self, event_id: str) -> Event | None:
        """Return the event with this id, or None."""
        return next((event for event in self.events if event.id == event_id), None)

    @property
    def item_numbers(self) -> frozenset[int]:
        """Return the numbers of the items this revision revises."""
        return frozenset(item.number for item in self.items)

    def item(self, number: int) -> RevisedItem | None:
        """Return the revised item with this number, or None when the revision keeps it."""
        for item in self.items:
            if item.number == number:
                return item
        return None

    def closed_days(self) -> ClosedDays:
        """Return the closed days: the law's, plus the closures this calendar declares."""
        extra: dict[dt.date, str] = {}
        english: dict[dt.date, str] = {}
        for closure in self.closures:
            for day in closure.days():
                extra[day] = closure.reason_ja
                if closure.reason_en.strip():
                    english[day] = closure.reason_en
                else:
                    english.pop(day, None)
        return ClosedDays(extra=extra, extra_en=english) if extra else ClosedDays()
