"""Tests for `cutover.planning.planner`: task instances, statuses at their boundaries, and every
flag.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import dates, registries

from cutover.calendar.load import load_calendar, parse_calendar
from cutover.i18n.catalogue import Lang
from cutover.i18n.text import DataText, format_day
from cutover.inputs.model import Agency, Attempt, AttemptReason, Evidence, Readiness, Registry
from cutover.jp.codes import check_digit
from cutover.jp.vocabulary import SYSTEMS, Kind, Side, Status
from cutover.planning.flags import FLAG_CODES, Flag, FlagCode, Severity
from cutover.planning.model import (
    DUE_SOON_BUSINESS_DAYS,
    AgencyPlan,
    QueryFindings,
    Task,
    TaskStatus,
)
from cutover.planning.planner import plan
from cutover.planning.queries import cutoff_rule
from cutover.schedule.timeline import Timeline, build_timeline
from cutover.triage import Query, QueryStatus, TriageCounts
from cutover.triage.rule import TriageRule

CHIYODA = "131016"  # 千代田区
TOKYO = "130001"  # 東京都
SYSTEM_IDS = tuple(s.id for s in SYSTEMS)
AS_OF = dt.date(2018, 6, 20)
DOCS = Path(__file__).parent.parent / "docs"


@functools.cache
def timeline() -> Timeline:
    """Return the timeline of the shipped July 2018 calendar (built once per session)."""
    return build_timeline(load_calendar("2018-07"))


def code(five: str) -> str:
    """Return the 6-digit code of `five` with its check digit."""
    return f"{five}{check_digit(five)}"


def agency(
    agency_code: str = CHIYODA,
    *,
    kind: Kind = Kind.MUNICIPALITY,
    test: bool = False,
    provides: Iterable[int] = (),
    delegations: Iterable[int] = (),
) -> Agency:
    """Return an agency of the registry (千代田区 unless told otherwise)."""
    return Agency(
        agency_code, "団体", kind, test, frozenset(provides), frozenset(delegations), line=2
    )


def ready(
    system: str,
    side: Side,
    status: Status,
    planned: dt.date | None = None,
    agency_code: str = CHIYODA,
) -> Readiness:
    """Return a readiness.csv row."""
    return Readiness(agency_code, system, side, status, planned, line=2)


def proof(task: str, day: dt.date, detail: str = "", line: int = 2) -> Evidence:
    """Return an evidence.csv row of 千代田区."""
    return Evidence(CHIYODA, task, day, detail, line)


def plan_of(
    the_agency: Agency,
    as_of: dt.date = AS_OF,
    *,
    readiness: Iterable[Readiness] = (),
    evidence: Iterable[Evidence] = (),
    others: Iterable[Agency] = (),
    on: Timeline | None = None,
) -> AgencyPlan:
    """Return the plan of one agency, planned with `others` in the same registry."""
    registry = Registry((the_agency, *others), tuple(readiness), tuple(evidence))
    return plan(on or timeline(), registry, as_of).agency(the_agency.code)


def task(agency_plan: AgencyPlan, task_id: str) -> Task:
    """Return the task of `agency_plan` with this id."""
    found = [t for t in agency_plan.tasks if t.id == task_id]
    assert len(found) == 1, [t.id for t in agency_plan.tasks]
    return found[0]


def ids(agency_plan: AgencyPlan, prefix: str = "") -> list[str]:
    """Return the ids of the tasks that start with `prefix`, in plan order."""
    return [t.id for t in agency_plan.tasks if t.id.startswith(prefix)]


def flags(agency_plan: AgencyPlan, flag_code: FlagCode) -> list[Flag]:
    """Return the flags of `agency_plan` with this code."""
    return [f for f in agency_plan.flags if f.code is flag_code]


def only_flag(agency_plan: AgencyPlan, flag_code: FlagCode, task_id: str | None = None) -> Flag:
    """Return the one flag with this code (and task), failing when there are none or more."""
    found = [f for f in flags(agency_plan, flag_code) if task_id is None or f.task == task_id]
    assert len(found) == 1, [(f.code, f.task) for f in agency_plan.flags]
    return found[0]


# --- task instances ----------------------------------------------------------------------------


def test_modifications_per_system() -> None:
    """Every agency gets one provision and one query modification per business system."""
    agency_plan = plan_of(agency())
    assert ids(agency_plan, "modify-provision:") == [f"modify-provision:{s}" for s in SYSTEM_IDS]
    assert ids(agency_plan, "modify-query:") == [f"modify-query:{s}" for s in SYSTEM_IDS]
    assert len(SYSTEM_IDS) == 8
    local_tax = task(agency_plan, "modify-query:local-tax")
    assert local_tax.system == "local-tax"
    assert local_tax.item is None
    assert local_tax.title_ja == "情報照会に係るシステム改修を完了する（地方税務）"
    assert local_tax.title_en == "Complete the query-side system modification (local tax)"
    assert local_tax.detail_ja.startswith("地方税務システムの情報照会機能を")
    nhi = task(agency_plan, "modify-provision:nhi")
    assert nhi.title_ja == "情報提供に係るシステム改修を完了する（国保）"
    assert nhi.section == "§3"


def test_tasks_every_agency_has() -> None:
    """An agency that provides nothing and asked for no test still has the common tasks."""
    for kind, agency_code in (
        (Kind.PREFECTURE, TOKYO),
        (Kind.MUNICIPALITY, CHIYODA),
        (Kind.ASSOCIATION, "138509"),
    ):
        agency_plan = plan_of(agency(agency_code, kind=kind))
        others = [t for t in ids(agency_plan) if not t.startswith("modify-")]
        assert others == [
            "follow-up-pending-queries",
            "withdraw-and-reissue",
            "incident-contact-plan",
            "after-switch-checks",
            "self-inspection",
            "all-agency-drill",
        ]
        assert len(agency_plan.tasks) == 16 + 6


def test_inter_agency_test_only_when_requested() -> None:
    """The inter-agency test is a task only for agencies that asked for it through J-LIS."""
    assert "inter-agency-test" in ids(plan_of(agency(test=True)))
    assert "inter-agency-test" not in ids(plan_of(agency(test=False)))
    test = task(plan_of(agency(test=True)), "inter-agency-test")
    assert test.hearing
    assert test.section == "§4"


def test_registrations_and_delegations() -> None:
    """Registration covers the provided items that need it plus every new delegation, with notes."""
    agency_plan = plan_of(agency(provides={2, 8, 9}, delegations={21, 30}))
    # 9 is provided but not revised: no registration; 21 and 30 come from new delegations.
    assert ids(agency_plan, "register:") == [
        "register:2",
        "register:8",
        "register:21",
        "register:30",
    ]
    two, eight = task(agency_plan, "register:2"), task(agency_plan, "register:8")
    twenty_one, thirty = task(agency_plan, "register:21"), task(agency_plan, "register:30")
    retroactive = "過去分を含め、新版のレイアウトで登録する（遡及適用）。"
    delegation = "今回のマスター変更で情報提供に係る委任受任が新たに発生したため、登録が必要。"

    # (§2: a registration comes after its system's provision-side modification.)
    def first(system: str) -> str:
        return (
            "§2 は作業をシステム改修、機関間試験、副本登録の順に挙げる。"
            f"「情報提供に係るシステム改修を完了する（{system}）」より前の試験・登録は、"
            "新版のレイアウトによらないおそれがある。"
        )

    assert two.notes_ja == (retroactive,)
    assert eight.notes_ja == ()
    assert twenty_one.notes_ja == (retroactive, delegation)
    assert thirty.notes_ja == (delegation,)
    assert thirty.notes_en == (
        "Required because a new delegation of provision arises with this master change.",
    )
    assert two.notes_en == (
        "Include past data, in the new layout (the revision applies retroactively).",
    )
    assert (two.first_ja, eight.first_ja) == (first("地方税務"), first("障害福祉"))
    # 21's link to 児童福祉 is the calendar's assumption (the source names no system per item).
    assert twenty_one.first_ja.startswith(first("児童福祉") + "なお、21番と児童福祉システムの対応")
    assert thirty.first_ja == ""
    assert two.item == 2
    assert two.title_ja == "特定個人情報2番（地方税関係情報）の副本を登録する"
    assert two.title_en == "Register copies of item 2 (local tax information)"
    assert thirty.title_ja == "特定個人情報30番（新たな委任受任分）の副本を登録する"
    assert thirty.title_en == "Register copies of item 30 (new delegation)"
    # Item 30, a new delegation, is not revised: no "new layout" told as if it were.
    assert two.detail_ja.startswith(
        "副本登録期間内に、特定個人情報2番の副本を登録する（改版の項目は新版のレイアウトで）。"
        "登録の前に、過去の副本登録誤りの原因"
    )


def test_retroactive_note_only_for_2_and_21() -> None:
    """Of the four registered items, only 2 and 21 say "past data included"."""
    agency_plan = plan_of(agency(provides={2, 8, 21, 52}))
    noted = [t.id for t in agency_plan.tasks if any("過去分を含め" in n for n in t.notes_ja)]
    assert noted == ["register:2", "register:21"]


def test_no_items_no_registration() -> None:
    """An agency that provides no revised item has no registration and no cutoff answer."""
    agency_plan = plan_of(agency(provides={9}))
    assert ids(agency_plan, "register") == []
    assert ids(agency_plan, "answer-before-cutoff") == []


def test_answer_before_cutoff_only_for_cutoff_items() -> None:
    """Answering before the cutoff is a task for each cutoff item (2, 21) the agency provides."""
    assert ids(plan_of(agency(provides={2, 8, 52})), "answer-before-cutoff") == [
        "answer-before-cutoff:2"
    ]
    assert ids(plan_of(agency(provides={8, 21})), "answer-before-cutoff") == [
        "answer-before-cutoff:21"
    ]
    answer = task(plan_of(agency(provides={2, 21})), "answer-before-cutoff:21")
    assert answer.title_ja == "6月30日以前に受けた提供の求め（21番）に、期限までに情報提供する"
    assert answer.title_en == (
        "Answer requests for item 21 received on or before 30 June, by the cutoff"
    )


def test_due_dates_moved_off_closed_days() -> None:
    """Deadlines on Saturday 6/30 fall due on Friday 6/29, with the closure as the reason."""
    agency_plan = plan_of(agency(provides={2}))
    for task_id in ("modify-provision:local-tax", "register:2", "answer-before-cutoff:2"):
        due = task(agency_plan, task_id).due
        assert due.original == dt.date(2018, 6, 30)
        assert due.date == dt.date(2018, 6, 29)
        assert due.moved
        assert due.closure is not None
        assert (due.closure.ja, due.closure.en) == ("土曜日", "Saturday")


def test_due_date_on_a_business_day_stays() -> None:
    """A due date on a business day is not moved."""
    due = task(plan_of(agency(test=True)), "inter-agency-test").due
    assert (due.original, due.date, due.closure) == (dt.date(2018, 6, 22),) * 2 + (None,)


def test_window_openings() -> None:
    """Windowed tasks carry their opening; the re-query window opens on Monday 7/2, not Sunday."""
    agency_plan = plan_of(agency(test=True, provides={2}))
    requery = task(agency_plan, "withdraw-and-reissue")
    assert requery.start is not None
    assert requery.start.original == dt.date(2018, 7, 1)
    assert requery.start.date == dt.date(2018, 7, 2)
    assert requery.start.closure is not None
    assert requery.start.closure.ja == "日曜日"
    assert requery.due.date == dt.date(2018, 7, 6)
    register_start = task(agency_plan, "register:2").start
    assert register_start is not None
    assert register_start.date == dt.date(2018, 5, 21)
    test_start = task(agency_plan, "inter-agency-test").start
    assert test_start is not None
    assert test_start.date == dt.date(2018, 5, 7)
    assert task(agency_plan, "modify-query:nhi").start is None


def test_assumption_carried_to_task() -> None:
    """A due date the source does not give carries the calendar's assumption in both languages."""
    agency_plan = plan_of(agency(provides={2}))
    modification = task(agency_plan, "modify-query:health")
    assert modification.assumption is not None
    assert modification.assumption.startswith("§3は「データ標準レイアウト改版までに」")
    assert (modification.assumption_in("en") or "").startswith("§3 says")
    assert modification.assumption_in("ja") == modification.assumption
    assert task(agency_plan, "register:2").assumption is None


# --- which templates apply (a calendar written for the test) -------------------------------------

