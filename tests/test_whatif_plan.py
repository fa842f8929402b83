"""Tests for what-if replanning: `cutover.planning.whatif` and the "what changed" it feeds."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from cutover.calendar.load import load_calendar, parse_calendar
from cutover.calendar.model import RevisionCalendar
from cutover.cli.main import main
from cutover.errors import CutoverError
from cutover.i18n import catalogue
from cutover.i18n.catalogue import Lang
from cutover.i18n.text import format_day
from cutover.inputs.model import Agency, Evidence, Registry
from cutover.inputs.registry import load_registry
from cutover.jp.vocabulary import Kind
from cutover.planning.model import Plan, TaskStatus
from cutover.planning.planner import plan, with_what_if
from cutover.planning.summary import summarize
from cutover.planning.whatif import compare_plans
from cutover.render.checklist import render_checklist
from cutover.render.checklists import write_checklists
from cutover.render.index import render_index
from cutover.render.plan import plan_json, plan_markdown, status_text
from cutover.render.summary import summary_json, summary_markdown
from cutover.schedule.shift import parse_shift
from cutover.schedule.timeline import build_timeline


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


D = dt.date
AS_OF = D(2018, 6, 25)
TOTTORI = Path(__file__).resolve().parent.parent / "examples" / "tottori"
MARKDOWN = MarkdownIt("commonmark").enable("table")

#: A calendar whose registration window is declared past the effective date (a conflict).
LATE_WINDOW = """
[revision]
id = "late-window"
title_ja = "試験用の改版"
title_en = "Test revision"
effective = "2018-07-01"
source = "test source"
section = "§1"
systems = ["local-tax"]

[[items]]
number = 2
name_ja = "地方税関係情報"
name_en = "local tax information"
short_ja = "地方税"
short_en = "local tax"
registration_required = true
retroactive = true
section = "§5"

[[events]]
id = "registration"
type = "window"
title_ja = "副本登録期間"
title_en = "Registration window"
actor = "provider"
start = "2018-06-11"
end = "2018-07-04"
before = [{ event = "effective", lag = "1d" }]
section = "§5"

[[tasks]]
id = "register"
per = "item"
items = "registration"
title_ja = "{item}番を登録する"
title_en = "Register item {item}"
window = "registration"
due = "registration"
hearing = true
section = "§5"
"""


@functools.cache
def tottori() -> Registry:
    """Return the example's registry (agencies, readiness, evidence), read once."""
    return load_registry(
        TOTTORI / "agencies.csv", TOTTORI / "readiness.csv", [TOTTORI / "evidence.csv"]
    )


@functools.cache
def july() -> RevisionCalendar:
    """Return the shipped July 2018 calendar, loaded once."""
    return load_calendar("2018-07")


def shifted_plan(*shifts: str, calendar: RevisionCalendar | None = None) -> Plan:
    """Return the example's plan as of 2018-06-25 with these shifts, and what they changed."""
    cal = calendar or july()
    timeline = build_timeline(cal, [parse_shift(s) for s in shifts])
    return with_what_if(plan(timeline, tottori(), AS_OF), tottori())


def late_window_plan(*shifts: str) -> Plan:
    """Return a one-agency plan of the late-window calendar with these shifts."""
    calendar = parse_calendar(LATE_WINDOW, "late.toml")
    registry = Registry(
        (Agency("131016", "千代田区", Kind.MUNICIPALITY, False, frozenset({2}), frozenset(), 2),),
        (),
        (Evidence("131016", "register:2", D(2018, 6, 12), "", 2),),
    )
    timeline = build_timeline(calendar, [parse_shift(s) for s in shifts])
    return with_what_if(plan(timeline, registry, D(2018, 6, 20)), registry)


# --- the library -----------------------------------------------------------------------------


def test_shift_creates_after_effective_conflict() -> None:
    """Pushing the registration window 3 business days ends it after the revision."""
    changes = shifted_plan("duplicate-registration=+3bd").what_if
    assert changes is not None
    assert [(c.code, c.event, c.other) for c in changes.new_conflicts] == [
        ("after-effective", "duplicate-registration", "effective")
    ]
    assert changes.resolved_conflicts == ()


