"""Tests for cutover.schedule.timeline: the dependency graph, scheduled dates, conflicts and
what-ifs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import re
from collections.abc import Iterator

import attrs
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import cyclic_calendars, dependency_edges, event_dags

from cutover.calendar.load import load_calendar, parse_calendar
from cutover.calendar.model import EFFECTIVE, Dependency, Event, Lag, Revision, RevisionCalendar
from cutover.errors import CutoverError
from cutover.i18n.catalogue import Lang
from cutover.jp.closed_days import JAPAN
from cutover.jp.vocabulary import Actor
from cutover.jp.wareki import DateRange, parse_fuzzy
from cutover.schedule.model import CONFLICT_CODES, Constraint
from cutover.schedule.shift import Shift, parse_shift
from cutover.schedule.timeline import Timeline, build_timeline
from cutover.schedule.whatif import what_if
from cutover.triage import CutoffRule


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


D = dt.date

HEADER = """
[revision]
id = "test"
title_ja = "試験用の改版"
title_en = "Test revision"
effective = "2018-07-01"
source = "test source"
section = "§1"
"""


def calendar(events: str, extra: str = "") -> RevisionCalendar:
    """Return a calendar with the 2018 effective date and these [[events]] tables."""
    return parse_calendar(HEADER + events + extra, "test.toml")


def timeline(events: str, extra: str = "") -> Timeline:
    """Return the timeline of a calendar with these [[events]] tables."""
    return build_timeline(calendar(events, extra))


def event(event_id: str, kind: str = "milestone", **fields: str) -> str:
    """Return one [[events]] table; values are written as TOML as given."""
    lines = [
        "[[events]]",
        f'id = "{event_id}"',
        f'type = "{kind}"',
        f'title_ja = "{event_id}の日"',
        f'title_en = "{event_id.capitalize()} day"',
        'section = "§2"',
    ]
    lines.extend(f"{key} = {value}" for key, value in fields.items())
    return "\n".join(lines) + "\n\n"


SURVEY_FRIDAY = event("survey", "deadline", date='"2018-06-29"')


class TestParseShift:
    def test_business_days(self) -> None:
        """A shift is an event id and a signed lag."""
        assert parse_shift("registration=+3bd") == Shift("registration", Lag(3, "bd"))

    def test_calendar_days_negative(self) -> None:
        """A negative calendar-day shift keeps its sign."""
        assert parse_shift("cutoff=-2d") == Shift("cutoff", Lag(-2, "d"))

    def test_full_width(self) -> None:
        """Full-width text typed on a Japanese keyboard is accepted."""
        assert parse_shift("ｒｅｇｉｓｔｒａｔｉｏｎ＝＋３ｂｄ") == Shift(
            "registration", Lag(3, "bd")
        )

    @pytest.mark.parametrize("minus", ["\u2212", "\u2010", "\u2013", "ー", "－"])
    def test_a_minus_sign_typed_or_pasted_otherwise(self, minus: str) -> None:
        """A minus sign from a word processor (−), a hyphen or dash, or ー from the IME is
        the sign it stands for, as the full-width －."""
        assert parse_shift(f"cutoff={minus}2d") == Shift("cutoff", Lag(-2, "d"))

    def test_str_round_trips(self) -> None:
        """A shift prints the way it is written on the command line."""
        assert str(parse_shift("registration=3bd")) == "registration=+3bd"

    @pytest.mark.parametrize("text", ["registration", "registration=", "=3bd", "x=3 weeks"])
    def test_bad_text(self, text: str) -> None:
        """Bad text is refused with a message naming it and a fix showing the form."""
        with pytest.raises(CutoverError) as info:
            parse_shift(text)
        problem = info.value.problems[0]
        assert repr(text) in problem.describe("en")[0]
        assert "EVENT=+3bd" in problem.describe("en")[1]
        assert "EVENT=-2d" in problem.describe("en")[1]

    def test_too_long_a_shift_says_so(self) -> None:
        """+100000d is refused for its size, not as "not a lag"."""
        with pytest.raises(CutoverError) as info:
            parse_shift("provision-cutoff=+100000d")
        problem = info.value.problems[0]
        assert problem.describe("en")[0] == (
            "'provision-cutoff=+100000d' is not a shift: '+100000d' is too long a lag: "
            "at most 9999 days"
        )


class TestGraph:
    def test_after_edge(self) -> None:
        """An `after` dependency of B on A is an edge A → B carrying lag, anchor, direction."""
        tl = timeline(
            SURVEY_FRIDAY + event("followup", after='[{ event = "survey", lag = "3bd" }]')
        )
        data = tl.graph.edges["survey", "followup"]
        assert (data["lag"], data["anchor"], data["direction"]) == (Lag(3, "bd"), "end", "after")

    def test_before_edge(self) -> None:
        """A `before` dependency of A on B is an edge A → B."""
        tl = timeline(event("cutoff", "deadline", date='"2018-06-30"', before='["effective"]'))
        assert tl.graph.has_edge("cutoff", EFFECTIVE)
        assert tl.graph.edges["cutoff", EFFECTIVE]["direction"] == "before"

    def test_every_event_is_a_node(self) -> None:
        """Every event, the effective date included, is a node holding the event."""
        tl = timeline(SURVEY_FRIDAY)
        assert set(tl.graph.nodes) == {"survey", EFFECTIVE}
        assert tl.graph.nodes["survey"]["event"].id == "survey"

    def test_two_dependencies_between_the_same_events(self) -> None:
        """Two dependencies between one pair of events both stay on the edge."""
        tl = timeline(
            event("reg", "window", start='"2018-06-01"', end='"2018-06-29"')
            + event(
                "check",
                after='[{ event = "reg", lag = "1bd" },'
                ' { event = "reg", lag = "2d", from = "start" }]',
            )
        )
        constraints = tl.graph.edges["reg", "check"]["constraints"]
        assert [c.lag for c in constraints] == [Lag(1, "bd"), Lag(2, "d")]
        assert all(isinstance(c, Constraint) for c in constraints)
        assert tl["check"].start == D(2018, 7, 2)


class TestCycles:
    def test_cycle_listed_in_order(self) -> None:
        """A cycle is an error naming its events in order, at the first event's `after`."""
        cal = calendar(
            event("a", after='["c"]') + event("b", after='["a"]') + event("c", after='["b"]')
        )
        with pytest.raises(CutoverError) as info:
            build_timeline(cal)
        problem = info.value.problems[0]
        assert problem.describe("en")[0] == "events form a cycle: a → b → c → a"
        assert problem.key == "events[0].after[0]"
        assert problem.describe("en")[1] == "remove one of these dependencies"
        assert problem.file == "test.toml"
        assert problem.line is not None

    def test_cycle_through_before(self) -> None:
        """A cycle closed by a `before` dependency points at that `before`."""
        cal = calendar(
            event("a", date='"2018-06-01"', before='["b"]')
            + event("b", after='["a"]')
            + event("c", after='["b"]', before='["a"]')
        )
        with _refused(r"events form a cycle: a → b → c → a") as info:
            build_timeline(cal)
        assert info.value.problems[0].key == "events[0].before[0]"

    def test_unknown_reference_in_code(self) -> None:
        """A calendar built in code that names an unknown event gets "did you mean"."""
        cal = calendar(SURVEY_FRIDAY + event("followup", after='["survey"]'))
        broken = attrs.evolve(
            cal,
            events=tuple(
                attrs.evolve(e, after=(attrs.evolve(e.after[0], event="survy"),))
                if e.id == "followup"
                else e
                for e in cal.events
            ),
        )
        with _refused("unknown event 'survy'") as info:
            build_timeline(broken)
        assert "did you mean 'survey'?" in info.value.problems[0].describe("en")[1]


