"""The files cutover writes: devices, pipes and links written as a shell would, never replaced;
permissions kept; read-only files, inputs and folder names refused; a full disk, a size limit,
a closed standard output and a signal each a clean one-line error; no CSV cell a formula.

Cases that need a special file (a device, a FIFO, a link, a mode, a signal) are here, made in
a temporary directory; whole commands on ordinary files are in `tests/data/bad/cli/output-*`."""

from __future__ import annotations

import argparse
import contextlib
import csv
import errno
import io
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO

import pytest
from openpyxl import Workbook

import cutover
from cutover.cli.main import INPUT_ARGUMENTS, OUTPUT_ARGUMENTS, main
from cutover.cli.parser import build_parser
from cutover.errors import CutoverError, InputWarning, printable
from cutover.i18n.catalogue import Msg
from cutover.render.checklists import checklist_file
from cutover.render.csvout import CsvOut, cell, field
from cutover.render.files import refuse_repeated_inputs, write_folder, write_text
from cutover.render.triage import CsvWriter
from cutover.triage import (
    Action,
    CutoffRule,
    Query,
    QueryStatus,
    Reason,
    ReasonCode,
    TriageResult,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"
AGENCIES = EXAMPLE / "agencies.csv"
QUERIES = EXAMPLE / "queries.csv"
POSIX = pytest.mark.skipif(os.name != "posix", reason="no such special files on Windows")
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every command here in English (CUTOVER_LANG, which child processes inherit too):
    the assertions quote the English messages; `test_refusals_in_japanese` the Japanese."""
    monkeypatch.setenv("CUTOVER_LANG", "en")


def _timeline(target: Path | str, *more: str) -> int:
    return main(["timeline", "2018-07", "--as-of", "2018-06-20", *more, "-o", str(target)])


def _one_line(err: str) -> str:
    """Return the one error line of `err`, failing if there are more."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("cutover: ")
    return lines[0]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _run(
    *args: str,
    stdout: int | IO[str] = subprocess.PIPE,
    preexec_fn: Callable[[], None] | None = None,
    unbuffered: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m cutover` with `args` in a process of its own: its standard output
    buffered as a user's is, or with `unbuffered` each line written at once (``-u``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, *(["-u"] if unbuffered else []), "-m", "cutover", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=preexec_fn,
        env=env,
    )


# --- devices, pipes, links -------------------------------------------------------------------


def _char_device(tmp_path: Path, name: str, minor: int) -> Path:
    """Return a memory character device (3 null, 7 full): one made in `tmp_path` when this
    user may (root), else the system's, which a user who is not root could not replace.
    (Never the system's for root: a defect would replace the machine's /dev/null.)"""
    made = tmp_path / name
    try:
        os.mknod(made, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        with made.open("w"):  # (a file system mounted nodev refuses to open it)
            pass
    except (AttributeError, OSError):
        system = Path("/dev", name)
        if ROOT or not system.is_char_device():
            pytest.skip(f"cannot make a {name} device here")
        return system
    return made


@POSIX
def test_a_character_device_is_written_not_replaced(tmp_path: Path) -> None:
    """`-o /dev/null` writes into the device: it is still a device afterwards, not a file."""
    null_device = _char_device(tmp_path, "null", 3)
    assert _timeline(null_device) == 0
    assert null_device.is_char_device()
    assert _leftovers(null_device.parent) == []


@POSIX
def test_dev_stdout_appends_where_the_shell_points(tmp_path: Path) -> None:
    """`-o /dev/stdout >> log` adds the output after what the log held, as `>>` says."""
    # (A link made here to what /dev/stdout links to: the system's is left alone.)
    if not Path("/dev/fd/1").exists():
        pytest.skip("no /dev/fd here")
    stdout_link = tmp_path / "stdout"
    stdout_link.symlink_to("/dev/fd/1")
    log = tmp_path / "log.md"
    log.write_text("earlier\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as stdout:
        done = _run("--lang", "ja", "timeline", "2018-07", "-o", str(stdout_link), stdout=stdout)
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("earlier\n# ")
    assert "タイムライン" in text


@POSIX
def test_a_fifo_is_written_for_its_reader(tmp_path: Path) -> None:
    """`-o` a named pipe hands the output to the program reading it; the pipe stays a pipe."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        assert _timeline(fifo, "--format", "json") == 0
    finally:
        reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received[0].startswith(b"{")
    assert _leftovers(tmp_path) == []


@POSIX
def test_a_full_device_is_one_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-o /dev/full` (a disk with no space left) exits 1 with a line naming it and the fix."""
    full = _char_device(tmp_path, "full", 7)
    assert _timeline(full) == 1
    line = _one_line(capsys.readouterr().err)
    assert f"{full}: cannot write: the disk is full — free disk space" in line
    assert full.is_char_device()


@POSIX
def test_a_block_device_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`-o` a disk device is refused: a report written over it would destroy the disk."""
    disk = tmp_path / "disk"
    try:
        os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 0))
    except OSError:
        pytest.skip("cannot make a block device here (not root)")
    assert _timeline(disk) == 1
    assert "block device (a disk)" in _one_line(capsys.readouterr().err)
    assert disk.is_block_device()


@POSIX
def test_a_socket_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`-o` a socket is one clear refusal, and the socket is left as it was."""
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert _timeline(path) == 1
    assert "this is a socket" in _one_line(capsys.readouterr().err)
    assert path.is_socket()


@POSIX
def test_a_link_to_a_file_is_written_through(tmp_path: Path) -> None:
    """`-o` a symbolic link replaces the file it points to; the link stays a link."""
    real = tmp_path / "real.md"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real.name)
    write_text(link, "new\n")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new\n"
    assert _leftovers(tmp_path) == []


@POSIX
def test_a_link_to_a_device_opens_the_device(tmp_path: Path) -> None:
    """A link to /dev/null is written into /dev/null: neither the link nor the device becomes
    a file."""
    link = tmp_path / "out.md"
    link.symlink_to(os.devnull)
    write_text(link, "text\n")
    assert link.is_symlink()
    assert Path(os.devnull).is_char_device()


@POSIX
def test_a_dangling_link_is_refused(tmp_path: Path) -> None:
    """A link to a file that does not exist is refused, naming where it points: no file
    appears at a place the user did not name."""
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "elsewhere" / "x.md")
    with pytest.raises(CutoverError) as caught:
        write_text(link, "text\n")
    assert re.search(r"symbolic link to .*x\.md, which does not exist", caught.value.text("en"))
    assert "へのシンボリックリンクですが、リンク先がありません" in str(caught.value)
    assert not (tmp_path / "elsewhere").exists()


# --- permissions -----------------------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    """Writing over an output keeps its permissions: a private 0600 file stays private."""
    target = tmp_path / "plan.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(mode)
    write_text(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_text(encoding="utf-8") == "new\n"


@POSIX
def test_a_replaced_file_keeps_its_group(tmp_path: Path) -> None:
    """Writing over an output keeps its group (and, for root, its owner)."""
    target = tmp_path / "plan.csv"
    target.write_text("old\n", encoding="utf-8")
    before = target.stat()
    others = [g for g in os.getgroups() if g != before.st_gid]
    group = 4242 if ROOT else (others[0] if others else None)
    if group is None:
        pytest.skip("this user belongs to one group only")
    owner = 4343 if ROOT else -1
    os.chown(target, owner, group)
    write_text(target, "new\n")
    after = target.stat()
    assert after.st_gid == group
    assert after.st_uid == (owner if ROOT else before.st_uid)


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    """A new output is readable by colleagues as any new file is (0666 less the umask)."""
    if not hasattr(os, "fchmod"):
        pytest.skip("no permissions to give")
    umask = os.umask(0o022)
    try:
        write_text(tmp_path / "new.md", "text\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644


def test_a_read_only_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An output with no write permission for anyone is refused (root included), unchanged."""
    target = tmp_path / "final.md"
    target.write_text("approved\n", encoding="utf-8")
    target.chmod(0o444)
    assert _timeline(target) == 1
    line = _one_line(capsys.readouterr().err)
    assert f"{target}: this file is read-only — make it writable" in line
    assert target.read_text(encoding="utf-8") == "approved\n"
    assert _leftovers(tmp_path) == []


