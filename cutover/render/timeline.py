"""The revision timeline as Markdown (for people), JSON (for tools) and a Mermaid Gantt chart.

Every function accepts a `Timeline`, or a `WhatIf` (the timeline after shifts, plus what
moved and which conflicts appeared or went away). Markdown comes from the jinja2 template
``cutover/templates/timeline.md.j2``, loaded through `cutover.render.templating` (so a
user directory may replace it, and it renders sandboxed). The template receives a frozen
view-model of finished strings (dates formatted, user strings escaped with `escape_cell` /
`escape_inline`) and only lays them out. Output is deterministic: events in date order,
everything else sorted.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from typing import Any

import attrs

from cutover.calendar.model import Event, Recurring, RevisionKind
from cutover.errors import require_date
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import check_lang, format_day, format_span, moved_note, section_note, words
from cutover.jp.closed_days import Closure
from cutover.jp.vocabulary import Actor
from cutover.jp.wareki import format_range
from cutover.render.inline import closed_day
from cutover.render.markdown import escape_cell, escape_inline
from cutover.render.schemas import SCHEMA_VERSION, calendar_json, cutoff_json, shift_texts
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.render.views import labels_of
from cutover.schedule.model import Conflict, ScheduledEvent
from cutover.schedule.timeline import Timeline
from cutover.schedule.whatif import WhatIf, shown_timeline, what_if

__all__ = [
    "fuzzy_notes",
    "timeline_json",
    "timeline_markdown",
    "timeline_mermaid",
    "when_marked",
]


# --- dates as people read them -------------------------------------------------------------


def _when(item: ScheduledEvent, lang: Lang) -> str:
    """Return the dates an event is acted on: a window's opening to due, else its due date."""
    first, last = item.acted_on
    if item.event.is_window:
        return format_span(first, last, lang)
    return format_day(last, lang)


def when_marked(item: ScheduledEvent, tl: Timeline, lang: Lang) -> str:
    """Return the dates an event is acted on, as the timeline's table and a checklist's key
    dates show them: each one that stays on a closed day says so (平成30年3月31日（土）
    （閉庁日: 土曜日）), as the legend's "dates are moved off closed days" would otherwise
    have it read as a workday."""
    first, last = item.acted_on
    opening, due = tl.stays_closed(item)
    if not item.event.is_window or first == last:
        return closed_day(last, due, lang)
    return text(
        "text.span", lang, start=closed_day(first, opening, lang), end=closed_day(last, due, lang)
    )


def _actor(actor: Actor, lang: Lang) -> str:
    return actor.label(lang)


def _title(event: Event, lang: Lang) -> str:
    return (event.title_en if lang == "en" else event.title_ja) or event.id


# --- the Markdown view-model ---------------------------------------------------------------


@attrs.frozen
class _Labels:
    """The fixed words of the page, in one language."""

    heading: str
    effective: str
    source: str
    calendar: str
    schedule: str
    headers: tuple[str, ...]
    legend: str
    cutoff: str
    critical: str
    critical_none: str
    recurring: str
    conflicts: str
    conflicts_none: str
    fix: str
    shifts: str
    moved: str
    moved_headers: tuple[str, ...]
    moved_none: str
    new_conflicts: str
    resolved_conflicts: str


@functools.cache
def _labels(lang: Lang, *, as_of: bool = False, kind: RevisionKind = "layout-revision") -> _Labels:
    """Return the fixed words of the page in `lang`; with `as_of`, with the as-of column;
    for a calendar of `kind` (the day a master delivery takes effect is no revision's)."""
    columns: tuple[str, ...] = ("date", "event", "actor", "source", "slack", "notes")
    if as_of:
        columns += ("as-of",)
    legend = text(f"timeline.legend-{kind}", lang)
    return labels_of(
        _Labels,
        "timeline",
        lang,
        effective=text(f"timeline.effective-{kind}", lang),
        critical_none=text(f"timeline.critical-none-{kind}", lang),
        headers=tuple(text(f"timeline.header-{c}", lang) for c in columns),
        moved_headers=words(
            lang,
            "timeline.moved-header-event",
            "timeline.moved-header-before",
            "timeline.moved-header-after",
        ),
        legend=text("timeline.legend-as-of", lang, legend=legend) if as_of else legend,
    )


