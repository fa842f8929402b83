"""Tests for cutover.jp.closed_days: the closed days of 行政機関の休日に関する法律 §1."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import dates

from cutover.errors import CutoverError
from cutover.jp import closed_days
from cutover.jp.closed_days import JAPAN, Adjustment, ClosedDays, Closure, ClosureCode


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


ONE_DAY = timedelta(days=1)


def days(start: date, end: date) -> list[date]:
    """Return every day from start to end, both included."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def ja(d: date) -> str:
    """Return the Japanese reason `d` is closed (fails the test when it is open)."""
    closure = JAPAN.closure(d)
    assert closure is not None, f"{d} should be closed"
    return closure.ja


class TestClosure:
    def test_saturday(self) -> None:
        """A Saturday is closed, and says so in both languages."""
        assert JAPAN.closure(date(2018, 6, 30)) == Closure(
            date(2018, 6, 30), "土曜日", "Saturday", code="saturday"
        )

    def test_sunday(self) -> None:
        """A Sunday is closed."""
        assert JAPAN.closure(date(2018, 7, 1)) == Closure(
            date(2018, 7, 1), "日曜日", "Sunday", code="sunday"
        )

    @pytest.mark.parametrize(
        ("day", "code", "said_ja", "said_en"),
        [
            (
                date(2021, 8, 8),
                "sunday",
                "日曜日・祝日（山の日）",
                "Sunday, national holiday (Mountain Day)",
            ),
            (
                date(2018, 9, 23),
                "sunday",
                "日曜日・祝日（秋分の日）",
                "Sunday, national holiday (Autumnal Equinox Day)",
            ),
            (
                date(2019, 5, 4),
                "saturday",
                "土曜日・祝日（みどりの日）",
                "Saturday, national holiday (Greenery Day)",
            ),
        ],
    )
    def test_a_weekend_holiday_is_said_to_be_both(
        self, day: date, code: ClosureCode, said_ja: str, said_en: str
    ) -> None:
        """A Sunday (or Saturday) that is also a national holiday keeps a weekend's code, but
        is said to be both where a date moves off it: 2021-08-08 was no plain Sunday."""
        assert JAPAN.closure(day) == Closure(day, said_ja, said_en, code=code)
        moved = JAPAN.adjust_deadline(day)
        assert moved.closure is not None
        assert moved.closure.reason("ja") == said_ja

    @given(dates().filter(lambda d: d.weekday() >= 5))
    @example(date(2002, 5, 4))  # a Saturday 国民の休日
    @example(date(2021, 8, 8))  # a Sunday holiday (山の日)
    def test_a_weekend_names_its_holiday_exactly_when_it_has_one(self, day: date) -> None:
        """Every Saturday and Sunday has its weekday's code and name; it names a national
        holiday as well exactly when the day is one."""
        import holidays

        closure = JAPAN.closure(day)
        assert closure is not None
        assert closure.code == ("saturday" if day.weekday() == 5 else "sunday")
        weekday_ja, weekday_en = (
            ("土曜日", "Saturday") if day.weekday() == 5 else ("日曜日", "Sunday")
        )
        holiday = holidays.country_holidays("JP", years=day.year, language="ja").get(day)
        if holiday is None:
            assert (closure.ja, closure.en) == (weekday_ja, weekday_en)
        else:
            name_en = holidays.country_holidays("JP", years=day.year, language="en_US")[day]
            if holiday == "国民の休日":
                # (A weekday between two holidays, said so: 5/4 was one in 1988–2006 even on
                # a Saturday, as on 2002-05-04.)
                name_en = "day between two holidays"
            assert closure.ja == f"{weekday_ja}・祝日（{holiday}）"
            assert closure.en == f"{weekday_en}, national holiday ({name_en})"

    def test_weekday_is_open(self) -> None:
        """An ordinary Friday is a business day, with no closure."""
        assert JAPAN.closure(date(2018, 6, 29)) is None
        assert JAPAN.is_business_day(date(2018, 6, 29))
        assert not JAPAN.is_closed(date(2018, 6, 29))

    def test_substitute_holiday_names_the_holiday(self) -> None:
        """2018-12-24 is the 振替休日 of 天皇誕生日, which fell on Sunday 12/23."""
        closure = JAPAN.closure(date(2018, 12, 24))
        assert closure is not None
        assert closure.ja == "祝日（天皇誕生日 振替休日）"
        assert "Emperor's Birthday" in closure.en
        assert "substitute" in closure.en

    def test_abdication_and_enthronement(self) -> None:
        """2019-04-30 and 05-02 are 国民の休日 around 即位の日 (05-01)."""
        assert ja(date(2019, 4, 30)) == "祝日（国民の休日）"
        assert "即位の日" in ja(date(2019, 5, 1))
        assert ja(date(2019, 5, 2)) == "祝日（国民の休日）"

    def test_golden_week_2019(self) -> None:
        """Golden Week 2019 closed ten days in a row, 4/27 to 5/6, between two business days."""
        assert all(JAPAN.is_closed(d) for d in days(date(2019, 4, 27), date(2019, 5, 6)))
        assert JAPAN.is_business_day(date(2019, 4, 26))
        assert JAPAN.is_business_day(date(2019, 5, 7))

    def test_year_end(self) -> None:
        """12/29–1/3 is closed by law, and 2020-01-06 is the first business day of 2020."""
        assert ja(date(2019, 12, 28)) == "土曜日"
        for d in (date(2019, 12, 30), date(2019, 12, 31), date(2020, 1, 2), date(2020, 1, 3)):
            assert ja(d) == "年末年始（12月29日〜1月3日）"
        assert ja(date(2020, 1, 1)) == "祝日（元日）"
        assert ja(date(2020, 1, 4)) == "土曜日"
        assert ja(date(2020, 1, 5)) == "日曜日"
        assert all(JAPAN.is_closed(d) for d in days(date(2019, 12, 28), date(2020, 1, 5)))
        assert JAPAN.is_business_day(date(2020, 1, 6))
        assert JAPAN.next_business_day(date(2019, 12, 28)) == date(2020, 1, 6)
        assert JAPAN.previous_business_day(date(2020, 1, 5)) == date(2019, 12, 27)

    def test_year_end_closure_in_english(self) -> None:
        """The year-end closure has an English reason too."""
        closure = JAPAN.closure(date(2018, 12, 31))
        assert closure is not None
        assert closure.en == "year-end closure (29 Dec–3 Jan)"

    @pytest.mark.parametrize(
        ("day", "name"),
        [
            (date(2020, 7, 23), "海の日"),
            (date(2020, 7, 24), "スポーツの日"),
            (date(2021, 7, 22), "海の日"),
            (date(2021, 7, 23), "スポーツの日"),
        ],
    )
    def test_olympic_moves(self, day: date, name: str) -> None:
        """The Olympic special law moved 海の日 and スポーツの日 in 2020 and 2021."""
        assert ja(day) == f"祝日（{name}）"

    def test_olympic_moves_left_usual_days_open(self) -> None:
        """The usual days of those holidays were business days in the Olympic years."""
        assert JAPAN.is_business_day(date(2020, 7, 20))
        assert JAPAN.is_business_day(date(2020, 10, 12))
        assert JAPAN.is_business_day(date(2021, 7, 19))
        assert JAPAN.is_business_day(date(2021, 10, 11))

    def test_citizens_holiday_2026(self) -> None:
        """2026-09-22 is a 国民の休日, between 敬老の日 and 秋分の日."""
        assert ja(date(2026, 9, 22)) == "祝日（国民の休日）"

    def test_extra_closure_reason_surfaces(self) -> None:
        """An extra closure is closed with its declared reason."""
        outage = ClosedDays(extra={date(2018, 6, 28): "NWS planned outage"})
        closure = outage.closure(date(2018, 6, 28))
        assert closure == Closure(date(2018, 6, 28), "NWS planned outage", "NWS planned outage")
        assert outage.adjust_deadline(date(2018, 6, 30)).date == date(2018, 6, 29)
        assert outage.add_business_days(date(2018, 6, 27), 1) == date(2018, 6, 29)
        assert JAPAN.is_business_day(date(2018, 6, 28))

    def test_with_extra_adds_closures(self) -> None:
        """with_extra keeps the closures already declared and adds the new ones."""
        one = JAPAN.with_extra({date(2018, 6, 28): "outage A"})
        two = one.with_extra({date(2018, 6, 27): "outage B"})
        assert dict(two.extra) == {date(2018, 6, 28): "outage A", date(2018, 6, 27): "outage B"}
        assert JAPAN.extra == {}

    def test_extra_closure_reason_in_english(self) -> None:
        """A declared closure gives its English reason to an English reader, and its
        Japanese one where it has no English one; with_extra keeps both."""
        days_off = ClosedDays(
            extra={date(2018, 6, 28): "計画停止", date(2018, 6, 27): "停電"},
            extra_en={date(2018, 6, 28): "planned outage"},
        )
        outage = days_off.closure(date(2018, 6, 28))
        assert outage is not None
        assert (outage.ja, outage.en) == ("計画停止", "planned outage")
        blackout = days_off.closure(date(2018, 6, 27))
        assert blackout is not None
        assert blackout.en == "停電"
        kept = days_off.with_extra({date(2018, 6, 26): "点検"}).closure(date(2018, 6, 28))
        assert kept is not None
        assert kept.en == "planned outage"
        replaced = days_off.with_extra({date(2018, 6, 28): "点検"}).closure(date(2018, 6, 28))
        assert replaced is not None
        assert replaced.en == "点検"

    def test_extra_is_read_only(self) -> None:
        """The extra closures of a ClosedDays cannot be changed behind its back."""
        source = {date(2018, 6, 28): "outage"}
        closed = ClosedDays(extra=source)
        source[date(2018, 6, 27)] = "later"
        assert closed.is_business_day(date(2018, 6, 27))
        with pytest.raises(TypeError):
            closed.extra[date(2018, 6, 26)] = "x"  # type: ignore[index]

    def test_closed_days_are_hashable_and_comparable(self) -> None:
        """Two ClosedDays with the same extra closures are equal and hash alike."""
        a = ClosedDays(extra={date(2018, 6, 28): "outage"})
        b = ClosedDays(extra={date(2018, 6, 28): "outage"})
        assert a == b
        assert hash(a) == hash(b)
        assert a != JAPAN

    def test_extra_without_reason_is_refused(self) -> None:
        """An extra closure must say why the day is closed."""
        with _refused("2018-06-28 has no reason"):
            ClosedDays(extra={date(2018, 6, 28): " "})

    @pytest.mark.parametrize("day", [date(1948, 12, 31), date(2100, 1, 1), date(1, 1, 1)])
    def test_years_outside_holiday_data(self, day: date) -> None:
        """Dates outside 1949–2099 are refused, saying which years holiday data covers."""
        with _refused("1949–2099") as info:
            JAPAN.is_closed(day)
        assert day.isoformat() in info.value.text("en")
        assert str(info.value) == (
            f"{day.isoformat()}は祝日のデータがある年（1949〜2099年）の外です"
            " — 1949-01-01 から 2099-12-31 までの日付を書いてください"
        )
        with _refused("1949–2099"):
            JAPAN.closure(day)

    def test_next_business_day_past_2099(self) -> None:
        """Stepping past 2099-12-31 is refused rather than guessed."""
        with _refused("1949–2099"):
            JAPAN.next_business_day(date(2099, 12, 31), inclusive=False)

    def test_first_and_last_years_work(self) -> None:
        """1949 and 2099 are covered."""
        assert ja(date(1949, 3, 21)) == "祝日（春分の日）"
        assert ja(date(2099, 11, 23)) == "祝日（勤労感謝の日）"
        assert JAPAN.is_business_day(date(2099, 12, 28))

    def test_endless_closure_is_refused(self) -> None:
        """A calendar that closes every day for over a year stops the search with an error."""
        start = date(2030, 1, 1)
        closed = ClosedDays(extra=dict.fromkeys(days(start, start + timedelta(days=400)), "down"))
        with _refused("no business day within"):
            closed.next_business_day(start)


