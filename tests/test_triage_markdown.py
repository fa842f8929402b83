"""Tests for the Markdown of `cutover triage`: Japanese and English, agency names, the CLI.

The shipped example (examples/tottori) is triaged as of 2018-06-25 (before the cutoff:
17 requests to answer, 2 of them received on Saturday 6/30) and 2018-07-02 (after it: the
same 17 to withdraw and re-issue). Its three associations (318019, 318027, 318035) are not
in the official code list: only agencies.csv names them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cutover.cli.main import main
from cutover.errors import CutoverError
from cutover.i18n.catalogue import Lang
from cutover.render.markdown import escape_cell
from cutover.render.triage import JsonWriter, MarkdownWriter, TriageFormat, write_triage
from cutover.triage import CutoffRule, TriageReport

ROOT = Path(__file__).resolve().parent.parent
TOTTORI = ROOT / "examples" / "tottori"
QUERIES = TOTTORI / "queries.csv"
AGENCIES = TOTTORI / "agencies.csv"

BEFORE = "2018-06-25"
AFTER = "2018-07-02"

UNKNOWN_JA = "名称不明（--agencies で指定）"
FRI_29 = "平成30年6月29日（金）"  # the last business day to answer
SAT_30 = "平成30年6月30日（土）"  # the cutoff, a closed day
MON_2 = "平成30年7月2日（月）"  # the first business day to re-issue (7/1 is a Sunday)
UNKNOWN_EN = "(name unknown: give --agencies)"


def triage_md(capsys: pytest.CaptureFixture[str], as_of: str, *options: str) -> str:
    """Return the Markdown `cutover triage` writes for the example, after checking it exits 0."""
    argv = ["triage", "2018-07", "--queries", str(QUERIES), "--as-of", as_of, "--format", "md"]
    assert main([*argv, *options]) == 0
    return capsys.readouterr().out


def section(text: str, heading: str) -> str:
    """Return the part of `text` from the line `heading` to the next heading of any level."""
    start = text.index(f"\n{heading}\n") + 1
    following = [i for i in (text.find("\n## ", start), text.find("\n### ", start)) if i != -1]
    return text[start : min(following, default=len(text))]


#: The 2018 cutoff rule: items 2 and 21, 6/30 (Sat) answered by 6/29 (Fri).
RULE_2018 = CutoffRule(
    items=frozenset({2, 21}),
    last_provision=date(2018, 6, 30),
    answer_by=date(2018, 6, 29),
    effective=date(2018, 7, 1),
    reissue_from=date(2018, 7, 2),
)


@pytest.fixture
def rule() -> CutoffRule:
    """Return the 2018 cutoff rule (a frozen object: sharing it is safe)."""
    return RULE_2018


# --- Japanese (the default) ------------------------------------------------------------------


def test_japanese_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --lang, the Markdown is Japanese: title, rule and counts, dates in wareki."""
    text = triage_md(capsys, BEFORE)
    assert text.startswith(
        "# 未回答の照会の仕分け（カレンダー 2018-07、基準日 平成30年6月25日（月））\n\n"
        "提供の締切（§6）: 特定個人情報2番・21番について、平成30年6月30日（土）までに受けた"
        "提供の求めには、平成30年6月29日（金）（最終の開庁日）までに情報提供する"
        "（一時入力を含む）。平成30年6月30日（土）当日に受けた求めは、対応できれば当日中に情報提供し、"
        "できなければ情報照会者が必要に応じて取りやめ、平成30年7月1日（日）以降"
        "（開庁日では平成30年7月2日（月）から）に再照会する。"
        "平成30年7月1日（日）以降は情報提供できないため、情報照会者は必要に応じて照会を取りやめ、"
        "平成30年7月1日（日）以降に再照会する（開庁日では平成30年7月2日（月）から）。\n"
    )
    counts = section(text, "## 件数")
    assert "| 読み込んだ行 | 35 |" in counts
    assert "| 締切までに情報提供（provide-by-cutoff） | 17 |" in counts
    assert "| 必要に応じて取りやめ・再照会（withdraw-and-reissue） | 0 |" in counts
    assert "| 締切の規則による処置なし（none） | 18 |" in counts
    # (Nothing is listed below when there is none: the count does not point there.)
    assert "| 読めない行（rejected） | 0 |" in counts
    assert "| 重複した照会番号 | 0 |" in counts
    assert "下記" not in counts
    for english in ("## Counts", "## Providers", "## Queriers", "Due:", "Cutoff rule", "pending"):
        assert english not in text


