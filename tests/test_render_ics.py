"""Tests for cutover.render.ics: the timeline and one agency's tasks as iCalendar files."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from strategies import dates
from test_planner import pending

from cutover.calendar.load import load_calendar, parse_calendar
from cutover.cli.main import main
from cutover.errors import CutoverError
from cutover.inputs.model import Registry
from cutover.inputs.registry import load_registry
from cutover.planning.model import Plan, TaskStatus
from cutover.planning.planner import plan
from cutover.render.ics import plan_ics, timeline_ics
from cutover.schedule.shift import parse_shift
from cutover.schedule.timeline import Timeline, build_timeline
from cutover.schedule.whatif import what_if


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


AGENCIES = (
    "code,name,kind,test_requested,provides,new_delegations\n"
    "130001,東京都,prefecture,yes,2 8 21,\n"
    '131016,千代田区,municipality,no,"2,21",52\n'
)
EVIDENCE = "code,task,date,detail\n130001,register:2,H30.6.20,\n"

HOSTILE = """
[revision]
id = "hostile"
title_ja = "改版 & <試験>"
title_en = "Revision & <test>"
effective = "2018-07-01"
source = "s"
section = "§2"

[[events]]
id = "cutoff"
type = "deadline"
title_ja = "締切, その1; \\"引用\\" \\\\ 終\\u0001わり\\n二行目"
title_en = "Cut, off; <y>"
actor = "provider"
date = "2018-06-30"
section = "§6"
"""


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    """Return the timeline of the shipped 2018-07 calendar."""
    return build_timeline(load_calendar("2018-07"))


@pytest.fixture(scope="module")
def parsed(timeline: Timeline) -> icalendar.Calendar:
    """Return the 2018-07 timeline's iCalendar file, parsed back by the icalendar library."""
    return icalendar.Calendar.from_ical(timeline_ics(timeline))


def events_by_uid(cal: icalendar.Calendar) -> dict[str, Any]:
    """Return the VEVENTs of a parsed calendar by UID."""
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def day(event: Any, key: str) -> dt.date:
    """Return the date of a DTSTART or DTEND property, checking it is a plain date."""
    value = event.decoded(key)
    assert type(value) is dt.date, f"{key} is not VALUE=DATE: {value!r}"
    return value


@pytest.fixture
def the_plan(tmp_path: Path, timeline: Timeline) -> Plan:
    """Return the plan of a two-agency registry, as of 2018-06-20."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    evidence = tmp_path / "evidence.csv"
    evidence.write_text(EVIDENCE, encoding="utf-8")
    registry = load_registry(agencies, None, [evidence])
    return plan(timeline, registry, dt.date(2018, 6, 20))


# --- the timeline ----------------------------------------------------------------------------


def test_one_event_per_event_and_occurrence(timeline: Timeline, parsed: icalendar.Calendar) -> None:
    """The file has one VEVENT for every event and every recurring occurrence."""
    assert len(timeline.recurring) > 0
    assert len(parsed.walk("VEVENT")) == len(timeline.events) + len(timeline.recurring)


def test_window_is_all_day_with_exclusive_end(parsed: icalendar.Calendar) -> None:
    """The registration window opens 5/21 and ends after 6/29 (6/30 is a Saturday): DTEND 6/30."""
    event = events_by_uid(parsed)["2018-07.duplicate-registration@cutover"]
    assert day(event, "DTSTART") == dt.date(2018, 5, 21)
    assert day(event, "DTEND") == dt.date(2018, 6, 30)
    assert "DTSTART;VALUE=DATE:20180521" in event.to_ical().decode()


def test_provision_cutoff_on_the_last_business_day(parsed: icalendar.Calendar) -> None:
    """The provision cutoff is a one-day event on Friday 6/29, saying it moved from 6/30."""
    event = events_by_uid(parsed)["2018-07.provision-cutoff@cutover"]
    assert day(event, "DTSTART") == dt.date(2018, 6, 29)
    assert day(event, "DTEND") == dt.date(2018, 6, 30)
    assert str(event["SUMMARY"]) == "改版前に受けた提供の求め（2番・21番）への情報提供の期限"
    description = str(event["DESCRIPTION"])
    assert "Last day to answer requests for items 2 and 21" in description
    assert "§6" in description
    assert "moved from 6/30 (Sat, closed) to 6/29 (Fri)" in description


def test_moved_opening_and_assumption_described(parsed: icalendar.Calendar) -> None:
    """A window opening on a Sunday opens the next Monday, and its assumption is given."""
    event = events_by_uid(parsed)["2018-07.requery@cutover"]
    assert day(event, "DTSTART") == dt.date(2018, 7, 2)
    description = str(event["DESCRIPTION"])
    assert "opening moved from 7/1 (Sun, closed) to 7/2 (Mon)" in description
    assert "Assumption: §6 sets only the start" in description


def test_recurring_occurrence_uid_has_its_date(parsed: icalendar.Calendar) -> None:
    """A recurring occurrence's UID carries its date, and it is an all-day event on that day."""
    event = events_by_uid(parsed)["2018-07.annual-self-inspection.20180501@cutover"]
    assert day(event, "DTSTART") == dt.date(2018, 5, 1)
    assert day(event, "DTEND") == dt.date(2018, 5, 2)


