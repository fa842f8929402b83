"""`cutover survey make`: a survey workbook per agency, laid out as the contract with `survey
merge` says (docs/survey.md), read back with openpyxl; the folder written as a whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from workbooks import Cell

from cutover.calendar.load import load_calendar
from cutover.cli.main import main
from cutover.inputs.survey import SURVEY_FORMAT, locked_digest, merge_survey
from cutover.jp.personal_number import holds_personal_number
from cutover.render.sheetlayout import display_width
from cutover.render.survey_book import EVIDENCE_HEADERS, READINESS_HEADERS, STATUSES

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"
SYSTEMS_JA = (
    "地方税務",
    "生活保護",
    "健康管理",
    "児童福祉",
    "障害福祉",
    "介護保険",
    "国保",
    "公営住宅",
)
HOKKAIDO = """code,name,kind,test_requested,provides,new_delegations
010006,北海道,prefecture,yes,21,
011002,札幌市,municipality,yes,2 8 21 52,38
"""


def _make(out: Path, agencies: Path, *more: str) -> int:
    return main(
        ["survey", "make", "2018-07", "--agencies", str(agencies), "--out", str(out), *more]
    )


@pytest.fixture(scope="module")
def example_survey(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder of the example's survey workbooks (written once for the module)."""
    out = tmp_path_factory.mktemp("survey") / "out"
    assert _make(out, EXAMPLE / "agencies.csv", "--as-of", "2018-05-01", "--due", "2018-05-18") == 0
    return out


def test_one_workbook_per_agency(example_survey: Path) -> None:
    """A workbook named by its code for every agency of the registry, and nothing else."""
    codes = [line.split(",")[0] for line in (EXAMPLE / "agencies.csv").read_text().splitlines()]
    assert sorted(p.name for p in example_survey.iterdir()) == sorted(
        f"{code}.xlsx" for code in codes[1:]
    )


