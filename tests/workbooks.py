"""Workbooks for tests, written with openpyxl as Excel and people write them: the shipped
CSV files as workbooks, survey workbooks following docs/survey.md exactly (as `survey make`
writes them), filled in the way a person does, and the bad workbooks of the corpus."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cutover.calendar.model import RevisionCalendar
from cutover.inputs.model import Agency
from cutover.inputs.survey import (
    EVIDENCE_SHEET,
    META_SHEET,
    READINESS_SHEET,
    SURVEY_FORMAT,
    locked_digest,
)
from cutover.jp.vocabulary import SYSTEMS, Side, system_by_id

Cell = str | int | float | dt.date | dt.datetime | None


def typed(value: str, column: str) -> Cell:
    """Return the cell Excel makes of a CSV value typed in: a date column's ISO date as a
    date cell, a number as a number (codes stay text, as a careful coordinator formats
    them)."""
    if not value:
        return None
    if column in {"planned", "date", "requested"}:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment
    if column in {"item", "records"} and value.isdigit():
        return int(value)
    return value


def csv_to_workbook(
    source: Path,
    target: Path,
    *,
    sheet: str = "Sheet1",
    titles: Sequence[str] = (),
    codes_as_numbers: bool = False,
) -> Path:
    """Write the rows of a CSV file as a workbook's sheet, cells typed as Excel types them;
    `titles` go in rows above the header (then a blank row)."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for title in titles:
        ws.append([title])
    if titles:
        ws.append([])
    with source.open(encoding="utf-8-sig", newline="") as stream:
        rows = csv.reader(stream)
        header = next(rows)
        ws.append(header)
        for row in rows:
            cells: list[Cell] = []
            for name, value in zip(header, row, strict=True):
                cell = typed(value, name)
                if codes_as_numbers and name in {"code", "querier", "provider"} and value.isdigit():
                    cell = int(value)
                cells.append(cell)
            ws.append(cells)
    book.save(target)
    return target


