"""The docs show real output: each command they show is run again on the shipped example.

A **transcript** is a ``$ cutover …`` line in a ``console`` or ``text`` block of `docs/`, and
the lines under it up to the next ``$``. Its exit code must be the one the page shows
(``$ echo $?``), else non-zero when the page shows an error and zero when not. Its lines
must appear in the output as consecutive lines; a line that is only ``…`` stands for lines
left out, as the docs mark them, and ``…`` within a line for text left out.

A block the page shows as what a command wrote carries a marker on the line above it (an
HTML comment, invisible on the rendered page):

- ``<!-- output: `cutover …` -->``: the block is an excerpt of the command's output;
- ``<!-- output: `cutover …` PATH -->``: an excerpt of the file PATH the command wrote; a
  workbook's sheet (``triage.xlsx#要対応の照会``; the first sheet without ``#``) is read as
  CSV lines, its cells as Excel shows them (a date cell in its number format:
  ``2018年6月29日(金)``), empty cells at the end of a row left out;
- ``<!-- excerpt: PATH -->``: an excerpt of one of the example's input files;
- ``<!-- input: NAME -->``: the block is the whole of an input file NAME the page shows;
  every command of the page runs with it.

An excerpt is checked as a transcript's lines are (blank lines aside); a JSON block that is a
whole object must equal an object somewhere in the command's JSON. Nothing is normalised:
the commands the docs show give their as-of date, or write nothing that depends on the day.

Every command runs, once, in a copy of `examples/tottori` (where the coordinator guide tells
the reader to run them), with a copy of it at `examples/tottori` (where the triage guide's
paths point), the page's input files, and the file of the bad-input corpus
(`tests/data/bad/`, `tests/data/docs/`) the command names. Every input a command names must
be there: a reader who types the command finds the file, or the page says how to make it
(`MADE`).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import re
import shlex
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from cutover.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLE = ROOT / "examples" / "tottori"
# The bad-input corpus: the triage guide shows some of its files and the messages they give.
# And inputs the pages only describe, made for this test (`tests/data/docs/README.md`).
CORPUS = [ROOT / "tests" / "data" / "bad" / kind for kind in ("queries", "registry", "logs")]
CORPUS.append(ROOT / "tests" / "data" / "docs")
BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[a-z]*)\n(?P<body>.*?)^(?P=indent)```", re.S | re.M
)
MARKER = re.compile(r"^[ \t]*<!-- (?P<kind>input|output|excerpt): (?P<what>.+?) -->[ \t]*$")
OUTPUT = re.compile(r"`(?P<command>cutover [^`]+)`(?: (?P<path>\S+))?")

#: Files a page tells the reader to make by editing a shipped one: the file, the one it is
#: copied from, and each text replaced (which must be there, once).
MADE: dict[str, tuple[str, list[tuple[str, str]]]] = {
    # docs/calendar-format.md and docs/cli.md: a copy of the calendar with two mistakes.
    "calendars/draft.toml": (
        "calendars/2018-07.toml",
        [
            ('date = "平成30年4月12日"', 'date = "平成31年5月1日"'),
            ('after = ["change-requests-open"]', 'after = ["change-requests-opn"]'),
        ],
    ),
}


class Transcript(NamedTuple):
    doc: str
    line: int
    command: str
    expected: list[str]
    # The exit code the page shows (``$ echo $?`` after the command), or None.
    code: int | None
    # The comment after the command on the page (``# …``), or "".
    comment: str


class Shown(NamedTuple):
    """A block a page shows as what a command wrote, or as one of the example's files."""

    doc: str
    line: int
    lang: str
    # None: an excerpt of an input file of the example (`path`).
    command: str | None
    # None: the command's output (standard output, then standard error).
    path: str | None
    lines: list[str]


class Page(NamedTuple):
    transcripts: list[Transcript]
    shown: list[Shown]
    # The input files the page shows whole: (name, text).
    inputs: tuple[tuple[str, str], ...]