def test_the_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command says in one Japanese line how many workbooks it wrote, and where."""
    out = tmp_path / "out"
    assert _make(out, EXAMPLE / "agencies.csv", "--as-of", "2018-05-01") == 0
    assert capsys.readouterr().out == (
        f"{out} に調査票 23 件を書き出しました"
        "（2018-07、8 業務システム × 提供・照会、実施記録は団体により 6〜13 行）\n"
    )


def test_the_summary_line_of_workbooks_of_one_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """When every workbook has as many task rows (a template not yet filled in), the line
    gives that number, not a range from it to itself."""
    out = tmp_path / "out"
    assert main(["init", "--prefecture", "31", "-o", str(tmp_path / "agencies.csv")]) == 0
    capsys.readouterr()
    assert _make(out, tmp_path / "agencies.csv", "--as-of", "2018-05-01") == 0
    assert capsys.readouterr().out == (
        f"{out} に調査票 20 件を書き出しました"
        "（2018-07、8 業務システム × 提供・照会、実施記録 6 行）\n"
    )


def test_the_layout_of_a_workbook(example_survey: Path) -> None:
    """The sheets, title rows, headers, rows, drop-down, date cells and protection of the
    contract; the hidden sheet's keys, digest and row counts."""
    book = openpyxl.load_workbook(example_survey / "312011.xlsx")
    assert book.sheetnames == ["記入方法", "改修状況", "実施記録", "_cutover"]
    assert [ws.sheet_state for ws in book.worksheets] == ["visible"] * 3 + ["veryHidden"]
    instructions = [row[0] for row in book["記入方法"].iter_rows(values_only=True)]
    assert "回答期限: 平成30年5月18日（金）" in instructions
    assert "団体: 鳥取市（団体コード 312011）" in instructions
    assert any(str(line).startswith("5. 記入するのは黄色のセルだけです。") for line in instructions)

    ws = book["改修状況"]
    assert ws["A1"].value == "平成30年7月 データ標準レイアウト改版 システム改修状況調査票"
    assert (ws["A2"].value, ws["B2"].value, ws["B2"].data_type) == ("団体コード", "312011", "s")
    assert (ws["A3"].value, ws["B3"].value) == ("団体名", "鳥取市")
    assert all(cell.value is None for cell in ws[4])
    assert tuple(cell.value for cell in ws[5]) == READINESS_HEADERS
    rows = [tuple(row) for row in ws.iter_rows(min_row=6, values_only=True)]
    assert rows == [
        ("312011", system, side, None, None, None)
        for system in SYSTEMS_JA
        for side in ("提供", "照会")
    ]
    assert ws.protection.sheet
    assert not ws.protection.password
    for row in range(6, 22):
        assert [ws[f"{c}{row}"].protection.locked for c in "ABCDEF"] == [True] * 3 + [False] * 3
        # (The cells to fill in are the yellow ones, as 記入方法 says: no other.)
        assert [ws[f"{c}{row}"].fill.fill_type for c in "ABCDEF"] == [None] * 3 + ["solid"] * 3
        assert ws[f"E{row}"].number_format == "yyyy/m/d"
    (status,) = ws.data_validations.dataValidation
    assert status.type == "list"
    assert status.formula1 == '"' + ",".join(STATUSES) + '"'
    assert str(status.sqref) == "D6:D21"

    ws = book["実施記録"]
    assert ws["A1"].value == "実施記録（作業を実施した日を記入してください）"
    assert tuple(cell.value for cell in ws[3]) == EVIDENCE_HEADERS
    tasks = [str(row[1]) for row in ws.iter_rows(min_row=4, values_only=True)]
    registers = [t for t in tasks if t.endswith("の副本を登録する")]
    assert [t[:8] for t in registers] == [
        "特定個人情報2番",
        "特定個人情報8番",
        "特定個人情報21",
        "特定個人情報52",
    ]
    assert tasks[0] == "機関間試験を実施する（接続検証環境）"
    for row in range(4, 4 + len(tasks)):
        assert [ws[f"{c}{row}"].protection.locked for c in "ABCD"] == [True, True, False, False]
        assert [ws[f"{c}{row}"].fill.fill_type for c in "ABCD"] == [None, None, "solid", "solid"]

    meta = {str(k): str(v) for k, v in book["_cutover"].iter_rows(values_only=True)}
    assert meta["format"] == SURVEY_FORMAT
    assert (meta["calendar"], meta["code"], meta["name"]) == ("2018-07", "312011", "鳥取市")
    assert meta["rows"] == f"改修状況=16;実施記録={len(tasks)}"
    cells = [
        (name, f"{column}{row}", book[name][f"{column}{row}"].value)
        for name, columns, first, count in (
            ("改修状況", "ABC", 6, 16),
            ("実施記録", "AB", 4, len(tasks)),
        )
        for row in range(first, first + count)
        for column in columns
    ]
    canonical = "\n".join(f"{sheet}!{coordinate}={value}" for sheet, coordinate, value in cells)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    assert meta["locked"].replace(":", "") == digest
    assert [len(group) for group in meta["locked"].split(":")] == [8] * 8
    assert meta["locked"] == locked_digest(cells)


def test_a_master_delivery_s_survey_is_not_called_a_layout_revision_s(tmp_path: Path) -> None:
    """The November 2018 master delivery revises no layout: its workbook's title and its date
    say so (they said データ標準レイアウト改版 and 改版の適用開始日), as its other pages do."""
    out = tmp_path / "out"
    args = ["survey", "make", "2018-11", "--agencies", str(EXAMPLE / "agencies.csv")]
    assert main([*args, "--out", str(out), "--as-of", "2018-09-03"]) == 0
    book = openpyxl.load_workbook(out / "312011.xlsx")
    assert book["改修状況"]["A1"].value == "平成30年11月 マスター配信 システム改修状況調査票"
    instructions = [row[0] for row in book["記入方法"].iter_rows(values_only=True)]
    assert "マスター配信の適用開始日: 平成30年11月1日（木）" in instructions
    assert not any("改版" in str(line) for line in instructions)


