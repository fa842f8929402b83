"""The command line's arguments, for every command."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, NoReturn

from cutover.cli.calendars import _cmd_calendars
from cutover.cli.checklists import _cmd_checklists
from cutover.cli.common import EXIT_USAGE
from cutover.cli.demo import _cmd_demo
from cutover.cli.diff import _cmd_diff
from cutover.cli.hearings import _cmd_hearings
from cutover.cli.init import _cmd_init
from cutover.cli.plan import _cmd_plan
from cutover.cli.summary import _cmd_summary
from cutover.cli.timeline import _cmd_timeline
from cutover.cli.triage import _cmd_triage
from cutover.cli.validate import _cmd_validate
from cutover.errors import CutoverError

if TYPE_CHECKING:
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"cutover: {message}\n")


def _date(text: str) -> dt.date:
    from cutover.jp.closed_days import FIRST_YEAR, LAST_YEAR
    from cutover.jp.wareki import parse_date

    try:
        day = parse_date(text)
    except CutoverError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        # Closed days are known for these years only (the holiday data): a date outside
        # them would be refused deep in the plan, naming a day the user never wrote.
        shown = repr(text) if text.strip() == day.isoformat() else f"{text!r} ({day.isoformat()})"
        raise argparse.ArgumentTypeError(
            f"{shown} is outside the years whose closed days are known "
            f"({FIRST_YEAR}–{LAST_YEAR}) — give a date from {FIRST_YEAR}-01-01 to "
            f"{LAST_YEAR}-12-31, near the revision"
        )
    return day


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cutover",
        description="Plan the cutover to a revised data standard layout "
        "(データ標準レイアウト改版) for every agency of a prefecture.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("calendars", help="list the shipped revision calendars")
    p.set_defaults(run=_cmd_calendars)

    p = sub.add_parser("validate", help="check a calendar and input files, report every problem")
    _add_calendar(p)
    p.add_argument("--agencies", metavar="F", help="agencies.csv")
    p.add_argument("--readiness", metavar="F", help="readiness.csv")
    p.add_argument(
        "--evidence", metavar="F", action="append", default=[], help="evidence.csv (repeatable)"
    )
    p.add_argument("--queries", metavar="F", help="queries.csv")
    _add_logs(p)
    p.add_argument(
        "--as-of",
        metavar="DATE",
        type=_date,
        help="judge evidence dates as of this date (default: today in JST)",
    )
    p.add_argument(
        "--lang",
        choices=("ja", "en"),
        default="ja",
        help="language of the warnings about evidence rows and calendar conflicts",
    )
    _add_fail_on(p)
    p.set_defaults(run=_cmd_validate)

    p = sub.add_parser("timeline", help="the revision's timeline with business dates")
    _add_calendar(p)
    _add_shift(p)
    p.add_argument("--format", choices=("md", "json", "ics", "mermaid", "svg"), default="md")
    p.add_argument("--lang", choices=("ja", "en"), default="ja")
    p.add_argument(
        "--as-of", metavar="DATE", type=_date, help="svg: the 'today' line (default: today in JST)"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(run=_cmd_timeline)

    p = sub.add_parser("init", help="write an agencies.csv template for a prefecture")
    p.add_argument("--prefecture", required=True, metavar="NN|名称", help="code or name")
    p.add_argument("-o", "--output", metavar="FILE", default="agencies.csv")
    p.set_defaults(run=_cmd_init)

    p = sub.add_parser("plan", help="every agency's tasks, due dates, statuses and flags")
    _add_calendar(p)
    _add_registry(p)
    p.add_argument("--format", choices=("json", "csv", "md", "ics"), default="json")
    _add_bom(p)
    p.add_argument("--agency", metavar="CODE", help="ics: the agency whose tasks to export")
    p.add_argument("--lang", choices=("ja", "en"), default="ja")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _add_shift(p)
    _add_fail_on(p)
    p.set_defaults(run=_cmd_plan)

    p = sub.add_parser("checklists", help="write one checklist per agency and the index")
    _add_calendar(p)
    _add_registry(p)
    p.add_argument("--lang", choices=("ja", "en"), default="ja")
    p.add_argument(
        "--templates", metavar="DIR", help="templates here replace the shipped ones by name"
    )
    p.add_argument("--out", metavar="DIR", required=True, help="where to write the checklists")
    _add_shift(p)
    _add_fail_on(p)
    p.set_defaults(run=_cmd_checklists)

    p = sub.add_parser("summary", help="agencies not ready, by business system and kind (§3)")
    _add_calendar(p)
    _add_registry(p)
    p.add_argument("--prefecture", metavar="NN|名称", help="only the agencies of one prefecture")
    p.add_argument("--format", choices=("md", "json"), default="md")
    p.add_argument("--lang", choices=("ja", "en"), default="ja")
    p.add_argument(
        "--templates", metavar="DIR", help="templates here replace the shipped ones by name"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _add_shift(p)
    _add_fail_on(p)
    p.set_defaults(run=_cmd_summary)

    p = sub.add_parser(
        "hearings", help="agencies the ministry may hear from (§4 test, §5 registration)"
    )
    _add_calendar(p)
    _add_registry(p)
    p.add_argument("--format", choices=("md", "csv", "json"), default="md")
    _add_bom(p)
    p.add_argument("--lang", choices=("ja", "en"), default="ja")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _add_shift(p)
    _add_fail_on(p)
    p.set_defaults(run=_cmd_hearings)

    p = sub.add_parser("diff", help="what changed between two versions of a calendar")
    p.add_argument("old", metavar="OLD", help="the calendar before: a shipped id or a TOML path")
    p.add_argument("new", metavar="NEW", help="the calendar after: a shipped id or a TOML path")
    p.add_argument("--format", choices=("md", "json"), default="md")
    p.add_argument("--lang", choices=("ja", "en"), default="ja")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(run=_cmd_diff)

    p = sub.add_parser("triage", help="flag outstanding queries around the provision cutoff")
    _add_calendar(p)
    p.add_argument("--queries", metavar="F", required=True, help="queries.csv")
    p.add_argument("--as-of", metavar="DATE", type=_date, help="default: today in JST")
    p.add_argument("--format", choices=("csv", "json", "md"), default="csv")
    _add_bom(p)
    p.add_argument("--lang", choices=("ja", "en"), default="ja", help="md: the language")
    p.add_argument(
        "--agencies",
        metavar="F",
        help="agencies.csv, read and checked for every format; the md report takes its names "
        "(associations' too) over the official ones",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _add_shift(p)
    _add_fail_on(p)
    p.set_defaults(run=_cmd_triage)

    p = sub.add_parser(
        "demo", help="the whole main job on the shipped example (鳥取県): checklists and index"
    )
    p.add_argument("--out", metavar="DIR", default="demo", help="where to write (default: demo)")
    p.add_argument("--lang", choices=("ja", "en"), default="ja")
    p.set_defaults(run=_cmd_demo)
    return parser


def _add_calendar(p: argparse.ArgumentParser) -> None:
    p.add_argument("calendar", metavar="CAL", help="a shipped calendar id (2018-07) or a TOML path")


def _add_bom(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--bom",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="start a CSV with a UTF-8 BOM, which Excel needs to read Japanese (default: "
        "with -o FILE yes, on standard output no)",
    )


def _add_shift(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--shift",
        metavar="EVENT=±N(bd|d)",
        action="append",
        default=[],
        help="what-if: move an event and everything after it (repeatable)",
    )


def _add_fail_on(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        help="exit 3 when there are findings of this severity or worse",
    )


def _add_registry(p: argparse.ArgumentParser) -> None:
    p.add_argument("--agencies", metavar="F", required=True, help="agencies.csv")
    p.add_argument("--readiness", metavar="F", help="readiness.csv")
    p.add_argument(
        "--evidence", metavar="F", action="append", default=[], help="evidence.csv (repeatable)"
    )
    p.add_argument("--as-of", metavar="DATE", type=_date, help="default: today in JST")
    p.add_argument("--queries", metavar="F", help="queries.csv: pending queries around the cutoff")
    _add_logs(p)


def _add_logs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--registration-log",
        metavar="F",
        action="append",
        default=[],
        help="duplicate-registration log (副本登録ログ) as evidence (repeatable)",
    )
    p.add_argument(
        "--test-log",
        metavar="F",
        action="append",
        default=[],
        help="inter-agency test log (機関間試験ログ) as evidence (repeatable)",
    )
