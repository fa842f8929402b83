"""The coordinator's index of the checklists: every agency's row, the summary, the progress by
week.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from cutover.errors import CutoverError, require_code
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.glossary import gloss
from cutover.i18n.text import check_lang, format_week
from cutover.jp.codes import validate_code
from cutover.planning.chase import chase_list
from cutover.planning.flags import Severity
from cutover.planning.hearings import hearings
from cutover.planning.model import AgencyPlan, Plan, TaskStatus
from cutover.planning.progress import ProgressTable, progress_by_week
from cutover.planning.summary import Summary
from cutover.render.checklist import _escape
from cutover.render.inline import code_span
from cutover.render.markdown import escape_cell
from cutover.render.plan import (
    kind_label,
    plan_facts,
)
from cutover.render.status import shown_status
from cutover.render.summary import (
    ChaseView,
    FlagRow,
    SurveyTable,
    _summary_labels,
    chase_view,
    count_facts,
    flag_rows,
    readiness_tables,
)
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.render.views import labels_of, view_model
from cutover.render.whatif import WhatIfView, what_if_view

if TYPE_CHECKING:
    from cutover.calendar.model import RevisionKind, TaskTemplate

__all__ = [
    "INDEX_TEMPLATE",
    "AgencyRow",
    "IndexPage",
    "ProgressView",
    "index_page",
    "progress_view",
    "render_index",
]

INDEX_TEMPLATE = "index.md.j2"


@view_model
@attrs.frozen
class _IndexLabels:
    """The fixed words of the index, in one language."""

    heading: str
    not_ready: str
    unknown: str
    no_readiness: str
    flags: str
    flag_headers: tuple[str, ...]
    no_flags: str
    chase: str
    chase_note: str
    chase_headers: tuple[str, ...]
    no_chase: str
    chase_assumed: str
    agencies: str
    agency_headers: tuple[str, ...]
    timeline: str
    timeline_assumed: str
    progress: str
    progress_legend: str
    progress_task: str
    progress_undated: str
    progress_done: str
    progress_total: str


@functools.cache
def _index_labels(lang: Lang, kind: RevisionKind = "layout-revision") -> _IndexLabels:
    """Return the fixed words of the index in `lang` (read once per language and kind of
    revision); those it shares with the summary page are the summary's."""
    summary = _summary_labels(lang, kind)
    columns = ("code", "name", "kind", "progress", "overdue", "errors", "warnings")
    return labels_of(
        _IndexLabels,
        "index",
        lang,
        # (Every word of the summary page: the index shows its tables.)
        **attrs.asdict(summary, recurse=False),
        agency_headers=tuple(text(f"index.agency-header-{c}", lang) for c in columns),
    )


# --- the index -----------------------------------------------------------------------------


@view_model
@attrs.frozen
class AgencyRow:
    """One row of the index's agency table."""

    code: str
    #: the name, linked to the agency's checklist
    name: str
    kind: str
    progress: str
    overdue: str
    errors: str
    warnings: str


@view_model
@attrs.frozen
class IndexPage:
    """Everything index.md.j2 prints, as finished strings."""

    labels: _IndexLabels
    title: str
    facts: tuple[tuple[str, str], ...]
    #: None when no readiness.csv was given
    not_ready: SurveyTable | None
    #: None when every agency reported on every system
    unknown: SurveyTable | None
    flags: tuple[FlagRow, ...]
    agency_rule: str
    agencies: tuple[AgencyRow, ...]
    #: the agencies to chase (the summary's list, `cutover.planning.chase`)
    chase: ChaseView
    #: the body of the ```mermaid block (a gantt chart), ending with a newline
    gantt: str
    #: True when a date of the chart is one the calendar assumes (marked ※)
    assumed: bool = False
    #: with --shift: what the shifts changed, tasks grouped by template
    what_if: WhatIfView | None = None
    #: tasks done per template and week; None when no evidence has a date
    progress: ProgressView | None = None


@view_model
@attrs.frozen
class ProgressView:
    """The progress-over-time table of the index, as finished cells."""

    heading: str
    legend: str
    headers: tuple[str, ...]
    #: the delimiter row, between the outer pipes
    rule: str
    #: one row per task template, then the totals
    rows: tuple[tuple[str, ...], ...]