def test_uids_unique_and_stable(timeline: Timeline) -> None:
    """UIDs are unique, and the same when the timeline is built and written again."""
    first = list(events_by_uid(icalendar.Calendar.from_ical(timeline_ics(timeline))))
    again = build_timeline(load_calendar("2018-07"))
    second = [
        str(e["UID"]) for e in icalendar.Calendar.from_ical(timeline_ics(again)).walk("VEVENT")
    ]
    assert len(first) == len(set(first)) == len(second)
    assert first == second
    assert all(uid.startswith("2018-07.") and uid.endswith("@cutover") for uid in first)


def test_bytes_identical_across_runs(timeline: Timeline) -> None:
    """Two runs give byte-identical files: nothing comes from the clock."""
    again = build_timeline(load_calendar("2018-07"))
    assert timeline_ics(timeline) == timeline_ics(again)


def test_dtstamp_is_the_effective_date_in_jst(parsed: icalendar.Calendar) -> None:
    """Without an as-of date every DTSTAMP is 2018-07-01 00:00 JST, written in UTC, and the
    events are revision 0, which any dated export outranks."""
    stamps = {e.decoded("DTSTAMP") for e in parsed.walk("VEVENT")}
    assert stamps == {dt.datetime(2018, 6, 30, 15, tzinfo=dt.UTC)}
    assert {e.decoded("SEQUENCE") for e in parsed.walk("VEVENT")} == {0}


# --- importing again: a later export updates the events ---------------------------------------

#: The 2018-07 calendar revised: the inter-agency test window closes a week later.
REVISED = (
    Path(__file__)
    .parents[1]
    .joinpath("calendars", "2018-07.toml")
    .read_text(encoding="utf-8")
    .replace('end = "2018-06-22"', 'end = "2018-06-29"')
)


def revisions(raw: bytes) -> dict[str, tuple[int, dt.date, dt.date]]:
    """Return each event's (SEQUENCE, DTSTART, DTEND) by UID."""
    cal = icalendar.Calendar.from_ical(raw)
    return {
        uid: (int(e.get("SEQUENCE", 0)), day(e, "DTSTART"), day(e, "DTEND"))
        for uid, e in events_by_uid(cal).items()
    }


def assert_updates(before: bytes, after: bytes, moved: str) -> None:
    """Assert that importing `after` over `before` updates every event: the same UIDs, the
    moved event's dates changed with a higher SEQUENCE, no event with a lower one."""
    old, new = revisions(before), revisions(after)
    assert set(old) == set(new)
    assert old[moved][1:] != new[moved][1:], "the revised calendar moves no date"
    assert new[moved][0] > old[moved][0]
    assert all(new[uid][0] >= old[uid][0] for uid in old)


