"""docs/api.md and the code cannot drift: every name the page shows exists, every public
name is on the page, and every Python example on it runs."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import itertools
import re
import shutil
from pathlib import Path

import pytest

import cutover

ROOT = Path(__file__).resolve().parent.parent
API = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", API, flags=re.DOTALL)


def _resolve(dotted: str) -> object:
    """Return the object a dotted name (``cutover.render.xlsx.plan_xlsx``) names."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[i:]:
            found = getattr(found, attribute)
        return found
    raise AssertionError(dotted)


@pytest.mark.parametrize(
    "dotted", sorted(set(re.findall(r"\bcutover(?:\.[A-Za-z_][A-Za-z0-9_]*)+", API)))
)
def test_every_dotted_name_exists(dotted: str) -> None:
    """Every ``cutover.X`` (or ``cutover.module.X``) the page names exists."""
    assert _resolve(dotted) is not None


def _table_names() -> set[str]:
    """Return the names the first column of the page's tables shows, undotted."""
    names: set[str] = set()
    for line in API.splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split(" | ", 1)[0]
        if "`cutover." in first:
            continue  # (given with their module: not exported)
        names.update(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)[(`]", first))
    return names


def test_every_name_in_the_tables_is_public() -> None:
    """The names the tables document (not those given with their module) are exported."""
    assert sorted(_table_names() - set(cutover.__all__)) == []


def test_every_public_name_is_documented() -> None:
    """Every name in `cutover.__all__` is on the page, as code (a name, a call, a type)."""
    prose = re.sub(r"```.*?```", "", API, flags=re.DOTALL)
    spans = [*re.findall(r"`([^`\n]+)`", prose), *PYTHON_BLOCKS]
    shown = {word for span in spans for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", span)}
    assert sorted(set(cutover.__all__) - shown) == []


def test_the_page_has_examples() -> None:
    """The page shows Python code to run (the test below would pass on none)."""
    assert PYTHON_BLOCKS


@pytest.mark.parametrize(
    "block", PYTHON_BLOCKS, ids=[f"block-{i}" for i in range(len(PYTHON_BLOCKS))]
)
def test_python_blocks_run(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each ```python block runs as written, in a folder holding the example's files (as
    the page's paths say), and what it prints as ``# output`` comments is what it prints."""
    shutil.copytree(ROOT / "examples" / "tottori", tmp_path / "examples" / "tottori")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, "docs/api.md", "exec"), {"__name__": "__api_doc__"})
    lines = block.splitlines()
    shown = [line.split("# ", 1)[1] for line in lines if line.startswith("print(") and "# " in line]
    shown += [
        after[2:]
        for line, after in itertools.pairwise(lines)
        if line.startswith("print(") and after.startswith("# ")
    ]
    said = printed.getvalue().splitlines()
    for expected in shown:
        assert expected in said


def test_triage_library_recipe_runs_on_the_public_api() -> None:
    """docs/triage.md's database recipe uses only public names and prints what the page
    shows it printing."""
    page = (ROOT / "docs" / "triage.md").read_text(encoding="utf-8")
    section = page[page.index("## 7. ") :]
    block = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    shown = re.search(r"```text\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None
    assert shown is not None
    assert not re.search(r"^from cutover\.", block.group(1), flags=re.MULTILINE)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block.group(1), "docs/triage.md", "exec"), {"__name__": "__triage_doc__"})
    assert printed.getvalue() == shown.group(1)


def _split_arguments(text: str) -> list[str]:
    """Return the arguments of a call as written, split at the commas outside brackets."""
    pieces, depth, current = [], 0, ""
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            pieces.append(current.strip())
            current = ""
        else:
            current += char
    return [*pieces, current.strip()] if current.strip() else pieces


def _documented_calls() -> list[tuple[str, list[str]]]:
    """Return each call the tables' first column shows: its dotted name and arguments."""
    calls = []
    for line in API.splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split(" | ", 1)[0]
        for span in re.findall(r"`([^`]+)`", first):
            found = re.match(r"((?:cutover\.)?[A-Za-z_][\w.]*)\((.*?)\)(?: -> .*)?$", span)
            if found:
                dotted = found[1] if found[1].startswith("cutover.") else f"cutover.{found[1]}"
                calls.append((dotted, _split_arguments(found[2])))
    return calls


@pytest.mark.parametrize(
    ("dotted", "arguments"), _documented_calls(), ids=[c[0] for c in _documented_calls()]
)
def test_every_documented_call_matches_its_signature(dotted: str, arguments: list[str]) -> None:
    """A call the tables show names the real parameters, the positional ones in their
    order: ``load_registry(agencies, readiness, evidence)`` once documented keywords the
    function did not take, and the documented call raised `TypeError`."""
    parameters = inspect.signature(_resolve(dotted)).parameters  # type: ignore[arg-type]
    kinds = inspect.Parameter
    positional = [
        name
        for name, p in parameters.items()
        if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)
    ]
    keyword_only = False
    for index, argument in enumerate(arguments):
        if argument in ("*", "...", "…"):
            keyword_only = keyword_only or argument == "*"
            continue
        name = re.match(r"[A-Za-z_]\w*", argument)
        if name is None or "=" in argument.split(name[0], 1)[0]:
            continue  # (a literal shown as an example: parse_shift("registration=+3bd"))
        assert name[0] in parameters, f"{dotted}: no parameter {name[0]!r}"
        if keyword_only or "=" in argument or "..." in arguments[:index]:
            continue
        assert positional[index] == name[0], f"{dotted}: argument {index} is {positional[index]!r}"
