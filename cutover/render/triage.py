"""Writers for triage results: CSV and JSON stream row by row; Markdown groups by agency.

A writer has ``write(result)`` (pass it as `triage_file`'s ``on_action``: rows whose action
is ``none`` are skipped) and ``finish(report)``, called once the report is finished.
`write_triage` does both for a file or for any iterable of rows.

- CSV: the rows that need action, one per line, in input order (`CSV_COLUMNS`).
- JSON: DESIGN.md §3 ``triage``, plus ``duplicates``. The counts come before the queries
  but are known only at the end, so the queries wait in a temporary file (spilled to disk
  past a few megabytes).
- Markdown: for the two readers — each provider's requests to answer by the cutoff, each
  querier's queries to withdraw and re-issue (or, before the cutoff, waiting for an
  answer) — with counts per agency and item. It holds the action rows in memory to group
  them, which suits the human-sized lists it is read for. Japanese by default (wareki dates,
  the words of the source and of docs/triage.md), English with ``lang="en"``; agencies are
  named from ``agency_names`` (agencies.csv), else from the official code list, else their
  code is marked as unnamed.

A result carries the code of its reason and the reason's parameters; `reason_text` writes
the sentence, once per distinct reason (code, item, day).
"""

from __future__ import annotations

import functools
import json
import operator
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TextIO

import attrs

from cutover.errors import Problem
from cutover.render.csvout import FORMULA_STARTS, field
from cutover.render.markdown import escape_cell, escape_inline
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

if TYPE_CHECKING:
    from cutover.i18n.text import Lang

__all__ = [
    "CSV_COLUMNS",
    "CsvWriter",
    "JsonWriter",
    "MarkdownWriter",
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
        "reason": reason_text(result.reason),
    }


@functools.lru_cache(maxsize=1 << 12)
def reason_text(reason: Reason) -> str:
    """Return the sentence that says why a query gets its action (in English, as every
    output has written it), made once per distinct reason."""
    rule = reason.cutoff
    code, item, received = reason.code, reason.item, reason.received
    if code is ReasonCode.ALREADY_PROVIDED:
        return "already provided (提供済)"
    if code is ReasonCode.ALREADY_WITHDRAWN:
        return "already withdrawn (取りやめ)"
    if code is ReasonCode.NOT_A_CUTOFF_ITEM:
        return f"item {item} is not under the cutoff rule (items {rule.items_text})"
    if code is ReasonCode.RECEIVED_FROM_EFFECTIVE:
        return (
            f"requested {received}, after the cutoff {rule.last_provision}: "
            f"answered in the new layout as usual"
        )
    reissue = (
        f"the querier withdraws it (取りやめ) and re-issues it (再照会) on or after "
        f"{rule.effective}"
    )
    if code is ReasonCode.AFTER_CUTOFF_BEFORE_EFFECTIVE:
        return (
            f"item {item} requested {received}, after the cutoff {rule.last_provision} "
            f"but before the revision takes effect on {rule.effective}: it can be answered "
            f"neither before nor after the revision (no provision from "
            f"{rule.effective}, 一時入力 included); {reissue}, first business day "
            f"{rule.reissue_from} ({rule.source_en})"
        )
    if code is ReasonCode.CUTOFF_PASSED:
        # After a cutoff a what-if moved earlier, it is that day that has passed.
        after = f"after {rule.last_provision}" if rule.gap is not None else f"from {rule.effective}"
        return (
            f"item {item} requested {received}, on or before the cutoff "
            f"{rule.last_provision}: it can no longer be answered (no provision "
            f"{after}, 一時入力 included); {reissue}, first business day "
            f"{rule.reissue_from} ({rule.source_en})"
        )
    if code is ReasonCode.RECEIVED_ON_CLOSED_CUTOFF_DAY:
        return (
            f"item {item} requested {received}, after the last business day "
            f"{rule.answer_by} but on or before the cutoff {rule.last_provision}: answer "
            f"it on {rule.last_provision} itself if anyone can (一時入力 included; from "
            f"{rule.effective} it cannot be answered); otherwise {reissue}, first "
            f"business day {rule.reissue_from} ({rule.source_en})"
        )
    late = ""
    if code is ReasonCode.LAST_BUSINESS_DAY_PASSED:
        late = (
            f"; {rule.answer_by}, the last business day, has passed: only "
            f"{rule.last_provision} itself is left"
        )
    return (
        f"item {item} requested {received}, on or before the cutoff "
        f"{rule.last_provision}: the provider answers by {rule.answer_by} (一時入力 "
        f"included; from {rule.effective} it cannot be answered){late}; if it is "
        f"unanswered on {rule.last_provision}, {reissue} ({rule.source_en})"
    )