def test_a_later_timeline_export_updates_a_moved_event() -> None:
    """The timeline of a revised calendar, exported on a later day, gives the moved event
    (same UID) a higher SEQUENCE, so that a client importing it replaces the old date."""
    before = timeline_ics(build_timeline(load_calendar("2018-07")), as_of=dt.date(2018, 5, 1))
    revised = build_timeline(parse_calendar(REVISED, file="2018-07.toml"))
    after = timeline_ics(revised, as_of=dt.date(2018, 5, 8))
    assert_updates(before, after, "2018-07.inter-agency-test@cutover")
    # An export before this one (no SEQUENCE: 0) is outranked too.
    assert min(seq for seq, _, _ in revisions(after).values()) > 0


def test_a_later_plan_export_updates_a_moved_task(tmp_path: Path) -> None:
    """An agency's tasks exported again from a revised calendar with a later as-of date give
    the moved task a higher SEQUENCE."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    registry = load_registry(agencies, None, [])
    first = plan(build_timeline(load_calendar("2018-07")), registry, dt.date(2018, 5, 1))
    revised = build_timeline(parse_calendar(REVISED, file="2018-07.toml"))
    second = plan(revised, registry, dt.date(2018, 5, 8))
    assert_updates(
        plan_ics(first, "130001"),
        plan_ics(second, "130001"),
        "2018-07.130001.inter-agency-test@cutover",
    )


@settings(max_examples=30, deadline=None)
@given(dates(), dates())
def test_sequence_grows_with_the_as_of_date(
    timeline: Timeline, earlier: dt.date, later: dt.date
) -> None:
    """For any two as-of dates, the later export's events have the higher SEQUENCE and
    DTSTAMP (the same for the same day), and LAST-MODIFIED is the DTSTAMP."""
    earlier, later = sorted((earlier, later))
    old = icalendar.Calendar.from_ical(timeline_ics(timeline, as_of=earlier))
    new = icalendar.Calendar.from_ical(timeline_ics(timeline, as_of=later))
    for a, b in zip(old.walk("VEVENT"), new.walk("VEVENT"), strict=True):
        assert a.decoded("LAST-MODIFIED") == a.decoded("DTSTAMP")
        if earlier == later:
            assert (a.decoded("SEQUENCE"), a.decoded("DTSTAMP")) == (
                b.decoded("SEQUENCE"),
                b.decoded("DTSTAMP"),
            )
        else:
            assert b.decoded("SEQUENCE") > a.decoded("SEQUENCE")
            assert b.decoded("DTSTAMP") > a.decoded("DTSTAMP")


def test_files_are_published_events(parsed: icalendar.Calendar) -> None:
    """The file says METHOD:PUBLISH: events to copy into a calendar, not invitations."""
    assert str(parsed["METHOD"]) == "PUBLISH"


def test_calendar_properties(timeline: Timeline, parsed: icalendar.Calendar) -> None:
    """The calendar is named after the revision, in Japan time, with CRLF lines of ≤ 75 octets."""
    assert str(parsed["X-WR-CALNAME"]) == "平成30年7月 データ標準レイアウト改版"
    assert str(parsed["X-WR-TIMEZONE"]) == "Asia/Tokyo"
    assert str(parsed["VERSION"]) == "2.0"
    raw = timeline_ics(timeline)
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and len(line) <= 75 for line in lines)


def test_assumed_dates_are_marked_in_the_summary(parsed: icalendar.Calendar) -> None:
    """An event or occurrence whose date the calendar assumes (the source gives none) says
    ※仮定 in its summary, the one line a calendar's month view shows; a date the source
    gives (the provision cutoff) does not."""
    events = events_by_uid(parsed)
    for uid in (
        "2018-07.inter-agency-test@cutover",
        "2018-07.master-delivery@cutover",
        "2018-07.training-plan.20180401@cutover",
    ):
        assert str(events[uid]["SUMMARY"]).endswith(" ※仮定"), uid
    assert "仮定" not in str(events["2018-07.provision-cutoff@cutover"]["SUMMARY"])
    assert "仮定" not in str(events["2018-07.change-requests-open@cutover"]["SUMMARY"])


def test_a_recurring_date_on_a_closed_day_says_so(parsed: icalendar.Calendar) -> None:
    """An occurrence on Sunday 2018-04-01 says it is a closed day, in both languages, as the
    timeline's list does; one on a business day (Tuesday 5/1) does not."""
    events = events_by_uid(parsed)
    sunday = str(events["2018-07.training-plan.20180401@cutover"]["DESCRIPTION"])
    assert "平成30年4月1日（日）（閉庁日: 日曜日）" in sunday
    assert "(closed: Sunday)" in sunday
    tuesday = str(events["2018-07.annual-self-inspection.20180501@cutover"]["DESCRIPTION"])
    assert "閉庁日" not in tuesday


