"""Benchmark: triage's peak memory by output format, on the logs that stress it.

Three inputs, generated deterministically (seed 2018):

- ``mixed``: `triage_bench.generate`'s realistic log (2,000,000 rows; 45,186 to act on as of
  2018-07-02);
- ``all-to-act``: every row an open request for item 2 or 21 received in June 2018
  (400,000 rows, all to withdraw and re-issue as of 2018-07-02, or to answer by the cutoff
  as of 2018-06-29): the Markdown report's agency lists at their longest;
- ``doubled``: ``all-to-act`` at half the rows, concatenated to itself (every query id on two
  lines): the duplicate check at its busiest.

Each run is a fresh process: the library call (`write_triage`) or the command (``cutover
triage``, with its calendar loading). It prints, per run, the rows to act on, the duplicated
ids, the peak resident memory of the process (`VmHWM`: see `triage_bench.peak_kib`) and the
run's time inside its process (imports included, interpreter start not).

    python benchmarks/triage_memory.py                    # every input, format and path
    python benchmarks/triage_memory.py --only all-to-act --formats md
    python benchmarks/triage_memory.py --scale 0.1        # a tenth of the rows, to try it
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 2018
INPUTS = ("mixed", "all-to-act", "doubled")
FORMATS = ("csv", "json", "md")
PATHS = ("library", "command")
RULE_DATES = {
    "last_provision": date(2018, 6, 30),
    "answer_by": date(2018, 6, 29),
    "effective": date(2018, 7, 1),
    "reissue_from": date(2018, 7, 2),
}


def all_to_act(path: Path, rows: int, *, copies: int = 1) -> None:
    """Write `rows` open requests for items 2 and 21 received in June 2018, `copies` times."""
    from cutover.jp.codes import official_codes

    codes = [e.code for e in official_codes()]
    start = datetime(2018, 6, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("query_id,querier,provider,item,requested,status\n")
        for _ in range(copies):
            rng = random.Random(SEED)  # (the same rows again)
            for n in range(rows):
                moment = start + timedelta(seconds=rng.randrange(30 * 86400))
                out.write(
                    f"Q{n:09d},{rng.choice(codes)},{rng.choice(codes)},{rng.choice((2, 21))},"
                    f"{moment:%Y-%m-%d %H:%M:%S},{rng.choice(('pending', 'error', '未提供'))}\n"
                )


def generate(kind: str, path: Path, scale: float) -> None:
    """Write the input `kind` at `scale` of its rows."""
    if kind == "mixed":
        sys.path.insert(0, str(HERE))
        from triage_bench import generate as mixed

        mixed(path, int(2_000_000 * scale))
    elif kind == "all-to-act":
        all_to_act(path, int(400_000 * scale))
    else:
        all_to_act(path, int(400_000 * scale), copies=2)


def peak_kib() -> int:
    """Return this process's peak resident memory in KiB (see `triage_bench.peak_kib`)."""
    sys.path.insert(0, str(HERE))
    from triage_bench import peak_kib as peak

    return peak()


def run(route: str, fmt: str, source: Path, as_of: date, target: Path) -> None:
    """One run in this process (``--run``): print what it found and its peaks, as JSON."""
    started = time.perf_counter()
    if route == "library":
        from cutover.render.triage import write_triage
        from cutover.triage import CutoffRule

        rule = CutoffRule(items=frozenset({2, 21}), **RULE_DATES)
        with target.open("w", encoding="utf-8", newline="") as out:
            report = write_triage(source, rule, as_of, out, fmt=fmt, calendar="2018-07")
            with report:
                counts, duplicates = report.counts, len(report.duplicates)
        acted = counts.provide_by_cutoff + counts.withdraw_and_reissue
    else:
        from cutover.cli.main import main

        argv = ["triage", "2018-07", "--queries", str(source), "--as-of", as_of.isoformat()]
        with Path(os.devnull).open("w", encoding="utf-8") as quiet:
            saved, sys.stderr = sys.stderr, quiet  # (its warnings, one per duplicated id)
            try:
                code = main([*argv, "--format", fmt, "-o", str(target)])
            finally:
                sys.stderr = saved
        if code != 0:
            raise SystemExit(f"cutover triage exited with {code}")
        acted = duplicates = -1  # (the command's own summary went to stderr)
    print(
        json.dumps(
            {
                "acted": acted,
                "duplicates": duplicates,
                "seconds": time.perf_counter() - started,
                "peak": peak_kib() / 1024,
            }
        )
    )


def measure(route: str, fmt: str, source: Path, as_of: date, target: Path) -> dict[str, Any]:
    """Run once in a fresh process; return what it printed."""
    command = [sys.executable, __file__, "--run", route, fmt, str(source), as_of.isoformat()]
    done = subprocess.run([*command, str(target)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{route} {fmt} {source.name} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Generate the inputs, run each format and path on each, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=INPUTS, action="append")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--paths", nargs="+", choices=PATHS, default=list(PATHS))
    parser.add_argument("--scale", type=float, default=1.0, help="a share of the rows")
    parser.add_argument("--run", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        route, fmt, source, as_of, target = args.run
        run(route, fmt, Path(source), date.fromisoformat(as_of), Path(target))
        return
    print(
        "| input | as of | format | path | rows to act on | duplicated ids | wall | peak memory |"
    )
    print("|---|---|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="triage-memory-") as tmp:
        for kind in args.only or INPUTS:
            source = Path(tmp) / f"{kind}.csv"
            generate(kind, source, args.scale)
            days = [date(2018, 7, 2)] + ([date(2018, 6, 29)] if kind == "all-to-act" else [])
            for as_of in days:
                for fmt in args.formats:
                    found: dict[str, Any] = {}
                    for route in args.paths:
                        r = measure(route, fmt, source, as_of, Path(tmp) / f"out.{fmt}")
                        if route == "library":
                            found = r
                        peak = f"{r['peak']:.0f} MB"
                        acted = f"{found['acted']:,.0f}" if found else ""
                        dups = f"{found['duplicates']:,.0f}" if found else ""
                        print(
                            f"| {kind} | {as_of} | {fmt} | {route} | {acted} | {dups} "
                            f"| {r['seconds']:.1f} s | {peak} |",
                            flush=True,
                        )
            source.unlink()


if __name__ == "__main__":
    main()
