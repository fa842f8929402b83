"""Tests for the HTML pages: the same contents as the Markdown, user text never markup, one
self-contained file each, linked index and checklists, and the command line's formats."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import pytest
from htmlpage import Page, external_addresses
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from cutover.calendar.load import calendar_path, parse_calendar
from cutover.calendar.model import RevisionCalendar
from cutover.cli.demo import load_example, plan_example
from cutover.cli.main import main
from cutover.i18n.catalogue import Lang
from cutover.i18n.text import format_day
from cutover.inputs.model import Agency, Evidence, Registry
from cutover.jp.vocabulary import Kind
from cutover.planning.model import Plan
from cutover.planning.planner import plan
from cutover.render.checklist import ChecklistViews
from cutover.render.checklists import page_file_name, write_checklists
from cutover.render.htmltext import html_inline, html_markdown
from cutover.render.svg import timeline_svg
from cutover.schedule.timeline import build_timeline

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"
AS_OF = dt.date(2018, 6, 20)
#: What a name in a registry may hold: markup, entities, quotes, a closing style tag, the end
#: of a CDATA section, a Markdown link, a bidi override and a zero-width space.
HOSTILE = "<b>&\"'</style>]]>[x](https://evil.example/)\u202e\u200b末尾"
#: What a reader must see of it: every character but the invisible ones, literally.
SHOWN = "<b>&\"'</style>]]>[x](https://evil.example/)"


def hostile_plan(calendar: RevisionCalendar | None = None) -> Plan:
    """Return a plan of two agencies, the first with a hostile name and evidence detail (on
    `calendar`, the shipped July 2018 calendar by default)."""
    agencies = (
        Agency("131016", HOSTILE, Kind.MUNICIPALITY, True, frozenset({2, 21}), frozenset(), 2),
        Agency("130001", "東京都", Kind.PREFECTURE, False, frozenset({8}), frozenset(), 3),
    )
    evidence = (Evidence("131016", "inter-agency-test", dt.date(2018, 6, 8), HOSTILE, 2),)
    shipped = parse_calendar(calendar_path("2018-07").read_text("utf-8"))
    timeline = build_timeline(calendar or shipped)
    return plan(timeline, Registry(agencies, (), evidence), AS_OF)


# --- user text is text ------------------------------------------------------------------------


def test_hostile_name_shows_literally_in_html_and_markdown(tmp_path: Path) -> None:
    """A name full of markup shows as written in the HTML page and in the Markdown (rendered
    by a CommonMark parser), never as a tag, a link or a doubly escaped entity."""
    the_plan = hostile_plan()
    write_checklists(the_plan, tmp_path / "html", fmt="html")
    write_checklists(the_plan, tmp_path / "md")
    page = Page((tmp_path / "html" / "131016.html").read_text("utf-8"))
    assert SHOWN in page.text
    assert not [s for s in ("&amp;", "\\<", "\u202e", "\u200b") if s in page.text]
    assert "b" not in page.tags
    assert external_addresses(page) == []
    markdown = (tmp_path / "md" / "131016.md").read_text("utf-8")
    rendered = Page(MarkdownIt("commonmark").enable("table").render(markdown))
    assert SHOWN in rendered.text
    assert "b" not in rendered.tags
    assert external_addresses(rendered) == []
    index = Page((tmp_path / "html" / "index.html").read_text("utf-8"))
    assert SHOWN in index.text
    assert external_addresses(index) == []
    # The index's link to the page keeps the name as its text.
    assert ("a", "href", "131016.html") in index.attributes


def test_hostile_calendar_text_is_text_in_the_inline_svg(tmp_path: Path) -> None:
    """A calendar title full of markup is text in the timeline's SVG inside the index page."""
    shipped = calendar_path("2018-07").read_text("utf-8")
    hostile = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    text = shipped.replace(
        'title_ja = "平成30年7月 データ標準レイアウト改版"', f'title_ja = "{hostile}"', 1
    )
    calendar = parse_calendar(text)
    svg = timeline_svg(build_timeline(calendar), as_of=AS_OF)
    page = Page(svg)
    assert SHOWN in page.text
    assert set(page.tags) <= {"svg", "title", "rect", "text", "g", "line", "path", "polygon"}
    write_checklists(hostile_plan(calendar), tmp_path, fmt="html")
    index = Page((tmp_path / "index.html").read_text("utf-8"))
    assert {"style", "svg"} <= set(index.tags)
    assert not {"b", "script"} & set(index.tags)
    assert SHOWN in index.text


