"""Tests for `cutover.inputs.logs`: the duplicate-registration and inter-agency test log readers."""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from strategies import leaked
from test_registry import assert_reads_as_japanese

from cutover.calendar.load import load_calendar
from cutover.errors import CutoverError
from cutover.inputs.logs import (
    LogEvidence,
    load_registration_log,
    load_test_log,
    parse_record_count,
    parse_test_result,
)
from cutover.inputs.model import Attempt, AttemptReason, Evidence
from cutover.inputs.registry import load_agencies, load_registry
from cutover.planning.flags import FlagCode
from cutover.planning.model import Plan, TaskStatus
from cutover.planning.planner import plan
from cutover.render.checklist import render_checklist
from cutover.schedule.timeline import build_timeline

DATA = Path(__file__).parent / "data"
AGENCIES = DATA / "registry" / "agencies.csv"
BAD = DATA / "bad" / "logs"
ENCODINGS = ["utf-8", "utf-8-sig", "cp932"]

REGISTRATION_JA = (
    "団体コード,特定個人情報番号,登録日時,登録件数,備考\n"
    "130001,2,2018/06/05 10:00,1200,夜間バッチ\n"
    "130001,2,2018-06-05 22:00,34,\n"
    "130001,8,平成30年6月6日,0,レイアウト誤り\n"
    "131024,２１番,2018-06-07,１，０００件,\n"
)
REGISTRATION_EVIDENCE = (
    ("130001", "register:2", date(2018, 6, 5), "1,234件", 2),
    ("131024", "register:21", date(2018, 6, 7), "1,000件", 5),
)
TEST_JA = (
    "機関コード,実施日時,結果\n"
    "131024,2018-06-01 10:00,異常\n"
    "131024,2018-06-04 15:00,正常\n"
    "130001,2018-06-01,NG\n"
)


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def _shuffle(text: str, order: tuple[int, ...]) -> str:
    """Return CSV text (no quoted commas) with its columns in `order`."""
    rows = [line.split(",") for line in text.splitlines()]
    return "".join(",".join(row[i] for i in order) + "\n" for row in rows)


# --- registration logs --------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_registration_log_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    """A registration log with Japanese headers reads alike in UTF-8, UTF-8 with BOM and cp932."""
    path = _write(tmp_path, REGISTRATION_JA, encoding)
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
    found = load_registration_log(path, load_agencies(AGENCIES))
    assert [(e.code, e.task, e.date, e.line) for e in found.evidence] == [
        (code, task, day, line) for code, task, day, _, line in REGISTRATION_EVIDENCE
    ]
    assert [e.detail for e in found.evidence] == [
        f"副本登録ログ log.csv:{line}（{what}）" for *_, what, line in REGISTRATION_EVIDENCE
    ]
    assert found.rejected_attempts == (
        Attempt("130001", "register:8", date(2018, 6, 6), AttemptReason.ZERO_RECORDS, 4, str(path)),
    )


@pytest.mark.parametrize("order", list(itertools.permutations(range(5)))[::17])
def test_registration_log_columns_in_any_order(tmp_path: Path, order: tuple[int, ...]) -> None:
    """The columns of a registration log may come in any order; extra columns are ignored."""
    expected = load_registration_log(_write(tmp_path, REGISTRATION_JA, name="a.csv"))
    found = load_registration_log(_write(tmp_path, _shuffle(REGISTRATION_JA, order), name="a.csv"))
    assert found == expected


def test_registration_log_english_headers(tmp_path: Path) -> None:
    """English headers (agency_code, item_number, registered_at, record_count) are accepted."""
    text = "agency_code,item_number,registered_at,record_count\n131016,52,2018-06-20T09:00,3\n"
    path = _write(tmp_path, text)
    found = load_registration_log(path)
    assert found.evidence == (
        Evidence(
            "131016",
            "register:52",
            date(2018, 6, 20),
            "副本登録ログ log.csv:2（3件）",
            2,
            str(path),
            log=True,
        ),
    )


