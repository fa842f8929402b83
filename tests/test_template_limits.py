"""Tests for what a user template (``--templates DIR``) may do: read only its own files, and
render each page within bounded time, memory and sizes, ending otherwise in one located
`CutoverError`. Cases that need links, pipes or patched limits live here; whole commands
that can live in git are in ``tests/data/bad/cli/templates-*``."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from test_cli_language import english_sentence

from cutover.cli.demo import plan_example, read_example
from cutover.cli.main import main
from cutover.errors import CutoverError, Problem
from cutover.render import sandbox
from cutover.render.checklists import write_checklists
from cutover.render.templating import load_template, render_template

ROOT = Path(__file__).resolve().parent.parent
TOTTORI = ROOT / "examples" / "tottori"
SHIPPED = ROOT / "cutover" / "templates"
SECRET = "SECRET-7f3a-DO-NOT-LEAK"

#: Seconds any test here may take: a refused template is refused at once.
HANG = 30


class _Hung(Exception):
    """A test ran past `HANG` seconds."""


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """Fail a test that runs longer than `HANG` seconds instead of waiting for it."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _Hung

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(HANG)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def write(directory: Path, name: str, text: str) -> Path:
    """Return the path of `text` written as template `name` into `directory`."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def render(directory: Path, name: str = "t.md.j2", **context: Any) -> str:
    """Return template `name` of `directory` rendered, as `cutover checklists` renders one."""
    return render_template(load_template(name, directory), **context)


def refusal(directory: Path, name: str = "t.md.j2") -> Problem:
    """Return the one problem rendering template `name` of `directory` ends in (its text in
    Japanese holds no English sentence)."""
    with pytest.raises(CutoverError) as caught:
        render(directory, name)
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert "\n" not in str(caught.value)
    assert not english_sentence(str(problem)), str(problem)
    return problem


def english(problem: Problem) -> tuple[str, str]:
    """Return the message and the fix of `problem` in English."""
    return problem.describe("en")


def checklists(templates: Path, out: Path) -> int:
    """Return the exit code of `cutover checklists` for the example, with `templates`."""
    args = ["checklists", "2018-07", "--agencies", str(TOTTORI / "agencies.csv")]
    args += ["--as-of", "2018-06-25", "--out", str(out), "--templates", str(templates)]
    args += ["--lang", "en"]
    return main(args)


def written(directory: Path) -> str:
    """Return the text of every file under `directory` (nothing when it does not exist)."""
    if not directory.exists():
        return ""
    return "".join(p.read_text(encoding="utf-8") for p in directory.rglob("*") if p.is_file())


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """Return a file outside the templates directory that must never reach an output."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


# --- template files ----------------------------------------------------------------------


needs_links = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")