def _blocks(text: str) -> Iterator[tuple[int, str, list[str], str]]:
    """Yield each fenced block of a page: its first line, language, lines (unindented) and
    the marker on the line above it ("" when none)."""
    for block in BLOCK.finditer(text):
        first_line = text.count("\n", 0, block.start("body")) + 1
        indent = block.group("indent")
        lines = [line.removeprefix(indent) for line in block.group("body").splitlines()]
        above = text[: block.start()].rstrip("\n").rpartition("\n")[2]
        yield first_line, block.group("lang"), lines, above


def read_page(doc: Path) -> Page:
    """Return the transcripts, shown outputs and input files of one page."""
    text = doc.read_text(encoding="utf-8")
    transcripts: list[Transcript] = []
    shown: list[Shown] = []
    inputs: list[tuple[str, str]] = []
    for first_line, lang, lines, above in _blocks(text):
        marker = MARKER.match(above)
        if marker is not None:
            kind, what = marker.group("kind"), marker.group("what")
            body = [line for line in lines if line.strip()]
            if kind == "input":
                inputs.append((what, "\n".join(lines) + "\n"))
            elif kind == "excerpt":
                shown.append(Shown(doc.name, first_line, lang, None, what, body))
            else:
                found = OUTPUT.fullmatch(what)
                assert found is not None, f"{doc.name}:{first_line - 1}: a bad marker: {what}"
                command, path = found.group("command"), found.group("path")
                shown.append(Shown(doc.name, first_line, lang, command, path, body))
            continue
        if lang not in ("console", "text"):
            continue
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for k, i in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(lines)
            command, j = lines[i][2:], i + 1
            while command.endswith("\\"):  # a command continued on the next line
                command, j = command[:-1] + " " + lines[j].strip(), j + 1
            command, _, comment = command.partition("  #")  # a comment after the command
            command = command.strip()
            if command.startswith("cutover "):
                expected = [line for line in lines[j:end] if line.strip()]
                code = None
                if end < len(lines) and lines[end] == "$ echo $?":
                    code = int(lines[end + 1])
                found_at = first_line + i
                transcripts.append(
                    Transcript(doc.name, found_at, command, expected, code, comment.strip())
                )
    return Page(transcripts, shown, tuple(inputs))


PAGES = {doc.name: read_page(doc) for doc in sorted(DOCS.glob("*.md"))}
ALL = [t for page in PAGES.values() for t in page.transcripts]
SHOWN = [s for page in PAGES.values() for s in page.shown]


def _line_matches(expected: str, got: str) -> bool:
    """A line matches as written; a "…" in it stands for any text."""
    if "…" not in expected:
        return got.rstrip() == expected.rstrip()
    pattern = ".*".join(map(re.escape, expected.rstrip().split("…")))
    return re.fullmatch(pattern, got.rstrip()) is not None


def unmatched(expected: list[str], output: list[str]) -> str | None:
    """Return the first run of expected lines not found in `output`, or None.

    A line that is only "…" splits the expected lines into runs; each run must be found as
    consecutive lines of the output (blank lines aside), after the run before it.
    """
    got = [line for line in output if line.strip()]
    runs: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == "…":
            runs.append([])
        else:
            runs[-1].append(line)
    position = 0
    for run in filter(None, runs):
        for start in range(position, len(got) - len(run) + 1):
            if all(_line_matches(e, g) for e, g in zip(run, got[start:], strict=False)):
                position = start + len(run)
                break
        else:
            return "\n  ".join(run[:3]) + ("\n  …" if len(run) > 3 else "")
    return None


def shows_an_error(transcript: Transcript) -> bool:
    """Return True when the page shows the command stopping on an error."""
    return any(
        line.startswith("cutover: ") and not line.startswith(("cutover: warning", "cutover: 警告"))
        for line in transcript.expected
    )


def asserted(transcript: Transcript) -> bool:
    """Return True when the transcript shows output to check, not only "…"."""
    return any(line.strip() != "…" for line in transcript.expected)


def inputs(args: list[str]) -> list[str]:
    """Return the input files the command names (not what it writes)."""
    return [
        arg.partition("#")[0]  # (a workbook's sheet: readiness.xlsx#改修状況)
        for before, arg in zip(["", *args], args, strict=False)
        if arg.partition("#")[0].endswith((".csv", ".toml", ".xlsx"))
        and before not in ("-o", "--output")
    ]