def test_a_date_kept_on_a_closed_day_says_so(parsed: icalendar.Calendar) -> None:
    """A milestone on a closed day (the revision, Sunday 7/1) is not moved, and its
    description says the day is closed, in both languages; a deadline moved off one (the
    cutoff, Saturday 6/30 to Friday 6/29) says why it moved, not that its day is closed."""
    events = events_by_uid(parsed)
    effective = str(events["2018-07.effective@cutover"]["DESCRIPTION"])
    assert "平成30年7月1日（日）（閉庁日: 日曜日）" in effective
    assert "2018-07-01 (Sun) (closed: Sunday)" in effective
    briefings = str(events["2018-07.briefings@cutover"]["DESCRIPTION"])
    assert "平成30年6月10日（日）（閉庁日: 日曜日）" in briefings
    assert "（閉庁日:" not in str(events["2018-07.provision-cutoff@cutover"]["DESCRIPTION"])


def test_english_summaries(timeline: Timeline) -> None:
    """With lang="en" the summary is the English title and the description the Japanese one."""
    cal = icalendar.Calendar.from_ical(timeline_ics(timeline, lang="en"))
    event = events_by_uid(cal)["2018-07.provision-cutoff@cutover"]
    assert str(event["SUMMARY"]).startswith("Last day to answer requests")
    assert "改版前に受けた提供の求め" in str(event["DESCRIPTION"])


def test_what_if_never_overwrites_the_real_schedule(timeline: Timeline) -> None:
    """A timeline with shifts gets its own UIDs and says so in its name."""
    shifted = what_if(timeline.calendar, [parse_shift("duplicate-registration=+3bd")])
    cal = icalendar.Calendar.from_ical(timeline_ics(shifted))
    uids = set(events_by_uid(cal))
    assert not uids & set(events_by_uid(icalendar.Calendar.from_ical(timeline_ics(timeline))))
    assert "2018-07.what-if.duplicate-registration+3bd.provision-cutoff@cutover" in uids
    assert "duplicate-registration=+3bd" in str(cal["X-WR-CALNAME"])


def test_user_text_round_trips() -> None:
    """Commas, semicolons, backslashes and newlines survive; control characters become spaces."""
    tl = build_timeline(parse_calendar(HOSTILE, "hostile.toml"))
    cal = icalendar.Calendar.from_ical(timeline_ics(tl))
    event = events_by_uid(cal)["hostile.cutoff@cutover"]
    assert str(event["SUMMARY"]) == '締切, その1; "引用" \\ 終 わり\n二行目'
    assert str(cal["X-WR-CALNAME"]) == "改版 & <試験>"


def test_unknown_language_is_refused(timeline: Timeline) -> None:
    """A language other than ja or en is a CutoverError naming both."""
    with _refused("'ja' or 'en'"):
        timeline_ics(timeline, lang="fr")  # type: ignore[arg-type]


# --- one agency's plan -----------------------------------------------------------------------


