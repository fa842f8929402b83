"""Tests for `cutover.planning.progress`: tasks done per template and week, the index's table."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest

from cutover.calendar.load import calendar_path, load_calendar, parse_calendar
from cutover.cli.main import main
from cutover.inputs.registry import load_registry
from cutover.planning.model import Plan
from cutover.planning.planner import plan
from cutover.planning.progress import ProgressRow, progress_by_week, week_of
from cutover.planning.summary import summarize
from cutover.render.index import render_index
from cutover.schedule.timeline import Timeline, build_timeline

D = dt.date
AS_OF = D(2018, 6, 20)

AGENCIES = """code,name,kind,test_requested,provides,new_delegations
131016,千代田区,municipality,yes,2,
131024,中央区,municipality,yes,2,
"""
READINESS = """code,system,side,status,planned
131016,local-tax,provision,done,
"""
#: The first evidence file: the coordinator's own collection.
EVIDENCE_A = """code,task,date,detail
131016,self-inspection,2018-05-14,提出
131016,inter-agency-test,2018-05-24,実施
"""
#: The second: J-LIS's registration and test logs; its last row is after the as-of date.
EVIDENCE_B = """code,task,date,detail
131024,register:2,2018-06-04,登録
131016,register:2,2018-06-11,登録
131024,inter-agency-test,2018-06-22,実施
"""


@functools.cache
def timeline() -> Timeline:
    """Return the timeline of the shipped July 2018 calendar, built once."""
    return build_timeline(load_calendar("2018-07"))


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """Return the paths of a two-agency registry with two evidence files."""
    files = {
        "agencies": AGENCIES,
        "readiness": READINESS,
        "evidence-a": EVIDENCE_A,
        "evidence-b": EVIDENCE_B,
    }
    paths = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def two_file_plan(inputs: dict[str, Path], as_of: dt.date = AS_OF) -> Plan:
    """Return the plan of the registry with both evidence files, as of `as_of`."""
    registry = load_registry(
        inputs["agencies"], inputs["readiness"], [inputs["evidence-a"], inputs["evidence-b"]]
    )
    return plan(timeline(), registry, as_of)


def row(rows: tuple[ProgressRow, ...], template: str) -> ProgressRow:
    """Return the row of one task template."""
    [found] = [r for r in rows if r.template == template]
    return found


def test_week_of_is_monday() -> None:
    """A week is dated by its Monday, Sunday included in the week before it."""
    assert week_of(D(2018, 6, 20)) == D(2018, 6, 18)
    assert week_of(D(2018, 6, 18)) == D(2018, 6, 18)
    assert week_of(D(2018, 6, 24)) == D(2018, 6, 18)


def test_weeks_from_first_evidence_to_as_of(inputs: dict[str, Path]) -> None:
    """The columns are the Mondays from the first evidence's week to the as-of week."""
    table = progress_by_week(two_file_plan(inputs))
    assert table.weeks == (
        D(2018, 5, 14),
        D(2018, 5, 21),
        D(2018, 5, 28),
        D(2018, 6, 4),
        D(2018, 6, 11),
        D(2018, 6, 18),
    )
    assert table.as_of == AS_OF
    assert table


def test_counts_from_two_files_are_cumulative(inputs: dict[str, Path]) -> None:
    """Each week counts the tasks done by its Sunday, from both evidence files."""
    rows = progress_by_week(two_file_plan(inputs)).rows
    assert row(rows, "self-inspection").cumulative == (1, 1, 1, 1, 1, 1)
    assert row(rows, "register").cumulative == (0, 0, 0, 1, 2, 2)
    assert row(rows, "register").applicable == 2


def test_evidence_after_as_of_is_ignored(inputs: dict[str, Path]) -> None:
    """中央区's test on 6/22 is after the as-of date 6/20: not counted."""
    test = row(progress_by_week(two_file_plan(inputs)).rows, "inter-agency-test")
    assert test.cumulative == (0, 1, 1, 1, 1, 1)
    assert test.done == 1
    assert test.applicable == 2


def test_later_as_of_counts_it(inputs: dict[str, Path]) -> None:
    """As of 6/25 the same evidence counts, in a new week."""
    table = progress_by_week(two_file_plan(inputs, D(2018, 6, 25)))
    assert table.weeks[-1] == D(2018, 6, 25)
    assert row(table.rows, "inter-agency-test").cumulative[-2:] == (2, 2)


def test_readiness_done_is_date_unknown(inputs: dict[str, Path]) -> None:
    """A modification reported done in readiness.csv counts as done on a date unknown."""
    provision = row(progress_by_week(two_file_plan(inputs)).rows, "modify-provision")
    assert provision.undated == 1
    assert set(provision.cumulative) == {0}
    assert provision.done == 1


