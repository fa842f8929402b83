"""``cutover timeline``: the timeline in Markdown, JSON, iCalendar, Mermaid or SVG."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cutover.cli.common import EXIT_OK, _timeline, _write_bytes, today_jst

if TYPE_CHECKING:
    from cutover.schedule.timeline import Timeline


def _cmd_timeline(args: argparse.Namespace) -> int:
    from cutover.calendar.load import load_calendar
    from cutover.render.files import write_text
    from cutover.render.timeline import timeline_json, timeline_markdown, timeline_mermaid
    from cutover.schedule.shift import parse_shift
    from cutover.schedule.whatif import WhatIf, what_if

    calendar = load_calendar(args.calendar)
    # With shifts, the output also says what moved and which conflicts appeared or went.
    timeline: Timeline | WhatIf = (
        what_if(calendar, [parse_shift(s) for s in args.shift])
        if args.shift
        else _timeline(calendar, [])
    )
    if args.format == "json":
        import json

        text = json.dumps(timeline_json(timeline), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "ics":
        from cutover.render.ics import timeline_ics

        _write_bytes(args.output, timeline_ics(timeline, lang=args.lang))
        return EXIT_OK
    elif args.format == "svg":
        from cutover.render.svg import timeline_svg

        as_of = args.as_of or today_jst()
        text = timeline_svg(timeline, as_of=as_of, lang=args.lang)
    elif args.format == "mermaid":
        text = timeline_mermaid(timeline, lang=args.lang)
    else:
        # Only with --as-of given: without it, the page is the same whatever the day.
        text = timeline_markdown(timeline, lang=args.lang, as_of=args.as_of)
    write_text(args.output, text)
    return EXIT_OK
