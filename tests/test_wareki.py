"""Tests for cutover.jp.wareki: Japanese-era dates, fuzzy dates and fiscal years."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import BEFORE_SHOWA, EARLIEST_DAY, date_like_text, dates

from cutover.errors import CutoverError
from cutover.jp.wareki import (
    WEEKDAYS_JA,
    DateRange,
    era_of,
    excel_serial,
    fiscal_year,
    fiscal_year_range,
    format_english,
    format_range,
    format_wareki,
    format_wareki_short,
    japanese_year,
    month_day,
    parse_date,
    parse_fuzzy,
)


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


JUNE_30 = date(2018, 6, 30)


@pytest.mark.parametrize("text", ["6月下旬", "6月", "6 月 上旬", "2018年7月", "平成30年度"])
def test_a_month_without_its_year_is_said_a_span(text: str) -> None:
    """A month or part of one written without its year (6月下旬, as a readiness report says
    when) is told as with the year (平成30年6月下旬): a span, not a day. Its fix names no
    day: one day of the span would be a guess (it gave 2018-06-30 for any span)."""
    with pytest.raises(CutoverError) as info:
        parse_date(text)
    (problem,) = info.value.problems
    assert problem.code == "jp.span-not-date"
    for lang in ("ja", "en"):
        assert not re.search(r"[0-9]{4}[-/][0-9]", problem.describe(lang)[1])


@given(st.integers(1, 12), st.sampled_from(["末", "末日", " 末"]), st.integers(2016, 2030))
def test_a_month_s_end_is_fixed_with_its_last_day(month: int, end: str, year: int) -> None:
    """A month's end written where a day is asked for (7月末) is told with the day it means,
    that month's last (2018/7/31), with or without its year: it gave 2018-06-30 for any."""
    for text, shown_year in ((f"{month}月{end}", 2018), (f"{year}年{month}月{end}", year)):
        with pytest.raises(CutoverError) as info:
            parse_date(text)
        (problem,) = info.value.problems
        last = calendar.monthrange(shown_year, month)[1]
        for lang in ("ja", "en"):
            fix = problem.describe(lang)[1]
            assert f"{shown_year}/{month}/{last}" in fix


