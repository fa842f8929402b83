"""Checking a calendar and the registry's files at once: every problem of every file, and
what the checklists would not count, as a report of data (the command line prints it).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from cutover.errors import CutoverError, Problem, require_date, require_paths
from cutover.i18n.text import check_lang

if TYPE_CHECKING:
    from cutover.calendar.model import RevisionCalendar
    from cutover.inputs.model import Agency, Attempt, Evidence, Readiness, Registry
    from cutover.planning.model import Plan
    from cutover.schedule.model import Conflict
    from cutover.schedule.timeline import Timeline
    from cutover.triage import CutoffRule, Duplicate

__all__ = ["FileCount", "ValidationReport", "validate"]

#: What a file given to `validate` holds.
FileKind = Literal["agencies", "readiness", "evidence", "registration-log", "test-log", "queries"]

#: A file: its path, or an `InputText` (a file given in memory), as every reader takes.
PathLike = str | os.PathLike[str]
#: One file, or several read as one (agencies, readiness, queries).
Paths = PathLike | Sequence[PathLike]


@attrs.frozen
class FileCount:
    """What one input file held: its rows, and those of them that do not count.

    `other` is, for an operator's log, its attempts that do not count (a failed test, a
    registration of 0 records); for a queries file, its rejected rows.
    """

    kind: FileKind
    file: str
    rows: int
    other: int = 0


@attrs.frozen
class ValidationReport:
    """What `validate` found: counts, problems (errors) and warnings, as data."""

    timeline: Timeline
    #: each file read, in the order given
    counts: tuple[FileCount, ...]
    #: the errors of the files that could not be read, one `CutoverError` per file
    errors: tuple[CutoverError, ...]
    #: the calendar's conflicts (warnings)
    conflicts: tuple[Conflict, ...]
    #: query ids on more than one row of the queries file
    duplicates: tuple[Duplicate, ...] = ()
    #: open requests dated far after the as-of date: how many, and the first one's line
    far_future: tuple[int, int | None] = (0, None)
    #: the plan and registry the evidence was checked against (None: not checked)
    evidence_check: tuple[Plan, Registry] | None = None
    #: how many evidence rows the checklists would not count
    uncounted: int = 0

    @property
    def calendar(self) -> RevisionCalendar:
        """Return the calendar checked."""
        return self.timeline.calendar

    @property
    def cutoff(self) -> CutoffRule | None:
        """Return the calendar's cutoff rule as dates (None when it has none to apply)."""
        return self.timeline.cutoff_dates()

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Return every problem of every file, in the order found."""
        return tuple(p for err in self.errors for p in err.problems)

    @property
    def warnings(self) -> int:
        """Return how many warnings there are: conflicts, uncounted evidence rows, and open
        requests dated far in the future."""
        return len(self.conflicts) + self.uncounted + self.far_future[0]

    def uncounted_evidence(self, lang: str = "ja") -> list[tuple[Agency, str, str]]:
        """Return each evidence row the checklists would not count, as (agency, what, why)
        in `lang` (`cutover.planning.evidence.uncounted_evidence`)."""
        language = check_lang(lang)  # (even with nothing to say: a wrong call fails every time)
        if self.evidence_check is None:
            return []
        from cutover.planning.evidence import uncounted_evidence

        plan, registry = self.evidence_check
        return uncounted_evidence(plan, registry, language)


def _shown(paths: Paths) -> str:
    """Return the file, or the files, a count is of (``a.csv, b.xlsx``)."""
    if isinstance(paths, (str, os.PathLike)):
        return os.fspath(paths)
    return ", ".join(os.fspath(p) for p in paths)


def validate(
    calendar: PathLike | RevisionCalendar,
    *,
    as_of: dt.date,
    agencies: Paths | None = None,
    readiness: Paths | None = None,
    evidence: Sequence[PathLike] = (),
    registration_logs: Sequence[PathLike] = (),
    test_logs: Sequence[PathLike] = (),
    queries: Paths | None = None,
) -> ValidationReport:
    """Return what the calendar and each input file hold and every problem they have.

    A calendar that cannot be loaded raises `CutoverError` (nothing else can be checked
    without it); a file that cannot be read is one of the report's errors, and the others
    are read all the same. Evidence is judged as of `as_of`. `evidence` and the logs are
    sequences of files: one bare path there is a `TypeError`.
    """
    require_date(as_of, "as_of")
    evidence = require_paths(evidence, "evidence")
    registration_logs = require_paths(registration_logs, "registration_logs")
    test_logs = require_paths(test_logs, "test_logs")
    from cutover.calendar.load import load_calendar
    from cutover.calendar.model import RevisionCalendar
    from cutover.schedule.timeline import build_timeline

    loaded = calendar if isinstance(calendar, RevisionCalendar) else load_calendar(calendar)
    timeline = build_timeline(loaded)
    counts: list[FileCount] = []
    errors: list[CutoverError] = []
    found_agencies = None
    # What was read, for the plan the checklists would be made from (each file read once:
    # read again, its warnings were given twice).
    found_readiness: tuple[Readiness, ...] = ()
    found_evidence: list[Evidence] = []
    attempts: list[Attempt] = []
    if agencies is not None or readiness is not None or evidence:
        from cutover.inputs.registry import load_agencies, load_evidence, load_readiness

        if agencies is not None:
            try:
                found_agencies = load_agencies(agencies, items=loaded.item_numbers)
                counts.append(FileCount("agencies", _shown(agencies), len(found_agencies)))
            except CutoverError as err:
                errors.append(err)
        if readiness is not None:
            try:
                found_readiness = load_readiness(readiness, found_agencies)
                counts.append(FileCount("readiness", _shown(readiness), len(found_readiness)))
            except CutoverError as err:
                errors.append(err)
        for path in evidence:
            try:
                proofs = load_evidence(path, found_agencies, tasks=loaded.tasks)
                found_evidence.extend(proofs)
                counts.append(FileCount("evidence", os.fspath(path), len(proofs)))
            except CutoverError as err:
                errors.append(err)
    if registration_logs or test_logs:
        from cutover.inputs.logs import load_registration_log, load_test_log

        logs: list[tuple[FileKind, PathLike]] = [("registration-log", p) for p in registration_logs]
        logs += [("test-log", p) for p in test_logs]
        for kind, path in logs:
            load_log = load_registration_log if kind == "registration-log" else load_test_log
            try:
                log = load_log(path, found_agencies)
            except CutoverError as err:
                errors.append(err)
                continue
            found_evidence.extend(log.evidence)
            attempts.extend(log.rejected_attempts)
            counts.append(
                FileCount(kind, os.fspath(path), len(log.evidence), len(log.rejected_attempts))
            )
    evidence_check = None
    uncounted = 0
    if (
        found_agencies is not None
        and not errors
        and (readiness or evidence or registration_logs or test_logs)
    ):
        from cutover.inputs.model import Registry
        from cutover.inputs.registry import merged_evidence
        from cutover.planning.planner import plan

        one_file = len(evidence) <= 1 and not (registration_logs or test_logs)
        registry = Registry(
            found_agencies,
            found_readiness,
            merged_evidence(found_evidence, one_file),
            tuple(attempts),
        )
        evidence_check = (plan(timeline, registry, as_of), registry)
        from cutover.planning.evidence import uncounted_evidence

        uncounted = len(uncounted_evidence(*evidence_check))
    duplicates: tuple[Duplicate, ...] = ()
    far_future: tuple[int, int | None] = (0, None)
    if queries is not None:
        from cutover.planning.queries import load_queries

        try:
            findings = load_queries(queries, timeline, as_of)
        except CutoverError as err:
            errors.append(err)
        else:
            counts.append(
                FileCount(
                    "queries",
                    _shown(queries),
                    findings.counts.total,
                    findings.counts.rejected,
                )
            )
            if findings.rejected:
                errors.append(CutoverError.from_problems(findings.rejected))
            duplicates = tuple(findings.duplicates)
            far_future = findings.far_future
    return ValidationReport(
        timeline=timeline,
        counts=tuple(counts),
        errors=tuple(errors),
        conflicts=tuple(timeline.conflicts),
        duplicates=duplicates,
        far_future=far_future,
        evidence_check=evidence_check,
        uncounted=uncounted,
    )
