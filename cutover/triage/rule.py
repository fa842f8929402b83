"""The cutoff rule (source §6): which open request needs which action, by when, and why.

For the retroactively revised items (2 and 21 in 2018), a request for provision received on
or before the cutoff day must be answered by then; from the effective date it cannot be
answered at all (一時入力 included), so the querier withdraws it and re-issues it:

- ``provide-by-cutoff``: open (pending or error), a cutoff item, received on or before the
  cutoff, while the as-of date is on or before the cutoff; due on the last business day
  before the cutoff (on the cutoff day itself for a request received on it, a closed day);
- ``withdraw-and-reissue``: the same query once the as-of date is past the cutoff, or one
  received after the cutoff but before the effective date (possible only when a what-if
  moves the cutoff earlier: no answer is possible on either side of the revision); due on
  the first business day from the effective date;
- ``none``: provided or withdrawn, another item, or received on or after the effective date.

This module is the only statement of it: `triage` over rows and `triage_file` over a file
both ask `TriageRule`. Its dates come from the calendar already moved off closed days: the
rule does no business-day arithmetic.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from cutover.triage.model import (
    FAR_REQUEST_DAYS,
    Action,
    CutoffRule,
    Query,
    QueryStatus,
    Reason,
    ReasonCode,
    TriageResult,
)

__all__ = ["TriageRule", "Verdict"]

# Verdicts remembered, by item and day: a file spans a few hundred days and items.
_VERDICTS_LIMIT = 1 << 16


@attrs.frozen
class Verdict:
    """What the rule asks of a query: its action, due date and reason, and whether it is a
    far-future request (see `TriageResult.far_future`)."""

    action: Action
    due: date | None
    reason: Reason
    far_future: bool = False


class TriageRule:
    """The cutoff rule as it stands on one as-of date.

    A query's verdict depends on its status, its item and the JST day it was received,
    nothing else: verdicts are remembered by those, so a log of two million rows asks for
    each only once per item and day.
    """

    def __init__(self, cutoff: CutoffRule, as_of: date) -> None:
        self.cutoff = cutoff
        self.as_of = as_of
        # An open request for a cutoff item dated well after the as-of date cannot have been
        # received yet: a year or era slip (令和元年 for 平成30年) that would pass as "after
        # the cutoff". A file read a few days after its as-of date holds later rows: those
        # are not warned of.
        try:
            self.far_from: date | None = as_of + timedelta(days=FAR_REQUEST_DAYS + 1)
        except OverflowError:  # an as-of date at the end of the calendar: nothing is later
            self.far_from = None
        self._closed = {
            QueryStatus.PROVIDED: Verdict(
                Action.NONE, None, Reason(ReasonCode.ALREADY_PROVIDED, cutoff)
            ),
            QueryStatus.WITHDRAWN: Verdict(
                Action.NONE, None, Reason(ReasonCode.ALREADY_WITHDRAWN, cutoff)
            ),
        }
        self._other_items: dict[int, Verdict] = {}
        self._open: dict[tuple[int, date], Verdict] = {}

    def concerns_status(self, status: QueryStatus) -> bool:
        """Return True for a status the rule may ask an action for: an open query's."""
        return status.is_open

    def concerns_item(self, item: int) -> bool:
        """Return True for an item the rule may ask an action for: a cutoff item."""
        return item in self.cutoff.items

    def verdict(self, status: QueryStatus, item: int, received: date) -> Verdict:
        """Return what the rule asks of a query with `status` and `item`, received (in JST)
        on `received`.

        A query whose status or item the rule does not concern (`concerns_status`,
        `concerns_item`) gets ``none`` and is never far-future, whatever its day.
        """
        if not self.concerns_status(status):
            return self._closed[status]
        if not self.concerns_item(item):
            verdict = self._other_items.get(item)
            if verdict is None:
                reason = Reason(ReasonCode.NOT_A_CUTOFF_ITEM, self.cutoff, item)
                verdict = Verdict(Action.NONE, None, reason)
                if len(self._other_items) < _VERDICTS_LIMIT:
                    self._other_items[item] = verdict
            return verdict
        key = (item, received)
        verdict = self._open.get(key)
        if verdict is None:
            verdict = self._open_request(item, received)
            if len(self._open) < _VERDICTS_LIMIT:
                self._open[key] = verdict
        return verdict

    def result(self, query: Query) -> TriageResult:
        """Return what the rule asks of `query`, when, and why."""
        verdict = self.verdict(query.status, query.item, query.requested.date())
        return TriageResult(
            query, verdict.action, verdict.due, verdict.reason, far_future=verdict.far_future
        )

    def _open_request(self, item: int, received: date) -> Verdict:
        """Return the verdict on an open request for cutoff item `item` received `received`."""
        cutoff = self.cutoff
        if received >= cutoff.effective:
            far = self.far_from is not None and received >= self.far_from
            reason = Reason(ReasonCode.RECEIVED_FROM_EFFECTIVE, cutoff, item, received)
            return Verdict(Action.NONE, None, reason, far_future=far)
        if received > cutoff.last_provision:
            # Received after the cutoff but before the revision: a what-if that moves the
            # cutoff earlier. Not answerable in the old layout, nor from the effective date.
            code = ReasonCode.AFTER_CUTOFF_BEFORE_EFFECTIVE
            action, due = Action.WITHDRAW_AND_REISSUE, cutoff.reissue_from
        elif self.as_of > cutoff.last_provision:
            code = ReasonCode.CUTOFF_PASSED
            action, due = Action.WITHDRAW_AND_REISSUE, cutoff.reissue_from
        elif received > cutoff.answer_by:
            # Received on a closed cutoff day (Saturday 6/30): the last business day is
            # already behind it, so the cutoff day itself is all that is left.
            code = ReasonCode.RECEIVED_ON_CLOSED_CUTOFF_DAY
            action, due = Action.PROVIDE_BY_CUTOFF, cutoff.last_provision
        else:
            passed = self.as_of > cutoff.answer_by
            code = (
                ReasonCode.LAST_BUSINESS_DAY_PASSED if passed else ReasonCode.RECEIVED_BEFORE_CUTOFF
            )
            action, due = Action.PROVIDE_BY_CUTOFF, cutoff.answer_by
        return Verdict(action, due, Reason(code, cutoff, item, received))