def test_zero_count_registration_is_not_evidence(tmp_path: Path) -> None:
    """A registration of zero records is an attempt, never evidence, however many lines say it."""
    text = "code,item,registered,records\n" + "131016,2,2018-06-05,0\n" * 3
    found = load_registration_log(_write(tmp_path, text))
    assert found.evidence == ()
    (attempt,) = found.rejected_attempts
    assert (attempt.reason, attempt.line, attempt.rows) == (AttemptReason.ZERO_RECORDS, 2, 3)
    assert attempt.reason.ja == attempt.reason.text("ja") == "登録件数0件"
    assert attempt.reason.en == attempt.reason.text("en") == "registered with 0 records"
    assert AttemptReason.FAILED_TEST.text("ja") == "試験結果が異常（失敗）"
    assert attempt.where("ja") == "log.csv 2行目"
    assert attempt.where("en") == "log.csv line 2"


def test_each_day_is_its_own_evidence(tmp_path: Path) -> None:
    """Days stay apart, so the planner can skip a day before the window and use a later one."""
    text = "code,item,registered,records\n131016,2,2018-05-01,9\n131016,2,2018-06-05,4\n"
    found = load_registration_log(_write(tmp_path, text))
    assert [e.date for e in found.evidence] == [date(2018, 5, 1), date(2018, 6, 5)]


def test_registration_datetime_is_a_jst_day(tmp_path: Path) -> None:
    """An aware date-time is converted to JST before its day is taken; a naive one is JST."""
    text = (
        "code,item,registered,records\n"
        "131016,2,2018-06-05T16:00:00+00:00,1\n"
        "131016,21,2018-06-05T23:59:59,1\n"
    )
    found = load_registration_log(_write(tmp_path, text))
    assert [(e.task, e.date) for e in found.evidence] == [
        ("register:21", date(2018, 6, 5)),
        ("register:2", date(2018, 6, 6)),
    ]


@pytest.mark.parametrize(
    "cell",
    [
        "2018/6/5",
        "2018/06/05 0:00",
        "2018/6/5 21:00:00",
        "H30.6.5",
        "2018年6月5日",
        "　2018-06-05　",
    ],
)
def test_excel_date_forms_read_as_their_day(tmp_path: Path, cell: str) -> None:
    """The forms Excel writes a date or date-time in are read as their day, in both logs."""
    registration = _write(tmp_path, f"code,item,registered,records\n131016,2,{cell},1\n")
    assert [e.date for e in load_registration_log(registration).evidence] == [date(2018, 6, 5)]
    test = _write(tmp_path, f"code,tested,result\n131024,{cell},正常\n", name="test.csv")
    assert [e.date for e in load_test_log(test).evidence] == [date(2018, 6, 5)]


@pytest.mark.parametrize(
    ("cell", "fragments"),
    [
        ("43256", ["'43256' is a date as Excel stores it (2018-06-05 in", "written as 2018/6/5"]),
        ("43256.875", ["(2018-06-05 21:00 in Excel's 1900 date system)"]),
        ("6月5日", ["'6月5日' has no year", "e.g. 2018/6/5 or 平成30年6月5日 if it is in 2018"]),
        ("6/5 21:00", ["'6/5 21:00' has no year"]),
    ],
)
def test_excel_dates_that_are_no_day_are_refused(
    tmp_path: Path, cell: str, fragments: list[str]
) -> None:
    """A serial number or a date without its year is refused, saying what Excel did."""
    path = _write(tmp_path, f"code,item,registered,records\n131016,2,{cell},1\n")
    with pytest.raises(CutoverError) as caught:
        load_registration_log(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.key) == (2, "registered")
    for fragment in fragments:
        assert fragment in problem.text("en")
    assert_reads_as_japanese([problem])