class TestParseDate:
    @pytest.mark.parametrize(
        "text",
        [
            "2018-06-30",
            "2018/6/30",
            "2018/06/30",
            "2018.6.30",
            "2018年6月30日",
            "平成30年6月30日",
            "平成 30 年 6 月 30 日",
            "H30.6.30",
            "H30/6/30",
            "H30-6-30",
            "h30.6.30",
            "平成３０年６月３０日",
            "Ｈ３０．６．３０",
            "２０１８－０６－３０",
            "  2018-06-30  ",
            "㍻30年6月30日",
        ],
    )
    def test_accepted_forms(self, text: str) -> None:
        """Each accepted way of writing 2018-06-30 gives that day."""
        assert parse_date(text) == JUNE_30

    @pytest.mark.parametrize("text", ["令和元年5月1日", "令和1年5月1日", "R1.5.1", "r01.05.01"])
    def test_first_year_of_reiwa(self, text: str) -> None:
        """The first year of 令和 is written 元年 or 1."""
        assert parse_date(text) == date(2019, 5, 1)

    def test_showa(self) -> None:
        """The last day of 昭和 is 昭和64年1月7日."""
        assert parse_date("昭和64年1月7日") == date(1989, 1, 7)
        assert parse_date("S64.1.7") == date(1989, 1, 7)

    @pytest.mark.parametrize(
        "text",
        [
            "平成30年6月29日（金）",
            "平成30年6月29日(金)",
            "2018-06-29 (Fri)",
            "2018-06-29(fri)",
            "H30.6.29（金曜日）",
            "2018/6/29 (Friday)",
        ],
    )
    def test_matching_weekday(self, text: str) -> None:
        """A trailing weekday that matches the date is accepted."""
        assert parse_date(text) == date(2018, 6, 29)

    def test_weekday_mismatch(self) -> None:
        """A weekday that does not match is refused, naming the real one."""
        with pytest.raises(CutoverError) as info:
            parse_date("平成30年6月30日（金）")
        assert "平成30年6月30日 was a Saturday (土), not 金" in info.value.text("en")
        assert str(info.value) == (
            "「平成30年6月30日（金）」: 平成30年6月30日は土曜日で、「金」ではありません"
            " — 日付と曜日を確かめてください（どちらかが誤っています）"
        )

    def test_english_weekday_mismatch(self) -> None:
        """An English weekday that does not match is refused too."""
        with _refused("was a Saturday"):
            parse_date("2018-06-30 (Fri)")

    def test_unknown_weekday(self) -> None:
        """Text in brackets that is no weekday is refused, quoting it."""
        with _refused("'xx', which is not a weekday"):
            parse_date("2018-06-30 (xx)")

    def test_after_end_of_heisei(self) -> None:
        """平成31年5月1日 does not exist: the message gives the end of 平成 and the 令和 date."""
        with pytest.raises(CutoverError) as info:
            parse_date("平成31年5月1日")
        message = info.value.text("en")
        assert "平成31年5月1日" in message
        assert "平成 ended on 平成31年4月30日 (2019-04-30); 2019-05-01 is 令和元年5月1日" in message
        assert str(info.value) == (
            "「平成31年5月1日」は平成の日付ではありません（平成は平成31年4月30日（2019-04-30）"
            "までです）。2019-05-01は令和元年5月1日です — 令和元年5月1日 または 2019-05-01 と"
            "書いてください"
        )

    def test_before_start_of_reiwa(self) -> None:
        """令和元年4月30日 does not exist: 令和 began on 5月1日."""
        with pytest.raises(CutoverError) as info:
            parse_date("令和元年4月30日")
        message = info.value.text("en")
        assert "令和 began on 令和元年5月1日 (2019-05-01)" in message
        assert "2019-04-30 is 平成31年4月30日" in message

    def test_before_start_of_heisei(self) -> None:
        """平成元年1月7日 was still 昭和."""
        with _refused("1989-01-07 is 昭和64年1月7日"):
            parse_date("H1.1.7")

    def test_before_showa(self) -> None:
        """A 昭和 date before 1926-12-25 is refused."""
        with _refused("before 昭和"):
            parse_date("昭和元年12月24日")

    def test_era_year_zero(self) -> None:
        """平成0年 does not exist: era years start at 元年."""
        with pytest.raises(CutoverError) as info:
            parse_date("平成0年6月30日")
        assert "there is no 平成0年" in info.value.text("en")
        assert "元年" in info.value.text("en")

    def test_february_30(self) -> None:
        """2018-02-30 is refused, saying how many days February 2018 has."""
        with pytest.raises(CutoverError) as info:
            parse_date("2018-02-30")
        assert "'2018-02-30'" in info.value.text("en")
        assert "February 2018 has 28 days" in info.value.text("en")

    def test_february_29_in_leap_year(self) -> None:
        """2020 has a February 29 and 2019 has not."""
        assert parse_date("令和2年2月29日") == date(2020, 2, 29)
        with _refused("February 2019 has 28 days"):
            parse_date("H31.2.29")

    def test_month_13(self) -> None:
        """A month past 12 is refused, naming it."""
        with _refused("no month 13"):
            parse_date("2018/13/1")

    def test_day_zero(self) -> None:
        """Day 0 is refused with the days the month has."""
        with _refused("June 2018 has 30 days"):
            parse_date("2018年6月0日")

    @pytest.mark.parametrize(
        "text", ["", "tomorrow", "30/6/2018", "2018-6-", "18-06-30", "T15.1.1"]
    )
    def test_unrecognized(self, text: str) -> None:
        """Text that is no date is refused; the fix lists the accepted forms."""
        with pytest.raises(CutoverError) as info:
            parse_date(text)
        problem = info.value.problems[0]
        assert repr(text) in problem.describe("en")[0]
        assert "平成30年6月30日" in problem.describe("en")[1]
        assert "H30.6.30" in problem.describe("en")[1]

    def test_span_is_not_a_date(self) -> None:
        """A fuzzy date given where one day is needed says it is a span."""
        with _refused("span of days, not one date"):
            parse_date("平成30年5月下旬")

    @given(date_like_text())
    def test_arbitrary_text(self, text: str) -> None:
        """Any text gives a date or a CutoverError, never another exception."""
        with contextlib.suppress(CutoverError):
            assert isinstance(parse_date(text), date)

    @given(date_like_text())
    def test_arbitrary_text_fuzzy(self, text: str) -> None:
        """parse_fuzzy gives any text a DateRange or a CutoverError, never another exception."""
        with contextlib.suppress(CutoverError):
            assert isinstance(parse_fuzzy(text), DateRange)