def test_shift_resolves_a_conflict() -> None:
    """Bringing a window declared past the effective date forward resolves its conflict."""
    changes = late_window_plan("registration=-3bd").what_if
    assert changes is not None
    assert [(c.code, c.event) for c in changes.resolved_conflicts] == [
        ("after-effective", "registration")
    ]
    assert changes.new_conflicts == ()
    [move] = changes.moved
    assert (move.task, move.old_due, move.new_due) == ("register:2", D(2018, 7, 4), D(2018, 6, 29))
    assert (move.old_start, move.new_start) == (D(2018, 6, 11), D(2018, 6, 6))


def test_moved_tasks_have_old_and_new_dates() -> None:
    """Every registration task moves by 3 business days; nothing else moves."""
    changes = shifted_plan("duplicate-registration=+3bd").what_if
    assert changes is not None
    assert {m.template for m in changes.moved} == {"register"}
    assert len(changes.moved) == 60
    for move in changes.moved:
        assert (move.old_due, move.new_due) == (D(2018, 6, 29), D(2018, 7, 4))
        assert (move.old_start, move.new_start) == (D(2018, 5, 21), D(2018, 5, 24))
        assert move.due_moved
        assert move.start_moved


def test_moves_group_by_template_with_agency_count() -> None:
    """The moves of one template and dates make one group with its agencies and tasks."""
    changes = shifted_plan("duplicate-registration=+3bd").what_if
    assert changes is not None
    [group] = changes.by_template()
    assert group.label == "register:*"
    assert group.template == "register"
    assert (group.old_due, group.new_due) == (D(2018, 6, 29), D(2018, 7, 4))
    assert group.agencies == changes.agencies == 21
    assert group.tasks == 60


def test_move_carries_status_change() -> None:
    """境港市's missed test is overdue before the shift and due soon after it."""
    changes = shifted_plan("inter-agency-test=+5bd").what_if
    assert changes is not None
    [move] = changes.of_agency("312045")
    assert move.task == "inter-agency-test"
    assert (move.old_status, move.new_status) == (TaskStatus.OVERDUE, TaskStatus.DUE_SOON)
    assert move.status_changed
    assert not move.multiplies
    assert changes.of_agency("318019") == ()


def test_moves_follow_dependencies() -> None:
    """Shifting the effective date moves the tasks of the events that depend on it."""
    changes = shifted_plan("effective=+2d").what_if
    assert changes is not None
    assert "withdraw-and-reissue" in {m.template for m in changes.moved}


def test_scoped_keeps_only_some_agencies() -> None:
    """A scoped copy keeps the moves of the codes given and every conflict."""
    changes = shifted_plan("duplicate-registration=+3bd").what_if
    assert changes is not None
    scoped = changes.scoped(["312011"])
    assert {m.code for m in scoped.moved} == {"312011"}
    assert scoped.new_conflicts == changes.new_conflicts
    assert scoped.by_template()[0].agencies == 1


def test_a_window_end_moved_off_its_closed_day_is_a_move() -> None:
    """What if the registration window ended on Friday 6/29, not Saturday 6/30? Its due date
    is shown on 6/29 either way, but as of 6/30 the window is now over: agencies at risk
    become hearing candidates. The what-if lists the registrations, each side of the due
    date saying where it was moved from (it said that no task's dates moved); the JSON, which
    lists dates as shown, is unchanged."""
    timeline = build_timeline(july(), [parse_shift("duplicate-registration=-1d")])
    the_plan = with_what_if(plan(timeline, tottori(), D(2018, 6, 30)), tottori())
    changes = the_plan.what_if
    assert changes is not None
    moves = [m for m in changes.moved if m.template == "register"]
    assert len(moves) == 60
    assert all((m.old_due, m.new_due) == (D(2018, 6, 29), D(2018, 6, 29)) for m in moves)
    assert not any(m.shown_moved for m in moves)
    assert {m.old_status for m in moves} >= {TaskStatus.DONE, TaskStatus.OVERDUE}
    text = summary_markdown(summarize(the_plan))
    assert "日付が動いた作業はない" not in text
    row = next(line for line in text.splitlines() if line.startswith("| `register:*`"))
    assert (
        "平成30年6月29日（金）（6/30（土）は閉庁日のため 6/29（金）） → 平成30年6月29日（金）"
        in row
    )
    # The opening moved from Monday 5/21 to Sunday 5/20, still shown on 5/21.
    assert "→ 平成30年5月21日（月）（5/20（日）は閉庁日のため 5/21（月））" in row
    assert plan_json(the_plan)["what_if"]["moved"] == []
    assert summary_json(summarize(the_plan))["what_if"]["moved"] == []