@attrs.frozen
class _Conflict:
    code: str
    message: str
    fix: str


@attrs.frozen
class _Page:
    """Everything the Markdown template prints, as finished strings."""

    labels: _Labels
    title: str
    facts: tuple[tuple[str, str], ...]
    rule: str
    rows: tuple[tuple[str, ...], ...]
    cutoff_heading: str
    cutoff: tuple[str, ...]
    critical: tuple[str, ...]
    recurring: tuple[str, ...]
    conflicts: tuple[_Conflict, ...]
    shifts: tuple[str, ...]
    moved_rule: str
    moved: tuple[tuple[str, ...], ...]
    new_conflicts: tuple[_Conflict, ...]
    resolved_conflicts: tuple[_Conflict, ...]
    what_if: bool


def fuzzy_notes(event: Event, lang: Lang) -> list[str]:
    """Return how fuzzy declared dates (下旬, a month) were read, to show beside the exact days."""
    start, end = event.start, event.end
    fuzzy_start = start is not None and start.precision != "day"
    fuzzy_end = end is not None and end.precision != "day"
    if start is not None and fuzzy_start and start == end:
        written = escape_cell(format_range(start, lang=lang))
        return [text("timeline.fuzzy-whole", lang, written=written)]
    notes: list[str] = []
    if start is not None and fuzzy_start:
        written = escape_cell(format_range(start, lang=lang))
        code = (
            "timeline.fuzzy-opening"
            if event.is_window
            else "timeline.fuzzy-deadline"
            if event.type == "deadline"
            else "timeline.fuzzy-date"
        )
        notes.append(text(code, lang, written=written))
    if end is not None and fuzzy_end:
        written = escape_cell(format_range(end, lang=lang))
        notes.append(text("timeline.fuzzy-end", lang, written=written))
    return notes


def _notes(item: ScheduledEvent, tl: Timeline, lang: Lang) -> str:
    """Return the notes cell: closed-day moves, fuzzy dates, derivation, shift, assumption."""
    event = item.event
    notes: list[str] = []
    window = event.is_window
    for adjustment, opening in ((item.opening, True), (item.due, False)):
        note = moved_note(adjustment, lang, opening=opening, window=window, form="table")
        if note:
            notes.append(escape_cell(note))
    notes.extend(fuzzy_notes(event, lang))
    if item.derived:
        froms = tuple(escape_cell(_title(tl[dep.event].event, lang)) for dep in event.after)
        notes.append(text("timeline.derived", lang, events=froms))
    if item.shifted is not None:
        notes.append(text("timeline.shifted", lang, shift=item.shifted))
    assumption = event.assumption_in(lang)
    if assumption:
        notes.append(text("timeline.assumption", lang, assumption=escape_cell(assumption)))
    elif item.assumed_from is not None:
        source = escape_cell(_title(item.assumed_from, lang))
        notes.append(text("timeline.assumed-from", lang, event=source))
    return text("text.sep-note", lang).join(notes)


def _state(item: ScheduledEvent, tl: Timeline, as_of: dt.date, lang: Lang) -> str:
    """Return where the event stands on `as_of`: over, today, open with N business days
    left (as-of included), or how far off. A deadline on a closed day (Saturday 6/30, due
    Friday 6/29) is over only once that day has ended, as the plan counts it."""
    due, opening = item.due, item.opening
    milestone = item.event.type == "milestone"
    if as_of > due.original:
        return text("timeline.state-over", lang)
    if due.date < as_of:
        # Between the last business day and the closed day itself: still that day's to do.
        if as_of == due.original:
            return text("timeline.state-today-closed", lang)
        return text("timeline.state-until", lang, until=format_day(due.original, lang))
    if item.event.is_window and as_of < opening.date:
        return text("timeline.state-opens-in", lang, days=(opening.date - as_of).days)
    if as_of == due.date:
        return text("timeline.state-today", lang)
    if milestone:
        return text("timeline.state-in", lang, days=(due.date - as_of).days)
    if item.event.is_window and not item.event.adjust:
        # A window kept on its calendar days (nationwide briefings, to 6/10, a Sunday):
        # counted in days, as it is held on closed days too.
        return text("timeline.state-open-days", lang, days=(due.date - as_of).days + 1)
    left = tl.closed.business_days_between(as_of, due.date)
    if item.event.is_window:
        return text("timeline.state-open-business-days", lang, days=left)
    return text("timeline.state-business-days", lang, days=left)


