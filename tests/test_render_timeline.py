"""Tests for cutover.render.timeline: the timeline as Markdown, JSON and a Mermaid chart."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.resources
import json
import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cutover.calendar.load import load_calendar, parse_calendar
from cutover.calendar.model import EFFECTIVE, RevisionCalendar
from cutover.errors import CutoverError
from cutover.render.ics import timeline_ics
from cutover.render.svg import timeline_svg
from cutover.render.timeline import timeline_json, timeline_markdown, timeline_mermaid
from cutover.schedule.shift import parse_shift
from cutover.schedule.timeline import Timeline, build_timeline
from cutover.schedule.whatif import what_if


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


CALENDAR = """
[revision]
id = "2018-07-test"
title_ja = "データ標準レイアウト改版（試験）"
title_en = "Data standard layout revision (test)"
effective = "2018-07-01"
source = "総務省「情報連携の運用に係る留意事項等について」"
section = "§2"

[[items]]
number = 2
name_ja = "地方税関係情報"
name_en = "local tax information"
short_ja = "地方税"
short_en = "local tax"
section = "§5"

[[items]]
number = 21
name_ja = "母子父子寡婦福祉資金関係情報"
name_en = "single-parent welfare loan information"
short_ja = "母子父子寡婦福祉資金"
short_en = "single-parent loans"
section = "§5"

[[events]]
id = "registration"
type = "window"
title_ja = "副本登録 | 新レイアウト"
title_en = "Duplicate registration | new layout"
actor = "provider"
start = "2018-05 下旬"
end = "2018-06-30"
before = ["effective"]
section = "§5"

[[events]]
id = "last-provision"
type = "deadline"
title_ja = "提供の最終日"
title_en = "Last day to answer"
actor = "provider"
date = "2018-06-30"
adjust = false
before = ["effective"]
section = "§6"

[[events]]
id = "inter-agency-test"
type = "window"
title_ja = "機関間試験"
title_en = "Inter-agency test"
actor = "j-lis"
start = "2018-06-04"
end = "2018-06-15"
assumption = "資料に日付がないため6月上旬〜中旬と仮定"
section = "§4"

[[events]]
id = "reissue"
type = "window"
title_ja = "再照会"
title_en = "Re-issue queries: a #1; test"
actor = "querier"
start = "2018-07-01"
end = "2018-07-31"
after = ["effective"]
section = "§6"

[[recurring]]
id = "self-inspection"
title_ja = "自己点検"
title_en = "Self-inspection"
rrule = "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1"
dtstart = "2018-06-01"
section = "§13"

[cutoff]
items = [2, 21]
last_provision = "last-provision"
requery_from = "effective"
section = "§6"
"""


@pytest.fixture(scope="module")
def cal() -> RevisionCalendar:
    """Return the test calendar: registration, cutoff, a test window, re-issue."""
    return parse_calendar(CALENDAR, "test.toml")


@pytest.fixture(scope="module")
def tl(cal: RevisionCalendar) -> Timeline:
    """Return the timeline of the test calendar."""
    return build_timeline(cal)


def table_rows(markdown: str) -> list[str]:
    """Return the lines of the Markdown tables."""
    return [line for line in markdown.splitlines() if line.startswith("|")]


def cells(row: str) -> list[str]:
    """Return the cells of a table row, splitting only on unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]