def _rejected_message(problem: Problem) -> str:
    return f"{problem.message} — {problem.fix}" if problem.fix else problem.message


class CsvWriter:
    """Writes the rows that need action as CSV, a header first, in input order.

    The header waits for the first row or for `finish`: a file refused as a whole (a
    personal-number column, say) leaves nothing written.
    """

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._tails: dict[tuple[Action, date | None, Reason], str] = {}
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
        key = (action, result.due, result.reason)
        tail = self._tails.get(key)
        if tail is None:
            due = result.due.isoformat() if result.due is not None else ""
            tail = f"{action.value},{due},{field(reason_text(result.reason))}\n"
            if len(self._tails) < 4096:
                self._tails[key] = tail
        self._out.write(f"{head},{q.item},{q.requested.isoformat()},{q.status.value},{tail}")

    def finish(self, report: TriageReport) -> None:
        """Write the header if no row did: the counts are in `report`, for the caller."""
        if not self._started:
            self._start()


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

    def close(self) -> None:
        """Drop the spooled rows without writing (`finish` closes them itself)."""
        self._queries.close()

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
            "what_if": list(rule.what_if),
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


@attrs.frozen
class _Words:
    """The fixed words of the Markdown report in one language, its dates already written."""

    title: str
    rule: str
    #: the heading and table head of the counts, then the label of each count
    counts: str
    count_labels: tuple[str, str, str, str, str, str]
    agency_counts: str
    providers: str
    provider_due: str
    #: follows a provider's due when one of its requests was received on the cutoff day
    same_day: str
    waiting: str
    waiting_due: str
    withdraw: str
    withdraw_due: str
    due: str
    end: str
    #: follows an agency's heading: ``" ({n})"`` / ``"（{n}件）"``
    count: str
    provider_head: str
    querier_head: str
    rejected: str
    duplicates: str
    lines_joiner: str
    unknown_name: str


def _gap_en(rule: CutoffRule) -> str:
    """Return the sentence on requests received between a moved cutoff and the revision."""
    if rule.gap is None:
        return ""
    return (
        f" A request received after {rule.last_provision} but before {rule.effective} can be "
        "answered neither before nor after the revision: it is withdrawn and re-issued."
    )


def _gap_ja(rule: CutoffRule) -> str:
    """Return `_gap_en`'s sentence in Japanese."""
    if rule.gap is None:
        return ""
    from cutover.i18n.text import format_day

    first, last = rule.gap
    return (
        f"{format_day(first, 'ja')}から{format_day(last, 'ja')}までに受けた求めは、"
        "改版の前にも後にも情報提供できないため、取りやめ・再照会する。"
    )


def _passed_en(rule: CutoffRule, as_of: date) -> str:
    """Return the sentence for an as-of date past the last business day but not past the
    cutoff day (Saturday 6/30): only the cutoff day itself is left, or ""."""
    if not rule.answer_by < as_of <= rule.last_provision:
        return ""
    return (
        f" As of {as_of}, the last business day {rule.answer_by} has passed: answer what is "
        f"left on {rule.last_provision} itself."
    )


