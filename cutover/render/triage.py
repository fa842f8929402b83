"""Writers for triage results: CSV and JSON stream row by row; Markdown groups by agency.

A writer has ``write(result)`` (pass it as `triage_file`'s ``on_action``: rows whose action
is ``none`` are skipped) and ``finish(report)``, called once the report is finished.
`write_triage` does both for a file or for any iterable of rows.

- CSV: the rows that need action, one per line, in input order (`CSV_COLUMNS`).
- JSON: DESIGN.md §3 ``triage``, plus ``duplicates``, and the codes beside the texts (each
  query's ``reason_code``, each rejected row's ``code``). The counts come before the queries
  but are known only at the end, so the queries wait in a temporary file (spilled to disk
  past a few megabytes).
- Markdown: for the two readers — each provider's requests to answer by the cutoff, each
  querier's queries to withdraw and re-issue (or, before the cutoff, waiting for an
  answer) — with counts per agency and item. It holds the action rows in memory to group
  them, which suits the human-sized lists it is read for. Wareki dates in Japanese (the
  words of the source and of docs/triage.md), ISO dates in English; agencies are named from
  ``agency_names`` (agencies.csv), else from the official code list, else their code is
  marked as unnamed.

Every text a person reads is the catalogue's (``triage`` and ``triage-report``), Japanese by
default and English with ``lang="en"``: each row's reason, the rejected rows' problems, the
Markdown's words. Column names, actions, statuses and dates of the CSV and JSON are the
same in both. A result carries the code of its reason and the reason's parameters;
`reason_text` writes the sentence, once per distinct reason (code, item, day) and language.
"""

from __future__ import annotations

import functools
import json
import operator
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Literal, Protocol, TextIO, cast, get_args

import attrs

from cutover.calendar.model import RevisionCalendar
from cutover.errors import CutoverError, Problem, check_lang, require_date
from cutover.i18n.catalogue import DEFAULT_LANG, Lang, text
from cutover.render.csvout import FORMULA_STARTS, field
from cutover.render.labels import records_note
from cutover.render.markdown import escape_cell, escape_inline
from cutover.render.schemas import SCHEMA_VERSION, calendar_json, calendar_object, cutoff_json
from cutover.schedule.timeline import Timeline
from cutover.triage import (
    Action,
    CutoffRule,
    Query,
    QueryStatus,
    Reason,
    ReasonCode,
    TriageReport,
    TriageResult,
    triage,
    triage_file,
)

__all__ = [
    "CSV_COLUMNS",
    "TRIAGE_FORMATS",
    "CsvWriter",
    "JsonWriter",
    "MarkdownWriter",
    "TriageCalendar",
    "TriageFormat",
    "TriageWriter",
    "reason_text",
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
#: One queries file or several: paths, or `InputText`s in memory.
_Paths = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
#: The formats `write_triage` writes.
TRIAGE_FORMATS: tuple[TriageFormat, ...] = get_args(TriageFormat)
_NONE, _ERROR = Action.NONE, QueryStatus.ERROR  # (read from the enums: 0.1 µs a row each)

#: What names the calendar of a triage: its id, the calendar, or the timeline the rule
#: comes from (which also gives the shifts applied).
TriageCalendar = str | RevisionCalendar | Timeline


@functools.cache
def csv_header(lang: Lang = DEFAULT_LANG) -> tuple[str, ...]:
    """Return the CSV output's header in `lang`: Japanese names a clerk reads in Excel (the
    first six are spellings the queries reader takes), or, in English, the `CSV_COLUMNS` ids
    that tools read."""
    return tuple(text(f"triage-report.csv-column-{name}", lang) for name in CSV_COLUMNS)


@functools.cache
def csv_value(column: str, code: str, lang: Lang = DEFAULT_LANG) -> str:
    """Return an action or a status as the CSV output writes it: its Japanese label
    (情報提供する, 未提供), or, in English, its code (``provide-by-cutoff``, ``pending``)."""
    return text(f"triage-report.csv-{column}-{code}", lang)


class TriageWriter(Protocol):
    """What `write_triage` needs of a writer."""

    def write(self, result: TriageResult) -> None:
        """Write one result (ignored when its action is ``none``)."""

    def finish(self, report: TriageReport) -> None:
        """Write what is known only at the end: counts, rejected rows, duplicates."""


def result_fields(result: TriageResult, lang: Lang = DEFAULT_LANG) -> dict[str, str | int | None]:
    """Return a result's output fields by `CSV_COLUMNS` name; requested in ISO 8601 +09:00,
    the reason in `lang`."""
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
        "reason": _reason_text(result.reason, lang),
    }


