"""Tests for cutover.render.svg: the timeline as a self-contained SVG Gantt chart."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from cutover.calendar.load import load_calendar, parse_calendar
from cutover.cli.main import main
from cutover.errors import CutoverError
from cutover.i18n.catalogue import Lang
from cutover.render.svg import PAD_DAYS, PX_PER_DAY, timeline_svg
from cutover.schedule.shift import parse_shift
from cutover.schedule.timeline import Timeline, build_timeline
from cutover.schedule.whatif import what_if


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


SVG = "{http://www.w3.org/2000/svg}"
AS_OF = dt.date(2018, 6, 20)
#: the earliest and latest dates the 2018-07 calendar draws (the survey, the November delivery)
FIRST, LAST = dt.date(2018, 2, 19), dt.date(2018, 11, 1)

HOSTILE_TITLE = '</text><script>alert(1)</script> "引用" & 締切'
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
title_ja = "</text><script>alert(1)</script> \\"引用\\" & 締切"
title_en = "Cut-off ' \\" <b>"
actor = "provider"
date = "2018-06-30"
section = "§6 <i>"
assumption = "]]> <!-- & -->\\u0001"
"""


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    """Return the timeline of the shipped 2018-07 calendar."""
    return build_timeline(load_calendar("2018-07"))


@pytest.fixture(scope="module")
def svg(timeline: Timeline) -> str:
    """Return the 2018-07 chart as of 2018-06-20."""
    return timeline_svg(timeline, as_of=AS_OF)


@pytest.fixture(scope="module")
def root(svg: str) -> ET.Element:
    """Return the 2018-07 chart parsed as XML."""
    return ET.fromstring(svg)


def with_class(root: ET.Element, name: str, tag: str = "") -> list[ET.Element]:
    """Return the elements (of `tag`, if given) whose class list includes `name`."""
    return [
        el
        for el in root.iter(f"{SVG}{tag}" if tag else None)
        if name in el.get("class", "").split()
    ]


def texts(root: ET.Element) -> list[str]:
    """Return the text of every <text> element."""
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def assert_self_contained(root: ET.Element) -> None:
    """Assert that nothing in the document refers to or runs anything outside it."""
    for el in root.iter():
        local = el.tag.removeprefix(SVG)
        assert el.tag.startswith(SVG), el.tag
        assert local not in {"script", "image", "use", "a", "foreignObject", "style", "iframe"}
        for key, value in el.attrib.items():
            for word in ("href", "src"):
                assert word not in key.lower(), key
            assert not key.lower().startswith("on"), key
            for word in ("url(", "javascript:"):
                assert word not in value.lower(), value
        for word in ("@import", "url("):
            assert word not in (el.text or "")


def test_well_formed_and_self_contained(svg: str, root: ET.Element) -> None:
    """The chart parses as XML and refers to nothing outside itself: no links, scripts, fonts."""
    assert root.tag == f"{SVG}svg"
    assert_self_contained(root)
    for word in ("href", "<script", "@import", "url(", "@font-face", "http://fonts"):
        assert word not in svg
    assert root.get("font-family", "").endswith("sans-serif")


def test_one_row_per_event_and_occurrence(timeline: Timeline, root: ET.Element) -> None:
    """Every event and every recurring occurrence has its row, in date order."""
    rows = with_class(root, "row", "g")
    assert len(rows) == len(timeline.events) + len(timeline.recurring)
    keys = [row.get("data-key") for row in rows]
    assert keys[0] == "modification-survey"
    assert keys[-1] == "november-master-delivery"
    assert "training-plan.20180401" in keys


@pytest.mark.parametrize(("lang", "words"), [("ja", "定期的な対応"), ("en", "Recurring")])
def test_a_recurring_row_tells_its_rule_in_words(
    timeline: Timeline, lang: Lang, words: str
) -> None:
    """A recurring occurrence's tooltip says it recurs in words, never the calendar's RRULE
    notation (FREQ=YEARLY;BYMONTH=4…), which a clerk cannot read."""
    root = ET.fromstring(timeline_svg(timeline, as_of=AS_OF, lang=lang))
    rows = [row for row in with_class(root, "row", "g") if "." in (row.get("data-key") or "")]
    assert rows
    for row in rows:
        tooltip = "".join(next(row.iter(f"{SVG}title")).itertext())
        assert "FREQ=" not in tooltip
        assert words.lower() in tooltip.lower()