INLINE = """\
schema = 1

[revision]
id = "inline"
title_ja = "試験用の暦"
title_en = "Test calendar"
effective = "2018-07-01"
source = "tests"
section = "§2"
systems = ["local-tax"]

[[items]]
number = 2
name_ja = "地方税関係情報"
name_en = "local tax information"
registration_required = true
retroactive = true
section = "§5"

[[items]]
number = 3
name_ja = "登録を要しない項目"
name_en = "an item without registration"
registration_required = false
section = "§5"

[[events]]
id = "deadline"
type = "deadline"
title_ja = "期限"
title_en = "Deadline"
date = "2018-06-29"
section = "§3"

[[tasks]]
id = "prefectures-only"
when = { kinds = ["prefecture"] }
title_ja = "都道府県の作業"
title_en = "Prefecture task"
due = "deadline"
section = "§3"

[[tasks]]
id = "not-prefectures"
when = { kinds = ["municipality", "一部事務組合等"] }
title_ja = "市区町村・一部事務組合等の作業"
title_en = "Municipality and association task"
due = "deadline"
section = "§3"

[[tasks]]
id = "providers-of-2"
when = { provides = [2] }
title_ja = "2番の提供者の作業"
title_en = "Task of providers of item 2"
due = "deadline"
section = "§5"

[[tasks]]
id = "providers-of-revised"
when = { provides = "revised" }
title_ja = "改版項目の提供者の作業"
title_en = "Task of providers of a revised item"
due = "deadline"
section = "§5"

[[tasks]]
id = "delegated"
when = { new_delegation = true }
title_ja = "委任受任のある団体の作業"
title_en = "Task of agencies with a new delegation"
due = "deadline"
section = "§5"

[[tasks]]
id = "not-delegated"
when = { new_delegation = false, kinds = ["municipality"] }
title_ja = "委任受任のない市区町村の作業"
title_en = "Task of municipalities without a new delegation"
due = "deadline"
section = "§5"

[[tasks]]
id = "register"
per = "item"
items = "registration"
title_ja = "{item}番（{item_ja}）を登録する"
title_en = "Register item {item} ({item_en})"
due = "deadline"
section = "§5"

[[tasks]]
id = "check"
per = "item"
items = "revised"
title_ja = "{item}番を確認する"
title_en = "Check item {item}"
due = "deadline"
section = "§5"
"""


@functools.cache
def inline_timeline() -> Timeline:
    """Return the timeline of the calendar written for these tests."""
    return build_timeline(parse_calendar(INLINE, "inline.toml"))


def inline_ids(the_agency: Agency) -> list[str]:
    """Return the task ids the inline calendar gives `the_agency`."""
    return ids(plan_of(the_agency, on=inline_timeline()))


def test_when_kinds() -> None:
    """`when.kinds` limits a task to the kinds it names (Japanese names accepted)."""
    assert "prefectures-only" in inline_ids(agency(TOKYO, kind=Kind.PREFECTURE))
    assert "not-prefectures" not in inline_ids(agency(TOKYO, kind=Kind.PREFECTURE))
    for kind in (Kind.MUNICIPALITY, Kind.ASSOCIATION):
        found = inline_ids(agency("138509", kind=kind))
        assert "prefectures-only" not in found
        assert "not-prefectures" in found


def test_when_provides() -> None:
    """`when.provides` needs one of the items listed; "revised" means any revised item."""
    assert "providers-of-2" in inline_ids(agency(provides={2, 8}))
    assert "providers-of-2" not in inline_ids(agency(provides={3}))
    assert "providers-of-revised" in inline_ids(agency(provides={3}))
    assert "providers-of-revised" not in inline_ids(agency(provides={8}))
    assert "providers-of-revised" not in inline_ids(agency())


def test_when_new_delegation() -> None:
    """`when.new_delegation` selects agencies with (true) or without (false) a new delegation."""
    delegated = inline_ids(agency(delegations={9}))
    assert "delegated" in delegated
    assert "not-delegated" not in delegated
    plain = inline_ids(agency())
    assert "delegated" not in plain
    assert "not-delegated" in plain
    # Every condition must hold: the kind too.
    assert "not-delegated" not in inline_ids(agency(TOKYO, kind=Kind.PREFECTURE))


def test_item_sets_follow_the_calendar() -> None:
    """Registration takes the items marked registration_required; "revised" takes them all."""
    the_plan = plan_of(agency(provides={2, 3, 8}), on=inline_timeline())
    assert ids(the_plan, "register:") == ["register:2"]
    assert ids(the_plan, "check:") == ["check:2", "check:3"]
    assert task(the_plan, "register:2").title_ja == "2番（地方税関係情報）を登録する"
    assert ids(plan_of(agency(), on=inline_timeline()), "register") == []


# --- statuses ---------------------------------------------------------------------------------


def test_done_with_evidence() -> None:
    """Evidence dated on or before as-of makes a task done, with its date and detail."""
    evidence = [
        proof("inter-agency-test", dt.date(2018, 6, 8), "接続検証環境で実施", line=3),
        proof("register:2", AS_OF, line=4),
    ]
    agency_plan = plan_of(agency(test=True, provides={2}), evidence=evidence)
    test = task(agency_plan, "inter-agency-test")
    assert test.status is TaskStatus.DONE
    assert test.done_on == dt.date(2018, 6, 8)
    assert test.status_source == "接続検証環境で実施"
    registration = task(agency_plan, "register:2")
    assert (registration.status, registration.done_on) == (TaskStatus.DONE, AS_OF)
    assert registration.status_source == "evidence"
    assert not flags(agency_plan, FlagCode.EVIDENCE_BEFORE_WINDOW)


def test_earliest_evidence_counts() -> None:
    """Of several evidence rows for one task, the earliest valid one gives the done date."""
    evidence = [
        proof("inter-agency-test", dt.date(2018, 6, 12), "再試験", line=2),
        proof("inter-agency-test", dt.date(2018, 5, 7), "初回", line=3),
    ]
    test = task(plan_of(agency(test=True), evidence=evidence), "inter-agency-test")
    assert (test.done_on, test.status_source) == (dt.date(2018, 5, 7), "初回")


def test_evidence_after_as_of_not_counted() -> None:
    """Evidence dated after the as-of date is not yet known: the task is not done."""
    evidence = [proof("inter-agency-test", AS_OF + dt.timedelta(days=1))]
    agency_plan = plan_of(agency(test=True), evidence=evidence)
    test = task(agency_plan, "inter-agency-test")
    assert test.status is TaskStatus.DUE_SOON
    assert test.done_on is None
    assert test.status_source == ""
    assert not flags(agency_plan, FlagCode.EVIDENCE_BEFORE_WINDOW)
    assert not flags(agency_plan, FlagCode.EVIDENCE_UNKNOWN_TASK)
    # Not silently: the reader sees why the task is not done, and where the row is.
    flag = only_flag(agency_plan, FlagCode.EVIDENCE_AFTER_AS_OF, "inter-agency-test")
    assert flag.severity is Severity.WARNING
    assert (
        "実績日 平成30年6月21日（木）（evidence 2行目）は基準日 平成30年6月20日（水） より後"
        in flag.message_ja
    )


def test_evidence_with_an_era_slip_is_flagged_with_its_file() -> None:
    """A registration written 令和元年6月1日 (2019) for 平成30年6月1日: the task is overdue on
    7/2, and the flag names the file and line and says what the slip may be."""
    row = Evidence(CHIYODA, "register:2", dt.date(2019, 6, 1), "", 5, "/data/evidence-0601.csv")
    agency_plan = plan_of(agency(provides={2}), dt.date(2018, 7, 2), evidence=[row])
    assert task(agency_plan, "register:2").status is TaskStatus.OVERDUE
    flag = only_flag(agency_plan, FlagCode.EVIDENCE_AFTER_AS_OF, "register:2")
    assert "（evidence-0601.csv 5行目）" in flag.message_ja
    assert "(evidence-0601.csv line 5)" in flag.message_en
    assert "令和元年と平成30年" in flag.remedies_ja[0]
    # 2019-06-01 is past the window: counting it later would make the task late, not done.
    assert flag.remedies_en[1] == (
        "If the task was done on that day, it was done after its due date (2018-06-30 (Sat)): "
        "late, even once counted."
    )


def test_evidence_after_as_of_not_flagged_when_the_task_is_done() -> None:
    """A second, later row for a task already done as of the date changes nothing: no flag."""
    evidence = [
        proof("register:2", dt.date(2018, 6, 1)),
        proof("register:2", dt.date(2018, 6, 25), line=3),
    ]
    agency_plan = plan_of(agency(provides={2}), evidence=evidence)
    assert task(agency_plan, "register:2").status is TaskStatus.DONE
    assert not flags(agency_plan, FlagCode.EVIDENCE_AFTER_AS_OF)


def test_evidence_before_window() -> None:
    """Evidence dated before the window opened does not count, and is flagged."""
    evidence = [proof("inter-agency-test", dt.date(2018, 5, 1), line=7)]
    agency_plan = plan_of(agency(test=True), dt.date(2018, 6, 23), evidence=evidence)
    test = task(agency_plan, "inter-agency-test")
    assert test.status is TaskStatus.OVERDUE
    assert test.done_on is None
    flag = only_flag(agency_plan, FlagCode.EVIDENCE_BEFORE_WINDOW, "inter-agency-test")
    assert flag.severity is Severity.WARNING
    assert "平成30年5月1日（火）" in flag.message_ja
    assert "7行目" in flag.message_ja
    assert "平成30年5月7日（月）" in flag.message_ja
    assert "完了とみなさない" in flag.message_ja
    assert "does not complete the task" in flag.message_en
    # The opening (5/7) is the calendar's assumption (§4 gives no dates): the message says
    # so, as every assumed date's does, and it stays a warning.
    assert (
        "期間の開始（平成30年5月7日（月）、資料に日付のない仮定の開始日）より前" in flag.message_ja
    )
    assert (
        "before the window opened (2018-05-07 (Mon), a date the calendar assumes: the source"
        " gives none)" in flag.message_en
    )
    assert flag.remedies_ja[0].startswith("※期間の開始は資料に日付がなく仮定したもの。")
    assert flag.remedies_en[0].startswith("※ The opening is an assumption, not the source's")
    assert flag.remedies_ja[1:] == ("期間内に実施した日付で実績を登録する。",)
    assert flag.remedies_en[1:] == ("Record the date the task was done inside its window.",)
    assert not [f for f in agency_plan.flags if f.severity is Severity.ERROR]
    # The test is still missing, so the agency is a hearing candidate as well (its window's
    # end is the calendar's assumption: a warning).
    assert only_flag(agency_plan, FlagCode.HEARING_CANDIDATE_ASSUMED, "inter-agency-test")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_uncounted_row_before_an_assumed_opening_says_it_is_assumed(lang: Lang) -> None:
    """A row dated before the test window's opening, its task done by a later row, is not
    counted: what validate says of it names the opening as the calendar's assumption."""
    from cutover.planning.evidence import uncounted_evidence

    rows = (
        proof("inter-agency-test", dt.date(2018, 5, 1)),
        proof("inter-agency-test", dt.date(2018, 5, 10), line=3),
    )
    registry = Registry((agency(test=True),), (), rows)
    said = uncounted_evidence(plan(timeline(), registry, dt.date(2018, 6, 1)), registry, lang)
    assert [task_id for _, task_id, _ in said] == ["inter-agency-test"]
    expected = {
        "ja": "2行目: 期間の開始（平成30年5月7日（月）、資料に日付のない仮定の開始日）"
        "より前の日付のため数えない（作業は他の実績で完了）。日付を確かめる",
        "en": "line 2: dated before the window opened (2018-05-07 (Mon), a date the"
        " calendar assumes: the source gives none), not counted (the task is done by"
        " other evidence); check the date",
    }
    assert said[0][2].endswith(expected[lang])


def test_evidence_on_window_opening_counts() -> None:
    """Evidence dated the day the window opens counts; the day before does not."""
    opening = [proof("register:2", dt.date(2018, 5, 21))]
    assert task(plan_of(agency(provides={2}), evidence=opening), "register:2").status is (
        TaskStatus.DONE
    )
    early = [proof("register:2", dt.date(2018, 5, 20))]
    agency_plan = plan_of(agency(provides={2}), evidence=early)
    assert task(agency_plan, "register:2").status is TaskStatus.DUE_SOON
    flag = only_flag(agency_plan, FlagCode.EVIDENCE_BEFORE_WINDOW, "register:2")
    # (The source gives the registration window: 5月下旬, not an assumption.)
    assert "仮定" not in flag.message_ja
    assert "assumes" not in flag.message_en
    assert flag.remedies_en == ("Record the date the task was done inside its window.",)


