"""The coordinator's index of the checklists: every agency's row, the summary, the progress by
week.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from cutover.errors import CutoverError
from cutover.i18n.text import Lang, check_lang
from cutover.jp.codes import validate_code
from cutover.jp.wareki import format_wareki
from cutover.plan.flags import Severity
from cutover.plan.model import AgencyPlan, Plan, TaskStatus
from cutover.plan.progress import ProgressTable, progress_by_week
from cutover.plan.summary import Summary
from cutover.render.checklist import _escape
from cutover.render.inline import code_span
from cutover.render.markdown import escape_cell
from cutover.render.plan import (
    kind_label,
    plan_facts,
)
from cutover.render.summary import FlagRow, SurveyTable, flag_rows, readiness_tables, summary_facts
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.render.views import view_model
from cutover.render.whatif import WhatIfView, what_if_view

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
    agencies: str
    agency_headers: tuple[str, ...]
    timeline: str
    progress: str
    progress_legend: str
    progress_task: str
    progress_undated: str
    progress_done: str
    progress_total: str


_INDEX_LABELS: dict[Lang, _IndexLabels] = {
    "ja": _IndexLabels(
        heading="進捗一覧",
        not_ready="データ標準レイアウト改版までの対応状況（未対応団体数）",
        unknown="改修状況の報告がない団体数",
        no_readiness=(
            "改修状況（readiness.csv）が与えられていないため、未対応団体数は集計していない。"
        ),
        flags="指摘の件数",
        flag_headers=("コード", "重大度", "件数"),
        no_flags="指摘はない。",
        agencies="団体一覧",
        agency_headers=("団体コード", "団体名", "種別", "完了/対象", "期限超過", "エラー", "警告"),
        timeline="日程",
        progress="進捗の推移（週ごとの完了数の累計）",
        progress_legend=(
            "各列はその週（月曜日の日付）の日曜日まで（最後の週は基準日まで）に、実績（evidence.csv）"
            "で完了した作業の累計。「日付不明」は readiness.csv で完了と報告され、完了日の記録が"
            "ない作業。基準日より後の日付の実績は数えない。"
        ),
        progress_task="作業",
        progress_undated="日付不明",
        progress_done="完了/対象",
        progress_total="計",
    ),
    "en": _IndexLabels(
        heading="progress",
        not_ready="Readiness before the revision (agencies not ready)",
        unknown="Agencies that reported no readiness",
        no_readiness="No readiness report (readiness.csv) was given: nothing is counted as late.",
        flags="Flags",
        flag_headers=("Code", "Severity", "Count"),
        no_flags="No flags.",
        agencies="Agencies",
        agency_headers=("Code", "Name", "Kind", "Done/applicable", "Overdue", "Errors", "Warnings"),
        timeline="Timeline",
        progress="Progress over time (tasks done, cumulative, by week)",
        progress_legend=(
            "Each column counts the tasks done by the Sunday of the week starting on the "
            "Monday it is dated (the last week: by the as-of date), as evidence.csv records "
            'them. "Date unknown" counts tasks reported done in readiness.csv, which gives '
            "no date. Evidence dated after the as-of date is not counted."
        ),
        progress_task="Task",
        progress_undated="Date unknown",
        progress_done="Done/applicable",
        progress_total="Total",
    ),
}


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
    #: the body of the ```mermaid block (a gantt chart), ending with a newline
    gantt: str
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


def _week_label(monday: dt.date, lang: Lang) -> str:
    """Return a week's column header: its Monday, in wareki (ja) or ISO (en)."""
    return format_wareki(monday, weekday=False) if lang == "ja" else monday.isoformat()


def progress_view(table: ProgressTable, lang: Lang) -> ProgressView | None:
    """Return the progress table as finished cells, or None when no evidence has a date."""
    if not table:
        return None
    labels = _INDEX_LABELS[lang]
    headers = (
        labels.progress_task,
        *(_week_label(w, lang) for w in table.weeks),
        labels.progress_undated,
        labels.progress_done,
    )
    rows = tuple(
        (
            code_span(row.template) if row.template else f"**{labels.progress_total}**",
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


def _agency_row(agency_plan: AgencyPlan, lang: Lang) -> AgencyRow:
    """Return one agency's row of the index table."""
    agency = agency_plan.agency
    flags = agency_plan.flags
    errors = sum(1 for f in flags if f.severity is Severity.ERROR)
    warnings = sum(1 for f in flags if f.severity is Severity.WARNING)
    overdue = sum(1 for t in agency_plan.tasks if t.status is TaskStatus.OVERDUE)
    return AgencyRow(
        code=agency.code,
        name=f"[{escape_cell(agency.name)}]({_checklist_name(agency.code)})",
        kind=kind_label(agency_plan, lang),
        progress=f"{agency_plan.done}/{len(agency_plan.applicable)}",
        overdue=str(overdue),
        errors=str(errors),
        warnings=str(warnings),
    )


def index_page(plan: Plan, summary: Summary, *, lang: str = "ja") -> IndexPage:
    """Return the view-model of the coordinator's index (what index.md.j2 receives)."""
    from cutover.render.timeline import timeline_mermaid

    lang = check_lang(lang)
    labels = _INDEX_LABELS[lang]
    revision = plan.calendar.revision
    title = _escape(revision.title_ja if lang == "ja" else revision.title_en)
    not_ready, unknown = readiness_tables(summary, lang)
    return IndexPage(
        labels=labels,
        title=f"{title} {labels.heading}" if lang == "ja" else f"{title}: {labels.heading}",
        # The last summary fact is the queries line, when the plan was made with a queries file.
        facts=plan_facts(plan, lang) + (summary_facts(summary, lang)[4:]),
        not_ready=not_ready,
        unknown=unknown,
        flags=flag_rows(summary, lang),
        agency_rule="---|---|---|---:|---:|---:|---:|",
        agencies=tuple(_agency_row(a, lang) for a in plan.agencies),
        gantt=timeline_mermaid(plan.timeline, lang=lang),
        what_if=(what_if_view(plan.what_if, lang) if plan.what_if is not None else None),
        progress=progress_view(progress_by_week(plan), lang),
    )


def render_index(
    plan: Plan,
    summary: Summary,
    *,
    lang: str = "ja",
    templates: TemplateDir = None,
) -> str:
    """Return the coordinator's index.md: survey table, flag counts, agencies, timeline."""
    language = check_lang(lang)
    template = load_template(INDEX_TEMPLATE, templates)
    return render_template(template, page=index_page(plan, summary, lang=language))


_FILE_CODE = re.compile(r"[0-9]{6}")


def _checklist_name(code: str) -> str:
    """Return the file name of an agency's checklist, from its code (never from free text)."""
    if _FILE_CODE.fullmatch(code) is None or validate_code(code) != code:
        raise CutoverError(
            f"agency code {code!r} cannot name a checklist file",
            fix="give 6-digit 全国地方公共団体コード with their check digits",
        )
    return f"{code}.md"