def iso_date_book(path: Path, rows: Sequence[Sequence[Cell]], cell: str, text: str) -> Path:
    """Write `rows` as a workbook whose `cell` (``E2``) is a date cell stored as ISO 8601
    text, ``<c t="d"><v>text</v></c>``, as Excel may write one (openpyxl never does)."""
    book = _book(rows)
    ws = book.active
    assert ws is not None
    ws[cell] = "(iso date placeholder)"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = "xl/worksheets/sheet1.xml"
    placeholder = f'<c r="{cell}" t="inlineStr"><is><t>(iso date placeholder)</t></is></c>'
    assert placeholder.encode() in parts[name]
    parts[name] = parts[name].replace(
        placeholder.encode(), f'<c r="{cell}" t="d"><v>{text}</v></c>'.encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return path


def with_shared_strings(path: Path) -> Path:
    """Rewrite the openpyxl workbook at `path` as Excel and LibreOffice save one: every text
    cell of every sheet names a string in one shared-string table (openpyxl writes each text
    in its cell, ``t="inlineStr"``)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    strings: list[str] = []
    inline = re.compile(
        r'<c r="([A-Z]+[0-9]+)"([^>]*) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>'
    )

    def shared(match: re.Match[str]) -> str:
        strings.append(match[3])
        return f'<c r="{match[1]}"{match[2]} t="s"><v>{len(strings) - 1}</v></c>'

    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = inline.sub(shared, parts[name].decode()).encode()
    assert strings, "no text cell to share"
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        f' count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdShared" Target="sharedStrings.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return path


# --- survey workbooks (docs/survey.md) ------------------------------------------------------------


def survey_rows(calendar: RevisionCalendar, agency: Agency) -> list[tuple[str, str]]:
    """Return the readiness rows of an agency's workbook: (system's Japanese name, side)."""
    return [
        (system_by_id(system).ja, side.label("ja").removeprefix("情報"))
        for system in calendar.revision.systems
        for side in Side
    ]


def survey_tasks(calendar: RevisionCalendar, agency: Agency) -> list[str]:
    """Return the task names of an agency's evidence sheet, in the calendar's order."""
    names = []
    for task in calendar.tasks:
        if task.per == "once":
            names.append(task.title_ja)
        elif task.per == "item":
            for item in sorted(agency.provides):
                found = calendar.item(item)
                item_ja = found.short_ja if found is not None else ""
                names.append(task.title_ja.format(item=item, item_ja=item_ja))
    return names


def write_survey(path: Path, calendar: RevisionCalendar, agency: Agency) -> Path:
    """Write the survey workbook of `agency` as docs/survey.md says `survey make` does."""
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = "記入方法"
    guide.append(["改修状況と実施記録のシートに記入して返送してください。"])
    ws = book.create_sheet(READINESS_SHEET)
    ws.append([f"{calendar.revision.title_ja} システム改修状況調査票"])
    ws.append(["団体コード", agency.code])
    ws.append(["団体名", agency.name])
    ws.append([])
    ws.append(["団体コード", "業務システム", "区分", "状況", "完了予定日", "備考"])
    rows = survey_rows(calendar, agency)
    for system, side in rows:
        ws.append([agency.code, system, side, None, None, None])
    statuses = DataValidation(type="list", formula1='"完了,予定,未着手,対象外"')
    ws.add_data_validation(statuses)
    statuses.add(f"D6:D{5 + len(rows)}")
    for row in range(6, 6 + len(rows)):
        ws.cell(row, 5).number_format = "yyyy/m/d"
    ev = book.create_sheet(EVIDENCE_SHEET)
    ev.append(["実施記録（作業を実施した日を記入してください）"])
    ev.append([])
    ev.append(["団体コード", "作業", "実施日", "内容"])
    tasks = survey_tasks(calendar, agency)
    for task in tasks:
        ev.append([agency.code, task, None, None])
    cells = [
        (READINESS_SHEET, f"{letter}{row}", ws[f"{letter}{row}"].value)
        for row in range(6, 6 + len(rows))
        for letter in "ABC"
    ] + [
        (EVIDENCE_SHEET, f"{letter}{row}", ev[f"{letter}{row}"].value)
        for row in range(4, 4 + len(tasks))
        for letter in "AB"
    ]
    meta = book.create_sheet(META_SHEET)
    for key, value in (
        ("format", SURVEY_FORMAT),
        ("calendar", calendar.id),
        ("code", agency.code),
        ("name", agency.name),
        ("locked", locked_digest(cells)),
        ("rows", f"{READINESS_SHEET}={len(rows)};{EVIDENCE_SHEET}={len(tasks)}"),
    ):
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    book.save(path)
    return path


def fill_survey(
    path: Path,
    readiness: Mapping[tuple[str, str], tuple[str, Cell]] | None = None,
    evidence: Mapping[str, tuple[Cell, str]] | None = None,
    *,
    edit: Iterable[tuple[str, str, Cell]] = (),
    source: Path | None = None,
) -> Path:
    """Fill in a survey workbook as a person does: by (system's Japanese name, side) the
    status and the planned date (a date cell, or text typed as 2018/6/28); by task name the
    date done and a note. `edit` writes any cell (sheet, coordinate, value). With `source`,
    the workbook filled in is that one, saved as `path`."""
    from openpyxl import load_workbook

    book = load_workbook(source or path)
    ws: Worksheet = book[READINESS_SHEET]
    for row in range(6, ws.max_row + 1):
        key = (str(ws.cell(row, 2).value), str(ws.cell(row, 3).value))
        if readiness and key in readiness:
            status, planned = readiness[key]
            ws.cell(row, 4).value = status
            ws.cell(row, 5).value = planned
    ev: Worksheet = book[EVIDENCE_SHEET]
    for row in range(4, ev.max_row + 1):
        task = str(ev.cell(row, 2).value)
        if evidence and task in evidence:
            day, note = evidence[task]
            ev.cell(row, 3).value = day
            ev.cell(row, 4).value = note
    for sheet, coordinate, value in edit:
        book[sheet][coordinate].value = value
    book.save(path)
    return path


def count_opens(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Return, by file name, how many times a zip archive (a workbook) is opened from now
    on: openpyxl opens one for each read of a workbook."""
    opened: dict[str, int] = {}
    original = zipfile.ZipFile.__init__

    def counting(self: zipfile.ZipFile, file: Any, *args: Any, **kwargs: Any) -> None:
        name = Path(getattr(file, "name", file)).name
        opened[name] = opened.get(name, 0) + 1
        original(self, file, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting)
    return opened


# --- compound files: encrypted workbooks and old .xls ------------------------------------------


def compound_file(streams: Sequence[str]) -> bytes:
    """Return a minimal OLE2 compound file (version 3) holding empty streams so named: the
    container of an encrypted .xlsx (EncryptionInfo, EncryptedPackage) or of an .xls
    (Workbook)."""
    end, free, fat = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat_sector = struct.pack("<II", fat, end) + struct.pack("<I", free) * 126

    def entry(name: str, kind: int, child: int = free, right: int = free) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", end, 0)
        )

    entries = [entry("Root Entry", 5, child=1)]
    for n, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, right=n + 1 if n < len(streams) else free))
    directory = b"".join(entries).ljust(512, b"\x00")
    return header + fat_sector + directory