def test_reissue_on_sunday_7_1_counts() -> None:
    """A re-issue on Sunday 7/1 is "on or after 7/1" (§6): it counts, though the plan opens 7/2."""
    as_of = dt.date(2018, 7, 3)
    evidence = [proof("withdraw-and-reissue", dt.date(2018, 7, 1))]
    agency_plan = plan_of(agency(), as_of, evidence=evidence)
    requery = task(agency_plan, "withdraw-and-reissue")
    assert (requery.status, requery.done_on) == (TaskStatus.DONE, dt.date(2018, 7, 1))
    assert not flags(agency_plan, FlagCode.EVIDENCE_BEFORE_WINDOW)
    early = [proof("withdraw-and-reissue", dt.date(2018, 6, 30))]
    agency_plan = plan_of(agency(), as_of, evidence=early)
    # Not done; without a queries file, whether it applies is not known (§6: 必要に応じて).
    assert task(agency_plan, "withdraw-and-reissue").status is TaskStatus.UNKNOWN
    flag = only_flag(agency_plan, FlagCode.EVIDENCE_BEFORE_WINDOW)
    # The calendar assumes the re-query window's end, not its opening: §6 gives 7/1.
    assert "(2018-07-01 (Sun))" in flag.message_en
    assert "仮定" not in flag.message_ja


def test_readiness_done() -> None:
    """A modification reported done in readiness.csv is done, sourced from the readiness report."""
    readiness = [ready("local-tax", Side.PROVISION, Status.DONE)]
    agency_plan = plan_of(agency(), readiness=readiness)
    done = task(agency_plan, "modify-provision:local-tax")
    assert done.status is TaskStatus.DONE
    assert done.status_source == "readiness"
    assert done.done_on is None
    # The other side of the same system is not done by it.
    assert task(agency_plan, "modify-query:local-tax").status is TaskStatus.DUE_SOON


def test_evidence_wins_over_readiness_as_source() -> None:
    """With both evidence and a done report, the evidence gives the date and the source."""
    readiness = [ready("nhi", Side.QUERY, Status.DONE)]
    evidence = [proof("modify-query:nhi", dt.date(2018, 6, 1), "改修完了")]
    done = task(plan_of(agency(), readiness=readiness, evidence=evidence), "modify-query:nhi")
    assert (done.status, done.done_on, done.status_source) == (
        TaskStatus.DONE,
        dt.date(2018, 6, 1),
        "改修完了",
    )


def test_readiness_not_applicable() -> None:
    """A modification reported n/a (対象外) is not applicable and leaves the applicable tasks."""
    readiness = [ready("health", Side.QUERY, Status.NOT_APPLICABLE)]
    agency_plan = plan_of(agency(), dt.date(2018, 7, 2), readiness=readiness)
    health = task(agency_plan, "modify-query:health")
    assert health.status is TaskStatus.NOT_APPLICABLE
    assert health.status.ja == "対象外"
    assert health not in agency_plan.applicable
    # The §6 tasks are "unknown" without a queries file: not counted as applying either.
    section_6 = [t for t in agency_plan.tasks if t.status is TaskStatus.UNKNOWN]
    assert [t.id for t in section_6] == ["follow-up-pending-queries", "withdraw-and-reissue"]
    # As of 7/2 the contact plan for the revision weekend is past (§9: `until`), not owed.
    contact = task(agency_plan, "incident-contact-plan")
    assert contact.status is TaskStatus.NOT_APPLICABLE
    assert len(agency_plan.applicable) == len(agency_plan.tasks) - 1 - 2 - 1
    # Not applicable is never overdue.
    assert not [f for f in agency_plan.flags if f.task == "modify-query:health"]


def test_overdue_the_day_after_due() -> None:
    """A task is due soon on its due date and overdue the day after."""
    on_due = task(plan_of(agency(test=True), dt.date(2018, 6, 22)), "inter-agency-test")
    assert on_due.status is TaskStatus.DUE_SOON
    after = task(plan_of(agency(test=True), dt.date(2018, 6, 23)), "inter-agency-test")
    assert after.status is TaskStatus.OVERDUE
    assert after.status.ja == "期限超過"
    # A moved deadline is overdue from the day after the business day it moved to.
    on_friday = task(plan_of(agency(), dt.date(2018, 6, 29)), "modify-query:nhi")
    assert on_friday.status is TaskStatus.DUE_SOON
    on_saturday = task(plan_of(agency(), dt.date(2018, 6, 30)), "modify-query:nhi")
    assert on_saturday.status is TaskStatus.OVERDUE


def test_due_soon_boundary() -> None:
    """Due soon starts exactly DUE_SOON_BUSINESS_DAYS business days before the due date."""
    due = dt.date(2018, 6, 22)
    first = timeline().closed.add_business_days(due, -DUE_SOON_BUSINESS_DAYS)
    assert first == dt.date(2018, 6, 8)  # two weeks before a Friday: the Friday before
    at = task(plan_of(agency(test=True), first), "inter-agency-test")
    assert at.status is TaskStatus.DUE_SOON
    assert at.status.ja == "期限間近"
    before = timeline().closed.previous_business_day(first, inclusive=False)
    assert before == dt.date(2018, 6, 7)
    assert task(plan_of(agency(test=True), before), "inter-agency-test").status is (
        TaskStatus.UPCOMING
    )
    # A closed as-of day between them counts like the next business day.
    saturday = dt.date(2018, 6, 9)
    assert task(plan_of(agency(test=True), saturday), "inter-agency-test").status is (
        TaskStatus.DUE_SOON
    )


def test_due_soon_in_the_last_weeks_of_the_holiday_data() -> None:
    """In late December 2099 "due soon" counts past the last year the holiday data covers:
    a task due on its last business days is due soon, and the plan is made (it stopped
    with the closed days' error, naming a day in 2100)."""
    text = INLINE.replace('effective = "2018-07-01"', 'effective = "2099-12-31"')
    late = build_timeline(parse_calendar(text.replace("2018-06-29", "2099-12-28"), "late.toml"))
    the_agency = agency(TOKYO, kind=Kind.PREFECTURE)
    found = task(plan_of(the_agency, dt.date(2099, 12, 21), on=late), "prefectures-only")
    assert found.status is TaskStatus.DUE_SOON


def test_due_soon_boundary_across_a_holiday() -> None:
    """Closed days (Golden Week) are not counted when measuring "due soon"."""
    # all-agency-drill is due on Wed 5/23; ten business days before it, 5/3–5/6 being closed
    # does not matter, but 5/9 is the tenth business day back.
    due = dt.date(2018, 5, 23)
    first = timeline().closed.add_business_days(due, -DUE_SOON_BUSINESS_DAYS)
    assert first == dt.date(2018, 5, 9)
    assert task(plan_of(agency(), first), "all-agency-drill").status is TaskStatus.DUE_SOON
    assert task(plan_of(agency(), dt.date(2018, 5, 2)), "all-agency-drill").status is (
        TaskStatus.UPCOMING
    )
    # 5/8 is one business day earlier than 5/9.
    assert task(plan_of(agency(), dt.date(2018, 5, 8)), "all-agency-drill").status is (
        TaskStatus.UPCOMING
    )


def pending(as_of: dt.date, *pairs: tuple[str, str]) -> QueryFindings:
    """Return the triage, as of `as_of`, of a queries file holding one pending query for
    item 2 received 6/20 for each (querier, provider) of `pairs`."""
    judge = TriageRule(cutoff_rule(timeline()), as_of)
    results = tuple(
        judge.result(
            Query(
                f"Q{n}", querier, provider, 2, dt.datetime(2018, 6, 20, 10), QueryStatus.PENDING, n
            )
        )
        for n, (querier, provider) in enumerate(pairs, start=2)
    )
    provide = sum(1 for r in results if r.action.value == "provide-by-cutoff")
    counts = TriageCounts(len(results), provide, len(results) - provide, 0, 0)
    return QueryFindings(counts, results)


def with_query(
    as_of: dt.date, the_agency: Agency | None = None, *, provider: bool = False
) -> AgencyPlan:
    """Return the plan of `the_agency` (千代田区) with one pending query for item 2, received
    6/20: it asks 東京都 (or, with `provider`, 東京都 asks it): its §6 tasks apply."""
    the_agency = the_agency or agency()
    pair = ("130001", the_agency.code) if provider else (the_agency.code, "130001")
    findings = pending(as_of, pair)
    registry = Registry((the_agency,))
    return plan(timeline(), registry, as_of, queries=findings).agency(the_agency.code)


def querying(as_of: dt.date) -> AgencyPlan:
    """Return the plan of 千代田区 with one of its queries (item 2, to 東京都) pending."""
    return with_query(as_of)


def test_window_not_open_is_upcoming() -> None:
    """A task whose window has not opened is upcoming, however close its due date (§6: the
    re-query window opens on the first business day from 7/1, Mon 7/2)."""
    for as_of in (dt.date(2018, 6, 29), dt.date(2018, 6, 30), dt.date(2018, 7, 1)):
        requery = task(querying(as_of), "withdraw-and-reissue")
        assert requery.status is TaskStatus.UPCOMING, as_of
    assert task(querying(dt.date(2018, 7, 2)), "withdraw-and-reissue").status is (
        TaskStatus.DUE_SOON
    )
    # Far from the due date, with the window open, a task is upcoming too.
    early = task(plan_of(agency(test=True), dt.date(2018, 5, 7)), "inter-agency-test")
    assert early.status is TaskStatus.UPCOMING
    assert early.status.ja == "予定"


# --- flags: codes, severities and the docs ------------------------------------------------------


def test_severities() -> None:
    """Every flag code has the severity the docs give it."""
    assert set(FLAG_CODES) == set(FlagCode)
    assert {c.value: s.value for c, s in FLAG_CODES.items()} == {
        "provision-not-ready": "error",
        "provision-not-ready-assumed": "warning",  # against an effective date assumed
        "query-not-ready": "warning",
        "readiness-unknown": "warning",
        "readiness-plan-passed": "warning",  # its own day passed, the revision still ahead
        "readiness-done-after-as-of": "warning",  # 完了 on a day to come: as evidence after it
        "hearing-candidate": "error",
        "task-overdue": "warning",
        "new-delegation": "info",
        "deadline-moved": "info",
        "assumed-date": "info",
        "evidence-unknown-task": "warning",
        "evidence-before-window": "warning",
        "done-late": "info",
        "evidence-not-counted": "warning",
        "evidence-after-as-of": "warning",
        "queries-item-not-provided": "warning",
        "queries-to-answer": "warning",
        "queries-to-reissue": "warning",
        "queries-outside-rule": "info",
        "hearing-candidate-assumed": "warning",
        "test-failed": "warning",  # §4: a failed test was run
        "evidence-before-modification": "warning",  # §2: the order of the work
    }


def test_docs_list_every_flag() -> None:
    """docs/flags.md lists every code with its severity, in a table row of its own."""
    text = (DOCS / "flags.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (error|warning|info) \|", text, re.MULTILINE))
    assert rows == {c.value: s.value for c, s in FLAG_CODES.items()}


# --- flags: readiness --------------------------------------------------------------------------


def test_provision_not_ready_not_started() -> None:
    """A provision side not started is an error naming the system, with the remedy for work
    that will be late (§3: bring it forward and finish before the revision; tell the
    prefecture), not the on-schedule 「現在の予定どおり…」."""
    readiness = [ready("nhi", Side.PROVISION, Status.NOT_STARTED)]
    flag = only_flag(plan_of(agency(), readiness=readiness), FlagCode.PROVISION_NOT_READY)
    assert flag.severity is Severity.ERROR
    assert flag.task == "modify-provision:nhi"
    assert flag.section == "§3"
    assert flag.message_ja == (
        "国保システムの情報提供に係る改修が改版（平成30年7月1日（日））までに完了しない（未着手）。"
    )
    assert "provision-side modification of the national health insurance system" in (
        flag.message_en
    )
    assert flag.message_en.endswith("(2018-07-01 (Sun)): not started.")
    assert flag.remedies_ja[0].startswith("報告された予定では改版までに間に合わない。")
    assert "改版までに必ず完了させる" in flag.remedies_ja[0]
    assert flag.remedies_en[0].startswith("The reported plan will not be ready")


@pytest.mark.parametrize(
    ("planned", "flagged"),
    [
        (dt.date(2018, 6, 29), False),
        (dt.date(2018, 6, 30), False),
        (dt.date(2018, 7, 1), True),
        (dt.date(2018, 9, 30), True),
    ],
)
def test_provision_not_ready_planned(planned: dt.date, flagged: bool) -> None:
    """A planned date on or after the effective date (7/1) is not ready; one before it is."""
    readiness = [ready("local-tax", Side.PROVISION, Status.PLANNED, planned)]
    found = flags(plan_of(agency(), readiness=readiness), FlagCode.PROVISION_NOT_READY)
    assert bool(found) is flagged
    if flagged:
        assert f"（完了予定 {format_day(planned, 'ja')}）" in found[0].message_ja
        assert f"planned for {format_day(planned, 'en')}" in found[0].message_en