def test_rows_in_calendar_order_with_totals(inputs: dict[str, Path]) -> None:
    """Rows follow the calendar's task order; the totals add every row up."""
    table = progress_by_week(two_file_plan(inputs))
    calendar_order = [t.id for t in load_calendar("2018-07").tasks]
    templates = [r.template for r in table.rows]
    assert templates == [t for t in calendar_order if t in templates]
    totals = table.totals
    assert totals.cumulative == (1, 2, 2, 3, 4, 4)
    assert totals.undated == 1
    assert totals.applicable == sum(r.applicable for r in table.rows)


def test_no_dated_evidence_no_table(inputs: dict[str, Path]) -> None:
    """Without dated evidence the table is empty and falsy."""
    registry = load_registry(inputs["agencies"], inputs["readiness"])
    table = progress_by_week(plan(timeline(), registry, AS_OF))
    assert not table
    assert table.weeks == ()
    assert row(table.rows, "modify-provision").undated == 1


def test_index_shows_progress(inputs: dict[str, Path]) -> None:
    """index.md has the table: a column per week in wareki (the year, a space, the day: the
    HTML page heads the column with them on two lines), a row per template named as a
    coordinator reads it (its title, what each task fills in written ○○, then its id),
    totals."""
    the_plan = two_file_plan(inputs)
    text = render_index(the_plan, summarize(the_plan))
    assert "## 進捗の推移（週ごとの完了数の累計）" in text
    assert (
        "| 作業 | 平成30年 5月14日 | 平成30年 5月21日 | 平成30年 5月28日 | 平成30年 6月4日 | "
        "平成30年 6月11日 | 平成30年 6月18日 | 日付不明 | 完了/対象 |"
    ) in text
    register = "特定個人情報○○番（○○）の副本を登録する `register`"
    assert f"| {register} | 0 | 0 | 0 | 1 | 2 | 2 | 0 | 2/2 |" in text
    assert "| 情報提供に係るシステム改修を完了する（○○） `modify-provision` |" in text
    assert "| **計** | 1 | 2 | 2 | 3 | 4 | 4 | 1 |" in text


def test_a_row_is_named_as_its_tasks_are_titled() -> None:
    """A template's row in the progress table shows its title as its tasks show it: braces
    that are text (``{{重要}}``) as ``{重要}``, not as a field written ○○; a field with a
    format (``{item:03}``) as ○○."""
    shipped = 'title_ja = "機関間試験を実施する（接続検証環境）"'
    text = calendar_path("2018-07").read_text("utf-8")
    text = text.replace(shipped, 'title_ja = "{{重要}} 機関間試験を実施する {{"', 1)
    text = text.replace("特定個人情報{item}番", "特定個人情報{item:03}番", 1)
    tasks = {t.id: t for t in parse_calendar(text).tasks}
    assert tasks["inter-agency-test"].title_of_all("ja", "○○") == "{重要} 機関間試験を実施する {"
    assert tasks["register"].title_of_all("ja", "○○") == "特定個人情報○○番（○○）の副本を登録する"


def test_index_progress_in_english(inputs: dict[str, Path]) -> None:
    """The English index dates the weeks in ISO form, and names the rows in English."""
    the_plan = two_file_plan(inputs)
    text = render_index(the_plan, summarize(the_plan), lang="en")
    assert "| Task | 2018-05-14 | 2018-05-21 |" in text
    test = "Run the inter-agency test (connection-verification environment) `inter-agency-test`"
    assert f"| {test} | 0 | 1 | 1 | 1 | 1 | 1 | 0 | 1/2 |" in text
    assert "| Register copies (副本登録) of item … (…) `register` |" in text


def test_index_without_evidence_has_no_progress(inputs: dict[str, Path]) -> None:
    """Without evidence index.md has no progress section."""
    registry = load_registry(inputs["agencies"], inputs["readiness"])
    the_plan = plan(timeline(), registry, AS_OF)
    assert "進捗の推移" not in render_index(the_plan, summarize(the_plan))


def test_cli_checklists_with_two_evidence_files(inputs: dict[str, Path], tmp_path: Path) -> None:
    """`checklists --evidence A --evidence B` writes the progress table into index.md."""
    out = tmp_path / "out"
    argv = [
        "checklists",
        "2018-07",
        "--agencies",
        str(inputs["agencies"]),
        "--readiness",
        str(inputs["readiness"]),
        "--evidence",
        str(inputs["evidence-a"]),
        "--evidence",
        str(inputs["evidence-b"]),
        "--as-of",
        "2018-06-20",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "の副本を登録する `register` | 0 | 0 | 0 | 1 | 2 | 2 | 0 | 2/2 |" in index
