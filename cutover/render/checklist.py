"""Per-agency checklists and the coordinator's index, as Markdown files.

`render_checklist` gives one agency's checklist: who and which revision, the key dates
(wareki with weekday in Japanese, ISO with weekday in English; dates moved off closed
days say so; assumed dates marked ※), the tasks as a GFM task list with what exactly to
do, by when and what proves it, the tasks that do not apply, the recurring obligations
(§13) that fall on the agency, the flags with their remedies, and the cutoff rule for
pending queries (§6). `render_index` gives the coordinator's page: the §3 survey table,
flag counts, every agency with its progress linked to its checklist, the progress over
time by week (`cutover.planning.progress`, when evidence has dates), and the timeline as a Mermaid
gantt block. A plan made with ``--shift`` (`cutover.planning.whatif`) also says, on both pages,
what the shifts changed (`cutover.render.whatif`). `write_checklists`
renders all of them first and then writes ``DIR/<code>.md`` and ``DIR/index.md``, each
atomically.

Templates (``checklist.md.j2``, ``checklist_task.md.j2`` for each task's item, printed by
the page with ``task_items(page.tasks)``, and ``index.md.j2``) receive frozen view-models of
finished, Markdown-escaped strings; see `cutover.render.templating` for overrides and the
sandbox.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
from collections.abc import Callable, Sequence

import attrs
import jinja2
from markupsafe import Markup

from cutover.calendar.model import EFFECTIVE, Event, Recurring, RevisionCalendar
from cutover.errors import require_instance
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.glossary import gloss
from cutover.i18n.text import (
    check_lang,
    format_day,
    items_text,
    moved_note,
    section_note,
)
from cutover.jp.closed_days import LAST_YEAR
from cutover.planning.model import AgencyPlan, AgencyQueries, Plan, TaskStatus
from cutover.planning.planner import obligation_applies
from cutover.render.inline import closed_day
from cutover.render.markdown import escape_cell, escape_inline
from cutover.render.plan import (
    FlagView,
    TaskView,
    TaskViews,
    _title,
    flag_view,
    kind_label,
    plan_facts,
)
from cutover.render.status import shown_status
from cutover.render.templating import TemplateDir, is_html, load_template, render_template
from cutover.render.timeline import fuzzy_notes, when_marked
from cutover.render.views import labels_of, view_model
from cutover.render.whatif import WhatIfView, agency_what_if_view
from cutover.schedule.model import ScheduledEvent
from cutover.schedule.timeline import Timeline

__all__ = [
    "CHECKLIST_TEMPLATE",
    "TASK_TEMPLATE",
    "ChecklistPage",
    "ChecklistViews",
    "KeyDate",
    "QueryRow",
    "QueryTable",
    "RecurringView",
    "TaskItems",
    "checklist_page",
    "render_checklist",
    "render_page",
]

#: The template names a ``--templates`` directory may override.
CHECKLIST_TEMPLATE = "checklist.md.j2"
#: One task's item in a checklist, which checklist.md.j2 prints with ``task_item(task)``.
TASK_TEMPLATE = "checklist_task.md.j2"


# --- labels --------------------------------------------------------------------------------


@view_model
@attrs.frozen
class _ChecklistLabels:
    """The fixed words of a checklist, in one language."""

    heading: str
    key_dates: str
    key_date_headers: tuple[str, ...]
    assumed: str
    tasks: str
    tasks_legend: str
    no_tasks: str
    status: str
    due: str
    window: str
    done_on: str
    detail: str
    note: str
    evidence: str
    remedy: str
    remedy_too_late: str
    not_applicable: str
    not_applicable_why: str
    flags: str
    no_flags: str
    flag_task: str
    flag_remedy: str
    cutoff: str
    no_queries: str
    recurring: str
    next_occurrence: str
    assumption: str


@functools.cache
def _checklist_labels(lang: Lang) -> _ChecklistLabels:
    """Return the fixed words of a checklist in `lang` (read once per language)."""
    headers = ("date", "what", "source", "notes")
    return labels_of(
        _ChecklistLabels,
        "checklist",
        lang,
        key_date_headers=tuple(text(f"checklist.key-date-header-{h}", lang) for h in headers),
    )


# --- the checklist -------------------------------------------------------------------------


@view_model
@attrs.frozen
class KeyDate:
    """One row of the key-dates table."""

    when: str
    what: str
    section: str
    notes: str


@view_model
@attrs.frozen
class ChecklistPage:
    """Everything checklist.md.j2 prints for one agency, as finished strings."""

    labels: _ChecklistLabels
    title: str
    facts: tuple[tuple[str, str], ...]
    key_dates: tuple[KeyDate, ...]
    #: whether a key date or task is an assumption (then the ※ legend is printed)
    assumed: bool
    #: applicable tasks (done or not), by due date
    tasks: tuple[TaskView, ...]
    not_applicable: tuple[TaskView, ...]
    flags: tuple[FlagView, ...]
    cutoff_heading: str
    #: the cutoff rule for this agency, one line each; empty without a cutoff
    cutoff: tuple[str, ...]
    #: the agency's own queries around the cutoff (plans made with a queries file)
    query_tables: tuple[QueryTable, ...] = ()
    #: said instead of the tables when a queries file was given but has none of the agency's
    no_queries: str = ""
    #: with --shift: what the shifts changed for this agency
    what_if: WhatIfView | None = None
    #: the heading of the recurring obligations (§13), with the section they share
    recurring_heading: str = ""
    #: the recurring obligations that fall on this agency
    recurring: tuple[RecurringView, ...] = ()


def _flags(agency_plan: AgencyPlan, lang: Lang) -> tuple[FlagView, ...]:
    """Return the agency's flags, each naming its task by its title and then its id (three
    flags of a moved deadline read alike: the task tells them apart, and a clerk reads its
    title, not ``answer-before-cutoff:2``)."""
    titles = {task.id: _escape(_title(task, lang)) for task in agency_plan.tasks}
    views = []
    for flag in agency_plan.flags:
        view = flag_view(flag, lang)
        title = titles.get(flag.task) if flag.task else None
        if title:
            named = text("checklist.flag-task-titled", lang, title=title, id=view.task)
            view = attrs.evolve(view, task=named)
        views.append(view)
    return tuple(views)


@view_model
@attrs.frozen
class RecurringView:
    """A recurring obligation (§13) in a checklist, as finished strings."""

    title: str
    #: the section as it follows the title: ``（§13）`` / `` (§13)``
    source: str
    #: its dates within the timeline's span, and the next one from the as-of date
    dates: str
    #: the calendar's note on it (who else it binds: §13's 一部事務組合等), or ""
    note: str
    #: why the dates are assumed, or ""
    assumption: str


@view_model
@attrs.frozen
class QueryRow:
    """One query in a checklist's query table, as finished strings."""

    query_id: str
    #: the other agency: the querier in a provider's table, the provider in a querier's
    other: str
    item: str
    requested: str
    due: str


