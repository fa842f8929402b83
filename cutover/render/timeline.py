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
import re
from collections.abc import Sequence
from typing import Any

import attrs

from cutover.calendar.model import Event, RevisionCalendar
from cutover.i18n.text import Lang, check_lang, format_day, format_span, short_day_ja
from cutover.jp.closed_days import Adjustment
from cutover.jp.vocabulary import Actor
from cutover.jp.wareki import format_english, format_range
from cutover.render.markdown import escape_cell, escape_inline
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.schedule.model import Conflict, ScheduledEvent
from cutover.schedule.timeline import Timeline
from cutover.schedule.whatif import WhatIf

__all__ = ["timeline_json", "timeline_markdown", "timeline_mermaid"]


# --- dates as people read them -------------------------------------------------------------


def _when(item: ScheduledEvent, lang: Lang) -> str:
    """Return the dates an event is acted on: a window's opening to due, else its due date."""
    if item.event.is_window:
        return format_span(item.opening.date, item.due.date, lang)
    return format_day(item.due.date, lang)


def _moved_note(adjustment: Adjustment, lang: Lang, *, opening: bool, window: bool) -> str:
    """Return the mark of a date moved off a closed day, or "" when it did not move."""
    closure = adjustment.closure
    if closure is None:
        return ""
    original, moved = adjustment.original, adjustment.date
    if lang == "ja":
        # A weekend is plain from the weekday; any other closure gets its reason.
        reason = "" if closure.ja in ("土曜日", "日曜日") else f"（{escape_cell(closure.ja)}）"
        suffix = ("から" if opening else "まで") if window else ""
        prefix = ("開始: " if opening else "終了: ") if window else ""
        return (
            f"{prefix}{short_day_ja(original)}は閉庁日のため {short_day_ja(moved)}{suffix}{reason}"
        )
    what = ("opening " if opening else "end ") if window else ""
    return (
        f"{what}moved from {format_english(original)} "
        f"(closed: {escape_cell(closure.en)}) to {format_english(moved)}"
    )


def _actor(actor: Actor, lang: Lang) -> str:
    return actor.ja if lang == "ja" else actor.value


def _title(event: Event, lang: Lang) -> str:
    return (event.title_ja if lang == "ja" else event.title_en) or event.id


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


_LABELS: dict[str, _Labels] = {
    "ja": _Labels(
        heading="タイムライン",
        effective="改版の適用開始日",
        source="出典",
        calendar="カレンダー",
        schedule="日程",
        headers=("日付", "行事", "主体", "出典", "余裕", "備考"),
        legend=(
            "日付は閉庁日を避けた後の日付です（期限・終了は前の開庁日へ、開始は次の開庁日へ）。"
            "余裕は改版の適用開始に間に合う範囲で遅らせられる暦日数、★は余裕のない行事です。"
        ),
        cutoff="提供の締切",
        critical="クリティカルパス",
        critical_none="改版の適用開始日に余裕なくつながる行事はありません。",
        recurring="定期的な義務",
        conflicts="矛盾",
        conflicts_none="矛盾はありません。",
        fix="対処",
        shifts="仮定の変更（シフト）",
        moved="動いた日付",
        moved_headers=("行事", "変更前", "変更後"),
        moved_none="動いた日付はありません。",
        new_conflicts="新たに生じた矛盾",
        resolved_conflicts="解消した矛盾",
    ),
    "en": _Labels(
        heading="timeline",
        effective="Takes effect",
        source="Source",
        calendar="Calendar",
        schedule="Schedule",
        headers=("Date", "Event", "Actor", "Source", "Slack", "Notes"),
        legend=(
            "Dates are after moving off closed days (deadlines and ends to the previous "
            "business day, openings to the next). Slack is how many calendar days an event "
            "may slip and still let the revision take effect on its date; ★ marks events "
            "with none."
        ),
        cutoff="Provision cutoff",
        critical="Critical path",
        critical_none="No event leads to the effective date without slack.",
        recurring="Recurring obligations",
        conflicts="Conflicts",
        conflicts_none="No conflicts.",
        fix="fix",
        shifts="What-if shifts",
        moved="Dates that moved",
        moved_headers=("Event", "Before", "After"),
        moved_none="No date moved.",
        new_conflicts="New conflicts",
        resolved_conflicts="Resolved conflicts",
    ),
}


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


