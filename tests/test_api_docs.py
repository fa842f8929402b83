"""docs/api.md and the code cannot drift: every name the page shows exists, every public
name is on the page, every signature it writes is the code's, and every Python example on
it runs."""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib
import inspect
import io
import itertools
import re
import shutil
import warnings
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

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


def _module_and_name(dotted: str) -> tuple[ModuleType, str] | None:
    """Return the module a dotted name is imported from and the name imported, or None for
    a module itself (``cutover.triage``) or ``cutover.__all__``."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        if i == len(parts) or parts[i].startswith("__"):
            return None
        return module, parts[i]
    raise AssertionError(dotted)


@pytest.mark.parametrize(
    "dotted", sorted(set(re.findall(r"\bcutover(?:\.[A-Za-z_][A-Za-z0-9_]*)+", API)))
)
def test_every_dotted_name_is_exported_by_its_module(dotted: str) -> None:
    """A name the page tells a tool to import from a module is in that module's ``__all__``:
    ``from module import *`` gives it, and ``mypy --strict`` (no implicit re-export) accepts
    ``from module import name`` wherever the module has it from."""
    found = _module_and_name(dotted)
    if found is None:
        return
    module, name = found
    assert name in getattr(module, "__all__", ()), f"{name} not in {module.__name__}.__all__"


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
    # (A print inside a block, as in ``except``, is read as one at the top.)
    lines = [line.lstrip() for line in block.splitlines()]
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
    """docs/triage.md's database recipe uses only public names, prints what the page
    shows it printing, and closes the database it opens (Python 3.13 warns of one left
    open)."""
    page = (ROOT / "docs" / "triage.md").read_text(encoding="utf-8")
    section = page[page.index("## 7. ") :]
    block = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    shown = re.search(r"```text\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None
    assert shown is not None
    assert not re.search(r"^from cutover\.", block.group(1), flags=re.MULTILINE)
    printed = io.StringIO()
    with warnings.catch_warnings(record=True) as said, contextlib.redirect_stdout(printed):
        warnings.simplefilter("always", ResourceWarning)
        done = {"__name__": "__triage_doc__"}
        exec(compile(block.group(1), "docs/triage.md", "exec"), done)
        done.clear()  # (a database left open says so when freed: Python 3.13)
        gc.collect()
    assert printed.getvalue() == shown.group(1)
    assert [str(w.message) for w in said if issubclass(w.category, ResourceWarning)] == []


@pytest.mark.parametrize("page", ["hearings.md", "exports.md"])
def test_developer_examples_use_the_public_api(page: str) -> None:
    """The other pages' code for developers imports nothing from a submodule where the
    name is public (a reader copies the imports, and submodules may change)."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        imported = re.findall(r"^from (cutover\.\S+) import (.+)$", block, flags=re.MULTILINE)
        public = [
            (module, name.strip())
            for module, names in imported
            for name in names.split(",")
            if name.strip() in cutover.__all__
        ]
        assert public == []


def test_exports_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/exports.md's code for developers is Python that runs as written (it showed each
    call with its return type after it, which a reader copying it got a SyntaxError from)."""
    page = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```python\n(.*?)```", page, flags=re.DOTALL)
    shutil.copytree(ROOT / "examples" / "tottori", tmp_path / "examples" / "tottori")
    monkeypatch.chdir(tmp_path)
    done: dict[str, object] = {"__name__": "__exports_doc__"}
    exec(compile(block, "docs/exports.md", "exec"), done)
    assert isinstance(done["ics"], bytes)
    assert isinstance(done["tasks"], bytes)
    assert isinstance(done["svg"], str)


def test_hearings_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/hearings.md's code for developers runs on the page's own input files and
    prints the candidates the page's command prints."""
    page = (ROOT / "docs" / "hearings.md").read_text(encoding="utf-8")
    for name, body in re.findall(r"<!-- input: (\S+) -->\n```\w*\n(.*?)```", page, flags=re.DOTALL):
        (tmp_path / name).write_text(body, encoding="utf-8")
    found = re.search(r"## For developers\n\n```python\n(.*?)```", page, flags=re.DOTALL)
    assert found is not None
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(found.group(1), "docs/hearings.md", "exec"), {"__name__": "__hearings__"})
    assert "鳥取県 312011 ['inter-agency-test', 'register:2']" in printed.getvalue().splitlines()