class TestDerivedDates:
    def test_business_days_across_a_weekend(self) -> None:
        """3bd after Friday 2018-06-29 is Wednesday 2018-07-04 (the weekend is skipped)."""
        tl = timeline(
            SURVEY_FRIDAY + event("followup", after='[{ event = "survey", lag = "3bd" }]')
        )
        assert tl["followup"].start == D(2018, 7, 4)
        assert tl["followup"].derived

    def test_calendar_days_across_a_weekend(self) -> None:
        """3d after Friday 2018-06-29 is Monday 2018-07-02 (calendar days count the weekend)."""
        tl = timeline(SURVEY_FRIDAY + event("followup", after='[{ event = "survey", lag = "3d" }]'))
        assert tl["followup"].start == D(2018, 7, 2)

    def test_latest_candidate_wins(self) -> None:
        """An undeclared start is the latest date its dependencies allow."""
        tl = timeline(
            SURVEY_FRIDAY
            + event("early", date='"2018-06-01"')
            + event("both", after='[{ event = "early", lag = "10d" }, { event = "survey" }]')
        )
        assert tl["both"].start == D(2018, 6, 29)

    def test_from_start(self) -> None:
        """A dependency can count from the other event's start."""
        tl = timeline(
            event("reg", "window", start='"2018-05-21"', end='"2018-06-30"')
            + event("kickoff", after='[{ event = "reg", lag = "1bd", from = "start" }]')
        )
        assert tl["kickoff"].start == D(2018, 5, 22)

    def test_dependency_counts_from_unadjusted_date(self) -> None:
        """Lags count from the declared date, not from the date it moved to."""
        tl = timeline(
            event("cutoff", "deadline", date='"2018-06-30"')
            + event("next", after='[{ event = "cutoff", lag = "1d" }]')
        )
        assert tl["cutoff"].due.date == D(2018, 6, 29)
        assert tl["next"].start == D(2018, 7, 1)

    def test_fuzzy_milestone_takes_first_day(self) -> None:
        """A fuzzy date (下旬) is read conservatively: its first day."""
        tl = timeline(event("briefing", date='"平成30年5月下旬"'))
        assert tl["briefing"].start == D(2018, 5, 21)

    def test_fuzzy_window_spans_both_ranges(self) -> None:
        """A window from a fuzzy start to a fuzzy end covers both ranges fully."""
        tl = timeline(event("reg", "window", start='"2018-05 下旬"', end='"2018-06 下旬"'))
        assert (tl["reg"].start, tl["reg"].end) == (D(2018, 5, 21), D(2018, 6, 30))

    def test_duration_in_business_days(self) -> None:
        """A 3bd window opening Friday 6/29 ends Tuesday 7/3: its start is day 1."""
        tl = timeline(event("test", "window", start='"2018-06-29"', duration='"3bd"'))
        assert tl["test"].end == D(2018, 7, 3)

    def test_duration_from_a_closed_opening(self) -> None:
        """A 3bd window declared to open Sunday 7/1 counts from Monday 7/2 and ends 7/4."""
        tl = timeline(event("test", "window", start='"2018-07-01"', duration='"3bd"'))
        assert tl["test"].opening.date == D(2018, 7, 2)
        assert tl["test"].end == D(2018, 7, 4)

    def test_duration_in_calendar_days(self) -> None:
        """A 3d window opening 6/29 ends 7/1, whatever the weekend."""
        tl = timeline(
            event("test", "window", start='"2018-06-29"', duration='"3d"', adjust="false")
        )
        assert tl["test"].end == D(2018, 7, 1)


