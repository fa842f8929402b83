"""``cutover plan``: every agency's plan as JSON, CSV, Markdown or iCalendar."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cutover.cli.common import EXIT_USAGE, _csv_encoding, _flagged, _plan, _write_bytes

if TYPE_CHECKING:
    pass


def _cmd_plan(args: argparse.Namespace) -> int:
    from cutover.plan.summary import summarize
    from cutover.render.files import open_output
    from cutover.render.plan import plan_json, plan_markdown, write_plan_csv

    if (args.format == "ics") != (args.agency is not None):
        usage = (
            "--format ics writes one agency's calendar: give --agency CODE (a code of agencies.csv)"
            if args.format == "ics"
            else "--agency is only used with --format ics"
        )
        print(f"cutover: {usage}", file=sys.stderr)
        return EXIT_USAGE
    the_plan = _plan(args)
    if args.format == "ics":
        from cutover.render.ics import plan_ics

        _write_bytes(args.output, plan_ics(the_plan, args.agency, lang=args.lang))
        return _flagged(summarize(the_plan), args.fail_on, the_plan)
    with open_output(args.output, encoding=_csv_encoding(args)) as stream:
        if args.format == "json":
            import json

            json.dump(plan_json(the_plan, lang=args.lang), stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        elif args.format == "csv":
            write_plan_csv(the_plan, stream, lang=args.lang)
        else:
            stream.write(plan_markdown(the_plan, lang=args.lang))
    return _flagged(summarize(the_plan), args.fail_on, the_plan)
