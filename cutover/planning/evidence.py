"""Evidence that counts for no task, and why: a mistyped task id, a date outside the window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence

from cutover.calendar.model import RevisionCalendar, TaskTemplate
from cutover.errors import require_instance, suggest
from cutover.i18n.catalogue import Lang, Msg, text
from cutover.i18n.text import DataText, Joined, Numbers, Phrase, check_lang
from cutover.inputs.model import Agency, Attempt, AttemptReason, Evidence, Registry
from cutover.planning.flags import Flag, FlagCode
from cutover.planning.model import Plan, Task, TaskStatus
from cutover.schedule.model import ScheduledEvent

__all__ = ["EVIDENCE_FLAGS", "evidence_before_window", "uncounted_evidence"]


#: The flags about evidence rows themselves: what `uncounted_evidence` reports of the files
#: (a failed test run inside its window is a log line not counted too, flagged on its own).
EVIDENCE_FLAGS = frozenset(
    {
        FlagCode.EVIDENCE_UNKNOWN_TASK,
        FlagCode.EVIDENCE_BEFORE_WINDOW,
        FlagCode.EVIDENCE_AFTER_AS_OF,
        FlagCode.EVIDENCE_NOT_COUNTED,
        FlagCode.TEST_FAILED,
    }
)
#: The flags about a row that `uncounted_evidence` reports: the evidence flags, and a
#: readiness report of a modification done on a day after the as-of date (read as planned).
_UNCOUNTED_FLAGS = EVIDENCE_FLAGS | {FlagCode.READINESS_DONE_AFTER_AS_OF}


def _opening_said(opens: dt.date, *, assumed: bool) -> Phrase | dt.date:
    """Return the opening of a window as a message about evidence dated before it says it:
    a date the calendar assumes (※仮定, the source gives none) is said to be one, since
    the real window may have opened earlier (and an assumed date makes no error alone)."""
    return Phrase.of("plan.assumed-opening", opens=opens) if assumed else opens


def evidence_before_window(task_id: str, row: Evidence, window: ScheduledEvent) -> Flag:
    """Return the flag of evidence dated only before its task's `window` opened (in the
    source's dates: re-query "on or after 7/1"): a warning, which says when the opening is
    one the calendar assumes."""
    assumed = window.opening_assumed_from is not None
    advice: tuple[Phrase, ...] = (Phrase.of("plan.record-date-in-window"),)
    if assumed:
        advice = (Phrase.of("plan.assumed-opening-check"), *advice)
    return Flag.of(
        FlagCode.EVIDENCE_BEFORE_WINDOW,
        task=task_id,
        advice=advice,
        task_id=task_id,
        date=row.date,
        row=row,
        opens=_opening_said(window.opening.original, assumed=assumed),
    )


def uncounted_evidence(
    plan: Plan, registry: Registry, lang: Lang = "ja"
) -> list[tuple[Agency, str, str]]:
    """Return every evidence row the plan does not count, as (agency, what, why) in `lang`.

    First each agency's flags about its evidence (`EVIDENCE_FLAGS`: an unknown task, a date
    before the window or after the as-of date, a log line that does not count, a failed test
    run inside its window) and about a readiness row reported done on a day after the as-of
    date (``readiness-done-after-as-of``: not counted done), with the first remedy. Then the
    rows the checklists rightly say nothing of, because other evidence completes their task:
    a row dated after the as-of date or before the window still says something untrue, or
    mistyped. `cutover validate` prints
    them.
    """
    require_instance(plan, Plan, "plan", "common.not-a-plan")
    require_instance(registry, Registry, "registry", "common.not-a-registry")
    language = check_lang(lang)
    as_of = plan.as_of
    found: list[tuple[Agency, str, str]] = []
    for agency_plan in plan.agencies:
        agency = agency_plan.agency
        for flag in agency_plan.flags:
            if flag.code in _UNCOUNTED_FLAGS:
                remedies = flag.remedies(language)
                what = flag.message(language)
                if remedies:
                    what = text("plan.with-remedy", language, message=what, remedy=remedies[0])
                found.append((agency, flag.code.value, what))
        done = {t.id: t for t in agency_plan.tasks if t.status is TaskStatus.DONE}
        for row in registry.evidence_of(agency.code):
            task = done.get(row.task)
            if task is None or row.date == task.done_on:
                continue
            opened = task.start.original if task.start is not None else None
            if row.date > as_of and row.log:
                # An operator's log is not edited: only the as-of date can be wrong.
                why = Phrase.of("plan.uncounted-log-after-as-of", as_of=as_of)
            elif row.date > as_of:
                why = Phrase.of("plan.uncounted-after-as-of", as_of=as_of)
            elif opened is not None and row.date < opened:
                window = task.template.window
                assumed = (
                    window is not None and plan.timeline[window].opening_assumed_from is not None
                )
                why = Phrase.of(
                    "plan.uncounted-before-window", opens=_opening_said(opened, assumed=assumed)
                )
            else:
                continue
            found.append(
                (
                    agency,
                    row.task,
                    text(
                        "plan.uncounted-row",
                        language,
                        where=row.where(language),
                        why=why.text(language),
                    ),
                )
            )
    return found


def _unknown_evidence(
    evidence: Mapping[str, list[Evidence]],
    known: set[str],
    calendar: RevisionCalendar,
    agency: Agency,
    attempts: Iterable[Attempt] = (),
) -> Iterable[Flag]:
    """Yield a flag per evidence row, and per log line that does not count (`attempts`),
    of a task the agency does not have: why, and what to correct where."""
    templates = {t.id: t for t in calendar.tasks}
    rows: dict[str, list[Evidence | Attempt]] = {
        k: list(v) for k, v in evidence.items() if k not in known
    }
    for attempt in attempts:
        if attempt.task not in known:
            rows.setdefault(attempt.task, []).append(attempt)
    for task_id in sorted(rows):
        name, _, qualifier = task_id.partition(":")
        template = templates.get(name)
        for row in rows[task_id]:
            why: Phrase | Msg
            if template is not None:
                # A task of the calendar this agency does not have: say why, and never offer
                # another item's task (a log line of item 3 is no registration of item 8).
                log = isinstance(row, Attempt) or row.log
                why, fix = _why_not_its_task(template, qualifier, calendar, agency, log=log)
            else:
                same = [k for k in sorted(known) if k.partition(":")[2] == qualifier]
                why = suggest(task_id, same) if same else Phrase.of("plan.no-such-task")
                fix = Phrase.of("plan.use-checklist-task-id")
            yield Flag.of(
                FlagCode.EVIDENCE_UNKNOWN_TASK,
                task=task_id,
                advice=(fix,),
                row=row,
                task_id=task_id,
                why=why,
            )


def _why_not_its_task(
    template: TaskTemplate,
    qualifier: str,
    calendar: RevisionCalendar,
    agency: Agency,
    *,
    log: bool = False,
) -> tuple[Phrase, Phrase]:
    """Return why `agency` has no such instance of `template`, and what to correct where.

    A row of an operator's log (`log`) is never to be edited: the advice is about the
    registry, or says the log shows what the agency did.
    """
    row = Phrase.of("plan.row-log" if log else "plan.row-evidence")
    only = Phrase.of("plan.only-log" if log else "plan.only-evidence")
    systems = calendar.revision.systems
    task = template.id
    if template.per == "once" and qualifier:
        return Phrase.of("plan.why-once", task=task), Phrase.of("plan.fix-once", task=task)
    if template.per != "once" and not qualifier:
        per = "item" if template.per == "item" else "system"
        example = f"{task}:2" if template.per == "item" else f"{task}:local-tax"
        return (
            Phrase.of(f"plan.why-no-{per}"),
            Phrase.of(f"plan.fix-no-{per}", example=example),
        )
    if template.per == "system" and qualifier not in systems:
        listed = Joined(tuple(systems), "plan.sep-ids", "plan.sep-ids-or")
        return (
            Phrase.of("plan.why-not-a-system", qualifier=qualifier),
            Phrase.of("plan.fix-not-a-system", listed=listed),
        )
    if template.per == "item" and not qualifier.isdigit():
        return (
            Phrase.of("plan.why-not-an-item", qualifier=qualifier),
            Phrase.of("plan.fix-not-an-item", task=task),
        )
    if template.per == "item":
        n = int(qualifier)
        item = calendar.item(n)
        cutoff = calendar.cutoff.items if calendar.cutoff else frozenset()
        if template.items == "cutoff" and n not in cutoff:
            listed_items = Numbers(tuple(sorted(cutoff)))
            return Phrase.of("plan.why-not-cutoff", n=n, listed=listed_items), only
        delegation = template.items == "registration"
        if item is not None:
            return (
                Phrase.of("plan.why-not-provided", n=n),
                Phrase.of(
                    "plan.fix-not-provided-delegation" if delegation else "plan.fix-not-provided",
                    n=n,
                    row=row,
                ),
            )
        if delegation:
            return (
                Phrase.of("plan.why-not-revised-nor-delegated", n=n),
                Phrase.of("plan.fix-not-delegated", n=n, row=row),
            )
        return Phrase.of("plan.why-not-revised", n=n), only
    when = template.when
    if when.test_requested and not agency.test_requested:
        return Phrase.of("plan.why-no-test-requested"), Phrase.of(
            "plan.fix-test-requested", row=row
        )
    if agency.kind not in when.kinds:
        kind = DataText(agency.kind.label("ja"), agency.kind.value)
        return Phrase.of("plan.why-not-for-kind", kind=kind), Phrase.of("plan.fix-kind", row=row)
    return Phrase.of("plan.why-not-applicable"), Phrase.of("plan.fix-provides", row=row)


def _not_counted(
    attempts: Sequence[Attempt], tasks: Sequence[Task], *, reported: Collection[str] = ()
) -> Iterable[Flag]:
    """Yield one flag per task not done whose log lines did not count (0 records, failed test);
    the tasks in `reported` (a failed test in the window: its own `test-failed` flag) get none,
    and the lines of a task the agency does not have are `_unknown_evidence`'s."""
    by_id = {t.id: t for t in tasks}
    by_task: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_task.setdefault(attempt.task, []).append(attempt)
    for task_id, found in sorted(by_task.items()):
        task = by_id.get(task_id)
        if task_id in reported or task is None:
            continue
        if task.status in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE):
            continue
        title = Phrase.of("plan.quoted-title", title=DataText(task.title_ja, task.title_en))
        zero = any(a.reason is AttemptReason.ZERO_RECORDS for a in found)
        yield Flag.of(
            FlagCode.EVIDENCE_NOT_COUNTED,
            task=task_id,
            section=task.section,
            advice=(Phrase.of("plan.register-again" if zero else "plan.test-again"),),
            title=title,
            attempts=found,
        )