class TestClosedDays:
    def test_deadline_on_saturday(self) -> None:
        """A deadline on Saturday 2018-06-30 is due Friday 2018-06-29, and says why."""
        item = timeline(event("cutoff", "deadline", date='"2018-06-30"'))["cutoff"]
        assert item.end == D(2018, 6, 30)
        assert item.due.date == D(2018, 6, 29)
        assert item.due.closure is not None
        assert item.due.closure.ja == "土曜日"
        assert item.moved

    def test_deadline_not_adjusted(self) -> None:
        """With adjust = false a deadline keeps its closed day."""
        item = timeline(event("cutoff", "deadline", date='"2018-06-30"', adjust="false"))["cutoff"]
        assert item.due.date == D(2018, 6, 30)
        assert not item.moved

    def test_window_opening_on_sunday(self) -> None:
        """A window opening on Sunday 2018-07-01 opens Monday 2018-07-02."""
        item = timeline(event("reissue", "window", start='"2018-07-01"', end='"2018-07-31"'))[
            "reissue"
        ]
        assert item.start == D(2018, 7, 1)
        assert item.opening.date == D(2018, 7, 2)
        assert item.opening.closure is not None
        assert item.opening.closure.en == "Sunday"
        assert not item.due.moved

    def test_window_end_on_saturday(self) -> None:
        """A window ending on Saturday 6/30 is due on Friday 6/29."""
        item = timeline(event("reg", "window", start='"2018-05-21"', end='"2018-06-30"'))["reg"]
        assert item.due.date == D(2018, 6, 29)
        assert not item.opening.moved

    def test_milestone_on_sunday_stays(self) -> None:
        """The revision takes effect on Sunday 2018-07-01: milestones never move."""
        item = timeline(SURVEY_FRIDAY)[EFFECTIVE]
        assert item.due.date == item.opening.date == D(2018, 7, 1)
        assert not item.moved

    def test_calendar_closure(self) -> None:
        """A closure the calendar declares moves a deadline too, with its reason."""
        tl = timeline(
            event("cutoff", "deadline", date='"2018-06-27"'),
            '[[closures]]\ndate = "2018-06-27"\nreason_ja = "計画停止"\nreason_en = "outage"\n'
            'section = "§13"\n',
        )
        assert tl["cutoff"].due.date == D(2018, 6, 26)
        assert tl["cutoff"].due.closure is not None
        assert tl["cutoff"].due.closure.ja == "計画停止"


