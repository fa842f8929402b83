"""The example's HTML pages in a real browser: headless Chromium renders them to PNG and to
PDF, loads them with every host unresolvable, and the PDF is read back with poppler.

Skipped, saying why, where Chromium or poppler-utils is missing (.ci/run installs Debian's
``chromium``, ``fonts-noto-cjk`` and ``poppler-utils``). One browser run per file and check.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from htmlpage import Page, external_addresses
from pdfwords import LEGIBLE_POINTS, text_size
from pdfwords import pages as pdf_pages

from cutover.calendar.load import load_calendar
from cutover.cli.demo import load_example, plan_example
from cutover.cli.main import main
from cutover.i18n.catalogue import LANGS, Lang
from cutover.i18n.catalogue import text as catalogue_text
from cutover.jp.vocabulary import SYSTEMS, Kind
from cutover.jp.wareki import japanese_year
from cutover.planning.progress import progress_by_week
from cutover.render.checklist import ChecklistViews
from cutover.render.checklists import write_checklists
from cutover.render.timeline import timeline_markdown
from cutover.schedule.timeline import build_timeline

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or not POPPLER,
    reason="no chromium or poppler-utils (apt-get install chromium fonts-noto-cjk poppler-utils)",
)
#: The agency whose checklist is printed: 鳥取市, a provider of every revised item.
AGENCY = "312011"
#: A4 portrait in PostScript points.
A4 = (595.28, 841.89)


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with `args`, no host resolvable (a page that asks the network
    for anything gets nothing)."""
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder of the example's HTML pages."""
    folder = tmp_path_factory.mktemp("html")
    write_checklists(plan_example(load_example()), folder, fmt="html")
    return folder


def printed(page: Path, pdf: Path) -> str:
    """Print `page` to `pdf` as Chromium prints it (A4, without the browser's own header
    and footer), and return the PDF's text as poppler reads it back, pages split by \\f."""
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri(), cwd=page.parent)
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def index_on_paper(pages: Path) -> str:
    """Return the text of the index as printed (one print for the tests that read it)."""
    return printed(pages / "index.html", pages / "index.pdf")