# --- the bad-input corpus (tests/data/bad/cli/workbook-*) ---------------------------------------

_AGENCIES_HEADER = ["code", "name", "kind", "test_requested", "provides", "new_delegations"]
_PERSONAL_NUMBER = "123456789018"  # (its check digit is right: a personal number's shape)


def ready_registry(folder: Path) -> list[str]:
    """Write, under `folder`, a registry of 鳥取県 alone, every system of both sides
    reported done, no test asked for, nothing provided: no agency to chase. Return the
    arguments that give them."""
    (folder / "agencies.csv").write_text(
        "code,name,kind,test_requested,provides,new_delegations\n310000,鳥取県,prefecture,no,,\n",
        encoding="utf-8",
    )
    reports = [f"310000,{s.id},{side},done," for s in SYSTEMS for side in ("provision", "query")]
    (folder / "readiness.csv").write_text(
        "\n".join(["code,system,side,status,planned", *reports, ""]), encoding="utf-8"
    )
    return [
        "--agencies",
        str(folder / "agencies.csv"),
        "--readiness",
        str(folder / "readiness.csv"),
    ]


def _book(rows: Sequence[Sequence[Cell]], title: str = "Sheet1") -> Workbook:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(list(row))
    return book


def _case(root: Path, name: str, command: Sequence[str], expected: Sequence[str]) -> Path:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "command").write_text("\n".join(command) + "\n", encoding="utf-8")
    (folder / "expected").write_text("\n".join(expected) + "\n", encoding="utf-8")
    return folder


def _agencies_workbook() -> bytes:
    """Return a whole workbook of agencies (one row), as bytes."""
    data = io.BytesIO()
    _book([_AGENCIES_HEADER, ["310000", "鳥取県", "都道府県", "", "", ""]]).save(data)
    return data.getvalue()


def _rewritten(whole: bytes, part: str, data: bytes | None) -> bytes:
    """Return the zip archive `whole` with `part` holding `data` instead (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(whole)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
            elif data is not None:
                target.writestr(info, data)
    return out.getvalue()


def _zip_of(files: Mapping[str, str]) -> bytes:
    """Return a zip archive holding `files` (name: text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def _corrupt_sheet(whole: bytes) -> bytes:
    """Return `whole` with bytes of its sheet's compressed data changed (a bad download)."""
    info = zipfile.ZipFile(io.BytesIO(whole)).getinfo("xl/worksheets/sheet1.xml")
    # The local header is 30 bytes, then the name and the extra field, then the data.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 8
    damaged = bytearray(whole)
    for at in range(start, start + 4):
        damaged[at] ^= 0xFF
    return bytes(damaged)


_WORD_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)