class TestConflicts:
    def test_declared_date_before_dependency(self) -> None:
        """A declared start earlier than its dependency allows is kept and reported."""
        tl = timeline(
            SURVEY_FRIDAY
            + event("followup", date='"2018-07-02"', after='[{ event = "survey", lag = "3bd" }]')
        )
        assert tl["followup"].start == D(2018, 7, 2)
        assert not tl["followup"].derived
        (conflict,) = tl.conflicts
        assert (conflict.code, conflict.event, conflict.other) == (
            "dependency-violated",
            "followup",
            "survey",
        )
        assert "Followup day (followup)" in conflict.message
        assert "Survey day (survey)" in conflict.message
        assert "Mon 2 Jul 2018" in conflict.message
        assert "Fri 29 Jun 2018" in conflict.message
        assert "3 business days after" in conflict.message
        assert "Wed 4 Jul 2018" in conflict.fix
        assert "events[1].after[0]" in conflict.fix
        assert conflict.key == "events[1].after[0]"
        assert "平成30年7月4日（水）" in conflict.message_ja

    def test_before_violated(self) -> None:
        """An end later than a `before` dependency allows is a dependency-violated conflict."""
        tl = timeline(
            event(
                "prep",
                "deadline",
                date='"2018-06-28"',
                before='[{ event = "survey", lag = "2bd" }]',
            )
            + SURVEY_FRIDAY
        )
        (conflict,) = tl.conflicts
        assert (conflict.code, conflict.event, conflict.other) == (
            "dependency-violated",
            "prep",
            "survey",
        )
        assert "2 business days before Survey day (survey) starts" in conflict.message
        assert "it must end by Wed 27 Jun 2018" in conflict.message

    def test_before_satisfied_exactly(self) -> None:
        """Ending exactly on the latest allowed day is no conflict."""
        tl = timeline(
            event(
                "prep",
                "deadline",
                date='"2018-06-28"',
                before='[{ event = "survey", lag = "1bd" }]',
            )
            + SURVEY_FRIDAY
        )
        assert tl.conflicts == ()

    def test_after_effective(self) -> None:
        """A registration window ending after the revision takes effect is after-effective."""
        tl = timeline(
            event(
                "registration",
                "window",
                start='"2018-05-21"',
                end='"2018-07-02"',
                before='["effective"]',
            )
        )
        (conflict,) = tl.conflicts
        assert (conflict.code, conflict.event, conflict.other) == (
            "after-effective",
            "registration",
            EFFECTIVE,
        )
        assert conflict.message == (
            "Registration day (registration) ends Mon 2 Jul 2018, "
            "after the revision takes effect Sun 1 Jul 2018"
        )
        # (By Sunday 1 July: an end on it would be kept on Friday 29 June, the day told.)
        assert "end registration by Fri 29 Jun 2018" in conflict.fix
        assert conflict.describe("en") == (conflict.message, conflict.fix)
        assert conflict.params["end"] == dt.date(2018, 7, 2)
        assert conflict.describe("ja") == (conflict.message_ja, conflict.fix_ja)
        assert conflict.text("ja") == (
            "registrationの日（registration）の終了（平成30年7月2日（月））が、改版の適用開始"
            "（平成30年7月1日（日））より後です — registration を平成30年6月29日（金）までに"
            "終えるよう前倒しするか、events[0].before[0] の依存関係（ラグ +0d）を見直してください"
            "（改版の適用開始日は総務省が定める日で、計画の都合では動きません）"
        )

    @pytest.mark.parametrize(
        ("calendar", "shift", "ja", "en"),
        [
            ("2018-07", "duplicate-registration=+3bd", "改版", "the revision"),
            ("2018-11", "change-requests=+40bd", "マスター配信", "the master delivery"),
        ],
    )
    def test_after_effective_names_what_takes_effect(
        self, calendar: str, shift: str, ja: str, en: str
    ) -> None:
        """A conflict with the day the revision takes effect names what takes effect by the
        calendar's kind, in its message and its fix: a master delivery's said 改版."""
        tl = build_timeline(load_calendar(calendar), [parse_shift(shift)])
        conflict = next(c for c in tl.conflicts if c.code == "after-effective")
        named: dict[Lang, str] = {"ja": f"{ja}の適用開始", "en": f"{en} takes effect"}
        for lang, name in named.items():
            message, fix = conflict.describe(lang)
            assert name in message
            assert name in fix
        if calendar == "2018-11":
            assert "改版" not in conflict.text("ja")
            assert "revision" not in conflict.text("en")

    @pytest.mark.parametrize(
        ("date", "adjust", "day_en", "day_ja"),
        [
            # Ending on the effective day when it must end a day earlier: its date is kept
            # as written (adjust = false), so the day it must end by is Saturday 6/30.
            ('"2018-07-01"', "false", "Sat 30 Jun 2018", "平成30年6月30日（土）"),
            # A deadline moved off closed days is told Friday 6/29, the day the timeline
            # would keep for an end on Saturday 6/30: never asked to end on a closed day.
            ('"2018-07-02"', "true", "Fri 29 Jun 2018", "平成30年6月29日（金）"),
        ],
    )
    def test_after_effective_with_lag(
        self, date: str, adjust: str, day_en: str, day_ja: str
    ) -> None:
        """A deadline that must end the day before the revision (lag 1d) takes effect on
        Sunday 1 July, ending after that, is after-effective; the day it must end by is one
        its date could be kept on, in both languages, message and fix."""
        tl = timeline(
            event(
                "cutoff",
                "deadline",
                date=date,
                adjust=adjust,
                before='[{ event = "effective", lag = "1d" }]',
            )
        )
        (conflict,) = tl.conflicts
        assert conflict.code == "after-effective"
        assert f"must end by {day_en}" in conflict.message
        assert day_en in conflict.fix
        assert f"{day_ja}までに終了が必要" in conflict.message_ja
        assert f"{day_ja}までに終える" in conflict.fix_ja
        other_en, other_ja = (
            ("Fri 29 Jun", "6月29日") if adjust == "false" else ("30 Jun", "6月30日")
        )
        assert other_en not in conflict.text("en")
        assert other_ja not in conflict.text("ja")

    def test_the_day_to_start_from_is_one_the_timeline_keeps(self) -> None:
        """A window that must open 1 day after a Friday deadline is told to start from
        Monday 2 July, where it would open, not from Saturday 30 June."""
        tl = timeline(
            SURVEY_FRIDAY
            + event(
                "late",
                "window",
                start='"2018-06-28"',
                end='"2018-07-06"',
                after='[{ event = "survey", lag = "1d" }]',
            )
        )
        (conflict,) = tl.conflicts
        assert conflict.code == "dependency-violated"
        assert "Mon 2 Jul 2018" in conflict.message
        assert "30 Jun" not in conflict.text("en")

    def test_window_inverted(self) -> None:
        """A window whose derived start falls after its declared end is window-inverted."""
        tl = timeline(
            SURVEY_FRIDAY + event("late", "window", end='"2018-06-25"', after='["survey"]')
        )
        (conflict,) = tl.conflicts
        assert (conflict.code, conflict.event, conflict.other) == ("window-inverted", "late", None)
        assert "ends Mon 25 Jun 2018 before it starts Fri 29 Jun 2018" in conflict.message

    def test_window_all_closed(self) -> None:
        """A window on a weekend only has no business day left once adjusted."""
        tl = timeline(event("weekend", "window", start='"2018-06-30"', end='"2018-07-01"'))
        (conflict,) = tl.conflicts
        assert conflict.code == "window-all-closed"

    def test_codes_are_known(self) -> None:
        """Every conflict code produced is one of the documented codes."""
        tl = timeline(
            SURVEY_FRIDAY
            + event(
                "late", "window", end='"2018-06-25"', after='["survey"]', before='["effective"]'
            )
            + event("followup", date='"2018-06-01"', after='["survey"]')
        )
        assert {c.code for c in tl.conflicts} <= set(CONFLICT_CODES)
        assert len(tl.conflicts) == 2


