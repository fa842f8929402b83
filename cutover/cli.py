"""The command line: parses arguments and calls the library; no planning logic lives here.

Exit codes: 0 done; 1 bad input (one line per problem on stderr, no traceback);
2 usage; 3 flags at or above ``--fail-on`` were found.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from cutover.errors import CutoverError, Problem

if TYPE_CHECKING:
    from cutover.calendar import RevisionCalendar
    from cutover.planner import Plan
    from cutover.registry import Registry
    from cutover.summary import Summary
    from cutover.timeline import Timeline
    from cutover.triage import CutoffRule, Duplicate

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_FLAGGED = 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"cutover: {message}\n")


def _date(text: str) -> dt.date:
    from cutover.businessdays import FIRST_YEAR, LAST_YEAR
    from cutover.wareki import parse_date

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


def today_jst() -> dt.date:
    """Return today's date in Japan (the default --as-of): UTC+9, without daylight saving
    since 1951 (a fixed offset needs no time-zone database, which Windows lacks)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date()


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


def _csv_encoding(args: argparse.Namespace) -> str:
    """Return the encoding of the output: a CSV written to a file starts with a BOM, for
    Excel (without it, Excel reads UTF-8 Japanese as Shift_JIS, garbled); on standard
    output, read by other programs, it does not. ``--bom`` / ``--no-bom`` decide instead."""
    if args.format != "csv":
        return "utf-8"
    to_file = args.output is not None and args.output != "-"
    return "utf-8-sig" if (args.bom if args.bom is not None else to_file) else "utf-8"


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


def _timeline(calendar: RevisionCalendar, shifts: Sequence[str]) -> Timeline:
    from cutover.timeline import build_timeline, parse_shift

    return build_timeline(calendar, [parse_shift(s) for s in shifts])


def _cmd_calendars(args: argparse.Namespace) -> int:
    from cutover.calendar import load_calendar, shipped_calendars

    for cal_id in shipped_calendars():
        calendar = load_calendar(cal_id)
        effective = calendar.revision.effective.isoformat()
        print(f"{cal_id}\t{effective}\t{calendar.revision.title_ja}\t{calendar.revision.title_en}")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from cutover.calendar import load_calendar
    from cutover.errors import printable

    calendar = load_calendar(args.calendar)
    timeline = _timeline(calendar, [])
    problems: list[CutoverError] = []
    report = [
        f"calendar {calendar.id}: {len(calendar.events)} events, {len(calendar.tasks)} tasks, "
        f"{len(timeline.conflicts)} conflicts"
    ]
    agencies = None
    if args.agencies or args.readiness or args.evidence:
        from cutover.registry import load_agencies, load_evidence, load_readiness

        if args.agencies:
            try:
                agencies = load_agencies(args.agencies)
                report.append(f"{args.agencies}: {len(agencies)} agencies")
            except CutoverError as err:
                problems.append(err)
        if args.readiness:
            try:
                readiness = load_readiness(args.readiness, agencies)
                report.append(f"{args.readiness}: {len(readiness)} readiness rows")
            except CutoverError as err:
                problems.append(err)
        for path in args.evidence:
            try:
                evidence = load_evidence(path, agencies, tasks=calendar.tasks)
                report.append(f"{path}: {len(evidence)} evidence rows")
            except CutoverError as err:
                problems.append(err)
    if args.registration_log or args.test_log:
        from cutover.logs import load_registration_log, load_test_log

        logs = [(path, load_registration_log) for path in args.registration_log]
        logs += [(path, load_test_log) for path in args.test_log]
        for path, load_log in logs:
            try:
                loaded = load_log(path, agencies)
            except CutoverError as err:
                problems.append(err)
                continue
            report.append(
                f"{path}: {len(loaded.evidence)} evidence rows, "
                f"{len(loaded.rejected_attempts)} attempts that do not count"
            )
    warnings = len(timeline.conflicts)
    if (
        agencies is not None
        and not problems
        and (args.evidence or args.registration_log or args.test_log)
    ):
        warnings += _warn_evidence(args, timeline)
    if args.queries:
        from cutover.planner import load_queries

        try:
            findings = load_queries(args.queries, timeline, args.as_of or today_jst())
        except CutoverError as err:
            problems.append(err)
        else:
            report.append(
                f"{args.queries}: {findings.counts.total} queries, "
                f"{findings.counts.rejected} rejected"
            )
            if findings.rejected:
                problems.append(CutoverError.from_problems(findings.rejected))
            _warn_duplicates(args.queries, findings.duplicates, _MORE_DUPLICATES)
            _warn_far_future(
                args.queries,
                findings.far_future,
                args.as_of or today_jst(),
                timeline.cutoff_dates(),
            )
            warnings += findings.far_future[0]
    for conflict in timeline.conflicts:
        ja = args.lang == "ja" and conflict.message_ja
        print(
            f"cutover: warning: {printable(calendar.source_file)}: {conflict.event}: "
            f"{conflict.message_ja if ja else conflict.message}"
            f" — {conflict.fix_ja if ja else conflict.fix}",
            file=sys.stderr,
        )
    for line in report:
        print(printable(line))  # (one line each, whatever a file's name holds)
    if problems:
        _print_errors(problems)
        return EXIT_BAD_INPUT
    if warnings and args.fail_on == "warning":
        return EXIT_FLAGGED
    return EXIT_OK


