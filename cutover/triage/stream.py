"""Triage of rows and of queries files: every row read, judged by the rule, and counted.

`triage` takes any iterable of rows (a database cursor works) and yields a result for each,
one by one. `triage_file` reads a queries file a block of rows at a time (`CsvFile.blocks`,
`WorkbookFile.blocks`):
a block's columns are checked by their few distinct values against `QueryReader`'s caches,
and only the open requests for a cutoff item (a few percent of a real log) are looked at
one by one and judged by `TriageRule`, the one statement of the rule; every other row is
one the rule does not concern, and is only counted. Rows that fail a check are read again
one at a time, by the same `QueryReader.query` as `triage`'s rows, which says why. No row
is dropped: each is classified, or rejected with its line and reason, and `TriageReport`
reconciles the counts.
"""

from __future__ import annotations

import operator
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from itertools import compress, repeat
from typing import TypeVar

from cutover.errors import CutoverError, Problem, require_date, require_instance
from cutover.i18n.catalogue import Msg
from cutover.i18n.catalogue import text as catalogue_text
from cutover.inputs.blocks import CsvBlock, ScannedBlock
from cutover.inputs.csvfile import CsvFile
from cutover.inputs.rows import warn_outside
from cutover.inputs.workbook import WorkbookFile, open_table
from cutover.jp.iso import column_joined_by_t_or_space
from cutover.jp.personal_number import holds_personal_number, may_hold_personal_number
from cutover.triage.model import Action, CutoffRule, Query, QueryStatus, TriageResult, jst_day
from cutover.triage.parse import (
    EXCEL_NUMBER_ID,
    QUERY_COLUMNS,
    REQUIRED,
    QueryReader,
    beyond_calendar,
    remember,
    row_problem,
)
from cutover.triage.report import OnAction, TriageReport
from cutover.triage.rule import TriageRule, Verdict

__all__ = ["triage", "triage_file"]

_T = TypeVar("_T")

# An enum member read from its class costs about 0.1 µs: in the loop over the rows the rule
# looks at, it is read once here.
_NONE = Action.NONE

#: Runs an iterator to its end, keeping nothing (a ``deque`` of no length).
_consume: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend

# Bytes of a CSV file read per block (the reader's default is 128 KiB): a block's strings,
# split and checked column by column, then stay in the core's cache (1 MiB of L2 here)
# from one column's pass to the next.
_BLOCK_BYTES = 32 * 1024


def triage(
    rows: Iterable[Mapping[str, object] | Query],
    rule: CutoffRule,
    as_of: date,
    *,
    first_line: int = 1,
) -> Iterator[TriageResult | Problem]:
    """Yield, for each row, its `TriageResult`, or the `Problem` that rejects it.

    A row is a `Query`, or a mapping of the canonical column names (`QUERY_COLUMNS`) to
    text, as from a database cursor (None, a database's NULL, is a blank cell; a number or
    a date is read as the text a file holds for it: REAL 2.0 is item 2, 2.5 is refused, and
    INTEGER 10006 is a code of five digits, refused); a mapping's line is its position
    counted from `first_line`. Results stream: nothing is kept between rows. Feed them to
    `TriageReport.collect` for counts and duplicates.
    """
    require_instance(rule, CutoffRule, "rule", "common.not-a-rule")  # (at the call, as as_of)
    judge = TriageRule(rule, require_date(as_of, "as_of"))  # (at the call, not the first row)
    return _triage(rows, judge, first_line)


def _triage(
    rows: Iterable[Mapping[str, object] | Query],
    judge: TriageRule,
    first_line: int,
    reader: QueryReader | None = None,
) -> Iterator[TriageResult | Problem]:
    reader = QueryReader() if reader is None else reader
    for position, row in enumerate(rows, start=first_line):
        if isinstance(row, Query):
            yield judge.result(row)
            continue
        if type(row) is not dict and not isinstance(row, Mapping):
            # A cursor's default rows are tuples (typed Any): said at the row, for the
            # programmer, not an AttributeError from deep in the reader.
            kind = type(row).__name__
            raise TypeError(catalogue_text("common.not-a-row", "en", kind=kind, line=position))
        query = reader.query(row, position)
        yield query if isinstance(query, Problem) else judge.result(query)


