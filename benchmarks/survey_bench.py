"""Benchmark: the workbooks of the national registry (47 + 1,741 + 38 agencies).

Writes the national inputs (`benchmarks/national.py`, no queries) and times each command in a
fresh process, ``--repeat`` runs each, printing the median and the spread:

- ``survey make``: 1,826 survey workbooks (target: well under a minute);
- ``summary -o summary.xlsx``: the coordinator's workbook (summary, readiness matrix of
  29,216 rows, agencies to chase);
- ``plan -o plan.xlsx``: one row per agency and task;
- ``plan -o plan.csv``: the same table as CSV, for comparison;
- the round trip: every survey workbook filled in with the national readiness (openpyxl, as
  a person's Excel would save it: statuses by their Japanese names, planned dates as date
  cells), then ``survey merge`` of the 1,826 workbooks, timed; the merged readiness.csv
  must hold exactly the rows of the national readiness.csv (checked, or the run fails).

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

from installed import compile_cutover
from national import AS_OF, CALENDAR, write_national


def _cutover() -> list[str]:
    return [sys.executable, "-m", "cutover"]


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out-dir", default=None, help="where to write (default: system temp)")
    args = parser.parse_args()
    compile_cutover()
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
        round_trip(files, Path(work), args.repeat)
        print(
            f"\nsurvey folder: {size / 1e6:.1f} MB; load average at end: {os.getloadavg()[0]:.1f}"
        )


def round_trip(files: Path, work: Path, repeat: int) -> None:
    """Fill every survey workbook with the national readiness, merge them back, time the
    merge and check that every row came back as it was."""
    import csv
    import datetime as dt

    from openpyxl import load_workbook

    from cutover.jp.vocabulary import SYSTEMS, Side, Status

    system_of = {s.ja: s.id for s in SYSTEMS}
    # (The workbook writes a side as 提供/照会, the readers' short Japanese names.)
    side_of = {side.label("ja").removeprefix("情報"): side.value for side in Side}
    status_ja = {s.value: s.ja for s in Status}
    with (files / "readiness.csv").open(encoding="utf-8-sig") as stream:
        rows = {(r["code"], r["system"], r["side"]): r for r in csv.DictReader(stream)}
    survey = work / "survey"
    start = time.perf_counter()
    for path in sorted(survey.glob("*.xlsx")):
        book = load_workbook(path)
        sheet = book["改修状況"]
        for row in range(6, sheet.max_row + 1):
            key = (
                path.stem,
                system_of[str(sheet.cell(row, 2).value)],
                side_of[str(sheet.cell(row, 3).value)],
            )
            found = rows[key]
            sheet.cell(row, 4).value = status_ja[found["status"]]
            if found["planned"]:
                sheet.cell(row, 5).value = dt.date.fromisoformat(found["planned"])
        book.save(path)
    filled = time.perf_counter() - start
    merged = work / "merged"
    command = [*_cutover(), "survey", "merge", CALENDAR, "--agencies", str(files / "agencies.csv")]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [*command, str(survey), "--out", str(merged)], check=True, capture_output=True
        )
        times.append(time.perf_counter() - start)
    with (merged / "readiness.csv").open(encoding="utf-8-sig") as stream:
        back = {(r["code"], r["system"], r["side"]): r for r in csv.DictReader(stream)}
    if back != rows:
        missing, extra = rows.keys() - back.keys(), back.keys() - rows.keys()
        changed = [k for k in rows.keys() & back.keys() if rows[k] != back[k]]
        msg = (
            f"round trip lost rows: {len(missing)} missing, {len(extra)} extra, "
            f"{len(changed)} changed"
        )
        raise SystemExit(msg)
    spread = f"{min(times):.2f}–{max(times):.2f} s"
    print(f"\nround trip: filled {len(list(survey.glob('*.xlsx')))} workbooks in {filled:.1f} s;")
    print("| command | median | spread | runs |")
    print("|---|---:|---|---:|")
    median = statistics.median(times)
    print(f"| `survey merge` (1,826 workbooks) | {median:.2f} s | {spread} | {len(times)} |")
    print(f"merged readiness.csv: {len(back):,} rows, every one as in the national readiness.csv")


if __name__ == "__main__":
    main()
