"""The shipped calendars: each loads, and 2018-07 carries the source document's dated facts.

Every date asserted here is quoted in the source (総務省「情報連携の運用に係る留意事項等について」,
``reference/000_8f7c83e8c8de8f89.txt``) in the section named next to it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cutover.calendar.load import load_calendar, parse_calendar, shipped_calendars
from cutover.calendar.model import EFFECTIVE, Event, RevisionCalendar
from cutover.inputs.registry import load_registry
from cutover.jp.vocabulary import SYSTEMS
from cutover.planning.model import Plan
from cutover.planning.planner import plan
from cutover.planning.summary import summarize
from cutover.render.index import render_index
from cutover.schedule.timeline import build_timeline

D = dt.date
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"


@pytest.fixture(scope="module")
def july() -> RevisionCalendar:
    """Return the July 2018 revision calendar."""
    return load_calendar("2018-07")


def _event(calendar: RevisionCalendar, event_id: str, section: str) -> Event:
    """Return the event, checking it names `section` of the source among its sections."""
    event = calendar.event(event_id)
    assert section in event.section.replace(" ", "").split(","), (event_id, event.section)
    return event


def _day(calendar: RevisionCalendar, event_id: str, section: str) -> dt.date:
    """Return the exact day a milestone or deadline is declared on, from `section`."""
    event = _event(calendar, event_id, section)
    assert event.start is not None
    assert event.start.start == event.start.end, (event_id, event.start)
    return event.start.start


def _span(calendar: RevisionCalendar, event_id: str, section: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day a declared window may cover, from `section`."""
    event = _event(calendar, event_id, section)
    assert event.is_window
    assert event.start is not None
    assert event.end is not None
    return event.start.start, event.end.end


@pytest.mark.parametrize("calendar_id", list(shipped_calendars()))
def test_every_shipped_calendar_loads(calendar_id: str) -> None:
    """Every shipped calendar loads, and its id is its file name."""
    calendar = load_calendar(calendar_id)
    assert calendar.id == calendar_id
    assert shipped_calendars()[calendar_id].stem == calendar_id


@pytest.mark.parametrize("calendar_id", list(shipped_calendars()))
def test_every_event_names_its_source(calendar_id: str) -> None:
    """Every event of a shipped calendar names its source section or says it is an assumption."""
    for event in load_calendar(calendar_id).events:
        assert event.section.startswith("§") or event.assumption, event.id


@pytest.mark.parametrize("calendar_id", list(shipped_calendars()))
def test_every_shipped_calendar_builds_a_timeline_without_conflicts(calendar_id: str) -> None:
    """Every shipped calendar's declared dates agree with its own dependencies."""
    timeline = pytest.importorskip("cutover.schedule.timeline")
    assert timeline.build_timeline(load_calendar(calendar_id)).conflicts == ()


# --- 2018-07: the dated facts of the source ----------------------------------------------


def test_survey(july: RevisionCalendar) -> None:
    """The system-modification survey is the administrative notice of 2018-02-19 (§3)."""
    assert _day(july, "modification-survey", "§3") == D(2018, 2, 19)


def test_test_requests_counted(july: RevisionCalendar) -> None:
    """The 96 inter-agency test requests are counted at the end of March, 2018-03-31 (§4)."""
    assert _day(july, "test-requests-counted", "§4") == D(2018, 3, 31)
    assert "96" in july.event("test-requests-counted").title_ja


@pytest.mark.parametrize("calendar_id", ["2018-07", "2018-11"])
def test_test_window_names_who_tests(calendar_id: str) -> None:
    """§4: 「機関間試験の実施希望を提出した地方公共団体の機関は、96機関…これらの機関においては…
    必ず試験を実施する必要がある」: the test window, whose actor is every agency (no actor names
    those that asked), says in its title, in both languages, that it is theirs alone."""
    event = load_calendar(calendar_id).event("inter-agency-test")
    assert event.title_ja.endswith("機関）")
    assert "希望" in event.title_ja
    assert "asked" in event.title_en