def test_ready_systems_not_flagged() -> None:
    """Done and n/a reports raise no readiness flag."""
    readiness = [
        ready(s, side, Status.DONE if s != "health" else Status.NOT_APPLICABLE)
        for s in SYSTEM_IDS
        for side in Side
    ]
    agency_plan = plan_of(agency(), readiness=readiness)
    for flag_code in (
        FlagCode.PROVISION_NOT_READY,
        FlagCode.QUERY_NOT_READY,
        FlagCode.READINESS_UNKNOWN,
    ):
        assert not flags(agency_plan, flag_code)


def test_query_not_ready() -> None:
    """A late query side is a warning whose remedies are to bring it forward or use the
    terminal (§3), said as for work the report shows will be late."""
    readiness = [ready("local-tax", Side.QUERY, Status.PLANNED, dt.date(2018, 8, 1))]
    flag = only_flag(plan_of(agency(), readiness=readiness), FlagCode.QUERY_NOT_READY)
    assert flag.severity is Severity.WARNING
    assert flag.task == "modify-query:local-tax"
    assert flag.message_ja == (
        "地方税務システムの情報照会に係る改修が改版（平成30年7月1日（日））までに完了しない"
        "（完了予定 平成30年8月1日（水））。"
    )
    assert "query-side modification of the local tax system" in flag.message_en
    assert flag.remedies_ja == (
        "報告された予定では改版までに間に合わない。改修時期を前倒しする（§3）。",
        "完了するまでは、中間サーバー接続端末を利用して照会する（§3）。"
        "端末の台数や操作の準備を、都道府県の担当と確認する。",
    )
    assert any("intermediate-server terminal" in r for r in flag.remedies_en)
    assert flag.remedies("en") == flag.remedies_en
    assert flag.message("ja") == flag.message_ja


@pytest.mark.parametrize(
    ("as_of", "side", "flagged"),
    [
        (dt.date(2018, 6, 18), Side.PROVISION, False),  # the planned day itself: not passed
        (dt.date(2018, 6, 19), Side.PROVISION, True),
        (dt.date(2018, 6, 29), Side.QUERY, True),
        (dt.date(2018, 7, 2), Side.PROVISION, False),  # from the revision: not ready instead
    ],
)
def test_a_planned_day_passed_undone_is_to_confirm(
    as_of: dt.date, side: Side, flagged: bool
) -> None:
    """A modification reported planned for 6/18, still not reported done on 6/19, looked ready
    in time and raised nothing: the agency's own plan has slipped (or its report is behind),
    and §3 asks that it be done 「現在の予定どおり」. A warning to confirm, with the task; from
    the effective date the §3 not-ready flag says it instead."""
    planned = dt.date(2018, 6, 18)
    readiness = [ready("nhi", side, Status.PLANNED, planned)]
    agency_plan = plan_of(agency(), as_of, readiness=readiness)
    found = flags(agency_plan, FlagCode.READINESS_PLAN_PASSED)
    assert bool(found) is flagged
    if not flagged:
        return
    (flag,) = found
    assert flag.severity is Severity.WARNING
    assert flag.task == f"modify-{side.value}:nhi"
    assert flag.message_ja == (
        f"国保システムの{side.label('ja')}に係る改修の完了予定日（平成30年6月18日（月））を"
        f"過ぎたが、基準日（{format_day(as_of, 'ja')}）の時点で完了の報告がない。"
    )
    assert flag.message_en.startswith(
        f"The {side.value}-side modification of the national health insurance system was"
        " planned to be complete by 2018-06-18 (Mon); that day has passed"
    )
    assert flag.remedies_ja[0].startswith("改修が完了したかを確かめ")
    assert "改版（平成30年7月1日（日））までに必ず完了させる" in flag.remedies_ja[0]
    assert not flags(agency_plan, FlagCode.PROVISION_NOT_READY)
    # Evidence of the modification, or a report of it done, settles it.
    done = [proof(f"modify-{side.value}:nhi", dt.date(2018, 6, 15))]
    evidenced = plan_of(agency(), as_of, readiness=readiness, evidence=done)
    assert not flags(evidenced, FlagCode.READINESS_PLAN_PASSED)
    reported = [ready("nhi", side, Status.DONE, planned)]
    assert not flags(plan_of(agency(), as_of, readiness=reported), FlagCode.READINESS_PLAN_PASSED)


def test_readiness_unknown_when_agency_reported_nothing() -> None:
    """With a readiness file given, an agency that reported nothing is flagged for both sides."""
    others = [agency(TOKYO, kind=Kind.PREFECTURE)]
    readiness = [ready("local-tax", Side.PROVISION, Status.DONE, agency_code=TOKYO)]
    agency_plan = plan_of(agency(), readiness=readiness, others=others)
    found = flags(agency_plan, FlagCode.READINESS_UNKNOWN)
    assert len(found) == 2
    assert all(f.severity is Severity.WARNING for f in found)
    assert found[0].message_ja == (
        "情報提供に係る改修状況の報告がない"
        "（地方税務・生活保護・健康管理・児童福祉・障害福祉・介護保険・国保・公営住宅）。"
    )
    assert found[1].message_ja.startswith("情報照会に係る改修状況の報告がない")
    assert found[1].message_en.startswith("No query-side readiness reported for: local tax")
    assert found[0].remedies_ja[0].startswith("調査票の「改修状況」シートに各システムの状況")


def test_readiness_unknown_names_missing_systems_only() -> None:
    """Only the systems and side not reported are named."""
    readiness = [ready(s, side, Status.DONE) for s in SYSTEM_IDS for side in Side if s != "nhi"]
    readiness.append(ready("nhi", Side.PROVISION, Status.DONE))
    flag = only_flag(plan_of(agency(), readiness=readiness), FlagCode.READINESS_UNKNOWN)
    assert flag.message_ja == "情報照会に係る改修状況の報告がない（国保）。"
    assert flag.message_en == "No query-side readiness reported for: national health insurance."


def test_no_readiness_file_no_readiness_flags() -> None:
    """Without any readiness rows nothing is judged: no readiness flag at all."""
    the_plan = plan(timeline(), Registry((agency(),)), AS_OF)
    assert not the_plan.has_readiness
    codes = {f.code for f in the_plan.agency(CHIYODA).flags}
    assert not codes & {
        FlagCode.READINESS_UNKNOWN,
        FlagCode.PROVISION_NOT_READY,
        FlagCode.QUERY_NOT_READY,
    }


# --- flags: tasks ------------------------------------------------------------------------------


def test_hearing_candidate_for_the_test() -> None:
    """§4: a requested test without evidence by the window's end makes a hearing candidate;
    the 2018 window's end (6/22) is the calendar's assumption (※仮定, J-LIS announces the
    dates), so the flag is a warning, never an error on that date alone."""
    for code in (FlagCode.HEARING_CANDIDATE, FlagCode.HEARING_CANDIDATE_ASSUMED):
        assert not flags(plan_of(agency(test=True), dt.date(2018, 6, 22)), code)
    agency_plan = plan_of(agency(test=True), dt.date(2018, 6, 23))
    assert not flags(agency_plan, FlagCode.HEARING_CANDIDATE)
    flag = only_flag(agency_plan, FlagCode.HEARING_CANDIDATE_ASSUMED)
    assert flag.severity is Severity.WARNING
    assert flag.task == "inter-agency-test"
    assert flag.section == "§4"
    assert flag.message_ja == (
        "「機関間試験を実施する（接続検証環境）」の実施が期限（平成30年6月22日（金）、"
        "資料に日付のない仮定の期限）までに確認できない。"
        "実際の期間が過ぎていれば、総務省から状況のヒアリングを受ける可能性がある。"
    )
    assert flag.message_en == (
        "No evidence of 'Run the inter-agency test (connection-verification environment)' "
        "by 2018-06-22 (Fri), a date the calendar assumes (the source gives none). "
        "The ministry may hold a follow-up interview on it, if the real window is over."
    )
    # After the window: what is left to do, not "run it inside the window". The window's
    # end is the calendar's assumption (§4 gives none): said first, so that nobody gives up
    # a test the real window still allows.
    assert flag.remedies_ja[0].startswith("※過ぎた期限は資料に日付がなく仮定したもの。")
    assert flag.remedies_ja[1].startswith("実施期間が終わると、総務省が期間中のログを確認し")
    assert not [f for f in flags(agency_plan, FlagCode.TASK_OVERDUE) if f.task == flag.task]


def test_hearing_candidate_for_registrations() -> None:
    """A missing registration after the window is a hearing candidate; 2 and 21 say past data.

    The window's declared end (6/30, a Saturday) still counts as inside it: on that day the
    registration is past its planned due date (6/29) but not yet a hearing matter.
    """
    the_agency = agency(provides={2, 8, 21}, delegations={9})
    assert not flags(plan_of(the_agency, dt.date(2018, 6, 29)), FlagCode.HEARING_CANDIDATE)
    on_the_last_day = plan_of(the_agency, dt.date(2018, 6, 30))
    assert not flags(on_the_last_day, FlagCode.HEARING_CANDIDATE)
    assert {f.task for f in flags(on_the_last_day, FlagCode.TASK_OVERDUE)} >= {"register:2"}
    evidence = [proof("register:21", dt.date(2018, 6, 1))]
    agency_plan = plan_of(the_agency, dt.date(2018, 7, 1), evidence=evidence)
    found = {f.task or "": f for f in flags(agency_plan, FlagCode.HEARING_CANDIDATE)}
    assert sorted(found) == ["register:2", "register:8", "register:9"]
    two = found["register:2"]
    assert two.section == "§5"
    assert two.message_ja == (
        "「特定個人情報2番（地方税関係情報）の副本を登録する」の実施が期限（平成30年6月29日（金））まで"
        "に確認できない。過去分を含め、新版のレイアウトで登録する（遡及適用）。"
        # §5: the ministry acts through the prefecture (the calendar's hearing_ja), not by a
        # hearing of its own as for §4's test.
        "総務省から都道府県を通じて、状況の調査・ヒアリングを含む助言等を受ける可能性がある。"
    )
    assert "Include past data, in the new layout" in two.message_en
    said = "may advise the agency through its prefecture, with a survey or a follow-up interview."
    assert two.message_en.endswith(said)
    assert "  " not in two.message_en
    assert "過去分を含め" not in found["register:8"].message_ja
    assert "委任受任が新たに発生" in found["register:9"].message_ja
    assert two.remedies_ja[0].startswith("副本登録期間は終わった。")
    assert "  " not in found["register:8"].message_en


def test_task_overdue() -> None:
    """Any other task past its due date without evidence is a warning, with the remedies."""
    agency_plan = plan_of(agency(), dt.date(2018, 6, 30))
    flag = only_flag(agency_plan, FlagCode.TASK_OVERDUE, "modify-query:local-tax")
    assert flag.severity is Severity.WARNING
    # (Its date is the calendar's: §3 says 「改版までに」, so the message says it is assumed.)
    assert flag.message_ja == (
        "「情報照会に係るシステム改修を完了する（地方税務）」が期限（平成30年6月29日（金）、"
        "資料に日付のない仮定の期限）を過ぎても完了していない。"
    )
    assert flag.message_en == (
        "'Complete the query-side system modification (local tax)' is past its due date "
        "(2018-06-29 (Fri), a date the calendar assumes: the source gives none) and not done."
    )
    assert "中間サーバー接続端末を利用して照会する。" in flag.remedies_ja
    drill = only_flag(agency_plan, FlagCode.TASK_OVERDUE, "all-agency-drill")
    assert drill.section == "§17"
    # One flag per overdue task: 16 modifications, the drill, the self-inspection, the §9
    # contact plan; not the follow-up, unknown without a queries file (§6: 必要に応じて, for
    # pending queries only).
    assert len(flags(agency_plan, FlagCode.TASK_OVERDUE)) == 16 + 3
    follow_up = [f for f in agency_plan.flags if f.task == "follow-up-pending-queries"]
    assert {f.severity for f in follow_up} <= {Severity.INFO}
    assert not flags(agency_plan, FlagCode.HEARING_CANDIDATE)