@pytest.mark.parametrize(
    ("text", "expected"), [("0", 0), ("12", 12), ("1,234", 1234), ("１２３４件", 1234), (" 7 ", 7)]
)
def test_record_count_forms(text: str, expected: int) -> None:
    """Record counts may have thousands separators, full-width digits and a 件 suffix."""
    assert parse_record_count(text) == expected


# --- test logs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_test_log_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    """A test log with Japanese headers reads alike in UTF-8, UTF-8 with BOM and cp932."""
    path = _write(tmp_path, TEST_JA, encoding)
    found = load_test_log(path, load_agencies(AGENCIES))
    assert found == LogEvidence(
        evidence=(
            Evidence(
                "131024",
                "inter-agency-test",
                date(2018, 6, 4),
                "機関間試験ログ log.csv:3（正常）",
                3,
                str(path),
                log=True,
            ),
        ),
        rejected_attempts=(
            Attempt(
                "130001",
                "inter-agency-test",
                date(2018, 6, 1),
                AttemptReason.FAILED_TEST,
                4,
                str(path),
            ),
            Attempt(
                "131024",
                "inter-agency-test",
                date(2018, 6, 1),
                AttemptReason.FAILED_TEST,
                2,
                str(path),
            ),
        ),
    )


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_test_log_columns_in_any_order(tmp_path: Path, order: tuple[int, ...]) -> None:
    """The columns of a test log may come in any order."""
    expected = load_test_log(_write(tmp_path, TEST_JA, name="t.csv"))
    assert load_test_log(_write(tmp_path, _shuffle(TEST_JA, order), name="t.csv")) == expected


def test_failed_test_is_not_evidence(tmp_path: Path) -> None:
    """A failed test is an attempt that does not count; the failure is reported."""
    text = "code,tested,result,note\n131016,2018-06-05,failure,timeout\n"
    found = load_test_log(_write(tmp_path, text))
    assert found.evidence == ()
    assert [a.reason for a in found.rejected_attempts] == [AttemptReason.FAILED_TEST]


@pytest.mark.parametrize(
    "word", ["success", "Succeeded", "OK", "ｏｋ", "pass", "passed", "正常", "正常終了", "成功"]
)
def test_success_words(word: str) -> None:
    """Every spelling of a successful test reads as success."""
    assert parse_test_result(word) is True


@pytest.mark.parametrize(
    "word", ["failure", "failed", "FAIL", "error", "NG", "異常", "失敗", "エラー"]
)
def test_failure_words(word: str) -> None:
    """Every spelling of a failed test reads as failure."""
    assert parse_test_result(word) is False


@pytest.mark.parametrize("word", ["0", "1", "１"])
def test_numeric_results_are_refused(word: str) -> None:
    """0 and 1 are refused: guessing which means success could count a failed test."""
    with pytest.raises(CutoverError) as caught:
        parse_test_result(word)
    assert "ambiguous" in caught.value.text("en")
    assert "成功とも失敗とも決められません" in str(caught.value)


# --- the bad-input corpus ---------------------------------------------------------------------


def _corpus() -> list[Path]:
    return sorted(BAD.glob("*.csv"))


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.stem)
def test_bad_input_corpus(path: Path) -> None:
    """Each bad log produces the message fragments its .expected file lists, with file and line."""
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    agencies = load_agencies(AGENCIES)
    loaders: dict[str, Callable[[], object]] = {
        "registration": lambda: load_registration_log(path, agencies),
        "test": lambda: load_test_log(path, agencies),
    }
    with pytest.raises(CutoverError) as caught:
        loaders[path.stem.split("-", 1)[0]]()
    message = caught.value.text("en")
    for fragment in filter(None, expected):
        assert fragment in message
    # (no message repeats a personal number, in either language)
    assert not leaked(message)
    assert not leaked(caught.value.text("ja"))
    assert all(p.file == str(path) for p in caught.value.problems)
    assert all(p.line is not None and p.fix for p in caught.value.problems)
    assert_reads_as_japanese(caught.value.problems)


