"""``cutover hearings``: the agencies likely to be heard, from the operators' logs."""

from __future__ import annotations

import argparse

from cutover.cli.common import EXIT_BAD_INPUT, EXIT_FLAGGED, EXIT_OK, _plan, _rejected_queries
from cutover.cli.output import (
    BinaryDocument,
    document,
    html_of_markdown,
    json_document,
    write_output,
)

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write the agencies the ministry may hear from, in the format asked for."""
    from cutover.planning.hearings import hearings
    from cutover.render.hearings import hearings_json, hearings_markdown, write_hearings_csv
    from cutover.render.xlsx import hearings_xlsx

    the_plan = _plan(args)
    found = hearings(the_plan)
    lang = args.lang
    markdown = document(lambda: hearings_markdown(found, lang=lang))
    write_output(
        args.format,
        args.output,
        {
            "json": json_document(lambda: hearings_json(found, lang=lang)),
            "csv": lambda stream: write_hearings_csv(found, stream, lang=lang),
            "md": markdown,
            "html": html_of_markdown(markdown, lang),
            "xlsx": BinaryDocument(lambda: hearings_xlsx(found, lang=lang)),
        },
        bom=args.bom,
        windows=args.windows,
    )
    if _rejected_queries(the_plan):
        return EXIT_BAD_INPUT
    if args.fail_on is not None and found.findings_at_or_above(args.fail_on):
        return EXIT_FLAGGED
    return EXIT_OK
