"""The coordinator's summary: agencies not ready, by business system and kind, as in §3.

`summarize` counts, for one plan (optionally one prefecture of it), the agencies by kind,
the agencies not ready on each side for each business system — "not ready" is the
planner's rule, `cutover.planning.readiness.is_not_ready` — the agencies that reported nothing, and
the flags by code. `summary_json` gives the JSON of DESIGN.md §3; `summary_markdown` the
survey table shaped like the source's §3 table (the eight systems as columns; for
provision, then query, the agencies not ready and their split by kind), followed by the
number of agencies surveyed and the flag counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from cutover.errors import CutoverError, require_instance, require_prefecture
from cutover.i18n.catalogue import Argument, text
from cutover.jp.vocabulary import SYSTEMS, BusinessSystem, Kind, Side
from cutover.planning.flags import FLAG_CODES, FlagCode, Severity
from cutover.planning.model import Plan, QueryTotals, TaskStatus
from cutover.planning.readiness import is_not_ready

if TYPE_CHECKING:
    from cutover.calendar.model import RevisionKind
    from cutover.planning.whatif import PlanChanges

__all__ = [
    "FlagCount",
    "KindCounts",
    "QueryTotals",
    "SideCounts",
    "Summary",
    "SystemCounts",
    "summarize",
]


# --- the model -----------------------------------------------------------------------------


@attrs.frozen
class KindCounts:
    """A number of agencies of each kind, as the rows of the §3 table split them."""

    prefecture: int = 0
    municipality: int = 0
    association: int = 0

    @property
    def total(self) -> int:
        """Return the number of agencies of every kind."""
        return self.prefecture + self.municipality + self.association

    def of(self, kind: Kind | str) -> int:
        """Return the number of agencies of `kind` (a `Kind`, or its code; another text is a
        `ValueError`, not a `KeyError`)."""
        return {
            Kind.PREFECTURE: self.prefecture,
            Kind.MUNICIPALITY: self.municipality,
            Kind.ASSOCIATION: self.association,
        }[Kind(kind)]

    @classmethod
    def count(cls, kinds: Iterable[Kind]) -> KindCounts:
        """Return the counts of the kinds given, one per agency."""
        counted = Counter(kinds)
        return cls(counted[Kind.PREFECTURE], counted[Kind.MUNICIPALITY], counted[Kind.ASSOCIATION])


@attrs.frozen
class SystemCounts:
    """Agencies counted for one business system (one column of the §3 table)."""

    system: BusinessSystem
    counts: KindCounts


@attrs.frozen
class SideCounts:
    """Agencies counted for every business system of one side, in §3 column order."""

    side: Side
    systems: tuple[SystemCounts, ...]

    def of(self, system_id: str) -> KindCounts:
        """Return the counts of the business system with this id.

        An id that is none of this side's systems (a typo: ``"locall-tax"``) is a
        `ValueError` naming them, never a count of zero that reads as "none late".
        """
        for column in self.systems:
            if column.system.id == system_id:
                return column.counts
        known = ", ".join(column.system.id for column in self.systems)
        raise ValueError(text("common.not-a-system", "en", value=system_id, systems=known))

    @property
    def total(self) -> int:
        """Return the sum over systems (an agency late on two systems counts twice)."""
        return sum(column.counts.total for column in self.systems)


@attrs.frozen
class FlagCount:
    """How many flags of one code the agencies have."""

    code: FlagCode
    count: int

    @property
    def severity(self) -> Severity:
        """Return the severity of the code."""
        return FLAG_CODES[self.code]


@attrs.frozen
class Summary:
    """The state of the rollout for a plan (or one prefecture of it), as of one date."""

    #: the calendar id (``2018-07``)
    calendar: str
    title_ja: str
    title_en: str
    effective: dt.date
    as_of: dt.date
    #: the prefecture summarised, as its 6-digit code and name; None for the whole plan
    prefecture_code: str | None
    prefecture_name: str | None
    agencies: KindCounts
    #: agencies not ready (`cutover.planning.readiness.is_not_ready`): provision, then query
    not_ready: tuple[SideCounts, ...]
    #: agencies whose readiness report says nothing of the system and side
    unknown: tuple[SideCounts, ...]
    #: whether a readiness.csv was given (without one, nothing is known to be late)
    readiness_given: bool
    #: every flag code, in the order of `FlagCode`, with its count (zero included)
    flags: tuple[FlagCount, ...]
    #: the queries around the cutoff, when the plan was made with a queries file
    queries: QueryTotals | None = None
    #: with --shift: what the shifts changed for the agencies in scope
    what_if: PlanChanges | None = None
    #: agencies `cutover hearings` lists as candidates (§4, §5: window over, task not done
    #: in it, done late included): not the count of ``hearing-candidate`` flags
    hearing_candidates: int = 0
    #: agencies `cutover hearings` lists as at risk (window open, task not done)
    hearing_at_risk: int = 0
    #: the calendar's source document
    source: str = ""
    #: the what-ifs the plan was made with, as ``--shift`` takes them (``registration=+3bd``)
    shifts: tuple[str, ...] = ()
    #: a layout revision, or a master delivery that revises no layout
    kind: RevisionKind = "layout-revision"
    #: whether any task of the calendar makes hearing candidates (§4, §5): a master
    #: delivery's may not (the source announces hearings for the July revision only)
    hearings_apply: bool = True
    #: the day the revision takes effect when a what-if moves it (``--shift effective=…``):
    #: the counts of agencies not ready are against it; None when it is `effective`
    shifted_effective: dt.date | None = None

    @property
    def takes_effect(self) -> dt.date:
        """Return the day the revision takes effect in this summary's plan (shifted or not)."""
        return self.shifted_effective or self.effective

    def not_ready_of(self, side: Side | str) -> SideCounts:
        """Return the not-ready counts of one side (a `Side`, or its code)."""
        return _side(self.not_ready, side)

    def unknown_of(self, side: Side | str) -> SideCounts:
        """Return the unknown-readiness counts of one side (a `Side`, or its code)."""
        return _side(self.unknown, side)

    def flag_count(self, code: FlagCode | str) -> int:
        """Return how many flags of `code` (a `FlagCode`, or the code) there are."""
        # (Coerced: a code as text, equal to its member, would otherwise count 0; an
        # unknown one is a ValueError, not a zero.)
        flag = FlagCode(code)
        return next((f.count for f in self.flags if f.code is flag), 0)

    def severity_count(self, severity: Severity | str) -> int:
        """Return how many flags of `severity` (a `Severity`, or its code) there are."""
        wanted = Severity(severity)
        return sum(f.count for f in self.flags if f.severity is wanted)

    def flags_at_or_above(self, threshold: Severity | str) -> int:
        """Return how many flags are of `threshold` severity or worse (for ``--fail-on``)."""
        rank = Severity(threshold).rank
        return sum(f.count for f in self.flags if f.severity.rank >= rank)


