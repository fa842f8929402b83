"""Evidence that counts for no task, and why: a mistyped task id, a date outside the window."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from cutover.calendar.model import RevisionCalendar, TaskTemplate
from cutover.errors import did_you_mean
from cutover.inputs.model import Agency, Attempt, AttemptReason, Evidence, Registry
from cutover.plan.flags import Flag, FlagCode
from cutover.plan.model import Plan, Task, TaskStatus, _en, _ja

if TYPE_CHECKING:
    pass

__all__ = ["EVIDENCE_FLAGS", "uncounted_evidence"]


#: The flags about evidence rows themselves: what `uncounted_evidence` reports of the files.
EVIDENCE_FLAGS = frozenset(
    {
        FlagCode.EVIDENCE_UNKNOWN_TASK,
        FlagCode.EVIDENCE_BEFORE_WINDOW,
        FlagCode.EVIDENCE_AFTER_AS_OF,
        FlagCode.EVIDENCE_NOT_COUNTED,
    }
)


def uncounted_evidence(
    plan: Plan, registry: Registry, lang: str = "ja"
) -> list[tuple[Agency, str, str]]:
    """Return every evidence row the plan does not count, as (agency, what, why) in `lang`.

    First each agency's flags about its evidence (`EVIDENCE_FLAGS`: an unknown task, a date
    before the window or after the as-of date, a log line that does not count), with the
    first remedy. Then the rows the checklists rightly say nothing of, because other
    evidence completes their task: a row dated after the as-of date or before the window
    still says something untrue, or mistyped. `cutover validate` prints them.
    """
    ja = lang != "en"
    as_of = plan.as_of
    found: list[tuple[Agency, str, str]] = []
    for agency_plan in plan.agencies:
        agency = agency_plan.agency
        for flag in agency_plan.flags:
            if flag.code in EVIDENCE_FLAGS:
                remedies = flag.remedies(lang)
                remedy = f" — {remedies[0]}" if remedies else ""
                found.append((agency, flag.code.value, f"{flag.message(lang)}{remedy}"))
        done = {t.id: t for t in agency_plan.tasks if t.status is TaskStatus.DONE}
        for row in registry.evidence_of(agency.code):
            task = done.get(row.task)
            if task is None or row.date == task.done_on:
                continue
            opened = task.start.original if task.start is not None else None
            if row.date > as_of and row.log:
                # An operator's log is not edited: only the as-of date can be wrong.
                why = (
                    f"ログの記録が基準日 {_ja(as_of)} より後（作業は他の実績で完了）"
                    if ja
                    else f"the log records it after the as-of date {_en(as_of)} (the "
                    "task is done by other evidence)"
                )
            elif row.date > as_of:
                why = (
                    f"基準日 {_ja(as_of)} より後の日付のため数えない（作業は他の実績で"
                    "完了）。日付の誤り（元号・年）なら直す"
                    if ja
                    else f"dated after the as-of date {_en(as_of)}, not counted (the "
                    "task is done by other evidence); if the date is wrong (era or year), "
                    "correct it"
                )
            elif opened is not None and row.date < opened:
                why = (
                    f"期間の開始 {_ja(opened)} より前の日付のため数えない（作業は他の"
                    "実績で完了）。日付を確かめる"
                    if ja
                    else f"dated before the window opened ({_en(opened)}), not counted "
                    "(the task is done by other evidence); check the date"
                )
            else:
                continue
            found.append((agency, row.task, f"{row.where(lang)}: {why}"))
    return found


def _unknown_evidence(
    evidence: Mapping[str, list[Evidence]],
    known: set[str],
    calendar: RevisionCalendar,
    agency: Agency,
) -> Iterable[Flag]:
    templates = {t.id: t for t in calendar.tasks}
    for task_id in sorted(set(evidence) - known):
        name, _, qualifier = task_id.partition(":")
        template = templates.get(name)
        for row in evidence[task_id]:
            if template is not None:
                # A task of the calendar this agency does not have: say why, and never offer
                # another item's task (a log line of item 3 is no registration of item 8).
                why_ja, why_en, fix_ja, fix_en = _why_not_its_task(
                    template, qualifier, calendar, agency, log=row.log
                )
            else:
                same = [k for k in sorted(known) if k.partition(":")[2] == qualifier]
                fix = did_you_mean(task_id, same) if same else "this agency has no such task"
                why_ja = why_en = fix
                fix_ja, fix_en = (
                    "作業IDをチェックリストの表記に合わせる。",
                    "Use the task id shown in the checklist.",
                )
            yield Flag(
                FlagCode.EVIDENCE_UNKNOWN_TASK,
                f"{row.where('ja')}の作業 {task_id!r} はこの団体の作業にない（{why_ja}）。",
                f"Evidence row ({row.where('en')}) names task {task_id!r}, which this agency "
                f"does not have ({why_en}).",
                (fix_ja,),
                (fix_en,),
                task_id,
            )


def _why_not_its_task(
    template: TaskTemplate,
    qualifier: str,
    calendar: RevisionCalendar,
    agency: Agency,
    *,
    log: bool = False,
) -> tuple[str, str, str, str]:
    """Return why `agency` has no such instance of `template`, and what to correct where.

    A row of an operator's log (`log`) is never to be edited: the advice is about the
    registry, or says the log shows what the agency did.
    """
    if log:
        row_ja = "ログは運用主体のもので直さない。"
        row_en = "the log is the operator's and is not edited"
        only_ja, only_en = (
            "登録簿（agencies.csv）が正しければ、ログの記録はこの改版の作業に当たらない。",
            "If agencies.csv is right, the log line is no task of this revision.",
        )
    else:
        row_ja = "実績の行が誤りなら直す。"
        row_en = "otherwise correct the evidence row"
        only_ja, only_en = "実績の行を直す。", "Correct the evidence row."
    systems = calendar.revision.systems
    if template.per == "once" and qualifier:
        return (
            f"{template.id} は番号や業務システムを付けない作業",
            f"{template.id} takes no item or system",
            f"作業IDは {template.id} と書く。",
            f"Write the task id as {template.id}.",
        )
    if template.per != "once" and not qualifier:
        example = f"{template.id}:2" if template.per == "item" else f"{template.id}:local-tax"
        part_ja, part_en = (
            ("特定個人情報の番号", "item number")
            if template.per == "item"
            else ("業務システム", "business system")
        )
        return (
            f"作業IDに{part_ja}がない",
            f"the task id lacks its {part_en}",
            f"{example} のように{part_ja}を付けて書く。",
            f"Write the task id with its {part_en}, as {example}.",
        )
    if template.per == "system" and qualifier not in systems:
        listed = ", ".join(systems)
        return (
            f"業務システム '{qualifier}' は改版の業務システムにない",
            f"business system {qualifier!r} is not one of the revision's",
            f"業務システムは {listed} のいずれか（§3 の名称でもよい）で書く。",
            f"Write one of {listed} (or its §3 name).",
        )
    if template.per == "item" and not qualifier.isdigit():
        return (
            f"'{qualifier}' は特定個人情報の番号ではない",
            f"{qualifier!r} is not an item number",
            f"{template.id}:2 のように番号で書く。",
            f"Write the item number, as {template.id}:2.",
        )
    if template.per == "item":
        n = int(qualifier)
        item = calendar.item(n)
        cutoff = calendar.cutoff.items if calendar.cutoff else frozenset()
        if template.items == "cutoff" and n not in cutoff:
            listed = "・".join(str(i) for i in sorted(cutoff))
            return (
                f"{n}番は提供の締切（§6）の対象（{listed}番）ではない",
                f"item {n} is not under the cutoff rule (items {listed.replace('・', ', ')})",
                only_ja,
                only_en,
            )
        delegation = template.items == "registration"
        if item is not None:
            return (
                f"登録簿で{n}番を提供する団体になっていない",
                f"agencies.csv does not list item {n} among what it provides",
                f"{n}番を提供する団体なら agencies.csv の provides に{n}を加える"
                + ("（新たな委任受任なら new_delegations に）。" if delegation else "。")
                + row_ja,
                f"If it provides item {n}, add {n} to provides in agencies.csv"
                + (" (to new_delegations for a new delegation)" if delegation else "")
                + f"; {row_en}.",
            )
        if delegation:
            return (
                f"{n}番は今回の改版の項目ではなく、新たな委任受任にも登録されていない",
                f"item {n} is not revised, and agencies.csv has no new delegation of it",
                f"{n}番の委任受任が新たに生じたなら agencies.csv の new_delegations に{n}を加える。"
                + row_ja,
                f"If a new delegation of item {n} arose, add {n} to new_delegations in "
                f"agencies.csv; {row_en}.",
            )
        return (
            f"{n}番は今回の改版の項目ではない",
            f"item {n} is not revised this time",
            only_ja,
            only_en,
        )
    when = template.when
    if when.test_requested and not agency.test_requested:
        return (
            "登録簿の test_requested が機関間試験を希望していないとしている",
            "agencies.csv says no in test_requested",
            "試験を希望していたなら agencies.csv の test_requested を yes にする。" + row_ja,
            f"If it asked for a test, write yes in test_requested in agencies.csv; {row_en}.",
        )
    if agency.kind not in when.kinds:
        return (
            f"{agency.kind.ja}の作業ではない",
            f"the task is not for a {agency.kind.value}",
            "agencies.csv の kind を確かめる。" + row_ja,
            f"Check kind in agencies.csv; {row_en}.",
        )
    return (
        "この団体には当てはまらない作業",
        "the task does not apply to this agency",
        "agencies.csv の provides・new_delegations を確かめる。" + row_ja,
        f"Check provides and new_delegations in agencies.csv; {row_en}.",
    )


def _not_counted(attempts: Sequence[Attempt], tasks: Sequence[Task]) -> Iterable[Flag]:
    """Yield one flag per task not done whose log lines did not count (0 records, failed test)."""
    by_id = {t.id: t for t in tasks}
    by_task: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_task.setdefault(attempt.task, []).append(attempt)
    for task_id, found in sorted(by_task.items()):
        task = by_id.get(task_id)
        if task is not None and task.status in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE):
            continue
        title_ja = f"「{task.title_ja}」" if task else task_id
        title_en = f"'{task.title_en}'" if task else task_id
        shown = found[:3]
        more_ja = f"ほか{len(found) - 3}件" if len(found) > 3 else ""
        more_en = f"; {len(found) - 3} more" if len(found) > 3 else ""
        lines_ja = "、".join(f"{_ja(a.date)} {a.reason.ja}（{a.where('ja')}）" for a in shown)
        lines_en = "; ".join(f"{_en(a.date)} {a.reason.en} ({a.where('en')})" for a in shown)
        zero = any(a.reason is AttemptReason.ZERO_RECORDS for a in found)
        yield Flag(
            FlagCode.EVIDENCE_NOT_COUNTED,
            f"{title_ja}のログの記録は完了とみなさない: {lines_ja}{more_ja}。",
            f"Log lines for {title_en} do not count as done: {lines_en}{more_en}.",
            ("新版のレイアウトで副本を登録し直し、登録件数が0件でないことを確認する。",)
            if zero
            else ("実施期間内に試験をやり直し、結果が正常であることを確認する。",),
            ("Register again in the new layout and check that records were registered.",)
            if zero
            else ("Run the test again inside the window and check that it succeeds.",),
            task_id,
            task.section if task else "",
        )