@pytest.mark.parametrize(
    ("as_of", "task_id"),
    [
        (dt.date(2018, 6, 30), "follow-up-pending-queries"),  # due Fri 6/29
        (dt.date(2018, 7, 9), "withdraw-and-reissue"),  # due Fri 7/6 (an assumed window)
    ],
)
def test_what_the_source_says_to_do_as_needed_is_never_overdue(
    as_of: dt.date, task_id: str
) -> None:
    """§6: 「必要に応じて情報提供者へ問合せを行う」「必要に応じて情報照会の取りやめを行い、7月1日
    以降に再照会する」. Past its date with nothing recorded, such a task was needed or not: its
    status is as-needed, no overdue warning is raised, and it leaves the count of tasks that
    apply, so an agency that had no need of it still reaches 完了 n / n."""

    def task_of(agency_plan: AgencyPlan) -> Task:
        return next(t for t in agency_plan.tasks if t.id == task_id)

    asking = with_query(as_of)
    task = task_of(asking)
    assert task.template.optional
    assert task.status is TaskStatus.AS_NEEDED
    assert task.status.label("ja") == "必要に応じて行う作業（期限までの記録なし）"
    assert not [f for f in asking.flags if f.task == task_id and f.severity >= Severity.WARNING]
    assert task not in asking.applicable
    # The day before its due date it is still a date to know, and counts.
    before = task_of(with_query(task.due.date))
    assert before.status is TaskStatus.DUE_SOON
    # Done, it is done (and counts).
    done = plan(
        timeline(),
        Registry((agency(),), (), (Evidence(agency().code, task_id, as_of, "", 2),)),
        as_of,
        queries=pending(as_of, (agency().code, "130001")),
    ).agency(agency().code)
    assert task_of(done).status is TaskStatus.DONE
    assert task_of(done) in done.applicable


@pytest.mark.parametrize(
    ("as_of", "too_late"),
    [(dt.date(2018, 6, 29), False), (dt.date(2018, 6, 30), False), (dt.date(2018, 7, 1), True)],
)
def test_answer_before_cutoff_remedy_once_too_late(as_of: dt.date, too_late: bool) -> None:
    """Until 6/30 ends, an unanswered request can still be answered: "answer by 6/30". From
    7/1 it cannot (§6), and the remedy says so instead, with the querier's withdrawal."""
    agency_plan = with_query(as_of, agency(provides=[2]), provider=True)
    the_task = task(agency_plan, "answer-before-cutoff:2")
    assert the_task.too_late is too_late
    if as_of == dt.date(2018, 6, 29):
        assert the_task.status is not TaskStatus.OVERDUE
        return
    flag = only_flag(agency_plan, FlagCode.TASK_OVERDUE, "answer-before-cutoff:2")
    answer_by_june_30 = "6月30日までに情報提供する（一時入力を含む）。"
    if too_late:
        assert answer_by_june_30 not in flag.remedies_ja
        assert flag.remedies_ja[0].startswith("7月1日以降は、6月30日以前に受けた提供の求めに")
        assert any("re-issues it from 1 July" in r for r in flag.remedies_en)
        assert any("必要に応じて照会を取りやめ" in r for r in flag.remedies_ja)
    else:
        assert flag.remedies_ja[0] == answer_by_june_30
    assert flag.remedies_ja == the_task.remedies("ja")


def test_too_late_without_its_own_remedies_keeps_the_usual_ones() -> None:
    """A task whose template has no too-late remedies keeps its usual ones after the date."""
    agency_plan = plan_of(agency(), dt.date(2018, 7, 2))
    the_task = task(agency_plan, "modify-query:local-tax")
    assert the_task.too_late
    # Its due date is assumed (§3 gives none), but it was due before the revision, which
    # has come: no "the real date may not have passed".
    assert not the_task.may_still_be_due
    assert the_task.remedies("ja") == the_task.template.remedies_too_late_ja != ()
    plain = attrs.evolve(
        the_task,
        template=attrs.evolve(the_task.template, remedies_too_late_ja=(), remedies_too_late_en=()),
    )
    assert plain.remedies("ja") == the_task.template.remedies_ja != ()
    assert plain.remedies("en") == the_task.template.remedies_en != ()


@pytest.mark.parametrize(
    ("as_of", "first_remedy"),
    [
        (dt.date(2018, 6, 29), "報告された予定では改版までに間に合わない。改修時期を前倒しし"),
        (dt.date(2018, 7, 1), "期限を過ぎても完了していない。直ちに完了させる"),
    ],
)
def test_provision_not_ready_remedy_from_the_revision_day(
    as_of: dt.date, first_remedy: str
) -> None:
    """From 7/1 the flag no longer says to finish "before the revision"."""
    readiness = [ready("local-tax", Side.PROVISION, Status.NOT_STARTED)]
    agency_plan = plan_of(agency(), as_of, readiness=readiness)
    flag = only_flag(agency_plan, FlagCode.PROVISION_NOT_READY, "modify-provision:local-tax")
    assert flag.remedies_ja[0].startswith(first_remedy)


@pytest.mark.parametrize(
    ("status", "planned"),
    [(Status.PLANNED, dt.date(2018, 6, 28)), (Status.NOT_STARTED, None)],
)
def test_evidence_of_a_modification_overrides_the_report(
    status: Status, planned: dt.date | None
) -> None:
    """A modification evidenced done on 6/28 is done, though the report still says planned
    (or not started): no not-ready error telling the agency to finish it, and the §3 table
    counts it ready."""
    from cutover.planning.summary import summarize

    readiness = [ready("local-tax", Side.PROVISION, status, planned)]
    evidence = [proof("modify-provision:local-tax", dt.date(2018, 6, 28))]
    registry = Registry((agency(),), tuple(readiness), tuple(evidence))
    the_plan = plan(timeline(), registry, dt.date(2018, 7, 2))
    agency_plan = the_plan.agency(CHIYODA)
    assert task(agency_plan, "modify-provision:local-tax").status is TaskStatus.DONE
    assert not flags(agency_plan, FlagCode.PROVISION_NOT_READY)
    summary = summarize(the_plan)
    assert summary.not_ready_of(Side.PROVISION).of("local-tax").total == 0


def test_modification_evidenced_after_the_revision_is_late_not_ready() -> None:
    """Done on 7/5, after the revision: no flag telling it to finish (it is done, and
    done-late says when), but the §3 table, "by the revision", counts it not ready."""
    from cutover.planning.summary import summarize

    readiness = [ready("local-tax", Side.QUERY, Status.PLANNED, dt.date(2018, 7, 5))]
    evidence = [proof("modify-query:local-tax", dt.date(2018, 7, 5))]
    registry = Registry((agency(),), tuple(readiness), tuple(evidence))
    the_plan = plan(timeline(), registry, dt.date(2018, 7, 10))
    agency_plan = the_plan.agency(CHIYODA)
    assert not flags(agency_plan, FlagCode.QUERY_NOT_READY)
    late = only_flag(agency_plan, FlagCode.DONE_LATE, "modify-query:local-tax")
    assert late.message_ja.endswith("に完了した。")  # (no hearing for a modification)
    assert summarize(the_plan).not_ready_of(Side.QUERY).of("local-tax").total == 1


def test_evidence_of_a_modification_stands_for_a_missing_report() -> None:
    """No readiness row, but evidence of the modification: it is known, not unknown."""
    from cutover.planning.summary import summarize

    readiness = [ready(s, side, Status.DONE) for s in SYSTEM_IDS for side in Side]
    readiness = [r for r in readiness if (r.system, r.side) != ("nhi", Side.QUERY)]
    evidence = [proof("modify-query:nhi", dt.date(2018, 6, 1))]
    registry = Registry((agency(),), tuple(readiness), tuple(evidence))
    the_plan = plan(timeline(), registry, dt.date(2018, 6, 20))
    assert not flags(the_plan.agency(CHIYODA), FlagCode.READINESS_UNKNOWN)
    assert summarize(the_plan).unknown_of(Side.QUERY).of("nhi").total == 0


@pytest.mark.parametrize(
    ("as_of", "hedged"), [(dt.date(2018, 6, 25), True), (dt.date(2018, 7, 2), False)]
)
def test_assumed_window_end_is_hedged_only_before_the_revision(
    as_of: dt.date, hedged: bool
) -> None:
    """The test window's end (6/22) is assumed: on 6/25 the real window may still be open,
    and the advice says so first; on 7/2 any real window, before the revision, is over."""
    agency_plan = plan_of(agency(test=True), as_of)
    test = task(agency_plan, "inter-agency-test")
    assert test.too_late
    assert test.may_still_be_due is hedged
    assert (
        test.remedies("ja")[0].startswith("※過ぎた期限は資料に日付がなく仮定したもの。") is hedged
    )


@settings(max_examples=30, deadline=None)
@given(as_of=dates(dt.date(2018, 7, 1), dt.date(2019, 3, 31)))
def test_an_assumed_date_the_revision_does_not_bound_stays_hedged(as_of: dt.date) -> None:
    """§13 gives only the month the self-inspection is asked for (May): its assumed 5/31 is
    no date the revision bounds, so after the revision the real one may still be ahead. The
    overdue flag says the date is assumed, and the advice that the real date may not have
    passed comes first (they were dropped from 7/1 on, as for the test window)."""
    agency_plan = plan_of(agency(), as_of)
    inspection = task(agency_plan, "self-inspection")
    assert inspection.too_late
    assert inspection.may_still_be_due
    flag = only_flag(agency_plan, FlagCode.TASK_OVERDUE, "self-inspection")
    assert "資料に日付のない仮定の期限" in flag.message_ja
    assert flag.remedies_ja[0].startswith("※過ぎた期限は資料に日付がなく仮定したもの。")


def test_new_delegation() -> None:
    """A new delegation is an info flag naming its items, with the §5 remedy."""
    flag = only_flag(plan_of(agency(delegations={30, 9})), FlagCode.NEW_DELEGATION)
    assert flag.severity is Severity.INFO
    assert flag.message_ja == (
        "新たな委任受任（特定個人情報 9番・30番）があるため、該当する特定個人情報も副本登録する。"
    )
    assert flag.message_en == "New delegation of item(s) 9, 30: register them too."
    assert flag.remedies_ja == ("副本登録期間内に、委任受任に係る特定個人情報も登録する。",)
    assert flag.section == "§5"
    assert flag.task is None
    assert not flags(plan_of(agency(provides={2})), FlagCode.NEW_DELEGATION)


def test_deadline_moved_once_per_due_event() -> None:
    """One deadline-moved flag per moved due event, on its first task not yet done."""
    agency_plan = plan_of(agency(provides={2, 21}, delegations={9}))
    found = flags(agency_plan, FlagCode.DEADLINE_MOVED)
    assert sorted(f.task or "" for f in found) == [
        "answer-before-cutoff:2",
        "incident-contact-plan",
        "modify-provision:local-tax",
        "register:2",
    ]
    flag = found[0]
    assert flag.severity is Severity.INFO
    assert flag.message_ja == (
        "期限 平成30年6月30日（土） は閉庁日（土曜日）のため、"
        "前の開庁日 平成30年6月29日（金） を期限とする。"
    )
    assert flag.message_en == (
        "The due date 2018-06-30 (Sat) is a closed day (Saturday); the last business day "
        "before it, 2018-06-29 (Fri), is used."
    )
    # The flag carries its code and parameters (dates as dates); the text is made when shown.
    assert flag.parameters == {
        "original": dt.date(2018, 6, 30),
        "closure": DataText("土曜日", "Saturday"),
        "due": dt.date(2018, 6, 29),
    }
    assert flag.message("en") == flag.message_en
    # Once the first task of an event is done, the flag moves to the next one.
    readiness = [ready("local-tax", Side.PROVISION, Status.DONE)]
    evidence = [proof("register:2", dt.date(2018, 6, 1))]
    moved = plan_of(agency(provides={2, 21}), readiness=readiness, evidence=evidence)
    assert sorted(f.task or "" for f in flags(moved, FlagCode.DEADLINE_MOVED)) == [
        "answer-before-cutoff:2",
        "incident-contact-plan",
        "modify-provision:public-assistance",
        "register:21",
    ]


def test_deadline_moved_gone_when_all_done() -> None:
    """An event whose tasks are all done raises no deadline-moved flag."""
    evidence = [proof("register:8", dt.date(2018, 6, 1))]
    agency_plan = plan_of(agency(provides={8}), evidence=evidence)
    assert "register:8" not in {f.task for f in flags(agency_plan, FlagCode.DEADLINE_MOVED)}


def test_assumed_date() -> None:
    """A due date the source does not give is flagged once per event, with the assumption."""
    agency_plan = plan_of(agency(test=True, provides={2}), dt.date(2018, 5, 1))
    found = {f.task or "": f for f in flags(agency_plan, FlagCode.ASSUMED_DATE)}
    assert sorted(found) == [
        "after-switch-checks",
        "incident-contact-plan",
        "inter-agency-test",
        "modify-provision:local-tax",
        "self-inspection",
        "withdraw-and-reissue",
    ]
    test = found["inter-agency-test"]
    assert test.severity is Severity.INFO
    assert test.message_ja.startswith(
        "「機関間試験を実施する（接続検証環境）」の期限 平成30年6月22日（金） は"
        "資料に日付がなく仮定したもの: "
        "§4に実施期間の日付はない"
    )
    assert "is an assumption: §4 gives no dates for the test window" in test.message_en
    assert test.remedies_ja == (
        "J-LIS・総務省から日付が示されればその日付で確認する。"
        "示されない作業（団体の中の準備など）では、この日付は目安。",
    )
    # A done task raises none.
    evidence = [proof("inter-agency-test", dt.date(2018, 5, 8))]
    done = plan_of(agency(test=True), dt.date(2018, 5, 9), evidence=evidence)
    assert "inter-agency-test" not in {f.task for f in flags(done, FlagCode.ASSUMED_DATE)}