def test_the_instructions_print_whole(example_survey: Path) -> None:
    """Each line of the instructions sheet wraps in its column, and a line longer than the
    column has a row high enough for its lines: printed or on screen, no instruction is
    cut at the column's edge (「…改修の状況を記入してく」)."""
    ws = openpyxl.load_workbook(example_survey / "312045.xlsx")["記入方法"]
    width = ws.column_dimensions["A"].width
    long_lines = 0
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if not cell.value:
            continue
        assert cell.alignment.wrap_text, cell.coordinate
        lines = -(-display_width(str(cell.value)) // int(width - 4))
        if lines > 1:
            long_lines += 1
            assert (ws.row_dimensions[cell.row].height or 0) >= 15 * lines, cell.coordinate
    assert long_lines >= 3  # (the instructions the check is about)


def test_a_changed_locked_cell_changes_the_digest(example_survey: Path) -> None:
    """Changing any locked cell gives another digest (what merge checks)."""
    book = openpyxl.load_workbook(example_survey / "310000.xlsx")
    ws = book["改修状況"]
    cells = [("改修状況", f"{c}{r}", ws[f"{c}{r}"].value) for r in range(6, 22) for c in "ABC"]
    before = locked_digest(cells)
    cells[4] = ("改修状況", "B7", "生活保護")
    assert locked_digest(cells) != before


def test_merge_names_the_locked_cells_changed(example_survey: Path, tmp_path: Path) -> None:
    """A returned workbook whose locked cells were changed (its protection removed) is
    refused at the first cell changed, with what was sent and what came back, and how many
    others changed: the coordinator can tell the agency which cell, not only that one did."""
    returned = tmp_path / "returned"
    returned.mkdir()
    path = returned / "312011.xlsx"
    path.write_bytes((example_survey / "312011.xlsx").read_bytes())
    book = openpyxl.load_workbook(path)
    sent = book["改修状況"]["C7"].value
    book["改修状況"]["C7"] = "照会" if sent == "提供" else "提供"
    book["実施記録"]["B5"] = "別の作業"
    book.save(path)
    merged = merge_survey(load_calendar("2018-07"), EXAMPLE / "agencies.csv", returned)
    ((problem,),) = [r.problems for r in merged.refused]
    assert problem.code == "survey.locked-cell-changed"
    assert problem.text("ja") == (
        f"{path}:改修状況!C7: 変更できないセル（団体コード・業務システム・区分・作業）が、"
        f"配布したときの「{sent}」から「{book['改修状況']['C7'].value}」に変わっています"
        "（ほかに 1 か所） — 配布した調査票に記入し直してもらってください"
        "（シートの保護を解除して書き換えた可能性があります）"
    )
    assert problem.text("en").startswith(f"{path}:改修状況!C7: a locked cell ")


@given(st.lists(st.tuples(st.just("改修状況"), st.text(max_size=4), st.text(max_size=8))))
def test_no_digest_holds_a_personal_number(cells: list[tuple[str, str, str]]) -> None:
    """Whatever the cells, the digest as written holds nothing a reader would refuse as a
    personal number (a bare hex digest does, one workbook in about fifty)."""
    assert not holds_personal_number(locked_digest(cells))


def test_codes_keep_their_zero_and_items_repeat(tmp_path: Path) -> None:
    """A code of 北海道 keeps its zero as text; a per-item task is one row per item the
    agency provides, a new delegation's item included."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(HOKKAIDO, encoding="utf-8")
    out = tmp_path / "out"
    assert _make(out, agencies, "--as-of", "2018-05-01") == 0
    book = openpyxl.load_workbook(out / "011002.xlsx")
    assert book["改修状況"]["A6"].value == "011002"
    assert book["改修状況"]["A6"].data_type == "s"
    tasks = [str(row[1]) for row in book["実施記録"].iter_rows(min_row=4, values_only=True)]
    assert sum("の副本を登録する" in t for t in tasks) == 5  # 2, 8, 21, 52 and 38


def test_the_folder_is_written_as_a_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second run replaces the folder: a blank workbook of an agency no longer in the
    registry is left out (and said), a file of the user's is kept; the bytes are the same."""
    out = tmp_path / "out"
    agencies = EXAMPLE / "agencies.csv"
    fewer = tmp_path / "agencies.csv"
    fewer.write_text(_without(agencies.read_text(encoding="utf-8"), "313025"), encoding="utf-8")
    assert _make(out, agencies, "--as-of", "2018-05-01") == 0
    (out / "メモ.txt").write_text("残す", encoding="utf-8")
    capsys.readouterr()
    assert _make(out, fewer, "--as-of", "2018-05-01") == 0
    first = (out / "312011.xlsx").read_bytes()
    said = capsys.readouterr().out.splitlines()
    assert (
        said[1] == f"{out / '313025.xlsx'} を除きました: 団体コード 313025 は団体一覧にありません"
    )
    assert not (out / "313025.xlsx").exists()
    assert (out / "メモ.txt").read_text(encoding="utf-8") == "残す"
    assert _make(out, fewer, "--as-of", "2018-05-01") == 0
    assert (out / "312011.xlsx").read_bytes() == first


def _without(registry: str, code: str) -> str:
    """Return the text of an agencies file without the line of `code`."""
    return "".join(line for line in registry.splitlines(keepends=True) if not line.startswith(code))


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


#: What a clerk writes in a workbook: (system, side) → (status, planned date), task →
#: (date done, note), and any cell (sheet, coordinate, value), as `workbooks.fill_survey`
#: takes them.
Filled = tuple[
    dict[tuple[str, str], tuple[str, Cell]] | None,
    dict[str, tuple[Cell, str]] | None,
    list[tuple[str, str, Cell]],
]
FILLED: dict[str, Filled] = {
    "a status": ({("地方税務", "照会"): ("予定", dt.datetime(2018, 6, 28))}, None, []),
    "a status alone": ({("国保", "提供"): ("完了", None)}, None, []),
    "a task's date": (
        None,
        {"機関間試験を実施する（接続検証環境）": (dt.datetime(2018, 5, 24), "")},
        [],
    ),
    "a status that does not read": ({("国保", "提供"): ("たぶん完了", None)}, None, []),
    # (No status: merge reads no row from it, but the note is what the agency typed.)
    "a note in 備考 alone": (None, None, [("改修状況", "F6", "業者に確認中です")]),
    # (A personal number typed over a locked cell, its leading zero lost: the workbook is
    # still a reply someone edited, not a stranger's file.)
    "a personal number over a code cell": (None, None, [("改修状況", "A6", 93325963440)]),
}


def _refused(out: Path, agencies: Path, capsys: pytest.CaptureFixture[str], *more: str) -> str:
    """Run `survey make` again into `out`, which holds a workbook it may not replace: check
    that it stops and leaves the folder as it was; return the one line it says."""
    before = _contents(out)
    capsys.readouterr()
    assert _make(out, agencies, *more) == 1
    assert _contents(out) == before
    (line,) = capsys.readouterr().err.splitlines()
    return line


@pytest.mark.parametrize("filled", FILLED.values(), ids=FILLED.keys())
def test_a_returned_workbook_is_never_replaced(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    filled: Filled,
) -> None:
    """A workbook an agency filled in and the coordinator saved back into the folder stops
    the next `survey make` there before it writes anything: the reply stays byte for byte,
    and one line names it, says it holds answers and what to do, in Japanese and English."""
    from workbooks import fill_survey

    out = tmp_path / "replies"
    # (Two agencies of the example: the rule is the same for 23, each run a third as long.)
    agencies = tmp_path / "agencies.csv"
    lines = (EXAMPLE / "agencies.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    agencies.write_text(
        "".join(lines[:1] + [x for x in lines if x.startswith(("310000", "312011"))]),
        encoding="utf-8",
    )
    assert _make(out, agencies, "--as-of", "2018-05-01") == 0
    readiness, evidence, edit = filled
    fill_survey(out / "312011.xlsx", readiness, evidence, edit=edit)
    line = _refused(out, agencies, capsys, "--as-of", "2018-05-02")
    assert line.startswith(f"cutover: {out / '312011.xlsx'}: 回答が記入されています")
    assert (
        "回収した調査票は別のフォルダーに移してから作り直すか、別の --out を指定してください"
        in line
    )
    line = _refused(out, agencies, capsys, "--as-of", "2018-05-02", "--lang", "en")
    assert line.startswith(f"cutover: {out / '312011.xlsx'}: answers are filled in")
    assert "move the returned workbooks to another folder" in line


def test_an_answer_is_seen_whatever_else_is_as_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A workbook whose parts are byte for byte those `survey make` wrote, but the readiness
    sheet's, which holds an answer, is not taken for an untouched one: the run stops."""
    from workbooks import fill_survey

    out = tmp_path / "replies"
    agencies = EXAMPLE / "agencies.csv"
    assert _make(out, agencies, "--as-of", "2018-05-01") == 0
    made = out / "312011.xlsx"
    filled = fill_survey(tmp_path / "filled.xlsx", {("国保", "提供"): ("完了", None)}, source=made)
    with zipfile.ZipFile(made) as original, zipfile.ZipFile(filled) as answered:
        parts = {name: original.read(name) for name in original.namelist()}
        sheet = "xl/worksheets/sheet2.xml"
        assert answered.read(sheet) != parts[sheet]
        parts[sheet] = answered.read(sheet)
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as spliced:
        for name, data in parts.items():
            spliced.writestr(name, data)
    line = _refused(out, agencies, capsys, "--as-of", "2018-05-02", "--due", "2018-05-25")
    assert line.startswith(f"cutover: {made}: 回答が記入されています")


def test_a_returned_workbook_of_an_agency_left_out_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A filled workbook of an agency no longer in the registry is not removed: the run
    stops, naming it, and the folder is as it was."""
    from workbooks import fill_survey

    out = tmp_path / "replies"
    agencies = EXAMPLE / "agencies.csv"
    fewer = tmp_path / "agencies.csv"
    fewer.write_text(_without(agencies.read_text(encoding="utf-8"), "313025"), encoding="utf-8")
    assert _make(out, agencies, "--as-of", "2018-05-01") == 0
    fill_survey(out / "313025.xlsx", {("介護保険", "提供"): ("完了", None)})
    line = _refused(out, fewer, capsys, "--as-of", "2018-05-01")
    assert line.startswith(f"cutover: {out / '313025.xlsx'}: 回答が記入されています")


def test_a_file_that_is_no_survey_workbook_is_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ``312011.xlsx`` of the user's that is no survey workbook (a workbook of its own,
    or not a workbook at all) stops the run: it stays, and each is named."""
    out = tmp_path / "replies"
    out.mkdir()
    own = openpyxl.Workbook()
    sheet = own.active
    assert sheet is not None
    sheet["A1"] = "鳥取市の作業メモ"
    own.save(out / "312011.xlsx")
    (out / "312029.xlsx").write_text("code,name\n", encoding="utf-8")
    before = _contents(out)
    assert _make(out, EXAMPLE / "agencies.csv", "--as-of", "2018-05-01") == 1
    assert _contents(out) == before
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        str(out / "312011.xlsx"),
        str(out / "312029.xlsx"),
    ]
    assert all("cutover survey make で作った調査票ではありません" in line for line in lines)


