"""The Markdown report of a triage, for the two readers: each provider's requests to answer by
the cutoff, each querier's queries to withdraw and re-issue (or, before the cutoff, waiting
for an answer), with counts per agency and item.

It holds the action rows in memory to group them, which suits the human-sized lists it is
read for. Wareki dates in Japanese (the words of the source and of docs/triage.md), ISO dates
in English; agencies are named from ``agency_names`` (agencies.csv), else from the official
code list, else their code is marked as unnamed. Every word is the catalogue's
(``triage-report``).
"""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TextIO

import attrs

from cutover.errors import check_lang
from cutover.i18n.catalogue import Lang, text
from cutover.render.labels import records_note
from cutover.render.markdown import escape_cell, escape_inline
from cutover.render.triage_text import (
    day_params,
    file_line,
    rejected_message,
    rule_dates,
    rule_items,
)
from cutover.triage import Action, CutoffRule, QueryStatus, TriageReport, TriageResult

__all__ = ["MarkdownWriter"]


@attrs.frozen
class _Words:
    """The fixed words of the Markdown report in one language, its dates already written."""

    title: str
    rule: str
    #: the heading and table head of the counts, then the label of each count
    counts: str
    count_labels: tuple[str, str, str, str, str, str, str]
    #: the labels of the last two counts when they are 0: no list below to point to
    none_labels: tuple[str, str]
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


def _words(
    calendar: str, rule: CutoffRule, as_of: date, lang: Lang, *, several_files: bool = False
) -> _Words:
    """Return the words of the report in `lang` (``triage-report``): in Japanese, wareki
    dates and the wording of §6 and of the checklists; in English, ISO dates and the wording
    of earlier versions. With `several_files`, the line columns say the file too."""

    def say(name: str, **params: object) -> str:
        return text(f"triage-report.{name}", lang, **dates, **heads, **params)

    def section(name: str, head: str, alignment: str, *lines: str) -> str:
        """Return a section's heading, its lines, and the head of its table."""
        said = "".join(f"{line}\n\n" for line in lines)
        return f"## {say(name)}\n\n{said}{say(head)}\n{alignment}\n"

    prefix = "file-" if several_files else ""
    heads = {
        "line_head": text(f"triage-report.{prefix}line-head", lang),
        "lines_head": text(f"triage-report.{prefix}lines-head", lang),
    }
    # A line number is aligned right, as numbers are; file:line reads from the left.
    line_align = "---" if several_files else "---:"
    dates = rule_dates(rule, lang) | day_params("as_of", as_of, lang)
    if rule.gap is not None:
        dates |= day_params("gap_first", rule.gap[0], lang)
        dates |= day_params("gap_last", rule.gap[1], lang)
    closed_cutoff_day = rule.answer_by < rule.last_provision
    return _Words(
        title=f"# {say('title', calendar=escape_inline(calendar))}",
        rule=say(
            "rule",
            source=escape_inline(rule.source.text(lang)),
            items=rule_items(rule, lang),
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
        none_labels=(say("count-rejected-none"), say("count-duplicates-none")),
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
        provider_head=f"{say('provider-head')}\n|---|---|---:|---|---|---|{line_align}|\n",
        querier_head=f"{say('querier-head')}\n|---|---|---:|---|---|{line_align}|\n",
        rejected=section(
            "rejected",
            "rejected-head",
            f"|{line_align}|---|",
            say("rejected-note"),
        ),
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
        several_files: bool = False,
    ) -> None:
        self._out = out
        self._calendar = calendar
        self._rule = rule
        self._as_of = as_of
        self._lang: Lang = check_lang(lang)
        self._agency_names: Mapping[str, str] = agency_names or {}
        self._several_files = several_files
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
            row = (
                q.provider,
                received,
                q.query_id,
                q.line,
                q.querier,
                q.item,
                status,
                result.due,
                q.file,
            )
            self._by_provider.append(row)
            self._by_querier.append((q.querier, received, q.query_id, q.line, q.provider, *row[5:]))
            self._counts[q.provider, q.item][0] += 1
            self._counts[q.querier, q.item][1] += 1
            providers[q.provider] = providers.get(q.provider, 0) + 1
            waiting[q.querier] = waiting.get(q.querier, 0) + 1
            if result.due != self._rule.answer_by:
                self._other_day.add(q.provider)
        else:
            row = (
                q.querier,
                received,
                q.query_id,
                q.line,
                q.provider,
                q.item,
                status,
                result.due,
                q.file,
            )
            self._withdraw.append(row)
            self._counts[q.querier, q.item][2] += 1
            withdraw[q.querier] = withdraw.get(q.querier, 0) + 1

    def finish(self, report: TriageReport) -> None:
        """Write the whole report."""
        words = _words(
            self._calendar, self._rule, self._as_of, self._lang, several_files=self._several_files
        )
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
        # (Rejected rows and duplicated ids are listed below the counts, when there are any.)
        labels = words.count_labels[:5] + tuple(
            said if n else none
            for said, none, n in zip(
                words.count_labels[5:], words.none_labels, numbers[5:], strict=True
            )
        )
        for label, n in zip(labels, numbers, strict=True):
            self._out.write(f"| {label} | {n} |\n")
        self._out.write("\n")

    def _place(self, file: str | None, line: int | None) -> str:
        """Return where a row is, escaped: its line, and with several files ``file:line``."""
        shown = "" if line is None else str(line)
        if self._several_files and file is not None:
            shown = escape_cell(file_line(file, shown, self._lang))
        return shown

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
        for code, received, query_id, line, other, item, status, due_day, file in rows:
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
            place = self._place(file, line)
            out.write(
                f"| {escape_cell(query_id)} | {escape_cell(other)} | "
                f"{self._item(item)} | {when} | {states[status]} |{due_cell} {place} |\n"
            )
        out.write("\n")

    def _write_problems(self, report: TriageReport, words: _Words) -> None:
        out = self._out
        if report.counts.rejected:
            out.write(words.rejected)
            for p in report.rejected:
                message = rejected_message(p, self._lang)
                out.write(f"| {self._place(p.file, p.line)} | {escape_cell(message)} |\n")
            out.write("\n")
        if report.duplicates:
            out.write(words.duplicates)
            for d in report.duplicates:
                files = d.files or (None,) * len(d.lines)
                places = (self._place(f, line) for f, line in zip(files, d.lines, strict=True))
                lines = words.lines_joiner.join(places)
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
#: received (JST, naive), query id, line, the other agency's code, item, status, due date,
#: file (None for rows not read from a file).
_Row = tuple[str, datetime, str, int, str, int, str, date | None, str | None]
#: The order of a list: by agency, then by request (the line tells any two rows of a file
#: apart; rows of several files alike stay in the files' order).
_ROW_ORDER = operator.itemgetter(0, 1, 2, 3)