def test_provider_explains_when_asked(july: RevisionCalendar) -> None:
    """§6 【情報提供者】: 「情報照会者から問合せがあった場合には、適宜説明を行う」 — a duty only
    when a querier asks. Every text of the answer-before-cutoff task that tells the provider to
    explain says so, in Japanese and in English."""
    (template,) = [t for t in july.tasks if t.id == "answer-before-cutoff"]
    ja = [t for t in (template.detail_ja, *template.remedies_ja) if "説明" in t]
    en = [t for t in (template.detail_en, *template.remedies_en) if "tell quer" in t.lower()]
    en += [t for t in template.remedies_en if "tell them" in t]
    assert ja
    assert en
    assert all("問合せ" in t for t in ja)
    assert all("ask" in t for t in en)


def test_every_periodic_duty_of_section_13_recurs(july: RevisionCalendar) -> None:
    """§13's 定期的又は随時の対応: 1 the contact (on change), 2 the yearly self-inspection,
    3 the yearly education and training plan, 4 drills (「定期的に訓練を実施する」; §17:
    「各機関においては、毎年度、訓練計画を確認した上で訓練に参加する」) — each periodic one is
    an obligation of every agency that recurs (5, change requests, comes with each revision)."""
    recurring = {r.id: r for r in july.recurring}
    sections = {i: r.section.replace(" ", "").split(",") for i, r in recurring.items()}
    drills = [i for i, s in sections.items() if "§17" in s]
    assert len(drills) == 1
    drill = recurring[drills[0]]
    assert "§13" in sections[drill.id]
    assert "訓練" in drill.title_ja
    assert drill.actor.value == "every-agency"
    assert "FREQ=YEARLY" in drill.rrule


def test_training_plan_notice(july: RevisionCalendar) -> None:
    """The FY2018 training plan notice (総官参第19号) is dated 2018-03-27 (§16)."""
    assert _day(july, "training-plan-notice", "§16") == D(2018, 3, 27)


def test_e_learning(july: RevisionCalendar) -> None:
    """e-learning applications open 2018-04-12 and courses start 2018-04-27 (§16)."""
    assert _day(july, "e-learning-applications", "§16") == D(2018, 4, 12)
    assert _day(july, "e-learning-courses", "§16") == D(2018, 4, 27)


def test_briefings(july: RevisionCalendar) -> None:
    """The nationwide briefings run from mid-April to early June: 4/11..6/10 at widest (§16)."""
    assert _span(july, "briefings", "§16") == (D(2018, 4, 11), D(2018, 6, 10))
    briefings = july.event("briefings")
    assert briefings.start is not None
    assert briefings.end is not None
    assert (briefings.start.precision, briefings.end.precision) == ("dekad", "dekad")
    assert briefings.start.end == D(2018, 4, 20)  # 中旬 ends on the 20th
    assert briefings.end.start == D(2018, 6, 1)  # 初旬 (上旬) starts on the 1st


def test_self_inspection(july: RevisionCalendar) -> None:
    """The annual self-inspection of security measures is in May 2018 (§13)."""
    assert _span(july, "self-inspection", "§13") == (D(2018, 5, 1), D(2018, 5, 31))


def test_change_requests(july: RevisionCalendar) -> None:
    """Change requests for the November master delivery are accepted from 2018-05-21 (§2)."""
    assert _day(july, "change-requests-open", "§2") == D(2018, 5, 21)


def test_drill(july: RevisionCalendar) -> None:
    """The all-agency drill is on 2018-05-23 (§17)."""
    assert _day(july, "all-agency-drill", "§17") == D(2018, 5, 23)


def test_registration_window(july: RevisionCalendar) -> None:
    """Duplicate registration runs from late May to the end of June: 5/21..6/30 (§5)."""
    assert _span(july, "duplicate-registration", "§5") == (D(2018, 5, 21), D(2018, 6, 30))
    window = july.event("duplicate-registration")
    assert window.start is not None
    assert window.start.precision == "dekad"  # 下旬: the source gives no exact day
    assert window.adjust