def test_windows_are_bars_and_deadlines_diamonds(root: ET.Element) -> None:
    """A window row has a bar spanning its days; a deadline row a diamond."""
    rows = {row.get("data-key"): row for row in with_class(root, "row", "g")}
    bar = with_class(rows["duplicate-registration"], "bar", "rect")[0]
    # 5/21 to 6/29 inclusive: 40 days.
    assert float(bar.get("width", "0")) == 40 * PX_PER_DAY
    assert with_class(rows["provision-cutoff"], "deadline", "polygon")
    assert with_class(rows["effective"], "milestone", "polygon")


def test_japanese_title_of_the_provision_cutoff(root: ET.Element) -> None:
    """The provision cutoff is labelled with its Japanese title and its moved date."""
    assert "改版前に受けた提供の求め（2番・21番）への情報提供の期限 ★" in texts(root)
    assert any(t.startswith("6/29（金）") and "6/30（土）は閉庁日" in t for t in texts(root))


def test_a_long_title_cut_to_fit_keeps_its_marks(root: ET.Element) -> None:
    """A title too long for the label column is cut before its marks, not through them: the
    first business day's checks (an assumed date) and the contact update (recurring, assumed)
    still end in ※ on paper, where the tooltip that explains them is not shown."""
    rows = {row.get("data-key"): row for row in with_class(root, "row", "g")}
    for key, ending in (
        ("after-switch-checks", "… ※"),
        ("contact-registration.20180401", "…（定期） ※"),
        ("provision-cutoff", "期限 ★"),
    ):
        (title,) = with_class(rows[key], "title", "text")
        assert "".join(title.itertext()).endswith(ending), key


def test_the_widest_title_is_never_cut(timeline: Timeline) -> None:
    """The label column is as wide as the widest title with its marks: that title is shown
    whole, however its width adds up in fractions of a pixel (the effective date's title
    with ★, when it is the widest, was cut to 改版（新レイアウトの適用開始… ★)."""
    text = HOSTILE.replace(
        'title_ja = "</text><script>alert(1)</script> \\"引用\\" & 締切"', 'title_ja = "締切"'
    )
    tl = build_timeline(parse_calendar(text, "short.toml"))
    labels = texts(ET.fromstring(timeline_svg(tl, as_of=None)))
    assert "改版（新レイアウトの適用開始） ★" in labels, labels


def test_a_one_day_window_is_labelled_with_its_one_day(root: ET.Element) -> None:
    """The first business day's checks (a window of 1bd) show 7/2（月）, not a span of it."""
    rows = {row.get("data-key"): row for row in with_class(root, "row", "g")}
    (dates,) = with_class(rows["after-switch-checks"], "dates", "text")
    label = "".join(dates.itertext())
    assert label.startswith("7/2（月）"), label
    assert "〜" not in label, label


def test_a_master_delivery_is_named_as_such() -> None:
    """The November 2018 master delivery revises no layout: its chart names the day the
    delivered master takes effect, not "改版の適用開始日"; the July revision's chart does."""
    november = texts(ET.fromstring(timeline_svg(build_timeline(load_calendar("2018-11")))))
    assert any(t.startswith("マスター配信の適用開始日 11/1（木）") for t in november)
    assert not [t for t in november if "改版の適用開始日" in t]
    july = texts(ET.fromstring(timeline_svg(build_timeline(load_calendar("2018-07")))))
    assert any(t.startswith("改版の適用開始日 7/1（日）") for t in july)


def test_closed_days_shaded(timeline: Timeline, root: ET.Element) -> None:
    """Every closed day of the chart's range is one shaded band; holidays are told apart."""
    first = FIRST - dt.timedelta(days=PAD_DAYS)
    count = (LAST - FIRST).days + 1 + 2 * PAD_DAYS
    days = [first + dt.timedelta(days=i) for i in range(count)]
    closed = [d for d in days if timeline.closed.is_closed(d)]
    bands = with_class(root, "closed", "rect")
    assert len(bands) == len(closed)
    holidays = [d for d in closed if d.weekday() < 5]
    assert len(with_class(root, "holiday", "rect")) == len(holidays)
    assert dt.date(2018, 4, 30) in holidays  # 振替休日 for 昭和の日
    widths = {band.get("width") for band in bands}
    assert widths == {str(PX_PER_DAY)}


def test_month_gridlines(root: ET.Element) -> None:
    """Each month that begins inside the range has a gridline; labels name the months."""
    assert len(with_class(root, "month", "line")) == 9  # March to November
    labels = texts(root)
    assert "平成30年3月" in labels
    assert "7月" in labels