@view_model
@attrs.frozen
class QueryTable:
    """One of an agency's lists of queries around the cutoff (§6)."""

    heading: str
    headers: tuple[str, ...]
    rows: tuple[QueryRow, ...]


#: The five query lists (to answer, awaiting, to re-issue, unanswerable, outside §6's
#: rule), each with its columns: the last is the provider's due date in the first two, the
#: re-issue day in the next two, "as usual" in the last.
_QUERY_LISTS = (
    ("to-answer", ("query-id", "querier", "item", "received", "due")),
    ("awaiting", ("query-id", "provider", "item", "sent", "provider-due")),
    ("to-reissue", ("query-id", "provider", "item", "sent", "reissue-from")),
    ("unanswerable", ("query-id", "querier", "item", "received", "reissued-from")),
    ("outside-rule", ("query-id", "querier", "item", "received", "due")),
)


@functools.cache
def _query_headers(lang: Lang) -> tuple[tuple[str, ...], ...]:
    """Return the columns of the five query lists in `lang`."""
    return tuple(
        tuple(text(f"checklist.query-header-{c}", lang) for c in columns)
        for _, columns in _QUERY_LISTS
    )


def _query_tables(own: AgencyQueries, timeline: Timeline, lang: Lang) -> tuple[QueryTable, ...]:
    """Return the agency's non-empty query lists: as provider, then as querier."""
    rule = timeline.cutoff_dates()
    if rule is None:
        return ()
    # §6: the querier withdraws what is unanswered on the last provision day (6/30), not on
    # the provider's last business day (6/29): a request may still be answered on 6/30.
    dates = {
        "answer_by": format_day(rule.answer_by, lang),
        "last": format_day(rule.last_provision, lang),
        "reissue": format_day(rule.reissue_from, lang),
        "effective": format_day(rule.effective, lang),
    }
    lists = (
        (own.to_answer, True),
        (own.awaiting, False),
        (own.to_reissue, False),
        (own.unanswerable, True),
        (own.outside_rule, True),
    )
    as_usual = text("checklist.query-due-as-usual", lang)
    tables = []
    for (name, _), headers, (results, provider_side) in zip(
        _QUERY_LISTS, _query_headers(lang), lists, strict=True
    ):
        if not results:
            continue
        rows = tuple(
            QueryRow(
                query_id=escape_cell(r.query.query_id),
                other=escape_cell(r.query.querier if provider_side else r.query.provider),
                item=text("text.item", lang, n=r.query.item),
                requested=r.query.requested.strftime("%Y-%m-%d %H:%M"),
                due=format_day(r.due, lang) if r.due else as_usual,
            )
            for r in results
        )
        heading = text(f"checklist.queries-{name}", lang, **dates)
        count = text("checklist.query-count", lang, heading=heading, n=len(rows))
        tables.append(QueryTable(count, headers, rows))
    return tuple(tables)