def corpus_file(name: str) -> Path | None:
    """Return the bad-input corpus's file of that name, if the page shows one of them."""
    found = [d / name for d in CORPUS if (d / name).exists()]
    return found[0] if found else None


class Run(NamedTuple):
    code: int
    out: list[str]
    err: list[str]
    # Where it ran: the files it wrote are there.
    folder: Path


class Runs:
    """Each command of the docs run once (per worker), in a folder of its own."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.done: dict[tuple[tuple[tuple[str, str], ...], str], Run] = {}
        self.folders = 0

    def __call__(self, doc: str, command: str) -> Run:
        """Return the run of `command` with the inputs of the page `doc`."""
        page_inputs = PAGES[doc].inputs
        key = (page_inputs, command)
        if key not in self.done:
            self.done[key] = self._run(page_inputs, command)
        return self.done[key]

    def _run(self, page_inputs: tuple[tuple[str, str], ...], command: str) -> Run:
        args = shlex.split(command)
        self.folders += 1
        work = self.root / f"run{self.folders}"
        # (Not the golden checklists: no command reads them, and they are most of the files.)
        golden = shutil.ignore_patterns("checklists*")
        shutil.copytree(EXAMPLE, work, ignore=golden)
        shutil.copytree(EXAMPLE, work / "examples" / "tottori", ignore=golden)  # (triage.md)
        for name, text in page_inputs:
            (work / name).write_text(text, encoding="utf-8")
        for name in inputs(args):
            source = corpus_file(name)
            if source is not None and not (work / name).exists():
                (work / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, work / name)
            if name in MADE and not (work / name).exists():
                original, edits = MADE[name]
                text = (ROOT / original).read_text(encoding="utf-8")
                for old, new in edits:
                    assert text.count(old) == 1, f"{original} no longer holds {old!r} once"
                    text = text.replace(old, new)
                (work / name).parent.mkdir(parents=True, exist_ok=True)
                (work / name).write_text(text, encoding="utf-8")
        missing = [name for name in inputs(args) if not (work / name).exists()]
        assert not missing, (
            f"`{command}` reads {', '.join(missing)}: ship it in examples/tottori (or say on the "
            "page how to make it, and make it in tests/test_docs_transcripts.py's MADE)"
        )
        out, err = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8") for _ in range(2))
        with (
            pytest.MonkeyPatch.context() as patch,
            contextlib.chdir(work),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            patch.delenv("CUTOVER_LANG", raising=False)
            try:
                code = main(args[1:])
            except SystemExit as stop:  # (a usage error, as argparse ends it)
                code = stop.code if isinstance(stop.code, int) else 1
        return Run(code, _text(out).splitlines(), _text(err).splitlines(), work)


def _text(stream: io.TextIOWrapper) -> str:
    """Return what was written to `stream`, its text and its bytes."""
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """Return the runs of the docs' commands, each made once."""
    return Runs(tmp_path_factory.mktemp("docs"))


def test_enough_run() -> None:
    """The docs show many commands with their output, and many files commands wrote."""
    assert len(ALL) >= 60
    checked = [t for t in ALL if asserted(t) or t.code is not None]
    assert len(checked) >= 50, f"only {len(checked)} transcripts show output to check"
    assert len([s for s in SHOWN if s.command is not None]) >= 20


@pytest.mark.parametrize("transcript", ALL, ids=[f"{t.doc}:{t.line}" for t in ALL])
def test_transcript_is_real_output(transcript: Transcript, runs: Runs) -> None:
    """The command, run again, prints what the docs show."""
    run = runs(transcript.doc, transcript.command)
    where = f"{transcript.doc}:{transcript.line}: `{transcript.command}`"
    if transcript.code is not None:
        assert run.code == transcript.code, (
            f"{where} exits {run.code}, the page shows {transcript.code}"
        )
    elif shows_an_error(transcript):
        assert run.code != 0, f"{where} exits 0, the page shows an error"
    else:
        assert run.code == 0, f"{where} exits {run.code}, the page shows no error"
    expected = transcript.expected
    # The page shows the two streams one after the other, in either order.
    missing = unmatched(expected, run.out + run.err)
    if missing is not None and unmatched(expected, run.err + run.out) is None:
        missing = None
    assert missing is None, (
        f"{where} no longer prints\n  {missing}\n"
        "(run it in examples/tottori and paste its output into the docs)"
    )


