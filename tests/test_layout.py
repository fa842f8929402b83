"""The package's shape: no import cycles (deferred imports count), modules of a readable
size, and the model and planning code never reaching up into rendering or the command line."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cutover"
#: The longest a module may be: a reader takes in a module at once up to about this size.
MAX_LINES = 800
#: Layers that must never import a layer above them (the package's flow, DESIGN.md §2).
LOWER = (
    "cutover.jp",
    "cutover.calendar",
    "cutover.schedule",
    "cutover.inputs",
    "cutover.planning",
    "cutover.triage",
    "cutover.errors",
    "cutover.i18n",
)
UPPER = ("cutover.render", "cutover.cli")


def module_name(path: Path) -> str:
    """Return the dotted name of the module at `path`."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Return every module of the package by its dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Yield every import statement, deferred ones inside functions included, but those
    under ``if TYPE_CHECKING:`` (which never run)."""
    for node in ast.iter_child_nodes(tree):
        if _type_checking(node):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        else:
            yield from _imports(node)


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """Return the package's modules that module `name` imports, with the packages whose
    ``__init__`` each import runs (but the root package's: the public API's lazy facade)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            targets = [base]
            targets += [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            parts = target.split(".")
            for i in range(2, len(parts) + 1):  # the module and every package above it
                candidate = ".".join(parts[:i])
                if candidate in known:
                    found.add(candidate)
    found.discard(name)
    # A module's own packages have run their ``__init__`` before it (it is imported through
    # them): importing a sibling runs none of them again.
    return {m for m in found if not name.startswith(f"{m}.")}


def import_graph() -> nx.DiGraph:
    """Return the graph of the package's imports: an edge A → B when A imports B."""
    graph = nx.DiGraph()
    known = modules()
    for name, path in known.items():
        graph.add_node(name)
        for target in imported(name, path, set(known)):
            graph.add_edge(name, target)
    return graph


def test_no_import_cycles() -> None:
    """No module imports itself through others, at import time or later (deferred)."""
    cycles = sorted(sorted(c) for c in nx.simple_cycles(import_graph()))
    assert cycles == []


#: Modules still over the size, each with the change that brings it under (strict xfail:
#: the test fails as soon as one is short enough, so that its entry goes).
TOO_LONG: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(reason=TOO_LONG[name]))
        if name in TOO_LONG
        else name
        for name in sorted(modules())
    ],
)
def test_module_size(name: str) -> None:
    """Every module is short enough to read as a whole."""
    lines = modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_layers_never_import_upward() -> None:
    """The model and planning code never import the renderers or the command line."""
    graph = import_graph()
    upward = sorted((a, b) for a, b in graph.edges if a.startswith(LOWER) and b.startswith(UPPER))
    assert upward == []


#: What only the HTML pages need, kept out of the Markdown commands' start-up (about a tenth
#: of it: the SVG chart and its XML escaping, the Markdown parser).
NOT_AT_START = ("cutover.render.html", "cutover.render.svg", "markdown_it", "xml.sax")


def test_markdown_commands_start_without_html_machinery() -> None:
    """The command line and the Markdown checklists' writer import none of `NOT_AT_START`."""
    code = (
        "import sys, cutover.cli.main, cutover.render.checklists, cutover.cli.parser;"
        f"print(','.join(m for m in {NOT_AT_START!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent
    )
    assert done.stdout.strip() == ""