def triage_file(
    path: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    rule: CutoffRule,
    as_of: date,
    *,
    on_action: OnAction | None = None,
    on_outside: OnAction | None = None,
) -> TriageReport:
    """Return the finished report of a queries file, calling `on_action` for each action row
    and `on_outside` for each open request the rule does not cover (`Reason.outside_rule`:
    another item, or received from the effective date; counted as ``none``).

    The file is a CSV file (UTF-8, UTF-8 with BOM or cp932), read in blocks, or an .xlsx
    workbook (its first sheet, or ``book.xlsx#シート``), read a row at a time; `path` may
    also be several files, read one after the other into one report (a query id in two of
    them is a duplicate naming both files). A file that cannot be read at all (no header,
    missing columns, a personal-number column, undecodable bytes) raises `CutoverError`.
    Every data row is counted: classified, or rejected with its line (a workbook's row)
    and reason. Action rows reach `on_action` in the files' order. Close the report (or use
    it in a ``with``) when done.
    """
    require_instance(rule, CutoffRule, "rule", "common.not-a-rule")
    require_date(as_of, "as_of")
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    reader = QueryReader()
    blocks = _BlockTriage(TriageRule(rule, as_of), reader)
    report = TriageReport()
    try:
        for one in paths:
            source = open_table(
                one,
                columns=QUERY_COLUMNS,
                required=REQUIRED,
                label=Msg("inputs.file-queries"),
                codes=("querier", "provider"),
            )
            reader.file = source.name
            reader.locate = blocks.locate = source.locate
            blocks.outside_values = source.outside_values
            if len(paths) > 1:
                report.reading(source.name)
            for block in _blocks(source):
                if isinstance(block, CutoverError):
                    for problems in _by_row(map(source.locate, block.problems)):
                        report.reject(row_problem(problems))
                else:
                    blocks.classify(block, report, on_action, on_outside)
            warn_outside(source.name, blocks.notes())
        report.finish()
    except BaseException:
        report.close()
        raise
    return report


def _blocks(source: CsvFile | WorkbookFile) -> Iterator[CsvBlock | CutoverError]:
    """Yield the blocks of rows of `source` (`CsvFile.blocks`, `WorkbookFile.blocks`): a CSV
    file's in blocks of `_BLOCK_BYTES`."""
    if isinstance(source, CsvFile):
        for span in source.spans(block_bytes=_BLOCK_BYTES):
            for item in span.items:
                assert not isinstance(item, ScannedBlock)  # (only with a scanner)
                yield item
    else:
        yield from source.blocks()


def _by_row(problems: Iterable[Problem]) -> Iterator[list[Problem]]:
    """Yield the problems of each row (those of one line, in the order they come)."""
    rows: dict[tuple[str | None, int | None], list[Problem]] = {}
    for problem in problems:
        rows.setdefault((problem.sheet, problem.line), []).append(problem)
    yield from rows.values()