class TestMarkdownJapanese:
    def test_wareki_with_weekday(self, tl: Timeline) -> None:
        """Dates are written in wareki with the weekday."""
        text = timeline_markdown(tl)
        assert "改版の適用開始日: 平成30年7月1日（日）" in text
        assert "平成30年5月21日（月）〜平成30年6月29日（金）" in text

    def test_moved_mark(self, tl: Timeline) -> None:
        """A date moved off a closed day is marked with both days and why."""
        text = timeline_markdown(tl)
        assert "終了: 6/30（土）は閉庁日のため 6/29（金）まで" in text
        assert "開始: 7/1（日）は閉庁日のため 7/2（月）から" in text

    def test_pipe_in_title_is_escaped(self, tl: Timeline) -> None:
        """A `|` in a title cannot split a table cell: every row keeps its six cells."""
        text = timeline_markdown(tl)
        assert "副本登録 \\| 新レイアウト" in text
        rows = table_rows(text)
        assert rows
        assert all(len(cells(row)) == 6 for row in rows[:6])

    def test_assumption_marked(self, tl: Timeline) -> None:
        """An assumed date says so."""
        assert "※仮定: 資料に日付がないため6月上旬〜中旬と仮定" in timeline_markdown(tl)

    def test_fuzzy_date_noted(self, tl: Timeline) -> None:
        """A fuzzy declared date is noted as written."""
        assert "開始は平成30年5月下旬と記載（初日で計算）" in timeline_markdown(tl)

    def test_cutoff_block(self, tl: Timeline) -> None:
        """The cutoff block lists items, the last provision day, the answer-by day and re-issue."""
        text = timeline_markdown(tl)
        assert "## 提供の締切（§6）" in text
        assert "2番（地方税）、21番（母子父子寡婦福祉資金）" in text
        assert "提供の求めに提供できる最終日: 平成30年6月30日（土）" in text
        assert "回答期限（最終の開庁日）: 平成30年6月29日（金）" in text
        assert "平成30年7月1日（日）以降に再照会（開庁日では平成30年7月2日（月）から）" in text

    def test_whole_month_window_noted(self) -> None:
        """A window given as one month is noted once, as written, over all its days."""
        text = timeline_markdown(
            build_timeline(
                parse_calendar(
                    CALENDAR.replace(
                        'start = "2018-06-04"\nend = "2018-06-15"',
                        'start = "2018-06"\nend = "2018-06"',
                    )
                )
            )
        )
        assert "平成30年6月と記載（全期間で計算）" in text
        assert "平成30年6月1日（金）〜平成30年6月29日（金）" in text

    def test_recurring(self, tl: Timeline) -> None:
        """Recurring obligations are listed with their dates."""
        assert "- 平成30年6月1日（金） 自己点検（§13）" in timeline_markdown(tl)

    def test_no_conflicts(self, tl: Timeline) -> None:
        """A timeline without conflicts says so."""
        assert "矛盾はありません。" in timeline_markdown(tl)

    def test_critical_path(self, cal: RevisionCalendar) -> None:
        """The critical path is listed in date order when there is one."""
        text = timeline_markdown(build_timeline(cal, [parse_shift("last-provision=+1d")]))
        section = text.split("## クリティカルパス", 1)[1].split("##", 1)[0]
        assert "1. 平成30年7月1日（日） 提供の最終日" in section
        assert "2. 平成30年7月1日（日） 改版（新レイアウトの適用開始）" in section


class TestMarkdownEnglish:
    def test_iso_dates_with_weekday(self, tl: Timeline) -> None:
        """English dates are ISO with the weekday."""
        text = timeline_markdown(tl, lang="en")
        assert "Takes effect: 2018-07-01 (Sun)" in text
        assert "2018-05-21 (Mon) – 2018-06-29 (Fri)" in text

    def test_moved_mark(self, tl: Timeline) -> None:
        """The English moved mark names the original day and the closure."""
        text = timeline_markdown(tl, lang="en")
        assert "moved from Sat 30 Jun 2018 (closed: Saturday) to Fri 29 Jun 2018" in text

    def test_cutoff_block(self, tl: Timeline) -> None:
        """The English cutoff block gives the answer-by and re-issue days."""
        text = timeline_markdown(tl, lang="en")
        assert "Answer by (last business day): 2018-06-29 (Fri)" in text
        assert "first business day 2018-07-02 (Mon)" in text

    def test_unknown_language(self, tl: Timeline) -> None:
        """An unknown language is bad input, not a crash."""
        with _refused("unknown language"):
            timeline_markdown(tl, lang="fr")  # type: ignore[arg-type]