@needs_links
@pytest.mark.parametrize("how", ["template", "include", "directory"])
def test_link_out_of_the_directory_is_refused(
    tmp_path: Path, secret: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template, an include or a folder linking out of DIR is refused; nothing is leaked."""
    templates = tmp_path / "templates"
    templates.mkdir()
    if how == "template":
        (templates / "checklist.md.j2").symlink_to(secret)
        bad = templates / "checklist.md.j2"
    elif how == "include":
        (templates / "p").symlink_to(secret)
        write(templates, "checklist.md.j2", "# {{ page.title }}\n{% include 'p' %}\n")
        bad = templates / "p"
    else:
        (templates / "sub").symlink_to(secret.parent, target_is_directory=True)
        write(templates, "checklist.md.j2", "{% include 'sub/secret.txt' %}\n")
        bad = templates / "sub" / "secret.txt"
    out = tmp_path / "out"
    code = checklists(templates, out)
    err = capsys.readouterr()
    assert code == 1
    assert f"cutover: {bad}: template" in err.err
    assert "outside the templates directory" in err.err
    assert "copy the file into the templates directory instead of linking to it" in err.err
    if how != "template":
        assert "(included at " in err.err
        assert "checklist.md.j2:" in err.err
    assert SECRET not in err.out + err.err + written(out)


@needs_links
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="no /proc")
def test_link_to_proc_environ_is_refused(tmp_path: Path) -> None:
    """A template linking to /proc/self/environ (the process's secrets) is refused."""
    (tmp_path / "t.md.j2").symlink_to("/proc/self/environ")
    problem = refusal(tmp_path)
    assert problem.file == str(tmp_path.resolve() / "t.md.j2")
    assert "links to /proc/" in english(problem)[0]


@needs_links
def test_link_inside_the_directory_is_followed(tmp_path: Path) -> None:
    """A link to another file inside DIR (a shared part kept once) still works."""
    write(tmp_path, "parts/header.md.j2", "header {{ 1 + 1 }}\n")
    (tmp_path / "t.md.j2").symlink_to(tmp_path / "parts" / "header.md.j2")
    (tmp_path / "u.md.j2").symlink_to(Path("parts") / "header.md.j2")
    assert render(tmp_path) == "header 2\n"
    assert render(tmp_path, "u.md.j2") == "header 2\n"


@needs_links
def test_dangling_link_is_named(tmp_path: Path) -> None:
    """A link inside DIR to a file that does not exist says so, instead of 'not found'."""
    (tmp_path / "t.md.j2").symlink_to(tmp_path / "gone.md.j2")
    problem = refusal(tmp_path)
    assert "which does not exist" in english(problem)[0]


def test_name_leading_out_is_refused_at_its_include(tmp_path: Path, secret: Path) -> None:
    """An include naming ../x is refused where it is written, and nothing is read."""
    templates = tmp_path / "templates"
    path = write(templates, "t.md.j2", "one\n{% include '../outside/secret.txt' %}\n")
    problem = refusal(templates)
    assert (problem.file, problem.line) == (str(path.resolve()), 2)
    assert "leads outside the templates directory" in english(problem)[0]
    assert SECRET not in str(problem)


def test_shift_jis_template_names_line_and_encoding(tmp_path: Path) -> None:
    """A template saved as Shift_JIS says so, at the line of the first bad byte, with the fix."""
    text = "# {{ 1 }}\nok\n確認してください\n"
    (tmp_path / "t.md.j2").write_bytes(text.encode("cp932"))
    problem = refusal(tmp_path)
    assert problem.line == 3
    assert "not UTF-8" in english(problem)[0]
    assert "Shift_JIS" in english(problem)[0]
    assert "save the file as UTF-8" in english(problem)[1]


def test_binary_template_is_not_utf8(tmp_path: Path) -> None:
    """A file that is no text at all is 'not UTF-8', without guessing Shift_JIS."""
    (tmp_path / "t.md.j2").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\xfd")
    problem = refusal(tmp_path)
    assert "not UTF-8" in english(problem)[0]
    assert "Shift_JIS" not in english(problem)[0]


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    """A UTF-8 template with a byte order mark (Notepad's habit) renders, BOM left out."""
    (tmp_path / "t.md.j2").write_bytes("\ufeff確認 {{ 1 }}\n".encode())
    assert render(tmp_path) == "確認 1\n"


def test_unreadable_template_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template that cannot be read (permission denied) says so, not an internal error."""
    path = write(tmp_path, "t.md.j2", "x\n")
    real_open = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == path.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    # Root reads any file whatever its mode, so the refusal is made for it.
    monkeypatch.setattr(Path, "open", denied)
    problem = refusal(tmp_path)
    assert english(problem)[0] == "template cannot be read: Permission denied"
    assert problem.file == str(path.resolve())
    assert "can be read" in english(problem)[1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_pipe_named_like_a_template_is_refused_at_once(tmp_path: Path) -> None:
    """A named pipe in place of a template is refused without waiting on it."""
    os.mkfifo(tmp_path / "t.md.j2")
    problem = refusal(tmp_path)
    assert "not a regular file" in english(problem)[0]


def test_template_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template larger than MAX_TEMPLATE_BYTES is refused before it is compiled."""
    monkeypatch.setattr(sandbox, "MAX_TEMPLATE_BYTES", 100)
    write(tmp_path, "t.md.j2", "x" * 100)
    assert render(tmp_path) == "x" * 100
    write(tmp_path, "u.md.j2", "x" * 101)
    problem = refusal(tmp_path, "u.md.j2")
    assert "larger than 100 bytes" in english(problem)[0]


@pytest.mark.parametrize(
    "source",
    [
        "{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}\n",
        "".join(f"{{% for x{i} in [1] %}}" for i in range(30)) + "{% endfor %}" * 30,
    ],
    ids=["nested-parentheses", "nested-loops"],
)
def test_template_too_deep_to_compile(tmp_path: Path, source: str) -> None:
    """A template too deeply nested to compile is an error naming it, not an internal error."""
    path = write(tmp_path, "t.md.j2", source)
    with pytest.raises(CutoverError) as caught:
        load_template("t.md.j2", tmp_path)
    assert caught.value.problems[0].file in (str(path.resolve()), "t.md.j2")


# --- sizes -------------------------------------------------------------------------------


# Each makes far more than MAX_TEXT in one step (or the page or a block does): refused
# before anything is made. The number is what the message reports.
TOO_LARGE = [
    ("'x' * 10**10", "'*' would reach 10,000,000,000"),
    ("'a' * 10**9", "'*' would reach 1,000,000,000"),
    ("[0] * 10**9", "'*' would reach 1,000,000,000"),
    ("(['x'] * 3000000) + (['y'] * 3000000)", "'+' would reach 6,000,000"),
    ("lipsum(10**6)", "lipsum would reach"),
    ("lipsum(1, max=10**9)", "lipsum would reach"),
    ("'{:>999999999}'.format(1)", "the format field {:>999999999} would reach 999,999,999"),
    ("'{:{w}}'.format(1, w=10**9)", "the format field {:1000000000} would reach"),
    ("'{0}{0}{0}{0}{0}'.format('x' * 1000000)", "format would reach 5,000,000"),
    ("'{a}{a}{a}{a}{a}'.format_map({'a': 'x' * 1000000})", "format would reach 5,000,000"),
    ("'%999999999d' % 1", "'%' would reach 1,000,000,0"),
    ("'%.999999999f' % 1.0", "'%' would reach 1,000,000,0"),
    ("'%*d' % (10**9, 1)", "'%' would reach 1,000,000,0"),
    ("'%(a)s%(a)s%(a)s%(a)s%(a)s' % {'a': 'x' * 1000000}", "'%' would reach 5,000,0"),
    ("'%999999999s'|format('x')", "format would reach 1,000,000,0"),
    ("'x'|center(10**9)", "center would reach 1,000,000,000"),
    ("'x'.center(10**9)", "center would reach 1,000,000,000"),
    ("'x'.ljust(10**9)", "ljust would reach 1,000,000,000"),
    ("'1'.zfill(10**9)", "zfill would reach 1,000,000,000"),
    ("('\\t' * 1000).expandtabs(10**6)", "expandtabs would reach 1,000,001,000"),
    ("('a\\n' * 1000000)|indent(100)", "indent would reach 102,000,100"),
    ("('a ' * 100000)|wordwrap(1, wrapstring='x' * 100)", "wordwrap would reach"),
    ("('a' * 1000)|replace('', 'x' * 10000)", "replace would reach 10,011,000"),
    ("('a' * 1000).replace('a', 'x' * 10000)", "replace would reach 10,001,000"),
    ("range(100000)|join('x' * 1000)", "join would reach"),
    ("('x' * 1000).join(range(100000)|map('string'))", "join would reach"),
    ("'aaaa'.translate({97: 'x' * 2000000})", "translate would reach 8,000,000"),
    ("(1).to_bytes(10**9, 'big')", "to_bytes would reach 1,000,000,000"),
    ("[1]|batch(10**9, 0)|list", "batch would reach 1,000,000,001"),
    ("[1]|slice(10**9)|list", "slice would reach 1,000,000,001"),
    ("range(100)|list|tojson(indent=10**6)", "tojson would reach"),
    ("([[0] * 1000] * 3000)|sum(start=[])", "sum would reach"),
    ("('x' * 1000000)|urlize(target='y' * 1000)", "urlize would reach"),
    ("('x' * 3000000) ~ ('y' * 3000000)", "'~' would reach 6,000,000"),
]


@pytest.mark.parametrize(("expression", "message"), TOO_LARGE, ids=[e for e, _ in TOO_LARGE])
def test_expression_too_large_is_refused(tmp_path: Path, expression: str, message: str) -> None:
    """An expression that would make more than MAX_TEXT is refused at its line, at once."""
    path = write(tmp_path, "t.md.j2", f"# title\n{{{{ {expression} }}}}\n")
    start = time.monotonic()
    problem = refusal(tmp_path)
    assert time.monotonic() - start < 5
    assert (problem.file, problem.line) == (str(path.resolve()), 2)
    assert message in english(problem)[0]
    assert english(problem)[0].endswith(f"the limit is {sandbox.MAX_TEXT:,}")
    assert "repeat count, width or count" in english(problem)[1]


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("a\n{% for i in range(100000) %}\n{{ 'x' * 100 }}\n{% endfor %}\n", 3),
        # A block's text is joined where the block starts.
        ("{% set b %}\n{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}\n{% endset %}", 1),
        (
            "{% macro m() %}\n{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}\n"
            "{% endmacro %}\n{{ m() }}\n",
            2,
        ),
        ("{% set l = [1] %}\n{% for i in range(40) %}{{ l.extend(l) }}{% endfor %}\n", 2),
    ],
    ids=["page", "set-block", "macro", "list-doubling"],
)
def test_output_growing_in_a_loop_is_refused(tmp_path: Path, source: str, line: int) -> None:
    """A loop whose output (a page's, a block's, a macro's, a list's) passes MAX_TEXT stops."""
    path = write(tmp_path, "t.md.j2", source)
    problem = refusal(tmp_path)
    assert (problem.file, problem.line) == (str(path.resolve()), line)
    assert "would reach" in english(problem)[0]


