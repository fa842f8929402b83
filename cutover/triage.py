"""Triage of outstanding queries around the provision cutoff (source §6).

For the retroactively revised items (2 and 21 in 2018), a request for provision received on
or before the cutoff day must be answered by then; from the effective date it cannot be
answered at all (一時入力 included), so the querier withdraws it and re-issues it. `triage`
gives every query an `Action`, a due date and a reason:

- ``provide-by-cutoff``: open (pending or error), a cutoff item, received on or before the
  cutoff, while the as-of date is on or before the cutoff; due on the last business day
  before the cutoff;
- ``withdraw-and-reissue``: the same query once the as-of date is past the cutoff, or one
  received after the cutoff but before the effective date (possible only when a what-if
  moves the cutoff earlier: no answer is possible on either side of the revision); due on
  the first business day from the effective date;
- ``none``: provided or withdrawn, another item, or received on or after the effective date.

The rule's dates come from the calendar already moved off closed days: triage does no
business-day arithmetic. Rows stream through: `triage` takes any iterable of rows (a
database cursor works) and yields results one by one; `triage_file` reads a queries CSV a
block of rows at a time, builds objects only for the rows that need action, and keeps
memory flat whatever the file's length. No row is dropped: each is classified, or rejected
with its line and reason, and `TriageReport` reconciles the counts.

A 2,000,000-row log is read at C speed where Python allows: a block's columns are checked
by their few distinct values against caches, and only open requests for a cutoff item get
a closer look. Where the optional extension `cutover._scan` is built, it reads plain blocks
in one C loop, vouching only for rows whose every value the Python pass has already
accepted (its caches) and sending any other block back to the Python pass. Query ids go
to disk, with their hashes, to find duplicates at the end. A large file is shared with a
second process when a second core is free (see "two processes" below);
docs/performance.md has the figures.
"""

from __future__ import annotations

import contextlib
import csv
import enum
import importlib
import json
import operator
import os
import pickle
import re
import signal
import tempfile
import threading
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from itertools import compress, repeat
from pathlib import Path
from types import TracebackType
from typing import IO, Final, Generic, Protocol, TypeVar, cast, overload

import attrs

from cutover.errors import CutoverError, Problem, did_you_mean
from cutover.inputs.blocks import CsvBlock, CsvLayout, CsvSpan, ScannedBlock
from cutover.inputs.csvfile import CsvFile, header_key
from cutover.jp.personal_number import holds_personal_number, may_hold_personal_number, refusal
from cutover.jp.vocabulary import normalize_text
from cutover.sorting import SortedSpill

__all__ = [
    "JST",
    "QUERY_COLUMNS",
    "Action",
    "CutoffRule",
    "Duplicate",
    "DuplicateFile",
    "Query",
    "QueryStatus",
    "TriageCounts",
    "TriageReport",
    "TriageResult",
    "parse_item",
    "parse_query_status",
    "parse_requested",
    "triage",
    "triage_file",
]


class _ScanPass(Protocol):
    """What `cutover._scan` offers (cutover/_scan.c documents each function): the one
    statement of its interface for the type checker."""

    def hash_id(self, text: str, /) -> int: ...

    def tables(
        self, codes: dict[str, int], items: dict[str, int], statuses: dict[str, int], /
    ) -> object: ...

    def block(
        self,
        text: str,
        width: int,
        columns: tuple[int, int, int, int, int, int],
        tables: object,
        limit: int,
        end: int,
        far: int,
        /,
    ) -> tuple[int, list[int], list[str], list[int], bytes, bytes] | None: ...

    def distribute(
        self,
        hashes: bytes,
        buckets: list[array[int]],
        owners: list[array[int]],
        ends: list[array[int]],
        number: int,
        /,
    ) -> None: ...

    def repeated(self, hashes: array[int], /) -> set[int]: ...


