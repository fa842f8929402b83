"""The models of triage: a query, the cutoff rule it is judged by, and what comes of it.

Every class is a frozen attrs class: a program may build them (a `Query` from a database
row), and triage hands them out. A result carries a `Reason` (a code and its parameters),
never a finished sentence: the text a person reads is made from it where it is written
(`cutover.render.triage`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Final

import attrs

from cutover.errors import CutoverError
from cutover.i18n.catalogue import Msg
from cutover.jp.closed_days import JST

__all__ = [
    "FAR_REQUEST_DAYS",
    "JST",
    "Action",
    "CutoffRule",
    "Duplicate",
    "Query",
    "QueryStatus",
    "Reason",
    "ReasonCode",
    "TriageCounts",
    "TriageResult",
    "jst_day",
    "to_jst",
]

# Naive timestamps in a queries file are JST (`cutover.jp.closed_days.JST`), and the cutoff
# is a JST day.
_JST_OFFSET = JST.utcoffset(None)
#: An open request for a cutoff item dated more than this many days after the as-of date is
#: warned of (`TriageReport.far_future_rows`): it cannot have been received yet.
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
        return STATUS_JA[self]

    @property
    def is_open(self) -> bool:
        """Return True for a query still waiting for an answer (pending, or in error)."""
        return self in (QueryStatus.PENDING, QueryStatus.ERROR)


#: The Japanese name of each status, as query logs and the source write them.
STATUS_JA: Final = {
    QueryStatus.PENDING: "未提供",
    QueryStatus.PROVIDED: "提供済",
    QueryStatus.WITHDRAWN: "取りやめ",
    QueryStatus.ERROR: "エラー",
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
        raise CutoverError.of("triage.cutoff-items", items=tuple(sorted(value)))


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
            raise CutoverError.of(
                "triage.cutoff-order",
                answer_by=self.answer_by,
                last_provision=self.last_provision,
                effective=self.effective,
                reissue_from=self.reissue_from,
            )

    @property
    def source(self) -> Msg:
        """Return where the rule comes from, to be written in the reader's language: ``§6``,
        or ``§6, moved by a what-if: …`` / ``§6を仮定の日程変更で動かしたもの: …``."""
        if not self.what_if:
            return Msg("triage.source", {"section": self.section})
        return Msg("triage.source-what-if", {"section": self.section, "shifts": self.what_if})

    @property
    def source_en(self) -> str:
        """Return `source` in English: ``§6``, or ``§6, moved by a what-if: …``."""
        return self.source.text("en")

    @property
    def source_ja(self) -> str:
        """Return `source` in Japanese: ``§6``, or ``§6を仮定の日程変更で動かしたもの: …``."""
        return self.source.text("ja")

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


def to_jst(moment: datetime) -> datetime:
    """Return `moment` in JST; a naive moment is taken to be JST already.

    Raises OverflowError when JST is past the calendar's ends (0001-01-01T00:00+10:00).
    """
    if moment.tzinfo is None or moment.utcoffset() == _JST_OFFSET:
        # (Not through UTC: 0001-01-01T00:00+09:00 is a JST moment, but no UTC one.)
        if type(moment) is datetime:
            # ``moment.replace(tzinfo=JST)``, fold included, in an eighth of the time (replace
            # parses keywords): each action row's query is converted.
            return _combine(moment, moment.time(), JST)
        return moment.replace(tzinfo=JST)  # (a subclass's own fields kept)
    return moment.astimezone(JST)


_combine = datetime.combine


def jst_day(moment: datetime) -> date:
    """Return the JST day of `moment` (a naive moment is JST already)."""
    if moment.tzinfo is None:
        return moment.date()
    return to_jst(moment).date()


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
    requested: datetime = attrs.field(converter=to_jst)
    status: QueryStatus
    line: int
    #: the file the row was read from, as it was given (one of several: which one); None
    #: for a row not read from a file (a database's, a program's). Where a row is, not what
    #: it says: two queries read alike are equal whatever their files.
    file: str | None = attrs.field(default=None, eq=False)


class ReasonCode(enum.StrEnum):
    """Why the cutoff rule asks what it asks of a query: a stable code for every case."""

    #: none: the query was provided already
    ALREADY_PROVIDED = "already-provided"
    #: none: the query was withdrawn already
    ALREADY_WITHDRAWN = "already-withdrawn"
    #: none: the item is not one the cutoff rule is about
    NOT_A_CUTOFF_ITEM = "not-a-cutoff-item"
    #: none: received on or after the effective date, answered in the new layout as usual
    RECEIVED_FROM_EFFECTIVE = "received-from-effective"
    #: provide by the last business day: received by it, which has not passed
    RECEIVED_BEFORE_CUTOFF = "received-before-cutoff"
    #: provide on the cutoff day: received by the last business day, which has passed
    LAST_BUSINESS_DAY_PASSED = "last-business-day-passed"
    #: provide on the cutoff day: received on it, a closed day after the last business day
    RECEIVED_ON_CLOSED_CUTOFF_DAY = "received-on-closed-cutoff-day"
    #: withdraw and re-issue: received by the cutoff, which has passed
    CUTOFF_PASSED = "cutoff-passed"
    #: withdraw and re-issue: received after a cutoff a what-if moved before the effective date
    AFTER_CUTOFF_BEFORE_EFFECTIVE = "after-cutoff-before-effective"


#: The reasons of open requests the cutoff rule does not cover (see `Reason.outside_rule`).
_OUTSIDE_RULE: Final = frozenset({ReasonCode.NOT_A_CUTOFF_ITEM, ReasonCode.RECEIVED_FROM_EFFECTIVE})


@attrs.frozen(cache_hash=True)
class Reason:
    """Why a query gets its action: a code, with the parameters its text needs.

    `cutoff` gives the dates (the cutoff day, its last business day, the effective date, the
    first business day from it) and where the rule comes from; `item` and `received` (the
    JST day the request was received) are the query's, where the text names them.
    """

    code: ReasonCode
    cutoff: CutoffRule
    item: int | None = None
    received: date | None = None

    @property
    def outside_rule(self) -> bool:
        """Return True for an open request the §6 rule does not cover: another item, or
        received from the effective date. Its action is ``none`` (the rule asks nothing of
        it), but it still waits for an answer, as usual."""
        return self.code in _OUTSIDE_RULE


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
    reason: Reason
    far_future: bool = attrs.field(default=False, kw_only=True)


@attrs.frozen
class Duplicate:
    """A query id found on more than one classified row, with their lines.

    Read from several files, `files` holds the file of each line (empty for one file)."""

    query_id: str
    lines: tuple[int, ...]
    files: tuple[str, ...] = ()


@attrs.frozen
class TriageCounts:
    """How many rows were read, by outcome; ``total`` is the sum of the other four."""

    total: int
    provide_by_cutoff: int
    withdraw_and_reissue: int
    none: int
    rejected: int
    #: of the ``none`` rows, the open requests the §6 rule does not cover (another item, or
    #: received from the effective date): not "nothing to do", they are answered as usual.
    #: Not in `as_dict` (its counts add up to ``total``): the JSON gives it beside them.
    outside_rule: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the counts keyed as in the JSON contract (DESIGN.md §3)."""
        return {
            "total": self.total,
            Action.PROVIDE_BY_CUTOFF.value: self.provide_by_cutoff,
            Action.WITHDRAW_AND_REISSUE.value: self.withdraw_and_reissue,
            Action.NONE.value: self.none,
            "rejected": self.rejected,
        }
