"""``cutover checklists``: one checklist per agency and the coordinator's index."""

from __future__ import annotations

import argparse

from cutover.cli.common import _flagged, _plan
from cutover.cli.console import say
from cutover.errors import printable
from cutover.i18n.catalogue import Msg

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write the checklists and index.md into --out; say where to start."""
    from cutover.render.checklists import stale_checklists, write_checklists

    the_plan = _plan(args)
    # An earlier run's checklists of agencies no longer in the registry: removed from the
    # folder, which must not say what is no longer so.
    stale = stale_checklists(the_plan, args.out, args.format)
    paths = write_checklists(
        the_plan,
        args.out,
        lang=args.lang,
        templates=args.templates,
        fmt=args.format,
        names=args.names,
        windows=args.windows,
    )
    index = printable(str(paths[-1]))
    say(
        Msg(
            "cli.wrote-checklists",
            {"count": len(paths) - 1, "out": printable(args.out), "index": index},
        )
    )
    for path in stale:
        say(Msg("cli.removed-checklist", {"file": printable(str(path)), "code": path.stem}))
    return _flagged(the_plan, args.fail_on)