def _objects(value: object) -> Iterator[object]:
    """Yield `value` and every object and list inside it."""
    yield value
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    )
    for child in children:
        yield from _objects(child)


#: What Excel shows for the parts of the date formats cutover's workbooks use.
_DATE_PARTS = re.compile(r'"(?P<text>[^"]*)"|\[\$-\d+\]|yyyy|hh|mm|ddd|dd|aaa|m|d|.')
_WEEKDAYS = {"aaa": "月火水木金土日", "ddd": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}


def _shown_date(value: dt.datetime, number_format: str) -> str:
    """Return a date cell's value as Excel shows it in `number_format` (``mm`` after ``hh``
    is the minutes)."""
    parts: list[str] = []
    after_hours = False
    for part in _DATE_PARTS.finditer(number_format):
        token = part.group()
        if part.group("text") is not None:
            parts.append(part.group("text"))
        elif token.startswith("[$"):
            continue
        elif token in _WEEKDAYS:
            parts.append(_WEEKDAYS[token][value.weekday()])
        elif token == "mm":
            parts.append(f"{value.minute if after_hours else value.month:02d}")
        else:
            shown = {
                "yyyy": f"{value.year}",
                "hh": f"{value.hour:02d}",
                "dd": f"{value.day:02d}",
                "m": f"{value.month}",
                "d": f"{value.day}",
            }
            parts.append(shown.get(token, token))
        after_hours = token == "hh" or (after_hours and token == ":")
    return "".join(parts)


def _shown_cell(value: object, number_format: str) -> str:
    """Return a cell's value as Excel shows it ("" for an empty cell)."""
    if isinstance(value, dt.datetime):
        return _shown_date(value, number_format)
    return "" if value is None else str(value)