def reason_text(reason: Reason, lang: Lang = DEFAULT_LANG) -> str:
    """Return the sentence that says why a query gets its action (``triage.reason-<code>``),
    in `lang`: Japanese by default; another language than ``en`` is a `CutoverError`."""
    return _reason_text(reason, check_lang(lang))


@functools.lru_cache(maxsize=1 << 12)
def _reason_text(reason: Reason, lang: Lang) -> str:
    """Return `reason_text`, made once per distinct reason and language (the writers call
    this one, the language checked once; a cached function is untyped to its callers)."""
    rule = reason.cutoff
    code = reason.code.value
    if reason.code is ReasonCode.CUTOFF_PASSED and rule.gap is not None:
        # After a cutoff a what-if moved earlier, it is that day that has passed.
        code += "-moved"
    params = _rule_dates(rule, lang)
    params |= {"item": reason.item, "items": _items(rule, lang), "source": rule.source}
    if reason.received is not None:
        params |= _day_params("received", reason.received, lang)
    params["reissue"] = text("triage.reason-reissue", lang, **params)
    return text(f"triage.reason-{code}", lang, **params)


def _day_params(name: str, day: date, lang: Lang) -> dict[str, object]:
    """Return a date as the texts take it: ``{name}`` (ISO, the English texts') and
    ``{name}_day`` (as `cutover.i18n.text.format_day` writes it: the Japanese texts' wareki)."""
    # Imported when first needed (a reason is written once): wareki dates cost import time.
    from cutover.i18n.text import format_day

    return {name: day, f"{name}_day": format_day(day, lang)}


def _rule_dates(rule: CutoffRule, lang: Lang) -> dict[str, object]:
    """Return the dates of `rule` as the texts take them (`_day_params`)."""
    params: dict[str, object] = {}
    for name in ("last_provision", "answer_by", "effective", "reissue_from"):
        params |= _day_params(name, getattr(rule, name), lang)
    return params


def _items(rule: CutoffRule, lang: Lang) -> str:
    """Return the rule's items as the texts take them: ``2, 21`` / ``2番・21番``."""
    from cutover.i18n.text import items_text

    return items_text(rule.items, lang)


def _rejected_message(problem: Problem, lang: Lang) -> str:
    """Return a rejected row's problem in `lang`: its column, what is wrong, and the fix."""
    message, fix = problem.describe(lang)
    if problem.key:
        message = f"{problem.key}: {message}"
    return f"{message} — {fix}" if fix else message


