"""Tests for `cutover.render.plan`: the plan as JSON, CSV and Markdown, and the shared views."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import json
import re
from collections.abc import Iterator

import pytest
from markdown_it import MarkdownIt
from test_planner import pending

from cutover.calendar.load import load_calendar
from cutover.errors import CutoverError
from cutover.inputs.model import Agency, Evidence, Readiness, Registry
from cutover.jp.vocabulary import Kind, Side, Status
from cutover.planning.model import Plan, TaskStatus
from cutover.planning.planner import plan
from cutover.render.plan import (
    CSV_COLUMNS,
    TaskViews,
    plan_json,
    plan_markdown,
    task_view,
    write_plan_csv,
)
from cutover.schedule.timeline import Timeline, build_timeline


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


AS_OF = dt.date(2018, 6, 20)
HOSTILE = "悪い|名前\n<script>alert(1)</script>[x](http://evil)"


@functools.cache
def timeline() -> Timeline:
    """Return the timeline of the shipped July 2018 calendar (built once per session)."""
    return build_timeline(load_calendar("2018-07"))


def every_status_plan(name: str = "千代田区") -> Plan:
    """Return a plan whose first agency has a task in every status, as of 2018-06-20.

    done: register:2 (evidence) and modify-provision:local-tax (readiness); n/a: the
    health query system; overdue: the May self-inspection; due soon: the modifications;
    upcoming: re-issuing queries after the revision (its query to 東京都 is pending);
    late-expected: the public-housing query side, reported not started (§3). The second
    agency provides item 52 itself, the first registers it because of a new delegation.
    """
    agencies = (
        Agency("131016", name, Kind.MUNICIPALITY, True, frozenset({2, 21}), frozenset({52}), 2),
        Agency("131024", "中央区", Kind.MUNICIPALITY, False, frozenset({52}), frozenset(), 3),
    )
    readiness = (
        Readiness("131016", "local-tax", Side.PROVISION, Status.DONE, None, 2),
        Readiness("131016", "health", Side.QUERY, Status.NOT_APPLICABLE, None, 3),
        Readiness("131016", "public-housing", Side.QUERY, Status.NOT_STARTED, None, 4),
    )
    evidence = (
        Evidence("131016", "register:2", dt.date(2018, 6, 1), "ログ確認|<b>済</b>", 2),
        Evidence("131016", "inter-agency-test", dt.date(2018, 6, 8), "", 3),
    )
    queries = pending(AS_OF, ("131016", "130001"))
    return plan(timeline(), Registry(agencies, readiness, evidence), AS_OF, queries=queries)


#: A CommonMark parser with GFM tables, reading the output as a renderer would.
MARKDOWN = MarkdownIt("commonmark").enable("table")


def table_rows(markdown: str) -> list[list[str]]:
    """Return the cells of every table row in `markdown`, header rows included."""
    rows: list[list[str]] = []
    row: list[str] = []
    in_row = False
    for token in MARKDOWN.parse(markdown):
        if token.type == "tr_open":
            row, in_row = [], True
        elif token.type == "inline" and in_row:
            row.append(token.content)
        elif token.type == "tr_close":
            rows.append(row)
            in_row = False
    return rows


# --- JSON ------------------------------------------------------------------------------------


def test_json_contract() -> None:
    """The plan JSON has the keys of DESIGN.md §3 for the plan, each agency, task and flag."""
    data = plan_json(every_status_plan())
    assert {"calendar", "as_of", "agencies"} <= set(data)
    assert data["calendar"]["id"] == "2018-07"
    assert data["as_of"] == "2018-06-20"
    agency = data["agencies"][0]
    assert {"code", "name", "kind", "tasks", "flags"} <= set(agency)
    assert agency["kind"] == "municipality"
    for task in agency["tasks"]:
        assert {"id", "title", "due", "start", "end", "status", "done_on"} <= set(task)
    for flag in agency["flags"]:
        assert {"code", "severity", "message", "remedy", "task"} <= set(flag)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_json_every_status() -> None:
    """Every task status appears in the JSON with its id."""
    statuses = {t["status"] for t in plan_json(every_status_plan())["agencies"][0]["tasks"]}
    assert statuses == {s.value for s in TaskStatus} - {"unknown", "as-needed"}
    # §6: past its date, what the source says to do as needed is "as-needed", not overdue.
    later = dt.date(2018, 7, 9)
    agencies = tuple(a.agency for a in every_status_plan().agencies)
    queries = pending(later, ("131016", "130001"))
    requery = plan(timeline(), Registry(agencies), later, queries=queries)
    tasks = {t["id"]: t for t in plan_json(requery)["agencies"][0]["tasks"]}
    assert tasks["withdraw-and-reissue"]["status"] == "as-needed"
    assert tasks["all-agency-drill"]["status"] == "overdue"
    # §6: without a queries file, the tasks about pending queries are "unknown".
    agency = Agency("131016", "千代田区", Kind.MUNICIPALITY, False, frozenset({2}), frozenset(), 2)
    tasks = plan_json(plan(timeline(), Registry((agency,)), AS_OF))["agencies"][0]["tasks"]
    unknown = {t["id"] for t in tasks if t["status"] == "unknown"}
    assert unknown == {
        "answer-before-cutoff:2",
        "follow-up-pending-queries",
        "withdraw-and-reissue",
    }


def test_json_window_dates() -> None:
    """start/end are a window's opening and due date; null for a task without a window."""
    tasks = {t["id"]: t for t in plan_json(every_status_plan())["agencies"][0]["tasks"]}
    modify = tasks["modify-query:local-tax"]
    assert (modify["start"], modify["end"], modify["due"]) == (None, None, "2018-06-29")
    assert modify["due_moved_from"] == "2018-06-30"
    assert modify["due_moved_reason"] == "土曜日"
    register = tasks["register:2"]
    assert (register["start"], register["end"]) == ("2018-05-21", "2018-06-29")
    assert register["done_on"] == "2018-06-01"
    requery = tasks["withdraw-and-reissue"]
    assert (requery["start"], requery["start_moved_from"]) == ("2018-07-02", "2018-07-01")


