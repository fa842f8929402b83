"""What a what-if changed (`cutover.planning.whatif.PlanChanges`), as Markdown view-models and JSON.

The plan page, the summary, the index and each checklist show a "what changed" section
when the plan was made with ``--shift``: the shifts, the tasks whose dates moved (grouped
by task template and dates, with the number of agencies, on the pages that cover many
agencies; one row per task in an agency's checklist), and the conflicts that appeared or
went away. The templates include ``what_if.md.j2`` with the `WhatIfView` as
``page.what_if``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Sequence
from typing import Any

import attrs

from cutover.i18n.catalogue import LANGS, Lang, text
from cutover.i18n.text import format_day, moved_note
from cutover.jp.closed_days import Adjustment
from cutover.planning.model import AgencyPlan, Task
from cutover.planning.whatif import PlanChanges, TaskMove, TemplateMove
from cutover.render.inline import closed_day, code_span
from cutover.render.markdown import escape_cell, escape_inline
from cutover.render.status import due_status_text
from cutover.render.views import labels_of, view_model
from cutover.schedule.model import Conflict
from cutover.schedule.timeline import Timeline

__all__ = [
    "WhatIfView",
    "agency_what_if_view",
    "conflict_json",
    "what_if_json",
    "what_if_summary_json",
    "what_if_view",
]


@attrs.frozen
class _Words:
    """The fixed words of the section, in one language."""

    heading: str
    moved: str
    group_headers: tuple[str, ...]
    agency_headers: tuple[str, ...]
    no_moves: str
    new_conflicts: str
    resolved_conflicts: str
    no_conflict_change: str
    fix: str


@functools.cache
def _words(lang: Lang) -> _Words:
    """Return the fixed words of the section in `lang` (read once per language)."""
    group = ("task", "window-opens", "due", "agencies", "tasks")
    agency = ("task", "window-opens", "due", "status")
    return labels_of(
        _Words,
        "whatif",
        lang,
        group_headers=tuple(text(f"whatif.header-{h}", lang) for h in group),
        agency_headers=tuple(text(f"whatif.header-{h}", lang) for h in agency),
    )


@functools.cache
def _count_headers() -> frozenset[str]:
    """Return the headers of the columns that hold counts (the last of the grouped table):
    they align right."""
    return frozenset(
        text(f"whatif.header-{h}", lang) for lang in LANGS for h in ("agencies", "tasks")
    )


@view_model
@attrs.frozen
class WhatIfView:
    """The "what changed" section of a page, as finished, Markdown-safe strings."""

    heading: str
    #: one line per shift: the event id, the lag and the event's title
    shifts: tuple[str, ...]
    moved_heading: str
    moved_headers: tuple[str, ...]
    #: the delimiter row of the moved table, between the outer pipes
    moved_rule: str
    moved: tuple[tuple[str, ...], ...]
    #: said instead of the table when nothing moved
    no_moves: str
    new_conflicts_heading: str
    new_conflicts: tuple[str, ...]
    resolved_conflicts_heading: str
    resolved_conflicts: tuple[str, ...]
    #: said when no conflict appeared or went away
    no_conflict_change: str


def _change(
    old: dt.date | None,
    new: dt.date | None,
    lang: Lang,
    timeline: Timeline,
    written: tuple[Adjustment | None, Adjustment | None] = (None, None),
    *,
    opening: bool = False,
) -> str:
    """Return ``old → new``, the date alone when it did not move, or — without one.

    `written` are the dates as the calendar writes them (moved off closed days): when only
    they moved (Saturday 6/30 to Sunday 7/1, both shown on Friday 6/29), each side says
    where its date was moved from. A new date on a closed day (a milestone's, not moved off
    closed days) says it is one, by the closed days of `timeline` (after the shifts).
    """
    if old is None or new is None:
        return "—"
    before, after = written
    if old == new and before is not None and after is not None and before != after:
        return text(
            "whatif.change",
            lang,
            old=_written_day(before, lang, opening=opening),
            new=_written_day(after, lang, opening=opening),
        )
    if old == new:
        return format_day(new, lang)
    shown = closed_day(new, timeline.closed.closure(new), lang)
    return text("whatif.change", lang, old=format_day(old, lang), new=shown)


def _written_day(adjustment: Adjustment, lang: Lang, *, opening: bool) -> str:
    """Return a date as shown, with the closed day it was moved off, if it was."""
    shown = format_day(adjustment.date, lang)
    note = moved_note(adjustment, lang, opening=opening, form="table")
    return shown + text("text.aside", lang, text=note) if note else shown


def _conflict_line(conflict: Conflict, lang: Lang, fix: str) -> str:
    """Return a conflict as one Markdown line: its code, message and fix."""
    message, how = conflict.describe(lang)
    return f"{code_span(conflict.code)} {escape_inline(message)} — {fix}: {escape_inline(how)}"


def _shift_line(shift_event: str, lag: str, timeline: Timeline, lang: Lang) -> str:
    """Return a shift as a line: ``inter-agency-test`` +5bd, and the event's title."""
    title = ""
    if shift_event in timeline:
        event = timeline[shift_event].event
        title = (event.title_en if lang == "en" else event.title_ja) or ""
    line = f"{code_span(shift_event)} {lag}"
    if title:
        line += text("text.aside", lang, text=escape_inline(title))
    return line