class TestShifts:
    EVENTS = (
        event(
            "registration",
            "window",
            start='"2018-05-21"',
            end='"2018-06-27"',
            before='["effective"]',
        )
        + event("check", "deadline", after='[{ event = "registration", lag = "1bd" }]')
        + event("other", date='"2018-05-01"')
    )

    def test_shift_moves_the_event_and_its_dependents(self) -> None:
        """A shift moves the event by its lag, and what depends on it follows."""
        tl = build_timeline(calendar(self.EVENTS), [parse_shift("registration=+3bd")])
        assert tl["registration"].end == D(2018, 7, 2)
        assert tl["registration"].shifted == Lag(3, "bd")
        assert tl["check"].start == D(2018, 7, 3)
        assert tl["other"].start == D(2018, 5, 1)
        assert tl.shifts == (Shift("registration", Lag(3, "bd")),)

    def test_what_if_reports_moves_and_new_conflicts(self) -> None:
        """What-if lists every moved event with its old and new due date, and new conflicts."""
        change = what_if(calendar(self.EVENTS), [parse_shift("registration=+3bd")])
        assert change.moved == (
            ("registration", D(2018, 6, 27), D(2018, 7, 2)),
            ("check", D(2018, 6, 28), D(2018, 7, 3)),
        )
        assert [c.code for c in change.new_conflicts] == ["after-effective"]
        assert change.resolved_conflicts == ()
        assert change.before.conflicts == ()

    def test_what_if_resolves_a_conflict(self) -> None:
        """Shifting a late event earlier resolves its conflict."""
        events = event(
            "reg", "window", start='"2018-05-21"', end='"2018-07-03"', before='["effective"]'
        )
        change = what_if(calendar(events), [parse_shift("reg=-3bd")])
        assert [c.code for c in change.resolved_conflicts] == ["after-effective"]
        assert change.after.conflicts == ()
        assert change.new_conflicts == ()

    def test_calendar_day_shift(self) -> None:
        """A calendar-day shift moves by calendar days, even onto a closed day."""
        tl = build_timeline(calendar(self.EVENTS), [parse_shift("other=+5d")])
        assert tl["other"].start == D(2018, 5, 6)

    def test_business_day_shift_counts_from_the_deadline_people_see(self) -> None:
        """A deadline on Saturday 6/30 is seen on Friday 6/29: -1bd makes it Thursday 6/28.

        Counting from the Saturday itself would give 6/29 again, and the what-if would say
        that nothing moved."""
        events = event("cutoff", "deadline", date='"2018-06-30"')
        change = what_if(calendar(events), [parse_shift("cutoff=-1bd")])
        assert change.after["cutoff"].due.date == D(2018, 6, 28)
        assert change.moved == (("cutoff", D(2018, 6, 29), D(2018, 6, 28)),)
        later = build_timeline(calendar(events), [parse_shift("cutoff=+1bd")])
        assert later["cutoff"].due.date == D(2018, 7, 2)

    def test_business_day_shift_keeps_a_window_s_length(self) -> None:
        """A window opening on Sunday 7/1 (seen Monday 7/2) for 5 business days, shifted
        +7bd, opens seven business days after 7/2 and still lasts 5 business days
        (7/16 海の日 is closed)."""
        events = event("requery", "window", start='"2018-07-01"', duration='"5bd"')
        tl = build_timeline(calendar(events), [parse_shift("requery=+7bd")])
        assert (tl["requery"].opening.date, tl["requery"].due.date) == (
            D(2018, 7, 11),
            D(2018, 7, 18),
        )
        assert JAPAN.business_days_between(D(2018, 7, 11), D(2018, 7, 18)) == 5

    def test_business_day_shift_of_a_milestone_counts_from_its_day(self) -> None:
        """A milestone never moves off a closed day, so a shift counts from the day itself."""
        events = event("delivery", date='"2018-07-01"')
        tl = build_timeline(calendar(events), [parse_shift("delivery=-1bd")])
        assert tl["delivery"].start == D(2018, 6, 29)

    def test_unknown_event(self) -> None:
        """Shifting an unknown event is an error with "did you mean"."""
        with _refused("registraton") as info:
            build_timeline(calendar(self.EVENTS), [parse_shift("registraton=+3bd")])
        assert info.value.problems[0].describe("en")[1] == "did you mean 'registration'?"

    def test_shifted_twice(self) -> None:
        """Two shifts of one event are refused rather than guessed at."""
        with _refused("shifted twice"):
            build_timeline(
                calendar(self.EVENTS), [parse_shift("other=+1d"), parse_shift("other=+2d")]
            )