def _passed_ja(rule: CutoffRule, as_of: date) -> str:
    """Return `_passed_en`'s sentence in Japanese."""
    if not rule.answer_by < as_of <= rule.last_provision:
        return ""
    from cutover.i18n.text import format_day

    return (
        f"基準日には最終の開庁日（{format_day(rule.answer_by, 'ja')}）が過ぎています: 残る求めには"
        f"{format_day(rule.last_provision, 'ja')}当日中に情報提供する。"
    )


def _words_en(calendar: str, rule: CutoffRule, as_of: date) -> _Words:
    """Return the English words: ISO dates, the wording of earlier versions."""
    same_day = f"; one received on {rule.last_provision} itself, that day"
    in_rule = same_day if rule.answer_by < rule.last_provision else ""
    return _Words(
        title=f"# Query triage: calendar {escape_cell(calendar)}, as of {as_of.isoformat()}",
        rule=(
            f"Cutoff rule ({escape_inline(rule.source_en)}): for items {rule.items_text}, "
            f"a request for provision (提供の求め) received on or before {rule.last_provision} "
            f"must be answered by {rule.answer_by}, the last business day{in_rule} "
            f"(一時入力 included); from {rule.effective} it cannot be answered, and the querier "
            f"withdraws it (取りやめ) "
            f"and re-issues it (再照会) on or after {rule.effective} (first business day "
            f"{rule.reissue_from}).{_gap_en(rule)}{_passed_en(rule, as_of)}"
        ),
        counts="## Counts\n\n| | rows |\n|---|---:|\n",
        count_labels=(
            "rows read",
            "provide by cutoff (提供)",
            "withdraw and re-issue (取りやめ・再照会)",
            "no action",
            "rejected (see below)",
            "duplicated query ids (see below)",
        ),
        agency_counts=(
            "## Counts per agency and item\n\n"
            "| agency | name | item | to answer (as provider) | waiting (as querier) "
            "| to withdraw and re-issue (as querier) |\n|---|---|---:|---:|---:|---:|\n"
        ),
        providers=f"Providers (情報提供者): requests to answer by {rule.answer_by}",
        provider_due=f"answer by {rule.answer_by}",
        same_day=same_day,
        waiting=f"Queriers (情報照会者): queries waiting for an answer by {rule.last_provision}",
        waiting_due=(
            f"if unanswered on {rule.last_provision}: withdraw, re-issue from {rule.effective}"
        ),
        withdraw=(
            f"Queriers (情報照会者): queries to withdraw and re-issue on or after {rule.effective}"
        ),
        withdraw_due=f"re-issue from {rule.effective} (first business day {rule.reissue_from})",
        due="Due: ",
        end=".",
        count=" ({n})",
        provider_head=(
            "| query id | querier | item | requested (JST) | status | due | line |\n"
            "|---|---|---:|---|---|---|---:|\n"
        ),
        querier_head=(
            "| query id | provider | item | requested (JST) | status | line |\n"
            "|---|---|---:|---|---|---:|\n"
        ),
        rejected=(
            "## Rejected rows\n\nFix these rows and run the triage again.\n\n"
            "| line | problem |\n|---:|---|\n"
        ),
        duplicates="## Duplicated query ids\n\n| query id | lines |\n|---|---|\n",
        lines_joiner=", ",
        unknown_name="(name unknown: give --agencies)",
    )