@pytest.mark.parametrize(
    ("shift", "effective", "not_ready"),
    [
        (None, D(2018, 7, 1), 1),
        ("effective=+1d", D(2018, 7, 2), 1),
        ("effective=+7d", D(2018, 7, 8), 0),
    ],
)
def test_readiness_is_judged_by_the_shifted_effective_date(
    tmp_path: Path, shift: str | None, effective: dt.date, not_ready: int
) -> None:
    """A modification planned for 7/3 is not ready for a revision on 7/1 or 7/2, and ready for
    one on 7/8 (`--shift effective=+7d`: what if the revision, or a master delivery the source
    dates to the month, came a week later?). The §3 flags and counts, and the date the pages
    give, follow the shifted day (they kept judging by, and showing, the calendar's 7/1); the
    JSON's `effective` stays the calendar's, as documented."""
    (tmp_path / "agencies.csv").write_text(
        "code,name,kind,test_requested,provides,new_delegations\n310000,鳥取県,prefecture,no,,\n",
        encoding="utf-8",
    )
    (tmp_path / "readiness.csv").write_text(
        "code,system,side,status,planned\n"
        "310000,local-tax,provision,planned,2018-07-03\n"
        "310000,local-tax,query,planned,2018-07-03\n",
        encoding="utf-8",
    )
    registry = load_registry(tmp_path / "agencies.csv", readiness_path=tmp_path / "readiness.csv")
    timeline = build_timeline(july(), [parse_shift(shift)] if shift else [])
    the_plan = with_what_if(plan(timeline, registry, AS_OF), registry)
    codes = {f.code.value for f in the_plan.agency("310000").flags}
    assert ("provision-not-ready" in codes) is bool(not_ready)
    assert ("query-not-ready" in codes) is bool(not_ready)
    if not_ready:
        (flag,) = [f for f in the_plan.agency("310000").flags if f.code.value == "query-not-ready"]
        assert f"改版（{format_day(effective, 'ja')}）までに" in flag.message_ja
    summary = summarize(the_plan)
    assert summary.not_ready_of("provision").of("local-tax").total == not_ready
    assert summary.not_ready_of("query").of("local-tax").total == not_ready
    assert summary.takes_effect == effective
    assert f"適用開始日: {format_day(effective, 'ja')}" in summary_markdown(summary)
    assert f"適用開始日: {format_day(effective, 'ja')}" in plan_markdown(the_plan)
    assert summary_json(summary)["effective"] == "2018-07-01"


def test_no_shift_no_changes() -> None:
    """A plan made without shifts comes back from with_what_if as it was."""
    the_plan = plan(build_timeline(july()), tottori(), AS_OF)
    assert with_what_if(the_plan, tottori()) is the_plan
    assert the_plan.what_if is None


def test_shift_that_changes_nothing_is_empty() -> None:
    """A shift of an event no task depends on moves no task and is falsy."""
    changes = shifted_plan("academy-lecture=+5bd").what_if
    assert changes is not None
    assert not changes
    assert changes.moved == ()


def test_compare_plans_of_two_calendars_is_refused() -> None:
    """Plans of different calendars cannot be compared."""
    other = late_window_plan()
    with _refused("cannot compare") as caught:
        compare_plans(shifted_plan(), other)
    assert "の計画は比べられません" in str(caught.value)


# --- JSON ------------------------------------------------------------------------------------