class TestSlack:
    EVENTS = (
        event("a", "deadline", date='"2018-06-26"')
        + event(
            "b",
            "deadline",
            after='[{ event = "a", lag = "2bd" }]',
            before='[{ event = "effective", lag = "1bd" }]',
        )
        + event("loose", "deadline", date='"2018-06-01"', before='["effective"]')
        + event("unrelated", date='"2018-08-01"')
    )

    def test_critical_path(self) -> None:
        """Events with no slack, chained by binding dependencies, form the critical path."""
        tl = timeline(self.EVENTS)
        assert tl["b"].start == D(2018, 6, 28)
        assert tl["b"].latest_end == D(2018, 6, 29)
        assert (tl["a"].slack_days, tl["b"].slack_days) == (1, 1)
        assert tl.critical_path == (EFFECTIVE,)

    def test_tight_chain(self) -> None:
        """A chain whose lags use up every day up to the effective date is critical."""
        tl = timeline(
            event("a", "deadline", date='"2018-06-27"')
            + event(
                "b",
                "deadline",
                after='[{ event = "a", lag = "2bd" }]',
                before='[{ event = "effective", lag = "1bd" }]',
            )
        )
        assert tl["b"].start == D(2018, 6, 29)
        assert tl["b"].slack_days == 0
        assert tl["a"].slack_days == 0
        assert tl.critical_path == ("a", "b", EFFECTIVE)

    def test_slack_counts_calendar_days(self) -> None:
        """Slack is the calendar days between the end and the latest end."""
        tl = timeline(self.EVENTS)
        assert tl["loose"].latest_end == D(2018, 7, 1)
        assert tl["loose"].slack_days == 30
        assert not tl["loose"].critical

    def test_no_path_no_slack(self) -> None:
        """An event with no path to the effective date has no latest dates."""
        item = timeline(self.EVENTS)["unrelated"]
        assert (item.latest_start, item.latest_end, item.slack_days) == (None, None, None)
        assert not item.critical

    def test_window_latest_start(self) -> None:
        """A window's latest start keeps its length before its latest end."""
        tl = timeline(
            event("reg", "window", start='"2018-06-01"', end='"2018-06-10"', before='["effective"]')
        )
        assert tl["reg"].latest_end == D(2018, 7, 1)
        assert tl["reg"].latest_start == D(2018, 6, 22)

    def test_late_event_is_critical(self) -> None:
        """An event already late for the effective date has negative slack and is critical."""
        tl = timeline(
            event("reg", "window", start='"2018-06-01"', end='"2018-07-03"', before='["effective"]')
        )
        assert tl["reg"].slack_days == -2
        assert tl["reg"].critical
        assert tl.critical_path == ("reg", EFFECTIVE)


CUTOFF_2018 = event(
    "last-provision", "deadline", date='"2018-06-30"', adjust="false", before='["effective"]'
) + event("reissue", "window", start='"2018-07-01"', end='"2018-07-31"')
CUTOFF_TABLE = """
[[items]]
number = 2
name_ja = "地方税関係情報"
name_en = "local tax information"
section = "§5"

[[items]]
number = 21
name_ja = "母子父子寡婦福祉資金関係情報"
name_en = "single-parent welfare loan information"
section = "§5"

[cutoff]
items = [2, 21]
last_provision = "last-provision"
requery_from = "effective"
section = "§6"
"""


class TestCutoffRule:
    def test_2018(self) -> None:
        """2018: answer by Fri 6/29 (6/30 is a Saturday); re-issue from Mon 7/2 (7/1 a Sunday)."""
        tl = timeline(CUTOFF_2018, CUTOFF_TABLE)
        assert tl.cutoff_dates() == CutoffRule(
            items=frozenset({2, 21}),
            last_provision=D(2018, 6, 30),
            answer_by=D(2018, 6, 29),
            effective=D(2018, 7, 1),
            reissue_from=D(2018, 7, 2),
            section="§6",
        )

    def test_no_cutoff(self) -> None:
        """A calendar without a [cutoff] table has no cutoff dates."""
        assert timeline(SURVEY_FRIDAY).cutoff_dates() is None