class TestMarkdownConflictsAndShifts:
    def test_conflicts_with_fixes(self, cal: RevisionCalendar) -> None:
        """Conflicts are listed with their code, message and fix."""
        text = timeline_markdown(build_timeline(cal, [parse_shift("registration=+2bd")]))
        line = next(x for x in text.splitlines() if x.startswith("- `after-effective`"))
        assert "平成30年7月3日（火）" in line
        assert "対処:" in line

    def test_what_if(self, cal: RevisionCalendar) -> None:
        """A what-if lists the shifts, the dates that moved and the new conflicts."""
        text = timeline_markdown(what_if(cal, [parse_shift("registration=+2bd")]), lang="en")
        assert "## What-if shifts" in text
        assert "Duplicate registration \\| new layout (registration): +2bd" in text
        assert (
            "| Duplicate registration \\| new layout | 2018-05-21 (Mon) – 2018-06-29 (Fri) "
            "| 2018-05-23 (Wed) – 2018-07-03 (Tue) |"
        ) in text
        assert "### New conflicts" in text

    def test_a_master_delivery_is_named_as_such(self) -> None:
        """The November 2018 master delivery's page names the day the delivered master takes
        effect, not the revision's (it revises no layout); the July revision's names that."""
        november = timeline_markdown(build_timeline(load_calendar("2018-11")))
        assert "- マスター配信の適用開始日: 平成30年11月1日（木）\n" in november
        assert "改版の適用開始" not in november
        july = timeline_markdown(build_timeline(load_calendar("2018-07")))
        assert "- 改版の適用開始日: 平成30年7月1日（日）\n" in july

    def test_a_deadline_moved_past_a_declared_outage_says_so(self) -> None:
        """A deadline on Saturday 2018-06-30 lands on Wednesday 6/27 because a declared outage
        closes Thursday and Friday: the note names those days and why, in both languages;
        the table, the chart and the calendar file all tell it."""
        text = CALENDAR.replace('date = "2018-06-30"\nadjust = false', 'date = "2018-06-30"')
        text += (
            '\n[[closures]]\nstart = "2018-06-28"\nend = "2018-06-29"\n'
            'reason_ja = "計画停止"\nreason_en = "planned outage"\nsection = "§13"\n'
        )
        tl = build_timeline(parse_calendar(text, "test.toml"))
        assert tl["last-provision"].due.date == dt.date(2018, 6, 27)
        passed = "（6/28（木）〜6/29（金）も閉庁日: 計画停止）"
        assert passed in timeline_markdown(tl)
        english = timeline_markdown(tl, lang="en")
        assert "(Thu 28 Jun – Fri 29 Jun closed too: planned outage)" in english
        assert passed in timeline_svg(tl)
        assert passed in timeline_ics(tl).decode().replace("\r\n ", "")

    def test_an_assumed_recurring_date_is_marked(self) -> None:
        """A recurring obligation whose day the calendar assumes (the source says only "every
        year") is marked ※仮定 with the assumption in the Markdown list, as the chart and
        the calendar file mark it, and the JSON gives the assumption; one without stays plain."""
        tl = build_timeline(load_calendar("2018-07"))
        lines = timeline_markdown(tl).split("## 定期的な対応", 1)[1].splitlines()
        (training,) = [line for line in lines if "教育・研修の実施計画を策定し" in line]
        assert "※仮定: §13・§16は「毎年度」とするのみ。年度の初日とした。" in training
        english = timeline_markdown(tl, lang="en")
        assert (
            "※ assumption: §13 and §16 say every fiscal year" in english.split("## Recurring", 1)[1]
        )
        data = timeline_json(tl)
        (rule,) = [r for r in data["recurring"] if r["id"] == "training-plan"]
        assert rule["assumption"].startswith("§13・§16は「毎年度」")
        assert rule["assumption_en"].startswith("§13 and §16 say")
        plain = timeline_markdown(build_timeline(parse_calendar(CALENDAR, "test.toml")))
        assert "※" not in plain.split("## 定期的な対応", 1)[1].split("##", 1)[0]

    def test_what_if_lists_a_window_whose_opening_alone_moved(self) -> None:
        """A shift that moves a window's opening and leaves its due date (the test window's
        end moves from Friday 6/22 to Saturday 6/23, still due on 6/22) moved a date: the
        table lists the window with both spans, where it said that no date moved."""
        found = what_if(load_calendar("2018-07"), [parse_shift("inter-agency-test=+1d")])
        text = timeline_markdown(found)
        assert "動いた日付はありません" not in text
        assert (
            "| 平成30年5月7日（月）〜平成30年6月22日（金） "
            "| 平成30年5月8日（火）〜平成30年6月22日（金） |"
        ) in text

    def test_what_if_lists_a_date_moved_from_one_closed_day_to_another(self) -> None:
        """The cutoff moved from Saturday 6/30 to Sunday 7/1 is still answered by Friday 6/29,
        but its last day is now the day the revision takes effect (a new conflict): the table
        lists it, each side saying the closed day it was moved off, where it said that no
        date moved beside the conflict."""
        found = what_if(load_calendar("2018-07"), [parse_shift("provision-cutoff=+1d")])
        assert found.new_conflicts
        text = timeline_markdown(found)
        moved = text.split("### 動いた日付")[1].split("###")[0]
        assert "動いた日付はありません" not in moved
        (row,) = [line for line in moved.splitlines() if line.startswith("| 改版前に受けた")]
        _, before, after = row.strip("| ").split(" | ")
        assert before == "平成30年6月29日（金）（6/30（土）は閉庁日のため 6/29（金））"
        assert after == "平成30年6月29日（金）（7/1（日）は閉庁日のため 6/29（金））"
        english = timeline_markdown(found, lang="en").split("### Dates that moved")[1]
        assert "moved from Sun 1 Jul 2018 (closed: Sunday)" in english

    def test_what_if_says_a_milestone_shifted_onto_a_closed_day_stays_there(self) -> None:
        """The all-agency drill (a milestone: its date is not moved off closed days) shifted
        three days to Saturday 5/26 stays on that day: the moved table says it is a closed
        day, in Japanese and in English, where it gave the Saturday with no word."""
        found = what_if(load_calendar("2018-07"), [parse_shift("all-agency-drill=+3d")])
        moved = timeline_markdown(found).split("### 動いた日付")[1].split("###")[0]
        (row,) = [line for line in moved.splitlines() if line.startswith("| 全機関訓練")]
        _, before, after = row.strip("| ").split(" | ")
        assert before == "平成30年5月23日（水）"
        assert after == "平成30年5月26日（土）（閉庁日: 土曜日）"
        english = timeline_markdown(found, lang="en").split("### Dates that moved")[1]
        assert "| 2018-05-23 (Wed) | 2018-05-26 (Sat) (closed: Saturday) |" in english

    @settings(max_examples=25, deadline=None)
    @given(days=st.integers(min_value=-60, max_value=35))
    def test_a_shifted_milestone_says_a_closed_day_only_on_one(self, days: int) -> None:
        """Whatever day a shift puts the drill on, the moved table says 閉庁日 beside it
        exactly when that day is closed (a weekend, a holiday: 4/30 振替休日)."""
        assume(days != 0)
        found = what_if(load_calendar("2018-07"), [parse_shift(f"all-agency-drill={days:+d}d")])
        moved = timeline_markdown(found).split("### 動いた日付")[1].split("###")[0]
        (row,) = [line for line in moved.splitlines() if line.startswith("| 全機関訓練")]
        after = row.strip("| ").split(" | ")[2]
        day = found.after["all-agency-drill"].due.date
        assert day == dt.date(2018, 5, 23) + dt.timedelta(days=days)
        assert ("閉庁日" in after) == (found.after.closed.closure(day) is not None)

    def test_deterministic(self, cal: RevisionCalendar) -> None:
        """The same timeline renders to the same text."""
        assert timeline_markdown(build_timeline(cal)) == timeline_markdown(build_timeline(cal))

    def test_user_template(self, tl: Timeline, tmp_path: Path) -> None:
        """A timeline.md.j2 in a templates directory replaces the shipped one."""
        (tmp_path / "timeline.md.j2").write_text("{{ page.title }}\n", encoding="utf-8")
        text = timeline_markdown(tl, templates=tmp_path)
        assert text == "データ標準レイアウト改版（試験） — タイムライン\n"

    def test_template_is_shipped(self) -> None:
        """The template ships inside the package."""
        files = importlib.resources.files("cutover") / "templates"
        assert (files / "timeline.md.j2").is_file()