class TestRoundTrip:
    @given(dates())
    def test_wareki(self, d: date) -> None:
        """Every date from 平成 to 2099 reads back from its wareki form."""
        assert parse_date(format_wareki(d)) == d
        assert parse_date(format_wareki(d, weekday=False)) == d

    @given(dates(EARLIEST_DAY, BEFORE_SHOWA))
    def test_wareki_before_showa(self, d: date) -> None:
        """Every date before 昭和 the readers accept reads back from its Japanese form."""
        assert parse_date(format_wareki(d)) == d
        assert parse_date(format_wareki(d, weekday=False)) == d

    @given(dates())
    def test_wareki_short(self, d: date) -> None:
        """Every date reads back from its short era form."""
        assert parse_date(format_wareki_short(d)) == d

    @given(dates())
    def test_iso(self, d: date) -> None:
        """Every date reads back from ISO."""
        assert parse_date(d.isoformat()) == d

    @given(dates(), st.booleans())
    def test_eight_digits_as_a_file_reads_them(self, d: date, wide: bool) -> None:
        """Every date reads back from ISO's basic form, 20180601 (full-width too), as the
        file readers read it: --as-of 20180625 was refused where a readiness file's
        20180625 was read."""
        from cutover.inputs.rows import _parse_date

        text = f"{d.year:04d}{d.month:02d}{d.day:02d}"
        if wide:
            text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        assert parse_date(text) == d
        assert _parse_date(text, "planned") == d

    @given(dates())
    def test_fuzzy_day(self, d: date) -> None:
        """A day read fuzzily is a one-day range."""
        r = parse_fuzzy(format_wareki(d))
        assert (r.start, r.end, r.precision) == (d, d, "day")

    def test_every_day(self) -> None:
        """Every single day from 1989-01-08 to 2099-12-31 reads back from all three forms."""
        d = date(1989, 1, 8)
        while d <= date(2099, 12, 31):
            assert parse_date(format_wareki(d)) == d
            assert parse_date(format_wareki_short(d)) == d
            assert parse_date(d.isoformat()) == d
            d += timedelta(days=1)

    def test_era_boundaries(self) -> None:
        """Every day around both era changes reads back from its wareki forms."""
        for start in (date(1988, 12, 1), date(2019, 4, 1)):
            for i in range(60):
                d = start + timedelta(days=i)
                assert parse_date(format_wareki(d)) == d
                assert parse_date(format_wareki_short(d)) == d


