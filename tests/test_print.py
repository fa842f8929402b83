"""On paper: the workbooks print on A4 legibly, as a real spreadsheet application prints
them. LibreOffice (headless) prints the shipped example's plan, hearings, triage and
summary workbooks to PDF, in one call; pdftotext reads back where each word stands.

Skipped, saying so, where LibreOffice or pdftotext is not installed (Debian:
libreoffice-calc, poppler-utils).
"""

from __future__ import annotations

import itertools
import shutil
import statistics
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from pdfwords import LEGIBLE_POINTS, lines, pages, text_size
from workbooks import ready_registry

from cutover.cli.main import main
from cutover.render.sheetlayout import lines_taken

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None,
    reason="LibreOffice or pdftotext is not installed: apt-get install libreoffice-calc "
    "poppler-utils",
)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the example's workbooks and print them all to PDF in one LibreOffice call;
    return the folder of both."""
    work = tmp_path_factory.mktemp("print")
    example = [
        *("--agencies", str(EXAMPLE / "agencies.csv")),
        *("--readiness", str(EXAMPLE / "readiness.csv")),
        *("--evidence", str(EXAMPLE / "evidence.csv")),
    ]
    runs = {
        "plan": ["plan", "2018-07", *example, "--as-of", "2018-06-25"],
        "summary": ["summary", "2018-07", *example, "--as-of", "2018-06-25"],
        "summary-en": ["summary", "2018-07", *example, "--as-of", "2018-06-25", "--lang", "en"],
        # (After the windows close: candidates for a hearing, with their notes.)
        "hearings": ["hearings", "2018-07", *example, "--as-of", "2018-07-02"],
        "hearings-en": ["hearings", "2018-07", *example, "--as-of", "2018-07-02", "--lang", "en"],
        "hearings-what-if": [
            *("hearings", "2018-07", *example, "--as-of", "2018-07-02"),
            *("--shift", "inter-agency-test=+3bd"),
        ],
        "triage": [
            *("triage", "2018-07", "--queries", str(EXAMPLE / "queries.csv")),
            *("--agencies", str(EXAMPLE / "agencies.csv"), "--as-of", "2018-06-25"),
        ],
    }
    # (A registry with no agency to chase: the 督促先 sheet has no row.)
    ready = [*ready_registry(work), "--as-of", "2018-06-25"]
    runs["summary-ready"] = ["summary", "2018-07", *ready]
    runs["summary-ready-en"] = ["summary", "2018-07", *ready, "--lang", "en"]
    # (Nothing to act on, nothing rejected, no query id twice; no agency to hear from.)
    queries = work / "queries.csv"
    queries.write_text(
        "query_id,querier,provider,item,requested,status\n"
        "Q1,011002,010006,8,2018-06-20T09:00:00,pending\n",
        encoding="utf-8",
    )
    runs["triage-none"] = [
        *("triage", "2018-07", "--queries", str(queries), "--as-of", "2018-06-25")
    ]
    runs["hearings-none"] = ["hearings", "2018-07", *ready_registry(work), "--as-of", "2018-07-02"]
    for name, args in runs.items():
        assert main([*args, "-o", str(work / f"{name}.xlsx")]) == 0
    profile = (work / "profile").as_uri()  # (its own: another LibreOffice may be running)
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile}",
            *("--headless", "--convert-to", "pdf", "--outdir", str(work)),
            *sorted(str(p) for p in work.glob("*.xlsx")),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return work


def test_wide_tables_print_legibly(printed: Path) -> None:
    """The plan, hearings, triage and every sheet of the summary print their text at 60% of
    its size or larger, however many columns they have (they printed at 28% to 57%, one
    page wide); every date is shown, none as ####."""
    for name in ("plan", "hearings", "triage", "summary"):
        for number, page in enumerate(pages(printed / f"{name}.pdf"), 1):
            if not any(not w.text.isascii() for w in page):
                continue  # (a page with no Japanese text to measure)
            where = f"{name}.pdf page {number}"
            assert text_size(page) >= LEGIBLE_POINTS, where
            assert not any("###" in word.text for word in page), where


