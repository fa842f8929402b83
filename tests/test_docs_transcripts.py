"""The docs' command transcripts are real output: each is run again on the shipped example.

A transcript is a ``$ cutover …`` line in a ``console`` or ``text`` block of `docs/`, and the
lines under it up to the next ``$``. It runs in a copy of `examples/tottori` (where the
coordinator guide's commands run), with a copy of it at `examples/tottori` (where the triage
guide's paths point). Its exit code must be the one the page shows (``$ echo $?``), else
non-zero when the page shows an error and zero when not. Its lines must appear in the
output as consecutive lines; a line that is only ``…`` stands for lines left out, as the
docs mark them, and ``…`` within a line for text left out. An input the page names from
the bad-input corpus (`tests/data/bad/`) is copied in. Transcripts whose input the docs
make up on the page (``bad/agencies.csv``, an edited calendar) are not run:
`test_enough_run` keeps that set from silently growing.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import tomllib
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
BLOCK = re.compile(r"^```(?:console|text)\n(.*?)^```", re.S | re.M)

#: Transcripts that show a file the reader edited first; (doc, start of the command, why).
EDITED_FIRST = {
    # The guide's readiness.csv with a date typed without its year, to show the message.
    ("coordinator-guide.md", "cutover validate 2018-07 --agencies agencies.csv --readiness"): (
        "readiness.csv:17"
    ),
}


class Transcript(NamedTuple):
    doc: str
    line: int
    command: str
    expected: list[str]
    # The exit code the page shows (``$ echo $?`` after the command), or None.
    code: int | None


def transcripts() -> list[Transcript]:
    """Return every ``$ cutover`` transcript of the docs, in order."""
    found = []
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for block in BLOCK.finditer(text):
            first_line = text.count("\n", 0, block.start(1)) + 1
            lines = block.group(1).splitlines()
            starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
            for k, i in enumerate(starts):
                end = starts[k + 1] if k + 1 < len(starts) else len(lines)
                command, j = lines[i][2:], i + 1
                while command.endswith("\\"):  # a command continued on the next line
                    command, j = command[:-1] + " " + lines[j].strip(), j + 1
                command = command.split("  #")[0].strip()  # a comment after the command
                if command.startswith("cutover "):
                    expected = [line for line in lines[j:end] if line.strip()]
                    code = None
                    if end < len(lines) and lines[end] == "$ echo $?":
                        code = int(lines[end + 1])
                    found.append(Transcript(doc.name, first_line + i, command, expected, code))
    return found


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
        arg
        for before, arg in zip(["", *args], args, strict=False)
        if arg.endswith((".csv", ".toml")) and before not in ("-o", "--output")
    ]


def corpus_file(name: str) -> Path | None:
    """Return the bad-input corpus's file of that name, if the page shows one of them."""
    found = [d / name for d in CORPUS if (d / name).exists()]
    return found[0] if found else None


def _example_workbook(arg: str, work: Path) -> None:
    """Write the workbook a page names (``readiness.xlsx``) from the example's CSV file of
    the same name, its cells typed as Excel types them, into `work`: on a sheet named
    改修状況 for readiness, as in the survey workbook, else Sheet1."""
    from workbooks import csv_to_workbook

    file = arg.partition("#")[0]
    source = EXAMPLE / Path(file).with_suffix(".csv").name
    if file.endswith(".xlsx") and not (work / file).exists() and source.exists():
        sheet = "改修状況" if source.stem == "readiness" else "Sheet1"
        csv_to_workbook(source, work / file, sheet=sheet)


def inputs_exist(args: list[str]) -> bool:
    """Return True when every input file the command names is in the example's folder, in
    the bad-input corpus, or (a path under `examples/`) in the repository."""
    return all(
        (EXAMPLE / arg).exists() or (ROOT / arg).exists() or corpus_file(arg) is not None
        for arg in inputs(args)
    )


ALL = transcripts()


def test_enough_run() -> None:
    """Most transcripts are run: those with made-up inputs stay a handful."""
    assert len(ALL) >= 40
    runnable = [t for t in ALL if inputs_exist(shlex.split(t.command))]
    skipped = len(ALL) - len(runnable)
    assert skipped <= 6, f"{skipped} transcripts cannot be run"
    checked = [t for t in runnable if asserted(t) or t.code is not None]
    assert len(checked) >= 30, f"only {len(checked)} transcripts show output to check"


@pytest.mark.parametrize("transcript", ALL, ids=[f"{t.doc}:{t.line}" for t in ALL])
def test_transcript_is_real_output(
    transcript: Transcript,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The command, run again, prints what the docs show."""
    for (doc, start), why in EDITED_FIRST.items():
        shown = any(why in line for line in transcript.expected)
        if transcript.doc == doc and transcript.command.startswith(start) and shown:
            pytest.skip(f"shows an edited file ({why})")
    args = shlex.split(transcript.command)
    if not inputs_exist(args):
        pytest.skip("its input is made up on the page")
    work = tmp_path / "work"
    exists = ("already exists", "すでにあります")
    if args[1] == "init" and not any(w in line for w in exists for line in transcript.expected):
        work.mkdir()  # `init` writes a new registry: the guide runs it in an empty folder
    else:
        shutil.copytree(EXAMPLE, work)
    shutil.copytree(EXAMPLE, work / "examples" / "tottori")  # (the triage guide's paths)
    for name in inputs(args):
        source = corpus_file(name)
        if source is not None and not (work / name).exists():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, work / name)
    for arg in args:
        _example_workbook(arg, work)
    monkeypatch.chdir(work)
    code = main(args[1:])
    where = f"{transcript.doc}:{transcript.line}: `{transcript.command}`"
    if transcript.code is not None:
        assert code == transcript.code, f"{where} exits {code}, the page shows {transcript.code}"
    elif shows_an_error(transcript):
        assert code != 0, f"{where} exits 0, the page shows an error"
    else:
        assert code == 0, f"{where} exits {code}, the page shows no error"
    captured = capsys.readouterr()
    out, err = captured.out.splitlines(), captured.err.splitlines()
    # The page shows the two streams one after the other, in either order.
    missing = unmatched(transcript.expected, out + err)
    if missing is not None and unmatched(transcript.expected, err + out) is None:
        missing = None
    assert missing is None, (
        f"{where} no longer prints\n  {missing}\n"
        "(run it in examples/tottori and paste its output into the docs)"
    )


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
    for block in re.findall(r"^```toml\n(.*?)^```", text, re.S | re.M):
        lines = block.splitlines()
        if not lines[0].startswith("# messages/"):
            continue
        catalogue = ROOT / "cutover" / "i18n" / lines[0].removeprefix("# ")
        entries = tomllib.loads(catalogue.read_text(encoding="utf-8"))
        for key, value in tomllib.loads(block).items():
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