def _words_ja(calendar: str, rule: CutoffRule, as_of: date) -> _Words:
    """Return the Japanese words: wareki dates, the wording of §6 and of the checklists."""
    from cutover.i18n.text import format_day

    items = "・".join(f"{n}番" for n in sorted(rule.items))
    received = format_day(rule.last_provision, "ja")
    answer_by = format_day(rule.answer_by, "ja")
    effective = format_day(rule.effective, "ja")
    reissue = format_day(rule.reissue_from, "ja")
    in_rule = ""
    if rule.answer_by < rule.last_provision:
        in_rule = f"{received}当日に受けた求めは、当日中に情報提供する。"
    return _Words(
        title=(
            f"# 未回答の照会の仕分け（カレンダー {escape_inline(calendar)}、"
            f"基準日 {format_day(as_of, 'ja')}）"
        ),
        rule=(
            f"提供の締切（{escape_inline(rule.source_ja)}）: 特定個人情報{items}について、"
            f"{received}までに受けた提供の求めには、{answer_by}（最終の開庁日）までに"
            f"情報提供する（一時入力を含む）。{in_rule}{effective}以降は情報提供できないため、"
            f"情報照会者は照会を取りやめ、{effective}以降に再照会する（開庁日では{reissue}から）。"
            f"{_gap_ja(rule)}{_passed_ja(rule, as_of)}"
        ),
        counts="## 件数\n\n| 区分 | 件数 |\n|---|---:|\n",
        count_labels=(
            "読み込んだ行",
            "締切までに情報提供（provide-by-cutoff）",
            "取りやめ・再照会（withdraw-and-reissue）",
            "処置なし（none）",
            "読めない行（rejected、下記）",
            "重複した照会番号（下記）",
        ),
        agency_counts=(
            "## 団体・特定個人情報ごとの件数\n\n"
            "| 団体コード | 団体名 | 特定個人情報 | 締切までに情報提供（情報提供者として） "
            "| 回答待ち（情報照会者として） | 取りやめ・再照会（情報照会者として） |\n"
            "|---|---|---:|---:|---:|---:|\n"
        ),
        providers=f"情報提供者: 期限（原則 {answer_by}）までに情報提供する提供の求め",
        provider_due=f"{answer_by}までに情報提供する",
        same_day=f"（{received}当日に受けた求めは当日中）",
        waiting=f"情報照会者: 回答待ちの照会（提供の締切 {received}）",
        waiting_due=(
            f"{received}までに提供されなければ取りやめ、{effective}以降に再照会する"
            f"（開庁日では{reissue}から）"
        ),
        withdraw=f"情報照会者: 取りやめて{effective}以降に再照会する照会",
        withdraw_due=f"取りやめ、{effective}以降に再照会する（開庁日では{reissue}から）",
        due="対応: ",
        end="。",
        count="（{n}件）",
        provider_head=(
            "| 照会番号 | 情報照会者 | 特定個人情報 | 受付日時（JST） | 状況 | 期限 | 行番号 |\n"
            "|---|---|---:|---|---|---|---:|\n"
        ),
        querier_head=(
            "| 照会番号 | 情報提供者 | 特定個人情報 | 照会日時（JST） | 状況 | 行番号 |\n"
            "|---|---|---:|---|---|---:|\n"
        ),
        rejected=(
            "## 読めない行\n\n次の行を直して、もう一度仕分けてください。\n\n"
            "| 行番号 | 誤りと直し方 |\n|---:|---|\n"
        ),
        duplicates="## 重複した照会番号\n\n| 照会番号 | 行番号 |\n|---|---|\n",
        lines_joiner="、",
        unknown_name="名称不明（--agencies で指定）",
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
        # Imported here: wareki dates cost a library that only writes CSV its import time.
        from cutover.i18n.text import check_lang

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

    def write(self, result: TriageResult) -> None:
        """Keep one result for its agency's list, unless its action is ``none``."""
        action = result.action
        if action is Action.NONE:
            return
        q = result.query
        # (`requested` is in JST: without its zone it sorts the same, and faster.)
        received, status = q.requested.replace(tzinfo=None), q.status.value
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
        make_words = _words_ja if self._lang == "ja" else _words_en
        words = make_words(self._calendar, self._rule, self._as_of)
        providers, waiting, withdraw = self._groups
        try:
            self._out.write(f"{words.title}\n\n{words.rule}\n\n")
            self._write_counts(report, words)
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
            c.rejected,
            len(report.duplicates),
        )
        self._out.write(words.counts)
        for label, n in zip(words.count_labels, numbers, strict=True):
            self._out.write(f"| {label} | {n} |\n")
        self._out.write("\n")

    def _item(self, number: int) -> str:
        """Return an item number as the reader writes it: ``2番`` / ``2``."""
        return f"{number}番" if self._lang == "ja" else str(number)

    def _day(self, day: date | None) -> str:
        """Return a due date as the reader writes it: ``平成30年6月29日（金）`` / ``2018-06-29``."""
        if day is None:
            return ""
        if self._lang == "en":
            return day.isoformat()
        from cutover.i18n.text import format_day

        return format_day(day, "ja")

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
        out = self._out
        ja = self._lang == "ja"
        out.write(f"## {title}\n\n")
        current = None
        for code, received, query_id, line, other, item, status, due_day in rows:
            if code != current:
                if current is not None:
                    out.write("\n")
                current = code
                name = self._agency_name(code, words)
                count = words.count.format(n=sizes[code])
                out.write(f"### {escape_cell(code)} {name}{count}\n\n")
                out.write(f"{words.due}{due}")
                if own_due and code in self._other_day:
                    out.write(words.same_day)
                out.write(f"{words.end}\n\n")
                out.write(words.provider_head if own_due else words.querier_head)
            when = received.strftime("%Y-%m-%d %H:%M:%S")
            ja_status = QueryStatus(status).ja
            state = ja_status if ja else f"{status} ({ja_status})"
            due_cell = f" {self._day(due_day)} |" if own_due else ""
            out.write(
                f"| {escape_cell(query_id)} | {escape_cell(other)} | "
                f"{self._item(item)} | {when} | {state} |{due_cell} {line} |\n"
            )
        out.write("\n")

    def _write_problems(self, report: TriageReport, words: _Words) -> None:
        out = self._out
        if report.counts.rejected:
            out.write(words.rejected)
            for p in report.rejected:
                out.write(f"| {p.line or ''} | {escape_cell(_rejected_message(p))} |\n")
            out.write("\n")
        if report.duplicates:
            out.write(words.duplicates)
            for d in report.duplicates:
                lines = words.lines_joiner.join(str(line) for line in d.lines)
                out.write(f"| {escape_cell(d.query_id)} | {lines} |\n")
            out.write("\n")


