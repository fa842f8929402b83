"""The §3 readiness rules: which modification an agency's report (readiness.csv, the survey's
改修状況 sheet) says will not be done before the revision, and the flags of its report.

§3 counts a modification not ready when it is not started, or planned to finish on or after
the day the revision takes effect (`is_not_ready`: the flags and the §3 table of
`cutover.planning.summary` both ask it). A modification ready in time by its report, whose
planned day has passed undone, is to be confirmed (「現在の予定どおり…必ず対応する必要がある」).
A report of a modification done on a day after the as-of date is not known done on that date
(`as_known`): it counts as planned for that day, and is flagged, as evidence dated so is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs

from cutover.calendar.model import RevisionCalendar, TaskTemplate
from cutover.i18n.text import Phrase
from cutover.inputs.model import Readiness
from cutover.jp.vocabulary import BusinessSystem, Side, Status, system_by_id
from cutover.planning.flags import Flag, FlagCode

__all__ = ["Modification", "as_known", "is_not_ready", "modifications", "readiness_flags"]


@attrs.frozen
class Modification:
    """A business system's modification on one side, as readiness.csv reports it."""

    system: BusinessSystem
    #: its key in an agency's reports: (system id, side)
    key: tuple[str, Side]
    #: the calendar's per-system task template of that side, if any, and its task's id
    template: TaskTemplate | None
    task: str | None


def modifications(calendar: RevisionCalendar) -> tuple[tuple[Side, list[Modification]], ...]:
    """Return each side with its modifications, as the §3 flags go through them (worked out
    once per plan, not for each agency)."""
    remedies = {t.side: t for t in calendar.tasks if t.per == "system" and t.side is not None}
    found = []
    for side in Side:
        template = remedies.get(side)
        found.append(
            (
                side,
                [
                    Modification(
                        system_by_id(system_id),
                        (system_id, side),
                        template,
                        f"{template.id}:{system_id}" if template is not None else None,
                    )
                    for system_id in calendar.revision.systems
                ],
            )
        )
    return tuple(found)


def readiness_flags(
    calendar: RevisionCalendar,
    modifications: Sequence[tuple[Side, Sequence[Modification]]],
    readiness: Mapping[tuple[str, Side], Readiness],
    *,
    effective: dt.date,
    as_of: dt.date,
    has_readiness: bool,
    done: Collection[str] = frozenset(),
) -> Iterable[Flag]:
    """Yield the §3 flags of an agency's readiness report (`modifications`: the calendar's,
    from `modifications`), against the day the revision takes `effective` (the timeline's:
    a what-if may move it); a modification whose task is `done` gets none."""
    if not has_readiness:
        return
    # (A day the calendar assumes, the source giving the month: not said as the ministry's.)
    confirm = (
        "plan.confirm-plan-passed-assumed"
        if calendar.revision.assumption
        else "plan.confirm-plan-passed"
    )
    # The day a modification not ready is late for, as the calendar's kind calls it (改版, a
    # master delivery's 適用開始日); one the calendar assumes says so: not the ministry's.
    late_for = Phrase.of(
        f"plan.effective-{calendar.revision.kind}",
        effective=(
            Phrase.of("plan.assumed-effective", effective=effective)
            if calendar.revision.assumption
            else effective
        ),
    )
    for side, found in modifications:
        missing: list[BusinessSystem] = []
        for modification in found:
            system, template = modification.system, modification.template
            if modification.task is not None and modification.task in done:
                continue  # evidence shows it done: the report is behind (done-late if late)
            written = readiness.get(modification.key)
            if written is None:
                missing.append(system)
                continue
            report = as_known(written, as_of)
            if report is not written:
                # Done on a day still to come: 完了 picked for 予定, or the year mistyped.
                yield Flag.of(
                    FlagCode.READINESS_DONE_AFTER_AS_OF,
                    task=modification.task,
                    section="§3",
                    advice=(Phrase.of("plan.correct-done-after-as-of"),),
                    side=side,
                    systems=(system,),
                    report=written,
                    date=report.day,
                    as_of=as_of,
                )
            if not is_not_ready(report, effective, as_of):
                if (
                    report.status is Status.PLANNED
                    and report.day is not None
                    and report.day < as_of
                ):
                    # Ready in time by the report, but its own day has passed undone (§3:
                    # 「現在の予定どおり…必ず対応」): to confirm, not yet late for the revision.
                    yield Flag.of(
                        FlagCode.READINESS_PLAN_PASSED,
                        task=modification.task,
                        section="§3",
                        advice=(
                            *_year_typo(report, effective),
                            Phrase.of(confirm, effective=effective),
                        ),
                        side=side,
                        systems=(system,),
                        planned=report.day,
                        as_of=as_of,
                    )
                continue
            when = (
                Phrase.of("plan.not-started")
                if report.status is Status.NOT_STARTED
                else Phrase.of("plan.done-on", done=report.day)
                if report.status is Status.DONE
                else Phrase.of("plan.planned-for", planned=report.day or "?")
            )
            if report.day is not None and report.day < effective <= as_of:
                # (Planned before the revision, and the revision came: never reported done.)
                when = Phrase.of("plan.never-reported-done", when=when)
            code = (
                FlagCode.QUERY_NOT_READY
                if side is Side.QUERY
                # Judged against a day the calendar assumes (the source gives the month): the
                # real one may leave time enough, and an assumption is no ground for an error.
                else FlagCode.PROVISION_NOT_READY_ASSUMED
                if calendar.revision.assumption
                else FlagCode.PROVISION_NOT_READY
            )
            # From the day the revision takes effect, "before the revision" is past; before
            # it, the report says the work will be late: the template's remedies for that.
            late = template is not None and as_of >= effective
            yield Flag.of(
                code,
                task=modification.task,
                section=template.section if template else "§3",
                given=(
                    (template.remedies_too_late_ja or template.remedies_ja)
                    if template and late
                    else (template.remedies_late_ja or template.remedies_ja)
                    if template
                    else (),
                    (template.remedies_too_late_en or template.remedies_en)
                    if template and late
                    else (template.remedies_late_en or template.remedies_en)
                    if template
                    else (),
                ),
                advice=_year_typo(report, effective),
                side=side,
                systems=(system,),
                effective=late_for,
                when=when,
            )
        if missing:
            yield Flag.of(
                FlagCode.READINESS_UNKNOWN,
                advice=(Phrase.of("plan.add-readiness-rows"),),
                side=side,
                systems=missing,
            )


