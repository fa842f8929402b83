"""A plan as JSON (for tools), CSV (one row per task, for spreadsheets) and Markdown.

The JSON is the ``plan`` object of DESIGN.md §3, with added keys; strings in it are raw
(not escaped). The Markdown comes from ``cutover/templates/plan.md.j2`` through frozen
view-models of finished strings, user strings escaped with `escape_cell` /
`escape_inline`. The task and flag view-models are shared with the checklists
(`cutover.render.checklist`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

import attrs

from cutover.errors import require_instance
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import (
    Phrase,
    check_lang,
    closed_reason,
    format_day,
    format_span,
    moved_note,
    section_note,
)
from cutover.inputs.model import Readiness
from cutover.jp.closed_days import Adjustment
from cutover.jp.vocabulary import Side, Status
from cutover.planning.flags import Flag, FlagCode
from cutover.planning.model import LAPSED_SOURCE, AgencyPlan, Plan, Task, TaskStatus
from cutover.planning.queries import QUERIES_SOURCE
from cutover.render.csvout import CsvOut
from cutover.render.inline import code_span
from cutover.render.labels import status_label
from cutover.render.markdown import escape_inline
from cutover.render.schemas import SCHEMA_VERSION, calendar_json, evidence_json, queries_json
from cutover.render.status import status_text
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.render.views import view_model

if TYPE_CHECKING:
    from cutover.calendar.model import RevisionKind
    from cutover.render.whatif import WhatIfView

__all__ = [
    "CSV_COLUMNS",
    "FlagView",
    "PlanPage",
    "TaskRow",
    "TaskView",
    "TaskViews",
    "fact_revision",
    "flag_view",
    "kind_label",
    "plan_facts",
    "plan_json",
    "plan_markdown",
    "status_label",
    "status_text",
    "task_rows",
    "task_view",
    "write_plan_csv",
]

#: The columns of the plan CSV, one row per task. (``flags``, ``readiness`` and ``planned``
#: came later: new columns go at the end, where tools that read the first ones miss nothing.)
CSV_COLUMNS = (
    "code",
    "name",
    "kind",
    "task",
    "title",
    "start",
    "due",
    "status",
    "done_on",
    "section",
    "flags",
    "readiness",
    "planned",
)


@attrs.frozen
class TaskRow:
    """One task of one agency as the plan's tables show it, with what tells who is behind."""

    agency: AgencyPlan
    task: Task
    #: the codes of the agency's flags about this task, in the plan's order, and
    #: ``readiness-unknown`` for a modification the readiness report says nothing of
    flags: tuple[FlagCode, ...]
    #: the readiness report of the task's system and side (a modification task), or None
    report: Readiness | None


def task_rows(plan: Plan) -> Iterator[TaskRow]:
    """Yield every task of every agency, in the plan's order, with its flags and report."""
    for agency_plan in plan.agencies:
        reports = {(r.system, r.side): r for r in agency_plan.readiness}
        about: dict[str, list[FlagCode]] = {}
        # The agency's readiness-unknown flags have no task: each names a side's systems
        # not reported, and so the modification tasks it is about.
        unknown: set[tuple[str, Side | None]] = set()
        for flag in agency_plan.flags:
            if flag.task is not None:
                about.setdefault(flag.task, []).append(flag.code)
            elif flag.code is FlagCode.READINESS_UNKNOWN:
                unknown.update((system, flag.side) for system in flag.systems)
        for task in agency_plan.tasks:
            flags = about.get(task.id, [])
            template = task.template
            report = None
            if template.per == "system" and template.side is not None and task.system:
                report = reports.get((task.system, template.side))
                if (task.system, template.side) in unknown:
                    flags = [*flags, FlagCode.READINESS_UNKNOWN]
            yield TaskRow(agency_plan, task, tuple(flags), report)


# Calendar strings (titles, details, remedies) and most flag messages repeat for every
# agency: escape each once.
_escape = functools.lru_cache(maxsize=4096)(escape_inline)


def kind_label(plan: AgencyPlan, lang: Lang) -> str:
    """Return the agency's kind in `lang`: 市区町村 / municipality, …"""
    return plan.agency.kind.label(lang)


def _title(task: Task, lang: Lang) -> str:
    """Return the task's title in `lang`."""
    return task.title_ja if lang == "ja" else task.title_en


def _detail(task: Task, lang: Lang) -> str:
    """Return what the task asks, in `lang`."""
    return task.detail_ja if lang == "ja" else task.detail_en