def test_provision_cutoff(july: RevisionCalendar) -> None:
    """Requests received by 6/30 must be answered by 2018-06-30, a deadline (§6)."""
    assert _day(july, "provision-cutoff", "§6") == D(2018, 6, 30)
    assert july.event("provision-cutoff").type == "deadline"
    assert july.cutoff is not None
    assert july.cutoff.last_provision == "provision-cutoff"


def test_effective(july: RevisionCalendar) -> None:
    """The revision takes effect on 2018-07-01, when withdrawn queries may be re-issued (§6)."""
    assert july.revision.effective == D(2018, 7, 1)
    assert _day(july, EFFECTIVE, "§6") == D(2018, 7, 1)
    assert july.revision.assumption is None
    assert july.cutoff is not None
    assert july.cutoff.requery_from == EFFECTIVE


def test_academy_lecture(july: RevisionCalendar) -> None:
    """The lecture at the municipal academy is in August 2018 (§16)."""
    assert _span(july, "academy-lecture", "§16") == (D(2018, 8, 1), D(2018, 8, 31))


def test_cutoff_falls_on_friday_in_practice(july: RevisionCalendar) -> None:
    """6/30 was a Saturday: the last business day to answer is Friday 2018-06-29 (§6)."""
    timeline = pytest.importorskip("cutover.schedule.timeline")
    dates = timeline.build_timeline(july).cutoff_dates()
    assert dates.answer_by == D(2018, 6, 29)
    assert dates.reissue_from == D(2018, 7, 2)


# --- 2018-07: items, cutoff, systems, tasks -----------------------------------------------


def test_revised_items(july: RevisionCalendar) -> None:
    """Items 2, 8, 21 and 52 are revised and must be registered; only 2 and 21 retroactively."""
    assert [item.number for item in july.items] == [2, 8, 21, 52]
    assert all(item.registration_required for item in july.items)
    assert {item.number for item in july.items if item.retroactive} == {2, 21}
    assert all(item.name_ja and item.name_en and item.section for item in july.items)


def test_item_names_follow_the_source(july: RevisionCalendar) -> None:
    """The items' Japanese names are the source's (§5 ※1)."""
    names = {item.number: item.name_ja for item in july.items}
    assert names[21] == "母子及び父子並びに寡婦福祉法による資金の貸付けに関する情報"
    assert names[52] == "国民年金法その他の法令による給付の支給に関する情報"


def test_cutoff_items(july: RevisionCalendar) -> None:
    """The provision cutoff concerns items 2 and 21 (§6)."""
    assert july.cutoff is not None
    assert july.cutoff.items == frozenset({2, 21})
    assert july.cutoff.section == "§6"


def test_systems_in_survey_order(july: RevisionCalendar) -> None:
    """The revision concerns the eight business systems, in the §3 survey table's order."""
    assert july.revision.systems == (
        "local-tax",
        "public-assistance",
        "health",
        "child-welfare",
        "disability-welfare",
        "long-term-care",
        "nhi",
        "public-housing",
    )
    assert july.revision.systems == tuple(system.id for system in SYSTEMS)


def test_inter_agency_test_window_is_an_assumption(july: RevisionCalendar) -> None:
    """The source gives no test window (§4): the calendar marks its dates as an assumption."""
    window = july.event("inter-agency-test")
    assert window.section == "§4"
    assert window.assumption
    assert "§4" in window.assumption


def test_task_ids(july: RevisionCalendar) -> None:
    """The per-agency tasks include modification, test, registration and cutoff handling."""
    ids = {task.id for task in july.tasks}
    assert {
        "modify-provision",
        "modify-query",
        "inter-agency-test",
        "register",
        "answer-before-cutoff",
        "withdraw-and-reissue",
    } <= ids