def test_plan_json_what_if_keys() -> None:
    """The plan JSON has a what_if key with every moved task and the new conflict."""
    data = plan_json(shifted_plan("duplicate-registration=+3bd"))
    what_if = data["what_if"]
    assert set(what_if) == {"shifts", "moved", "new_conflicts", "resolved_conflicts"}
    assert what_if["shifts"] == ["duplicate-registration=+3bd"]
    first = what_if["moved"][0]
    assert {"task", "code", "old_due", "new_due"} <= set(first)
    assert (first["old_due"], first["new_due"]) == ("2018-06-29", "2018-07-04")
    assert [c["code"] for c in what_if["new_conflicts"]] == ["after-effective"]
    assert what_if["resolved_conflicts"] == []


def test_plan_json_without_shift_has_a_null_what_if() -> None:
    """Without shifts the plan JSON's what_if is null (the key is always there)."""
    assert plan_json(plan(build_timeline(july()), tottori(), AS_OF))["what_if"] is None


def test_summary_json_what_if_is_compact() -> None:
    """The summary JSON groups the moves by template, with agency and task counts."""
    data = summary_json(summarize(shifted_plan("duplicate-registration=+3bd")))
    assert data["what_if"]["moved"] == [
        {
            "task": "register:*",
            "template": "register",
            "old_due": "2018-06-29",
            "new_due": "2018-07-04",
            "old_start": "2018-05-21",
            "new_start": "2018-05-24",
            "agencies": 21,
            "tasks": 60,
        }
    ]
    assert data["what_if"]["new_conflicts"] == [
        {"code": "after-effective", "event": "duplicate-registration", "other": "effective"}
    ]


def test_summary_json_without_shift_has_a_null_what_if() -> None:
    """Without shifts the summary JSON's what_if is null (the key is always there)."""
    assert summary_json(summarize(shifted_plan()))["what_if"] is None


def test_summary_of_one_prefecture_scopes_the_moves() -> None:
    """A prefecture's summary counts only its agencies' moved tasks."""
    summary = summarize(shifted_plan("duplicate-registration=+3bd"), prefecture="31")
    assert summary.what_if is not None
    assert summary.what_if.by_template()[0].agencies == 21


# --- Markdown --------------------------------------------------------------------------------


def test_index_lists_moves_by_template() -> None:
    """index.md says which template moved, from when to when, for how many agencies."""
    the_plan = shifted_plan("duplicate-registration=+3bd")
    text = render_index(the_plan, summarize(the_plan))
    assert "## 想定変更（--shift）による変更点" in text
    assert (
        "| `register:*` | 平成30年5月21日（月） → 平成30年5月24日（木） | "
        "平成30年6月29日（金） → 平成30年7月4日（水） | 21 | 60 |"
    ) in text
    assert "### 新たに生じた矛盾" in text
    assert "- `after-effective` 副本登録期間" in text


def test_index_in_english() -> None:
    """The English index says the same in English."""
    the_plan = shifted_plan("duplicate-registration=+3bd")
    text = render_index(the_plan, summarize(the_plan), lang="en")
    assert "## What changed with the shifts (--shift)" in text
    assert "| `register:*` | 2018-05-21 (Mon) → 2018-05-24 (Thu) |" in text
    assert "### New conflicts" in text
    assert "ends Wed 4 Jul 2018, after the revision takes effect" in text


def test_checklist_lists_own_moved_tasks() -> None:
    """A checklist lists the agency's own moved tasks with their status change."""
    the_plan = shifted_plan("inter-agency-test=+5bd")
    text = render_checklist(the_plan.agency("312045"), the_plan)
    assert (
        "| 機関間試験を実施する（接続検証環境） `inter-agency-test` | "
        "平成30年5月7日（月） → 平成30年5月14日（月） | "
        "平成30年6月22日（金） → 平成30年6月29日（金） | 期限超過 → 期限間近 |"
    ) in text
    assert "日程の矛盾は増えも減りもしない。" in text