class TestJson:
    def test_round_trips(self, tl: Timeline) -> None:
        """The JSON data survives json.dumps and json.loads unchanged."""
        data = timeline_json(tl)
        assert json.loads(json.dumps(data, ensure_ascii=False)) == data

    def test_a_shifted_timeline_says_what_moved(self, cal: RevisionCalendar) -> None:
        """A timeline built with shifts has their what-if, as the command's ``--shift`` and
        the `WhatIf` of the same shifts: docs/json.md's ``what_if`` is null only without a
        shift (it was null beside ``calendar.shifts`` naming the shift)."""
        shifts = [parse_shift("registration=+2bd")]
        data = timeline_json(build_timeline(cal, shifts), lang="en")
        assert data["calendar"]["shifts"] == ["registration=+2bd"]
        assert data["what_if"] is not None
        assert data["what_if"]["moved"]
        assert data == timeline_json(what_if(cal, shifts), lang="en")
        assert timeline_json(build_timeline(cal))["what_if"] is None

    def test_calendar(self, tl: Timeline) -> None:
        """The calendar block names the revision and its effective date (the object every
        JSON output carries, its title in the language asked for)."""
        assert timeline_json(tl)["calendar"] == {
            "id": "2018-07-test",
            "title": "データ標準レイアウト改版（試験）",
            "title_ja": "データ標準レイアウト改版（試験）",
            "title_en": "Data standard layout revision (test)",
            "effective": "2018-07-01",
            "source": "総務省「情報連携の運用に係る留意事項等について」",
            "shifts": [],
        }
        assert timeline_json(tl, lang="en")["calendar"]["title"] == (
            "Data standard layout revision (test)"
        )

    def test_event(self, tl: Timeline) -> None:
        """An event gives its dates as ISO strings, and why it moved."""
        events = {e["id"]: e for e in timeline_json(tl)["events"]}
        reg = events["registration"]
        assert (reg["start"], reg["end"], reg["due"], reg["opening"]) == (
            "2018-05-21",
            "2018-06-30",
            "2018-06-29",
            "2018-05-21",
        )
        assert reg["moved"] is True
        assert reg["closed_reason"] == {"ja": "土曜日", "en": "Saturday"}
        assert reg["latest_end"] == "2018-07-01"
        assert reg["slack_days"] == 1
        assert events[EFFECTIVE]["critical"] is True
        assert set(reg) >= {
            "id",
            "type",
            "title_ja",
            "title_en",
            "actor",
            "section",
            "assumption",
            "start",
            "end",
            "due",
            "opening",
            "moved",
            "closed_reason",
            "derived",
            "latest_end",
            "slack_days",
            "critical",
        }

    def test_events_in_date_order(self, tl: Timeline) -> None:
        """Events come in the timeline's date order."""
        starts = [e["start"] for e in timeline_json(tl)["events"]]
        assert starts == sorted(starts)

    def test_cutoff(self, tl: Timeline) -> None:
        """The cutoff block carries the 2018 dates."""
        assert timeline_json(tl)["cutoff"] == {
            "items": [2, 21],
            "last_provision": "2018-06-30",
            "answer_by": "2018-06-29",
            "effective": "2018-07-01",
            "reissue_from": "2018-07-02",
            "section": "§6",
        }

    def test_what_if(self, cal: RevisionCalendar) -> None:
        """A what-if adds what moved and the new conflicts; its shifts are written as
        --shift takes them, at the top and in the calendar object alike."""
        data = timeline_json(what_if(cal, [parse_shift("registration=+2bd")]))
        assert data["shifts"] == ["registration=+2bd"]
        assert data["calendar"]["shifts"] == ["registration=+2bd"]
        assert data["what_if"]["moved"] == [
            {"event": "registration", "before": "2018-06-29", "after": "2018-07-03"}
        ]
        assert [c["code"] for c in data["what_if"]["new_conflicts"]] == ["after-effective"]
        json.dumps(data)


