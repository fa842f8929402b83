"""What the commands share: exit codes, today in JST, the timeline, registry and plan from
the arguments, and the warnings they write on standard error (in the run's language).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from cutover.cli.console import STDERR_LINES, print_problems, warn
from cutover.cli.output import csv_encoding
from cutover.errors import Problem, printable
from cutover.i18n.catalogue import Msg
from cutover.i18n.text import day_said
from cutover.jp.closed_days import today_jst

if TYPE_CHECKING:
    from cutover.calendar.model import RevisionCalendar, RevisionKind
    from cutover.inputs.model import Registry
    from cutover.planning.model import Plan
    from cutover.planning.summary import Summary
    from cutover.schedule.timeline import Timeline
    from cutover.triage import CutoffRule, Duplicate

__all__ = ["EXIT_BAD_INPUT", "EXIT_FLAGGED", "EXIT_OK", "EXIT_USAGE", "options_of", "today_jst"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_FLAGGED = 3


def options_of(args: argparse.Namespace) -> dict[str, str | Msg]:
    """Return the options of the command run, by the arguments they give (``due`` →
    ``--due``): a problem names what the person gave by them, not by the library's
    parameters (`cutover.errors.Problem.on_command_line`). An option that says what it is
    when left out (``--as-of, today by default``) is named alone when it was given."""
    options: dict[str, str | Msg] = getattr(args, "option_of", {})
    return {
        dest: str(shown.params["option"])
        if isinstance(shown, Msg) and getattr(args, dest, None) is not None
        else shown
        for dest, shown in options.items()
    }


#: How many more rejected query rows there are, and where they are all listed.
_MORE_REJECTED = Msg("cli.more-rejected")
#: Where every duplicated query id is listed.
_MORE_DUPLICATES = Msg("cli.listed-by-triage-json")


def _csv_encoding(args: argparse.Namespace) -> str:
    """Return the encoding of the command's output (`cutover.cli.output.csv_encoding`)."""
    return csv_encoding(args.format, args.output, args.bom)


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
        prefecture=getattr(args, "prefecture", None),
        items=timeline.calendar.item_numbers,
    )


#: How far from the revision an as-of date may be before the command asks to check it.
_FAR_DAYS = 366


def _warn_far(as_of: dt.date, effective: dt.date, kind: RevisionKind, *, given: bool) -> None:
    """Warn when the as-of date is over a year from the revision: a mistyped year, or a
    forgotten --as-of (today, years after a past revision). Everything still runs. (The
    date is named as the calendar's kind names it: a master delivery's is no revision's.)"""
    days = (as_of - effective).days
    if abs(days) <= _FAR_DAYS:
        return
    day = as_of.isoformat()
    what = Msg("cli.as-of-given" if given else "cli.as-of-today", {"date": day})
    code = "cli.far-after" if days > 0 else "cli.far-before"
    takes_effect = Msg(f"cli.takes-effect-{kind}")
    params = {"what": what, "days": abs(days), "effective": effective.isoformat()}
    warn(Msg(code, {**params, "takes_effect": takes_effect}))


def _plan(args: argparse.Namespace) -> Plan:
    """Return the plan the registry arguments describe (shared by plan, checklists, summary,
    hearings), warning of what the queries file holds that looks mistaken."""
    from cutover.calendar.load import load_calendar
    from cutover.planning.planner import plan
    from cutover.planning.queries import load_queries

    timeline = _timeline(load_calendar(args.calendar), args.shift)
    registry = _load_registry(args, timeline)
    as_of = args.as_of or today_jst()
    _warn_far(
        as_of, timeline.effective, timeline.calendar.revision.kind, given=args.as_of is not None
    )
    queries = load_queries(args.queries, timeline, as_of) if args.queries else None
    if queries is not None:
        _warn_duplicates(args.queries, queries.duplicates, _MORE_DUPLICATES)
        _warn_far_future(args.queries, queries.far_future, as_of, timeline.cutoff_dates())
    # (With shifts, the plan says what they changed: `Plan.what_if`.)
    made = plan(timeline, registry, as_of, queries=queries)
    if queries is not None:
        _warn_elsewhere(args.queries, made)
    return made


