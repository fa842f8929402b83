"""What the commands share: exit codes, today in JST, the timeline and registry from the
arguments, and warnings on standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from cutover.errors import CutoverError, Problem

if TYPE_CHECKING:
    from cutover.calendar.model import RevisionCalendar
    from cutover.inputs.model import Registry
    from cutover.plan.model import Plan
    from cutover.plan.summary import Summary
    from cutover.schedule.timeline import Timeline
    from cutover.triage import CutoffRule, Duplicate

__all__ = ["EXIT_BAD_INPUT", "EXIT_FLAGGED", "EXIT_OK", "EXIT_USAGE", "today_jst"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_FLAGGED = 3


def today_jst() -> dt.date:
    """Return today's date in Japan (the default --as-of): UTC+9, without daylight saving
    since 1951 (a fixed offset needs no time-zone database, which Windows lacks)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date()


def _csv_encoding(args: argparse.Namespace) -> str:
    """Return the encoding of the output: a CSV written to a file starts with a BOM, for
    Excel (without it, Excel reads UTF-8 Japanese as Shift_JIS, garbled); on standard
    output, read by other programs, it does not. ``--bom`` / ``--no-bom`` decide instead."""
    if args.format != "csv":
        return "utf-8"
    to_file = args.output is not None and args.output != "-"
    return "utf-8-sig" if (args.bom if args.bom is not None else to_file) else "utf-8"


def _timeline(calendar: RevisionCalendar, shifts: Sequence[str]) -> Timeline:
    from cutover.schedule.shift import parse_shift
    from cutover.schedule.timeline import build_timeline

    return build_timeline(calendar, [parse_shift(s) for s in shifts])


def _load_registry(args: argparse.Namespace, timeline: Timeline) -> Registry:
    """Return the registry the arguments name, told the calendar's tasks (for messages)."""
    from cutover.inputs.registry import load_registry

    return load_registry(
        args.agencies,
        args.readiness,
        args.evidence,
        registration_logs=args.registration_log,
        test_logs=args.test_log,
        tasks=timeline.calendar.tasks,
    )


def _warn_evidence(args: argparse.Namespace, timeline: Timeline) -> int:
    """Warn, on standard error, of each evidence row the checklists would not count
    (`cutover.plan.planner.uncounted_evidence`); return how many warnings there were."""
    from cutover.plan.evidence import uncounted_evidence
    from cutover.plan.planner import plan

    registry = _load_registry(args, timeline)
    the_plan = plan(timeline, registry, args.as_of or today_jst())
    found = [
        f"cutover: warning: {agency.code} {agency.name}: {what}: {why}"
        for agency, what, why in uncounted_evidence(the_plan, registry, args.lang)
    ]
    for line in found[:_STDERR_LINES]:
        print(line, file=sys.stderr)
    if len(found) > _STDERR_LINES:
        print(
            f"cutover: warning: {len(found) - _STDERR_LINES} more evidence warnings "
            "(cutover plan CAL … --format json lists them all)",
            file=sys.stderr,
        )
    return len(found)


def _write_bytes(target: str | None, data: bytes) -> None:
    """Write `data` as it is: iCalendar lines end in CRLF, which no text layer may touch."""
    from cutover.render.files import open_output

    with open_output(target) as stream:
        if stream is sys.stdout:
            # (Standard output translates newlines on Windows: its bytes below it do not.)
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
        else:
            # A file's stream translates no newlines, so the CRLFs reach it unchanged.
            stream.write(data.decode("utf-8"))


#: How far from the revision an as-of date may be before the command asks to check it.
_FAR_DAYS = 366


def _warn_far(as_of: dt.date, effective: dt.date, *, given: bool) -> None:
    """Warn when the as-of date is over a year from the revision: a mistyped year, or a
    forgotten --as-of (today, years after a past revision). Everything still runs."""
    days = (as_of - effective).days
    if abs(days) <= _FAR_DAYS:
        return
    side = "after" if days > 0 else "before"
    what = f"--as-of {as_of.isoformat()}" if given else f"today ({as_of.isoformat()}, no --as-of)"
    print(
        f"cutover: warning: {what} is {abs(days)} days {side} the revision takes effect "
        f"({effective.isoformat()}) — check the year, or give --as-of the date to plan as of",
        file=sys.stderr,
    )