class TestMermaid:
    def test_gantt(self, tl: Timeline) -> None:
        """The chart is a Mermaid gantt with ISO dates and a section per actor."""
        text = timeline_mermaid(tl)
        lines = text.splitlines()
        assert lines[0] == "gantt"
        assert "    dateFormat YYYY-MM-DD" in lines
        assert "    section 情報提供者" in lines
        assert "    section 情報照会者" in lines

    def test_windows_and_milestones(self, tl: Timeline) -> None:
        """Windows are bars over their adjusted days; milestones and deadlines are milestones."""
        text = timeline_mermaid(tl, lang="en")
        assert "e_registration, 2018-05-21, 40d" in text
        assert "milestone, e_last_provision, 2018-06-30, 0d" in text
        assert ":crit, milestone, e_effective, 2018-07-01, 0d" in text

    def test_titles_sanitized(self, tl: Timeline) -> None:
        """Task names carry no `:`, `#` or `;` (they would break the chart)."""
        text = timeline_mermaid(tl, lang="en")
        line = next(x for x in text.splitlines() if "e_reissue" in x)
        name = line.split(" :", 1)[0]
        assert name.strip() == "Re-issue queries a 1 test"
        for task in text.splitlines()[4:]:
            if not task.startswith("    section"):
                assert not re.search(r"[#;]", task.split(" :", 1)[0])

    def test_keyword_title(self, cal: RevisionCalendar) -> None:
        """A title starting with a Mermaid keyword cannot become that statement."""
        renamed = attrs.evolve(
            cal,
            events=tuple(
                attrs.evolve(e, title_en="Section 5 work") if e.id == "registration" else e
                for e in cal.events
            ),
        )
        text = timeline_mermaid(build_timeline(renamed), lang="en")
        assert "    ・ Section 5 work :" in text


# --- where each event stands on the as-of date -------------------------------------------------


def _states(as_of: str, lang: str = "ja") -> dict[str, str]:
    """Return {event title: the as-of column} of the shipped 2018-07 timeline's Markdown."""
    import datetime as dt

    from cutover.calendar.load import load_calendar

    text = timeline_markdown(
        build_timeline(load_calendar("2018-07")),
        lang=lang,  # type: ignore[arg-type]
        as_of=dt.date.fromisoformat(as_of),
    )
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| 平成")]
    rows += [line.split(" | ") for line in text.splitlines() if line.startswith("| 2018")]
    return {cells[1]: cells[-1].rstrip(" |") for cells in rows}


CUTOFF_JA = "改版前に受けた提供の求め（2番・21番）への情報提供の期限"
REGISTRATION_JA = "副本登録期間（特定個人情報2番・8番・21番・52番）"
EFFECTIVE_JA = "改版（新レイアウトの適用開始）"
REQUERY_JA = "取りやめた照会（2番・21番）の再照会"
BRIEFINGS_JA = "全国説明会（全国47都道府県）"


