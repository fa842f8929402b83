"""Inputs given in memory (`cutover.InputText`): read by every reader as the file they name
would be, and named so in every message — a program with rows in hand needs no file."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

import cutover
from cutover import CutoverError, InputText

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"


def _text(name: str) -> str:
    return (EXAMPLE / name).read_text(encoding="utf-8")


def test_the_registry_from_text_is_the_registry_from_files() -> None:
    """The example's three files given as text (and cp932 bytes, as Excel saves them) load
    the same registry as the files; evidence rows name the given file."""
    from_files = cutover.load_registry(
        EXAMPLE / "agencies.csv", EXAMPLE / "readiness.csv", [EXAMPLE / "evidence.csv"]
    )
    from_text = cutover.load_registry(
        InputText("agencies.csv", _text("agencies.csv")),
        InputText("readiness.csv", _text("readiness.csv").encode("cp932")),
        [InputText("evidence.csv", _text("evidence.csv"))],
    )
    assert from_text.agencies == from_files.agencies
    assert from_text.readiness == from_files.readiness
    assert [(e.code, e.task, e.date, e.detail, e.line) for e in from_text.evidence] == [
        (e.code, e.task, e.date, e.detail, e.line) for e in from_files.evidence
    ]
    assert {e.file for e in from_text.evidence} == {"evidence.csv"}


def test_a_problem_in_text_names_the_given_file_and_line() -> None:
    """A bad row in text is located as in a file: the given name, the line, the fix."""
    rows = (
        "code,name,kind,test_requested,provides,new_delegations\n31201,鳥取市,municipality,yes,2,\n"
    )
    with pytest.raises(CutoverError) as caught:
        cutover.load_agencies(InputText("agencies.csv", rows))
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("agencies.csv", 2)
    assert problem.text("en").startswith("agencies.csv:2: ")


def test_a_workbook_in_memory_is_read_as_a_workbook() -> None:
    """A workbook's bytes (say, an upload) are read as the workbook file would be."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for line in _text("agencies.csv").splitlines():
        sheet.append(line.split(","))
    data = io.BytesIO()
    book.save(data)
    agencies = cutover.load_agencies(InputText("agencies.xlsx", data.getvalue()))
    assert agencies == cutover.load_agencies(EXAMPLE / "agencies.csv")


def test_triage_of_queries_in_memory() -> None:
    """Triage takes queries in memory too, with the same counts as the file."""
    rule = cutover.cutoff_rule(cutover.build_timeline(cutover.load_calendar("2018-07")))
    day = dt.date(2018, 6, 25)
    with cutover.triage_file(EXAMPLE / "queries.csv", rule, day) as from_file:
        expected = from_file.counts
    with cutover.triage_file(InputText("queries.csv", _text("queries.csv")), rule, day) as given:
        assert given.counts == expected


def test_write_triage_of_queries_in_memory_writes_what_the_file_gives() -> None:
    """`write_triage` takes the queries in memory as it takes the file: the same output."""
    rule = cutover.cutoff_rule(cutover.build_timeline(cutover.load_calendar("2018-07")))
    day = dt.date(2018, 6, 25)
    outputs = []
    path = EXAMPLE / "queries.csv"
    for source in (path, InputText(str(path), _text("queries.csv"))):
        out = io.StringIO()
        with cutover.write_triage(source, rule, day, out, fmt="json", calendar="2018-07"):
            pass
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]


def test_validate_and_load_queries_take_inputs_in_memory() -> None:
    """`validate` and `load_queries` read an `InputText` as the file it names (their types
    say so too: mypy checks this test), with the counts the files give."""
    calendar = cutover.load_calendar("2018-07")
    day = dt.date(2018, 6, 25)
    names = ("agencies.csv", "readiness.csv", "evidence.csv", "queries.csv")
    given = {name: InputText(name, _text(name)) for name in names}
    from_text = cutover.validate(
        calendar,
        as_of=day,
        agencies=given["agencies.csv"],
        readiness=[given["readiness.csv"]],
        evidence=[given["evidence.csv"]],
        queries=given["queries.csv"],
    )
    from_files = cutover.validate(
        calendar,
        as_of=day,
        agencies=EXAMPLE / "agencies.csv",
        readiness=[EXAMPLE / "readiness.csv"],
        evidence=[EXAMPLE / "evidence.csv"],
        queries=EXAMPLE / "queries.csv",
    )
    assert from_text.errors == ()
    assert [(c.kind, c.rows, c.other) for c in from_text.counts] == [
        (c.kind, c.rows, c.other) for c in from_files.counts
    ]
    assert {c.file for c in from_text.counts} == set(names)
    timeline = cutover.build_timeline(calendar)
    findings = cutover.load_queries([given["queries.csv"]], timeline, day)
    assert findings.counts == cutover.load_queries(EXAMPLE / "queries.csv", timeline, day).counts