def test_evidence_unknown_task() -> None:
    """Evidence naming a task the agency does not have is flagged, with "did you mean"."""
    evidence = [proof("regster:21", dt.date(2018, 6, 1), line=3)]
    agency_plan = plan_of(agency(provides={2, 21}), evidence=evidence)
    flag = only_flag(agency_plan, FlagCode.EVIDENCE_UNKNOWN_TASK)
    assert flag.severity is Severity.WARNING
    assert flag.task == "regster:21"
    assert flag.message_ja == (
        "evidence 3行目の作業「regster:21」はこの団体の作業にない"
        "（「register:21」のことですか？）。"
    )
    assert flag.message_en == (
        "Evidence row (evidence line 3) names task 'regster:21', which this agency does not "
        "have (did you mean 'register:21'?)."
    )
    assert flag.remedies_en == ("Use the task id shown in the checklist.",)
    # The misnamed evidence completes nothing.
    assert task(agency_plan, "register:21").status is TaskStatus.DUE_SOON


def test_evidence_for_a_task_the_agency_lacks() -> None:
    """Evidence of a test the agency did not ask for is flagged, once per evidence row."""
    evidence = [
        proof("inter-agency-test", dt.date(2018, 6, 1), line=2),
        proof("inter-agency-test", dt.date(2018, 6, 2), line=3),
    ]
    found = flags(plan_of(agency(), evidence=evidence), FlagCode.EVIDENCE_UNKNOWN_TASK)
    assert [f.task for f in found] == ["inter-agency-test"] * 2
    assert ["2行目" in found[0].message_ja, "3行目" in found[1].message_ja] == [True, True]


def test_evidence_of_a_test_not_asked_for_says_where_to_correct() -> None:
    """The flag names agencies.csv's test_requested, not another task to relabel the row as."""
    evidence = [proof("inter-agency-test", dt.date(2018, 6, 1))]
    (flag,) = flags(plan_of(agency(), evidence=evidence), FlagCode.EVIDENCE_UNKNOWN_TASK)
    assert "(agencies.csv says no in test_requested)" in flag.message_en
    assert flag.remedies_en[0].startswith("If it asked for a test, write yes in test_requested")


@pytest.mark.parametrize(
    ("task_id", "why", "fix"),
    [
        # A log line of item 3: never "did you mean register:8" (a registration it did not do).
        (
            "register:3",
            "item 3 is not revised, and agencies.csv has no new delegation of it",
            "If a new delegation of item 3 arose, add 3 to new_delegations",
        ),
        (
            "register:21",
            "agencies.csv does not list item 21 among what it provides",
            "If it provides item 21, add 21 to provides in agencies.csv (to new_delegations",
        ),
        ("register", "the task id lacks its item number", "as register:2"),
        ("answer-before-cutoff:8", "item 8 is not under the cutoff rule (items 2, 21)", "Correct"),
    ],
)
def test_evidence_for_an_item_the_agency_lacks_never_names_another(
    task_id: str, why: str, fix: str
) -> None:
    """A per-item task of the calendar the agency lacks is explained, never matched to the
    agency's task for another item."""
    evidence = [proof(task_id, dt.date(2018, 6, 5))]
    the_plan = plan_of(agency(provides={2, 8}), evidence=evidence)
    (flag,) = flags(the_plan, FlagCode.EVIDENCE_UNKNOWN_TASK)
    assert f"({why})" in flag.message_en
    assert "did you mean" not in flag.message_en
    assert fix in flag.remedies_en[0]


@pytest.mark.parametrize(
    ("task_id", "why", "fix"),
    [
        # The agency has these tasks: the row is mistyped, the registry is not to blame.
        (
            "inter-agency-test:2",
            "inter-agency-test takes no item or system",
            "Write the task id as inter-agency-test.",
        ),
        (
            "modify-query:xyz",
            "business system 'xyz' is not one of the revision's",
            "Write one of local-tax, ",
        ),
        ("register:二", "'二' is not an item number", "Write the item number, as register:2."),
    ],
)
def test_evidence_with_a_bad_qualifier_is_not_sent_to_the_registry(
    task_id: str, why: str, fix: str
) -> None:
    """A qualifier the task cannot take is the row's fault: never "check provides"."""
    evidence = [proof(task_id, dt.date(2018, 6, 5))]
    the_plan = plan_of(agency(test=True, provides={2}), evidence=evidence)
    (flag,) = flags(the_plan, FlagCode.EVIDENCE_UNKNOWN_TASK)
    assert f"({why})" in flag.message_en
    assert flag.remedies_en[0].startswith(fix)
    assert "provides" not in flag.remedies_en[0]


def test_log_rows_are_never_to_be_edited() -> None:
    """A log line of an item the agency lacks, or dated after the as-of date, is advised on
    through the registry and the as-of date: the operator's log is nobody's to correct."""
    row = Evidence(CHIYODA, "register:3", dt.date(2018, 6, 5), "", 3, "reg.csv", log=True)
    (flag,) = flags(plan_of(agency(provides={2}), evidence=[row]), FlagCode.EVIDENCE_UNKNOWN_TASK)
    assert flag.remedies_en[0].endswith("the log is the operator's and is not edited.")
    assert "correct the evidence row" not in flag.remedies_en[0]
    later = Evidence(CHIYODA, "register:2", dt.date(2018, 6, 25), "", 4, "reg.csv", log=True)
    the_plan = plan_of(agency(provides={2}), dt.date(2018, 6, 20), evidence=[later])
    (flag,) = flags(the_plan, FlagCode.EVIDENCE_AFTER_AS_OF)
    assert flag.remedies_en[0] == (
        "The date is the operator's log's (not edited): check the as-of date."
    )


def test_done_late() -> None:
    """Evidence dated after the due date completes the task with an info flag; a test (a
    task the ministry may hear about, §4) run only after its window says that the ministry
    may hear from the agency all the same, as the hearings list does — if the real window
    was over by then: its end (6/22) is the calendar's assumption."""
    evidence = [proof("inter-agency-test", dt.date(2018, 6, 25))]
    agency_plan = plan_of(agency(test=True), dt.date(2018, 6, 26), evidence=evidence)
    assert task(agency_plan, "inter-agency-test").status is TaskStatus.DONE
    flag = only_flag(agency_plan, FlagCode.DONE_LATE)
    assert flag.severity is Severity.INFO
    assert flag.task == "inter-agency-test"
    assert flag.message_ja == (
        "「機関間試験を実施する（接続検証環境）」は期限（平成30年6月22日（金））後の平成30年6月25日（月）に完了した。"
        "期限は資料に日付のない仮定のもの。実際の期間がこの日までに終わっていれば、"
        "期間中の実施としては確認されないため、総務省から状況のヒアリングを受ける可能性がある。"
    )
    assert flag.message_en.endswith(
        "was done on 2018-06-25 (Mon), after its due date (2018-06-22 (Fri)). The due date is "
        "one the calendar assumes (the source gives none): if the real window was over by "
        "then, it was not done in the window. The ministry may hold a follow-up interview on "
        "it, in that case."
    )
    assert not flags(agency_plan, FlagCode.HEARING_CANDIDATE)
    on_time = [proof("inter-agency-test", dt.date(2018, 6, 22))]
    assert not flags(
        plan_of(agency(test=True), dt.date(2018, 6, 26), evidence=on_time), FlagCode.DONE_LATE
    )


def test_evidence_not_counted() -> None:
    """A 0-record log line dated by as-of is flagged on a task not done, and completes nothing."""
    attempt = Attempt(CHIYODA, "register:2", dt.date(2018, 6, 1), AttemptReason.ZERO_RECORDS, 3)
    registry = Registry((agency(provides={2}),), attempts=(attempt,))
    agency_plan = plan(timeline(), registry, AS_OF).agency(CHIYODA)
    assert task(agency_plan, "register:2").status is TaskStatus.DUE_SOON
    flag = only_flag(agency_plan, FlagCode.EVIDENCE_NOT_COUNTED)
    assert flag.severity is Severity.WARNING
    assert flag.task == "register:2"
    assert "登録件数0件" in flag.message_ja
    assert "registered with 0 records" in flag.message_en
    assert agency_plan.attempts == (attempt,)
    # Not yet known before its date.
    before = plan(timeline(), registry, dt.date(2018, 5, 31)).agency(CHIYODA)
    assert not flags(before, FlagCode.EVIDENCE_NOT_COUNTED)


def test_uncounted_log_line_of_a_task_the_agency_does_not_have() -> None:
    """A failed test logged for an agency that asked for none, and a 0-record line of an
    item it does not provide, are lines of tasks it does not have: said so, with the
    registry as what to check (as a counted line of them is), never "run the test again"
    nor a task id where its title belongs."""
    failed = Attempt(
        CHIYODA, "inter-agency-test", dt.date(2018, 6, 1), AttemptReason.FAILED_TEST, 2, "t.csv"
    )
    zero = Attempt(
        CHIYODA, "register:8", dt.date(2018, 6, 1), AttemptReason.ZERO_RECORDS, 3, "r.csv"
    )
    registry = Registry((agency(test=False, provides={2}),), attempts=(failed, zero))
    agency_plan = plan(timeline(), registry, AS_OF).agency(CHIYODA)
    assert not flags(agency_plan, FlagCode.EVIDENCE_NOT_COUNTED)
    unknown = {f.task: f for f in flags(agency_plan, FlagCode.EVIDENCE_UNKNOWN_TASK)}
    assert set(unknown) == {"inter-agency-test", "register:8"}
    test = unknown["inter-agency-test"]
    assert "t.csv 2行目の作業「inter-agency-test」はこの団体の作業にない" in test.message_ja
    assert "test_requested" in test.message_ja
    assert "ログは運用主体のもので直さない" in test.remedies("ja")[0]
    assert "r.csv 3行目" in unknown["register:8"].message_ja


# --- flags: order ------------------------------------------------------------------------------


def busy_plan() -> AgencyPlan:
    """Return the plan of an agency with flags of every severity, as of 6/25."""
    readiness = [
        ready("nhi", Side.PROVISION, Status.NOT_STARTED),
        ready("local-tax", Side.QUERY, Status.NOT_STARTED),
        ready("health", Side.QUERY, Status.PLANNED, dt.date(2018, 7, 15)),
    ]
    evidence = [
        proof("regster:21", dt.date(2018, 6, 1), line=2),
        proof("register:2", dt.date(2018, 5, 1), line=3),
    ]
    return plan_of(
        agency(test=True, provides={2, 21}, delegations={9}),
        dt.date(2018, 6, 25),
        readiness=readiness,
        evidence=evidence,
    )


def test_flags_sorted_by_severity_code_task() -> None:
    """Flags come errors first, then warnings, then info; by code and task within each."""
    flags_ = busy_plan().flags
    keys = [(-f.severity.rank, f.code.value, f.task or "") for f in flags_]
    assert keys == sorted(keys)
    severities = [f.severity for f in flags_]
    assert severities[0] is Severity.ERROR
    assert severities[-1] is Severity.INFO
    assert {Severity.WARNING} <= set(severities)
    # (The missing test is a warning: its window's end is assumed, §4.)
    assert [f.code for f in flags_ if f.severity is Severity.ERROR] == [
        FlagCode.PROVISION_NOT_READY,
    ]
    assert FlagCode.HEARING_CANDIDATE_ASSUMED in [f.code for f in flags_]
    assert [f.task for f in flags(busy_plan(), FlagCode.QUERY_NOT_READY)] == [
        "modify-query:health",
        "modify-query:local-tax",
    ]


def test_plan_deterministic() -> None:
    """The same inputs give an equal plan, whatever the order of the registry's agencies."""
    first = busy_plan()
    assert busy_plan() == first
    agencies = (agency(TOKYO, kind=Kind.PREFECTURE), agency(), agency(code("13102")))
    one = plan(timeline(), Registry(agencies), AS_OF)
    two = plan(timeline(), Registry(tuple(reversed(agencies))), AS_OF)
    assert one == two
    assert [a.agency.code for a in one.agencies] == [TOKYO, CHIYODA, "131024"]