@pytest.mark.parametrize(
    ("as_of", "title", "state"),
    [
        # The cutoff is Saturday 6/30, due Friday 6/29; over once 6/30 has ended.
        ("2018-06-28", CUTOFF_JA, "残り2開庁日"),
        ("2018-06-29", CUTOFF_JA, "本日"),
        ("2018-06-30", CUTOFF_JA, "本日まで（最終の開庁日は過ぎた）"),
        ("2018-07-01", CUTOFF_JA, "終了"),
        ("2018-06-28", REGISTRATION_JA, "期間中、残り2開庁日"),
        ("2018-05-20", REGISTRATION_JA, "開始まであと1日"),
        # The revision is a milestone on Sunday 7/1: it never moves.
        ("2018-06-30", EFFECTIVE_JA, "あと1日"),
        ("2018-07-01", EFFECTIVE_JA, "本日"),
        ("2018-07-02", EFFECTIVE_JA, "終了"),
        # Re-issuing opens on Sunday 7/1, shown from Monday 7/2, for five business days.
        ("2018-07-01", REQUERY_JA, "開始まであと1日"),
        ("2018-07-02", REQUERY_JA, "期間中、残り5開庁日"),
        ("2018-07-06", REQUERY_JA, "本日"),
        # The nationwide briefings keep their calendar days (to Sunday 6/10): counted in days.
        ("2018-06-09", BRIEFINGS_JA, "期間中、残り2日"),
        ("2018-06-10", BRIEFINGS_JA, "本日"),
        ("2018-06-11", BRIEFINGS_JA, "終了"),
    ],
)
def test_as_of_column_at_the_boundaries(as_of: str, title: str, state: str) -> None:
    """With --as-of, each event says where it stands on that day, closed days counted."""
    assert _states(as_of)[title] == state


def test_as_of_column_in_english_and_the_page_without_it() -> None:
    """English says the same; without an as-of date the page has no such column or line."""
    from cutover.calendar.load import load_calendar

    english = _states("2018-06-30", "en")
    cutoff = "Last day to answer requests for items 2 and 21 received before the revision"
    assert english[cutoff] == "today (last business day passed)"
    assert _states("2018-07-02", "en")[cutoff] == "over"

    plain = timeline_markdown(build_timeline(load_calendar("2018-07")))
    assert "基準日" not in plain
    assert "| 日付 | 行事 | 主体 | 出典 | 余裕 | 備考 |" in plain


def test_a_deadline_given_as_a_span_says_it_is_planned_to_its_last_day() -> None:
    """The notes of a deadline written 「平成31年4月中旬」 say it is read as its last day."""
    cal = parse_calendar(
        """
[revision]
id = "test"
title_ja = "試験用の改版"
title_en = "Test revision"
effective = "2019-05-01"
source = "test source"
section = "§1"

[[events]]
id = "report"
type = "deadline"
title_ja = "報告"
title_en = "Report"
date = "平成31年4月中旬"
section = "§2"
""",
        "test.toml",
    )
    tl = build_timeline(cal)
    assert "due mid April 2019; planned to its last day" in timeline_markdown(tl, lang="en")
    assert "期限は平成31年4月中旬と記載（末日で計算）" in timeline_markdown(tl)


_DERIVED_FROM_ASSUMED = """
[revision]
id = "test"
title_ja = "試験用の改版"
title_en = "Test revision"
effective = "2019-11-01"
source = "test source"
section = "§1"

[[events]]
id = "change-requests"
type = "window"
title_ja = "変更申請の受付"
title_en = "Change requests"
start = "2019-05-21"
end = "2019-08-30"
assumption = "終了日は仮定。"

[[events]]
id = "inter-agency-test"
type = "window"
title_ja = "機関間試験"
title_en = "Inter-agency test"
after = [{ event = "change-requests", lag = "10bd" }]
duration = "20bd"
section = "§4"
"""


def test_a_date_worked_out_from_an_assumed_one_says_so() -> None:
    """A window derived from an assumed date is noted as worked out from it, in both languages."""
    cal = parse_calendar(_DERIVED_FROM_ASSUMED, "test.toml")
    tl = build_timeline(cal)
    assert tl["inter-agency-test"].assumed_from == tl["change-requests"].event
    assert "※ worked out from a date the calendar assumes (Change requests)" in timeline_markdown(
        tl, lang="en"
    )
    assert "※仮定の日付（変更申請の受付）から導出" in timeline_markdown(tl)