def test_effective_and_as_of_lines(root: ET.Element) -> None:
    """The effective line is emphasised, and the as-of line sits 11 days of pixels before it."""
    (effective,) = with_class(root, "effective", "line")
    (as_of,) = with_class(root, "as-of", "line")
    assert float(effective.get("stroke-width", "0")) > float(as_of.get("stroke-width", "0"))
    days = (dt.date(2018, 7, 1) - AS_OF).days
    assert float(effective.get("x1", "0")) - float(as_of.get("x1", "0")) == days * PX_PER_DAY
    assert any(t.startswith("基準日 6/20（水）") for t in texts(root))


def test_as_of_outside_or_missing(timeline: Timeline) -> None:
    """An as-of date off the chart draws no line but is named; None draws nothing."""
    outside = ET.fromstring(timeline_svg(timeline, as_of=dt.date(2026, 4, 1)))
    assert not with_class(outside, "as-of")
    assert any("（表示範囲外）" in t for t in texts(outside))
    assert not with_class(ET.fromstring(timeline_svg(timeline, as_of=None)), "as-of")


def test_moved_deadline_marked(root: ET.Element) -> None:
    """A deadline moved off Saturday 6/30 shows a dashed marker on 6/30, the day it left."""
    rows = {row.get("data-key"): row for row in with_class(root, "row", "g")}
    (effective,) = with_class(root, "effective", "line")
    june_30 = float(effective.get("x1", "0")) - PX_PER_DAY
    (ghost,) = with_class(rows["provision-cutoff"], "moved", "polygon")
    top = ghost.get("points", "").split()[0]
    assert float(top.split(",")[0]) == june_30 + PX_PER_DAY / 2
    (window_end,) = with_class(rows["duplicate-registration"], "moved", "rect")
    assert float(window_end.get("x", "0")) == june_30
    assert not with_class(rows["effective"], "moved")


def test_deterministic(timeline: Timeline, svg: str) -> None:
    """The same timeline and as-of date give the same text, from a fresh build too."""
    again = build_timeline(load_calendar("2018-07"))
    assert timeline_svg(again, as_of=AS_OF) == svg


def test_hostile_text_stays_text() -> None:
    """Markup, quotes and ampersands in a calendar stay text; XML-invalid characters go."""
    tl = build_timeline(parse_calendar(HOSTILE, "hostile.toml"))
    for lang in ("ja", "en"):
        svg = timeline_svg(tl, as_of=dt.date(2018, 6, 29), lang=lang)
        root = ET.fromstring(svg)
        assert_self_contained(root)
        assert "<script" not in svg
    root = ET.fromstring(timeline_svg(tl, as_of=None))
    assert any(t.startswith(HOSTILE_TITLE) for t in texts(root))
    assert any(t.startswith("改版 & <試験>") for t in texts(root))
    tooltips = ["".join(el.itertext()) for el in root.iter(f"{SVG}title")]
    assert any("]]> <!-- & -->" in t for t in tooltips)


def test_english_labels(timeline: Timeline) -> None:
    """With lang="en" the labels are the English titles and dates."""
    root = ET.fromstring(timeline_svg(timeline, as_of=AS_OF, lang="en"))
    labels = texts(root)
    assert any(t.startswith("Last day to answer requests for items 2 and 21") for t in labels)
    assert any(t.startswith("Fri 29 Jun (moved from Sat 30 Jun") for t in labels)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_what_if_marks_shifts(timeline: Timeline) -> None:
    """A what-if chart names its shifts and marks the shifted event."""
    shifted = what_if(timeline.calendar, [parse_shift("inter-agency-test=+2bd")])
    labels = texts(ET.fromstring(timeline_svg(shifted, as_of=AS_OF)))
    assert any("inter-agency-test=+2bd" in t for t in labels)
    assert any("想定変更 +2bd" in t for t in labels)


def test_unknown_language_is_refused(timeline: Timeline) -> None:
    """A language other than ja or en is a CutoverError."""
    with _refused("'ja' or 'en'"):
        timeline_svg(timeline, as_of=None, lang="de")  # type: ignore[arg-type]


def test_cli_timeline_svg(tmp_path: Path, svg: str) -> None:
    """`timeline --format svg --as-of DATE -o F` exits 0 and writes the library's chart."""
    out = tmp_path / "timeline.svg"
    args = ["timeline", "2018-07", "--format", "svg", "--as-of", "2018-06-20", "-o", str(out)]
    assert main(args) == 0
    assert out.read_text(encoding="utf-8") == svg


def test_cli_timeline_svg_default_as_of(tmp_path: Path) -> None:
    """Without --as-of the chart is still written (today in JST is off the 2018 chart)."""
    out = tmp_path / "timeline.svg"
    assert main(["timeline", "2018-07", "--format", "svg", "-o", str(out)]) == 0
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert_self_contained(root)
