"""Tests for what differs on the coordinators' Windows terminals: no fork, no os.pread, no
os.fchmod before Python 3.13, a cp932 standard output when redirected, and files held open by
Excel. Each is simulated here by taking the Unix facility away."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import IO, Any

import pytest

from cutover.cli.main import main
from cutover.errors import CutoverError
from cutover.render.files import open_output, write_text
from cutover.triage import Action, CutoffRule, TriageCounts, TriageResult, triage_file

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"

RULE = CutoffRule(
    items=frozenset({2, 21}),
    last_provision=date(2018, 6, 30),
    answer_by=date(2018, 6, 29),
    effective=date(2018, 7, 1),
    reissue_from=date(2018, 7, 2),
)


def test_redirected_cp932_stdout_gets_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    """`cutover timeline … > t.md` on Japanese Windows: the dash "—", which cp932 lacks, is
    written in UTF-8 like every output file, instead of failing half-way; stdout is then
    given back its encoding."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="cp932")
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["timeline", "2018-07", "--format", "md"]) == 0
    stdout.flush()
    text = raw.getvalue().decode("utf-8")
    assert "—" in text
    assert "データ標準レイアウト" in text
    assert stdout.encoding == "cp932"


class _Console(io.BytesIO):
    """The bytes a console shows: a terminal, for `isatty`."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_document_on_a_cp932_console(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`cutover timeline 2018-07 --lang en` on a console whose code page is cp932: the
    document is shown with the dash "—", which cp932 lacks, as its look-alike "―", as the
    messages are, instead of an internal error; the console's error handler is given back."""
    raw = _Console()
    stdout = io.TextIOWrapper(raw, encoding="cp932", errors="strict")
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["timeline", "2018-07", "--lang", lang]) == 0
    stdout.flush()
    shown = raw.getvalue().decode("cp932")
    assert "\u2015" in shown
    assert "2018" in shown
    assert stdout.errors == "strict"


@pytest.mark.parametrize(
    "command",
    [
        ["timeline", "2018-07"],
        ["triage", "2018-07", "--queries", str(EXAMPLE / "queries.csv"), "--as-of", "2018-06-25"],
    ],
)
def test_windows_markdown_on_redirected_windows_stdout(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cutover timeline … --windows > t.md` on Windows, whose standard output turns each LF
    into CRLF: the lines end in CRLF, not CR CR LF, and the bytes are those of `-o t.md`."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="cp932", newline="\r\n")
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main([*command, "--format", "md", "--windows"]) == 0
    stdout.flush()
    data = raw.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\r" not in data
    assert data.count(b"\n") == data.count(b"\r\n") > 10
    assert main([*command, "--format", "md", "--windows", "-o", str(tmp_path / "t.md")]) == 0
    assert (tmp_path / "t.md").read_bytes() == data


def test_files_written_without_fchmod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without os.fchmod (Windows, Python 3.11 and 3.12) output files are still written."""
    monkeypatch.delattr(os, "fchmod")
    write_text(tmp_path / "out.md", "鳥取県\n")
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == "鳥取県\n"


def test_file_held_open_by_another_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to replace a file Excel holds open: the message says to close it, and
    the temporary file is gone."""

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(CutoverError) as caught, open_output(tmp_path / "plan.csv") as stream:
        stream.write("code\n")
    assert "close the file if a program (Excel) has it open" in caught.value.text("en")
    assert "Excel などでファイルを開いていれば閉じるか" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_input_held_open_by_another_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Windows may refuse to read a file Excel holds open: the one line names the file and
    says to close it, not only to check the path (which is right)."""
    for name in ("agencies.csv", "agencies.xlsx"):
        shutil.copyfile(EXAMPLE / name, tmp_path / name)
    opened = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> IO[Any]:
        if self.name.startswith("agencies."):
            raise PermissionError(13, "Permission denied", str(self))
        stream: IO[Any] = opened(self, *args, **kwargs)
        return stream

    monkeypatch.setattr(Path, "open", refuse)
    for name in ("agencies.csv", "agencies.xlsx"):
        assert main(["validate", "2018-07", "--agencies", str(tmp_path / name)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1
        said = "団体一覧のファイルを読めません（アクセスが拒否されました）"
        assert f"{tmp_path / name}: {said}" in err[0]
        assert "Excel などでこのファイルを開いていれば、閉じてから" in err[0]
    assert main(["--lang", "en", "validate", "2018-07", "--agencies", str(tmp_path / name)]) == 1
    assert "if a program (Excel) has the file open, close it" in capsys.readouterr().err


def _queries(path: Path, rows: int) -> Path:
    """Write `rows` queries, every tenth id repeated at the end, some to act on."""
    lines = ["query_id,querier,provider,item,requested,status"]
    ids = [f"Q{n}" for n in range(rows)] + [f"Q{n}" for n in range(0, rows, 10)]
    for n, query_id in enumerate(ids):
        status = "pending" if n % 7 == 0 else "provided"
        lines.append(f"{query_id},131016,011002,{(2, 8, 21)[n % 3]},2018-06-2{n % 9},{status}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


Outcome = tuple[
    TriageCounts, list[tuple[str, tuple[int, ...]]], list[tuple[str, Action, date | None]]
]


def _outcome(path: Path) -> Outcome:
    """Return the counts, duplicates and action rows of triaging `path` on 6/25."""
    found: list[TriageResult] = []
    with triage_file(path, RULE, date(2018, 6, 25), on_action=found.append) as report:
        return (
            report.counts,
            [(d.query_id, d.lines) for d in report.duplicates],
            [(r.query.query_id, r.action, r.due) for r in found],
        )


def test_triage_without_fork_or_pread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With neither os.fork nor os.pread (Windows), triage finds the same actions and
    duplicates."""
    path = _queries(tmp_path / "q.csv", 30_000)
    expected = _outcome(path)
    assert len(expected[1]) == 3_000
    monkeypatch.delattr(os, "fork")
    monkeypatch.delattr(os, "pread")
    assert _outcome(path) == expected


def test_no_time_zone_database(tmp_path: Path) -> None:
    """Windows has no time-zone database (zoneinfo needs the tzdata package there): triage,
    plan and the default --as-of work without one, with JST as UTC+9."""
    queries = Path(__file__).parent.parent / "examples" / "tottori" / "queries.csv"
    agencies = queries.with_name("agencies.csv")
    script = f"""
import sys, zoneinfo

def missing(*args, **kwargs):
    raise zoneinfo.ZoneInfoNotFoundError("No time zone found with key Asia/Tokyo")

zoneinfo.ZoneInfo = missing
from cutover.cli.main import main
codes = [
    main(["triage", "2018-07", "--queries", {str(queries)!r}, "--as-of", "2018-06-25",
          "--format", "json", "-o", {str(tmp_path / "t.json")!r}]),
    main(["plan", "2018-07", "--agencies", {str(agencies)!r}, "--queries", {str(queries)!r},
          "--format", "json", "-o", {str(tmp_path / "p.json")!r}]),
]
sys.exit(max(codes))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "t.json").read_text(encoding="utf-8")
    assert '"requested": "2018-06-30T23:59:59+09:00"' in written
