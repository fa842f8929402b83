"""Benchmark: this checkout against an earlier revision, side by side, in one run.

A change must not slow the national checklists run or triage by more than a few percent
(docs/performance.md). This runs the same commands from two source trees — the checkout
and a git revision checked out into a temporary worktree (its C row pass built in place
when it has one, with Python's own compiler flags) — in interleaved rounds, so that both
see the same load, and prints each median, the spread and the ratio. Outputs must be
byte-identical (checked), else the comparison says nothing.

    python benchmarks/national.py /tmp/national --queries 0      # the national inputs
    python benchmarks/revisions.py BASE [--rounds 11] [--national /tmp/national] [--rows N]

The national run writes to tmpfs (``/dev/shm``) where there is one: creating 1,827 files
on a disk varies more than the code does.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def worktree(revision: str, into: Path) -> Path:
    """Check `revision` out into `into` and build its C row pass there, if it has one."""
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(into), revision],
        check=True,
    )
    source = into / "cutover" / "_scan.c"
    if source.is_file():
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        command = [
            *shlex.split(sysconfig.get_config_var("LDSHARED")),
            *shlex.split(sysconfig.get_config_var("CFLAGS")),
            *shlex.split(sysconfig.get_config_var("CCSHARED")),
            f"-I{sysconfig.get_paths()['include']}",
            str(source),
            "-o",
            str(into / "cutover" / f"_scan{suffix}"),
        ]
        subprocess.run(command, check=True)
    return into


def commands(national: Path, queries: Path, out: Path) -> dict[str, list[str]]:
    """Return the commands to compare, by name; `out` is where they write."""
    return {
        "checklists (national)": [
            "checklists", "2018-07",
            "--agencies", str(national / "agencies.csv"),
            "--readiness", str(national / "readiness.csv"),
            "--evidence", str(national / "evidence.csv"),
            "--as-of", "2018-06-20", "--out", str(out / "checklists"),
        ],
        "triage": [
            "triage", "2018-07", "--queries", str(queries), "--as-of", "2018-07-02",
            "--format", "csv", "-o", str(out / "triage.csv"),
        ],
    }  # fmt: skip


def run(tree: Path, args: list[str]) -> float:
    """Return the wall time of ``python -m cutover ARGS`` with the package from `tree`."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cutover", *args], env=env, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        msg = f"cutover {' '.join(args)} exited {done.returncode}: {done.stderr[-500:]!r}"
        raise SystemExit(msg)
    return elapsed


def same_outputs(a: Path, b: Path) -> bool:
    """Return True when the folders `a` and `b` hold the same files, byte for byte."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)


def main() -> None:
    """Run the comparison and print its table."""
    from triage_bench import generate

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the git revision to compare with (e.g. HEAD~5, a tag)")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--national", type=Path, default=Path(tempfile.gettempdir(), "national"))
    parser.add_argument("--rows", type=int, default=2_000_000, help="queries for triage")
    args = parser.parse_args()
    if not (args.national / "agencies.csv").is_file():
        raise SystemExit(f"no {args.national}/agencies.csv: run benchmarks/national.py first")
    scratch = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix="cutover-revisions-") as tmp:
        work = Path(tmp)
        queries = work / "queries.csv"
        generate(queries, args.rows)
        base = worktree(args.base, work / "base")
        trees = {"base": base, "this": ROOT}
        outs = {
            name: Path(tempfile.mkdtemp(prefix=f"cutover-{name}-", dir=scratch)) for name in trees
        }
        try:
            times: dict[tuple[str, str], list[float]] = {}
            for _ in range(args.rounds):
                for name, tree in trees.items():
                    for label, argv in commands(args.national, queries, outs[name]).items():
                        shutil.rmtree(outs[name] / "checklists", ignore_errors=True)
                        times.setdefault((label, name), []).append(run(tree, argv))
            identical = same_outputs(outs["base"], outs["this"])
        finally:
            for out in outs.values():
                shutil.rmtree(out, ignore_errors=True)
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False
            )
    print(f"base {args.base}; {args.rounds} rounds, interleaved; load {os.getloadavg()[0]:.2f}")
    print(f"outputs identical: {identical}\n")
    print("| command | base: median (range) | this: median (range) | this / base |")
    print("|---|---:|---:|---:|")
    for label in commands(args.national, queries, Path()):
        a, b = times[(label, "base")], times[(label, "this")]
        ratio = statistics.median(b) / statistics.median(a)
        print(
            f"| {label} | {statistics.median(a):.3f} s ({min(a):.2f}–{max(a):.2f}) "
            f"| {statistics.median(b):.3f} s ({min(b):.2f}–{max(b):.2f}) | {ratio:.3f} |"
        )
    if not identical:
        raise SystemExit("the outputs differ: the times compare different work")


if __name__ == "__main__":
    main()
