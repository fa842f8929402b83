"""The docs' command transcripts are real output: each is run again on the shipped example.

A transcript is a ``$ cutover …`` line in a ``console`` or ``text`` block of `docs/`, and the
lines under it up to the next ``$``. It runs in a copy of `examples/tottori` (where the
coordinator guide's commands run), with `examples/` beside it (where the triage guide's
paths point). Its lines must appear in the output, in order; a line with ``…`` stands for
lines left out, as the docs mark them. An input the page names from the bad-input corpus
(`tests/data/bad/`) is copied in. Transcripts whose input the docs make up on the page
(``bad/agencies.csv``, an edited calendar) are not run: `test_enough_run` keeps that set
from silently growing.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from cutover.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLE = ROOT / "examples" / "tottori"
# The bad-input corpus: the triage guide shows some of its files and the messages they give.
CORPUS = [ROOT / "tests" / "data" / "bad" / kind for kind in ("queries", "registry", "logs")]
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
                    found.append(Transcript(doc.name, first_line + i, command, expected))
    return found


def unmatched(expected: list[str], output: list[str]) -> str | None:
    """Return the first expected line not found in `output` after the lines before it."""
    rest = iter(output)
    for line in expected:
        if "…" in line:
            continue
        if not any(got.rstrip() == line.rstrip() for got in rest):
            return line
    return None


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
    assert skipped <= 10, f"{skipped} transcripts cannot be run"


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
    if args[1] == "init" and not any("already exists" in line for line in transcript.expected):
        work.mkdir()  # `init` writes a new registry: the guide runs it in an empty folder
    else:
        shutil.copytree(EXAMPLE, work)
    (work / "examples").symlink_to(ROOT / "examples")
    for name in inputs(args):
        source = corpus_file(name)
        if source is not None and not (work / name).exists():
            shutil.copyfile(source, work / name)
    monkeypatch.chdir(work)
    main(args[1:])
    captured = capsys.readouterr()
    output = (captured.out + captured.err).splitlines()
    missing = unmatched(transcript.expected, output)
    assert missing is None, (
        f"{transcript.doc}:{transcript.line}: `{transcript.command}` no longer prints\n"
        f"  {missing}\n"
        "(run it in examples/tottori and paste its output into the docs)"
    )
