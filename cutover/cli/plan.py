"""``cutover plan``: every agency's plan as JSON, CSV, Markdown, iCalendar or a workbook."""

from __future__ import annotations

import argparse

from cutover.cli.common import _flagged, _plan
from cutover.cli.output import (
    BinaryDocument,
    UsageError,
    document,
    html_of_markdown,
    json_document,
    raw_document,
    write_output,
)
from cutover.i18n.catalogue import Msg

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write every agency's plan (or one agency's calendar) in the format asked for."""
    from cutover.render.ics import plan_ics
    from cutover.render.plan import plan_json, plan_markdown, write_plan_csv
    from cutover.render.xlsx import plan_xlsx

    if args.format == "ics" and args.agency is None:
        raise UsageError(Msg("cli.ics-needs-agency"))
    if args.format != "ics" and args.agency is not None:
        raise UsageError(Msg("cli.agency-only-ics"))
    the_plan = _plan(args)
    lang = args.lang
    markdown = document(lambda: plan_markdown(the_plan, lang=lang))
    write_output(
        args.format,
        args.output,
        {
            "json": json_document(lambda: plan_json(the_plan, lang=lang)),
            "csv": lambda stream: write_plan_csv(the_plan, stream, lang=lang),
            "md": markdown,
            "html": html_of_markdown(markdown, lang),
            "ics": raw_document(lambda: plan_ics(the_plan, args.agency, lang=lang)),
            "xlsx": BinaryDocument(lambda: plan_xlsx(the_plan, lang=lang)),
        },
        bom=args.bom,
        windows=args.windows,
    )
    return _flagged(the_plan, args.fail_on)