def test_corpus_is_complete() -> None:
    """Every corpus file has its .expected file, and the corpus covers both logs."""
    corpus = _corpus()
    assert all(p.with_suffix(".expected").is_file() for p in corpus)
    assert {p.stem.split("-", 1)[0] for p in corpus} == {"registration", "test"}


# --- into the registry and the plan -------------------------------------------------------------


def test_load_registry_merges_logs(tmp_path: Path) -> None:
    """Log evidence joins evidence.csv's, and the attempts are kept per agency."""
    registration = _write(tmp_path, REGISTRATION_JA, name="reg.csv")
    test = _write(tmp_path, TEST_JA, name="test.csv")
    registry = load_registry(
        AGENCIES,
        evidence_paths=[DATA / "registry" / "evidence.csv"],
        registration_logs=[registration],
        test_logs=[test],
    )
    assert [(e.task, e.date) for e in registry.evidence_of("130001")] == [
        ("register:2", date(2018, 6, 5)),
        ("register:2", date(2018, 6, 20)),
    ]
    assert [a.task for a in registry.attempts_of("130001")] == ["register:8", "inter-agency-test"]
    assert registry.attempts_of("131016") == ()


def test_load_registry_reports_every_file_together(tmp_path: Path) -> None:
    """A bad registration log and a bad test log are reported in one error, each with its file."""
    registration = _write(tmp_path, "code,item,registered,records\n131016,2,x,1\n", name="r.csv")
    test = _write(tmp_path, "code,tested,result\n131016,2018-06-05,maybe\n", name="t.csv")
    with pytest.raises(CutoverError) as caught:
        load_registry(AGENCIES, registration_logs=[registration], test_logs=[test])
    assert [(p.file, p.line) for p in caught.value.problems] == [
        (str(registration), 2),
        (str(test), 2),
    ]


def _log_plan(tmp_path: Path, registration: str, test: str, as_of: date) -> Plan:
    registry = load_registry(
        AGENCIES,
        registration_logs=[_write(tmp_path, registration, name="reg.csv")],
        test_logs=[_write(tmp_path, test, name="test.csv")],
    )
    return plan(build_timeline(load_calendar("2018-07")), registry, as_of)


def test_planner_flags_attempts_that_did_not_count(tmp_path: Path) -> None:
    """A task left undone with only a 0-record registration gets a warning; a test run in its
    window that failed gets its own (§4: run, but to be tested again)."""
    the_plan = _log_plan(tmp_path, REGISTRATION_JA, TEST_JA, date(2018, 6, 25))
    tokyo = the_plan.agency("130001")
    flags = {f.task: f for f in tokyo.flags if f.code is FlagCode.EVIDENCE_NOT_COUNTED}
    assert set(flags) == {"register:8"}
    assert "平成30年6月6日（水） 登録件数0件（reg.csv 4行目）" in flags["register:8"].message_ja
    assert "registered with 0 records (reg.csv line 4)" in flags["register:8"].message_en
    (failed,) = [f for f in tokyo.flags if f.code is FlagCode.TEST_FAILED]
    assert failed.task == "inter-agency-test"
    assert "試験結果が異常" in failed.message_ja
    assert {t.id: t.status for t in tokyo.tasks}["register:2"] is TaskStatus.DONE
    # 中央区's failed test on 6/1 is followed by a successful one on 6/4: nothing to flag.
    chuo = the_plan.agency("131024")
    assert not [f for f in chuo.flags if f.code is FlagCode.EVIDENCE_NOT_COUNTED]
    assert len(chuo.attempts) == 1


def test_attempts_after_as_of_are_not_known_yet(tmp_path: Path) -> None:
    """Log lines dated after the as-of date are neither evidence nor flagged attempts."""
    the_plan = _log_plan(tmp_path, REGISTRATION_JA, TEST_JA, date(2018, 5, 31))
    tokyo = the_plan.agency("130001")
    assert tokyo.attempts == ()
    assert not [f for f in tokyo.flags if f.code is FlagCode.EVIDENCE_NOT_COUNTED]


