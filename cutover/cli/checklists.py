"""``cutover checklists``: one checklist per agency and the coordinator's index."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cutover.cli.common import _flagged, _plan

if TYPE_CHECKING:
    pass


def _cmd_checklists(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cutover.errors import printable
    from cutover.plan.summary import summarize
    from cutover.render.checklists import stale_checklists, write_checklists

    the_plan = _plan(args)
    paths = write_checklists(the_plan, args.out, lang=args.lang, templates=args.templates)
    index = printable(str(Path(args.out) / "index.md"))
    print(f"wrote {len(paths) - 1} checklists to {printable(args.out)}; start with {index}")
    for stale in stale_checklists(the_plan, args.out):
        # Left from an earlier run: sent with the folder, it would say what is no longer so.
        print(
            f"cutover: warning: {stale} is from an earlier run: {stale.stem} is not in the "
            "agencies file — delete it before sending the folder",
            file=sys.stderr,
        )
    return _flagged(summarize(the_plan), args.fail_on, the_plan)
