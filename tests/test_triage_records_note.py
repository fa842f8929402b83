"""§10–§12: a query in error carries the note on its provision record in every triage output."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl

from cutover.cli.main import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "tottori"
ARGS = ["2018-07", "--queries", str(EXAMPLE / "queries.csv"), "--as-of", "2018-06-25"]


def test_section_10_12_note_on_rows_in_error(tmp_path: Path) -> None:
    """§10–§12: rows whose status is `error` say that the 情報提供等記録 and its 開示/不開示
    status need attention before any 追記 — the JSON in a new key `note` (null on other rows,
    `reason` unchanged), the CSV after the row's reason (its columns unchanged), the Markdown
    once under the counts, the workbook once on its own sheet, each such row pointing to it."""
    out = tmp_path / "t.json"
    assert main(["triage", *ARGS, "--format", "json", "--lang", "en", "-o", str(out)]) == 0
    queries = json.loads(out.read_text(encoding="utf-8"))["queries"]
    errors = [q for q in queries if q["status"] == "error"]
    others = [q for q in queries if q["status"] != "error"]
    assert errors
    assert others
    for q in errors:
        assert q["note"].startswith("§10–§12:")
        assert "開示/不開示" in q["note"]
        assert "追記" in q["note"]
        assert "§10" not in q["reason"]
    assert all(q["note"] is None for q in others)

    out = tmp_path / "t.csv"
    assert main(["triage", *ARGS, "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows[0]) == 9
    for r in rows:
        noted = "§10〜§12:" in r["理由"]
        assert noted == (r["状態"] == "エラー")
        assert not noted or "情報提供等記録" in r["理由"]

    out = tmp_path / "t.md"
    assert main(["triage", *ARGS, "--format", "md", "-o", str(out)]) == 0
    markdown = out.read_text(encoding="utf-8")
    assert markdown.count("§10〜§12:") == 1
    assert f"エラーの照会が {len(errors)} 件あります。" in markdown

    # The workbook: once, on a sheet of its own, each error row's reason pointing to it (a
    # note after every such row made it several times as tall as the others: unreadable
    # on screen and on paper).
    book = tmp_path / "t.xlsx"
    assert main(["triage", *ARGS, "--format", "xlsx", "-o", str(book)]) == 0
    workbook = openpyxl.load_workbook(book, read_only=True)
    cells = [
        str(c)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]
    assert sum("§10〜§12:" in c for c in cells) == 1
    assert "§10〜§12:" in str(workbook["注記"]["A2"].value)
    table = list(workbook["要対応の照会"].iter_rows(values_only=True))
    pointed = [r for r in table[1:] if "「注記」シートのとおり" in str(r[-1])]
    assert len(pointed) == len(errors)
    assert all(r[-2] == "エラー" for r in pointed)


def test_note_says_who_does_what_as_section_12_does() -> None:
    """§12: 「情報提供者は、追記の依頼があった際、…不開示に該当する記録である場合は、
    情報照会者へ不開示設定の依頼も併せて行うよう連絡する必要がある」, the request itself
    going 「情報照会者から、情報提供ネットワークシステム運営主体及び情報提供者へ」: the note
    names the provider as the one who checks, and the querier as the one who asks for the
    不開示設定 (and to whom)."""
    from cutover.render.labels import records_note

    ja = records_note("ja")
    assert "情報提供者は、追記の依頼があった際" in ja
    assert "情報照会者へ不開示設定の依頼も併せて行うよう連絡する" in ja
    assert "情報照会者から情報提供NWS運営主体及び情報提供者へ行う" in ja
    en = records_note("en")
    assert "The provider, when asked for an addition, checks" in en
    assert "tells the querier to ask for the non-disclosure setting" in en
    assert "to ask the NWS operator and the provider" in en