_escape = functools.lru_cache(maxsize=1024)(escape_inline)


def _event_title(event: Event, lang: Lang) -> str:
    """Return an event's title in `lang`, escaped."""
    return _escape((event.title_en if lang == "en" else event.title_ja) or event.id)


def _key_date(item: ScheduledEvent, timeline: Timeline, lang: Lang) -> KeyDate:
    """Return the key-date row of one scheduled event: its dates, each that stays on a
    closed day saying so (the revision on Sunday 7/1), as the timeline's table shows them."""
    event = item.event
    notes: list[str] = []
    when = when_marked(item, timeline, lang)
    if event.is_window:
        notes.append(_escape(moved_note(item.opening, lang, opening=True)))
    notes.append(_escape(moved_note(item.due, lang, opening=False)))
    # The source's words where it gives no day (「5月下旬から」): the day shown is the plan's.
    notes.extend(fuzzy_notes(event, lang))
    if event.assumption_in(lang):
        when += " ※"
        assumed = _escape(event.assumption_in(lang) or "")
        notes.append(text("checklist.assumption-note", lang, assumption=assumed))
    elif item.assumed_from is not None:
        when += " ※"
        source = _event_title(item.assumed_from, lang)
        notes.append(text("timeline.assumed-from", lang, event=source))
    return KeyDate(
        when=when,
        what=_event_title(event, lang),
        section=_escape(event.section) if event.section else "",
        notes=text("text.sep-note", lang).join(n for n in notes if n),
    )


def _key_date_events(agency_plan: AgencyPlan, timeline: Timeline) -> frozenset[str]:
    """Return the events of the agency's key dates: its tasks', the revision, the cutoff."""
    wanted = {EFFECTIVE}
    for task in agency_plan.tasks:
        wanted.add(task.template.due)
        if task.template.window:
            wanted.add(task.template.window)
    cutoff = timeline.calendar.cutoff
    if cutoff is not None:
        wanted.update((cutoff.last_provision, cutoff.requery_from))
    return frozenset(wanted)


def _checklist_facts(
    agency_plan: AgencyPlan, shared: Sequence[tuple[str, str]], as_of: dt.date, lang: Lang
) -> tuple[tuple[str, str], ...]:
    """Return who, which revision, the dates and the progress on `as_of`, as (label, value)
    lines; `shared` are the plan's revision and dates (`plan_facts`), the same on every page."""
    agency = agency_plan.agency
    applicable = agency_plan.applicable
    # One pass over the tasks for every count (a national run makes 1,826 of these).
    # (Counted as each row shows it: a task open until Saturday 6/30 ends is not overdue
    # on 6/30, whatever the plan's business-day due date says.)
    counts = collections.Counter(shown_status(t, as_of) for t in applicable)
    late = counts[TaskStatus.LATE_EXPECTED]
    progress = text(
        "checklist.progress",
        lang,
        done=counts[TaskStatus.DONE],
        applicable=len(applicable),
        overdue=counts[TaskStatus.OVERDUE],
        due_soon=counts[TaskStatus.DUE_SOON],
        late=text("checklist.progress-late", lang, n=late) if late else "",
    )
    who = text(
        "checklist.agency",
        lang,
        name=escape_inline(agency.name),
        code=agency.code,
        kind=kind_label(agency_plan, lang),
    )
    labels = _fact_labels(lang)
    test = (
        "checklist.test-requested-yes" if agency.test_requested else "checklist.test-requested-no"
    )
    return (
        (labels[0], who),
        *shared,
        (labels[1], progress),
        (labels[2], items_text(agency.provides, lang)),
        (labels[3], items_text(agency.new_delegations, lang)),
        (labels[4], text(test, lang)),
    )


