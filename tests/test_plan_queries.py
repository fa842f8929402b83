"""Tests for the queries in a plan: `load_queries`, each agency's lists, flags, summary, CLI."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from cutover.calendar.load import load_calendar, parse_calendar
from cutover.cli.main import main
from cutover.errors import CutoverError
from cutover.inputs.model import Agency, Evidence, Registry
from cutover.jp.vocabulary import Kind
from cutover.planning.flags import Flag, FlagCode, Severity
from cutover.planning.model import AgencyQueries, Plan, QueryFindings
from cutover.planning.planner import plan
from cutover.planning.queries import cutoff_rule, load_queries
from cutover.planning.summary import QueryTotals, summarize
from cutover.render.checklist import render_checklist
from cutover.render.summary import summary_json
from cutover.schedule.shift import parse_shift
from cutover.schedule.timeline import Timeline, build_timeline


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


TOKYO = "130001"  # 東京都
CHIYODA = "131016"  # 千代田区
CHUO = "131024"  # 中央区: in the registry, with no query of its own
OSAKA = "271004"  # 大阪市
SAPPORO = "011002"  # 札幌市: in the queries file only
BEFORE = dt.date(2018, 6, 25)  # on or before the cutoff (6/30)
AFTER = dt.date(2018, 7, 2)  # after it

HEADER = "query_id,querier,provider,item,requested,status"
ROWS = (
    f"Q1,{CHIYODA},{TOKYO},2,2018-06-20T10:00:00,pending",  # Chiyoda asks Tokyo
    f"Q2,{TOKYO},{CHIYODA},21,2018-06-28,error",  # Tokyo asks Chiyoda
    f"Q3,{CHIYODA},{TOKYO},8,2018-06-20,pending",  # not a cutoff item
    f"Q4,{CHIYODA},{TOKYO},2,2018-06-20,provided",  # answered already
    f"Q5,{CHIYODA},{TOKYO},21,2018-07-01T00:00:00,pending",  # received after the cutoff
    f"Q6,{SAPPORO},{CHIYODA},2,2018-06-30T23:59:59,未提供",  # from an agency not registered
    f"Q7,{OSAKA},{SAPPORO},2,2018-06-01,pending",  # outside Tokyo altogether
)


@functools.cache
def timeline() -> Timeline:
    """Return the timeline of the shipped July 2018 calendar (built once per session)."""
    return build_timeline(load_calendar("2018-07"))


def registry() -> Registry:
    """Return Tokyo, two of its wards and Osaka."""
    agencies = (
        Agency(TOKYO, "東京都", Kind.PREFECTURE, False, frozenset({2, 21}), frozenset(), 2),
        Agency(CHIYODA, "千代田区", Kind.MUNICIPALITY, False, frozenset({2, 21}), frozenset(), 3),
        Agency(CHUO, "中央区", Kind.MUNICIPALITY, False, frozenset({2}), frozenset(), 4),
        Agency(OSAKA, "大阪市", Kind.MUNICIPALITY, False, frozenset({2}), frozenset(), 5),
    )
    return Registry(agencies)


def write_queries(tmp_path: Path, rows: tuple[str, ...] = ROWS, name: str = "q.csv") -> Path:
    """Return the path of a queries.csv holding `rows` under the header."""
    path = tmp_path / name
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def planned(tmp_path: Path, as_of: dt.date, rows: tuple[str, ...] = ROWS) -> Plan:
    """Return the plan of `registry()` with the queries file of `rows`, as of `as_of`."""
    findings = load_queries(write_queries(tmp_path, rows), timeline(), as_of)
    return plan(timeline(), registry(), as_of, queries=findings)


def query_ids(results: object) -> list[str]:
    """Return the query ids of a tuple of triage results."""
    assert isinstance(results, tuple)
    return [r.query.query_id for r in results]


def query_flags(the_plan: Plan, code: str) -> list[Flag]:
    """Return the queries-to-answer and queries-to-reissue flags of one agency."""
    wanted = (FlagCode.QUERIES_TO_ANSWER, FlagCode.QUERIES_TO_REISSUE)
    return [f for f in the_plan.agency(code).flags if f.code in wanted]


# --- load_queries ----------------------------------------------------------------------------


def test_load_queries_counts(tmp_path: Path) -> None:
    """Every row is counted; only rows needing action are kept, in input order."""
    findings = load_queries(write_queries(tmp_path), timeline(), BEFORE)
    assert findings.counts.as_dict() == {
        "total": 7,
        "provide-by-cutoff": 4,
        "withdraw-and-reissue": 0,
        "none": 3,
        "rejected": 0,
    }
    assert query_ids(findings.results) == ["Q1", "Q2", "Q6", "Q7"]
    assert findings.rejected == ()
    assert findings.duplicates == ()
    # Q6 arrived on Saturday 6/30, after the last business day: that day is all that is left.
    due = {r.query.query_id: r.due for r in findings.results}
    assert due == {
        "Q1": dt.date(2018, 6, 29),
        "Q2": dt.date(2018, 6, 29),
        "Q6": dt.date(2018, 6, 30),
        "Q7": dt.date(2018, 6, 29),
    }


def test_load_queries_after_cutoff(tmp_path: Path) -> None:
    """After the cutoff the same rows are to be withdrawn and re-issued from Monday 7/2."""
    findings = load_queries(write_queries(tmp_path), timeline(), AFTER)
    assert findings.counts.withdraw_and_reissue == 4
    assert findings.counts.provide_by_cutoff == 0
    assert {r.due for r in findings.results} == {dt.date(2018, 7, 2)}


def test_load_queries_rejected_rows(tmp_path: Path) -> None:
    """Rows that cannot be read are carried with their file and line; the others still count."""
    rows = (*ROWS, f"Q8,{CHIYODA},{TOKYO},x,2018-06-20,pending", f"Q9,{CHIYODA},{TOKYO},2,,pending")
    path = write_queries(tmp_path, rows)
    findings = load_queries(path, timeline(), BEFORE)
    assert findings.counts.total == 9
    assert findings.counts.rejected == 2
    assert [(p.file, p.line) for p in findings.rejected] == [(str(path), 9), (str(path), 10)]
    assert findings.rejected[0].key == "item"
    assert findings.rejected[1].code == "triage.requested-blank"
    assert query_ids(findings.results) == ["Q1", "Q2", "Q6", "Q7"]


def test_load_queries_duplicates(tmp_path: Path) -> None:
    """A query id on two rows is reported with both lines."""
    findings = load_queries(write_queries(tmp_path, (*ROWS, ROWS[0])), timeline(), BEFORE)
    assert [(d.query_id, d.lines) for d in findings.duplicates] == [("Q1", (2, 9))]


# --- each agency's queries -------------------------------------------------------------------


def test_agency_queries_before_cutoff(tmp_path: Path) -> None:
    """Before the cutoff, a provider answers its requests and a querier awaits its answers."""
    the_plan = planned(tmp_path, BEFORE)
    chiyoda = the_plan.agency(CHIYODA).queries
    assert chiyoda is not None
    assert query_ids(chiyoda.to_answer) == ["Q2", "Q6"]
    assert query_ids(chiyoda.awaiting) == ["Q1"]
    assert (chiyoda.to_reissue, chiyoda.unanswerable) == ((), ())
    tokyo = the_plan.agency(TOKYO).queries
    assert tokyo is not None
    assert query_ids(tokyo.to_answer) == ["Q1"]
    assert query_ids(tokyo.awaiting) == ["Q2"]
    osaka = the_plan.agency(OSAKA).queries
    assert osaka is not None
    assert query_ids(osaka.awaiting) == ["Q7"]
    assert osaka.to_answer == ()


def test_agency_queries_after_cutoff(tmp_path: Path) -> None:
    """After the cutoff, the querier re-issues and the provider can no longer answer."""
    the_plan = planned(tmp_path, AFTER)
    chiyoda = the_plan.agency(CHIYODA).queries
    assert chiyoda is not None
    assert query_ids(chiyoda.to_reissue) == ["Q1"]
    assert query_ids(chiyoda.unanswerable) == ["Q2", "Q6"]
    assert (chiyoda.to_answer, chiyoda.awaiting) == ((), ())
    tokyo = the_plan.agency(TOKYO).queries
    assert tokyo is not None
    assert query_ids(tokyo.to_reissue) == ["Q2"]
    assert query_ids(tokyo.unanswerable) == ["Q1"]


def test_agency_without_queries(tmp_path: Path) -> None:
    """An agency with none of the file's queries gets empty (falsy) lists, not None."""
    the_plan = planned(tmp_path, BEFORE)
    chuo = the_plan.agency(CHUO).queries
    assert chuo == AgencyQueries()
    assert not chuo
    assert the_plan.agency(CHIYODA).queries
    assert plan(timeline(), registry(), BEFORE).agency(CHUO).queries is None