@pytest.mark.parametrize(
    "expression",
    [
        "2 ** 100000",
        "(10 ** 1000) * (10 ** 1000) * (10 ** 1000) * (10 ** 1000) * (10 ** 1000)",
    ],
)
def test_number_too_large_is_refused(tmp_path: Path, expression: str) -> None:
    """A number of more than MAX_NUMBER_DIGITS digits is refused before it is computed."""
    write(tmp_path, "t.md.j2", f"{{{{ {expression} }}}}\n")
    problem = refusal(tmp_path)
    assert "would make a number of about" in english(problem)[0]
    assert f"the limit is {sandbox.MAX_NUMBER_DIGITS:,}" in english(problem)[0]


def test_ordinary_template_is_untouched_by_the_limits(tmp_path: Path) -> None:
    """Everyday padding, formatting, joining and arithmetic render as jinja2 renders them."""
    write(
        tmp_path,
        "t.md.j2",
        "{{ 'ab'|center(6) }}|{{ '%3d' % 7 }}|{{ '{:>4}'.format('x') }}|"
        "{{ '%(a)s-%(a)s' % {'a': 'q'} }}|{{ ['a', 'b']|join(', ') }}|{{ ', '.join(['c']) }}|"
        "{{ 'x'|indent(2, first=true) }}|{{ 'a b c'|wordwrap(3) }}|{{ 2 ** 64 }}|"
        "{{ 'ab' * 2 }}|{{ [1] + [2] }}|{{ 'a' ~ 1 }}|{{ [1, 2, 3]|batch(2)|list }}|"
        "{{ {'k': 1}|tojson(indent=1) }}|{{ lipsum(2, html=false)|wordcount > 20 }}|"
        "{% for x in [3, 1, 2] if x > 1 %}{{ loop.index }}{{ x }}{% else %}-{% endfor %}|"
        "{% for x in [] %}{% else %}empty{% endfor %}|{{ 'a\\tb'.expandtabs(2) }}\n",
    )
    assert render(tmp_path) == (
        "  ab  |  7|   x|q-q|a, b|c|  x|a b\nc|18446744073709551616|abab|[1, 2]|a1|"
        '[[1, 2], [3]]|{\n "k": 1\n}|True|1322|empty|a b\n'
    )