def _row(item: ScheduledEvent, tl: Timeline, lang: Lang) -> tuple[str, ...]:
    event = item.event
    dates = when_marked(item, tl, lang)
    if item.slack_days is None:
        slack = "—"
    else:
        slack = text("timeline.slack", lang, days=item.slack_days)
        if item.critical:
            slack = f"★ {slack}"
    section = escape_cell(event.section) if event.section else text("timeline.no-source", lang)
    return (
        dates,
        escape_cell(_title(event, lang)),
        _actor(event.actor, lang),
        section,
        slack,
        _notes(item, tl, lang),
    )


def _cutoff(tl: Timeline, lang: Lang) -> tuple[str, tuple[str, ...]]:
    """Return the heading and lines of the provision cutoff block (empty without one)."""
    dates = tl.cutoff_dates()
    if dates is None:
        return "", ()
    calendar = tl.calendar
    names = []
    for number in sorted(dates.items):
        item = calendar.item(number)
        short = (item.short_en if lang == "en" else item.short_ja) if item else ""
        if short:
            names.append(
                text("checklist.cutoff-item-named", lang, n=number, name=escape_inline(short))
            )
        else:
            names.append(text("checklist.cutoff-item", lang, n=number))
    section = escape_inline(dates.section)
    heading = text("timeline.cutoff", lang) + section_note(section, lang)
    said = {
        "last": format_day(dates.last_provision, lang),
        "answer_by": format_day(dates.answer_by, lang),
        "effective": format_day(dates.effective, lang),
        "reissue": format_day(dates.reissue_from, lang),
    }
    listed = text("text.sep-list", lang).join(names) or text("text.no-items", lang)
    lines = (
        text("timeline.cutoff-items", lang, names=listed),
        text("timeline.cutoff-last", lang, **said),
        text("timeline.cutoff-answer-by", lang, **said),
        text("timeline.cutoff-reissue", lang, **said),
    )
    return heading, lines


def _moved_cells(
    before: ScheduledEvent, after: ScheduledEvent, tl: Timeline, lang: Lang
) -> tuple[str, str]:
    """Return an event's dates before and after the shifts, as the moved table shows them:
    a window's opening and due date, else its due date. When those are the same either
    side (only a date as declared moved, on a closed day), each also says its closed-day
    move: 6/30 (Sat) moved to 6/29 (Fri), then 7/1 (Sun) moved to 6/29 (Fri). A date the
    shifts put on a closed day and that stays there (a milestone: its date is not moved off
    closed days) says it is one: 平成30年5月26日（土）（閉庁日: 土曜日）. `tl` is the timeline
    after the shifts."""
    cells = (escape_cell(_when(before, lang)), escape_cell(_when(after, lang)))
    if before.acted_on != after.acted_on:
        if after.event.is_window:
            return cells
        day = after.due.date
        return cells[0], closed_day(day, tl.closed.closure(day), lang)
    return (_with_moves(cells[0], before, lang), _with_moves(cells[1], after, lang))


def _with_moves(cell: str, item: ScheduledEvent, lang: Lang) -> str:
    window = item.event.is_window
    notes = [
        escape_cell(note)
        for adjustment, opening in ((item.opening, True), (item.due, False))
        if (note := moved_note(adjustment, lang, opening=opening, window=window, form="table"))
    ]
    if not notes:
        return cell
    return cell + text("text.aside", lang, text=text("text.sep-note", lang).join(notes))


def _conflict(conflict: Conflict, lang: Lang) -> _Conflict:
    message, fix = conflict.describe(lang)
    return _Conflict(conflict.code, escape_inline(message), escape_inline(fix))


def _rule(columns: int) -> str:
    return "|".join(["---"] * columns)


def _recurring_assumption(rule: Recurring, lang: Lang) -> str:
    """Return, for a recurring obligation whose day the calendar assumes (the source gives
    only the month, or "every year"), the assumption as the table's notes say it; or ""."""
    assumption = rule.assumption_en if lang == "en" and rule.assumption_en else rule.assumption
    if not assumption:
        return ""
    note = text("timeline.assumption", lang, assumption=escape_inline(assumption))
    return text("text.sep-note", lang) + note