def test_unregistered_agencies_do_not_break(tmp_path: Path) -> None:
    """Queries naming agencies absent from the registry are kept in the findings, harmlessly."""
    the_plan = planned(tmp_path, BEFORE)
    assert [a.agency.code for a in the_plan.agencies] == [TOKYO, CHIYODA, CHUO, OSAKA]
    assert the_plan.queries is not None
    assert "Q7" in query_ids(the_plan.queries.results)
    with pytest.raises(KeyError):
        the_plan.agency(SAPPORO)


# --- flags -----------------------------------------------------------------------------------


def test_queries_to_answer_flag(tmp_path: Path) -> None:
    """A provider holding requests before the cutoff gets one warning with counts per item;
    the one received on Saturday 6/30 itself (Q6) is said to be due that day."""
    the_plan = planned(tmp_path, BEFORE)
    (flag,) = query_flags(the_plan, CHIYODA)
    assert flag.code is FlagCode.QUERIES_TO_ANSWER
    assert flag.severity is Severity.WARNING
    assert flag.section == "§6"
    assert flag.message_ja == (
        "平成30年6月30日（土）以前に受けた提供の求め 2件（2番 1件、21番 1件）に、"
        "平成30年6月29日（金）までに情報提供する（一時入力を含む。平成30年6月30日（土）当日に受けた1件は、"
        "対応できれば当日中に情報提供し、できなければ情報照会者が必要に応じて取りやめ、"
        "平成30年7月1日（日）以降（開庁日では平成30年7月2日（月）から）に再照会する）。"
    )
    assert flag.message_en == (
        "2 request(s) received by 2018-06-30 (Sat) (item 2: 1 and item 21: 1) to answer by "
        "2018-06-29 (Fri) (temporary input included; the 1 received on 2018-06-30 (Sat) itself, "
        "that day if anyone can, otherwise the querier, as needed, withdraws it and re-issues it "
        "on or after 2018-07-01 (Sun) (from 2018-07-02 (Mon)))."
    )
    assert flag.remedies_ja[0].startswith("期限までに情報提供する。")
    (tokyo,) = query_flags(the_plan, TOKYO)
    assert "提供の求め 1件（2番 1件）" in tokyo.message_ja
    assert "当日" not in tokyo.message_ja
    # Awaiting answers raises no flag; nor does having no query.
    assert query_flags(the_plan, OSAKA) == []
    assert query_flags(the_plan, CHUO) == []