def test_shipped_templates_render_the_same_in_the_sandbox(tmp_path: Path) -> None:
    """The shipped templates, copied into DIR, give byte-identical checklists and index."""
    templates = tmp_path / "templates"
    shutil.copytree(SHIPPED, templates)
    the_plan = plan_example(read_example(TOTTORI))
    for lang in ("ja", "en"):
        plain = write_checklists(the_plan, tmp_path / f"plain-{lang}", lang=lang)
        sandboxed = write_checklists(
            the_plan, tmp_path / f"sandbox-{lang}", lang=lang, templates=templates
        )
        assert [p.name for p in plain] == [p.name for p in sandboxed]
        for one, other in zip(plain, sandboxed, strict=True):
            assert one.read_bytes() == other.read_bytes(), one.name


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ {}['k' * 100000] }}\n", "which that value does not have"),
        ("{% include ('../' * 100000) ~ 'x' %}\n", "leads outside the templates directory"),
    ],
    ids=["undefined-key", "include-name"],
)
def test_long_value_in_an_error_is_cut(tmp_path: Path, source: str, message: str) -> None:
    """An error quoting a huge value (a key, a template name) stays one short line."""
    write(tmp_path, "t.md.j2", source)
    problem = refusal(tmp_path)
    assert message in english(problem)[0]
    assert len(str(problem)) < 700