def test_plan_has_one_event_per_task_but_the_not_applicable(the_plan: Plan) -> None:
    """An agency's file has one event per task but those that do not apply to it (n/a),
    with UIDs by code and task."""
    agency = the_plan.agency("131016")
    cal = icalendar.Calendar.from_ical(plan_ics(the_plan, "131016"))
    uids = list(events_by_uid(cal))
    wanted = [t for t in agency.tasks if t.status is not TaskStatus.NOT_APPLICABLE]
    assert len(uids) == len(wanted) > len(agency.applicable) > 0
    assert sorted(uids) == sorted(f"2018-07.131016.{t.id}@cutover" for t in wanted)
    assert str(cal["X-WR-CALNAME"]).startswith("千代田区")


def test_plan_task_dates_and_categories(the_plan: Plan) -> None:
    """A windowed task spans its window; the status is a category; the description has the id."""
    cal = icalendar.Calendar.from_ical(plan_ics(the_plan, "130001"))
    events = events_by_uid(cal)
    register = events["2018-07.130001.register:2@cutover"]
    assert day(register, "DTSTART") == dt.date(2018, 5, 21)
    assert day(register, "DTEND") == dt.date(2018, 6, 30)
    assert [str(c) for c in register["CATEGORIES"].cats] == ["完了", "done"]
    description = str(register["DESCRIPTION"])
    assert "register:2" in description
    assert "§5" in description
    assert "過去分を含め" in description  # the retroactive note of item 2
    # §6: without a queries file a task about pending queries may or may not apply: its
    # event is there, on the last business day, saying its need is not known, as the
    # checklist says it (the provision cutoff never vanishes from the calendar).
    unknown = events["2018-07.130001.answer-before-cutoff:2@cutover"]
    assert day(unknown, "DTSTART") == dt.date(2018, 6, 29)
    assert [str(c) for c in unknown["CATEGORIES"].cats][1] == "unknown"
    assert "要否不明" in str(unknown["DESCRIPTION"])
    asked = plan(
        the_plan.timeline,
        the_plan_registry(the_plan),
        the_plan.as_of,
        queries=pending(the_plan.as_of, ("131016", "130001")),
    )
    cutoff = events_by_uid(icalendar.Calendar.from_ical(plan_ics(asked, "130001")))[
        "2018-07.130001.answer-before-cutoff:2@cutover"
    ]
    assert day(cutoff, "DTSTART") == dt.date(2018, 6, 29)
    assert day(cutoff, "DTEND") == dt.date(2018, 6, 30)


def test_plan_marks_assumed_dates_and_optional_tasks(the_plan: Plan) -> None:
    """An agency's task due on an assumed date says ※仮定 (English: assumed date) in its
    summary; a task the source says to do as needed (必要に応じて) says in its description,
    in both languages, that it is no obligation, and an obligation does not."""
    asked = plan(
        the_plan.timeline,
        the_plan_registry(the_plan),
        the_plan.as_of,
        queries=pending(the_plan.as_of, ("131016", "130001")),
    )
    events = events_by_uid(icalendar.Calendar.from_ical(plan_ics(asked, "131016")))
    contact = events["2018-07.131016.incident-contact-plan@cutover"]
    assert str(contact["SUMMARY"]).endswith(" ※仮定")
    english = events_by_uid(icalendar.Calendar.from_ical(plan_ics(asked, "131016", lang="en")))
    assert str(english["2018-07.131016.incident-contact-plan@cutover"]["SUMMARY"]).endswith(
        " (※ assumed date)"
    )
    follow_up = str(events["2018-07.131016.follow-up-pending-queries@cutover"]["DESCRIPTION"])
    assert "義務ではない" in follow_up
    assert "not an obligation" in follow_up
    assert "義務ではない" not in str(contact["DESCRIPTION"])


def the_plan_registry(the_plan: Plan) -> Registry:
    """Return the registry of `the_plan`'s agencies (no readiness, no evidence)."""
    return Registry(tuple(a.agency for a in the_plan.agencies))


def test_plan_is_deterministic(the_plan: Plan) -> None:
    """The same plan gives the same bytes, stamped with its as-of date at 00:00 JST."""
    raw = plan_ics(the_plan, "130001")
    assert raw == plan_ics(the_plan, "130001")
    assert b"DTSTAMP:20180619T150000Z\r\n" in raw