def test_refusals_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --lang, a refusal is in Japanese: the file named, what is wrong, the fix."""
    monkeypatch.delenv("CUTOVER_LANG")
    target = tmp_path / "final.md"
    target.write_text("approved\n", encoding="utf-8")
    target.chmod(0o444)
    assert _timeline(target) == 1
    assert _one_line(capsys.readouterr().err) == (
        f"cutover: {target}: このファイルは読み取り専用です — 置き換えてよいファイルなら書き込める"
        "ようにするか、-o で別のファイル名を指定してください"
    )
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert _timeline(tmp_path / "file" / "x.md") == 1
    assert _one_line(capsys.readouterr().err) == (
        f"cutover: {tmp_path / 'file' / 'x.md'}: ここには書き込めません（パスの途中がフォルダーでは"
        "ありません） — 書き込めるフォルダーを指定してください"
    )


# --- names -----------------------------------------------------------------------------------


def test_a_trailing_slash_names_no_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`-o out/` is refused (it names a folder): no file called `out` appears."""
    assert _timeline(f"{tmp_path / 'out'}/") == 1
    assert "ends with a slash, so it names a folder" in _one_line(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_a_newline_in_a_name_stays_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file name holding a newline or an escape shows them escaped: one error, one line."""
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert _timeline(tmp_path / "file" / "a\nb\x1b[2J.md") == 1
    line = _one_line(capsys.readouterr().err)
    assert "a\\nb\\x1b[2J.md: cannot write here" in line


def test_a_warning_names_its_file_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A warning about a file whose name holds a newline is one line too."""
    queries = tmp_path / "d\nq.csv"
    row = "Q1,318035,312011,2,2018-06-20,pending\n"
    queries.write_text(f"query_id,querier,provider,item,requested,status\n{row}{row}", "utf-8")
    argv = ["triage", "2018-07", "--queries", str(queries), "--as-of", "2018-06-20"]
    assert main([*argv, "-o", str(tmp_path / "out.csv")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert warnings == [
        f"cutover: warning: {tmp_path}/d\\nq.csv: query id 'Q1' is on lines 2 and 3 "
        "— keep one row per query"
    ]


def test_printable_keeps_japanese_names() -> None:
    """Escaping leaves Japanese names alone, full-width space included."""
    assert printable("鳥取県　計画.csv") == "鳥取県　計画.csv"
    assert printable("a\tb\u202e") == "a\\tb\\u202e"


# --- inputs ----------------------------------------------------------------------------------


def test_every_file_argument_is_known() -> None:
    """Every argument that names a file or folder is an input or an output, so that the
    check that no output overwrites an input covers every command."""
    parser = build_parser()
    known = set(INPUT_ARGUMENTS) | set(OUTPUT_ARGUMENTS)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        for action in command._actions:
            if action.metavar in ("F", "FILE", "DIR", "CAL", "OLD", "NEW"):
                assert action.dest in known, f"{name} {action.dest}"


@POSIX
@pytest.mark.parametrize("how", ["symlink", "hardlink", "spelling"])
def test_an_input_under_another_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    """`-o` naming the agencies file by a link or another spelling is refused; it is intact."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_bytes(AGENCIES.read_bytes())
    other = tmp_path / "other.csv"
    if how == "symlink":
        other.symlink_to(agencies.name)
    elif how == "hardlink":
        other.hardlink_to(agencies)
    else:
        other = tmp_path / "sub" / ".." / "agencies.csv"
        (tmp_path / "sub").mkdir()
    argv = ["plan", "2018-07", "--agencies", str(agencies), "--as-of", "2018-06-20"]
    assert main([*argv, "--format", "csv", "-o", str(other)]) == 1
    assert "this is the file --agencies reads" in _one_line(capsys.readouterr().err)
    assert agencies.read_bytes() == AGENCIES.read_bytes()


@POSIX
def test_a_checklist_linked_to_an_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`checklists --out DIR` where DIR/index.md is a link to the agencies file is refused
    before anything is written."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_bytes(AGENCIES.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").symlink_to(agencies)
    argv = ["checklists", "2018-07", "--agencies", str(agencies), "--as-of", "2018-06-20"]
    assert main([*argv, "--out", str(out)]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "index.md: the command would write this file, which --agencies reads" in line
    assert agencies.read_bytes() == AGENCIES.read_bytes()
    assert [p.name for p in out.iterdir()] == ["index.md"]


@POSIX
def test_standard_output_onto_an_input_is_refused(tmp_path: Path) -> None:
    """`cutover triage … --queries q.csv >> q.csv` is refused: the queries are not read while
    the triage is added to them."""
    queries = tmp_path / "queries.csv"
    queries.write_bytes(QUERIES.read_bytes())
    with queries.open("a", encoding="utf-8") as stdout:
        done = _run(
            "triage", "2018-07", "--queries", str(queries), "--as-of", "2018-06-20", stdout=stdout
        )
    assert done.returncode == 1
    assert "standard output is redirected to this file, which --queries reads" in done.stderr
    assert queries.read_bytes() == QUERIES.read_bytes()


# --- failures --------------------------------------------------------------------------------


@POSIX
def test_a_file_size_limit_is_one_clean_error(tmp_path: Path) -> None:
    """Past `ulimit -f` the command exits 1 with a line naming the file; the old file stays
    and no temporary file is left."""
    import resource

    target = tmp_path / "timeline.svg"
    target.write_text("previous\n", encoding="utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = _run("timeline", "2018-07", "--format", "svg", "-o", str(target), preexec_fn=limit)
    assert done.returncode == 1, done.stderr
    line = _one_line(done.stderr)
    assert f"{target}: cannot write: the file would be larger than this system allows" in line
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert _leftovers(tmp_path) == []


@POSIX
def test_a_closed_standard_output_is_one_clean_error() -> None:
    """`cutover timeline 2018-07 >&-` exits 1 saying where to write instead."""
    done = _run("timeline", "2018-07", preexec_fn=lambda: os.close(1))
    assert done.returncode == 1
    assert "standard output is closed" in _one_line(done.stderr)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", [("timeline", "2018-07"), ("calendars",)])
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_a_full_standard_output_is_one_clean_error(
    command: tuple[str, ...], unbuffered: bool
) -> None:
    """`cutover timeline 2018-07 > /dev/full` exits 1 with one line naming standard output,
    not a traceback at exit; so does a command that prints its lines itself (`calendars`),
    and so does either when each line is written at once (``python -u``, PYTHONUNBUFFERED):
    the line fails where it is written, not where standard output is flushed."""
    with Path("/dev/full").open("w") as full:
        done = _run(*command, stdout=full, unbuffered=unbuffered)
    assert done.returncode == 1
    assert "standard output: cannot write: the disk is full" in _one_line(done.stderr)


HELP_AND_VERSION = [("--help",), ("triage", "--help"), ("--version",)]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", HELP_AND_VERSION)
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_help_and_version_to_a_full_disk_are_one_clean_error(
    command: tuple[str, ...], unbuffered: bool
) -> None:
    """`cutover --help > /dev/full` exits 1 with the line every other output gives, not a
    traceback (argparse writes the help itself, before any command runs)."""
    with Path("/dev/full").open("w") as full:
        done = _run(*command, stdout=full, unbuffered=unbuffered)
    assert done.returncode == 1
    assert "standard output: cannot write: the disk is full" in _one_line(done.stderr)


@POSIX
@pytest.mark.parametrize("command", [*HELP_AND_VERSION, ("calendars",)])
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_help_and_version_to_a_reader_gone_end_quietly(
    command: tuple[str, ...], unbuffered: bool
) -> None:
    """`cutover --help | true` (the reader gone before a byte is written) ends as a command
    does when `| head` stops reading: exit 0, nothing on standard error."""
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "w") as gone:
        done = _run(*command, stdout=gone, unbuffered=unbuffered)
    assert (done.returncode, done.stderr) == (0, "")


def test_a_folder_that_cannot_be_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`checklists --out` under a file exits 1 with one line naming the folder."""
    (tmp_path / "file").write_text("", encoding="utf-8")
    argv = ["checklists", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-20"]
    assert main([*argv, "--out", str(tmp_path / "file" / "out")]) == 1
    assert "cannot create the folder" in _one_line(capsys.readouterr().err)


# --- signals ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _paused(
    script: str,
    args: list[str],
    *,
    until: str,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], object] | None = None,
) -> Iterator[tuple[subprocess.Popen[str], IO[str]]]:
    """Run one of the slow scripts below with the command's `args` (and `env` added to the
    environment), and wait until it writes the line `until` on standard error, where it
    pauses: yield the process and its standard error. When the block ends, the process is
    killed if it still runs, and waited for."""
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        preexec_fn=preexec_fn,
    )
    try:
        assert process.stderr is not None
        assert process.stderr.readline() == f"{until}\n"
        yield process, process.stderr
    finally:
        process.kill()
        process.wait()
        if process.stderr is not None:
            process.stderr.close()


