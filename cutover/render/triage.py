"""Writers for triage results: CSV and JSON stream row by row; Markdown groups by agency.

A writer has ``write(result)`` (pass it as `triage_file`'s ``on_action``: rows whose action
is ``none`` are skipped) and ``finish(report)``, called once the report is finished.
`write_triage` does both for a file or for any iterable of rows.

- CSV: the rows that need action, one per line, in input order (`CSV_COLUMNS`).
- JSON: DESIGN.md §3 ``triage``, plus ``duplicates``. The counts come before the queries
  but are known only at the end, so the queries wait in a temporary file (spilled to disk
  past a few megabytes): memory stays flat.
- Markdown: for the two readers — each provider's requests to answer by the cutoff, each
  querier's queries to withdraw and re-issue (or, before the cutoff, waiting for an
  answer) — with counts per agency and item. It holds the action rows in memory to group
  them, which suits the human-sized lists it is read for.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Literal, Protocol, TextIO

from cutover.errors import Problem
from cutover.render.markdown import escape_cell
from cutover.triage import (
    Action,
    CutoffRule,
    Query,
    TriageReport,
    TriageResult,
    triage,
    triage_file,
)

__all__ = [
    "CSV_COLUMNS",
    "CsvWriter",
    "JsonWriter",
    "MarkdownWriter",
    "TriageFormat",
    "TriageWriter",
    "result_fields",
    "write_triage",
]

#: The columns of the CSV output, in order.
CSV_COLUMNS = (
    "query_id",
    "querier",
    "provider",
    "item",
    "requested",
    "status",
    "action",
    "due",
    "reason",
)

TriageFormat = Literal["csv", "json", "md"]


class TriageWriter(Protocol):
    """What `write_triage` needs of a writer."""

    def write(self, result: TriageResult) -> None:
        """Write one result (ignored when its action is ``none``)."""

    def finish(self, report: TriageReport) -> None:
        """Write what is known only at the end: counts, rejected rows, duplicates."""


def result_fields(result: TriageResult) -> dict[str, str | int | None]:
    """Return a result's output fields by `CSV_COLUMNS` name; requested in ISO 8601 +09:00."""
    query = result.query
    return {
        "query_id": query.query_id,
        "querier": query.querier,
        "provider": query.provider,
        "item": query.item,
        "requested": query.requested.isoformat(),  # a Query's time is always JST
        "status": query.status.value,
        "action": result.action.value,
        "due": result.due.isoformat() if result.due is not None else None,
        "reason": result.reason,
    }


def _rejected_message(problem: Problem) -> str:
    return f"{problem.message} — {problem.fix}" if problem.fix else problem.message


class CsvWriter:
    """Writes the rows that need action as CSV, a header first, in input order.

    The header waits for the first row or for `finish`: a file refused as a whole (a
    personal-number column, say) leaves nothing written.
    """

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._tails: dict[tuple[Action, date | None, str], str] = {}
        self._started = False

    def _start(self) -> None:
        self._out.write(",".join(CSV_COLUMNS) + "\n")
        self._started = True

    def write(self, result: TriageResult) -> None:
        """Write one result's row, unless its action is ``none``."""
        action = result.action
        if action is Action.NONE:
            return
        if not self._started:
            self._start()
        q = result.query
        # Ids and codes rarely need quoting: look at the three at once.
        head = f"{q.query_id},{q.querier},{q.provider}"
        if head.count(",") != 2 or '"' in head or "\n" in head or "\r" in head:
            head = f"{_csv_field(q.query_id)},{_csv_field(q.querier)},{_csv_field(q.provider)}"
        # The action, due date and reason are shared by every row with the same item and
        # day: write them out once. (The csv module would scan the reason's few hundred
        # characters again for every row.)
        key = (action, result.due, result.reason)
        tail = self._tails.get(key)
        if tail is None:
            due = result.due.isoformat() if result.due is not None else ""
            tail = f"{action.value},{due},{_csv_field(result.reason)}\n"
            if len(self._tails) < 4096:
                self._tails[key] = tail
        self._out.write(f"{head},{q.item},{q.requested.isoformat()},{q.status.value},{tail}")

    def finish(self, report: TriageReport) -> None:
        """Write the header if no row did: the counts are in `report`, for the caller."""
        if not self._started:
            self._start()


