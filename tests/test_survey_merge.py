"""cutover survey merge: returned survey workbooks, filled in as people fill them, read back
and checked together; every agency replied, is listed, or its workbook is refused with why."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from strategies import leaked
from workbooks import count_opens, fill_survey, survey_tasks, with_shared_strings, write_survey

from cutover.calendar.load import calendar_path, load_calendar, parse_calendar
from cutover.calendar.model import RevisionCalendar
from cutover.cli.main import main
from cutover.errors import CutoverError, InputWarning
from cutover.i18n.catalogue import Lang
from cutover.inputs.model import Agency
from cutover.inputs.registry import load_agencies, load_evidence, load_readiness
from cutover.inputs.survey import EVIDENCE_SHEET, META_SHEET, READINESS_SHEET, merge_survey
from cutover.inputs.unreadable import open_workbook
from cutover.jp.vocabulary import Side, Status
from cutover.render.survey import merged_files

AGENCIES = Path(__file__).resolve().parent.parent / "examples" / "tottori" / "agencies.csv"


@pytest.fixture(scope="module")
def calendar() -> RevisionCalendar:
    """The shipped 2018 calendar."""
    return load_calendar("2018-07")


@pytest.fixture(scope="module")
def agencies() -> tuple[Agency, ...]:
    """The shipped example's agencies (鳥取県)."""
    return load_agencies(AGENCIES)


@pytest.fixture(scope="module")
def sent(
    tmp_path_factory: pytest.TempPathFactory,
    calendar: RevisionCalendar,
    agencies: tuple[Agency, ...],
) -> Path:
    """The survey workbooks of every agency but the last, as sent: made once."""
    folder = tmp_path_factory.mktemp("sent")
    for agency in agencies[:-1]:
        write_survey(folder / f"{agency.code}.xlsx", calendar, agency)
    return folder


@pytest.fixture
def returned(tmp_path: Path, sent: Path) -> Path:
    """A folder with the survey workbook of every agency but the last, as sent (a copy of
    `sent`, for the test to fill or spoil)."""
    return Path(shutil.copytree(sent, tmp_path / "returned"))


def test_a_reply_saved_by_excel_is_read(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """A survey workbook filled and saved by Excel or LibreOffice, its text in a shared-string
    table, merges as filled: it was refused as a damaged workbook."""
    prefecture = agencies[0]
    path = returned / f"{prefecture.code}.xlsx"
    fill_survey(path, {("地方税務", "提供"): ("完了", None)}, {})
    with_shared_strings(path)
    merged = merge_survey(calendar, AGENCIES, returned)
    assert not merged.refused
    mine = [r for r in merged.readiness if r.code == prefecture.code]
    assert [(r.system, r.side, r.status) for r in mine] == [
        ("local-tax", Side.PROVISION, Status.DONE)
    ]


def test_filled_values_are_read_back(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """Statuses from the drop-down, dates as date cells and as typed text (2018/6/28),
    tasks by their Japanese names: each reads back as written; blank rows are counted."""
    prefecture = agencies[0]
    task = survey_tasks(calendar, prefecture)[0]
    fill_survey(
        returned / f"{prefecture.code}.xlsx",
        {
            ("地方税務", "提供"): ("完了", None),
            ("地方税務", "照会"): ("予定", "2018/6/28"),
            ("生活保護", "照会"): ("予定", dt.datetime(2018, 6, 20)),
            ("国保", "提供"): ("対象外", None),
        },
        {task: (dt.datetime(2018, 5, 24), "接続検証環境で確認")},
    )
    merged = merge_survey(calendar, AGENCIES, returned)
    mine = [r for r in merged.readiness if r.code == prefecture.code]
    assert [(r.system, r.side, r.status, r.planned) for r in mine] == [
        ("local-tax", Side.PROVISION, Status.DONE, None),
        ("local-tax", Side.QUERY, Status.PLANNED, dt.date(2018, 6, 28)),
        ("public-assistance", Side.QUERY, Status.PLANNED, dt.date(2018, 6, 20)),
        ("nhi", Side.PROVISION, Status.NOT_APPLICABLE, None),
    ]
    ((evidence),) = [e for e in merged.evidence if e.code == prefecture.code]
    assert (evidence.task, evidence.date, evidence.detail) == (
        "inter-agency-test",
        dt.date(2018, 5, 24),
        "接続検証環境で確認",
    )
    rows = 2 * len(calendar.revision.systems)
    assert merged.unanswered[prefecture.code] == rows - 4
    assert [a.code for a in merged.no_reply] == [agencies[-1].code]
    assert not merged.refused
    assert not merged.duplicates
    # The others came back as they were sent: a reply in name only, to chase.
    assert [a.code for a in merged.replied] == [prefecture.code]
    assert [a.code for a in merged.blank] == [a.code for a in agencies[1:-1]]
    assert not merged.complete


def test_a_workbook_returned_blank_is_to_chase(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...], tmp_path: Path
) -> None:
    """A workbook sent back with nothing written in it (no status, no date) is not counted
    as a reply: the summary line and the report name it, like an agency with no reply;
    one date of evidence alone is a reply."""
    first, second = agencies[0], agencies[1]
    task = survey_tasks(calendar, second)[0]
    fill_survey(returned / f"{first.code}.xlsx", {("地方税務", "提供"): ("完了", None)})
    fill_survey(returned / f"{second.code}.xlsx", {}, {task: (dt.datetime(2018, 5, 24), "")})
    out = tmp_path / "merged"
    args = ["survey", "merge", "2018-07", "--agencies", str(AGENCIES), str(returned)]
    assert main([*args, "--out", str(out)]) == 0
    blank = len(agencies) - 3
    report = (out / "report.md").read_text(encoding="utf-8")
    assert f"## 記入のない調査票（{blank}）" in report
    assert f"| {agencies[2].code} | {agencies[2].name} |" in report
    assert f"回答 2、記入のない調査票 {blank}、未回答 1" in report


def test_every_check_across_the_folder(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...], tmp_path: Path
) -> None:
    """A changed locked cell, a file named after another agency, a copy of a workbook, a
    workbook of another calendar, a code not in the registry, a bad date: each workbook
    refused (or doubled) with why, none of its rows merged."""
    a, b, c, d, e = agencies[1:6]
    fill_survey(returned / f"{a.code}.xlsx", edit=[(READINESS_SHEET, "B6", "生活保護")])
    (returned / f"{b.code}.xlsx").rename(returned / "000000.xlsx")
    (returned / f"{c.code} (2).xlsx").write_bytes((returned / f"{c.code}.xlsx").read_bytes())
    fill_survey(returned / f"{d.code}.xlsx", edit=[(META_SHEET, "B2", "2019-11")])
    fill_survey(
        returned / f"{e.code}.xlsx",
        {("地方税務", "照会"): ("予定", "6月8日")},
    )
    stranger = Agency("011002", "札幌市", agencies[1].kind, False, frozenset(), frozenset(), 0)
    write_survey(returned / "011002.xlsx", calendar, stranger)
    merged = merge_survey(calendar, AGENCIES, returned)
    why = {Path(r.file).name: [p.code for p in r.problems] for r in merged.refused}
    assert why[f"{a.code}.xlsx"] == ["survey.locked-changed"]
    assert why["000000.xlsx"] == ["survey.file-name"]
    assert why[f"{c.code} (2).xlsx"] == ["survey.file-name"]
    assert why[f"{d.code}.xlsx"] == ["survey.other-calendar"]
    assert why[f"{e.code}.xlsx"] == ["inputs.no-year-cell"]
    assert why["011002.xlsx"] == ["survey.not-in-registry"]
    (bad_date,) = next(r for r in merged.refused if r.code == e.code).problems
    assert bad_date.text("ja").startswith(f"{returned / e.code}.xlsx:{READINESS_SHEET}!E7: ")
    merged_codes = {r.code for r in merged.readiness} | {r.code for r in merged.replied}
    assert not merged_codes & {a.code, b.code, d.code, e.code, "011002"}
    # Refused workbooks are not "no reply": the report says why instead.
    assert {x.code for x in merged.no_reply} == {agencies[-1].code}


