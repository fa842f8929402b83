"""``cutover summary``: the §3 survey table and the flag counts; as a workbook, with the
readiness matrix and the agencies to chase."""

from __future__ import annotations

import argparse

from cutover.cli.common import _flagged, _plan
from cutover.cli.output import (
    BinaryDocument,
    document,
    html_of_markdown,
    json_document,
    write_output,
)

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write the summary of the plan (one prefecture's with --prefecture)."""
    from cutover.planning.chase import chase_list
    from cutover.planning.hearings import hearings
    from cutover.planning.summary import summarize
    from cutover.render.summary import summary_json, summary_markdown, write_summary_csv
    from cutover.render.xlsx import summary_xlsx

    the_plan = _plan(args)
    summary = summarize(the_plan, prefecture=args.prefecture)
    found = hearings(the_plan)
    chase = chase_list(the_plan, found, prefecture=summary.prefecture_code)
    markdown = document(
        lambda: summary_markdown(summary, lang=args.lang, templates=args.templates, chase=chase)
    )
    write_output(
        args.format,
        args.output,
        {
            "json": json_document(lambda: summary_json(summary, lang=args.lang, chase=chase)),
            "md": markdown,
            "html": html_of_markdown(markdown, args.lang),
            "csv": lambda stream: write_summary_csv(summary, stream),
            "xlsx": BinaryDocument(lambda: summary_xlsx(summary, the_plan, found, lang=args.lang)),
        },
        bom=args.bom,
        windows=args.windows,
    )
    return _flagged(the_plan, args.fail_on, summary)
