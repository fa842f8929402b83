"""``cutover triage``: the outstanding queries to answer by the cutoff, or to withdraw and re-
issue.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from cutover.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FLAGGED,
    EXIT_OK,
    _csv_encoding,
    _cutoff_rule,
    _print_problems,
    _warn_duplicates,
    _warn_far,
    _warn_far_future,
    today_jst,
)
from cutover.cli.console import tell
from cutover.cli.output import check_target, html_of_markdown, write_output
from cutover.i18n.catalogue import Msg
from cutover.i18n.text import day_said

if TYPE_CHECKING:
    from cutover.triage import CutoffRule, TriageReport


def _cmd_triage(args: argparse.Namespace) -> int:
    """Write the triage of the queries file, then its summary (and warnings, and rejected rows)
    on standard error in the run's language; return the exit code."""
    from cutover.render.files import open_output
    from cutover.render.triage import write_triage

    rule, timeline = _cutoff_rule(args.calendar, args.shift)
    as_of = args.as_of or today_jst()
    _warn_far(as_of, rule.effective, timeline.calendar.revision.kind, given=args.as_of is not None)
    names = None
    if args.agencies:
        from cutover.inputs.registry import load_agencies

        # Read and checked, as `plan` does, before anything is written.
        items = timeline.calendar.item_numbers
        found = load_agencies(args.agencies, items=items)
        names = {agency.code: agency.name for agency in found}

    def triage_to(stream: TextIO) -> TriageReport:
        return write_triage(
            args.queries,
            rule,
            as_of,
            stream,
            fmt="md" if args.format == "html" else args.format,
            calendar=timeline,
            lang=args.lang,
            agency_names=names,
        )

    check_target(args.format, args.output)
    if args.format == "xlsx":
        report = _triage_workbook(args, rule, as_of, names)
    elif args.format == "html" or (args.windows and args.format == "md"):
        # The page is made from the Markdown, whole.
        reports: list[TriageReport] = []

        def markdown(stream: TextIO) -> None:
            reports.append(triage_to(stream))

        write_output(
            args.format,
            args.output,
            {
                "md": markdown,
                "html": html_of_markdown(markdown, args.lang),
            },
            windows=args.windows,
        )
        report = reports[0]
    else:
        with open_output(args.output, encoding=_csv_encoding(args)) as stream:
            report = triage_to(stream)
    # The CSV holds the action rows only: the JSON and Markdown list every rejected row and
    # duplicated id, whatever their number.
    # (The workbook lists the first rejected rows: `REJECTED_ROWS`.)
    elsewhere = Msg(
        "triage.listed-in-output" if args.format in ("json", "md") else "triage.listed-by-json"
    )
    with report:
        counts = report.counts
        _warn_duplicates(args.queries, report.duplicates, elsewhere)
        _warn_far_future(args.queries, report.far_future_rows, as_of, rule)
        # By the cutoff day; its last business day when it is a closed day (a request
        # received on Saturday 6/30 is due that day, and on 6/30 Friday has passed).
        answer_by = "triage.summary-answer-by"
        if rule.answer_by != rule.last_provision:
            answer_by += "-passed" if as_of > rule.answer_by else "-closed"
        # (Days as a person reads them, 平成30年6月30日（土）: the weekday says why the last
        # business day is the day before.)
        dates = {
            "last_provision": day_said(rule.last_provision),
            "answer_by": day_said(rule.answer_by),
        }
        tell(
            Msg(
                "triage.summary",
                {
                    "total": counts.total,
                    "provide": counts.provide_by_cutoff,
                    "answer_by": Msg(answer_by, dates),
                    "withdraw": counts.withdraw_and_reissue,
                    "reissue_from": day_said(rule.reissue_from),
                    "outside": counts.outside_rule,
                    "closed": counts.none - counts.outside_rule,
                    "rejected": counts.rejected,
                },
            )
        )
        if counts.rejected:
            _print_problems(report.rejected, more=Msg("triage.more-rejected", {"where": elsewhere}))
            return EXIT_BAD_INPUT
    if args.fail_on is not None:
        from cutover.planning.queries import actions_at_or_above

        if actions_at_or_above(counts, args.fail_on):
            return EXIT_FLAGGED
    return EXIT_OK


def _triage_workbook(
    args: argparse.Namespace,
    rule: CutoffRule,
    as_of: dt.date,
    names: Mapping[str, str] | None,
) -> TriageReport:
    """Write the triage as a workbook to -o (`cutover.render.xlsx.TriageBook`); return the
    report (the caller closes it)."""
    from cutover.render.files import write_bytes
    from cutover.render.xlsx import REJECTED_ROWS, TriageBook
    from cutover.triage import triage_file
    from cutover.triage.lines import query_ids_at

    book = TriageBook(as_of=as_of, lang=args.lang, agency_names=names)
    report = triage_file(args.queries, rule, as_of, on_action=book.write)
    try:
        shown = zip(range(REJECTED_ROWS), report.rejected, strict=False)
        rows = [(p.file, p.line) for _, p in shown if p.line is not None]
        write_bytes(args.output, book.finish(report, query_ids_at(args.queries, rows)))
    except BaseException:
        report.close()
        raise
    return report
