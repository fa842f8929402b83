"""Per-agency checklists and the coordinator's index, as Markdown files.

`render_checklist` gives one agency's checklist: who and which revision, the key dates
(wareki with weekday in Japanese, ISO with weekday in English; dates moved off closed
days say so; assumed dates marked ※), the tasks as a GFM task list with what exactly to
do, by when and what proves it, the tasks that do not apply, the recurring obligations
(§13) that fall on the agency, the flags with their remedies, and the cutoff rule for
pending queries (§6). `render_index` gives the coordinator's page: the §3 survey table,
flag counts, every agency with its progress linked to its checklist, the progress over
time by week (`cutover.progress`, when evidence has dates), and the timeline as a Mermaid
gantt block. A plan made with ``--shift`` (`cutover.whatif`) also says, on both pages,
what the shifts changed (`cutover.render.whatif`). `write_checklists`
renders all of them first and then writes ``DIR/<code>.md`` and ``DIR/index.md``, each
atomically.

Templates (``checklist.md.j2``, ``index.md.j2``) receive frozen view-models of finished,
Markdown-escaped strings; see `cutover.render.templating` for overrides and the sandbox.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from pathlib import Path

import attrs

from cutover.businessdays import LAST_YEAR
from cutover.calendar import EFFECTIVE, Recurring, RevisionCalendar
from cutover.codes import validate_code
from cutover.errors import CutoverError, printable
from cutover.fileio import write_text
from cutover.flags import Severity
from cutover.planner import AgencyPlan, AgencyQueries, Plan, TaskStatus, obligation_applies
from cutover.progress import ProgressTable, progress_by_week
from cutover.render.markdown import escape_cell, escape_inline
from cutover.render.plan import (
    FlagView,
    TaskView,
    TaskViews,
    flag_view,
    kind_label,
    plan_facts,
)
from cutover.render.templating import TemplateDir, load_template, render_template, view_model
from cutover.render.text import (
    Lang,
    check_lang,
    code_span,
    format_day,
    format_span,
    moved_note,
    section_note,
)
from cutover.render.whatif import WhatIfView, agency_what_if_view, what_if_view
from cutover.summary import (
    FlagRow,
    Summary,
    SurveyTable,
    flag_rows,
    readiness_tables,
    summarize,
    summary_facts,
)
from cutover.timeline import ScheduledEvent, Timeline
from cutover.wareki import format_wareki

__all__ = [
    "CHECKLIST_TEMPLATE",
    "INDEX_FILE",
    "INDEX_TEMPLATE",
    "AgencyRow",
    "ChecklistPage",
    "ChecklistViews",
    "IndexPage",
    "KeyDate",
    "ProgressView",
    "RecurringView",
    "checklist_file",
    "checklist_page",
    "index_page",
    "progress_view",
    "render_checklist",
    "render_index",
    "stale_checklists",
    "write_checklists",
]

#: The template names a ``--templates`` directory may override.
CHECKLIST_TEMPLATE = "checklist.md.j2"
INDEX_TEMPLATE = "index.md.j2"
#: The coordinator's page, beside the ``<code>.md`` checklists.
INDEX_FILE = "index.md"

_FILE_CODE = re.compile(r"[0-9]{6}")


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


_CHECKLIST_LABELS: dict[Lang, _ChecklistLabels] = {
    "ja": _ChecklistLabels(
        heading="チェックリスト",
        key_dates="主な日程",
        key_date_headers=("日付", "内容", "出典", "備考"),
        assumed=(
            "※ は資料に日付がなく、カレンダーが仮定した日付。J-LIS・総務省から示される日付で"
            "確認すること。"
        ),
        tasks="作業",
        tasks_legend=(
            "期限の順。完了したら evidence.csv に団体コード・作業ID（各作業の末尾）・実施日を"
            "記入する。"
        ),
        no_tasks="この団体に該当する作業はない。",
        status="状況",
        due="期限",
        window="期間",
        done_on="完了日",
        detail="内容",
        note="注記",
        evidence="記録するもの",
        remedy="遅れる場合",
        remedy_too_late="期限を過ぎたため",
        not_applicable="対象外の作業",
        not_applicable_why="readiness.csv で対象外と報告",
        flags="指摘事項",
        no_flags="指摘はない。",
        flag_task="作業",
        flag_remedy="対応",
        cutoff="提供の締切前後の照会",
        no_queries="照会ファイルに、この団体が情報提供者又は情報照会者として対応すべき照会はない。",
        recurring="定期的な対応",
        next_occurrence="次回",
        assumption="※仮定",
    ),
    "en": _ChecklistLabels(
        heading="checklist",
        key_dates="Key dates",
        key_date_headers=("Date", "What", "Source", "Notes"),
        assumed=(
            "※ marks a date the source does not give: the calendar assumes it. Confirm it "
            "against the dates J-LIS or the ministry announce."
        ),
        tasks="Tasks",
        tasks_legend=(
            "In order of due date. When a task is done, add a row to evidence.csv: agency "
            "code, task id (at the end of each task) and the date."
        ),
        no_tasks="No task applies to this agency.",
        status="Status",
        due="Due",
        window="Window",
        done_on="Done",
        detail="What to do",
        note="Note",
        evidence="Record",
        remedy="If late",
        remedy_too_late="Now that the date has passed",
        not_applicable="Tasks that do not apply",
        not_applicable_why="reported not applicable in readiness.csv",
        flags="Flags",
        no_flags="No flags.",
        flag_task="Task",
        flag_remedy="Remedy",
        cutoff="Pending queries around the cutoff",
        no_queries=(
            "The queries file holds no query this agency must act on, as provider or querier."
        ),
        recurring="Recurring obligations",
        next_occurrence="next",
        assumption="※ assumption",
    ),
}


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


@view_model
@attrs.frozen
class RecurringView:
    """A recurring obligation (§13) in a checklist, as finished strings."""

    title: str
    #: the section as it follows the title: ``（§13）`` / `` (§13)``
    source: str
    #: its dates within the timeline's span, and the next one from the as-of date
    dates: str
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


#: The columns of the four query lists (to answer, awaiting, to re-issue, unanswerable): the
#: last column is the provider's due date in the first two, the re-issue day in the others.
_QUERY_HEADERS: dict[Lang, tuple[tuple[str, ...], ...]] = {
    "ja": (
        ("照会番号", "情報照会者", "特定個人情報", "受付日時（JST）", "提供期限"),
        ("照会番号", "情報提供者", "特定個人情報", "照会日時（JST）", "情報提供者の提供期限"),
        ("照会番号", "情報提供者", "特定個人情報", "照会日時（JST）", "再照会の開始"),
        ("照会番号", "情報照会者", "特定個人情報", "受付日時（JST）", "再照会の開始"),
    ),
    "en": (
        ("query id", "querier", "item", "received (JST)", "due"),
        ("query id", "provider", "item", "sent (JST)", "provider's due"),
        ("query id", "provider", "item", "sent (JST)", "re-issue from"),
        ("query id", "querier", "item", "received (JST)", "re-issued from"),
    ),
}


def _query_tables(own: AgencyQueries, timeline: Timeline, lang: Lang) -> tuple[QueryTable, ...]:
    """Return the agency's non-empty query lists: as provider, then as querier."""
    rule = timeline.cutoff_dates()
    if rule is None:
        return ()
    to_answer, awaiting, to_reissue, unanswerable = _QUERY_HEADERS[lang]
    answer_by = format_day(rule.answer_by, lang)
    # §6: the querier withdraws what is unanswered on the last provision day (6/30), not on
    # the provider's last business day (6/29): a request may still be answered on 6/30.
    last = format_day(rule.last_provision, lang)
    reissue = format_day(rule.reissue_from, lang)
    if lang == "ja":
        headings = (
            f"情報提供者として: 期限（原則 {answer_by}）までに情報提供する提供の求め",
            f"情報照会者として: 回答待ちの照会（{last}までに提供されなければ取りやめ、"
            f"{reissue}以降に再照会）",
            f"情報照会者として: 取りやめて{reissue}以降に再照会する照会",
            "情報提供者として: 締切後は情報提供できない提供の求め"
            "（情報照会者が取りやめ・再照会する）",
        )
        count = "（{n}件）"
    else:
        headings = (
            f"As provider: requests to answer by their due date (as a rule {answer_by})",
            f"As querier: queries awaiting an answer (withdraw and re-issue from {reissue} "
            f"if unanswered by {last})",
            f"As querier: queries to withdraw and re-issue from {reissue}",
            "As provider: requests that can no longer be answered (the querier re-issues them)",
        )
        count = " ({n})"
    lists = (
        (own.to_answer, to_answer, True),
        (own.awaiting, awaiting, False),
        (own.to_reissue, to_reissue, False),
        (own.unanswerable, unanswerable, True),
    )
    tables = []
    for heading, (results, headers, provider_side) in zip(headings, lists, strict=True):
        if not results:
            continue
        rows = tuple(
            QueryRow(
                query_id=escape_cell(r.query.query_id),
                other=escape_cell(r.query.querier if provider_side else r.query.provider),
                item=f"{r.query.item}番" if lang == "ja" else str(r.query.item),
                requested=r.query.requested.strftime("%Y-%m-%d %H:%M"),
                due=format_day(r.due, lang) if r.due else "—",
            )
            for r in results
        )
        tables.append(QueryTable(heading + count.format(n=len(rows)), headers, rows))
    return tuple(tables)