def _group_row(group: TemplateMove, timeline: Timeline, lang: Lang) -> tuple[str, ...]:
    starts = (group.written.old_start, group.written.new_start)
    dues = (group.written.old_due, group.written.new_due)
    return (
        code_span(group.label),
        _change(group.old_start, group.new_start, lang, timeline, starts, opening=True),
        _change(group.old_due, group.new_due, lang, timeline, dues),
        str(group.agencies),
        str(group.tasks),
    )


def _view(
    changes: PlanChanges,
    lang: Lang,
    headers: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    conflicts: Callable[[Conflict], bool] = lambda _: True,
) -> WhatIfView:
    words = _words(lang)
    new = tuple(_conflict_line(c, lang, words.fix) for c in changes.new_conflicts if conflicts(c))
    resolved = tuple(
        _conflict_line(c, lang, words.fix) for c in changes.resolved_conflicts if conflicts(c)
    )
    return WhatIfView(
        heading=words.heading,
        shifts=tuple(
            _shift_line(s.event, str(s.lag), changes.shifted, lang) for s in changes.shifts
        ),
        moved_heading=words.moved,
        moved_headers=headers,
        # Counts (the last columns of the grouped table) align right.
        moved_rule="".join("---:|" if h in _count_headers() else "---|" for h in headers),
        moved=rows,
        no_moves=words.no_moves,
        new_conflicts_heading=words.new_conflicts,
        new_conflicts=new,
        resolved_conflicts_heading=words.resolved_conflicts,
        resolved_conflicts=resolved,
        no_conflict_change="" if new or resolved else words.no_conflict_change,
    )


def what_if_view(changes: PlanChanges, lang: Lang) -> WhatIfView:
    """Return the section for a page covering many agencies: moves grouped by template."""
    words = _words(lang)
    rows = tuple(_group_row(g, changes.shifted, lang) for g in changes.by_template())
    return _view(changes, lang, words.group_headers, rows)


def _agency_row(
    move: TaskMove, task: Task | None, timeline: Timeline, lang: Lang, as_of: dt.date | None
) -> tuple[str, ...]:
    title = ""
    if task is not None:
        title = escape_cell(task.title_en if lang == "en" else task.title_ja) + " "
    # Each side as the checklists say it on the plan's date: a window whose written end is
    # that Saturday is still open on the declared side (最終の開庁日は過ぎた), and overdue
    # once a shift ends it on the Friday; a status that reads otherwise is a change.
    status = due_status_text(move.new_status, move.written.new_due, as_of, lang)
    old_status = due_status_text(move.old_status, move.written.old_due, as_of, lang)
    if old_status != status:
        status = text("whatif.change", lang, old=old_status, new=status)
    starts = (move.written.old_start, move.written.new_start)
    dues = (move.written.old_due, move.written.new_due)
    return (
        f"{title}{code_span(move.task)}",
        _change(move.old_start, move.new_start, lang, timeline, starts, opening=True),
        _change(move.old_due, move.new_due, lang, timeline, dues),
        status,
    )