def test_triage_json_of_several_files_says_each_row_s_file() -> None:
    """Queries read from two files (``--queries`` twice) keep their own line numbers: the
    JSON says the file of each row to act on, each rejected row and each duplicate's line,
    so a tool can find the row (both files' line 2 and line 3 were told apart by nothing)."""
    rule = cutover.cutoff_rule(cutover.build_timeline(cutover.load_calendar("2018-07")))
    header = "query_id,querier,provider,item,requested,status\n"
    first = InputText(
        "a.csv",
        header + "Q1,310000,312011,2,2018-06-01,pending\nQ2,310000,312011,2,2018-13-01,pending\n",
    )
    second = InputText(
        "b.csv",
        header + "Q1,310000,312011,2,2018-06-02,pending\nQ3,310000,31201,2,2018-06-01,pending\n",
    )
    out = io.StringIO()
    with cutover.write_triage(
        [first, second], rule, dt.date(2018, 6, 25), out, fmt="json", calendar="2018-07"
    ):
        pass
    written = json.loads(out.getvalue())
    assert [(q["file"], q["line"]) for q in written["queries"]] == [("a.csv", 2), ("b.csv", 2)]
    assert [(r["file"], r["line"]) for r in written["rejected"]] == [("a.csv", 3), ("b.csv", 3)]
    assert written["duplicates"] == [
        {"query_id": "Q1", "lines": [2, 2], "files": ["a.csv", "b.csv"]}
    ]
    # One file: its name; rows from a database: no file.
    out = io.StringIO()
    with cutover.write_triage(
        first, rule, dt.date(2018, 6, 25), out, fmt="json", calendar="2018-07"
    ):
        pass
    assert {q["file"] for q in json.loads(out.getvalue())["queries"]} == {"a.csv"}
    values = ["Q1", "310000", "312011", "2", "2018-06-01", "pending"]
    rows = [dict(zip(header.strip().split(","), values, strict=True))]
    out = io.StringIO()
    with cutover.write_triage(
        rows, rule, dt.date(2018, 6, 25), out, fmt="json", calendar="2018-07"
    ):
        pass
    assert [q["file"] for q in json.loads(out.getvalue())["queries"]] == [None]


def test_a_calendar_in_memory_is_read_as_its_file() -> None:
    """`load_calendar` (and `validate`) take a calendar as an `InputText`, as text or bytes,
    read as the TOML file it names: it was looked for on disk ("no calendar file")."""
    path = cutover.shipped_calendars()["2018-07"]
    from_file = cutover.load_calendar(path)
    for text in (path.read_text(encoding="utf-8"), path.read_bytes()):
        from_text = cutover.load_calendar(InputText("mine.toml", text))
        assert from_text.revision == from_file.revision
        assert from_text.events == from_file.events
        assert from_text.tasks == from_file.tasks
    report = cutover.validate(InputText("mine.toml", path.read_bytes()), as_of=dt.date(2018, 6, 25))
    assert report.errors == ()
    broken = path.read_text(encoding="utf-8").replace(
        'id = "2018-07"', 'id = "2018-07"\nidd = 1', 1
    )
    with pytest.raises(CutoverError) as caught:
        cutover.load_calendar(InputText("mine.toml", broken))
    assert {p.file for p in caught.value.problems} == {"mine.toml"}
    assert "idd" in caught.value.text("en")


def test_a_workbook_in_memory_names_its_sheet_as_a_file_does(tmp_path: Path) -> None:
    """``readiness.xlsx#改修状況`` given in memory reads that sheet, as the path does, not the
    workbook's first; a sheet it does not have is refused, as the path's is, not read as
    the first sheet without a word."""
    import openpyxl

    book = openpyxl.load_workbook(EXAMPLE / "readiness.xlsx")
    book.create_sheet("表紙", 0)["A1"] = "改修状況調査（回答）"
    path = tmp_path / "readiness.xlsx"
    book.save(path)
    data = path.read_bytes()
    agencies = EXAMPLE / "agencies.csv"

    named = cutover.load_registry(agencies, InputText("readiness.xlsx#改修状況", data))
    assert named.readiness == cutover.load_registry(agencies, f"{path}#改修状況").readiness
    assert len(named.readiness) == 368
    for name in ("readiness.xlsx#調査票", "readiness.xlsx"):  # (no such sheet; the cover)
        with pytest.raises(CutoverError) as in_memory:
            cutover.load_registry(agencies, InputText(name, data))
        with pytest.raises(CutoverError) as on_disk:
            cutover.load_registry(agencies, str(tmp_path / name))
        said = on_disk.value.text("en").replace(str(tmp_path) + "/", "")
        assert in_memory.value.text("en") == said
