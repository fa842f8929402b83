"""Tests for `cutover.calendar.diff` and `cutover.render.diff`: what changed between two
calendars.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from cutover.calendar import diff as calendar_diff
from cutover.calendar.diff import (
    SECTIONS,
    CalendarDiff,
    EntryChange,
    FieldChange,
    Section,
    diff_calendars,
)
from cutover.calendar.load import load_calendar, parse_calendar
from cutover.calendar.model import RevisionCalendar
from cutover.cli.main import main
from cutover.i18n.catalogue import Lang
from cutover.jp.wareki import DateRange
from cutover.render.diff import _field_name, diff_json, diff_markdown, field_code
from cutover.schedule.timeline import build_timeline

D = dt.date
MARKDOWN = MarkdownIt("commonmark").enable("table")

BASE = """
[revision]
id = "base"
title_ja = "試験用の改版"
title_en = "Test revision"
effective = "2018-07-01"
source = "test source"
section = "§1"
systems = ["local-tax", "nhi"]

[[items]]
number = 2
name_ja = "地方税関係情報"
name_en = "local tax information"
short_ja = "地方税"
short_en = "local tax"
registration_required = true
retroactive = true
section = "§5"

[[items]]
number = 8
name_ja = "障害者自立支援給付関係情報"
name_en = "disability support benefits"
short_ja = "障害福祉"
short_en = "disability"
registration_required = true
retroactive = false
section = "§5"

[cutoff]
items = [2]
last_provision = "provision-cutoff"
requery_from = "effective"
section = "§6"

[[events]]
id = "survey"
type = "milestone"
title_ja = "改修状況調査"
title_en = "Survey"
actor = "ministry"
date = "2018-02-19"
section = "§3"

[[events]]
id = "registration"
type = "window"
title_ja = "副本登録期間"
title_en = "Registration window"
actor = "provider"
start = "2018-05 下旬"
end = "2018-06-30"
before = [{ event = "effective", lag = "1d" }]
section = "§5"

[[events]]
id = "provision-cutoff"
type = "deadline"
title_ja = "提供の期限"
title_en = "Provision cutoff"
actor = "provider"
date = "2018-06-30"
section = "§6"

[[events]]
id = "requery"
type = "window"
title_ja = "再照会"
title_en = "Re-query"
actor = "querier"
after = [{ event = "effective", lag = "0bd" }]
duration = "5bd"
section = "§6"
assumption = "5開庁日とした。"

[[tasks]]
id = "register"
per = "item"
items = "registration"
title_ja = "{item}番を登録する"
title_en = "Register item {item}"
window = "registration"
due = "registration"
hearing = true
section = "§5"

[[tasks]]
id = "modify-query"
per = "system"
side = "query"
title_ja = "照会側の改修（{system_ja}）"
title_en = "Query side ({system_en})"
due = "provision-cutoff"
section = "§3"

[[recurring]]
id = "self-inspection"
title_ja = "自己点検"
title_en = "Self-inspection"
rrule = "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1"
dtstart = "2018-05-01"
actor = "every-agency"
section = "§13"
"""


def cal(text: str = BASE, name: str = "base.toml") -> RevisionCalendar:
    """Return the calendar written in `text`."""
    return parse_calendar(text, name)


def changed(old: str, new: str) -> str:
    """Return the base calendar with one piece of text replaced (which must be there)."""
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def diff_of(new_text: str) -> CalendarDiff:
    """Return the diff from the base calendar to `new_text`."""
    return diff_calendars(cal(), cal(new_text, "new.toml"))


def entry(diff: CalendarDiff, section: str, ident: str) -> EntryChange:
    """Return the one entry of `section` with this id."""
    [found] = [e for e in diff.entries if e.section == section and e.id == ident]
    return found


def fields(found: EntryChange) -> dict[str, tuple[object, object]]:
    """Return an entry's changed fields as {field: (old, new)}."""
    return {c.field: (c.old, c.new) for c in found.fields}


# --- no changes ------------------------------------------------------------------------------


def test_shipped_calendar_against_itself() -> None:
    """The July 2018 calendar compared with itself has no changes."""
    calendar = load_calendar("2018-07")
    diff = diff_calendars(calendar, calendar)
    assert not diff
    assert diff.entries == ()
    assert "変更はない" in diff_markdown(diff)
    assert "No changes" in diff_markdown(diff, lang="en")
    assert diff_json(diff)["identical"] is True