def progress_view(
    table: ProgressTable, lang: Lang, tasks: Iterable[TaskTemplate] = ()
) -> ProgressView | None:
    """Return the progress table as finished cells, or None when no evidence has a date.

    A row is named by its template's title in `lang` (`tasks`, the calendar's; what each
    task fills in written ○○), then its id; by the id alone when `tasks` lacks it."""
    if not table:
        return None
    labels = _index_labels(lang)
    blank = text("index.progress-any", lang)
    titles = {t.id: escape_cell(t.title_of_all(lang, blank)) for t in tasks}

    def named(template: str) -> str:
        title = titles.get(template)
        return f"{title} {code_span(template)}" if title else code_span(template)

    headers = (
        labels.progress_task,
        *(format_week(w, lang) for w in table.weeks),
        labels.progress_undated,
        labels.progress_done,
    )
    rows = tuple(
        (
            named(row.template) if row.template else f"**{labels.progress_total}**",
            *(str(n) for n in row.cumulative),
            str(row.undated),
            f"{row.done}/{row.applicable}",
        )
        for row in (*table.rows, table.totals)
    )
    return ProgressView(
        heading=labels.progress,
        legend=labels.progress_legend,
        headers=headers,
        rule="---|" + "---:|" * (len(headers) - 1),
        rows=rows,
    )


def _agency_row(
    agency_plan: AgencyPlan, as_of: dt.date, lang: Lang, links: Mapping[str, str]
) -> AgencyRow:
    """Return one agency's row of the index table on `as_of`, its name linked to the file
    `links` maps its ``<code>.md`` to (that name itself when it maps none). Its overdue
    tasks are those its checklist shows overdue (`shown_status`)."""
    agency = agency_plan.agency
    page = _checklist_name(agency.code)
    flags = agency_plan.flags
    errors = sum(1 for f in flags if f.severity is Severity.ERROR)
    warnings = sum(1 for f in flags if f.severity is Severity.WARNING)
    overdue = sum(1 for t in agency_plan.tasks if shown_status(t, as_of) is TaskStatus.OVERDUE)
    return AgencyRow(
        code=agency.code,
        name=f"[{escape_cell(agency.name)}]({links.get(page, page)})",
        kind=kind_label(agency_plan, lang),
        progress=f"{agency_plan.done}/{len(agency_plan.applicable)}",
        overdue=str(overdue),
        errors=str(errors),
        warnings=str(warnings),
    )


def index_page(
    plan: Plan,
    summary: Summary,
    *,
    lang: str = "ja",
    links: Mapping[str, str] | None = None,
) -> IndexPage:
    """Return the view-model of the coordinator's index (what index.md.j2 receives); `links`
    maps an agency's ``<code>.md`` to the file its checklist was written to, when named
    otherwise (``312011_鳥取市.md``)."""
    from cutover.render.timeline import assumes_dates, timeline_mermaid

    lang = check_lang(lang)
    revision = plan.calendar.revision
    labels = _index_labels(lang, revision.kind)
    title = _escape(revision.title_en if lang == "en" else revision.title_ja)
    not_ready, unknown = readiness_tables(summary, lang)
    return IndexPage(
        labels=labels,
        title=text("render.page-title", lang, title=title, heading=labels.heading),
        # The last summary fact is the queries line, when the plan was made with a queries file.
        facts=plan_facts(plan, lang) + count_facts(summary, lang),
        not_ready=not_ready,
        unknown=unknown,
        flags=flag_rows(summary, lang),
        agency_rule="---|---|---|---:|---:|---:|---:|",
        agencies=tuple(_agency_row(a, plan.as_of, lang, links or {}) for a in plan.agencies),
        chase=chase_view(chase_list(plan, hearings(plan)), lang),
        gantt=timeline_mermaid(plan.timeline, lang=lang),
        assumed=assumes_dates(plan.timeline, lang),
        what_if=(what_if_view(plan.what_if, lang) if plan.what_if is not None else None),
        progress=progress_view(progress_by_week(plan), lang, plan.calendar.tasks),
    )


def render_index(
    plan: Plan,
    summary: Summary,
    *,
    lang: Lang = "ja",
    templates: TemplateDir = None,
    links: Mapping[str, str] | None = None,
) -> str:
    """Return the coordinator's index.md: survey table, flag counts, the agencies to chase,
    agencies (each linked to its ``<code>.md``, or to the file `links` maps that to),
    timeline."""
    language = check_lang(lang)
    template = load_template(INDEX_TEMPLATE, templates)
    for code in links or ():
        require_code(code, "links")  # (keyed 312011, no agency's link was ever found)
    view = index_page(plan, summary, lang=language, links=links)
    page = render_template(template, page=view)
    return gloss(page) if language == "en" else page


_FILE_CODE = re.compile(r"[0-9]{6}")


def _checklist_name(code: str) -> str:
    """Return the file name of an agency's checklist, from its code (never from free text)."""
    if _FILE_CODE.fullmatch(code) is None or validate_code(code) != code:
        raise CutoverError.of("index.code-not-a-file-name", agency=code)
    return f"{code}.md"
