"""Generate the input files of a national run: every agency of Japan, their readiness and evidence.

Deterministic (seeded): the same arguments write byte-identical files. Into DIR it writes

- ``agencies.csv``: the official code list (47 prefectures + 1,741 municipalities, from
  `cutover.jp.codes`) and 38 一部事務組合・広域連合 with valid check digits that are not on the
  list; 96 agencies requested the inter-agency test (§4: 96 機関);
- ``readiness.csv``: the eight business systems on both sides for every agency (16 rows
  each): provision all done or planned before the revision (§3: 全地方公共団体において対応完了
  予定), query mostly done, and exactly the §3 survey's not-ready agencies (local tax: 1
  prefecture + 1 municipality; child welfare, disability welfare, long-term care, NHI: 1
  municipality each; public housing: 1 prefecture); associations and prefectures report
  the systems they do not run as n/a;
- ``evidence.csv``: evidence for about half of the tasks the plan gives (tasks that could
  be done by the as-of date, for systems reported done);
- ``queries.csv``: N rows (default 2,000,000) from ``benchmarks/triage_bench.py``'s generator
  (``--queries 0`` writes none).

``--scale K`` multiplies the agencies by K for the linearity check: each of the K − 1
extra copies of the 1,826 agencies gets synthetic codes with valid check digits (never on
the official list, never a prefecture's), the same readiness and the same evidence.

    python benchmarks/national.py /tmp/national        # 1,826 agencies, 2,000,000 queries
    python benchmarks/national.py /tmp/national10 --scale 10 --queries 0
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

# cutover is imported where it is used: benchmarks/run.py imports this module for its
# constants, and must stay small (its children's peak memory counts the parent's).
if TYPE_CHECKING:
    from cutover.inputs.model import Agency, Readiness

__all__ = [
    "AS_OF",
    "BASE_AGENCIES",
    "CALENDAR",
    "SEED",
    "NationalFiles",
    "national_registry",
    "read_national",
    "write_national",
]

SEED = 2018
CALENDAR = "2018-07"
#: The as-of date of the benchmark runs: ten days before the cutoff, inside every window.
AS_OF = dt.date(2018, 6, 20)
ASSOCIATIONS = 38
#: §4: agencies that asked J-LIS for the inter-agency test (end of March 2018).
TEST_REQUESTED = 96
#: 47 + 1,741 + 38: one copy of the country.
BASE_AGENCIES = 47 + 1741 + ASSOCIATIONS
EFFECTIVE = dt.date(2018, 7, 1)

# §3 survey table: agencies whose query-side modification is not done by the revision,
# by system and kind. Associations: none.
_NOT_READY: tuple[tuple[str, str], ...] = (
    ("local-tax", "prefecture"),
    ("local-tax", "municipality"),
    ("child-welfare", "municipality"),
    ("disability-welfare", "municipality"),
    ("long-term-care", "municipality"),
    ("nhi", "municipality"),
    ("public-housing", "prefecture"),
)
# Systems a prefecture does not run itself (NHI and long-term care are municipal).
_PREFECTURE_NA = frozenset({"nhi", "long-term-care"})
# What an association (広域連合, 一部事務組合) runs: one of these, the rest n/a.
_ASSOCIATION_SYSTEMS = ("long-term-care", "nhi", "public-assistance", "health")


@attrs.frozen
class NationalFiles:
    """The files `write_national` wrote, and how many rows each holds."""

    directory: Path
    agencies: Path
    readiness: Path
    evidence: Path
    queries: Path | None
    agency_rows: int
    readiness_rows: int
    evidence_rows: int
    query_rows: int


def _association_codes(count: int) -> list[str]:
    """Return `count` association codes: valid check digits, not on the official list."""
    from cutover.jp.codes import check_digit, official_codes

    official = {e.code for e in official_codes()}
    codes: list[str] = []
    n = 0
    while len(codes) < count:
        # Prefectures in turn, municipality numbers from 800 up: where 一部事務組合 codes sit.
        five = f"{n % 47 + 1:02d}{800 + n // 47:03d}"
        code = five + str(check_digit(five))
        if code not in official:
            codes.append(code)
        n += 1
    return codes


def _base_agencies(rng: random.Random) -> list[Agency]:
    """Return the 1,826 agencies of one copy of the country, sorted by code."""
    from cutover.inputs.model import Agency
    from cutover.jp.codes import official_codes
    from cutover.jp.vocabulary import Kind

    agencies: list[Agency] = []
    for entry in official_codes():
        if entry.kind is Kind.PREFECTURE:
            # Prefectures provide local tax (item 2) and single-parent welfare loans (21).
            provides = frozenset({2, 21})
        else:
            # Cities also lend to single-parent families (21) when they run welfare offices.
            city = entry.name.endswith("市") and rng.random() < 0.3
            provides = frozenset({2, 8, 52} | ({21} if city else set()))
        agencies.append(Agency(entry.code, entry.name, entry.kind, False, provides, frozenset(), 0))
    for n, code in enumerate(_association_codes(ASSOCIATIONS)):
        provides = frozenset({8}) if n % 3 == 0 else frozenset()
        agencies.append(
            Agency(code, f"広域連合{n + 1:02d}", Kind.ASSOCIATION, False, provides, frozenset(), 0)
        )
    agencies.sort(key=lambda a: a.code)
    testers = set(rng.sample(range(len(agencies)), TEST_REQUESTED))
    delegating = set(rng.sample(range(len(agencies)), 20))
    return [
        attrs.evolve(
            a,
            test_requested=i in testers,
            new_delegations=frozenset({52})
            if i in delegating and 52 not in a.provides
            else a.new_delegations,
        )
        for i, a in enumerate(agencies)
    ]


def _base_readiness(agencies: Sequence[Agency], rng: random.Random) -> list[Readiness]:
    """Return 16 readiness rows per agency: the §3 survey's not-ready ones, the rest a mix."""
    from cutover.inputs.model import Readiness
    from cutover.jp.vocabulary import SYSTEMS, Kind, Side, Status

    not_ready: dict[tuple[str, str], Status] = {}
    for system_id, kind in _NOT_READY:
        pool = [
            a.code
            for a in agencies
            if a.kind.value == kind and (a.code, system_id) not in not_ready
        ]
        code = rng.choice(pool)
        # Half of them have not started; the others plan to finish after the revision.
        not_ready[(code, system_id)] = rng.choice((Status.NOT_STARTED, Status.PLANNED))
    rows: list[Readiness] = []
    for agency in agencies:
        runs = _ASSOCIATION_SYSTEMS[int(agency.code[2:5]) % len(_ASSOCIATION_SYSTEMS)]
        for system in SYSTEMS:
            for side in Side:
                planned: dt.date | None = None
                runs_it = system.id == runs if agency.kind is Kind.ASSOCIATION else True
                if not runs_it or (agency.kind is Kind.PREFECTURE and system.id in _PREFECTURE_NA):
                    status = Status.NOT_APPLICABLE
                elif side is Side.QUERY and (agency.code, system.id) in not_ready:
                    status = not_ready[(agency.code, system.id)]
                    if status is Status.PLANNED:
                        planned = dt.date(2018, 7, 17) + dt.timedelta(days=rng.randrange(60))
                elif rng.random() < 0.04:
                    # Still modifying, to be finished before the revision takes effect.
                    status = Status.PLANNED
                    planned = dt.date(2018, 6, 1) + dt.timedelta(days=rng.randrange(29))
                else:
                    status = Status.DONE
                rows.append(Readiness(agency.code, system.id, side, status, planned, 0))
    return rows