def test_json_language() -> None:
    """Titles, details, messages and remedies follow the language; both titles are kept."""
    ja = plan_json(every_status_plan())["agencies"][0]
    en = plan_json(every_status_plan(), lang="en")["agencies"][0]
    assert en["tasks"][0]["title"] == en["tasks"][0]["title_en"]
    assert ja["tasks"][0]["title"] == ja["tasks"][0]["title_ja"]
    assert ja["tasks"][0]["title_en"] == en["tasks"][0]["title_en"]
    assert en["flags"][0]["message"] != ja["flags"][0]["message"]


def test_json_notes_per_agency() -> None:
    """A delegated item carries the delegation note only for the agency that delegates; the
    note of what comes first (§2: item 52's system, 国保) is every provider's."""
    agencies = plan_json(every_status_plan())["agencies"]
    delegated = {t["id"]: t for t in agencies[0]["tasks"]}["register:52"]
    own = {t["id"]: t for t in agencies[1]["tasks"]}["register:52"]
    assert any("委任受任" in note for note in delegated["notes"])
    first = (
        "§2 は作業をシステム改修、機関間試験、副本登録の順に挙げる。"
        "「情報提供に係るシステム改修を完了する（国保）」"
    )
    assert [n[: len(first)] for n in own["notes"]] == [first]
    assert delegated["notes"][-1].startswith(first)
    retroactive = {t["id"]: t for t in agencies[0]["tasks"]}["register:2"]
    assert any("過去分を含め" in note for note in retroactive["notes"])


def test_json_deterministic() -> None:
    """The same plan gives byte-identical JSON."""
    first = json.dumps(plan_json(every_status_plan()), ensure_ascii=False)
    assert first == json.dumps(plan_json(every_status_plan()), ensure_ascii=False)


