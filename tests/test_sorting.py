"""SortedSpill: records read back sorted, whether they stayed in memory or went to disk."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cutover import sorting
from cutover.sorting import SortedSpill

Record = tuple[str, int, int, str | None]

RECORDS = st.lists(
    st.tuples(st.text(max_size=4), st.integers(-5, 5), st.none() | st.text(max_size=2)),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(
    records=RECORDS,
    buffer=st.integers(1, 70),
    batch=st.integers(1, 7),
    fan_in=st.integers(2, 4),
    ties=st.sampled_from(["none", "some", "all"]),
)
def test_reads_back_what_sorted_gives(
    records: list[tuple[str, int, str | None]], buffer: int, batch: int, fan_in: int, ties: str
) -> None:
    """Any records, any buffer (runs on disk or none), batch and fan-in (runs merged into
    larger ones, over several sizes): the order of `sorted`, which is stable: records with
    equal keys (some, or all of them: a key of the tuple's length) keep the order they came in.

    A record's last field (None or text) is never compared, as in the Markdown report's rows.
    """
    numbered = [(text, n, i, extra) for i, (text, n, extra) in enumerate(records)]
    keys: dict[str, Callable[[Record], Any]] = {
        "none": itemgetter(0, 1, 2),
        "some": itemgetter(0),
        "all": len,
    }
    key = keys[ties]
    saved = sorting._BATCH, sorting.FAN_IN
    sorting._BATCH, sorting.FAN_IN = batch, fan_in
    try:
        spill: SortedSpill[Record]
        with SortedSpill(key, buffer=buffer) as spill:
            for record in numbered:
                spill.add(record)
            assert len(spill) == len(numbered)
            assert list(spill) == sorted(numbered, key=key)
    finally:
        sorting._BATCH, sorting.FAN_IN = saved


def test_runs_go_to_a_temporary_file_that_close_removes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the buffer, runs are on disk, merged by eights; closing removes the file."""
    monkeypatch.setattr(sorting, "FAN_IN", 8)
    spill: SortedSpill[int] = SortedSpill(lambda n: n, buffer=10)
    for n in range(95, -1, -1):
        spill.add(n)
    assert spill._file is not None
    # 96 records: nine runs of ten (the first eight merged into one of eighty), six in memory.
    assert [len(level) for level in spill._levels] == [1, 1]
    assert spill.runs == 2
    assert list(spill) == list(range(96))
    spill.close()
    assert spill._file is None
    assert list(spill) == []


def test_default_buffer_is_read_when_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """The module's bound applies to sorters made after it changes (as tests need)."""
    monkeypatch.setattr(sorting, "BUFFER", 2)
    spill: SortedSpill[int] = SortedSpill(lambda n: n)
    for n in (3, 1, 2):
        spill.add(n)
    assert spill.runs == 1
    assert list(spill) == [1, 2, 3]


@pytest.mark.parametrize("buffer", [0, -1])
def test_buffer_below_one_is_refused(buffer: int) -> None:
    with pytest.raises(ValueError, match=f"buffer must be at least 1, not {buffer}"):
        SortedSpill(lambda n: n, buffer=buffer)