def test_japanese_provider_section_lists_its_requests_with_due_dates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A provider's section lists its requests, due 6/29 (Fri), or 6/30 if received that Sat."""
    text = triage_md(capsys, BEFORE)
    providers = text.index(
        "## 情報提供者: 期限（原則 平成30年6月29日（金））までに情報提供する提供の求め"
    )
    queriers = text.index("## 情報照会者: 回答待ちの照会（提供の締切 平成30年6月30日（土））")
    assert providers < text.index("### 312029 鳥取県 米子市（3件）") < queriers
    yonago = section(text, "### 312029 鳥取県 米子市（3件）")
    assert yonago.splitlines()[2:] == [
        f"対応: {FRI_29}までに情報提供する（{SAT_30}当日に受けた求めは、対応できれば当日中。"
        f"できなければ情報照会者が必要に応じて取りやめ、平成30年7月1日（日）以降（開庁日では{MON_2}から）に再照会する）。",
        "",
        "| 照会番号 | 情報照会者 | 特定個人情報 | 受付日時（JST） | 状態 | 期限 | 行番号 |",
        "|---|---|---:|---|---|---|---:|",
        f"| Q20180625-0019 | 141003 | 2番 | 2018-06-25 17:45:00 | エラー | {FRI_29} | 20 |",
        f"| Q20180627-0023 | 322032 | 2番 | 2018-06-27 11:11:00 | 未提供 | {FRI_29} | 24 |",
        f"| Q20180630-0032 | 271004 | 2番 | 2018-06-30 10:00:00 | 未提供 | {SAT_30} | 33 |",
    ]
    # A provider with no request received on the Saturday gets no same-day note.
    prefecture = section(text, "### 310000 鳥取県（1件）")
    assert "対応: 平成30年6月29日（金）までに情報提供する。\n" in prefecture
    assert "当日中" not in prefecture
    assert (
        f"| Q20180620-0011 | 313700 | 21番 | 2018-06-20 16:02:00 | 未提供 | {FRI_29} | 12 |"
        in prefecture
    )


