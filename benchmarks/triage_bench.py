"""Benchmark: triage of a 2,000,000-row queries file, beside what a user would otherwise write.

Generates a deterministic queries CSV (seed 2018) with a realistic mix, then runs, each in
its own subprocess:

- ``cutover``: `cutover.render.triage.write_triage` writing the CSV of rows to act on;
- ``cutover-cli``: the command a coordinator types, ``cutover triage 2018-07 … --format csv
  -o F``, calendar loading included;
- ``pandas``: ``read_csv`` + a boolean mask + ``to_csv``;
- ``polars``: ``scan_csv`` + ``filter`` + ``write_csv``, the date's format given: the fastest
  polars program we know;
- ``polars-read``: ``read_csv(try_parse_dates=True)`` + ``filter`` + ``write_csv``, the
  whole file read first and polars finding the date column's format itself: the program
  that takes here what issue 15's target was first measured against (1.36 s);
- ``read-split`` (only with ``--only``): a floor, not a contender: Python reading the file
  with cutover's CSV reader, a block of rows split into columns at a time, and nothing else.

All contenders must write the same rows (checked). It reports, over the runs, the median
and the range of the wall time (including interpreter start and imports) and of the CPU time
(user + system, all threads), and the peak resident memory. The contenders run in
interleaved rounds, so that a busy machine slows them alike, each from a file just read
into the page cache; the ratios to cutover are given from the medians and round by round.

pandas and polars are not dependencies of cutover: ``pip install pandas polars`` to run
the peers; a missing peer is skipped.

    python benchmarks/triage_bench.py                 # 2,000,000 rows, 5 runs each
    python benchmarks/triage_bench.py --only cutover-cli --only pandas --only polars
    python benchmarks/triage_bench.py --rows 200000 --repeat 1
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from installed import compile_cutover

AS_OF = date(2018, 7, 2)
SEED = 2018
PEERS = ("cutover", "pandas", "polars", "polars-read")
#: Runs that are not contenders: they write no rows to compare.
FLOORS = ("read-split",)


def generate(path: Path, rows: int) -> None:
    """Write a queries CSV of `rows` rows with a realistic mix of items, statuses and agencies."""
    from cutover.jp.codes import official_codes

    rng = random.Random(SEED)
    codes = [e.code for e in official_codes()]
    # Item 2 (local tax) dominates real query logs; 21 is rare; the rest spread thin.
    items = (
        [2] * 40 + [21] + [8, 52, 3, 5, 9, 11, 16, 23, 26, 31, 34, 37, 48, 57, 66, 87, 102, 120] * 3
    )
    statuses = ["provided"] * 90 + ["pending"] * 5 + ["withdrawn"] * 3 + ["error"] * 2
    start = datetime(2018, 4, 1)
    span = int((datetime(2018, 8, 1) - start).total_seconds())
    # A few ids logged twice: such a row repeats the id of a row anywhere before it.
    repeats = {n: rng.randrange(n) for n in rng.sample(range(1, rows), min(20, rows - 1))}
    sources = set(repeats.values())
    ids: dict[int, str] = {}
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("query_id,querier,provider,item,requested,status\n")
        lines = []
        for n in range(rows):
            querier = rng.choice(codes)
            moment = start + timedelta(seconds=rng.randrange(span))
            query_id = ids[repeats[n]] if n in repeats else f"2018-{querier}-{n:07d}"
            if n in sources:
                ids[n] = query_id
            lines.append(
                f"{query_id},{querier},{rng.choice(codes)},{rng.choice(items)},"
                f"{moment:%Y-%m-%d %H:%M:%S},{rng.choice(statuses)}\n"
            )
            if len(lines) == 10000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)


# --- the three contenders, each run in its own process ------------------------------------


def run_cutover(source: Path, target: Path) -> None:
    """Triage with cutover, writing the CSV of rows that need action."""
    from cutover.render.triage import write_triage
    from cutover.triage import CutoffRule

    rule = CutoffRule(
        items=frozenset({2, 21}),
        last_provision=date(2018, 6, 30),
        answer_by=date(2018, 6, 29),
        effective=date(2018, 7, 1),
        reissue_from=date(2018, 7, 2),
    )
    with target.open("w", encoding="utf-8", newline="") as out:
        report = write_triage(source, rule, AS_OF, out, fmt="csv", calendar="2018-07")
        report.close()


def run_pandas(source: Path, target: Path) -> None:
    """Filter with pandas: read_csv, a boolean mask, to_csv."""
    # Imported by name: pandas ships no type information, and neither is a dependency.
    pd = importlib.import_module("pandas")

    frame = pd.read_csv(source, dtype=str)
    mask = (
        frame["item"].isin(["2", "21"])
        & frame["status"].isin(["pending", "error"])
        & (pd.to_datetime(frame["requested"], format="%Y-%m-%d %H:%M:%S") < "2018-07-01")
    )
    hits = frame[mask].assign(action="withdraw-and-reissue", due="2018-07-02")
    hits.to_csv(target, index=False)


def run_polars(source: Path, target: Path) -> None:
    """Filter with polars: scan_csv, filter, write_csv."""
    pl = importlib.import_module("polars")

    strings = dict.fromkeys(("query_id", "querier", "provider", "item", "status"), pl.Utf8)
    hits = (
        pl.scan_csv(source, schema_overrides=strings)
        .filter(
            pl.col("item").is_in(["2", "21"])
            & pl.col("status").is_in(["pending", "error"])
            & (pl.col("requested").str.to_datetime("%Y-%m-%d %H:%M:%S") < datetime(2018, 7, 1))
        )
        .with_columns(action=pl.lit("withdraw-and-reissue"), due=pl.lit("2018-07-02"))
        .collect()
    )
    hits.write_csv(target)


def run_polars_read(source: Path, target: Path) -> None:
    """Filter with polars, eagerly: read_csv (dates parsed as read), filter, write_csv."""
    pl = importlib.import_module("polars")

    strings = dict.fromkeys(("query_id", "querier", "provider", "item", "status"), pl.Utf8)
    frame = pl.read_csv(source, schema_overrides=strings, try_parse_dates=True)
    hits = frame.filter(
        pl.col("item").is_in(["2", "21"])
        & pl.col("status").is_in(["pending", "error"])
        & (pl.col("requested") < datetime(2018, 7, 1))
    ).with_columns(action=pl.lit("withdraw-and-reissue"), due=pl.lit("2018-07-02"))
    hits.write_csv(target)


def run_read_split(source: Path, target: Path) -> None:
    """Read the file as cutover's triage does, a block of rows split into columns at a time
    (`CsvFile.blocks`), and do nothing with the rows: the floor under any triage in Python."""
    from cutover.inputs.csvfile import CsvFile
    from cutover.triage import QUERY_COLUMNS

    rows = 0
    for block in CsvFile(source, columns=QUERY_COLUMNS, required=tuple(QUERY_COLUMNS)).blocks():
        rows += len(block) if not isinstance(block, Exception) else 1
    target.write_text(f"{rows}\n", encoding="utf-8")


def run_cutover_command(source: Path, target: Path) -> None:
    """Triage with the command a coordinator types (``--only cutover-cli``, not run by
    default): ``cutover triage 2018-07 … --format csv -o TARGET``, which also loads the
    calendar and its timeline (networkx, holidays) before reading a row. It runs through the
    ``cutover`` command's own entry point (`cutover.__main__.run`), its way out included."""
    from cutover.__main__ import run as cutover_command

    argv = ["triage", "2018-07", "--queries", str(source), "--as-of", AS_OF.isoformat()]
    code: object = 0
    with Path(os.devnull).open("w", encoding="utf-8") as quiet:  # its repeated-id warnings
        saved = sys.stderr, sys.argv
        sys.stderr, sys.argv = quiet, ["cutover", *argv, "--format", "csv", "-o", str(target)]
        try:
            cutover_command()
        except SystemExit as end:
            code = end.code
        finally:
            sys.stderr, sys.argv = saved
    if code not in (0, None):
        msg = f"cutover triage exited with {code}"
        raise RuntimeError(msg)