def _fuzzy_notes(event: Event, lang: Lang) -> list[str]:
    """Return how fuzzy declared dates (下旬, a month) were read, to show beside the exact days."""
    start, end = event.start, event.end
    fuzzy_start = start is not None and start.precision != "day"
    fuzzy_end = end is not None and end.precision != "day"
    if start is not None and fuzzy_start and start == end:
        written = escape_cell(format_range(start, lang=lang))
        return [f"{written}と記載（全期間で計算）" if lang == "ja" else f"given as {written}"]
    notes: list[str] = []
    if start is not None and fuzzy_start:
        written = escape_cell(format_range(start, lang=lang))
        if lang == "en":
            notes.append(f"given as {written}; planned from its first day")
        else:
            notes.append(f"{'開始' if event.is_window else '時期'}は{written}と記載（初日で計算）")
    if end is not None and fuzzy_end:
        written = escape_cell(format_range(end, lang=lang))
        notes.append(
            f"終了は{written}と記載（末日で計算）"
            if lang == "ja"
            else f"ends {written}; planned to its last day"
        )
    return notes


def _notes(item: ScheduledEvent, tl: Timeline, lang: Lang) -> str:
    """Return the notes cell: closed-day moves, fuzzy dates, derivation, shift, assumption."""
    event = item.event
    notes: list[str] = []
    window = event.is_window
    for adjustment, opening in ((item.opening, True), (item.due, False)):
        note = _moved_note(adjustment, lang, opening=opening, window=window)
        if note:
            notes.append(note)
    notes.extend(_fuzzy_notes(event, lang))
    if item.derived:
        froms = ", ".join(escape_cell(_title(tl[dep.event].event, lang)) for dep in event.after)
        notes.append(f"前提から導出: {froms}" if lang == "ja" else f"derived from: {froms}")
    if item.shifted is not None:
        notes.append(f"シフト {item.shifted}" if lang == "ja" else f"shifted {item.shifted}")
    assumption = event.assumption_in(lang)
    if assumption:
        text = escape_cell(assumption)
        notes.append(f"※仮定: {text}" if lang == "ja" else f"※ assumption: {text}")
    return "／".join(notes) if lang == "ja" else "; ".join(notes)


def _state(item: ScheduledEvent, tl: Timeline, as_of: dt.date, lang: Lang) -> str:
    """Return where the event stands on `as_of`: over, today, open with N business days
    left (as-of included), or how far off. A deadline on a closed day (Saturday 6/30, due
    Friday 6/29) is over only once that day has ended, as the plan counts it."""
    ja = lang == "ja"
    due, opening = item.due, item.opening
    milestone = item.event.type == "milestone"
    if as_of > due.original:
        return "終了" if ja else "over"
    if due.date < as_of:
        # Between the last business day and the closed day itself: still that day's to do.
        if as_of == due.original:
            return "本日まで（最終の開庁日は過ぎた）" if ja else "today (last business day passed)"
        until = format_day(due.original, lang)
        return (
            f"{until}まで（最終の開庁日は過ぎた）"
            if ja
            else f"until {until} (last business day passed)"
        )
    if item.event.is_window and as_of < opening.date:
        days = (opening.date - as_of).days
        return f"開始まであと{days}日" if ja else f"opens in {days} d"
    if as_of == due.date:
        return "本日" if ja else "today"
    if milestone:
        days = (due.date - as_of).days
        return f"あと{days}日" if ja else f"in {days} d"
    if item.event.is_window and not item.event.adjust:
        # A window kept on its calendar days (nationwide briefings, to 6/10, a Sunday):
        # counted in days, as it is held on closed days too.
        days = (due.date - as_of).days + 1
        return f"期間中、残り{days}日" if ja else f"open, {days} d left"
    left = tl.closed.business_days_between(as_of, due.date)
    if item.event.is_window:
        return f"期間中、残り{left}開庁日" if ja else f"open, {left} business days left"
    return f"残り{left}開庁日" if ja else f"{left} business days left"


