"""A calendar diff (`cutover.calendar.diff.CalendarDiff`) as Markdown (the notice) and JSON
(for tool

The Markdown comes from ``cutover/templates/diff.md.j2`` through frozen view-models of
finished strings: dates in wareki with weekday (ja) or ISO with weekday (en), declared
fuzzy dates as the source writes them (平成30年5月下旬), every calendar string escaped
with `escape_inline`. One section per part of the calendar that changed, in
`cutover.calendar.diff.SECTIONS` order; "no changes" when the calendars are the same. A notice
is in one language: fields of the other language (``title_en`` in a Japanese notice) are
left out, and an entry where only they changed says so.

The JSON keeps values raw: dates as ISO strings, declared dates as ``{"start", "end"}``,
lists as lists, absent values as null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from cutover.calendar.diff import (
    SECTIONS,
    CalendarDiff,
    EntryChange,
    FieldChange,
    Section,
    Value,
    dependency_key,
)
from cutover.calendar.model import REVISION_KINDS, RevisionCalendar, TaskTemplate
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.catalogue import entry as catalogue_entry
from cutover.i18n.text import check_lang, format_day, format_span
from cutover.inputs.model import shown_file_name
from cutover.jp.vocabulary import SYSTEMS, Actor, Kind, Side
from cutover.jp.wareki import DateRange, format_range
from cutover.render.inline import code_span
from cutover.render.markdown import escape_inline
from cutover.render.schemas import SCHEMA_VERSION, calendar_json
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.render.views import view_model
from cutover.schedule.model import EventName, dependency_words

__all__ = ["DIFF_TEMPLATE", "DiffPage", "diff_json", "diff_markdown", "diff_page", "field_code"]

#: The template name a ``--templates`` directory may override.
DIFF_TEMPLATE = "diff.md.j2"

_KIND_NAMES = ("added", "removed", "changed")

_ACTOR_IDS = frozenset(a.value for a in Actor)


def field_code(section: Section, field: str) -> str | None:
    """Return the catalogue code of a field's name as readers know it, None when it has none:
    ``diff.field-<section>-<field>`` (a field named apart in one section: an event's
    ``start``), else ``diff.field-<field>``. Every field a diff compares has one
    (tests/test_diff.py); both languages hold the same codes (tests/test_i18n.py)."""
    for name in (f"{section}-{field}", field):
        code = f"diff.field-{name.replace('.', '-').replace('_', '-')}"
        try:
            catalogue_entry(code)
        except KeyError:
            continue
        return code
    return None


def _field_name(section: Section, field: str, lang: Lang) -> str:
    code = field_code(section, field)
    return field if code is None else text(code, lang)


# --- Markdown ------------------------------------------------------------------------------


@view_model
@attrs.frozen
class DiffEntry:
    """One thing added, removed or changed, as finished strings."""

    #: 追加 / 削除 / 変更, or added / removed / changed
    kind: str
    #: the kind id: ``added``, ``removed``, ``changed``
    kind_id: str
    #: the id as a code span
    id: str
    title: str
    #: one line per field: ``name: old → new`` (or the one value of an added/removed entry)
    lines: tuple[str, ...]


@view_model
@attrs.frozen
class DiffSection:
    """The entries of one part of the calendar."""

    heading: str
    entries: tuple[DiffEntry, ...]


@view_model
@attrs.frozen
class DiffPage:
    """Everything diff.md.j2 prints, as finished strings."""

    title: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[DiffSection, ...]
    #: said instead of the sections when the calendars are the same
    no_changes: str


_EVENT_TYPES = frozenset(("milestone", "deadline", "window"))
_SYSTEM_IDS = {s.id: s for s in SYSTEMS}
_KIND_IDS = frozenset(k.value for k in Kind)
_SIDE_IDS = frozenset(s.value for s in Side)
_PER_IDS = frozenset(("once", "system", "item"))
_ITEM_SET_IDS = frozenset(("registration", "cutoff", "revised"))


def _word(value: str, lang: Lang, field: str) -> str | None:
    """Return the name a reader knows an id of the calendar's vocabulary by, in `lang`
    (情報提供者 for ``provider``), or None for a value that is no such id."""
    if field == "actor" and value in _ACTOR_IDS:
        return Actor(value).label(lang)
    if field == "type" and value in _EVENT_TYPES:
        return text(f"diff.type-{value}", lang)
    if field == "queries" and value in _ACTOR_IDS:
        return Actor(value).label(lang)
    if field == "systems" and value in _SYSTEM_IDS:
        return _SYSTEM_IDS[value].label(lang)
    if field == "when.kinds" and value in _KIND_IDS:
        return Kind(value).label(lang)
    if field == "side" and value in _SIDE_IDS:
        return Side(value).label(lang)
    if field == "per" and value in _PER_IDS:
        return text(f"diff.per-{value}", lang)
    if field == "tasks.items" and value in _ITEM_SET_IDS:
        return text(f"diff.items-{value}", lang)
    if field == "revision.kind" and value in REVISION_KINDS:
        return text(f"diff.revision-kind-{value}", lang)
    return None


#: No names: a field whose values are no event or task ids.
_NO_NAMES: Mapping[str, str] = MappingProxyType({})


def _value(value: Value, lang: Lang, field: str = "", names: Mapping[str, str] = _NO_NAMES) -> str:
    """Return a field's value as a reader sees it, Markdown-safe; `field` is the field's
    name (``section.field`` where the section tells its meaning: ``tasks.items``); `names`
    names the events or tasks the value refers to by id (`_Names.of`)."""
    if isinstance(value, str):
        if value in names:
            return escape_inline(names[value])
        # Ids a reader knows by their names in the language.
        word = _word(value, lang, field)
        if word is not None:
            return word
    if value is None:
        return "—"
    if isinstance(value, bool):
        return text("diff.yes" if value else "diff.no", lang)
    if isinstance(value, DateRange):
        if value.precision == "day":
            return format_span(value.start, value.end, lang)
        # A fuzzy date as the source writes it: 平成30年5月下旬 / late May 2018.
        return escape_inline(format_range(value, lang=lang))
    if isinstance(value, dt.date):
        return format_day(value, lang)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        shown = [
            format_day(v, lang)
            if isinstance(v, dt.date)
            else names.get(v) or _word(v, lang, field) or v
            for v in value
        ]
        joined = text("text.sep-list", lang).join(escape_inline(v) for v in shown)
        return joined or "—"
    return escape_inline(value) or "—"


#: The fields whose values are ids of events (a task's due and window events, the event that
#: ends it; the events the cutoff takes its dates from), and of tasks (those done first).
_EVENT_REFS = frozenset(
    ("tasks.due", "tasks.window", "tasks.until", "cutoff.last_provision", "cutoff.requery_from")
)
_TASK_REFS = frozenset(("tasks.after",))
#: The fields whose values are an event's dependencies (`dependency_key`).
_DEPENDENCIES = frozenset(("events.after", "events.before"))


@attrs.frozen
class _Names:
    """How a notice names the events and tasks one side of a diff refers to by id: the
    title in the reader's language with the id after it, as conflicts name an event
    (全機関での訓練（all-agency-drill）)."""

    events: Mapping[str, str]
    tasks: Mapping[str, str]
    #: an event's dependencies (``survey +1bd``, `dependency_key`) in words, the other
    #: event named as `events` names it: 調査日（survey）の終了の1開庁日後
    dependencies: Mapping[str, str] = MappingProxyType({})

    @classmethod
    def of_side(cls, side: RevisionCalendar, other: RevisionCalendar, lang: Lang) -> _Names:
        """Return the names of one side's events and tasks, in `lang`; an id only the other
        calendar has (a value the entry compares with) is named as that calendar names it."""
        events: dict[str, str] = {}
        tasks: dict[str, str] = {}
        blank = text("index.progress-any", lang)
        for calendar in (other, side):
            events.update((e.id, EventName.of(e).text(lang)) for e in calendar.events)
            for t in calendar.tasks:
                title = t.title_of_all(lang, blank)
                named = text("schedule.event-named", lang, title=title, id=t.id)
                tasks[t.id] = named if title else t.id
        dependencies = {
            dependency_key(d): dependency_words(d, events.get(d.event, d.event)).text(lang)
            for calendar in (other, side)
            for e in calendar.events
            for d in (*e.after, *e.before)
        }
        return cls(events, tasks, dependencies)

    def of(self, field: str) -> Mapping[str, str]:
        """Return the names for the values of `field` (``section.field``): none for a field
        whose values are no event or task ids."""
        if field in _EVENT_REFS:
            return self.events
        if field in _TASK_REFS:
            return self.tasks
        if field in _DEPENDENCIES:
            return self.dependencies
        return _NO_NAMES


def _line(
    section: Section, change: FieldChange, kind: str, lang: Lang, names: tuple[_Names, _Names]
) -> str:
    """Return one field of an entry: ``name: old → new``, or the value added or removed;
    `names` names the ids of the old and the new calendar."""
    name = _field_name(section, change.field, lang)
    # A field whose values the section tells the meaning of (a task's item set, the kind of
    # revision) is looked up by both.
    qualified = f"{section}.{change.field}"
    field = qualified if qualified in ("tasks.items", "revision.kind") else change.field
    old_names, new_names = (n.of(qualified) for n in names)
    old = _value(change.old, lang, field, old_names)
    new = _value(change.new, lang, field, new_names)
    if kind == "added":
        return f"{name}: {new}"
    if kind == "removed":
        return f"{name}: {old}"
    return f"{name}: {text('whatif.change', lang, old=old, new=new)}"


def _entry(
    entry: EntryChange,
    lang: Lang,
    tasks: Mapping[str, TaskTemplate],
    named: tuple[_Names, _Names],
) -> DiffEntry:
    title = entry.title_en if lang == "en" else entry.title_ja
    template = tasks.get(entry.id) if entry.section == "tasks" else None
    if template is not None:
        # A task is named as the index names its template: what each of its tasks fills
        # in written ○○ (特定個人情報○○番（○○）の副本を登録する), not the TOML's {item_ja}.
        title = template.title_of_all(lang, text("index.progress-any", lang))
    # The notice is in one language: the other language's texts are left to the JSON.
    other = "_ja" if lang == "en" else "_en"
    shown = [c for c in entry.fields if not c.field.endswith(other)]
    names = {c.field for c in shown}
    for twin in ("assumption", "systems_assumption"):
        if f"{twin}_en" in names:
            # An English notice gives the English twin of an assumption, when it has one.
            shown = [c for c in shown if c.field != twin]
    lines = tuple(_line(entry.section, c, entry.kind, lang, named) for c in shown)
    if entry.fields and not shown:
        lines = (text("diff.other-language-only", lang),)
    return DiffEntry(
        kind=text(f"diff.kind-{entry.kind}", lang),
        kind_id=entry.kind,
        id=code_span(entry.id),
        title=escape_inline(title or entry.id),
        lines=lines,
    )


def _calendar_fact(calendar: RevisionCalendar, lang: Lang) -> str:
    revision = calendar.revision
    title = escape_inline(revision.title_en if lang == "en" else revision.title_ja)
    fact = f"{code_span(calendar.id)} {title}"
    name = shown_file_name(calendar.source_file) if calendar.source_file else ""
    if name:
        fact += text("text.aside", lang, text=escape_inline(name))
    return fact


def _counts(diff: CalendarDiff) -> dict[str, int]:
    counts = dict.fromkeys(_KIND_NAMES, 0)
    for entry in diff.entries:
        counts[entry.kind] += 1
    return counts


def diff_page(diff: CalendarDiff, *, lang: str = "ja") -> DiffPage:
    """Return the view-model of the diff's Markdown page (what diff.md.j2 receives)."""
    language = check_lang(lang)
    counts = _counts(diff)
    # The new calendar's template for what it keeps or adds, the old one's for what it removed.
    tasks = {t.id: t for t in (*diff.old.tasks, *diff.new.tasks)}
    names = (
        _Names.of_side(diff.old, diff.new, language),
        _Names.of_side(diff.new, diff.old, language),
    )
    title = text("diff.title", language, old=code_span(diff.old.id), new=code_span(diff.new.id))
    facts = (
        (text("diff.before", language), _calendar_fact(diff.old, language)),
        (text("diff.after", language), _calendar_fact(diff.new, language)),
        (text("diff.changes", language), text("diff.counts", language, **counts)),
    )
    sections = tuple(
        DiffSection(
            heading=text(f"diff.section-{section}", language),
            entries=tuple(_entry(e, language, tasks, names) for e in diff.of(section)),
        )
        for section in SECTIONS
        if diff.of(section)
    )
    return DiffPage(
        title=title,
        facts=facts,
        sections=sections,
        no_changes="" if diff else text("diff.no-changes", language),
    )