@pytest.mark.parametrize("command", ["timeline", "summary"])
def test_a_title_shows_as_written_in_the_tab_and_running_header(
    command: str, tmp_path: Path
) -> None:
    """A calendar title with Markdown's marks and an entity shows as written in a page's tab
    (<title>) and in the header printed on every page: read as Markdown once, not twice."""
    title = "*強調* `符号` &amp; [x](y) _下線_"
    calendar = tmp_path / "calendar.toml"
    calendar.write_text(
        calendar_path("2018-07")
        .read_text("utf-8")
        .replace('title_ja = "平成30年7月 データ標準レイアウト改版"', f'title_ja = "{title}"', 1),
        encoding="utf-8",
    )
    out = tmp_path / "page.html"
    inputs = _inputs() if command == "summary" else ["--as-of", "2018-06-25"]
    assert main([command, str(calendar), *inputs, "--format", "html", "-o", str(out)]) == 0
    text = out.read_text("utf-8")
    tab = re.search(r"<title>(.*?)</title>", text, re.DOTALL)
    running = re.search(r'<div class="running">(.*?)</div>', text, re.DOTALL)
    assert tab is not None
    assert running is not None
    assert title in html.unescape(tab.group(1))
    header = Page(running.group(1))
    assert title in header.text
    assert not {"em", "code", "a"} & set(header.tags)


def test_inline_markdown_becomes_html_once() -> None:
    """A view-model's Markdown escapes, code spans and bold become HTML, escaped once; a link
    to anything but a page of the folder keeps its text only."""
    assert (
        html_inline(r"\<b\>\&\"' `a:b` **強**")
        == "&lt;b&gt;&amp;&quot;' <code>a:b</code> <strong>強</strong>"
    )
    assert html_inline("[名](https://evil.example/)") == "名"
    assert html_inline("[名](131016.md)", {"131016.md": "131016_名.html"}) == (
        '<a href="131016_名.html">名</a>'
    )


# --- the same contents as the Markdown ----------------------------------------------------------


def test_html_says_what_the_markdown_says(tmp_path: Path) -> None:
    """Every agency's HTML page shows every task id, title, due date and flag code of its
    Markdown checklist: one view-model feeds both."""
    the_plan = plan_example(load_example())
    write_checklists(the_plan, tmp_path, fmt="html")
    views = ChecklistViews(the_plan, "ja")
    for agency_plan in the_plan.agencies:
        view = views.page(agency_plan)
        page = Page((tmp_path / f"{agency_plan.agency.code}.html").read_text("utf-8"))
        shown = [
            *(t.id.strip("`") for t in view.tasks),
            *(Page(html_inline(t.title)).text for t in view.tasks),
            *(Page(html_inline(t.due)).text for t in view.tasks),
            *(f.code.strip("`") for f in view.flags),
        ]
        missing = [s for s in shown if s not in page.text]
        assert missing == [], f"{agency_plan.agency.code}: {missing}"
        # As many boxes as tasks, ticked for those done.
        boxes = [v for tag, name, v in page.attributes if name == "class" and "box" in v.split()]
        assert len(boxes) == len(view.tasks)
        assert sum("done" in b.split() for b in boxes) == sum(t.done for t in view.tasks)


def test_pages_stand_alone_and_link_both_ways(tmp_path: Path) -> None:
    """Each page is one file with its style inline and no script, naming nothing outside the
    folder; the index links every agency's page, and every page links back."""
    the_plan = plan_example(load_example())
    paths = write_checklists(the_plan, tmp_path, fmt="html", names=True)
    assert paths[-1].name == "index.html"
    assert "312011_鳥取市.html" in {p.name for p in paths}
    for path in paths:
        page = Page(path.read_text("utf-8"))
        assert external_addresses(page) == [], path.name
        assert not {"script", "link", "img", "iframe", "object"} & set(page.tags)
        assert page.styles, path.name
        if path.name != "index.html":
            assert ("a", "href", "index.html") in page.attributes
    index = Page(paths[-1].read_text("utf-8"))
    linked = {v for tag, name, v in index.attributes if tag == "a" and name == "href"}
    assert linked == {p.name for p in paths[:-1]}
    assert all((tmp_path / name).is_file() for name in linked)