def test_checklist_prints_on_a4_with_every_task(pages: Path) -> None:
    """The printed checklist is A4 portrait, and its text, read back from the PDF, holds every
    task id: nothing is cut at the right edge, and the running header is on every page. Each
    day of the key dates prints whole on its line: a span breaks after its 〜, never inside
    a date (平成30年5月1日（火）〜平 / 成30年5月31日（木）)."""
    pdf = pages / "checklist.pdf"
    text = printed(pages / f"{AGENCY}.html", pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None, info
    assert abs(float(size[1]) - A4[0]) < 2
    assert abs(float(size[2]) - A4[1]) < 2
    pages_count = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
    assert pages_count >= 2
    the_plan = plan_example(load_example())
    view = ChecklistViews(the_plan, "ja").page(the_plan.agency(AGENCY))
    flat = re.sub(r"\s+", "", text)
    missing = [t.id.strip("`") for t in view.tasks if t.id.strip("`") not in flat]
    assert missing == []
    lines = text.splitlines()
    days = {
        day for row in view.key_dates for day in re.findall(r"平成\d+年\d+月\d+日（.）", row.when)
    }
    assert len(days) > 5
    broken = [day for day in sorted(days) if not any(day in line for line in lines)]
    assert broken == [], text
    # The running header: the agency's code on every printed page.
    assert [page.count(AGENCY) >= 1 for page in text.split("\f") if page.strip()] == [
        True
    ] * pages_count


def test_index_prints_each_week_unbroken(index_on_paper: str) -> None:
    """The index's progress table heads each week with its year and its day on two lines
    (平成30年 / 6月4日), never broken inside (平成30 / 年6月4 / 日), and its last column
    「完了/対象」 at its slash at most."""
    text = index_on_paper
    words = text.split()
    weeks = progress_by_week(plan_example(load_example())).weeks
    assert len(weeks) >= 5
    for monday in weeks:
        year, day = japanese_year(monday), f"{monday.month}月{monday.day}日"
        assert year in words, (year, text)
        assert day in words, (day, text)
    assert "対象" in words or "完了/対象" in words, text


def test_index_prints_its_chart_on_a_landscape_page(pages: Path, index_on_paper: str) -> None:
    """The timeline chart, as wide as the revision's months, prints on an A4 landscape page
    of its own, its text legible (it printed at 3.6 pt across a portrait page); so does the
    progress table, a task's title on one line beside its nine columns (across a portrait
    page it took six); the tables before them stay on portrait pages. Every page holds more
    than its running header, which each repeats: a portrait page blank but for it came
    after the chart (a sheet of paper for nothing)."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(pages / "index.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", info)]
    printed_pages = index_on_paper.split("\f")[: len(sizes)]
    (chart,) = [i for i, text in enumerate(printed_pages) if "タイムライン" in text]
    (progress,) = [i for i, text in enumerate(printed_pages) if "進捗の推移" in text]
    assert [w > h for w, h in sizes] == [i in {chart, progress} for i in range(len(sizes))]
    title = "情報提供に係るシステム改修を完了する（○○）"
    assert any(title in line for line in printed_pages[progress].splitlines())
    assert all(abs(max(size) - A4[1]) < 2 and abs(min(size) - A4[0]) < 2 for size in sizes)
    assert text_size(pdf_pages(pages / "index.pdf")[chart]) >= LEGIBLE_POINTS
    for text in printed_pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0].startswith("改版: ")  # (the running header)
        assert [line for line in lines if not line.startswith("改版: ")], lines


@pytest.fixture(scope="module")
def timeline_on_paper(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Return the PDF of `cutover timeline --format html` as printed, and its text (one
    print for the tests that read it)."""
    folder = tmp_path_factory.mktemp("timeline")
    page = folder / "timeline.html"
    as_of = ["--as-of", "2018-06-25"]
    assert main(["timeline", "2018-07", "--format", "html", *as_of, "-o", str(page)]) == 0
    return folder / "timeline.pdf", printed(page, folder / "timeline.pdf")


def test_timeline_page_prints_landscape_and_legible(timeline_on_paper: tuple[Path, str]) -> None:
    """`cutover timeline --format html`, the chart first, prints on A4 landscape, the chart's
    text legible (portrait, it printed at 3.6 pt)."""
    pdf, _ = timeline_on_paper
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None, info
    assert (round(float(size[1])), round(float(size[2]))) == (round(A4[1]), round(A4[0]))
    assert text_size(pdf_pages(pdf)[0]) >= LEGIBLE_POINTS


def test_timeline_page_prints_each_slack_whole(timeline_on_paper: tuple[Path, str]) -> None:
    """The timeline's slack column prints each value on one line (★ 0日, 8日): beside the
    notes it printed a character a line (★ / 0 / 日), and no line held 「★ 0日」."""
    _, text = timeline_on_paper
    timeline = build_timeline(load_calendar("2018-07"))
    slacks = [
        ("★ " if item.critical else "") + catalogue_text("timeline.slack", "ja", days=days)
        for item in timeline.events
        if (days := item.slack_days) is not None
    ]
    assert slacks
    lines = text.splitlines()
    for slack in set(slacks):
        assert sum(line.count(slack) for line in lines) >= slacks.count(slack), (slack, text)


def test_timeline_page_prints_each_day_whole(timeline_on_paper: tuple[Path, str]) -> None:
    """The timeline's table breaks a day after its year only: its month and day print on
    one line (its narrow date column printed 平成30年6月 / 22日, 平成30年3月31 / 日)."""
    _, text = timeline_on_paper
    timeline = build_timeline(load_calendar("2018-07"))
    days = {f"{d.month}月{d.day}日" for item in timeline.events for d in (item.start, item.end)}
    assert len(days) > 10
    lines = text.splitlines()
    broken = [day for day in sorted(days) if not any(day in line for line in lines)]
    assert broken == [], text
    assert not [line for line in lines if re.search(r"(年\d+月|\d+月\d+)$", line.rstrip())]


def test_english_index_prints_its_headers_whole(tmp_path: Path) -> None:
    """The English index prints the agencies' header 「Done / applicable」 at its spaces, in
    a column wide enough for its longest word (it printed as Done/appli / cable)."""
    write_checklists(plan_example(load_example()), tmp_path, fmt="html", lang="en")
    text = printed(tmp_path / "index.html", tmp_path / "index.pdf")
    assert "applicable" in text.split(), text


def test_index_prints_the_agencies_code_header_whole(index_on_paper: str) -> None:
    """The agencies' table heads its code column 団体コード on one line (its column was too
    narrow on A4: it printed as 団体コー / ド)."""
    header = catalogue_text("index.agency-header-code", "ja")
    assert any(header in line.split() for line in index_on_paper.splitlines()), index_on_paper


def test_index_loads_nothing_from_the_network_and_its_links_resolve(pages: Path) -> None:
    """The index, as Chromium built it with no host resolvable, names nothing outside its
    folder, and every link leads to a file there."""
    dom = chromium("--dump-dom", (pages / "index.html").as_uri(), cwd=pages).stdout
    page = Page(dom)
    assert "svg" in page.tags
    assert external_addresses(page) == []
    links = [v for tag, name, v in page.attributes if tag == "a" and name == "href"]
    assert len(links) == len(list(pages.glob("3*.html")))
    assert all((pages / link).is_file() for link in links)


def test_index_renders_to_png(pages: Path) -> None:
    """The index renders to a PNG at a laptop's size (1366×900)."""
    png = pages / "index.png"
    chromium(
        "--window-size=1366,900", f"--screenshot={png}", (pages / "index.html").as_uri(), cwd=pages
    )
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1366, 900)