class CsvWriter:
    """Writes the rows that need action as CSV, a header first, in input order; each reason
    in `lang` (the columns, actions, statuses and dates are the same in every language).

    The header waits for the first row or for `finish`: a file refused as a whole (a
    personal-number column, say) leaves nothing written.
    """

    def __init__(self, out: TextIO, *, lang: Lang = DEFAULT_LANG) -> None:
        self._out = out
        self._lang = lang
        self._tails: dict[tuple[Action, date | None, Reason, bool], str] = {}
        self._statuses = {s: csv_value("status", s.value, lang) for s in QueryStatus}
        self._started = False

    def _start(self) -> None:
        self._out.write(",".join(csv_header(self._lang)) + "\n")
        self._started = True

    def write(self, result: TriageResult) -> None:
        """Write one result's row, unless its action is ``none``."""
        action = result.action
        if action is _NONE:
            return
        if not self._started:
            self._start()
        q = result.query
        # Ids and codes rarely need quoting: look at the three at once. The query id is the
        # one free text: a spreadsheet would run "=HYPERLINK(…)" as a formula (`field`
        # guards it). The codes are six digits the reader checked, the other cells dates,
        # numbers and ids: none can start a formula, and checking them would cost every row.
        head = f"{q.query_id},{q.querier},{q.provider}"
        if (
            head[0] in FORMULA_STARTS
            or head.count(",") != 2
            or '"' in head
            or "\n" in head
            or "\r" in head
        ):
            head = f"{field(q.query_id)},{field(q.querier)},{field(q.provider)}"
        # The action, due date and reason are shared by every row with the same item and
        # day: write them out once. (The csv module would scan the reason's few hundred
        # characters again for every row.)
        error = q.status is _ERROR
        key = (action, result.due, result.reason, error)
        tail = self._tails.get(key)
        if tail is None:
            due = result.due.isoformat() if result.due is not None else ""
            shown = csv_value("action", action.value, self._lang)
            reason = _reason_text(result.reason, self._lang)
            if error:
                # (§10–§12: the CSV keeps its columns; the note follows the reason.)
                reason = f"{reason} {records_note(self._lang)}"
            tail = f"{shown},{due},{field(reason)}\n"
            if len(self._tails) < 4096:
                self._tails[key] = tail
        status = self._statuses[q.status]
        self._out.write(f"{head},{q.item},{q.requested.isoformat()},{status},{tail}")

    def finish(self, report: TriageReport) -> None:
        """Write the header if no row did: the counts are in `report`, for the caller."""
        if not self._started:
            self._start()


class JsonWriter:
    """Writes the DESIGN.md §3 ``triage`` object, queries spooled until the counts are known;
    the texts (reasons, rejected rows' problems) in `lang`, each beside its code."""

    def __init__(
        self,
        out: TextIO,
        *,
        calendar: TriageCalendar,
        rule: CutoffRule,
        as_of: date,
        lang: Lang = DEFAULT_LANG,
    ) -> None:
        self._out = out
        self._lang = lang
        self._head = {
            "schema_version": SCHEMA_VERSION,
            "calendar": _calendar_json(calendar, rule, lang),
            "as_of": as_of.isoformat(),
        }
        # Lives from the first row to `finish`, which closes it: no single block to scope it.
        self._queries = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=4 << 20, mode="w+", encoding="utf-8", newline="\n"
        )
        self._written = 0

    def close(self) -> None:
        """Drop the spooled rows without writing (`finish` closes them itself)."""
        self._queries.close()

    def write(self, result: TriageResult) -> None:
        """Spool one result's object, unless its action is ``none``."""
        if result.action is Action.NONE:
            return
        separator = ",\n" if self._written else ""
        fields = result_fields(result, self._lang)
        fields["reason_code"] = result.reason.code.value
        fields["line"] = result.query.line
        fields["file"] = result.query.file
        error = result.query.status is QueryStatus.ERROR
        fields["note"] = records_note(self._lang) if error else None  # §10–§12
        self._queries.write(f"{separator}    {_dumps(fields)}")
        self._written += 1

    def finish(self, report: TriageReport) -> None:
        """Write the whole object: calendar, as_of, counts, queries, rejected, duplicates."""
        out, lang = self._out, self._lang
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
            (
                {
                    "line": p.line,
                    "file": p.file,
                    "code": p.code or None,
                    "message": _rejected_message(p, lang),
                }
                for p in report.rejected
            ),
        )
        out.write(",\n")
        _write_array(
            out,
            "duplicates",
            (
                {"query_id": d.query_id, "lines": list(d.lines), "files": list(d.files) or None}
                for d in report.duplicates
            ),
        )
        # Of the "none" rows, the open requests §6's rule does not cover: answered as usual.
        out.write(f',\n  "outside_rule": {report.counts.outside_rule}\n}}\n')


