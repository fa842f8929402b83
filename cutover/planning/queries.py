"""Outstanding queries in a plan: triaged per agency, and the flags they raise."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Sequence

from cutover.errors import CutoverError, require_instance
from cutover.i18n.catalogue import Argument
from cutover.i18n.text import Numbers, Phrase
from cutover.inputs.model import Agency
from cutover.planning.flags import FLAG_CODES, Flag, FlagCode, Severity
from cutover.planning.model import AgencyQueries, QueryFindings
from cutover.schedule.timeline import Timeline
from cutover.triage import Action, CutoffRule, TriageCounts, TriageResult, triage_file

__all__ = ["QUERIES_SOURCE", "actions_at_or_above", "cutoff_rule", "load_queries"]


def load_queries(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    timeline: Timeline,
    as_of: dt.date,
) -> QueryFindings:
    """Return the triage of a queries file (or of several, read as one) against the
    timeline's cutoff, as of `as_of`."""
    results: list[TriageResult] = []
    outside: list[TriageResult] = []
    with triage_file(
        path,
        cutoff_rule(timeline),
        as_of,
        on_action=results.append,
        on_outside=outside.append,
    ) as report:
        return QueryFindings(
            counts=report.counts,
            results=tuple(results),
            rejected=tuple(report.rejected),
            duplicates=tuple(report.duplicates),
            far_future=report.far_future_rows,
            outside=tuple(outside),
        )


#: `Task.status_source` of a task that does not apply because the queries file holds no
#: query of the agency's for it.
QUERIES_SOURCE = "queries"


def _has_queries(own: AgencyQueries, role: str, item: int | None) -> bool:
    """Return True when the agency has outstanding queries in `role` (for `item`, if any)."""
    rows = (
        (*own.to_answer, *own.unanswerable)
        if role == "provider"
        else (*own.awaiting, *own.to_reissue)
    )
    return any(item is None or r.query.item == item for r in rows)


def _queries_by_agency(findings: QueryFindings) -> dict[str, AgencyQueries]:
    lists: dict[str, dict[str, list[TriageResult]]] = {}
    for result in findings.results:
        query = result.query
        if result.action is Action.PROVIDE_BY_CUTOFF:
            lists.setdefault(query.provider, {}).setdefault("to_answer", []).append(result)
            lists.setdefault(query.querier, {}).setdefault("awaiting", []).append(result)
        elif result.action is Action.WITHDRAW_AND_REISSUE:
            lists.setdefault(query.querier, {}).setdefault("to_reissue", []).append(result)
            lists.setdefault(query.provider, {}).setdefault("unanswerable", []).append(result)
    for result in findings.outside:
        # §6 covers items 2 and 21 received before the revision: other open requests are
        # answered as usual, by the provider.
        lists.setdefault(result.query.provider, {}).setdefault("outside_rule", []).append(result)
    return {
        code: AgencyQueries(**{name: tuple(rows) for name, rows in found.items()})
        for code, found in lists.items()
    }


def _items_not_provided(agency: Agency, own: AgencyQueries) -> Iterable[Flag]:
    """Yield one flag when the queries file asks the agency, as provider, for items that
    agencies.csv says it does not provide: its registry row lacks them (and so its tasks
    for them), or the requests went to the wrong agency. Either way someone must look."""
    asked = Counter(r.query.item for r in (*own.to_answer, *own.unanswerable))
    missing = {item: n for item, n in sorted(asked.items()) if item not in agency.provides}
    if not missing:
        return
    yield Flag.of(
        FlagCode.QUERIES_ITEM_NOT_PROVIDED,
        section="§6",
        advice=(
            Phrase.of("plan.add-provided-items", items=Numbers(tuple(missing))),
            Phrase.of("plan.check-provider-codes"),
        ),
        items=missing,
    )