def test_plan_agency_lookup() -> None:
    """Plan.agency finds an agency by code and raises KeyError for an unknown one."""
    the_plan = plan(timeline(), Registry((agency(),)), AS_OF)
    assert the_plan.agency(CHIYODA).agency.code == CHIYODA
    assert the_plan.as_of == AS_OF
    assert the_plan.queries is None
    assert the_plan.agency(CHIYODA).queries is None
    with pytest.raises(KeyError):
        the_plan.agency(TOKYO)


def test_agency_plan_counts_done() -> None:
    """AgencyPlan.done counts the done tasks."""
    readiness = [ready(s, Side.PROVISION, Status.DONE) for s in SYSTEM_IDS]
    assert plan_of(agency(), readiness=readiness).done == 8


def test_readiness_rows_kept_sorted() -> None:
    """The agency's readiness reports are kept, sorted by side and system."""
    readiness = [
        ready("nhi", Side.QUERY, Status.DONE),
        ready("health", Side.PROVISION, Status.DONE),
        ready("child-welfare", Side.QUERY, Status.DONE),
    ]
    found = plan_of(agency(), readiness=readiness).readiness
    assert [(r.side, r.system) for r in found] == sorted((r.side, r.system) for r in readiness)


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry=registries(), as_of=dates(dt.date(2018, 4, 1), dt.date(2018, 8, 31)))
def test_plan_properties(registry: Registry, as_of: dt.date) -> None:
    """For random registries, plans hold the invariants a coordinator relies on."""
    the_plan = plan(timeline(), registry, as_of)
    assert [a.agency.code for a in the_plan.agencies] == sorted(a.code for a in registry.agencies)
    for agency_plan in the_plan.agencies:
        task_ids = [t.id for t in agency_plan.tasks]
        assert len(task_ids) == len(set(task_ids))
        by_task = Counter((f.code, f.task) for f in agency_plan.flags)
        for t in agency_plan.tasks:
            hearing = by_task[(FlagCode.HEARING_CANDIDATE, t.id)]
            # (Only a window's end the calendar assumes makes the warning, §4/§5.)
            assumed = by_task[(FlagCode.HEARING_CANDIDATE_ASSUMED, t.id)]
            assert not (assumed and t.assumption is None)
            hearing += assumed
            overdue = by_task[(FlagCode.TASK_OVERDUE, t.id)]
            if t.status is TaskStatus.OVERDUE:
                # A hearing once the declared window is over; before that (its closed last
                # day), only overdue against the planned business-day due date.
                # A modification reported not ready carries that flag instead.
                window_over = as_of > t.due.original
                not_ready = (
                    by_task[(FlagCode.PROVISION_NOT_READY, t.id)]
                    + by_task[(FlagCode.QUERY_NOT_READY, t.id)]
                )
                expected = (1, 0) if t.hearing and window_over else (0, 0 if not_ready else 1)
                assert (hearing, overdue) == expected
            else:
                assert (hearing, overdue) == (0, 0)
            if t.status is TaskStatus.DONE:
                assert t.done_on is not None or t.status_source == "readiness"
                assert t.done_on is None or t.done_on <= as_of
        ranks = [f.severity.rank for f in agency_plan.flags]
        assert ranks == sorted(ranks, reverse=True)
    assert plan(timeline(), registry, as_of) == the_plan
    reordered = Registry(tuple(reversed(registry.agencies)), registry.readiness, registry.evidence)
    assert plan(timeline(), reordered, as_of).agencies == the_plan.agencies


def test_registration_on_the_windows_closed_last_day_is_not_late() -> None:
    """Evidence dated 6/30 (a Saturday, the window's declared end) is inside the window."""
    evidence = [proof("register:2", dt.date(2018, 6, 30))]
    agency_plan = plan_of(agency(provides={2}), dt.date(2018, 7, 2), evidence=evidence)
    task = next(t for t in agency_plan.tasks if t.id == "register:2")
    assert task.status is TaskStatus.DONE
    assert task.done_on == dt.date(2018, 6, 30)
    assert not [f for f in flags(agency_plan, FlagCode.DONE_LATE) if f.task == "register:2"]
    later = [proof("register:2", dt.date(2018, 7, 1))]
    late_plan = plan_of(agency(provides={2}), dt.date(2018, 7, 2), evidence=later)
    assert [f.task for f in flags(late_plan, FlagCode.DONE_LATE)] == ["register:2"]


def test_early_evidence_is_not_flagged_when_later_evidence_completes_the_task() -> None:
    """A too-early row is only worth a warning while nothing else completes the task."""
    rows = [proof("register:2", dt.date(2018, 5, 1)), proof("register:2", dt.date(2018, 6, 1))]
    agency_plan = plan_of(agency(provides={2}), dt.date(2018, 6, 25), evidence=rows)
    assert not flags(agency_plan, FlagCode.EVIDENCE_BEFORE_WINDOW)
    alone = plan_of(agency(provides={2}), dt.date(2018, 6, 25), evidence=rows[:1])
    assert [f.task for f in flags(alone, FlagCode.EVIDENCE_BEFORE_WINDOW)] == ["register:2"]


def test_flags_repeat_as_one_value() -> None:
    """Two agencies with the same finding hold equal flags (code, parameters, remedies), so
    that its text is worked out once however many agencies have it."""
    one = plan_of(agency(provides={2}))
    other = plan_of(agency("131024", provides={2}))
    first = only_flag(one, FlagCode.DEADLINE_MOVED, "register:2")
    second = only_flag(other, FlagCode.DEADLINE_MOVED, "register:2")
    assert first == second
    assert hash(first) == hash(second)
    assert first.remedies("ja") == second.remedies("ja")


# --- §3: a task that will be late says so -----------------------------------------------------


@pytest.mark.parametrize(
    ("report", "said_ja", "said_en"),
    [
        (
            ready("local-tax", Side.PROVISION, Status.PLANNED, dt.date(2018, 8, 12)),
            "遅延見込み（報告: 完了予定 平成30年8月12日（日））",
            "will be late (reported: planned for 2018-08-12 (Sun))",
        ),
        (
            ready("local-tax", Side.PROVISION, Status.NOT_STARTED),
            "遅延見込み（報告: 未着手）",
            "will be late (reported: not started)",
        ),
    ],
)
def test_modification_reported_late_says_so(report: Readiness, said_ja: str, said_en: str) -> None:
    """§3: a provision-side modification reported planned for 2018-08-12 or not started
    (未着手) is not 'due soon' on 6/29, the last business day: it is late-expected, the task
    shows the report, and its remedies are to bring it forward and tell the prefecture,
    not the on-schedule 「現在の予定どおり…」."""
    from cutover.render.plan import TaskViews

    for as_of in (dt.date(2018, 6, 20), dt.date(2018, 6, 29)):
        agency_plan = plan_of(agency(), as_of, readiness=[report])
        modify = task(agency_plan, "modify-provision:local-tax")
        assert modify.status is TaskStatus.LATE_EXPECTED
        assert modify.reported == report
        assert modify.status.label("ja") == "遅延見込み"
        ja, en = TaskViews("ja", as_of)(modify), TaskViews("en", as_of)(modify)
        assert ja.status == said_ja
        assert en.status == said_en
        assert ja.status_id == "late-expected"
        assert ja.remedies[0].startswith(
            "報告された予定では改版までに間に合わない。改修時期を前倒し"
        )
        assert "都道府県の担当に報告" in ja.remedies[1]
        assert not any("現在の予定どおり" in r for r in ja.remedies)
        assert en.remedies[0].startswith("The reported plan will not be ready")
        # The §3 flag gives the same remedies before the revision.
        flag = only_flag(agency_plan, FlagCode.PROVISION_NOT_READY, "modify-provision:local-tax")
        assert flag.remedies_ja == ja.remedies
    # From Saturday 6/30 the last business day (Fri 6/29) has passed: overdue, as before; from
    # Sunday 7/1, too late, with what is left to do.
    for as_of in (dt.date(2018, 6, 30), dt.date(2018, 7, 1), dt.date(2018, 7, 2)):
        overdue = task(plan_of(agency(), as_of, readiness=[report]), "modify-provision:local-tax")
        assert overdue.status is TaskStatus.OVERDUE
        assert overdue.too_late is (as_of > dt.date(2018, 6, 30))
    assert overdue.reported is None


def test_modification_on_schedule_stays_due_soon() -> None:
    """§3: a modification planned for 6/29 or 6/30 (on or before its due date as written)
    is on track: due soon, with the source's on-schedule remedy; only the query side's
    remedies (bring forward, the intermediate-server terminal) fit a late query side."""
    for planned in (dt.date(2018, 6, 29), dt.date(2018, 6, 30)):
        report = ready("local-tax", Side.PROVISION, Status.PLANNED, planned)
        modify = task(
            plan_of(agency(), dt.date(2018, 6, 25), readiness=[report]),
            "modify-provision:local-tax",
        )
        assert modify.status is TaskStatus.DUE_SOON
        assert modify.reported is None
        assert modify.remedies("ja")[0].startswith("現在の予定どおり")
    late_query = ready("health", Side.QUERY, Status.PLANNED, dt.date(2018, 9, 28))
    query = task(
        plan_of(agency(), dt.date(2018, 6, 25), readiness=[late_query]), "modify-query:health"
    )
    assert query.status is TaskStatus.LATE_EXPECTED
    assert "中間サーバー接続端末" in query.remedies("ja")[1]


# --- §2: システム改修, 機関間試験, 副本登録, in that order ----------------------------------------


@pytest.mark.parametrize(
    ("rows", "flagged"),
    [
        # registered 6/1, the local-tax provision side modified 6/8: before it
        (
            (
                ("register:2", dt.date(2018, 6, 1)),
                ("modify-provision:local-tax", dt.date(2018, 6, 8)),
            ),
            True,
        ),
        # the same day: after the modification (in the new layout)
        (
            (
                ("register:2", dt.date(2018, 6, 8)),
                ("modify-provision:local-tax", dt.date(2018, 6, 8)),
            ),
            False,
        ),
        # registered again after it: the later registration counts
        (
            (
                ("register:2", dt.date(2018, 6, 1)),
                ("register:2", dt.date(2018, 6, 11)),
                ("modify-provision:local-tax", dt.date(2018, 6, 8)),
            ),
            False,
        ),
        # the modification not done as of the as-of date
        ((("register:2", dt.date(2018, 6, 1)),), True),
    ],
)
def test_registration_before_its_modification_is_flagged(
    rows: tuple[tuple[str, dt.date], ...], flagged: bool
) -> None:
    """§2 orders the work システム改修, 機関間試験, 副本登録: item 2's registration evidenced only
    before the provision side of its system (地方税務) is modified is flagged
    evidence-before-modification (a warning); the task stays done."""
    evidence = [proof(t, d, line=i + 2) for i, (t, d) in enumerate(rows)]
    agency_plan = plan_of(agency(provides=[2]), dt.date(2018, 6, 20), evidence=evidence)
    assert task(agency_plan, "register:2").status is TaskStatus.DONE
    found = flags(agency_plan, FlagCode.EVIDENCE_BEFORE_MODIFICATION)
    assert bool(found) is flagged
    if flagged:
        (flag,) = found
        assert flag.task == "register:2"
        assert flag.severity is Severity.WARNING
        assert flag.section == "§2"
        assert "「情報提供に係るシステム改修を完了する（地方税務）」" in flag.message_ja
        assert "新版のレイアウトによらないおそれ" in flag.message_ja
        done = any(t == "modify-provision:local-tax" for t, _ in rows)
        assert ("まだ完了していない" in flag.message_ja) is not done
        assert flag.remedies_ja[0].startswith("改修の完了より前の試験・登録が新版の")


def test_modification_reported_done_without_a_date_is_not_judged() -> None:
    """§2: a provision side reported done (readiness.csv, no date) gives no date to compare:
    no flag on the registration."""
    agency_plan = plan_of(
        agency(provides=[2]),
        readiness=[ready("local-tax", Side.PROVISION, Status.DONE)],
        evidence=[proof("register:2", dt.date(2018, 6, 1))],
    )
    assert not flags(agency_plan, FlagCode.EVIDENCE_BEFORE_MODIFICATION)