def test_task_multiplication(july: RevisionCalendar) -> None:
    """Modifications multiply per system, registration per item; only requesters test."""
    tasks = {task.id: task for task in july.tasks}
    assert (tasks["modify-provision"].per, tasks["modify-provision"].side) == (
        "system",
        "provision",
    )
    assert (tasks["modify-query"].per, tasks["modify-query"].side) == ("system", "query")
    assert (tasks["register"].per, tasks["register"].items) == ("item", "registration")
    assert tasks["register"].retroactive_ja  # past data, for items 2 and 21
    assert tasks["register"].delegation_ja  # new delegations register too (§5)
    assert (tasks["answer-before-cutoff"].per, tasks["answer-before-cutoff"].items) == (
        "item",
        "cutoff",
    )
    assert tasks["answer-before-cutoff"].due == "provision-cutoff"
    assert tasks["inter-agency-test"].when.test_requested is True
    assert tasks["inter-agency-test"].hearing
    assert tasks["withdraw-and-reissue"].window == "requery"


# --- 2018-11 ------------------------------------------------------------------------------


def test_november_loads_as_data_only() -> None:
    """The November 2018 master delivery loads with no revised items and no cutoff."""
    november = load_calendar("2018-11")
    assert november.items == ()
    assert november.cutoff is None
    assert november.revision.effective == D(2018, 11, 1)
    assert november.revision.assumption  # §2 gives only the month
    assert november.event(EFFECTIVE).assumption == november.revision.assumption


def test_november_change_requests_open_as_in_july() -> None:
    """Both calendars open the November change requests on 2018-05-21 (§2)."""
    november = load_calendar("2018-11")
    change_requests = _event(november, "change-requests", "§2")
    assert change_requests.start is not None
    assert change_requests.start.start == D(2018, 5, 21)


def _november_plan(as_of: dt.date) -> Plan:
    """Return the example's registry planned against the November calendar."""
    timeline = build_timeline(load_calendar("2018-11"))
    return plan(timeline, load_registry(EXAMPLE / "agencies.csv"), as_of)


def test_november_master_delivery_is_no_layout_revision() -> None:
    """Issue 18 point 7 (§2): the November master delivery is a master delivery, not a layout
    revision: its effective event and the checklists' facts say so, in both languages."""
    november = load_calendar("2018-11")
    assert november.revision.kind == "master-delivery"
    assert november.event(EFFECTIVE).title_ja == "マスター配信（配信されたマスターの適用開始）"
    assert "layout" not in november.event(EFFECTIVE).title_en
    july = load_calendar("2018-07")
    assert july.revision.kind == "layout-revision"
    assert july.event(EFFECTIVE).title_ja == "改版（新レイアウトの適用開始）"
    the_plan = _november_plan(D(2018, 11, 5))
    page = render_index(the_plan, summarize(the_plan))
    assert "- マスター配信: 平成30年11月 マスター配信" in page
    assert "## マスター配信までの対応状況" in page
    assert "改版（新レイアウト" not in page
    assert "- 改版:" not in page
    english = render_index(the_plan, summarize(the_plan), lang="en")
    assert "- Master delivery: November 2018 master delivery" in english


def test_november_applies_no_hearing_rule() -> None:
    """Issue 18 point 7 (§4, §5): the follow-up interviews (ヒアリング) are announced for the
    July revision's tests and registrations: the November calendar makes no hearing
    candidate, and the index says the rule is not applied rather than counting zero."""
    november = load_calendar("2018-11")
    assert not any(t.hearing for t in november.tasks)
    the_plan = _november_plan(D(2018, 11, 5))
    codes = {f.code for a in the_plan.agencies for f in a.flags}
    assert not codes & {"hearing-candidate", "hearing-candidate-assumed"}
    summary = summarize(the_plan)
    assert not summary.hearings_apply
    assert "このカレンダーではヒアリングの対象を判定しない" in render_index(the_plan, summary)