def _query_flags(timeline: Timeline, own: AgencyQueries) -> Iterable[Flag]:
    rule = timeline.cutoff_dates()
    if rule is None:
        return
    if own.outside_rule:
        # §6's rule is for items 2 and 21 received before the revision; it does not say that
        # other open requests need nothing (items 8 and 52 are revised too).
        yield Flag.of(
            FlagCode.QUERIES_OUTSIDE_RULE,
            section=rule.section,
            advice=(Phrase.of("plan.answer-as-usual"), Phrase.of("plan.confirm-operator-guidance")),
            items=_count_items(own.outside_rule),
            cutoff_items=Numbers(tuple(sorted(rule.items))),
        )
    if own.to_answer:
        # A request received on a closed cutoff day (Sat 6/30) can be answered only that day
        # itself, if anyone can: otherwise the querier re-issues it from the first business day.
        same_day = [r for r in own.to_answer if r.due != rule.answer_by]
        yield Flag.of(
            FlagCode.QUERIES_TO_ANSWER,
            section=rule.section,
            advice=(Phrase.of("plan.answer-by-cutoff"),),
            items=_count_items(own.to_answer),
            last=rule.last_provision,
            answer_by=rule.answer_by,
            same_day=(
                Phrase.of(
                    "plan.same-day",
                    last=rule.last_provision,
                    count=len(same_day),
                    effective=rule.effective,
                    reissue_from=rule.reissue_from,
                )
                if same_day
                else ""
            ),
        )
    if own.to_reissue:
        yield Flag.of(
            FlagCode.QUERIES_TO_REISSUE,
            section=rule.section,
            advice=(Phrase.of("plan.withdraw-and-query-again"),),
            items=_count_items(own.to_reissue),
            last=rule.last_provision,
            effective=rule.effective,
            reissue_from=rule.reissue_from,
        )


#: The flag a plan raises for the rows of each triage action: `cutover triage --fail-on`
#: weighs the rows as the plan weighs the agencies that hold them.
_ACTION_FLAGS = {
    Action.PROVIDE_BY_CUTOFF: FlagCode.QUERIES_TO_ANSWER,
    # §6: the querier withdraws and re-issues 「必要に応じて」 (as needed): a warning.
    Action.WITHDRAW_AND_REISSUE: FlagCode.QUERIES_TO_REISSUE,
}


def actions_at_or_above(counts: TriageCounts, threshold: Severity | str) -> int:
    """Return how many triaged rows need an action whose flag is of `threshold` severity or
    worse (for ``cutover triage --fail-on``): the severities of `queries-to-answer` and
    `queries-to-reissue`, so that triage and plan agree on what a query weighs."""
    rank = Severity(threshold).rank
    found = {
        Action.PROVIDE_BY_CUTOFF: counts.provide_by_cutoff,
        Action.WITHDRAW_AND_REISSUE: counts.withdraw_and_reissue,
    }
    return sum(n for action, n in found.items() if FLAG_CODES[_ACTION_FLAGS[action]].rank >= rank)


def _count_items(results: Sequence[TriageResult]) -> Counter[int]:
    """Return how many of `results` there are of each item (a flag's `items`)."""
    return Counter(result.query.item for result in results)


def cutoff_rule(timeline: Timeline) -> CutoffRule:
    """Return the timeline's provision cutoff rule, or raise when its calendar has none."""
    require_instance(timeline, Timeline, "timeline", "common.not-a-timeline")
    rule = timeline.cutoff_dates()
    if rule is not None:
        return rule
    spec = timeline.calendar.cutoff
    if spec is None:
        raise CutoverError.of(
            "plan.no-cutoff-rule",
            file=timeline.calendar.source_file or None,
            calendar=timeline.calendar.id,
            queries=Argument("queries"),
        )
    last = timeline[spec.last_provision].end
    effective = timeline[spec.requery_from].start
    # (The calendar's own dates, no shift applied: no shift to undo, and a command may take
    # none, validate. Else the shifts a program gave, the command's --shift: `shift`.)
    shifted = bool(timeline.shifts)
    raise CutoverError.of(
        "plan.cutoff-not-before-requery"
        if shifted
        else "plan.cutoff-not-before-requery-in-calendar",
        file=timeline.calendar.source_file or None,
        last=last.isoformat(),
        last_event=spec.last_provision,
        requery=effective.isoformat(),
        requery_event=spec.requery_from,
        shift=Argument("shifts", dest="shift"),
    )