@functools.cache
def _fact_labels(lang: Lang) -> tuple[str, ...]:
    """Return the labels of an agency's facts in `lang`."""
    names = ("agency", "progress", "provides", "new-delegations", "test-requested")
    return tuple(text(f"checklist.fact-{name}", lang) for name in names)


def _cutoff_lines(agency_plan: AgencyPlan, timeline: Timeline, lang: Lang) -> tuple[str, ...]:
    """Return the §6 rule for this agency: as provider (if it provides an item) and querier."""
    dates = timeline.cutoff_dates()
    if dates is None:
        return ()
    calendar: RevisionCalendar = timeline.calendar
    names: list[str] = []
    for number in sorted(dates.items):
        item = calendar.item(number)
        short = (item.short_en if lang == "en" else item.short_ja) if item else ""
        if short:
            names.append(text("checklist.cutoff-item-named", lang, n=number, name=_escape(short)))
        else:
            names.append(text("checklist.cutoff-item", lang, n=number))
    said = {
        "items": items_text(dates.items, lang),
        "received": format_day(dates.last_provision, lang),
        "answer_by": format_day(dates.answer_by, lang),
        "effective": format_day(dates.effective, lang),
        "reissue": format_day(dates.reissue_from, lang),
    }
    lines = [text("checklist.cutoff-items", lang, names=text("text.sep-items", lang).join(names))]
    if agency_plan.agency.provides & dates.items:
        lines.append(text("checklist.cutoff-provider-answer", lang, **said))
        lines.append(text("checklist.cutoff-provider-tell", lang))
    lines.append(text("checklist.cutoff-querier-ask", lang))
    lines.append(text("checklist.cutoff-querier-reissue", lang, **said))
    return tuple(lines)


def _common_section(obligations: Sequence[Recurring]) -> str:
    """Return the section every obligation cites first (``§13``), or "" when they differ."""
    firsts = {o.section.split(",")[0].strip() for o in obligations}
    return firsts.pop() if len(firsts) == 1 else ""


def _obligation_assumption(obligation: Recurring, lang: Lang) -> str | None:
    """Return why the obligation's dates are assumed, in `lang` when written in it."""
    if lang == "en" and obligation.assumption_en:
        return obligation.assumption_en
    return obligation.assumption


def _recurring_day(day: dt.date, timeline: Timeline, lang: Lang) -> str:
    """Return a date of a recurring obligation, saying when it is a closed day (5/1/2019 is
    a holiday in a ten-day break): the obligation then falls to the days around it."""
    return closed_day(day, timeline.closed.closure(day), lang)


def _recurring_views(
    timeline: Timeline, as_of: dt.date, obligations: Sequence[Recurring], lang: Lang
) -> tuple[RecurringView, ...]:
    """Return each obligation with its dates in the timeline's span and its next date."""
    labels = _checklist_labels(lang)
    views = []
    for obligation in obligations:
        assumption = _obligation_assumption(obligation, lang)
        marker = " ※" if assumption else ""
        days = [day for rule, day in timeline.recurring if rule == obligation]
        # The next date may lie past the timeline's span: look a year ahead of the as-of date.
        last = dt.date(LAST_YEAR, 12, 31)
        ahead = last if as_of >= last - dt.timedelta(days=366) else as_of + dt.timedelta(days=366)
        upcoming = obligation.occurrences(as_of, ahead) if as_of <= ahead else []
        dates = text("text.sep-list", lang).join(
            f"{_recurring_day(d, timeline, lang)}{marker}" for d in days
        )
        if upcoming and upcoming[0] not in days:
            following = (
                f"{labels.next_occurrence} {_recurring_day(upcoming[0], timeline, lang)}{marker}"
            )
            dates = f"{dates} — {following}" if dates else following
        title = obligation.title_en if lang == "en" else obligation.title_ja
        views.append(
            RecurringView(
                title=_escape(title or obligation.id),
                source=section_note(_escape(obligation.section), lang),
                dates=dates,
                note=_escape((obligation.note_en if lang == "en" else "") or obligation.note_ja),
                assumption=_escape(assumption or ""),
            )
        )
    return tuple(views)


