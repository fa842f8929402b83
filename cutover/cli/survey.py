"""``cutover survey``: survey workbooks out to every agency and back.

``cutover survey merge CAL --agencies F DIR --out MERGED`` reads the returned workbooks
(`cutover.inputs.survey.merge_survey`) and writes MERGED/readiness.csv, MERGED/evidence.csv
and MERGED/report.md (`cutover.render.survey`), then one summary line. ``survey make``, which
writes the workbooks, is registered beside ``merge`` in `cutover.cli.parser`.
"""

from __future__ import annotations

import argparse
import sys

from cutover.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, options_of
from cutover.cli.console import error, print_problems, say
from cutover.errors import printable
from cutover.i18n.catalogue import Msg

__all__ = ["merge", "merged_file", "usage"]


def merged_file(name: str) -> bool:
    """Return True for a file name that `survey merge` writes into its folder."""
    from cutover.render.survey import MERGED_FILES

    return name in MERGED_FILES


def usage(args: argparse.Namespace) -> int:
    """``cutover survey`` with no subcommand: say which there are."""
    print(args.survey_help(), file=sys.stderr)
    return EXIT_USAGE


def merge(args: argparse.Namespace) -> int:
    """Merge the workbooks of DIR into --out; say what was found. Exit 1 when a workbook
    was refused or doubled (the outputs are written all the same: the report says which),
    or when DIR holds none (nothing is written)."""
    from cutover.calendar.load import load_calendar
    from cutover.inputs.survey import merge_survey
    from cutover.render.files import write_folder
    from cutover.render.survey import MERGED_FILES, merged_files, merged_summary, told_problems

    calendar = load_calendar(args.calendar)
    merged = merge_survey(calendar, args.agencies, args.folder)
    if not merged.workbooks:
        # A folder with no workbook is the wrong folder (the one above, a typo of one that
        # exists): merged, it would replace the last merge's files with empty ones.
        error(Msg("survey.no-workbooks", {"folder": printable(args.folder)}))
        return EXIT_BAD_INPUT
    write_folder(
        args.out,
        merged_files(merged, args.lang, options=options_of(args)),
        ours=MERGED_FILES.__contains__,
        contents=Msg("files.contents-merged", {"files": MERGED_FILES}),
    )
    for refusal in merged.refused:
        print_problems(
            [p.on_command_line(options_of(args)) for p in told_problems(refusal.problems)]
        )
    for agency, files in merged.duplicates:
        error(
            Msg(
                "survey.duplicate-line",
                {"agency": agency.code, "name": agency.name, "files": tuple(map(printable, files))},
            )
        )
    say(Msg("survey.summary", {**merged_summary(merged), "out": printable(args.out)}))
    return EXIT_OK if not (merged.refused or merged.duplicates) else EXIT_BAD_INPUT
