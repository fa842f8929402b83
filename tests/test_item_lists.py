"""Item lists Excel saved as one number: ``2,21`` in `provides` read back as item 221."""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_registry import HEADER, _warned, _write

from cutover.calendar.load import load_calendar
from cutover.errors import InputWarning
from cutover.inputs.registry import load_agencies, load_registry

#: The items the 2018-07 calendar revises.
REVISED = load_calendar("2018-07").item_numbers


def test_the_calendar_knows_its_revised_items() -> None:
    """The 2018-07 calendar revises items 2, 8, 21 and 52 (§5)."""
    assert frozenset({2, 8, 21, 52}) == REVISED


def test_a_list_saved_as_one_number_is_warned_of(tmp_path: Path) -> None:
    """`provides = 221` (Excel's reading of 2,21) and `new_delegations = 852` (8,52) load as
    written, each with one warning naming the file, line, column, value and the fix; an
    item the calendar does not revise that is no such run (3, 16) is an agency's ordinary
    item and says nothing."""
    path = _write(
        tmp_path,
        HEADER + "131016,千代田区,municipality,,221,\n132012,八王子市,municipality,,3 16 2,852\n",
    )
    said = _warned(lambda: load_agencies(path, items=REVISED))
    assert said == [
        f"{path}:2: provides: item 221 is not one this revision revises (2, 8, 21 and 52); Excel"
        " may have read the comma of '2,21' as a thousands separator and saved one number —"
        " if you meant items 2 and 21, write them separated by spaces ('2 21'; in Excel, format"
        " the column as text first, then type it again); if the agency does provide (or is"
        " delegated) item 221, leave it",
        f"{path}:3: new_delegations: item 852 is not one this revision revises (2, 8, 21 and 52);"
        " Excel may have read the comma of '8,52' as a thousands separator and saved one"
        " number — if you meant items 8 and 52, write them separated by spaces ('8 52'; in"
        " Excel, format the column as text first, then type it again); if the agency does"
        " provide (or is delegated) item 852, leave it",
    ]
    japanese = _warned(lambda: load_agencies(path, items=REVISED), "ja")
    assert japanese[0].startswith(f"{path}:2: provides: 221番は、この改版の対象の特定個人情報")
    assert "2番、21番の意味であれば「2 21」と空白で区切って書いてください" in japanese[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        agencies = load_agencies(path, items=REVISED)
    assert [a.provides for a in agencies] == [frozenset({221}), frozenset({2, 3, 16})]
    # Without the calendar's items, nothing tells a run of them.
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        load_agencies(path)


def test_a_number_cell_of_a_workbook_is_warned_of_at_its_cell(tmp_path: Path) -> None:
    """In a workbook the list is a number cell (221): the warning names the sheet and cell,
    through `load_registry` as the commands read it."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "団体"
    sheet.append(["code", "name", "kind", "test_requested", "provides", "new_delegations"])
    sheet.append(["131016", "千代田区", "municipality", "", 221, None])
    path = tmp_path / "agencies.xlsx"
    book.save(path)
    said = _warned(lambda: load_registry(path, items=REVISED))
    assert len(said) == 1
    assert said[0].startswith(f"{path}:団体!E2: provides: item 221 is not one this revision")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(REVISED)), min_size=2, max_size=3, unique=True))
def test_any_run_of_revised_items_is_warned_of(tmp_path: Path, run: list[int]) -> None:
    """Any two or three revised items written one after another, when that number is no
    revised item and at most 999, is warned of, and the fix gives items whose digits are
    the number's."""
    number = int("".join(map(str, run)))
    if number in REVISED or number > 999:
        return
    path = _write(tmp_path, HEADER + f"131016,千代田区,municipality,,{number},\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_agencies(path, items=REVISED)
    problems = [w.message.problem for w in caught if isinstance(w.message, InputWarning)]
    assert [p.code for p in problems] == ["inputs.items-run-together"]
    parts = str(problems[0].params["parts"]).split()
    assert "".join(parts) == str(number)
    assert all(int(p) in REVISED for p in parts)


@pytest.mark.parametrize("written", ["2 21", "2,21", "2、21", "52", "1 3 5", "221 2"])
def test_no_warning_for_items_written_apart_or_not_a_run(tmp_path: Path, written: str) -> None:
    """Items written apart, or items not made of revised ones, warn of nothing (221 does,
    even beside 2: each number is judged alone)."""
    path = _write(tmp_path, HEADER + f'131016,千代田区,municipality,,"{written}",\n')
    said = _warned(lambda: load_agencies(path, items=REVISED))
    assert len(said) == (1 if "221" in written else 0)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(REVISED)), st.integers(min_value=2, max_value=3))
def test_one_item_repeated_is_no_run(tmp_path: Path, item: int, times: int) -> None:
    """An item of the agency's own whose digits are one revised item repeated (22, 88, 222)
    warns of nothing: nobody lists the same item twice, and the fix "write 2 2" made no
    sense."""
    number = int(str(item) * times)
    if number > 999:
        return
    path = _write(tmp_path, HEADER + f"131016,千代田区,municipality,,{number},\n")
    assert _warned(lambda: load_agencies(path, items=REVISED)) == []


@pytest.mark.parametrize("command", ["validate", "triage", "survey"])
def test_every_command_reading_agencies_warns_of_a_run(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`triage --agencies` reads the agencies file for names only, and `survey merge` to know
    whose workbooks come back; both still warn of 221 as `validate` (and plan, checklists) do:
    the same file gives the same warning."""
    from cutover.cli.main import main

    path = _write(tmp_path, HEADER + "131016,千代田区,municipality,,221,\n")
    args = [command, "2018-07", "--agencies", str(path), "--as-of", "2018-06-25"]
    if command == "survey":
        # survey merge reads the agencies file before the returned workbooks (none here).
        (tmp_path / "returned").mkdir()
        args = ["survey", "merge", "2018-07", "--agencies", str(path), str(tmp_path / "returned")]
        args += ["--out", str(tmp_path / "merged")]
    if command == "triage":
        queries = tmp_path / "queries.csv"
        queries.write_text(
            "query_id,querier,provider,item,requested,status\n"
            "Q1,131016,131016,2,2018-06-01 10:00:00,pending\n",
            encoding="utf-8",
        )
        args += ["--queries", str(queries), "-o", str(tmp_path / "out.csv")]
    main(args)
    err = capsys.readouterr().err
    assert f"{path}:2: provides: 221番は、この改版の対象の特定個人情報" in err