def _calendar_json(calendar: TriageCalendar, rule: CutoffRule, lang: Lang) -> dict[str, object]:
    """Return the ``calendar`` object every JSON output carries, with the rule as ``cutoff``.

    From a calendar id alone, the titles and source are null, ``effective`` is the rule's and
    ``shifts`` those that moved the rule."""
    if isinstance(calendar, Timeline):
        head = calendar_json(calendar.calendar, lang=lang, shifts=calendar.shifts)
    elif isinstance(calendar, RevisionCalendar):
        head = calendar_json(calendar, lang=lang, shifts=rule.what_if)
    else:
        head = calendar_object(
            id=calendar,
            title_ja=None,
            title_en=None,
            effective=rule.effective,
            source=None,
            shifts=rule.what_if,
            lang=lang,
        )
    return {**head, "cutoff": {**cutoff_json(rule), "what_if": list(rule.what_if)}}


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_array(out: TextIO, key: str, objects: Iterable[Mapping[str, object]]) -> None:
    out.write(f"  {_dumps(key)}: [")
    first = True
    for obj in objects:
        out.write(f"{'' if first else ','}\n    {_dumps(obj)}")
        first = False
    out.write("]" if first else "\n  ]")


@attrs.frozen
class _Words:
    """The fixed words of the Markdown report in one language, its dates already written."""

    title: str
    rule: str
    #: the heading and table head of the counts, then the label of each count
    counts: str
    count_labels: tuple[str, str, str, str, str, str, str]
    agency_counts: str
    providers: str
    provider_due: str
    #: follows a provider's due when one of its requests was received on the cutoff day
    same_day: str
    waiting: str
    waiting_due: str
    withdraw: str
    withdraw_due: str
    provider_head: str
    querier_head: str
    rejected: str
    duplicates: str
    lines_joiner: str
    unknown_name: str


def _words(calendar: str, rule: CutoffRule, as_of: date, lang: Lang) -> _Words:
    """Return the words of the report in `lang` (``triage-report``): in Japanese, wareki
    dates and the wording of §6 and of the checklists; in English, ISO dates and the wording
    of earlier versions."""

    def say(name: str, **params: object) -> str:
        return text(f"triage-report.{name}", lang, **dates, **params)

    def section(name: str, head: str, alignment: str, *lines: str) -> str:
        """Return a section's heading, its lines, and the head of its table."""
        said = "".join(f"{line}\n\n" for line in lines)
        return f"## {say(name)}\n\n{said}{say(head)}\n{alignment}\n"

    dates = _rule_dates(rule, lang) | _day_params("as_of", as_of, lang)
    if rule.gap is not None:
        dates |= _day_params("gap_first", rule.gap[0], lang)
        dates |= _day_params("gap_last", rule.gap[1], lang)
    closed_cutoff_day = rule.answer_by < rule.last_provision
    return _Words(
        title=f"# {say('title', calendar=escape_inline(calendar))}",
        rule=say(
            "rule",
            source=escape_inline(rule.source.text(lang)),
            items=_items(rule, lang),
            same_day=say("rule-same-day") if closed_cutoff_day else "",
            gap=say("rule-gap") if rule.gap is not None else "",
            # Past the last business day, but not past the cutoff day (Saturday 6/30): only
            # the cutoff day itself is left.
            passed=say("rule-passed") if rule.answer_by < as_of <= rule.last_provision else "",
        ),
        counts=section("counts", "counts-head", "|---|---:|"),
        count_labels=(
            say("count-total"),
            say("count-provide"),
            say("count-withdraw"),
            say("count-none"),
            say("count-outside-rule"),
            say("count-rejected"),
            say("count-duplicates"),
        ),
        agency_counts=section(
            "agency-counts", "agency-counts-head", "|---|---|---:|---:|---:|---:|"
        ),
        providers=say("providers"),
        provider_due=say("provider-due"),
        same_day=say("provider-same-day"),
        waiting=say("waiting"),
        waiting_due=say("waiting-due"),
        withdraw=say("withdraw"),
        withdraw_due=say("withdraw-due"),
        provider_head=f"{say('provider-head')}\n|---|---|---:|---|---|---|---:|\n",
        querier_head=f"{say('querier-head')}\n|---|---|---:|---|---|---:|\n",
        rejected=section("rejected", "rejected-head", "|---:|---|", say("rejected-note")),
        duplicates=section("duplicates", "duplicates-head", "|---|---|"),
        lines_joiner=text("text.sep-list", lang),
        unknown_name=say("unknown-name"),
    )


