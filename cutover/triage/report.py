"""The report of one triage: counts, rejected rows, duplicated query ids, far-future requests.

`TriageReport` is built as rows stream by (`triage_file` fills it a block at a time,
`TriageReport.collect` from `triage`'s results) and finished once every row is in.
"""

from __future__ import annotations

import operator
import pickle
import sys
import tempfile
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from types import TracebackType
from typing import IO

from cutover.errors import Problem
from cutover.triage.model import Action, Duplicate, TriageCounts, TriageResult

__all__ = ["OnAction", "TriageReport"]

#: What `triage_file` calls with each row that needs action (a writer's ``write``).
OnAction = Callable[[TriageResult], object]

# Rejected rows beyond this many are kept in a temporary file, so that a file of bad rows
# (a log whose every date Excel wrote as 午後3:00) does not fill memory with their problems.
_REJECTED_IN_MEMORY = 1000
# Ids of rows added one by one (`TriageReport.add`) are indexed this many at a time.
_PENDING_IDS = 1024
# Hashes are kept in this many buckets, by their low byte: equal ids share a bucket, so the
# end check holds one bucket's hashes in a set at a time, never a set of every id.
_BUCKETS = 256
# Where a 64-bit hash's low byte is in its 8 bytes in memory: its bucket's number.
_LOW_BYTE = 0 if sys.byteorder == "little" else 7
# The arrays' type for 64-bit hashes: C's long where it has 8 bytes, which CPython converts
# from an int several times faster than a long long ("q", Windows' 8-byte type).
_HASHES = "l" if array("l").itemsize == 8 else "q"
#: Appends a hash to a bucket: ``_append(bucket, h)``, one C call.
_append = array.append


class _IdIndex:
    """The query ids of the classified rows, held to find those on more than one row.

    Each block of ids is kept as one text (a few bytes an id) with the ids' 64-bit hashes,
    which also go to buckets by their low bits. At the end each bucket is checked with one
    set; a hash found twice sends the check back to the blocks that hold it, whose ids tell
    true duplicates from hash collisions (never reported).
    """

    def __init__(self) -> None:
        self._buckets = [array(_HASHES) for _ in range(_BUCKETS)]
        # Per block: its ids (one text, or a list when an id holds a line break), their
        # hashes, and their lines.
        self._blocks: list[tuple[str | Sequence[str], array[int], Sequence[int], int]] = []
        self._pending_ids: list[str] = []
        self._pending_lines: list[int] = []
        #: the files read, in order, when there are several; the one being read is the last
        self.files: list[str] = []

    def add(self, query_ids: Sequence[str], lines: Sequence[int]) -> None:
        """Index the ids of a block of classified rows, with the lines they are on."""
        if not query_ids:
            return
        listed = list(map(hash, query_ids))
        hashes = array(_HASHES, listed)
        # Each hash to its bucket, ``buckets[h & 255].append(h)`` for every row, in C
        # iterators only: no Python loop over the rows. The buckets' numbers are the hashes'
        # low bytes, every eighth byte of the array's (a C slice, cheaper than an ``&`` per
        # row).
        buckets = map(self._buckets.__getitem__, hashes.tobytes()[_LOW_BYTE::8])
        _consume(map(_append, buckets, listed))
        text = "\n".join(query_ids)
        kept = text if text.count("\n") == len(query_ids) - 1 else list(query_ids)
        self._blocks.append((kept, hashes, lines, len(self.files) - 1))

    def append(self, query_id: str, line: int) -> None:
        """Index the id of one classified row."""
        self._pending_ids.append(query_id)
        self._pending_lines.append(line)
        if len(self._pending_ids) >= _PENDING_IDS:
            self.flush()

    def flush(self) -> None:
        """Index the ids appended one by one so far."""
        if self._pending_ids:
            self.add(self._pending_ids, self._pending_lines)
            self._pending_ids, self._pending_lines = [], []

    def duplicates(self) -> list[Duplicate]:
        """Return the ids found on more than one row, with their lines, by first line."""
        self.flush()
        repeated: set[int] = set()
        for bucket in self._buckets:
            listed = bucket.tolist()  # (a set is built faster from a list)
            if len(set(listed)) != len(listed):
                repeated.update(h for h, n in Counter(listed).items() if n > 1)
        self._buckets = []  # (their memory, for what follows)
        if not repeated:
            return []
        lines_of: dict[str, list[tuple[int, int]]] = {}
        for kept, hashes, lines, file in self._blocks:
            if repeated.isdisjoint(hashes):  # (most blocks: one C loop, no list)
                continue
            hits = list(compress(range(len(hashes)), map(repeated.__contains__, hashes)))
            if hits:
                query_ids = kept.split("\n") if isinstance(kept, str) else kept
                for i in hits:
                    lines_of.setdefault(query_ids[i], []).append((file, lines[i]))
        several = len(self.files) > 1
        found = []
        for q, places in lines_of.items():
            if len(places) > 1:
                places.sort()
                files = tuple(self.files[f] for f, _ in places) if several else ()
                found.append(Duplicate(q, tuple(line for _, line in places), files))
        del lines_of
        found.sort(key=_BY_FIRST_LINE)
        return found


#: Runs an iterator to its end, keeping nothing (a ``deque`` of no length).
_consume: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend

#: Duplicates in order of their lines (the first line, then the next…), then of their ids.
_BY_FIRST_LINE = operator.attrgetter("lines", "query_id")


class TriageReport:
    """Counts, rejected rows and duplicated query ids of one triage, built as rows stream by.

    Every rejected row is kept: the first thousand in memory, the others in a temporary
    file, reachable through `rejected` until the report is closed. Use the report as a
    context manager, or call `close`, to delete the file; reading `rejected` after that,
    when rows had gone to it, raises `RuntimeError` rather than give fewer rows than
    ``counts.rejected``.
    """

    def __init__(self) -> None:
        self._counts: dict[Action, int] = dict.fromkeys(Action, 0)
        self._rejected = 0
        self._rejected_head: list[Problem] = []
        self._rejected_tail: IO[bytes] | None = None
        # Rows had gone to the temporary file, and `close` deleted it.
        self._tail_deleted = False
        self._ids = _IdIndex()
        self._duplicates: list[Duplicate] | None = None
        self._far = 0
        self._far_first: int | None = None
        self._outside = 0

    @classmethod
    def collect(
        cls,
        results: Iterable[TriageResult | Problem],
        *,
        on_action: OnAction | None = None,
        on_outside: OnAction | None = None,
    ) -> TriageReport:
        """Return the finished report of `results`, calling `on_action` for each action row
        and `on_outside` for each open request outside the rule (`Reason.outside_rule`)."""
        report = cls()
        try:
            for result in results:
                report.add(result)
                if not isinstance(result, TriageResult):
                    continue
                if on_action is not None and result.action is not Action.NONE:
                    on_action(result)
                elif on_outside is not None and result.reason.outside_rule:
                    on_outside(result)
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
        if result.action is Action.NONE and result.reason.outside_rule:
            self._outside += 1
        if result.far_future:
            self.far_future([result.query.line])
        self._ids.append(result.query.query_id, result.query.line)

    def count(self, action: Action, n: int = 1) -> None:
        """Count `n` rows classified with `action`."""
        self._counts[action] += n

    def outside(self, n: int = 1) -> None:
        """Count `n` open requests outside the rule (counted as ``none`` too)."""
        self._outside += n

    def far_future(self, lines: Sequence[int]) -> None:
        """Note open requests for cutoff items dated far after the as-of date, on `lines`."""
        if not lines:
            return
        self._far += len(lines)
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
            self._rejected_tail = _temporary_file()
        self._rejected_tail.seek(0, 2)  # append, wherever a reader left the position
        # The whole problem, its code and parameters too: it is written in the reader's
        # language when shown. (A file this process wrote and reads back, nothing else.)
        pickle.dump(problem, self._rejected_tail, protocol=pickle.HIGHEST_PROTOCOL)

    def reading(self, file: str) -> None:
        """Note that the rows that follow are those of `file` (one of several read as one)."""
        self._ids.flush()
        self._ids.files.append(file)

    def track_ids(self, query_ids: Sequence[str], lines: Sequence[int]) -> None:
        """Remember the query ids of a block of classified rows, to report duplicates."""
        self._ids.add(query_ids, lines)

    # --- finishing ----------------------------------------------------------------------

    def finish(self) -> None:
        """Find the duplicated query ids; call once every row has been added."""
        self._duplicates = self._ids.duplicates()
        self._ids = _IdIndex()  # (the ids are no longer needed)

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
            outside_rule=self._outside,
        )

    @property
    def duplicates(self) -> Sequence[Duplicate]:
        """Return the query ids found on more than one line, by first line (after `finish`)."""
        if self._duplicates is None:
            msg = "TriageReport.duplicates is known only after finish()"
            raise RuntimeError(msg)
        return self._duplicates

    @property
    def rejected(self) -> Iterator[Problem]:
        """Return the problems of every rejected row, in the order the rows were read: as
        many as ``counts.rejected`` says.

        Each access gives a fresh iterator; past the first thousand, rows are read back
        from disk. Once the report is closed (and the file of those rows deleted), raise
        `RuntimeError`, at the access or in an iterator that reaches them.
        """
        self._check_tail()
        return self._rejected_problems()

    def _check_tail(self) -> None:
        if self._tail_deleted:
            msg = (
                f"TriageReport.rejected: {self._rejected - _REJECTED_IN_MEMORY} of the "
                f"{self._rejected} rejected rows were deleted when the report was closed; "
                "read them before closing it (or inside its `with` block)"
            )
            raise RuntimeError(msg)

    def _rejected_problems(self) -> Iterator[Problem]:
        yield from self._rejected_head
        self._check_tail()
        tail = self._rejected_tail
        offset = 0
        while tail is not None:
            # Each iterator keeps its own place: two of them, or a row rejected meanwhile,
            # do not disturb one another.
            self._check_tail()
            tail.seek(offset)
            try:
                problem: Problem = pickle.load(tail)  # (this report's own file)
            except EOFError:
                break
            offset = tail.tell()
            yield problem

    def close(self) -> None:
        """Delete the temporary file of rejected rows."""
        if self._rejected_tail is not None:
            self._rejected_tail.close()
            self._rejected_tail = None
            self._tail_deleted = True

    def __enter__(self) -> TriageReport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _temporary_file() -> IO[bytes]:
    return tempfile.TemporaryFile("w+b", prefix="cutover-triage-")