def _closed_note(day: dt.date, tl: Timeline, lang: Lang) -> str:
    """Return `day`, saying when it is a closed day (a recurring obligation's date)."""
    return closed_day(day, tl.closed.closure(day), lang)


def _page(subject: Timeline | WhatIf, lang: Lang, as_of: dt.date | None = None) -> _Page:
    tl = subject.after if isinstance(subject, WhatIf) else subject
    calendar = tl.calendar
    revision = calendar.revision
    labels = _labels(lang, as_of=as_of is not None, kind=revision.kind)
    name = revision.title_en if lang == "en" else revision.title_ja
    source = escape_inline(revision.source) + section_note(escape_inline(revision.section), lang)
    facts: tuple[tuple[str, str], ...] = (
        (labels.effective, format_day(tl.effective, lang)),
        (labels.source, source),
        (labels.calendar, escape_inline(calendar.id)),
    )
    if as_of is not None:
        facts += ((text("render.fact-as-of", lang), format_day(as_of, lang)),)
    cutoff_heading, cutoff = _cutoff(tl, lang)
    critical = tuple(
        f"{_when(tl[event_id], lang)} {escape_inline(_title(tl[event_id].event, lang))}"
        for event_id in (tl.critical_path if len(tl.critical_path) > 1 else ())
    )
    recurring = tuple(
        f"{_closed_note(day, tl, lang)} "
        f"{escape_inline(rule.title_en if lang == 'en' else rule.title_ja)}"
        + section_note(escape_inline(rule.section), lang)
        + _recurring_assumption(rule, lang)
        for rule, day in tl.recurring
    )
    moved: tuple[tuple[str, ...], ...] = ()
    new: tuple[_Conflict, ...] = ()
    resolved: tuple[_Conflict, ...] = ()
    if isinstance(subject, WhatIf):
        moved = tuple(
            (
                escape_cell(_title(tl[event_id].event, lang)),
                *_moved_cells(subject.before[event_id], tl[event_id], tl, lang),
            )
            for event_id in subject.changed
        )
        new = tuple(_conflict(c, lang) for c in subject.new_conflicts)
        resolved = tuple(_conflict(c, lang) for c in subject.resolved_conflicts)
    return _Page(
        labels=labels,
        title=text("timeline.title", lang, title=escape_inline(name), heading=labels.heading),
        facts=facts,
        rule=_rule(len(labels.headers)),
        rows=tuple(
            _row(item, tl, lang)
            + (() if as_of is None else (escape_cell(_state(item, tl, as_of, lang)),))
            for item in tl.events
        ),
        cutoff_heading=cutoff_heading,
        cutoff=cutoff,
        critical=critical,
        recurring=recurring,
        conflicts=tuple(_conflict(c, lang) for c in tl.conflicts),
        shifts=tuple(
            f"{escape_inline(_title(tl[s.event].event, lang))} ({s.event}): {s.lag}"
            for s in tl.shifts
        ),
        moved_rule=_rule(len(labels.moved_headers)),
        moved=moved,
        new_conflicts=new,
        resolved_conflicts=resolved,
        what_if=isinstance(subject, WhatIf),
    )


def timeline_markdown(
    subject: Timeline | WhatIf,
    *,
    lang: Lang = "ja",
    templates: TemplateDir = None,
    as_of: dt.date | None = None,
) -> str:
    """Return the timeline as a Markdown page in Japanese (wareki dates) or English.

    With `as_of`, the page gives that date and a last column saying where each event
    stands on it (over, today, open with N business days left, how far off).
    `templates` is a directory whose ``timeline.md.j2``, when it has one, replaces the
    shipped template (rendered in jinja2's sandbox).
    """
    if as_of is not None:
        require_date(as_of, "as_of")
    shown_timeline(subject)  # (a calendar passed for its timeline: a TypeError, said so)
    page = _page(subject, check_lang(lang), as_of)
    return render_template(load_template("timeline.md.j2", templates), page=page)


# --- JSON ----------------------------------------------------------------------------------