def test_a_date_worked_out_from_two_events_lists_them_as_the_language_does() -> None:
    """A window after two events names both as a list of the page's language: 「A、B」 in
    Japanese, where the note joined them with an ASCII comma, and "A and B" in English."""
    text = _DERIVED_FROM_ASSUMED.replace(
        'after = [{ event = "change-requests", lag = "10bd" }]',
        'after = [{ event = "change-requests", lag = "10bd" }, { event = "survey" }]',
    )
    text += (
        '\n[[events]]\nid = "survey"\ntitle_ja = "調査"\ntitle_en = "Survey"\n'
        'date = "2019-06-03"\nsection = "§3"\n'
    )
    tl = build_timeline(parse_calendar(text, "test.toml"))
    assert "前提から導出: 変更申請の受付、調査" in timeline_markdown(tl)
    assert "derived from: Change requests and Survey" in timeline_markdown(tl, lang="en")


def test_charts_and_calendars_mark_a_date_worked_out_from_an_assumed_one() -> None:
    """The Mermaid chart, the SVG chart and the iCalendar file mark the derived window ※ and
    say where its assumption comes from, as the table does."""
    tl = build_timeline(parse_calendar(_DERIVED_FROM_ASSUMED, "test.toml"))
    assert "Inter-agency test ※ :" in timeline_mermaid(tl, lang="en")
    svg = timeline_svg(tl, lang="en")
    assert "Inter-agency test ※" in svg
    assert "worked out from a date the calendar assumes (Change requests)" in svg
    ics = timeline_ics(tl).decode("utf-8").replace("\r\n ", "")
    assert "※仮定の日付（変更申請の受付）から導出" in ics


def test_the_json_says_which_assumed_date_a_date_rests_on() -> None:
    """A program reading the timeline JSON learns that a derived window's dates are assumed,
    and from which event, as a person reads it in the table: `assumed_from` names the event
    carrying the assumption (itself for that one), null where the source gives the dates."""
    tl = build_timeline(parse_calendar(_DERIVED_FROM_ASSUMED, "test.toml"))
    events = {e["id"]: e for e in timeline_json(tl)["events"]}
    assert events["change-requests"]["assumed_from"] == "change-requests"
    assert events["inter-agency-test"]["assumed_from"] == "change-requests"
    assert events["inter-agency-test"]["assumption"] is None
    shipped = timeline_json(build_timeline(load_calendar("2018-07")))["events"]
    assert {e["assumed_from"] for e in shipped if e["assumption"] is None} == {None}


# --- dates kept on closed days ----------------------------------------------------------------


def _by_id(data: dict[str, object], key: str = "events") -> dict[str, dict[str, object]]:
    """Return the JSON's events (or recurring occurrences) by id."""
    items = data[key]
    assert isinstance(items, list)
    return {item["id"]: item for item in items}


def test_the_json_says_a_date_kept_on_a_closed_day() -> None:
    """A milestone on Saturday 3/31, the revision on Sunday 7/1 and the briefings
    (``adjust = false``) ending Sunday 6/10 are not moved (`closed_reason` null) and say the
    closed day they stay on; a date moved off one (the cutoff, to Friday 6/29) says none."""
    data = timeline_json(build_timeline(load_calendar("2018-07")))
    events = _by_id(data)
    saturday = {"code": "saturday", "ja": "土曜日", "en": "Saturday"}
    sunday = {"code": "sunday", "ja": "日曜日", "en": "Sunday"}
    counted = events["test-requests-counted"]
    assert (counted["moved"], counted["closed_reason"]) == (False, None)
    assert (counted["opening_closed"], counted["due_closed"]) == (None, saturday)
    assert events[EFFECTIVE]["due_closed"] == sunday
    briefings = events["briefings"]
    assert (briefings["moved"], briefings["opening_closed"]) == (False, None)
    assert briefings["due_closed"] == sunday
    cutoff = events["provision-cutoff"]
    assert (cutoff["moved"], cutoff["due"]) == (True, "2018-06-29")
    assert (cutoff["opening_closed"], cutoff["due_closed"]) == (None, None)
    assert _by_id(data, "recurring")["training-plan"]["date_closed"] == sunday
    assert _by_id(data, "recurring")["annual-self-inspection"]["date_closed"] is None


def test_the_json_says_a_window_kept_opening_on_a_closed_day() -> None:
    """The briefings (``adjust = false``) shifted to open on Saturday 4/14 open there, and
    their opening says so."""
    shifted = what_if(load_calendar("2018-07"), [parse_shift("briefings=+3d")])
    briefings = _by_id(timeline_json(shifted))["briefings"]
    assert briefings["opening"] == "2018-04-14"
    assert briefings["opening_closed"] == {"code": "saturday", "ja": "土曜日", "en": "Saturday"}