@pytest.mark.parametrize(
    ("received", "same_day", "outside"),
    [
        ("2018-06-29T16:00:00", False, False),  # Friday: the last business day
        ("2018-06-30T10:00:00", True, False),  # Saturday, closed: the cutoff day itself
        ("2018-07-01T10:00:00", False, True),  # Sunday: the revision is in force
        ("2018-07-02T10:00:00", False, True),  # Monday: the first business day after it
    ],
)
def test_request_received_on_saturday_6_30(
    tmp_path: Path, received: str, same_day: bool, outside: bool
) -> None:
    """§6, 2018: a request for item 2 received on Saturday 6/30 (closed) can be answered only
    that day itself: the provider is told to answer it that day if anyone can, otherwise the
    querier withdraws it (as needed) and re-queries from Monday 7/2; one received on Friday
    6/29 is due that day, with no such note; from Sunday 7/1 a request is outside §6's rule."""
    the_plan = planned(
        tmp_path, dt.date(2018, 6, 29), (f"QS,{TOKYO},{CHIYODA},2,{received},pending",)
    )
    chiyoda = the_plan.agency(CHIYODA)
    answer = [f for f in chiyoda.flags if f.code is FlagCode.QUERIES_TO_ANSWER]
    outside_rule = [f for f in chiyoda.flags if f.code is FlagCode.QUERIES_OUTSIDE_RULE]
    assert bool(outside_rule) is outside
    if outside:
        assert not answer
        return
    (flag,) = answer
    ja, en = flag.message_ja, flag.message_en
    assert "平成30年6月29日（金）までに情報提供する" in ja
    note_ja = (
        "平成30年6月30日（土）当日に受けた1件は、対応できれば当日中に情報提供し、"
        "できなければ情報照会者が必要に応じて取りやめ、平成30年7月1日（日）以降（開庁日では"
        "平成30年7月2日（月）から）に再照会する"
    )
    note_en = (
        "the 1 received on 2018-06-30 (Sat) itself, that day if anyone can, otherwise the "
        "querier, as needed, withdraws it and re-issues it on or after 2018-07-01 (Sun) "
        "(from 2018-07-02 (Mon))"
    )
    assert (note_ja in ja) is same_day
    assert (note_en in en) is same_day
    # Never the bare 「当日中」 of a duty the closed day may make impossible.
    assert "当日中）" not in ja


def test_queries_to_reissue_flag(tmp_path: Path) -> None:
    """A querier holding queries after the cutoff gets one warning (§6: withdraw 「必要に応じて」,
    re-issue from 7/2)."""
    the_plan = planned(tmp_path, AFTER)
    (flag,) = query_flags(the_plan, CHIYODA)
    assert flag.code is FlagCode.QUERIES_TO_REISSUE
    assert flag.severity is Severity.WARNING
    assert flag.message_ja == (
        "平成30年6月30日（土）までに提供されなかった照会 1件（2番 1件）は、もう提供されない。"
        "必要に応じて取りやめ、平成30年7月1日（日）以降に再照会する（開庁日では平成30年7月2日（月）から）。"
    )
    assert flag.message_en == (
        "1 query(ies) (item 2: 1) not answered by 2018-06-30 (Sat) can no longer be answered: "
        "as needed, withdraw them and re-issue them on or after 2018-07-01 (Sun) "
        "(from 2018-07-02 (Mon), the first business day)."
    )
    assert flag.remedies_ja == ("必要に応じて照会を取りやめ、新版のレイアウトで再照会する。",)
    (osaka,) = query_flags(the_plan, OSAKA)
    assert osaka.code is FlagCode.QUERIES_TO_REISSUE
    assert not [f for f in the_plan.agency(TOKYO).flags if f.code is FlagCode.QUERIES_TO_ANSWER]


def test_query_flags_keep_the_order(tmp_path: Path) -> None:
    """With the query flags added, an agency's flags stay sorted errors → warnings → info."""
    for as_of in (BEFORE, AFTER):
        for agency_plan in planned(tmp_path, as_of).agencies:
            keys = [(-f.severity.rank, f.code.value, f.task or "") for f in agency_plan.flags]
            assert keys == sorted(keys)


def test_plan_without_queries_has_no_query_flags() -> None:
    """Without a queries file, no agency gets a query flag or query lists."""
    the_plan = plan(timeline(), registry(), BEFORE)
    assert the_plan.queries is None
    for agency_plan in the_plan.agencies:
        assert agency_plan.queries is None
        assert not [f for f in agency_plan.flags if f.code.value.startswith("queries-")]


# --- summary ---------------------------------------------------------------------------------


def test_summary_query_totals(tmp_path: Path) -> None:
    """The summary reports the query totals, for the whole plan and for one prefecture."""
    rows = (*ROWS, f"Q8,{CHIYODA},{TOKYO},x,2018-06-20,pending")
    the_plan = planned(tmp_path, BEFORE, rows)
    # Q3 (item 8) and Q5 (item 21 received 7/1) are open outside §6's rule.
    assert summarize(the_plan).queries == QueryTotals(8, 4, 0, 1, 2)
    # Q7 (Osaka asks Sapporo) has no party in Tokyo: said apart (`elsewhere`), among
    # `none`; the file's totals stay whole.
    assert summarize(the_plan, prefecture="13").queries == QueryTotals(8, 3, 0, 1, 2, 1)
    # In Osaka only Q7; the other open requests (Q1-Q3, Q5, Q6) are of Tokyo's agencies.
    assert summarize(the_plan, prefecture="27").queries == QueryTotals(8, 1, 0, 1, 0, 5)
    assert summary_json(summarize(the_plan))["queries"] == {
        "total": 8,
        "provide-by-cutoff": 4,
        "withdraw-and-reissue": 0,
        "outside-rule": 2,
        "rejected": 1,
        "none": 3,
        "elsewhere": 0,
    }
    after = summary_json(summarize(planned(tmp_path, AFTER, rows), prefecture="東京都"))
    assert after["queries"] == {
        "total": 8,
        "provide-by-cutoff": 0,
        "withdraw-and-reissue": 3,
        "outside-rule": 2,
        "rejected": 1,
        "none": 4,
        "elsewhere": 1,
    }
    assert after["flags"]["queries-to-reissue"] == 2
    assert summary_json(summarize(plan(timeline(), registry(), BEFORE)))["queries"] is None


