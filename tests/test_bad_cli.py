"""The whole-command bad-input corpus (`tests/data/bad/cli/`): each case ends with its exit
code and its message (in English, ``--lang en``: the fragments are English), in time, with its
inputs untouched and nothing forbidden written; and in Japanese, the default, its messages
hold no English sentence."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import attrs
import pytest
from test_cli_language import english_sentence

from cutover.cli.main import main

CORPUS = Path(__file__).resolve().parent / "data" / "bad" / "cli"
#: Seconds a case may take: a refused input is refused at once, so this only catches a hang.
TIME_LIMIT = 30


@attrs.frozen
class Case:
    """One folder of the corpus: the command, what it must give, and its inputs."""

    folder: Path
    args: tuple[str, ...]
    exit: int
    fragments: tuple[str, ...]
    forbidden: tuple[str, ...]

    @classmethod
    def read(cls, folder: Path) -> Case:
        """Return the case in `folder` (its `command` and `expected` files)."""
        args = (folder / "command").read_text(encoding="utf-8").splitlines()
        first, *rest = (folder / "expected").read_text(encoding="utf-8").splitlines()
        word, code = first.split()
        assert word == "exit", f"{folder}/expected: the first line must be 'exit N'"
        return cls(
            folder,
            tuple(args),
            int(code),
            tuple(line for line in rest if line and not line.startswith("!")),
            tuple(line[1:] for line in rest if line.startswith("!")),
        )


def cases() -> list[Case]:
    """Return every case of the corpus."""
    return [Case.read(folder) for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir())]


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


class _TooSlow(Exception):
    """A case ran past its time limit."""


@pytest.fixture
def time_limit() -> Iterator[None]:
    """Fail a case that runs longer than `TIME_LIMIT` seconds (a hang) instead of waiting."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(TIME_LIMIT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run(case: Case, folder: Path, *lang: str) -> int:
    """Return the exit code of the case's command run on its copy in `folder`."""
    args = [*lang, *(arg.replace("{case}", str(folder)) for arg in case.args)]
    try:
        return main(args)
    except SystemExit as end:  # (argparse's usage errors exit, as the command does)
        return int(end.code or 0)
    except _TooSlow:
        pytest.fail(f"cutover {' '.join(args)} ran over {TIME_LIMIT} s")


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.folder.name)
@pytest.mark.usefixtures("time_limit")
def test_case(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command exits with the case's code and message, in time, touching no input."""
    folder = tmp_path / case.folder.name
    shutil.copytree(case.folder, folder)
    inputs = _snapshot(folder)
    code = _run(case, folder, "--lang", "en")
    out, err = capsys.readouterr()
    assert code == case.exit, err
    assert "Traceback" not in err
    assert "internal error" not in err
    for fragment in case.fragments:
        assert fragment.replace("{case}", str(folder)) in err
    after = _snapshot(folder)
    for name, data in inputs.items():
        assert after.get(name) == data, f"{name} changed"
    written = b"".join(data for name, data in after.items() if name not in inputs)
    for fragment in case.forbidden:
        assert fragment not in out
        assert fragment not in err
        assert fragment.encode() not in written


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.folder.name)
@pytest.mark.usefixtures("time_limit")
def test_case_in_japanese(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In Japanese (no --lang), the case ends the same, its messages hold no English
    sentence (file names, codes and quoted values aside), and nothing forbidden is said (a
    library's English words, quoted or not)."""
    folder = tmp_path / case.folder.name
    shutil.copytree(case.folder, folder)
    assert _run(case, folder) == case.exit
    out, err = capsys.readouterr()
    for fragment in case.forbidden:
        assert fragment not in out
        assert fragment not in err
    # (A case that succeeds may say nothing: it checks what is written, not a message.)
    assert err or case.exit == 0
    for line in err.splitlines():
        assert english_sentence(line) is None, line


def test_every_case_is_complete() -> None:
    """Every case folder has a command and an expected file."""
    for folder in CORPUS.iterdir():
        if folder.is_dir():
            assert (folder / "command").is_file(), folder
            assert (folder / "expected").is_file(), folder