def test_spelling_of_a_date_is_not_a_change() -> None:
    """The same fuzzy date written another way (wareki for ISO) is no change."""
    assert not diff_of(changed('start = "2018-05 下旬"', 'start = "平成30年5月下旬"'))


# --- the revision ----------------------------------------------------------------------------


def test_effective_date_change_moves_dependent_dates() -> None:
    """A new effective date is a revision change, and moves every event after it."""
    diff = diff_of(changed('effective = "2018-07-01"', 'effective = "2018-07-03"'))
    assert fields(entry(diff, "revision", "base"))["effective"] == (D(2018, 7, 1), D(2018, 7, 3))
    assert fields(entry(diff, "events", "effective"))["due"] == (D(2018, 7, 1), D(2018, 7, 3))
    requery = fields(entry(diff, "events", "requery"))
    assert requery["opens"] == (D(2018, 7, 2), D(2018, 7, 3))
    assert requery["due"] == (D(2018, 7, 6), D(2018, 7, 9))
    assert fields(entry(diff, "cutoff", "cutoff"))["reissue_from"] == (
        D(2018, 7, 2),
        D(2018, 7, 3),
    )


def test_revision_title_and_systems() -> None:
    """Titles and business systems of the revision are compared."""
    text = changed('systems = ["local-tax", "nhi"]', 'systems = ["local-tax"]')
    text = text.replace('title_en = "Test revision"', 'title_en = "A test revision"')
    diff = diff_of(text)
    assert fields(entry(diff, "revision", "base")) == {
        "title_en": ("Test revision", "A test revision"),
        "systems": (("local-tax", "nhi"), ("local-tax",)),
    }
    # The per-system task template itself is the same.
    assert diff.of("tasks") == ()


# --- events ----------------------------------------------------------------------------------


def test_event_added_and_removed() -> None:
    """An event only in the new calendar is added; one only in the old, removed."""
    diff = diff_of(changed('id = "survey"', 'id = "survey-2"'))
    added, removed = entry(diff, "events", "survey-2"), entry(diff, "events", "survey")
    assert (added.kind, removed.kind) == ("added", "removed")
    assert fields(added)["due"] == (None, D(2018, 2, 19))
    assert fields(removed)["due"] == (D(2018, 2, 19), None)
    assert added.title_ja == "改修状況調査"


def test_event_declared_date_and_computed_due() -> None:
    """A new declared end shows as written and as the worked-out due date."""
    diff = diff_of(changed('end = "2018-06-30"', 'end = "2018-06-27"'))
    found = fields(entry(diff, "events", "registration"))
    old_end, new_end = found["end"]
    assert isinstance(old_end, DateRange)
    assert isinstance(new_end, DateRange)
    assert (old_end.end, new_end.end) == (D(2018, 6, 30), D(2018, 6, 27))
    # 6/30 is a Saturday: due on Friday 6/29 before, on Wednesday 6/27 after.
    assert found["due"] == (D(2018, 6, 29), D(2018, 6, 27))


def test_dependency_lag_change_shows_the_date_move() -> None:
    """A changed lag changes no declared date, but the computed dates move."""
    diff = diff_of(
        changed(
            'after = [{ event = "effective", lag = "0bd" }]',
            'after = [{ event = "effective", lag = "2bd" }]',
        )
    )
    found = fields(entry(diff, "events", "requery"))
    assert found["after"] == (("effective",), ("effective +2bd",))
    assert found["opens"] == (D(2018, 7, 2), D(2018, 7, 3))
    assert found["due"] == (D(2018, 7, 6), D(2018, 7, 9))


@pytest.mark.parametrize(
    ("lang", "old", "new"),
    [
        ("ja", "（effective）の終了の当日 → ", "（effective）の終了の2開庁日後"),
        ("en", ": when the revision ", " → 2 business days after the revision "),
    ],
)
def test_a_dependency_is_told_in_words(lang: Lang, old: str, new: str) -> None:
    """A changed dependency is said in the reader's words, the other event by its title:
    the notice showed ``effective → effective +2bd`` (and ``from start`` in Japanese); the
    JSON keeps the short form."""
    diff = diff_of(
        changed(
            'after = [{ event = "effective", lag = "0bd" }]',
            'after = [{ event = "effective", lag = "2bd" }]',
        )
    )
    notice = diff_markdown(diff, lang=lang)
    [line] = [x for x in notice.splitlines() if old in x]
    assert new in line
    assert "+2bd" not in notice
    [event] = [e for e in diff_json(diff, lang=lang)["changes"] if e["id"] == "requery"]
    [after] = [c for c in event["fields"] if c["field"] == "after"]
    assert (after["old"], after["new"]) == (["effective"], ["effective +2bd"])