#: Workbooks that cannot be read, as the corpus has them: the case's name, the reason it
#: must give (English), the library's words it must not, and how a whole workbook is spoilt.
_UNREADABLE_WORKBOOKS: tuple[tuple[str, str, str, Callable[[bytes], bytes]], ...] = (
    (
        "workbook-zip-without-workbook",
        "it lacks the part '[Content_Types].xml' every workbook has",
        "There is no item named",
        lambda whole: _zip_of({"readme.txt": "not a workbook"}),
    ),
    (
        "workbook-without-its-workbook-part",
        "it lacks the part 'xl/workbook.xml' every workbook has",
        "There is no item named",
        lambda whole: _rewritten(whole, "xl/workbook.xml", None),
    ),
    (
        "workbook-word-document",
        "it holds no Excel workbook (another file, such as a Word",
        "File contains no valid workbook part",
        lambda whole: _zip_of(
            {"[Content_Types].xml": _WORD_CONTENT_TYPES, "word/document.xml": "<w/>"}
        ),
    ),
    (
        "workbook-damaged-data",
        "its compressed data is corrupt (damaged in a download",
        "while decompressing data",
        _corrupt_sheet,
    ),
    (
        "workbook-malformed-xml",
        "an XML part inside it is malformed",
        "no element found",
        lambda whole: _rewritten(whole, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData>"),
    ),
)


def write_corpus(root: Path) -> None:
    """Write the workbook cases of the bad-input corpus under `root` (run by hand:
    ``python tests/workbooks.py``; the files are committed)."""
    validate = ["validate", "2018-07", "--agencies"]
    folder = _case(
        root,
        "workbook-encrypted",
        [*validate, "{case}/agencies.xlsx"],
        [
            "exit 1",
            "{case}/agencies.xlsx: the workbook is password-protected",
            "Encrypt with Password",
        ],
    )
    (folder / "agencies.xlsx").write_bytes(compound_file(["EncryptionInfo", "EncryptedPackage"]))
    folder = _case(
        root,
        "workbook-xls",
        [*validate, "{case}/agencies.xls"],
        [
            "exit 1",
            "{case}/agencies.xls: an Excel 97-2003 workbook (.xls)",
            "Excel Workbook (*.xlsx)",
        ],
    )
    (folder / "agencies.xls").write_bytes(compound_file(["Workbook"]))
    folder = _case(
        root,
        "workbook-corrupt-zip",
        [*validate, "{case}/agencies.xlsx"],
        [
            "exit 1",
            "{case}/agencies.xlsx: the workbook is damaged",
            "not a whole zip archive (the file was cut short",
            "ask the sender for it again",
            "!File is not a zip file",
        ],
    )
    whole = folder / "whole.xlsx"
    _book([_AGENCIES_HEADER, ["310000", "鳥取県", "都道府県", "", "", ""]]).save(whole)
    (folder / "agencies.xlsx").write_bytes(whole.read_bytes()[:900])
    whole.unlink()
    # Each way a file named .xlsx is not a whole workbook, said without the libraries' words.
    for name, reason, said, damage in _UNREADABLE_WORKBOOKS:
        folder = _case(
            root,
            name,
            [*validate, "{case}/agencies.xlsx"],
            ["exit 1", "{case}/agencies.xlsx: the workbook is damaged", reason, f"!{said}"],
        )
        (folder / "agencies.xlsx").write_bytes(damage(_agencies_workbook()))
    folder = _case(
        root,
        "workbook-merged-header",
        [*validate, "{case}/agencies.xlsx", "--readiness", "{case}/readiness.xlsx"],
        [
            "exit 1",
            "{case}/readiness.xlsx:Sheet1:1: merged cells A1:A2, B1:B2 and C1:D1",
            "Unmerge",
        ],
    )
    _book([_AGENCIES_HEADER, ["310000", "鳥取県", "都道府県", "", "", ""]]).save(
        folder / "agencies.xlsx"
    )
    book = _book(
        [
            ["団体コード", "業務システム", "対応状況", None],
            [None, None, "区分", "状況"],
            ["310000", "地方税務", "提供", "完了"],
        ]
    )
    sheet = book.active
    assert sheet is not None
    for cells in ("A1:A2", "B1:B2", "C1:D1"):
        sheet.merge_cells(cells)
    book.save(folder / "readiness.xlsx")
    # Merged below the header: 「yes」 and 「2 21」 written once for two agencies show on both
    # rows, but Excel keeps them in the top cell only: read, the second agency would request
    # no test and provide no item, without a word.
    folder = _case(
        root,
        "workbook-merged-data-cells",
        [*validate, "{case}/agencies.xlsx"],
        [
            "exit 1",
            "{case}/agencies.xlsx:Sheet1!D2: merged cells D2:D3 and E2:E3",
            "other cells read as blank",
            "Unmerge",
        ],
    )
    book = _book(
        [
            _AGENCIES_HEADER,
            ["312011", "鳥取市", "市区町村", "yes", "2 21", ""],
            ["312029", "米子市", "市区町村", None, None, ""],
        ]
    )
    sheet = book.active
    assert sheet is not None
    for cells in ("D2:D3", "E2:E3"):
        sheet.merge_cells(cells)
    book.save(folder / "agencies.xlsx")
    folder = _case(
        root,
        "workbook-formula-without-result",
        [*validate, "{case}/agencies.xlsx"],
        [
            "exit 1",
            "{case}/agencies.xlsx:Sheet1!B3: the cell is a formula (=B2)",
            "open the workbook in Excel and save it",
        ],
    )
    _book(
        [
            _AGENCIES_HEADER,
            ["310000", "鳥取県", "都道府県", "", "", ""],
            ["312011", "=B2", "市区町村", "", "", ""],
        ]
    ).save(folder / "agencies.xlsx")
    folder = _case(
        root,
        "workbook-full-sheet",
        [
            "triage",
            "2018-07",
            "--queries",
            "{case}/queries.xlsx",
            "--as-of",
            "2018-06-29",
            "-o",
            "{case}/triage.csv",
        ],
        ["exit 1", "{case}/queries.xlsx:Sheet1:1048576: the sheet is full", "cut off"],
    )
    _book(
        [
            ["query_id", "querier", "provider", "item", "requested", "status"],
            ["q1", "312011", "310000", 21, dt.datetime(2018, 6, 20, 9, 30), "未提供"],
        ]
    ).save(folder / "queries.xlsx")
    _last_row(folder / "queries.xlsx", ["q2", "312011", "310000", "21", "2018-06-21", "未提供"])
    folder = _case(
        root,
        "workbook-missing-sheet",
        [*validate, "{case}/agencies.xlsx#団体"],
        ["exit 1", "{case}/agencies.xlsx: no sheet '団体'", "'団体一覧'"],
    )
    _book([_AGENCIES_HEADER, ["310000", "鳥取県", "都道府県", "", "", ""]], "団体一覧").save(
        folder / "agencies.xlsx"
    )
    folder = _case(
        root,
        "workbook-personal-number",
        [*validate, "{case}/agencies.xlsx"],
        ["exit 1", "{case}/agencies.xlsx:Sheet1!G2:", "personal number", f"!{_PERSONAL_NUMBER}"],
    )
    _book(
        [
            [*_AGENCIES_HEADER, "メモ"],
            ["310000", "鳥取県", "都道府県", "", "", "", f"担当 {_PERSONAL_NUMBER}"],
        ]
    ).save(folder / "agencies.xlsx")
    triage = ["triage", "2018-07", "--queries", "{case}/queries.xlsx", "--as-of", "2018-06-25"]
    queries_header = ["query_id", "querier", "provider", "item", "requested", "status"]
    folder = _case(
        root,
        "workbook-1904-number-past-9999",
        [*triage, "-o", "{case}/triage.csv"],
        ["exit 1", "{case}/queries.xlsx:Sheet1!E2: requested: bad date '2958000'", "!#VALUE!"],
    )
    # A Mac's Excel counts days from 1904: 2958000 is a date in 1900's system, none in 1904's.
    book = _book([queries_header, ["q1", "312011", "310000", 21, 2958000, "未提供"]])
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet["E2"].number_format = "yyyy/mm/dd"
    book.save(folder / "queries.xlsx")
    folder = _case(
        root,
        "workbook-iso-date-text-personal-number",
        [*triage, "-o", "{case}/triage.csv"],
        [
            "exit 1",
            "{case}/queries.xlsx:Sheet1!E2: requested '2018-06-01T09:00:00.1234********'",
            f"!{_PERSONAL_NUMBER}",
        ],
    )
    iso_date_book(
        folder / "queries.xlsx",
        [queries_header, ["q1", "312011", "310000", 21, None, "未提供"]],
        "E2",
        f"2018-06-01T09:00:00.{_PERSONAL_NUMBER}",
    )


#: The agencies of the survey cases: a prefecture and a city of the example.
_SURVEY_AGENCIES = (
    "code,name,kind,test_requested,provides,new_delegations\n"
    "310000,鳥取県,prefecture,no,2 21,\n"
    "312011,鳥取市,municipality,yes,2 21,\n"
)


def write_survey_corpus(root: Path) -> None:
    """Write the survey cases of the bad-input corpus under `root` (tests/data/bad/cli/
    survey-merge-*): the city's workbook as `survey make` wrote it, returned with one
    mistake each, merged with the prefecture's blank one (run by hand:
    ``python tests/workbooks.py survey``; the files are committed)."""
    import shutil
    import tempfile

    from openpyxl import load_workbook

    from cutover.cli.main import main

    with tempfile.TemporaryDirectory() as scratch:
        made = Path(scratch) / "made"
        (Path(scratch) / "agencies.csv").write_text(_SURVEY_AGENCIES, encoding="utf-8")
        agencies = str(Path(scratch) / "agencies.csv")
        as_of = ["--as-of", "2018-05-01"]
        assert (
            main(["survey", "make", "2018-07", "--agencies", agencies, *as_of, "--out", str(made)])
            == 0
        )
        merge = [
            *("survey", "merge", "2018-07", "{case}/replies"),
            *("--agencies", "{case}/agencies.csv", "--out", "{case}/merged"),
        ]
        edits: dict[str, tuple[Callable[[Path], Path], list[str]]] = {}

        def case(name: str, expected: list[str]) -> Callable[[Callable[[Path], Path]], None]:
            def add(edit: Callable[[Path], Path]) -> None:
                edits[name] = (edit, expected)

            return add

        def edited(path: Path, cells: Mapping[tuple[str, str], Cell], merged: str = "") -> Path:
            book = load_workbook(path)
            for (sheet, coordinate), value in cells.items():
                book[sheet][coordinate] = value
            if merged:
                book[EVIDENCE_SHEET].merge_cells(merged)
            book.save(path)
            return path

        @case(
            "survey-merge-status-not-in-the-list",
            ["exit 1", "{case}/replies/312011.xlsx:改修状況!D6: 状況: ", "'済'"],
        )
        def _status(path: Path) -> Path:
            return edited(path, {(READINESS_SHEET, "D6"): "済"})

        @case(
            "survey-merge-locked-cell-changed",
            ["exit 1", "{case}/replies/312011.xlsx:改修状況!C6: a locked cell", "'照会'"],
        )
        def _locked(path: Path) -> Path:
            return edited(path, {(READINESS_SHEET, "C6"): "照会"})

        @case(
            "survey-merge-code-typed-as-a-number",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:改修状況!A6: the code cell holds '312029'; it must",
                "hold this workbook's code '312011'",
                "!another agency's row",
                "!is missing",
            ],
        )
        def _code_number(path: Path) -> Path:
            # (The sheet unprotected, another code typed into a code cell: a number.)
            return edited(path, {(READINESS_SHEET, "A6"): 312029})

        @case(
            "survey-merge-formula-in-a-locked-cell",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:改修状況!C7: the cell is a formula (=C6) whose",
                "result is not saved",
                "!a locked cell",
            ],
        )
        def _formula(path: Path) -> Path:
            # (A formula typed over a side, saved by a program that keeps no result.)
            return edited(path, {(READINESS_SHEET, "C7"): "=C6"})

        @case(
            "survey-merge-sheet-renamed",
            [
                "exit 1",
                "{case}/replies/312011.xlsx: the survey workbook has no '改修状況' sheet, but a",
                "sheet renamed '改修状況 (2)' — rename the sheet '改修状況 (2)' back to '改修状況'",
            ],
        )
        def _renamed(path: Path) -> Path:
            book = load_workbook(path)
            book[READINESS_SHEET].title = "改修状況 (2)"
            book.save(path)
            return path

        @case(
            "survey-merge-answers-on-a-copied-sheet",
            [
                "exit 1",
                "{case}/replies/312011.xlsx: the sheet '改修状況 (2)' (a copy of the sheet",
                "'改修状況') has answers written on it too",
            ],
        )
        def _copied_sheet(path: Path) -> Path:
            # (The sheet copied, answered on the copy: Excel names it 改修状況 (2).)
            book = load_workbook(path)
            copy = book.copy_worksheet(book[READINESS_SHEET])
            copy.title = "改修状況 (2)"
            copy["D6"] = "完了"
            book.save(path)
            return path

        @case(
            "survey-merge-date-merged-over-tasks",
            ["exit 1", "{case}/replies/312011.xlsx:実施記録!C4: ", "C4:C6"],
        )
        def _merged(path: Path) -> Path:
            return edited(path, {(EVIDENCE_SHEET, "C4"): dt.datetime(2018, 6, 1)}, "C4:C6")

        @case(
            "survey-merge-row-added-below",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:改修状況!A22: row 22 is a second row of",
                "'生活保護 / 照会', as row 9 is",
            ],
        )
        def _added(path: Path) -> Path:
            # (The clerk's copy of row 9's code, system and side below the table, no status.)
            return edited(
                path,
                {
                    (READINESS_SHEET, f"{c}22"): v
                    for c, v in zip("ABC", ("312011", "生活保護", "照会"), strict=True)
                },
            )

        @case(
            "survey-merge-row-of-another-agency",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:改修状況!A22: row 22 is another agency's row",
                "'310000'",
            ],
        )
        def _other_agency(path: Path) -> Path:
            # (A row of the prefecture's workbook, answered, pasted below the city's table.)
            row = ("310000", "地方税務", "提供", "完了")
            return edited(
                path, {(READINESS_SHEET, f"{c}22"): v for c, v in zip("ABCD", row, strict=True)}
            )

        @case(
            "survey-merge-row-deleted",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:改修状況: the row of",
                "'生活保護 / 提供', sent as row 8, is missing",
            ],
        )
        def _deleted(path: Path) -> Path:
            book = load_workbook(path)
            book[READINESS_SHEET].delete_rows(8)
            book.save(path)
            return path

        @case(
            "survey-merge-column-inserted",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:改修状況!C5: the header '業務システム', sent in",
                "column B, is in column C",
            ],
        )
        def _column(path: Path) -> Path:
            # (A column for the clerk in charge, inserted between 団体コード and 業務システム.)
            book = load_workbook(path)
            ws = book[READINESS_SHEET]
            ws.insert_cols(2)
            ws["B5"] = "担当"
            book.save(path)
            return path

        @case(
            "survey-merge-evidence-row-copied",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:実施記録!A5: row 5 is a second row of",
                "as row 4 is",
            ],
        )
        def _copied(path: Path) -> Path:
            # (Row 4 copied and inserted below itself, its day done changed.)
            book = load_workbook(path)
            ws = book[EVIDENCE_SHEET]
            ws.insert_rows(5)
            for column in "AB":
                ws[f"{column}5"] = ws[f"{column}4"].value
            ws["C4"], ws["C5"] = dt.datetime(2018, 5, 24), dt.datetime(2018, 6, 1)
            book.save(path)
            return path

        @case(
            "survey-merge-status-typed-in-the-note",
            [
                "exit 0",
                "{case}/replies/312011.xlsx:改修状況!F6: the note reads '完了', but the status",
                "cell D6 is blank",
                "have the status chosen in D6",
            ],
        )
        def _note(path: Path) -> Path:
            # (The status typed in 備考, 状況 left blank: no answer, said at the note.)
            return edited(path, {(READINESS_SHEET, "F6"): "完了"})

        @case(
            "survey-merge-hidden-sheet-code-changed",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:_cutover!B3: the hidden sheet '_cutover' was",
                "held '312011' when sent, and now holds '312029'",
                "!the file name",
            ],
        )
        def _hidden(path: Path) -> Path:
            return edited(path, {(META_SHEET, "B3"): "312029"})

        @case(
            "survey-merge-personal-number-in-a-code-cell",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:改修状況!A6: A '0933********': a number that is a",
                "!93325963440",
                "!the code cell",
            ],
        )
        def _personal_number_code(path: Path) -> Path:
            # (093325963440 typed over a code cell, a number cell: its leading zero lost.)
            return edited(path, {(READINESS_SHEET, "A6"): 93325963440})

        @case(
            "survey-merge-personal-number-in-the-hidden-sheet",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:_cutover!B3: code '0933********': a number that is a",
                "!93325963440",
                "!the hidden sheet",
            ],
        )
        def _personal_number_hidden(path: Path) -> Path:
            return edited(path, {(META_SHEET, "B3"): 93325963440})

        @case(
            "survey-merge-status-header-renamed",
            [
                "exit 1",
                "{case}/replies/312011.xlsx:改修状況!D5: the header holds",
                "'状況（選択してください）'",
                "it must hold the header sent, '状況'",
                "!missing column",
            ],
        )
        def _header(path: Path) -> Path:
            return edited(path, {(READINESS_SHEET, "D5"): "状況（選択してください）"})

        @case(
            "survey-merge-reply-saved-as-ods",
            ["exit 1", "{case}/replies/312011.ods: ", ".xlsx"],
        )
        def _ods(path: Path) -> Path:
            return path.rename(path.with_suffix(".ods"))

        for name, (edit, expected) in edits.items():
            folder = _case(root, name, merge, expected)
            (folder / "agencies.csv").write_text(_SURVEY_AGENCIES, encoding="utf-8")
            replies = folder / "replies"
            shutil.rmtree(replies, ignore_errors=True)
            shutil.copytree(made, replies)
            edit(replies / "312011.xlsx")


def _last_row(path: Path, values: Sequence[str]) -> None:
    """Add a row at 1,048,576, a sheet's last, to a workbook's first sheet, as Excel writes a
    sparse sheet (the rows between are absent): a full sheet, in a few hundred bytes."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    name = "xl/worksheets/sheet1.xml"
    cells = "".join(
        f'<c r="{letter}1048576" t="inlineStr"><is><t>{value}</t></is></c>'
        for letter, value in zip("ABCDEF", values, strict=False)
    )
    parts[name] = parts[name].replace(
        b"</sheetData>", f'<row r="1048576">{cells}</row></sheetData>'.encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for part, data in parts.items():
            book.writestr(part, data)


if __name__ == "__main__":
    import sys

    CORPUS = Path(__file__).resolve().parent / "data" / "bad" / "cli"
    if sys.argv[1:] == ["survey"]:
        write_survey_corpus(CORPUS)
    else:
        write_corpus(CORPUS)
        write_survey_corpus(CORPUS)