_escape = functools.lru_cache(maxsize=1024)(escape_inline)


def _event_title(item: ScheduledEvent, lang: Lang) -> str:
    """Return an event's title in `lang`, escaped."""
    event = item.event
    return _escape((event.title_ja if lang == "ja" else event.title_en) or event.id)


def _key_date(item: ScheduledEvent, lang: Lang) -> KeyDate:
    """Return the key-date row of one scheduled event."""
    event = item.event
    notes: list[str] = []
    if event.is_window:
        when = format_span(item.opening.date, item.due.date, lang)
        notes.append(moved_note(item.opening, lang, opening=True))
    else:
        when = format_day(item.due.date, lang)
    notes.append(moved_note(item.due, lang, opening=False))
    if event.assumption_in(lang):
        when += " ※"
        assumed = _escape(event.assumption_in(lang) or "")
        notes.append(f"※仮定: {assumed}" if lang == "ja" else f"※ assumption: {assumed}")
    return KeyDate(
        when=when,
        what=_event_title(item, lang),
        section=_escape(event.section) if event.section else "",
        notes=("／" if lang == "ja" else "; ").join(n for n in notes if n),
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


def _items_text(numbers: frozenset[int], lang: Lang) -> str:
    """Return item numbers as a reader writes them: 2番・21番 / 2, 21; なし / none."""
    if not numbers:
        return "なし" if lang == "ja" else "none"
    if lang == "ja":
        return "・".join(f"{n}番" for n in sorted(numbers))
    return ", ".join(str(n) for n in sorted(numbers))


def _checklist_facts(
    agency_plan: AgencyPlan, plan: Plan, lang: Lang
) -> tuple[tuple[str, str], ...]:
    """Return who, which revision, the dates and the progress, as (label, value) lines."""
    agency = agency_plan.agency
    name = escape_inline(agency.name)
    kind = kind_label(agency_plan, lang)
    applicable = agency_plan.applicable
    overdue = sum(1 for t in applicable if t.status is TaskStatus.OVERDUE)
    due_soon = sum(1 for t in applicable if t.status is TaskStatus.DUE_SOON)
    revision, *dates = plan_facts(plan, lang)[:3]
    if lang == "ja":
        progress = (
            f"完了 {agency_plan.done} / {len(applicable)}"
            f"（期限超過 {overdue}、期限間近 {due_soon}）"
        )
        return (
            ("団体", f"{name}（団体コード {agency.code}、{kind}）"),
            revision,
            *dates,
            ("進捗", progress),
            ("提供する特定個人情報", _items_text(agency.provides, lang)),
            ("新たな委任受任", _items_text(agency.new_delegations, lang)),
            ("機関間試験の実施希望", "あり" if agency.test_requested else "なし"),
        )
    progress = (
        f"{agency_plan.done} of {len(applicable)} done ({overdue} overdue, {due_soon} due soon)"
    )
    return (
        ("Agency", f"{name} (code {agency.code}, {kind})"),
        revision,
        *dates,
        ("Progress", progress),
        ("Items provided", _items_text(agency.provides, lang)),
        ("New delegations", _items_text(agency.new_delegations, lang)),
        ("Inter-agency test requested", "yes" if agency.test_requested else "no"),
    )


def _cutoff_lines(agency_plan: AgencyPlan, timeline: Timeline, lang: Lang) -> tuple[str, ...]:
    """Return the §6 rule for this agency: as provider (if it provides an item) and querier."""
    dates = timeline.cutoff_dates()
    if dates is None:
        return ()
    calendar: RevisionCalendar = timeline.calendar
    names: list[str] = []
    for number in sorted(dates.items):
        item = calendar.item(number)
        short = (item.short_ja if lang == "ja" else item.short_en) if item else ""
        if lang == "ja":
            names.append(f"{number}番（{_escape(short)}）" if short else f"{number}番")
        else:
            names.append(f"item {number} ({_escape(short)})" if short else f"item {number}")
    numbers = _items_text(dates.items, lang)
    received = format_day(dates.last_provision, lang)
    answer_by = format_day(dates.answer_by, lang)
    effective = format_day(dates.effective, lang)
    reissue = format_day(dates.reissue_from, lang)
    provides = bool(agency_plan.agency.provides & dates.items)
    lines: list[str] = []
    if lang == "ja":
        lines.append("対象の特定個人情報: " + "・".join(names))
        if provides:
            lines.append(
                f"情報提供者として: {received}までに受けた提供の求め（{numbers}）には、"
                f"{answer_by}（最終の開庁日）までに情報提供する（一時入力を含む）。"
                f"{effective}以降は情報提供できない。"
            )
            lines.append(
                "情報提供者として: 即時に提供できない照会について情報照会者から問合せがあれば、"
                "提供時期の目安又は即時に提供できない事由を説明する。"
            )
        lines.append(
            "情報照会者として: 即時に提供されない照会は、必要に応じて情報提供者に問い合わせる。"
        )
        lines.append(
            f"情報照会者として: {received}までに提供されない照会（{numbers}）は取りやめ、"
            f"{effective}以降に再照会する（開庁日では{reissue}から）。"
        )
        return tuple(lines)
    lines.append("Items: " + ", ".join(names))
    if provides:
        lines.append(
            f"As provider: answer every request for items {numbers} received by {received} "
            f"by {answer_by} (the last business day; temporary input included). "
            f"From {effective} it can no longer be answered."
        )
        lines.append(
            "As provider: when a querier asks about a request you cannot answer at once, "
            "tell them when the answer will come, or why it cannot come at once."
        )
    lines.append("As querier: ask the provider about any query that is not answered at once.")
    lines.append(
        f"As querier: withdraw queries for items {numbers} not answered by {received}, and "
        f"re-issue them on or after {effective} (from {reissue}, the first business day)."
    )
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
    closure = timeline.closed.closure(day)
    if closure is None:
        return format_day(day, lang)
    reason = closure.ja if lang == "ja" else closure.en
    return (
        f"{format_day(day, lang)}（閉庁日: {_escape(reason)}）"
        if lang == "ja"
        else f"{format_day(day, lang)} (closed: {_escape(reason)})"
    )


def _recurring_views(
    timeline: Timeline, as_of: dt.date, obligations: Sequence[Recurring], lang: Lang
) -> tuple[RecurringView, ...]:
    """Return each obligation with its dates in the timeline's span and its next date."""
    labels = _CHECKLIST_LABELS[lang]
    views = []
    for obligation in obligations:
        assumption = _obligation_assumption(obligation, lang)
        marker = " ※" if assumption else ""
        days = [day for rule, day in timeline.recurring if rule == obligation]
        # The next date may lie past the timeline's span: look a year ahead of the as-of date.
        last = dt.date(LAST_YEAR, 12, 31)
        ahead = last if as_of >= last - dt.timedelta(days=366) else as_of + dt.timedelta(days=366)
        upcoming = obligation.occurrences(as_of, ahead) if as_of <= ahead else []
        dates = ("、" if lang == "ja" else ", ").join(
            f"{_recurring_day(d, timeline, lang)}{marker}" for d in days
        )
        if upcoming and upcoming[0] not in days:
            following = (
                f"{labels.next_occurrence} {_recurring_day(upcoming[0], timeline, lang)}{marker}"
            )
            dates = f"{dates} — {following}" if dates else following
        title = obligation.title_ja if lang == "ja" else obligation.title_en
        views.append(
            RecurringView(
                title=_escape(title or obligation.id),
                source=section_note(_escape(obligation.section), lang),
                dates=dates,
                assumption=_escape(assumption or ""),
            )
        )
    return tuple(views)


class ChecklistViews:
    """Makes the checklist view-models (`ChecklistPage`) of one plan in one language.

    What every agency shares — task texts, key-date rows, the cutoff rule — is worked out
    once per plan rather than once per agency (1,826 agencies at national scale).
    """

    def __init__(self, plan: Plan, lang: Lang) -> None:
        """Prepare the shared parts of the checklists of `plan` in `lang`."""
        self.plan = plan
        self.lang = lang
        self.labels = _CHECKLIST_LABELS[lang]
        self.tasks = TaskViews(lang, plan.as_of)
        self._key_dates: dict[frozenset[str], tuple[KeyDate, ...]] = {}
        self._cutoff: dict[bool, tuple[str, ...]] = {}
        self._recurring: dict[tuple[int, ...], tuple[str, tuple[RecurringView, ...]]] = {}
        revision = plan.calendar.revision
        self.revision_title = _escape(revision.title_ja if lang == "ja" else revision.title_en)
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
            found = tuple(_key_date(e, self.lang) for e in timeline.events if e.id in wanted)
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
        views = [self.tasks(t) for t in ordered]
        tasks = tuple(v for v in views if v.status_id != TaskStatus.NOT_APPLICABLE.value)
        not_applicable = tuple(v for v in views if v.status_id == TaskStatus.NOT_APPLICABLE.value)
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
            )
            if changes is not None
            else None
        )
        return ChecklistPage(
            labels=labels,
            title=(
                f"{name} {labels.heading}（{title}）"
                if lang == "ja"
                else f"{name}: {labels.heading} ({title})"
            ),
            facts=_checklist_facts(agency_plan, self.plan, lang),
            key_dates=key_dates,
            assumed=any(k.when.endswith("※") for k in key_dates)
            or any(t.assumption for t in tasks)
            or any(r.assumption for r in recurring),
            tasks=tasks,
            not_applicable=not_applicable,
            flags=tuple(flag_view(f, lang) for f in agency_plan.flags),
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


def checklist_page(agency_plan: AgencyPlan, plan: Plan, *, lang: str = "ja") -> ChecklistPage:
    """Return the view-model of one agency's checklist (what checklist.md.j2 receives)."""
    return ChecklistViews(plan, check_lang(lang)).page(agency_plan)


def render_checklist(
    agency_plan: AgencyPlan,
    plan: Plan,
    *,
    lang: str = "ja",
    templates: TemplateDir = None,
) -> str:
    """Return one agency's checklist as Markdown (Japanese by default, English with "en").

    `templates` is a directory whose ``checklist.md.j2`` replaces the shipped one. When
    the plan was made with a queries file, the checklist lists the agency's own queries
    around the cutoff, as provider and as querier.
    """
    language = check_lang(lang)
    template = load_template(CHECKLIST_TEMPLATE, templates)
    return render_template(template, page=checklist_page(agency_plan, plan, lang=language))


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


def _checklist_name(code: str) -> str:
    """Return the file name of an agency's checklist, from its code (never from free text)."""
    if _FILE_CODE.fullmatch(code) is None or validate_code(code) != code:
        raise CutoverError(
            f"agency code {code!r} cannot name a checklist file",
            fix="give 6-digit 全国地方公共団体コード with their check digits",
        )
    return f"{code}.md"


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


# --- writing -------------------------------------------------------------------------------


def stale_checklists(plan: Plan, out_dir: str | Path) -> list[Path]:
    """Return the ``<code>.md`` files in `out_dir` of agencies that are not in `plan`.

    `write_checklists` leaves them alone (they may be the user's), but a folder sent out
    with one would carry a checklist that is no longer true: the command warns of each.
    """
    directory = Path(out_dir)
    if not directory.is_dir():
        return []
    codes = {a.agency.code for a in plan.agencies}
    return sorted(
        path
        for path in directory.glob("*.md")
        if _FILE_CODE.fullmatch(path.stem) is not None and path.stem not in codes
    )


def checklist_file(name: str) -> bool:
    """Return True for the name of a file `write_checklists` may write (``index.md``,
    ``<code>.md``): the command line refuses an --out folder where such a file is an input."""
    if name == INDEX_FILE:
        return True
    return name.endswith(".md") and _FILE_CODE.fullmatch(name[:-3]) is not None


def write_checklists(
    plan: Plan,
    out_dir: str | Path,
    *,
    lang: str = "ja",
    templates: TemplateDir = None,
) -> list[Path]:
    """Write ``<code>.md`` for every agency and ``index.md`` into `out_dir`; return the paths.

    Every page is rendered before any file is written, so a template error leaves the
    directory as it was; each file is then replaced atomically. The paths come back in
    code order, ``index.md`` last. Files of agencies no longer in the plan are left alone.
    """
    language = check_lang(lang)
    directory = Path(out_dir)
    if directory.exists() and not directory.is_dir():
        raise CutoverError(
            "cannot write here: this is a file, and the checklists go into a folder",
            fix="give the name of a folder (a new one is created)",
            file=printable(str(directory)),
        )
    checklist = load_template(CHECKLIST_TEMPLATE, templates)
    checklists = ChecklistViews(plan, language)
    pages: list[tuple[Path, str]] = []
    for agency_plan in plan.agencies:
        name = _checklist_name(agency_plan.agency.code)
        text = render_template(checklist, page=checklists.page(agency_plan))
        pages.append((directory / name, text))
    index = render_index(plan, summarize(plan), lang=language, templates=templates)
    pages.append((directory / INDEX_FILE, index))
    for path, text in pages:
        write_text(path, text)
    return [path for path, _ in pages]
