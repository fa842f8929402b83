"""``cutover hearings``: the agencies likely to be heard, from the operators' logs."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cutover.cli.common import (
    _MORE_REJECTED,
    EXIT_BAD_INPUT,
    EXIT_FLAGGED,
    EXIT_OK,
    _csv_encoding,
    _plan,
    _print_problems,
)

if TYPE_CHECKING:
    pass


def _cmd_hearings(args: argparse.Namespace) -> int:
    from cutover.plan.hearings import hearings
    from cutover.render.files import open_output
    from cutover.render.hearings import hearings_json, hearings_markdown, write_hearings_csv

    the_plan = _plan(args)
    found = hearings(the_plan)
    with open_output(args.output, encoding=_csv_encoding(args)) as stream:
        if args.format == "json":
            import json

            json.dump(hearings_json(found, lang=args.lang), stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        elif args.format == "csv":
            write_hearings_csv(found, stream, lang=args.lang)
        else:
            stream.write(hearings_markdown(found, lang=args.lang))
    if the_plan.queries is not None and the_plan.queries.rejected:
        _print_problems(the_plan.queries.rejected, more=_MORE_REJECTED)
        return EXIT_BAD_INPUT
    if args.fail_on is not None and found.findings_at_or_above(args.fail_on):
        return EXIT_FLAGGED
    return EXIT_OK