def _notes(task: Task, lang: Lang) -> tuple[str, ...]:
    """Return the task's notes (past data, delegation, what comes first), in `lang`."""
    notes, first = (
        (task.notes_ja, task.first_ja) if lang == "ja" else (task.notes_en, task.first_en)
    )
    return (*notes, first) if first else notes


# --- JSON ----------------------------------------------------------------------------------


def _moved_from(adjustment: Adjustment | None) -> str | None:
    """Return the ISO date an adjusted date moved from, or None when it did not move."""
    if adjustment is None or not adjustment.moved:
        return None
    return adjustment.original.isoformat()


def _moved_reason(adjustment: Adjustment | None, lang: Lang) -> str | None:
    """Return why an adjusted date moved (the closure), or None."""
    if adjustment is None or adjustment.closure is None:
        return None
    return adjustment.closure.reason(lang)


def _moved_code(adjustment: Adjustment | None) -> str | None:
    """Return the code of why an adjusted date moved (`Closure.code`), or None."""
    if adjustment is None or adjustment.closure is None:
        return None
    return adjustment.closure.code


def _task_json(task: Task, lang: Lang) -> dict[str, Any]:
    """Return one task as JSON."""
    return {
        "id": task.id,
        "title": _title(task, lang),
        "due": task.due.date.isoformat(),
        "start": task.start.date.isoformat() if task.start is not None else None,
        "end": task.due.date.isoformat() if task.start is not None else None,
        "status": task.status.value,
        "done_on": task.done_on.isoformat() if task.done_on is not None else None,
        "title_ja": task.title_ja,
        "title_en": task.title_en,
        "detail": _detail(task, lang),
        "notes": list(_notes(task, lang)),
        "system": task.system,
        "item": task.item,
        "section": task.section,
        "due_moved_from": _moved_from(task.due),
        "due_moved_reason": _moved_reason(task.due, lang),
        "due_moved_code": _moved_code(task.due),
        "start_moved_from": _moved_from(task.start),
        "assumption": task.assumption_in(lang),
        "status_source": task.status_source or None,
        "hearing": task.hearing,
        "too_late": task.too_late,
    }


def _flag_json(flag: Flag, lang: Lang) -> dict[str, Any]:
    """Return one flag as JSON: ``remedy`` is the first of ``remedies`` (docs/json.md)."""
    remedies = flag.remedies(lang)
    return {
        "code": flag.code.value,
        "severity": flag.severity.value,
        "message": flag.message(lang),
        "remedy": remedies[0] if remedies else None,
        "task": flag.task,
        "remedies": list(remedies),
        "section": flag.section or None,
        "side": flag.side.value if flag.side is not None else None,
        "systems": list(flag.systems) or None,
        "items": list(flag.items) or None,
        "count": flag.count,
        "counts": [{"item": n, "count": c} for n, c in flag.item_counts] or None,
        "evidence": [evidence_json(row) for row in flag.rows] or None,
    }


def _agency_json(agency_plan: AgencyPlan, lang: Lang) -> dict[str, Any]:
    """Return one agency's plan as JSON."""
    agency = agency_plan.agency
    return {
        "code": agency.code,
        "name": agency.name,
        "kind": agency.kind.value,
        "test_requested": agency.test_requested,
        "provides": sorted(agency.provides),
        "new_delegations": sorted(agency.new_delegations),
        "done": agency_plan.done,
        "applicable": len(agency_plan.applicable),
        "tasks": [_task_json(t, lang) for t in agency_plan.tasks],
        "flags": [_flag_json(f, lang) for f in agency_plan.flags],
    }