def test_november_change_request_only_where_a_cause_arises() -> None:
    """Issue 18 point 7 (§13, §7): the change request is asked only of an agency with a new
    delegation (a cause the registry records), with §7's delegation checks; no other agency
    gets an overdue change request."""
    the_plan = _november_plan(D(2018, 11, 5))
    with_task = {
        a.agency.code for a in the_plan.agencies for t in a.tasks if t.id == "change-request"
    }
    delegating = {
        a.code for a in load_registry(EXAMPLE / "agencies.csv").agencies if a.new_delegations
    }
    assert with_task == delegating
    assert len(with_task) < len(the_plan.agencies)
    overdue = [
        f
        for a in the_plan.agencies
        for f in a.flags
        if f.code == "task-overdue" and f.task == "change-request"
    ]
    assert len(overdue) == len(delegating)
    template = next(t for t in load_calendar("2018-11").tasks if t.id == "change-request")
    assert "一部委任" in template.detail_ja
    assert "受任事務" in template.detail_ja
    assert "§7" in template.section
    assert "§13" in template.section


def test_section_8_runbook_in_the_registration_task(july: RevisionCalendar) -> None:
    """§8: the registration task says what to do when a wrong registration is found, in the
    source's order: 自動応答不可設定 at once, a phone call to the 情報提供NWS運営主体, the report
    on 様式03-13, then the correction."""
    register = next(t for t in july.tasks if t.id == "register")
    steps = ("自動応答不可設定", "情報提供NWS運営主体へ電話", "様式03-13", "誤った副本データを修正")
    places = [register.detail_ja.index(step) for step in steps]
    assert places == sorted(places)
    for fragment in ("§8", "様式03-13", "自動応答不可設定"):
        assert fragment in register.detail_en


def test_section_9_contact_plan_before_the_revision(july: RevisionCalendar) -> None:
    """§9: a contact-plan task due before 7/1 (an assumed date: the source gives none) says to
    judge by 別紙4's incident levels, phone at level 4 or above, report as it goes, and stay
    reachable until the 情報共有サイト posting."""
    timeline = build_timeline(july)
    task = next(t for t in july.tasks if t.id == "incident-contact-plan")
    assert task.section == "§9"
    for fragment in ("別紙4", "インシデントレベル4以上", "電話連絡", "適宜報告", "情報共有サイト"):
        assert fragment in task.detail_ja
    event = timeline[task.due]
    assert event.due.date == dt.date(2018, 6, 29)  # 6/30 is a Saturday
    assert event.due.date < timeline.effective
    assert event.event.assumption


def test_section_7_4_checks_on_the_first_business_day_after(july: RevisionCalendar) -> None:
    """§7 (case 4): the servers, the LGWAN firewall and communication with the 中間サーバー are
    checked on the first business day after the effective date (Mon 7/2, 7/1 being a Sunday),
    a date the calendar assumes."""
    timeline = build_timeline(july)
    task = next(t for t in july.tasks if t.id == "after-switch-checks")
    assert task.section == "§7"
    for fragment in ("サーバ", "LGWAN通信用ファイアウォール", "中間サーバー"):
        assert fragment in task.title_ja
    event = timeline[task.due]
    assert event.due.date == dt.date(2018, 7, 2)
    assert event.event.assumption


def test_section_7_1_checks_before_registering(july: RevisionCalendar) -> None:
    """§7 (case 1): before registering, the registration task names the causes of past wrong
    registrations — the item's version number, insurer numbers' check digit and length, and
    未申告者 for tax items — before §8's runbook."""
    register = next(t for t in july.tasks if t.id == "register")
    for fragment in ("§7", "版番号", "保険者番号", "チェックディジット", "桁数", "未申告者"):
        assert fragment in register.detail_ja
    assert register.detail_ja.index("§7") < register.detail_ja.index("§8")
    for fragment in ("version number", "check digit", "未申告者"):
        assert fragment in register.detail_en