def _csv_field(text: str) -> str:
    """Return `text` as one CSV field, quoted as the csv module's QUOTE_MINIMAL would."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class JsonWriter:
    """Writes the DESIGN.md §3 ``triage`` object, queries spooled until the counts are known."""

    def __init__(self, out: TextIO, *, calendar: str, rule: CutoffRule, as_of: date) -> None:
        self._out = out
        self._head = {"calendar": _calendar_json(calendar, rule), "as_of": as_of.isoformat()}
        # Lives from the first row to `finish`, which closes it: no single block to scope it.
        self._queries = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=4 << 20, mode="w+", encoding="utf-8", newline="\n"
        )
        self._written = 0

    def write(self, result: TriageResult) -> None:
        """Spool one result's object, unless its action is ``none``."""
        if result.action is Action.NONE:
            return
        separator = ",\n" if self._written else ""
        self._queries.write(f"{separator}    {_dumps(result_fields(result))}")
        self._written += 1

    def finish(self, report: TriageReport) -> None:
        """Write the whole object: calendar, as_of, counts, queries, rejected, duplicates."""
        out = self._out
        out.write("{\n")
        for key, value in self._head.items():
            out.write(f"  {_dumps(key)}: {_dumps(value)},\n")
        out.write(f'  "counts": {_dumps(report.counts.as_dict())},\n')
        out.write('  "queries": [')
        if self._written:
            out.write("\n")
            self._queries.seek(0)
            shutil.copyfileobj(self._queries, out)
            out.write("\n  ")
        out.write("],\n")
        self._queries.close()
        _write_array(
            out,
            "rejected",
            ({"line": p.line, "message": _rejected_message(p)} for p in report.rejected),
        )
        out.write(",\n")
        _write_array(
            out,
            "duplicates",
            ({"query_id": d.query_id, "lines": list(d.lines)} for d in report.duplicates),
        )
        out.write("\n}\n")


def _calendar_json(calendar: str, rule: CutoffRule) -> dict[str, object]:
    return {
        "id": calendar,
        "cutoff": {
            "items": sorted(rule.items),
            "last_provision": rule.last_provision.isoformat(),
            "answer_by": rule.answer_by.isoformat(),
            "effective": rule.effective.isoformat(),
            "reissue_from": rule.reissue_from.isoformat(),
            "section": rule.section,
        },
    }


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_array(out: TextIO, key: str, objects: Iterable[Mapping[str, object]]) -> None:
    out.write(f"  {_dumps(key)}: [")
    first = True
    for obj in objects:
        out.write(f"{'' if first else ','}\n    {_dumps(obj)}")
        first = False
    out.write("]" if first else "\n  ]")