def plan_json(plan: Plan, *, lang: Lang = "ja") -> dict[str, Any]:
    """Return the plan as the JSON object of DESIGN.md §3 (``plan``), plus a few keys.

    ``title``, ``detail``, ``message`` and ``remedy`` are in `lang`; ``start`` and ``end``
    are a window's opening and due date (null for a task without a window). Added keys
    per task: ``title_ja``, ``title_en``, ``detail``, ``notes``, ``system``, ``item``,
    ``section``, ``due_moved_from`` / ``due_moved_reason`` (the date before it moved off a
    closed day, and why), ``start_moved_from``, ``assumption``, ``status_source``,
    ``hearing``; per flag ``remedies`` (a list), ``section``, ``side`` and ``systems`` (the
    ids of the modifications it is about, null for a flag about none), ``items`` (the
    item numbers it is about, or null), ``count`` and ``counts`` (the queries it counts,
    in all and by item, or null) and ``evidence`` (the rows and log lines it is about,
    `cutover.render.schemas.evidence_json`, or null); per agency
    ``test_requested``, ``provides``, ``new_delegations``, ``done``, ``applicable``.
    ``queries`` is null, or the counts of the queries file for the plan's agencies, as the
    summary's (`cutover.render.schemas.queries_json`). ``what_if`` is null, or, for a plan
    made with shifts (`cutover.planning.planner.with_what_if`), what they changed
    (`cutover.render.whatif.what_if_json`). The schema is ``json_schema("plan")``
    (`cutover.render.schemas`).
    """
    require_instance(plan, Plan, "plan", "common.not-a-plan")
    language = check_lang(lang)
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "calendar": calendar_json(plan.calendar, lang=language, shifts=plan.timeline.shifts),
        "as_of": plan.as_of.isoformat(),
        "readiness_given": plan.has_readiness,
        "agencies": [_agency_json(a, language) for a in plan.agencies],
        "queries": queries_json(plan.query_totals()),
        "what_if": None,
    }
    if plan.what_if is not None:
        from cutover.render.whatif import what_if_json

        data["what_if"] = what_if_json(plan.what_if)
    return data


# --- CSV -----------------------------------------------------------------------------------


def write_plan_csv(plan: Plan, stream: TextIO, *, lang: str = "ja") -> None:
    """Write the plan to `stream` as CSV: a header, then one row per task (`CSV_COLUMNS`).

    Dates are ISO; ``kind`` and ``status`` are ids; ``title`` is in `lang`; ``start`` is
    empty for a task without a window. ``flags`` holds the codes of the flags about the
    task, separated by spaces (`task_rows`); ``readiness`` and ``planned`` the status id
    and planned date the readiness report gives a modification task (empty for other
    tasks, and when it says nothing). Text that a spreadsheet would run as a formula gets
    a leading apostrophe.
    """
    language = check_lang(lang)
    out = CsvOut(stream)
    out.row(CSV_COLUMNS)
    for row in task_rows(plan):
        agency, task, report = row.agency.agency, row.task, row.report
        planned = report.day if report is not None else None
        out.row(
            (
                agency.code,
                agency.name,
                agency.kind.value,
                task.id,
                _title(task, language),
                task.start.date.isoformat() if task.start is not None else "",
                task.due.date.isoformat(),
                task.status.value,
                task.done_on.isoformat() if task.done_on is not None else "",
                task.section,
                " ".join(code.value for code in row.flags),
                report.status.value if report is not None else "",
                planned.isoformat() if planned is not None else "",
            )
        )


# --- view-models shared with the checklists ------------------------------------------------


@view_model
@attrs.frozen
class TaskView:
    """One task as finished strings: what to do, by when, where it stands."""

    #: the task id evidence.csv uses, as a code span (``register:2``)
    id: str
    #: "x" when done, " " otherwise (the GFM task-list box)
    box: str
    done: bool
    title: str
    section: str
    #: the section as it follows the title: ``（§5）`` / `` (§5)``
    source: str
    status: str
    #: the status id (``overdue``, ``due-soon``, …) for templates that style by status
    status_id: str
    #: the due date, with why it moved and ※ when it is an assumption
    due: str
    #: the window (opening to due), or "" for a task without one
    window: str
    #: the done date and what proves it, or "" when not done
    done_on: str
    detail: str
    notes: tuple[str, ...]
    #: what counts as proof (evidence.csv ``detail``)
    evidence: str
    #: what to do if late; empty once done
    remedies: tuple[str, ...]
    #: why the due date is assumed, or ""
    assumption: str
    #: the due date, as written, has passed and the task is not done: `remedies` are what
    #: is left to do (`Task.too_late`)
    too_late: bool = False
    #: why a task that does not apply does not, when it is not the readiness report ("")
    why_not_applicable: str = ""


@functools.lru_cache(maxsize=512)
def _due_text(due: Adjustment, assumed: bool, lang: Lang) -> str:
    """Return the due date as shown: the day, why it moved, ※ when assumed."""
    day = format_day(due.date, lang)
    note = moved_note(due, lang, opening=False)
    if note:
        day += text("render.moved-aside", lang, note=escape_inline(note))
    return f"{day} ※" if assumed else day


