"""Benchmark: plan and render the checklists of the national registry (47 + 1,741 + 38 agencies).

Builds the registry in code from the shipped official code list (every prefecture and
municipality) plus 38 associations, with a readiness report for every system and side,
then times, best of ``--repeat`` runs:

- ``plan``: `cutover.planning.planner.plan`;
- ``views``: the checklist view-models of every agency;
- ``templates``: rendering them with the shipped (sandboxed) template;
- ``write``: `cutover.render.checklist.write_checklists` into a temporary directory,
  views, templates, the index and the atomic writes included (disk speed matters here).

    python benchmarks/checklists_bench.py
    python benchmarks/checklists_bench.py --lang en --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable

from cutover.calendar.load import load_calendar
from cutover.inputs.model import Agency, Readiness, Registry
from cutover.jp.codes import check_digit, official_codes
from cutover.jp.vocabulary import SYSTEMS, Kind, Side, Status
from cutover.planning.model import Plan
from cutover.planning.planner import plan
from cutover.render.checklist import CHECKLIST_TEMPLATE, ChecklistPage, ChecklistViews
from cutover.render.checklists import write_checklists
from cutover.render.templating import load_template, render_template
from cutover.schedule.timeline import build_timeline

AS_OF = dt.date(2018, 6, 20)


def national_registry() -> Registry:
    """Return every agency of the official list and 38 associations, each fully reported."""
    agencies = [
        Agency(e.code, e.name, e.kind, i % 20 == 0, frozenset({2, 21}), frozenset(), i + 2)
        for i, e in enumerate(official_codes())
    ]
    for n in range(38):
        five = f"{n % 47 + 1:02d}8{n:02d}"
        code = five + str(check_digit(five))
        agencies.append(
            Agency(code, f"組合{n}", Kind.ASSOCIATION, False, frozenset(), frozenset(), 0)
        )
    readiness = [
        Readiness(a.code, s.id, side, Status.DONE if i % 7 else Status.NOT_STARTED, None, 0)
        for i, a in enumerate(agencies)
        for s in SYSTEMS
        for side in Side
    ]
    return Registry(tuple(agencies), tuple(readiness))


def best(repeat: int, run: Callable[[], object]) -> float:
    """Return the best wall time of `repeat` runs of `run`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Run the benchmark and print one line per stage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("ja", "en"), default="ja")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    timeline = build_timeline(load_calendar("2018-07"))
    registry = national_registry()
    planned: list[Plan] = []

    def make_plan() -> None:
        planned.append(plan(timeline, registry, AS_OF))

    print(f"plan       {best(args.repeat, make_plan):.3f} s")
    the_plan = planned[-1]
    template = load_template(CHECKLIST_TEMPLATE)

    def views() -> list[ChecklistPage]:
        checklists = ChecklistViews(the_plan, args.lang)
        return [checklists.page(a) for a in the_plan.agencies]

    pages = views()

    def render() -> None:
        for page in pages:
            render_template(template, page=page)

    print(f"views      {best(args.repeat, views):.3f} s  ({len(pages)} agencies)")
    print(f"templates  {best(args.repeat, render):.3f} s")
    with tempfile.TemporaryDirectory() as out:

        def write() -> None:
            write_checklists(the_plan, out, lang=args.lang)

        print(f"write      {best(args.repeat, write):.3f} s  (files: {len(pages) + 1})")


if __name__ == "__main__":
    main()