def test_event_title_section_assumption_and_type() -> None:
    """Titles, sections, assumptions and the event type are compared field by field."""
    text = changed('title_ja = "改修状況調査"', 'title_ja = "改修状況の調査"')
    text = text.replace('section = "§3"\n', 'section = "§3, §4"\n', 1)
    text = text.replace('assumption = "5開庁日とした。"', 'assumption = "7開庁日とした。"')
    diff = diff_of(text)
    survey = fields(entry(diff, "events", "survey"))
    assert survey["title_ja"] == ("改修状況調査", "改修状況の調査")
    assert survey["section"] == ("§3", "§3, §4")
    assert fields(entry(diff, "events", "requery"))["assumption"] == (
        "5開庁日とした。",
        "7開庁日とした。",
    )
    diff = diff_of(changed('type = "deadline"', 'type = "milestone"'))
    found = fields(entry(diff, "events", "provision-cutoff"))
    # A milestone does not move off the closed Saturday.
    assert found["type"] == ("deadline", "milestone")
    assert found["due"] == (D(2018, 6, 29), D(2018, 6, 30))


def test_events_in_date_order() -> None:
    """Changed events are listed by date, whatever their ids."""
    text = changed('title_ja = "改修状況調査"', 'title_ja = "x"')
    text = text.replace('title_ja = "再照会"', 'title_ja = "y"')
    text = text.replace('title_ja = "副本登録期間"', 'title_ja = "z"')
    diff = diff_of(text)
    assert [e.id for e in diff.of("events")] == ["survey", "registration", "requery"]


# --- items, cutoff, tasks, recurring, closures -----------------------------------------------


def test_items_added_removed_changed() -> None:
    """Items are compared by number: registration and retroactivity changes are shown."""
    text = changed("number = 8", "number = 52")
    text = text.replace("retroactive = true", "retroactive = false", 1)
    diff = diff_of(text)
    assert [(e.id, e.kind) for e in diff.of("items")] == [
        ("2", "changed"),
        ("8", "removed"),
        ("52", "added"),
    ]
    assert fields(entry(diff, "items", "2")) == {"retroactive": (True, False)}
    assert fields(entry(diff, "items", "52"))["registration_required"] == (None, True)


def test_registration_no_longer_required() -> None:
    """An item whose registration is no longer required shows it."""
    text = BASE.replace("registration_required = true", "registration_required = false")
    found = fields(entry(diff_of(text), "items", "8"))
    assert found == {"registration_required": (True, False)}


def test_cutoff_rule_change() -> None:
    """The cutoff's items and the event its dates come from are compared, with the dates."""
    text = changed("items = [2]", "items = [2, 8]")
    text = text.replace('last_provision = "provision-cutoff"', 'last_provision = "survey"')
    found = fields(entry(diff_of(text), "cutoff", "cutoff"))
    assert found["items"] == (("2",), ("2", "8"))
    assert found["last_provision"] == ("provision-cutoff", "survey")
    assert found["last_provision_date"] == (D(2018, 6, 30), D(2018, 2, 19))
    assert found["answer_by"] == (D(2018, 6, 29), D(2018, 2, 19))


def test_cutoff_removed() -> None:
    """A calendar without a cutoff has it removed."""
    text = changed(
        '[cutoff]\nitems = [2]\nlast_provision = "provision-cutoff"\n'
        'requery_from = "effective"\nsection = "§6"\n',
        "",
    )
    found = entry(diff_of(text), "cutoff", "cutoff")
    assert found.kind == "removed"


def test_task_templates_added_removed_changed() -> None:
    """Tasks are compared by id: due event, when-conditions, per and items are shown."""
    text = changed('id = "modify-query"', 'id = "modify-provision"')
    text = text.replace(
        'due = "registration"\nhearing = true',
        'due = "provision-cutoff"\nwhen = { kinds = ["municipality"], test_requested = true }\n'
        "hearing = true",
    )
    diff = diff_of(text)
    assert [(e.id, e.kind) for e in diff.of("tasks")] == [
        ("modify-provision", "added"),
        ("modify-query", "removed"),
        ("register", "changed"),
    ]
    register = fields(entry(diff, "tasks", "register"))
    assert register["due"] == ("registration", "provision-cutoff")
    assert register["when.kinds"] == (
        ("association", "municipality", "prefecture"),
        ("municipality",),
    )
    assert register["when.test_requested"] == (None, True)
    assert "due_date" not in register  # both due 2018-06-29
    assert fields(entry(diff, "tasks", "modify-provision"))["per"] == (None, "system")