class MarkdownWriter:
    """Writes a Markdown report for providers and queriers, grouped by agency code.

    `lang` is ``"ja"`` (wareki dates) or ``"en"`` (ISO dates). `agency_names` maps agency
    codes to names (agencies.csv's, which name associations); a code it lacks takes its
    official name, and a code the official list lacks too is shown with a note saying so.
    """

    def __init__(
        self,
        out: TextIO,
        *,
        calendar: str,
        rule: CutoffRule,
        as_of: date,
        lang: str = "ja",
        agency_names: Mapping[str, str] | None = None,
    ) -> None:
        self._out = out
        self._calendar = calendar
        self._rule = rule
        self._as_of = as_of
        self._lang: Lang = check_lang(lang)
        self._agency_names: Mapping[str, str] = agency_names or {}
        self._names: dict[str, str] = {}
        # The rows to act on, to be listed by agency. A request to answer by the cutoff is
        # listed twice: under its provider, and under its querier as one to wait for.
        self._by_provider: list[_Row] = []
        self._by_querier: list[_Row] = []
        self._withdraw: list[_Row] = []
        # Counted as the rows come: per agency and item (answer, wait, withdraw) ...
        self._counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        # ... and per agency and list: its rows, and whether one is due on another day.
        self._groups: tuple[dict[str, int], dict[str, int], dict[str, int]] = ({}, {}, {})
        self._other_day: set[str] = set()
        self._errors = 0

    def write(self, result: TriageResult) -> None:
        """Keep one result for its agency's list, unless its action is ``none``."""
        action = result.action
        if action is Action.NONE:
            return
        q = result.query
        # (`requested` is in JST: without its zone it sorts the same, and faster.)
        received, status = q.requested.replace(tzinfo=None), q.status.value
        if q.status is QueryStatus.ERROR:
            self._errors += 1
        providers, waiting, withdraw = self._groups
        if action is Action.PROVIDE_BY_CUTOFF:
            row = (q.provider, received, q.query_id, q.line, q.querier, q.item, status, result.due)
            self._by_provider.append(row)
            self._by_querier.append((q.querier, received, q.query_id, q.line, q.provider, *row[5:]))
            self._counts[q.provider, q.item][0] += 1
            self._counts[q.querier, q.item][1] += 1
            providers[q.provider] = providers.get(q.provider, 0) + 1
            waiting[q.querier] = waiting.get(q.querier, 0) + 1
            if result.due != self._rule.answer_by:
                self._other_day.add(q.provider)
        else:
            row = (q.querier, received, q.query_id, q.line, q.provider, q.item, status, result.due)
            self._withdraw.append(row)
            self._counts[q.querier, q.item][2] += 1
            withdraw[q.querier] = withdraw.get(q.querier, 0) + 1

    def finish(self, report: TriageReport) -> None:
        """Write the whole report."""
        words = _words(self._calendar, self._rule, self._as_of, self._lang)
        providers, waiting, withdraw = self._groups
        try:
            self._out.write(f"{words.title}\n\n{words.rule}\n\n")
            self._write_counts(report, words)
            if self._errors:
                note = records_note(self._lang)
                line = text(
                    "triage-report.records-note-md", self._lang, count=self._errors, note=note
                )
                self._out.write(f"{line}\n\n")
            self._write_agency_counts(words)
            self._write_groups(
                words,
                words.providers,
                sorted(self._by_provider, key=_ROW_ORDER),
                providers,
                due=words.provider_due,
                own_due=True,
            )
            self._write_groups(
                words,
                words.waiting,
                sorted(self._by_querier, key=_ROW_ORDER),
                waiting,
                due=words.waiting_due,
            )
            self._write_groups(
                words,
                words.withdraw,
                sorted(self._withdraw, key=_ROW_ORDER),
                withdraw,
                due=words.withdraw_due,
            )
        finally:
            self.close()
        self._write_problems(report, words)

    def close(self) -> None:
        """Drop the rows kept for the lists (`finish` does it)."""
        for rows in (self._by_provider, self._by_querier, self._withdraw):
            rows.clear()

    def _write_counts(self, report: TriageReport, words: _Words) -> None:
        c = report.counts
        numbers = (
            c.total,
            c.provide_by_cutoff,
            c.withdraw_and_reissue,
            c.none,
            c.outside_rule,
            c.rejected,
            len(report.duplicates),
        )
        self._out.write(words.counts)
        for label, n in zip(words.count_labels, numbers, strict=True):
            self._out.write(f"| {label} | {n} |\n")
        self._out.write("\n")

    def _item(self, number: int) -> str:
        """Return an item number as the reader writes it: ``2番`` / ``2``."""
        return _item_text(number, self._lang)

    def _day(self, day: date | None) -> str:
        """Return a due date as the reader writes it: ``平成30年6月29日（金）`` / ``2018-06-29``."""
        if day is None:
            return ""
        return _due_text(day, self._lang)

    def _agency_name(self, code: str, words: _Words) -> str:
        """Return the agency's name, escaped: agencies.csv's, the official one, or a note.

        Only agencies.csv names associations: the official code list lacks them.
        """
        name = self._names.get(code)
        if name is None:
            given = self._agency_names.get(code)
            if given:
                name = escape_cell(given)
            else:
                # The official list is loaded once, and only when a report names an agency.
                from cutover.jp.codes import official_entry

                entry = official_entry(code)
                name = escape_cell(entry.full_name) if entry is not None else words.unknown_name
            self._names[code] = name
        return name

    def _write_agency_counts(self, words: _Words) -> None:
        counts = self._counts
        if not counts:
            return
        out = self._out
        out.write(words.agency_counts)
        for (code, item), (answer, wait, withdraw) in sorted(counts.items()):
            out.write(
                f"| {escape_cell(code)} | {self._agency_name(code, words)} | {self._item(item)} "
                f"| {answer} | {wait} | {withdraw} |\n"
            )
        out.write("\n")

    def _write_groups(
        self,
        words: _Words,
        title: str,
        rows: Iterable[_Row],
        sizes: Mapping[str, int],
        *,
        due: str,
        own_due: bool = False,
    ) -> None:
        """Write one table per agency from `rows`, sorted by agency and by request; `sizes`
        says how many rows each agency has. With `own_due`, each row's due date in a column.

        (A request received on a closed cutoff day is due that day, not on the last
        business day before it.)
        """
        if not sizes:
            return
        out, lang = self._out, self._lang
        due_line = text("triage-report.due", lang, due=due, same_day="")
        due_line_same_day = text("triage-report.due", lang, due=due, same_day=words.same_day)
        states = {s.value: text(f"triage-report.status-{s.value}", lang) for s in QueryStatus}
        out.write(f"## {title}\n\n")
        current = None
        for code, received, query_id, line, other, item, status, due_day in rows:
            if code != current:
                if current is not None:
                    out.write("\n")
                current = code
                heading = text(
                    "triage-report.agency",
                    lang,
                    code=escape_cell(code),
                    name=self._agency_name(code, words),
                    count=sizes[code],
                )
                out.write(f"### {heading}\n\n")
                # (A request received on a closed cutoff day is due that day.)
                same_day = own_due and code in self._other_day
                out.write(f"{due_line_same_day if same_day else due_line}\n\n")
                out.write(words.provider_head if own_due else words.querier_head)
            when = received.strftime("%Y-%m-%d %H:%M:%S")
            due_cell = f" {self._day(due_day)} |" if own_due else ""
            out.write(
                f"| {escape_cell(query_id)} | {escape_cell(other)} | "
                f"{self._item(item)} | {when} | {states[status]} |{due_cell} {line} |\n"
            )
        out.write("\n")

    def _write_problems(self, report: TriageReport, words: _Words) -> None:
        out = self._out
        if report.counts.rejected:
            out.write(words.rejected)
            for p in report.rejected:
                message = _rejected_message(p, self._lang)
                out.write(f"| {p.line or ''} | {escape_cell(message)} |\n")
            out.write("\n")
        if report.duplicates:
            out.write(words.duplicates)
            for d in report.duplicates:
                lines = words.lines_joiner.join(str(line) for line in d.lines)
                out.write(f"| {escape_cell(d.query_id)} | {lines} |\n")
            out.write("\n")


