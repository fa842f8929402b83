"""``cutover diff``: what changed between two calendars."""

from __future__ import annotations

import argparse

from cutover.cli.common import EXIT_OK
from cutover.cli.output import document, html_of_markdown, json_document, write_output

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write what changed between the two calendars."""
    from cutover.calendar.diff import diff_calendars
    from cutover.calendar.load import load_calendar
    from cutover.render.diff import diff_json, diff_markdown

    diff = diff_calendars(load_calendar(args.old), load_calendar(args.new))
    markdown = document(lambda: diff_markdown(diff, lang=args.lang))
    write_output(
        args.format,
        args.output,
        {
            "json": json_document(lambda: diff_json(diff, lang=args.lang)),
            "md": markdown,
            "html": html_of_markdown(markdown, args.lang),
        },
        windows=args.windows,
    )
    return EXIT_OK