# The signatures the page writes, each compared with the code's: the rule is the
# docstring of test_every_signature_on_the_page_is_the_code_s.

FENCED = re.compile(r"```.*?```", flags=re.DOTALL)
SPAN = re.compile(r"`([^`\n]+)`")
CALL = re.compile(r"(\.?[A-Za-z_][\w.]*)\(")
SIGNATURE = re.compile(
    r"(?P<name>\.?[A-Za-z_][\w.]*)\((?P<parameters>.*?)\)(?: -> (?P<returns>.+))?"
)
PARAMETER = re.compile(r"(?P<stars>\*{0,2})(?P<name>[A-Za-z_]\w*)(?P<equals>=(?P<default>.*))?")
MORE = ("…", "...")
P = inspect.Parameter
VARIADIC = (P.VAR_POSITIONAL, P.VAR_KEYWORD)
NOT_SHOWN = object()  # ``name=``: a default the page does not show


class Shown(NamedTuple):
    """One signature the page writes: its line, its text, and the class a leading dot names
    a method of (a dotted name, or None)."""

    line: int
    text: str
    owner: str | None


def _public_class(name: str) -> bool:
    """Say whether `name` is a class `cutover` exports."""
    return name in cutover.__all__ and inspect.isclass(getattr(cutover, name))


def _written_in_full(name: str) -> bool:
    """Say whether a call's name marks it as a signature outside a name column: from
    ``cutover.``, from a public class, or a method's (a leading dot)."""
    return name.startswith(("cutover.", ".")) or ("." in name and _public_class(name.split(".")[0]))


def _target(name: str, owner: str | None = None) -> str:
    """Return the dotted name (``cutover.…``) a signature's name stands for."""
    if name.startswith("."):
        assert owner is not None, f"{name}: a method of no class the row names"
        return owner + name
    if name.startswith("cutover."):
        return name
    assert name.split(".")[0] in cutover.__all__, f"{name}: not public; write its module"
    return f"cutover.{name}"


def _find(dotted: str) -> object:
    """Return the object a dotted name names, through `cutover`'s exports first (a public
    name, not a submodule that happens to share it)."""
    first, _, rest = dotted.removeprefix("cutover.").partition(".")
    if first not in cutover.__all__:
        return _resolve(dotted)
    found: object = getattr(cutover, first)
    for attribute in filter(None, rest.split(".")):
        found = getattr(found, attribute)
    return found


def _owner_named(span: str) -> str | None:
    """Return the class a first-cell span names (a class, or a signature returning a
    public class), as a dotted name, or None."""
    found = SIGNATURE.fullmatch(span.replace("\\|", "|"))
    name = found["name"] if found else span
    if name.startswith("."):
        return None
    with contextlib.suppress(AssertionError, AttributeError):
        if inspect.isclass(_find(_target(name))):
            return _target(name)
    if found and found["returns"] and _public_class(found["returns"].strip()):
        return f"cutover.{found['returns'].strip()}"
    return None


def _shown_signatures(page: str) -> list[Shown]:
    """Return every signature `page` writes, by the rule that
    `test_every_signature_on_the_page_is_the_code_s` states."""
    # (Code blocks blanked, not removed, so that line numbers stay the page's.)
    text = FENCED.sub(lambda block: "\n" * block[0].count("\n"), page)
    shown = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            cells = [line]
        elif line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
        else:
            cells = ["", line]
        owner = None
        for index, cell in enumerate(cells):
            for span in SPAN.findall(cell):
                call = CALL.match(span)
                name = call[1] if call else ""
                if call and (index == 0 or _written_in_full(name)):
                    shown.append(Shown(number, span.replace("\\|", "|"), owner))
                if index == 0 and not name.startswith("."):
                    owner = _owner_named(span) or owner
    return shown


def _split_parameters(text: str) -> list[str]:
    """Return the parameters as written, split at the commas outside brackets and quotes."""
    pieces, depth, quote, current = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        else:
            depth += (char in "([{") - (char in ")]}")
            if char == "," and depth == 0:
                pieces.append(current.strip())
                current = ""
                continue
        current += char
    return [*pieces, current.strip()] if current.strip() else pieces