# --- checklists ------------------------------------------------------------------------------


def test_checklist_lists_own_queries(tmp_path: Path) -> None:
    """An agency's checklist lists its own queries, as provider and as querier."""
    the_plan = planned(tmp_path, BEFORE)
    text = render_checklist(the_plan.agency(CHIYODA), the_plan)
    section = text.split("## 提供の締切前後の照会（§6）\n", 1)[1]
    assert (
        "情報提供者として: 期限（原則 平成30年6月29日（金））までに情報提供する提供の求め（2件）"
        in section
    )
    assert "| Q2 | 130001 | 21番 |" in section
    assert "| Q6 | 011002 | 2番 |" in section
    assert "| Q1 | 130001 | 2番 |" in section
    for other in ("Q3", "Q4", "Q5", "Q7"):
        assert f"| {other} |" not in section
    english = render_checklist(the_plan.agency(CHIYODA), the_plan, lang="en")
    assert (
        "As provider: requests to answer by their due date (as a rule 2018-06-29 (Fri)) (2)"
        in english
    )


def test_checklist_querier_withdraws_after_the_last_provision_day(tmp_path: Path) -> None:
    """§6: the querier withdraws a query unanswered on the last provision day (Sat 6/30),
    not on the provider's last business day (Fri 6/29), when it may still be answered."""
    the_plan = planned(tmp_path, BEFORE)
    for lang, last, business_day in (
        ("ja", "平成30年6月30日（土）", "平成30年6月29日（金）"),
        ("en", "2018-06-30 (Sat)", "2018-06-29 (Fri)"),
    ):
        text = render_checklist(the_plan.agency(CHIYODA), the_plan, lang=lang)  # type: ignore[arg-type]
        # (The provider's queries-to-answer line names the querier too, for a request received
        # on the Saturday itself: not a querier's line.)
        querier_lines = [
            line
            for line in text.splitlines()
            if ("querier" in line or "情報照会者として" in line) and "queries-to-answer" not in line
        ]
        waiting = [line for line in querier_lines if "取りやめ" in line or "withdraw" in line]
        assert len(waiting) >= 2  # the rule's bullet and the list's heading
        for line in waiting:
            assert business_day not in line, line
        assert sum(last in line for line in waiting) >= 2


def test_checklist_escapes_query_ids(tmp_path: Path) -> None:
    """A query id with table and HTML syntax is escaped in the checklist's table."""
    rows = (f"Q|<b>9</b>,{CHIYODA},{TOKYO},2,2018-06-20,pending",)
    the_plan = planned(tmp_path, BEFORE, rows)
    text = render_checklist(the_plan.agency(CHIYODA), the_plan)
    assert "<b>" not in text
    assert "| Q\\|\\<b\\>9\\</b\\> | 130001 | 2番 |" in text


def test_checklist_says_when_no_queries(tmp_path: Path) -> None:
    """An agency with no query in the file is told so; without a file, nothing is said."""
    the_plan = planned(tmp_path, BEFORE)
    text = render_checklist(the_plan.agency(CHUO), the_plan)
    sentence = "照会ファイルに、この団体が情報提供者又は情報照会者として対応すべき照会はない。"
    assert sentence in text
    english = render_checklist(the_plan.agency(CHUO), the_plan, lang="en")
    assert "The queries file holds no query this agency must act on" in english
    assert sentence not in render_checklist(the_plan.agency(CHIYODA), the_plan)
    without = plan(timeline(), registry(), BEFORE)
    assert sentence not in render_checklist(without.agency(CHUO), without)


# --- the command line ------------------------------------------------------------------------


def write_agencies(tmp_path: Path) -> Path:
    """Return the path of an agencies.csv with Tokyo, Chiyoda and Osaka."""
    path = tmp_path / "agencies.csv"
    path.write_text(
        "code,name,kind,test_requested,provides,new_delegations\n"
        f"{TOKYO},東京都,prefecture,no,2 21,\n"
        f"{CHIYODA},千代田区,municipality,no,2 21,\n"
        f"{OSAKA},大阪市,municipality,no,2,\n",
        encoding="utf-8",
    )
    return path


def run_plan(tmp_path: Path, queries: Path, *more: str) -> tuple[int, Path]:
    """Return the exit code of `cutover plan … --queries` and the path of its JSON output."""
    out = tmp_path / "plan.json"
    argv = [
        "plan",
        "2018-07",
        "--agencies",
        str(write_agencies(tmp_path)),
        "--queries",
        str(queries),
        "--as-of",
        "2018-06-25",
        "--format",
        "json",
        "-o",
        str(out),
        *more,
    ]
    return main(argv), out


