"""Experiment: would numpy make triage's row pass faster? (It does not; see performance.md.)

Triage's time is one pass over every row: split the line into fields, check the two codes,
the item, the status and the timestamp, and find the open requests under the rule. This
script times that pass two ways on the benchmark's log (`triage_bench.generate`, 2,000,000
rows), in one process:

- ``cutover``: `csvio._plain_block` and `_Classifier.block`, as triage runs them, with the
  duplicate check's id index left out (a tally that drops the ids);
- ``numpy``: the same checks vectorized over a block's bytes: separators found with one
  comparison, fields gathered by fancy indexing, codes looked up in a table of the official
  codes, timestamps of the form ``YYYY-MM-DD HH:MM:SS`` checked field by field (days in the
  month, leap years), and the ids cut out into one ``\\n``-joined text for the id index.

It checks that both find the same rows to act on, and prints the times. numpy is not a
dependency of cutover: ``pip install numpy`` to run it.

    python benchmarks/triage_numpy_scan.py
    python benchmarks/triage_numpy_scan.py --rows 200000 --block 1048576
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WIDTH = 6  # query_id,querier,provider,item,requested,status
STATUSES = (b"provided", b"pending", b"withdrawn", b"error")
OPEN = (1, 3)  # pending, error
HOT_ITEMS = (2, 21)
END_KEY = 20180701000000  # the cutoff's end, 2018-07-01 00:00:00 JST, as YYYYMMDDhhmmss


def numpy_scan(np: Any, data: bytes, block_bytes: int, code_ok: Any) -> tuple[int, int, int]:
    """Return (rows, rows to act on, rows it cannot judge) of the log's data lines."""
    rows = hot_rows = slow_rows = 0
    pos = 0
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    powers = np.array([100000, 10000, 1000, 100, 10, 1], dtype=np.int64)
    while pos < len(data):
        cut = data.rfind(b"\n", pos, pos + block_bytes) + 1 or len(data)
        a = np.frombuffer(data[pos:cut], np.uint8)
        pos = cut
        sep = np.flatnonzero((a == 44) | (a == 10))
        n = int(np.count_nonzero(a == 10))
        if len(sep) != n * WIDTH:
            raise SystemExit("a row with another number of fields: not in this experiment")
        ends = sep.reshape(n, WIDTH)
        starts = np.empty_like(ends)
        starts[:, 0] = np.concatenate(([0], ends[:-1, WIDTH - 1] + 1))
        starts[:, 1:] = ends[:, : WIDTH - 1] + 1
        lens = ends - starts
        slow = np.zeros(n, bool)
        for column in (1, 2):  # the codes: 6 digits, in the official list
            six = lens[:, column] == 6
            g = a[np.where(six, starts[:, column], 0)[:, None] + np.arange(6)].astype(np.int64) - 48
            digits = ((g >= 0) & (g <= 9)).all(axis=1)
            slow |= ~(six & digits & code_ok[np.clip(g @ powers, 0, 999999)])
        length = lens[:, 3]  # the item: 1 to 3 digits, no leading zero
        g = a[starts[:, 3][:, None] + np.arange(3)].astype(np.int64) - 48
        is_digit = (g >= 0) & (g <= 9)
        ok = np.where(
            length == 1,
            is_digit[:, 0],
            np.where(
                length == 2,
                is_digit[:, :2].all(1) & (g[:, 0] > 0),
                (length == 3) & is_digit.all(1) & (g[:, 0] > 0),
            ),
        )
        item = np.where(
            length == 1,
            g[:, 0],
            np.where(length == 2, g[:, 0] * 10 + g[:, 1], g[:, 0] * 100 + g[:, 1] * 10 + g[:, 2]),
        )
        slow |= ~ok
        length, first = lens[:, 5], a[starts[:, 5]]  # the status
        status = np.full(n, -1)
        for k, word in enumerate(STATUSES):
            maybe = np.flatnonzero((length == len(word)) & (first == word[0]))
            spelled = np.frombuffer(word, np.uint8)
            same = (a[starts[maybe, 5][:, None] + np.arange(len(word))] == spelled).all(1)
            status[maybe[same]] = k
        slow |= status < 0
        length = lens[:, 4]  # the timestamp: YYYY-MM-DD HH:MM:SS, a real moment
        g = a[np.where(length == 19, starts[:, 4], 0)[:, None] + np.arange(19)].astype(np.int64)
        punctuation = (
            (g[:, 4] == 45)
            & (g[:, 7] == 45)
            & ((g[:, 10] == 32) | (g[:, 10] == 84))
            & (g[:, 13] == 58)
            & (g[:, 16] == 58)
        )
        d = g[:, [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]] - 48
        year = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
        month, day = d[:, 4] * 10 + d[:, 5], d[:, 6] * 10 + d[:, 7]
        hour, minute = d[:, 8] * 10 + d[:, 9], d[:, 10] * 10 + d[:, 11]
        second = d[:, 12] * 10 + d[:, 13]
        leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
        month_days = days[np.clip(month, 0, 12)] + ((month == 2) & leap)
        real = (
            (length == 19)
            & punctuation
            & ((d >= 0) & (d <= 9)).all(1)
            & (year >= 1)
            & (month >= 1)
            & (month <= 12)
            & (day >= 1)
            & (day <= month_days)
            & (hour < 24)
            & (minute < 60)
            & (second < 60)
        )
        slow |= ~real
        key = ((((year * 100 + month) * 100 + day) * 100 + hour) * 100 + minute) * 100 + second
        hot = ~slow & np.isin(status, OPEN) & np.isin(item, HOT_ITEMS) & (key < END_KEY)
        # The ids, one per line, for the id index (which still hashes them one by one).
        id_starts, id_lens = starts[:, 0], lens[:, 0]
        out_starts = np.concatenate(([0], np.cumsum(id_lens + 1)[:-1]))
        total = int(id_lens.sum()) + n
        ids = a[np.repeat(id_starts - out_starts, id_lens + 1) + np.arange(total)]
        ids[out_starts + id_lens] = 10
        ids.tobytes().decode("ascii").split("\n")
        rows += n
        hot_rows += int(hot.sum())
        slow_rows += int(slow.sum())
    return rows, hot_rows, slow_rows