def _value(text: str) -> object:
    """Return the value a shown default writes: a literal, or a dotted name's value."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return _resolve(text)


def _real_signature(dotted: str) -> inspect.Signature:
    """Return the signature a caller sees: a method's without ``self``."""
    signature = inspect.signature(_find(dotted))  # type: ignore[arg-type]
    parent, _, attribute = dotted.rpartition(".")
    with contextlib.suppress(AssertionError, AttributeError):
        owner = _find(parent)
        if inspect.isclass(owner) and inspect.isfunction(inspect.getattr_static(owner, attribute)):
            rest = list(signature.parameters.values())[1:]
            return signature.replace(parameters=rest)
    return signature


def _annotation(text: str) -> str:
    """Return an annotation without spaces or module prefixes (``dt.date`` is ``date``)."""
    return re.sub(r"\b[a-z_][a-z0-9_]*\.", "", re.sub(r"\s+", "", text))


def _mismatches(text: str, owner: str | None = None) -> list[str]:
    """Return how the signature `text` differs from the code's (nothing: it is true)."""
    found = SIGNATURE.fullmatch(text)
    if found is None:
        return [f"{text}: not a signature (name(parameters) -> annotation)"]
    try:
        dotted = _target(found["name"], owner)
        real = _real_signature(dotted)
    except (AssertionError, AttributeError, ValueError, TypeError) as error:
        return [f"{text}: {error}"]
    said: list[str] = []
    written = _split_parameters(found["parameters"])
    more = bool(written) and written[-1] in MORE
    kind: inspect._ParameterKind = P.POSITIONAL_OR_KEYWORD
    shown: list[tuple[str, inspect._ParameterKind, object]] = []
    for piece in written[:-1] if more else written:
        match = PARAMETER.fullmatch(piece)
        if piece == "/":
            shown = [(name, P.POSITIONAL_ONLY, default) for name, _, default in shown]
        elif piece == "*":
            kind = P.KEYWORD_ONLY
        elif match is None:
            said.append(f"{piece!r} is not a parameter (`…` goes last)")
        elif match["stars"]:
            variadic = P.VAR_POSITIONAL if match["stars"] == "*" else P.VAR_KEYWORD
            shown.append((match["name"], variadic, P.empty))
            kind = P.KEYWORD_ONLY
        elif match["equals"] is None:
            shown.append((match["name"], kind, P.empty))
        elif not match["default"]:
            shown.append((match["name"], kind, NOT_SHOWN))
        else:
            shown.append((match["name"], kind, match["default"]))
    parameters = list(real.parameters.values())
    for index, (name, shown_kind, default) in enumerate(shown):
        if index >= len(parameters) or parameters[index].name != name:
            actual = parameters[index].name if index < len(parameters) else "nothing"
            said.append(f"parameter {index + 1} is {actual}, not {name}")
            break
        parameter = parameters[index]
        if parameter.kind != shown_kind:
            said.append(f"{name} is {parameter.kind.description}, not {shown_kind.description}")
        if parameter.kind in VARIADIC:
            continue
        if default is P.empty and parameter.default is not P.empty:
            said.append(f"{name} has a default ({parameter.default!r}): write {name}=")
        elif default is not P.empty and parameter.default is P.empty:
            said.append(f"{name} has no default: write {name}, without =")
        elif isinstance(default, str):
            value = _value(default)
            if type(value) is not type(parameter.default) or value != parameter.default:
                said.append(f"{name} defaults to {parameter.default!r}, not {default}")
    rest = parameters[len(shown) :]
    if rest and not more:
        said.append(f"leaves out {', '.join(p.name for p in rest)} (end with … if meant)")
    if more and not rest:
        said.append("ends with … but leaves nothing out")
    if more and [p.name for p in rest if p.default is P.empty and p.kind not in VARIADIC]:
        said.append("… stands for a parameter without a default")
    if found["returns"]:
        annotation = real.return_annotation
        if not isinstance(annotation, str):
            annotation = inspect.formatannotation(annotation)
        if _annotation(found["returns"]) != _annotation(annotation):
            said.append(f"returns {annotation}, not {found['returns']}")
    return [f"{text}: {reason}" for reason in said]


