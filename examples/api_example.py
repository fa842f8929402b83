"""Plan the example prefecture with the cutover library, and print what needs action.

    python examples/api_example.py [OUT_DIR]

Reads ``examples/tottori/`` (鳥取県, its 19 municipalities and three 一部事務組合・広域連合),
plans it for the July 2018 layout revision as of Monday 2018-06-25, prints the query-side
survey counts and every agency's errors and warnings, and writes the checklists and
index.md into OUT_DIR (default: a new temporary directory).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import cutover

EXAMPLE = Path(__file__).resolve().parent / "tottori"


def main(argv: list[str]) -> int:
    """Plan the example, print its flags, write its checklists; return the exit code."""
    timeline = cutover.build_timeline(cutover.load_calendar("2018-07"))
    registry = cutover.load_registry(
        EXAMPLE / "agencies.csv", EXAMPLE / "readiness.csv", [EXAMPLE / "evidence.csv"]
    )
    # A fixed as-of date: the same inputs always give the same plan.
    plan = cutover.plan(timeline, registry, dt.date(2018, 6, 25))

    summary = cutover.summarize(plan, prefecture="鳥取県")
    print(f"{summary.prefecture_name}: {summary.agencies.total} agencies, as of {summary.as_of}")
    (query,) = (side for side in summary.not_ready if side.side == "query")
    late = ", ".join(f"{c.system.ja} {c.counts.total}" for c in query.systems if c.counts.total)
    print(f"query side not ready before {summary.effective}: {late or 'none'}")

    for agency_plan in plan.agencies:
        agency = agency_plan.agency
        needs_action = [f for f in agency_plan.flags if f.severity is not cutover.Severity.INFO]
        if not needs_action:
            continue
        print(
            f"{agency.code} {agency.name} ({agency_plan.done}/{len(agency_plan.applicable)} done)"
        )
        for flag in needs_action:
            print(f"  {flag.severity.value:7} {flag.code.value}: {flag.message('ja')}")

    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="cutover-example-"))
    paths = cutover.write_checklists(plan, out, lang="ja")
    print(f"wrote {len(paths)} files; the coordinator's page is {out / 'index.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
