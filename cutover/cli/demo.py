"""The shipped example and `cutover demo`: the whole main job on a real prefecture's registry.

The example (``examples/<name>/``) holds a registry (agencies, readiness, evidence), a
queries file, and ``example.toml`` naming the calendar and the fixed as-of date it is
planned for. In a source checkout the examples are read from the repository root; in an
installed wheel they are copied into the package (pyproject.toml ``force-include``), so
``pip install . && cutover demo`` works from any directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.resources
import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from cutover.cli.common import EXIT_OK
from cutover.cli.console import say
from cutover.errors import CutoverError, printable, suggest
from cutover.i18n.catalogue import Lang, Msg
from cutover.i18n.text import check_lang

if TYPE_CHECKING:
    from cutover.planning.model import Plan

__all__ = [
    "DEFAULT_EXAMPLE",
    "EXAMPLE_FILE",
    "GOLDEN_LANGS",
    "DemoResult",
    "Example",
    "checklist_dir_name",
    "load_example",
    "plan_example",
    "read_example",
    "run",
    "run_demo",
    "shipped_examples",
    "write_example_checklists",
]

#: The example `cutover demo` runs: 鳥取県.
DEFAULT_EXAMPLE = "tottori"
#: The file that marks a directory as an example and says how to plan it.
EXAMPLE_FILE = "example.toml"
_KEYS = ("title_ja", "title_en", "calendar", "as_of")
#: The languages of an example's committed checklists (``checklists/``, ``checklists-en/``).
GOLDEN_LANGS = ("ja", "en")


@attrs.frozen
class Example:
    """A shipped example: its input files, and the calendar and date it is planned for."""

    name: str
    directory: Path
    title_ja: str
    title_en: str
    #: a shipped calendar id
    calendar: str
    #: fixed, so that the example's outputs never depend on the clock
    as_of: dt.date

    @property
    def agencies(self) -> Path:
        """Return the path of the example's agencies.csv."""
        return self.directory / "agencies.csv"

    @property
    def readiness(self) -> Path:
        """Return the path of the example's readiness.csv."""
        return self.directory / "readiness.csv"

    @property
    def evidence(self) -> Path:
        """Return the path of the example's evidence.csv."""
        return self.directory / "evidence.csv"

    @property
    def queries(self) -> Path:
        """Return the path of the example's queries.csv."""
        return self.directory / "queries.csv"

    def title(self, lang: str) -> str:
        """Return the example's title in `lang` (``ja`` or ``en``)."""
        return self.title_en if lang == "en" else self.title_ja

    def golden_dir(self, lang: str) -> Path:
        """Return the directory of the committed checklists in `lang`."""
        return self.directory / checklist_dir_name(lang)


def checklist_dir_name(lang: str) -> str:
    """Return the directory name of committed checklists: ``checklists`` or ``checklists-en``."""
    return "checklists" if lang == "ja" else f"checklists-{lang}"


def _example_roots() -> list[Path]:
    roots: list[Path] = []
    # Installed wheel: the examples are copied into the package (see pyproject.toml).
    packaged = importlib.resources.files("cutover") / "examples"
    if packaged.is_dir():
        roots.append(Path(str(packaged)))
    # Source checkout or editable install: the examples stay at the repository root.
    checkout = Path(__file__).resolve().parents[2] / "examples"
    if checkout.is_dir() and checkout not in roots:
        roots.append(checkout)
    return roots


def shipped_examples() -> dict[str, Path]:
    """Return the shipped examples' directories, by name, sorted."""
    found: dict[str, Path] = {}
    for root in _example_roots():
        # Only directories with an example.toml: a stray `examples/` next to an installed
        # package must not pass for ours.
        for marker in sorted(root.glob(f"*/{EXAMPLE_FILE}")):
            found.setdefault(marker.parent.name, marker.parent)
    return dict(sorted(found.items()))


def load_example(name: str = DEFAULT_EXAMPLE) -> Example:
    """Return the shipped example called `name`, or raise `CutoverError` naming the others."""
    shipped = shipped_examples()
    directory = shipped.get(name)
    if directory is None:
        if not shipped:
            raise CutoverError.of("cli.examples-missing", name=name)
        raise CutoverError.of("cli.no-example", name=name, suggestion=suggest(name, list(shipped)))
    return read_example(directory)