def test_task_per_and_items() -> None:
    """A task's multiplication and item set are compared."""
    diff = diff_of(changed('items = "registration"', 'items = "revised"'))
    assert fields(entry(diff, "tasks", "register")) == {"items": ("registration", "revised")}


def test_task_due_date_follows_its_event() -> None:
    """A task's worked-out due date changes when its event's date does."""
    diff = diff_of(changed('end = "2018-06-30"', 'end = "2018-06-27"'))
    assert fields(entry(diff, "tasks", "register"))["due_date"] == (D(2018, 6, 29), D(2018, 6, 27))


def test_recurring_added_and_changed() -> None:
    """Recurring obligations are compared by id, their RRULE included."""
    text = changed("BYMONTH=5;BYMONTHDAY=1", "BYMONTH=6;BYMONTHDAY=1")
    text += (
        '\n[[recurring]]\nid = "drill"\ntitle_ja = "訓練"\ntitle_en = "Drill"\n'
        'rrule = "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=1"\ndtstart = "2018-11-01"\n'
        'actor = "every-agency"\nsection = "§17"\n'
    )
    diff = diff_of(text)
    assert [(e.id, e.kind) for e in diff.of("recurring")] == [
        ("drill", "added"),
        ("self-inspection", "changed"),
    ]
    assert fields(entry(diff, "recurring", "self-inspection")) == {
        "rrule": ("FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1"),
        "dates": ((D(2018, 5, 1),), (D(2018, 6, 1),)),
    }


def test_recurring_change_is_told_by_the_dates_it_moves() -> None:
    """A changed RRULE is told with the days the obligation falls on before and after, as an
    event's changed date is: the notice's reader does not read RRULE."""
    diff = diff_of(changed("BYMONTH=5;BYMONTHDAY=1", "BYMONTH=5;BYMONTHDAY=7"))
    notice = diff_markdown(diff)
    assert "  - 日付（計算した日付）: 平成30年5月1日（火） → 平成30年5月7日（月）\n" in notice
    english = diff_markdown(diff, lang="en")
    assert "  - dates (worked out): " in english
    assert "2018-05-01" in english.split("dates (worked out): ", 1)[1].split("\n", 1)[0]
    changes = diff_json(diff)["changes"]
    (rule,) = [c for c in changes if c["id"] == "self-inspection"]
    by_field = {f["field"]: f for f in rule["fields"]}
    assert by_field["dates"] == {"field": "dates", "old": ["2018-05-01"], "new": ["2018-05-07"]}


def test_closure_added_moves_a_due_date() -> None:
    """A declared closure is added, and a deadline on it moves to the day before."""
    text = BASE + (
        '\n[[closures]]\ndate = "2018-06-29"\nreason_ja = "システム停止"\n'
        'reason_en = "planned outage"\nsection = "assumption"\n'
    )
    diff = diff_of(text)
    closure = entry(diff, "closures", "2018-06-29")
    assert closure.kind == "added"
    assert fields(closure)["reason_ja"] == (None, "システム停止")
    assert fields(entry(diff, "events", "provision-cutoff"))["due"] == (
        D(2018, 6, 29),
        D(2018, 6, 28),
    )


