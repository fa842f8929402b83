"""Tests for the shipped example (examples/tottori), its golden checklists, and `cutover demo`."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import importlib.resources
import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest

import cutover
from cutover.calendar.load import load_calendar
from cutover.cli.demo import (
    EXAMPLE_FILE,
    GOLDEN_LANGS,
    Example,
    load_example,
    plan_example,
    read_example,
    run_demo,
    shipped_examples,
    write_example_checklists,
)
from cutover.cli.main import main
from cutover.errors import CutoverError
from cutover.inputs.registry import load_registry
from cutover.jp.codes import check_digit, municipalities_of, official_entry, prefecture
from cutover.jp.vocabulary import SYSTEMS, Kind, Side, Status
from cutover.planning.flags import FlagCode, Severity
from cutover.planning.model import Plan, TaskStatus
from cutover.planning.summary import summarize
from cutover.schedule.timeline import build_timeline
from cutover.triage import Action, CutoffRule, TriageResult, triage_file


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TOTTORI = EXAMPLES / "tottori"
API_EXAMPLE = EXAMPLES / "api_example.py"
REGENERATE = ROOT / "scripts" / "regenerate_examples.py"
HOW_TO_FIX = "run `python scripts/regenerate_examples.py` and review the diff"


@pytest.fixture(scope="module")
def example() -> Example:
    """Return the example in this checkout (never an installed copy)."""
    return read_example(TOTTORI)


@pytest.fixture(scope="module")
def example_plan(example: Example) -> Plan:
    """Return the example's plan on its own calendar and as-of date."""
    return plan_example(example)


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def _golden_mismatch(expected_dir: Path, actual_dir: Path) -> str:
    """Return what differs between the committed files and fresh ones ("" when identical)."""
    expected, actual = _files(expected_dir), _files(actual_dir)
    lines: list[str] = []
    if missing := sorted(set(actual) - set(expected)):
        lines.append(f"not committed: {', '.join(missing)}")
    if extra := sorted(set(expected) - set(actual)):
        lines.append(f"committed but no longer generated: {', '.join(extra)}")
    changed = sorted(n for n in set(expected) & set(actual) if expected[n] != actual[n])
    if changed:
        lines.append(f"changed: {', '.join(changed)}")
        first = changed[0]
        diff = difflib.unified_diff(
            expected[first].decode("utf-8").splitlines(),
            actual[first].decode("utf-8").splitlines(),
            f"committed/{first}",
            f"generated/{first}",
            lineterm="",
            n=1,
        )
        lines.extend(list(diff)[:40])
    return "\n".join(lines)


# --- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", GOLDEN_LANGS)
def test_golden_checklists_match(example: Example, lang: str, tmp_path: Path) -> None:
    """The committed checklists are byte for byte what the library writes today."""
    write_example_checklists(example, tmp_path, lang=lang)
    mismatch = _golden_mismatch(example.golden_dir(lang), tmp_path)
    if mismatch:
        pytest.fail(f"{example.golden_dir(lang)} is out of date; {HOW_TO_FIX}\n{mismatch}")


def test_golden_checklists_are_one_per_agency(example: Example, example_plan: Plan) -> None:
    """Each golden directory holds one checklist per agency, named by code, and index.md."""
    expected = {f"{a.agency.code}.md" for a in example_plan.agencies} | {"index.md"}
    for lang in GOLDEN_LANGS:
        assert {p.name for p in example.golden_dir(lang).iterdir()} == expected