# --- time and memory ---------------------------------------------------------------------


@pytest.fixture
def quick_clock(monkeypatch: pytest.MonkeyPatch) -> float:
    """Return a render time limit of a fifth of a second, set for the test."""
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.2)
    return 0.2


@pytest.mark.parametrize(
    ("source", "line"),
    [
        (
            "a\n{% for i in range(100000) %}\n{% for j in range(100000) %}\n{% endfor %}\n"
            "{% endfor %}\n",
            3,
        ),
        (
            "{% set s = 'x' * 3000000 %}\n{% for a in s %}{% for b in s %}"
            "{% endfor %}{% endfor %}\n",
            2,
        ),
        (
            "{% macro f(n) %}\n{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}\n"
            "{% endmacro %}\n{{ f(60) }}\n",
            2,
        ),
    ],
    ids=["nested-ranges", "nested-over-a-string", "doubling-macro"],
)
def test_runaway_template_stops_at_the_time_limit(
    tmp_path: Path, quick_clock: float, source: str, line: int
) -> None:
    """A template with no end in sight, even one printing nothing, stops at RENDER_SECONDS."""
    path = write(tmp_path, "t.md.j2", source)
    start = time.monotonic()
    problem = refusal(tmp_path)
    assert time.monotonic() - start < quick_clock + 2
    assert english(problem)[0].startswith("template took more than 0.2 seconds to render one page")
    assert (problem.file, problem.line) == (str(path.resolve()), line)
    assert "loops inside loops" in english(problem)[1]


def test_includes_without_end_stop_at_the_time_limit(tmp_path: Path, quick_clock: float) -> None:
    """Templates including the next one twice, 40 deep (2**40 includes), stop in time."""
    for i in range(40):
        write(tmp_path, f"t{i}.md.j2", f"{{% include 't{i + 1}.md.j2' %}}" * 2)
    write(tmp_path, "t40.md.j2", "")
    problem = refusal(tmp_path, "t0.md.j2")
    assert "seconds to render one page" in english(problem)[0]


