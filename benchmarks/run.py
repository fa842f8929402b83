"""Measure cutover at national scale against its targets (docs/performance.md).

Each measurement runs several times in fresh processes; the table gives the median, the
spread (min–max), the target and the ratio to it, and ratios between runs where they say
more than seconds (×10 agencies against ×1, cutover against polars and pandas, the
interpreter with and without ``import cutover``).

- start-up: ``python -c pass``, ``import cutover``, ``cutover --help`` (the console script)
  and ``python -m cutover --help``, median of 10; which heavy modules ``--help`` imports;
- checklists: ``cutover checklists`` for the whole country (47 + 1,741 + 38 agencies,
  ``benchmarks/national.py``) through the command line, and the library's stages
  (timeline, registry, plan, views, templates, index, files) in a fresh process each run;
  written to the system's temporary directory and to tmpfs (``/dev/shm``), each beside the
  time the file system alone takes to create that many files;
- summary: ``cutover summary`` for the whole country;
- linearity: the same at ten times the agencies (18,260): the ratio must stay ≤ 10; the
  library's stages also with the cyclic garbage collector off, to tell it from the code;
- triage: ``benchmarks/triage_bench.py`` (2,000,000 rows, cutover beside pandas and polars);
- ``--hostile``: large and strange files — a 200 MB queries file, a 100,000-row agencies
  file, the largest registry codes allow, a calendar of 5,000 events and one over the
  1 MiB limit, a TOML string of 150,000 characters, NUL bytes and mixed line endings:
  exit code, time, peak memory and message;
- ``--profile``: cProfile of the national checklists' library stages, by function.

    python benchmarks/run.py                  # everything but --hostile (about 12 minutes)
    python benchmarks/run.py --quick          # 3 runs, 200,000 queries (about 4 minutes)
    python benchmarks/run.py --only startup --only checklists
    python benchmarks/run.py --hostile --only hostile    # about 8 minutes
    python benchmarks/run.py --profile --only checklists
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from installed import compile_cutover
from national import AS_OF, CALENDAR, NationalFiles, read_national

HERE = Path(__file__).resolve().parent
SECTIONS = ("startup", "checklists", "summary", "linearity", "triage", "hostile")
#: Modules `cutover --help` must not import (DESIGN.md §4: lean start-up).
HEAVY = ("networkx", "jinja2", "holidays", "tabulate", "dateutil", "attr", "attrs", "tomllib")

# --- running and timing -------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One finished subprocess: wall and CPU time, peak memory, exit code and output."""

    wall: float
    cpu: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


#: GNU time, to read a child's peak memory: see `run`.
GNU_TIME = Path("/usr/bin/time")