class TestAdjust:
    def test_deadline_on_saturday(self) -> None:
        """A deadline on Saturday 2018-06-30 moves back to Friday 2018-06-29."""
        adjusted = JAPAN.adjust_deadline(date(2018, 6, 30))
        assert adjusted.original == date(2018, 6, 30)
        assert adjusted.date == date(2018, 6, 29)
        assert adjusted.moved
        assert adjusted.closure is not None
        assert adjusted.closure.ja == "土曜日"

    def test_opening_on_sunday(self) -> None:
        """A window opening on Sunday 2018-07-01 opens on Monday 2018-07-02."""
        adjusted = JAPAN.adjust_opening(date(2018, 7, 1))
        assert adjusted.date == date(2018, 7, 2)
        assert adjusted.closure is not None
        assert adjusted.closure.en == "Sunday"

    def test_business_day_is_not_moved(self) -> None:
        """A business day stays where it is, with no closure."""
        d = date(2018, 6, 29)
        assert JAPAN.adjust_deadline(d) == Adjustment(d, d, None)
        assert JAPAN.adjust_opening(d) == Adjustment(d, d, None)
        assert not JAPAN.adjust_deadline(d).moved

    def test_deadline_in_golden_week(self) -> None:
        """A deadline on 2019-05-01 moves back before the ten closed days of Golden Week."""
        assert JAPAN.adjust_deadline(date(2019, 5, 1)).date == date(2019, 4, 26)
        assert JAPAN.adjust_opening(date(2019, 5, 1)).date == date(2019, 5, 7)

    def test_deadline_on_substitute_holiday(self) -> None:
        """A deadline on 2018-12-24 (振替休日) moves back to Friday 12/21."""
        assert JAPAN.adjust_deadline(date(2018, 12, 24)).date == date(2018, 12, 21)

    def test_days_passed_besides_the_own_closure(self) -> None:
        """A deadline on Sunday 2019-06-30 with a declared outage on Thursday and Friday
        moves to Wednesday 6/26: the adjustment names the outage days it passed too."""
        outage = JAPAN.with_extra({date(2019, 6, 27): "計画停止", date(2019, 6, 28): "計画停止"})
        adjusted = outage.adjust_deadline(date(2019, 6, 30))
        assert adjusted.date == date(2019, 6, 26)
        assert [c.day for c in adjusted.passed] == [date(2019, 6, 27), date(2019, 6, 28)]
        assert {c.ja for c in adjusted.passed} == {"計画停止"}

    def test_golden_week_days_passed(self) -> None:
        """Golden Week 2019 from either end: the holidays passed, not its weekend days."""
        back = JAPAN.adjust_deadline(date(2019, 5, 6))
        assert [c.day for c in back.passed] == days(date(2019, 4, 29), date(2019, 5, 3))
        on = JAPAN.adjust_opening(date(2019, 4, 27))
        assert [c.day for c in on.passed] == [
            *days(date(2019, 4, 29), date(2019, 5, 3)),
            date(2019, 5, 6),
        ]

    def test_no_days_passed_that_the_own_closure_explains(self) -> None:
        """A weekend passed is plain from the days; the rest of the year-end is its own
        closure's: 2018-06-30 and 2019-01-03 pass nothing worth naming."""
        assert JAPAN.adjust_deadline(date(2018, 6, 30)).passed == ()
        assert JAPAN.adjust_deadline(date(2019, 1, 3)).passed == ()
        assert JAPAN.adjust_opening(date(2018, 12, 29)).passed == ()

    # (An opening on 2099-12-29 or later moves into 2100, past the holiday data: refused.)
    @given(dates(max_value=date(2099, 12, 28)), st.booleans())
    def test_passed_days_lie_between_and_are_no_weekend(self, d: date, deadline: bool) -> None:
        """Every day a moved date passed lies strictly between where it was and where it
        is, is closed, and is not closed for being a weekend."""
        adjusted = JAPAN.adjust_deadline(d) if deadline else JAPAN.adjust_opening(d)
        low, high = sorted((adjusted.date, adjusted.original))
        for closure in adjusted.passed:
            assert low < closure.day < high
            assert JAPAN.closure(closure.day) == closure
            assert closure.code not in ("saturday", "sunday")
        if not adjusted.moved:
            assert adjusted.passed == ()


