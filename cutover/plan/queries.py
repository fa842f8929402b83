"""Outstanding queries in a plan: triaged per agency, and the flags they raise."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cutover.errors import CutoverError
from cutover.inputs.model import Agency
from cutover.plan.flags import Flag, FlagCode
from cutover.plan.model import AgencyQueries, QueryFindings, _en, _ja
from cutover.schedule.timeline import Timeline
from cutover.triage import Action, CutoffRule, TriageResult, triage_file

if TYPE_CHECKING:
    pass

__all__ = ["QUERIES_SOURCE", "cutoff_rule", "load_queries"]


def load_queries(path: str | Path, timeline: Timeline, as_of: dt.date) -> QueryFindings:
    """Return the triage of a queries file against the timeline's cutoff, as of `as_of`."""
    results: list[TriageResult] = []
    with triage_file(path, cutoff_rule(timeline), as_of, on_action=results.append) as report:
        return QueryFindings(
            counts=report.counts,
            results=tuple(results),
            rejected=tuple(report.rejected),
            duplicates=tuple(report.duplicates),
            far_future=report.far_future_rows,
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
    listed_ja = "、".join(f"{item}番 {n}件" for item, n in missing.items())
    listed_en = ", ".join(f"item {item}: {n}" for item, n in missing.items())
    items = "・".join(str(i) for i in missing)
    yield Flag(
        FlagCode.QUERIES_ITEM_NOT_PROVIDED,
        f"照会ファイルに、登録簿で提供しないとされている特定個人情報の提供の求めがある（{listed_ja}）。",
        f"The queries file holds requests to this agency for items agencies.csv says it does "
        f"not provide ({listed_en}).",
        (
            f"提供しているなら agencies.csv の provides に{items}を加える（作業も加わる）。",
            "提供していないなら、照会ファイルの提供者コードを確かめる。",
        ),
        (
            f"If it provides them, add {items.replace('・', ', ')} to provides in agencies.csv "
            "(their tasks follow).",
            "If not, check the provider codes in the queries file.",
        ),
        None,
        "§6",
    )


def _query_flags(timeline: Timeline, own: AgencyQueries) -> Iterable[Flag]:
    rule = timeline.cutoff_dates()
    if rule is None:
        return
    if own.to_answer:
        items, items_en = _count_items(own.to_answer, "ja"), _count_items(own.to_answer, "en")
        # A request received on a closed cutoff day (Sat 6/30) is due that day itself.
        same_day = [r for r in own.to_answer if r.due != rule.answer_by]
        last_ja, last_en = _ja(rule.last_provision), _en(rule.last_provision)
        same_day_ja = f"。{last_ja}当日に受けた{len(same_day)}件は当日中" if same_day else ""
        same_day_en = (
            f"; the {len(same_day)} received on {last_en} itself, that day" if same_day else ""
        )
        yield Flag(
            FlagCode.QUERIES_TO_ANSWER,
            f"{last_ja}以前に受けた提供の求め {len(own.to_answer)}件"
            f"（{items}）に、{_ja(rule.answer_by)}までに情報提供する"
            f"（一時入力を含む{same_day_ja}）。",
            f"{len(own.to_answer)} request(s) received by {last_en} ({items_en}) to answer by "
            f"{_en(rule.answer_by)} (temporary input included{same_day_en}).",
            (
                "期限までに情報提供する。照会者から問合せがあれば、提供時期の目安又は事由を説明する。",
            ),
            ("Answer by the cutoff; tell queriers who ask when, or why not.",),
            section=rule.section,
        )
    if own.to_reissue:
        items, items_en = _count_items(own.to_reissue, "ja"), _count_items(own.to_reissue, "en")
        yield Flag(
            FlagCode.QUERIES_TO_REISSUE,
            f"{_ja(rule.last_provision)}までに提供されなかった照会 {len(own.to_reissue)}件"
            f"（{items}）は、もう提供されない。取りやめて{_ja(rule.reissue_from)}以降に"
            "再照会する。",
            f"{len(own.to_reissue)} query(ies) ({items_en}) not answered by "
            f"{_en(rule.last_provision)} can no longer be answered: withdraw them and "
            f"re-issue them from {_en(rule.reissue_from)}.",
            ("照会を取りやめ、新版のレイアウトで再照会する。",),
            ("Withdraw the queries and query again in the new layout.",),
            section=rule.section,
        )


def _count_items(results: Sequence[TriageResult], lang: str) -> str:
    counts: dict[int, int] = {}
    for result in results:
        counts[result.query.item] = counts.get(result.query.item, 0) + 1
    if lang == "en":
        return ", ".join(f"item {item}: {n}" for item, n in sorted(counts.items()))
    return "、".join(f"{item}番 {n}件" for item, n in sorted(counts.items()))


def cutoff_rule(timeline: Timeline) -> CutoffRule:
    """Return the timeline's provision cutoff rule, or raise when its calendar has none."""
    rule = timeline.cutoff_dates()
    if rule is not None:
        return rule
    spec = timeline.calendar.cutoff
    if spec is None:
        raise CutoverError(
            f"calendar {timeline.calendar.id} has no [cutoff] rule, so queries cannot be triaged",
            fix="use a calendar with a [cutoff] table (docs/calendar-format.md)",
            file=timeline.calendar.source_file or None,
        )
    last = timeline[spec.last_provision].end
    effective = timeline[spec.requery_from].start
    raise CutoverError(
        f"the cutoff's last provision day {last.isoformat()} ({spec.last_provision}) is not "
        f"before the day queries are re-issued from, {effective.isoformat()} "
        f"({spec.requery_from})",
        fix="undo the --shift that moved it, or correct the calendar's dates",
        file=timeline.calendar.source_file or None,
    )