def read_example(directory: str | Path) -> Example:
    """Return the example in `directory`, as its example.toml describes it."""
    folder = Path(directory)
    path = folder / EXAMPLE_FILE
    shown = os.fspath(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CutoverError.of("cli.example-no-file", file=shown, name=EXAMPLE_FILE) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from cutover.calendar.load import toml_error

        raise toml_error(exc, shown, text) from None
    values: dict[str, str] = {}
    for key in _KEYS:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise CutoverError.of("cli.example-key-missing", file=shown, key=key, name=key)
        values[key] = value
    try:
        as_of = dt.date.fromisoformat(values["as_of"])
    except ValueError:
        raise CutoverError.of(
            "cli.example-bad-date", file=shown, key="as_of", value=values["as_of"]
        ) from None
    return Example(
        name=folder.name,
        directory=folder,
        title_ja=values["title_ja"],
        title_en=values["title_en"],
        calendar=values["calendar"],
        as_of=as_of,
    )


def plan_example(example: Example) -> Plan:
    """Return the plan of the example's registry, on its calendar and as-of date.

    With the example's queries.csv, as the whole job has them: each agency's queries around
    the cutoff (§6) show in its checklist, and their totals in index.md.
    """
    from cutover.calendar.load import load_calendar
    from cutover.inputs.registry import load_registry
    from cutover.planning.planner import plan
    from cutover.planning.queries import load_queries
    from cutover.schedule.timeline import build_timeline

    timeline = build_timeline(load_calendar(example.calendar))
    registry = load_registry(example.agencies, example.readiness, [example.evidence])
    queries = None
    if example.queries.is_file():
        queries = load_queries(example.queries, timeline, example.as_of)
    return plan(timeline, registry, example.as_of, queries=queries)


def write_example_checklists(
    example: Example, out_dir: str | Path, *, lang: str = "ja"
) -> list[Path]:
    """Write the example's checklists and index.md into `out_dir`; return the paths written."""
    from cutover.render.checklists import write_checklists

    return write_checklists(plan_example(example), out_dir, lang=check_lang(lang))


@attrs.frozen
class DemoResult:
    """What `run_demo` wrote, and the counts it reports."""

    example: Example
    #: the checklists in code order, then index.md
    paths: tuple[Path, ...]
    errors: int
    warnings: int
    #: the HTML pages beside them, in the same order, index.html last
    pages: tuple[Path, ...] = ()

    @property
    def index(self) -> Path:
        """Return the path of the coordinator's index.md."""
        return self.paths[-1]

    @property
    def checklists(self) -> int:
        """Return how many agency checklists were written (index.md not counted)."""
        return len(self.paths) - 1

    def report(self, lang: Lang = "ja") -> tuple[str, str]:
        """Return the two lines `cutover demo` prints, in `lang`: what was written, and
        what to open."""
        example = self.example
        return (
            Msg(
                "cli.demo-wrote",
                {
                    "title_ja": example.title_ja,
                    "title_en": example.title_en,
                    "calendar": example.calendar,
                    "as_of": example.as_of.isoformat(),
                    "checklists": self.checklists,
                    "errors": _count("cli.error", self.errors),
                    "warnings": _count("cli.warning-count", self.warnings),
                },
            ).text(lang),
            Msg(
                "cli.demo-open",
                {"index": printable(str(self.pages[-1] if self.pages else self.index))},
            ).text(lang),
        )


def _count(code: str, count: int) -> Msg:
    """Return how many of a thing there are (one, or several: English says which)."""
    return Msg(f"{code}-one" if count == 1 else f"{code}-many", {"count": count})


def run_demo(
    out_dir: str | Path = "demo", *, lang: str = "ja", name: str = DEFAULT_EXAMPLE
) -> DemoResult:
    """Plan the shipped example and write its checklists and index.md into `out_dir`, and
    beside them the same as HTML pages (``<code>.html``, ``index.html``).

    The plan may hold error flags (the example has an agency that skipped its test):
    they are the point of the demo, so they are counted, not raised.
    """
    from cutover.planning.flags import Severity
    from cutover.render.checklists import write_checklists

    example = load_example(name)
    example_plan = plan_example(example)
    paths = write_checklists(example_plan, out_dir, lang=check_lang(lang))
    # (The same plan's pages in both formats: the HTML keeps the Markdown just written.)
    pages = write_checklists(
        example_plan, out_dir, lang=check_lang(lang), fmt="html", keep_other_format=True
    )
    flags = [f for agency in example_plan.agencies for f in agency.flags]
    return DemoResult(
        example=example,
        paths=tuple(paths),
        pages=tuple(pages),
        errors=sum(1 for f in flags if f.severity is Severity.ERROR),
        warnings=sum(1 for f in flags if f.severity is Severity.WARNING),
    )


def run(args: argparse.Namespace) -> int:
    """Write the shipped example's checklists and index.md; say where to start."""
    # The example's plan has error flags on purpose: the demo shows them, it does not fail.
    for line in run_demo(args.out, lang=args.lang).report(args.lang):
        say(line)
    return EXIT_OK