def _sheet_lines(path: Path, sheet: str) -> list[str]:
    """Return the rows of a workbook's sheet (its first without a name) as CSV lines."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    rows = book[sheet] if sheet else book.worksheets[0]
    lines: list[str] = []
    for row in rows.iter_rows():
        cells = [_shown_cell(cell.value, cell.number_format) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        line = io.StringIO()
        csv.writer(line, lineterminator="").writerow(cells)
        lines.append(line.getvalue())
    return lines


@pytest.mark.parametrize("shown", SHOWN, ids=[f"{s.doc}:{s.line}" for s in SHOWN])
def test_shown_file_is_real(shown: Shown, runs: Runs) -> None:
    """A block the page shows as what a command wrote (or as an input file of the example)
    is in what the command writes now (or in the file)."""
    if shown.command is None:
        assert shown.path is not None
        where = f"{shown.doc}:{shown.line}: {shown.path}"
        written = (EXAMPLE / shown.path).read_text(encoding="utf-8-sig").splitlines()
    else:
        run = runs(shown.doc, shown.command)
        where = f"{shown.doc}:{shown.line}: `{shown.command}`"
        if shown.path is None:
            # (JSON is on standard output alone: the warnings go to standard error.)
            written = run.out if shown.lang == "json" else run.out + run.err
        else:
            where += f" → {shown.path}"
            name, _, sheet = shown.path.partition("#")
            assert (run.folder / name).exists(), f"{where}: no such file written"
            if name.endswith(".xlsx"):
                written = _sheet_lines(run.folder / name, sheet)
            else:
                written = (run.folder / name).read_text(encoding="utf-8-sig").splitlines()
    if shown.lang == "json" and "…" not in "".join(shown.lines):
        wanted = json.loads("\n".join(shown.lines))
        assert wanted in _objects(json.loads("\n".join(written))), (
            f"{where} no longer writes the object the page shows"
        )
        return
    missing = unmatched(shown.lines, written)
    assert missing is None, (
        f"{where} no longer writes\n  {missing}\n(paste what it writes now into the docs)"
    )


ICS = [t for t in ALL if "--format ics" in t.command and "件" in t.comment]


@pytest.mark.parametrize("transcript", ICS, ids=[f"{t.doc}:{t.line}" for t in ICS])
def test_ics_counts_are_real(transcript: Transcript, runs: Runs) -> None:
    """An iCalendar file the page counts (``# 予定 24件（行事 20件 + 定期的な対応 4件）``)
    holds that many events; the parts the comment names add up to it, and the recurring
    obligations (one event a day, their UIDs dated) are as many as it says."""
    run = runs(transcript.doc, transcript.command)
    args = shlex.split(transcript.command)
    written = (run.folder / args[args.index("-o") + 1]).read_text(encoding="utf-8")
    total, *parts = (int(n) for n in re.findall(r"(\d+)\s*件", transcript.comment))
    where = f"{transcript.doc}:{transcript.line}"
    assert written.count("BEGIN:VEVENT") == total, f"{where}: the file has another count"
    assert not parts or sum(parts) == total, f"{where}: {parts} do not add up to {total}"
    recurring = re.search(r"定期的な対応 (\d+)\s*件", transcript.comment)
    if recurring is not None:
        dated = len(re.findall(r"^UID:.*\.\d{8}@", written, re.M))
        assert dated == int(recurring.group(1)), f"{where}: {dated} recurring obligations"


#: The options that name what a command writes: a file, or a folder.
WRITES = ("-o", "--output", "--out")


def test_no_command_writes_over_the_example() -> None:
    """No command the docs show writing a file, on a page whose readers run it in
    examples/tottori (a page with no input files of its own), writes over a file or folder
    shipped there: the coordinator guide's checklists went to ``checklists``, the example's
    golden checklists, replaced by a plan without the queries (and the tests' copy of the
    example leaves that folder out)."""
    commands = [
        (t.doc, t.line, t.command) for t in ALL if not shows_an_error(t) and not PAGES[t.doc].inputs
    ]
    commands += [
        (s.doc, s.line, s.command)
        for s in SHOWN
        if s.command is not None and not PAGES[s.doc].inputs
    ]
    assert len(commands) >= 50
    over: list[str] = []
    for doc, line, command in commands:
        args = shlex.split(command)
        for option, value in itertools.pairwise(args):
            if option in WRITES and (EXAMPLE / value).exists():
                over.append(f"{doc}:{line}: {option} {value}")
    assert over == []


def test_guide_quotes_the_unclosed_quote_message_as_printed() -> None:
    """The coordinator guide quotes the message of a quote left open (step 6) as cutover
    prints it, its numbers written N, M and K: it quoted an older wording (no 「（"）」,
    no count of lines)."""
    from cutover.i18n.catalogue import text as catalogue_text

    message = catalogue_text("inputs.open-quote", "ja", first="N", last="M", count="K")
    guide = (DOCS / "coordinator-guide.md").read_text(encoding="utf-8")
    quoted = re.findall(r"「(N行目で引用符[^」]*)」", re.sub(r"\n\s*", "", guide))
    assert quoted == [message]


#: The pages for the clerks and coordinators, where every file shown is a checked excerpt
#: (exports.md: the coordinator guide's step 17 sends its readers there).
CHECKED_PAGES = (
    "coordinator-guide.md",
    "triage.md",
    "survey.md",
    "hearings.md",
    "flags.md",
    "exports.md",
)


@pytest.mark.parametrize("doc", CHECKED_PAGES)
def test_every_file_shown_is_checked(doc: str) -> None:
    """On the coordinators' pages, every Markdown, CSV or JSON block carries a marker: an
    excerpt of a command's output cannot be pasted there unchecked."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    unmarked = [
        f"{doc}:{line}"
        for line, lang, _, above in _blocks(text)
        if lang in ("markdown", "csv", "json") and MARKER.match(above) is None
    ]
    assert unmarked == []