class _BlockTriage:
    """Classifies a file's blocks of rows with one rule and one reader.

    It keeps, beside the reader's caches, the texts of statuses and items the rule
    concerns (`TriageRule.concerns_status`, `concerns_item`), as written: sieves on the raw
    columns that find the few rows worth a closer look.
    """

    def __init__(self, rule: TriageRule, reader: QueryReader) -> None:
        self.rule = rule
        self.reader = reader
        #: where a rejected row's problem is (a workbook's sheet and cell)
        self.locate: Callable[[Problem], Problem] = lambda problem: problem
        #: the file's rows with a value only in a column not read (`CsvFile.outside_values`)
        self.outside_values: Callable[[], dict[int, tuple[str, str, tuple[str, ...]]]] = dict
        self._outside: dict[int, tuple[str, str, tuple[str, ...]]] | None = None
        self._notes: list[tuple[int, str, str, tuple[str, ...]]] = []
        self.open_texts = {t for t, s in reader.statuses.items() if rule.concerns_status(s)}
        self.item_texts = {t for t, i in reader.items.items() if rule.concerns_item(i)}
        # The rule's verdicts by the texts of a status and an item, and a day: the values
        # read from those texts come with them.
        self.verdicts: dict[tuple[str, str, date], tuple[Verdict, QueryStatus, int]] = {}

    def classify(
        self,
        block: CsvBlock,
        report: TriageReport,
        on_action: OnAction | None,
        on_outside: OnAction | None = None,
    ) -> None:
        """Classify a block of rows into `report`, calling `on_action` for each action row
        and `on_outside` for each open request outside the rule.

        A column is checked by its distinct values against the caches (C-level set
        operations), and objects are built only for rejected rows and rows the rule
        concerns: the rest (nearly all of a real log) are only counted.
        """
        reader, rule = self.reader, self.rule
        columns = block.columns
        lines = block.lines
        n = len(lines)
        query_ids = columns["query_id"]
        joined = "".join(query_ids)
        # The column as ASCII bytes, for the byte scans below (None when it is not ASCII).
        encoded = joined.encode("ascii") if joined.isascii() else None
        # An id is read without the white space around it. Without a space or another
        # unprintable character in the whole column (the usual case, one C scan), no id
        # has any.
        if not _printable(joined, encoded) or " " in joined:
            query_ids = list(map(str.strip, query_ids))
            joined = "".join(query_ids)
            encoded = joined.encode("ascii") if joined.isascii() else None
        querier_texts, provider_texts = columns["querier"], columns["provider"]
        item_texts, status_texts = columns["item"], columns["status"]
        requested = columns["requested"]

        # Rows that fail a check: read again one by one below, which says why.
        bad: set[int] = set()
        if not all(query_ids):
            bad.update(compress(range(n), map(operator.not_, query_ids)))
        if "+" in joined and ("E+" in joined or "e+" in joined):  # (the pattern rarely)
            bad.update(compress(range(n), map(EXCEL_NUMBER_ID.fullmatch, query_ids)))
        # (Two byte searches; one id at a time rarely.)
        if may_hold_personal_number(joined if encoded is None else encoded):
            bad.update(compress(range(n), map(holds_personal_number, query_ids)))
        reader.check(querier_texts, reader.known_codes, reader.code, bad)
        reader.check(provider_texts, reader.known_codes, reader.code, bad)
        new_items = reader.check(item_texts, reader.known_items, reader.item, bad)
        statuses = set(status_texts)
        new_statuses: set[str] = set()
        if not statuses <= reader.known_statuses:
            new_statuses = reader.check(status_texts, reader.known_statuses, reader.status, bad)
        # Every row's moment, or None to read each one the rule looks at again (below) from
        # its text, all of which are then in the usual ISO form.
        moments: list[datetime | None] | None = None
        dates = "".join(requested)
        try:
            # One C call per row: the usual ISO form, as a database or a program writes it.
            # Each moment is only checked, and dropped at once: the few rows the rule looks
            # at read theirs again. Python takes any character between date and time
            # (2018-07-01+12:00 as noon): the column is checked for a T or a space there.
            _consume(map(datetime.fromisoformat, requested))
            if not column_joined_by_t_or_space(requested, dates):
                raise ValueError
        except ValueError:
            moments = list(map(reader.moment_or_none, requested))
            bad.update(compress(range(n), map(operator.is_, moments, repeat(None))))
        # A personal number where Python's ISO reader takes one: a fraction of a second of
        # any length, or the basic form with a digit between date and time (201806010000000).
        # The column is scanned as the ids are (0.1 s over two million dates).
        if may_hold_personal_number(dates):
            bad.update(compress(range(n), map(holds_personal_number, requested)))
        # A year at the calendar's end, in C scans. Year 1 has no JST form only behind an
        # offset east of JST, written with a "+": that one-character scan spares the search
        # for "0001" in the usual column (0.03 s over two million rows).
        if ("+" in dates and "0001" in dates) or "9999" in dates:
            if moments is None:
                moments = list(map(datetime.fromisoformat, requested))
            bad.update(compress(range(n), map(beyond_calendar, moments)))

        # The rows the rule concerns: an open status (and a cutoff item, or another item:
        # an open request outside the rule, counted apart). The statuses' hashes are known
        # (the set above made them): each row's is looked up, in C.
        open_texts = self._sieve(
            new_statuses, reader.statuses, reader.status, rule.concerns_status, self.open_texts
        )
        cutoff_items = self._sieve(
            new_items, reader.items, reader.item, rule.concerns_item, self.item_texts
        )
        concerned = list(compress(range(n), map(open_texts.__contains__, status_texts)))
        if on_outside is None:
            # Open requests for other items need only be counted (outside the rule).
            cutoff = [i for i in concerned if item_texts[i] in cutoff_items]
            if len(cutoff) != len(concerned):
                outside = len(concerned) - len(cutoff)
                if bad:  # (a rejected row is not counted as outside)
                    outside -= len(bad.intersection(concerned)) - len(bad.intersection(cutoff))
                report.outside(outside)
                concerned = cutoff
        if bad:
            concerned = sorted(bad.union(concerned))
        left_out: list[int] = []  # rows rejected, or notes outside the table
        acted: list[Action] = []  # each action row's action, counted once the block is done
        verdicts = self.verdicts
        codes = reader.codes  # (every code of the block is in it, unless the cache is full)
        for i in concerned:
            moment = datetime.fromisoformat(requested[i]) if moments is None else moments[i]
            result: TriageResult | None = None
            if moment is None or i in bad:
                values = {name: column[i] for name, column in columns.items()}
                outcome = reader.query(values, lines[i])
                if isinstance(outcome, Problem):
                    # A row blank but for a note under a column not read (備考) is no row:
                    # neither counted nor rejected, but told of once (`warn_outside`), as
                    # a workbook's is.
                    if outcome.code != "triage.empty-row" or not self._note(lines[i]):
                        report.reject(self.locate(outcome))
                    left_out.append(i)
                    continue
                # Reached only if the two checks disagree: judged as any row.
                result = rule.result(outcome)
                action, far = result.action, result.far_future
            else:
                # Every value of this row passed its check above: the caches hold them.
                day = moment.date() if moment.tzinfo is None else jst_day(moment)
                key = (status_texts[i], item_texts[i], day)
                known = verdicts.get(key)
                if known is None:
                    status, item = reader.status(key[0]), reader.item(key[1])
                    known = (rule.verdict(status, item, day), status, item)
                    remember(verdicts, key, known)
                verdict, status, item = known
                action, far = verdict.action, verdict.far_future
                if (on_action is not None and action is not _NONE) or (
                    on_outside is not None and verdict.reason.outside_rule
                ):
                    querier, provider = querier_texts[i], provider_texts[i]
                    query = Query(
                        query_ids[i],
                        codes.get(querier) or reader.code(querier),
                        codes.get(provider) or reader.code(provider),
                        item,
                        moment,
                        status,
                        lines[i],
                        reader.file,
                    )
                    result = TriageResult(
                        query, action, verdict.due, verdict.reason, far_future=far
                    )
            if far:
                report.far_future([lines[i]])
            if action is _NONE:
                reason = verdict.reason if result is None else result.reason
                if reason.outside_rule:
                    report.outside()
                    if on_outside is not None and result is not None:
                        on_outside(result)
                continue
            acted.append(action)
            if on_action is not None and result is not None:
                on_action(result)
        for action, count in Counter(acted).items():
            report.count(action, count)
        report.count(Action.NONE, n - len(acted) - len(left_out))
        if left_out:
            kept = sorted(set(range(n)).difference(left_out))
            report.track_ids([query_ids[i] for i in kept], [lines[i] for i in kept])
        else:
            report.track_ids(query_ids, lines)

    def _note(self, line: int) -> bool:
        """Return whether the blank row at `line` holds a note in a column not read, and
        keep it for `notes`. The file is asked once, at its first blank row."""
        if self._outside is None:
            self._outside = self.outside_values()
        found = self._outside.get(line)
        if found is None:
            return False
        self._notes.append((line, *found))
        return True

    def notes(self) -> list[tuple[int, str, str, tuple[str, ...]]]:
        """Return the notes of the file read (`_note`), and forget them and the file's
        outside values, for the next file."""
        found, self._notes, self._outside = self._notes, [], None
        return found

    @staticmethod
    def _sieve(
        new: set[str],
        cache: Mapping[str, _T],
        read: Callable[[str], _T],
        concerns: Callable[[_T], bool],
        sieve: set[str],
    ) -> set[str]:
        """Return `sieve` with the texts in `new` (good values first met in this block) that
        the rule concerns.

        Those the reader's cache holds join `sieve` for good; others (past the cache's
        bound) are judged again in each block they are in, so that no row depends on it.
        """
        extra: set[str] = set()
        for text in new:
            if concerns(read(text)):
                if text in cache:
                    sieve.add(text)
                else:
                    extra.add(text)
        return sieve | extra if extra else sieve


#: The printable ASCII characters, space included (those `str.isprintable` passes).
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def _printable(text: str, encoded: bytes | None) -> bool:
    """Return ``text.isprintable()``; `encoded` is `text` as ASCII bytes, or None when it is
    not ASCII."""
    if encoded is not None:
        # Every printable byte deleted, in one C pass: 4-5 times faster than isprintable.
        return not encoded.translate(None, _PRINTABLE_ASCII)
    return text.isprintable()
