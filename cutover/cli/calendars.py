"""``cutover calendars``: the shipped revision calendars."""

from __future__ import annotations

import argparse
import sys

from cutover.cli.common import EXIT_OK
from cutover.cli.console import say
from cutover.i18n.catalogue import text

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """List the shipped calendars: a table on a terminal, else one tab-separated line each
    (id, effective date, Japanese and English titles) for other programs."""
    from cutover.calendar.load import load_calendar, shipped_calendars

    revisions = [(cal_id, load_calendar(cal_id).revision) for cal_id in shipped_calendars()]
    if sys.stdout is not None and sys.stdout.isatty():
        from tabulate import tabulate

        lang = args.lang
        headers = [text(f"cli.calendars-{column}", lang) for column in ("id", "effective", "title")]
        rows = [
            (cal_id, r.effective.isoformat(), r.title_ja if lang == "ja" else r.title_en)
            for cal_id, r in revisions
        ]
        for line in tabulate(rows, headers=headers, tablefmt="simple").splitlines():
            say(line)
        return EXIT_OK
    for cal_id, revision in revisions:
        effective = revision.effective.isoformat()
        say(f"{cal_id}\t{effective}\t{revision.title_ja}\t{revision.title_en}")
    return EXIT_OK