def test_checklist_says_zero_records_do_not_count(tmp_path: Path) -> None:
    """The agency's checklist says that the registration of 0 records is not counted."""
    the_plan = _log_plan(tmp_path, REGISTRATION_JA, TEST_JA, date(2018, 6, 25))
    tokyo = the_plan.agency("130001")
    text = render_checklist(tokyo, the_plan)
    assert "evidence-not-counted" in text
    assert "登録件数0件" in text


def test_validate_groups_the_digits_of_every_file_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A prefecture's evidence file has thousands of rows: `validate`
    groups their counts by thousands (実績 1,200 行), as it does the queries file's on the
    same screen (it wrote 実績 1200 行 under 照会 2,000,000 件)."""
    from cutover.cli.main import main

    days = [date(2018, 5, 21 + n % 10).isoformat() for n in range(1200)]
    evidence = tmp_path / "evidence.csv"
    evidence.write_text(
        "code,task,date,detail\n" + "".join(f"312011,register:2,{d},{d}\n" for d in days),
        encoding="utf-8",
    )
    agencies = str(Path(__file__).parent.parent / "examples" / "tottori" / "agencies.csv")
    argv = ["validate", "2018-07", "--agencies", agencies, "--evidence", str(evidence)]
    assert main(argv) == 0
    assert "実績 1,200 行" in capsys.readouterr().out
    assert main([*argv, "--lang", "en"]) == 0
    assert "1,200 evidence row(s)" in capsys.readouterr().out


def test_validate_checks_the_logs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`cutover validate` reads both logs and reports every bad row with its line."""
    from cutover.cli.main import main

    registration = tmp_path / "reg.csv"
    registration.write_text(
        "code,item,registered,records\n312011,2,2018-06-01,12\n312011,8,2018-06-02,0\n",
        encoding="utf-8",
    )
    agencies = str(Path(__file__).parent.parent / "examples" / "tottori" / "agencies.csv")
    argv = ["validate", "2018-07", "--agencies", agencies, "--registration-log", str(registration)]
    assert main([*argv, "--lang", "en"]) == 0
    assert "1 evidence row(s), 1 attempt(s) not counted" in capsys.readouterr().out
    assert main(argv) == 0
    assert "実績 1 行、数えない記録 1 件" in capsys.readouterr().out
    tests = tmp_path / "test.csv"
    tests.write_text("code,tested,result\n312011,2018-13-01,success\n", encoding="utf-8")
    assert main(["validate", "2018-07", "--test-log", str(tests)]) == 1
    assert f"cutover: {tests}:2: tested: " in capsys.readouterr().err


@pytest.mark.parametrize("inside", [True, False])
def test_validate_names_a_failed_test(
    inside: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cutover validate` names the test log's line of a failed test, which the checklists do
    not count, as they flag it: `test-failed` when it was run inside the window (§4: a test
    run), `evidence-not-counted` after it; a warning, so exit 3 with --fail-on warning."""
    from cutover.cli.main import main

    tested = "2018-06-01" if inside else "2018-06-26"
    tests = tmp_path / "test.csv"
    tests.write_text(f"code,tested,result\n312011,{tested},failed\n", encoding="utf-8")
    agencies = str(Path(__file__).parent.parent / "examples" / "tottori" / "agencies.csv")
    argv = ["validate", "2018-07", "--agencies", agencies, "--test-log", str(tests)]
    argv += ["--as-of", "2018-07-02"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "実績 0 行、数えない記録 1 件" in captured.out
    code = "test-failed" if inside else "evidence-not-counted"
    assert f"cutover: 警告: 312011 鳥取市: {code}: " in captured.err
    assert "test.csv 2行目" in captured.err
    assert main([*argv, "--fail-on", "warning"]) == 3