def _load_scan() -> _ScanPass | None:
    """Return `cutover._scan`, the row pass in C, or None: not built (no compiler where
    cutover was installed), or turned off with ``CUTOVER_PURE_PYTHON=1``."""
    if os.environ.get("CUTOVER_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        module = importlib.import_module("cutover._scan")
    except ImportError:
        return None
    return cast(_ScanPass, module)


#: The C row pass, when built: the classifier and the id index read it when made, so that
#: both use it or neither does (the id hashes must agree).
_SCAN = _load_scan()
# The widest row the C pass reads (a queries file has 6 columns and a few more).
_SCAN_MAX_WIDTH = 256
# A block the C pass reads: twice the Python pass's, which halves the per-block work (the id
# index's 1,024 buckets) and keeps memory where the Python pass has it (27 MB at 2,000,000
# rows; 1 MiB blocks took 36 MB for no gain in time).
_SCAN_BLOCK_BYTES = 1 << 18

# A long number as Excel writes it once it has taken an id column for numbers (2.01828E+18):
# the digits are lost, and every such row would share one id.
_EXCEL_NUMBER_ID = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+[0-9]+")

#: Japan Standard Time: naive timestamps in a queries file are JST, and the cutoff is a JST day.
#: A fixed UTC+9: Japan has had no daylight saving time since 1951, and a fixed offset needs no
#: time-zone database (Windows has none: `zoneinfo` would need the tzdata package there).
JST: Final = timezone(timedelta(hours=9), "JST")
_JST_OFFSET = timedelta(hours=9)
#: An open request for a cutoff item dated more than this many days after the as-of date is
#: warned of (`TriageReport.far_future`): it cannot have been received yet.
FAR_REQUEST_DAYS: Final = 30


class QueryStatus(enum.StrEnum):
    """Where a query stands, as the query log says."""

    PENDING = "pending"
    PROVIDED = "provided"
    WITHDRAWN = "withdrawn"
    ERROR = "error"

    @property
    def ja(self) -> str:
        """Return the Japanese name (未提供 / 提供済 / 取りやめ / エラー)."""
        return _STATUS_JA[self]

    @property
    def is_open(self) -> bool:
        """Return True for a query still waiting for an answer (pending, or in error)."""
        return self in (QueryStatus.PENDING, QueryStatus.ERROR)


_STATUS_JA = {
    QueryStatus.PENDING: "未提供",
    QueryStatus.PROVIDED: "提供済",
    QueryStatus.WITHDRAWN: "取りやめ",
    QueryStatus.ERROR: "エラー",
}
_STATUSES: dict[str, QueryStatus] = {s.value: s for s in QueryStatus} | {
    normalize_text(ja): s for s, ja in _STATUS_JA.items()
}
_STATUSES |= {
    "提供待ち": QueryStatus.PENDING,
    "未回答": QueryStatus.PENDING,
    "提供済み": QueryStatus.PROVIDED,
    "取止め": QueryStatus.WITHDRAWN,
    "取り止め": QueryStatus.WITHDRAWN,
    "取りやめ済": QueryStatus.WITHDRAWN,
}


class Action(enum.StrEnum):
    """What the cutoff rule asks of a query's provider or querier."""

    PROVIDE_BY_CUTOFF = "provide-by-cutoff"
    WITHDRAW_AND_REISSUE = "withdraw-and-reissue"
    NONE = "none"


def _item_set(items: Iterable[int]) -> frozenset[int]:
    return frozenset(items)


def _positive_items(_: object, __: attrs.Attribute[frozenset[int]], value: frozenset[int]) -> None:
    if not value or any(item < 1 for item in value):
        raise CutoverError(
            f"cutoff items {sorted(value)} must be item numbers from 1",
            fix="list the retroactively revised items, e.g. [2, 21]",
        )


@attrs.frozen
class CutoffRule:
    """The provision cutoff (§6), with its dates already moved off closed days.

    2018: items {2, 21}; received on or before 6/30 (Sat) → answer by 6/29 (Fri); from 7/1
    (Sun) no provision at all → withdraw and re-issue from 7/1, first business day 7/2 (Mon).
    """

    items: frozenset[int] = attrs.field(converter=_item_set, validator=_positive_items)
    last_provision: date  # the cutoff day in the calendar
    answer_by: date  # the last business day on or before it
    effective: date  # the revision takes effect; re-query from this day
    reissue_from: date  # the first business day on or after it
    section: str = "§6"
    #: the what-if shifts of the timeline the rule comes from (``provision-cutoff=-1bd``):
    #: a rule they moved is not the source's, and every output says so
    what_if: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not self.answer_by <= self.last_provision < self.effective <= self.reissue_from:
            raise CutoverError(
                f"cutoff dates out of order: answer by {self.answer_by}, last provision "
                f"{self.last_provision}, effective {self.effective}, re-issue from "
                f"{self.reissue_from}",
                fix="the order must be answer_by ≤ last_provision < effective ≤ reissue_from",
            )

    @property
    def source_en(self) -> str:
        """Return where the rule comes from: ``§6``, or ``§6, moved by a what-if: …``."""
        if not self.what_if:
            return self.section
        return f"{self.section}, moved by a what-if: {', '.join(self.what_if)}"

    @property
    def source_ja(self) -> str:
        """Return where the rule comes from: ``§6``, or ``§6を仮定の日程変更で動かしたもの: …``."""
        if not self.what_if:
            return self.section
        return f"{self.section}を仮定の日程変更で動かしたもの: {'、'.join(self.what_if)}"

    @property
    def items_text(self) -> str:
        """Return the cutoff items for messages: ``2, 21``."""
        return ", ".join(str(i) for i in sorted(self.items))

    @property
    def gap(self) -> tuple[date, date] | None:
        """Return the first and last days after the cutoff and before the revision, or None.

        None in the source's calendar (6/30, then 7/1); days only when a what-if moves the
        cutoff earlier: a request received on them can be answered neither before nor after
        the revision, so it is withdrawn and re-issued.
        """
        first, last = self.last_provision + timedelta(days=1), self.effective - timedelta(days=1)
        return (first, last) if first <= last else None


def _to_jst(moment: datetime) -> datetime:
    """Return `moment` in JST; a naive moment is taken to be JST already.

    Raises OverflowError when JST is past the calendar's ends (0001-01-01T00:00+10:00).
    """
    if moment.tzinfo is None or moment.utcoffset() == _JST_OFFSET:
        # (Not through UTC: 0001-01-01T00:00+09:00 is a JST moment, but no UTC one.)
        return moment.replace(tzinfo=JST)
    return moment.astimezone(JST)


@attrs.frozen
class Query:
    """One outstanding query (情報照会), as one row of a queries file.

    `requested` is when the provider received the request, converted to JST (a naive value
    is taken as JST). Objects built by a program are trusted: codes are not re-checked.
    """

    query_id: str
    querier: str
    provider: str
    item: int
    requested: datetime = attrs.field(converter=_to_jst)
    status: QueryStatus
    line: int


@attrs.frozen
class TriageResult:
    """A query, the action the cutoff rule asks for, when it is due, and why.

    `far_future`: an open request for a cutoff item dated more than `FAR_REQUEST_DAYS` after
    the as-of date (a year or era slip?); its action is ``none``, as for any request after
    the cutoff. `TriageReport.collect` counts them in `far_future_rows`.
    """

    query: Query
    action: Action
    due: date | None
    reason: str
    far_future: bool = attrs.field(default=False, kw_only=True)


@attrs.frozen
class Duplicate:
    """A query id found on more than one classified row, with their lines."""

    query_id: str
    lines: tuple[int, ...]


def _repeated(lines_of: Mapping[str, list[int]]) -> list[tuple[tuple[int, ...], str]]:
    """Return (lines, id) of the ids found on more than one line, by first line."""
    return sorted((tuple(sorted(ls)), q) for q, ls in lines_of.items() if len(ls) > 1)


def _itself(value: _V) -> _V:
    return value


class DuplicateFile(Sequence[Duplicate]):
    """Duplicated query ids kept in a temporary file, in order: a log with very many of
    them (concatenated to itself, or overlapping exports) does not fill memory.

    A read-only sequence: `len`, indexing and slicing (reading only the batches needed),
    iteration a batch at a time. `close` deletes the file.
    """

    _BATCH = 1000

    def __init__(self, duplicates: Iterable[Duplicate]) -> None:
        self._store((d.query_id, d.lines) for d in duplicates)

    @classmethod
    def _of_pairs(cls, pairs: Iterable[tuple[str, tuple[int, ...]]]) -> DuplicateFile:
        """Return the file of (query id, lines) pairs, in order."""
        self = cls.__new__(cls)
        self._store(pairs)
        return self

    def _store(self, pairs: Iterable[tuple[str, tuple[int, ...]]]) -> None:
        self._file: IO[bytes] | None = _temporary_file()
        self._batches: list[tuple[int, int]] = []  # (offset, length) of each pickled batch
        self._length = 0
        self._batch_size = self._BATCH  # (fixed for this file's batches)
        self._last: tuple[int, list[Duplicate]] | None = None
        batch: list[tuple[str, tuple[int, ...]]] = []
        for pair in pairs:
            batch.append(pair)
            if len(batch) == self._batch_size:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)

    def _write(self, batch: list[tuple[str, tuple[int, ...]]]) -> None:
        assert self._file is not None
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        self._batches.append((self._file.seek(0, 2), len(data)))
        self._file.write(data)
        self._length += len(batch)

    def _batch(self, number: int) -> list[Duplicate]:
        if self._file is None:
            msg = "the duplicates' temporary file is closed (the report was closed)"
            raise ValueError(msg)
        if self._last is not None and self._last[0] == number:
            return self._last[1]  # (a slice reads one batch once, not once per item)
        offset, length = self._batches[number]
        self._file.seek(offset)
        pairs: list[tuple[str, tuple[int, ...]]] = pickle.loads(self._file.read(length))
        batch = [Duplicate(q, lines) for q, lines in pairs]
        self._last = (number, batch)
        return batch

    def __len__(self) -> int:
        return self._length

    def __repr__(self) -> str:
        return f"<DuplicateFile: {self._length:,} duplicated query ids>"

    @overload
    def __getitem__(self, index: int) -> Duplicate: ...

    @overload
    def __getitem__(self, index: slice) -> list[Duplicate]: ...

    def __getitem__(self, index: int | slice) -> Duplicate | list[Duplicate]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            msg = f"duplicate index {index} out of range"
            raise IndexError(msg)
        return self._batch(index // self._batch_size)[index % self._batch_size]

    def __iter__(self) -> Iterator[Duplicate]:
        for number in range(len(self._batches)):
            yield from self._batch(number)

    def close(self) -> None:
        """Delete the temporary file."""
        self._last = None
        if self._file is not None:
            self._file.close()
            self._file = None


@attrs.frozen
class TriageCounts:
    """How many rows were read, by outcome; ``total`` is the sum of the other four."""

    total: int
    provide_by_cutoff: int
    withdraw_and_reissue: int
    none: int
    rejected: int

    def as_dict(self) -> dict[str, int]:
        """Return the counts keyed as in the JSON contract (DESIGN.md §3)."""
        return {
            "total": self.total,
            Action.PROVIDE_BY_CUTOFF.value: self.provide_by_cutoff,
            Action.WITHDRAW_AND_REISSUE.value: self.withdraw_and_reissue,
            Action.NONE.value: self.none,
            "rejected": self.rejected,
        }


#: Canonical columns of a queries file, with the header spellings accepted for each.
QUERY_COLUMNS: Mapping[str, Sequence[str]] = {
    "query_id": ("照会番号", "照会ID", "query id", "id"),
    "querier": ("情報照会者", "照会者", "照会機関", "照会機関コード"),
    "provider": ("情報提供者", "提供者", "提供機関", "提供機関コード"),
    "item": ("特定個人情報", "特定個人情報番号", "項目", "item_no"),
    "requested": (
        "照会日時",
        "提供の求め日時",
        "受付日時",
        "受付日",
        "照会日",
        "提供の求めを受けた日時",
        "提供の求めを受けた日",
        "requested_at",
        "received",
    ),
    "status": ("状態", "ステータス", "状況"),
}
_REQUIRED = tuple(QUERY_COLUMNS)
# Every accepted header spelling, as `header_key` gives it: a row of them is a header.
_HEADER_KEYS = frozenset(
    header_key(spelling)
    for name, spellings in QUERY_COLUMNS.items()
    for spelling in (name, *spellings)
)
_EMPTY_ROW_FIX = (
    "delete it (in Excel, select the empty rows under or between the data, delete them with "
    "行の削除 and save again)"
)

_ITEM_SHAPE = re.compile(r"(?:特定個人情報|no\.?|item)?\s*([0-9]+)\s*番?")
_TIME_SUFFIX = re.compile(r"(.*?)[\sT]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?")
# A time in kanji (12時30分, 12時30分15秒, 12時) and a "JST" written after a time.
_KANJI_TIME = re.compile(r"([0-9]{1,2})時(?:([0-9]{1,2})分(?:([0-9]{1,2})秒)?)?")
_JST_SUFFIX = re.compile(r"\s*(?:JST|\(JST\)|（JST）)$", re.IGNORECASE)
_SLASHED = re.compile(
    r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?"
)
_DATE_FORMS = (
    "2018-06-30, 2018-06-30T15:30:00 (JST, unless it ends with an offset such as Z or +00:00), "
    "2018/6/30 15:30 or 平成30年6月30日"
)


def parse_query_status(text: str) -> QueryStatus:
    """Return the status named by `text`: an English id, or 未提供, 提供済, 取りやめ, エラー."""
    key = normalize_text(text)
    status = _STATUSES.get(key)
    if status is None:
        valid = "pending, provided, withdrawn or error (未提供, 提供済, 取りやめ, エラー)"
        near = _near_status(key)
        if near is not None:
            # Not taken for it: a status is never guessed (a wrong one can hide a request).
            fix = (
                f"if it means {near.ja} ({near.value}), write {near.ja} or {near.value}; "
                f"if not, one of {valid}"
            )
        else:
            guess = did_you_mean(key, [*(s.value for s in QueryStatus), *_STATUS_JA.values()])
            fix = f"{guess} Valid: {valid}" if guess.startswith("did you mean") else f"use {valid}"
        raise CutoverError(f"unknown status {text.strip()!r}", fix=fix)
    return status


#: Words offices write for a status, close in meaning to one but not the log's own.
_NEAR_STATUSES = {
    "取下げ": QueryStatus.WITHDRAWN,
    "取り下げ": QueryStatus.WITHDRAWN,
    "取下": QueryStatus.WITHDRAWN,
    "取消": QueryStatus.WITHDRAWN,
    "取消し": QueryStatus.WITHDRAWN,
    "取り消し": QueryStatus.WITHDRAWN,
    "回答済": QueryStatus.PROVIDED,
    "回答済み": QueryStatus.PROVIDED,
}


def _near_status(key: str) -> QueryStatus | None:
    """Return the status a word like 取下げ or 提供済（一時入力） is close to, or None."""
    # A status with a note after it: 提供済（一時入力）, 未提供(督促済), provided (late).
    base = _NOTE_AFTER.split(key, maxsplit=1)[0].strip()
    return _STATUSES.get(base) or _NEAR_STATUSES.get(base)


_NOTE_AFTER = re.compile(r"\s*[(（\[［]")


def parse_item(text: str) -> int:
    """Return the 特定個人情報 item number written in `text` (``2``, ``２``, ``2番``)."""
    match = _ITEM_SHAPE.fullmatch(normalize_text(text))
    number = int(match[1]) if match is not None else 0
    if number < 1:
        raise CutoverError(
            f"unknown item {text.strip()!r}",
            fix="write the 特定個人情報 number as a whole number from 1, e.g. 2 or 21",
        )
    return number


_TWELVE_HOUR = re.compile(r"午前|午後|(?<![A-Za-z])[AaPp]\.?[Mm]\.?(?![A-Za-z])")


def parse_requested(text: str) -> datetime:
    """Return the JST moment written in `text`: ISO 8601, ``2018/6/30 15:30``, or wareki.

    A bare date is 00:00 that day; a naive date-time is JST; an aware one is converted.
    """
    written = text.strip()
    try:
        moment = datetime.fromisoformat(written)
    except ValueError:
        moment = _parse_loose(written)
    try:
        return _to_jst(moment)
    except OverflowError:
        raise _beyond_jst(text) from None


def _beyond_jst(text: str) -> CutoverError:
    return CutoverError(
        f"bad date {text!r}: in Japan time it falls outside years 1–9999",
        fix="check the year and the time zone",
    )


def _parse_loose(written: str) -> datetime:
    """Return the naive JST moment of a date that is not ISO 8601: slashes, kanji or an era."""
    normalized = unicodedata.normalize("NFKC", written).strip()
    # 2018-06-30 12:00 JST: the time is JST, as a naive one is.
    folded = _JST_SUFFIX.sub("", normalized)
    # 12時30分15秒 → 12:30:15 (after a space or straight after 日).
    folded = _KANJI_TIME.sub(
        lambda m: f" {int(m[1])}:{int(m[2] or 0):02d}:{int(m[3] or 0):02d}", folded
    ).strip()
    if folded != normalized:
        try:
            return datetime.fromisoformat(folded)
        except ValueError:
            pass
    hour = minute = second = micro = 0
    match = _TIME_SUFFIX.fullmatch(folded)
    day_text = folded
    if match is not None:
        day_text = match[1]
        hour, minute = int(match[2]), int(match[3])
        second = int(match[4] or 0)
        micro = int((match[5] or "0").ljust(6, "0"))
    if not written:
        raise CutoverError("requested is blank", fix=f"write when it was received: {_DATE_FORMS}")
    # The wareki module is the one reader of Japanese dates; imported here, off the fast path.
    from cutover.jp.wareki import excel_serial, parse_date

    try:
        day = parse_date(day_text)
    except CutoverError as exc:
        problem = exc.problems[0]
        if problem.message.startswith("unrecognized"):
            serial = excel_serial(folded)
            if serial is not None:
                raise CutoverError(
                    f"bad date {written!r}: a date-time as Excel stores it "
                    f"({serial:%Y-%m-%d %H:%M} in Excel's 1900 date system), not as it shows it",
                    fix="format the column as a date (日付) in Excel before saving, so that it "
                    f"is written as {_DATE_FORMS}",
                ) from None
            if _TWELVE_HOUR.search(normalized):
                # Not read: 午前12:00 is midnight to some programs and noon to others, and
                # midnight on 7/1 is the boundary itself.
                raise CutoverError(
                    f"bad date {written!r}: a time in 12 hours (午前/午後, AM/PM) is not read",
                    fix="write the time in 24 hours (15:00): in Excel, format the column as "
                    "yyyy/m/d h:mm before saving",
                ) from None
            raise CutoverError(f"bad date {written!r}", fix=f"write it as {_DATE_FORMS}") from None
        # The date has a known form but is no day (February 30): wareki says why.
        raise CutoverError(f"bad date: {problem.message}", fix=problem.fix) from None
    if hour > 23 or minute > 59 or second > 59:
        raise CutoverError(
            f"bad date {written!r}: no time {hour}:{minute:02d}:{second:02d}",
            fix="hours run 0–23, minutes and seconds 0–59",
        )
    return datetime.combine(day, time(hour, minute, second, micro))


def _validate_code(text: str) -> str:
    """Return the 6-digit code in `text`, or raise `CutoverError`."""
    # One check-digit rule, in cutover.jp.codes; imported when first needed.
    from cutover.jp.codes import validate_code

    return validate_code(text)


_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")

# Caches hold each distinct value seen (a few thousand codes in a national log); the bound
# keeps a file of garbage from growing them without limit.
_CACHE_LIMIT = 1 << 16


def _beyond_calendar(moment: datetime | None) -> bool:
    """Return True when `moment` has no JST form (0001-01-01T00:00+10:00)."""
    if moment is None or moment.tzinfo is None:
        return False
    try:
        _to_jst(moment)
    except OverflowError:
        return True
    return False


def _moment_key(moment: datetime) -> int:
    """Return a naive moment as the C pass numbers them (whole seconds; one more when the
    moment has a fraction, so that ``key >= _moment_key(moment)`` is ``>= moment``)."""
    key = (moment.year * 13 + moment.month) * 32 + moment.day
    key = ((key * 24 + moment.hour) * 60 + moment.minute) * 60 + moment.second
    return key + (1 if moment.microsecond else 0)


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> bool:
    """Store `value` under `key` unless the cache is full; return True when stored."""
    if len(cache) < _CACHE_LIMIT:
        cache[key] = value
        return True
    return False


#: What `triage_file` calls with each row that needs action (a writer's ``write``).
OnAction = Callable[[TriageResult], object]


class _Classifier:
    """Classifies rows for one rule and as-of date, remembering the values it has checked."""

    def __init__(self, rule: CutoffRule, as_of: date, file: str | None = None) -> None:
        self.rule = rule
        self.as_of = as_of
        self.file = file
        self.after_cutoff = as_of > rule.last_provision
        # A request needs action when received before the revision takes effect (00:00 JST
        # on the effective date: in 2018 the day after the cutoff); comparing against both
        # forms avoids converting every naive timestamp to JST.
        end = datetime.combine(rule.effective, time())
        self.end_naive = end
        self.end_aware = end.replace(tzinfo=JST)
        # An open request for a cutoff item dated well after the as-of date cannot have been
        # received yet: a year or era slip (令和元年 for 平成30年) that would pass as "after
        # the cutoff". A file read a few days after its as-of date holds later rows: those
        # are not warned of.
        try:
            far = datetime.combine(as_of + timedelta(days=FAR_REQUEST_DAYS + 1), time())
        except OverflowError:  # an as-of date at the end of the calendar: nothing is later
            far = datetime.max
        self.far_naive = far
        self.far_aware = far.replace(tzinfo=JST)
        # (status, item) pairs under the rule: the one statement of "open and a cutoff item".
        self.hot = frozenset(
            (status, item) for status in QueryStatus if status.is_open for item in rule.items
        )
        self.codes: dict[str, str] = {}
        self.bad_codes: dict[str, CutoverError] = {}
        self.items: dict[str, int] = {str(i): i for i in range(1, 200)}
        self.statuses: dict[str, QueryStatus] = dict(_STATUSES)
        # Cached texts of open statuses and of cutoff items, as written: sieves on the raw
        # columns, kept in step with the caches.
        self.open_texts = {text for text, status in self.statuses.items() if status.is_open}
        self.hot_items = {text for text, item in self.items.items() if item in rule.items}
        # The caches' keys as sets, kept in step: a column is checked against one with
        # `set.issuperset`, one C loop (twice as fast as looking each value up in the dict).
        self.known_codes: set[str] = set()
        self.known_items: set[str] = set(self.items)
        self.known_statuses: set[str] = set(self.statuses)
        self.item_reasons: dict[int, str] = {}
        # For one rule and as-of date, the reason depends only on the item and the day.
        self.reasons: dict[tuple[int, date], str] = {}
        # The C pass, and its tables of the caches' texts (remade when the caches grow).
        self.scan = _SCAN
        self._tables: object = None
        self._tables_of: tuple[int, ...] = ()
        self._positions: Mapping[str, int] = {}

    # --- values ------------------------------------------------------------------------

    def code(self, text: str) -> str:
        """Return the code in `text`, or raise `CutoverError`."""
        code = self.codes.get(text)
        if code is not None:
            return code
        error = self.bad_codes.get(text)
        if error is not None:
            # Re-raised many times: drop the old traceback, or it would grow with each raise.
            raise error.with_traceback(None)
        try:
            code = _validate_code(text)
        except CutoverError as exc:
            _remember(self.bad_codes, text, exc)
            raise
        if _remember(self.codes, text, code):
            self.known_codes.add(text)
        return code

    def item(self, text: str) -> int:
        """Return the item number in `text`, or raise `CutoverError`."""
        number = self.items.get(text)
        if number is None:
            if holds_personal_number(text):  # (a number, which parse_item would take)
                message, fix = refusal("item", text)
                raise CutoverError(message, fix=fix)
            number = parse_item(text)
            if _remember(self.items, text, number):
                self.known_items.add(text)
                if number in self.rule.items:
                    self.hot_items.add(text)
        return number

    def status(self, text: str) -> QueryStatus:
        """Return the status in `text`, or raise `CutoverError`."""
        status = self.statuses.get(text)
        if status is None:
            status = parse_query_status(text)
            if _remember(self.statuses, text, status):
                self.known_statuses.add(text)
                if status.is_open:
                    self.open_texts.add(text)
        return status

    # --- rows ---------------------------------------------------------------------------

    def query(self, values: Mapping[str, str], line: int) -> Query | Problem:
        """Return the query in one row of text values, or the problem with the row."""
        problems: list[Problem] = []

        def field(name: str) -> str:
            value = values.get(name)
            if value is None:
                problems.append(
                    Problem(f"no {name} column", f"give every row {', '.join(_REQUIRED)}")
                )
                return ""
            return value if isinstance(value, str) else str(value)

        query_id = field("query_id").strip()
        texts = {name: field(name) for name in _REQUIRED[1:]}
        if problems:
            return self._problem(problems, line)
        cells = [query_id, *texts.values()]
        # First: nothing of a row that holds a personal number is read any further.
        problems.extend(
            Problem(*refusal(name, cell))
            for name, cell in zip(_REQUIRED, cells, strict=True)
            if holds_personal_number(cell)
        )
        if problems:
            return self._problem(problems, line)
        if not any(cell.strip() for cell in cells):  # ",,,,,," as Excel saves a blank row
            return Problem("the row is empty", _EMPTY_ROW_FIX, file=self.file, line=line)
        if all(header_key(cell) in _HEADER_KEYS for cell in cells):
            return Problem(
                "the row is a header, not a query (two exports joined into one file?)",
                "delete the repeated header line",
                file=self.file,
                line=line,
            )
        if not query_id:
            problems.append(Problem("query_id is blank", "give every query its id (照会番号)"))
        elif _EXCEL_NUMBER_ID.fullmatch(query_id):
            problems.append(
                Problem(
                    f"query_id {query_id!r} is a number as Excel shows a long one, not the id: "
                    "every such row would look like the same query",
                    "format the query_id column as text (文字列) in Excel before saving, or "
                    "export the log again",
                )
            )
        querier = self._checked(self.code, texts["querier"], "querier", problems)
        provider = self._checked(self.code, texts["provider"], "provider", problems)
        item = self._checked(self.item, texts["item"], "item", problems)
        requested = self._checked(parse_requested, texts["requested"], "requested", problems)
        status = self._checked(self.status, texts["status"], "status", problems)
        if (
            problems
            or querier is None
            or provider is None
            or item is None
            or requested is None
            or status is None
        ):
            return self._problem(problems, line)
        return Query(query_id, querier, provider, item, requested, status, line)

    @staticmethod
    def _checked(
        parse: Callable[[str], _V], text: str, column: str, problems: list[Problem]
    ) -> _V | None:
        try:
            return parse(text)
        except CutoverError as exc:
            for p in exc.problems:
                message = p.message if p.message.startswith(column) else f"{column}: {p.message}"
                problems.append(Problem(message, p.fix))
            return None

    def _problem(self, problems: Sequence[Problem], line: int) -> Problem:
        fixes = dict.fromkeys(p.fix for p in problems if p.fix)
        return Problem(
            "; ".join(p.message for p in problems), "; ".join(fixes), file=self.file, line=line
        )

    def result(self, query: Query) -> TriageResult:
        """Return what the cutoff rule asks for `query`, when, and why."""
        rule = self.rule
        if (query.status, query.item) not in self.hot:
            if not query.status.is_open:
                return TriageResult(query, Action.NONE, None, _CLOSED_REASON[query.status])
            return TriageResult(query, Action.NONE, None, self._item_reason(query.item))
        received = query.requested.date()
        if received >= rule.effective:
            action, due = Action.NONE, None
        elif received > rule.last_provision or self.after_cutoff:
            # (Received after the cutoff but before the revision: a what-if that moves the
            # cutoff earlier. Not answerable in the old layout, nor from the effective date.)
            action, due = Action.WITHDRAW_AND_REISSUE, rule.reissue_from
        elif received > rule.answer_by:
            # Received on a closed cutoff day (Saturday 6/30): the last business day is
            # already behind it, so the cutoff day itself is all that is left.
            action, due = Action.PROVIDE_BY_CUTOFF, rule.last_provision
        else:
            action, due = Action.PROVIDE_BY_CUTOFF, rule.answer_by
        key = (query.item, received)
        reason = self.reasons.get(key)
        if reason is None:
            reason = self._reason(action, query.item, received)
            _remember(self.reasons, key, reason)
        if action is Action.NONE and query.requested >= self.far_aware:
            return TriageResult(query, action, due, reason, far_future=True)
        return TriageResult(query, action, due, reason)

    def _reason(self, action: Action, item: int, received: date) -> str:
        rule = self.rule
        if action is Action.NONE:
            return (
                f"requested {received}, after the cutoff {rule.last_provision}: "
                f"answered in the new layout as usual"
            )
        if action is Action.WITHDRAW_AND_REISSUE and received > rule.last_provision:
            return (
                f"item {item} requested {received}, after the cutoff {rule.last_provision} "
                f"but before the revision takes effect on {rule.effective}: it can be answered "
                f"neither before nor after the revision (no provision from "
                f"{rule.effective}, 一時入力 included); the querier withdraws it (取りやめ) and "
                f"re-issues it (再照会) on or after {rule.effective}, first business day "
                f"{rule.reissue_from} ({rule.source_en})"
            )
        if action is Action.WITHDRAW_AND_REISSUE:
            # After a cutoff a what-if moved earlier, it is that day that has passed.
            after = (
                f"after {rule.last_provision}" if rule.gap is not None else f"from {rule.effective}"
            )
            return (
                f"item {item} requested {received}, on or before the cutoff "
                f"{rule.last_provision}: it can no longer be answered (no provision "
                f"{after}, 一時入力 included); the querier withdraws it (取りやめ) and "
                f"re-issues it (再照会) on or after {rule.effective}, first business day "
                f"{rule.reissue_from} ({rule.source_en})"
            )
        late = ""
        if received > rule.answer_by:
            return (
                f"item {item} requested {received}, after the last business day "
                f"{rule.answer_by} but on or before the cutoff {rule.last_provision}: answer "
                f"it on {rule.last_provision} itself if anyone can (一時入力 included; from "
                f"{rule.effective} it cannot be answered); otherwise the querier withdraws it "
                f"(取りやめ) and re-issues it (再照会) on or after {rule.effective}, first "
                f"business day {rule.reissue_from} ({rule.source_en})"
            )
        if self.as_of > rule.answer_by:
            late = (
                f"; {rule.answer_by}, the last business day, has passed: only "
                f"{rule.last_provision} itself is left"
            )
        return (
            f"item {item} requested {received}, on or before the cutoff "
            f"{rule.last_provision}: the provider answers by {rule.answer_by} (一時入力 "
            f"included; from {rule.effective} it cannot be answered){late}; if it is "
            f"unanswered on {rule.last_provision}, the querier withdraws it (取りやめ) and "
            f"re-issues it (再照会) on or after {rule.effective} ({rule.source_en})"
        )

    def _item_reason(self, item: int) -> str:
        reason = self.item_reasons.get(item)
        if reason is None:
            reason = f"item {item} is not under the cutoff rule (items {self.rule.items_text})"
            self.item_reasons[item] = reason
        return reason

    # --- blocks -------------------------------------------------------------------------

    def scanner(self, layout: CsvLayout) -> Callable[[str, int], ScannedBlock | None] | None:
        """Return what reads a stretch of `layout`'s plain text with the C pass, if built."""
        scan = self.scan
        if scan is None or not 2 <= layout.width <= _SCAN_MAX_WIDTH:
            return None
        width = layout.width
        self._positions = layout.index
        c = tuple(layout.index[name] for name in _REQUIRED)
        columns = (c[0], c[1], c[2], c[3], c[4], c[5])
        limit = csv.field_size_limit()
        end, far = _moment_key(self.end_naive), _moment_key(self.far_naive)

        def read(text: str, line: int) -> ScannedBlock | None:
            found = scan.block(text, width, columns, self._scan_tables(), limit, end, far)
            return None if found is None else ScannedBlock(range(line, line + found[0]), found)

        return read

    def _scan_tables(self) -> object:
        """Return the C pass's tables of the texts the caches hold, remade when they grow."""
        sizes = (len(self.codes), len(self.items), len(self.statuses))
        if sizes != self._tables_of:
            assert self.scan is not None
            # 2 marks a cutoff item and an open status: the rows the rule may concern.
            self._tables = self.scan.tables(
                dict.fromkeys(self.codes, 1),
                {text: 2 if text in self.hot_items else 1 for text in self.items},
                {text: 2 if text in self.open_texts else 1 for text in self.statuses},
            )
            self._tables_of = sizes
        return self._tables

    def scanned(self, block: ScannedBlock, report: _Tally, on_action: OnAction | None) -> None:
        """Classify the rows the C pass read (`scanner`), as `block` does."""
        found = block.found
        assert isinstance(found, tuple)
        rows, hot, hot_lines, far, ids, hashes = found
        first = block.lines.start
        if far:
            report.far_future([first + i for i in far])
        acted = 0
        if hot:
            qi, ci, pi, ii, ri, si = (self._positions[name] for name in _REQUIRED)
            # Every value of these rows is in the caches: the C pass found it there.
            codes, items, statuses = self.codes, self.items, self.statuses
            moment = datetime.fromisoformat
            for i, text in zip(hot, hot_lines, strict=True):
                values = text.split(",")
                query = Query(
                    values[qi],
                    codes[values[ci]],
                    codes[values[pi]],
                    items[values[ii]],
                    moment(values[ri]),
                    statuses[values[si]],
                    first + i,
                )
                acted += self._act(query, report, on_action)
        report.count(Action.NONE, rows - acted)
        report.track_hashed(ids, hashes, block.lines)

    def _act(self, query: Query, report: _Tally, on_action: OnAction | None) -> bool:
        """Classify a row under the rule; count it and hand it on when it needs action
        (return True then). Its ``none`` is counted by the caller with the block's others."""
        result = self.result(query)
        if result.action is Action.NONE:
            return False
        report.count(result.action)
        if on_action is not None:
            on_action(result)
        return True

    def block(self, block: CsvBlock, report: _Tally, on_action: OnAction | None) -> None:
        """Classify a block of rows into `report`, calling `on_action` for each action row.

        A column is checked by its distinct values against the caches (C-level set
        operations), and objects are built only for rejected rows and rows under the rule:
        the rest (nearly all of a real log) are only counted.
        """
        columns = block.columns
        lines = block.lines
        n = len(lines)
        query_ids = list(map(str.strip, columns["query_id"]))
        querier_texts, provider_texts = columns["querier"], columns["provider"]
        item_texts, status_texts = columns["item"], columns["status"]
        requested = columns["requested"]
        bad: set[int] = set()
        if not all(query_ids):
            bad.update(compress(range(n), map(operator.not_, query_ids)))
        joined = "".join(query_ids)
        if "E+" in joined or "e+" in joined:  # (one C scan; the regular expression rarely)
            bad.update(compress(range(n), map(_EXCEL_NUMBER_ID.fullmatch, query_ids)))
        if may_hold_personal_number(joined):  # (two byte searches; one id at a time rarely)
            bad.update(compress(range(n), map(holds_personal_number, query_ids)))
        self._check(querier_texts, self.known_codes, self.code, bad)
        self._check(provider_texts, self.known_codes, self.code, bad)
        unlisted_items = self._check(item_texts, self.known_items, self.item, bad)
        unlisted_statuses = self._check(status_texts, self.known_statuses, self.status, bad)
        moments: list[datetime | None]
        try:
            # One C call per row: the usual ISO form, as a database or a program writes it.
            moments = list(map(datetime.fromisoformat, requested))
        except ValueError:
            moments = list(map(self._moment_or_none, requested))
            bad.update(compress(range(n), map(operator.is_, moments, repeat(None))))
        joined = "".join(requested)
        if "0001" in joined or "9999" in joined:  # (one C scan: a year at the calendar's end)
            bad.update(compress(range(n), map(_beyond_calendar, moments)))

        # Rows under the rule: an open status, a cutoff item, received on or before the
        # cutoff. A status column is mostly "provided": the open ones are few.
        open_texts, hot_items = self.open_texts, self.hot_items
        if unlisted_statuses or unlisted_items:
            # Values past the caches' bound: judged here, so no row depends on the bound.
            open_texts = open_texts | {t for t in unlisted_statuses if self.status(t).is_open}
            hot_items = hot_items | {t for t in unlisted_items if self.item(t) in self.rule.items}
        end_naive, end_aware = self.end_naive, self.end_aware
        far_naive, far_aware = self.far_naive, self.far_aware
        hot: list[int] = []
        far: list[int] = []
        for i in compress(range(n), map(open_texts.__contains__, status_texts)):
            moment = moments[i]
            if item_texts[i] not in hot_items or moment is None or i in bad:
                continue
            naive = moment.tzinfo is None
            if moment < (end_naive if naive else end_aware):
                hot.append(i)
            elif moment >= (far_naive if naive else far_aware):
                far.append(lines[i])
        if far:
            report.far_future(far)
        if bad:
            hot = sorted(bad.union(hot))
        rejected: list[int] = []
        acted = 0
        for i in hot:
            moment = moments[i]
            if moment is None or i in bad:
                values = {name: column[i] for name, column in columns.items()}
                outcome = self.query(values, lines[i])
                if isinstance(outcome, Problem):
                    report.reject(outcome)
                    rejected.append(i)
                    continue
                query = outcome  # reached only if the two checks disagree: classify it
            else:
                # Every value of this row passed its check above: the caches hold them.
                query = Query(
                    query_ids[i],
                    self.code(querier_texts[i]),
                    self.code(provider_texts[i]),
                    self.item(item_texts[i]),
                    moment,
                    self.status(status_texts[i]),
                    lines[i],
                )
            acted += self._act(query, report, on_action)
        report.count(Action.NONE, n - acted - len(rejected))
        if rejected:
            kept = sorted(set(range(n)).difference(rejected))
            report.track_ids([query_ids[i] for i in kept], [lines[i] for i in kept])
        else:
            report.track_ids(query_ids, lines)

    @staticmethod
    def _check(
        texts: Sequence[str],
        known: set[str],
        parse: Callable[[str], object],
        bad: set[int],
    ) -> set[str]:
        """Check a column by its distinct values; add the rows whose value fails to `bad`.

        `known` is the cache's set of good values. Return the good values the cache did not
        take (it is bounded): normally none.
        """
        if known.issuperset(texts):
            return set()  # the usual case, once the caches hold the file's few distinct values
        unseen = set(texts).difference(known)
        failing = set()
        for text in unseen:
            try:
                parse(text)  # caches the value when it is good
            except CutoverError:
                failing.add(text)
        if failing:
            bad.update(compress(range(len(texts)), map(failing.__contains__, texts)))
        return unseen.difference(failing).difference(known)

    def _moment_or_none(self, text: str) -> datetime | None:
        """Return the moment in `text` (naive when JST is implied), None when it is no moment."""
        # Excel writes 2018/6/30 12:00 in every row: read that form directly.
        match = _SLASHED.fullmatch(text)
        if match is not None:
            year, month, day, hour, minute, second = map(int, match.groups("0"))
            try:
                return datetime(year, month, day, hour, minute, second)
            except ValueError:
                return None  # 2018/2/30, 25:00: parse_requested says why
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
        try:
            return parse_requested(text)
        except CutoverError:
            return None


_CLOSED_REASON = {
    QueryStatus.PROVIDED: "already provided (提供済)",
    QueryStatus.WITHDRAWN: "already withdrawn (取りやめ)",
}


# --- the report ----------------------------------------------------------------------------


class _Tally(Protocol):
    """Where `_Classifier.block` puts what it finds: a `TriageReport`, or a worker's share."""

    def count(self, action: Action, n: int = 1) -> None: ...

    def reject(self, problem: Problem) -> None: ...

    def track_ids(self, query_ids: Sequence[str], lines: Sequence[int]) -> None: ...

    def track_hashed(self, ids: bytes, hashes: bytes, lines: range) -> None: ...

    def far_future(self, lines: Sequence[int]) -> None: ...


# Rejected rows beyond this many are kept in a temporary file, so that a file of bad rows
# does not fill memory.
_REJECTED_IN_MEMORY = 1000
# Query-id hashes are kept in buckets by their low bits: equal ids share a bucket, so
# duplicates are found one bucket's set at a time, never a set of every id. (Sorting each
# block's hashes to cut them into ranges costs more than this one loop.)
# A file's index gets more buckets the larger the file (`_bucket_count`), so that checking
# one bucket at the end takes a few megabytes, whatever the file's length.
_BUCKETS = 64
_MAX_BUCKETS = 1024
_BUCKET_ROWS = 1 << 15
# Ids are written to disk, and indexed, in segments of at least this many rows: a segment
# is read back only when one of its hashes repeats.
_SEGMENT_ROWS = 1024
# Hashes held in memory before they join the others on disk (8 bytes each).
_STAGED_HASHES = 1 << 17
# From this many hashes, half of the buckets are checked by a helper process.
_PARALLEL_FINISH_HASHES = 1 << 18
# Repeated hashes confirmed at once (their ids and lines are held meanwhile). Beyond this
# many (a log concatenated to itself, overlapping exports), buckets are confirmed a group at
# a time and the duplicates kept on disk, so that memory stays flat.
_CONFIRM_AT_ONCE = 10_000
# Groups of buckets confirmed by reading their segments, at most; past it, every id is read
# once and sorted into its group (`_IdIndex._confirm_partitioned`). Ids in one batch of that.
_PASSES_AT_MOST = 4
_PART_BATCH = 512
_PART_PENDING = 1 << 15


@attrs.frozen
class _Segment:
    """Where the ids of a run of classified rows are, and the lines they are on."""

    spill: int  # the number of the spill file that holds them
    offset: int
    length: int  # in bytes
    # The lines: a range when they follow one another (nearly always), else where they are
    # packed in the spill file, as (offset, count) of 8-byte integers.
    lines: range | tuple[int, int]
    shift: int = 0  # added to packed lines: a worker counts lines from its part's start


@attrs.frozen
class _IndexPart:
    """Hashes, runs and segments taken from one `_IdIndex`, to merge into another.

    Per bucket: the hashes, the segment each run of them came from, and where each run
    ends (counted from the start of the part's bucket).
    """

    hashes: list[array[int]]
    owners: list[array[int]]
    ends: list[array[int]]
    segments: list[_Segment]

    @classmethod
    def empty(cls, buckets: int) -> _IndexPart:
        """Return a part of `buckets` buckets with nothing in them."""
        return cls(
            [array("q") for _ in range(buckets)],
            [array("L") for _ in range(buckets)],
            [array("Q") for _ in range(buckets)],
            [],
        )

    def __len__(self) -> int:
        return sum(map(len, self.hashes))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle each kind of array as one, with the buckets' lengths: a worker hands a part
        over with every frame, and 3 × 1,024 small arrays cost more to pickle than their data."""
        packed = []
        for kind, code in ((self.hashes, "q"), (self.owners, "L"), (self.ends, "Q")):
            joined = array(code)
            for bucket in kind:
                joined.extend(bucket)
            packed.append((joined, array("Q", map(len, kind))))
        return (_unpack_part, (*packed, self.segments))


def _unpack_part(
    hashes: tuple[array[int], array[int]],
    owners: tuple[array[int], array[int]],
    ends: tuple[array[int], array[int]],
    segments: list[_Segment],
) -> _IndexPart:
    """Return the part `_IndexPart.__reduce__` packed."""

    def split(joined: array[int], lengths: array[int]) -> list[array[int]]:
        buckets, start = [], 0
        for n in lengths:
            buckets.append(joined[start : start + n])
            start += n
        return buckets

    return _IndexPart(split(*hashes), split(*owners), split(*ends), segments)


class _IdIndex:
    """The query ids of the classified rows, held to find those on more than one row.

    Memory stays flat: the ids go to a temporary file a segment at a time, and their
    64-bit hashes, sorted into buckets by their low bits, to another once a megabyte has
    gathered. At the end each bucket is read back and checked on its own; a hash found
    twice sends us back to its segments' ids, which tell true duplicates from hash
    collisions.
    """

    def __init__(self, spill: IO[bytes] | None = None, *, buckets: int | None = None) -> None:
        # A power of two: a hash's bucket is its low bits. (The default read now, not when
        # the class was made.)
        self._buckets = buckets = _BUCKETS if buckets is None else buckets
        self._spills: list[IO[bytes] | None] = [spill]  # 0: this index's own, made when needed
        self._segments: list[_Segment] = []
        self._staged = _IndexPart.empty(buckets)  # hashes not yet on disk
        self._staged_count = 0
        self._stored = [0] * buckets  # hashes of each bucket on disk
        self._hash_file: IO[bytes] | None = None
        # Per bucket: where its pieces are in the hash file (offset, hashes, runs).
        self._pieces: list[list[tuple[int, int, int]]] = [[] for _ in range(buckets)]
        self._pending_ids: list[str] = []
        self._pending_lines: list[int] = []
        # The C pass hashes the ids it reads: every id is then hashed its way.
        self._scan = _SCAN
        self._hash: Callable[[str], int] = hash if _SCAN is None else _SCAN.hash_id

    @property
    def buckets(self) -> int:
        """Return the number of buckets (an index merges only parts with as many)."""
        return self._buckets

    def add(self, query_ids: Sequence[str], lines: Sequence[int]) -> None:
        """Index the ids of classified rows, with the lines they are on."""
        if not self._pending_ids and len(query_ids) >= _SEGMENT_ROWS:
            self._segment(query_ids, lines)
            return
        self._pending_ids.extend(query_ids)
        self._pending_lines.extend(lines)
        if len(self._pending_ids) >= _SEGMENT_ROWS:
            self.flush()

    def append(self, query_id: str, line: int) -> None:
        """Index the id of one classified row."""
        self._pending_ids.append(query_id)
        self._pending_lines.append(line)
        if len(self._pending_ids) >= _SEGMENT_ROWS:
            self.flush()

    def add_hashed(self, ids: bytes, hashes: bytes, lines: range) -> None:
        """Index ids the C pass read: `ids` one per line in UTF-8 (as `_spill` writes them),
        `hashes` theirs (`hash_id`, 8 bytes each), on `lines`."""
        if not lines:
            return
        assert self._scan is not None
        self.flush()
        offset, length = self._write(ids)
        number = len(self._segments)
        self._segments.append(_Segment(0, offset, length, lines))
        staged = self._staged
        self._scan.distribute(hashes, staged.hashes, staged.owners, staged.ends, number)
        self._staged_count += len(lines)

    def flush(self) -> None:
        """Index the ids added one by one so far."""
        if self._pending_ids:
            self._segment(self._pending_ids, self._pending_lines)
            self._pending_ids, self._pending_lines = [], []

    def _segment(self, query_ids: Sequence[str], lines: Sequence[int]) -> None:
        offset, length = self._spill(query_ids)
        number = len(self._segments)
        self._segments.append(_Segment(0, offset, length, self._pack_lines(lines)))
        staged = self._staged
        buckets = staged.hashes
        sizes = list(map(len, buckets))
        appends = [bucket.append for bucket in buckets]
        mask = self._buckets - 1
        for h in map(self._hash, query_ids):  # the one loop per row: kept to the bone
            appends[h & mask](h)
        for k, bucket in enumerate(buckets):
            if len(bucket) != sizes[k]:
                staged.owners[k].append(number)
                staged.ends[k].append(len(bucket))
        self._staged_count += len(query_ids)

    def _spill(self, query_ids: Sequence[str]) -> tuple[int, int]:
        """Write ids to this index's file; return where they are (offset, length)."""
        text = "\n".join(query_ids)
        # One id per line; an id with a line break or a leading quote is written as JSON.
        if '"' in text or text.count("\n") != len(query_ids) - 1:
            text = "\n".join(
                json.dumps(q) if ("\n" in q or q.startswith('"')) else q for q in query_ids
            )
        return self._write(text.encode("utf-8", "surrogatepass"))

    def _write(self, data: bytes) -> tuple[int, int]:
        spill = self._spills[0]
        if spill is None:
            spill = self._spills[0] = _temporary_file()
        offset = spill.seek(0, 2)
        spill.write(data)
        return offset, len(data)

    def _pack_lines(self, lines: Sequence[int]) -> range | tuple[int, int]:
        """Return `lines` as a range when they follow one another, else write them out."""
        n = len(lines)
        if isinstance(lines, range) and lines.step == 1:
            return lines
        if n and lines[-1] - lines[0] == n - 1 and all(map(operator.lt, lines, lines[1:])):
            return range(lines[0], lines[0] + n)
        offset, _ = self._write(array("q", lines).tobytes())
        return (offset, n)

    def _read(self, segment: _Segment) -> tuple[list[str], Sequence[int]]:
        """Return a segment's ids and lines, from its spill file."""
        spill = self._spills[segment.spill]
        assert spill is not None  # a segment's file is closed only with the index
        spill.seek(segment.offset)
        text = spill.read(segment.length).decode("utf-8", "surrogatepass")
        ids = text.split("\n")
        if '"' in text:  # (an id written as JSON: see `_spill`)
            ids = [json.loads(q) if q.startswith('"') else q for q in ids]
        if isinstance(segment.lines, range):
            return ids, segment.lines
        offset, n = segment.lines
        spill.seek(offset)
        packed = array("q")
        packed.frombytes(spill.read(n * packed.itemsize))
        return ids, [line + segment.shift for line in packed]

    def _store(self) -> None:
        """Move the staged hashes to the hash file, bucket by bucket."""
        staged = self._staged
        if not self._staged_count:
            return
        if self._hash_file is None:
            self._hash_file = _temporary_file()
        out = self._hash_file
        out.seek(0, 2)
        for k in range(self._buckets):
            hashes, owners, ends = staged.hashes[k], staged.owners[k], staged.ends[k]
            if not hashes:
                continue
            offset = out.tell()
            stored = self._stored[k]
            hashes.tofile(out)
            owners.tofile(out)
            array("Q", [stored + end for end in ends]).tofile(out)
            self._pieces[k].append((offset, len(hashes), len(owners)))
            self._stored[k] = stored + len(hashes)
        out.flush()
        self._staged = _IndexPart.empty(self._buckets)
        self._staged_count = 0

    def _bucket(self, k: int) -> tuple[array[int], array[int], array[int]]:
        """Return bucket k's hashes, its runs' segments and where the runs end, from disk."""
        hashes, owners, ends = array("q"), array("L"), array("Q")
        if self._hash_file is None:
            return hashes, owners, ends
        # At an offset, not from a position: a helper process reads the same file at the
        # same time (`duplicates`).
        source = self._hash_file
        for offset, n, runs in self._pieces[k]:
            # A piece's three arrays follow one another (`_store`): one read.
            sizes = (n * hashes.itemsize, runs * owners.itemsize, runs * ends.itemsize)
            data = memoryview(_read_at(source, sum(sizes), offset))
            hashes.frombytes(data[: sizes[0]])
            owners.frombytes(data[sizes[0] : sizes[0] + sizes[1]])
            ends.frombytes(data[sizes[0] + sizes[1] :])
        return hashes, owners, ends

    # --- across processes ---------------------------------------------------------------

    def take(self) -> _IndexPart:
        """Return what was indexed since the last call, for another process, and forget it.

        The ids stay in this index's spill file, which the other process reads too.
        """
        self.flush()
        spill = self._spills[0]
        if spill is not None:
            spill.flush()  # the other process reads the file, not this one's buffer
        part = attrs.evolve(self._staged, segments=self._segments)
        self._staged = _IndexPart.empty(self._buckets)
        self._staged_count = 0
        self._segments = []
        return part

    def add_spill(self, spill: IO[bytes]) -> int:
        """Register another process's spill file; return its number for `merge`."""
        self._spills.append(spill)
        return len(self._spills) - 1

    def merge(self, part: _IndexPart, spill_number: int, line_offset: int = 0) -> None:
        """Add a part taken from another index, whose ids are in spill file `spill_number`.

        The part's lines are `line_offset` short of the lines in the file.
        """
        self.flush()
        first = len(self._segments)
        for segment in part.segments:
            lines = segment.lines
            if isinstance(lines, range):
                lines = range(lines.start + line_offset, lines.stop + line_offset)
            self._segments.append(
                attrs.evolve(segment, spill=spill_number, lines=lines, shift=line_offset)
            )
        staged = self._staged
        for k in range(self._buckets):
            if not part.hashes[k]:
                continue
            size = len(staged.hashes[k])
            staged.hashes[k].extend(part.hashes[k])
            staged.owners[k].extend(array("L", [first + s for s in part.owners[k]]))
            staged.ends[k].extend(array("Q", [size + e for e in part.ends[k]]))
        self._staged_count += len(part)
        self.store_if_full()

    def store_if_full(self) -> None:
        """Move the staged hashes to disk once they fill their share of memory.

        The index's owner calls it: a worker's index hands its hashes over instead.
        """
        if self._staged_count >= _STAGED_HASHES:
            self._store()

    # --- finding -------------------------------------------------------------------------

    def duplicates(self, *, parallel: bool | None = None) -> Sequence[Duplicate]:
        """Return the ids found on more than one row, with their lines, by first line.

        A helper process checks half of the buckets of a large index when a second core is
        free (`parallel` None); True asks for it whatever the size, False never. Past
        `_CONFIRM_AT_ONCE` repeated hashes, the duplicates are kept in a temporary file
        (`DuplicateFile`), which `close` deletes.
        """
        self.flush()
        self._store()
        every = range(self._buckets)
        half = self._buckets // 2
        stored = sum(self._stored)
        small = stored < _PARALLEL_FINISH_HASHES
        found: tuple[set[int], set[int]] | None
        if (
            parallel is False
            or not stored
            or not _can_fork()
            or (parallel is None and (small or _cores() < 2))
        ):
            found = self._repeats(every, limit=_CONFIRM_AT_ONCE)
        else:
            found = self._repeats_in_two(every[:half], every[half:])
        if found is not None:
            return self._confirm(*found)
        return self._confirm_in_groups()

    def _repeats_in_two(
        self, mine: Sequence[int], theirs: Sequence[int]
    ) -> tuple[set[int], set[int]] | None:
        """Return `_repeats` of both halves of the buckets (limited to `_CONFIRM_AT_ONCE`),
        `theirs` checked by a helper process: None when there are more."""
        too_many = "too many"  # (the helper's answer for None: its own None is a failure)

        def task() -> tuple[set[int], set[int]] | str:
            return self._repeats(theirs, limit=_CONFIRM_AT_ONCE) or too_many

        try:
            helper = _Helper.start(task)
        except Exception:  # no process to be had: check every bucket here
            return self._repeats([*mine, *theirs], limit=_CONFIRM_AT_ONCE)
        try:
            found = self._repeats(mine, limit=_CONFIRM_AT_ONCE)
            # (Past the limit already: the helper's answer does not matter.)
            other = helper.result() if found is not None else too_many
        finally:
            helper.close()
        if other is None:  # the helper failed: do its half here
            other = self._repeats(theirs, limit=_CONFIRM_AT_ONCE) or too_many
        if found is None or isinstance(other, str):
            return None
        both = (found[0] | other[0], found[1] | other[1])
        return both if len(both[0]) <= _CONFIRM_AT_ONCE else None

    def _confirm_in_groups(self) -> DuplicateFile:
        """Confirm the repeated hashes a group of buckets at a time, each group at most
        about `_CONFIRM_AT_ONCE` of them, and sort the duplicates on disk.

        With a few groups, each reads the segments its hashes are in. With more, reading
        every segment once per group would grow with the square of the file: the ids are
        then read once, and sorted into one temporary run per group.
        """
        groups: list[range] = []
        start = count = 0
        for k in range(self._buckets):
            found = self._repeats([k])
            assert found is not None  # (no limit)
            count += len(found[0])
            if count >= _CONFIRM_AT_ONCE or k == self._buckets - 1:
                groups.append(range(start, k + 1))
                start, count = k + 1, 0
        # (lines, query id): sorted as the duplicates are, by first line.
        spill: SortedSpill[tuple[tuple[int, ...], str]] = SortedSpill(key=_itself)
        try:
            if len(groups) <= _PASSES_AT_MOST:
                for group in groups:
                    found = self._repeats(group)
                    assert found is not None
                    for duplicate in self._confirm(*found):
                        spill.add((duplicate.lines, duplicate.query_id))
            else:
                for pair in self._confirm_partitioned(groups):
                    spill.add(pair)
            return DuplicateFile._of_pairs((q, lines) for lines, q in spill)
        finally:
            spill.close()

    def _confirm_partitioned(
        self, groups: Sequence[range]
    ) -> Iterator[tuple[tuple[int, ...], str]]:
        """Yield the duplicates as (lines, query id), group by group, after reading every
        segment once and writing each id, with its line, to its group's part of a temporary
        file."""
        group_of = [0] * self._buckets
        for number, group in enumerate(groups):
            for k in group:
                group_of[k] = number
        mask = self._buckets - 1
        # Pairs held at once stay under `_PART_PENDING` however many groups there are.
        batch = max(1, min(_PART_BATCH, _PART_PENDING // len(groups)))
        pending: list[list[tuple[str, int]]] = [[] for _ in groups]
        batches: list[list[tuple[int, int]]] = [[] for _ in groups]  # (offset, length)
        with _temporary_file() as parts:

            def flush(number: int) -> None:
                data = pickle.dumps(pending[number], protocol=pickle.HIGHEST_PROTOCOL)
                batches[number].append((parts.seek(0, 2), len(data)))
                parts.write(data)
                pending[number] = []

            for segment in self._segments:
                ids, lines = self._read(segment)
                for query_id, line, h in zip(ids, lines, map(self._hash, ids), strict=True):
                    number = group_of[h & mask]
                    part = pending[number]
                    part.append((query_id, line))
                    if len(part) >= batch:
                        flush(number)
            for number in range(len(groups)):
                if pending[number]:
                    flush(number)
            for number, group in enumerate(groups):
                found = self._repeats(group)
                assert found is not None
                repeated = found[0]
                lines_of: dict[str, list[int]] = {}
                for offset, length in batches[number]:
                    parts.seek(offset)
                    pairs: list[tuple[str, int]] = pickle.loads(parts.read(length))
                    hits = map(repeated.__contains__, map(self._hash, (q for q, _ in pairs)))
                    for query_id, line in compress(pairs, hits):
                        lines_of.setdefault(query_id, []).append(line)
                yield from _repeated(lines_of)

    def _confirm(self, repeated: set[int], segments: set[int]) -> list[Duplicate]:
        """Return the duplicates among the ids of `segments` whose hash is in `repeated`."""
        lines_of: dict[str, list[int]] = {}
        for number in sorted(segments):
            ids, lines = self._read(self._segments[number])
            # Filtered at C speed: a group of buckets may read every segment of the file.
            hits = map(repeated.__contains__, map(self._hash, ids))
            for query_id, line in compress(zip(ids, lines, strict=True), hits):
                lines_of.setdefault(query_id, []).append(line)
        return [Duplicate(q, lines) for lines, q in _repeated(lines_of)]

    def _repeats(
        self, buckets: Iterable[int], *, limit: int | None = None
    ) -> tuple[set[int], set[int]] | None:
        """Return the hashes found twice in `buckets`, and the segments they are in; None
        as soon as there are more than `limit` such hashes."""
        repeated: set[int] = set()
        segments: set[int] = set()
        for k in buckets:
            if limit is not None and len(repeated) > limit:
                return None
            bucket, owners, ends = self._bucket(k)
            if self._scan is not None:
                found = self._scan.repeated(bucket)
                if not found:
                    continue
                hashes = bucket.tolist()
            else:
                hashes = bucket.tolist()  # (a set is built twice as fast from a list)
                if len(set(hashes)) == len(hashes):
                    continue
                found = {h for h, n in Counter(hashes).items() if n > 1}
            repeated |= found
            # One pass over the bucket, whatever the number of repeated hashes (a file
            # concatenated twice repeats every one of them).
            for position in compress(range(len(hashes)), map(found.__contains__, hashes)):
                segments.add(owners[bisect_right(ends, position)])
        if limit is not None and len(repeated) > limit:
            return None
        return repeated, segments

    def close(self) -> None:
        """Delete the temporary files."""
        for spill in self._spills:
            if spill is not None:
                spill.close()
        self._spills = [None]
        if self._hash_file is not None:
            self._hash_file.close()
            self._hash_file = None


class TriageReport:
    """Counts, rejected rows and duplicated query ids of one triage, built as rows stream by.

    Memory stays flat: the query ids and their 64-bit hashes (for duplicate detection) go
    to temporary files, as do rejected rows beyond the first thousand and duplicated ids
    beyond `_CONFIRM_AT_ONCE`. Use it as a context manager, or call `close`, to delete
    those files.
    """

    def __init__(self) -> None:
        self._counts: dict[Action, int] = dict.fromkeys(Action, 0)
        self._rejected = 0
        self._rejected_head: list[Problem] = []
        self._rejected_tail: IO[str] | None = None
        self._ids = _IdIndex()
        self._duplicates: Sequence[Duplicate] | None = None
        self._far = 0
        self._far_first: int | None = None

    @classmethod
    def collect(
        cls, results: Iterable[TriageResult | Problem], *, on_action: OnAction | None = None
    ) -> TriageReport:
        """Return the finished report of `results`, calling `on_action` for each action row."""
        report = cls()
        try:
            for result in results:
                report.add(result)
                if (
                    on_action is not None
                    and isinstance(result, TriageResult)
                    and result.action is not Action.NONE
                ):
                    on_action(result)
            report.finish()
        except BaseException:
            report.close()
            raise
        return report

    # --- accumulating -------------------------------------------------------------------

    def add(self, result: TriageResult | Problem) -> None:
        """Count one classified or rejected row."""
        if isinstance(result, Problem):
            self.reject(result)
            return
        self._counts[result.action] += 1
        if result.far_future:
            self.far_future([result.query.line])
        self._ids.append(result.query.query_id, result.query.line)
        self._ids.store_if_full()

    def count(self, action: Action, n: int = 1) -> None:
        """Count `n` rows classified with `action`."""
        self._counts[action] += n

    def far_future(self, lines: Sequence[int], count: int | None = None) -> None:
        """Note open requests for cutoff items dated far after the as-of date, on `lines`
        (or `count` of them, the first on ``lines[0]``)."""
        if not lines:
            return
        self._far += len(lines) if count is None else count
        if self._far_first is None or lines[0] < self._far_first:
            self._far_first = lines[0]

    @property
    def far_future_rows(self) -> tuple[int, int | None]:
        """Return how many open requests for cutoff items are dated more than
        `FAR_REQUEST_DAYS` after the as-of date (not yet received: a year or era slip?), and
        the first one's line. They are classified as usual (after the cutoff: ``none``)."""
        return self._far, self._far_first

    def reject(self, problem: Problem) -> None:
        """Count one rejected row and keep its problem."""
        self._rejected += 1
        if len(self._rejected_head) < _REJECTED_IN_MEMORY:
            self._rejected_head.append(problem)
            return
        if self._rejected_tail is None:
            self._rejected_tail = _temporary_text()
        self._rejected_tail.seek(0, 2)  # append, wherever a reader left the position
        self._rejected_tail.write(
            json.dumps([problem.message, problem.fix, problem.file, problem.line]) + "\n"
        )

    def track_ids(self, query_ids: Sequence[str], lines: Sequence[int]) -> None:
        """Remember the query ids of a block of classified rows, to report duplicates."""
        self._ids.add(query_ids, lines)
        self._ids.store_if_full()

    def track_hashed(self, ids: bytes, hashes: bytes, lines: range) -> None:
        """Remember the query ids the C pass read (`_IdIndex.add_hashed`)."""
        self._ids.add_hashed(ids, hashes, lines)
        self._ids.store_if_full()

    # --- finishing ----------------------------------------------------------------------

    def finish(self, *, parallel: bool | None = None) -> None:
        """Find the duplicated query ids; call once every row has been added.

        `parallel` is `triage_file`'s: a helper process checks half of a large index when a
        second core is free (None), whatever its size (True), or never (False).
        """
        self._duplicates = self._ids.duplicates(parallel=parallel)

    @property
    def counts(self) -> TriageCounts:
        """Return the counts so far; ``total`` is every data row read."""
        c = self._counts
        classified = sum(c.values())
        return TriageCounts(
            total=classified + self._rejected,
            provide_by_cutoff=c[Action.PROVIDE_BY_CUTOFF],
            withdraw_and_reissue=c[Action.WITHDRAW_AND_REISSUE],
            none=c[Action.NONE],
            rejected=self._rejected,
        )

    @property
    def duplicates(self) -> Sequence[Duplicate]:
        """Return the query ids found on more than one line, by first line (after `finish`).

        A list, or past `_CONFIRM_AT_ONCE` repeated ids a `DuplicateFile` read from disk
        (until the report is closed).
        """
        if self._duplicates is None:
            msg = "TriageReport.duplicates is known only after finish()"
            raise RuntimeError(msg)
        return self._duplicates

    @property
    def rejected(self) -> Iterator[Problem]:
        """Return the problems of the rejected rows, in the order the rows were read.

        Each access gives a fresh iterator; past the first thousand, rows are read back
        from disk. ``counts.rejected`` says how many there are.
        """
        return self._rejected_problems()

    def _rejected_problems(self) -> Iterator[Problem]:
        yield from self._rejected_head
        tail = self._rejected_tail
        offset = 0
        while tail is not None:
            # Each iterator keeps its own place: two of them, or a row rejected meanwhile,
            # do not disturb one another.
            tail.seek(offset)
            text = tail.readline()
            if not text:
                break
            offset = tail.tell()
            message, fix, file, line = json.loads(text)
            yield Problem(message, fix, file, line)

    def close(self) -> None:
        """Delete the temporary files."""
        self._ids.close()
        if isinstance(self._duplicates, DuplicateFile):
            self._duplicates.close()
        if self._rejected_tail is not None:
            self._rejected_tail.close()
            self._rejected_tail = None

    def __enter__(self) -> TriageReport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _temporary_text() -> IO[str]:
    # newline="\n": a message may hold a lone CR, which must not be read back as a line break.
    return tempfile.TemporaryFile(
        "w+", encoding="utf-8", errors="surrogatepass", newline="\n", prefix="cutover-triage-"
    )


def _temporary_file() -> IO[bytes]:
    return tempfile.TemporaryFile(prefix="cutover-triage-")


# --- two processes ---------------------------------------------------------------------------
#
# A large file is read by this process up to a line start near its middle (`_split_point`)
# and by a forked worker from there to its end. The worker hands over what it finds in
# frames (`_Frame`), which this process replays into the report in file order once its own
# part is read: counts, rejected rows, action rows (to `on_action`, which only this process
# calls) and query-id hashes. The results are those of one process:
# - if a quoted value runs over the split point, the worker began inside it: its frames
#   are dropped, and this process reads on;
# - if the worker fails, or meets an error that stops the reading, this process reads on
#   from the worker's last frame (and meets the error itself, with its true line).
# Processes are forked, not spawned: the worker starts with this process's state (the rule,
# the value caches, the header) and its string hashes, which the id index relies on.

# A file this large (in bytes after the header) is split between two processes when a
# second core is free: below it, starting a process costs more than it saves.
_PARALLEL_MIN_BYTES = 16 << 20
# The share of the data this process triages itself. It also replays the other process's
# action rows to `on_action` and finds the duplicates at the end, so it takes less; less
# again with the C row pass, beside which those action rows weigh more (2,000,000 rows,
# 7 interleaved runs each: 0.70 s at 30%, 0.71 s at 38%, 0.73 s at 45%, 0.76 s at 50%).
_OWN_SHARE = 0.45
_OWN_SHARE_SCAN = 0.35


def _bucket_count(data_bytes: int) -> int:
    """Return the buckets of the id index of a file: enough for `_BUCKET_ROWS` rows each."""
    rows = data_bytes // 32  # (short rows: a generous guess)
    buckets = _BUCKETS
    while buckets < _MAX_BUCKETS and buckets * _BUCKET_ROWS < rows:
        buckets *= 2
    return buckets


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _can_fork() -> bool:
    """Return True when this process can fork a helper safely."""
    # Forking a process with other threads can deadlock the child (a lock held by a thread
    # that the child does not have): then one process does it all.
    return hasattr(os, "fork") and _threads() == 1


def _threads() -> int:
    """Return the threads of this process: the system's count where it gives one.

    A thread a C library started (BLAS, a database driver) is not among Python's own.
    """
    try:
        return sum(1 for _ in Path("/proc/self/task").iterdir())
    except OSError:
        return threading.active_count()


def _split_point(
    source: CsvFile, layout: CsvLayout, parallel: bool | None, *, share: float = _OWN_SHARE
) -> int | None:
    """Return where a second process should start reading (a line start), or None: after
    `share` of the data, roughly."""
    if parallel is False or not _can_fork():
        return None
    data = layout.size - layout.data_start
    if parallel is None and (data < _PARALLEL_MIN_BYTES or _cores() < 2):
        return None
    target = layout.data_start + int(data * share)
    with source.open_bytes() as raw:
        raw.seek(target)
        while True:
            more = raw.read(1 << 16)
            if not more:
                return None
            cut = more.find(b"\n")
            if cut >= 0:
                split = target + cut + 1
                return split if split < layout.size else None
            target += len(more)


#: An action row as a worker hands it over: a `Query`'s fields, the status by value.
_ActionRow = tuple[str, str, str, int, datetime, str, int]


# Keys of a frame's counts beside the actions': the far-future requests, and the first's line.
_FAR_COUNT = "far-future"
_FAR_LINE = "far-future-line"


@attrs.frozen
class _Frame:
    """What a worker found in a stretch of its part, up to byte `end`.

    Lines are counted from the part's start: the worker does not know how many lines come
    before it, and the parent, which does once it has read up to there, adds them.
    """

    counts: dict[str, int]
    rejected: list[Problem]
    actions: list[_ActionRow]
    ids: _IndexPart
    end: int
    line: int  # the line at `end`
    # The part cannot be read on from `end` (undecodable bytes, broken CSV): the parent
    # reads it itself from there, to raise the error with its true line.
    fatal: bool = False
    last: bool = False


# Stretches of the file (spans of about `_BLOCK_BYTES`) a worker reads before it hands
# over what it found: often enough that the parent replays them while the worker reads on.
_FRAME_SPANS = 8
# ... or sooner, once it holds this many action or rejected rows: a frame's objects are
# held twice while it is pickled, and a stretch of the log may be all action rows.
_FRAME_ROWS = 2000


_R = TypeVar("_R")


def _reap(pid: int) -> None:
    """Stop the child process `pid` if it still runs, and wait for it (no zombie is left)."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


def _fork_child(run: Callable[[], object]) -> int:
    """Fork a child process that calls `run` and exits, 0 if it returned and 1 if it raised;
    return the child's pid.

    Ctrl-C is held back across the fork. Without that, a KeyboardInterrupt raised in the
    child just after the fork, before its own handling, would carry the child on as a copy
    of this process (its "interrupted" message, this process's buffers flushed twice). The
    child takes SIGINT's default action (unless this process ignores SIGINT), so an
    interrupt stops it at once; one held back here is raised when the fork returns, after
    the child is reaped.
    """
    held = hasattr(signal, "pthread_sigmask")
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if held else set()
    pid = 0
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; coverage does not follow it
            code = 1
            try:
                if held:
                    # (Python's own handler only: one that ignores SIGINT, under nohup or
                    # in the background, is kept, as the parent keeps it.)
                    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                        signal.signal(signal.SIGINT, signal.SIG_DFL)
                    signal.pthread_sigmask(signal.SIG_SETMASK, previous)
                run()
                code = 0
            except BaseException:
                pass
            finally:
                os._exit(code)
    finally:
        if held:
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a held Ctrl-C: raised here
            except BaseException:
                if pid:
                    _reap(pid)
                raise
    return pid


class _Helper(Generic[_R]):
    """A forked process that computes one picklable value while this one does other work."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid: int | None = pid
        self.pipe: int | None = pipe

    @classmethod
    def start(cls, task: Callable[[], _R]) -> _Helper[_R]:
        """Fork a process that runs `task` and sends back its value."""
        read_end, write_end = os.pipe()

        def run() -> None:  # pragma: no cover - the child; coverage does not follow it
            os.close(read_end)
            _write_all(write_end, pickle.dumps(task(), protocol=pickle.HIGHEST_PROTOCOL))

        try:
            pid = _fork_child(run)  # (if it fails, the parent sees the exit code)
        except BaseException:
            os.close(read_end)
            os.close(write_end)
            raise
        os.close(write_end)
        return cls(pid, read_end)

    def result(self) -> _R | None:
        """Wait for the value; return None if the helper failed."""
        assert self.pid is not None
        assert self.pipe is not None
        parts: list[bytes] = []
        while data := os.read(self.pipe, 1 << 16):
            parts.append(data)
        payload = b"".join(parts)
        try:
            _, status = os.waitpid(self.pid, 0)
            succeeded = os.waitstatus_to_exitcode(status) == 0
        except ChildProcessError:
            # Reaped already (SIGCHLD ignored by whoever started us): its exit code is lost,
            # and only a whole value says it succeeded.
            succeeded = bool(payload)
        self.pid = None
        if not succeeded:
            return None
        try:
            value: _R = pickle.loads(payload)
        except Exception:  # cut short: the caller does the task itself
            return None
        return value

    def close(self) -> None:
        """Stop the helper if it still runs, and close the pipe."""
        if self.pid is not None:
            _reap(self.pid)
            self.pid = None
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None


def _apart(task: Callable[[], _R]) -> _R:
    """Return `task()`, computed in a short-lived forked process when this one can fork.

    What the task imports and builds (a calendar's timeline takes networkx and the holiday
    tables: 25 MB) then never joins this process, which goes on to triage a large file.
    Without fork, when the system gives no process, or when the child fails, the task runs
    here: its error is raised here. (A task that returns None runs twice: none here does.)
    """
    if not _can_fork():
        return task()
    try:
        helper = _Helper.start(task)
    except Exception:  # no process to be had (a limit on processes or memory)
        return task()
    try:
        value = helper.result()
    finally:
        helper.close()
    return task() if value is None else value


class _Share:
    """A worker's findings, handed to the parent a frame at a time.

    Frames go to a spool file, each as its length and its pickle; one byte on a pipe
    tells the parent a frame is complete, and the pipe's end tells it the worker is gone.
    """

    def __init__(
        self, spool: int, ready: int, spill: IO[bytes], keep_actions: bool, buckets: int
    ) -> None:
        self.spool = spool
        self.ready = ready
        self.ids = _IdIndex(spill, buckets=buckets)
        self.keep_actions = keep_actions
        self._reset()

    def _reset(self) -> None:
        self.counts: dict[Action, int] = dict.fromkeys(Action, 0)
        self.rejected: list[Problem] = []
        self.actions: list[_ActionRow] = []
        self.far: list[int] = []  # the first line, and a count in `far_count`
        self.far_count = 0

    def far_future(self, lines: Sequence[int]) -> None:
        if lines and not self.far:
            self.far = [lines[0]]
        self.far_count += len(lines)

    def count(self, action: Action, n: int = 1) -> None:
        self.counts[action] += n

    def reject(self, problem: Problem) -> None:
        self.rejected.append(problem)

    def track_ids(self, query_ids: Sequence[str], lines: Sequence[int]) -> None:
        self.ids.add(query_ids, lines)

    def track_hashed(self, ids: bytes, hashes: bytes, lines: range) -> None:
        self.ids.add_hashed(ids, hashes, lines)

    def rows(self) -> int:
        """Return the action and rejected rows held for the next frame."""
        return len(self.actions) + len(self.rejected)

    def action(self, result: TriageResult) -> None:
        q = result.query
        self.actions.append(
            (q.query_id, q.querier, q.provider, q.item, q.requested, q.status.value, q.line)
        )

    def send(self, end: int, line: int, *, fatal: bool = False, last: bool = False) -> None:
        """Hand over everything found since the last frame, up to byte `end`."""
        counts = {a.value: n for a, n in self.counts.items()}
        if self.far_count:
            counts[_FAR_COUNT], counts[_FAR_LINE] = self.far_count, self.far[0]
        frame = _Frame(
            counts,
            self.rejected,
            self.actions,
            self.ids.take(),
            end,
            line,
            fatal,
            last,
        )
        data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
        _write_all(self.spool, len(data).to_bytes(8, "little") + data)
        os.write(self.ready, b".")
        self._reset()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_at(source: IO[bytes], size: int, offset: int) -> bytes:
    """Return `size` bytes of `source` from `offset`, leaving its position alone where the
    system can (`os.pread`); where it cannot (Windows), no other process shares the file:
    there is no fork there."""
    pread = getattr(os, "pread", None)
    if pread is None:
        source.seek(offset)
        data = source.read(size)
        if len(data) != size:
            msg = "a temporary file of cutover's ended early"
            raise EOFError(msg)
        return data
    fd = source.fileno()
    parts: list[bytes] = []
    while size:
        data = pread(fd, size, offset)
        if not data:
            msg = "a temporary file of cutover's ended early"
            raise EOFError(msg)
        parts.append(data)
        size -= len(data)
        offset += len(data)
    return b"".join(parts)


class _Worker:
    """A forked process that triages a file from `split` to its end, frame by frame."""

    def __init__(self, pid: int, spool: IO[bytes], ready: int, spill: IO[bytes]) -> None:
        self.pid: int | None = pid
        self.spool = spool
        self.ready: int | None = ready  # the pipe's read end
        self.spill: IO[bytes] | None = spill  # handed to the report once registered
        self.end: int | None = None  # how far the replayed frames reach, and on which line
        self.line = 0

    @classmethod
    def start(
        cls,
        source: CsvFile,
        layout: CsvLayout,
        classifier: _Classifier,
        split: int,
        keep_actions: bool,
        buckets: int,
    ) -> _Worker:
        """Fork the worker; it reads from `split` while this process reads up to it."""
        spool, spill = _temporary_file(), _temporary_file()
        ready_read, ready_write = os.pipe()

        def run() -> None:  # pragma: no cover - the child; coverage does not follow it
            os.close(ready_read)
            share = _Share(spool.fileno(), ready_write, spill, keep_actions, buckets)
            _work(source, layout, classifier, split, share)

        try:
            # (If it fails, the parent sees the pipe close early, and reads the rest itself.)
            pid = _fork_child(run)
        except BaseException:
            for stream in (spool, spill):
                stream.close()
            for fd in (ready_read, ready_write):
                os.close(fd)
            raise
        os.close(ready_write)
        return cls(pid, spool, ready_read, spill)

    def replay(
        self,
        classifier: _Classifier,
        report: TriageReport,
        on_action: OnAction | None,
        line_offset: int,
    ) -> bool:
        """Add the worker's frames to `report` as they come, as if this process had read
        its part (whose first line is ``line_offset + 1``); return True when the worker
        finished it.

        On False, `end` and `line` say where the replayed frames stop (None: nowhere).
        """
        assert self.spill is not None
        assert self.ready is not None
        spill_number = report._ids.add_spill(self.spill)
        self.spill = None
        spool = self.spool
        offset = 0
        while True:
            ticks = os.read(self.ready, 4096)  # one byte per frame written
            if not ticks:
                return False  # the worker is gone without its last frame
            for _ in ticks:
                size = int.from_bytes(_read_at(spool, 8, offset), "little")
                frame = pickle.loads(_read_at(spool, size, offset + 8))
                offset += 8 + size
                assert isinstance(frame, _Frame)
                for problem in frame.rejected:
                    assert problem.line is not None
                    report.reject(attrs.evolve(problem, line=problem.line + line_offset))
                if on_action is not None:
                    for query_id, querier, provider, item, moment, status, line in frame.actions:
                        query = Query(
                            query_id,
                            querier,
                            provider,
                            item,
                            moment,
                            QueryStatus(status),
                            line + line_offset,
                        )
                        on_action(classifier.result(query))
                for action in Action:
                    report.count(action, frame.counts[action.value])
                if _FAR_COUNT in frame.counts:
                    report.far_future(
                        [frame.counts[_FAR_LINE] + line_offset], frame.counts[_FAR_COUNT]
                    )
                report._ids.merge(frame.ids, spill_number, line_offset)
                self.end, self.line = frame.end, frame.line + line_offset
                if frame.fatal:
                    return False
                if frame.last:
                    return True

    def close(self) -> None:
        """Stop the process if it still runs, and close what this side holds of it."""
        if self.pid is not None:
            _reap(self.pid)
            self.pid = None
        if self.ready is not None:
            os.close(self.ready)
            self.ready = None
        self.spool.close()
        if self.spill is not None:
            self.spill.close()
            self.spill = None


def _work(
    source: CsvFile, layout: CsvLayout, classifier: _Classifier, split: int, share: _Share
) -> None:  # pragma: no cover - runs in the child
    """Triage the file from `split` to its end into `share` (in the worker process)."""
    line = 1  # counted from `split`: see `_Frame`
    on_action = share.action if share.keep_actions else None
    end, spans = split, 0
    try:
        for span in _spans(source, layout, classifier, start=split, line=line):
            _triage_span(span, classifier, share, on_action)
            end, line = span.end, span.line + span.lines
            spans += 1
            if spans % _FRAME_SPANS == 0 or share.rows() >= _FRAME_ROWS:
                share.send(end, line)
    except CutoverError:
        share.send(end, line, fatal=True)
        return
    share.send(end, line, last=True)


def _spans(
    source: CsvFile,
    layout: CsvLayout,
    classifier: _Classifier,
    *,
    start: int | None = None,
    line: int | None = None,
    stop: int | None = None,
) -> Iterator[CsvSpan]:
    """Return `source.spans`, read by the C pass where it is built."""
    scanner = classifier.scanner(layout)
    if scanner is None:
        return source.spans(layout, start=start, line=line, stop=stop)
    return source.spans(
        layout,
        start=start,
        line=line,
        stop=stop,
        scanner=scanner,
        block_bytes=_SCAN_BLOCK_BYTES,
    )


def _triage_span(
    span: CsvSpan, classifier: _Classifier, tally: _Tally, on_action: OnAction | None
) -> None:
    for item in span.items:
        if isinstance(item, CutoverError):
            for problem in item.problems:
                tally.reject(problem)
        elif isinstance(item, ScannedBlock):
            classifier.scanned(item, tally, on_action)
        else:
            classifier.block(item, tally, on_action)


# --- entry points --------------------------------------------------------------------------


def triage(
    rows: Iterable[Mapping[str, str] | Query],
    rule: CutoffRule,
    as_of: date,
    *,
    first_line: int = 1,
) -> Iterator[TriageResult | Problem]:
    """Yield, for each row, its `TriageResult`, or the `Problem` that rejects it.

    A row is a `Query`, or a mapping of the canonical column names (`QUERY_COLUMNS`) to
    text, as from a database cursor; a mapping's line is its position counted from
    `first_line`. Results stream: nothing is kept between rows. Feed them to
    `TriageReport.collect` for counts and duplicates.
    """
    classifier = _Classifier(rule, as_of)
    for position, row in enumerate(rows, start=first_line):
        if isinstance(row, Query):
            yield classifier.result(row)
            continue
        query = classifier.query(row, position)
        yield query if isinstance(query, Problem) else classifier.result(query)


def triage_file(
    path: str | Path,
    rule: CutoffRule,
    as_of: date,
    *,
    on_action: OnAction | None = None,
    parallel: bool | None = None,
) -> TriageReport:
    """Return the finished report of a queries CSV, calling `on_action` for each action row.

    The file is read in blocks (UTF-8, UTF-8 with BOM or cp932); a file that cannot be
    read at all (no header, missing columns, a personal-number column, undecodable bytes)
    raises `CutoverError`. Every data row is counted: classified, or rejected with its
    line and reason. Close the report (or use it in a ``with``) when done.

    A large file is split with a second process when a second core is free and the
    system can fork (`parallel` None); True asks for it whatever the size, False never.
    The results are the same either way, in the same order, and `on_action` is only
    called in this process.
    """
    source = CsvFile(Path(path), columns=QUERY_COLUMNS, required=_REQUIRED, label="queries file")
    layout = source.layout()
    classifier = _Classifier(rule, as_of, file=source.name)
    report = TriageReport()
    # (Set here, not by the constructor: only a file's size tells how many rows to expect.)
    report._ids = _IdIndex(buckets=_bucket_count(layout.size - layout.data_start))
    try:
        share = _OWN_SHARE if classifier.scan is None else _OWN_SHARE_SCAN
        split = _split_point(source, layout, parallel, share=share)
        if split is None:
            for span in _spans(source, layout, classifier):
                _triage_span(span, classifier, report, on_action)
        else:
            _triage_split(source, layout, classifier, report, on_action, split)
        report.finish(parallel=parallel)
    except BaseException:
        report.close()
        raise
    return report


def _triage_split(
    source: CsvFile,
    layout: CsvLayout,
    classifier: _Classifier,
    report: TriageReport,
    on_action: OnAction | None,
    split: int,
) -> None:
    """Triage the file up to `split` here and the rest in a worker, merged in file order."""
    try:
        worker = _Worker.start(
            source,
            layout,
            classifier,
            split,
            keep_actions=on_action is not None,
            buckets=report._ids.buckets,
        )
    except Exception:  # no process to be had (a limit on processes or memory): read it all here
        for span in _spans(source, layout, classifier):
            _triage_span(span, classifier, report, on_action)
        return
    try:
        end, line = layout.data_start, layout.data_line
        for span in _spans(source, layout, classifier, stop=split):
            _triage_span(span, classifier, report, on_action)
            end, line = span.end, span.line + span.lines
        # The worker read what this process would have read only if a record ends exactly
        # at `split` (a quoted value may run over it).
        if end == split:
            if worker.replay(classifier, report, on_action, line - 1):
                return
            # The worker failed, or met a fatal error: read on from where its replayed
            # frames stop (and meet that error here, with its true line).
            if worker.end is not None:
                end, line = worker.end, worker.line
        worker.close()
        for span in _spans(source, layout, classifier, start=end, line=line):
            _triage_span(span, classifier, report, on_action)
    finally:
        worker.close()