def cutover_scan(path: Path) -> tuple[int, int]:
    """Return (rows, rows to act on) from cutover's own block pass, id index left out."""
    from cutover.inputs.blocks import CsvBlock
    from cutover.inputs.csvfile import CsvFile
    from cutover.triage import _REQUIRED, QUERY_COLUMNS, Action, CutoffRule, _Classifier

    rule = CutoffRule(
        items=frozenset(HOT_ITEMS),
        last_provision=date(2018, 6, 30),
        answer_by=date(2018, 6, 29),
        effective=date(2018, 7, 1),
        reissue_from=date(2018, 7, 2),
    )

    class Tally:
        def __init__(self) -> None:
            self.counts = dict.fromkeys(Action, 0)

        def count(self, action: Action, n: int = 1) -> None:
            self.counts[action] += n

        def reject(self, problem: object) -> None:
            raise AssertionError(problem)

        def track_ids(self, query_ids: object, lines: object) -> None:
            pass  # the id index: left out, as in the numpy pass

    source = CsvFile(path, columns=QUERY_COLUMNS, required=_REQUIRED, label="queries file")
    classifier = _Classifier(rule, date(2018, 7, 2))
    tally = Tally()
    for span in source.spans():
        for block in span.items:
            assert isinstance(block, CsvBlock)
            classifier.block(block, tally, None)
    acted = sum(n for action, n in tally.counts.items() if action is not Action.NONE)
    return sum(tally.counts.values()), acted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--block", type=int, default=1 << 20, help="numpy's block, in bytes")
    args = parser.parse_args()
    try:
        np = importlib.import_module("numpy")
    except ImportError:
        raise SystemExit("numpy is not installed: pip install numpy") from None
    sys.path.insert(0, str(HERE))
    from triage_bench import generate

    from cutover.jp.codes import official_codes

    with tempfile.TemporaryDirectory(prefix="triage-numpy-") as tmp:
        path = Path(tmp) / "queries.csv"
        generate(path, args.rows)
        data = path.read_bytes()
        body = data[data.index(b"\n") + 1 :]
        code_ok = np.zeros(1_000_000, dtype=bool)
        code_ok[[int(entry.code) for entry in official_codes()]] = True
        started = time.perf_counter()
        rows, hot, slow = numpy_scan(np, body, args.block, code_ok)
        numpy_time = time.perf_counter() - started
        started = time.perf_counter()
        cutover_rows, cutover_hot = cutover_scan(path)
        cutover_time = time.perf_counter() - started
    assert (rows, hot) == (cutover_rows, cutover_hot), (rows, hot, cutover_rows, cutover_hot)
    print(f"{rows:,} rows, {hot:,} to act on, {slow:,} left to the row-by-row path")
    print(f"cutover's block pass (without the id index): {cutover_time:.2f} s")
    print(f"numpy, {args.block:,}-byte blocks: {numpy_time:.2f} s")


if __name__ == "__main__":
    main()