SHOWN = _shown_signatures(API)


@pytest.mark.parametrize("shown", SHOWN, ids=[f"line-{s.line}-{s.text[:40]}" for s in SHOWN])
def test_every_signature_on_the_page_is_the_code_s(shown: Shown) -> None:
    """Each signature docs/api.md writes is the code's, as far as a caller relies on it.
    (``bundle(out_dir, platform="", …)`` once hid that ``platform`` is keyword-only: the
    documented call raised `TypeError`.)

    A signature is a backticked ``name(parameters)``, optionally followed by `` -> annotation``:

    - every such span in a heading, or in the first cell (the name column) of a table row;
    - elsewhere outside code blocks, a span whose name is written in full from ``cutover.``
      (``cutover.render.triage.reason_text(…)``) or from a public class
      (``TriageReport.collect(…)``), or begins with a dot (``.where(lang)``): a method of the
      class the row's first cell names last (a class named there, or the class a signature
      there returns: ``validate(…) -> ValidationReport`` … ``.uncounted_evidence(…)``).

    Other calls in descriptions and prose (``plan(queries=)``, ``registry.get(code)``) are
    examples of use, not signatures. A bare name is resolved in `cutover.__all__`; one not
    exported is written with its module.

    Parameters are written as in Python and read as a caller relies on them:

    - the names, in the code's order; ``/`` after the positional-only ones, ``*`` (or
      ``*args``) before the keyword-only ones, ``**kwargs`` where the code has it;
    - ``name``: no default (the caller must give it); ``name=``: a default, not shown;
      ``name=value``: that default (a Python literal, or a dotted name such as
      ``sys.executable``), equal to the code's;
    - every parameter is shown, except that a last ``…`` (or ``...``) stands for the rest,
      which must all have defaults; ``…`` anywhere else is a mistake;
    - `` -> annotation``, when shown, is the code's return annotation (module prefixes and
      spaces aside); a class shows its constructor's parameters (``self`` aside), and so
      does a method.
    """
    assert _mismatches(shown.text, shown.owner) == [], f"docs/api.md:{shown.line}"


def test_a_lang_the_page_does_not_show_is_japanese() -> None:
    """Where a signature writes ``lang=``, the default is ``"ja"``, as the page says."""
    shown = [s for s in SHOWN if re.search(r"\blang=[,)]", s.text)]
    assert shown
    for signature in shown:
        found = SIGNATURE.fullmatch(signature.text)
        assert found is not None
        real = _real_signature(_target(found["name"], signature.owner))
        assert real.parameters["lang"].default == "ja", signature.text


def test_the_page_s_signatures_are_found() -> None:
    """The rule finds signatures where the page writes them: in a heading, in a table's
    first cell (a method there after its class), a method of the row's class in the
    description, a name written in full, and not the calls that are examples or code."""
    page = "\n".join(
        [
            "## `load_calendar(ref) -> RevisionCalendar`",
            "| name | what it is |",
            "|---|---|",
            "| `Registry` | `.get(code)`, as in `registry.get(code)` or `plan(queries=)` |",
            "| `validate(calendar, *, as_of, …) -> ValidationReport` | `.uncounted_evidence(…)` |",
            "| `cutover.render.html.HtmlPages(plan, lang)`: `.index(summary, *, links=None)` | x |",
            "| `a \\| b` | `cutover.render.triage.reason_text(reason, lang=)`, `Timeline.get(e)` |",
            "",
            "Prose: `cutover.jp.wareki.format_wareki(d, *, weekday=True)`; `triage()`.",
            "```python",
            "cutover.load_calendar('2018-07')",
            "```",
        ]
    )
    assert [(s.line, s.text, s.owner) for s in _shown_signatures(page)] == [
        (1, "load_calendar(ref) -> RevisionCalendar", None),
        (4, ".get(code)", "cutover.Registry"),
        (5, "validate(calendar, *, as_of, …) -> ValidationReport", None),
        (5, ".uncounted_evidence(…)", "cutover.ValidationReport"),
        (6, "cutover.render.html.HtmlPages(plan, lang)", None),
        (6, ".index(summary, *, links=None)", "cutover.render.html.HtmlPages"),
        (7, "cutover.render.triage.reason_text(reason, lang=)", None),
        (7, "Timeline.get(e)", None),
        (9, "cutover.jp.wareki.format_wareki(d, *, weekday=True)", None),
    ]