def test_a_cell_s_column_is_named_as_the_sheet_heads_it(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """A bad value in a survey workbook names its column as the clerk sees it in the sheet
    (完了予定日, 実施日), in either language, not by the reader's own name for it
    (``planned``, ``date``), which `Problem.key` keeps for a tool."""
    path = fill_survey(
        returned / f"{agencies[1].code}.xlsx",
        {("地方税務", "照会"): ("予定", "来週")},
        edit=[(EVIDENCE_SHEET, "C4", "昨日")],
    )
    (refusal,) = merge_survey(calendar, AGENCIES, returned).refused
    planned, done = refusal.problems
    assert planned.text("ja").startswith(f"{path}:{READINESS_SHEET}!E7: 完了予定日: 「来週」")
    assert done.text("ja").startswith(f"{path}:{EVIDENCE_SHEET}!C4: 実施日: 「昨日」")
    assert done.text("en").startswith(f"{path}:{EVIDENCE_SHEET}!C4: 実施日: unrecognized date")
    assert (planned.key, done.key) == ("planned", "date")


def test_a_status_not_in_the_list_is_named_at_its_cell(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """A status typed over the drop-down (済) is named at its cell, 改修状況!D7 under 状況,
    as a bad date is, not at the row alone: the clerk is told which cell to choose again."""
    path = fill_survey(
        returned / f"{agencies[1].code}.xlsx",
        {("地方税務", "提供"): ("完了", None), ("地方税務", "照会"): ("済", None)},
    )
    (refusal,) = merge_survey(calendar, AGENCIES, returned).refused
    (problem,) = refusal.problems
    assert problem.text("ja").startswith(f"{path}:{READINESS_SHEET}!D7: 状況: 「済」")
    assert problem.text("en").startswith(f"{path}:{READINESS_SHEET}!D7: 状況: unknown status")


def test_a_blank_cell_is_named_by_the_sheet_s_header(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """A date with no status, a note with no day done: the blank cell is named as the
    sheet heads it (状況, 実施日), not by readiness.csv's and evidence.csv's names."""
    path = fill_survey(
        returned / f"{agencies[1].code}.xlsx",
        {("地方税務", "提供"): ("完了", None)},
        edit=[(READINESS_SHEET, "E7", dt.date(2018, 6, 1)), (EVIDENCE_SHEET, "D4", "来週実施予定")],
    )
    (refusal,) = merge_survey(calendar, AGENCIES, returned).refused
    status, done = refusal.problems
    assert status.text("ja").startswith(f"{path}:{READINESS_SHEET}!D7: 状況 が空欄です — ")
    assert done.text("ja").startswith(f"{path}:{EVIDENCE_SHEET}!C4: 実施日 が空欄です — ")
    assert done.text("en").startswith(f"{path}:{EVIDENCE_SHEET}!C4: 実施日 is blank — ")


def test_planned_without_a_date_is_named_at_the_date_cell(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """予定 chosen with no 完了予定日 is named at the empty date cell (改修状況!E7 under
    完了予定日), in the sheet's words, not at the row with the CSV's column names."""
    path = fill_survey(
        returned / f"{agencies[1].code}.xlsx",
        {("地方税務", "提供"): ("完了", None), ("地方税務", "照会"): ("予定", None)},
    )
    (refusal,) = merge_survey(calendar, AGENCIES, returned).refused
    (problem,) = refusal.problems
    assert problem.text("ja") == (
        f"{path}:{READINESS_SHEET}!E7: 完了予定日: 状況が予定（planned）ですが、完了予定日が"
        "ありません — この行の完了予定日（planned）に、改修が完了する予定の日を書いてください"
    )


def test_a_date_merged_over_several_tasks_is_refused(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """A day done written once in cells merged over three tasks' rows shows on all three,
    but only the first holds it: the workbook is refused at the merged range, not merged
    with two tasks read as not done yet."""
    from openpyxl import load_workbook

    agency = agencies[1]
    path = returned / f"{agency.code}.xlsx"
    fill_survey(path, {("地方税務", "提供"): ("完了", None)})
    book = load_workbook(path)
    book[EVIDENCE_SHEET]["C4"] = dt.datetime(2018, 6, 1)
    book[EVIDENCE_SHEET].merge_cells("C4:C6")
    book.save(path)
    merged = merge_survey(calendar, AGENCIES, returned)
    (refusal,) = merged.refused
    (problem,) = refusal.problems
    assert problem.code == "inputs.workbook-merged-cells"
    assert problem.text("ja").startswith(f"{path}:{EVIDENCE_SHEET}!C4: 結合されたセル C4:C6 ")
    assert agency.code not in {e.code for e in merged.evidence}


def test_a_personal_number_in_a_date_cell_is_said_masked_only(
    returned: Path, agencies: tuple[Agency, ...], tmp_path: Path
) -> None:
    """A personal number typed into 実施日 (a date cell: Excel shows ####) is refused,
    masked, in one line; the command's standard error holds no other line and never the
    number (openpyxl warns of such a cell, in English and with its number)."""
    from openpyxl import load_workbook

    number = "621498320257"
    path = returned / f"{agencies[1].code}.xlsx"
    book = load_workbook(path)
    book[EVIDENCE_SHEET]["C4"] = int(number)
    book[EVIDENCE_SHEET]["C4"].number_format = "yyyy/m/d"
    book.save(path)
    args = ["survey", "merge", "2018-07", "--agencies", str(AGENCIES), str(returned)]
    run = subprocess.run(
        [sys.executable, "-m", "cutover", *args, "--out", str(tmp_path / "merged")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(AGENCIES.parents[2]), "PYTHONWARNINGS": "default"},
    )
    assert run.returncode == 1
    assert number not in run.stderr + run.stdout
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"cutover: {path}:{EVIDENCE_SHEET}!C4: 実施日 の値「6214********」")


@pytest.mark.parametrize("written", ["6214\n9832\n0257", "6214  9832  0257", "6214・9832・0257"])
def test_a_personal_number_written_over_lines_in_a_detail_is_refused(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...], written: str
) -> None:
    """A personal number typed into 内容 with Alt+Enter between its groups (a cell of three
    lines), or two spaces or middle dots, refuses the workbook, masked: it never reaches
    the merged evidence."""
    path = returned / f"{agencies[1].code}.xlsx"
    book = load_workbook(path)
    book[EVIDENCE_SHEET]["D4"] = f"連絡先 {written}"
    book.save(path)
    merged = merge_survey(calendar, AGENCIES, returned)
    (refusal,) = [r for r in merged.refused if r.code == agencies[1].code]
    said = " ".join(p.text("ja") for p in refusal.problems)
    assert "個人番号" in said
    assert "6214********" in said
    assert not leaked(said)
    assert not any(leaked(e.detail) for e in merged.evidence)


def test_reading_replies_leaves_the_process_warnings_filters_alone(
    returned: Path, calendar: RevisionCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reply was opened inside ``warnings.catch_warnings`` with a filter of its own: the
    filters are the process's, so a threaded host changing its own at that moment lost the
    change, and its other threads' openpyxl warnings were hidden meanwhile. The replies are
    read by cutover's own sheet reader, which openpyxl never warns through: the filters are
    the host's while every workbook is opened."""
    import warnings

    from cutover.inputs import survey_reply

    seen: list[bool] = []
    before = list(warnings.filters)

    def opening(raw: Any) -> Any:
        seen.append(warnings.filters == before)
        return open_workbook(raw)

    monkeypatch.setattr(survey_reply, "open_workbook", opening)
    merge_survey(calendar, AGENCIES, returned)
    assert seen
    assert all(seen)


def test_a_reply_saved_in_another_format_is_refused_not_passed_over(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """A workbook sent back as .xlsm (macro-enabled) or .xls (Excel 97-2003) is in the
    folder: it is refused with how to save it again, not passed over as if the agency had
    not replied."""
    macro, old = agencies[1], agencies[2]
    fill_survey(returned / f"{macro.code}.xlsx", {("地方税務", "提供"): ("完了", None)})
    (returned / f"{macro.code}.xlsx").rename(returned / f"{macro.code}.xlsm")
    (returned / f"{old.code}.xlsx").rename(returned / f"{old.code}.xls")
    merged = merge_survey(calendar, AGENCIES, returned)
    why = {Path(r.file).name: (r.code, [p.code for p in r.problems]) for r in merged.refused}
    assert why == {
        f"{macro.code}.xlsm": (macro.code, ["survey.not-xlsx"]),
        f"{old.code}.xls": (old.code, ["survey.not-xlsx"]),
    }
    assert not {macro.code, old.code} & {a.code for a in merged.no_reply}
    (problem,) = next(r for r in merged.refused if r.code == old.code).problems
    assert problem.text("ja").startswith(f"{returned / old.code}.xls: ")
    assert "「.xls」" in problem.text("ja")
    assert "Excel ブック (*.xlsx)" in problem.text("ja")


def test_a_file_named_after_another_agency_or_with_xlsx_twice_says_so(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """Yonago's answers on Tottori's form, saved as Yonago's file: the fix said only to
    rename it Tottori's, which would merge Yonago's answers as Tottori's. It now names both
    and says the other agency may have filled in the wrong form. A name ending .xlsx.xlsx
    (Explorer hiding extensions shows the name asked for) says that."""
    a, b, c = agencies[1:4]
    (returned / f"{b.code}.xlsx").unlink()
    (returned / f"{a.code}.xlsx").rename(returned / f"{b.code}.xlsx")
    (returned / f"{c.code}.xlsx").rename(returned / f"{c.code}.xlsx.xlsx")
    merged = merge_survey(calendar, AGENCIES, returned)
    why = {Path(r.file).name: r.problems for r in merged.refused}
    (other,) = why[f"{b.code}.xlsx"]
    assert other.code == "survey.file-name-other-agency"
    said = other.text("ja")
    assert f"ファイル名は{b.name}（{b.code}）ですが、調査票は{a.name}（{a.code}）のものです" in said
    assert f"{b.name}が{a.name}の調査票に記入して返した可能性があります" in said
    (twice,) = why[f"{c.code}.xlsx.xlsx"]
    assert twice.code == "survey.file-name-twice"
    assert "末尾に .xlsx が2つ付いています" in twice.text("ja")


def test_a_reply_sent_in_an_archive_is_refused_not_passed_over(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """A reply sent as a (password) zip, as municipalities often mail files, saved into the
    folder as it came: passed over without a word, its agency counted as not replied. It is
    refused, saying to extract the workbook."""
    zipped = agencies[1]
    path = returned / f"{zipped.code}.xlsx"
    with zipfile.ZipFile(returned / f"{zipped.code}.zip", "w") as archive:
        archive.write(path, path.name)
    path.unlink()
    merged = merge_survey(calendar, AGENCIES, returned)
    (refusal,) = [r for r in merged.refused if r.code == zipped.code]
    assert [p.code for p in refusal.problems] == ["survey.archive"]
    assert zipped.code not in {a.code for a in merged.no_reply}
    assert "展開し" in refusal.problems[0].text("ja")


def test_replies_put_in_a_folder_inside_are_warned_of_not_passed_over(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """Replies moved into a folder inside the one merged (回収済み) are not read: their
    agencies count as not replied, and a warning names the folder and how many workbooks
    it holds, once; a folder holding none (the merged files, notes) is not warned of."""
    filed = returned / "回収済み"
    filed.mkdir()
    for agency in agencies[1:3]:
        (returned / f"{agency.code}.xlsx").rename(filed / f"{agency.code}.xlsx")
    (filed / f"~${agencies[1].code}.xlsx").write_bytes(b"")  # (Excel's lock file)
    (returned / "merged").mkdir()
    (returned / "merged" / "readiness.csv").write_text("code\n", encoding="utf-8")
    with pytest.warns(InputWarning) as caught:
        merged = merge_survey(calendar, AGENCIES, returned)
    said = [w.message.problem for w in caught if isinstance(w.message, InputWarning)]
    assert [(p.file, p.code, p.params["count"]) for p in said] == [
        (str(filed), "survey.books-in-a-subfolder", 2)
    ]
    assert {agencies[1].code, agencies[2].code} <= {a.code for a in merged.no_reply}
    assert "直下にその団体のブックがなければ未回答" in said[0].text("ja")
    assert "counted as not replied unless a workbook of theirs is there" in said[0].text("en")


def test_a_reply_with_a_password_is_told_so(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...], tmp_path: Path
) -> None:
    """A reply saved with a password to open it (sent by e-mail so, and not opened again
    before it was put in the folder), or an old .xls renamed to .xlsx, is refused with what
    it is and how to save it, in Japanese and English, as the readers tell it: both were
    told as a damaged zip archive, cut short or another file renamed."""
    from workbooks import compound_file

    locked, old = agencies[1], agencies[2]
    (returned / f"{locked.code}.xlsx").write_bytes(
        compound_file(["EncryptionInfo", "EncryptedPackage"])
    )
    (returned / f"{old.code}.xlsx").write_bytes(compound_file(["Workbook"]))
    merged = merge_survey(calendar, AGENCIES, returned)
    why = {r.code: [(p.file, p.code) for p in r.problems] for r in merged.refused}
    assert why == {
        locked.code: [(f"{returned / locked.code}.xlsx", "inputs.workbook-encrypted")],
        old.code: [(f"{returned / old.code}.xlsx", "inputs.workbook-xls")],
    }
    args = ["survey", "merge", "2018-07", "--agencies", str(AGENCIES), str(returned)]
    for lang, said in (
        ("ja", "パスワードで保護（暗号化）されているため読めません"),
        ("en", "password-protected"),
    ):
        out = tmp_path / lang
        assert main(["--lang", lang, *args, "--out", str(out)]) == 1
        report = (out / "report.md").read_text(encoding="utf-8")
        assert said in report
        assert "zip" not in report.lower()


def test_the_report_escapes_a_refused_workbooks_own_name(
    returned: Path, agencies: tuple[Agency, ...], tmp_path: Path
) -> None:
    """A refused workbook (its hidden sheet's code written over) is listed in report.md
    with the name its hidden sheet gives, which may be anything: Markdown is text."""
    agency = agencies[1]
    path = returned / f"{agency.code}.xlsx"
    code = "621498320256"  # (twelve digits, not a personal number: its check digit fails)
    fill_survey(path, edit=[(META_SHEET, "B3", code), (META_SHEET, "B4", "[x](http://e)")])
    out = tmp_path / "merged"
    args = ["survey", "merge", "2018-07", "--agencies", str(AGENCIES), str(returned)]
    assert main([*args, "--out", str(out)]) == 1
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "[x](http://e)" not in report
    assert f"- {agency.code}.xlsx（{code} \\[x\\](http://e)）" in report


@pytest.mark.parametrize("number", ["621498320257", 621498320257, 93325963440])
def test_a_personal_number_in_the_hidden_sheet_refuses_the_workbook(
    returned: Path, agencies: tuple[Agency, ...], tmp_path: Path, number: str | int
) -> None:
    """A personal number written over the hidden sheet's code (as text, or in a number
    cell, its leading zero lost: 093325963440) refuses the workbook as holding one, listed
    under the agency its file name is; neither report.md nor the message shows it."""
    agency = agencies[1]
    path = returned / f"{agency.code}.xlsx"
    fill_survey(path, edit=[(META_SHEET, "B3", number)])
    out = tmp_path / "merged"
    args = ["survey", "merge", "2018-07", "--agencies", str(AGENCIES), str(returned)]
    assert main([*args, "--out", str(out)]) == 1
    report = (out / "report.md").read_text(encoding="utf-8")
    assert str(number) not in report
    assert f"- {agency.code}.xlsx（{agency.code} {agency.name}）" in report
    assert f"{str(number).zfill(12)[:4]}\\*\\*\\*\\*\\*\\*\\*\\*" in report


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("LGWAN-ASP check", "LGWAN-ASP check"),
        ("A&B <test> | [x](y)", "A&B <test> | [x](y)"),
        (" 機関間試験を実施する  ", " 機関間試験を実施する  "),
        ("{{重要}} 機関間試験を実施する {{", "{重要} 機関間試験を実施する {"),
    ],
)
def test_a_task_reads_back_by_its_title_as_written(title: str, shown: str, tmp_path: Path) -> None:
    """A task whose Japanese title is in ASCII alone, has spaces around it, or braces that
    are text, not a field (``{{重要}}``, shown ``{重要}``), named as the evidence sheet
    `survey make` writes it, reads back as its task id: merge takes the workbook (a
    trailing space made the title's pattern fail to compile: exit 70; a brace that is
    text was taken as written, and the workbook refused)."""
    shipped = 'title_ja = "機関間試験を実施する（接続検証環境）"'
    text = calendar_path("2018-07").read_text("utf-8").replace(shipped, f'title_ja = "{title}"', 1)
    path = tmp_path / "calendar.toml"
    path.write_text(text, encoding="utf-8")
    # (The prefecture alone: its workbook is the one filled.)
    agencies = tmp_path / "agencies.csv"
    header, *rows = AGENCIES.read_text(encoding="utf-8").splitlines()
    kept = [header, *(r for r in rows if r.startswith("310000,"))]
    agencies.write_text("\n".join(kept) + "\n", encoding="utf-8")
    out = tmp_path / "books"
    survey = ["survey", "make", str(path), "--agencies", str(agencies), "--out", str(out)]
    assert main([*survey, "--as-of", "2018-05-01"]) == 0
    fill_survey(out / "310000.xlsx", None, {shown: (dt.datetime(2018, 5, 24), "")})
    merged = merge_survey(parse_calendar(text), agencies, out)
    assert not merged.refused
    assert [(e.code, e.task) for e in merged.evidence] == [("310000", "inter-agency-test")]


@pytest.mark.parametrize("control", ["\\r", "\\n", "\\t", "\\u0001"])
def test_a_task_title_on_more_than_one_line_is_refused(tmp_path: Path, control: str) -> None:
    """A task title holding a line break or another control character (TOML's ``\\r``)
    names its task in a survey workbook's locked cell and in evidence files, where it does
    not survive as written (a workbook reads CR back as LF): the calendar is refused at
    that title's key and line, before any workbook is written."""
    shipped = 'title_ja = "機関間試験を実施する（接続検証環境）"'
    text = calendar_path("2018-07").read_text("utf-8")
    text = text.replace(shipped, f'title_ja = "機関間試験を{control}実施する"', 1)
    with pytest.raises(CutoverError) as caught:
        parse_calendar(text, "calendar.toml")
    (problem,) = caught.value.problems
    assert problem.code == "calendar.control-in-title"
    assert str(problem.key).startswith("tasks[")
    assert problem.line == text[: text.index("機関間試験を")].count("\n") + 1
    assert "作業の表題に制御文字" in problem.text("ja")
    assert "a task's title holds the control character" in problem.text("en")


def test_a_cell_holds_a_line_break_as_the_workbook_reads_it_back(tmp_path: Path) -> None:
    """A text cell is written as the workbook's XML reads it back (CR and CRLF as LF): a
    survey workbook's locked cells, recorded as written, then come back unchanged."""
    from openpyxl import Workbook

    from cutover.render.xlsx import text_cell

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    written = [text_cell(t) for t in ("一\r二", "一\r\n二", "一\n二", "一\x01二")]
    for row, value in enumerate(written, start=1):
        sheet.cell(row, 1).value = value
    book.save(tmp_path / "b.xlsx")
    back = load_workbook(tmp_path / "b.xlsx").active
    assert back is not None
    assert [back.cell(row, 1).value for row in range(1, 5)] == written
    assert written[:3] == ["一\n二"] * 3


def test_two_workbooks_for_one_agency_are_both_held_back(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...], tmp_path: Path
) -> None:
    """Two workbooks of one agency (one sent back by another office, in a subfolder copied
    up): neither is merged, both are named."""
    agency = agencies[1]
    other = tmp_path / "other"
    other.mkdir()
    write_survey(other / f"{agency.code}.xlsx", calendar, agency)
    fill_survey(other / f"{agency.code}.xlsx", {("地方税務", "提供"): ("完了", None)})
    (returned / f"{agency.code}.XLSX").write_bytes((other / f"{agency.code}.xlsx").read_bytes())
    merged = merge_survey(calendar, AGENCIES, returned)
    ((doubled, files),) = merged.duplicates
    assert doubled.code == agency.code
    assert sorted(Path(f).name for f in files) == [f"{agency.code}.XLSX", f"{agency.code}.xlsx"]
    assert agency.code not in {r.code for r in merged.readiness}
    # report.md lists the two as the language lists words (an ASCII comma in Japanese too).
    names = [Path(f).name for f in files]
    lists: tuple[tuple[Lang, str], ...] = (("ja", "、".join(names)), ("en", " and ".join(names)))
    for lang, listed in lists:
        report = dict(merged_files(merged, lang))["report.md"]
        assert f"{agency.code} {agency.name}: {listed}" in report


@pytest.mark.parametrize("second", ["{code} (1).xlsx", "{code}_修正.xlsx"])
def test_a_second_workbook_under_another_name_holds_both_back(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...], second: str
) -> None:
    """An agency's workbook saved a second time under another name beside the one named
    after it (a browser's second download, 「312011 (1).xlsx」; a corrected reply): which
    holds its answer is not known, so neither is merged, both are named as the agency's
    workbooks, and the misnamed one is refused for its name. (The one named after the agency
    was merged, whichever held the answer, and the other refused for its name alone.)"""
    agency = agencies[1]
    named = returned / f"{agency.code}.xlsx"
    fill_survey(named, {("地方税務", "提供"): ("完了", None)})
    other = returned / second.format(code=agency.code)
    other.write_bytes(named.read_bytes())
    fill_survey(other, {("地方税務", "提供"): ("予定", dt.date(2018, 6, 20))})
    merged = merge_survey(calendar, AGENCIES, returned)
    ((doubled, files),) = merged.duplicates
    assert doubled.code == agency.code
    assert sorted(files) == sorted([str(named), str(other)])
    assert agency.code not in {r.code for r in merged.readiness}
    assert agency not in merged.replied
    assert agency not in merged.no_reply
    (refusal,) = merged.refused
    assert refusal.file == str(other)
    assert [p.code for p in refusal.problems] == ["survey.file-name"]


def _row_of(folder: Path, code: str) -> int:
    """Return the row of 改修状況 where the agency's 地方税務・照会 is answered."""
    sheet = load_workbook(folder / f"{code}.xlsx")[READINESS_SHEET]
    return next(
        row
        for row in range(1, sheet.max_row + 1)
        if (sheet.cell(row, 2).value, sheet.cell(row, 3).value) == ("地方税務", "照会")
    )


def test_the_command_writes_the_merged_files(
    returned: Path,
    calendar: RevisionCalendar,
    agencies: tuple[Agency, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`survey merge` writes readiness.csv and evidence.csv in the shipped layouts (BOM,
    English headers), each row with the reply's cell it comes from (a warning about a merged
    row names its line in the merged file: that names the cell to look at), which the
    readers read back, and a report naming who did not reply; it prints one Japanese
    summary line."""
    prefecture = agencies[0]
    fill_survey(
        returned / f"{prefecture.code}.xlsx",
        {("地方税務", "照会"): ("予定", dt.date(2018, 6, 28))},
        {survey_tasks(calendar, prefecture)[0]: ("2018/5/24", "")},
    )
    out = tmp_path / "merged"
    code = main(
        [
            "survey",
            "merge",
            "2018-07",
            "--agencies",
            str(AGENCIES),
            str(returned),
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    (line,) = captured.out.splitlines()
    assert line.startswith(f"調査票 {len(agencies) - 1} 件を読みました: ")
    assert "未回答 1 団体" in line
    ready = (out / "readiness.csv").read_text(encoding="utf-8").splitlines()
    assert ready[0] == "\ufeffcode,system,side,status,planned,source"
    row = next(r for r in ready if r.startswith(f"{prefecture.code},local-tax,query,"))
    assert row.endswith(f",{prefecture.code}.xlsx 改修状況!D{_row_of(returned, prefecture.code)}")
    proved = (out / "evidence.csv").read_text(encoding="utf-8").splitlines()
    assert proved[0] == "\ufeffcode,task,date,detail,source"
    assert proved[1].endswith(f",{prefecture.code}.xlsx 実施記録!C4")
    readiness = load_readiness(out / "readiness.csv", agencies)
    assert [(r.code, r.system, r.planned) for r in readiness] == [
        (prefecture.code, "local-tax", dt.date(2018, 6, 28))
    ]
    (evidence,) = load_evidence(out / "evidence.csv", agencies)
    assert (evidence.task, evidence.date) == ("inter-agency-test", dt.date(2018, 5, 24))
    report = (out / "report.md").read_text(encoding="utf-8")
    last = agencies[-1]
    assert f"| {last.code} | {last.name} |" in report
    with (out / "readiness.csv").open(encoding="utf-8-sig", newline="") as stream:
        header = ["code", "system", "side", "status", "planned", "source"]
        assert next(csv.reader(stream)) == header


def test_a_merged_row_names_its_cell_from_a_folder_named_with_a_hash(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...], tmp_path: Path
) -> None:
    """A folder of replies named with a "#" (回収#2) still gives each merged row its cell:
    the sheet follows the last "#" of a row's file (it gave none)."""
    prefecture = agencies[0]
    fill_survey(
        returned / f"{prefecture.code}.xlsx",
        {},
        {survey_tasks(calendar, prefecture)[0]: ("2018/5/24", "")},
    )
    folder = Path(shutil.copytree(returned, tmp_path / "回収#2"))
    files = dict(merged_files(merge_survey(calendar, AGENCIES, folder), "ja"))
    row = files["evidence.csv"].splitlines()[1]
    assert row.endswith(f",{prefecture.code}.xlsx 実施記録!C4")


def test_the_command_exits_1_and_names_a_refused_workbook(
    returned: Path,
    agencies: tuple[Agency, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A refused workbook is one located line on standard error and exit 1; the merged
    files are written all the same, the report saying why."""
    agency = agencies[1]
    fill_survey(returned / f"{agency.code}.xlsx", edit=[(EVIDENCE_SHEET, "A4", "310000")])
    out = tmp_path / "merged"
    code = main(
        [
            "--lang",
            "en",
            "survey",
            "merge",
            "2018-07",
            "--agencies",
            str(AGENCIES),
            str(returned),
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert f"{returned / agency.code}.xlsx: locked cells" in err
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Workbooks refused (1)" in report
    assert "locked cells" in report


def _one_reply(tmp_path: Path, calendar: RevisionCalendar, agency: Agency) -> Path:
    """Return the survey workbook of `agency`, as sent, alone in a folder."""
    folder = tmp_path / "returned"
    folder.mkdir()
    reply = folder / f"{agency.code}.xlsx"
    write_survey(reply, calendar, agency)
    return reply


@pytest.mark.parametrize("damage", ["cut short", "hidden sheet deleted"])
def test_an_unreadable_reply_is_refused_as_its_agency_s_not_as_no_reply(
    calendar: RevisionCalendar, agencies: tuple[Agency, ...], tmp_path: Path, damage: str
) -> None:
    """A returned workbook that cannot be read as a survey workbook (cut short, or its hidden
    sheet deleted) is refused as the reply of the agency it is named after: the agency is
    not also listed as one that did not reply."""
    reply = _one_reply(tmp_path, calendar, agencies[1])
    if damage == "cut short":
        reply.write_bytes(reply.read_bytes()[:900])
    else:
        book = load_workbook(reply)
        del book[META_SHEET]
        book.save(reply)
    merged = merge_survey(calendar, AGENCIES, reply.parent)
    (refusal,) = merged.refused
    assert (refusal.code, refusal.name) == (agencies[1].code, agencies[1].name)
    assert agencies[1].code not in {a.code for a in merged.no_reply}
    assert len(merged.no_reply) == len(agencies) - 1


@pytest.mark.parametrize(
    ("sheet", "code"),
    [(READINESS_SHEET, "survey.missing-sheet"), (META_SHEET, "survey.not-a-survey")],
)
def test_a_chart_sheet_in_a_survey_sheet_s_place_is_that_sheet_missing(
    calendar: RevisionCalendar,
    agencies: tuple[Agency, ...],
    tmp_path: Path,
    sheet: str,
    code: str,
) -> None:
    """A reply whose sheet 改修状況 (or hidden sheet) was deleted and a chart sheet made
    under its name is refused as missing that sheet: it has no cells to read. survey merge
    stopped on an internal error ('Chartsheet' object has no attribute '_shared_strings')."""
    reply = _one_reply(tmp_path, calendar, agencies[1])
    book = load_workbook(reply)
    del book[sheet]
    book.create_chartsheet(sheet)
    book.save(reply)
    merged = merge_survey(calendar, AGENCIES, reply.parent)
    (refusal,) = merged.refused
    assert [p.code for p in refusal.problems] == [code]


@pytest.mark.parametrize("sheet", [META_SHEET, READINESS_SHEET])
def test_a_sheet_whose_dimension_names_no_range_is_refused_as_damaged(
    calendar: RevisionCalendar, agencies: tuple[Agency, ...], tmp_path: Path, sheet: str
) -> None:
    """A sheet's ``<dimension/>`` without its range (a program's mistake) refuses the reply
    as damaged, as it was refused when openpyxl sized every sheet on opening: sized only
    when read, it must not stop the merge on openpyxl's TypeError."""
    reply = _one_reply(tmp_path, calendar, agencies[1])
    with reply.open("rb") as raw:
        part = open_workbook(raw)[sheet]._worksheet_path
    with zipfile.ZipFile(reply) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[part].decode()
    parts[part] = re.sub(r"<dimension [^>]*/>", "<dimension/>", xml, count=1).encode()
    assert parts[part].decode() != xml
    with zipfile.ZipFile(reply, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    merged = merge_survey(calendar, AGENCIES, reply.parent)
    (refusal,) = merged.refused
    assert [p.code for p in refusal.problems] == ["inputs.workbook-corrupt"]


def test_a_reply_cut_short_is_said_in_the_reader_language(
    calendar: RevisionCalendar,
    agencies: tuple[Agency, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A returned workbook cut short (a mail attachment not saved to its end) is refused
    with why in the reader's language, in the message and in the report: never in the zip
    library's English words."""
    reply = _one_reply(tmp_path, calendar, agencies[1])
    reply.write_bytes(reply.read_bytes()[:900])
    args = ["survey", "merge", "2018-07", "--agencies", str(AGENCIES), str(reply.parent)]
    for lang, said in (
        ("ja", "ファイルが途中で切れているか、.xlsx ではないファイルの名前を .xlsx に変えたもの"),
        ("en", "not a whole zip archive (the file was cut short"),
    ):
        out = tmp_path / f"merged-{lang}"
        assert main([*args, "--out", str(out), "--lang", lang]) == 1
        err = capsys.readouterr().err
        report = (out / "report.md").read_text(encoding="utf-8")
        assert f"{reply}: " in err
        assert said in err
        assert said in report
        assert "File is not a zip file" not in err + report


def test_a_reply_the_system_refuses_to_open_is_not_called_damaged(
    calendar: RevisionCalendar,
    agencies: tuple[Agency, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A returned workbook the system will not open (access denied) is refused for that
    reason, in Japanese: not as a damaged workbook, and not in the system's English."""
    reply = _one_reply(tmp_path, calendar, agencies[1])
    opening = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == reply:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return opening(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    args = ["survey", "merge", "2018-07", "--agencies", str(AGENCIES), str(reply.parent)]
    assert main([*args, "--out", str(tmp_path / "merged")]) == 1
    err = capsys.readouterr().err
    assert f"{reply}: ファイルを読めません（アクセスが拒否されました）" in err
    assert "壊れて" not in err
    assert "Permission denied" not in err


@pytest.mark.parametrize("typed", ["6/29", "6月29日"])
def test_a_date_without_its_year_in_a_cell_is_fixed_in_the_cell(
    typed: str, returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """A date typed without its year (6/29) in a workbook's cell is fixed by typing it again
    with its year: the fix spoke of saving a column to CSV, which a clerk never did."""
    path = fill_survey(
        returned / f"{agencies[1].code}.xlsx",
        {("地方税務", "提供"): ("完了", None), ("地方税務", "照会"): ("予定", typed)},
    )
    (refusal,) = merge_survey(calendar, AGENCIES, returned).refused
    (problem,) = refusal.problems
    assert problem.text("ja").startswith(f"{path}:{READINESS_SHEET}!E7: 完了予定日: ")
    for lang in ("ja", "en"):
        fix = problem.describe(lang)[1]
        assert "CSV" not in fix
        assert "2018/6/29" in fix


def test_a_date_as_excel_stores_it_in_a_cell_is_fixed_in_the_cell(
    returned: Path, calendar: RevisionCalendar, agencies: tuple[Agency, ...]
) -> None:
    """A date cell shown as its serial number (43280) is fixed by the cell's format, not
    by how a column is saved to CSV."""
    path = fill_survey(
        returned / f"{agencies[1].code}.xlsx",
        {("地方税務", "提供"): ("完了", None), ("地方税務", "照会"): ("予定", "43280")},
    )
    (refusal,) = merge_survey(calendar, AGENCIES, returned).refused
    (problem,) = refusal.problems
    assert problem.text("ja").startswith(f"{path}:{READINESS_SHEET}!E7: 完了予定日: ")
    for lang in ("ja", "en"):
        fix = problem.describe(lang)[1]
        assert "保存" not in fix
        assert "saving" not in fix
        assert "2018/6/29" in fix


def test_a_problem_repeated_down_a_column_is_told_once_with_its_cells(
    returned: Path,
    calendar: RevisionCalendar,
    agencies: tuple[Agency, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """済 typed in every status cell is told once in full, then one line counting the other
    cells and naming them, in the report and on standard error: it was one identical line
    a cell. The refusal keeps every problem."""
    agency = agencies[1]
    rows = range(6, 22)
    fill_survey(
        returned / f"{agency.code}.xlsx", edit=[(READINESS_SHEET, f"D{r}", "済") for r in rows]
    )
    (refusal,) = merge_survey(calendar, AGENCIES, returned).refused
    assert len(refusal.problems) == len(rows)
    cells = [f"D{r}" for r in rows[1:]]
    for lang, more in (
        ("ja", f"改修状況: ほかに 15 件、同じような問題があります（{'、'.join(cells)}）"),
        ("en", f"改修状況: 15 more of the same problem ({', '.join(cells[:-1])} and {cells[-1]})"),
    ):
        out = tmp_path / lang
        args = ["survey", "merge", "2018-07", "--agencies", str(AGENCIES), str(returned)]
        assert main(["--lang", lang, *args, "--out", str(out)]) == 1
        said = capsys.readouterr().err
        assert more in said
        err = [line for line in said.splitlines() if "済" in line]
        report = (out / "report.md").read_text(encoding="utf-8")
        told = [line for line in report.splitlines() if f"{agency.code}.xlsx:" in line]
        assert len(err) == 1
        assert err[0].startswith(f"cutover: {returned / agency.code}.xlsx:{READINESS_SHEET}!D6: ")
        assert len(told) == 2
        assert "!D6: " in told[0]
        assert more in told[1]


def test_each_workbook_is_opened_once(
    returned: Path,
    calendar: RevisionCalendar,
    agencies: tuple[Agency, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A workbook merged is opened once: its hidden sheet, its locked cells and both its
    sheets' rows are read from it. It was opened three times (once more by the reader of
    each sheet), half of the time of merging a national folder of 1,826."""
    task = survey_tasks(calendar, agencies[0])[0]
    fill_survey(
        returned / f"{agencies[0].code}.xlsx",
        {("地方税務", "提供"): ("完了", None)},
        {task: (dt.datetime(2018, 5, 24), "")},
    )
    opened = count_opens(monkeypatch)
    merged = merge_survey(calendar, AGENCIES, returned)
    assert [a.code for a in merged.replied] == [agencies[0].code]
    assert [e.file for e in merged.evidence] == [
        f"{returned / agencies[0].code}.xlsx#{EVIDENCE_SHEET}"
    ]
    assert opened == {f"{a.code}.xlsx": 1 for a in agencies[:-1]}


def test_each_sheet_of_a_workbook_is_parsed_once(
    returned: Path,
    calendar: RevisionCalendar,
    agencies: tuple[Agency, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rows of 改修状況 and 実施記録 read for their locked cells are the rows their
    readers read, parsed once: each sheet's XML is read once (the hidden sheet's dimension
    in the same pass). Each was parsed twice, and every sheet's start on opening."""
    path = returned / f"{agencies[0].code}.xlsx"
    task = survey_tasks(calendar, agencies[0])[0]
    fill_survey(
        path, {("地方税務", "提供"): ("完了", None)}, {task: (dt.datetime(2018, 5, 24), "")}
    )
    with path.open("rb") as raw:
        hidden = open_workbook(raw)[META_SHEET]._worksheet_path
    parts: list[str] = []
    real_open = zipfile.ZipFile.open

    def open_part(archive: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(str(archive.filename)).name == path.name:
            parts.append(getattr(name, "filename", name))
        return real_open(archive, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_part)
    merged = merge_survey(calendar, AGENCIES, returned)
    assert len(merged.evidence) == 1
    sheets = Counter(p for p in parts if p.startswith("xl/worksheets/"))
    assert len(sheets) == 4
    assert sheets == dict.fromkeys(sheets, 1)
    assert hidden in sheets


def test_a_survey_workbook_given_as_a_table_says_to_merge_it(
    tmp_path: Path, agencies: tuple[Agency, ...]
) -> None:
    """A returned survey workbook given to --readiness (or --agencies) as it is says it is a
    survey workbook to merge: its first sheet, the instructions, was read as a table whose
    header lacked the columns (見出し: 「… 記入方法」), which told the clerk to add them; the
    sheet named after ``#`` is still read as a table. A program is told to give the merged
    files to load_readiness and load_evidence (it was told --readiness and --evidence)."""
    out = tmp_path / "survey"
    assert main(["survey", "make", "2018-07", "--agencies", str(AGENCIES), "--out", str(out)]) == 0
    book = out / f"{agencies[1].code}.xlsx"
    fill_survey(book, {("地方税務", "提供"): ("完了", None)}, {})
    for load, code in (
        (lambda p: load_readiness(p, agencies), "inputs.survey-workbook"),
        # (Given for the agencies, it asks for them in its place first.)
        (load_agencies, "inputs.survey-workbook-for-other"),
    ):
        with pytest.raises(CutoverError) as caught:
            load(book)
        (problem,) = caught.value.problems
        assert problem.code == code
        assert "cutover survey make で作った調査票です" in problem.text("ja")
        assert "cutover survey merge でまとめ" in problem.text("ja")
        assert "with cutover survey merge" in problem.text("en")
        # (A program is told of its functions, not of the command's options.)
        assert "を load_readiness と load_evidence に指定" in problem.text("ja")
        assert "to load_readiness and load_evidence" in problem.text("en")
    assert "ここには調査票の代わりに団体一覧のファイルを指定してください" in problem.text("ja")
    with pytest.raises(CutoverError) as caught:
        load_readiness(f"{book}#{READINESS_SHEET}", agencies)
    assert {p.code for p in caught.value.problems} == {"inputs.blank"}  # (the rows left blank)


def test_a_folder_with_no_workbook_merges_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The wrong folder (a typo of one that exists, the one above) read as no agency having
    replied, exit 0, and replaced the last merge's readiness.csv and evidence.csv with empty
    ones. A folder with no workbook at all writes nothing and says so (exit 1)."""
    folder = tmp_path / "replies"
    folder.mkdir()
    (folder / "memo.txt").write_text("返送分は別フォルダー", encoding="utf-8")
    out = tmp_path / "merged"
    out.mkdir()
    (out / "readiness.csv").write_text("last week's\n", encoding="utf-8")
    args = ["survey", "merge", "2018-07", "--agencies", str(AGENCIES), str(folder)]
    assert main([*args, "--out", str(out), "--lang", "ja"]) == 1
    assert (out / "readiness.csv").read_text(encoding="utf-8") == "last week's\n"
    assert sorted(p.name for p in out.iterdir()) == ["readiness.csv"]
    err = capsys.readouterr().err
    assert f"{folder}: 調査票（.xlsx）が1つもないため、何も書き出していません — " in err