@functools.lru_cache(maxsize=512)
def _window_text(start: Adjustment, due: Adjustment, lang: Lang) -> str:
    """Return a window as shown: opening to its declared end, and why the opening moved.

    The end is the declared one (Saturday 6/30, "6月末まで"): work done on it counts, and the
    due date beside it already says the last business day (6/29) and why. An end on a
    closed day is marked so (〜6/30（土）（閉庁日）), as the timeline marks a day it keeps,
    for the window read on its own (a workbook's column, a page printed apart)."""
    span = format_span(start.date, due.original, lang)
    if due.closure is not None:
        span += text("render.closed-aside", lang, reason=closed_reason(due.closure, lang))
    note = moved_note(start, lang, opening=True)
    if note:
        span += text("render.moved-aside", lang, note=escape_inline(note))
    return span


def _why_not_applicable(task: Task, lang: Lang) -> str:
    """Return why a task does not apply when it is not the readiness report's say."""
    if task.status is not TaskStatus.NOT_APPLICABLE:
        return ""
    if task.status_source == QUERIES_SOURCE:
        return text("render.no-such-query", lang)
    if task.status_source == LAPSED_SOURCE:
        return text("render.lapsed", lang)
    return ""


def _done_text(task: Task, lang: Lang) -> str:
    """Return when and on what evidence a task was done, or "" when it is not."""
    if task.status is not TaskStatus.DONE:
        return ""
    source = task.status_source
    if source == "readiness":
        why = text("render.source-readiness", lang)
    elif source in ("", "evidence"):
        why = "evidence.csv"
    else:
        why = _escape(source)  # details repeat: the same few phrases in every row
    if task.done_on is None:
        # Reported done in readiness.csv, which carries no completion date.
        return text("render.done-undated", lang, source=why)
    return text("render.done-on", lang, day=format_day(task.done_on, lang), source=why)


class _TaskText(NamedTuple):
    """The part of a task's view that is the same for every agency that has the task."""

    id: str
    title: str
    section: str
    source: str
    due: str
    window: str
    detail: str
    notes: tuple[str, ...]
    evidence: str
    remedies: tuple[str, ...]
    #: once the task is too late (`Task.too_late`)
    remedies_too_late: tuple[str, ...]
    #: what to do when the readiness report says the task will be late
    remedies_late: tuple[str, ...]
    assumption: str