_NOT_APPLICABLE = TaskStatus.NOT_APPLICABLE.value


class ChecklistViews:
    """Makes the checklist view-models (`ChecklistPage`) of one plan in one language.

    What every agency shares — task texts, key-date rows, the cutoff rule — is worked out
    once per plan rather than once per agency (1,826 agencies at national scale).
    """

    def __init__(self, plan: Plan, lang: Lang) -> None:
        """Prepare the shared parts of the checklists of `plan` in `lang`."""
        self.plan = require_instance(plan, Plan, "plan", "common.not-a-plan")
        self.lang = lang = check_lang(lang)
        self.labels = _checklist_labels(lang)
        self.tasks = TaskViews(lang, plan.as_of)
        self._key_dates: dict[frozenset[str], tuple[KeyDate, ...]] = {}
        self._cutoff: dict[bool, tuple[str, ...]] = {}
        self._recurring: dict[tuple[int, ...], tuple[str, tuple[RecurringView, ...]]] = {}
        revision = plan.calendar.revision
        self.revision_title = _escape(revision.title_en if lang == "en" else revision.title_ja)
        #: the revision, its date and the as-of date: the same lines on every page
        self.facts = plan_facts(plan, lang)[:3]
        cutoff = plan.calendar.cutoff
        self.cutoff_heading = self.labels.cutoff + (
            section_note(_escape(cutoff.section), lang) if cutoff else ""
        )

    def key_dates(self, agency_plan: AgencyPlan) -> tuple[KeyDate, ...]:
        """Return the agency's key dates in date order."""
        timeline = self.plan.timeline
        wanted = _key_date_events(agency_plan, timeline)
        found = self._key_dates.get(wanted)
        if found is None:
            found = tuple(
                _key_date(e, timeline, self.lang) for e in timeline.events if e.id in wanted
            )
            self._key_dates[wanted] = found
        return found

    def cutoff(self, agency_plan: AgencyPlan) -> tuple[str, ...]:
        """Return the cutoff rule as it applies to the agency (provider or querier only)."""
        dates = self.plan.timeline.cutoff_dates()
        provides = dates is not None and bool(agency_plan.agency.provides & dates.items)
        found = self._cutoff.get(provides)
        if found is None:
            found = self._cutoff[provides] = _cutoff_lines(
                agency_plan, self.plan.timeline, self.lang
            )
        return found

    def recurring(self, agency_plan: AgencyPlan) -> tuple[str, tuple[RecurringView, ...]]:
        """Return the heading and the recurring obligations (§13) that fall on the agency."""
        timeline = self.plan.timeline
        listed = {rule for rule, _ in timeline.recurring}
        obligations = [
            o
            for o in self.plan.calendar.recurring
            if o in listed and obligation_applies(o, agency_plan.agency)
        ]
        key = tuple(self.plan.calendar.recurring.index(o) for o in obligations)
        found = self._recurring.get(key)
        if found is None:
            heading = self.labels.recurring + section_note(
                _escape(_common_section(obligations)), self.lang
            )
            views = _recurring_views(timeline, self.plan.as_of, obligations, self.lang)
            found = self._recurring[key] = (heading, views)
        return found

    def page(self, agency_plan: AgencyPlan) -> ChecklistPage:
        """Return the view-model of one agency's checklist."""
        lang, labels = self.lang, self.labels
        # sorted() is stable: tasks due the same day keep the calendar's order.
        ordered = sorted(agency_plan.tasks, key=lambda t: t.due.date)
        tasks: list[TaskView] = []
        not_applicable: list[TaskView] = []
        for view in map(self.tasks, ordered):
            (not_applicable if view.status_id == _NOT_APPLICABLE else tasks).append(view)
        key_dates = self.key_dates(agency_plan)
        name = escape_inline(agency_plan.agency.name)
        title = self.revision_title
        recurring_heading, recurring = self.recurring(agency_plan)
        changes = self.plan.what_if
        what_if = (
            agency_what_if_view(
                changes,
                agency_plan,
                lang,
                _key_date_events(agency_plan, self.plan.timeline),
                as_of=self.plan.as_of,
            )
            if changes is not None
            else None
        )
        return ChecklistPage(
            labels=labels,
            title=text("checklist.title", lang, name=name, heading=labels.heading, title=title),
            facts=_checklist_facts(agency_plan, self.facts, self.plan.as_of, lang),
            key_dates=key_dates,
            assumed=any(k.when.endswith("※") for k in key_dates)
            or any(t.assumption for t in tasks)
            or any(r.assumption for r in recurring),
            tasks=tuple(tasks),
            not_applicable=tuple(not_applicable),
            flags=_flags(agency_plan, lang),
            cutoff_heading=self.cutoff_heading,
            cutoff=self.cutoff(agency_plan),
            query_tables=(
                _query_tables(agency_plan.queries, self.plan.timeline, lang)
                if agency_plan.queries
                else ()
            ),
            no_queries=(
                labels.no_queries
                if agency_plan.queries is not None and not agency_plan.queries
                else ""
            ),
            what_if=what_if,
            recurring_heading=recurring_heading,
            recurring=recurring,
        )