def test_test_before_modification_of_provided_items_is_flagged() -> None:
    """§2: the inter-agency test comes after the provision-side modification of the systems
    behind the items the agency provides (item 8: 障害福祉); the test's and each
    registration's checklist note names what comes first."""
    evidence = [
        proof("inter-agency-test", dt.date(2018, 6, 1), line=2),
        proof("modify-provision:disability-welfare", dt.date(2018, 6, 5), line=3),
    ]
    agency_plan = plan_of(agency(test=True, provides=[8]), evidence=evidence)
    (flag,) = flags(agency_plan, FlagCode.EVIDENCE_BEFORE_MODIFICATION)
    assert flag.task == "inter-agency-test"
    assert "（障害福祉）" in flag.message_ja
    test_task = task(agency_plan, "inter-agency-test")
    assert test_task.first_ja == (
        "§2 は作業をシステム改修、機関間試験、副本登録の順に挙げる。"
        "「情報提供に係るシステム改修を完了する（障害福祉）」より前の試験・登録は、"
        "新版のレイアウトによらないおそれがある。"
    )
    register = task(agency_plan, "register:8")
    assert "（障害福祉）" in register.first_ja
    assert "modification" in register.first_en
    # The checklist shows it among the task's notes.
    from cutover.render.plan import task_view

    assert task_view(register, "ja").notes[-1] == register.first_ja
    # An agency that provides no revised item has nothing to modify first for its test.
    bare = plan_of(agency(test=True), evidence=[proof("inter-agency-test", dt.date(2018, 6, 1))])
    assert task(bare, "inter-agency-test").first_ja == ""
    assert not flags(bare, FlagCode.EVIDENCE_BEFORE_MODIFICATION)


def test_calendar_after_names_a_per_system_task() -> None:
    """A task's `after` must name a per-system task of the calendar, or the calendar is refused
    at its key path with a suggestion."""
    from cutover.errors import CutoverError

    text = (Path(__file__).parent.parent / "calendars" / "2018-07.toml").read_text(encoding="utf-8")
    bad = text.replace(
        'after = ["modify-provision"]\nsection = "§5"',
        'after = ["modify-provison"]\nsection = "§5"',
    )
    assert bad != text
    with pytest.raises(CutoverError) as caught:
        parse_calendar(bad)
    said = caught.value.text("en")
    assert "after[0]" in said
    assert "modify-provision" in said


def test_agencies_in_the_same_state_keep_their_own_report() -> None:
    """Agencies whose tasks are in the same state share one task (the planner's cache), but
    a late-expected task's report (`Task.reported`) is each agency's own: its code and its
    line, never the first agency's."""
    codes = [CHIYODA, f"13102{check_digit('13102')}", f"13103{check_digit('13103')}"]
    agencies = [agency(code) for code in codes]
    readiness = [
        attrs.evolve(ready("local-tax", Side.PROVISION, Status.NOT_STARTED, agency_code=c), line=n)
        for n, c in enumerate(codes, start=2)
    ]
    the_plan = plan(timeline(), Registry(tuple(agencies), tuple(readiness)), AS_OF)
    for agency_plan, report in zip(the_plan.agencies, readiness, strict=True):
        modify = task(agency_plan, "modify-provision:local-tax")
        assert modify.status is TaskStatus.LATE_EXPECTED
        assert modify.reported == report


def test_overdue_by_an_assumed_date_says_so() -> None:
    """§13 names only the month in which the self-inspection is asked for (「平成30年度は5月に
    情報提供NWS運営主体から作業依頼」): its 5/31 is the calendar's assumption (※仮定). Past it,
    `task-overdue` says the date is assumed, in its message and first remedy, as it does for a
    task with remedies for too late; a date the source gives (the drill, 5/23) is not hedged."""
    as_of = dt.date(2018, 6, 1)
    agency_plan = plan(timeline(), Registry((agency(),), (), ()), as_of).agency(CHIYODA)
    assumed = only_flag(agency_plan, FlagCode.TASK_OVERDUE, "self-inspection")
    assert "平成30年5月31日（木）、資料に日付のない仮定の期限" in assumed.message("ja")
    assert "a date the calendar assumes" in assumed.message("en")
    assert assumed.remedies_ja[0].startswith("※過ぎた期限は資料に日付がなく仮定したもの。")
    assert assumed.remedies_en[0].startswith("※ The date that passed is an assumption")
    certain = only_flag(agency_plan, FlagCode.TASK_OVERDUE, "all-agency-drill")
    assert certain.message("ja") == (
        "「全機関訓練に参加する（情報共有サイトで異常事象の発生状況を閲覧）」が期限"
        "（平成30年5月23日（水））を過ぎても完了していない。"
    )
    assert not certain.remedies_ja[0].startswith("※")
    # Saturday 6/30: past the weekend contact plan's assumed 6/29 (§9 gives no date), not yet
    # past the day it was moved from — the message says the date is assumed all the same.
    weekend = plan(timeline(), Registry((agency(),), (), ()), dt.date(2018, 6, 30))
    contact = only_flag(weekend.agency(CHIYODA), FlagCode.TASK_OVERDUE, "incident-contact-plan")
    assert "平成30年6月29日（金）、資料に日付のない仮定の期限" in contact.message("ja")


@pytest.mark.parametrize("status", [Status.PLANNED, Status.NOT_STARTED])
def test_provision_not_ready_by_an_assumed_effective_date_is_a_warning(status: Status) -> None:
    """§2 dates the November 2018 master delivery to the month (「平成30年11月」): its calendar
    assumes 11/1 (※仮定). A provision side not ready by that day is judged against a date the
    source does not give: a warning (`provision-not-ready-assumed`) that says so, not the
    error of a date the source gives, and `--fail-on error` is not met by it."""
    november = build_timeline(load_calendar("2018-11"))
    assert november.calendar.revision.assumption
    planned = dt.date(2018, 11, 15) if status is Status.PLANNED else None
    registry = Registry(
        (agency(provides=[2]),), (ready("local-tax", Side.PROVISION, status, planned),), ()
    )
    agency_plan = plan(november, registry, dt.date(2018, 10, 1)).agency(CHIYODA)
    assert not flags(agency_plan, FlagCode.PROVISION_NOT_READY)
    flag = only_flag(agency_plan, FlagCode.PROVISION_NOT_READY_ASSUMED)
    assert flag.severity is Severity.WARNING
    assert "資料に日付のない仮定の日付" in flag.message("ja")
    assert "a date the calendar assumes" in flag.message("en")
    assert not [f for f in agency_plan.flags if f.severity is Severity.ERROR]
    # The query side (a warning already) says so too: it named 改版（11/1） as the source's.
    registry = Registry(
        (agency(provides=[2]),), (ready("local-tax", Side.QUERY, status, planned),), ()
    )
    query = plan(november, registry, dt.date(2018, 10, 1)).agency(CHIYODA)
    flag = only_flag(query, FlagCode.QUERY_NOT_READY)
    assert "平成30年11月1日（木）、資料に日付のない仮定の日付" in flag.message("ja")
    assert "2018-11-01 (Thu), a date the calendar assumes" in flag.message("en")
    if status is Status.PLANNED:
        # Planned for 10/10, undone on 10/11: to confirm, done by the day the calendar
        # assumes, said so (the advice gave 改版（11/1） as the ministry's date).
        early = (ready("local-tax", Side.PROVISION, status, dt.date(2018, 10, 10)),)
        registry = Registry((agency(provides=[2]),), early, ())
        passed = plan(november, registry, dt.date(2018, 10, 11)).agency(CHIYODA)
        flag = only_flag(passed, FlagCode.READINESS_PLAN_PASSED)
        assert "資料に日付のない仮定の日付" in flag.remedies("ja")[0]
        assert "a date the calendar assumes" in flag.remedies("en")[0]


#: A master delivery whose test window is worked out (ten business days after the change
#: requests close) from a closing day the calendar assumes; the window itself says nothing
#: of an assumption: its date is assumed all the same.
_DERIVED_FROM_ASSUMED = """
[revision]
id = "derived"
title_ja = "マスター配信（試験用）"
title_en = "Master delivery (test)"
kind = "master-delivery"
effective = "2019-11-01"
source = "test source"
section = "§2"

[[events]]
id = "change-requests"
type = "window"
title_ja = "変更申請の受付"
title_en = "Change requests"
start = "2019-05-21"
end = "2019-08-30"
section = "§2"
assumption = "受付の終了日は仮定。"
assumption_en = "The closing day is assumed."

[[events]]
id = "inter-agency-test"
type = "window"
title_ja = "機関間試験"
title_en = "Inter-agency test"
after = [{ event = "change-requests", lag = "10bd" }]
duration = "20bd"
section = "§4"

[[tasks]]
id = "inter-agency-test"
when = { test_requested = true }
title_ja = "機関間試験を実施する"
title_en = "Run the inter-agency test"
window = "inter-agency-test"
due = "inter-agency-test"
hearing = true
section = "§4"
"""


def test_a_due_date_worked_out_from_an_assumed_one_makes_no_error() -> None:
    """A test window derived from an assumed date is assumed too: missing it by its planned
    end (Tue 2019-10-15) makes the hedged warning, never the hearing-candidate error."""
    tl = build_timeline(parse_calendar(_DERIVED_FROM_ASSUMED, "derived.toml"))
    agency_plan = plan_of(agency(test=True), dt.date(2019, 11, 5), on=tl)
    made = task(agency_plan, "inter-agency-test")
    assert made.due.date == dt.date(2019, 10, 15)
    assert made.assumption_in("en") == "The closing day is assumed."
    assert not flags(agency_plan, FlagCode.HEARING_CANDIDATE)
    assert only_flag(agency_plan, FlagCode.HEARING_CANDIDATE_ASSUMED).severity is Severity.WARNING
    assert all(f.severity is not Severity.ERROR for f in agency_plan.flags)


@pytest.mark.parametrize("as_of", [dt.date(2018, 11, 1), dt.date(2018, 11, 5), dt.date(2019, 3, 1)])
def test_an_overdue_assumed_date_stays_assumed_after_the_revision(as_of: dt.date) -> None:
    """The November 2018 calendar assumes the ends of its change requests (8/31), its test
    window (10/16) and its registration (10/31): once the delivery (11/1) has come, the real
    dates are over too, so the advice that they may not be drops, but the overdue warning
    still says each date is assumed (it said 「期限（平成30年8月31日（金））」 as a fact). An
    assumed date still makes no error on its own."""
    on = build_timeline(load_calendar("2018-11"))
    agency_plan = plan_of(agency(test=True, provides=[2], delegations=[2]), as_of, on=on)
    for task_id, due in (
        ("change-request", "平成30年8月31日（金）"),
        ("inter-agency-test", "平成30年10月16日（火）"),
        ("register:2", "平成30年10月31日（水）"),
    ):
        the_task = task(agency_plan, task_id)
        assert the_task.due_assumed
        assert not the_task.may_still_be_due
        flag = only_flag(agency_plan, FlagCode.TASK_OVERDUE, task_id)
        assert f"期限（{due}、資料に日付のない仮定の期限）" in flag.message_ja
        assert "a date the calendar assumes: the source gives none" in flag.message_en
        assert flag.severity is Severity.WARNING
        assert not any(r.startswith("※過ぎた期限は資料に日付がなく") for r in flag.remedies_ja)
    assert not [f for f in agency_plan.flags if f.severity is Severity.ERROR]


@pytest.mark.parametrize("assumed", [True, False])
def test_a_master_delivery_names_its_effective_date_as_the_calendar_does(assumed: bool) -> None:
    """A master delivery is no layout revision: its calendar and timeline call the day it
    takes effect its 適用開始日, as the provision side's flag did; the query side's said
    「改版（平成30年11月1日（木）、…）までに」. Both sides name it so, assumed (the shipped
    calendar, which says so) or given; a layout revision's flags still say 改版, as §3 does."""
    calendar = load_calendar("2018-11")
    if not assumed:
        calendar = attrs.evolve(
            calendar,
            revision=attrs.evolve(calendar.revision, assumption=None, assumption_en=None),
        )
    november = build_timeline(calendar)
    readiness = tuple(
        ready("local-tax", side, Status.NOT_STARTED) for side in (Side.PROVISION, Side.QUERY)
    )
    registry = Registry((agency(provides=[2]),), readiness, ())
    agency_plan = plan(november, registry, dt.date(2018, 10, 1)).agency(CHIYODA)
    day_ja, day_en = "平成30年11月1日（木）", "2018-11-01 (Thu)"
    if assumed:
        day_ja += "、資料に日付のない仮定の日付"
        day_en += ", a date the calendar assumes: the source gives none"
    provision_code = (
        FlagCode.PROVISION_NOT_READY_ASSUMED if assumed else FlagCode.PROVISION_NOT_READY
    )
    for code in (provision_code, FlagCode.QUERY_NOT_READY):
        flag = only_flag(agency_plan, code)
        said = flag.message("ja")
        assert f"に係る改修が適用開始日（{day_ja}）までに完了しない（未着手）。" in said
        assert "改版" not in said
        assert f"will not be complete before the effective date ({day_en}): " in flag.message("en")
    july = plan_of(agency(), readiness=[ready("local-tax", Side.QUERY, Status.NOT_STARTED)])
    assert only_flag(july, FlagCode.QUERY_NOT_READY).message("ja") == (
        "地方税務システムの情報照会に係る改修が改版（平成30年7月1日（日））までに完了しない（未着手）。"
    )