def _row(item: ScheduledEvent, tl: Timeline, lang: Lang) -> tuple[str, ...]:
    event = item.event
    dates = _when(item, lang)
    if item.slack_days is None:
        slack = "—"
    else:
        slack = f"{item.slack_days}日" if lang == "ja" else f"{item.slack_days} d"
        if item.critical:
            slack = f"★ {slack}"
    section = (
        escape_cell(event.section) if event.section else ("仮定" if lang == "ja" else "assumption")
    )
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
        short = (item.short_ja if lang == "ja" else item.short_en) if item else ""
        if lang == "ja":
            names.append(f"{number}番（{escape_inline(short)}）" if short else f"{number}番")
        else:
            names.append(f"item {number} ({escape_inline(short)})" if short else f"item {number}")
    section = escape_inline(dates.section)
    if lang == "ja":
        heading = f"提供の締切（{section}）" if section else "提供の締切"
        lines = (
            "対象の特定個人情報: " + ("、".join(names) or "なし"),
            f"提供の求めに提供できる最終日: {format_day(dates.last_provision, lang)}",
            f"回答期限（最終の開庁日）: {format_day(dates.answer_by, lang)}",
            f"{format_day(dates.last_provision, lang)}までに提供されない照会は取りやめ、"
            f"{format_day(dates.effective, lang)}以降に再照会"
            f"（開庁日では{format_day(dates.reissue_from, lang)}から）",
        )
    else:
        heading = f"Provision cutoff ({section})" if section else "Provision cutoff"
        lines = (
            "Items: " + (", ".join(names) or "none"),
            f"Last day a request can be answered: {format_day(dates.last_provision, lang)}",
            f"Answer by (last business day): {format_day(dates.answer_by, lang)}",
            f"Queries not answered by {format_day(dates.last_provision, lang)} are withdrawn "
            "and re-issued on or after "
            f"{format_day(dates.effective, lang)} (first business day "
            f"{format_day(dates.reissue_from, lang)})",
        )
    return heading, lines


def _conflict(conflict: Conflict, lang: Lang) -> _Conflict:
    message = conflict.message_ja if lang == "ja" and conflict.message_ja else conflict.message
    fix = conflict.fix_ja if lang == "ja" and conflict.fix_ja else conflict.fix
    return _Conflict(conflict.code, escape_inline(message), escape_inline(fix))


def _rule(columns: int) -> str:
    return "|".join(["---"] * columns)


def _closed_note(day: dt.date, tl: Timeline, lang: Lang) -> str:
    """Return `day`, saying when it is a closed day (a recurring obligation's date)."""
    closure = tl.closed.closure(day)
    if closure is None:
        return format_day(day, lang)
    reason = escape_inline(closure.ja if lang == "ja" else closure.en)
    return (
        f"{format_day(day, lang)}（閉庁日: {reason}）"
        if lang == "ja"
        else f"{format_day(day, lang)} (closed: {reason})"
    )