class TestArithmetic:
    def test_previous_and_next_exclusive(self) -> None:
        """With inclusive=False, a business day looks strictly before or after itself."""
        assert JAPAN.previous_business_day(date(2018, 6, 29)) == date(2018, 6, 29)
        assert JAPAN.previous_business_day(date(2018, 6, 29), inclusive=False) == date(2018, 6, 28)
        assert JAPAN.next_business_day(date(2018, 6, 29), inclusive=False) == date(2018, 7, 2)

    def test_add_zero(self) -> None:
        """Adding 0 keeps a business day and moves a closed day to the next business day."""
        assert JAPAN.add_business_days(date(2018, 6, 29), 0) == date(2018, 6, 29)
        assert JAPAN.add_business_days(date(2018, 6, 30), 0) == date(2018, 7, 2)

    def test_add_across_golden_week(self) -> None:
        """One business day after 2019-04-26 is 2019-05-07, and back."""
        assert JAPAN.add_business_days(date(2019, 4, 26), 1) == date(2019, 5, 7)
        assert JAPAN.add_business_days(date(2019, 5, 7), -1) == date(2019, 4, 26)

    def test_add_from_closed_day(self) -> None:
        """Counting from a closed day: +1 is the next business day, -1 the previous one."""
        assert JAPAN.add_business_days(date(2018, 6, 30), 1) == date(2018, 7, 2)
        assert JAPAN.add_business_days(date(2018, 6, 30), -1) == date(2018, 6, 29)
        assert JAPAN.add_business_days(date(2018, 6, 30), 3) == date(2018, 7, 4)

    def test_between(self) -> None:
        """business_days_between counts both ends, and 0 for an empty span."""
        assert JAPAN.business_days_between(date(2018, 6, 25), date(2018, 7, 1)) == 5
        assert JAPAN.business_days_between(date(2018, 6, 29), date(2018, 6, 29)) == 1
        assert JAPAN.business_days_between(date(2018, 6, 30), date(2018, 6, 30)) == 0
        assert JAPAN.business_days_between(date(2018, 7, 1), date(2018, 6, 25)) == 0
        assert JAPAN.business_days_between(date(2019, 12, 28), date(2020, 1, 5)) == 0

    @given(dates())
    def test_previous_is_the_last_business_day(self, d: date) -> None:
        """previous_business_day is a business day, with none strictly between it and d."""
        prev = JAPAN.previous_business_day(d)
        assert prev <= d
        assert JAPAN.is_business_day(prev)
        assert all(JAPAN.is_closed(x) for x in days(prev + ONE_DAY, d))

    @given(dates(max_value=date(2099, 12, 20)))  # the next business day after 12/28 is in 2100
    def test_next_is_the_first_business_day(self, d: date) -> None:
        """next_business_day is a business day, with none strictly between d and it."""
        nxt = JAPAN.next_business_day(d)
        assert nxt >= d
        assert JAPAN.is_business_day(nxt)
        assert all(JAPAN.is_closed(x) for x in days(d, nxt - ONE_DAY))

    @given(dates(max_value=date(2099, 12, 20)))  # the next business day after 12/28 is in 2100
    def test_exclusive_steps_skip_d(self, d: date) -> None:
        """Exclusive steps land strictly on the other side of d, on business days."""
        before = JAPAN.previous_business_day(d, inclusive=False)
        after = JAPAN.next_business_day(d, inclusive=False)
        assert before < d < after
        assert JAPAN.business_days_between(before + ONE_DAY, d - ONE_DAY) == 0
        assert JAPAN.business_days_between(d + ONE_DAY, after - ONE_DAY) == 0

    @given(dates(max_value=date(2099, 10, 31)), st.integers(min_value=-40, max_value=40))
    def test_add_then_subtract_returns(self, d: date, n: int) -> None:
        """Adding n business days to a business day and then -n gives the day back."""
        start = JAPAN.next_business_day(d)
        assert JAPAN.add_business_days(JAPAN.add_business_days(start, n), -n) == start

    @given(dates(max_value=date(2099, 10, 31)), st.integers(min_value=-40, max_value=40))
    def test_add_agrees_with_between(self, d: date, n: int) -> None:
        """n business days lie in (d, d + n] for n > 0, and -n in [d + n, d) for n < 0."""
        result = JAPAN.add_business_days(d, n)
        assert JAPAN.is_business_day(result)
        if n > 0:
            assert JAPAN.business_days_between(d + ONE_DAY, result) == n
        elif n < 0:
            assert JAPAN.business_days_between(result, d - ONE_DAY) == -n
        else:
            assert result == JAPAN.next_business_day(d)

    @given(dates(max_value=date(2098, 11, 26)), st.integers(min_value=0, max_value=400))
    def test_between_splits(self, start: date, length: int) -> None:
        """Counting [start, end] equals counting [start, mid] plus [mid + 1, end]."""
        end = start + timedelta(days=length)
        mid = start + timedelta(days=length // 2)
        first = JAPAN.business_days_between(start, mid)
        second = JAPAN.business_days_between(mid + ONE_DAY, end)
        assert JAPAN.business_days_between(start, end) == first + second


YEAR_2019 = (date(2019, 1, 1), date(2019, 12, 31))


class TestHolidayData:
    """The holidays come from the `holidays` library's Japan, loaded alone (without the
    library's 250 other countries), and are those its documented `country_holidays` gives."""

    def test_japan_is_loaded_alone(self) -> None:
        """The fast way works with the installed library: if a new layout of `holidays` stops
        it, the documented way still gives the holidays, and this test says so."""
        japan = closed_days._japan()
        assert getattr(japan, "__name__", None) == "Japan"
        assert japan.__module__ == "cutover.jp._holidays_japan"

    @pytest.mark.parametrize("language", ["ja", "en_US"])
    def test_same_holidays_as_country_holidays(self, language: str) -> None:
        """Every holiday of every year the planner accepts, with its name, in both languages."""
        import holidays

        years = range(closed_days.FIRST_YEAR, closed_days.LAST_YEAR + 1)
        documented = holidays.country_holidays("JP", years=years, language=language)
        loaded = closed_days._japan()(years=years, language=language)
        assert dict(loaded) == dict(documented)
        assert len(loaded) > 15 * len(years)  # (9 a year in 1949, 16 or more now)

    def test_documented_way_when_the_file_is_not_there(self, tmp_path: Path) -> None:
        """No module file where it was (another layout, a zipped install), or one that fails:
        nothing is loaded, and the documented `country_holidays` is used."""
        assert closed_days._load_japan(tmp_path / "japan.py") is None
        broken = tmp_path / "broken.py"
        broken.write_text("from holidays.no_such_module import Japan\n", encoding="utf-8")
        assert closed_days._load_japan(broken) is None

    def test_the_documented_way_gives_the_same_closed_days(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Where the module cannot be loaded alone, `country_holidays` makes the holidays,
        and the closed days and their names are the same (2019: 即位の日 and its 国民の休日)."""
        fast = {d: (JAPAN.closure(d), JAPAN.is_closed(d)) for d in days(*YEAR_2019)}
        monkeypatch.setattr(closed_days, "_load_japan", lambda path: None)
        closed_days._japan.cache_clear()
        closed_days._national_holidays.cache_clear()
        try:
            assert not isinstance(closed_days._japan(), type)  # the documented function
            slow = {d: (JAPAN.closure(d), JAPAN.is_closed(d)) for d in days(*YEAR_2019)}
        finally:
            closed_days._japan.cache_clear()
            closed_days._national_holidays.cache_clear()
        assert slow == fast
        assert sum(closed for _, closed in fast.values()) > 110