def agency_what_if_view(
    changes: PlanChanges,
    agency_plan: AgencyPlan,
    lang: Lang,
    events: Collection[str],
    *,
    as_of: dt.date | None = None,
) -> WhatIfView:
    """Return the section for one agency's checklist: its own moved tasks, one row each,
    with their status on either side as the checklist says it on `as_of` (the plan's date).

    Only the conflicts about `events` (the agency's key dates) are listed.
    """
    tasks = {t.id: t for t in agency_plan.tasks}
    rows = tuple(
        _agency_row(m, tasks.get(m.task), changes.shifted, lang, as_of)
        for m in changes.of_agency(agency_plan.agency.code)
    )
    return _view(
        changes,
        lang,
        _words(lang).agency_headers,
        rows,
        conflicts=lambda c: c.event in events,
    )


# --- JSON ----------------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    """Return a conflict as JSON, with the keys of the timeline JSON's conflicts."""
    return {
        "code": conflict.code,
        "event": conflict.event,
        "other": conflict.other,
        "message": conflict.message,
        "fix": conflict.fix,
        "message_ja": conflict.message_ja,
        "fix_ja": conflict.fix_ja,
        "key": conflict.key,
    }


def _conflicts_json(conflicts: Sequence[Conflict]) -> list[dict[str, Any]]:
    return [conflict_json(c) for c in conflicts]


def what_if_json(changes: PlanChanges) -> dict[str, Any]:
    """Return the ``what_if`` key of the plan JSON: every moved task, and the conflicts.

    ``moved`` has one object per agency and task: ``task``, ``code``, ``old_due``,
    ``new_due``, and ``old_start`` / ``new_start`` (a window's opening, or null) and
    ``old_status`` / ``new_status``. A task whose dates moved only as written (from one
    closed day to another, shown on the same business day) is not listed: its dates as
    shown did not move.
    """
    return {
        "shifts": [str(s) for s in changes.shifts],
        "moved": [
            {
                "task": m.task,
                "code": m.code,
                "old_due": m.old_due.isoformat(),
                "new_due": m.new_due.isoformat(),
                "old_start": _iso(m.old_start),
                "new_start": _iso(m.new_start),
                "old_status": m.old_status.value,
                "new_status": m.new_status.value,
            }
            for m in changes.moved
            if m.shown_moved
        ],
        "new_conflicts": _conflicts_json(changes.new_conflicts),
        "resolved_conflicts": _conflicts_json(changes.resolved_conflicts),
    }


def what_if_summary_json(changes: PlanChanges) -> dict[str, Any]:
    """Return the ``what_if`` key of the summary JSON: moves grouped by template and dates.

    ``moved`` has one object per group: ``task`` (``register:*`` for a template that
    multiplies), ``template``, ``old_due``, ``new_due``, ``old_start``, ``new_start``,
    ``agencies`` and ``tasks``; conflicts are given by ``code``, ``event`` and ``other``.
    """
    return {
        "shifts": [str(s) for s in changes.shifts],
        "moved": [
            {
                "task": g.label,
                "template": g.template,
                "old_due": g.old_due.isoformat(),
                "new_due": g.new_due.isoformat(),
                "old_start": _iso(g.old_start),
                "new_start": _iso(g.new_start),
                "agencies": g.agencies,
                "tasks": g.tasks,
            }
            for g in changes.by_template()
            if g.shown_moved
        ],
        "new_conflicts": [
            {"code": c.code, "event": c.event, "other": c.other} for c in changes.new_conflicts
        ],
        "resolved_conflicts": [
            {"code": c.code, "event": c.event, "other": c.other} for c in changes.resolved_conflicts
        ],
    }
