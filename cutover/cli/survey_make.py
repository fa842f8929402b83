"""``cutover survey make``: a survey workbook for every agency of the registry."""

from __future__ import annotations

import argparse
from pathlib import Path

from cutover.cli.common import EXIT_OK, _timeline, _warn_far, today_jst
from cutover.cli.console import say
from cutover.errors import printable
from cutover.i18n.catalogue import Msg

__all__ = ["run", "written"]


def written(name: str) -> bool:
    """Return True for a file name the command writes into its folder (``<code>.xlsx``)."""
    from cutover.render.survey_book import survey_file

    return survey_file(name)


def run(args: argparse.Namespace) -> int:
    """Write DIR/<code>.xlsx for every agency; say how many, and what an earlier run's
    workbooks left out were (a --due no office can keep is `write_survey`'s warning)."""
    from cutover.calendar.load import load_calendar
    from cutover.inputs.registry import load_registry
    from cutover.planning.planner import plan
    from cutover.render.survey_book import SHEETS, write_survey

    timeline = _timeline(load_calendar(args.calendar), [])
    registry = load_registry(
        args.agencies, tasks=timeline.calendar.tasks, items=timeline.calendar.item_numbers
    )
    as_of = args.as_of or today_jst()
    _warn_far(
        as_of, timeline.effective, timeline.calendar.revision.kind, given=args.as_of is not None
    )
    the_plan = plan(timeline, registry, as_of)
    dropped = write_survey(the_plan, args.out, lang=args.lang, due=args.due)
    tasks = [sum(1 for t in a.tasks if t.template.per != "system") for a in the_plan.agencies] or [
        0
    ]
    # (Every workbook with as many task rows: "6 行", not "6〜6 行".)
    wrote = "survey-book.wrote" if min(tasks) < max(tasks) else "survey-book.wrote-one-size"
    say(
        Msg(
            wrote,
            {
                "count": len(the_plan.agencies),
                "out": printable(args.out),
                "calendar": the_plan.calendar.id,
                "systems": len(the_plan.calendar.revision.systems),
                "tasks_min": min(tasks),
                "tasks_max": max(tasks),
                "sheets": SHEETS,
            },
        )
    )
    for name in dropped:
        shown = printable(str(Path(args.out) / name))
        say(Msg("survey-book.removed", {"file": shown, "code": Path(name).stem}))
    return EXIT_OK