@functools.lru_cache(maxsize=256)
def _item_text(number: int, lang: Lang) -> str:
    return text("text.item", lang, n=number)


@functools.lru_cache(maxsize=1024)
def _due_text(day: date, lang: Lang) -> str:
    from cutover.i18n.text import format_day

    return text("triage-report.day", lang, iso=day.isoformat(), day=format_day(day, lang))


#: A row to act on, as the Markdown report keeps it for one agency's list: the agency's code,
#: received (JST, naive), query id, line, the other agency's code, item, status, due date.
_Row = tuple[str, datetime, str, int, str, int, str, date | None]
#: The order of a list: by agency, then by request (the line tells any two rows apart).
_ROW_ORDER = operator.itemgetter(0, 1, 2, 3)


def write_triage(
    source: _Paths | Iterable[Mapping[str, str | None] | Query],
    rule: CutoffRule,
    as_of: date,
    out: TextIO,
    *,
    fmt: TriageFormat,
    calendar: TriageCalendar,
    lang: Lang = "ja",
    agency_names: Mapping[str, str] | None = None,
) -> TriageReport:
    """Return the finished report of triaging `source`, after writing it to `out` as `fmt`.

    `source` is a queries CSV path, or rows as `triage` takes them. Close the report (or
    use it in a ``with``) when done with its rejected rows. Every text is in `lang`
    (``"ja"``, the default, or ``"en"``): the reasons, the rejected rows' problems, the
    Markdown's words; `agency_names` (names by agency code, e.g. from `load_agencies`) are
    the Markdown's (`MarkdownWriter`). `calendar` is the calendar's id, the calendar, or the
    timeline `rule` comes from: the JSON's ``calendar`` object is complete with either of
    the last two. An unknown `fmt` (one not in `TRIAGE_FORMATS`) or `lang` raises
    `CutoverError` before anything is read or written.
    """
    language = check_lang(lang)
    require_date(as_of, "as_of")
    if fmt not in TRIAGE_FORMATS:
        raise CutoverError.of("triage.unknown-format", format=fmt, formats=TRIAGE_FORMATS)
    calendar_id = calendar if isinstance(calendar, str) else _calendar_id(calendar)
    writer: TriageWriter
    if fmt == "csv":
        writer = CsvWriter(out, lang=language)
    elif fmt == "json":
        writer = JsonWriter(out, calendar=calendar, rule=rule, as_of=as_of, lang=language)
    else:
        writer = MarkdownWriter(
            out,
            calendar=calendar_id,
            rule=rule,
            as_of=as_of,
            lang=language,
            agency_names=agency_names,
        )
    try:
        paths = _as_paths(source)
        if paths is not None:
            report = triage_file(paths, rule, as_of, on_action=writer.write)
        else:
            rows = cast("Iterable[Mapping[str, str | None] | Query]", source)  # (not paths: rows)
            report = TriageReport.collect(triage(rows, rule, as_of), on_action=writer.write)
    except BaseException:
        # A refused file: the writer's temporary files go now, not when it is collected.
        close = getattr(writer, "close", None)
        if close is not None:
            close()
        raise
    try:
        writer.finish(report)
    except BaseException:
        try:
            report.close()
        finally:  # (the writer's files go even if closing the report fails)
            close = getattr(writer, "close", None)
            if close is not None:
                close()
        raise
    return report


def _calendar_id(calendar: RevisionCalendar | Timeline) -> str:
    return calendar.calendar.id if isinstance(calendar, Timeline) else calendar.id


def _as_paths(source: object) -> _Paths | None:
    """Return the file(s) `source` names (paths, `InputText`s); None when it is rows."""
    if isinstance(source, str | os.PathLike):
        return source
    if isinstance(source, list | tuple) and source:  # noqa: SIM102 (the narrowing is mypy's)
        if all(isinstance(s, str | os.PathLike) for s in source):
            return list(source)
    return None