@attrs.frozen
class _EvidenceRow:
    code: str
    task: str
    date: dt.date
    detail: str


_DETAILS = (
    "",
    "",
    "接続検証環境で確認",
    "中間サーバーに登録済み（件数確認）",
    "担当課より報告",
    'ベンダー報告書 No.12, "最終版"',
)


def _base_evidence(
    agencies: Sequence[Agency], readiness: Sequence[Readiness], rng: random.Random
) -> list[_EvidenceRow]:
    """Return evidence for about half the tasks: those doable by the as-of date."""
    from cutover.calendar.load import load_calendar
    from cutover.inputs.model import Registry
    from cutover.jp.vocabulary import Side, Status
    from cutover.planning.model import TaskStatus
    from cutover.planning.planner import plan
    from cutover.schedule.timeline import build_timeline

    timeline = build_timeline(load_calendar(CALENDAR))
    the_plan = plan(timeline, Registry(tuple(agencies), tuple(readiness)), AS_OF)
    rows: list[_EvidenceRow] = []
    for agency_plan in the_plan.agencies:
        reported = {(r.system, r.side): r.status for r in agency_plan.readiness}
        for task in agency_plan.tasks:
            if task.status is TaskStatus.NOT_APPLICABLE:
                continue
            opens = task.start.date if task.start is not None else AS_OF - dt.timedelta(days=75)
            if opens > AS_OF:
                continue  # the window has not opened yet (re-issue from 7/2)
            side = Side.QUERY if task.id.startswith("modify-query") else Side.PROVISION
            if task.system is not None and reported.get((task.system, side)) != Status.DONE:
                continue  # no evidence of a modification the agency says is not done
            if rng.random() >= 0.55:
                continue
            last = min(task.due.date, AS_OF)
            day = opens + dt.timedelta(days=rng.randrange(max(1, (last - opens).days + 1)))
            rows.append(_EvidenceRow(agency_plan.agency.code, task.id, day, rng.choice(_DETAILS)))
    return rows


def _extra_codes(count: int, rng: random.Random) -> list[str]:
    """Return `count` synthetic municipality codes: valid check digits, not on the list."""
    from cutover.jp.codes import check_digit, official_codes

    taken = {e.code[:5] for e in official_codes()} | {
        c[:5] for c in _association_codes(ASSOCIATIONS)
    }
    free = [
        five
        for p in range(1, 48)
        for m in range(1, 1000)
        if (five := f"{p:02d}{m:03d}") not in taken
    ]
    if count > len(free):
        msg = f"only {len(free)} synthetic codes exist: --scale asks for {count}"
        raise SystemExit(msg)
    rng.shuffle(free)
    return [five + str(check_digit(five)) for five in free[:count]]