def _iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def _conflict_json(c: Conflict) -> dict[str, Any]:
    return {
        "code": c.code,
        "event": c.event,
        "other": c.other,
        "message": c.message,
        "fix": c.fix,
        "message_ja": c.message_ja,
        "fix_ja": c.fix_ja,
        "key": c.key,
    }


def _closure_json(closure: Closure | None) -> dict[str, str] | None:
    """Return a closed day's reason as its code and its words in each language, or None."""
    return None if closure is None else {"code": closure.code, "ja": closure.ja, "en": closure.en}


def _event_json(item: ScheduledEvent, tl: Timeline) -> dict[str, Any]:
    event = item.event
    closure = item.due.closure or item.opening.closure
    opening_closed, due_closed = tl.stays_closed(item)
    return {
        "id": event.id,
        "type": event.type,
        "title_ja": event.title_ja,
        "title_en": event.title_en,
        "actor": event.actor.value,
        "section": event.section,
        "assumption": event.assumption,
        "assumption_en": event.assumption_en,
        # (The event whose assumed date this one's rests on: itself, or one it is derived
        # from; null when the source gives the dates.)
        "assumed_from": None if item.assumed_from is None else item.assumed_from.id,
        "start": _iso(item.start),
        "end": _iso(item.end),
        "due": _iso(item.due.date),
        "opening": _iso(item.opening.date),
        "moved": item.moved,
        "closed_reason": None if closure is None else {"ja": closure.ja, "en": closure.en},
        "closed_code": None if closure is None else closure.code,
        # (The closed day a date stays on, not moved: the 3/31 milestone, a Saturday.)
        "opening_closed": _closure_json(opening_closed),
        "due_closed": _closure_json(due_closed),
        "derived": item.derived,
        "shifted": None if item.shifted is None else f"{event.id}={item.shifted}",
        "latest_start": _iso(item.latest_start),
        "latest_end": _iso(item.latest_end),
        "slack_days": item.slack_days,
        "critical": item.critical,
    }


def timeline_json(subject: Timeline | WhatIf, *, lang: Lang = "ja") -> dict[str, Any]:
    """Return the timeline as JSON-ready data (ISO dates; events in date order).

    ``what_if`` is null for a `Timeline` made without shifts; for a `WhatIf`, or a
    `Timeline` made with shifts, the timeline is the one after them and ``what_if`` says
    what moved (as ``--shift`` writes it). The calendar's ``title`` is in `lang`; the
    schema is ``json_schema("timeline")`` (`cutover.render.schemas`).
    """
    language = check_lang(lang)
    shown_timeline(subject)  # (a calendar passed for its timeline: a TypeError, said so)
    if isinstance(subject, Timeline) and subject.shifts:
        subject = what_if(subject.calendar, subject.shifts)
    tl = shown_timeline(subject)
    dates = tl.cutoff_dates()
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "calendar": calendar_json(tl.calendar, lang=language, shifts=tl.shifts),
        "events": [_event_json(item, tl) for item in tl.events],
        "conflicts": [_conflict_json(c) for c in tl.conflicts],
        "critical_path": list(tl.critical_path),
        "cutoff": None if dates is None else cutoff_json(dates),
        "recurring": [
            {
                "id": rule.id,
                "title_ja": rule.title_ja,
                "title_en": rule.title_en,
                "date": day.isoformat(),
                # An occurrence is not moved: the closed day it falls on, as an event's.
                "date_closed": _closure_json(tl.closed.closure(day)),
                "actor": rule.actor.value,
                "section": rule.section,
                # The day is the calendar's assumption when the source gives none (null:
                # the source gives it), as an event's.
                "assumption": rule.assumption,
                "assumption_en": rule.assumption_en,
            }
            for rule, day in tl.recurring
        ],
        "shifts": shift_texts(tl.shifts),
        "what_if": None,
    }
    if isinstance(subject, WhatIf):
        data["what_if"] = {
            "moved": [
                {"event": event_id, "before": old.isoformat(), "after": now.isoformat()}
                for event_id, old, now in subject.moved
            ],
            "moved_openings": [
                {"event": event_id, "before": old.isoformat(), "after": now.isoformat()}
                for event_id, old, now in subject.moved_openings
            ],
            "new_conflicts": [_conflict_json(c) for c in subject.new_conflicts],
            "resolved_conflicts": [_conflict_json(c) for c in subject.resolved_conflicts],
        }
    return data