RUNNERS = {
    "cutover": run_cutover,
    "cutover-cli": run_cutover_command,
    "pandas": run_pandas,
    "polars": run_polars,
    "polars-read": run_polars_read,
    "read-split": run_read_split,
}


# --- measuring ------------------------------------------------------------------------------


def peak_kib() -> int:
    """Return this process's peak resident memory in KiB: since it started its program.

    Not `ru_maxrss`: Linux carries a process's peak over `execve`, so a child started by
    this (larger) benchmark process would report the benchmark's own peak. `VmHWM` is the
    peak of the running program alone.
    """
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def run(peer: str, source: Path, target: Path) -> None:
    """Run one contender in this process; note its peak memory."""
    RUNNERS[peer](source, target)
    Path(f"{target}.peak.json").write_text(json.dumps(peak_kib()), encoding="utf-8")


def measure(peer: str, source: Path, target: Path) -> tuple[float, float, float]:
    """Return the wall time (s), CPU time (s) and peak memory (MB) of one run of `peer`.

    CPU time counts every thread of the run (polars uses both cores).
    """
    command = [sys.executable, __file__, "--run", peer, str(source), str(target)]
    warm(source)
    started = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        msg = f"{peer} failed with exit code {child.returncode}"
        raise RuntimeError(msg)
    cpu = usage.ru_utime + usage.ru_stime
    peak = json.loads(Path(f"{target}.peak.json").read_text(encoding="utf-8"))
    return elapsed, cpu, peak / 1024