def test_markdown_and_html_of_one_plan_share_a_folder(tmp_path: Path) -> None:
    """The same plan's HTML written beside its Markdown keeps it when asked (`cutover demo`);
    a later run in one format takes the other format's pages away (a folder holds one
    run's pages)."""
    the_plan = plan_example(load_example())
    write_checklists(the_plan, tmp_path)
    write_checklists(the_plan, tmp_path, fmt="html", keep_other_format=True)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"index.md", "index.html", "312011.md", "312011.html"} <= names
    assert len(names) == 2 * (len(the_plan.agencies) + 1)
    again = write_checklists(the_plan, tmp_path)
    assert len(again.removed) == len(the_plan.agencies) + 1
    assert {p.suffix for p in tmp_path.iterdir()} == {".md"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("鳥取市", "312011_鳥取市.html"),
        ("../../etc/passwd", "312011_etcpasswd.html"),
        ("日野郡江府町・日南町　組合", "312011_日野郡江府町・日南町組合.html"),
        ('CON<>:"/\\|?*', "312011_CON.html"),
        ("", "312011.html"),
        ("　/", "312011.html"),
        ("𠮷野川/水道:企業団", "312011_吉野川水道企業団.html"),
        ("檮原町・鰺ヶ沢町・那珂川市", "312011_檮原町・鰺ヶ沢町・那珂川市.html"),
        ("\U0002a6a5\U0002a6a5組合", "312011_組合.html"),
    ],
)
def test_file_names_carry_a_safe_name(name: str, expected: str) -> None:
    """A name in a file name keeps letters, digits and the marks of Japanese names only, in
    characters of cp932 (which Windows' zip folders and older mail tools name files in): a
    kanji it lacks becomes the form it has (𠮷 → 吉), or is left out when it has none."""
    assert page_file_name("312011", name, fmt="html") == expected


# --- Markdown for old Windows editors -----------------------------------------------------------