def diff_markdown(diff: CalendarDiff, *, lang: str = "ja", templates: TemplateDir = None) -> str:
    """Return the diff as Markdown, for the notice a coordinator sends to municipalities."""
    page = diff_page(diff, lang=lang)
    return render_template(load_template(DIFF_TEMPLATE, templates), page=page)


# --- JSON ----------------------------------------------------------------------------------


#: The fields whose values are item numbers (`cutover.calendar.diff` compares them as text).
_ITEM_FIELDS = frozenset({"items", "when.provides"})


def _json_value(field: str, value: Value) -> Any:
    """Return a field's value as JSON: ISO dates, declared dates as start and end, lists,
    item numbers as integers, null for an absent value (never an empty string)."""
    if value is None or value == "":
        return None
    if isinstance(value, DateRange):
        return {"start": value.start.isoformat(), "end": value.end.isoformat()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        if field in _ITEM_FIELDS:
            return [int(v) for v in value if isinstance(v, str)]
        return [v.isoformat() if isinstance(v, dt.date) else v for v in value]
    return value


def _entry_id(entry: EntryChange) -> str | int:
    """Return an entry's id as JSON: an item's number is an integer."""
    return int(entry.id) if entry.section == "items" else entry.id


def _calendar_json(calendar: RevisionCalendar, lang: Lang) -> dict[str, Any]:
    return {
        **calendar_json(calendar, lang=lang),
        "file": shown_file_name(calendar.source_file) if calendar.source_file else None,
    }


def diff_json(diff: CalendarDiff, *, lang: Lang = "ja") -> dict[str, Any]:
    """Return the diff as JSON: both calendars, counts by kind, and every change in order.

    ``{"schema_version", "old", "new", "identical", "counts": {"added", "removed",
    "changed"}, "changes": [{"section", "kind", "id", "title_ja", "title_en", "fields":
    [{"field", "old", "new"}]}]}``: ``old`` and ``new`` are the ``calendar`` object of
    every JSON output (titles in `lang`) with the calendar's ``file``; an item's ``id`` and
    item numbers in values are integers; an absent value is null. The schema is
    ``json_schema("diff")`` (`cutover.render.schemas`).
    """
    language = check_lang(lang)
    return {
        "schema_version": SCHEMA_VERSION,
        "old": _calendar_json(diff.old, language),
        "new": _calendar_json(diff.new, language),
        "identical": not diff,
        "counts": _counts(diff),
        "changes": [
            {
                "section": e.section,
                "kind": e.kind,
                "id": _entry_id(e),
                "title_ja": e.title_ja or None,
                "title_en": e.title_en or None,
                "fields": [
                    {
                        "field": c.field,
                        "old": _json_value(c.field, c.old),
                        "new": _json_value(c.field, c.new),
                    }
                    for c in e.fields
                ],
            }
            for e in diff.entries
        ],
    }
