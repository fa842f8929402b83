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
    from cutover.render.checklists import write_checklists

    the_plan = _plan(args)
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
    # An earlier run's pages not written again (an agency no longer in the registry, a page
    # named otherwise, the other format's): removed, as the folder must not say what is no
    # longer so. The other format's are told in one line.
    suffix = f".{args.format}"
    other = [path for path in paths.removed if path.suffix != suffix]
    if other:
        shown = "HTML" if other[0].suffix == ".html" else "Markdown"
        said = {"count": len(other), "format": shown, "out": printable(args.out)}
        one = "-one" if len(other) == 1 else ""
        say(Msg(f"cli.removed-other-format{one}", said))
    for path in (path for path in paths.removed if path.suffix == suffix):
        now = paths.now_at(path)
        if now is None:
            say(
                Msg(
                    "cli.removed-checklist",
                    {"file": printable(str(path)), "code": path.name[:6]},
                )
            )
        else:
            say(
                Msg(
                    "cli.removed-renamed-checklist",
                    {"file": printable(str(path)), "now": printable(str(now))},
                )
            )
    return _flagged(the_plan, args.fail_on)