class _Ticks:
    """A clock for the sandbox that moves one second each time it is read: a page's time is
    the steps it takes, whatever else the machine is doing."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


def test_time_limit_is_per_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page gets the whole time limit: many quick pages in a row never add up to it."""
    clock = _Ticks()
    monkeypatch.setattr(sandbox, "time", clock)
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 1e9)
    write(tmp_path, "t.md.j2", "{% for i in range(50) %}{% endfor %}ok\n")
    template = load_template("t.md.j2", tmp_path)
    before = clock.now
    assert render_template(template) == "ok\n"
    page = clock.now - before
    # Each page takes half the limit on this clock; ten in a row, five times the limit.
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 2 * page)
    for _ in range(10):
        assert render_template(template) == "ok\n"
    assert clock.now - before > 5 * sandbox.RENDER_SECONDS


def test_task_items_spend_their_page_s_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow task item template (checklist_task.md.j2) stops at one page's time limit,
    not at that limit once per task: the items are rendered inside their page."""
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.1)
    # Each item takes a fifth of the limit or more, so a page of ten tasks is over it.
    slow = "{% for i in range(100) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"
    write(tmp_path, "checklist_task.md.j2", slow + "- {{ task.id }}\n")
    the_plan = plan_example(read_example(TOTTORI))
    start = time.monotonic()
    with pytest.raises(CutoverError) as caught:
        write_checklists(the_plan, tmp_path / "out", templates=tmp_path)
    assert time.monotonic() - start < 5
    (problem,) = caught.value.problems
    assert "seconds to render one page" in english(problem)[0]
    assert problem.file is not None
    assert problem.file.endswith("checklist_task.md.j2")


def test_recursion_without_end_is_named(tmp_path: Path) -> None:
    """A macro calling itself without end is named as such, not a bare RecursionError."""
    write(tmp_path, "t.md.j2", "{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n")
    problem = refusal(tmp_path)
    assert "calls itself without end" in english(problem)[0]


@pytest.mark.skipif(sandbox._resident_bytes() is None, reason="memory cannot be read here")
def test_template_hoarding_memory_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template piling data into a namespace, no value of it large, stops at its memory."""
    monkeypatch.setattr(sandbox, "MAX_MEMORY_BYTES", 16 * 2**20)
    monkeypatch.setattr(sandbox, "_MEMORY_CHECK_SECONDS", 0.0)
    # Only the memory may stop it: on a busy machine the time limit came first.
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 120.0)
    items = ", ".join(["i"] * 100)
    # About 80 MB a round: the limit stops the page in the first (0.5 s). The rounds after
    # it are room for a process whose resident memory lags what the page allocates (memory
    # earlier tests in this worker freed, filled again first): only a page the limit fails
    # to stop runs them all (about 650 MB).
    write(
        tmp_path,
        "t.md.j2",
        "{% set ns = namespace(d=none) %}\n"
        "{% for round in range(8) %}{% for i in range(100000) %}"
        f"{{% set ns.d = {{'up': ns.d, 'data': [{items}]}} %}}{{% endfor %}}{{% endfor %}}\n",
    )
    problem = refusal(tmp_path)
    assert english(problem)[0].startswith("template used more than 16 MB of memory")
    assert "namespace" in english(problem)[1]


@pytest.mark.parametrize(
    "call", ["{{ task_items([1, 2]) }}", "{{ task_items.item(page.tasks[0]) }}"]
)
def test_task_items_misused_by_a_page_name_the_page(tmp_path: Path, call: str) -> None:
    """A user's checklist.md.j2 that hands task_items something else than page.tasks, or
    reaches for its inner method, gets one error naming that page and its line: not the
    shipped item template, which the user did not write and cannot fix."""
    path = write(tmp_path, "checklist.md.j2", f"# {{{{ page.title }}}}\n{call}\n")
    the_plan = plan_example(read_example(TOTTORI))
    with pytest.raises(CutoverError) as caught:
        write_checklists(the_plan, tmp_path / "out", templates=tmp_path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(path.resolve()), 2)
