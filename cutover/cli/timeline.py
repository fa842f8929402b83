"""``cutover timeline``: the timeline in Markdown, JSON, iCalendar, Mermaid or SVG."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cutover.cli.common import EXIT_OK, _timeline, today_jst
from cutover.cli.output import (
    document,
    html_of_markdown,
    json_document,
    raw_document,
    write_output,
)

if TYPE_CHECKING:
    from cutover.schedule.timeline import Timeline
    from cutover.schedule.whatif import WhatIf

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write the calendar's timeline (with what the shifts moved) in the format asked for."""
    from cutover.calendar.load import load_calendar
    from cutover.render.ics import timeline_ics
    from cutover.render.svg import timeline_svg
    from cutover.render.timeline import timeline_json, timeline_markdown, timeline_mermaid
    from cutover.schedule.shift import parse_shift
    from cutover.schedule.whatif import what_if

    calendar = load_calendar(args.calendar)
    # With shifts, the output also says what moved and which conflicts appeared or went.
    timeline: Timeline | WhatIf = (
        what_if(calendar, [parse_shift(s) for s in args.shift])
        if args.shift
        else _timeline(calendar, [])
    )
    lang = args.lang
    # Only with --as-of given: without it, the page is the same whatever the day.
    markdown = document(lambda: timeline_markdown(timeline, lang=lang, as_of=args.as_of))

    def svg() -> str:
        return timeline_svg(timeline, as_of=args.as_of or today_jst(), lang=lang)

    write_output(
        args.format,
        args.output,
        {
            "md": markdown,
            "html": html_of_markdown(markdown, lang, svg=svg),
            "json": json_document(lambda: timeline_json(timeline, lang=lang)),
            # The file's revision (SEQUENCE) is the day it is made: a later one updates
            # the events a clerk imported before.
            "ics": raw_document(
                lambda: timeline_ics(timeline, lang=lang, as_of=args.as_of or today_jst())
            ),
            "mermaid": document(lambda: timeline_mermaid(timeline, lang=lang)),
            "svg": document(svg),
        },
        windows=args.windows,
    )
    return EXIT_OK