def test_checklists_are_deterministic(example: Example, tmp_path: Path) -> None:
    """Writing the example twice gives identical bytes."""
    write_example_checklists(example, tmp_path / "a")
    write_example_checklists(example, tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def _regenerate_script() -> Callable[[Path], list[Path]]:
    spec = importlib.util.spec_from_file_location("regenerate_examples", REGENERATE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return cast("Callable[[Path], list[Path]]", module.regenerate)


def test_regenerate_script_rewrites_golden_files(tmp_path: Path) -> None:
    """The regeneration script rewrites every golden file and removes stale ones."""
    examples = tmp_path / "examples"
    shutil.copytree(TOTTORI, examples / "tottori")
    stale = examples / "tottori" / "checklists" / "319999.md"
    stale.write_text("an agency no longer in the registry\n", encoding="utf-8")
    (examples / "tottori" / "checklists-en" / "index.md").write_text("edited\n", encoding="utf-8")

    written = _regenerate_script()(examples)

    assert not stale.exists()
    copy = read_example(examples / "tottori")
    for lang in GOLDEN_LANGS:
        fresh = tmp_path / "fresh" / lang
        assert write_example_checklists(copy, fresh, lang=lang)
        assert _golden_mismatch(copy.golden_dir(lang), fresh) == ""
    assert len(written) == len(GOLDEN_LANGS) * 24


# --- the API example --------------------------------------------------------------------------


def test_api_example_runs(tmp_path: Path) -> None:
    """examples/api_example.py runs from any directory and prints the flags that need action."""
    done = subprocess.run(
        [sys.executable, str(API_EXAMPLE), str(tmp_path / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "312045 境港市" in done.stdout
    assert "hearing-candidate" in done.stdout
    assert "query-not-ready" in done.stdout
    assert (tmp_path / "out" / "index.md").is_file()


# --- cutover demo -----------------------------------------------------------------------------


def _markdown_of(folder: Path, copy: Path) -> Path:
    """Return `copy`, a new folder holding the Markdown files of `folder` (not its HTML)."""
    copy.mkdir()
    for page in folder.glob("*.md"):
        shutil.copy(page, copy)
    return copy


def test_demo_writes_checklists_and_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cutover demo --out DIR` writes what the library writes for the example, the same as
    HTML pages beside it, and exits 0."""
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    write_example_checklists(read_example(TOTTORI), tmp_path / "library", lang="ja")
    assert _golden_mismatch(tmp_path / "library", _markdown_of(out, tmp_path / "md")) == ""
    assert len(list(out.glob("*.md"))) == 24
    assert {p.stem for p in out.glob("*.html")} == {p.stem for p in out.glob("*.md")}
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 2
    assert (
        "チェックリスト 23 件と index.md を、HTML（index.html ほか）とともに書き出しました"
        in printed[0]
    )
    assert "基準日 2018-06-25" in printed[0]
    # 境港市's missing test is a warning: the test window's end is assumed (§4).
    # (Six tests or registrations evidenced before their system's modification, §2.)
    assert "エラー 0 件、警告 25 件" in printed[0]
    assert printed[1] == f"{out / 'index.html'} をブラウザーで開いてください"


def test_demo_default_out_is_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --out, the demo writes into ./demo."""
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    assert (tmp_path / "demo" / "index.md").is_file()
    assert (tmp_path / "demo" / "310000.md").is_file()


def test_demo_in_english(tmp_path: Path) -> None:
    """`cutover demo --lang en` writes the English checklists."""
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--lang", "en"]) == 0
    write_example_checklists(read_example(TOTTORI), tmp_path / "library", lang="en")
    assert _golden_mismatch(tmp_path / "library", _markdown_of(out, tmp_path / "md")) == ""
    assert "Agencies" in (out / "index.md").read_text(encoding="utf-8")


def test_demo_counts_flags_without_failing(tmp_path: Path) -> None:
    """The demo's plan has flags, which it counts instead of raising: no error (§4: the one
    missing test is due by a window's end the calendar assumes, a warning); its warnings
    include the 13 providers' requests to answer by the cutoff (queries.csv, §6)."""
    result = run_demo(tmp_path)
    assert result.errors == 0
    assert result.warnings == 25
    assert "| `hearing-candidate-assumed` | 警告 | 1 |" in (tmp_path / "index.md").read_text(
        encoding="utf-8"
    )
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert "| `queries-to-answer` | 警告 | 13 |" in index
    assert (
        "締切までに提供する求め 17件、必要に応じて取りやめ・再照会する照会 0件、"
        "§6の対象外で未提供 5件（照会ファイル 35行、読めない行 0）"
    ) in index
    assert result.checklists == 23
    assert result.index == tmp_path / "index.md"


def test_demo_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An --out that is a file is bad input: exit 1 with one line naming the path."""
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main(["demo", "--out", str(blocker)]) == 1
    assert "ここには書き出せません" in capsys.readouterr().err
    assert main(["demo", "--out", str(blocker), "--lang", "en"]) == 1
    assert "cannot write here" in capsys.readouterr().err


# --- finding the example ---------------------------------------------------------------------


@pytest.mark.skipif(
    Path(cutover.__file__).resolve().parent != ROOT / "cutover",
    reason="cutover is imported from an installed wheel, not from this checkout",
)
def test_load_example_finds_the_checkout() -> None:
    """In a checkout, the shipped example is the repository's examples/tottori."""
    assert shipped_examples()["tottori"] == TOTTORI
    example = load_example()
    assert example.calendar == "2018-07"
    assert example.as_of == dt.date(2018, 6, 25)


def test_load_example_prefers_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In an installed wheel, the example copied into the package is found first."""
    packaged = tmp_path / "site-packages" / "cutover"
    shutil.copytree(TOTTORI, packaged / "examples" / "tottori")
    monkeypatch.setattr(importlib.resources, "files", lambda _: packaged)
    assert load_example("tottori").directory == packaged / "examples" / "tottori"


def test_directory_without_marker_is_not_an_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory without example.toml beside the package does not pass for an example."""
    packaged = tmp_path / "cutover"
    (packaged / "examples" / "stray").mkdir(parents=True)
    monkeypatch.setattr(importlib.resources, "files", lambda _: packaged)
    assert "stray" not in shipped_examples()


def test_unknown_example() -> None:
    """An unknown example name is bad input that suggests the closest one."""
    with _refused("did you mean 'tottori'"):
        load_example("totori")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('title_ja = "x"\ntitle_en = "x"\ncalendar = "2018-07"\nas_of = "6/25"\n', "not a date"),
        ('title_ja = "x"\ntitle_en = "x"\nas_of = "2018-06-25"\n', "calendar is missing"),
        ("title_ja = \n", "not valid TOML"),
    ],
)
def test_bad_example_file(tmp_path: Path, text: str, message: str) -> None:
    """A broken example.toml is bad input naming the file."""
    (tmp_path / EXAMPLE_FILE).write_text(text, encoding="utf-8")
    with _refused(message) as caught:
        read_example(tmp_path)
    assert caught.value.problems[0].file == str(tmp_path / EXAMPLE_FILE)


def test_example_file_that_is_not_toml_is_said_in_japanese(tmp_path: Path) -> None:
    """An example.toml tomllib refuses is told as a calendar's TOML is: its line, and what
    is wrong in Japanese, not tomllib's English ("Invalid value")."""
    (tmp_path / EXAMPLE_FILE).write_text('title_ja = "x"\ntitle_en = \n', encoding="utf-8")
    with pytest.raises(CutoverError) as caught:
        read_example(tmp_path)
    assert caught.value.problems[0].line == 2
    assert "Invalid" not in caught.value.text("ja")
    assert "TOML として読めません" in caught.value.text("ja")


# --- the example tells the story examples/README.md tells ------------------------------------


def test_example_is_tottori_with_official_codes_and_names(example: Example) -> None:
    """The prefecture and its 19 municipalities are the official list's, code for code."""
    registry = load_registry(example.agencies)
    official = [prefecture("31"), *municipalities_of("31")]
    listed = [a for a in registry.agencies if a.kind is not Kind.ASSOCIATION]
    assert [(a.code, a.name) for a in listed] == [(e.code, e.name) for e in official]
    assert len(listed) == 20


def test_association_codes_are_illustrative(example: Example) -> None:
    """Association codes are valid 31xxxC codes that no municipality has."""
    associations = [
        a for a in load_registry(example.agencies).agencies if a.kind is Kind.ASSOCIATION
    ]
    assert len(associations) == 3
    for agency in associations:
        assert agency.code.startswith("31")
        assert int(agency.code[5]) == check_digit(agency.code[:5])
        assert official_entry(agency.code) is None


def test_readiness_covers_every_system_and_side(example: Example) -> None:
    """Every agency reports all eight systems on both sides; provision is never late."""
    registry = load_registry(example.agencies, example.readiness)
    expected = {(s.id, side) for s in SYSTEMS for side in Side}
    for agency in registry.agencies:
        assert {(r.system, r.side) for r in registry.readiness_of(agency.code)} == expected
    for report in registry.readiness:
        if report.side is Side.PROVISION and report.status is Status.PLANNED:
            assert report.planned is not None
            assert report.planned < dt.date(2018, 7, 1)
        assert report.status is not Status.NOT_STARTED or report.side is Side.QUERY


# The providers holding requests received by 6/30 that queries.csv lists as still pending.
PROVIDERS_TO_ANSWER = (
    "310000", "312011", "312029", "312045", "313025", "313254", "313289", "313297", "313645",
    "313840", "313891", "313904", "314021",
)  # fmt: skip


def test_example_flags_tell_the_story(example_plan: Plan) -> None:
    """One skipped test, four late query systems, one overdue drill, one new delegation,
    thirteen providers with requests to answer by the cutoff, and six tests or registrations
    evidenced before the provision-side modification of their systems (§2)."""
    found = {
        (a.agency.code, f.code, f.task)
        for a in example_plan.agencies
        for f in a.flags
        if f.severity is not Severity.INFO or f.code is FlagCode.NEW_DELEGATION
    }
    assert found == {
        # §4: the test window's end (6/22) is the calendar's assumption: a warning.
        ("312045", FlagCode.HEARING_CANDIDATE_ASSUMED, "inter-agency-test"),
        ("310000", FlagCode.QUERY_NOT_READY, "modify-query:public-housing"),
        ("313254", FlagCode.QUERY_NOT_READY, "modify-query:child-welfare"),
        ("314013", FlagCode.QUERY_NOT_READY, "modify-query:local-tax"),
        ("314030", FlagCode.QUERY_NOT_READY, "modify-query:nhi"),
        ("314021", FlagCode.TASK_OVERDUE, "all-agency-drill"),
        ("318027", FlagCode.NEW_DELEGATION, None),
        *((code, FlagCode.QUERIES_TO_ANSWER, None) for code in PROVIDERS_TO_ANSWER),
        # §2: システム改修, 機関間試験, 副本登録 — 鳥取県 registered item 21 on 5/28 and tested
        # on 5/24, but modified child welfare's provision side on 6/14; and so on.
        ("310000", FlagCode.EVIDENCE_BEFORE_MODIFICATION, "inter-agency-test"),
        ("310000", FlagCode.EVIDENCE_BEFORE_MODIFICATION, "register:21"),
        ("312011", FlagCode.EVIDENCE_BEFORE_MODIFICATION, "inter-agency-test"),
        ("312011", FlagCode.EVIDENCE_BEFORE_MODIFICATION, "register:2"),
        ("312029", FlagCode.EVIDENCE_BEFORE_MODIFICATION, "inter-agency-test"),
        ("313866", FlagCode.EVIDENCE_BEFORE_MODIFICATION, "register:8"),
    }


def test_one_registration_is_missing(example_plan: Plan) -> None:
    """Every registration is evidenced but 智頭町's item 8, still open in the last week."""
    open_registrations = [
        (a.agency.code, t.id, t.status)
        for a in example_plan.agencies
        for t in a.tasks
        if t.id.startswith("register:") and t.status is not TaskStatus.DONE
    ]
    assert open_registrations == [("313289", "register:8", TaskStatus.DUE_SOON)]


def test_summary_is_a_small_survey_table(example_plan: Plan) -> None:
    """The example's query-side not-ready counts follow the shape of the source's §3 table."""
    summary = summarize(example_plan, prefecture="31")
    query = summary.not_ready_of(Side.QUERY)
    assert query.of("public-housing").prefecture == 1
    assert query.of("local-tax").municipality == 1
    assert query.of("child-welfare").municipality == 1
    assert query.of("nhi").municipality == 1
    assert query.total == 4
    assert summary.not_ready_of(Side.PROVISION).total == 0


def _triage(example: Example, as_of: dt.date) -> tuple[dict[str, TriageResult], int, int]:
    timeline = build_timeline(load_calendar(example.calendar))
    dates = timeline.cutoff_dates()
    assert dates is not None
    rule = CutoffRule(
        items=dates.items,
        last_provision=dates.last_provision,
        answer_by=dates.answer_by,
        effective=dates.effective,
        reissue_from=dates.reissue_from,
        section=dates.section,
    )
    actions: list[TriageResult] = []
    with triage_file(example.queries, rule, as_of, on_action=actions.append) as report:
        counts = report.counts
    return {r.query.query_id: r for r in actions}, counts.total, counts.rejected


def test_queries_cross_the_cutoff(example: Example) -> None:
    """The example's queries triage cleanly, with the JST boundary on either side of 7/1."""
    before, total, rejected = _triage(example, dt.date(2018, 6, 29))
    assert (total, rejected) == (35, 0)
    assert before["Q20180630-0033"].action is Action.PROVIDE_BY_CUTOFF
    assert "Q20180701-0034" not in before
    assert "Q20180619-0008" not in before  # item 8 is not a cutoff item
    after, _, _ = _triage(example, dt.date(2018, 7, 2))
    assert set(after) == set(before)
    assert {r.action for r in after.values()} == {Action.WITHDRAW_AND_REISSUE}


# --- the coordinator guide's inputs made from the example's (examples/README.md) -----------


def _csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.reader(stream))


def _sheet_rows(path: Path, sheet: str) -> list[list[str]]:
    """Return a sheet's cells as the CSV file they were made from writes them."""
    from openpyxl import load_workbook

    def text(cell: object) -> str:
        if cell is None:
            return ""
        if isinstance(cell, dt.datetime):
            return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
        return str(cell)

    book = load_workbook(path, read_only=True)
    try:
        return [[text(cell) for cell in row] for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def test_guide_inputs_hold_the_example_rows() -> None:
    """The inputs the coordinator guide makes from the example's files hold their rows: the
    registry saved as Shift_JIS, the three workbooks, and evidence.csv split in two (remake
    them from the CSV files after changing one: tests/workbooks.py's csv_to_workbook)."""
    agencies = _csv_rows(TOTTORI / "agencies.csv")
    assert _csv_rows(TOTTORI / "agencies-sjis.csv", encoding="cp932") == agencies
    for name, sheet in (("agencies", "Sheet1"), ("readiness", "改修状況"), ("evidence", "Sheet1")):
        expected = _csv_rows(TOTTORI / f"{name}.csv")
        assert _sheet_rows(TOTTORI / f"{name}.xlsx", sheet) == expected, f"{name}.xlsx"
    header, *evidence = _csv_rows(TOTTORI / "evidence.csv")
    jlis, *by_jlis = _csv_rows(TOTTORI / "evidence-jlis.csv")
    others, *by_agencies = _csv_rows(TOTTORI / "evidence-agencies.csv")
    assert header == jlis == others
    assert sorted(by_jlis + by_agencies) == sorted(evidence)
    assert all(row[1].startswith(("register:", "inter-agency-test")) for row in by_jlis)


# --- the source's terms in English (issue 18 point 10) -------------------------------------


def test_point_10_english_pages_gloss_the_source_terms(example: Example) -> None:
    """Point 10: the English checklist and index of the example say "registration of copies
    (副本登録)", "follow-up interview (ヒアリング)", "temporary input (一時入力)" and spell out
    the NWS once, each at its first mention only; no page says "duplicate registration", and
    the flag codes (`hearing-candidate`) are as they were."""
    folder = example.golden_dir("en")
    checklist = (folder / "312011.md").read_text(encoding="utf-8")
    index = (folder / "index.md").read_text(encoding="utf-8")
    for page in (checklist, index):
        assert "duplicate registration" not in page.lower()
        assert "register duplicates" not in page.lower()
        assert "hold a hearing" not in page
    assert checklist.count("registration of copies (副本登録)") == 1
    assert checklist.count("temporary input (一時入力)") == 1
    assert checklist.count("temporary input") > 1
    assert checklist.count("information provision network system (NWS)") == 1
    assert "follow-up interview (ヒアリング)" in index
    assert "`hearing-candidate-assumed`" in index
    # (The index's first mention is its progress table's row: "Register copies (副本登録)".)
    assert index.count("(副本登録)") == 1
    assert index.index("(副本登録)") < index.lower().index("registration of copies")
    # The Japanese pages are left as they are.
    japanese = (example.golden_dir("ja") / "312011.md").read_text(encoding="utf-8")
    assert "(副本登録)" not in japanese


def test_point_10_gloss_is_once_and_idempotent() -> None:
    """Point 10: `gloss` adds the Japanese once per page, and nothing to a glossed page."""
    from cutover.i18n.glossary import gloss

    page = "Register copies of item 2. The registration of copies. A follow-up interview. NWS, NWS"
    glossed = gloss(page)
    assert glossed == (
        "Register copies (副本登録) of item 2. The registration of copies. "
        "A follow-up interview (ヒアリング). information provision network system (NWS), NWS"
    )
    assert gloss(glossed) == glossed