def test_a_task_due_on_a_milestone_shifted_onto_a_closed_day_says_so() -> None:
    """The drill's task, due on the all-agency drill (a milestone, not moved off closed
    days) shifted to Saturday 5/26, is due on that Saturday: the summary's, the index's and
    a checklist's what-if say the day is closed, in Japanese and in English."""
    the_plan = shifted_plan("all-agency-drill=+3d")
    due = "平成30年5月23日（水） → 平成30年5月26日（土）（閉庁日: 土曜日）"
    assert f"| `all-agency-drill` | — | {due} | 23 | 23 |" in summary_markdown(summarize(the_plan))
    assert f"| {due} |" in render_index(the_plan, summarize(the_plan))
    assert f"| {due} |" in render_checklist(the_plan.agency("312045"), the_plan)
    english = summary_markdown(summarize(the_plan), lang="en")
    assert "| 2018-05-23 (Wed) → 2018-05-26 (Sat) (closed: Saturday) |" in english
    # A shift onto a business day says nothing of closed days.
    weekday = summary_markdown(summarize(shifted_plan("all-agency-drill=+1d")))
    assert "| 平成30年5月23日（水） → 平成30年5月24日（木） |" in weekday


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_checklist_status_change_reads_as_each_side_s_checklist(lang: Lang) -> None:
    """On Saturday 6/30 智頭町's registration of item 8, not done, is still open until the
    day ends (the window's written end); ended on Friday 6/29 by the shift, it is over. The
    what-if says the status as each side's checklist says it, and so as a change (it said
    期限超過 on both sides: the two statuses' codes are alike)."""
    as_of = D(2018, 6, 30)
    declared = plan(build_timeline(july(), []), tottori(), as_of)
    timeline = build_timeline(july(), [parse_shift("duplicate-registration=-1d")])
    shifted = with_what_if(plan(timeline, tottori(), as_of), tottori())
    before, after = (
        next(t for t in p.agency("313289").tasks if t.id == "register:8")
        for p in (declared, shifted)
    )
    old, new = status_text(before, as_of, lang), status_text(after, as_of, lang)
    assert before.status is after.status is TaskStatus.OVERDUE
    assert old != new
    assert old in render_checklist(declared.agency("313289"), declared, lang=lang)
    row = next(
        line
        for line in render_checklist(shifted.agency("313289"), shifted, lang=lang).splitlines()
        if line.startswith("| ") and "`register:8` |" in line
    )
    assert row.endswith(f" | {catalogue.text('whatif.change', lang, old=old, new=new)} |")


def test_checklist_of_unaffected_agency_says_nothing_moved() -> None:
    """An agency without the shifted task is told that none of its tasks moved."""
    the_plan = shifted_plan("inter-agency-test=+5bd")
    text = render_checklist(the_plan.agency("318019"), the_plan, lang="en")
    assert "No task's dates moved." in text
    assert "inter-agency-test` +5bd (Inter-agency test window" in text


def test_checklist_shows_resolved_conflict() -> None:
    """The checklist of an agency with the window lists the conflict the shift resolved."""
    the_plan = late_window_plan("registration=-3bd")
    text = render_checklist(the_plan.agencies[0], the_plan)
    assert "### 解消した矛盾" in text
    assert "- `after-effective` 副本登録期間（registration）の終了" in text


def test_plan_and_summary_markdown_have_the_section() -> None:
    """The plan and summary pages start with what changed, as a valid table."""
    the_plan = shifted_plan("duplicate-registration=+3bd")
    for text in (plan_markdown(the_plan), summary_markdown(summarize(the_plan))):
        assert "## 想定変更（--shift）による変更点" in text
        assert "- `duplicate-registration` +3bd（副本登録期間" in text
        tables = [t for t in MARKDOWN.parse(text) if t.type == "table_open"]
        assert tables


def test_no_section_without_shift() -> None:
    """Without shifts no page has a what-changed section."""
    the_plan = plan(build_timeline(july()), tottori(), AS_OF)
    pages = (
        render_index(the_plan, summarize(the_plan)),
        render_checklist(the_plan.agency("312045"), the_plan),
        plan_markdown(the_plan),
        summary_markdown(summarize(the_plan)),
    )
    for text in pages:
        assert "--shift" not in text