class TaskViews:
    """Makes the `TaskView`s of the tasks of one plan, in one language.

    A task's text (title, detail, dates, remedies) is the same for every agency that has
    it: within one plan the task id fixes its template and dates, and only the notes
    (a new delegation) vary. The text is worked out once per task id and notes and
    shared; a national run makes tens of thousands of views from a few dozen texts.
    Use one instance per plan.
    """

    def __init__(self, lang: Lang, as_of: dt.date | None = None) -> None:
        """Start with no text worked out, for tasks rendered in `lang` as of `as_of` (the
        plan's date: a task due that day says so)."""
        self.lang = lang
        self.as_of = as_of
        self._texts: dict[tuple[str, tuple[str, ...], str], _TaskText] = {}
        self._views: dict[tuple[object, ...], TaskView] = {}
        # The planner shares one Task among the agencies in the same state: a view is
        # found by the task's identity first (each task kept alive beside its view).
        self._by_task: dict[int, tuple[Task, TaskView]] = {}

    def _text(self, task: Task) -> _TaskText:
        """Return the text of `task` shared by every agency that has it."""
        lang = self.lang
        template = task.template
        on_time = attrs.evolve(task, too_late=False, status=TaskStatus.UPCOMING)
        remedies = on_time.remedies(lang)
        too_late = attrs.evolve(task, too_late=True).remedies(lang)
        late = attrs.evolve(on_time, status=TaskStatus.LATE_EXPECTED).remedies(lang)
        section = _escape(task.section)
        return _TaskText(
            id=code_span(task.id),
            title=_escape(_title(task, lang)),
            section=section,
            source=section_note(section, lang),
            due=_due_text(task.due, task.assumption is not None, lang),
            window=_window_text(task.start, task.due, lang) if task.start is not None else "",
            detail=_escape(_detail(task, lang)),
            notes=tuple(_escape(n) for n in _notes(task, lang)),
            evidence=_escape(template.evidence_en if lang == "en" else template.evidence_ja),
            remedies=tuple(_escape(r) for r in remedies),
            remedies_too_late=tuple(_escape(r) for r in too_late),
            remedies_late=tuple(_escape(r) for r in late),
            assumption=_escape(task.assumption_in(lang) or ""),
        )

    def _status(self, task: Task) -> str:
        """Return the task's status label, saying so when it is due on the as-of date."""
        label = status_text(task, self.as_of, self.lang)
        if task.status is TaskStatus.DUE_SOON and task.due.date == self.as_of:
            return text("render.due-today", self.lang, status=label)
        if task.status is TaskStatus.LATE_EXPECTED and task.reported is not None:
            # The report that says so, on the task: 遅延見込み（報告: 未着手）
            report = task.reported
            said = (
                Phrase.of("plan.not-started")
                if report.status is Status.NOT_STARTED
                else Phrase.of("plan.planned-for", planned=report.day or "?")
            )
            return text(
                "render.late-expected", self.lang, status=label, report=said.text(self.lang)
            )
        return label

    def __call__(self, task: Task) -> TaskView:
        """Return the view of `task`."""
        found = self._by_task.get(id(task))
        if found is not None:
            return found[1]
        view = self._view_of(task)
        self._by_task[id(task)] = (task, view)
        return view

    def _view_of(self, task: Task) -> TaskView:
        """Return the view of `task`, shared with every equal task's."""
        # Views are immutable, and agencies in the same state share one: most tasks are
        # done on a few dates, from the same evidence detail, or not done yet.
        reported = (task.reported.status, task.reported.day) if task.reported is not None else None
        key = (
            task.id,
            task.notes_ja,
            task.first_ja,
            task.status,
            task.done_on,
            task.status_source,
            task.too_late,
            reported,
        )
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = self._view(task)
        return view

    def _view(self, task: Task) -> TaskView:
        """Return a new view of `task`."""
        key = (task.id, task.notes_ja, task.first_ja)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self._text(task)
        done = task.status is TaskStatus.DONE
        return TaskView(
            id=text.id,
            box="x" if done else " ",
            done=done,
            title=text.title,
            section=text.section,
            source=text.source,
            status=self._status(task),
            status_id=task.status.value,
            due=text.due,
            window=text.window,
            done_on=_done_text(task, self.lang),
            detail=text.detail,
            notes=text.notes,
            evidence=text.evidence,
            remedies=(
                ()
                if done
                else text.remedies_too_late
                if task.too_late
                else text.remedies_late
                if task.status is TaskStatus.LATE_EXPECTED
                else text.remedies
            ),
            assumption=text.assumption,
            too_late=task.too_late,
            why_not_applicable=_why_not_applicable(task, self.lang),
        )


def task_view(task: Task, lang: Lang) -> TaskView:
    """Return a task as finished, Markdown-safe strings in `lang`."""
    return TaskViews(lang)(task)


@view_model
@attrs.frozen
class FlagView:
    """One flag as finished strings."""

    #: the stable flag code, as a code span
    code: str
    severity: str
    #: the severity id (``error``, ``warning``, ``info``)
    severity_id: str
    message: str
    remedies: tuple[str, ...]
    #: the task id the flag is about, as a code span, or ""
    task: str
    section: str
    #: the section as it follows the code: ``（§5）`` / `` (§5)``; "" without one
    source: str


@functools.lru_cache(maxsize=4096)
def flag_view(flag: Flag, lang: Lang) -> FlagView:
    """Return a flag as finished, Markdown-safe strings in `lang`."""
    # Cached: most flags repeat from agency to agency (a moved deadline, an assumed date).
    return FlagView(
        code=code_span(flag.code.value),
        severity=flag.severity.label(lang),
        severity_id=flag.severity.value,
        # Messages quote user input (evidence task ids): always escaped. They also repeat
        # from agency to agency (a moved deadline, an assumed date), hence the cache.
        message=_escape(flag.message(lang)),
        remedies=tuple(_escape(r) for r in flag.remedies(lang)),
        task=code_span(flag.task) if flag.task else "",
        section=_escape(flag.section) if flag.section else "",
        source=section_note(_escape(flag.section), lang) if flag.section else "",
    )


# --- Markdown ------------------------------------------------------------------------------


@view_model
@attrs.frozen
class _PlanLabels:
    """The fixed words of the plan page, in one language."""

    heading: str
    headers: tuple[str, ...]
    flags: str
    no_flags: str
    task: str
    remedy: str