def run(command: Sequence[str], *, check: bool = True, memory: bool = True) -> Run:
    """Run `command` to completion and return its times and peak memory (its own, not ours).

    A child forked from this process starts with this process's resident pages, and
    ``ru_maxrss`` counts them: the peak is read through GNU time when it is installed (a
    small process to fork from), else from ``os.wait4`` (then at least this process's size).
    With `memory` False, the command runs directly (start-up times, to the millisecond).
    """
    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss,
    ):
        wrapped = list(command)
        if memory and GNU_TIME.exists():
            wrapped = [str(GNU_TIME), "-f", "%M", "-o", rss.name, *wrapped]
        started = time.perf_counter()
        child = subprocess.Popen(wrapped, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        peak_kb = float(usage.ru_maxrss)  # KiB on Linux
        # GNU time writes "Command exited with non-zero status N" first when it is not 0.
        last = rss.read().strip().rsplit("\n", 1)[-1]
        if last.isdigit():
            peak_kb = float(last)
        out.seek(0)
        err.seek(0)
        result = Run(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            peak_mb=peak_kb / 1024,
            returncode=child.returncode,
            stdout=out.read(),
            stderr=err.read(),
        )
    if check and result.returncode not in (0, 3):
        msg = f"{' '.join(command)} exited {result.returncode}:\n{result.stderr[-2000:]}"
        raise SystemExit(msg)
    return result


def cutover_command() -> list[str]:
    """Return the console script `cutover` installed beside this interpreter."""
    script = Path(sys.executable).with_name("cutover")
    found = str(script) if script.exists() else shutil.which("cutover")
    if found is None:
        msg = "the cutover console script is not installed: pip install -e ."
        raise SystemExit(msg)
    return [found]


@dataclass
class Row:
    """One line of the results table: a measurement's runs, target and ratios."""

    name: str
    runs: list[float]
    unit: str = "s"
    #: the target, and how it is met: "max" (at most), "under" (strictly less)
    target: float | None = None
    target_kind: str = "max"
    note: str = ""
    command: str = ""

    @property
    def median(self) -> float:
        """Return the median of the runs."""
        return statistics.median(self.runs)

    def verdict(self) -> str:
        """Return ✓ or ✗ against the target, or "" without one."""
        if self.target is None:
            return ""
        met = (
            self.median < self.target if self.target_kind == "under" else self.median <= self.target
        )
        return "✓" if met else "✗ MISS"


@dataclass
class Results:
    """Every row measured, printed together at the end as a Markdown table."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        """Add `row`, print it at once, and return it."""
        self.rows.append(row)
        print(f"  {_line(row)}", flush=True)
        return row

    def table(self) -> str:
        """Return the table of all rows."""
        lines = [
            "| measurement | median | spread (min–max) | runs | target | median / target | |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for row in self.rows:
            lines.append("| " + " | ".join(_cells(row)) + " |")
        return "\n".join(lines)


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.2f}{unit}"


def _cells(row: Row) -> list[str]:
    spread = f"{_fmt(min(row.runs), row.unit)} – {_fmt(max(row.runs), row.unit)}"
    target = ""
    ratio = ""
    if row.target is not None:
        sign = "<" if row.target_kind == "under" else "≤"
        target = f"{sign} {_fmt(row.target, row.unit)}"
        ratio = f"{row.median / row.target:.2f}"
    verdict = " ".join(x for x in (row.verdict(), row.note) if x)
    return [
        row.name,
        _fmt(row.median, row.unit),
        spread,
        str(len(row.runs)),
        target,
        ratio,
        verdict,
    ]


def _line(row: Row) -> str:
    name, median, spread, n, target, ratio, verdict = _cells(row)
    text = f"{name}: {median} (spread {spread}, {n} runs)"
    if target:
        text += f"; target {target}, ratio {ratio} {verdict}"
    elif verdict:
        text += f"; {verdict}"
    return text


def ratio_row(name: str, numerators: Sequence[float], denominators: Sequence[float]) -> Row:
    """Return a row of ratios, run by run (the i-th numerator over the i-th denominator)."""
    ratios = [a / b for a, b in zip(numerators, denominators, strict=False)]
    return Row(name, ratios, unit="×")


# --- start-up -----------------------------------------------------------------------------


def measure_startup(results: Results, repeat: int) -> None:
    """Time the interpreter, ``import cutover`` and ``--help``; list heavy modules imported."""
    print(f"start-up (median of {repeat})", flush=True)
    python = sys.executable
    commands = {
        "python -c pass (the interpreter alone)": [python, "-c", "pass"],
        "python -c 'import cutover'": [python, "-c", "import cutover"],
        "cutover --help (console script)": [*cutover_command(), "--help"],
        "python -m cutover --help": [python, "-m", "cutover", "--help"],
    }
    # What a shell runs may be a wrapper (a pyenv shim) in front of the console script.
    on_path = shutil.which("cutover")
    shim = on_path is not None and Path(on_path).resolve() != Path(cutover_command()[0]).resolve()
    if shim:
        commands[f"cutover --help as found on PATH ({on_path})"] = [str(on_path), "--help"]
    walls: dict[str, list[float]] = {name: [] for name in commands}
    # Interleaved, so that a busy moment slows every command alike.
    for _ in range(repeat):
        for name, command in commands.items():
            walls[name].append(run(command, memory=False).wall)
    bare = walls["python -c pass (the interpreter alone)"]
    results.add(Row("python -c pass (the interpreter alone)", bare))
    imported = walls["python -c 'import cutover'"]
    results.add(Row("python -c 'import cutover'", imported))
    results.add(ratio_row("import cutover / bare interpreter", imported, bare))
    for name in list(commands)[2:]:
        results.add(Row(name, walls[name], target=0.3, target_kind="under"))
    probe = (
        "import sys, contextlib, io\n"
        "from cutover.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        f"heavy = {HEAVY!r}\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))))\n"
    )
    loaded = run([python, "-c", probe]).stdout.split()
    results.notes.append(
        "modules `cutover --help` imports among "
        + ", ".join(HEAVY)
        + ": "
        + (", ".join(loaded) if loaded else "none")
    )
    print(f"  {results.notes[-1]}")
    importtime = run([python, "-X", "importtime", "-m", "cutover", "--help"]).stderr
    top = _importtime_top(importtime, 6)
    results.notes.append("slowest imports of `python -m cutover --help` (self time): " + top)
    print(f"  {results.notes[-1]}")


def _importtime_top(report: str, n: int) -> str:
    """Return the `n` modules with the largest self import time in a -X importtime report."""
    found: list[tuple[int, str]] = []
    for line in report.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s+(.*)", line)
        if match:
            found.append((int(match.group(1)), match.group(2).strip()))
    found.sort(reverse=True)
    return ", ".join(f"{name} {us / 1000:.1f} ms" for us, name in found[:n])


# --- checklists, summary, linearity -------------------------------------------------------


def _registry_args(files: NationalFiles) -> list[str]:
    return [
        "--agencies",
        str(files.agencies),
        "--readiness",
        str(files.readiness),
        "--evidence",
        str(files.evidence),
        "--as-of",
        AS_OF.isoformat(),
    ]


def checklists_command(files: NationalFiles, out: Path) -> list[str]:
    """Return the command line that writes the checklists of `files` into `out`."""
    return [*cutover_command(), "checklists", CALENDAR, *_registry_args(files), "--out", str(out)]


#: Where outputs are written (--out-dir); None: the system's temporary directory.
OUT_BASE: Path | None = None
#: A RAM file system, to time the same runs without the disk.
TMPFS = Path("/dev/shm")


def time_checklists(
    files: NationalFiles, repeat: int, base: Path | None = None, sizes: Sequence[int] = ()
) -> tuple[list[Run], list[float]]:
    """Run `cutover checklists` `repeat` times, each into a fresh directory under `base`;
    with `sizes`, time the file system's floor (`filesystem_floor`) just before each run.

    Nothing written is deleted before the last run: on a file system mounted with
    ``discard`` (this VM's ext4), deleting 51 MB slows the next second's file creation by
    up to a second, which a run measured just after would pay (docs/performance.md)."""
    runs: list[Run] = []
    floors: list[float] = []
    with tempfile.TemporaryDirectory(prefix="cutover-checklists-", dir=base) as parent:
        for n in range(repeat):
            if sizes:
                floors.append(filesystem_floor(Path(parent) / f"floor-{n}", sizes))
            out = Path(parent) / f"run-{n}"
            runs.append(run(checklists_command(files, out)))
            written = len(list(out.glob("*.md")))
            if written != files.agency_rows + 1:
                msg = f"checklists wrote {written} files for {files.agency_rows} agencies"
                raise SystemExit(msg)
    return runs, floors


#: The library's stages of a checklists run, in order.
STAGES = ("import", "timeline", "registry", "plan", "views", "templates", "index", "files")


def library_stages(directory: Path, lang: str = "ja") -> dict[str, float]:
    """Return the wall time of each stage of a national checklists run (in this process)."""
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[stage] = now - clock
        clock = now

    from cutover.calendar.load import load_calendar
    from cutover.inputs.registry import load_registry
    from cutover.planning.planner import plan
    from cutover.planning.summary import summarize
    from cutover.render.checklist import CHECKLIST_TEMPLATE, ChecklistViews, TaskItems, render_page
    from cutover.render.checklists import INDEX_FILE
    from cutover.render.files import write_text
    from cutover.render.index import render_index
    from cutover.render.templating import load_template
    from cutover.schedule.timeline import build_timeline

    lap("import")
    timeline = build_timeline(load_calendar(CALENDAR))
    lap("timeline")
    registry = load_registry(
        directory / "agencies.csv", directory / "readiness.csv", [directory / "evidence.csv"]
    )
    lap("registry")
    the_plan = plan(timeline, registry, AS_OF)
    lap("plan")
    views = ChecklistViews(the_plan, "ja" if lang == "ja" else "en")
    pages = [views.page(a) for a in the_plan.agencies]
    lap("views")
    template = load_template(CHECKLIST_TEMPLATE)
    items = TaskItems("ja" if lang == "ja" else "en")
    texts = [render_page(template, page, items) for page in pages]
    lap("templates")
    index = render_index(the_plan, summarize(the_plan), lang=lang)
    lap("index")
    with tempfile.TemporaryDirectory(prefix="cutover-stages-", dir=OUT_BASE) as out:
        for agency_plan, text in zip(the_plan.agencies, texts, strict=True):
            write_text(Path(out) / f"{agency_plan.agency.code}.md", text)
        write_text(Path(out) / INDEX_FILE, index)
        lap("files")
    return times


def time_stages(directory: Path, repeat: int, *, collector: bool = True) -> list[dict[str, float]]:
    """Run the library stages `repeat` times, each in a fresh interpreter.

    With `collector` False, Python's cyclic garbage collector is off in those runs: the
    difference shows what the collector costs as the heap grows.
    """
    found = []
    for _ in range(repeat):
        command = [sys.executable, __file__, "--stages", str(directory)]
        if not collector:
            command.append("--no-collector")
        if OUT_BASE is not None:
            command += ["--out-dir", str(OUT_BASE)]
        out = run(command).stdout
        found.append(json.loads(out))
    return found


def _library_total(stages: dict[str, float]) -> float:
    return sum(v for k, v in stages.items() if k != "import")


def _checklist_sizes(files: NationalFiles) -> list[int]:
    """Return the sizes in bytes of the files `cutover checklists` writes for `files`."""
    # In RAM where there is a tmpfs: deleting 51 MB from a disk would slow the runs after.
    ram = TMPFS if TMPFS.is_dir() and os.access(TMPFS, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="cutover-sizes-", dir=ram) as out:
        run(checklists_command(files, Path(out)))
        return [p.stat().st_size for p in sorted(Path(out).glob("*.md"))]


def filesystem_floor(out: Path, sizes: Sequence[int]) -> float:
    """Return the time to create files of `sizes` in the new directory `out`.

    Plain open, write, close: what any program writing that many files pays on this file
    system, before cutover's own work (and before its atomic rename).
    """
    out.mkdir()
    started = time.perf_counter()
    for n, size in enumerate(sizes):
        with Path(out, f"{n}.md").open("wb") as f:
            f.write(b"x" * size)
    return time.perf_counter() - started


def measure_checklists(results: Results, national: NationalFiles, repeat: int) -> list[Run]:
    """Time the national checklists through the command line and the library's stages."""
    print(f"checklists: {national.agency_rows:,} agencies ({repeat} runs)", flush=True)
    base = OUT_BASE or Path(tempfile.gettempdir())
    sizes = _checklist_sizes(national)
    runs, floors = time_checklists(national, repeat, OUT_BASE, sizes)
    results.add(
        Row(
            f"cutover checklists, whole country ({national.agency_rows:,} agencies + index)",
            [r.wall for r in runs],
            target=2.0,
            note=f"written to {base}",
            command=" ".join(checklists_command(national, Path("OUT"))),
        )
    )
    results.add(Row("  CPU time (user + system)", [r.cpu for r in runs]))
    results.add(Row("  peak memory", [r.peak_mb for r in runs], unit="MB"))
    results.add(
        Row(f"  file system alone: create {len(sizes):,} files of those sizes in {base}", floors)
    )
    if TMPFS.is_dir() and os.access(TMPFS, os.W_OK) and base.resolve() != TMPFS:
        in_ram, ram_floors = time_checklists(national, repeat, TMPFS, sizes)
        results.add(
            Row(
                "cutover checklists, whole country, written to RAM (tmpfs)",
                [r.wall for r in in_ram],
                target=2.0,
                note=f"written to {TMPFS}",
            )
        )
        results.add(Row("  CPU time (user + system)", [r.cpu for r in in_ram]))
        results.add(
            Row(
                f"  file system alone: create {len(sizes):,} files in {TMPFS}",
                ram_floors,
            )
        )
    stages = time_stages(national.directory, repeat)
    for stage in STAGES:
        results.add(Row(f"  library: {stage}", [s[stage] for s in stages]))
    totals = [_library_total(s) for s in stages]
    results.add(Row("  library: all stages but import", totals))
    results.add(ratio_row("  command line / library stages", [r.wall for r in runs], totals))
    return runs


def measure_summary(
    results: Results, national: NationalFiles, repeat: int, checklists: Sequence[Run]
) -> None:
    """Time `cutover summary` for the whole country."""
    print(f"summary ({repeat} runs)", flush=True)
    with tempfile.TemporaryDirectory(prefix="cutover-summary-") as out:
        command = [
            *cutover_command(),
            "summary",
            CALENDAR,
            *_registry_args(national),
            "-o",
            str(Path(out) / "summary.md"),
        ]
        runs = [run(command) for _ in range(repeat)]
    results.add(
        Row(
            f"cutover summary, whole country ({national.agency_rows:,} agencies)",
            [r.wall for r in runs],
            command=" ".join(command),
        )
    )
    if checklists:
        results.add(
            ratio_row(
                "  summary / checklists (same inputs)",
                [r.wall for r in runs],
                [r.wall for r in checklists],
            )
        )


def measure_linearity(
    results: Results, national: NationalFiles, big: NationalFiles, base: list[Run], repeat: int
) -> None:
    """Compare ten times the agencies with the country: command line and library stages."""
    print(f"linearity: {big.agency_rows:,} agencies ({repeat} runs)", flush=True)
    runs, _ = time_checklists(big, repeat, OUT_BASE)
    results.add(
        Row(f"cutover checklists, ×10 ({big.agency_rows:,} agencies)", [r.wall for r in runs])
    )
    results.add(Row("  peak memory", [r.peak_mb for r in runs], unit="MB"))
    small = statistics.median(r.wall for r in base)
    results.add(
        Row(
            "  ×10 / ×1, command line",
            [r.wall / small for r in runs],
            unit="×",
            target=10.0,
        )
    )
    big_stages = time_stages(big.directory, repeat)
    small_stages = time_stages(national.directory, repeat)
    small_total = statistics.median(_library_total(s) for s in small_stages)
    results.add(
        Row(
            "  ×10 / ×1, library (all stages but import)",
            [_library_total(s) / small_total for s in big_stages],
            unit="×",
            target=10.0,
        )
    )
    big_off = time_stages(big.directory, repeat, collector=False)
    small_off = time_stages(national.directory, repeat, collector=False)
    small_off_total = statistics.median(_library_total(s) for s in small_off)
    results.add(
        Row(
            "  ×10 / ×1, library, cyclic garbage collector off",
            [_library_total(s) / small_off_total for s in big_off],
            unit="×",
            target=10.0,
        )
    )
    for stage in STAGES[1:]:
        small_stage = statistics.median(s[stage] for s in small_stages)
        off = statistics.median(s[stage] for s in big_off) / statistics.median(
            s[stage] for s in small_off
        )
        results.add(
            Row(
                f"  ×10 / ×1, {stage}",
                [s[stage] / small_stage for s in big_stages],
                unit="×",
                note=f"collector off: {off:.2f}×",
            )
        )


# --- triage -------------------------------------------------------------------------------


# A row of its table: "| cutover | 2.10 s (2.05–2.30) | 2.08 s (…) | 240 MB |".
_TABLE_ROW = re.compile(r"\|\s*([\w-]+)\s*\|[^|]*\|[^|]*\|\s*([\d.]+) MB\s*\|")


def measure_triage(results: Results, rows: int, repeat: int) -> None:
    """Run benchmarks/triage_bench.py and add its medians and the ratios to the table."""
    print(f"triage: {rows:,} rows ({repeat} runs each), by benchmarks/triage_bench.py", flush=True)
    command = [
        sys.executable,
        str(HERE / "triage_bench.py"),
        "--rows",
        str(rows),
        "--repeat",
        str(repeat),
    ]
    output = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        for line in child.stdout:
            print(f"    {line}", end="", flush=True)
            output.append(line)
    if child.returncode != 0:
        results.notes.append(f"triage_bench.py failed (exit {child.returncode})")
        return
    # Each peer's runs: "cutover: 1.23 s (1.20 s CPU), 1.25 s (...), ..."
    walls: dict[str, list[float]] = {}
    peaks: dict[str, float] = {}
    for line in output:
        match = re.match(r"([\w-]+): ((?:[\d.]+ s \([\d.]+ s CPU\)(?:, )?)+)$", line.strip())
        if match:
            walls[match.group(1)] = [float(w) for w in re.findall(r"([\d.]+) s \(", match.group(2))]
        table = _TABLE_ROW.match(line.strip())
        if table:
            peaks[table.group(1)] = float(table.group(2))
    if "cutover" not in walls:
        results.notes.append("triage_bench.py printed no cutover runs: see its output above")
        return
    ours = walls["cutover"]
    label = f"{rows:,} rows"
    results.add(Row(f"cutover triage, {label} (wall, interpreter included)", ours))
    if "cutover" in peaks:
        # DESIGN.md §4: in less memory than polars.
        under = peaks.get("polars")
        results.add(
            Row(
                "  peak memory",
                [peaks["cutover"]],
                unit="MB",
                target=under,
                target_kind="under",
            )
        )
    for polars in ("polars", "polars-read"):
        if polars in walls:
            results.add(Row(f"{polars}, {label}", walls[polars]))
            if polars in peaks:
                results.add(Row("  peak memory", [peaks[polars]], unit="MB"))
            results.add(ratio_row(f"  cutover / {polars}", ours, walls[polars]))
            results.rows[-1].target = 3.0
    if "pandas" in walls:
        results.add(Row(f"pandas, {label}", walls["pandas"]))
        results.add(ratio_row("  cutover / pandas", ours, walls["pandas"]))
        results.rows[-1].target = 1.0
        results.rows[-1].target_kind = "under"


# --- hostile input ------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One large or strange input and what cutover did with it."""

    case: str
    size: str
    runs: list[Run]

    @property
    def run(self) -> Run:
        """Return the first run (all runs of a case give the same exit code and output)."""
        return self.runs[0]

    def message(self) -> str:
        """Return the first line cutover wrote on stderr (or stdout), shortened."""
        text = (self.run.stderr or self.run.stdout).strip().splitlines()
        first = text[0] if text else ""
        more = f" (+{len(text) - 1} more lines)" if len(text) > 1 else ""
        return (first[:150] + "…" if len(first) > 150 else first) + more


def _calendar_head(revision_id: str, title: str = "Hostile calendar") -> str:
    return (
        "schema = 1\n[revision]\n"
        f'id = "{revision_id}"\ntitle_ja = "敵対的な暦"\ntitle_en = "{title}"\n'
        'effective = "2018-07-01"\nsource = "benchmarks/run.py"\nsection = "§2"\n'
    )


def write_chained_calendar(path: Path, events: int) -> None:
    """Write a calendar whose `events` events each follow the previous one (a deep chain)."""
    parts = [_calendar_head("chain")]
    parts.append(
        '\n[[events]]\nid = "ev-0"\ntype = "milestone"\ntitle_ja = "行事"\n'
        'title_en = "Event"\ndate = "2018-01-04"\nsection = "§2"\n'
    )
    for i in range(1, events):
        parts.append(
            f'\n[[events]]\nid = "ev-{i}"\ntype = "milestone"\ntitle_ja = "行事{i}"\n'
            f'title_en = "Event {i}"\nafter = [{{ event = "ev-{i - 1}", lag = "0d" }}]\n'
            'section = "§2"\n'
        )
    path.write_text("".join(parts), encoding="utf-8")


def write_dated_calendar(path: Path, events: int) -> None:
    """Write a calendar of `events` windows with declared dates and crossing dependencies."""
    parts = [_calendar_head("dated")]
    start = dt.date(2018, 1, 4)
    for i in range(events):
        day = start + dt.timedelta(days=i % 360)
        after = f'after = [{{ event = "ev-{i // 2}", lag = "1bd" }}]\n' if i else ""
        parts.append(
            f'\n[[events]]\nid = "ev-{i}"\ntype = "window"\ntitle_ja = "期間{i}"\n'
            f'title_en = "Window {i}"\nstart = "{day.isoformat()}"\nduration = "3bd"\n'
            f'{after}section = "§2"\n'
        )
    path.write_text("".join(parts), encoding="utf-8")


def write_agencies_rows(path: Path, rows: int) -> int:
    """Write an agencies.csv of `rows` rows: every valid code once, then duplicates.

    Returns how many distinct codes it holds (at most 47 + 46,953: the codes' space).
    """
    from cutover.jp.codes import check_digit

    codes = []
    for p in range(1, 48):
        for m in range(0, 1000):
            five = f"{p:02d}{m:03d}"
            codes.append(five + str(check_digit(five)))
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("code,name,kind,test_requested,provides,new_delegations\n")
        for n in range(rows):
            code = codes[n % len(codes)]
            kind = "prefecture" if code[2:5] == "000" else "municipality"
            out.write(f"{code},団体{n},{kind},no,2 21,\n")
    return min(rows, len(codes))


def _queries_rows_for(megabytes: float) -> int:
    """Return how many rows of triage_bench's generator make a file of about `megabytes`."""
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.csv"
        _generate(sample, 20_000)
        per_row = sample.stat().st_size / 20_000
    return int(megabytes * 1e6 / per_row)


def _generate(path: Path, rows: int) -> None:
    """Write `rows` queries with triage_bench's generator, in a child process."""
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
        "from triage_bench import generate; generate(Path(sys.argv[2]), int(sys.argv[3]))"
    )
    run([sys.executable, "-c", code, str(HERE), str(path), str(rows)])


def _copy_with_row(source: Path, target: Path, row: bytes) -> None:
    """Copy `source` to `target` with `row` inserted after the line in its middle.

    Streamed: reading 200 MB into this process would count in the peak memory of every
    child started after it (they are forked from this process).
    """
    half = source.stat().st_size // 2
    with source.open("rb") as src, target.open("wb") as out:
        left = half
        while left > 0:
            chunk = src.read(min(left, 1 << 20))
            out.write(chunk)
            left -= len(chunk)
        out.write(src.readline())
        out.write(row)
        shutil.copyfileobj(src, out, 1 << 20)


def measure_hostile(results: Results, national: NationalFiles, repeat: int) -> list[Hostile]:
    """Feed cutover large and strange files; record exit code, time, memory and message."""
    print("hostile input", flush=True)
    cut = cutover_command()
    found: list[Hostile] = []

    def case(name: str, size: str, command: list[str]) -> None:
        outcome = Hostile(name, size, [run(command, check=False) for _ in range(repeat)])
        found.append(outcome)
        walls = sorted(r.wall for r in outcome.runs)
        print(
            f"  {name} [{size}]: exit {outcome.run.returncode}, "
            f"{statistics.median(walls):.2f} s ({walls[0]:.2f}–{walls[-1]:.2f} s), "
            f"{max(r.peak_mb for r in outcome.runs):.0f} MB — {outcome.message()}",
            flush=True,
        )

    with tempfile.TemporaryDirectory(prefix="cutover-hostile-") as tmp:
        work = Path(tmp)
        # 1. A 200 MB queries file, streamed.
        queries = work / "queries-200mb.csv"
        rows = _queries_rows_for(200)
        _generate(queries, rows)
        size = f"{queries.stat().st_size / 1e6:.0f} MB, {rows:,} rows"
        out = work / "triage.csv"
        case(
            "triage of a 200 MB queries file",
            size,
            [*cut, "triage", CALENDAR, "--queries", str(queries), "--as-of", "2018-07-02",
             "-o", str(out)],
        )  # fmt: skip
        # 2. The same file with a NUL byte in a row in its middle: that row is rejected.
        nul = work / "queries-nul.csv"
        _copy_with_row(queries, nul, b"Q-NUL,011002,\x00012025,2,2018-06-01,pending\n")
        case(
            "triage, 200 MB with a NUL byte in the middle",
            size,
            [*cut, "triage", CALENDAR, "--queries", str(nul), "--as-of", "2018-07-02",
             "-o", str(work / "triage-nul.csv")],
        )  # fmt: skip
        nul.unlink()
        queries.unlink()
        # 3. Mixed line endings (\n, \r\n, \r) in a queries file.
        mixed = work / "queries-mixed.csv"
        lines = ["query_id,querier,provider,item,requested,status"]
        lines += [f"Q{n},011002,012025,2,2018-06-{n % 28 + 1:02d},pending" for n in range(30_000)]
        endings = ("\n", "\r\n", "\r")
        mixed.write_text(
            "".join(line + endings[n % 3] for n, line in enumerate(lines)),
            encoding="utf-8",
            newline="",
        )
        case(
            "triage, mixed line endings (\\n, \\r\\n, \\r)",
            "30,000 rows",
            [*cut, "triage", CALENDAR, "--queries", str(mixed), "--as-of", "2018-06-20",
             "--format", "json", "-o", str(work / "mixed.json")],
        )  # fmt: skip
        # 3b. 200,000 queries, and the same with every other row's date impossible
        # (2018-02-30): each bad row is rejected with its line and read on.
        plain = work / "queries-200k.csv"
        _generate(plain, 200_000)
        bad = work / "queries-half-bad.csv"
        with plain.open(encoding="utf-8") as src, bad.open("w", encoding="utf-8") as out:
            out.write(src.readline())
            for n, line in enumerate(src):
                if n % 2 == 0:
                    values = line.split(",")
                    values[4] = "2018-02-30" + values[4][10:]
                    line = ",".join(values)
                out.write(line)
        for name, source in (("", plain), (", every other row's date impossible", bad)):
            case(
                f"triage of 200,000 queries{name}",
                "200,000 rows",
                [*cut, "triage", CALENDAR, "--queries", str(source), "--as-of", "2018-07-02",
                 "-o", str(work / "half-bad.csv")],
            )  # fmt: skip
        # 4. A 100,000-row agencies file (the code space has 47,000 codes: the rest repeat).
        agencies = work / "agencies-100k.csv"
        distinct = write_agencies_rows(agencies, 100_000)
        case(
            "validate a 100,000-row agencies.csv",
            f"100,000 rows, {distinct:,} distinct codes",
            [*cut, "validate", CALENDAR, "--agencies", str(agencies)],
        )
        # 5. The largest registry the codes allow, planned and summarised.
        largest = work / "agencies-largest.csv"
        distinct = write_agencies_rows(largest, distinct)
        case(
            "summary of the largest registry codes allow",
            f"{distinct:,} agencies",
            [*cut, "summary", CALENDAR, "--agencies", str(largest), "--as-of", "2018-06-20",
             "-o", str(work / "summary.md")],
        )  # fmt: skip
        # 6. An agencies file with a NUL byte.
        nul_agencies = work / "agencies-nul.csv"
        text = national.agencies.read_bytes()
        nul_agencies.write_bytes(text.replace(b"\n", b"\n\x00", 1))
        case(
            "validate agencies.csv with a NUL byte",
            f"{national.agency_rows:,} rows",
            [*cut, "validate", CALENDAR, "--agencies", str(nul_agencies)],
        )
        # 7. Calendars of 5,000 events (the most a calendar may hold), and one of 6 MB, over
        # the 1 MiB a calendar may be: refused before it is parsed.
        chain = work / "chain.toml"
        write_chained_calendar(chain, 5_000)
        case(
            "timeline of a 5,000-event chain",
            f"{chain.stat().st_size / 1e6:.1f} MB",
            [*cut, "timeline", str(chain), "--format", "json", "-o", str(work / "chain.json")],
        )
        dated = work / "dated.toml"
        write_dated_calendar(dated, 5_000)
        case(
            "validate 5,000 dated windows with dependencies",
            f"{dated.stat().st_size / 1e6:.1f} MB",
            [*cut, "validate", str(dated)],
        )
        huge = work / "huge.toml"
        write_dated_calendar(huge, 40_000)
        case(
            "validate a calendar over 1 MiB (refused)",
            f"{huge.stat().st_size / 1e6:.1f} MB",
            [*cut, "validate", str(huge)],
        )
        # 8. TOML strings of 150,000 characters (three fill the 1 MiB a calendar may be):
        # the revision's title and an event's.
        long_title = work / "long.toml"
        length = 150_000
        long_title.write_text(
            _calendar_head("long", "x" * length) + '\n[[events]]\nid = "e"\ntype = "milestone"\n'
            f'title_ja = "{"行" * length}"\ntitle_en = "{"e" * length}"\n'
            'date = "2018-05-01"\nsection = "§2"\n',
            encoding="utf-8",
        )
        case(
            "validate a calendar with a 150,000-character title",
            "150,000 characters",
            [*cut, "validate", str(long_title)],
        )
        case(
            "timeline (Markdown) of the calendar with a 150,000-character title",
            "150,000 characters",
            [*cut, "timeline", str(long_title), "-o", str(work / "long.md")],
        )
        case(
            "timeline (SVG) of the calendar with 150,000-character titles",
            "150,000 characters",
            [*cut, "timeline", str(long_title), "--format", "svg", "-o", str(work / "long.svg")],
        )
        # 9. Long agency names: 120,000 characters (the csv module's limit is 131,072),
        # through the whole checklists run; and 1,000,000, which that limit refuses.
        for length in (120_000, 1_000_000):
            long_name = work / f"agencies-name-{length}.csv"
            long_name.write_text(
                "code,name,kind,test_requested,provides,new_delegations\n"
                f"131016,{'千' * length},municipality,yes,2 21,\n",
                encoding="utf-8",
            )
            case(
                f"checklists for an agency whose name is {length:,} characters",
                f"{long_name.stat().st_size / 1e6:.1f} MB",
                [*cut, "checklists", CALENDAR, "--agencies", str(long_name), "--as-of",
                 "2018-06-20", "--out", str(work / f"long-name-{length}")],
            )  # fmt: skip
    for outcome in found:
        peak = max(r.peak_mb for r in outcome.runs)
        results.add(
            Row(
                f"hostile: {outcome.case} [{outcome.size}]",
                [r.wall for r in outcome.runs],
                note=f"exit {outcome.run.returncode}, peak {peak:.0f} MB",
            )
        )
    return found


# --- profile ------------------------------------------------------------------------------


def profile_checklists(directory: Path, top: int = 25) -> str:
    """Return the cProfile of the library stages of a national checklists run, by function."""
    profiler = cProfile.Profile()
    profiler.enable()
    times = library_stages(directory)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    total = sum(times.values())
    lines = [
        "stages (profiled, so slower): " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items())
    ]
    # pstats keeps (calls, primitive calls, self time, cumulative time, callers) by function.
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    raw = stats.stats  # type: ignore[attr-defined]
    for title, column in (("self time", 2), ("cumulative time", 3)):
        lines.append(f"\ntop {top} by {title} (share of the {total:.2f} s profiled run):")

        def seconds(entry: tuple[int, int, float, float, object], at: int = column) -> float:
            return entry[2] if at == 2 else entry[3]

        ranked = sorted(raw.items(), key=lambda kv: seconds(kv[1]), reverse=True)
        shown = 0
        for (file, line, function), entry in ranked:
            if column == 3 and not ("cutover" in file or "jinja2" in file or ".j2" in file):
                continue
            where = f"{Path(file).name}:{line}({function})" if line else function
            spent = seconds(entry)
            lines.append(f"  {spent / total:6.1%}  {spent:6.2f} s  {entry[1]:>9,} calls  {where}")
            shown += 1
            if shown == top:
                break
    return "\n".join(lines)