# Plans the example, and stops half-way through writing the CSV until a signal comes.
_SLOW_PLAN = """
import sys, time
import cutover.render.plan

def slow(plan, stream, *, lang="ja"):
    stream.write("half of a plan\\n")
    stream.flush()
    print("writing", file=sys.stderr, flush=True)
    time.sleep(60)

cutover.render.plan.write_plan_csv = slow
from cutover.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@POSIX
@pytest.mark.parametrize("signum", [signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)])
def test_a_signal_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    """SIGTERM or SIGHUP while writing ends with 128 + the signal, the previous output whole
    and no hidden temporary file beside it."""
    target = tmp_path / "plan.csv"
    target.write_text("previous\n", encoding="utf-8")
    argv = ["plan", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-20"]
    with _paused(
        _SLOW_PLAN,
        [*argv, "--format", "csv", "-o", str(target)],
        until="writing",
        # As a user's shell starts it: a signal the test runner ignores (SIGHUP under nohup
        # or a CI runner) would be ignored by the command too, which leaves it so on purpose.
        preexec_fn=lambda: signal.signal(signum, signal.SIG_DFL),
    ) as (process, stderr):
        assert len(_leftovers(tmp_path)) == 1  # half-way: the temporary file is there
        process.send_signal(signum)
        assert process.wait(timeout=120) == 128 + signum
        assert f"stopped by {signal.Signals(signum).name}" in stderr.read()
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert _leftovers(tmp_path) == []


# Writes checklists, and stops after the tenth page until a signal comes (or GO is made).
_SLOW_CHECKLISTS = """
import os, sys, time
import cutover.render.checklists as checklists

real = checklists.render_page
made = []

def slow(template, page, task_items):
    made.append(1)
    if len(made) == 10:
        print("writing", file=sys.stderr, flush=True)
        # Until the file GO names is there (or for PAUSE seconds).
        end = time.monotonic() + float(os.environ.get("PAUSE", "60"))
        while time.monotonic() < end and not os.path.exists(os.environ.get("GO", "")):
            time.sleep(0.01)
    return real(template, page, task_items)