# --- CSV -------------------------------------------------------------------------------------


def test_csv_rows() -> None:
    """The CSV has the documented columns and one row per task."""
    stream = io.StringIO()
    the_plan = every_status_plan()
    write_plan_csv(the_plan, stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == sum(len(a.tasks) for a in the_plan.agencies)
    by_task = {(r[0], r[3]): dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:]}
    modify = by_task[("131016", "modify-query:local-tax")]
    assert (modify["start"], modify["due"], modify["status"]) == ("", "2018-06-29", "due-soon")
    done = by_task[("131016", "register:2")]
    assert (done["start"], done["done_on"], done["section"]) == ("2018-05-21", "2018-06-01", "§5")


def test_csv_formula_guard() -> None:
    """A name a spreadsheet would run as a formula is written as text."""
    stream = io.StringIO()
    write_plan_csv(every_status_plan('=HYPERLINK("http://evil","x")'), stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[1][1] == '\'=HYPERLINK("http://evil","x")'


def test_csv_keeps_names_with_commas_and_newlines() -> None:
    """Names with commas, quotes and newlines survive a CSV round trip."""
    stream = io.StringIO()
    write_plan_csv(every_status_plan('a,"b"\nc'), stream, lang="en")
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[1][1] == 'a,"b"\nc'


# --- Markdown --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("ja", {"完了", "期限超過", "期限間近", "予定", "対象外"}),
        ("en", {"done", "overdue", "due soon", "upcoming", "not applicable"}),
    ],
)
def test_markdown_every_status(lang: str, labels: set[str]) -> None:
    """Every status is rendered, in the language asked for, in the task table."""
    rows = table_rows(plan_markdown(every_status_plan(), lang=lang))
    header = rows[0]
    status_column = header.index("状況" if lang == "ja" else "Status")
    assert labels <= {row[status_column] for row in rows[1:]}


def test_markdown_table_shape_with_hostile_name() -> None:
    """A hostile agency name breaks no table row and injects no HTML or link."""
    text = plan_markdown(every_status_plan(HOSTILE))
    for row in table_rows(text):
        assert len(row) == 7
    tokens = MARKDOWN.parse(text)
    children = [c for t in tokens if t.type == "inline" for c in t.children or []]
    assert not [c for c in children if c.type in ("html_inline", "link_open")]
    assert not [t for t in tokens if t.type == "html_block"]


def test_markdown_deterministic() -> None:
    """The same plan gives byte-identical Markdown."""
    assert plan_markdown(every_status_plan()) == plan_markdown(every_status_plan())


def test_unknown_language() -> None:
    """An unknown language is an error, not a silent fallback."""
    with _refused("unknown language"):
        plan_json(every_status_plan(), lang="de")  # type: ignore[arg-type]


# --- the shared task views -------------------------------------------------------------------


def test_task_views_share_text_not_status() -> None:
    """Views made for several agencies share the text and keep each agency's status."""
    the_plan = every_status_plan()
    views = TaskViews("ja")
    first = {t.id: views(t) for t in the_plan.agencies[0].tasks}
    second = {t.id: views(t) for t in the_plan.agencies[1].tasks}
    assert first["register:2"].box == "x"
    assert first["register:2"].remedies == ()
    assert second["register:52"].box == " "
    assert second["register:52"].remedies
    assert first["register:52"].notes != second["register:52"].notes
    task = the_plan.agencies[0].tasks[0]
    assert views(task) == task_view(task, "ja")


def test_task_view_done_source_escaped() -> None:
    """The evidence detail shown as a task's proof is escaped."""
    task = next(t for t in every_status_plan().agencies[0].tasks if t.id == "register:2")
    view = task_view(task, "ja")
    assert "平成30年6月1日（金）" in view.done_on
    assert "\\|" in view.done_on
    assert "\\<b\\>" in view.done_on