@pytest.mark.parametrize("doc", CHECKED_PAGES)
def test_every_command_is_one_line(doc: str) -> None:
    """On the coordinators' pages, every command shown is on one line: their readers type
    them at a Windows command prompt, where a line ending in ``\\`` does not go on to the
    next line but passes ``\\`` to cutover (「使えない引数があります: \\」)."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    continued = [
        f"{doc}:{first + k}"
        for first, lang, lines, _ in _blocks(text)
        if lang in ("console", "text", "sh", "")
        for k, line in enumerate(lines)
        if line.rstrip().endswith(" \\")
    ]
    assert continued == []


def test_every_option_is_documented() -> None:
    """Every option a command takes (as ``--help`` lists it, other names included) is named
    in docs/cli.md: an option no page names is one no reader finds."""
    from cutover.cli.parser import build_parser

    cli = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser, command: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{command} {name}")
            for option in set(action.option_strings) - {"-h", "--help"}:
                if not re.search(re.escape(option) + r"(?![\w-])", cli):
                    missing.append(f"{command} {option}")

    walk(build_parser("ja"), "cutover")
    assert sorted(missing) == []


def test_catalogue_is_quoted_as_it_is() -> None:
    """The catalogue entries docs/messages.md quotes (a ``toml`` block that starts with
    ``# messages/<lang>/<domain>.toml``) are the catalogue's, word for word."""
    text = (DOCS / "messages.md").read_text(encoding="utf-8")
    quoted = 0
    for _, lang, lines, _ in _blocks(text):
        if lang != "toml" or not lines[0].startswith("# messages/"):
            continue
        catalogue = ROOT / "cutover" / "i18n" / lines[0].removeprefix("# ")
        entries = tomllib.loads(catalogue.read_text(encoding="utf-8"))
        for key, value in tomllib.loads("\n".join(lines)).items():
            assert entries.get(key) == value, f"docs/messages.md quotes {key} of {catalogue.name}"
            quoted += 1
    assert quoted >= 2


def test_guide_lists_every_header_spelling() -> None:
    """The coordinator guide's appendix lists, for each file and column, exactly the header
    spellings the readers accept: a coordinator can trust it for a Japanese header."""
    from cutover.inputs.logs import REGISTRATION_LOG_COLUMNS, TEST_LOG_COLUMNS
    from cutover.inputs.model import AGENCY_COLUMNS, EVIDENCE_COLUMNS, READINESS_COLUMNS
    from cutover.triage import QUERY_COLUMNS

    text = (DOCS / "coordinator-guide.md").read_text(encoding="utf-8")
    appendix = text.split("## 付録: 列の見出しの書き方", 1)[1].split("\n## ", 1)[0]
    sections = {
        heading.split("`")[1]: body
        for heading, body in re.findall(r"^### (.+?)\n(.*?)(?=^### |\Z)", appendix, re.S | re.M)
    }
    files = {
        "agencies.csv": AGENCY_COLUMNS,
        "readiness.csv": READINESS_COLUMNS,
        "evidence.csv": EVIDENCE_COLUMNS,
        "queries.csv": QUERY_COLUMNS,
    }
    assert set(files) <= set(sections)
    logs = [body for heading, body in sections.items() if heading not in files]
    assert len(logs) == 2
    for body, columns in [
        *((sections[name], columns) for name, columns in files.items()),
        (logs[0], REGISTRATION_LOG_COLUMNS),
        (logs[1], TEST_LOG_COLUMNS),
    ]:
        rows = dict(re.findall(r"^\| `([a-z_]+)` \| (.*) \|$", body, re.M))
        assert set(rows) == set(columns)
        for column, spellings in columns.items():
            assert re.findall(r"`([^`]+)`", rows[column]) == list(spellings)


def test_triage_dates_are_named_as_the_json_names_them() -> None:
    """The triage guide's table of the cutoff dates names each date as the JSON's
    ``calendar.cutoff`` does: it glossed them in English words (``last provision``), no key a
    reader finds in the JSON."""
    import cutover
    from cutover.render.schemas import cutoff_json

    text = (DOCS / "triage.md").read_text(encoding="utf-8")
    table = text.split("平成30年（2018年）の日付:", 1)[1].split("\n\n", 2)[1]
    rows = table.splitlines()[2:]
    named = [re.findall(r"（`([a-z_]+)`）", row) for row in rows]
    rule = cutover.cutoff_rule(cutover.build_timeline(cutover.load_calendar("2018-07")))
    dates = {key for key, value in cutoff_json(rule).items() if isinstance(value, str)}
    assert len(rows) == 4
    assert all(len(names) == 1 and names[0] in dates for names in named), named