def test_plan_unknown_agency(the_plan: Plan) -> None:
    """An unknown code is a CutoverError that suggests the closest code, with its name."""
    with _refused("did you mean '131016' \\(東京都 千代田区\\)") as caught:
        plan_ics(the_plan, "131017")
    assert "「131016」（東京都 千代田区）のことですか？" in str(caught.value)


def test_plan_agency_typed_in_full_width_digits(the_plan: Plan) -> None:
    """--agency ３１２０４５, as a Japanese input method types a code, is that code: it was
    "not in the registry", where every input file reads full-width codes as their codes;
    a full-width code a digit away is told the code it may mean."""
    assert plan_ics(the_plan, "１３１０１６") == plan_ics(the_plan, "131016")
    with _refused("did you mean '131016'"):
        plan_ics(the_plan, "１３１０１７")


@pytest.mark.parametrize("typed", ["312012", "312101", "312010"])
def test_plan_unknown_agency_suggests_the_code_a_typo_away(typed: str) -> None:
    """A code one typo from a registry's code (the last digit, two digits swapped) is told
    that code, as ``registry[code]`` tells it: difflib alone said '312029' (米子市) for
    '312012', a digit from 鳥取市's '312011'."""
    examples = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    registry = load_registry(examples / "agencies.csv")
    tottori = plan(build_timeline(load_calendar("2018-07")), registry, dt.date(2018, 6, 25))
    with pytest.raises(CutoverError) as from_registry:
        registry[typed]
    assert "'312011'" in from_registry.value.text("en")
    with _refused("did you mean '312011'"):
        plan_ics(tottori, typed)


def test_plan_agency_by_name(the_plan: Plan) -> None:
    """An agency's name where its code belongs is refused with that agency's code as the fix,
    not with a list of codes the clerk cannot tell apart."""
    with _refused("did you mean '131016'") as caught:
        plan_ics(the_plan, "千代田区")
    said = str(caught.value)
    assert (
        "登録簿に団体「千代田区」がありません — 「131016」（東京都 千代田区）のことですか？" in said
    )


def _two_prefectures(tmp_path: Path, timeline: Timeline) -> Plan:
    """Return the plan of 東京都's and 広島県's agencies in one registry (two 府中市)."""
    agencies = tmp_path / "agencies.csv"
    assert main(["init", "--prefecture", "13", "-o", str(agencies)]) == 0
    other = tmp_path / "hiroshima.csv"
    assert main(["init", "--prefecture", "34", "-o", str(other)]) == 0
    rows = other.read_text(encoding="utf-8-sig").splitlines(keepends=True)[1:]
    with agencies.open("a", encoding="utf-8") as out:
        out.writelines(rows)
    return plan(timeline, load_registry(agencies), dt.date(2018, 6, 20))


def test_plan_agencies_of_one_name(tmp_path: Path, timeline: Timeline) -> None:
    """A name two agencies share (府中市 of 東京都 and of 広島県) lists both codes with the
    prefecture that tells them apart; part of a name (府中) lists every agency it is in; a
    code nothing is near, in a registry too long to list, says how to find one by name,
    not the registry's hundred codes."""
    two = _two_prefectures(tmp_path, timeline)
    with _refused(
        "give one of these codes of agencies.csv: '132063' \\(東京都 府中市\\) or "
        "'342084' \\(広島県 府中市\\)$"
    ) as caught:
        plan_ics(two, "府中市")
    assert "「132063」（東京都 府中市）、「342084」（広島県 府中市）" in str(caught.value)
    with _refused(
        "'132063' \\(東京都 府中市\\), '342084' \\(広島県 府中市\\) "
        "or '343021' \\(広島県 府中町\\)$"
    ):
        plan_ics(two, "府中")
    # A code's first digits: the agencies whose codes start so (one, or each of several).
    with _refused("did you mean '132063' \\(東京都 府中市\\)"):
        plan_ics(two, "13206")
    with _refused("'132012' \\(東京都 八王子市\\), '132021' \\(東京都 立川市\\), "):
        plan_ics(two, "1320")
    with _refused("did you mean '343021' \\(広島県 府中町\\)"):
        plan_ics(two, "府中町 ")  # (a name one agency has: that one, with its prefecture)
    with _refused(
        "^no agency '999999' in the registry — give the 6-digit code of a row of "
        "agencies.csv \\(87 agencies\\); part of a name"
    ) as caught:
        plan_ics(two, "999999")
    assert "132063" not in caught.value.text("en")