def _plan(args: argparse.Namespace) -> Plan:
    """Return the plan the registry arguments describe (shared by plan, checklists, summary)."""
    from cutover.calendar.load import load_calendar
    from cutover.plan.planner import plan
    from cutover.plan.queries import load_queries

    timeline = _timeline(load_calendar(args.calendar), args.shift)
    registry = _load_registry(args, timeline)
    as_of = args.as_of or today_jst()
    _warn_far(as_of, timeline.effective, given=args.as_of is not None)
    queries = load_queries(args.queries, timeline, as_of) if args.queries else None
    if queries is not None:
        _warn_duplicates(args.queries, queries.duplicates, _MORE_DUPLICATES)
        _warn_far_future(args.queries, queries.far_future, as_of, timeline.cutoff_dates())
    the_plan = plan(timeline, registry, as_of, queries=queries)
    if not args.shift:
        return the_plan
    from cutover.plan.whatif import with_what_if

    # What the shifts changed: the same registry planned as of the same date without them.
    return with_what_if(the_plan, registry)


def _flagged(summary: Summary, fail_on: str | None, plan: Plan | None = None) -> int:
    """Return the exit code once the output is written: 1 for rejected query rows, 3 when
    --fail-on is met."""
    if plan is not None and plan.queries is not None and plan.queries.rejected:
        _print_problems(plan.queries.rejected, more=_MORE_REJECTED)
        return EXIT_BAD_INPUT
    if fail_on is not None and summary.flags_at_or_above(fail_on):
        return EXIT_FLAGGED
    return EXIT_OK


def _cutoff_rule(calendar: str, shifts: Sequence[str]) -> tuple[CutoffRule, str]:
    """Return a calendar's cutoff rule, with its shifts applied, and the calendar's id."""
    from cutover.calendar.load import load_calendar
    from cutover.plan.queries import cutoff_rule

    timeline = _timeline(load_calendar(calendar), shifts)
    return cutoff_rule(timeline), timeline.calendar.id


_MORE_REJECTED = "rejected query rows (cutover triage CAL --queries F --format json lists them all)"
_MORE_DUPLICATES = "cutover triage CAL --queries F --format json lists them all"


def _warn_far_future(
    source: str, far: tuple[int, int | None], as_of: dt.date, rule: CutoffRule | None
) -> None:
    """Warn of open requests for cutoff items dated far after the as-of date: not yet
    received then, so most likely a year or era slip, which the rule would pass as "after
    the cutoff, nothing to do"."""
    from cutover.errors import printable
    from cutover.triage import FAR_REQUEST_DAYS

    count, first = far
    if not count or rule is None:
        return
    print(
        f"cutover: warning: {printable(source)}:{first}: {count} open request(s) for items "
        f"{rule.items_text} dated more than {FAR_REQUEST_DAYS} days after the as-of date "
        f"{as_of.isoformat()} (the first on line {first}): not yet received on that date — "
        "check the year or era (令和元年 for 平成30年), or the as-of date",
        file=sys.stderr,
    )


def _warn_duplicates(source: str, duplicates: Sequence[Duplicate], elsewhere: str) -> None:
    """Warn, on standard error, of query ids on more than one row: each such row is counted
    and listed once per line, so the counts are higher than the queries."""
    from cutover.errors import printable

    source = printable(source)
    for duplicate in duplicates[:_STDERR_LINES]:
        lines = ", ".join(str(n) for n in duplicate.lines)
        print(
            f"cutover: warning: {source}: query id {duplicate.query_id!r} is on "
            f"lines {lines} — keep one row per query",
            file=sys.stderr,
        )
    if len(duplicates) > _STDERR_LINES:
        print(
            f"cutover: warning: {source}: … and {len(duplicates) - _STDERR_LINES:,} "
            f"more query ids on more than one row ({elsewhere})",
            file=sys.stderr,
        )


#: Rejected rows and duplicated ids shown on standard error, at most: a log concatenated to
#: itself must not flood the terminal with two million lines.
_STDERR_LINES = 100


def _print_problems(problems: Iterable[Problem], *, more: str | None = None) -> None:
    """Print each problem on standard error; with `more`, the first `_STDERR_LINES` and a
    count of the others (`more` says what they are and where they are all listed)."""
    from cutover.errors import printable

    left = 0
    for n, problem in enumerate(problems):
        if more is not None and n >= _STDERR_LINES:
            left += 1
            continue
        # One line each, whatever a file name or a value holds (a newline, an escape).
        print(f"cutover: {printable(str(problem))}", file=sys.stderr)
    if left:
        print(f"cutover: … and {left:,} more {more}", file=sys.stderr)


def _print_errors(errors: Sequence[CutoverError]) -> None:
    for err in errors:
        _print_problems(err.problems)
