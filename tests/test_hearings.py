"""Tests for `cutover.planning.hearings`, its renderers, and the `hearings` command."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from cutover.calendar.load import load_calendar
from cutover.cli.main import main
from cutover.inputs.registry import load_registry
from cutover.planning.flags import FlagCode, Severity, heard_late
from cutover.planning.hearings import HearingReason, Hearings, hearing_candidates, hearings
from cutover.planning.model import Plan, TaskStatus
from cutover.planning.planner import plan
from cutover.render.hearings import (
    CSV_COLUMNS,
    hearings_json,
    hearings_markdown,
    write_hearings_csv,
)
from cutover.schedule.timeline import build_timeline

# Two prefectures: 東京都 (13) and 鳥取県 (31). The test window ends on Friday 2018-06-22;
# the registration window on Saturday 6/30, so its due date is Friday 6/29.
AGENCIES = (
    "code,name,kind,test_requested,provides,new_delegations\n"
    "130001,東京都,prefecture,yes,2 8,\n"
    '131016,千代田区,municipality,no,"2,21",52\n'
    "131024,中央区,municipality,yes,,\n"
    "131032,港区,municipality,yes,,\n"
    "310000,鳥取県,prefecture,no,52,\n"
    "312011,鳥取市,municipality,yes,2,\n"
    "312029,米子市,municipality,no,,\n"
)
EVIDENCE = (
    "code,task,date,detail\n"
    "310000,register:52,2018-06-01,\n"  # in the window: done
    "312011,register:2,2018-05-01,\n"  # before the window opened (5/21): does not count
    "312011,inter-agency-test,2018-06-26,\n"  # after the window: done late
)
REGISTRATION_LOG = (
    "団体コード,特定個人情報番号,登録日,登録件数\n"
    "130001,2,2018-06-04,500\n"
    "130001,8,2018-06-04,0\n"
    "131016,2,2018-06-05,120\n"
    "131016,21,2018-06-05,0\n"
)
# 中央区's test ran in the window and failed: run, for §4 (not a candidate; flagged test-failed).
# 港区's only test failed on 6/25, after the window: no test in the window, a candidate.
TEST_LOG = (
    "機関コード,実施日時,結果\n"
    "130001,2018-06-01 10:00,正常\n"
    "131024,2018-06-01 10:00,異常\n"
    "131032,2018-06-25 10:00,異常\n"
)


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """Return the paths of the agencies, evidence, registration log and test log."""
    files = {
        "agencies": AGENCIES,
        "evidence": EVIDENCE,
        "registration": REGISTRATION_LOG,
        "test": TEST_LOG,
    }
    paths = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def _plan(inputs: dict[str, Path], as_of: date) -> Plan:
    registry = load_registry(
        inputs["agencies"],
        evidence_paths=[inputs["evidence"]],
        registration_logs=[inputs["registration"]],
        test_logs=[inputs["test"]],
    )
    return plan(build_timeline(load_calendar("2018-07")), registry, as_of)


def _listed(groups: object) -> dict[str, dict[str, HearingReason]]:
    """Return {agency code: {task id: reason}} of hearing groups."""
    assert isinstance(groups, tuple)
    return {
        entry.agency.code: {m.id: m.reason for m in entry.missing}
        for group in groups
        for entry in group.agencies
    }


# --- the test window (ends 2018-06-22) ---------------------------------------------------------


def test_test_window_open_on_its_last_day(inputs: dict[str, Path]) -> None:
    """On the last day of the test window, an agency without a test is at risk, not a candidate."""
    found = hearings(_plan(inputs, date(2018, 6, 22)))
    assert found.candidates == ()
    at_risk = _listed(found.at_risk)
    # 港区's failed test of 6/25 is not known on 6/22.
    assert at_risk["131032"]["inter-agency-test"] is HearingReason.NO_EVIDENCE
    # 鳥取市's record of 6/26 is dated after the as-of date: there is one, not "no record".
    assert at_risk["312011"]["inter-agency-test"] is HearingReason.AFTER_AS_OF


def test_test_window_ended(inputs: dict[str, Path]) -> None:
    """After the test window, agencies that asked for a test and ran none are candidates."""
    found = hearings(_plan(inputs, date(2018, 6, 25)))
    candidates = _listed(found.candidates)
    # 鳥取市's test of 6/26 is not known on 6/25: recorded only after the as-of date.
    assert candidates == {
        "131032": {"inter-agency-test": HearingReason.NOT_COUNTED},
        "312011": {"inter-agency-test": HearingReason.AFTER_AS_OF},
    }
    (entry,) = [e for g in found.candidates for e in g.agencies if e.agency.code == "312011"]
    assert any(
        "平成30年6月26日（火）" in note and "より後" in note
        for note in entry.missing[0].notes("ja")
    )
    assert "inter-agency-test" not in _listed(found.at_risk).get("131032", {})


def test_agency_that_did_not_ask_for_a_test_is_never_a_test_candidate(
    inputs: dict[str, Path],
) -> None:
    """An agency that did not ask for a test through J-LIS has no test to be heard about."""
    found = hearings(_plan(inputs, date(2018, 7, 2)))
    listed = {**_listed(found.candidates), **_listed(found.at_risk)}
    assert "inter-agency-test" not in listed.get("131016", {})


def test_failed_test_is_shown_with_its_log_line(inputs: dict[str, Path]) -> None:
    """A candidate whose only test failed after the window (§4: no test in it) carries the
    failed attempt, with its file and line."""
    tokyo, _ = hearing_candidates(_plan(inputs, date(2018, 6, 25)))
    (entry,) = tokyo.agencies
    assert entry.agency.code == "131032"
    (missing,) = entry.missing
    (attempt,) = missing.attempts
    assert (attempt.date, attempt.line) == (date(2018, 6, 25), 4)
    assert "平成30年6月25日（月） 試験結果が異常（失敗）（test.csv 4行目）" in missing.notes("ja")


@pytest.mark.parametrize("as_of", [date(2018, 6, 1), date(2018, 6, 22), date(2018, 6, 25)])
def test_failed_test_in_the_window_counts_as_run_for_section_4(
    inputs: dict[str, Path], as_of: date
) -> None:
    """§4 hears from 「試験を実施していない機関」: 中央区's test, run in the window on 6/1 and
    failed, is a test run. It is neither a candidate nor at risk, before or after the window's
    end; its plan flags it separately, test-failed (a warning): find the cause, test again."""
    the_plan = _plan(inputs, as_of)
    found = hearings(the_plan)
    assert "131024" not in _listed(found.candidates)
    assert "131024" not in _listed(found.at_risk)
    chuo = the_plan.agency("131024")
    (flag,) = [
        f for f in chuo.flags if f.task == "inter-agency-test" and f.severity is not Severity.INFO
    ]
    assert flag.code is FlagCode.TEST_FAILED
    assert flag.severity is Severity.WARNING
    assert flag.section == "§4"
    assert "平成30年6月1日（金） 試験結果が異常（失敗）（test.csv 3行目）" in flag.message_ja
    assert "試験を実施していない機関」には当たらない" in flag.message_ja
    assert "counts as run for §4" in flag.message_en
    remedies = flag.remedies("ja")
    assert remedies[0].startswith("異常終了の原因")
    if as_of > date(2018, 6, 22):
        # §4: later tests are planned, their details announced: no chance to ask for.
        assert "変更申請等の際" in remedies[1]
        assert "相談" not in remedies[1]
        assert "announced with the change requests" in flag.remedies("en")[1]
        assert "ask" not in flag.remedies("en")[1]
    else:
        assert remedies[1].startswith("実施期間内に試験をやり直し")
    # Not done: no successful test is known.
    test = next(t for t in chuo.tasks if t.id == "inter-agency-test")
    assert test.status is not TaskStatus.DONE
    # The failed run is said once, by test-failed: no evidence-not-counted beside it.
    assert not [f for f in chuo.flags if f.code is FlagCode.EVIDENCE_NOT_COUNTED]
    assert not [f for f in chuo.flags if f.code.value.startswith("hearing-candidate")]


@pytest.mark.parametrize("as_of", [date(2018, 6, 26), date(2018, 7, 2)])
def test_failed_run_in_the_window_then_success_after_it_is_no_candidate(
    inputs: dict[str, Path], as_of: date
) -> None:
    """中央区 ran its test in the window (6/1) and it failed, then tested again after the
    window (6/26) and succeeded. The run in the window counts for §4 as it does without the
    later success: done late, but no hearing candidate, and its done-late flag says why
    (it said the ministry may hear from it, and the list named it)."""
    inputs["test"].write_text(TEST_LOG + "131024,2018-06-26 10:00,正常\n", encoding="utf-8")
    the_plan = _plan(inputs, as_of)
    found = hearings(the_plan)
    assert "131024" not in _listed(found.candidates)
    assert "131024" not in _listed(found.at_risk)
    chuo = the_plan.agency("131024")
    test = next(t for t in chuo.tasks if t.id == "inter-agency-test")
    assert (test.status, test.done_on) == (TaskStatus.DONE, date(2018, 6, 26))
    (late,) = [f for f in chuo.flags if f.code is FlagCode.DONE_LATE]
    assert "ヒアリング" not in late.message_ja
    assert "平成30年6月1日（金） 試験結果が異常（失敗）（test.csv 3行目）" in late.message_ja
    assert "試験を実施していない機関」には当たらない" in late.message_ja
    assert "not one of the agencies that ran no test (§4)" in late.message_en
    # The test succeeded: nothing to find or test again.
    assert not [f for f in chuo.flags if f.code is FlagCode.TEST_FAILED]
    # 鳥取市, with nothing in the window, is still a candidate for its late test.
    assert _listed(found.candidates)["312011"]["inter-agency-test"] is HearingReason.LATE


def test_test_done_after_the_window_is_late(inputs: dict[str, Path]) -> None:
    """A test evidenced only after the window closed is no test in the window: a candidate."""
    candidates = _listed(hearings(_plan(inputs, date(2018, 7, 2))).candidates)
    assert candidates["312011"]["inter-agency-test"] is HearingReason.LATE


def test_late_task_says_the_day_it_was_done_in_every_format(inputs: dict[str, Path]) -> None:
    """鳥取市 ran its test on 6/26, after the window: the list says when, not only that it
    was late (the Markdown table has no done-on column, and said 完了 and 期限後に実施 only)."""
    found = hearings(_plan(inputs, date(2018, 7, 2)))
    (entry,) = [e for g in found.candidates for e in g.agencies if e.agency.code == "312011"]
    (late,) = [m for m in entry.missing if m.id == "inter-agency-test"]
    assert late.reason is HearingReason.LATE
    row = next(
        line
        for line in hearings_markdown(found).splitlines()
        if "312011" in line and "試験" in line
    )
    assert "平成30年6月26日（火）に完了した" in row
    assert "2018-06-26 (Tue)" in hearings_markdown(found, lang="en")
    stream = io.StringIO()
    write_hearings_csv(found, stream)
    assert "平成30年6月26日（火）に完了した" in stream.getvalue()
    assert any("6月26日" in n for n in late.notes("ja"))


def test_done_late_by_an_assumed_window_end_is_hedged(inputs: dict[str, Path]) -> None:
    """The test window's end (6/22) is the calendar's assumption: 鳥取市's test of 6/26 is
    after it, but may be inside the real window. Its done-late flag says the ministry may
    hear from it only if the real window was over by then (it said the test was not done in
    the window, as certain); a registration done late (a window the source dates) is not
    hedged. Both stay on the list, the test at warning level only."""
    inputs["evidence"].write_text(EVIDENCE + "312011,register:2,2018-07-01,\n", encoding="utf-8")
    the_plan = _plan(inputs, date(2018, 7, 2))
    tottori = the_plan.agency("312011")
    late = {f.task: f for f in tottori.flags if f.code is FlagCode.DONE_LATE}
    test, registration = late["inter-agency-test"], late["register:2"]
    assert "実際の期間がこの日までに終わっていれば" in test.message_ja
    assert "if the real window was over by then" in test.message_en
    assert "期間中の実施としては確認されないため" in registration.message_ja
    assert "仮定" not in registration.message_ja
    assert "It was not done in the window." in registration.message_en
    found = hearings(the_plan)
    assert _listed(found.candidates)["312011"] == {
        "inter-agency-test": HearingReason.LATE,
        "register:2": HearingReason.LATE,
    }


# --- the registration window (due 2018-06-29) ---------------------------------------------------


def test_registration_window_open_on_its_due_date(inputs: dict[str, Path]) -> None:
    """On 6/29 missing registrations are at risk only; no registration is a candidate yet."""
    found = hearings(_plan(inputs, date(2018, 6, 29)))
    candidate_tasks = {t for tasks in _listed(found.candidates).values() for t in tasks}
    assert not any(t.startswith("register:") for t in candidate_tasks)
    at_risk = _listed(found.at_risk)
    assert at_risk["130001"] == {"register:8": HearingReason.NOT_COUNTED}
    assert at_risk["131016"] == {
        "register:21": HearingReason.NOT_COUNTED,
        "register:52": HearingReason.NO_EVIDENCE,
    }
    assert at_risk["312011"]["register:2"] is HearingReason.BEFORE_WINDOW


def test_registration_window_ended(inputs: dict[str, Path]) -> None:
    """After the window, every agency with a missing registration is a candidate; none at risk."""
    found = hearings(_plan(inputs, date(2018, 7, 2)))
    assert found.at_risk == ()
    candidates = _listed(found.candidates)
    assert candidates["130001"] == {"register:8": HearingReason.NOT_COUNTED}
    assert candidates["131016"] == {
        "register:21": HearingReason.NOT_COUNTED,
        "register:52": HearingReason.NO_EVIDENCE,
    }
    assert candidates["312011"] == {
        "inter-agency-test": HearingReason.LATE,
        "register:2": HearingReason.BEFORE_WINDOW,
    }
    # Registered in the window (東京都 item 2, 千代田区 item 2, 鳥取県 item 52): not listed.
    assert "register:2" not in candidates["130001"]
    assert "310000" not in candidates
    assert "312029" not in candidates


def test_record_before_the_window_is_named(inputs: dict[str, Path]) -> None:
    """鳥取市 registered item 2 on 5/1, before the window opened (5/21): the list says which
    record, when and where, as it does for one dated after the as-of date (it said only
    期間の開始前の記録のみ, and the coordinator had to find the row)."""
    found = hearings(_plan(inputs, date(2018, 7, 2)))
    (entry,) = [e for g in found.candidates for e in g.agencies if e.agency.code == "312011"]
    (early,) = [m for m in entry.missing if m.id == "register:2"]
    assert early.reason is HearingReason.BEFORE_WINDOW
    (note,) = [n for n in early.notes("ja") if "期間の開始" in n]
    assert "平成30年5月1日（火）（evidence.csv 3行目）" in note
    assert "平成30年5月21日（月）" in note
    assert any("2018-05-01 (Tue)" in n for n in early.notes("en"))
    assert "evidence.csv 3行目" in hearings_markdown(found)


def test_grouped_by_prefecture(inputs: dict[str, Path]) -> None:
    """Candidates are grouped by prefecture, named from the official list, sorted by code."""
    groups = hearing_candidates(_plan(inputs, date(2018, 7, 2)))
    assert [(g.code, g.name) for g in groups] == [("130001", "東京都"), ("310000", "鳥取県")]
    assert [e.agency.code for e in groups[0].agencies] == ["130001", "131016", "131032"]
    assert [e.agency.code for e in groups[1].agencies] == ["312011"]


def test_new_delegation_item_is_included(inputs: dict[str, Path]) -> None:
    """An item the agency does not provide but is newly delegated must be registered too."""
    groups = hearing_candidates(_plan(inputs, date(2018, 7, 2)))
    chiyoda = next(e for e in groups[0].agencies if e.agency.code == "131016")
    delegated = next(m for m in chiyoda.missing if m.id == "register:52")
    assert delegated.new_delegation
    assert not delegated.past_data
    assert "新たな委任受任" in delegated.notes("ja")


def test_retroactive_items_say_past_data(inputs: dict[str, Path]) -> None:
    """Items 2 and 21 must be registered with past data included; the list says so."""
    found = hearings(_plan(inputs, date(2018, 7, 2)))
    missing = {
        (e.agency.code, m.id): m for g in found.candidates for e in g.agencies for m in e.missing
    }
    assert missing[("131016", "register:21")].past_data
    assert missing[("312011", "register:2")].past_data
    assert not missing[("130001", "register:8")].past_data
    assert "過去分を含め" in hearings_markdown(found)
    assert "past data included" in hearings_markdown(found, lang="en")


def test_assumed_due_date_is_said_in_every_format(inputs: dict[str, Path]) -> None:
    """The test window's end is the calendar's assumption (§4 gives no date): each list says so,
    so that no agency is told it is late by a date the ministry never set."""
    found = hearings(_plan(inputs, date(2018, 6, 25)))
    (test_missing,) = [
        m
        for g in found.candidates
        for e in g.agencies
        if e.agency.code == "312011"
        for m in e.missing
        if m.id == "inter-agency-test"
    ]
    assert test_missing.notes("ja")[0].startswith("※期限は仮定（資料に日付なし）: §4")
    assert test_missing.notes("en")[0].startswith("※ assumed due date, not the source's: ")
    assert "※期限は仮定" in hearings_markdown(found)
    stream = io.StringIO()
    write_hearings_csv(found, stream, lang="en")
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    notes = {(r["code"], r["task"]): r["notes"] for r in rows}
    assert "assumed due date" in notes[("312011", "inter-agency-test")]
    # A registration's due date is the source's own (§5): no such note.
    assert all("assumed" not in n for (_, task), n in notes.items() if task.startswith("register:"))


def test_fail_on_thresholds(inputs: dict[str, Path]) -> None:
    """Candidates count at error and warning; agencies at risk only at warning."""
    before = hearings(_plan(inputs, date(2018, 6, 22)))
    assert before.findings_at_or_above("error") == 0
    assert before.findings_at_or_above("warning") == before.at_risk_count > 0
    after = hearings(_plan(inputs, date(2018, 7, 2)))
    assert after.candidate_count == 4
    # §4: a candidate only for the test, whose window's end (6/22) the calendar assumes, is
    # a warning (hearing-candidate-assumed), never an error on that date alone.
    only_test = [
        a.agency.code
        for g in after.candidates
        for a in g.agencies
        if all(m.task.assumption is not None for m in a.missing)
    ]
    assert only_test
    assert after.findings_at_or_above("error") == 4 - len(only_test)
    assert after.findings_at_or_above("warning") == 4 + after.at_risk_count


# --- renderers ----------------------------------------------------------------------------------


def _found(inputs: dict[str, Path], as_of: date = date(2018, 6, 25)) -> Hearings:
    return hearings(_plan(inputs, as_of))


def test_json_shape(inputs: dict[str, Path]) -> None:
    """The JSON has calendar, as_of, prefectures and at_risk, each down to the missing tasks."""
    data = json.loads(json.dumps(hearings_json(_found(inputs))))
    assert list(data) == ["schema_version", "calendar", "as_of", "counts", "prefectures", "at_risk"]
    assert data["calendar"]["id"] == "2018-07"
    assert data["as_of"] == "2018-06-25"
    tokyo = data["prefectures"][0]
    assert (tokyo["code"], tokyo["name"]) == ("130001", "東京都")
    agency = tokyo["agencies"][0]
    assert list(agency) == ["code", "name", "kind", "missing"]
    missing = agency["missing"][0]
    assert {"task", "title", "due", "reason"} <= set(missing)
    assert (missing["task"], missing["due"], missing["reason"]) == (
        "inter-agency-test",
        "2018-06-22",
        "not-counted",
    )
    assert missing["attempts"][0]["reason"] == "failed-test"
    assert [p["code"] for p in data["at_risk"]] == ["130001", "310000"]


def test_json_says_which_due_dates_are_assumed(inputs: dict[str, Path]) -> None:
    """Each missing task says as data whether its due date is the calendar's assumption
    (※仮定): the test window's end (6/22, no date in the source) is, registration's 6/30
    (§5) is not; a tool no longer reads it out of the Japanese ``notes``."""
    found = _found(inputs, date(2018, 7, 2))
    data = hearings_json(found)
    missing = [
        m
        for lists in (data["prefectures"], data["at_risk"])
        for group in lists
        for agency in group["agencies"]
        for m in agency["missing"]
    ]
    seen = {(m["task"].partition(":")[0], m["due_assumed"]) for m in missing}
    assert {("inter-agency-test", True), ("register", False)} <= seen
    for m in missing:
        assert m["due_assumed"] is any(n.startswith("※期限は仮定") for n in m["notes"])


def test_csv_one_row_per_agency_and_task(inputs: dict[str, Path]) -> None:
    """The CSV parses, has its header, and one row per agency and task, candidates first."""
    stream = io.StringIO()
    write_hearings_csv(_found(inputs), stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    keys = [(r["list"], r["code"], r["task"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert keys[:2] == [
        ("candidate", "131032", "inter-agency-test"),
        ("candidate", "312011", "inter-agency-test"),
    ]
    assert {k[0] for k in keys[2:]} == {"at-risk"}
    chiyoda = next(r for r in rows if r["task"] == "register:21")
    assert (chiyoda["prefecture"], chiyoda["past_data"], chiyoda["reason"]) == (
        "東京都",
        "yes",
        "not-counted",
    )


def test_markdown_labels_the_two_lists(inputs: dict[str, Path]) -> None:
    """The Markdown keeps candidates and agencies at risk apart, under clear headings."""
    text = hearings_markdown(_found(inputs))
    candidates = text.index("## ヒアリング対象となり得る団体")
    at_risk = text.index("## 期限前で未完了の団体（まだヒアリング対象ではない")
    assert candidates < text.index("131032") < at_risk
    assert "### 東京都（130001）" in text
    english = hearings_markdown(_found(inputs), lang="en")
    assert "## Follow-up interview candidates" in english
    assert (
        "## At risk (window still open, not done yet; not follow-up interview candidates)"
        in english
    )


# (The name, unlike the official list's, is warned of: not what this test checks.)
@pytest.mark.filterwarnings("ignore::cutover.errors.InputWarning")
def test_markdown_escapes_agency_names(inputs: dict[str, Path]) -> None:
    """An agency name with table or HTML syntax cannot break the table."""
    text = inputs["agencies"].read_text(encoding="utf-8")
    inputs["agencies"].write_text(text.replace("港区", "港|区<b>[x](y)"), encoding="utf-8")
    markdown = hearings_markdown(_found(inputs))
    assert r"港\|区\<b\>\[x\](y)" in markdown
    assert "<b>" not in markdown


def test_empty_lists_say_none(inputs: dict[str, Path]) -> None:
    """Before any hearing window opens, both lists say there is nothing."""
    found = _found(inputs, date(2018, 5, 1))
    assert found.candidates == found.at_risk == ()
    assert hearings_markdown(found).count("該当なし。") == 2


def test_output_is_deterministic(inputs: dict[str, Path]) -> None:
    """The same inputs give byte-identical output."""
    first = hearings_markdown(_found(inputs)), json.dumps(hearings_json(_found(inputs)))
    second = hearings_markdown(_found(inputs)), json.dumps(hearings_json(_found(inputs)))
    assert first == second


# --- the command line ---------------------------------------------------------------------------


def _args(inputs: dict[str, Path], as_of: str, *extra: str) -> list[str]:
    return [
        "hearings",
        "2018-07",
        "--agencies",
        str(inputs["agencies"]),
        "--evidence",
        str(inputs["evidence"]),
        "--registration-log",
        str(inputs["registration"]),
        "--test-log",
        str(inputs["test"]),
        "--as-of",
        as_of,
        *extra,
    ]


def test_cli_markdown_by_default(
    inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """`cutover hearings` writes Markdown and exits 0 without --fail-on."""
    assert main(_args(inputs, "2018-07-02")) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ヒアリング対象となり得る団体")
    assert "### 鳥取県（310000）" in out


def test_cli_json_parses(inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """--format json writes JSON that parses, in English with --lang en."""
    assert main(_args(inputs, "2018-06-25", "--format", "json", "--lang", "en")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["prefectures"][0]["agencies"][0]["missing"][0]["reason_text"] == (
        "recorded, but not as done"
    )


def test_cli_csv_to_file(inputs: dict[str, Path], tmp_path: Path) -> None:
    """--format csv -o FILE writes a CSV that parses, with a BOM so that Excel reads its
    Japanese; --no-bom leaves it out, for other programs."""
    out = tmp_path / "hearings.csv"
    assert main(_args(inputs, "2018-07-02", "--format", "csv", "-o", str(out))) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbflist,")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert {r["list"] for r in rows} == {"candidate"}
    assert len(rows) == 6
    assert main(_args(inputs, "2018-07-02", "--format", "csv", "--no-bom", "-o", str(out))) == 0
    assert out.read_bytes().startswith(b"list,")


@pytest.mark.parametrize(
    ("as_of", "fail_on", "code"),
    [
        ("2018-06-22", "error", 0),  # only agencies at risk
        ("2018-06-22", "warning", 3),
        ("2018-07-02", "error", 3),
        ("2018-05-01", "warning", 0),  # nothing listed
    ],
)
def test_cli_fail_on(
    inputs: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    as_of: str,
    fail_on: str,
    code: int,
) -> None:
    """--fail-on error exits 3 with candidates; --fail-on warning also with agencies at risk."""
    assert main(_args(inputs, as_of, "--fail-on", fail_on)) == code
    assert capsys.readouterr().out


def test_cli_bad_log_exits_1(inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """A bad log line is reported on stderr as FILE:LINE: what — fix, with exit 1 and no output."""
    inputs["registration"].write_text(
        "code,item,registered,records\n131016,2,2018-06-05,many\n", encoding="utf-8"
    )
    assert main([*_args(inputs, "2018-07-02"), "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"cutover: {inputs['registration']}:2: records 'many'" in captured.err
    assert main(_args(inputs, "2018-07-02")) == 1
    assert "records の「many」は整数ではありません" in capsys.readouterr().err


def test_plan_accepts_logs(inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """`cutover plan` takes the logs too, and shows the attempt that did not count."""
    args = _args(inputs, "2018-06-25", "--format", "json")
    args[0] = "plan"
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    tokyo = next(a for a in data["agencies"] if a["code"] == "130001")
    assert [f["task"] for f in tokyo["flags"] if f["code"] == "evidence-not-counted"] == [
        "register:8"
    ]


@pytest.mark.parametrize(
    "as_of",
    [date(2018, 5, 21), date(2018, 6, 22), date(2018, 6, 25), date(2018, 6, 30), date(2018, 7, 2)],
)
def test_candidates_are_what_the_plan_flags(inputs: dict[str, Path], as_of: date) -> None:
    """A hearing task is a candidate exactly when the plan flags it hearing-candidate (or
    hearing-candidate-assumed, §4's window assumed) or late with nothing in the window."""
    the_plan = _plan(inputs, as_of)
    flagged = {
        (a.agency.code, f.task)
        for a in the_plan.agencies
        for f in a.flags
        if (f.code.value in ("hearing-candidate", "hearing-candidate-assumed") or heard_late(f))
        and f.task in {t.id for t in a.tasks if t.hearing}
    }
    found = hearings(the_plan)
    listed = {
        (e.agency.code, m.id) for g in found.candidates for e in g.agencies for m in e.missing
    }
    at_risk = {(e.agency.code, m.id) for g in found.at_risk for e in g.agencies for m in e.missing}
    assert listed == flagged
    assert not listed & at_risk


@pytest.mark.parametrize(
    "as_of",
    [date(2018, 5, 21), date(2018, 6, 22), date(2018, 6, 25), date(2018, 6, 30), date(2018, 7, 2)],
)
def test_summary_counts_what_hearings_lists(inputs: dict[str, Path], as_of: date) -> None:
    """The summary's count of agencies the ministry may hear from is the hearings list's,
    agencies that did a task only after its window included (they carry `done-late`, not
    `hearing-candidate`, so the flag count alone differs)."""
    from cutover.planning.summary import summarize
    from cutover.render.summary import summary_json

    the_plan = _plan(inputs, as_of)
    found = hearings(the_plan)
    summary = summarize(the_plan)
    assert (summary.hearing_candidates, summary.hearing_at_risk) == (
        found.candidate_count,
        found.at_risk_count,
    )
    assert summary_json(summary)["hearings"] == {
        "candidates": found.candidate_count,
        "at_risk": found.at_risk_count,
    }
    tokyo = summarize(the_plan, prefecture="13")
    assert tokyo.hearing_candidates == sum(
        len(g.agencies) for g in found.candidates if g.code == "130001"
    )


def test_summary_counts_agencies_not_flags(inputs: dict[str, Path]) -> None:
    """The summary counts agencies, as the hearings list does: 千代田区 misses two
    registrations (two flags, one agency), and 鳥取市, whose registration is now in the
    window, ran its test only after it (`done-late`, no `hearing-candidate` flag)."""
    from cutover.planning.summary import summarize

    inputs["evidence"].write_text(
        "code,task,date,detail\n"
        "310000,register:52,2018-06-01,\n"
        "312011,register:2,2018-06-01,\n"
        "312011,inter-agency-test,2018-06-26,\n",
        encoding="utf-8",
    )
    the_plan = _plan(inputs, date(2018, 7, 2))
    flags = [
        (a.agency.code, f.code.value)
        for a in the_plan.agencies
        for f in a.flags
        if f.code.value in ("hearing-candidate", "hearing-candidate-assumed", "done-late")
    ]
    assert flags.count(("131016", "hearing-candidate")) == 2
    assert ("312011", "done-late") in flags
    assert ("312011", "hearing-candidate") not in flags
    assert summarize(the_plan).hearing_candidates == 4  # 130001, 131016, 131032, 312011


def test_window_open_on_its_closed_last_day_is_not_called_overdue(inputs: dict[str, Path]) -> None:
    """On Saturday 6/30 the registration window (due Friday 6/29) is still open: the list of
    agencies at risk says the last business day has passed, not 期限超過."""
    found = hearings(_plan(inputs, date(2018, 6, 30)))
    text = hearings_markdown(found)
    at_risk = text.split("## 期限前で未完了")[1]
    assert "| 期限超過 |" not in at_risk
    assert "| 最終の開庁日は過ぎた（平成30年6月30日（土）まで） |" in at_risk
    english = hearings_markdown(found, lang="en")
    assert "last business day passed (open until 2018-06-30 (Sat))" in english


def test_zero_record_registration_carries_the_section_8_runbook(inputs: dict[str, Path]) -> None:
    """§8: an agency whose registration log shows an anomaly (a zero-record registration) is
    told, in the hearings list, what the source says to do when a registration is wrong:
    自動応答不可設定 at once, a phone call to the 情報提供NWS運営主体, 様式03-13, then the
    correction. A registration with records carries no such note."""
    found = hearings(_plan(inputs, date(2018, 7, 2)))
    missing = {
        (entry.agency.code, m.id): m
        for group in found.candidates
        for entry in group.agencies
        for m in entry.missing
    }
    zero = missing[("130001", "register:8")]
    (note,) = [n for n in zero.notes("ja") if "§8" in n]
    for step in ("自動応答不可設定", "情報提供NWS運営主体へ電話", "様式03-13", "修正"):
        assert step in note
    assert any("§8" in n and "様式03-13" in n for n in zero.notes("en"))
    assert all("§8" not in n for m in missing.values() if not m.attempts for n in m.notes("ja"))
    assert "様式03-13" in hearings_markdown(found)


def test_a_hearing_task_still_to_do_is_chased_before_its_deadline() -> None:
    """鳥取県's example as of 6/25: 智頭町 has not registered item 8, its window open until
    6/30 (§5: 「遺漏なく副本登録を行う必要がある」). `cutover hearings` listed it as at risk,
    to be urged before the deadline, but the coordinator's list to chase (督促先) left it
    out until it was already a candidate (7/2). It is chased now, once: as at risk before
    the window ends, as a hearing candidate after."""
    from cutover.planning.chase import ChaseReason, chase_list

    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    registry = load_registry(
        example / "agencies.csv", example / "readiness.csv", [example / "evidence.csv"]
    )
    timeline = build_timeline(load_calendar("2018-07"))
    for as_of, reason in ((date(2018, 6, 25), ChaseReason.AT_RISK), (date(2018, 7, 2), None)):
        made = plan(timeline, registry, as_of)
        found = hearings(made)
        entries = [
            c
            for c in chase_list(made, found)
            if c.agency.code == "313289" and c.task is not None and c.task.id == "register:8"
        ]
        if reason is None:
            assert [c.reason for c in entries] == [ChaseReason.HEARING]
            continue
        (entry,) = entries
        assert entry.reason is reason
        assert entry.reason_text("ja") == "期限前で未完了"
        assert entry.due == date(2018, 6, 29)
        assert not entry.due_assumed
        # Every agency at risk is on the list, as every candidate is.
        at_risk = {
            (a.agency.code, m.task.id) for g in found.at_risk for a in g.agencies for m in a.missing
        }
        chased = {
            (c.agency.code, c.task.id)
            for c in chase_list(made, found)
            if c.reason is ChaseReason.AT_RISK and c.task is not None
        }
        assert chased == at_risk