def _page(subject: Timeline | WhatIf, lang: Lang, as_of: dt.date | None = None) -> _Page:
    tl = subject.after if isinstance(subject, WhatIf) else subject
    labels = _LABELS[lang]
    if as_of is not None:
        labels = attrs.evolve(
            labels,
            headers=(*labels.headers, "基準日の状況" if lang == "ja" else "As of"),
            legend=labels.legend
            + (
                "基準日の状況の「残り」は基準日を含む開庁日数です。"
                if lang == "ja"
                else " Business days left count the as-of date."
            ),
        )
    calendar = tl.calendar
    revision = calendar.revision
    name = revision.title_ja if lang == "ja" else revision.title_en
    source = escape_inline(revision.source)
    if revision.section:
        source += (
            f"（{escape_inline(revision.section)}）"
            if lang == "ja"
            else (f" ({escape_inline(revision.section)})")
        )
    facts: tuple[tuple[str, str], ...] = (
        (labels.effective, format_day(tl.effective, lang)),
        (labels.source, source),
        (labels.calendar, escape_inline(calendar.id)),
    )
    if as_of is not None:
        facts += (("基準日" if lang == "ja" else "As of", format_day(as_of, lang)),)
    cutoff_heading, cutoff = _cutoff(tl, lang)
    critical = tuple(
        f"{_when(tl[event_id], lang)} {escape_inline(_title(tl[event_id].event, lang))}"
        for event_id in (tl.critical_path if len(tl.critical_path) > 1 else ())
    )
    recurring = tuple(
        f"{_closed_note(day, tl, lang)} "
        f"{escape_inline(rule.title_ja if lang == 'ja' else rule.title_en)}"
        + (f"（{escape_inline(rule.section)}）" if lang == "ja" and rule.section else "")
        + (f" ({escape_inline(rule.section)})" if lang == "en" and rule.section else "")
        for rule, day in tl.recurring
    )
    moved: tuple[tuple[str, ...], ...] = ()
    new: tuple[_Conflict, ...] = ()
    resolved: tuple[_Conflict, ...] = ()
    if isinstance(subject, WhatIf):
        moved = tuple(
            (
                escape_cell(_title(tl[event_id].event, lang)),
                format_day(old, lang),
                format_day(now, lang),
            )
            for event_id, old, now in subject.moved
        )
        new = tuple(_conflict(c, lang) for c in subject.new_conflicts)
        resolved = tuple(_conflict(c, lang) for c in subject.resolved_conflicts)
    return _Page(
        labels=labels,
        title=f"{escape_inline(name)} — {labels.heading}",
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


def _event_json(item: ScheduledEvent) -> dict[str, Any]:
    event = item.event
    closure = item.due.closure or item.opening.closure
    return {
        "id": event.id,
        "type": event.type,
        "title_ja": event.title_ja,
        "title_en": event.title_en,
        "actor": event.actor.value,
        "section": event.section,
        "assumption": event.assumption,
        "assumption_en": event.assumption_en,
        "start": _iso(item.start),
        "end": _iso(item.end),
        "due": _iso(item.due.date),
        "opening": _iso(item.opening.date),
        "moved": item.moved,
        "closed_reason": None if closure is None else {"ja": closure.ja, "en": closure.en},
        "derived": item.derived,
        "shifted": None if item.shifted is None else str(item.shifted),
        "latest_start": _iso(item.latest_start),
        "latest_end": _iso(item.latest_end),
        "slack_days": item.slack_days,
        "critical": item.critical,
    }


def _calendar_json(calendar: RevisionCalendar, effective: dt.date) -> dict[str, Any]:
    revision = calendar.revision
    return {
        "id": calendar.id,
        "title_ja": revision.title_ja,
        "title_en": revision.title_en,
        "effective": effective.isoformat(),
        "source": revision.source,
    }


def timeline_json(subject: Timeline | WhatIf) -> dict[str, Any]:
    """Return the timeline as JSON-ready data (ISO dates; events in date order)."""
    tl = subject.after if isinstance(subject, WhatIf) else subject
    dates = tl.cutoff_dates()
    data: dict[str, Any] = {
        "calendar": _calendar_json(tl.calendar, tl.effective),
        "events": [_event_json(item) for item in tl.events],
        "conflicts": [_conflict_json(c) for c in tl.conflicts],
        "critical_path": list(tl.critical_path),
        "cutoff": None
        if dates is None
        else {
            "items": sorted(dates.items),
            "last_provision": dates.last_provision.isoformat(),
            "answer_by": dates.answer_by.isoformat(),
            "effective": dates.effective.isoformat(),
            "reissue_from": dates.reissue_from.isoformat(),
            "section": dates.section,
        },
        "recurring": [
            {
                "id": rule.id,
                "title_ja": rule.title_ja,
                "title_en": rule.title_en,
                "date": day.isoformat(),
                "actor": rule.actor.value,
                "section": rule.section,
            }
            for rule, day in tl.recurring
        ],
        "shifts": [{"event": s.event, "lag": str(s.lag)} for s in tl.shifts],
    }
    if isinstance(subject, WhatIf):
        data["what_if"] = {
            "moved": [
                {"event": event_id, "before": old.isoformat(), "after": now.isoformat()}
                for event_id, old, now in subject.moved
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


def _mermaid_task(item: ScheduledEvent, lang: Lang) -> str:
    tags: list[str] = []
    if item.critical:
        tags.append("crit")
    name = _mermaid_text(_title(item.event, lang))
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
    title = revision.title_ja if lang == "ja" else revision.title_en
    lines = [
        "gantt",
        f"    title {_mermaid_text(title)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %m/%d",
    ]
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