def test_japanese_querier_sections_before_and_after_the_cutoff(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Before 7/1 a querier's queries wait for an answer; from 7/2 they are withdrawn."""
    before = triage_md(capsys, BEFORE)
    osaka = section(before, "### 271004 大阪府 大阪市（2件）")
    assert (
        "対応: 平成30年6月30日（土）までに提供されなければ、必要に応じて取りやめ、"
        "平成30年7月1日（日）以降に再照会する（開庁日では平成30年7月2日（月）から）。" in osaka
    )
    assert "| 照会番号 | 情報提供者 | 特定個人情報 | 照会日時（JST） | 状態 | 行番号 |" in osaka
    assert "| Q20180630-0032 | 312029 | 2番 | 2018-06-30 10:00:00 | 未提供 | 33 |" in osaka

    after = triage_md(capsys, AFTER)
    assert "## 情報提供者" not in after
    heading = "## 情報照会者: 必要に応じて取りやめ、平成30年7月1日（日）以降に再照会する照会\n"
    assert heading in after
    assert "| 締切までに情報提供（provide-by-cutoff） | 0 |" in after
    assert "| 必要に応じて取りやめ・再照会（withdraw-and-reissue） | 17 |" in after
    union = section(after, f"### 318035 {UNKNOWN_JA}（6件）")
    assert (
        "対応: 必要に応じて取りやめ、平成30年7月1日（日）以降に再照会する"
        "（開庁日では平成30年7月2日（月）から）。" in union
    )
    assert union.count("\n| Q2018") == 6
    assert "| Q20180630-0033 | 312011 | 2番 | 2018-06-30 23:59:59 | 未提供 | 34 |" in union


def test_japanese_associations_without_agencies_carry_a_note(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without --agencies, an association shows its code and a note, never a blank name."""
    text = triage_md(capsys, BEFORE)
    counts = section(text, "## 団体・特定個人情報ごとの件数")
    assert (
        "| 団体コード | 団体名 | 特定個人情報 | 締切までに情報提供（情報提供者として） "
        "| 回答待ち（情報照会者として） "
        "| 必要に応じて取りやめ・再照会（情報照会者として） |" in counts
    )
    assert f"| 318019 | {UNKNOWN_JA} | 2番 | 0 | 1 | 0 |" in counts
    assert f"| 318027 | {UNKNOWN_JA} | 2番 | 0 | 2 | 0 |" in counts
    assert f"| 318035 | {UNKNOWN_JA} | 2番 | 0 | 6 | 0 |" in counts
    assert "|  |" not in text
    # Municipalities and prefectures keep their names from the official code list.
    assert "| 312029 | 鳥取県 米子市 | 2番 | 3 | 0 | 0 |" in counts
    assert "| 310000 | 鳥取県 | 21番 | 1 | 0 | 0 |" in counts
    assert f"### 318035 {UNKNOWN_JA}（6件）\n" in text


def test_japanese_names_from_agencies(capsys: pytest.CaptureFixture[str]) -> None:
    """With --agencies, its names come first; codes it lacks keep their official names."""
    text = triage_md(capsys, BEFORE, "--agencies", str(AGENCIES))
    assert UNKNOWN_JA not in text
    counts = section(text, "## 団体・特定個人情報ごとの件数")
    assert "| 318019 | 鳥取中部ふるさと広域連合 | 2番 | 0 | 1 | 0 |" in counts
    assert "| 318027 | 南部箕蚊屋広域連合 | 2番 | 0 | 2 | 0 |" in counts
    assert "| 318035 | 鳥取県後期高齢者医療広域連合 | 2番 | 0 | 6 | 0 |" in counts
    # agencies.csv writes 米子市; a code it does not list (横浜市) takes the official name.
    assert "| 312029 | 米子市 | 2番 | 3 | 0 | 0 |" in counts
    assert "| 141003 | 神奈川県 横浜市 | 2番 | 0 | 1 | 0 |" in counts
    assert "### 312029 米子市（3件）\n" in text
    assert "### 318035 鳥取県後期高齢者医療広域連合（6件）\n" in text
    assert "### 318019 鳥取中部ふるさと広域連合（1件）\n" in text


def test_agencies_in_cp932_are_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An agencies.csv saved by Excel as Shift_JIS (cp932) names the agencies, as for `plan`."""
    agencies = tmp_path / "agencies-sjis.csv"
    agencies.write_bytes(AGENCIES.read_text(encoding="utf-8").encode("cp932"))
    text = triage_md(capsys, BEFORE, "--agencies", str(agencies))
    assert "### 318027 南部箕蚊屋広域連合（2件）\n" in text


def test_rejected_and_duplicated_rows_in_japanese(rule: CutoffRule) -> None:
    """Rejected rows and duplicated ids have their own Japanese sections, each problem in
    Japanese (and in English in the English report)."""
    rows = [
        {"query_id": "Q1", "querier": "131016", "provider": "011002", "item": "2",
         "requested": "2018-06-28T10:00:00", "status": "pending"},
        {"query_id": "Q1", "querier": "131016", "provider": "011002", "item": "21",
         "requested": "2018-06-28T11:00:00", "status": "エラー"},
        {"query_id": "Q3", "querier": "13101", "provider": "011002", "item": "2",
         "requested": "2018-06-28", "status": "pending"},
    ]  # fmt: skip
    out = io.StringIO()
    with write_triage(rows, rule, date(2018, 6, 29), out, fmt="md", calendar="2018-07"):
        pass
    text = out.getvalue()
    assert "| 読めない行（rejected、下記） | 1 |" in text
    assert "| 重複した照会番号（下記） | 1 |" in text
    rejected = section(text, "## 読めない行")
    assert "| 行番号 | 誤りと直し方 |" in rejected
    assert (
        "| 3 | querier: コード「13101」は5桁です — 検査数字が抜けているのであれば、"
        "「131016」（東京都 千代田区）です。6桁すべてを書き、列の書式を文字列にしてください |"
    ) in rejected
    english = io.StringIO()
    with write_triage(rows, rule, date(2018, 6, 29), english, fmt="md", calendar="c", lang="en"):
        pass
    assert "| 3 | querier: code '13101' has 5 digits — the check digit is missing: " in (
        section(english.getvalue(), "## Rejected rows")
    )
    duplicates = section(text, "## 重複した照会番号")
    assert "| Q1 | 1、2 |" in duplicates
    sapporo = section(text, "### 011002 北海道 札幌市（2件）")
    assert (
        "| Q1 | 131016 | 21番 | 2018-06-28 11:00:00 | エラー | 平成30年6月29日（金） | 2 |"
        in sapporo
    )


# --- English -----------------------------------------------------------------------------------


def test_english_provider_section(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang en writes the English report, ISO dates, 6/30 as due for a request that day."""
    text = triage_md(capsys, BEFORE, "--lang", "en")
    assert text.startswith("# Query triage: calendar 2018-07, as of 2018-06-25\n\n")
    assert "## Providers (情報提供者): requests to answer by 2018-06-29\n" in text
    yonago = section(text, "### 312029 鳥取県 米子市 (3)")
    assert (
        "Due: answer by 2018-06-29; one received on 2018-06-30 itself, that day if anyone can, "
        "otherwise the querier withdraws it as needed and re-issues it on or after 2018-07-01 "
        "(from 2018-07-02)."
    ) in yonago
    assert (
        "| Q20180630-0032 | 271004 | 2 | 2018-06-30 10:00:00 | pending (未提供) | 2018-06-30 | 33 |"
        in yonago
    )
    assert (
        "| Q20180625-0019 | 141003 | 2 | 2018-06-25 17:45:00 | error (エラー) | 2018-06-29 | 20 |"
        in yonago
    )
    assert "| rows read | 35 |" in text
    assert "平成" not in text
    assert "件" not in text


def test_english_association_names(capsys: pytest.CaptureFixture[str]) -> None:
    """In English too: a note without --agencies, agencies.csv's names with it."""
    without = triage_md(capsys, BEFORE, "--lang", "en")
    assert f"| 318035 | {UNKNOWN_EN} | 2 | 0 | 6 | 0 |" in without
    assert f"### 318035 {UNKNOWN_EN} (6)\n" in without
    assert "|  |" not in without
    with_names = triage_md(capsys, AFTER, "--lang", "en", "--agencies", str(AGENCIES))
    assert UNKNOWN_EN not in with_names
    assert "| 318035 | 鳥取県後期高齢者医療広域連合 | 2 | 0 | 0 | 6 |" in with_names
    assert "### 318027 南部箕蚊屋広域連合 (2)\n" in with_names
    assert (
        "Due: withdraw as needed; re-issue on or after 2018-07-01 (first business day 2018-07-02)."
    ) in with_names


# --- names are escaped ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_agency_names_are_escaped(rule: CutoffRule, lang: Lang) -> None:
    """A name from agencies.csv cannot split a table cell or inject markup."""
    name = "千代田区|<b>x</b>[link](http://e.example)"
    rows = [
        {"query_id": "Q1", "querier": "131016", "provider": "011002", "item": "2",
         "requested": "2018-06-28T10:00:00", "status": "pending"},
    ]  # fmt: skip
    out = io.StringIO()
    with write_triage(
        rows,
        rule,
        date(2018, 6, 29),
        out,
        fmt="md",
        calendar="2018-07",
        lang=lang,
        agency_names={"131016": name},
    ):
        pass
    text = out.getvalue()
    escaped = escape_cell(name)
    assert escaped != name
    assert f"| 131016 | {escaped} | " in text
    assert f"### 131016 {escaped}" in text
    assert name not in text
    assert "<b>" not in text
    # The provider is not in the mapping: its official name.
    assert "### 011002 北海道 札幌市" in text


def test_unknown_language_is_refused(rule: CutoffRule) -> None:
    """The library refuses a language it does not speak, naming the ones it does."""
    with pytest.raises(CutoverError) as caught:
        MarkdownWriter(
            io.StringIO(), calendar="2018-07", rule=rule, as_of=date(2018, 6, 29), lang="fr"
        )
    assert caught.value.text("en") == "unknown language 'fr' — use 'ja' or 'en'"
    for fmt in ("csv", "json", "md"):
        with pytest.raises(CutoverError):
            write_triage(
                [],
                rule,
                date(2018, 6, 29),
                io.StringIO(),
                fmt=fmt,
                calendar="c",
                lang="fr",  # type: ignore[arg-type]
            )


# --- the command line --------------------------------------------------------------------------


def test_unknown_lang_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang takes ja or en only: anything else is a usage error (exit 2)."""
    argv = ["triage", "2018-07", "--queries", str(QUERIES), "--as-of", BEFORE, "--format", "md"]
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--lang", "fr"])
    assert exc.value.code == 2
    assert "「fr」は指定できません" in capsys.readouterr().err


#: Bad agencies files, and the message that follows the file's path.
BAD_AGENCIES = {
    "five-digit-code.csv": (
        "code,name,kind,test_requested,provides,new_delegations\n"
        "31201,鳥取市,municipality,yes,2,\n",
        ":2: code: code '31201' has 5 digits — the check digit is missing: "
        "'312011' (鳥取県 鳥取市)",
    ),
    "missing-columns.csv": (
        "code,name\n318035,鳥取県後期高齢者医療広域連合\n",
        ":1: missing column(s) kind, test_requested, provides and new_delegations in header "
        "'code,name'",
    ),
    "bad-kind.csv": (
        "code,name,kind,test_requested,provides,new_delegations\n"
        "318035,鳥取県後期高齢者医療広域連合,union,yes,,\n",
        ":2: kind: unknown agency kind 'union' — valid choices: association "
        "(一部事務組合等), municipality (市区町村) or prefecture (都道府県)",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_AGENCIES))
def test_bad_agencies_file_fails_as_plan_does(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad agencies file: exit 1, plan's messages, and the output file left as it was."""
    text, expected = BAD_AGENCIES[name]
    agencies = tmp_path / name
    agencies.write_text(text, encoding="utf-8")
    out = tmp_path / "triage.md"
    out.write_text("previous report\n", encoding="utf-8")
    triage_argv = ["triage", "2018-07", "--queries", str(QUERIES), "--as-of", BEFORE]
    triage_argv += ["--format", "md", "--agencies", str(agencies), "-o", str(out)]
    plan_argv = ["plan", "2018-07", "--agencies", str(agencies), "--as-of", BEFORE]
    assert main(triage_argv) == 1
    assert main(plan_argv) == 1
    japanese = capsys.readouterr().err.splitlines()
    assert japanese[0] == japanese[1]
    assert main([*triage_argv, "--lang", "en"]) == 1
    triage_err = capsys.readouterr().err
    assert main([*plan_argv, "--lang", "en"]) == 1
    plan_err = capsys.readouterr().err
    assert triage_err == plan_err
    assert triage_err.startswith(f"cutover: {agencies}{expected}")
    assert len(triage_err.splitlines()) == 1
    assert "Traceback" not in triage_err
    assert out.read_text(encoding="utf-8") == "previous report\n"


def test_missing_agencies_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An agencies file that does not exist: exit 1 and the same message as `plan`."""
    missing = tmp_path / "nope.csv"
    argv = ["triage", "2018-07", "--queries", str(QUERIES), "--as-of", BEFORE, "--format", "md"]
    assert main([*argv, "--lang", "en", "--agencies", str(missing)]) == 1
    triage_err = capsys.readouterr()
    assert triage_err.out == ""
    assert main(["plan", "2018-07", "--lang", "en", "--agencies", str(missing)]) == 1
    assert triage_err.err == capsys.readouterr().err
    assert triage_err.err == (
        f"cutover: {missing}: cannot read agencies file: No such file or directory "
        "— check the file's name and folder\n"
    )


def test_exit_code_with_fail_on_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang and --agencies do not change the exit codes: --fail-on warning still gives 3."""
    argv = ["triage", "2018-07", "--queries", str(QUERIES), "--as-of", BEFORE, "--format", "md"]
    assert main([*argv, "--agencies", str(AGENCIES), "--fail-on", "warning"]) == 3
    assert "## 情報提供者" in capsys.readouterr().out
    assert main([*argv, "--lang", "en", "--fail-on", "error"]) == 0


def test_fail_on_error_ignores_queries_to_withdraw_as_needed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """§6: the querier withdraws and re-issues 「必要に応じて」, so queries to withdraw are no
    error: `--fail-on error` exits 0 after the cutoff, `--fail-on warning` 3 (as `plan`'s
    `queries-to-reissue`, a warning)."""
    argv = ["triage", "2018-07", "--queries", str(QUERIES), "--as-of", AFTER, "--format", "md"]
    assert main([*argv, "--fail-on", "error"]) == 0
    assert "必要に応じて取りやめ" in capsys.readouterr().out
    assert main([*argv, "--fail-on", "warning"]) == 3


# --- CSV and JSON: the same data in every language --------------------------------------------


def _without_texts(fmt: str, written: str) -> object:
    """Return a CSV's or JSON's data without its texts in the reader's language: the
    reasons, the CSV's header, statuses and actions (labels in Japanese, codes in English)
    and the JSON calendar's title (beside its title_ja and title_en); ids, codes of
    agencies, items, times and due dates stay."""
    if fmt == "csv":
        return [r[:5] + r[7:8] for r in list(csv.reader(io.StringIO(written)))[1:]]
    data = json.loads(written)
    del data["calendar"]["title"]
    for query in data["queries"]:
        del query["reason"]
        del query["note"]
    return data


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("as_of", [BEFORE, AFTER])
def test_csv_and_json_unchanged_by_lang_and_agencies(tmp_path: Path, fmt: str, as_of: str) -> None:
    """CSV and JSON (DESIGN.md §3) are byte for byte the same with any --agencies; --lang
    changes their texts only (Japanese by default, English with --lang en: the reasons, and
    the CSV's header, statuses and actions): the ids, codes and dates are the same."""
    argv = ["triage", "2018-07", "--queries", str(QUERIES), "--as-of", as_of, "--format", fmt]
    plain = tmp_path / f"plain.{fmt}"
    assert main([*argv, "-o", str(plain)]) == 0
    japanese = plain.read_bytes()
    assert b"Q20180630-0032" in japanese
    assert "平成".encode() in japanese
    english = tmp_path / f"en.{fmt}"
    assert main([*argv, "--lang", "en", "-o", str(english)]) == 0
    # (The calendar object keeps its Japanese title beside the English one: title_ja.)
    english_rows = english.read_text(encoding="utf-8-sig")
    if fmt == "json":
        english_rows = json.dumps(json.loads(english_rows)["queries"], ensure_ascii=False)
    assert "平成" not in english_rows
    assert _without_texts(fmt, english.read_text(encoding="utf-8-sig")) == _without_texts(
        fmt, plain.read_text(encoding="utf-8-sig")
    )
    for i, (options, expected) in enumerate(
        (
            (["--lang", "ja"], japanese),
            (["--agencies", str(AGENCIES)], japanese),
            (["--lang", "en", "--agencies", str(AGENCIES)], english.read_bytes()),
        )
    ):
        out = tmp_path / f"{i}.{fmt}"
        assert main([*argv, *options, "-o", str(out)]) == 0
        assert out.read_bytes() == expected, options


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_library_csv_and_json_ignore_names(rule: CutoffRule, fmt: TriageFormat) -> None:
    """write_triage's agency_names leave CSV and JSON as they were; its lang writes their
    reasons in Japanese (the default) or English."""
    names = {"318035": "鳥取県後期高齢者医療広域連合"}

    def written(lang: Lang | None = None, agency_names: Mapping[str, str] | None = None) -> str:
        out = io.StringIO()
        as_of = date(2018, 6, 25)
        if lang is None:  # the signature the other callers (benchmarks) use
            report = write_triage(QUERIES, rule, as_of, out, fmt=fmt, calendar="2018-07")
        else:
            report = write_triage(
                QUERIES,
                rule,
                as_of,
                out,
                fmt=fmt,
                calendar="2018-07",
                lang=lang,
                agency_names=agency_names,
            )
        with report:
            assert report.counts.provide_by_cutoff == 17
        return out.getvalue()

    expected = written()
    assert "Q20180630-0033" in expected
    assert written("ja") == expected
    assert written("ja", names) == expected
    english = written("en")
    assert "平成" not in english
    assert written("en", names) == english
    assert _without_texts(fmt, english) == _without_texts(fmt, expected)


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        (
            "ja",
            "平成30年6月29日（金）から平成30年6月30日（土）までに受けた求めは、"
            "改版の前にも後にも情報提供できないため、情報照会者が必要に応じて取りやめ・再照会する。",
        ),
        (
            "en",
            "A request received after 2018-06-28 but before 2018-07-01 can be answered "
            "neither before nor after the revision: the querier, as needed (必要に応じて), "
            "withdraws and re-issues it.",
        ),
    ],
)
def test_rule_names_the_gap_of_a_moved_cutoff(
    capsys: pytest.CaptureFixture[str], lang: str, sentence: str
) -> None:
    """A what-if that moves the cutoff earlier says what becomes of the requests in between
    (the querier withdraws and re-issues them 「必要に応じて」, as §6 says); the shipped calendar,
    whose cutoff is the day before the revision, has no such sentence."""
    moved = triage_md(capsys, BEFORE, "--lang", lang, "--shift", "provision-cutoff=-1bd")
    assert sentence in moved.splitlines()[2]
    assert sentence not in triage_md(capsys, BEFORE, "--lang", lang)


# --- many rows ---------------------------------------------------------------------------------

CODES = ["011002", "131016", "262013", "282014", "402311"]
MOMENTS = [
    "2018-06-28T09:00:00",
    "2018-06-29 17:00:00",
    "2018-06-30T23:59:59",
    "2018-06-30",
    "2018-07-01T00:00:00",
]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "query_id": st.sampled_from(["Q1", "Q2", "Q3", "A|B", "Q9"]),
                "querier": st.sampled_from(CODES),
                "provider": st.sampled_from(CODES),
                "item": st.sampled_from(["2", "21", "8"]),
                "requested": st.sampled_from(MOMENTS),
                "status": st.sampled_from(["pending", "error", "provided", "未提供"]),
            }
        ),
        max_size=40,
    ),
    as_of=st.sampled_from([date(2018, 6, 29), date(2018, 7, 2)]),
    lang=st.sampled_from(["ja", "en"]),
)
def test_every_row_to_act_on_is_listed(rows: list[dict[str, str]], as_of: date, lang: Lang) -> None:
    """Each row to act on is listed once under its provider and once under its querier before
    the cutoff, once under its querier after it; no other row is."""
    out = io.StringIO()
    with write_triage(rows, RULE_2018, as_of, out, fmt="md", calendar="2018-07", lang=lang):
        pass
    in_memory = out.getvalue()
    listed = sum("| 2018-06-" in line for line in in_memory.splitlines())  # (the received cell)
    acting = sum(
        r["item"] != "8" and r["status"] != "provided" and r["requested"] < "2018-07-01"
        for r in rows
    )
    assert listed == acting * (2 if as_of == date(2018, 6, 29) else 1)


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_refused_file_leaves_no_temporary_file_open(
    tmp_path: Path, rule: CutoffRule, monkeypatch: pytest.MonkeyPatch, fmt: TriageFormat
) -> None:
    """A file refused part-way (undecodable bytes after rows to act on) raises, writes
    nothing, and the JSON writer's spooled rows are closed at once."""
    closed: list[str] = []
    json_close = JsonWriter.close

    def json_counted(self: JsonWriter) -> None:
        closed.append("json")
        json_close(self)

    monkeypatch.setattr(JsonWriter, "close", json_counted)
    lines = ["query_id,querier,provider,item,requested,status"]
    lines += [f"Q{i},131016,011002,2,2018-06-28 10:00:00,pending" for i in range(20)]
    path = tmp_path / "q.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"Q99,\xff\n")
    out = io.StringIO()
    with pytest.raises(CutoverError) as caught:
        write_triage(path, rule, date(2018, 6, 29), out, fmt=fmt, calendar="2018-07")
    assert "q.csv:22: bytes that are not valid" in caught.value.text("en")
    assert out.getvalue() == ""
    assert closed == ([] if fmt == "md" else ["json"])