@settings(max_examples=25, deadline=None)
@given(days=st.integers(min_value=-60, max_value=35))
def test_a_date_is_marked_closed_exactly_when_it_stays_on_one(days: int) -> None:
    """Wherever a shift puts the drill (a milestone) and the test window (moved off closed
    days), the JSON's ``due_closed`` and the table's date say 閉庁日 exactly when the date
    shown is a closed day, and never for a date that moved."""
    shifts = [
        parse_shift(f"all-agency-drill={days:+d}d"),
        parse_shift(f"inter-agency-test={days:+d}d"),
    ]
    found = what_if(load_calendar("2018-07"), shifts)
    tl = found.after
    events = _by_id(timeline_json(found))
    page = timeline_markdown(found).split("## 日程", 1)[1].split("\n## ", 1)[0]
    rows = {cells(row)[1]: cells(row)[0] for row in table_rows(page)[2:]}
    for event_id in ("all-agency-drill", "inter-agency-test"):
        item = tl[event_id]
        first, last = item.acted_on
        due_closure = tl.closed.closure(last)
        shown = events[event_id]["due_closed"]
        assert (shown is None) == (due_closure is None)
        if item.moved:
            assert due_closure is None
        closed_days = [d for d in {first, last} if tl.closed.closure(d) is not None]
        assert ("閉庁日" in rows[item.event.title_ja]) == bool(closed_days)


def test_the_table_marks_a_date_kept_on_a_closed_day() -> None:
    """The main table's date says when a date stays on a closed day, in Japanese and in
    English, and the legend says what the mark means; a moved date carries no mark."""
    tl = build_timeline(load_calendar("2018-07"))
    ja = {cells(r)[1]: cells(r)[0] for r in table_rows(timeline_markdown(tl))}
    assert ja["機関間試験の実施希望の集計（96機関）"] == "平成30年3月31日（土）（閉庁日: 土曜日）"
    assert ja["全国説明会（全国47都道府県）"] == (
        "平成30年4月11日（水）〜平成30年6月10日（日）（閉庁日: 日曜日）"
    )
    assert ja["改版前に受けた提供の求め（2番・21番）への情報提供の期限"] == "平成30年6月29日（金）"
    assert "「（閉庁日: 土曜日）」のように書きます" in timeline_markdown(tl)
    english = timeline_markdown(tl, lang="en")
    en = {cells(r)[1]: cells(r)[0] for r in table_rows(english)}
    assert (
        en["the revision takes effect (new layout applies)"] == "2018-07-01 (Sun) (closed: Sunday)"
    )
    assert "a date kept on a closed day (a milestone) is marked “(closed: Saturday)”" in english


# --- dates moved off a holiday ----------------------------------------------------------------

_MOVED_OFF_HOLIDAYS = """
schema = 1
[revision]
id = "holidays"
title_ja = "祝日"
title_en = "Holidays"
effective = "2020-03-02"
section = "§2"
source = "test"

[[events]]
id = "w1"
type = "window"
title_ja = "w1"
title_en = "w1"
actor = "ministry"
start = "2020-02-11"
end = "2020-02-21"
section = "§1"

[[events]]
id = "d4"
type = "deadline"
title_ja = "d4"
title_en = "d4"
actor = "ministry"
date = "2019-04-30"
section = "§1"
"""


def test_the_table_gives_a_holidays_name_after_the_closed_date_not_the_new_one() -> None:
    """A date moved off a holiday says which holiday beside the date that is closed, in the
    table of both languages: 「2/11（火）は閉庁日のため 2/12（水）から（祝日（建国記念の日））」
    read as if the new date, 2/12, were the holiday."""
    tl = build_timeline(parse_calendar(_MOVED_OFF_HOLIDAYS, "test.toml"))
    ja = {cells(r)[1]: cells(r)[5] for r in table_rows(timeline_markdown(tl))}
    assert ja["w1"] == "開始: 2/11（火）は閉庁日（祝日（建国記念の日））のため 2/12（水）から"
    assert ja["d4"] == (
        "4/30（火）は閉庁日（祝日（国民の休日））のため 4/26（金）"
        "（4/29（月）も閉庁日: 祝日（昭和の日））"
    )
    en = {cells(r)[1]: cells(r)[5] for r in table_rows(timeline_markdown(tl, lang="en"))}
    assert en["w1"] == (
        "opening moved from Tue 11 Feb 2020 (closed: national holiday (Foundation Day))"
        " to Wed 12 Feb 2020"
    )
