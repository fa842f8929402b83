"""Benchmark: the workbooks of the national registry (47 + 1,741 + 38 agencies).

Writes the national inputs (`benchmarks/national.py`, no queries) and times each command in a
fresh process, ``--repeat`` runs each, printing the median and the spread:

- ``survey make``: 1,826 survey workbooks (target: well under a minute);
- ``summary -o summary.xlsx``: the coordinator's workbook (summary, readiness matrix of
  29,216 rows, agencies to chase);
- ``plan -o plan.xlsx``: one row per agency and task;
- ``plan -o plan.csv``: the same table as CSV, for comparison.

    python benchmarks/survey_bench.py
    python benchmarks/survey_bench.py --repeat 5 --out-dir /dev/shm
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national import AS_OF, CALENDAR, write_national


def _cutover() -> list[str]:
    return [sys.executable, "-m", "cutover"]


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out-dir", default=None, help="where to write (default: system temp)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.out_dir) as work:
        files = Path(work) / "national"
        write_national(files, queries=0)
        registry = [
            "--agencies",
            str(files / "agencies.csv"),
            "--as-of",
            AS_OF.isoformat(),
        ]
        reported = [
            *registry,
            "--readiness",
            str(files / "readiness.csv"),
            "--evidence",
            str(files / "evidence.csv"),
        ]
        commands = {
            "survey make (1,826 workbooks)": [
                "survey",
                "make",
                CALENDAR,
                *registry,
                "--out",
                str(Path(work) / "survey"),
            ],
            "summary -o summary.xlsx": [
                "summary",
                CALENDAR,
                *reported,
                "-o",
                str(Path(work) / "summary.xlsx"),
            ],
            "plan -o plan.xlsx": ["plan", CALENDAR, *reported, "-o", str(Path(work) / "p.xlsx")],
            "plan -o plan.csv": ["plan", CALENDAR, *reported, "-o", str(Path(work) / "p.csv")],
        }
        print(f"load average at start: {os.getloadavg()[0]:.1f}")
        print("| command | median | spread | runs |")
        print("|---|---:|---|---:|")
        for name, command in commands.items():
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                subprocess.run([*_cutover(), *command], check=True, capture_output=True)
                times.append(time.perf_counter() - start)
            spread = f"{min(times):.2f}–{max(times):.2f} s"
            print(f"| `{name}` | {statistics.median(times):.2f} s | {spread} | {len(times)} |")
        size = sum(p.stat().st_size for p in (Path(work) / "survey").iterdir())
        print(
            f"\nsurvey folder: {size / 1e6:.1f} MB; load average at end: {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
