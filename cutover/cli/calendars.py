"""``cutover calendars``: the shipped revision calendars."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cutover.cli.common import EXIT_OK

if TYPE_CHECKING:
    pass


def _cmd_calendars(args: argparse.Namespace) -> int:
    from cutover.calendar.load import load_calendar, shipped_calendars

    for cal_id in shipped_calendars():
        calendar = load_calendar(cal_id)
        effective = calendar.revision.effective.isoformat()
        print(f"{cal_id}\t{effective}\t{calendar.revision.title_ja}\t{calendar.revision.title_en}")
    return EXIT_OK