class _BrokenPipe(io.StringIO):
    """An output that fails on its first write, as a closed pipe does."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def _json_writers_made(monkeypatch: pytest.MonkeyPatch) -> list[JsonWriter]:
    """Return the list every `JsonWriter` made from now on is added to."""
    writers: list[JsonWriter] = []
    made = JsonWriter.__init__

    def kept(self: JsonWriter, *args: object, **kwargs: object) -> None:
        made(self, *args, **kwargs)  # type: ignore[arg-type]
        writers.append(self)

    monkeypatch.setattr(JsonWriter, "__init__", kept)
    return writers


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_failing_output_leaves_no_temporary_file_open(
    rule: CutoffRule, monkeypatch: pytest.MonkeyPatch, fmt: TriageFormat
) -> None:
    """When writing the report fails (a closed pipe), the error goes up, and the JSON
    writer's spooled rows are closed with the report."""
    writers = _json_writers_made(monkeypatch)
    rows = [
        {"query_id": f"Q{i}", "querier": "131016", "provider": "011002", "item": "2",
         "requested": "2018-06-28T10:00:00", "status": "pending"}
        for i in range(9)
    ]  # fmt: skip
    with pytest.raises(BrokenPipeError):
        write_triage(rows, rule, date(2018, 6, 29), _BrokenPipe(), fmt=fmt, calendar="2018-07")
    if fmt == "json":
        (writer,) = writers
        assert writer._queries.closed