def test_windows_markdown_has_bom_and_crlf(tmp_path: Path) -> None:
    """--windows writes Markdown with a BOM and CRLF line ends, no bare LF."""
    the_plan = plan_example(load_example())
    write_checklists(the_plan, tmp_path / "win", windows=True)
    write_checklists(the_plan, tmp_path / "unix")
    for name in ("index.md", "312011.md"):
        data = (tmp_path / "win" / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert b"\n" not in data.replace(b"\r\n", b"")
        unix = (tmp_path / "unix" / name).read_bytes()
        assert data[3:].replace(b"\r\n", b"\n") == unix


# --- the command line ---------------------------------------------------------------------------


def _inputs() -> list[str]:
    return [
        "--agencies",
        str(EXAMPLE / "agencies.csv"),
        "--readiness",
        str(EXAMPLE / "readiness.csv"),
        "--evidence",
        str(EXAMPLE / "evidence.csv"),
        "--as-of",
        "2018-06-25",
    ]


@pytest.mark.parametrize(
    ("args", "heading"),
    [
        (["summary", "2018-07", *_inputs()], "改修状況の集計"),
        (["hearings", "2018-07", *_inputs()], "ヒアリング"),
        (["plan", "2018-07", *_inputs()], "作業計画"),
        (["timeline", "2018-07", "--as-of", "2018-06-25"], "タイムライン"),
        (["timeline", "2018-07", "--shift", "duplicate-registration=+3bd"], "仮定"),
        (["diff", "2018-07", "2018-07"], "2018-07"),
        (
            [
                "triage",
                "2018-07",
                "--queries",
                str(EXAMPLE / "queries.csv"),
                "--as-of",
                "2018-06-25",
            ],
            "照会",
        ),
    ],
)
def test_every_view_has_an_html_page(args: list[str], heading: str, tmp_path: Path) -> None:
    """summary, hearings, plan, timeline (and its what-if), diff and triage write one
    self-contained HTML page with --format html."""
    out = tmp_path / "page.html"
    assert main([*args, "--format", "html", "-o", str(out)]) == 0
    text = out.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    page = Page(text)
    assert heading in page.text
    assert external_addresses(page) == []
    assert "script" not in page.tags
    if args[0] == "timeline":
        assert "svg" in page.tags
        assert ("svg", "width", "100%") in page.attributes


def test_the_summary_page_prints_its_survey_tables_as_the_index_does(tmp_path: Path) -> None:
    """The summary page's §3 tables are classed as the index's (labels break at a space only,
    a system's header on two lines at its space): its labels broke inside words on a printed
    A4 page (都道府/県, 一部事/務組合/等, 国保 シ/ステム関/係). A table mostly of words (the
    flags) is left as it was."""
    out = tmp_path / "summary.html"
    assert main(["summary", "2018-07", *_inputs(), "--format", "html", "-o", str(out)]) == 0
    text = out.read_text("utf-8")
    # (Each table from its tag to its end; the page's outer layout table holds them all.)
    tables = [t.split("</table>", 1)[0] for t in re.split(r"(?=<table[ >])", text)[1:]]
    survey = next(t for t in tables if "未対応団体数</td>" in t)
    assert survey.startswith('<table class="numbers">')
    assert '<td class="label">一部事務組合等</td>' in survey
    assert 'class="n">' in survey
    assert re.search(r"地方税務<br ?/?>\s*システム関係", survey)
    flags = next(t for t in tables if "重大度</th>" in t)
    assert not flags.startswith('<table class="numbers">')
    assert 'class="label"' not in flags


def test_the_timeline_page_keeps_its_short_columns_on_one_line(tmp_path: Path) -> None:
    """The timeline page's slack column (★ 0日) and source column (§2, §6) are classed
    ``short``, which the style sheet keeps on one line: beside the long notes column the
    slack printed a character a line (★ / 0 / 日). The long columns are left to wrap,
    their cells not kept in words (``phrase``) but where short."""
    out = tmp_path / "timeline.html"
    assert main(["timeline", "2018-07", "--format", "html", "-o", str(out)]) == 0
    text = out.read_text("utf-8")
    assert "td.short, th.short { white-space: nowrap; }" in text
    assert '<th class="short">余裕</th>' in text
    assert '<th class="short">出典</th>' in text
    assert '<td class="short">★ 0日</td>' in text
    assert re.search(r'<th class="(phrase )?across">備考</th>', text)  # (`across`: below)
    assert re.search(r'<th( class="phrase")?>日付</th>', text)
    assert not re.search(r'<td class="short">平成', text)
    assert not re.search(r'<td class="[a-z ]*(short|phrase)[a-z ]*">※仮定', text)  # (a long note)
    english = tmp_path / "timeline-en.html"
    assert (
        main(["timeline", "2018-07", "--lang", "en", "--format", "html", "-o", str(english)]) == 0
    )
    assert '<td class="short">★ 0 d</td>' in english.read_text("utf-8")


def test_a_column_of_notes_goes_across_its_table_on_a_narrow_screen(tmp_path: Path) -> None:
    """The timeline's notes (備考: long texts in some rows, nothing in others) are classed
    ``across``, and their table too, with the count of its other columns: on a narrow screen
    each note takes its row's full width (style.html.j2), where a 700-pixel window squeezed
    the column to four or five characters a line. A column of long texts that every row
    fills (the plan's task), or a table without long texts, is left as it was."""
    out = tmp_path / "timeline.html"
    args = ["timeline", "2018-07", "--as-of", "2018-06-25", "--format", "html"]
    assert main([*args, "-o", str(out)]) == 0
    text = out.read_text("utf-8")
    assert '<table class="across" style="--columns: 6">' in text  # (7 columns, 備考 across)
    assert re.search(r'<td class="across">※仮定', text)
    rows = re.findall(
        r"<tr>(.*?)</tr>", text.split('<table class="across"')[1].split("</table>")[0], re.DOTALL
    )
    assert len(rows) > 10
    assert all(len(re.findall(r"<t[dh] class=\"[a-z ]*across\"", row)) == 1 for row in rows)
    note = "※仮定: §4に実施期間の日付はない（J-LISが通知）。通知された日付に置き換えること。"
    notes = (
        f"| 日付 | 行事 | 備考 |\n|---|---|---|\n| 5月7日 | 試験 | {note} |\n"
        "| 5月8日 | 説明会 |  |\n"
    )
    assert '<table class="across" style="--columns: 2">' in str(html_markdown(notes))
    filled = notes.replace("|  |", f"| {note} |")
    assert "across" not in str(html_markdown(filled))
    short = notes.replace(note, "仮定")
    assert "across" not in str(html_markdown(short))


def test_a_name_with_its_gloss_breaks_only_at_its_bracket(tmp_path: Path) -> None:
    """The timeline's actor J-LIS（自治体中間サーバー運営主体） is kept in words (``phrase``),
    as the other actors of its column are: it broke inside its word (自治体中 / 間サーバー
    運営 / 主体）). The wider limits hold only in a column of such names: the same name
    beside a long text in its column is left as it was, and so is a cell no name is."""
    out = tmp_path / "timeline.html"
    assert main(["timeline", "2018-07", "--format", "html", "-o", str(out)]) == 0
    text = out.read_text("utf-8")
    mark = '<span class="narrow-break"></span>'  # (a break on a narrow screen only)
    marked = f"J-LIS（自治体中間{mark}サーバー{mark}運営主体）"
    assert f'<td class="phrase">{marked}</td>' in text
    assert '<td class="phrase">情報提供<wbr>NWS運営主体</td>' in text
    name = "J-LIS（自治体中間サーバー運営主体）"
    names = f"| 主体 |\n|---|\n| 総務省 |\n| {name} |\n"
    assert f'<td class="phrase">{marked}</td>' in str(html_markdown(names))
    sentence = "機関間試験の実施期間（接続検証環境、実施希望を提出した機関）の終了"
    mixed = f"{names}| {sentence} |\n"
    html_text = str(html_markdown(mixed))
    assert f"<td>{name}</td>" in html_text
    assert '<td class="phrase">総務省</td>' in html_text
    longer = "J-LIS（自治体中間サーバー運営主体の連絡窓口）"  # (a word wider than a name's)
    assert f"<td>{longer}</td>" in str(html_markdown(f"| 主体 |\n|---|\n| {longer} |\n"))


_KANJI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_KATAKANA = st.sampled_from(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポャュョッー"
)
_HIRAGANA = st.characters(min_codepoint=0x3041, max_codepoint=0x3096)
_SCRIPTS = {"kanji": _KANJI, "katakana": _KATAKANA, "hiragana": _HIRAGANA}
#: Runs of Japanese of one script each, a name's worth (J-LIS（…） at most 36 wide).
_RUNS = st.lists(
    st.tuples(st.sampled_from(sorted(_SCRIPTS)), st.integers(1, 3)), min_size=2, max_size=4
)


@given(
    _RUNS.flatmap(
        lambda runs: st.tuples(*(st.text(_SCRIPTS[k], min_size=n, max_size=n) for k, n in runs))
    )
)
def test_a_name_may_break_on_a_narrow_screen_where_its_script_changes(
    runs: tuple[str, ...],
) -> None:
    """A name of a column of names (the timeline's actors) is marked where it may break on a
    narrow screen: before each run of kanji or of katakana that follows another script
    (自治体中間 / サーバー / 運営主体), never inside a run, never before hiragana (okurigana, a
    particle: 中間の); its text is the same with the marks taken out."""
    name = "".join(runs)
    cell = str(html_markdown(f"| 主体 |\n|---|\n| J-LIS（{name}） |\n"))
    inner = re.search(r'<td class="phrase">J-LIS（(.*)）</td>', cell)
    assert inner is not None, cell
    mark = '<span class="narrow-break"></span>'
    parts = inner[1].split(mark)
    assert "".join(parts) == name
    tests = {"kanji": _is_kanji, "katakana": _is_katakana, "hiragana": _is_hiragana}
    kind = [next(k for k, test in tests.items() if test(c)) for c in name]
    expected = [
        at
        for at in range(1, len(name))
        if kind[at] != kind[at - 1]
        and kind[at] != "hiragana"
        and not (kind[at] == "katakana" and name[at] == "ー")
    ]
    found = list(itertools.accumulate(len(p) for p in parts[:-1]))
    assert found == expected, (name, inner[1])


def _is_kanji(c: str) -> bool:
    """Return whether `c` is a kanji (CJK Unified Ideographs)."""
    return "\u4e00" <= c <= "\u9fff"


def _is_katakana(c: str) -> bool:
    """Return whether `c` is katakana (ー included)."""
    return "\u30a0" <= c <= "\u30ff"


def _is_hiragana(c: str) -> bool:
    """Return whether `c` is hiragana."""
    return "\u3041" <= c <= "\u3096"


def test_checklists_command_writes_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`checklists --format html --names` writes named pages and says to open index.html."""
    out = tmp_path / "out"
    assert (
        main(
            ["checklists", "2018-07", *_inputs(), "--out", str(out), "--format", "html", "--names"]
        )
        == 0
    )
    assert (out / "312011_鳥取市.html").is_file()
    assert not list(out.glob("*.md"))
    assert f"{out / 'index.html'}" in capsys.readouterr().out


def test_html_format_refuses_a_markdown_file_name(tmp_path: Path) -> None:
    """--format html with -o FILE.md is a usage error (exit 2), nothing written."""
    out = tmp_path / "summary.md"
    assert main(["summary", "2018-07", *_inputs(), "--format", "html", "-o", str(out)]) == 2
    assert not out.exists()


def test_html_escapes_nothing_twice() -> None:
    """html.escape of the visible text round-trips: entities appear once in the source."""
    assert html.unescape(str(html_inline(r"\&amp;"))) == "&amp;"


def test_timeline_legend_explains_every_colour() -> None:
    """Every colour the timeline chart draws with, but its neutral greys and white, is shown
    in its legend; and the chart scales to its window."""
    calendar = parse_calendar(calendar_path("2018-07").read_text("utf-8"))
    root = ET.fromstring(timeline_svg(build_timeline(calendar), as_of=AS_OF))
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    svg = "{http://www.w3.org/2000/svg}"
    legend = next(g for g in root.iter(f"{svg}g") if g.get("class") == "legend")
    in_legend = set(legend.iter())

    def colours(elements: Iterable[ET.Element]) -> set[str]:
        found: set[str] = set()
        for element in elements:
            if element.tag == f"{svg}text":
                continue
            found.update(v.lower() for k, v in element.attrib.items() if k in ("fill", "stroke"))
        return found

    neutral = {"none", "#ffffff", "#212529", "#495057", "#adb5bd", "#f8f9fa", "#ced4da"}
    drawn = colours(e for e in root.iter() if e not in in_legend) - neutral
    assert "#e8590c" in drawn  # a window with no slack
    assert drawn <= colours(in_legend)


@given(
    st.dates(min_value=dt.date(1927, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(["ja", "en"]),
)
def test_a_day_in_a_table_cell_is_kept_whole(day: dt.date, lang: Lang) -> None:
    """Every day a page writes in a table's cell is held in spans that print on one line
    each: its year and its month and day (平成30年 6月29日, 令和元年 5月1日), a line free
    to break between them (``<wbr>``, also where a phrase keeps its words whole), or the
    whole of 2018-06-29; the text around it stays escaped, and a day outside a table is
    left as it is."""
    written = format_day(day, lang)
    markdown = f"{written}\n\n| 期限 | 備考 |\n|---|---|\n| {written} \\<b\\> | — |\n"
    html = str(html_markdown(markdown))
    whole = written.split("（")[0].split(" (")[0]
    parts = (
        [whole]
        if lang == "en"
        else [whole[: whole.index("年") + 1], whole[whole.index("年") + 1 :]]
    )
    spans = "<wbr>".join(f'<span class="day">{part}</span>' for part in parts)
    assert html.count(spans) == 1, html
    assert html.count('class="day"') == len(parts), html
    assert "&lt;b&gt;" in html
    assert "<b>" not in html