def test_cli_plan_with_queries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`cutover plan --queries` exits 0 and the JSON carries the query flags."""
    code, out = run_plan(tmp_path, write_queries(tmp_path))
    assert code == 0
    assert capsys.readouterr().err == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["as_of"] == "2018-06-25"
    chiyoda = next(a for a in data["agencies"] if a["code"] == CHIYODA)
    (flag,) = [f for f in chiyoda["flags"] if f["code"] == "queries-to-answer"]
    assert flag["severity"] == "warning"


def test_cli_plan_warns_of_duplicated_query_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A query id on two rows is counted twice in the plan: the command says so, as
    `cutover triage` does, and still exits 0."""
    code, _ = run_plan(tmp_path, write_queries(tmp_path, (*ROWS, ROWS[0])), "--lang", "en")
    assert code == 0
    err = capsys.readouterr().err
    assert f"warning: {tmp_path / 'q.csv'}: query id 'Q1' is on lines 2 and 9 — keep one" in err


def test_cli_plan_bad_query_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad queries row makes the exit code 1 with FILE:LINE on stderr; the plan is written."""
    queries = write_queries(tmp_path, (*ROWS, f"Q8,{CHIYODA},{TOKYO},x,2018-06-20,pending"))
    code, out = run_plan(tmp_path, queries)
    assert code == 1
    err = capsys.readouterr().err
    (line,) = err.splitlines()
    assert line.startswith(
        f"cutover: {queries}:9: item: 「x」は特定個人情報の番号として読めません — "
    )
    assert "Traceback" not in err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [a["code"] for a in data["agencies"]] == [TOKYO, CHIYODA, OSAKA]


# --- the cutoff rule -------------------------------------------------------------------------

NO_CUTOFF = """\
[revision]
id = "no-cutoff"
title_ja = "締切のない暦"
title_en = "Calendar without a cutoff"
effective = "2018-07-01"
source = "tests"
section = "§2"