# --- main ---------------------------------------------------------------------------------


def _national(work: Path, scale: int) -> NationalFiles:
    started = time.perf_counter()
    # In a child: this process stays small (the children it starts count its memory).
    command = [sys.executable, str(HERE / "national.py"), str(work / f"x{scale}"), "--json"]
    files = read_national(run([*command, "--scale", str(scale), "--queries", "0"]).stdout)
    print(
        f"generated ×{scale}: {files.agency_rows:,} agencies, {files.readiness_rows:,} readiness "
        f"rows, {files.evidence_rows:,} evidence rows ({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    return files


def main(argv: Sequence[str] | None = None) -> None:
    """Run the chosen measurements and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs, 200,000 queries, ×10 once")
    parser.add_argument("--repeat", type=int, help="runs of each measurement (default 5; 3 quick)")
    parser.add_argument("--rows", type=int, help="queries for triage (default 2,000,000)")
    parser.add_argument("--only", choices=SECTIONS, action="append", help="sections to run")
    parser.add_argument("--hostile", action="store_true", help="also run the hostile inputs")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of checklists")
    parser.add_argument(
        "--out-dir", type=Path, help="write outputs under DIR (default: the system's temp)"
    )
    parser.add_argument(
        "--stages", metavar="DIR", help="print the library stages of one checklists run on DIR"
    )
    parser.add_argument(
        "--command-collector",
        action="store_true",
        help="with --stages: the collector's thresholds of the command line (100,000, 50, 100)",
    )
    parser.add_argument("--profile-stages", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--no-collector", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    global OUT_BASE
    OUT_BASE = args.out_dir
    if args.stages:
        if args.no_collector:
            gc.disable()
        elif args.command_collector:
            gc.set_threshold(100_000, 50, 100)  # (cutover.cli.main._fewer_collections)
        print(json.dumps(library_stages(Path(args.stages))))
        return
    if args.profile_stages:
        print(profile_checklists(Path(args.profile_stages)))
        return
    repeat = args.repeat or (3 if args.quick else 5)
    big_repeat = 1 if args.quick else max(3, repeat // 2)
    rows = args.rows or (200_000 if args.quick else 2_000_000)
    sections = set(args.only or [s for s in SECTIONS if s != "hostile" or args.hostile])
    if args.hostile:
        sections.add("hostile")

    load = os.getloadavg()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {repeat} runs each",
        flush=True,
    )
    compile_cutover()
    results = Results()
    with tempfile.TemporaryDirectory(prefix="cutover-bench-") as tmp:
        work = Path(tmp)
        national = _national(work, 1)
        if "startup" in sections:
            measure_startup(results, max(10, repeat))
        base: list[Run] = []
        if "checklists" in sections or "linearity" in sections:
            base = measure_checklists(results, national, repeat)
        if "summary" in sections:
            measure_summary(results, national, repeat, base)
        if "linearity" in sections:
            big = _national(work, 10)
            measure_linearity(results, national, big, base, big_repeat)
            shutil.rmtree(big.directory)
        if args.profile:
            print("\nprofile of the national checklists (library stages):")
            print(
                run([sys.executable, __file__, "--profile-stages", str(national.directory)]).stdout
            )
        if "triage" in sections:
            measure_triage(results, rows, repeat)
        if "hostile" in sections:
            measure_hostile(results, national, 3)
    print()
    print(results.table())
    for note in results.notes:
        print(f"\n- {note}")
    after = os.getloadavg()
    print(f"\nload average after: {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}")


if __name__ == "__main__":
    main()