class TestFormat:
    def test_format_wareki(self) -> None:
        """Wareki dates carry the weekday in full-width brackets, and 元年."""
        assert format_wareki(date(2018, 6, 29)) == "平成30年6月29日（金）"
        assert format_wareki(date(2019, 5, 1)) == "令和元年5月1日（水）"
        assert format_wareki(date(1989, 1, 7), weekday=False) == "昭和64年1月7日"
        assert format_wareki(date(1989, 1, 8), weekday=False) == "平成元年1月8日"

    def test_format_wareki_short(self) -> None:
        """The short form uses the era letter and 1 for the first year."""
        assert format_wareki_short(date(2018, 6, 29)) == "H30.6.29"
        assert format_wareki_short(date(2019, 5, 1)) == "R1.5.1"
        assert format_wareki_short(date(1989, 1, 7)) == "S64.1.7"

    def test_format_before_showa(self) -> None:
        """A day before 昭和 is written in its Western year (four digits), with no era."""
        assert format_wareki(date(1926, 12, 24)) == "1926年12月24日（金）"
        assert format_wareki(date(1900, 1, 1)) == "1900年1月1日（月）"
        assert format_wareki(date(1, 1, 1), weekday=False) == "0001年1月1日"
        assert format_wareki(date(1926, 12, 25), weekday=False) == "昭和元年12月25日"
        assert japanese_year(date(1926, 12, 24)) == "1926年"
        assert japanese_year(date(2019, 5, 1)) == "令和元年"

    def test_no_era_before_showa(self) -> None:
        """era_of and the short era form have no era to give a day before 昭和."""
        with _refused("before 昭和"):
            era_of(date(1926, 12, 24))
        with _refused("before 昭和"):
            format_wareki_short(date(1926, 12, 24))

    def test_format_english(self) -> None:
        """English dates are weekday, day, month, year, in English whatever the locale."""
        assert format_english(date(2018, 6, 29)) == "Fri 29 Jun 2018"
        assert format_english(date(2019, 5, 1)) == "Wed 1 May 2019"

    def test_era_of(self) -> None:
        """era_of gives the era and the year in it."""
        assert era_of(date(2018, 6, 30)) == ("平成", 30)
        assert era_of(date(2019, 4, 30)) == ("平成", 31)
        assert era_of(date(2019, 5, 1)) == ("令和", 1)
        assert era_of(date(1989, 1, 7)) == ("昭和", 64)

    def test_weekdays_ja(self) -> None:
        """WEEKDAYS_JA is indexed by date.weekday()."""
        assert WEEKDAYS_JA[date(2018, 6, 30).weekday()] == "土"

    def test_format_range_plain(self) -> None:
        """A plain span of days is written from start to end."""
        r = DateRange(date(2018, 5, 21), date(2018, 6, 29), "window", "day")
        assert format_range(r) == "平成30年5月21日（月）〜平成30年6月29日（金）"
        assert format_range(r, lang="en") == "Mon 21 May 2018 – Fri 29 Jun 2018"

    @pytest.mark.parametrize(
        ("text", "ja", "en"),
        [
            ("2018-05 下旬", "平成30年5月下旬", "late May 2018"),
            ("2018-05 初旬", "平成30年5月上旬", "early May 2018"),
            ("2018-07", "平成30年7月", "July 2018"),
            ("1989-01", "1989年1月", "January 1989"),
            ("1926-12", "1926年12月", "December 1926"),
            ("1900-01-01", "1900年1月1日（月）", "Mon 1 Jan 1900"),
            ("FY2018", "平成30年度", "FY2018"),
            ("2018-06 末", "平成30年6月30日（土）", "Sat 30 Jun 2018"),
        ],
    )
    def test_format_range(self, text: str, ja: str, en: str) -> None:
        """Fuzzy ranges are written as documents write them, in both languages."""
        r = parse_fuzzy(text)
        assert format_range(r) == ja
        assert format_range(r, lang="en") == en