# --- Mermaid -------------------------------------------------------------------------------

# Mermaid reads `:` as the start of a task's data, `#` and `;` as entities and statement
# ends, and `%%` as a comment; a newline ends the line.
_MERMAID_UNSAFE = re.compile(r"[:#;\r\n\u2028\u2029\x85]|%%")


# A task line starting with one of these words would be read as that statement instead.
_MERMAID_KEYWORDS = frozenset(
    (
        "accdescr",
        "acctitle",
        "axisformat",
        "click",
        "dateformat",
        "excludes",
        "includes",
        "inclusiveenddates",
        "section",
        "tickinterval",
        "title",
        "todaymarker",
        "topaxis",
        "weekday",
        "weekend",
    )
)


# Mermaid renders names as HTML: a title's `<img onerror=…>` or `<script>` would run in the
# reader's browser. Each such character is written as Mermaid's own entity code (`#lt;`),
# which Mermaid turns into the character's HTML entity: shown, never read as markup. A
# backquote is coded too: three would close the Markdown fence the chart sits in.
_MERMAID_ENTITIES = str.maketrans(
    {"<": "#lt;", ">": "#gt;", "&": "#amp;", '"': "#quot;", "`": "#96;"}
)


def _mermaid_text(text: str) -> str:
    """Return `text` safe as a Mermaid task, section or title name."""
    cleaned = _MERMAID_UNSAFE.sub(" ", text)
    cleaned = "".join(ch if ch.isprintable() else " " for ch in cleaned)
    words = cleaned.split()
    if words and words[0].lower() in _MERMAID_KEYWORDS:
        words.insert(0, "・")
    return " ".join(words).translate(_MERMAID_ENTITIES) or "-"


def _mermaid_id(event_id: str) -> str:
    # Event ids are lower-case letters, digits and hyphens; Mermaid ids are safest as words.
    return "e_" + re.sub(r"[^A-Za-z0-9_]", "_", event_id)


def assumes_dates(subject: Timeline, lang: Lang) -> bool:
    """Return True when a date of the timeline is one the calendar assumes (marked ※ in
    the charts, its assumption in `lang` written in the table's notes)."""
    return any(
        item.assumed_from is not None and item.assumed_from.assumption_in(lang)
        for item in subject.events
    )


def _mermaid_task(item: ScheduledEvent, lang: Lang) -> str:
    tags: list[str] = []
    if item.critical:
        tags.append("crit")
    name = _mermaid_text(_title(item.event, lang))
    if item.assumed_from is not None and item.assumed_from.assumption_in(lang):
        name += " ※"  # (a date the source does not give, as in every table)
    if item.event.is_window:
        start, end = item.opening.date, item.due.date
        # Mermaid ends a bar at the start of its end date: give the length in days instead.
        length = max((end - start).days + 1, 1)
        fields = [*tags, _mermaid_id(item.id), start.isoformat(), f"{length}d"]
    else:
        fields = [*tags, "milestone", _mermaid_id(item.id), item.due.date.isoformat(), "0d"]
    return f"    {name} :{', '.join(fields)}"


def timeline_mermaid(subject: Timeline | WhatIf, *, lang: Lang = "ja") -> str:
    """Return the timeline as a Mermaid ``gantt`` chart, one section per actor."""
    tl = subject.after if isinstance(subject, WhatIf) else subject
    revision = tl.calendar.revision
    title = revision.title_en if lang == "en" else revision.title_ja
    lines = [
        "gantt",
        f"    title {_mermaid_text(title)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %m/%d",
    ]
    if assumes_dates(tl, lang):
        # (A comment: a chart has no legend. Its reader sees it in the text.)
        lines.append(f"    %% {text('timeline.mermaid-assumed', lang)}")
    by_actor: dict[Actor, list[ScheduledEvent]] = {}
    for item in tl.events:
        by_actor.setdefault(item.event.actor, []).append(item)
    for actor in Actor:
        items: Sequence[ScheduledEvent] = by_actor.get(actor, ())
        if not items:
            continue
        lines.append(f"    section {_mermaid_text(_actor(actor, lang))}")
        lines.extend(_mermaid_task(item, lang) for item in items)
    return "\n".join(lines) + "\n"
