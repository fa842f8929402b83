"""``cutover validate``: check a calendar and the registry's files, and report."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cutover.cli.common import (
    _MORE_DUPLICATES,
    EXIT_BAD_INPUT,
    EXIT_FLAGGED,
    EXIT_OK,
    _print_errors,
    _timeline,
    _warn_duplicates,
    _warn_evidence,
    _warn_far_future,
    today_jst,
)
from cutover.errors import CutoverError

if TYPE_CHECKING:
    pass


def _cmd_validate(args: argparse.Namespace) -> int:
    from cutover.calendar.load import load_calendar
    from cutover.errors import printable

    calendar = load_calendar(args.calendar)
    timeline = _timeline(calendar, [])
    problems: list[CutoverError] = []
    report = [
        f"calendar {calendar.id}: {len(calendar.events)} events, {len(calendar.tasks)} tasks, "
        f"{len(timeline.conflicts)} conflicts"
    ]
    agencies = None
    if args.agencies or args.readiness or args.evidence:
        from cutover.inputs.registry import load_agencies, load_evidence, load_readiness

        if args.agencies:
            try:
                agencies = load_agencies(args.agencies)
                report.append(f"{args.agencies}: {len(agencies)} agencies")
            except CutoverError as err:
                problems.append(err)
        if args.readiness:
            try:
                readiness = load_readiness(args.readiness, agencies)
                report.append(f"{args.readiness}: {len(readiness)} readiness rows")
            except CutoverError as err:
                problems.append(err)
        for path in args.evidence:
            try:
                evidence = load_evidence(path, agencies, tasks=calendar.tasks)
                report.append(f"{path}: {len(evidence)} evidence rows")
            except CutoverError as err:
                problems.append(err)
    if args.registration_log or args.test_log:
        from cutover.inputs.logs import load_registration_log, load_test_log

        logs = [(path, load_registration_log) for path in args.registration_log]
        logs += [(path, load_test_log) for path in args.test_log]
        for path, load_log in logs:
            try:
                loaded = load_log(path, agencies)
            except CutoverError as err:
                problems.append(err)
                continue
            report.append(
                f"{path}: {len(loaded.evidence)} evidence rows, "
                f"{len(loaded.rejected_attempts)} attempts that do not count"
            )
    warnings = len(timeline.conflicts)
    if (
        agencies is not None
        and not problems
        and (args.evidence or args.registration_log or args.test_log)
    ):
        warnings += _warn_evidence(args, timeline)
    if args.queries:
        from cutover.plan.queries import load_queries

        try:
            findings = load_queries(args.queries, timeline, args.as_of or today_jst())
        except CutoverError as err:
            problems.append(err)
        else:
            report.append(
                f"{args.queries}: {findings.counts.total} queries, "
                f"{findings.counts.rejected} rejected"
            )
            if findings.rejected:
                problems.append(CutoverError.from_problems(findings.rejected))
            _warn_duplicates(args.queries, findings.duplicates, _MORE_DUPLICATES)
            _warn_far_future(
                args.queries,
                findings.far_future,
                args.as_of or today_jst(),
                timeline.cutoff_dates(),
            )
            warnings += findings.far_future[0]
    for conflict in timeline.conflicts:
        ja = args.lang == "ja" and conflict.message_ja
        print(
            f"cutover: warning: {printable(calendar.source_file)}: {conflict.event}: "
            f"{conflict.message_ja if ja else conflict.message}"
            f" — {conflict.fix_ja if ja else conflict.fix}",
            file=sys.stderr,
        )
    for line in report:
        print(printable(line))  # (one line each, whatever a file's name holds)
    if problems:
        _print_errors(problems)
        return EXIT_BAD_INPUT
    if warnings and args.fail_on == "warning":
        return EXIT_FLAGGED
    return EXIT_OK