class TestParseFuzzy:
    @pytest.mark.parametrize(
        "text", ["2018-05 下旬", "2018-05下旬", "平成30年5月下旬", "2018-05 late", "H30.5 下旬"]
    )
    def test_late_may(self, text: str) -> None:
        """下旬 / late is the 21st to the end of the month."""
        r = parse_fuzzy(text)
        assert (r.start, r.end, r.precision, r.label) == (
            date(2018, 5, 21),
            date(2018, 5, 31),
            "dekad",
            text,
        )

    @pytest.mark.parametrize(
        ("text", "first", "last"),
        [
            ("2018-05 early", 1, 10),
            ("2018-05 上旬", 1, 10),
            ("2018年5月初旬", 1, 10),
            ("2018-05 mid", 11, 20),
            ("平成30年5月中旬", 11, 20),
        ],
    )
    def test_early_and_mid(self, text: str, first: int, last: int) -> None:
        """上旬 (= 初旬, early) is days 1–10; 中旬 (mid) 11–20."""
        r = parse_fuzzy(text)
        assert (r.start, r.end) == (date(2018, 5, first), date(2018, 5, last))

    def test_late_february(self) -> None:
        """下旬 of February ends on the 28th or, in a leap year, the 29th."""
        assert parse_fuzzy("2018-02 下旬").end == date(2018, 2, 28)
        assert parse_fuzzy("2020-02 下旬").end == date(2020, 2, 29)

    @pytest.mark.parametrize(
        "text", ["2018-06 末", "平成30年6月末", "2018-06 end", "2018年6月末日"]
    )
    def test_end_of_month(self, text: str) -> None:
        """末 / end is the last day of the month, at day precision."""
        r = parse_fuzzy(text)
        assert (r.start, r.end, r.precision) == (JUNE_30, JUNE_30, "day")

    @pytest.mark.parametrize("text", ["2018-07", "平成30年7月", "2018年7月", "Ｈ３０年７月"])
    def test_month(self, text: str) -> None:
        """A bare month is the whole month."""
        r = parse_fuzzy(text)
        assert (r.start, r.end, r.precision) == (date(2018, 7, 1), date(2018, 7, 31), "month")

    def test_first_month_of_reiwa(self) -> None:
        """令和元年5月 is May 2019."""
        r = parse_fuzzy("令和元年5月")
        assert (r.start, r.end) == (date(2019, 5, 1), date(2019, 5, 31))
        assert parse_fuzzy("R1.5 上旬").start == date(2019, 5, 1)

    def test_last_month_of_heisei(self) -> None:
        """平成31年4月 is wholly in 平成."""
        assert parse_fuzzy("平成31年4月").end == date(2019, 4, 30)
        assert parse_fuzzy("平成31年4月末").end == date(2019, 4, 30)

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("平成31年5月", "平成 ended on 平成31年4月30日 (2019-04-30)"),
            ("令和元年4月", "令和 began on 令和元年5月1日 (2019-05-01)"),
            ("令和元年4月下旬", "令和 began on"),
            ("平成元年1月", "spans two eras"),
            ("昭和64年1月上旬", "spans two eras"),
        ],
    )
    def test_month_outside_era(self, text: str, words: str) -> None:
        """A month or part of one that is not wholly in its era is refused, saying why."""
        with pytest.raises(CutoverError) as info:
            parse_fuzzy(text)
        assert words in info.value.text("en")
        assert repr(text) in info.value.text("en")

    def test_month_13(self) -> None:
        """A month past 12 is refused in fuzzy dates too."""
        with _refused("no month 13"):
            parse_fuzzy("2018-13 下旬")

    @pytest.mark.parametrize("text", ["平成30年度", "FY2018", "fy 2018", "2018年度", "H30年度"])
    def test_fiscal_year(self, text: str) -> None:
        """A fiscal year runs from 1 April to 31 March."""
        r = parse_fuzzy(text)
        assert (r.start, r.end, r.precision) == (date(2018, 4, 1), date(2019, 3, 31), "fiscal-year")

    def test_fiscal_year_2019_has_two_names(self) -> None:
        """FY2019 is both 平成31年度 and 令和元年度."""
        assert parse_fuzzy("平成31年度").start == date(2019, 4, 1)
        assert parse_fuzzy("令和元年度").start == date(2019, 4, 1)

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("平成32年度", "fiscal year 2020 is 令和2年度"),
            ("昭和64年度", "fiscal year 1989 is 平成元年度"),
        ],
    )
    def test_fiscal_year_outside_era(self, text: str, words: str) -> None:
        """A fiscal year named by an era that had ended is refused, giving its real name."""
        with _refused(words):
            parse_fuzzy(text)

    def test_unrecognized(self) -> None:
        """Text that is no date or span is refused; the fix lists the span forms too."""
        with pytest.raises(CutoverError) as info:
            parse_fuzzy("sometime in May")
        assert "'sometime in May'" in info.value.problems[0].describe("en")[0]
        assert "下旬" in info.value.problems[0].describe("en")[1]
        assert "FY2018" in info.value.problems[0].describe("en")[1]

    def test_contains(self) -> None:
        """A range contains exactly its days, both ends included."""
        r = parse_fuzzy("2018-05 下旬")
        assert date(2018, 5, 21) in r
        assert date(2018, 5, 31) in r
        assert date(2018, 5, 20) not in r
        assert date(2018, 6, 1) not in r

    @given(
        st.integers(min_value=1989, max_value=2099),
        st.integers(min_value=1, max_value=12),
        st.sampled_from(["上旬", "中旬", "下旬"]),
    )
    def test_dekad_covers_the_right_days(self, year: int, month: int, dekad: str) -> None:
        """A dekad covers days 1–10, 11–20 or 21 to the end of the month, and nothing else."""
        r = parse_fuzzy(f"{year}-{month:02d} {dekad}")
        last = calendar.monthrange(year, month)[1]
        first_day, last_day = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, last)}[dekad]
        expected = {date(year, month, d) for d in range(first_day, last_day + 1)}
        month_days = [date(year, month, d) for d in range(1, last + 1)]
        assert {d for d in month_days if d in r} == expected
        assert (r.start, r.end) == (min(expected), max(expected))

    @given(st.integers(min_value=1989, max_value=2099), st.integers(min_value=1, max_value=12))
    def test_dekads_partition_the_month(self, year: int, month: int) -> None:
        """上旬, 中旬 and 下旬 follow each other with no gap or overlap and fill the month."""
        early, mid, late = (parse_fuzzy(f"{year}年{month}月{p}") for p in ("上旬", "中旬", "下旬"))
        whole = parse_fuzzy(f"{year}年{month}月")
        assert early.start == whole.start
        assert mid.start == early.end + timedelta(days=1)
        assert late.start == mid.end + timedelta(days=1)
        assert late.end == whole.end

    # From February 1989 on, every month lies wholly in one era (令和 began on a 1st).
    @given(dates(min_value=date(1989, 2, 1)))
    def test_wareki_dekad_matches_western(self, d: date) -> None:
        """A dekad written in wareki covers the same days as in the Western calendar."""
        name, year = era_of(d)
        part = ("上旬", "中旬", "下旬")[min(d.day - 1, 20) // 10]
        wareki = parse_fuzzy(f"{name}{'元' if year == 1 else year}年{d.month}月{part}")
        western = parse_fuzzy(f"{d.year}-{d.month:02d} {part}")
        assert d in wareki
        assert (wareki.start, wareki.end) == (western.start, western.end)


class TestFiscalYear:
    def test_fiscal_year(self) -> None:
        """A date before 1 April belongs to the previous fiscal year."""
        assert fiscal_year(date(2019, 3, 31)) == 2018
        assert fiscal_year(date(2019, 4, 1)) == 2019

    def test_fiscal_year_range(self) -> None:
        """fiscal_year_range gives 1 April to 31 March, labelled in wareki."""
        r = fiscal_year_range(2018)
        assert r == DateRange(date(2018, 4, 1), date(2019, 3, 31), "平成30年度", "fiscal-year")
        assert fiscal_year_range(2019).label == "令和元年度"
        assert fiscal_year_range(1988).label == "昭和63年度"

    @given(dates())
    def test_every_day_is_in_its_fiscal_year(self, d: date) -> None:
        """Each day lies in the range of its fiscal year."""
        assert d in fiscal_year_range(fiscal_year(d))


class TestDateRange:
    def test_end_before_start(self) -> None:
        """A range that ends before it starts is refused."""
        with _refused("ends"):
            DateRange(date(2018, 6, 30), date(2018, 6, 1), "backwards", "day")

    def test_precision_must_fit(self) -> None:
        """A range whose days are not one month cannot claim month precision."""
        with _refused("not one month"):
            DateRange(date(2018, 6, 2), date(2018, 6, 30), "June?", "month")


@given(st.datetimes(min_value=dt.datetime(1982, 2, 19), max_value=dt.datetime(2064, 4, 7, 23, 59)))
def test_excel_serial_names_the_moment(moment: dt.datetime) -> None:
    """An Excel serial (days since 1899-12-30, the time as a fraction) stands for its moment,
    to the second."""
    days = (moment - dt.datetime(1899, 12, 30)).total_seconds() / 86_400
    found = excel_serial(f"{days:.10f}")
    assert found is not None
    assert abs((found - moment).total_seconds()) < 1


@pytest.mark.parametrize("text", ["29999", "60000", "4328", "43281.", "43,281", "-43281", "abc"])
def test_excel_serial_outside_its_range_or_form(text: str) -> None:
    """Numbers outside 1982-2064, or not written as Excel writes a serial, are not taken."""
    assert excel_serial(text) is None


def test_excel_serial_of_the_cutoff() -> None:
    """43281.5 is noon on Saturday 30 June 2018."""
    assert excel_serial("43281.5") == dt.datetime(2018, 6, 30, 12, 0)


@pytest.mark.parametrize(
    ("written", "ja", "en"),
    [
        (
            DateRange(date(2018, 5, 21), date(2018, 5, 31), "", "dekad"),
            "平成30年5月下旬",
            "late May 2018",
        ),
        (DateRange(date(2018, 7, 1), date(2018, 7, 31), "", "month"), "平成30年7月", "July 2018"),
        (fiscal_year_range(2019), "令和元年度", "FY2019"),
        (
            DateRange(JUNE_30, JUNE_30, "", "day"),
            "平成30年6月30日（土）",
            "Sat 30 Jun 2018",
        ),
        (
            DateRange(date(2018, 5, 21), JUNE_30, "", "day"),
            "平成30年5月21日（月）〜平成30年6月30日（土）",
            "Mon 21 May 2018 – Sat 30 Jun 2018",
        ),
    ],
)
def test_a_range_in_both_languages(written: DateRange, ja: str, en: str) -> None:
    """A range is written as each language writes it (the catalogue's forms, jp.range-…)."""
    assert format_range(written) == ja
    assert format_range(written, lang="en") == en


def test_an_unrecognized_date_lists_the_forms_in_japanese() -> None:
    """The Japanese fix of an unreadable date lists the forms it may take, in Japanese."""
    with pytest.raises(CutoverError) as info:
        parse_fuzzy("sometime in May")
    message, fix = info.value.problems[0].describe("ja")
    assert message == "「sometime in May」は日付としても期間としても読めません"
    assert fix.startswith("日付は 2018-06-30、2018/6/30、")
    assert fix.endswith("平成30年度・2018年度・FY2018（年度） のように書いてください")


@pytest.mark.parametrize("precision", ["dekad", "month", "fiscal-year"])
def test_a_range_of_another_precision_is_refused_in_both_languages(precision: str) -> None:
    """A range that is not one unit of its precision names the precision in the reader's
    language (each precision has its word in the catalogue)."""
    with pytest.raises(CutoverError) as info:
        DateRange(date(2018, 5, 2), date(2018, 5, 3), "x", precision)  # type: ignore[arg-type]
    assert info.value.text("en") == (
        f"date range 'x' (2018-05-02..2018-05-03) is not one {precision}"
        ' — give the range with precision "day"'
    )
    assert str(info.value).startswith("期間「x」（2018-05-02〜2018-05-03）は1つの")


@given(
    st.integers(1, 12),
    st.integers(1, 31),
    st.sampled_from(["{m}/{d}", "{m}月{d}日", "{m} / {d}", "{m}/{d}(金)", "{m}月{d}日（金）"]),
)
def test_a_day_without_its_year_is_named_as_one(month: int, day: int, form: str) -> None:
    """6/18, 6月18日 and their weekday forms are a month and day without a year, told as such
    by every reader of dates (never taken for a date: which year is the writer's to say)."""
    text = unicodedata.normalize("NFKC", form.format(m=month, d=day))
    assert month_day(text) == (month, day)
    with pytest.raises(CutoverError):
        parse_date(text)


@given(dates())
def test_a_whole_date_is_no_day_without_its_year(day: date) -> None:
    """A date written with its year, ISO or slashed, is never taken for month and day alone."""
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", format_wareki(day)):
        assert month_day(text) is None


@pytest.mark.parametrize("text", ["13/1", "0/5", "6/32", "6/0", "1/2/3", "6月", "43281"])
def test_no_month_and_day_is_not_one(text: str) -> None:
    """A 13th month, a day 0 or 32, or three parts are not a day without its year."""
    assert month_day(text) is None