def test_every_page_says_whose_rows(printed: Path) -> None:
    """Each page of a table printed more than one page wide starts with the header, and
    shows the agency's code and name (repeated on each page), so a page read alone says
    whose row it is; the plan's pages of one row are next to each other."""
    for name in ("plan", "hearings"):
        book = openpyxl.load_workbook(printed / f"{name}.xlsx")
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        column = rows[0].index("団体コード")
        codes = {str(row[column]) for row in rows[1:]}
        found = pages(printed / f"{name}.pdf")
        assert len(found) > 1, name
        for number, page in enumerate(found, 1):
            first = lines(page)[0]
            where = f"{name}.pdf page {number}: {first}"
            assert "団体コード 団体名" in first, where
            assert codes & {word.text for word in page}, where
    plan = pages(printed / "plan.pdf")
    assert "作業" in lines(plan[0])[0].split()
    assert "期限" in lines(plan[1])[0].split()  # (the same rows, across)


def test_every_printed_page_is_numbered(printed: Path) -> None:
    """Each printed page of a workbook says at its foot which page it is of how many (the
    plan prints tens of pages, across then down: nothing said their order)."""
    for name in ("plan", "summary", "hearings", "triage"):
        found = pages(printed / f"{name}.pdf")
        for number, page in enumerate(found, 1):
            foot = lines(page)[-1].split()
            assert foot == [str(number), "/", str(len(found))], f"{name}.pdf page {number}"