def test_every_field_a_diff_compares_has_a_name() -> None:
    """Each field of each section is named in the reader's words: a key the catalogue lacks
    would stand in a Japanese notice as the TOML key (``systems_assumption``)."""
    closure = (
        '\n[[closures]]\ndate = "2018-06-29"\nreason_ja = "システム停止"\n'
        'reason_en = "planned outage"\nsection = "assumption"\n'
    )
    calendars = [cal(BASE + closure), *map(load_calendar, sorted(Path("calendars").glob("*.toml")))]

    unnamed = set()
    for calendar in calendars:
        timeline = build_timeline(calendar)
        fields_of: dict[Section, list[Mapping[str, object]]] = {
            "revision": [calendar_diff._revision_fields(calendar)],
            "items": [calendar_diff._item_fields(i) for i in calendar.items],
            "events": [calendar_diff._event_fields(e, timeline) for e in calendar.events],
            "cutoff": [calendar_diff._cutoff_fields(calendar.cutoff, timeline)]
            if calendar.cutoff is not None
            else [],
            "tasks": [calendar_diff._task_fields(t, timeline) for t in calendar.tasks],
            "recurring": [calendar_diff._recurring_fields(r, timeline) for r in calendar.recurring],
            "closures": [calendar_diff._closure_fields(c) for c in calendar.closures],
        }
        assert set(fields_of) == set(SECTIONS)
        for section, entries in fields_of.items():
            for compared in entries:
                unnamed |= {(section, key) for key in compared if field_code(section, key) is None}
    assert not unnamed
    # An event's window start is named apart from a closure's.
    for lang in ("ja", "en"):
        assert _field_name("events", "start", lang) != _field_name("closures", "start", lang)


def test_sections_in_order() -> None:
    """Entries come in SECTIONS order, whatever changed."""
    text = changed('effective = "2018-07-01"', 'effective = "2018-07-02"')
    text = text.replace("retroactive = true", "retroactive = false", 1)
    text = text.replace("BYMONTHDAY=1", "BYMONTHDAY=2")
    sections = [e.section for e in diff_of(text).entries]
    assert sections == sorted(sections, key=SECTIONS.index)
    assert sections[0] == "revision"
    assert sections[-1] == "recurring"


# --- rendering -------------------------------------------------------------------------------


def test_markdown_notice() -> None:
    """The notice lists each change as name: old → new, in wareki."""
    text = diff_markdown(diff_of(changed('end = "2018-06-30"', 'end = "2018-06-27"')))
    assert text.startswith("# カレンダーの変更点: `base` → `base`\n")
    assert "- 変更前: `base` 試験用の改版（base.toml）" in text
    assert "- 変更後: `base` 試験用の改版（new.toml）" in text
    assert "## 行事\n\n- **変更** `registration` 副本登録期間\n" in text
    assert "  - 終了（記載）: 平成30年6月30日（土） → 平成30年6月27日（水）" in text
    assert "  - 期限・日付（計算した日付）: 平成30年6月29日（金） → 平成30年6月27日（水）" in text


def test_markdown_notice_in_english() -> None:
    """The English notice writes ISO dates and English field names."""
    text = diff_markdown(
        diff_of(changed("registration_required = true", "registration_required = false")),
        lang="en",
    )
    assert "## Items\n\n- **changed** `2` local tax\n  - registration required: yes → no" in text


def test_markdown_added_and_removed_values() -> None:
    """An added or removed entry shows its main values once, fuzzy dates as written."""
    text = diff_markdown(diff_of(changed('id = "survey"', 'id = "survey-2"')))
    assert "- **追加** `survey-2` 改修状況調査\n  - 種別: 節目\n  - 主体: 総務省\n" in text
    assert "- **削除** `survey` 改修状況調査" in text
    text = diff_markdown(diff_of(changed('start = "2018-05 下旬"', 'start = "2018-05 中旬"')))
    assert "  - 開始（記載）: 平成30年5月下旬 → 平成30年5月中旬" in text


def test_every_task_field_has_a_name_in_both_languages() -> None:
    """A change to any field a task may have (remedies once reported late, optional, …)
    is named in the notice in words of the reader's language, never by its TOML key, and
    never an internal error for a name missing from the catalogue."""
    lists = (
        "remedies_ja",
        "remedies_en",
        "remedies_too_late_ja",
        "remedies_too_late_en",
        "remedies_late_ja",
        "remedies_late_en",
    )
    keys = "".join(f'{key} = ["{key}"]\n' for key in lists)
    text = changed(
        'title_en = "Query side ({system_en})"\n',
        'title_en = "Query side ({system_en})"\n'
        + keys
        + 'evidence_ja = "記録"\nevidence_en = "record"\noptional = true\n',
    )
    diff = diff_of(text)
    changed_fields = set(fields(entry(diff, "tasks", "modify-query")))
    assert {*lists, "optional", "evidence_ja", "evidence_en"} <= changed_fields
    for lang in ("ja", "en"):
        notice = diff_markdown(diff, lang=lang)
        task = notice.split("`modify-query`", 1)[1]
        for field in changed_fields:
            assert f"  - {field}:" not in task, (lang, field)
    notice = diff_markdown(diff)
    assert "  - 遅延見込みの場合: — → remedies\\_late\\_ja\n" in notice
    assert "  - 必要に応じて行う作業: いいえ → はい" in notice