class MarkdownWriter:
    """Writes a Markdown report for providers and queriers, grouped by agency code."""

    def __init__(self, out: TextIO, *, calendar: str, rule: CutoffRule, as_of: date) -> None:
        self._out = out
        self._calendar = calendar
        self._rule = rule
        self._as_of = as_of
        self._provide: list[TriageResult] = []
        self._withdraw: list[TriageResult] = []

    def write(self, result: TriageResult) -> None:
        """Keep one result for its agency's list, unless its action is ``none``."""
        if result.action is Action.PROVIDE_BY_CUTOFF:
            self._provide.append(result)
        elif result.action is Action.WITHDRAW_AND_REISSUE:
            self._withdraw.append(result)

    def finish(self, report: TriageReport) -> None:
        """Write the whole report."""
        rule, out = self._rule, self._out
        out.write(f"# Query triage: calendar {escape_cell(self._calendar)}, ")
        out.write(f"as of {self._as_of.isoformat()}\n\n")
        same_day = ""
        if rule.answer_by < rule.last_provision:
            same_day = f"; one received on {rule.last_provision} itself, that day"
        out.write(
            f"Cutoff rule ({rule.section}): for items {rule.items_text}, a request for provision "
            f"(提供の求め) received on or before {rule.last_provision} must be answered by "
            f"{rule.answer_by}, the last business day{same_day} (一時入力 included); from "
            f"{rule.effective} it cannot be answered, and the querier withdraws it (取りやめ) "
            f"and re-issues it (再照会) on or after {rule.effective} (first business day "
            f"{rule.reissue_from}).\n\n"
        )
        self._write_counts(report)
        self._write_agency_counts()
        self._write_groups(
            f"Providers (情報提供者): requests to answer by {rule.answer_by}",
            self._provide,
            by="provider",
            other="querier",
            due=f"answer by {rule.answer_by}",
            own_due=True,
        )
        self._write_groups(
            f"Queriers (情報照会者): queries waiting for an answer by {rule.last_provision}",
            self._provide,
            by="querier",
            other="provider",
            due=f"if unanswered on {rule.last_provision}: withdraw, re-issue from {rule.effective}",
        )
        self._write_groups(
            f"Queriers (情報照会者): queries to withdraw and re-issue on or after {rule.effective}",
            self._withdraw,
            by="querier",
            other="provider",
            due=f"re-issue from {rule.effective} (first business day {rule.reissue_from})",
        )
        self._write_problems(report)

    def _write_counts(self, report: TriageReport) -> None:
        c = report.counts
        rows = [
            ("rows read", c.total),
            ("provide by cutoff (提供)", c.provide_by_cutoff),
            ("withdraw and re-issue (取りやめ・再照会)", c.withdraw_and_reissue),
            ("no action", c.none),
            ("rejected (see below)", c.rejected),
            ("duplicated query ids (see below)", len(report.duplicates)),
        ]
        self._out.write("## Counts\n\n| | rows |\n|---|---:|\n")
        for label, n in rows:
            self._out.write(f"| {label} | {n} |\n")
        self._out.write("\n")

    def _write_agency_counts(self) -> None:
        counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        for r in self._provide:
            counts[r.query.provider, r.query.item][0] += 1
            counts[r.query.querier, r.query.item][1] += 1
        for r in self._withdraw:
            counts[r.query.querier, r.query.item][2] += 1
        if not counts:
            return
        out = self._out
        out.write("## Counts per agency and item\n\n")
        out.write(
            "| agency | name | item | to answer (as provider) | waiting (as querier) "
            "| to withdraw and re-issue (as querier) |\n|---|---|---:|---:|---:|---:|\n"
        )
        for (code, item), (answer, wait, withdraw) in sorted(counts.items()):
            out.write(
                f"| {escape_cell(code)} | {_agency_name(code)} | {item} | {answer} | {wait} "
                f"| {withdraw} |\n"
            )
        out.write("\n")

    def _write_groups(
        self,
        title: str,
        results: Sequence[TriageResult],
        *,
        by: Literal["provider", "querier"],
        other: Literal["provider", "querier"],
        due: str,
        own_due: bool = False,
    ) -> None:
        """Write one table per agency; with `own_due`, each row's due date in a column.

        (A request received on a closed cutoff day is due that day, not on the last
        business day before it.)
        """
        if not results:
            return
        groups: dict[str, list[TriageResult]] = defaultdict(list)
        for r in results:
            groups[getattr(r.query, by)].append(r)
        out = self._out
        out.write(f"## {title}\n\n")
        for code in sorted(groups):
            rows = sorted(
                groups[code], key=lambda r: (r.query.requested, r.query.query_id, r.query.line)
            )
            name = _agency_name(code)
            out.write(f"### {escape_cell(code)}{f' {name}' if name else ''} ({len(rows)})\n\n")
            out.write(f"Due: {due}")
            if own_due and any(r.due != self._rule.answer_by for r in rows):
                out.write(f"; one received on {self._rule.last_provision} itself, that day")
            out.write(".\n\n")
            due_head, due_rule = (" due |", "---|") if own_due else ("", "")
            out.write(
                f"| query id | {other} | item | requested (JST) | status |{due_head} line |\n"
            )
            out.write(f"|---|---|---:|---|---|{due_rule}---:|\n")
            for r in rows:
                q = r.query
                requested = q.requested.strftime("%Y-%m-%d %H:%M:%S")
                due_cell = f" {r.due.isoformat() if r.due else ''} |" if own_due else ""
                out.write(
                    f"| {escape_cell(q.query_id)} | {escape_cell(getattr(q, other))} | "
                    f"{q.item} | {requested} | {q.status.value} ({q.status.ja}) |{due_cell} "
                    f"{q.line} |\n"
                )
            out.write("\n")

    def _write_problems(self, report: TriageReport) -> None:
        out = self._out
        if report.counts.rejected:
            out.write("## Rejected rows\n\nFix these rows and run the triage again.\n\n")
            out.write("| line | problem |\n|---:|---|\n")
            for p in report.rejected:
                out.write(f"| {p.line or ''} | {escape_cell(_rejected_message(p))} |\n")
            out.write("\n")
        if report.duplicates:
            out.write("## Duplicated query ids\n\n| query id | lines |\n|---|---|\n")
            for d in report.duplicates:
                lines = ", ".join(str(line) for line in d.lines)
                out.write(f"| {escape_cell(d.query_id)} | {lines} |\n")
            out.write("\n")


def _agency_name(code: str) -> str:
    """Return the official name of an agency code, escaped, or "" when it is not listed."""
    # The official list is loaded once, and only when a Markdown report names an agency.
    from cutover.codes import official_entry

    entry = official_entry(code)
    return escape_cell(entry.full_name) if entry is not None else ""


def write_triage(
    source: str | Path | Iterable[Mapping[str, str] | Query],
    rule: CutoffRule,
    as_of: date,
    out: TextIO,
    *,
    fmt: TriageFormat,
    calendar: str,
    parallel: bool | None = None,
) -> TriageReport:
    """Return the finished report of triaging `source`, after writing it to `out` as `fmt`.

    `source` is a queries CSV path, or rows as `triage` takes them. `parallel` is
    `triage_file`'s: None reads a large file with two processes when it can. Close the
    report (or use it in a ``with``) when done with its rejected rows.
    """
    writer: TriageWriter
    if fmt == "csv":
        writer = CsvWriter(out)
    elif fmt == "json":
        writer = JsonWriter(out, calendar=calendar, rule=rule, as_of=as_of)
    else:
        writer = MarkdownWriter(out, calendar=calendar, rule=rule, as_of=as_of)
    if isinstance(source, str | Path):
        report = triage_file(source, rule, as_of, on_action=writer.write, parallel=parallel)
    else:
        report = TriageReport.collect(triage(source, rule, as_of), on_action=writer.write)
    try:
        writer.finish(report)
    except BaseException:
        report.close()
        raise
    return report