def test_plan_agency_of_another_registry(the_plan: Plan) -> None:
    """A real agency's code the registry does not hold (鳥取市 against 東京都's) says so,
    with its name, and that the registry given may be another prefecture's: it suggested the
    registry's code nearest in digits, an agency the clerk never meant. A program is told of
    the registry it gave (`registry`), not of the command's --agencies."""
    with _refused("'312011' \\(鳥取県 鳥取市\\) is not in the registry") as caught:
        plan_ics(the_plan, "312011")
    said = str(caught.value)
    assert "団体「312011」（鳥取県 鳥取市）は、registry に指定した団体一覧にありません" in said
    assert "--" not in caught.value.text("en")
    assert "別の都道府県の団体一覧を渡していないか" in said
    assert "のことですか" not in said


# --- the command line ------------------------------------------------------------------------


def test_cli_timeline_ics(tmp_path: Path, timeline: Timeline) -> None:
    """`timeline --format ics --as-of D -o F` exits 0 and writes exactly the library's bytes."""
    out = tmp_path / "timeline.ics"
    args = ["timeline", "2018-07", "--format", "ics", "--as-of", "2018-06-25", "-o", str(out)]
    assert main(args) == 0
    assert out.read_bytes() == timeline_ics(timeline, as_of=dt.date(2018, 6, 25))


def test_cli_timeline_ics_made_today(
    tmp_path: Path, timeline: Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --as-of the timeline's file is stamped with today in JST: exported again on
    a later day, it updates the events a clerk imported before."""
    monkeypatch.setattr("cutover.cli.timeline.today_jst", lambda: dt.date(2018, 6, 1))
    out = tmp_path / "timeline.ics"
    assert main(["timeline", "2018-07", "--format", "ics", "-o", str(out)]) == 0
    assert out.read_bytes() == timeline_ics(timeline, as_of=dt.date(2018, 6, 1))
    assert b"SEQUENCE:20180601\r\n" in out.read_bytes()


def test_cli_plan_ics(tmp_path: Path) -> None:
    """`plan --format ics --agency CODE -o F` exits 0 and writes that agency's calendar."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    out = tmp_path / "131016.ics"
    args = ["plan", "2018-07", "--agencies", str(agencies), "--as-of", "2018-06-20"]
    assert main([*args, "--format", "ics", "--agency", "131016", "-o", str(out)]) == 0
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert all(str(e["UID"]).startswith("2018-07.131016.") for e in cal.walk("VEVENT"))


def test_cli_plan_ics_needs_agency(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`plan --format ics` without --agency is a usage error (exit 2) that says what to add."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    code = main(["plan", "2018-07", "--agencies", str(agencies), "--format", "ics"])
    assert code == 2
    assert "--agency CODE" in capsys.readouterr().err


def test_cli_plan_ics_unknown_agency(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`plan --format ics --agency` with an unknown code exits 1 with a did-you-mean."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    args = ["plan", "2018-07", "--agencies", str(agencies), "--format", "ics"]
    assert main([*args, "--agency", "131061", "--lang", "en"]) == 1
    assert "did you mean '131016'" in capsys.readouterr().err
    assert main([*args, "--agency", "131061"]) == 1
    assert "登録簿に団体「131061」がありません — 「131016」（東京都 千代田区）のことですか？" in (
        capsys.readouterr().err
    )


def test_cli_agency_without_ics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--agency with another format is a usage error rather than silently ignored."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    args = ["plan", "2018-07", "--agencies", str(agencies), "--agency", "131016"]
    assert main([*args, "--lang", "en"]) == 2
    assert "only used with --format ics" in capsys.readouterr().err