def _query_totals(plan: Plan, codes: frozenset[str]) -> QueryTotals | None:
    """Return the counts of the plan's queries file for the agencies of `codes`."""
    return None if plan.queries is None else plan.queries.totals(codes)


def _side(counts: tuple[SideCounts, ...], side: Side | str) -> SideCounts:
    """Return the counts of `side` among `counts` (empty when it is missing)."""
    wanted = Side(side)  # (a code as text is its member; an unknown one a ValueError)
    for side_counts in counts:
        if side_counts.side is wanted:
            return side_counts
    return SideCounts(wanted, ())


def summarize(plan: Plan, *, prefecture: str | int | None = None) -> Summary:
    """Return the summary of `plan`, or of the agencies of one prefecture of it.

    `prefecture` is anything `cutover.jp.codes.prefecture` accepts (``13``, ``東京都``, ``Tokyo``);
    an agency belongs to the prefecture its code starts with, associations included.
    """
    require_instance(plan, Plan, "plan", "common.not-a-plan")
    agency_plans = plan.agencies
    code = name = None
    if prefecture is not None:
        from cutover.jp.codes import in_prefecture
        from cutover.jp.codes import prefecture as find_prefecture

        entry = find_prefecture(require_prefecture(prefecture, "prefecture"))
        code, name = entry.code, entry.name
        agency_plans = tuple(a for a in agency_plans if in_prefecture(a.agency.code, entry.code))
        if not agency_plans:
            raise CutoverError.of(
                "plan.no-agency-of-prefecture",
                name=entry.name,
                prefecture=entry.code,
                given=Argument("prefecture"),
            )
    calendar = plan.calendar
    # Not ready by the day the revision takes effect in this plan: a what-if may move it.
    effective = plan.timeline.effective
    systems = tuple(s for s in SYSTEMS if s.id in calendar.revision.systems)
    late: dict[tuple[Side, str], list[Kind]] = {}
    unknown: dict[tuple[Side, str], list[Kind]] = {}
    flags: Counter[FlagCode] = Counter()
    for agency_plan in agency_plans:
        kind = agency_plan.agency.kind
        reports = {(r.side, r.system): r for r in agency_plan.readiness}
        # A modification shown done by its evidence is done, whatever the report still says.
        done_on = {
            (t.template.side, t.system): t.done_on
            for t in agency_plan.tasks
            if t.template.per == "system" and t.status is TaskStatus.DONE and t.done_on
        }
        for side in Side:
            for system in systems:
                report = reports.get((side, system.id))
                done = done_on.get((side, system.id))
                if report is None and done is None:
                    unknown.setdefault((side, system.id), []).append(kind)
                elif (done is not None and done >= effective) or (
                    report is not None
                    and done is None
                    and is_not_ready(report, effective, plan.as_of)
                ):
                    late.setdefault((side, system.id), []).append(kind)
        flags.update(flag.code for flag in agency_plan.flags)

    def by_side(found: dict[tuple[Side, str], list[Kind]]) -> tuple[SideCounts, ...]:
        """Return the counts gathered in `found` for both sides, systems in §3 order."""
        return tuple(
            SideCounts(
                side,
                tuple(
                    SystemCounts(s, KindCounts.count(found.get((side, s.id), ()))) for s in systems
                ),
            )
            for side in Side
        )

    from cutover.planning.hearings import hearing_counts

    hearing_candidates, hearing_at_risk = hearing_counts(agency_plans, plan.as_of)
    return Summary(
        calendar=calendar.id,
        title_ja=calendar.revision.title_ja,
        title_en=calendar.revision.title_en,
        effective=calendar.revision.effective,
        shifted_effective=effective if effective != calendar.revision.effective else None,
        kind=calendar.revision.kind,
        hearings_apply=any(t.hearing for t in calendar.tasks),
        as_of=plan.as_of,
        prefecture_code=code,
        prefecture_name=name,
        agencies=KindCounts.count(a.agency.kind for a in agency_plans),
        not_ready=by_side(late),
        unknown=by_side(unknown),
        readiness_given=plan.has_readiness,
        # (The same rule for the whole registry as for one prefecture: the two agree when
        # they hold the same agencies.)
        queries=_query_totals(plan, frozenset(a.agency.code for a in agency_plans)),
        flags=tuple(FlagCount(c, flags[c]) for c in FlagCode),
        what_if=(
            plan.what_if.scoped(a.agency.code for a in agency_plans)
            if plan.what_if is not None and prefecture is not None
            else plan.what_if
        ),
        hearing_candidates=hearing_candidates,
        hearing_at_risk=hearing_at_risk,
        source=calendar.revision.source,
        shifts=tuple(str(s) for s in plan.timeline.shifts),
    )
