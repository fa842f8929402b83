"""``cutover validate``: check a calendar and the registry's files, and report."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cutover.cli.common import (
    _MORE_DUPLICATES,
    EXIT_FLAGGED,
    EXIT_OK,
    _warn_duplicates,
    _warn_far_future,
    today_jst,
)
from cutover.cli.console import STDERR_LINES, language, say, warn
from cutover.errors import CutoverError, printable
from cutover.i18n.catalogue import Lang, Msg, text

if TYPE_CHECKING:
    from cutover.planning.validate import FileCount, ValidationReport

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Check the calendar and the files the arguments name; print the report."""
    from cutover.planning.validate import validate

    as_of = args.as_of or today_jst()
    report = validate(
        args.calendar,
        as_of=as_of,
        agencies=args.agencies,
        readiness=args.readiness,
        evidence=args.evidence,
        registration_logs=args.registration_log,
        test_logs=args.test_log,
        queries=args.queries,
    )
    lang = language()
    _warn_uncounted(report, lang)
    if args.queries:
        _warn_duplicates(args.queries, report.duplicates, _MORE_DUPLICATES)
        _warn_far_future(args.queries, report.far_future, as_of, report.cutoff)
    source = printable(report.calendar.source_file)
    for conflict in report.conflicts:
        warn(f"{source}: {conflict.event}: {conflict.text(lang)}")
    _print_counts(report, lang)
    if report.errors:
        # (Told as every command tells its inputs' problems, by its options: `--queries`.)
        raise CutoverError.from_problems(report.problems)
    if report.warnings and args.fail_on == "warning":
        return EXIT_FLAGGED
    return EXIT_OK


def _warn_uncounted(report: ValidationReport, lang: Lang) -> None:
    """Warn of each evidence row the checklists would not count (the first hundred)."""
    found = report.uncounted_evidence(lang)
    for agency, what, why in found[:STDERR_LINES]:
        warn(f"{agency.code} {agency.name}: {what}: {why}")
    if len(found) > STDERR_LINES:
        warn(Msg("cli.more-evidence-warnings", {"count": len(found) - STDERR_LINES}))


def _count_text(count: FileCount, lang: Lang) -> str:
    """Return what one file held, in `lang`."""
    return text(f"cli.validate-{count.kind}", lang, rows=count.rows, other=count.other)


def _print_counts(report: ValidationReport, lang: Lang) -> None:
    """Print what the calendar and each file held: a table on a terminal, else one line
    each (``FILE: …``), for a log or another program."""
    calendar = report.calendar
    what = text(
        "cli.validate-calendar",
        lang,
        events=len(calendar.events),
        tasks=len(calendar.tasks),
        conflicts=len(report.conflicts),
    )
    rows = [(text("cli.validate-calendar-name", lang, id=calendar.id), what)]
    rows += [(printable(c.file), _count_text(c, lang)) for c in report.counts]
    if sys.stdout is not None and sys.stdout.isatty():
        from tabulate import tabulate

        headers = (text("cli.validate-what", lang), text("cli.validate-held", lang))
        for line in tabulate(rows, headers=headers, tablefmt="simple").splitlines():
            say(line)
        return
    for name, held in rows:
        say(f"{name}: {held}")  # (one line each, whatever a file's name holds)