checklists.render_page = slow
from cutover.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@POSIX
def test_a_signal_while_checklists_are_written_leaves_the_old_folder(tmp_path: Path) -> None:
    """SIGTERM while the checklists are being written (pages already in the new folder)
    ends with 143, the old folder as it was and nothing beside it."""
    out = tmp_path / "out"
    _folder(out, {"311111.md": "old"})
    argv = ["checklists", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-20"]
    with _paused(_SLOW_CHECKLISTS, [*argv, "--out", str(out)], until="writing") as (process, _):
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 128 + signal.SIGTERM
    assert [p.name for p in out.iterdir()] == ["311111.md"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@POSIX
@POSIX
def test_a_first_run_killed_leaves_nothing_beside_its_folder(tmp_path: Path) -> None:
    """`checklists --out NEW` killed outright (SIGKILL) while it writes a folder that did
    not exist: what it leaves is inside that folder, where the next run puts it right;
    nothing is left beside it, in the folder above (a desktop, a share)."""
    out = tmp_path / "out"
    argv = ["checklists", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-20"]
    with _paused(_SLOW_CHECKLISTS, [*argv, "--out", str(out)], until="writing") as (process, _):
        process.kill()
        process.wait(timeout=120)
    assert _inside(tmp_path) == ["out"]
    assert main([*argv, "--out", str(out)]) == 0
    assert _inside(tmp_path) == ["out"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


@POSIX
def test_two_first_runs_into_one_new_folder_both_end(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Two `checklists --out NEW` at once into a folder that did not exist: both end, and
    the folder holds the set of the one that ended last, whole and alone (the later one
    used to fail: the folder it was to rename into place was there)."""
    fewer = tmp_path / "agencies.csv"
    rows = AGENCIES.read_text(encoding="utf-8").splitlines(keepends=True)
    fewer.write_text("".join(rows[:-4]), encoding="utf-8")
    last = ["checklists", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-20"]
    alone = tmp_path / "alone"
    assert main([*last, "--out", str(alone)]) == 0
    out = tmp_path / "out"
    go = tmp_path_factory.mktemp("go") / "go"
    with _paused(
        _SLOW_CHECKLISTS, [*last, "--out", str(out)], until="writing", env={"GO": str(go)}
    ) as (process, _):
        first = ["checklists", "2018-07", "--agencies", str(fewer), "--as-of", "2018-06-01"]
        assert main([*first, "--out", str(out)]) == 0
        go.touch()  # the paused run goes on only once this one has ended
        assert process.wait(timeout=120) == 0
    pages = {p.name: p.read_bytes() for p in alone.iterdir()}
    assert {p.name: p.read_bytes() for p in out.iterdir()} == pages
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agencies.csv", "alone", "out"]


def test_signal_handlers_are_given_back(capsys: pytest.CaptureFixture[str]) -> None:
    """A run leaves SIGTERM and SIGHUP as it found them, and keeps an ignored SIGHUP ignored
    (nohup) while it runs."""
    seen: list[object] = []
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        real = CsvOut.row

        def spy(self: CsvOut, cells: object) -> None:
            seen.append(signal.getsignal(signal.SIGHUP))
            real(self, cells)  # type: ignore[arg-type]

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(CsvOut, "row", spy)
            argv = ["plan", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-20"]
            assert main([*argv, "--format", "csv"]) == 0
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert seen
    assert all(handler is signal.SIG_IGN for handler in seen)


# --- CSV cells -------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\t=1"]


def _triage_rows(query_ids: list[str]) -> list[list[str]]:
    """Return the triage CSV's rows (header first) for pending queries with these ids."""
    out = io.StringIO()
    writer = CsvWriter(out)
    rule = CutoffRule(
        {2, 21}, date(2018, 6, 30), date(2018, 6, 29), date(2018, 7, 1), date(2018, 7, 2)
    )
    reason = Reason(ReasonCode.RECEIVED_BEFORE_CUTOFF, rule, 2, date(2018, 6, 28))
    for n, query_id in enumerate(query_ids, start=2):
        query = Query(
            query_id, "131016", "011002", 2, datetime(2018, 6, 28, 10), QueryStatus.PENDING, n
        )
        writer.write(TriageResult(query, Action.PROVIDE_BY_CUTOFF, date(2018, 6, 29), reason))
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_triage_csv_writes_no_formula() -> None:
    """A query id a spreadsheet would run as a formula is written as text (a leading
    apostrophe), the rest of its row unchanged."""
    rows = _triage_rows(FORMULAS)
    assert [row[0] for row in rows[1:]] == [f"'{text}" for text in FORMULAS]
    assert all(row[1:4] == ["131016", "011002", "2"] for row in rows[1:])


def test_triage_csv_keeps_plain_ids() -> None:
    """Ordinary query ids, with commas, quotes or an apostrophe, come back as they were."""
    ids = ["Q20180611-0001", 'Q,"1"', "'Q2", "照会-1"]
    assert [row[0] for row in _triage_rows(ids)[1:]] == ids


@pytest.mark.parametrize("text", FORMULAS)
def test_every_csv_cell_is_guarded(text: str) -> None:
    """The one CSV writer makes every text cell text, numbers and empty cells unchanged."""
    out = io.StringIO()
    CsvOut(out).row((text, 2, None, "plain"))
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [f"'{text}", "2", "", "plain"]
    assert next(csv.reader(io.StringIO(field(text)))) == [cell(text)]


@pytest.mark.parametrize("text", ["鳥取\r市", "\r=1+1", "a\r\nb", "末尾\r"])
def test_a_carriage_return_keeps_its_row(text: str) -> None:
    """A carriage return in a text cell (a calendar's title, a workbook's cell) is quoted:
    the row stays one row of the same cells, the rows after it in their place."""
    out = io.StringIO()
    rows = CsvOut(out)
    rows.row((text, 2, None, "plain"))
    rows.row(("next", 3, None, "row"))
    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [
        [cell(text), "2", "", "plain"],
        ["next", "3", "", "row"],
    ]


# --- a folder as a whole (the checklists) ------------------------------------------------------


def _folder(path: Path, files: dict[str, str]) -> None:
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")


def _checklist(name: str) -> bool:
    return name.endswith(".md")


PAGES = Msg("files.contents-checklists")


def test_a_folder_is_replaced_as_a_whole(tmp_path: Path) -> None:
    """The new set replaces the old one: an earlier run's file not written again is left
    out (and named), the user's other files stay, and nothing is left beside the folder."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old", "222222.md": "old", "notes.txt": "mine"})
    dropped = write_folder(
        out, [("111111.md", "new"), ("index.md", "new")], ours=_checklist, contents=PAGES
    )
    assert dropped == ["222222.md"]
    assert sorted(p.name for p in out.iterdir()) == ["111111.md", "index.md", "notes.txt"]
    assert (out / "111111.md").read_text(encoding="utf-8") == "new"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_failed_folder_leaves_the_old_one(tmp_path: Path) -> None:
    """A write that fails half-way (here: a name that cannot be a file) leaves the old
    folder exactly as it was, and no half-written folder beside it."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    with pytest.raises(CutoverError):
        write_folder(
            out, [("111111.md", "new"), ("sub/x.md", "new")], ours=_checklist, contents=PAGES
        )
    assert [p.name for p in out.iterdir()] == ["111111.md"]
    assert (out / "111111.md").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_folder_made_as_it_is_written_fails_as_a_whole(tmp_path: Path) -> None:
    """Pages handed over one at a time (a generator, as the checklists are) are written as
    they come; a page that cannot be made, after hundreds were written, leaves the old
    folder as it was, and nothing beside it."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})

    def pages() -> Iterator[tuple[str, str]]:
        for n in range(500):
            yield f"{n:06d}.md", "new"
        msg = "a template failed"
        raise RuntimeError(msg)

    with pytest.raises(RuntimeError, match="a template failed"):
        write_folder(out, pages(), ours=_checklist, contents=PAGES)
    assert [p.name for p in out.iterdir()] == ["111111.md"]
    assert (out / "111111.md").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_write_that_fails_early_stops_a_long_folder(tmp_path: Path) -> None:
    """A file that cannot be written early in a long run ends the run with one error, without
    making the pages still to come, and the old folder stays."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    made: list[int] = []

    def pages() -> Iterator[tuple[str, str]]:
        yield "sub/x.md", "new"
        for n in range(5000):
            made.append(n)
            yield f"{n:06d}.md", "new"

    with pytest.raises(CutoverError):
        write_folder(out, pages(), ours=_checklist, contents=PAGES)
    assert made == []
    assert [p.name for p in out.iterdir()] == ["111111.md"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_keeps_its_permissions_and_new_files_follow_the_umask(tmp_path: Path) -> None:
    """The new folder has the old one's mode; its files get what any new file gets here
    (0666 less the umask), and the process's umask is left as it was."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    out.chmod(0o750)
    previous = os.umask(0o027)
    try:
        write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
        assert os.umask(0o027) == 0o027
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert stat.S_IMODE((out / "111111.md").stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_link_to_a_folder_is_written_through(tmp_path: Path) -> None:
    """`--out` naming a link to a folder replaces the folder it points to; the link stays."""
    real = tmp_path / "real"
    _folder(real, {"111111.md": "old"})
    link = tmp_path / "link"
    link.symlink_to(real)
    write_folder(link, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    assert link.is_symlink()
    assert (real / "111111.md").read_text(encoding="utf-8") == "new"


def test_a_file_named_as_the_folder_is_refused(tmp_path: Path) -> None:
    """`--out` naming a file is refused, and the file is left as it was."""
    out = tmp_path / "out"
    out.write_text("a report", encoding="utf-8")
    with pytest.raises(CutoverError) as caught:
        write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    assert caught.value.problems[0].code == "files.folder-is-a-file"
    assert out.read_text(encoding="utf-8") == "a report"


# --- a folder that exists stays that folder ----------------------------------------------------


@contextlib.contextmanager
def _mounted(target: Path, *how: str, within: Path) -> Iterator[None]:
    """Mount something at `target` for the block (``mount`` with `how`), then unmount
    whatever is mounted in the folder `within`, wherever the test moved it. Mounting needs
    root: skipped otherwise. Root must be able to (the CI runs as root)."""
    if not ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a file system needs root and mount(8)")
    done = subprocess.run(["mount", *how, str(target)], capture_output=True, text=True)
    assert done.returncode == 0, f"root could not mount: {done.stderr}"
    try:
        yield
    finally:
        for point in sorted(_mount_points(within), reverse=True):
            subprocess.run(["umount", point], check=False)


def _mount_points(within: Path) -> list[str]:
    """Return the mount points in the folder `within` (from /proc/self/mountinfo)."""
    prefix = f"{os.path.realpath(within)}/"
    lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines()
    points = [line.split()[4].replace("\\040", " ") for line in lines]
    return [point for point in points if point.startswith(prefix)]


def _inside(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_disk_mounted_inside_the_folder_is_left_alone(tmp_path: Path) -> None:
    """A disk mounted in a subfolder of the output folder stays mounted there, with what it
    holds; nothing is left beside the folder or inside it but its files."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old", "222222.md": "old"})
    share = out / "share"
    share.mkdir()
    with _mounted(share, "-t", "tmpfs", "none", within=tmp_path):
        (share / "doc.txt").write_text("important", encoding="utf-8")
        dropped = write_folder(
            out, [("111111.md", "new"), ("index.md", "new")], ours=_checklist, contents=PAGES
        )
        assert os.path.ismount(share)
        assert (share / "doc.txt").read_text(encoding="utf-8") == "important"
        assert dropped == ["222222.md"]
        assert _inside(out) == ["111111.md", "index.md", "share"]
        assert _inside(tmp_path) == ["out"]


def test_a_page_that_cannot_be_moved_puts_every_file_back(tmp_path: Path) -> None:
    """A page the system will not replace (here a file mounted over it: busy) stops the run
    with one error naming it; the pages already moved in go back out, the old ones back in."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old", "222222.md": "old", "333333.md": "old"})
    other = tmp_path / "elsewhere.md"
    other.write_text("mounted", encoding="utf-8")
    pages = [("111111.md", "new"), ("222222.md", "new"), ("index.md", "new")]
    with _mounted(out / "222222.md", "--bind", str(other), within=tmp_path):
        with pytest.raises(CutoverError) as caught:
            write_folder(out, pages, ours=_checklist, contents=PAGES)
        assert caught.value.problems[0].code == "files.cannot-replace"
        assert caught.value.problems[0].file == str(out / "222222.md")
        assert (out / "222222.md").stat().st_ino == other.stat().st_ino  # (still mounted)
        texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
        assert texts == {"111111.md": "old", "222222.md": "mounted", "333333.md": "old"}
        assert _inside(tmp_path) == ["elsewhere.md", "out"]


def _third_move_fails(out: Path, monkeypatch: pytest.MonkeyPatch, error: OSError) -> CutoverError:
    """Run `write_folder` of two new pages into `out` (two old pages and a file of the
    user's), its third move failing with `error`; return the error the run raised."""
    _folder(out, {"111111.md": "old", "222222.md": "old", "notes.txt": "mine"})
    moves: list[str] = []
    rename = Path.rename

    def failing(self: Path, target: str | os.PathLike[str]) -> Path:
        moves.append(self.name)
        if len(moves) == 3:
            raise error
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(CutoverError) as caught:
        write_folder(
            out, [("111111.md", "new"), ("222222.md", "new")], ours=_checklist, contents=PAGES
        )
    monkeypatch.undo()
    return caught.value


def test_a_move_that_fails_half_way_puts_every_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same without root: the third move of the run fails (as a file open elsewhere
    would make it), and the folder is as it was, its earlier run's pages all there with
    their text, no new page and no work folder left."""
    out = tmp_path / "out"
    error = _third_move_fails(out, monkeypatch, PermissionError(13, "Permission denied"))
    assert error.problems[0].code == "files.cannot-replace"
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert texts == {"111111.md": "old", "222222.md": "old", "notes.txt": "mine"}
    assert _inside(tmp_path) == ["out"]


def test_a_full_disk_while_pages_move_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A move that fails for want of space (a folder's entries grow as files move in)
    says the disk is full, not to close the file in Excel; every page goes back."""
    out = tmp_path / "out"
    error = _third_move_fails(out, monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    (problem,) = error.problems
    assert problem.text("en") == (
        f"{out / '222222.md'}: cannot write: the disk is full — free disk space, or write "
        "to another disk"
    )
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert texts == {"111111.md": "old", "222222.md": "old", "notes.txt": "mine"}


def test_a_folder_this_user_may_not_write_in_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`checklists --out` into a folder this user may not write in (another user's) is one
    line naming the folder and asking for one to write to, in either language, not a file
    name to give with -o; the folder is as it was."""
    out = tmp_path / "out"
    _folder(out, {"310000.md": "old"})
    mkdir = Path.mkdir

    def refusing(
        self: Path, mode: int = 0o777, parents: bool = False, exist_ok: bool = False
    ) -> None:
        if self.parent == out:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        mkdir(self, mode, parents, exist_ok)

    monkeypatch.setattr(Path, "mkdir", refusing)
    args = ["checklists", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-20"]
    for lang, said in [
        ("en", "cannot write here: Permission denied — choose a directory you can write to"),
        (
            "ja",
            "ここには書き込めません（アクセスが拒否されました） — "
            "書き込めるフォルダーを指定してください",
        ),
    ]:
        assert main([*args, "--out", str(out), "--lang", lang]) == 1
        assert _one_line(capsys.readouterr().err) == f"cutover: {out}: {said}"
    assert _inside(out) == ["310000.md"]


def _work_folder(out: Path, name: str, files: dict[str, str]) -> Path:
    """Make the work folder a run stopped outright leaves: `files` by their path in it."""
    work = out / name
    for sub in ("new", "old"):
        (work / sub).mkdir(parents=True)
    for path, text in files.items():
        (work / path).write_text(text, encoding="utf-8")
    return work


def test_a_work_folder_left_while_writing_is_removed(tmp_path: Path) -> None:
    """A run killed while it wrote (its new pages half in ``new``) leaves the old set whole;
    the next run removes that work folder, and the folder holds its own set alone."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old", "notes.txt": "mine"})
    _work_folder(out, ".cutover.deadbeef", {"new/111111.md": "killed", "new/222222.md": "ki"})
    dropped = write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    assert dropped == []
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert texts == {"111111.md": "new", "notes.txt": "mine"}


def test_a_work_folder_left_while_moving_gives_back_what_it_moved_aside(
    tmp_path: Path,
) -> None:
    """A run killed while it moved pages leaves the folder with some new pages, the old
    ones it replaced and the ones it left out in ``old``, the rest in ``new``: the next run
    puts back every old page, in place of the page that replaced it (the old set is whole
    again, even if that run then fails: no page lost, no mix), and removes the work
    folder."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "killed", "222222.md": "old", "notes.txt": "mine"})
    _work_folder(
        out,
        ".cutover.0123abcd",
        {
            "old/111111.md": "old",  # (replaced: the page of that name is in the folder)
            "old/333333.md": "old",  # (moved aside, left out: the folder lacks it)
            "new/222222.md": "killed",  # (not moved in yet)
        },
    )

    def failing() -> Iterator[tuple[str, str]]:
        yield "111111.md", "new"
        raise CutoverError.of("files.no-name", file="''")

    with pytest.raises(CutoverError):
        write_folder(out, failing(), ours=_checklist, contents=PAGES)
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert texts == {
        "111111.md": "old",
        "222222.md": "old",
        "333333.md": "old",
        "notes.txt": "mine",
    }
    _work_folder(out, ".cutover.0123abcd", {"old/333333.md": "old", "new/111111.md": "k"})
    (out / "333333.md").unlink()
    dropped = write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    assert dropped == ["222222.md", "333333.md"]
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert texts == {"111111.md": "new", "notes.txt": "mine"}


def _failing_run() -> Iterator[tuple[str, str]]:
    """Pages of a run that fails after its first page (a bad template, a full disk)."""
    yield "111111.md", "failed"
    raise CutoverError.of("files.no-name", file="''")


def test_a_page_a_killed_run_added_is_taken_out_with_its_moves(tmp_path: Path) -> None:
    """A run killed while it moved pages in had moved in a page the folder did not have
    (a new agency) and moved aside a page it left out: the next run takes the new page
    out and puts every old one back, so that even if it fails the folder holds the old
    set, whole and alone."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "killed", "333333.md": "killed", "notes.txt": "mine"})
    work = _work_folder(out, ".cutover.0123abcd", {"old/111111.md": "old", "old/222222.md": "old"})
    (work / "moving").write_text('["111111.md", "333333.md"]', encoding="utf-8")
    with pytest.raises(CutoverError):
        write_folder(out, _failing_run(), ours=_checklist, contents=PAGES)
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert texts == {"111111.md": "old", "222222.md": "old", "notes.txt": "mine"}


def test_a_run_killed_once_its_pages_moved_in_is_not_undone(tmp_path: Path) -> None:
    """A run killed after its last page moved in, while it removed what it moved aside,
    had replaced the set: the next run removes its work folder and keeps its set, even if
    that run then fails (the pages it left out do not come back)."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "done", "333333.md": "done", "notes.txt": "mine"})
    work = _work_folder(out, ".cutover.0123abcd", {"old/111111.md": "old", "old/222222.md": "old"})
    (work / "moved").write_text('["111111.md", "333333.md"]', encoding="utf-8")
    with pytest.raises(CutoverError):
        write_folder(out, _failing_run(), ours=_checklist, contents=PAGES)
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert texts == {"111111.md": "done", "333333.md": "done", "notes.txt": "mine"}


def test_a_page_moved_aside_that_cannot_be_removed_never_comes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose set moved in whole, but which could not remove a page it moved aside,
    leaves its work folder: the next run removes it and never puts that page back over the
    set, even if that run then fails (no mix of two runs)."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "first", "222222.md": "first"})
    real = Path.unlink

    def refusing(self: Path, missing_ok: bool = False) -> None:
        if self.parent.name == "old" and self.name == "111111.md":
            raise PermissionError(errno.EACCES, "Permission denied")
        real(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", refusing)
    write_folder(out, [("111111.md", "second")], ours=_checklist, contents=PAGES)
    monkeypatch.setattr(Path, "unlink", real)
    with pytest.raises(CutoverError):
        write_folder(out, _failing_run(), ours=_checklist, contents=PAGES)
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert texts == {"111111.md": "second"}


def test_an_interrupt_while_a_run_cleans_up_leaves_its_set_for_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C once the set has moved in, while the run removes what it moved aside, stops
    the run but not its set: the next run in the same process (a program calling
    `write_folder`) removes the work folder left, and the set is whole."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "first", "222222.md": "first"})
    real = Path.unlink

    def interrupted(self: Path, missing_ok: bool = False) -> None:
        if self.parent.name == "old":
            raise KeyboardInterrupt
        real(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_folder(out, [("111111.md", "second")], ours=_checklist, contents=PAGES)
    monkeypatch.setattr(Path, "unlink", real)
    write_folder(out, [("111111.md", "third")], ours=_checklist, contents=PAGES)
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert texts == {"111111.md": "third"}


def test_an_interrupt_while_a_run_cleans_up_stops_it_once_its_work_folder_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C once the set has moved in stops the run (KeyboardInterrupt reaches the caller),
    but only after the pages it moved aside and its work folder are removed: the folder a
    coordinator sends next holds the new set alone, as docs/safety.md promises."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "first", "222222.md": "first"})
    real = Path.unlink
    interrupts = [KeyboardInterrupt()]

    def interrupted_once(self: Path, missing_ok: bool = False) -> None:
        if self.parent.name == "old" and interrupts:
            raise interrupts.pop()
        real(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", interrupted_once)
    with pytest.raises(KeyboardInterrupt):
        write_folder(out, [("111111.md", "second")], ours=_checklist, contents=PAGES)
    assert interrupts == []
    assert sorted(p.name for p in out.iterdir()) == ["111111.md"]
    assert (out / "111111.md").read_text(encoding="utf-8") == "second"


def test_a_list_of_pages_naming_other_files_moves_none_of_them(tmp_path: Path) -> None:
    """The list of pages a killed run was moving in is read as file names of the folder
    only: a name reaching out of it (written there by hand) moves nothing."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    (tmp_path / "outside.md").write_text("mine", encoding="utf-8")
    (out / "sub").mkdir()
    (out / "sub" / "x.md").write_text("mine", encoding="utf-8")
    work = _work_folder(out, ".cutover.0123abcd", {})
    (work / "moving").write_text('["../outside.md", "sub/x.md", ".", 7]', encoding="utf-8")
    write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    assert (tmp_path / "outside.md").read_text(encoding="utf-8") == "mine"
    assert (out / "sub" / "x.md").read_text(encoding="utf-8") == "mine"
    assert _inside(out) == ["111111.md", "sub"]


# Writes checklists into --out, and stops at the Nth move of a file until killed.
_SLOW_MOVES = """
import os, pathlib, sys, time

real = pathlib.Path.rename
moves = []

def slow(self, target):
    moves.append(1)
    if len(moves) == int(os.environ["STOP_AT"]):
        print("moving", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("PAUSE", "60")))
    return real(self, target)

pathlib.Path.rename = slow
from cutover.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@POSIX
@pytest.mark.parametrize("stop_at", [2, 9, 40])
def test_a_run_killed_while_moving_pages_leaves_the_old_set_to_the_next(
    tmp_path: Path, stop_at: int
) -> None:
    """`checklists --out` killed outright (SIGKILL) while it moves its pages in, into a
    folder of an earlier run with fewer agencies and a page of an agency gone: the next
    run, even one that fails, leaves the earlier set whole and alone; one that ends leaves
    its own set alone."""
    out = tmp_path / "out"
    fewer = tmp_path / "agencies.csv"
    rows = AGENCIES.read_text(encoding="utf-8").splitlines(keepends=True)
    fewer.write_text("".join(rows[:-4]), encoding="utf-8")
    args = ["checklists", "2018-07", "--out", str(out), "--agencies"]
    assert main([*args, str(fewer), "--as-of", "2018-06-01"]) == 0
    (out / "310001.md").write_text("an agency gone", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with _paused(
        _SLOW_MOVES,
        [*args, str(AGENCIES), "--as-of", "2018-06-20"],
        until="moving",
        env={"STOP_AT": str(stop_at)},
    ) as (process, _):
        process.kill()
        process.wait(timeout=120)
    assert [p.name for p in out.iterdir() if p.name.startswith(".cutover.")]
    with pytest.raises(CutoverError):
        write_folder(out, _failing_run(), ours=checklist_file, contents=PAGES)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert main([*args, str(AGENCIES), "--as-of", "2018-06-20"]) == 0
    assert len(list(out.glob("31*.md"))) == len(rows) - 1
    assert "310001.md" not in _inside(out)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


@POSIX
def test_two_runs_moving_pages_into_one_folder_at_once_leave_one_set(tmp_path: Path) -> None:
    """`checklists --out` run twice at once into one folder, the second ready to move its
    pages in while the first is moving its own: the second waits for the first, and the
    folder holds the second's set, whole and alone (not the first's pages mixed in)."""
    fewer = tmp_path / "agencies.csv"
    rows = AGENCIES.read_text(encoding="utf-8").splitlines(keepends=True)
    fewer.write_text("".join(rows[:-4]), encoding="utf-8")
    second = ["checklists", "2018-07", "--agencies", str(fewer), "--as-of", "2018-06-01"]
    alone = tmp_path / "alone"
    assert main([*second, "--out", str(alone)]) == 0
    out = tmp_path / "out"
    out.mkdir()
    first = ["checklists", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-20"]
    with _paused(
        _SLOW_MOVES,
        [*first, "--out", str(out)],
        until="moving",
        env={"STOP_AT": "9", "PAUSE": "1.5"},
    ) as (process, _):
        assert main([*second, "--out", str(out)]) == 0
        assert process.wait(timeout=120) == 0
    pages = {p.name: p.read_bytes() for p in alone.iterdir()}
    assert {p.name: p.read_bytes() for p in out.iterdir()} == pages


def test_a_work_folder_this_user_may_not_change_is_told_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A work folder a stopped run of another user left (its lock not this user's to
    open) cannot be put right: it is left as it is, and the run says so and why, instead
    of leaving it in the folder without a word."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    theirs = _work_folder(out, ".cutover.deadbeef", {"old/222222.md": "old"})
    (theirs / "lock").write_text("", encoding="utf-8")
    real_open = os.open

    def refusing(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if Path(path).parent == theirs:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", refusing)
    with pytest.warns(InputWarning) as said:
        write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    (warned,) = [w.message.problem for w in said.list if isinstance(w.message, InputWarning)]
    assert warned.code == "files.work-folder-not-ours"
    assert "could not be put right (Permission denied)" in warned.text("en")
    assert _inside(out) == [".cutover.deadbeef", "111111.md"]
    assert _inside(theirs / "old") == ["222222.md"]


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl.flock: the POSIX lock")
def test_a_folder_on_a_share_that_locks_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system that locks no file (a network share without a lock service:
    ENOLCK), the pages are written once, not one new work folder after another without
    end."""
    import fcntl

    calls = []

    def no_locks(fd: int, operation: int) -> None:
        calls.append(operation)
        if len(calls) > 50:
            raise RuntimeError("a work folder after another")
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old", "222222.md": "old"})
    write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == {"111111.md": "new"}


def test_the_command_removes_a_work_folder_a_killed_run_left(tmp_path: Path) -> None:
    """`checklists --out` into a folder where a killed run left its work folder: the
    folder sent to agencies holds the pages and nothing of that run."""
    out = tmp_path / "out"
    out.mkdir()
    _work_folder(out, ".cutover.deadbeef", {"old/310000.md": "stale"})
    args = ["checklists", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-01"]
    assert main([*args, "--out", str(out)]) == 0
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert "stale" not in (out / "310000.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name", [".cutover.deadbeef0", ".cutover.DEADBEEF", ".cutover.deadbee", ".cutover.keep"]
)
def test_a_folder_named_otherwise_is_never_touched(tmp_path: Path, name: str) -> None:
    """A folder whose name is not exactly that of a work folder is the user's: it stays,
    with all it holds."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    _work_folder(out, name, {"old/222222.md": "mine", "new/x.md": "mine"})
    write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    assert _inside(out) == sorted([name, "111111.md"])
    assert _inside(out / name / "old") == ["222222.md"]
    assert _inside(out / name / "new") == ["x.md"]


@pytest.mark.parametrize("extra", ["notes.txt", "new/sub/x.md", "old/sub/x.md"])
def test_a_work_folder_holding_more_is_kept_with_a_warning(tmp_path: Path, extra: str) -> None:
    """A work folder holding what no run makes there (a file beside ``new`` and ``old``, a
    folder in them) is left as it is, and the run says so."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    work = _work_folder(out, ".cutover.deadbeef", {"old/222222.md": "old"})
    (work / extra).parent.mkdir(parents=True, exist_ok=True)
    (work / extra).write_text("mine", encoding="utf-8")
    with pytest.warns(InputWarning) as said:
        write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    assert [w.message.problem.code for w in said.list if isinstance(w.message, InputWarning)] == [
        "files.work-folder-kept"
    ]
    assert _inside(out) == [".cutover.deadbeef", "111111.md"]
    assert (work / extra).read_text(encoding="utf-8") == "mine"
    assert _inside(work / "old") == ["222222.md"] + (["sub"] if extra.startswith("old") else [])


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl.flock: the POSIX lock")
def test_a_work_folder_another_run_holds_is_left_to_it(tmp_path: Path) -> None:
    """Two runs writing one folder at once: the work folder of the other, locked while it
    works, is left to it, with the pages it has written."""
    import fcntl

    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    work = _work_folder(out, ".cutover.deadbeef", {"new/111111.md": "the other run's"})
    with (work / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
        assert _inside(out) == [".cutover.deadbeef", "111111.md"]
        assert (work / "new" / "111111.md").read_text(encoding="utf-8") == "the other run's"
    write_folder(out, [("111111.md", "newer")], ours=_checklist, contents=PAGES)
    assert _inside(out) == ["111111.md"]


def test_the_folder_a_shell_is_in_stays_that_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cd out && cutover checklists … --out .` writes the pages into the folder the shell
    is in, which stays that folder: the shell sees them, and the files the user keeps."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old", "notes.txt": "mine"})
    before = out.stat()
    monkeypatch.chdir(out)
    assert main(["checklists", "2018-07", "--agencies", str(AGENCIES), "--out", "."]) == 0
    here = Path.cwd().stat()
    assert (here.st_dev, here.st_ino) == (before.st_dev, before.st_ino)
    assert Path("index.md").is_file()
    assert not Path("111111.md").exists()  # (an earlier run's page of no agency now)
    assert Path("notes.txt").read_text(encoding="utf-8") == "mine"
    assert not [p for p in Path().iterdir() if p.name.startswith(".")]
    assert _inside(tmp_path) == ["out"]


def test_a_folder_the_user_keeps_inside_is_neither_copied_nor_moved(tmp_path: Path) -> None:
    """A subfolder of the output folder stays the same folder (not a copy), with its files,
    and so does the output folder itself."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    _folder(out / "sent", {"111111.md": "sent on 6/1"})
    folders = [(p.stat().st_dev, p.stat().st_ino) for p in (out, out / "sent")]
    write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    assert [(p.stat().st_dev, p.stat().st_ino) for p in (out, out / "sent")] == folders
    assert (out / "sent" / "111111.md").read_text(encoding="utf-8") == "sent on 6/1"
    assert (out / "111111.md").read_text(encoding="utf-8") == "new"


def test_a_folder_named_as_a_page_is_refused_and_kept(tmp_path: Path) -> None:
    """A folder where the run would write a page (``index.md/``) is refused before any page
    moves, and kept with what it holds; a folder named as an earlier run's page is kept."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    _folder(out / "index.md", {"mine.txt": "mine"})
    with pytest.raises(CutoverError) as caught:
        write_folder(
            out, [("111111.md", "new"), ("index.md", "new")], ours=_checklist, contents=PAGES
        )
    assert caught.value.problems[0].code == "files.folder-in-the-way"
    assert caught.value.problems[0].file == str(out / "index.md")
    assert (out / "index.md" / "mine.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "111111.md").read_text(encoding="utf-8") == "old"
    assert _inside(out) == ["111111.md", "index.md"]
    _folder(out / "222222.md", {"mine.txt": "mine"})
    dropped = write_folder(out, [("111111.md", "new")], ours=_checklist, contents=PAGES)
    assert dropped == []
    assert (out / "222222.md" / "mine.txt").read_text(encoding="utf-8") == "mine"


def test_a_folder_in_the_way_is_refused_with_the_folder_listing_closed(tmp_path: Path) -> None:
    """The listing of the folder that found a folder in the way is closed before the error is
    raised, not left for the interpreter to close, with a ResourceWarning a program that
    shows warnings (pytest, ``python -X dev``) prints."""
    out = tmp_path / "out"
    _folder(out, {"111111.md": "old"})
    _folder(out / "index.md", {"mine.txt": "mine"})
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", ResourceWarning)
        with pytest.raises(CutoverError) as caught:
            write_folder(
                out, [("111111.md", "new"), ("index.md", "new")], ours=_checklist, contents=PAGES
            )
    assert caught.value.problems[0].code == "files.folder-in-the-way"
    assert [str(w.message) for w in said if issubclass(w.category, ResourceWarning)] == []


_AS_OF = ["--as-of", "2018-06-20"]


@pytest.mark.parametrize(
    ("command", "contents"),
    [
        (["checklists", "2018-07", "--agencies", str(AGENCIES), *_AS_OF], "チェックリスト"),
        (["demo"], "チェックリスト"),
        (["survey", "make", "2018-07", "--agencies", str(AGENCIES), *_AS_OF], "調査票"),
        (["survey", "merge", "2018-07", "--agencies", str(AGENCIES), str(EXAMPLE)], "集約した結果"),
    ],
    ids=["checklists", "demo", "survey-make", "survey-merge"],
)
def test_a_file_named_as_the_folder_is_refused_naming_what_goes_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], contents: str
) -> None:
    """Each command that writes a folder says, refusing a file, what it writes there: survey
    workbooks are not checklists."""
    out = tmp_path / "out"
    out.write_text("a report", encoding="utf-8")
    assert main(["--lang", "ja", *command, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{out}: ここには書き出せません。これはファイルで、{contents}" in err
    assert err.count("チェックリスト") == (contents == "チェックリスト")
    assert out.read_text(encoding="utf-8") == "a report"


def test_one_file_given_twice_to_an_option_is_refused_by_identity(tmp_path: Path) -> None:
    """One file given twice to an option, however spelled (a link too), is refused: read
    twice, each row is the same line of the same file, so none was a duplicate and every
    agency was counted twice (46 of 23); so is a workbook's first sheet, given once by the
    book's name and once by the sheet's. Two sheets of one workbook, one file given to two
    options, and two copies of a file are not."""
    first = tmp_path / "agencies.csv"
    first.write_text("code\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(first)
    copy = tmp_path / "copy.csv"
    copy.write_text("code\n", encoding="utf-8")
    book = tmp_path / "book.xlsx"
    workbook = Workbook()
    assert workbook.active is not None
    workbook.active.title = "改修状況"
    workbook.create_sheet("予定")
    workbook.save(book)
    for again in (str(first), str(tmp_path / "." / "agencies.csv"), str(link)):
        with pytest.raises(CutoverError) as caught:
            refuse_repeated_inputs([("--agencies", str(first)), ("--agencies", again)])
        (problem,) = caught.value.problems
        assert (problem.code, problem.file) == ("files.input-twice", again)
        assert problem.text("ja").startswith(f"{again}: --agencies に同じファイルが2回")
    refuse_repeated_inputs([("--agencies", str(first)), ("--agencies", str(copy))])
    refuse_repeated_inputs([("--agencies", str(first)), ("--readiness", str(first))])
    refuse_repeated_inputs([("--readiness", f"{book}#改修状況"), ("--readiness", f"{book}#予定")])
    for twice in ([f"{book}#予定", f"{book}#予定"], [str(book), f"{book}#改修状況"]):
        # (the book given alone is read from its first sheet: 改修状況, read twice)
        with pytest.raises(CutoverError):
            refuse_repeated_inputs([("--readiness", path) for path in twice])
    # A sheet is compared as the reader finds it: its exact name first, else the name folded
    # (ＤＡＴＡ is Data). Excel and openpyxl keep no two names that differ only in case
    # (openpyxl calls a second "data" data1).
    workbook.create_sheet("Data")
    assert workbook.create_sheet("data").title == "data1"
    workbook.save(book)
    refuse_repeated_inputs([("--readiness", f"{book}#Data"), ("--readiness", f"{book}#data1")])
    for spelt in ("data", "ＤＡＴＡ"):
        given = [("--readiness", f"{book}#Data"), ("--readiness", f"{book}#{spelt}")]
        with pytest.raises(CutoverError):
            refuse_repeated_inputs(given)


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda a, r, e: cutover.load_registry([a, a]), "agencies_path"),
        (lambda a, r, e: cutover.load_registry(a, [r, r]), "readiness_path"),
        (lambda a, r, e: cutover.load_registry(a, r, [e, e]), "evidence_paths"),
        (lambda a, r, e: cutover.load_agencies([a, a]), "paths"),
        (lambda a, r, e: cutover.load_readiness([r, r]), "paths"),
    ],
)
def test_a_program_giving_one_file_twice_is_refused_as_the_command_is(
    tmp_path: Path, call: Callable[[Path, Path, Path], object], named: str
) -> None:
    """`load_registry([a, a])` read the example's 23 agencies as 46 (summaries counted two
    prefectures) without a word, where `--agencies a --agencies a` is refused: the library
    refuses it too, naming the parameter, the second spelling (./a) included."""
    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    files = []
    for name in ("agencies", "readiness", "evidence"):
        shutil.copy(example / f"{name}.csv", tmp_path / f"{name}.csv")
        files.append(tmp_path / f"{name}.csv")
    with pytest.raises(CutoverError) as caught:
        call(*files)
    (problem,) = caught.value.problems
    assert problem.code == "files.input-twice"
    assert problem.text("en").startswith(f"{problem.file}: {named} is given this file twice")
    assert len(cutover.load_registry(files[0], files[1], [files[2]]).agencies) == 23


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_or_device_named_as_a_workbook_twice_is_not_read_to_compare_sheets(
    tmp_path: Path,
) -> None:
    """``--agencies book.xlsx --agencies book.xlsx#Sheet1``, book.xlsx a named pipe, waited
    for ever for a writer, to learn the book's first sheet (and took what the reader was to
    read); a link to /dev/zero read without end. Neither is a workbook to open for that."""
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    given = [("--agencies", str(fifo)), ("--agencies", f"{fifo}#Sheet1")]
    done = threading.Thread(target=refuse_repeated_inputs, args=(given,), daemon=True)
    done.start()
    done.join(timeout=2)
    if done.is_alive():
        with fifo.open("wb"):  # (lets the waiting open end)
            pass
        done.join()
        pytest.fail("the named pipe was opened to find its first sheet")
    zero = tmp_path / "zero.xlsx"
    zero.symlink_to("/dev/zero")
    refuse_repeated_inputs([("--agencies", str(zero)), ("--agencies", f"{zero}#Sheet1")])


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["summary", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-25"], "s.xls"),
        (["plan", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-25"], "p.XLSM"),
        (["init", "--prefecture", "31"], "agencies.xls"),
        (["timeline", "2018-07"], "timeline.pdf"),
    ],
)
def test_an_output_named_for_another_program_s_format_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], name: str
) -> None:
    """-o summary.xls (an Excel 97-2003 book's name) wrote the default format, Markdown,
    under it: Excel refused or garbled it. Such a name is a usage error, nothing written,
    that lists the extensions the command writes."""
    target = tmp_path / name
    assert main([*command, "--lang", "ja", "-o", str(target)]) == 2
    assert not target.exists()
    err = capsys.readouterr().err
    assert f"cutover は拡張子 {Path(name).suffix.lower()} のファイル" in err
    assert "このコマンドが書き出せる拡張子（" in err