def warm(path: Path) -> None:
    """Read the whole file, so that every run starts with it in the page cache.

    The kernel may reclaim a file's cached pages between runs (this VM runs DAMON-based
    reclaim): without this, a run would sometimes time the disk, and not the tool.
    """
    with path.open("rb") as f:
        while f.read(1 << 24):
            pass


def query_ids(path: Path) -> list[str]:
    """Return the query ids of an output CSV, in order: its first column, whatever its
    header's language (`cutover triage -o` starts with a BOM; its header is Japanese by
    default, 照会番号)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        next(rows, None)
        return [row[0] for row in rows]


def available(peer: str) -> bool:
    """Return True when the peer's library can be imported."""
    if peer.startswith("cutover") or peer in FLOORS:
        return True
    module = peer.split("-")[0]
    probe = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, check=False
    )
    return probe.returncode == 0


def machine() -> str:
    """Return one line saying where the figures were measured."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{now}; python {platform.python_version()}; {cores} cores ({platform.machine()}, "
        f"{platform.system()} {platform.release()}); load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )


def spread(values: list[float], unit: str, digits: int = 2) -> str:
    """Return the median of `values` and their range: ``1.23 s (1.20–1.31)``."""
    return (
        f"{statistics.median(values):.{digits}f} {unit} "
        f"({min(values):.{digits}f}–{max(values):.{digits}f})"
    )


def main() -> None:
    """Generate the file, run every contender, check their outputs agree, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=list(RUNNERS), action="append")
    parser.add_argument(
        "--run", nargs=3, metavar=("PEER", "SOURCE", "TARGET"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.run:
        peer, source, target = args.run
        run(peer, Path(source), Path(target))
        return

    compile_cutover()
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as tmp:
        source = Path(tmp) / "queries.csv"
        started = time.perf_counter()
        generate(source, args.rows)
        size = source.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size:.0f} MB) in {time.perf_counter() - started:.1f} s"
        )
        print(machine())
        print(f"as of {AS_OF}; {args.repeat} runs each, interleaved")
        peers = [p for p in args.only or PEERS if available(p)]
        for peer in sorted(set(args.only or PEERS) - set(peers)):
            print(f"{peer}: not installed, skipped")
        runs: dict[str, list[tuple[float, float, float]]] = {peer: [] for peer in peers}
        # Rounds interleave the contenders, so that each sees the same load on the machine.
        for _ in range(args.repeat):
            for peer in peers:
                runs[peer].append(measure(peer, source, Path(tmp) / f"{peer}.csv"))
        outputs = {
            peer: query_ids(Path(tmp) / f"{peer}.csv") for peer in peers if peer not in FLOORS
        }
        for peer in peers:
            print(f"{peer}: " + ", ".join(f"{w:.2f} s ({c:.2f} s CPU)" for w, c, *_ in runs[peer]))
        reference = outputs.get("cutover", outputs.get("cutover-cli"))
        for peer, ids in outputs.items():
            if reference is not None and ids != reference:
                msg = f"{peer} wrote {len(ids)} rows, cutover {len(reference)}: outputs differ"
                raise SystemExit(msg)
        rows = len(next(iter(outputs.values()), []))
        print(f"\nrows to act on: {rows:,} (identical in every output)\n")
        print("| tool | wall time, median (range) | CPU time, median (range) | peak memory |")
        print("|---|---:|---:|---:|")
        walls = {peer: statistics.median(w for w, *_ in runs[peer]) for peer in peers}
        peaks = {peer: max(m for *_, m in runs[peer]) for peer in peers}
        for peer in peers:
            wall = spread([w for w, *_ in runs[peer]], "s")
            cpu = spread([c for _, c, _ in runs[peer]], "s")
            print(f"| {peer} | {wall} | {cpu} | {peaks[peer]:.0f} MB |")
        print()
        for ours in ("cutover", "cutover-cli"):
            if ours not in walls:
                continue
            for peer in peers:
                if peer.startswith("cutover"):
                    continue
                ratio = walls[ours] / walls[peer]
                # Within a round the two ran a few seconds apart, under the same load.
                rounds = [
                    mine[0] / theirs[0] for mine, theirs in zip(runs[ours], runs[peer], strict=True)
                ]
                memory = f"; peak memory {peaks[ours] / peaks[peer]:.2f}×"
                print(
                    f"{ours} / {peer}: {ratio:.2f} (median wall times); "
                    f"round by round {spread(rounds, '×')}" + ("" if peer in FLOORS else memory)
                )


if __name__ == "__main__":
    main()
