"""``cutover diff``: what changed between two calendars."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cutover.cli.common import EXIT_OK

if TYPE_CHECKING:
    pass


def _cmd_diff(args: argparse.Namespace) -> int:
    from cutover.calendar.diff import diff_calendars
    from cutover.calendar.load import load_calendar
    from cutover.render.diff import diff_json, diff_markdown
    from cutover.render.files import write_text

    diff = diff_calendars(load_calendar(args.old), load_calendar(args.new))
    if args.format == "json":
        import json

        text = json.dumps(diff_json(diff), ensure_ascii=False, indent=2) + "\n"
    else:
        text = diff_markdown(diff, lang=args.lang)
    write_text(args.output, text)
    return EXIT_OK