@functools.cache
def _plan_labels(lang: Lang) -> _PlanLabels:
    """Return the fixed words of the plan page in `lang` (read once per language)."""
    headers = ("task-id", "task", "window", "due", "status", "done", "source")
    return _PlanLabels(
        heading=text("render.plan-heading", lang),
        headers=tuple(text(f"render.plan-header-{h}", lang) for h in headers),
        flags=text("render.plan-flags", lang),
        no_flags=text("render.no-flags", lang),
        task=text("render.plan-task", lang),
        remedy=text("render.plan-remedy", lang),
    )


@view_model
@attrs.frozen
class _PlanAgency:
    """One agency's section of the plan page."""

    heading: str
    rows: tuple[tuple[str, ...], ...]
    flags: tuple[FlagView, ...]


@view_model
@attrs.frozen
class PlanPage:
    """Everything plan.md.j2 prints, as finished strings."""

    labels: _PlanLabels
    title: str
    facts: tuple[tuple[str, str], ...]
    rule: str
    agencies: tuple[_PlanAgency, ...]
    #: with --shift: what the shifts changed, tasks grouped by template
    what_if: WhatIfView | None = None


def _plan_row(task: Task, views: TaskViews) -> tuple[str, ...]:
    """Return one task as a row of the plan table."""
    lang = views.lang
    view = views(task)
    done_on = format_day(task.done_on, lang) if task.done_on is not None else ""
    return (
        view.id,
        view.title,
        view.window or "—",
        view.due,
        view.status,
        done_on,
        view.section,
    )


def _plan_agency(agency_plan: AgencyPlan, views: TaskViews) -> _PlanAgency:
    """Return one agency's section of the plan page."""
    lang = views.lang
    agency = agency_plan.agency
    name = escape_inline(agency.name)
    kind = kind_label(agency_plan, lang)
    heading = text(
        "render.plan-agency-heading",
        lang,
        code=agency.code,
        name=name,
        kind=kind,
        done=agency_plan.done,
        applicable=len(agency_plan.applicable),
    )
    return _PlanAgency(
        heading=heading,
        rows=tuple(_plan_row(t, views) for t in agency_plan.tasks),
        flags=tuple(flag_view(f, lang) for f in agency_plan.flags),
    )


def plan_facts(plan: Plan, lang: Lang) -> tuple[tuple[str, str], ...]:
    """Return the revision, its dates and the number of agencies as (label, value) lines."""
    revision = plan.calendar.revision
    title = _escape(revision.title_en if lang == "en" else revision.title_ja)
    return (
        fact_revision(title, plan.calendar.id, lang, revision.kind),
        (text("render.fact-effective", lang), format_day(plan.timeline.effective, lang)),
        (text("render.fact-as-of", lang), format_day(plan.as_of, lang)),
        (text("render.fact-agencies", lang), str(len(plan.agencies))),
    )


def fact_revision(
    title: str, calendar: str, lang: Lang, kind: RevisionKind = "layout-revision"
) -> tuple[str, str]:
    """Return the revision line of a page's facts: its (escaped) title and calendar id,
    labelled by what the revision is (a master delivery is not a layout revision)."""
    value = text("render.revision-value", lang, title=title, calendar=code_span(calendar))
    label = "render.fact-revision" if kind == "layout-revision" else f"render.fact-{kind}"
    return text(label, lang), value


def _rule(columns: Sequence[str]) -> str:
    """Return the delimiter row of a table with these columns, between the outer pipes."""
    return "---|" * len(columns)


def plan_markdown(plan: Plan, *, lang: str = "ja", templates: TemplateDir = None) -> str:
    """Return the plan as one Markdown page: per agency, a table of tasks and its flags.

    A plan made with shifts starts with what they changed (`cutover.render.whatif`).
    """
    from cutover.render.whatif import what_if_view

    language = check_lang(lang)
    labels = _plan_labels(language)
    revision = plan.calendar.revision
    title = _escape(revision.title_en if language == "en" else revision.title_ja)
    views = TaskViews(language, plan.as_of)
    page = PlanPage(
        labels=labels,
        title=text("render.page-title", language, title=title, heading=labels.heading),
        facts=plan_facts(plan, language),
        rule=_rule(labels.headers),
        agencies=tuple(_plan_agency(a, views) for a in plan.agencies),
        what_if=(what_if_view(plan.what_if, language) if plan.what_if is not None else None),
    )
    return render_template(load_template("plan.md.j2", templates), page=page)
