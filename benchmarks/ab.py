"""Compare shell commands in interleaved rounds: the same work from two trees, or two ways.

Each round runs every command once, in turn, each in a fresh process, after reading the
`--warm` files into the page cache; the table gives each command's median wall and CPU
time (user + system of the process and its children) and its fastest run. Interleaving
spreads a shared machine's load over every command alike, where runs one after the other
would give it to whichever ran while others worked: read CPU time when the load is high.

    git worktree add --detach /tmp/old HEAD~3
    python benchmarks/ab.py --rounds 3 --warm /tmp/q2m.csv \\
      'cd /tmp/old && PYTHONPATH=$PWD python -m cutover triage 2018-07 --queries /tmp/q2m.csv \\
         --as-of 2018-07-02 -o /tmp/a.xlsx' \\
      'PYTHONPATH=$PWD python -m cutover triage 2018-07 --queries /tmp/q2m.csv \\
         --as-of 2018-07-02 -o /tmp/b.xlsx'
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path


def _warm(paths: list[Path]) -> None:
    """Read `paths` whole, so that no command pays for reading them from disk."""
    for path in paths:
        with path.open("rb") as stream:
            while stream.read(1 << 24):
                pass


def _run(command: str) -> tuple[float, float]:
    """Run `command` in a shell; return its wall time and CPU time, in seconds."""
    start = time.perf_counter()
    process = subprocess.Popen(command, shell=True, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        msg = f"failed: {command}"
        raise SystemExit(msg)
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commands", nargs="+", help="shell commands, each run once a round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warm", type=Path, action="append", default=[])
    args = parser.parse_args()
    times: dict[str, list[tuple[float, float]]] = {c: [] for c in args.commands}
    for _ in range(args.rounds):
        for command in args.commands:
            _warm(args.warm)
            times[command].append(_run(command))
    print("| command | wall, median (fastest) | CPU, median |")
    print("|---|---:|---:|")
    for command, runs in times.items():
        walls = [wall for wall, _ in runs]
        cpu = statistics.median(c for _, c in runs)
        wall = statistics.median(walls)
        print(f"| `{command}` | {wall:.2f} s ({min(walls):.2f}) | {cpu:.2f} s |")


if __name__ == "__main__":
    main()