class TaskItems:
    """Renders the tasks' items of a checklist (``checklist_task.md.j2``), once per task view.

    The page template prints its tasks with ``task_items(page.tasks)``. Agencies in the same
    state share one view of a task (7,333 views for the 47,888 tasks of the national run),
    so most items are a text already made: the items were two thirds of the pages'
    rendering, and one call a page keeps jinja2's cost of a call out of the loop.
    """

    def __init__(
        self, lang: Lang, templates: TemplateDir = None, *, name: str = TASK_TEMPLATE
    ) -> None:
        """Prepare the items of `lang`, from `templates` when it holds the item template
        `name` (``checklist_task.html.j2`` for the HTML pages)."""
        lang = check_lang(lang)
        self._template = load_template(name, templates)
        self._labels = _checklist_labels(lang)
        # An HTML item is HTML already: the page prints it as it is, not as Markdown text.
        self._finish: Callable[[str], str] = Markup if is_html(name) else str
        # By identity, each view kept alive beside its text (so that no id is reused).
        self._made: dict[int, tuple[object, str]] = {}

    def _item(self, task: TaskView) -> str:
        """Return the item of `task` (a name a template cannot reach: the sandbox)."""
        made = self._made.get(id(task))
        if made is None:
            item = render_template(self._template, task=task, labels=self._labels)
            made = self._made[id(task)] = (task, item)
        return made[1]

    def __call__(self, tasks: Sequence[TaskView]) -> str:
        """Return the items of `tasks` (a page's ``page.tasks``), in their order."""
        for task in tasks:
            if not isinstance(task, TaskView):
                # (Said at the page's line, not inside the item template it would fail in.)
                msg = f"task_items() takes page.tasks, not {type(task).__name__} values"
                raise TypeError(msg)
        return self._finish("".join(map(self._item, tasks)))


def render_page(template: jinja2.Template, page: ChecklistPage, task_items: TaskItems) -> str:
    """Return a checklist page rendered with `template` (checklist.md.j2 or a user's)."""
    return render_template(template, page=page, task_items=task_items)


def checklist_page(agency_plan: AgencyPlan, plan: Plan, *, lang: str = "ja") -> ChecklistPage:
    """Return the view-model of one agency's checklist (what checklist.md.j2 receives)."""
    return ChecklistViews(plan, check_lang(lang)).page(agency_plan)


def render_checklist(
    agency_plan: AgencyPlan,
    plan: Plan,
    *,
    lang: Lang = "ja",
    templates: TemplateDir = None,
) -> str:
    """Return one agency's checklist as Markdown (Japanese by default, English with "en").

    `templates` is a directory whose ``checklist.md.j2`` replaces the shipped one. When
    the plan was made with a queries file, the checklist lists the agency's own queries
    around the cutoff, as provider and as querier.
    """
    require_instance(agency_plan, AgencyPlan, "agency_plan", "common.not-an-agency-plan")
    require_instance(plan, Plan, "plan", "common.not-a-plan")
    language = check_lang(lang)
    template = load_template(CHECKLIST_TEMPLATE, templates)
    page = render_page(
        template, checklist_page(agency_plan, plan, lang=language), TaskItems(language, templates)
    )
    return gloss(page) if language == "en" else page