[[events]]
id = "deadline"
type = "deadline"
title_ja = "期限"
title_en = "Deadline"
date = "2018-06-29"
section = "§3"
"""


def test_cutoff_rule_of_the_calendar() -> None:
    """The 2018 rule: items 2 and 21, answer by Fri 6/29, re-issue from Mon 7/2."""
    rule = cutoff_rule(timeline())
    assert rule.items == frozenset({2, 21})
    assert (rule.last_provision, rule.answer_by) == (dt.date(2018, 6, 30), dt.date(2018, 6, 29))
    assert (rule.effective, rule.reissue_from) == (dt.date(2018, 7, 1), dt.date(2018, 7, 2))


def test_cutoff_rule_missing(tmp_path: Path) -> None:
    """A calendar without [cutoff] cannot triage queries: the error says so and how to fix it."""
    no_cutoff = build_timeline(parse_calendar(NO_CUTOFF, "no-cutoff.toml"))
    assert no_cutoff.cutoff_dates() is None
    with _refused(r"has no \[cutoff\] rule") as caught:
        cutoff_rule(no_cutoff)
    assert "[cutoff]" in caught.value.problems[0].fix
    assert "提供の締切（[cutoff]）の定めがない" in str(caught.value)
    with _refused("no-cutoff"):
        load_queries(write_queries(tmp_path), no_cutoff, BEFORE)
    # Planning without queries still works.
    assert plan(no_cutoff, registry(), BEFORE).agency(CHIYODA).queries is None


def test_cutoff_rule_shifted_past_effective() -> None:
    """A shift moving the cutoff past the effective date leaves no rule; the error names both,
    and the `shifts` the program gave (not the command line's --shift)."""
    shifted = build_timeline(load_calendar("2018-07"), [parse_shift("provision-cutoff=+2d")])
    assert shifted.cutoff_dates() is None
    with pytest.raises(CutoverError) as caught:
        cutoff_rule(shifted)
    problem = caught.value.problems[0]
    assert "2018-07-02" in problem.message
    assert "2018-07-01" in problem.message
    assert "動かした shifts を取り消す" in problem.fix


def test_findings_are_frozen(tmp_path: Path) -> None:
    """QueryFindings is a frozen value: the plan's copy cannot be changed behind its back."""
    findings = load_queries(write_queries(tmp_path), timeline(), BEFORE)
    assert isinstance(findings, QueryFindings)
    with pytest.raises(AttributeError):
        findings.results = ()  # type: ignore[misc]


# --- §6 tasks of agencies without queries --------------------------------------------------------


def _statuses(the_plan: Plan, code: str) -> dict[str, str]:
    """Return {task id: status} of the agency's tasks about its queries (§6)."""
    tasks = the_plan.agency(code).tasks
    return {t.id: t.status.value for t in tasks if t.template.queries is not None}


@pytest.mark.parametrize("as_of", [BEFORE, AFTER])
def test_section_6_tasks_follow_the_queries_file(tmp_path: Path, as_of: dt.date) -> None:
    """With a queries file, a §6 task applies only to an agency with outstanding queries in
    its role and item: 中央区, with none, has nothing to answer or re-issue (no overdue
    warning on 7/2); 千代田区 answers item 21 (Q2) but has no item-2 request to answer."""
    the_plan = planned(tmp_path, as_of)
    chuo = _statuses(the_plan, CHUO)
    assert chuo == {
        "answer-before-cutoff:2": "n/a",
        "follow-up-pending-queries": "n/a",
        "withdraw-and-reissue": "n/a",
    }
    section_6 = set(chuo)
    assert not [f for f in the_plan.agency(CHUO).flags if f.task in section_6]
    chiyoda = _statuses(the_plan, CHIYODA)
    assert chiyoda["answer-before-cutoff:21"] != "n/a"  # Q2: Tokyo asks it for item 21
    assert chiyoda["answer-before-cutoff:2"] != "n/a"  # Q6: Sapporo asks it for item 2
    assert chiyoda["follow-up-pending-queries"] != "n/a"  # Q1: it waits on Tokyo
    text = render_checklist(the_plan.agency(CHUO), the_plan)
    assert "`answer-before-cutoff:2` — 照会ファイルに、この団体の該当する照会がない" in text


@pytest.mark.parametrize(
    "as_of",
    [
        dt.date(2018, 6, 29),  # Fri: the last business day before the cutoff
        dt.date(2018, 6, 30),  # Sat: the cutoff day, closed
        dt.date(2018, 7, 1),  # Sun: the revision takes effect
        dt.date(2018, 7, 2),  # Mon: the first business day to re-issue
        dt.date(2018, 7, 3),  # the issue's example: overdue warnings for every agency
    ],
)
def test_section_6_tasks_without_a_queries_file_are_unknown(as_of: dt.date) -> None:
    """§6: the querier follows up and withdraws 「必要に応じて」, and only queries that are
    pending need either. Without a queries file nothing is known of an agency's queries:
    its §6 tasks are "unknown", never overdue, not counted as applying, and raise no
    warning — on any day around the cutoff."""
    the_plan = plan(timeline(), registry(), as_of)
    for code in (TOKYO, CHIYODA, CHUO, OSAKA):
        agency_plan = the_plan.agency(code)
        statuses = _statuses(the_plan, code)
        assert set(statuses.values()) == {"unknown"}, statuses
        section_6 = set(statuses)
        assert not [f for f in agency_plan.flags if f.task in section_6 and f.severity.rank]
        assert not section_6 & {t.id for t in agency_plan.applicable}
    text = render_checklist(the_plan.agency(CHUO), the_plan)
    assert "状況: 要否不明（照会ファイルなし。未回答の照会がある場合のみ）" in text
    english = render_checklist(the_plan.agency(CHUO), the_plan, lang="en")
    assert "Status: unknown without a queries file (only where queries are pending)" in english


def test_section_6_tasks_without_a_queries_file_count_evidence() -> None:
    """§6: a §6 task with evidence is done, queries file or not (the agency says it did it)."""
    row = Evidence(CHUO, "follow-up-pending-queries", dt.date(2018, 6, 27), "", 2)
    reg = Registry(registry().agencies, evidence=(row,))
    the_plan = plan(timeline(), reg, dt.date(2018, 7, 3))
    assert _statuses(the_plan, CHUO)["follow-up-pending-queries"] == "done"


def test_section_6_keeps_as_needed_in_every_text(tmp_path: Path) -> None:
    """§6: 「必要に応じて情報提供者へ問合せ」「必要に応じて情報照会の取りやめ」 — the qualifier
    stays in the tasks, the checklist's rule and the re-issue flag; re-issuing is a warning."""
    the_plan = planned(tmp_path, AFTER)
    chiyoda = the_plan.agency(CHIYODA)
    tasks = {t.template.id: t for t in chiyoda.tasks}
    assert "必要に応じて" in tasks["follow-up-pending-queries"].title_ja
    assert "as needed" in tasks["follow-up-pending-queries"].title_en
    assert "必要に応じて" in tasks["withdraw-and-reissue"].title_ja
    (flag,) = [f for f in the_plan.agency(TOKYO).flags if f.code is FlagCode.QUERIES_TO_REISSUE]
    assert flag.severity is Severity.WARNING
    assert "必要に応じて取りやめ" in flag.message("ja")
    page = render_checklist(chiyoda, the_plan)
    assert "は、必要に応じて取りやめ、平成30年7月1日（日）以降に再照会する" in page
    assert "必要に応じて情報提供者に問い合わせる" in page


def test_requests_for_an_item_the_provider_does_not_provide_are_flagged(tmp_path: Path) -> None:
    """中央区 provides only item 2 in the registry, yet is asked for item 21: a registry gap
    (its answer-before-cutoff:21 task is missing) or misrouted requests. Said, once."""
    rows = (
        f"Q1,{TOKYO},{CHUO},21,2018-06-20,pending",
        f"Q2,{TOKYO},{CHUO},21,2018-06-21,pending",
        f"Q3,{TOKYO},{CHUO},2,2018-06-21,pending",
    )
    the_plan = planned(tmp_path, BEFORE, rows)
    (flag,) = [
        f for f in the_plan.agency(CHUO).flags if f.code is FlagCode.QUERIES_ITEM_NOT_PROVIDED
    ]
    assert flag.severity is Severity.WARNING
    assert "（21番 2件）" in flag.message_ja
    assert flag.remedies_en[0] == (
        "If it provides them, add 21 to provides in agencies.csv (their tasks follow)."
    )
    assert not [
        f for f in the_plan.agency(TOKYO).flags if f.code is FlagCode.QUERIES_ITEM_NOT_PROVIDED
    ]


# --- open requests outside §6's rule (issue 18, point 1) -------------------------------------


def test_section_6_open_requests_outside_the_rule_are_listed_for_the_provider(
    tmp_path: Path,
) -> None:
    """§6: the withdraw-and-re-query rule covers items 2 and 21 received before the
    revision; an open request for item 8, or for item 21 received 7/1, is not "nothing to
    do": the provider's plan lists it, flags it (info, answer as usual) and counts it."""
    the_plan = planned(tmp_path, BEFORE, ROWS)
    assert the_plan.queries is not None
    assert the_plan.queries.counts.outside_rule == 2
    assert [r.query.query_id for r in the_plan.queries.outside] == ["Q3", "Q5"]
    tokyo = the_plan.agency(TOKYO)
    assert tokyo.queries is not None
    assert [r.query.query_id for r in tokyo.queries.outside_rule] == ["Q3", "Q5"]
    (flag,) = [f for f in tokyo.flags if f.code is FlagCode.QUERIES_OUTSIDE_RULE]
    assert flag.severity is Severity.INFO
    assert flag.section == "§6"
    assert flag.message("ja") == (
        "§6の提供の締切（2・21番）の対象外の、未提供の提供の求め 2件（8番 1件、21番 1件）。"
    )
    assert "answer them as usual" in flag.remedies("en")[0]
    # The querier (Chiyoda) is not told to follow them up: they are the provider's to answer.
    chiyoda = the_plan.agency(CHIYODA)
    assert chiyoda.queries is not None
    assert not chiyoda.queries.outside_rule
    assert not [f for f in chiyoda.flags if f.code is FlagCode.QUERIES_OUTSIDE_RULE]
    # No §6 task applies because of them: answer-before-cutoff stays about items 2 and 21.
    assert tokyo.queries.to_answer


def test_section_6_provider_with_only_outside_requests_is_not_told_nothing_to_do(
    tmp_path: Path,
) -> None:
    """§6: a provider whose only open requests are for another item (大山町's two item-8
    requests) sees them in its checklist, not "no query to act on"."""
    rows = (f"Q1,{CHIYODA},{CHUO},8,2018-06-19T10:10:00,pending",)
    the_plan = planned(tmp_path, BEFORE, rows)
    chuo = the_plan.agency(CHUO)
    assert chuo.queries is not None
    assert chuo.queries
    page = render_checklist(chuo, the_plan)
    assert "対応すべき照会はない" not in page
    assert "§6の提供の締切の対象外の未提供の求め" in page
    assert "| Q1 | 131016 | 8番 | 2018-06-19 10:10 | 通常どおり |" in page
    english = render_checklist(chuo, the_plan, lang="en")
    assert "| Q1 | 131016 | 8 | 2018-06-19 10:10 | as usual |" in english.replace("item 8", "8")


def test_section_6_closed_requests_are_not_outside_the_rule(tmp_path: Path) -> None:
    """§6: a request already provided or withdrawn, whatever its item, is not open: it is
    not counted with the open requests outside the rule."""
    rows = (
        f"Q1,{CHIYODA},{TOKYO},8,2018-06-19,provided",
        f"Q2,{CHIYODA},{TOKYO},8,2018-06-19,withdrawn",
        f"Q3,{CHIYODA},{TOKYO},52,2018-06-19,error",
    )
    the_plan = planned(tmp_path, BEFORE, rows)
    assert the_plan.queries is not None
    assert the_plan.queries.counts.none == 3
    assert the_plan.queries.counts.outside_rule == 1
    assert [r.query.query_id for r in the_plan.queries.outside] == ["Q3"]


# --- rows of which no agency of the registry is a party --------------------------------------

TOTTORI = Path(__file__).resolve().parent.parent / "examples" / "tottori"
TOTTORI_CITY = "312011"  # 鳥取市
YONAGO = "312029"  # 米子市
#: Four pending requests for item 2, received before the cutoff: one of which neither party
#: is in the Tottori registry (X1), one its querier only (X2), two their provider (X3, X4).
NO_PARTY_ROWS = (
    f"X1,{CHIYODA},{OSAKA},2,2018-06-20,pending",
    f"X2,{TOTTORI_CITY},{OSAKA},2,2018-06-20,pending",
    f"X3,{OSAKA},{TOTTORI_CITY},2,2018-06-20,pending",
    f"X4,{CHIYODA},{YONAGO},2,2018-06-20,pending",
)


@functools.cache
def tottori_registry() -> Registry:
    """Return the shipped example's registry (鳥取県: 23 agencies, all of prefecture 31)."""
    from cutover.inputs.registry import load_registry

    return load_registry(TOTTORI / "agencies.csv")


def tottori_plan(tmp_path: Path, rows: tuple[str, ...] = NO_PARTY_ROWS) -> Plan:
    """Return the plan of the Tottori registry with the queries file of `rows`."""
    findings = load_queries(write_queries(tmp_path, rows), timeline(), BEFORE)
    return plan(timeline(), tottori_registry(), BEFORE, queries=findings)


def test_whole_registry_and_its_prefecture_count_alike(tmp_path: Path) -> None:
    """A registry of one prefecture's agencies gives the same query counts with or without
    --prefecture: a request counts when an agency of the registry is a party to it (X2, X3,
    X4), not for being in the file (X1 is nobody's here)."""
    the_plan = tottori_plan(tmp_path)
    whole, scoped = summarize(the_plan).queries, summarize(the_plan, prefecture=31).queries
    assert whole == scoped
    assert whole == QueryTotals(4, 3, 0, 0, 0, 1)
    assert whole is not None
    assert whole.none == 1


def test_index_summary_and_plan_count_alike(tmp_path: Path) -> None:
    """The plan's JSON, the summary's JSON and Markdown and the index count the queries file
    by one rule: the same numbers, and the request of no agency of the registry said."""
    from cutover.render.index import render_index
    from cutover.render.plan import plan_json
    from cutover.render.summary import summary_markdown

    the_plan = tottori_plan(tmp_path)
    summary = summarize(the_plan)
    counts = summary_json(summary)["queries"]
    assert plan_json(the_plan)["queries"] == counts
    assert counts == {
        "total": 4,
        "provide-by-cutoff": 3,
        "withdraw-and-reissue": 0,
        "outside-rule": 0,
        "rejected": 0,
        "none": 1,
        "elsewhere": 1,
    }
    said = (
        "締切までに提供する求め 3件、必要に応じて取りやめ・再照会する照会 0件、"
        "§6の対象外で未提供 0件、"
        "対象の団体が情報照会者にも情報提供者にもならない未提供の求め 1件"
        "（照会ファイル 4行、読めない行 0）"
    )
    assert said in render_index(the_plan, summary)
    assert said in summary_markdown(summary)
    english = summary_markdown(summary, lang="en")
    assert "3 to answer by the cutoff" in english
    assert "1 open with neither querier nor provider in scope" in english


def test_no_row_of_the_queries_file_is_lost(tmp_path: Path) -> None:
    """Every open request is in some agency's checklist lists or among `elsewhere`: those of
    the file's rows with a party in the registry, and the rest counted apart."""
    the_plan = tottori_plan(tmp_path)
    listed = {
        r.query.query_id
        for a in the_plan.agencies
        if a.queries is not None
        for rows in (a.queries.to_answer, a.queries.awaiting, a.queries.outside_rule)
        for r in rows
    }
    assert listed == {"X2", "X3", "X4"}
    assert [r.query.query_id for r in the_plan.queries_elsewhere()] == ["X1"]
    totals = the_plan.query_totals()
    assert totals is not None
    assert totals.elsewhere == 1


def test_registry_summary_without_a_party_outside_the_rule(tmp_path: Path) -> None:
    """An open request outside §6's rule counts for the registry when its provider is in it,
    as it does for a prefecture; one between two agencies elsewhere is `elsewhere`."""
    rows = (
        f"Y1,{CHIYODA},{TOTTORI_CITY},8,2018-06-20,pending",  # to Tottori City: answered as usual
        f"Y2,{TOTTORI_CITY},{OSAKA},8,2018-06-20,pending",  # Osaka answers: none of Tottori's
        f"Y3,{CHIYODA},{OSAKA},8,2018-06-20,pending",  # no party in Tottori
    )
    the_plan = tottori_plan(tmp_path, rows)
    assert summarize(the_plan, prefecture=31).queries == summarize(the_plan).queries
    assert summarize(the_plan).queries == QueryTotals(3, 0, 0, 0, 1, 1)


@pytest.mark.parametrize(
    ("command", "more"),
    [
        ("checklists", ("--out", "{tmp}/out")),
        ("summary", ("--format", "json", "-o", "{tmp}/s.json")),
        ("summary", ("--prefecture", "31", "--format", "json", "-o", "{tmp}/s.json")),
        ("plan", ("--format", "json", "-o", "{tmp}/p.json")),
    ],
)
def test_commands_say_once_how_many_requests_concern_no_agency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, more: tuple[str, ...]
) -> None:
    """checklists, summary and plan say once, in the run's language, how many open requests
    of the queries file have no party in the registry, and name one of them."""
    queries = write_queries(tmp_path, NO_PARTY_ROWS)
    args = [a.format(tmp=tmp_path) for a in more]
    base = [command, "2018-07", "--agencies", str(TOTTORI / "agencies.csv")]
    base += ["--queries", str(queries), "--as-of", "2018-06-25", *args]
    assert main(base) == 0
    (ja,) = [line for line in capsys.readouterr().err.splitlines() if "X1" in line]
    assert ja.startswith(
        f"cutover: 警告: {queries}:2: 照会ファイルの未提供の求め 1 件（例: 照会ID「X1」）"
    )
    assert main([*base, "--lang", "en"]) == 0
    (en,) = [line for line in capsys.readouterr().err.splitlines() if "X1" in line]
    assert en.startswith(
        f"cutover: warning: {queries}:2: 1 open request(s) of the queries file (for example "
        "query id 'X1') have neither querier nor provider among the registry's agencies"
    )