def _load_registry(args: argparse.Namespace, timeline: Timeline) -> Registry:
    """Return the registry the arguments name, told the calendar's tasks (for messages)."""
    from cutover.registry import load_registry

    return load_registry(
        args.agencies,
        args.readiness,
        args.evidence,
        registration_logs=args.registration_log,
        test_logs=args.test_log,
        tasks=timeline.calendar.tasks,
    )


def _warn_evidence(args: argparse.Namespace, timeline: Timeline) -> int:
    """Warn, on standard error, of each evidence row the checklists would not count
    (`cutover.planner.uncounted_evidence`); return how many warnings there were."""
    from cutover.planner import plan, uncounted_evidence

    registry = _load_registry(args, timeline)
    the_plan = plan(timeline, registry, args.as_of or today_jst())
    found = [
        f"cutover: warning: {agency.code} {agency.name}: {what}: {why}"
        for agency, what, why in uncounted_evidence(the_plan, registry, args.lang)
    ]
    for line in found[:_STDERR_LINES]:
        print(line, file=sys.stderr)
    if len(found) > _STDERR_LINES:
        print(
            f"cutover: warning: {len(found) - _STDERR_LINES} more evidence warnings "
            "(cutover plan CAL … --format json lists them all)",
            file=sys.stderr,
        )
    return len(found)


def _cmd_timeline(args: argparse.Namespace) -> int:
    from cutover.calendar import load_calendar
    from cutover.fileio import write_text
    from cutover.render.timeline import timeline_json, timeline_markdown, timeline_mermaid
    from cutover.timeline import WhatIf, parse_shift, what_if

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


def _write_bytes(target: str | None, data: bytes) -> None:
    """Write `data` as it is: iCalendar lines end in CRLF, which no text layer may touch."""
    from cutover.fileio import open_output

    with open_output(target) as stream:
        if stream is sys.stdout:
            # (Standard output translates newlines on Windows: its bytes below it do not.)
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
        else:
            # A file's stream translates no newlines, so the CRLFs reach it unchanged.
            stream.write(data.decode("utf-8"))