def test_a_task_is_named_without_its_placeholders() -> None:
    """A task's entry is named as the index names its template, what each task fills in
    written ○○ (…), not with the TOML's {item} and {system_ja}: for a removed task too."""
    diff = diff_of(
        changed('items = "registration"', 'items = "revised"').replace(
            'id = "modify-query"', 'id = "modify-query-2"'
        )
    )
    notice = diff_markdown(diff)
    assert "- **変更** `register` ○○番を登録する\n" in notice
    assert "- **削除** `modify-query` 照会側の改修（○○）\n" in notice
    assert "{" not in notice
    assert "- **changed** `register` Register item …\n" in diff_markdown(diff, lang="en")
    # The JSON keeps the calendar's own title, placeholders and all.
    register = next(c for c in diff_json(diff)["changes"] if c["id"] == "register")
    assert register["title_ja"] == "{item}番を登録する"


def test_hearing_notes_have_names_in_both_languages() -> None:
    """A changed hearing note (hearing_ja, hearing_en) is named in words, not by its key."""
    diff = diff_of(
        changed("hearing = true\n", 'hearing = true\nhearing_ja = "助言"\nhearing_en = "advice"\n')
    )
    assert set(fields(entry(diff, "tasks", "register"))) == {"hearing_ja", "hearing_en"}
    assert "  - ヒアリングの説明: — → 助言\n" in diff_markdown(diff)
    assert "  - follow-up interview note: — → advice\n" in diff_markdown(diff, lang="en")


def test_what_changes_a_plan_is_never_missing_from_the_diff() -> None:
    """An item's business systems, a task's tasks-first (after) and its end (until), and the
    kind of revision all change the plans: a calendar that changes only them is reported as
    changed, in words, never as "no changes"."""
    text = changed(
        'section = "§5"\n\n[[items]]', 'section = "§5"\nsystems = ["local-tax"]\n\n[[items]]'
    )
    text = text.replace(
        'due = "registration"\nhearing = true',
        'due = "registration"\nafter = ["modify-query"]\nhearing = true',
    )
    text = text.replace(
        'due = "provision-cutoff"\nsection = "§3"',
        'due = "provision-cutoff"\nuntil = "effective"\nsection = "§3"',
    )
    text = text.replace(
        'systems = ["local-tax", "nhi"]', 'systems = ["local-tax", "nhi"]\nkind = "master-delivery"'
    )
    diff = diff_of(text)
    assert fields(entry(diff, "items", "2")) == {"systems": ((), ("local-tax",))}
    assert fields(entry(diff, "tasks", "register")) == {"after": ((), ("modify-query",))}
    assert fields(entry(diff, "tasks", "modify-query")) == {"until": (None, "effective")}
    assert fields(entry(diff, "revision", "base"))["kind"] == ("layout-revision", "master-delivery")
    notice = diff_markdown(diff)
    assert "  - 業務システム: — → 地方税務\n" in notice
    assert "  - 先に行う作業（after）: — → 照会側の改修（○○）（modify-query）\n" in notice
    assert "  - この行事が終われば対象外（until）: — → " in notice
    assert "  - 改版の種類: データ標準レイアウト改版 → マスター配信\n" in notice
    english = diff_markdown(diff, lang="en")
    assert "  - kind of revision: layout revision → master delivery\n" in english


