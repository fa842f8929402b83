"""Tests for the outputs of `cutover triage` with --queries given more than once: every line
they list names its file, as the JSON's ``file``/``files`` do; with one file they do not."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from cutover.cli.main import main
from cutover.i18n.catalogue import Lang
from cutover.render.markdown import escape_cell
from cutover.render.triage import write_triage
from cutover.triage import CutoffRule

#: The 2018 cutoff rule: items 2 and 21, 6/30 (Sat) answered by 6/29 (Fri).
RULE = CutoffRule(
    items=frozenset({2, 21}),
    last_provision=date(2018, 6, 30),
    answer_by=date(2018, 6, 29),
    effective=date(2018, 7, 1),
    reissue_from=date(2018, 7, 2),
)
HEADER = "query_id,querier,provider,item,requested,status\n"
#: Q1 is in both files at line 2; each file's line 3 is rejected; A2 and B2 need action.
FILE_A = HEADER + "Q1,310000,312011,2,2018-06-01,pending\nA3,310000,312011,2,2018-13-01,pending\n"
FILE_B = HEADER + "Q1,310000,312011,2,2018-06-05,pending\nB3,310000,312011,2,bad,pending\n"


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    """Return the paths of the two queries files."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(FILE_A, encoding="utf-8")
    b.write_text(FILE_B, encoding="utf-8")
    return [str(a), str(b)]


def markdown(paths: str | list[str], lang: Lang) -> str:
    """Return the Markdown triage of `paths` as of 2018-06-20."""
    out = io.StringIO()
    with write_triage(paths, RULE, date(2018, 6, 20), out, fmt="md", calendar="c", lang=lang):
        pass
    return out.getvalue()


@pytest.mark.parametrize(
    ("lang", "heads"),
    [
        ("ja", ("| ファイル:行番号 | 誤りと直し方 |", "| 照会番号 | ファイル:行番号 |",
                "状態 | 期限 | ファイル:行番号 |")),
        ("en", ("| file:line | problem |", "| query id | file:lines |",
                "status | due | file:line |")),
    ],
)  # fmt: skip
def test_markdown_of_several_files_names_the_file(
    files: list[str], lang: Lang, heads: tuple[str, ...]
) -> None:
    """Rejected rows, duplicated ids and rows to act on say which file their line is in (the
    path as given, escaped for Markdown)."""
    a, b = (escape_cell(f) for f in files)
    text = markdown(files, lang)
    for head in heads:
        assert head in text
    assert f"{heads[0]}\n|---|---|\n" in text  # (file:line aligned left, as text)
    assert f"| {a}:3 | requested: " in text
    assert f"| {b}:3 | requested: " in text
    sep = "、" if lang == "ja" else ", "
    assert f"| Q1 | {a}:2{sep}{b}:2 |" in text
    assert f" | {a}:2 |\n" in text
    assert f" | {b}:2 |\n" in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_markdown_of_one_file_shows_lines_only(files: list[str], lang: Lang) -> None:
    """One file, as a path or a list of one, is shown as before: its lines alone."""
    a = files[0]
    text = markdown(a, lang)
    assert markdown([a], lang) == text
    assert "a.csv" not in text
    assert "| 3 | requested: " in text
    assert (" | 2 |\n") in text


def test_html_and_workbook_of_several_files(
    files: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The HTML page (made from the Markdown) and the workbook's duplicates sheet name the
    file of each line."""
    a, b = files
    argv = ["triage", "2018-07", "--queries", a, "--queries", b, "--as-of", "2018-06-20"]
    page = tmp_path / "t.html"
    assert main([*argv, "--format", "html", "-o", str(page)]) == 1  # (rows rejected)
    html = page.read_text(encoding="utf-8")
    assert f"{a}:3" in html
    assert f"{b}:2" in html
    book = tmp_path / "t.xlsx"
    assert main([*argv, "--format", "xlsx", "-o", str(book), "--lang", "en"]) == 1
    capsys.readouterr()
    sheets = openpyxl.load_workbook(book).worksheets
    cells = [c.value for ws in sheets for row in ws.iter_rows() for c in row]
    assert f"{a}:2, {b}:2" in cells


def test_workbook_of_one_file_lists_lines_only(files: list[str], tmp_path: Path) -> None:
    """With one file, the duplicates sheet lists the lines alone, as before."""
    a = tmp_path / "one.csv"
    a.write_text(HEADER + "Q1,310000,312011,2,2018-06-01,pending\n" * 2, encoding="utf-8")
    book = tmp_path / "t.xlsx"
    argv = ["triage", "2018-07", "--queries", str(a), "--as-of", "2018-06-20"]
    assert main([*argv, "--format", "xlsx", "-o", str(book), "--lang", "en"]) == 0
    sheets = openpyxl.load_workbook(book).worksheets
    cells = [c.value for ws in sheets for row in ws.iter_rows() for c in row]
    assert "2, 3" in cells


def test_a_file_named_after_a_personal_number_is_masked_in_every_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file named after a personal number is masked wherever the report names it, as in
    its rejected rows: the rows to act on and the duplicates showed it whole."""
    a, b = tmp_path / "123456789018.csv", tmp_path / "b.csv"
    a.write_text(FILE_A, encoding="utf-8")
    b.write_text(FILE_B, encoding="utf-8")
    argv = ["triage", "2018-07", "--queries", str(a), "--queries", str(b)]
    argv += ["--as-of", "2018-06-20"]
    page = markdown([str(a), str(b)], "ja")
    assert "123456789018" not in page
    assert page.count(escape_cell("1234********.csv:2")) == 3  # (two lists and duplicates)
    book = tmp_path / "t.xlsx"
    assert main([*argv, "--format", "xlsx", "-o", str(book), "--lang", "en"]) == 1
    capsys.readouterr()
    sheets = openpyxl.load_workbook(book).worksheets
    cells = [str(c.value) for ws in sheets for row in ws.iter_rows() for c in row]
    assert not [cell for cell in cells if "123456789018" in cell]


def test_json_masks_a_personal_number_in_a_file_name_as_its_rejected_rows_do(
    tmp_path: Path,
) -> None:
    """The JSON of a triage of several files gives each row's file, and each duplicate's,
    as its rejected rows do: a personal number in the name masked. A program grouping rows by
    file saw 123456789018.csv for the rows and 1234********.csv for the rejected ones."""
    a, b = tmp_path / "123456789018.csv", tmp_path / "b.csv"
    a.write_text(FILE_A, encoding="utf-8")
    b.write_text(FILE_B, encoding="utf-8")
    out = io.StringIO()
    paths = [str(a), str(b)]
    with write_triage(paths, RULE, date(2018, 6, 20), out, fmt="json", calendar="c"):
        pass
    assert "123456789018" not in out.getvalue()
    found = json.loads(out.getvalue())
    masked = str(tmp_path / "1234********.csv")
    assert {q["file"] for q in found["queries"]} == {masked, str(b)}
    assert {r["file"] for r in found["rejected"]} == {masked, str(b)}
    assert found["duplicates"][0]["files"] == [masked, str(b)]
