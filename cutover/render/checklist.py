"""Per-agency checklists and the coordinator's index, as Markdown files.

`render_checklist` gives one agency's checklist: who and which revision, the key dates
(wareki with weekday in Japanese, ISO with weekday in English; dates moved off closed
days say so; assumed dates marked ※), the tasks as a GFM task list with what exactly to
do, by when and what proves it, the tasks that do not apply, the recurring obligations
(§13) that fall on the agency, the flags with their remedies, and the cutoff rule for
pending queries (§6). `render_index` gives the coordinator's page: the §3 survey table,
flag counts, every agency with its progress linked to its checklist, the progress over
time by week (`cutover.plan.progress`, when evidence has dates), and the timeline as a Mermaid
gantt block. A plan made with ``--shift`` (`cutover.plan.whatif`) also says, on both pages,
what the shifts changed (`cutover.render.whatif`). `write_checklists`
renders all of them first and then writes ``DIR/<code>.md`` and ``DIR/index.md``, each
atomically.

Templates (``checklist.md.j2``, ``index.md.j2``) receive frozen view-models of finished,
Markdown-escaped strings; see `cutover.render.templating` for overrides and the sandbox.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

import attrs

from cutover.calendar.model import EFFECTIVE, Recurring, RevisionCalendar
from cutover.i18n.text import Lang, check_lang, format_day, format_span, moved_note, section_note
from cutover.jp.closed_days import LAST_YEAR
from cutover.plan.model import AgencyPlan, AgencyQueries, Plan, TaskStatus
from cutover.plan.planner import obligation_applies
from cutover.render.markdown import escape_cell, escape_inline
from cutover.render.plan import (
    FlagView,
    TaskView,
    TaskViews,
    flag_view,
    kind_label,
    plan_facts,
)
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.render.views import view_model
from cutover.render.whatif import WhatIfView, agency_what_if_view
from cutover.schedule.model import ScheduledEvent
from cutover.schedule.timeline import Timeline

__all__ = [
    "CHECKLIST_TEMPLATE",
    "ChecklistPage",
    "ChecklistViews",
    "KeyDate",
    "QueryRow",
    "QueryTable",
    "RecurringView",
    "checklist_page",
    "render_checklist",
]

#: The template names a ``--templates`` directory may override.
CHECKLIST_TEMPLATE = "checklist.md.j2"


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