@pytest.mark.parametrize(
    ("text", "owner", "said"),
    [
        ("cutover.cli.bundle.bundle(out_dir, platform=, …)", None, "keyword-only"),
        ("validate_code(text, meant=None) -> str", None, "keyword-only"),
        ("validate_code(*, text, meant=None) -> str", None, "positional or keyword"),
        ("cutover.render.htmltext.html_inline(text, /, links=None)", None, "positional-only"),
        ("parse_calendar(text, file='calendar') -> RevisionCalendar", None, "defaults to"),
        ("build_timeline(calendar, shifts=[]) -> Timeline", None, "defaults to"),
        ("plan(timeline, registry, as_of=, *, queries=None)", None, "has no default"),
        ("triage_rows(rows, rule, as_of, *, first_line)", None, "has a default"),
        ("triage_rows(rows, rule, as_of)", None, "leaves out first_line"),
        ("triage_rows(rows, …)", None, "without a default"),
        ("triage_rows(rows, rule, as_of, *, first_line=1, …)", None, "leaves nothing out"),
        ("load_registry(…, test_logs=())", None, "goes last"),
        ("triage_rows(rule, rows, as_of, *, first_line=1)", None, "parameter 1 is rows"),
        ("format_english(d, lang=)", None, "parameter 2 is nothing"),
        ("load_calendar(ref) -> Calendar", None, "returns"),
        ("shipped_calendars() -> dict", None, "returns"),
        (".event(id)", "cutover.RevisionCalendar", "parameter 1 is event_id"),
        ("parse_shift('registration=+3bd') -> Shift", None, "not a parameter"),
        ("plan_xlsx(plan, *, lang=)", None, "not public"),
        ("cutover.nowhere(x)", None, "nowhere"),
        (
            "cutover.planning.hearings.hearing_counts(agency_plans, as_of)"
            " -> (candidates, at_risk)",
            None,
            "returns tuple[int, int]",
        ),
    ],
)
def test_a_wrong_signature_is_told(text: str, owner: str | None, said: str) -> None:
    """A signature unlike the code's is told, with what differs (a check that cannot fail
    would pass on any page)."""
    assert said in " ".join(_mismatches(text, owner))


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("cutover.cli.bundle.bundle(out_dir, *, platform=, …) -> Bundle", None),
        (
            "cutover.cli.bundle.bundle(out_dir, *, platform='', python_version=, lang='ja',"
            " python=sys.executable)",
            None,
        ),
        ("suggest_task(text, templates) -> str | None", None),
        ("parse_date(text) -> date", None),
        (".closure(d)", "cutover.ClosedDays"),
        ("TriageReport.collect(results, …)", None),
    ],
)
def test_a_true_signature_passes(text: str, owner: str | None) -> None:
    """Written by the rule, a true signature passes: ``name=``, a dotted default, ``…``
    after ``*``, a method without ``self``, a class method, ``dt.date`` as ``date``."""
    assert _mismatches(text, owner) == []


#: The enums whose row of the page lists their codes (`FlagCode`'s are flags.md's).
_LISTED_ENUMS = (
    "Action",
    "Actor",
    "AttemptReason",
    "ChaseReason",
    "HearingReason",
    "Kind",
    "ReasonCode",
    "Side",
    "Status",
    "TaskStatus",
)


@pytest.mark.parametrize("name", _LISTED_ENUMS)
def test_enum_rows_list_every_code(name: str) -> None:
    """An enum's row lists every code a program may meet (a new `ChaseReason` too)."""
    row = next(
        line
        for line in API.splitlines()
        if line.startswith("| `") and f"`{name}`" in line.split(" | ", 1)[0]
    )
    assert [m.value for m in getattr(cutover, name) if f"`{m.value}`" not in row] == []