def _cmd_init(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cutover.errors import printable
    from cutover.fileio import write_text
    from cutover.registry import TEMPLATE_NOTE_JA, registry_template

    text = registry_template(args.prefecture)
    # (A device or a pipe, `-o /dev/stdout`, has nothing to lose.)
    if args.output != "-" and Path(args.output).is_file():
        raise CutoverError(
            "the file already exists",
            fix="choose another name with -o, or remove it first",
            file=args.output,
        )
    # With a BOM, Excel (which coordinators edit the registry in) reads the UTF-8 Japanese.
    # A file gets a BOM, for Excel; standard output, read by programs, does not.
    write_text(args.output, text, encoding="utf-8-sig" if args.output != "-" else "utf-8")
    if args.output != "-":
        rows = text.count("\n") - 1
        print(f"wrote {printable(args.output)}: {rows} agencies", file=sys.stderr)
    print(TEMPLATE_NOTE_JA, file=sys.stderr)
    return EXIT_OK


#: How far from the revision an as-of date may be before the command asks to check it.
_FAR_DAYS = 366


def _warn_far(as_of: dt.date, effective: dt.date, *, given: bool) -> None:
    """Warn when the as-of date is over a year from the revision: a mistyped year, or a
    forgotten --as-of (today, years after a past revision). Everything still runs."""
    days = (as_of - effective).days
    if abs(days) <= _FAR_DAYS:
        return
    side = "after" if days > 0 else "before"
    what = f"--as-of {as_of.isoformat()}" if given else f"today ({as_of.isoformat()}, no --as-of)"
    print(
        f"cutover: warning: {what} is {abs(days)} days {side} the revision takes effect "
        f"({effective.isoformat()}) — check the year, or give --as-of the date to plan as of",
        file=sys.stderr,
    )


def _plan(args: argparse.Namespace) -> Plan:
    """Return the plan the registry arguments describe (shared by plan, checklists, summary)."""
    from cutover.calendar import load_calendar
    from cutover.planner import load_queries, plan

    timeline = _timeline(load_calendar(args.calendar), args.shift)
    registry = _load_registry(args, timeline)
    as_of = args.as_of or today_jst()
    _warn_far(as_of, timeline.effective, given=args.as_of is not None)
    queries = load_queries(args.queries, timeline, as_of) if args.queries else None
    if queries is not None:
        _warn_duplicates(args.queries, queries.duplicates, _MORE_DUPLICATES)
        _warn_far_future(args.queries, queries.far_future, as_of, timeline.cutoff_dates())
    the_plan = plan(timeline, registry, as_of, queries=queries)
    if not args.shift:
        return the_plan
    from cutover.whatif import with_what_if

    # What the shifts changed: the same registry planned as of the same date without them.
    return with_what_if(the_plan, registry)


def _flagged(summary: Summary, fail_on: str | None, plan: Plan | None = None) -> int:
    """Return the exit code once the output is written: 1 for rejected query rows, 3 when
    --fail-on is met."""
    if plan is not None and plan.queries is not None and plan.queries.rejected:
        _print_problems(plan.queries.rejected, more=_MORE_REJECTED)
        return EXIT_BAD_INPUT
    if fail_on is not None and summary.flags_at_or_above(fail_on):
        return EXIT_FLAGGED
    return EXIT_OK


def _cmd_plan(args: argparse.Namespace) -> int:
    from cutover.fileio import open_output
    from cutover.render.plan import plan_json, plan_markdown, write_plan_csv
    from cutover.summary import summarize

    if (args.format == "ics") != (args.agency is not None):
        usage = (
            "--format ics writes one agency's calendar: give --agency CODE (a code of agencies.csv)"
            if args.format == "ics"
            else "--agency is only used with --format ics"
        )
        print(f"cutover: {usage}", file=sys.stderr)
        return EXIT_USAGE
    the_plan = _plan(args)
    if args.format == "ics":
        from cutover.render.ics import plan_ics

        _write_bytes(args.output, plan_ics(the_plan, args.agency, lang=args.lang))
        return _flagged(summarize(the_plan), args.fail_on, the_plan)
    with open_output(args.output, encoding=_csv_encoding(args)) as stream:
        if args.format == "json":
            import json

            json.dump(plan_json(the_plan, lang=args.lang), stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        elif args.format == "csv":
            write_plan_csv(the_plan, stream, lang=args.lang)
        else:
            stream.write(plan_markdown(the_plan, lang=args.lang))
    return _flagged(summarize(the_plan), args.fail_on, the_plan)


def _cmd_checklists(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cutover.errors import printable
    from cutover.render.checklist import stale_checklists, write_checklists
    from cutover.summary import summarize

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


def _cmd_summary(args: argparse.Namespace) -> int:
    from cutover.fileio import write_text
    from cutover.summary import summarize, summary_json, summary_markdown

    the_plan = _plan(args)
    summary = summarize(the_plan, prefecture=args.prefecture)
    if args.format == "json":
        import json

        text = json.dumps(summary_json(summary), ensure_ascii=False, indent=2) + "\n"
    else:
        text = summary_markdown(summary, lang=args.lang, templates=args.templates)
    write_text(args.output, text)
    return _flagged(summary, args.fail_on, the_plan)


def _cmd_hearings(args: argparse.Namespace) -> int:
    from cutover.fileio import open_output
    from cutover.hearings import hearings
    from cutover.render.hearings import hearings_json, hearings_markdown, write_hearings_csv

    the_plan = _plan(args)
    found = hearings(the_plan)
    with open_output(args.output, encoding=_csv_encoding(args)) as stream:
        if args.format == "json":
            import json

            json.dump(hearings_json(found, lang=args.lang), stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        elif args.format == "csv":
            write_hearings_csv(found, stream, lang=args.lang)
        else:
            stream.write(hearings_markdown(found, lang=args.lang))
    if the_plan.queries is not None and the_plan.queries.rejected:
        _print_problems(the_plan.queries.rejected, more=_MORE_REJECTED)
        return EXIT_BAD_INPUT
    if args.fail_on is not None and found.findings_at_or_above(args.fail_on):
        return EXIT_FLAGGED
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from cutover.calendar import load_calendar
    from cutover.diff import diff_calendars
    from cutover.fileio import write_text
    from cutover.render.diff import diff_json, diff_markdown

    diff = diff_calendars(load_calendar(args.old), load_calendar(args.new))
    if args.format == "json":
        import json

        text = json.dumps(diff_json(diff), ensure_ascii=False, indent=2) + "\n"
    else:
        text = diff_markdown(diff, lang=args.lang)
    write_text(args.output, text)
    return EXIT_OK


def _cutoff_rule(calendar: str, shifts: Sequence[str]) -> tuple[CutoffRule, str]:
    """Return a calendar's cutoff rule, with its shifts applied, and the calendar's id."""
    from cutover.calendar import load_calendar
    from cutover.planner import cutoff_rule

    timeline = _timeline(load_calendar(calendar), shifts)
    return cutoff_rule(timeline), timeline.calendar.id


def _cmd_triage(args: argparse.Namespace) -> int:
    from cutover.fileio import open_output
    from cutover.render.triage import write_triage

    rule, calendar_id = _cutoff_rule(args.calendar, args.shift)
    as_of = args.as_of or today_jst()
    _warn_far(as_of, rule.effective, given=args.as_of is not None)
    names = None
    if args.agencies:
        from cutover.registry import load_agencies

        # Read and checked, as `plan` does, before anything is written.
        names = {agency.code: agency.name for agency in load_agencies(args.agencies)}
    with open_output(args.output, encoding=_csv_encoding(args)) as stream:
        report = write_triage(
            args.queries,
            rule,
            as_of,
            stream,
            fmt=args.format,
            calendar=calendar_id,
            lang=args.lang,
            agency_names=names,
        )
    # The CSV holds the action rows only: the JSON and Markdown list every rejected row and
    # duplicated id, whatever their number.
    elsewhere = (
        "the output lists them all" if args.format != "csv" else "--format json lists them all"
    )
    with report:
        counts = report.counts
        _warn_duplicates(args.queries, report.duplicates, elsewhere)
        _warn_far_future(args.queries, report.far_future_rows, as_of, rule)
        # By the cutoff day; its last business day when it is a closed day (a request
        # received on Saturday 6/30 is due that day, and on 6/30 Friday has passed).
        answer_by = rule.last_provision.isoformat()
        if rule.answer_by != rule.last_provision:
            passed = ", passed" if as_of > rule.answer_by else ""
            answer_by += f" (last business day {rule.answer_by.isoformat()}{passed})"
        summary = (
            f"{counts.total} queries: {counts.provide_by_cutoff} to answer by "
            f"{answer_by}, {counts.withdraw_and_reissue} to withdraw and "
            f"re-issue from {rule.reissue_from.isoformat()}, {counts.none} need nothing, "
            f"{counts.rejected} rejected"
        )
        print(summary, file=sys.stderr)
        if counts.rejected:
            _print_problems(report.rejected, more=f"rejected rows ({elsewhere})")
            return EXIT_BAD_INPUT
    if args.fail_on == "error" and counts.withdraw_and_reissue:
        return EXIT_FLAGGED
    if args.fail_on == "warning" and (counts.withdraw_and_reissue or counts.provide_by_cutoff):
        return EXIT_FLAGGED
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from cutover.demo import run_demo

    # The example's plan has error flags on purpose: the demo shows them, it does not fail.
    for line in run_demo(args.out, lang=args.lang).report():
        print(line)
    return EXIT_OK


def _print_errors(errors: Sequence[CutoverError]) -> None:
    for err in errors:
        _print_problems(err.problems)


_MORE_REJECTED = "rejected query rows (cutover triage CAL --queries F --format json lists them all)"
_MORE_DUPLICATES = "cutover triage CAL --queries F --format json lists them all"


def _warn_far_future(
    source: str, far: tuple[int, int | None], as_of: dt.date, rule: CutoffRule | None
) -> None:
    """Warn of open requests for cutoff items dated far after the as-of date: not yet
    received then, so most likely a year or era slip, which the rule would pass as "after
    the cutoff, nothing to do"."""
    from cutover.errors import printable
    from cutover.triage import FAR_REQUEST_DAYS

    count, first = far
    if not count or rule is None:
        return
    print(
        f"cutover: warning: {printable(source)}:{first}: {count} open request(s) for items "
        f"{rule.items_text} dated more than {FAR_REQUEST_DAYS} days after the as-of date "
        f"{as_of.isoformat()} (the first on line {first}): not yet received on that date — "
        "check the year or era (令和元年 for 平成30年), or the as-of date",
        file=sys.stderr,
    )


def _warn_duplicates(source: str, duplicates: Sequence[Duplicate], elsewhere: str) -> None:
    """Warn, on standard error, of query ids on more than one row: each such row is counted
    and listed once per line, so the counts are higher than the queries."""
    from cutover.errors import printable

    source = printable(source)
    for duplicate in duplicates[:_STDERR_LINES]:
        lines = ", ".join(str(n) for n in duplicate.lines)
        print(
            f"cutover: warning: {source}: query id {duplicate.query_id!r} is on "
            f"lines {lines} — keep one row per query",
            file=sys.stderr,
        )
    if len(duplicates) > _STDERR_LINES:
        print(
            f"cutover: warning: {source}: … and {len(duplicates) - _STDERR_LINES:,} "
            f"more query ids on more than one row ({elsewhere})",
            file=sys.stderr,
        )


#: Rejected rows and duplicated ids shown on standard error, at most: a log concatenated to
#: itself must not flood the terminal with two million lines.
_STDERR_LINES = 100


def _print_problems(problems: Iterable[Problem], *, more: str | None = None) -> None:
    """Print each problem on standard error; with `more`, the first `_STDERR_LINES` and a
    count of the others (`more` says what they are and where they are all listed)."""
    from cutover.errors import printable

    left = 0
    for n, problem in enumerate(problems):
        if more is not None and n >= _STDERR_LINES:
            left += 1
            continue
        # One line each, whatever a file name or a value holds (a newline, an escape).
        print(f"cutover: {printable(str(problem))}", file=sys.stderr)
    if left:
        print(f"cutover: … and {left:,} more {more}", file=sys.stderr)


def _utf8_stdout() -> Callable[[], None]:
    """Make a redirected standard output UTF-8, as every file cutover writes; return how to
    undo it.

    On Japanese Windows, `cutover plan … > plan.md` would otherwise write cp932, which lacks
    characters of the output (the dash "—"), and fail half-way.
    """
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding in ("utf8", "utf8sig") or reconfigure is None or stream.isatty():
        return lambda: None
    previous = stream.encoding
    reconfigure(encoding="utf-8")

    def restore() -> None:
        with contextlib.suppress(ValueError):  # (closed meanwhile)
            reconfigure(encoding=previous)

    return restore


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: sys.argv) and return the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from importlib.metadata import version

        print(f"cutover {version('cutover')}")
        return EXIT_OK
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    # A run keeps hundreds of thousands of objects alive (rows, tasks, views) and makes few
    # reference cycles: at the default thresholds the cyclic collector spent about 15% of
    # a national checklists run scanning them again and again. Restored for callers.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    restore = _utf8_stdout()
    try:
        with _stopped_by_signals():
            _refuse_overwriting_inputs(args)
            code = run(args)
            _flush_stdout()
            return code
    except CutoverError as err:
        _print_errors([err])
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("cutover: interrupted", file=sys.stderr)
        return 130
    except _Stopped as stop:
        print(f"cutover: stopped by {signal.Signals(stop.signum).name}", file=sys.stderr)
        return 128 + stop.signum
    except BrokenPipeError:
        # The reader of stdout went away (`| head`): nothing more to say.
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        from cutover.fileio import write_failed

        # A full disk met by a temporary file (a spill to disk), not by the output.
        failed = write_failed(exc) if isinstance(exc, OSError) else None
        if failed is not None:
            _print_errors([failed])
            return EXIT_BAD_INPUT
        print(
            f"cutover: internal error: {type(exc).__name__}: {exc} — this is a bug in cutover; "
            "run again with --debug and report the traceback",
            file=sys.stderr,
        )
        return 70
    finally:
        gc.set_threshold(*thresholds)
        restore()
        _drop_unwritable_stdout()


#: The arguments that name files a command reads, by their dest, as the user writes them.
#: An output may be none of them (`_refuse_overwriting_inputs`); a test keeps it complete.
INPUT_ARGUMENTS = {
    "calendar": "CAL",
    "old": "OLD",
    "new": "NEW",
    "agencies": "--agencies",
    "readiness": "--readiness",
    "evidence": "--evidence",
    "queries": "--queries",
    "registration_log": "--registration-log",
    "test_log": "--test-log",
    "templates": "--templates",
}
#: The arguments that name what a command writes: a file (`-o`), or a folder of checklists.
OUTPUT_ARGUMENTS = {"output": "-o", "out": "--out"}


def _refuse_overwriting_inputs(args: argparse.Namespace) -> None:
    """Refuse, before anything is read, an output that is one of the command's inputs:
    `cutover triage … --queries q.csv -o q.csv` would replace the queries with the triage."""
    from pathlib import Path

    from cutover.fileio import refuse_overwriting_inputs

    inputs: list[tuple[str, str]] = []
    for dest, shown in INPUT_ARGUMENTS.items():
        value = getattr(args, dest, None)
        for path in value if isinstance(value, list) else [value]:
            if path is None:
                continue
            if dest in ("calendar", "old", "new") and not Path(path).exists():
                continue  # a shipped calendar's id
            inputs.append((shown, path))
    out: str | None = getattr(args, "out", None)
    if out is not None:
        # (checklists, demo: a folder of checklists, and a report on standard output)
        from cutover.render.checklist import checklist_file

        refuse_overwriting_inputs(inputs, directory=out, written=checklist_file)
    elif hasattr(args, "output"):
        refuse_overwriting_inputs(inputs, output=args.output)


class _Stopped(BaseException):
    """SIGTERM or SIGHUP asked the command to stop: raised where it runs, as Ctrl-C's
    KeyboardInterrupt is, so that a temporary file being written is removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into `_Stopped` for the command's run, then restore them.

    Without this a `kill` (a job scheduler's timeout, a closed terminal) ends the process at
    once and leaves ``.name.XXXX.tmp`` beside the output. A signal this process was started
    ignoring (nohup ignores SIGHUP) or that a caller handles stays as it is; signals can only
    be handled in the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            previous[signum] = signal.signal(signum, _stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _flush_stdout() -> None:
    """Flush standard output now, so that a full disk is told here, not at exit."""
    from cutover.fileio import STDOUT, write_failed

    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        failed = write_failed(exc, STDOUT)
        if failed is None:
            raise
        raise failed from None


def _drop_unwritable_stdout() -> None:
    """Point standard output at the null device when it cannot be written (a full disk, a
    reader gone): Python flushes it again at exit and would print a traceback of its own."""
    import os

    stream = sys.stdout
    if stream is None:
        return
    try:
        stream.flush()
    except OSError:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, stream.fileno())
            os.close(null)