def test_events_and_tasks_a_task_refers_to_are_named_by_their_titles() -> None:
    """A task's due and window events, its end (until), the tasks done first (after) and the
    cutoff's events are named by their titles in the reader's language with the id after
    them, as conflicts name an event; the JSON keeps the ids."""
    text = changed('due = "provision-cutoff"\nsection = "§3"', 'due = "survey"\nsection = "§3"')
    text = text.replace(
        'due = "registration"\nhearing = true',
        'due = "registration"\nafter = ["modify-query"]\nuntil = "requery"\nhearing = true',
    )
    text = text.replace('requery_from = "effective"', 'requery_from = "requery"')
    diff = diff_of(text)
    notice = diff_markdown(diff)
    assert "  - 期限の行事: 提供の期限（provision-cutoff） → 改修状況調査（survey）\n" in notice
    assert "  - 先に行う作業（after）: — → 照会側の改修（○○）（modify-query）\n" in notice
    assert "  - この行事が終われば対象外（until）: — → 再照会（requery）\n" in notice
    assert "→ 再照会（requery）\n" in notice.split("## ")[2]  # the cutoff's section
    english = diff_markdown(diff, lang="en")
    assert "  - due event: Provision cutoff (provision-cutoff) → Survey (survey)\n" in english
    assert "  - tasks done first (after): — → Query side (…) (modify-query)\n" in english
    assert "(until): — → Re-query (requery)\n" in english
    changes = {c["id"]: c for c in diff_json(diff)["changes"]}
    by_field = {f["field"]: f for f in changes["modify-query"]["fields"]}
    assert by_field["due"] == {"field": "due", "old": "provision-cutoff", "new": "survey"}
    register = {f["field"]: f["new"] for f in changes["register"]["fields"]}
    assert register["after"] == ["modify-query"]
    assert register["until"] == "requery"


def test_an_id_only_the_other_calendar_has_is_still_named() -> None:
    """A due event the new calendar removed is named as the old calendar named it, and an
    added task's due event as the new calendar names it; titles are escaped."""
    text = changed('title_ja = "改修状況調査"', 'title_ja = "調査|<b>"')
    text = text.replace(
        'due = "provision-cutoff"\nsection = "§3"', 'due = "survey"\nsection = "§3"'
    )
    text = text.replace('id = "provision-cutoff"', 'id = "cutoff-day"').replace(
        'last_provision = "provision-cutoff"', 'last_provision = "cutoff-day"'
    )
    notice = diff_markdown(diff_of(text))
    assert "  - 期限の行事: 提供の期限（provision-cutoff） → 調査\\|\\<b\\>（survey）" in notice


def test_ids_of_the_vocabulary_are_told_in_the_readers_words() -> None:
    """Systems, kinds of agency, a task's unit, side, item set and queries role are named in
    Japanese in a Japanese notice (地方税務, 市区町村, 業務システムごと), not by the TOML's ids."""
    text = changed('systems = ["local-tax", "nhi"]', 'systems = ["local-tax"]')
    text = text.replace('items = "registration"', 'items = "revised"')
    text = text.replace(
        'id = "modify-query"\nper = "system"\nside = "query"\n',
        'id = "modify-query"\nper = "system"\nside = "provision"\n'
        'when = { kinds = ["municipality"] }\n',
    )
    text += (
        '\n[[tasks]]\nid = "follow-up"\ntitle_ja = "問合せ"\ntitle_en = "Follow up"\n'
        'due = "provision-cutoff"\nqueries = "querier"\nsection = "§6"\n'
    )
    notice = diff_markdown(diff_of(text))
    assert "  - 業務システム: 地方税務、国保 → 地方税務\n" in notice
    items = "  - 特定個人情報の範囲: 副本登録が必要な特定個人情報 → 改版の対象の特定個人情報\n"
    assert items in notice
    assert "  - 提供・照会: 情報照会 → 情報提供\n" in notice
    assert "  - 対象の種別: 一部事務組合等、市区町村、都道府県 → 市区町村\n" in notice
    assert "  - 単位: 団体ごとに1件\n" in notice
    values = [line for line in notice.splitlines() if line.startswith("  - ")]
    for word in ("local-tax", "municipality", "association", "once", "registration", "query"):
        assert not [line for line in values if word in line], word
    english = diff_markdown(diff_of(text), lang="en")
    assert "  - per: once per agency\n" in english
    assert "  - applies to kinds: association, municipality, prefecture → municipality" in english


def test_markdown_is_escaped() -> None:
    """Calendar strings with markup cannot inject HTML or links into the notice."""
    hostile = "<script>x</script>|[a](http://evil)"
    diff = diff_of(changed('title_ja = "改修状況調査"', f'title_ja = "{hostile}"'))
    text = diff_markdown(diff)
    inline = [c for t in MARKDOWN.parse(text) if t.type == "inline" for c in t.children or []]
    assert not [c for c in inline if c.type in ("html_inline", "link_open")]
    assert not [t for t in MARKDOWN.parse(text) if t.type == "html_block"]