#: A row to act on, as the Markdown report keeps it for one agency's list: the agency's code,
#: received (JST, naive), query id, line, the other agency's code, item, status, due date.
_Row = tuple[str, datetime, str, int, str, int, str, date | None]
#: The order of a list: by agency, then by request (the line tells any two rows apart).
_ROW_ORDER = operator.itemgetter(0, 1, 2, 3)


def write_triage(
    source: str | Path | Iterable[Mapping[str, str] | Query],
    rule: CutoffRule,
    as_of: date,
    out: TextIO,
    *,
    fmt: TriageFormat,
    calendar: str,
    lang: str = "ja",
    agency_names: Mapping[str, str] | None = None,
) -> TriageReport:
    """Return the finished report of triaging `source`, after writing it to `out` as `fmt`.

    `source` is a queries CSV path, or rows as `triage` takes them. Close the report (or
    use it in a ``with``) when done with its rejected rows. `lang` (``"ja"`` or
    ``"en"``) and `agency_names` (names by agency code, e.g. from `load_agencies`) are the
    Markdown's (`MarkdownWriter`); CSV and JSON do not change with them.
    """
    writer: TriageWriter
    if fmt == "csv":
        writer = CsvWriter(out)
    elif fmt == "json":
        writer = JsonWriter(out, calendar=calendar, rule=rule, as_of=as_of)
    else:
        writer = MarkdownWriter(
            out, calendar=calendar, rule=rule, as_of=as_of, lang=lang, agency_names=agency_names
        )
    try:
        if isinstance(source, str | Path):
            report = triage_file(source, rule, as_of, on_action=writer.write)
        else:
            report = TriageReport.collect(triage(source, rule, as_of), on_action=writer.write)
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
