"""``cutover summary``: the §3 survey table and the flag counts."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cutover.cli.common import _flagged, _plan

if TYPE_CHECKING:
    pass


def _cmd_summary(args: argparse.Namespace) -> int:
    from cutover.plan.summary import summarize
    from cutover.render.files import write_text
    from cutover.render.summary import summary_json, summary_markdown

    the_plan = _plan(args)
    summary = summarize(the_plan, prefecture=args.prefecture)
    if args.format == "json":
        import json

        text = json.dumps(summary_json(summary), ensure_ascii=False, indent=2) + "\n"
    else:
        text = summary_markdown(summary, lang=args.lang, templates=args.templates)
    write_text(args.output, text)
    return _flagged(summary, args.fail_on, the_plan)