def test_writer_closed_even_when_closing_the_report_fails(
    rule: CutoffRule, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing fails and then closing the report fails too: the writer's temporary files
    are still closed, and the later error goes up with the first as its context."""
    writers = _json_writers_made(monkeypatch)

    def failing_close(self: TriageReport) -> None:
        raise RuntimeError("the temporary folder is gone")

    monkeypatch.setattr(TriageReport, "close", failing_close)
    rows = [
        {"query_id": "Q1", "querier": "131016", "provider": "011002", "item": "2",
         "requested": "2018-06-28T10:00:00", "status": "pending"}
    ]  # fmt: skip
    with pytest.raises(RuntimeError, match="folder is gone") as caught:
        write_triage(rows, rule, date(2018, 6, 29), _BrokenPipe(), fmt="json", calendar="2018-07")
    assert isinstance(caught.value.__context__, BrokenPipeError)
    (writer,) = writers
    assert writer._queries.closed


@pytest.mark.parametrize(
    ("as_of", "noted"), [("2018-06-29", False), ("2018-06-30", True), ("2018-07-02", False)]
)
def test_markdown_says_when_the_last_business_day_has_passed(
    capsys: pytest.CaptureFixture[str], as_of: str, noted: bool
) -> None:
    """On Saturday 6/30 the Markdown says 6/29 has passed and 6/30 itself is left, in
    either language; before it, and after the cutoff, it says nothing of the kind."""
    ja = triage_md(capsys, as_of)
    en = triage_md(capsys, as_of, "--lang", "en")
    assert (f"基準日（{SAT_30}）には最終の開庁日（{FRI_29}）が過ぎています" in ja) is noted
    assert (f"残る求めには、対応できれば{SAT_30}当日中に情報提供し、できなければ情報照会者が"
            f"必要に応じて取りやめ、平成30年7月1日（日）以降（開庁日では{MON_2}から）に"
            "再照会する。" in ja) is noted  # fmt: skip
    passed_en = (
        "the last business day 2018-06-29 has passed: answer what is left on 2018-06-30 "
        "itself if anyone can; otherwise the querier, as needed, withdraws it and re-issues "
        "it on or after 2018-07-01 (from 2018-07-02)."
    )
    assert (passed_en in en) is noted