class TestRecurring:
    def test_occurrences_over_the_events(self) -> None:
        """Recurring obligations are listed on their dates between the first and last event."""
        tl = timeline(
            event("reg", "window", start='"2018-05-21"', end='"2018-07-04"'),
            '[[recurring]]\nid = "contacts"\ntitle_ja = "連絡先の更新"\ntitle_en = "contacts"\n'
            'rrule = "FREQ=MONTHLY;BYMONTHDAY=1"\ndtstart = "2018-01-01"\nsection = "§13"\n',
        )
        assert [(rule.id, day) for rule, day in tl.recurring] == [
            ("contacts", D(2018, 6, 1)),
            ("contacts", D(2018, 7, 1)),
        ]


class TestTimeline:
    def test_events_sorted_by_date(self) -> None:
        """Events come in date order, ties broken by end and id."""
        tl = timeline(
            event("b", date='"2018-06-01"')
            + event("a", date='"2018-06-01"')
            + event("w", "window", start='"2018-05-01"', end='"2018-06-30"')
        )
        assert [e.id for e in tl.events] == ["w", "a", "b", EFFECTIVE]

    def test_unknown_id(self) -> None:
        """Looking up an unknown event id says which one was meant."""
        tl = timeline(SURVEY_FRIDAY)
        with pytest.raises(CutoverError) as info:
            tl["survy"]
        assert info.value.problems[0].describe("en")[1] == "did you mean 'survey'?"

    def test_effective(self) -> None:
        """The timeline knows its effective date."""
        assert timeline(SURVEY_FRIDAY).effective == D(2018, 7, 1)

    def test_contains(self) -> None:
        """`in` tells whether an event id is scheduled."""
        tl = timeline(SURVEY_FRIDAY)
        assert "survey" in tl
        assert "nothing" not in tl

    def test_ten_thousand_events(self) -> None:
        """A calendar of 10,000 chained events builds (no quadratic scans; see benchmarks)."""
        day = DateRange(D(2018, 1, 4), D(2018, 1, 4), "2018-01-04", "day")
        effective = D(2030, 7, 1)
        events = [
            Event(
                id=EFFECTIVE,
                type="milestone",
                title_ja="改版",
                title_en="revision",
                actor=Actor.NWS_OPERATOR,
                start=DateRange(effective, effective, "e", "day"),
                end=None,
                duration=None,
                after=(),
                before=(),
                section="§1",
                adjust=False,
            )
        ]
        for i in range(10_000):
            after = (
                (Dependency(f"e{i - 1}", Lag(1, "bd"), "end", "after"),)
                + ((Dependency(f"e{i - 7}", Lag(3, "d"), "start", "after"),) if i >= 7 else ())
                if i
                else ()
            )
            events.append(
                Event(
                    id=f"e{i}",
                    type="deadline",
                    title_ja="x",
                    title_en="x",
                    actor=Actor.PROVIDER,
                    start=None if i else day,
                    end=None,
                    duration=None,
                    after=after,
                    before=(),
                    section="§1",
                )
            )
        cal = RevisionCalendar(
            revision=Revision("big", "大", "big", effective, "s", "§1", ()),
            items=(),
            events=tuple(events),
            cutoff=None,
            tasks=(),
            recurring=(),
            closures=(),
        )
        tl = build_timeline(cal)
        assert len(tl.events) == 10_001
        assert JAPAN.business_days_between(D(2018, 1, 5), tl["e9999"].start) == 9_999


def _lagged(day: dt.date, lag: Lag) -> dt.date:
    """Return the earliest date `lag` after `day`, as DESIGN.md defines lags."""
    if lag.business:
        return JAPAN.add_business_days(day, lag.days)
    return day + dt.timedelta(days=lag.days)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(cal=event_dags())
def test_after_edges_respected(cal: RevisionCalendar) -> None:
    """Every derived start is the latest date its `after` dependencies allow, so none is broken."""
    tl = build_timeline(cal)
    for item in tl.events:
        if not item.derived:
            continue
        allowed = [
            _lagged(tl[dep.event].start if dep.anchor == "start" else tl[dep.event].end, dep.lag)
            for dep in item.event.after
        ]
        assert item.start == max(allowed)
        assert all(item.start >= day for day in allowed)
    broken = {(c.event, c.other) for c in tl.conflicts if c.code == "dependency-violated"}
    for item in tl.events:
        if item.derived:
            assert not any((item.id, dep.event) in broken for dep in item.event.after)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(cal=event_dags())
def test_a_conflict_asks_for_a_day_the_timeline_keeps(cal: RevisionCalendar) -> None:
    """The day a broken dependency tells an event to end by, or start from, is a business
    day when the timeline moves that end (a deadline's, a window's) or that opening (a
    window's) off closed days, and still one the dependency allows."""
    tl = build_timeline(cal)
    closed = cal.closed_days()
    for conflict in tl.conflicts:
        event = tl[conflict.event].event
        if "limit" in conflict.params:
            day, anchor, lag = (conflict.params[k] for k in ("limit", "anchor_day", "lag"))
            assert isinstance(day, dt.date)
            assert isinstance(anchor, dt.date)
            assert isinstance(lag, Lag)
            assert day <= anchor or lag.days < 0
            moved = event.adjust and event.type != "milestone"
        elif "required" in conflict.params:
            day = conflict.params["required"]
            assert isinstance(day, dt.date)
            moved = event.adjust and event.is_window
        else:
            continue
        if moved:
            assert not closed.is_closed(day), (conflict.code, day)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(cal=cyclic_calendars())
