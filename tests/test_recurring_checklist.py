"""Tests for recurring obligations (§13) in the checklists of the agencies they fall on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cutover.calendar.load import load_calendar, parse_calendar
from cutover.inputs.model import Agency, Registry
from cutover.jp.vocabulary import Kind
from cutover.planning.model import Plan
from cutover.planning.planner import obligation_applies, plan
from cutover.render.checklist import checklist_page, render_checklist
from cutover.render.checklists import write_checklists
from cutover.schedule.timeline import build_timeline

D = dt.date

CALENDAR = """
[revision]
id = "recurring"
title_ja = "試験用の改版"
title_en = "Test revision"
effective = "2018-07-01"
source = "test source"
section = "§1"

[[events]]
id = "start"
type = "milestone"
title_ja = "開始"
title_en = "Start"
date = "2018-04-01"
section = "§2"

[[recurring]]
id = "monthly-check"
title_ja = "月次の点検"
title_en = "Monthly check"
rrule = "FREQ=MONTHLY;BYMONTHDAY=15"
dtstart = "2018-04-15"
actor = "every-agency"
section = "§13"

[[recurring]]
id = "prefecture-report"
title_ja = "都道府県の取りまとめ報告"
title_en = "Prefecture's report"
rrule = "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1"
dtstart = "2018-06-01"
actor = "prefecture"
section = "§13, §14"
assumption = "日付は仮定。"
assumption_en = "The day is assumed."

[[recurring]]
id = "provider-log"
title_ja = "提供<b>ログ</b>の確認"
title_en = "Provider log check"
rrule = "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=10"
dtstart = "2018-05-10"
actor = "provider"
section = "§13"

[[recurring]]
id = "operator-audit"
title_ja = "運営主体の監査"
title_en = "Operator audit"
rrule = "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=20"
dtstart = "2018-05-20"
actor = "nws-operator"
section = "§13"
"""

PREFECTURE = Agency("130001", "東京都", Kind.PREFECTURE, False, frozenset(), frozenset(), 2)
MUNICIPALITY = Agency("131016", "千代田区", Kind.MUNICIPALITY, False, frozenset(), frozenset(), 3)
ASSOCIATION = Agency("138509", "例示広域連合", Kind.ASSOCIATION, False, frozenset(), frozenset(), 4)


def recurring_plan() -> Plan:
    """Return the plan of a prefecture, a municipality and an association as of 2018-06-20."""
    timeline = build_timeline(parse_calendar(CALENDAR, "recurring.toml"))
    return plan(timeline, Registry((PREFECTURE, MUNICIPALITY, ASSOCIATION)), D(2018, 6, 20))


def titles(the_plan: Plan, code: str, lang: str = "ja") -> list[str]:
    """Return the titles of the recurring obligations in one agency's checklist."""
    page = checklist_page(the_plan.agency(code), the_plan, lang=lang)
    return [item.title for item in page.recurring]


def test_obligation_applies_by_actor() -> None:
    """Every-agency, provider and querier obligations fall on all; prefecture's on prefectures."""
    calendar = parse_calendar(CALENDAR, "recurring.toml")
    by_id = {r.id: r for r in calendar.recurring}
    assert obligation_applies(by_id["monthly-check"], ASSOCIATION)
    assert obligation_applies(by_id["provider-log"], MUNICIPALITY)
    assert obligation_applies(by_id["prefecture-report"], PREFECTURE)
    assert not obligation_applies(by_id["prefecture-report"], MUNICIPALITY)
    assert not obligation_applies(by_id["operator-audit"], PREFECTURE)


def test_prefecture_gets_its_own_obligation() -> None:
    """The prefecture's checklist lists its report; the operator's audit is nobody's."""
    assert titles(recurring_plan(), "130001") == [
        "月次の点検",
        "都道府県の取りまとめ報告",
        r"提供\<b\>ログ\</b\>の確認",
    ]


def test_municipality_and_association_skip_the_prefecture_report() -> None:
    """Municipalities and associations do not get the prefecture's obligation."""
    for code in ("131016", "138509"):
        assert titles(recurring_plan(), code, "en") == ["Monthly check", "Provider log check"]