def national_registry(
    scale: int = 1, seed: int = SEED
) -> tuple[list[Agency], list[Readiness], list[_EvidenceRow]]:
    """Return the agencies, readiness rows and evidence rows of `scale` copies of the country."""
    from cutover.jp.vocabulary import Kind

    rng = random.Random(seed)
    agencies = _base_agencies(rng)
    readiness = _base_readiness(agencies, rng)
    evidence = _base_evidence(agencies, readiness, rng)
    if scale == 1:
        return agencies, readiness, evidence
    extra = _extra_codes((scale - 1) * len(agencies), rng)
    readiness_of: dict[str, list[Readiness]] = {}
    for r in readiness:
        readiness_of.setdefault(r.code, []).append(r)
    evidence_of: dict[str, list[_EvidenceRow]] = {}
    for e in evidence:
        evidence_of.setdefault(e.code, []).append(e)
    all_agencies, all_readiness, all_evidence = list(agencies), list(readiness), list(evidence)
    codes = iter(extra)
    for copy in range(2, scale + 1):
        for agency in agencies:
            code = next(codes)
            # A prefecture's code is NN000C: a copy of one is a municipality.
            kind = Kind.MUNICIPALITY if agency.kind is Kind.PREFECTURE else agency.kind
            all_agencies.append(
                attrs.evolve(agency, code=code, name=f"{agency.name}（写{copy}）", kind=kind)
            )
            all_readiness.extend(attrs.evolve(r, code=code) for r in readiness_of[agency.code])
            all_evidence.extend(
                attrs.evolve(e, code=code) for e in evidence_of.get(agency.code, ())
            )
    all_agencies.sort(key=lambda a: a.code)
    return all_agencies, all_readiness, all_evidence


def _items(numbers: Iterable[int]) -> str:
    return " ".join(str(n) for n in sorted(numbers))


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a CSV file (UTF-8, LF) and return its number of data rows."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _generate_queries(path: Path, rows: int) -> None:
    """Write `rows` queries with the triage benchmark's generator (one source of truth)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from triage_bench import generate
    finally:
        sys.path.pop(0)
    generate(path, rows)


def write_national(
    directory: str | Path, *, scale: int = 1, queries: int = 2_000_000, seed: int = SEED
) -> NationalFiles:
    """Write agencies.csv, readiness.csv, evidence.csv (and queries.csv) into `directory`."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    agencies, readiness, evidence = national_registry(scale, seed)
    paths = {name: out / f"{name}.csv" for name in ("agencies", "readiness", "evidence")}
    agency_rows = _write_csv(
        paths["agencies"],
        ("code", "name", "kind", "test_requested", "provides", "new_delegations"),
        (
            (
                a.code,
                a.name,
                a.kind.value,
                "yes" if a.test_requested else "no",
                _items(a.provides),
                _items(a.new_delegations),
            )
            for a in agencies
        ),
    )
    readiness_rows = _write_csv(
        paths["readiness"],
        ("code", "system", "side", "status", "planned"),
        (
            (
                r.code,
                r.system,
                r.side.value,
                r.status.value,
                r.planned.isoformat() if r.planned else "",
            )
            for r in sorted(readiness, key=lambda r: r.code)
        ),
    )
    evidence_rows = _write_csv(
        paths["evidence"],
        ("code", "task", "date", "detail"),
        (
            (e.code, e.task, e.date.isoformat(), e.detail)
            for e in sorted(evidence, key=lambda e: e.code)
        ),
    )
    query_path: Path | None = None
    if queries:
        query_path = out / "queries.csv"
        _generate_queries(query_path, queries)
    return NationalFiles(
        directory=out,
        agencies=paths["agencies"],
        readiness=paths["readiness"],
        evidence=paths["evidence"],
        queries=query_path,
        agency_rows=agency_rows,
        readiness_rows=readiness_rows,
        evidence_rows=evidence_rows,
        query_rows=queries,
    )


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Path) else value


def read_national(text: str) -> NationalFiles:
    """Return the `NationalFiles` that ``national.py --json`` printed."""
    found = json.loads(text)
    for name in ("directory", "agencies", "readiness", "evidence", "queries"):
        if found[name] is not None:
            found[name] = Path(found[name])
    return NationalFiles(**found)


def main(argv: Sequence[str] | None = None) -> None:
    """Write the files and say what was written."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--scale", type=int, default=1, help="copies of the country's agencies")
    parser.add_argument("--queries", type=int, default=2_000_000, help="rows of queries.csv")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--json", action="store_true", help="say what was written, as JSON")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    started = time.perf_counter()
    files = write_national(args.directory, scale=args.scale, queries=args.queries, seed=args.seed)
    if args.json:
        print(json.dumps(attrs.asdict(files, value_serializer=lambda _, __, v: _plain(v))))
        return
    print(
        f"{files.directory}: {files.agency_rows:,} agencies, {files.readiness_rows:,} readiness "
        f"rows, {files.evidence_rows:,} evidence rows, {files.query_rows:,} queries "
        f"({time.perf_counter() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
