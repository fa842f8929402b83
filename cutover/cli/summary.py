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
    from cutover.planning.hearings import hearings
    from cutover.planning.summary import summarize
    from cutover.render.summary import summary_json, summary_markdown, write_summary_csv
    from cutover.render.xlsx import summary_xlsx

    the_plan = _plan(args)
    summary = summarize(the_plan, prefecture=args.prefecture)
    markdown = document(lambda: summary_markdown(summary, lang=args.lang, templates=args.templates))
    write_output(
        args.format,
        args.output,
        {
            "json": json_document(lambda: summary_json(summary, lang=args.lang)),
            "md": markdown,
            "html": html_of_markdown(markdown, args.lang),
            "csv": lambda stream: write_summary_csv(summary, stream),
            "xlsx": BinaryDocument(
                lambda: summary_xlsx(summary, the_plan, hearings(the_plan), lang=args.lang)
            ),
        },
        bom=args.bom,
        windows=args.windows,
    )
    return _flagged(the_plan, args.fail_on, summary)