def test_json_values() -> None:
    """JSON keeps values raw: ISO dates, declared dates as start and end, lists."""
    data = diff_json(diff_of(changed('end = "2018-06-30"', 'end = "2018-06-27"')))
    assert data["identical"] is False
    assert data["counts"] == {"added": 0, "removed": 0, "changed": 2}
    registration = next(c for c in data["changes"] if c["id"] == "registration")
    by_field = {f["field"]: f for f in registration["fields"]}
    assert by_field["end"]["new"] == {"start": "2018-06-27", "end": "2018-06-27"}
    assert by_field["due"] == {"field": "due", "old": "2018-06-29", "new": "2018-06-27"}
    assert data["new"]["file"] == "new.toml"


def test_field_change_model() -> None:
    """A field change is a plain frozen value."""
    assert FieldChange("due", D(2018, 6, 29), None) == FieldChange("due", D(2018, 6, 29), None)


# --- the command line ------------------------------------------------------------------------


def test_cli_diff_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`cutover diff OLD NEW` prints the Markdown notice."""
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(BASE, encoding="utf-8")
    new.write_text(changed('end = "2018-06-30"', 'end = "2018-06-27"'), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "- 変更前: `base` 試験用の改版（old.toml）" in out
    assert "副本登録期間" in out


def test_cli_diff_json_to_file(tmp_path: Path) -> None:
    """`--format json -o FILE` writes the JSON, for shipped ids too."""
    out = tmp_path / "diff.json"
    assert main(["diff", "2018-07", "2018-07", "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["changes"] == []


def test_cli_diff_english(capsys: pytest.CaptureFixture[str]) -> None:
    """`--lang en` writes the notice in English."""
    assert main(["diff", "2018-07", "2018-11", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Calendar changes: `2018-07` → `2018-11`")
    assert "- takes effect: 2018-07-01 (Sun) → 2018-11-01 (Thu)" in out


def test_cli_diff_unknown_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown calendar is bad input: exit 1 with the nearest id, in Japanese by default
    and in English on request."""
    assert main(["diff", "2018-07", "2018-7"]) == 1
    assert "カレンダー「2018-7」はありません — 「2018-07」のことですか？" in capsys.readouterr().err
    assert main(["--lang", "en", "diff", "2018-07", "2018-7"]) == 1
    assert "unknown calendar '2018-7' — did you mean '2018-07'?" in capsys.readouterr().err


def test_notice_leaves_out_the_other_language() -> None:
    """A Japanese notice skips English texts, and says so when only they changed."""
    diff = diff_of(changed('title_en = "Survey"', 'title_en = "Modification survey"'))
    assert fields(entry(diff, "events", "survey")) == {
        "title_en": ("Survey", "Modification survey")
    }
    text = diff_markdown(diff)
    assert "- **変更** `survey` 改修状況調査\n  - 英語の表記のみの変更\n" in text
    english = diff_markdown(diff, lang="en")
    assert "  - title: Survey → Modification survey" in english


def test_english_notice_gives_the_english_assumption() -> None:
    """An English notice shows the English twin of a changed assumption, not the Japanese."""
    text = changed('assumption = "5開庁日とした。"', 'assumption = "7開庁日とした。"')
    text = text.replace(
        'assumption = "7開庁日とした。"',
        'assumption = "7開庁日とした。"\nassumption_en = "Seven business days."',
    )
    english = diff_markdown(diff_of(text), lang="en")
    assert "  - assumption: — → Seven business days." in english
    assert "7開庁日" not in english


def test_an_assumed_item_system_link_is_a_change_told_in_each_language() -> None:
    """An item's link to its systems marked the calendar's assumption (`systems_assumption`)
    is a change: the Japanese notice names the field and its Japanese text, the English one
    its English twin only."""
    text = changed(
        'short_en = "disability"',
        'short_en = "disability"\nsystems = ["nhi"]\n'
        'systems_assumption = "資料に対応がない。"\nsystems_assumption_en = "The source has none."',
    )
    diff = diff_of(text)
    assert fields(entry(diff, "items", "8")) == {
        "systems": ((), ("nhi",)),
        "systems_assumption": (None, "資料に対応がない。"),
        "systems_assumption_en": (None, "The source has none."),
    }
    japanese = diff_markdown(diff)
    assert "  - 業務システムとの対応の仮定: — → 資料に対応がない。" in japanese
    assert "The source has none" not in japanese
    english = diff_markdown(diff, lang="en")
    assert "  - assumed link to business systems: — → The source has none." in english
    assert "資料に対応がない" not in english