def _cut_short(path: Path) -> None:
    """Cut a workbook to half its bytes, as a download or a copy stopped halfway does."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _part_damaged(path: Path) -> None:
    """Damage the compressed data of a workbook's readiness sheet, its directory intact."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        part = archive.getinfo("xl/worksheets/sheet2.xml")
    name, extra = (
        int.from_bytes(data[part.header_offset + 26 : part.header_offset + 28], "little"),
        int.from_bytes(data[part.header_offset + 28 : part.header_offset + 30], "little"),
    )
    start = part.header_offset + 30 + name + extra
    data[start + 10 : start + 40] = bytes(b ^ 0xFF for b in data[start + 10 : start + 40])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("damage", "ja", "en"),
    [
        (_cut_short, "ZIP 形式として読めないため", "not a whole zip archive"),
        (_part_damaged, "中身の圧縮データが壊れているため", "its compressed data is corrupt"),
    ],
    ids=["cut short", "a part damaged"],
)
def test_a_damaged_workbook_is_said_to_be_unreadable(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: Callable[[Path], None],
    ja: str,
    en: str,
) -> None:
    """A workbook in the folder that cannot be read (cut short, or a part damaged: a reply
    damaged on its way back, it may be) stops the run as unreadable, with why, in Japanese
    and English: it was called no workbook made by cutover survey make."""
    out = tmp_path / "survey"
    agencies = EXAMPLE / "agencies.csv"
    assert _make(out, agencies, "--as-of", "2018-05-01") == 0
    path = out / "312011.xlsx"
    damage(path)
    line = _refused(out, agencies, capsys, "--as-of", "2018-05-01")
    assert line.startswith(f"cutover: {path}: このファイルは読めません。{ja}")
    assert "回収した調査票が壊れたものかもしれず" in line
    assert "何も書き出していません — このファイルは別のフォルダーに移すか名前を変えて" in line
    assert "調査票ではありません" not in line
    line = _refused(out, agencies, capsys, "--as-of", "2018-05-01", "--lang", "en")
    assert line.startswith(f"cutover: {path}: the file cannot be read: {en}")
    assert "so nothing was written — move or rename this file" in line
    assert "not a survey workbook" not in line


