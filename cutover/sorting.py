"""Sorting more records than memory should hold: sorted runs on disk, merged when read.

The Markdown triage report lists every request to act on, grouped by agency and sorted
within each group; a national log can have hundreds of thousands of them. `SortedSpill`
keeps up to `BUFFER` records in memory; past that it sorts them and writes them to a
temporary file as a run. Every `FAN_IN` runs of a size are merged into one run of the next
size, so that reading, which merges what is left (`heapq.merge`, a batch of each run at a
time), never holds more than a few batches per size. Memory stays bounded whatever the
number of records; below the buffer nothing touches the disk.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, Generic, TypeVar

_T = TypeVar("_T")

#: Records kept in memory before a run goes to disk.
BUFFER = 10_000
#: Runs of one size merged into one run of the next size.
FAN_IN = 16
#: Records pickled together in a run: what reading holds of each run at a time.
_BATCH = 500

_Run = list[tuple[int, int]]  # where a run's batches are in the file: (offset, length)


class SortedSpill(Generic[_T]):
    """Records (picklable) given in any order, read back sorted by `key`.

    Stable, as `sorted` is: records with equal keys come back in the order they were added.
    `buffer` is how many records stay in memory (default `BUFFER`). Iterate once; `close`
    (or a ``with``) removes the temporary file.
    """

    def __init__(self, key: Callable[[_T], Any], *, buffer: int | None = None) -> None:
        if buffer is None:
            buffer = BUFFER
        if buffer < 1:
            msg = f"buffer must be at least 1, not {buffer}"
            raise ValueError(msg)
        self._key = key
        self._buffer_size = buffer
        self._buffer: list[_T] = []
        self._file: IO[bytes] | None = None
        self._levels: list[list[_Run]] = []  # runs by size: level n holds FAN_IN**n buffers
        self._count = 0

    def __len__(self) -> int:
        return self._count

    @property
    def runs(self) -> int:
        """Return how many runs are on disk."""
        return sum(map(len, self._levels))

    def add(self, record: _T) -> None:
        """Add one record."""
        self._buffer.append(record)
        self._count += 1
        if len(self._buffer) >= self._buffer_size:
            self._buffer.sort(key=self._key)
            self._add_run(0, self._write(self._buffer))
            self._buffer = []

    def _add_run(self, level: int, run: _Run) -> None:
        """Add a run of `level`; merge a level's runs into one of the next once it is full."""
        while len(self._levels) <= level:
            self._levels.append([])
        runs = self._levels[level]
        runs.append(run)
        if len(runs) >= FAN_IN:
            self._levels[level] = []
            merged = heapq.merge(*map(self._read, runs), key=self._key)
            self._add_run(level + 1, self._write(merged))

    def _write(self, records: Iterable[_T]) -> _Run:
        """Write sorted records at the end of the file as one run."""
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="cutover-sort-")  # noqa: SIM115
        out = self._file
        run: _Run = []
        batch: list[_T] = []
        for record in records:
            batch.append(record)
            if len(batch) >= _BATCH:
                run.append(self._write_batch(out, batch))
                batch = []
        if batch:
            run.append(self._write_batch(out, batch))
        return run

    @staticmethod
    def _write_batch(out: IO[bytes], batch: list[_T]) -> tuple[int, int]:
        data = pickle.dumps(batch, pickle.HIGHEST_PROTOCOL)
        offset = out.seek(0, 2)  # (reading a run moves the position)
        out.write(data)
        return offset, len(data)

    def _read(self, run: _Run) -> Iterator[_T]:
        """Yield a run's records, a batch at a time from its own place in the file."""
        for offset, length in run:
            source = self._file
            assert source is not None
            source.seek(offset)
            records: list[_T] = pickle.loads(source.read(length))
            yield from records

    def __iter__(self) -> Iterator[_T]:
        """Yield every record, sorted by key; records with equal keys in the order they were
        added (`heapq.merge` keeps its inputs' order: the oldest runs, the higher levels',
        go first, the buffer last)."""
        self._buffer.sort(key=self._key)
        runs = [run for level in reversed(self._levels) for run in level]
        if not runs:
            yield from self._buffer
            return
        yield from heapq.merge(*map(self._read, runs), iter(self._buffer), key=self._key)

    def close(self) -> None:
        """Forget the records and remove the temporary file."""
        self._buffer = []
        self._levels = []
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> SortedSpill[_T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