def test_cycles_reported(cal: RevisionCalendar) -> None:
    """Any cycle is an error that lists a real cycle of the graph, in order."""
    with pytest.raises(CutoverError) as info:
        build_timeline(cal)
    match = re.fullmatch(r"events form a cycle: (.+)", info.value.problems[0].describe("en")[0])
    assert match is not None
    cycle = match.group(1).split(" → ")
    assert cycle[0] == cycle[-1]
    assert len(set(cycle[:-1])) == len(cycle) - 1
    edges = dependency_edges(cal)
    assert all(pair in edges for pair in itertools.pairwise(cycle))
    # Its key is a dependency the calendar writes, one of the cycle's steps.
    written: dict[str, tuple[str, str]] = {}
    for e in cal.events:
        where = e.key or e.id
        written.update({f"{where}.after[{i}]": (d.event, e.id) for i, d in enumerate(e.after)})
        written.update({f"{where}.before[{i}]": (e.id, d.event) for i, d in enumerate(e.before)})
    assert written.get(info.value.problems[0].key or "") in set(itertools.pairwise(cycle))


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(cal=event_dags())
def test_build_is_deterministic(cal: RevisionCalendar) -> None:
    """The same calendar always gives the same timeline, graph included."""
    first, second = build_timeline(cal), build_timeline(cal)
    assert first == second
    assert list(first.graph.edges(data=True)) == list(second.graph.edges(data=True))


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(cal=event_dags())
def test_slack_is_consistent(cal: RevisionCalendar) -> None:
    """Latest dates exist exactly for the events with a path to the effective date."""
    tl = build_timeline(cal)
    reaching = nx.ancestors(tl.graph, EFFECTIVE) | {EFFECTIVE}
    for item in tl.events:
        assert (item.latest_end is not None) == (item.id in reaching)
        if item.latest_end is not None and item.latest_start is not None:
            assert item.latest_end - item.latest_start == item.end - item.start
    assert tl.critical_path[-1] == EFFECTIVE


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(cal=event_dags(max_events=6), n=st.integers(-15, 15).filter(bool), data=st.data())
def test_business_day_shift_moves_what_people_see(
    cal: RevisionCalendar, n: int, data: st.DataObject
) -> None:
    """Shifting an event by n business days moves its due date and its opening (as shown,
    closed days adjusted) by exactly n business days, so a window keeps its business days."""
    event_id = data.draw(st.sampled_from(sorted(e.id for e in cal.events if e.id != EFFECTIVE)))
    before = build_timeline(cal)[event_id]
    after = build_timeline(cal, [Shift(event_id, Lag(n, "bd"))])[event_id]
    assert after.due.date == JAPAN.add_business_days(before.due.date, n)
    if before.event.is_window:
        # A deadline or milestone is shown by one date, its due date; a window by two.
        assert after.opening.date == JAPAN.add_business_days(before.opening.date, n)


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(cal=event_dags())
def test_events_are_listed_by_the_days_they_are_acted_on(cal: RevisionCalendar) -> None:
    """The timeline lists events in the order of the dates it shows, after closed-day moves."""
    shown = [item.acted_on for item in build_timeline(cal).events]
    assert shown == sorted(shown)


def test_a_deadline_moved_back_over_golden_week_is_listed_before_a_later_milestone() -> None:
    """A 2019-04-30 deadline, due Friday 4/26 (4/27–5/6 closed), comes before a 4/27 milestone."""
    tl = timeline(
        event("deadline-in-golden-week", "deadline", date='"2019-04-30"')
        + event("saturday-milestone", date='"2019-04-27"')
    )
    listed = [(item.id, item.acted_on[0]) for item in tl.events if item.id != EFFECTIVE]
    assert listed == [
        ("deadline-in-golden-week", D(2019, 4, 26)),
        ("saturday-milestone", D(2019, 4, 27)),
    ]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    month=st.dates(D(2018, 1, 1), D(2021, 12, 31)).map(lambda d: d.replace(day=1)),
    part=st.sampled_from(["上旬", "中旬", "下旬", ""]),
)
def test_a_deadline_given_as_a_span_is_due_on_its_last_day(month: dt.date, part: str) -> None:
    """A deadline written as a dekad or a month (「4月中旬まで」) is due on the span's last day,
    moved back off closed days, as a window's end is: never on a first day the source does
    not give."""
    written = f"{month:%Y-%m} {part}".strip()
    tl = timeline(event("due", "deadline", date=f'"{written}"'))
    assert tl["due"].due.date == JAPAN.previous_business_day(parse_fuzzy(written).end)


def test_a_deadline_in_mid_april_2019_is_due_friday_the_19th() -> None:
    """「平成31年4月中旬」 as a deadline: 4/20 is a Saturday, so due Friday 4/19, not 4/11."""
    tl = timeline(event("report", "deadline", date='"平成31年4月中旬"'))
    assert (tl["report"].due.original, tl["report"].due.date) == (D(2019, 4, 20), D(2019, 4, 19))