def _warn_elsewhere(source: str | Sequence[str], plan: Plan) -> None:
    """Warn, once, of the open requests of which no agency of the registry is querier or
    provider (`Plan.queries_elsewhere`): no checklist lists them, and the counts leave
    them out (the JSON's ``queries.elsewhere`` counts them)."""
    elsewhere = plan.queries_elsewhere()
    if not elsewhere:
        return
    example = elsewhere[0].query
    file = printable(example.file) if example.file is not None else _shown(source)
    warn(
        Msg(
            "cli.queries-elsewhere",
            {
                "file": file,
                "line": example.line,
                "count": len(elsewhere),
                "query_id": example.query_id,
            },
        )
    )


def _flagged(plan: Plan, fail_on: str | None, summary: Summary | None = None) -> int:
    """Return the exit code once the output is written: 1 for rejected query rows, 3 when
    --fail-on is met (the plan's summary, made here unless given, is only needed then)."""
    if _rejected_queries(plan):
        return EXIT_BAD_INPUT
    if fail_on is None:
        return EXIT_OK
    from cutover.planning.summary import summarize

    found = summary if summary is not None else summarize(plan)
    return EXIT_FLAGGED if found.flags_at_or_above(fail_on) else EXIT_OK


def _rejected_queries(plan: Plan) -> bool:
    """Write the plan's rejected query rows, if any, and return whether there were any."""
    if plan.queries is None or not plan.queries.rejected:
        return False
    print_problems(plan.queries.rejected, more=_MORE_REJECTED)
    return True


def _cutoff_rule(calendar: str, shifts: Sequence[str]) -> tuple[CutoffRule, Timeline]:
    """Return a calendar's cutoff rule, with its shifts applied, and the timeline it is of."""
    from cutover.calendar.load import load_calendar
    from cutover.planning.queries import cutoff_rule

    timeline = _timeline(load_calendar(calendar), shifts)
    return cutoff_rule(timeline), timeline


def _shown(source: str | Sequence[str]) -> str:
    """Return the file, or the files, an option named (``a.csv, b.xlsx``), as shown."""
    if isinstance(source, str):
        return printable(source)
    return ", ".join(printable(s) for s in source)


def _warn_far_future(
    source: str | Sequence[str],
    far: tuple[int, int | None],
    as_of: dt.date,
    rule: CutoffRule | None,
) -> None:
    """Warn of open requests for cutoff items dated far after the as-of date: not yet
    received then, so most likely a year or era slip, which the rule would pass as "after
    the cutoff, nothing to do"."""
    from cutover.triage import FAR_REQUEST_DAYS

    count, first = far
    if not count or rule is None:
        return
    warn(
        Msg(
            "cli.far-future-requests",
            {
                "file": _shown(source),
                "first": first,
                "count": count,
                "items": tuple(sorted(rule.items)),
                "days": FAR_REQUEST_DAYS,
                "as_of": day_said(as_of),
            },
        )
    )


def _warn_duplicates(
    source: str | Sequence[str],
    duplicates: Sequence[Duplicate],
    elsewhere: str | Msg = _MORE_DUPLICATES,
) -> None:
    """Warn, on standard error, of query ids on more than one row: each such row is counted
    and listed once per line, so the counts are higher than the queries. `elsewhere` says
    where they are all listed."""
    shown = _shown(source)
    for duplicate in duplicates[:STDERR_LINES]:
        if duplicate.files:
            places = tuple(
                f"{printable(file)}:{line}"
                for file, line in zip(duplicate.files, duplicate.lines, strict=True)
            )
            warn(
                Msg(
                    "cli.duplicate-query-id-files",
                    {"query_id": duplicate.query_id, "places": places},
                )
            )
            continue
        warn(
            Msg(
                "cli.duplicate-query-id",
                {"file": shown, "query_id": duplicate.query_id, "lines": duplicate.lines},
            )
        )
    if len(duplicates) > STDERR_LINES:
        count = len(duplicates) - STDERR_LINES
        warn(Msg("cli.more-duplicates", {"file": shown, "count": count, "where": elsewhere}))


def _print_problems(problems: Iterable[Problem], *, more: str | Msg | None = None) -> None:
    """Write each problem on standard error (`cutover.cli.console.print_problems`)."""
    print_problems(problems, more=more)
