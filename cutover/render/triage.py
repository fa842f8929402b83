"""Writers for triage results: CSV and JSON stream row by row; Markdown groups by agency.

A writer has ``write(result)`` (pass it as `triage_file`'s ``on_action``: rows whose action
is ``none`` are skipped) and ``finish(report)``, called once the report is finished.
`write_triage` does both for a file or for any iterable of rows.

- CSV: the rows that need action, one per line, in input order (`CSV_COLUMNS`).
- JSON: DESIGN.md §3 ``triage``, plus ``duplicates``, and the codes beside the texts (each
  query's ``reason_code``, each rejected row's ``code``). The counts come before the queries
  but are known only at the end, so the queries wait in a temporary file (spilled to disk
  past a few megabytes).
- Markdown: for the two readers, grouped by agency (`cutover.render.triage_markdown`).

Every text a person reads is the catalogue's (``triage`` and ``triage-report``), Japanese by
default and English with ``lang="en"``: each row's reason, the rejected rows' problems, the
Markdown's words. Column names, actions, statuses and dates of the CSV and JSON are the
same in both. A result carries the code of its reason and the reason's parameters;
`reason_text` writes the sentence, once per distinct reason (code, item, day) and language.
"""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Literal, Protocol, TextIO, cast, get_args

from cutover.calendar.model import RevisionCalendar
from cutover.errors import (
    CutoverError,
    check_lang,
    printable,
    require_code,
    require_date,
    require_instance,
    type_error,
)
from cutover.i18n.catalogue import DEFAULT_LANG, Alternatives, Lang, text
from cutover.render.csvout import FORMULA_STARTS, field
from cutover.render.labels import records_note
from cutover.render.schemas import SCHEMA_VERSION, calendar_json, calendar_object, cutoff_json
from cutover.render.triage_markdown import MarkdownWriter
from cutover.render.triage_text import day_params, rejected_message, rule_dates, rule_items
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
    params = rule_dates(rule, lang)
    params |= {"item": reason.item, "items": rule_items(rule, lang), "source": rule.source}
    if reason.received is not None:
        params |= day_params("received", reason.received, lang)
    params["reissue"] = text("triage.reason-reissue", lang, **params)
    return text(f"triage.reason-{code}", lang, **params)


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
        # (Shown as a rejected row's file is: a personal number in its name masked.)
        fields["file"] = None if result.query.file is None else printable(result.query.file)
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
                    "message": rejected_message(p, lang),
                }
                for p in report.rejected
            ),
        )
        out.write(",\n")
        _write_array(
            out,
            "duplicates",
            (
                {
                    "query_id": d.query_id,
                    "lines": list(d.lines),
                    "files": [printable(f) for f in d.files] or None,
                }
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


def write_triage(
    source: _Paths | Iterable[Mapping[str, object] | Query],
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
        raise CutoverError.of(
            "triage.unknown-format", format=fmt, formats=Alternatives(TRIAGE_FORMATS)
        )
    if not callable(getattr(out, "write", None)) or isinstance(
        out, (io.RawIOBase, io.BufferedIOBase)
    ):
        raise type_error("common.not-a-text-stream", "out", out)
    require_instance(rule, CutoffRule, "rule", "common.not-a-rule")
    if not isinstance(calendar, (str, RevisionCalendar, Timeline)):
        raise type_error("common.not-a-triage-calendar", "calendar", calendar)
    for code in agency_names or ():
        require_code(code, "agency_names")  # (keyed 310000, no name was ever found)
    calendar_id = calendar if isinstance(calendar, str) else _calendar_id(calendar)
    paths = _as_paths(source)
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
            several_files=isinstance(paths, list) and len(paths) > 1,
        )
    try:
        if paths is not None:
            report = triage_file(paths, rule, as_of, on_action=writer.write)
        else:
            rows = cast("Iterable[Mapping[str, object] | Query]", source)  # (not paths: rows)
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