def test_summary_workbook_says_the_requests_of_no_agency(tmp_path: Path) -> None:
    """The summary workbook's facts count the queries as the JSON does."""
    import openpyxl

    queries = write_queries(tmp_path, NO_PARTY_ROWS)
    book = tmp_path / "s.xlsx"
    argv = ["summary", "2018-07", "--agencies", str(TOTTORI / "agencies.csv")]
    argv += ["--queries", str(queries), "--as-of", "2018-06-25", "-o", str(book)]
    assert main(argv) == 0
    cells = [
        str(cell)
        for sheet in openpyxl.load_workbook(book).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert any("締切までに提供する求め 3件" in c and "未提供の求め 1件" in c for c in cells)


def test_triage_still_counts_every_row(tmp_path: Path) -> None:
    """`cutover triage` has no registry: it counts every row of the file, X1 included."""
    out = tmp_path / "t.json"
    queries = write_queries(tmp_path, NO_PARTY_ROWS)
    argv = ["triage", "2018-07", "--queries", str(queries), "--as-of", "2018-06-25"]
    assert main([*argv, "--format", "json", "-o", str(out)]) == 0
    counts = json.loads(out.read_text(encoding="utf-8"))["counts"]
    assert counts["provide-by-cutoff"] == 4
    assert counts["none"] == 0


@pytest.mark.parametrize(
    ("codes", "said"),
    [
        ("312011", "codes takes agencies' codes (a sequence of text"),
        ([312011], "codes is an agency's code as text"),
    ],
)
def test_the_counts_for_agencies_take_their_codes_as_text(
    tmp_path: Path, codes: object, said: str
) -> None:
    """A bare code (read as its six characters) or a code held as a number counted every
    row as no agency's (elsewhere) without a word: a `TypeError`, as api.md promises for a
    number where a code belongs."""
    findings = load_queries(write_queries(tmp_path), timeline(), BEFORE)
    assert findings.totals(["131016"]) == findings.totals(iter(["131016"]))
    for method in (findings.totals, findings.elsewhere):
        with pytest.raises(TypeError) as caught:
            method(codes)  # type: ignore[arg-type]
        assert str(caught.value).startswith(said)