def test_section_13_duty_1_contact_update(july: RevisionCalendar) -> None:
    """§13 duty 1: the registered contact and responsibility are updated after personnel
    changes, before the registration window (queriers' calls go there), as a
    recurring obligation on an assumed day (no flag of its own); a newly connected 一部事務組合
    has the same duties."""
    timeline = build_timeline(july)
    (contact,) = [r for r in july.recurring if r.id == "contact-registration"]
    assert contact.section == "§13"
    assert "連絡窓口及び責任体制の登録情報の更新" in contact.title_ja
    # Before the registration window is the calendar's reasoning, so said as its assumption
    # (※), not as the source's words in the title.
    assert "副本登録期間の前" not in contact.title_ja
    assert "一部事務組合" in contact.note_ja
    assert contact.assumption
    assert "副本登録期間（5月下旬から）の前に更新" in contact.assumption
    assert contact.dtstart < timeline["duplicate-registration"].start


def test_section_9_contact_plan_is_past_not_overdue_after_the_weekend() -> None:
    """§9: the contact plan for the revision weekend is overdue while the weekend lasts
    (Saturday 6/30, Sunday 7/1) if not settled; from Monday 7/2 it no longer applies (its
    time is over: `until`), so no agency gets an overdue warning for a weekend that passed."""
    from cutover.inputs.model import Agency, Registry
    from cutover.jp.vocabulary import Kind
    from cutover.planning.flags import FlagCode
    from cutover.planning.model import LAPSED_SOURCE, TaskStatus
    from cutover.planning.planner import plan
    from cutover.render.checklist import render_checklist
    from cutover.schedule.timeline import build_timeline

    timeline = build_timeline(load_calendar("2018-07"))
    agency = Agency("312011", "鳥取市", Kind.MUNICIPALITY, True, frozenset({2}), frozenset(), 2)

    def contact_plan(day: dt.date) -> tuple[TaskStatus, str, bool]:
        (planned,) = plan(timeline, Registry((agency,)), day).agencies
        (task,) = [t for t in planned.tasks if t.id == "incident-contact-plan"]
        overdue = any(f.code is FlagCode.TASK_OVERDUE and f.task == task.id for f in planned.flags)
        return task.status, task.status_source, overdue

    assert contact_plan(dt.date(2018, 6, 30))[0::2] == (TaskStatus.OVERDUE, True)
    assert contact_plan(dt.date(2018, 7, 1))[0::2] == (TaskStatus.OVERDUE, True)
    assert contact_plan(dt.date(2018, 7, 2)) == (TaskStatus.NOT_APPLICABLE, LAPSED_SOURCE, False)
    after = plan(timeline, Registry((agency,)), dt.date(2018, 7, 2))
    page = render_checklist(after.agencies[0], after)
    assert "incident-contact-plan` — 備える対象の期間が過ぎたため、対応は不要" in page


@pytest.mark.parametrize(("year", "last_business_day"), [(2020, 29), (2025, 30), (2026, 29)])
def test_self_inspection_is_due_on_a_business_day_in_any_year(
    year: int, last_business_day: int
) -> None:
    """§13 names only the month of the self-inspection ("5月"): the task was due on May 31
    whatever day it was, so the calendar copied for a year whose 5/31 is a Saturday or a
    Sunday gave a municipality a Sunday deadline. The window's end moves back, within May."""
    text = (EXAMPLE.parent.parent / "calendars" / "2018-07.toml").read_text(encoding="utf-8")
    shifted = (
        text.replace("平成30年度", "2018年度")
        .replace("平成30年", "2018年")
        .replace("平成31年", "2019年")
        .replace("2019", str(year + 1))
        .replace("2018", str(year))
    )
    calendar = parse_calendar(shifted, file=f"{year}-07.toml")
    window = build_timeline(calendar).get("self-inspection")
    assert window is not None
    due = window.due
    assert due.original == D(year, 5, 31)
    assert due.date == D(year, 5, last_business_day)
    assert not calendar.closed_days().is_closed(due.date)
