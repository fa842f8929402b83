"""The workbooks open in a real spreadsheet application: LibreOffice (headless) converts the
plan, triage, summary, hearings and survey workbooks, every sheet to CSV as it shows the
cells, in one call; each cell it shows is the one written (codes with their zeros, dates
shown as Japanese dates, Japanese intact, text never run as a formula).

Skipped, saying so, where LibreOffice is not installed (Debian: libreoffice-calc; `.ci/run`
installs it where it can).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from workbooks import fill_survey

from cutover.cli.main import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc",
)
#: Comma, double quote, UTF-8, from line 1, language of the system, cells as shown, every
#: sheet to a file of its own (LibreOffice 7.2+).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
WEEKDAYS = "月火水木金土日"
AGENCIES = """code,name,kind,test_requested,provides,new_delegations
010006,北海道,prefecture,yes,21,
011002,=札幌市,municipality,yes,2 8 21 52,
"""
QUERIES = """query_id,querier,provider,item,requested,status
=HYPERLINK("http://example.com"),011002,010006,21,2018-06-20T09:30:00,pending
Q2,011002,010006,21,someday,pending
"""


def shown(value: object) -> str:
    """Return a cell's value as a Japanese spreadsheet shows it with cutover's formats."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        day = f"{value.year}年{value.month}月{value.day}日"
        if value.time() == dt.time():
            return f"{day}({WEEKDAYS[value.weekday()]})"
        return f"{day} {value:%H:%M}"
    return str(value)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Write the workbooks, convert them all in one LibreOffice call; return both folders."""
    work = tmp_path_factory.mktemp("libreoffice")
    (work / "agencies.csv").write_text(AGENCIES, encoding="utf-8")
    (work / "queries.csv").write_text(QUERIES, encoding="utf-8")
    books = work / "books"
    registry = ["--agencies", str(work / "agencies.csv"), "--as-of", "2018-06-25"]
    example = [
        "--agencies",
        str(EXAMPLE / "agencies.csv"),
        "--readiness",
        str(EXAMPLE / "readiness.csv"),
        "--evidence",
        str(EXAMPLE / "evidence.csv"),
        "--as-of",
        "2018-06-25",
    ]
    assert main(["plan", "2018-07", *registry, "-o", str(books / "plan.xlsx")]) == 0
    assert main(["summary", "2018-07", *example, "-o", str(books / "summary.xlsx")]) == 0
    assert main(["hearings", "2018-07", *example, "-o", str(books / "hearings.xlsx")]) == 0
    triage = ["triage", "2018-07", "--queries", str(work / "queries.csv"), *registry]
    assert main([*triage, "-o", str(books / "triage.xlsx")]) == 1  # (a rejected row)
    survey = work / "survey"
    assert main(["survey", "make", "2018-07", *registry, "--out", str(survey)]) == 0
    for code in ("010006", "011002"):
        shutil.copy(survey / f"{code}.xlsx", books / f"survey-{code}.xlsx")
    out = work / "csv"
    profile = (work / "profile").as_uri()  # (its own: another LibreOffice may be running)
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(out),
            *sorted(str(p) for p in books.glob("*.xlsx")),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return books, out


def test_every_cell_as_written(converted: tuple[Path, Path]) -> None:
    """Every visible sheet of every workbook shows in LibreOffice the cells written."""
    books, out = converted
    compared = 0
    for path in sorted(books.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        for ws in book.worksheets:
            if ws.sheet_state != "visible":
                continue
            written = [[shown(v) for v in row] for row in ws.iter_rows(values_only=True)]
            found = out / f"{path.stem}-{ws.title}.csv"
            with found.open(encoding="utf-8", newline="") as stream:
                read = list(csv.reader(stream))
            width = max((len(row) for row in written), default=0)
            assert [r + [""] * (width - len(r)) for r in read] == [
                r + [""] * (width - len(r)) for r in written
            ], found.name
            compared += 1
    assert compared >= 10


def test_codes_dates_and_formulas(converted: tuple[Path, Path]) -> None:
    """Spot checks of what the comparison covers: a code keeps its zero, a date shows as a
    Japanese date with its weekday, text that looks like a formula stays text."""
    _, out = converted
    plan = (out / "plan-計画.csv").read_text(encoding="utf-8")
    assert "\n011002,=札幌市,市区町村," in plan
    assert ",2018年6月29日(金)," in plan
    triage = (out / "triage-要対応の照会.csv").read_text(encoding="utf-8")
    assert '=HYPERLINK(""http://example.com"")' in triage
    assert "2018年6月20日 09:30" in triage
    survey = (out / "survey-011002-改修状況.csv").read_text(encoding="utf-8")
    assert "団体コード,011002" in survey
    assert "011002,地方税務,提供,,," in survey


def test_a_survey_workbook_saved_by_libreoffice_merges(
    converted: tuple[Path, Path], tmp_path: Path
) -> None:
    """A survey workbook filled in, then opened and saved by a real spreadsheet (its text
    cells now in a shared-string table, its styles and sheets rewritten), merges back as
    filled; the blank one as blank. Every such workbook was once refused as damaged."""
    books, _ = converted
    filled = tmp_path / "filled"
    filled.mkdir()
    for code in ("010006", "011002"):
        shutil.copy(books / f"survey-{code}.xlsx", filled / f"{code}.xlsx")
    fill_survey(filled / "011002.xlsx", {("地方税務", "提供"): ("完了", None)})
    returned = tmp_path / "returned"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(returned),
            *sorted(str(p) for p in filled.glob("*.xlsx")),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with zipfile.ZipFile(returned / "011002.xlsx") as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()  # (what openpyxl never writes)
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(AGENCIES, encoding="utf-8")
    merged = tmp_path / "merged"
    args = ["survey", "merge", "2018-07", "--agencies", str(agencies), str(returned)]
    assert main([*args, "--out", str(merged)]) == 0
    with (merged / "readiness.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["code"], r["system"], r["side"], r["status"]) for r in rows] == [
        ("011002", "local-tax", "provision", "done")
    ]