def test_what_if_strings_are_escaped() -> None:
    """A calendar title with markup is escaped in the shift line."""
    hostile = LATE_WINDOW.replace('title_ja = "副本登録期間"', 'title_ja = "<b>登録</b>|[x](y)"')
    calendar = parse_calendar(hostile, "late.toml")
    timeline = build_timeline(calendar, [parse_shift("registration=-3bd")])
    registry = Registry(
        (Agency("131016", "千代田区", Kind.MUNICIPALITY, False, frozenset({2}), frozenset(), 2),)
    )
    the_plan = with_what_if(plan(timeline, registry, D(2018, 6, 20)), registry)
    text = plan_markdown(the_plan)
    assert r"\<b\>登録\</b\>\|\[x\](y)" in text
    inline = [c for t in MARKDOWN.parse(text) if t.type == "inline" for c in t.children or []]
    assert not [c for c in inline if c.type in ("html_inline", "link_open")]


# --- the command line ------------------------------------------------------------------------


def _inputs() -> list[str]:
    return [
        "--agencies",
        str(TOTTORI / "agencies.csv"),
        "--readiness",
        str(TOTTORI / "readiness.csv"),
        "--evidence",
        str(TOTTORI / "evidence.csv"),
        "--as-of",
        "2018-06-25",
    ]


def test_cli_plan_json_with_shift(tmp_path: Path) -> None:
    """`plan --shift` writes the what_if key; the plan itself is the shifted one."""
    out = tmp_path / "plan.json"
    argv = ["plan", "2018-07", *_inputs(), "--shift", "duplicate-registration=+3bd"]
    assert main([*argv, "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["calendar"]["shifts"] == ["duplicate-registration=+3bd"]
    assert len(data["what_if"]["moved"]) == 60


def test_the_library_s_shifted_plan_says_what_changed_as_the_command_does(
    tmp_path: Path,
) -> None:
    """A plan the library makes from a shifted timeline carries `what_if` (docs/json.md:
    ``null`` only without a shift), so its JSON and summary are the command's, byte for
    byte: a tool doing a what-if in code is not left with a null ``what_if``."""
    timeline = build_timeline(july(), [parse_shift("duplicate-registration=+3bd")])
    the_plan = plan(timeline, tottori(), AS_OF)
    assert the_plan.what_if is not None
    assert the_plan.what_if == shifted_plan("duplicate-registration=+3bd").what_if
    out = tmp_path / "plan.json"
    argv = ["plan", "2018-07", *_inputs(), "--shift", "duplicate-registration=+3bd"]
    assert main([*argv, "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == plan_json(the_plan)
    assert summary_json(summarize(the_plan))["what_if"] is not None


def test_cli_checklists_with_shift(tmp_path: Path) -> None:
    """`checklists --shift` writes the what-changed section into the index and checklists."""
    out = tmp_path / "whatif"
    argv = ["checklists", "2018-07", *_inputs(), "--shift", "inter-agency-test=+5bd"]
    assert main([*argv, "--out", str(out)]) == 0
    index = (out / "index.md").read_text(encoding="utf-8")
    assert re.search(r"\| `inter-agency-test` \| .* \| 7 \| 7 \|", index)
    assert "期限超過 → 期限間近" in (out / "312045.md").read_text(encoding="utf-8")


def test_cli_summary_json_with_shift(capsys: pytest.CaptureFixture[str]) -> None:
    """`summary --shift --format json` has the compact what_if key."""
    argv = ["summary", "2018-07", *_inputs(), "--shift", "duplicate-registration=+3bd"]
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["what_if"]["moved"][0]["agencies"] == 21


def test_write_checklists_with_shift_is_deterministic(tmp_path: Path) -> None:
    """Writing the shifted checklists twice gives identical bytes."""
    the_plan = shifted_plan("duplicate-registration=+3bd")
    first = write_checklists(the_plan, tmp_path / "a")
    second = write_checklists(the_plan, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