def test_index_prints_each_system_header_unbroken(index_on_paper: str) -> None:
    """The §3 table's headers (地方税務 システム関係, …) break at their space when a column is
    narrow, never inside a word: each system's name and 「システム」 are whole on paper, and
    so are the row labels (未対応団体数, 一部事務組合等), printed on the left as labels."""
    text = index_on_paper.split("\f")[0]  # (the first page: the §3 table)
    names = [system.ja for system in SYSTEMS]  # (地方税務, 生活保護, … 公営住宅)
    assert all(name in text for name in names), text
    assert text.count("システム") >= len(names), text
    labels = [catalogue_text("summary.count-not-ready", "ja")]
    labels += [catalogue_text(f"summary.kinds-{kind.value}", "ja") for kind in Kind]
    rows = [line.split() for line in text.splitlines()]
    for label in labels:  # each label whole on its line, the eight counts right of it
        assert any(
            row[-len(names) - 1 :][:1] == [label] and all(w.isdigit() for w in row[-len(names) :])
            for row in rows
        ), (label, text)


def test_triage_page_prints_each_agency_heading_with_its_table(tmp_path: Path) -> None:
    """The triage page after the cutoff prints each agency's heading, and the line under it
    saying what to do, on the page where its table of queries starts (page 1 once ended
    with 「141003 神奈川県 横浜市（1件）」 and its line, their table on page 2)."""
    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    page = tmp_path / "triage.html"
    files = ("--queries", str(example / "queries.csv"), "--agencies", str(example / "agencies.csv"))
    args = ["triage", "2018-07", *files, "--as-of", "2018-07-02", "--format", "html"]
    assert main([*args, "-o", str(page)]) == 0
    header = catalogue_text("xlsx.header-query-id", "ja")  # (照会番号: the table's first)
    on_paper = printed(page, tmp_path / "triage.pdf").split("\f")
    headings = 0
    for number, text in enumerate(on_paper, 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for k, line in enumerate(lines):
            if re.fullmatch(r"\d{6} .+（\d+件）", line):
                headings += 1
                after = lines[k + 1 :]
                assert any(a.startswith(header) for a in after), f"page {number}: {line}"
    assert headings >= 5


def test_hearings_page_prints_a_reason_a_few_characters_a_line(tmp_path: Path) -> None:
    """A hearing's reason (実施の記録なし) prints a few characters a line beside its long
    notes: it printed a character a line (実 / 施 / の / 記 / …)."""
    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    page = tmp_path / "hearings.html"
    files = [f"--{n}={example / f'{n}.csv'}" for n in ("agencies", "readiness", "evidence")]
    args = ["hearings", "2018-07", *files, "--as-of", "2018-07-02", "--format", "html"]
    assert main([*args, "-o", str(page)]) == 0
    reason = catalogue_text("plan.hearing-reason-no-evidence", "ja")
    text = printed(page, tmp_path / "hearings.pdf")
    assert any(reason[:3] in line for line in text.splitlines()), text


def test_timeline_page_prints_each_status_and_actor_in_words(
    timeline_on_paper: tuple[Path, str],
) -> None:
    """The timeline's status on the as-of date (基準日の状況) and its actors 情報提供NWS運営主体
    and J-LIS（自治体中間サーバー運営主体） break between words only, each word whole on its
    line (期間中、/ 残り5開庁日; 情報提供 / NWS運営主体; J-LIS / （自治体中間サーバー運営主体））:
    squeezed to four characters, the status column printed 残り5開 / 庁日, and the actors
    NWS運営主 / 体 and J-LIS（自治体中 / 間サーバー運営 / 主体）."""
    _, text = timeline_on_paper
    page = timeline_markdown(
        build_timeline(load_calendar("2018-07")), as_of=dt.date(2018, 6, 25), lang="ja"
    )
    rows = [line.strip("|").split(" | ") for line in page.splitlines() if line.startswith("| 平成")]
    actors = {"情報提供NWS運営主体", "J-LIS（自治体中間サーバー運営主体）"}
    assert actors <= {cells[2].strip() for cells in rows}
    cells = {cells[-1].strip() for cells in rows} | actors
    words = {w for cell in cells for w in re.split(r"(?<=、)|(?=（)|(?=NWS)", cell) if w}
    assert {
        "残り5開庁日",
        "NWS運営主体",
        "開始まであと7日",
        "（自治体中間サーバー運営主体）",
    } <= words
    lines = text.splitlines()
    broken = [word for word in sorted(words) if not any(word in line for line in lines)]
    assert broken == [], text


#: The mark where a name may break on a narrow screen only (`cutover.render.htmltext`).
NARROW_BREAK = '<span class="narrow-break"></span>'


#: A script that a copy of a page is given to say how Chromium laid it out, to the page
#: that holds it in a frame (`laid_out`): how wide its content is, how wide its window, where
#: its last table's last column ends, which words of its headers are on two lines; and,
#: given the header of a column of notes (``data-notes``), how wide that table is and the
#: narrowest of its notes not empty.
_MEASURE = r"""<script>
addEventListener("load", () => {
  const table = [...document.querySelectorAll("table")].pop();
  const head = table.querySelector("tr");
  const layout = {
    page: document.documentElement.scrollWidth,
    window: document.documentElement.clientWidth,
    right: head.lastElementChild.getBoundingClientRect().right,
  };
  // A word of a table's header laid out on two lines (地方税 / 務, Warning / s): a word ends
  // at a space, after a hyphen, a slash or Japanese punctuation, before an opening bracket,
  // and where Japanese changes script before kanji or katakana (締切までに / 情報提供).
  const ends = new RegExp([
    String.raw`\s+|(?<=[-\/、。・）」])|(?=[（「])`,
    "(?<=[ぁ-ゖァ-ヺー])(?=[一-鿿々])|(?<=[ぁ-ゖ一-鿿々])(?=[ァ-ヺ])",
    String.raw`(?<=[^\x00-\x7f])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[^\x00-\x7f])`,
  ].join("|"));
  // Every header's Latin words; every word of a header of words on lines of their own
  // (地方税務<br>システム関係), or of a table of fixed columns.
  layout.broken = [...document.querySelectorAll("th")].flatMap((th) => {
    const whole = th.matches("table.fixed th") || th.querySelector("br") !== null;
    const broken = [];
    const texts = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) {
      const node = texts.currentNode;
      let at = 0;
      for (const word of node.textContent.split(ends)) {
        const start = node.textContent.indexOf(word, at);
        at = start + word.length;
        if (!word.trim() || !(whole || /^[\x21-\x7e]+$/.test(word))) continue;
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, at);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) broken.push(word);
      }
    }
    return broken;
  });
  const header = document.body.dataset.notes;
  if (header) {
    const column = [...head.children].findIndex((th) => th.textContent.trim() === header);
    const notes = [...table.querySelectorAll("tbody tr")].map((tr) => tr.children[column])
      .filter((td) => td.textContent.trim() !== "");
    layout.table = table.getBoundingClientRect().width;
    layout.notes = Math.min(...notes.map((td) => td.getBoundingClientRect().width));
    layout.count = notes.length;
  }
  parent.postMessage({frame: document.body.dataset.frame, layout: layout}, "*");
});
</script>"""

#: The page that holds each measured copy in a frame of its width, and gathers what they say
#: (listening before the first frame loads).
_FRAMES = """<!doctype html><html><head><script>
const found = {{}};
addEventListener("message", (event) => {{
  found[event.data.frame] = event.data.layout;
  document.body.dataset.layout = JSON.stringify(found);
}});
</script></head><body>{frames}</body></html>"""


def laid_out(
    pages: dict[tuple[str, str, int], Path], notes: dict[Path, str] | None = None
) -> dict[tuple[str, str, int], dict[str, float]]:
    """Return how Chromium lays out each page of `pages` in a window as wide as its key says
    (`_MEASURE`): each a frame of that width (whose media queries read its width, as a
    window's do) in one page, one Chromium run for all. Each is measured in a copy of it
    (the page itself runs no script); `notes` gives the header of a page's notes column."""
    frames = []
    for at, ((*_, width), page) in enumerate(pages.items()):
        text = page.read_text("utf-8")
        assert "<script" not in text
        assert "<body>" in text
        header = (notes or {}).get(page, "")
        body = f'<body data-frame="{at}" data-notes="{html.escape(header)}">'
        copy = page.with_name(f"measured-{at}-{page.name}")
        copy.write_text(text.replace("<body>", body).replace("</body>", f"{_MEASURE}</body>"))
        # (All at the top left: a frame off screen is not laid out until it is scrolled to.)
        style = f"position:absolute;top:0;left:0;width:{width}px;height:900px"
        frames.append(f'<iframe src="{copy.as_uri()}" style="{style}"></iframe>')
    folder = next(iter(pages.values())).parent
    holder = folder / "measured.html"
    holder.write_text(_FRAMES.format(frames="".join(frames)), "utf-8")
    # (The virtual time lets every frame load and say how it is laid out before the dump.)
    budget = "--virtual-time-budget=60000"
    dom = chromium("--window-size=1400,900", budget, "--dump-dom", holder.as_uri(), cwd=folder)
    found = re.search(r'data-layout="([^"]*)"', dom.stdout)
    assert found is not None, dom.stdout[-2000:]
    measured = json.loads(html.unescape(found[1]))
    assert len(measured) == len(pages), measured
    return {key: measured[str(at)] for at, key in enumerate(pages)}


def _html_pages(folder: Path, lang: Lang) -> dict[str, Path]:
    """Write the example's pages in `lang` into `folder` (the index, an agency's checklist,
    and the summary, plan, hearings, triage, diff and timeline documents) and return them by
    name."""
    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    files = {n: f"--{n}={example / f'{n}.csv'}" for n in ("agencies", "readiness", "evidence")}
    survey = [*files.values(), "--as-of", "2018-07-02"]
    queries = ["--queries", str(example / "queries.csv"), files["agencies"]]
    commands = {
        "summary": ["summary", "2018-07", *survey],
        "plan": ["plan", "2018-07", *survey],
        "hearings": ["hearings", "2018-07", *survey],
        "triage": ["triage", "2018-07", *queries, "--as-of", "2018-07-02"],
        "diff": ["diff", "2018-07", str(example / "2018-07-jlis.toml")],
        "timeline": ["timeline", "2018-07", "--as-of", "2018-06-25"],
    }
    found = {}
    for name, args in commands.items():
        found[name] = folder / f"{name}.html"
        assert main([*args, "--format", "html", "--lang", lang, "-o", str(found[name])]) == 0
    write_checklists(plan_example(load_example()), folder, lang=lang, fmt="html")
    return {**found, "index": folder / "index.html", "checklist": folder / f"{AGENCY}.html"}


#: The pages measured in a window 683 pixels wide: 700 (half a laptop's screen, beside Excel)
#: less Windows' scroll bar.
_NARROW = ("index", "checklist", "summary", "plan", "hearings", "triage", "diff", "timeline")


def test_every_page_fits_a_narrow_window(tmp_path: Path) -> None:
    """Each page of the example, in Japanese and in English, fits a window 700 pixels wide
    (half a laptop's screen, beside Excel; measured at 683, such a window less Windows'
    scroll bar), nothing to scroll sideways, its last table's last column on screen; the
    index and the timeline a laptop's too (1280); and there the timeline's notes (備考) each
    take their row's full width, below its other cells; and in a phone's 480 pixels no page
    scrolls sideways, its tables in their own boxes. No header breaks inside a word:
    an English word, a word of a header written in words (地方税務 システム関係), or of a
    table of fixed columns (団体コード, 指摘の数（団体・作業ごとに1件）) at any width.

    What did not fit: the index's progress by week, nine columns of weeks and counts beside
    its tasks (726 pixels); the timeline's actor J-LIS（自治体中間サーバー運営主体）, kept
    whole, which pushed its last column, the status on the as-of date, off screen; in
    English, the hearings' title unbroken in the running header (688), the plan's ids
    (modify-provision:disability-welfare, 685), a survey table of whole English words (the
    index and the summary, 830: such a table scrolls in its own box if it must). The notes
    beside the other cells were four or five characters wide, a long note a ribbon twenty
    lines tall. Headers broke inside their words at 683 pixels: the survey table's (地方税 /
    務, システ / ム関係), 団体コー / ド, Warning / s, Sourc / e; at 1280 the index's
    作業ご / とに. (One Chromium run measures them all, `laid_out`.)"""
    pages: dict[tuple[str, str, int], Path] = {}
    notes: dict[Path, str] = {}
    for lang in LANGS:
        (tmp_path / lang).mkdir()
        found = _html_pages(tmp_path / lang, lang)
        for name in _NARROW:
            pages[lang, name, 683] = pages[lang, name, 480] = found[name]
        pages[lang, "timeline", 700] = copy = tmp_path / lang / "timeline-700.html"
        shutil.copy(found["timeline"], copy)
        notes[copy] = catalogue_text("timeline.header-notes", lang)
        if lang == "ja":
            pages[lang, "index", 1280] = found["index"]
            pages[lang, "timeline", 1280] = found["timeline"]
    layouts = laid_out(pages, notes)
    wide = [
        (key, layout)
        for key, layout in layouts.items()
        if layout["window"] != key[-1]
        or layout["page"] > key[-1]
        # (Under 640 pixels a table wider than the window scrolls in its own box.)
        or (layout["right"] > key[-1] and key[-1] >= 640)
    ]
    assert wide == []
    broken = {key: layout["broken"] for key, layout in layouts.items() if layout["broken"]}
    assert broken == {}
    for lang in LANGS:
        timeline = layouts[lang, "timeline", 700]
        assert timeline["count"] >= 5, timeline
        assert timeline["notes"] >= timeline["table"] - 2, timeline


#: The markup that changes a page on a narrow screen only: a table's row laid out on two
#: lines, and the places a name may break (`NARROW_BREAK`).
_ACROSS = re.compile(r' style="--columns: \d+"| ?\bacross\b(?=[^<>]*>)|' + re.escape(NARROW_BREAK))


@pytest.mark.parametrize("name", ["index", "timeline"])
def test_page_prints_as_it_would_without_its_narrow_screen_rows(
    request: pytest.FixtureRequest, pages: Path, tmp_path: Path, name: str
) -> None:
    """The markup that lays a row out on two lines on a narrow screen (the index's progress
    by week, the timeline's and the hearings' notes), and the marks where a name may break
    there (the timeline's actors), change nothing on paper: the page prints line for line as
    it does without them (in Chromium's print, such a mark in a phrase as wide as its
    column, 安全管理措置の自己点検（年1回）, broke its line there)."""
    if name == "index":
        page, text = pages / "index.html", request.getfixturevalue("index_on_paper")
    else:
        pdf, text = request.getfixturevalue("timeline_on_paper")
        page = pdf.with_suffix(".html")
    style, body = page.read_text("utf-8").split("</style>")
    bare = _ACROSS.sub("", body)
    assert bare != body
    plain = tmp_path / f"plain-{page.name}"
    plain.write_text(f"{style}</style>{bare}", "utf-8")
    assert printed(plain, tmp_path / "plain.pdf") == text