def as_known(report: Readiness, as_of: dt.date | None) -> Readiness:
    """Return `report` as it is known on `as_of`: a modification reported done (完了) on a
    day after it is not known done on that date, but planned for that day (the survey's
    完了 picked for 予定, or a year mistyped), as evidence dated after it does not complete
    its task; any other report as it is. The flags, the §3 table and the tasks' status all
    read a report through this."""
    if (
        as_of is not None
        and report.status is Status.DONE
        and report.day is not None
        and report.day > as_of
    ):
        return attrs.evolve(report, status=Status.PLANNED)
    return report


def is_not_ready(
    report: Readiness,
    effective: dt.date,
    as_of: dt.date | None = None,
    *,
    done_on: dt.date | None = None,
) -> bool:
    """Return True for "not ready" as the §3 survey counts it (DESIGN.md §3).

    Not ready: not started, or planned to finish on or after the day the revision takes
    effect (a planned date that is missing counts as not ready too). From that day on
    (`as_of`), a modification still only planned is not ready either, whatever its date:
    the revision is in force and it was never reported done. Evidence that the
    modification was done (`done_on`, the task's evidence date) overrides the report: ready
    when done before the revision took effect, not ready (late) when done on or after it;
    a report of the modification done on a day is judged so too. A report of a modification
    done on a day after `as_of` is one planned for that day (`as_known`). The flag rules and
    `cutover.planning.summary` both ask this function, so the rule lives in one place.
    """
    if done_on is not None:
        return done_on >= effective
    report = as_known(report, as_of)
    if report.status is Status.DONE and report.day is not None:
        return report.day >= effective  # (done on a day: late from the revision's on)
    if report.status is Status.NOT_STARTED:
        return True
    return report.status is Status.PLANNED and (
        report.day is None or report.day >= effective or (as_of is not None and as_of >= effective)
    )


#: How far from the revision a planned day may be before its year is asked about: a
#: modification planned years before or after it is a year or an era mistyped (令和30年 for
#: 平成30年 is 2048; 0001-01-01 a cell's default), not a plan.
_FAR_YEARS = 3


def _year_typo(report: Readiness, effective: dt.date) -> tuple[Phrase, ...]:
    """Return the advice to check the year of a planned day years from the revision, or ()."""
    day = report.day
    if report.status is not Status.PLANNED or day is None:
        return ()
    if abs(day.year - effective.year) < _FAR_YEARS:
        return ()
    return (Phrase.of("plan.check-planned-year", planned=day),)