def test_a_workbook_the_system_refuses_to_read_is_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook in the folder that the system refuses to read (another program holds it)
    is told as that refusal, not as no survey workbook."""
    import errno

    from cutover.inputs.survey import why_not_replaceable

    out = tmp_path / "survey"
    assert _make(out, EXAMPLE / "agencies.csv", "--as-of", "2018-05-01") == 0
    path = out / "312011.xlsx"
    opening = Path.open

    def refused(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return opening(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refused)
    problem = why_not_replaceable(path)
    assert problem is not None
    assert (problem.code, problem.file) == ("inputs.cannot-read", str(path))
    assert "アクセスが拒否されました" in problem.text("ja")


@pytest.mark.parametrize(
    ("streams", "said"),
    [
        (["EncryptionInfo", "EncryptedPackage"], "パスワードで保護（暗号化）されている"),
        (["Workbook"], "Excel 97-2003 ブック（.xls）"),
    ],
)
def test_a_workbook_with_a_password_or_an_old_xls_in_the_folder_is_said_so(
    tmp_path: Path, streams: list[str], said: str
) -> None:
    """A workbook in the folder saved with a password to open it, or an old .xls renamed to
    .xlsx (a reply, either may be), is told as what it is, not as no survey workbook, and
    stays."""
    from workbooks import compound_file

    from cutover.inputs.survey import why_not_replaceable

    path = tmp_path / "312011.xlsx"
    path.write_bytes(compound_file(streams))
    problem = why_not_replaceable(path)
    assert problem is not None
    assert (problem.code, problem.file) == ("survey.make-kept", str(path))
    assert said in problem.text("ja")
    assert "何も書き出していません" in problem.text("ja")
    assert "nothing was written" in problem.text("en")


def test_a_blank_folder_is_made_again(tmp_path: Path) -> None:
    """Blank workbooks are replaced as before, whatever changed since (the day, the due
    date, the language), one opened and saved without an answer, or one of another
    calendar, included: the folder then holds what a first run writes."""
    from workbooks import fill_survey

    agencies = EXAMPLE / "agencies.csv"
    out = tmp_path / "replies"
    assert _make(out, agencies, "--as-of", "2018-05-01") == 0
    fill_survey(out / "312011.xlsx")  # (opened in Excel, saved, nothing written)
    other = tmp_path / "other"
    assert (
        main(["survey", "make", "2018-11", "--agencies", str(agencies), "--out", str(other)]) == 0
    )
    (other / "312029.xlsx").replace(out / "312029.xlsx")
    again = ("--as-of", "2018-05-02", "--due", "2018-05-25", "--lang", "en")
    assert _make(out, agencies, *again) == 0
    fresh = tmp_path / "fresh"
    assert _make(fresh, agencies, *again) == 0
    assert _contents(out) == _contents(fresh)


def test_the_agencies_file_is_never_overwritten(tmp_path: Path) -> None:
    """--out naming a folder that holds the registry as <code>.xlsx is refused first."""
    out = tmp_path / "out"
    out.mkdir()
    agencies = out / "310000.xlsx"
    agencies.write_text((EXAMPLE / "agencies.csv").read_text(encoding="utf-8"), encoding="utf-8")
    assert _make(out, agencies) == 1
    assert agencies.read_text(encoding="utf-8").startswith("code,name,")


def test_survey_alone_lists_its_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    """`cutover survey` without a subcommand shows its help (exit 2, a usage error)."""
    assert main(["survey"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("使い方: cutover survey")
    unwrapped = re.sub(r"\n +", "", err)  # (a line of Japanese wraps between any two characters)
    assert "団体ごとの改修状況調査票 DIR/<団体コード>.xlsx を書き出します" in unwrapped


def test_made_filled_and_merged_back(tmp_path: Path) -> None:
    """The round trip with the real writer: `survey make`, workbooks filled in as people do
    (a status chosen, a date typed as a date or as text, a task's date), one left
    unreturned, a locked cell changed in another; `survey merge` reads back every value,
    names the agency with no reply and refuses the changed workbook."""
    from workbooks import fill_survey

    agencies = EXAMPLE / "agencies.csv"
    out = tmp_path / "survey"
    assert _make(out, agencies, "--as-of", "2018-05-01") == 0
    fill_survey(
        out / "312011.xlsx",
        {
            ("地方税務", "照会"): ("予定", dt.datetime(2018, 6, 28)),
            ("国保", "提供"): ("完了", None),
        },
        {"機関間試験を実施する（接続検証環境）": (dt.datetime(2018, 5, 24), "照会・提供を確認")},
    )
    fill_survey(out / "312029.xlsx", {("公営住宅", "照会"): ("予定", "2018/9/28")})
    fill_survey(out / "312037.xlsx", edit=[("改修状況", "C6", "照会")])
    (out / "313025.xlsx").unlink()
    merged = tmp_path / "merged"
    assert (
        main(
            [
                "survey",
                "merge",
                "2018-07",
                "--agencies",
                str(agencies),
                str(out),
                "--out",
                str(merged),
            ]
        )
        == 1
    )
    # (Each row without its last column, the reply's cell it comes from.)
    readiness = [
        line.rpartition(",")[0]
        for line in (merged / "readiness.csv").read_text(encoding="utf-8-sig").splitlines()
    ]
    assert "312011,local-tax,query,planned,2018-06-28" in readiness
    assert "312011,nhi,provision,done," in readiness
    assert "312029,public-housing,query,planned,2018-09-28" in readiness
    assert not any(line.startswith("312037,") for line in readiness)
    evidence = [
        line.rpartition(",")[0]
        for line in (merged / "evidence.csv").read_text(encoding="utf-8-sig").splitlines()
    ]
    assert "312011,inter-agency-test,2018-05-24,照会・提供を確認" in evidence
    report = (merged / "report.md").read_text(encoding="utf-8")
    assert "313025" in report
    assert "岩美町" in report
    assert "312037" in report


def test_a_workbook_in_the_folder_is_opened_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook already in the folder that is not as made is read once to tell whether it
    may be replaced (its hidden sheet and both its sheets' rows): it was opened three
    times."""
    from workbooks import count_opens, fill_survey

    from cutover.inputs.survey import why_not_replaceable

    out = tmp_path / "replies"
    assert _make(out, EXAMPLE / "agencies.csv", "--as-of", "2018-05-01") == 0
    answered = fill_survey(out / "312011.xlsx", {("国保", "提供"): ("完了", None)})
    resaved = fill_survey(out / "312029.xlsx", {})
    opened = count_opens(monkeypatch)
    problem = why_not_replaceable(answered)
    assert problem is not None
    assert problem.code == "survey.make-answered"
    assert why_not_replaceable(resaved) is None
    assert opened == {"312011.xlsx": 1, "312029.xlsx": 1}


# (Each example writes a survey workbook: 30 of the 91 days cover closed and open days on
# both sides of the survey's date, as the property asks, in a fraction of the time.)
@settings(max_examples=30)
@given(due=st.dates(dt.date(2018, 4, 1), dt.date(2018, 6, 30)))
def test_a_due_date_no_office_can_keep_is_warned_of(due: dt.date) -> None:
    """--due before the survey's date (a month mistyped), or on a closed day (土日・祝日),
    was written on every workbook's instructions without a word; each is now a warning,
    the closed day's with the business day before it. A due date on a business day after
    the survey's date is said nothing of; the workbooks are written either way."""
    import contextlib
    import io
    import tempfile

    from cutover.jp.closed_days import ClosedDays

    closed = ClosedDays()
    as_of = dt.date(2018, 5, 1)
    err = io.StringIO()
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stderr(err):
        agencies = Path(folder) / "agencies.csv"  # (the prefecture alone: one workbook)
        lines = (EXAMPLE / "agencies.csv").read_text(encoding="utf-8").splitlines()[:2]
        agencies.write_text("\n".join(lines) + "\n", encoding="utf-8")
        args = ["survey", "make", "2018-07", "--agencies", str(agencies)]
        args += ["--out", f"{folder}/out", "--as-of", as_of.isoformat(), "--due", due.isoformat()]
        assert main([*args, "--lang", "ja"]) == 0
    said = err.getvalue()
    assert ("調査票の日付 平成30年5月1日（火）（--as-of）より前です" in said) == (due < as_of)
    assert ("（--due）は閉庁日（" in said) == closed.is_closed(due)
    if closed.is_closed(due):
        previous = closed.previous_business_day(due)
        assert f"その前の開庁日は 平成30年{previous.month}月{previous.day}日" in said


@settings(max_examples=20, deadline=None)
@given(due=st.dates(dt.date(2018, 4, 1), dt.date(2018, 8, 31)))
def test_a_program_is_told_of_a_due_date_no_office_can_keep(due: dt.date) -> None:
    """A program that makes the survey (`write_survey`) with a due date on a closed day
    (土日・祝日) or before the survey's date was told nothing (only the command warned): it
    now gets each as an `InputWarning` whose problem carries a stable code, the dates and
    the closure's code; `survey_due_problems` gives the same problems without writing.
    The workbooks are written either way."""
    import tempfile
    import warnings

    import cutover
    from cutover.planning.survey_due import survey_due_problems
    from cutover.render.survey_book import write_survey

    timeline = cutover.build_timeline(cutover.load_calendar("2018-07"))
    rows = (EXAMPLE / "agencies.csv").read_text(encoding="utf-8").splitlines()[:2]
    registry = cutover.load_registry(cutover.InputText("agencies.csv", "\n".join(rows) + "\n"))
    as_of = dt.date(2018, 5, 1)
    the_plan = cutover.plan(timeline, registry, as_of)
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert write_survey(the_plan, Path(folder) / "out", due=due) == []
        assert [p.name for p in (Path(folder) / "out").iterdir()] == ["310000.xlsx"]
    told = [w.message.problem for w in said if isinstance(w.message, cutover.InputWarning)]
    assert [w.filename for w in said] == [__file__] * len(said)  # (said from this call)
    assert told == list(survey_due_problems(the_plan, due))
    codes = [p.code for p in told]
    closure = timeline.closed.closure(due)
    expected = ["survey.make-due-before-as-of"] if due < as_of else []
    expected += ["survey.make-due-closed"] if closure is not None else []
    assert codes == expected
    for problem in told:
        assert problem.params["due"] == due
        if problem.code == "survey.make-due-closed":
            assert closure is not None
            assert problem.params["closure"] == closure.code
            previous = timeline.closed.previous_business_day(due)
            assert problem.params["previous"] == previous
            assert f"その前の開庁日は {cutover.format_wareki(previous)} です" in problem.text("ja")
            assert f"({closure.en})" in problem.text("en")


def test_looking_at_a_workbook_leaves_the_warnings_filters_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`why_not_replaceable` reads a workbook only to look at it, without warning of what it
    reads, and without a filter put in the process's `warnings` filters for the time: there,
    it would hide another thread's `InputWarning`s, or turn off a host's ``"error"`` filter
    for them, while it reads."""
    import warnings

    import cutover.inputs.survey as survey
    from cutover.errors import InputWarning, Problem, warn_input

    out = tmp_path / "survey"
    assert _make(out, EXAMPLE / "agencies.csv", "--as-of", "2018-05-01") == 0
    seen: list[object] = []
    from cutover.inputs.survey_reply import read_answers as reading

    def read_answers(*args: Any) -> Any:
        seen.append(list(warnings.filters))
        warn_input(
            Problem(file="312011.xlsx", code="inputs.codes-restored", params={"columns": ("code",)})
        )
        return reading(*args)

    monkeypatch.setattr(survey, "read_answers", read_answers)
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        before = list(warnings.filters)
        assert survey.why_not_replaceable(out / "312011.xlsx") is None
        assert seen == [before]
        with pytest.raises(InputWarning):  # (outside it, the host's filter holds)
            warn_input(
                Problem(
                    file="312011.xlsx", code="inputs.codes-restored", params={"columns": ("code",)}
                )
            )