def test_headers_print_in_the_sheets_own_typeface(printed: Path) -> None:
    """The bold headers print in the sans-serif of the other cells: they named no typeface,
    and LibreOffice printed the English ones in a serif."""
    for name in ("hearings-en", "summary-en"):
        fonts = subprocess.run(
            ["pdffonts", str(printed / f"{name}.pdf")],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert "Bold" in fonts, fonts
        assert "Serif" not in fonts, f"{name}.pdf: {fonts}"


def test_a_what_if_says_so_on_every_printed_page(printed: Path) -> None:
    """A workbook made with --shift prints its assumed dates with, at the top of each page,
    the shifts and that they are not the real schedule; the real one prints without."""
    found = pages(printed / "hearings-what-if.pdf")
    assert len(found) > 1
    for number, page in enumerate(found, 1):
        words = " ".join(word.text for word in page)
        assert "inter-agency-test=+3bd" in words, f"page {number}"
        assert "実際の日程ではありません" in words, f"page {number}"
    for page in pages(printed / "hearings.pdf"):
        assert "--shift" not in " ".join(word.text for word in page)


def test_hearings_every_header_and_agency_whole(printed: Path) -> None:
    """The hearings list (17 columns) prints each of its headers whole, and each agency's
    name and code on every page of its rows, in Japanese and in English."""
    for name in ("hearings", "hearings-en"):
        ws = openpyxl.load_workbook(printed / f"{name}.xlsx").worksheets[0]
        headers = [str(v) for v in next(ws.iter_rows(max_row=1, values_only=True))]
        agencies = {(str(r[3]), str(r[4])) for r in ws.iter_rows(min_row=2, values_only=True)}
        found = pages(printed / f"{name}.pdf")
        shown = " ".join(lines(page)[0] for page in found)
        for header in headers:
            assert f" {header} " in f" {shown} ", f"{name}: {header}"
        for number, page in enumerate(found, 1):
            words = {word.text for word in page}
            for code, agency in agencies:
                assert {code, agency} <= words, f"{name}.pdf page {number}: {agency}"
            assert text_size(page) >= LEGIBLE_POINTS, f"{name}.pdf page {number}"


def test_summary_headers_whole(printed: Path) -> None:
    """The §3 table's business-system headers, wrapped at their spaces, print whole in
    their row: in English four lines (long-term / care / insurance / systems), which the
    row of two lines cut off at the top and bottom."""
    ws = openpyxl.load_workbook(printed / "summary-en.xlsx").worksheets[0]
    column = [v for (v,) in ws.iter_rows(min_col=3, max_col=3, values_only=True)]
    row = next(k for k, v in enumerate(column, 1) if isinstance(v, str))  # (the first header)
    words = {w for c in range(3, ws.max_column + 1) for w in str(ws.cell(row, c).value).split()}
    below = str(ws.cell(row + 1, 1).value).split()[0]  # ("Provision side")
    page = pages(printed / "summary-en.pdf")[0]
    first_row = min(w.top for w in page if w.text == below)
    in_header = [w for w in page if w.text in words and w.top < first_row]
    assert {w.text for w in in_header} == words
    for word in in_header:
        assert word.bottom <= first_row, word


def test_a_wrapped_row_prints_no_empty_line(printed: Path) -> None:
    """A row made high for its wrapped text (a triage's reason, 6 and 15 lines in Excel's
    metrics) prints less than a line of Japanese text taller than those lines: at 18
    points a line (Yu Gothic's row in Excel), a reason of 15 lines printed two empty lines
    below the text and one of 6 nearly one. Each row's height on paper is read between
    the query numbers of it and the row above (bottom aligned, one line each); a line's,
    between the lines of the reasons."""
    ws = openpyxl.load_workbook(printed / "triage.xlsx").worksheets[0]
    headers = [str(c.value) for c in ws[1]]
    number, reason = headers.index("照会番号"), headers.index("理由")
    width = ws.column_dimensions[get_column_letter(reason + 1)].width
    taken = {
        str(row[number]): lines_taken(str(row[reason]), width)
        for row in ws.iter_rows(min_row=2, values_only=True)
    }
    # (The long reasons the check is about: 8 lines since the §10–§12 note moved to a
    # sheet of its own, 22 before.)
    assert max(taken.values()) >= 8
    checked = 0
    for page in pages(printed / "triage.pdf"):
        header = [w.left for w in page if w.text == "理由"]
        if not header:
            continue  # (a page of the columns left of the reasons)
        tops = sorted({round(w.top, 1) for w in page if w.left >= header[0] - 1})
        gaps = [round(b - a, 1) for a, b in itertools.pairwise(tops[1:])]
        line = statistics.mode(gaps)  # (between two lines of a reason)
        rows = sorted((w.top, w.text) for w in page if w.text in taken)
        for (above, _), (top, query) in itertools.pairwise(rows):
            assert (top - above) / line < taken[query] + 1, (query, taken[query])
            checked += 1
    assert checked >= 10


def test_an_empty_sheet_prints_that_it_is(printed: Path) -> None:
    """Each sheet of a triage with nothing to act on, nothing rejected and no query id twice,
    and the hearings with no agency, prints its header and under it the sentence that
    says there is no row, whole on its line, legibly: each printed as its header alone."""
    from cutover.i18n.catalogue import text

    expected = {
        "triage-none": [
            text(f"xlsx.{n}", "ja") for n in ("no-triage-rows", "no-rejected-rows", "no-duplicates")
        ],
        "hearings-none": [text("hearings.none", "ja")],
    }
    for name, sentences in expected.items():
        found = pages(printed / f"{name}.pdf")
        assert [lines(page)[1] for page in found] == sentences, name
        for number, page in enumerate(found, 1):
            assert len(lines(page)) == 3, (name, number)  # (header, sentence, page number)
            assert text_size(page) >= LEGIBLE_POINTS, (name, number)


def test_no_agency_to_chase_prints_so(printed: Path) -> None:
    """The 督促先 sheet with no agency to chase prints its header and, under it, the summary
    page's sentence that there is none, whole on one line, legibly: its header alone
    printed as a run that wrote nothing would."""
    for name, header, words in (
        ("summary-ready", "団体コード", "督促先はない。"),
        ("summary-ready-en", "code", "No agency to chase."),
    ):
        found = pages(printed / f"{name}.pdf")
        shown = lines(found[-1])
        assert shown[0].split()[0] == header, name
        assert shown[1:] == [words, f"{len(found)} / {len(found)}"], name
    assert text_size(pages(printed / "summary-ready.pdf")[-1]) >= LEGIBLE_POINTS