def test_dates_in_span_and_next_occurrence() -> None:
    """Each obligation lists its dates in the timeline's span and the next one after as-of."""
    the_plan = recurring_plan()
    text = render_checklist(the_plan.agency("130001"), the_plan)
    # The timeline spans 2018-04-01 to 2018-07-01: three monthly checks fall in it. A date
    # on a closed day says so.
    assert (
        "- **月次の点検**（§13）: 平成30年4月15日（日）（閉庁日: 日曜日）、平成30年5月15日（火）、"
        "平成30年6月15日（金） — 次回 平成30年7月15日（日）（閉庁日: 日曜日）"
    ) in text
    assert (
        "- **都道府県の取りまとめ報告**（§13, §14）: 平成30年6月1日（金） ※ — "
        "次回 令和元年6月1日（土）（閉庁日: 土曜日） ※\n  - ※仮定: 日付は仮定。"
    ) in text


def test_heading_names_the_shared_section() -> None:
    """The heading cites the section every listed obligation cites first."""
    the_plan = recurring_plan()
    assert "\n## 定期的な対応（§13）\n" in render_checklist(the_plan.agency("131016"), the_plan)
    english = render_checklist(the_plan.agency("131016"), the_plan, lang="en")
    assert "\n## Recurring work (§13)\n" in english
    assert (
        "- **Monthly check** (§13): 2018-04-15 (Sun) (closed: Sunday), 2018-05-15 (Tue)" in english
    )


def test_assumption_legend_printed() -> None:
    """An assumed recurring date prints the ※ legend."""
    the_plan = recurring_plan()
    page = checklist_page(the_plan.agency("130001"), the_plan)
    assert page.assumed
    assert "※ は資料に日付がなく" in render_checklist(the_plan.agency("130001"), the_plan)


def test_shipped_calendar_lists_self_inspection_for_every_agency() -> None:
    """With the July 2018 calendar, every kind of agency gets the §13 obligations."""
    timeline = build_timeline(load_calendar("2018-07"))
    the_plan = plan(timeline, Registry((PREFECTURE, MUNICIPALITY, ASSOCIATION)), D(2018, 6, 25))
    for code in ("130001", "131016", "138509"):
        text = render_checklist(the_plan.agency(code), the_plan)
        assert "## 定期的な対応（§13）" in text
        assert (
            "- **安全管理措置の自己点検（年1回）**（§13）: 平成30年5月1日（火） ※ — "
            "次回 令和元年5月1日（水）（閉庁日: 祝日（天皇の即位の日）） ※"
        ) in text


def test_an_associations_checklist_says_the_13_duties_bind_it(tmp_path: Path) -> None:
    """The association's checklist carries the calendar's note on an obligation, in Markdown
    and HTML, in each language: §13 says a newly connected 一部事務組合等 has the same duties."""
    timeline = build_timeline(load_calendar("2018-07"))
    the_plan = plan(timeline, Registry((PREFECTURE, ASSOCIATION)), D(2018, 6, 25))
    agency = the_plan.agency("138509")
    text = render_checklist(agency, the_plan)
    assert "  - 注記: 一部事務組合等の新規接続機関も、同様の対応（§13 の1〜5）が必要。\n" in text
    # (Nothing the source does not say: hearings about registration come through the
    # prefecture, §5, not to the registered contact.)
    assert "ヒアリングや異常事象の連絡は登録された" not in text
    english = render_checklist(agency, the_plan, lang="en")
    assert "A newly connected partial-affairs association (一部事務組合等) has the same duties" in (
        english
    )
    write_checklists(the_plan, tmp_path, fmt="html")
    assert "一部事務組合等の新規接続機関も" in (tmp_path / "138509.html").read_text(
        encoding="utf-8"
    )


def test_no_recurring_no_section() -> None:
    """A calendar without recurring obligations has no such section."""
    text = CALENDAR[: CALENDAR.index("[[recurring]]")]
    timeline = build_timeline(parse_calendar(text, "plain.toml"))
    the_plan = plan(timeline, Registry((MUNICIPALITY,)), D(2018, 6, 20))
    assert "定期的な対応" not in render_checklist(the_plan.agencies[0], the_plan)
