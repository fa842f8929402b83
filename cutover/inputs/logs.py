"""The operators' logs read as evidence: duplicate registrations and inter-agency tests.

J-LIS extracts the registration logs of the intermediate server for the ministry (§5), and
the ministry reads the connection-verification environment's logs of the test window (§4).
A coordinator who receives these extracts gives them to `cutover` as they are: each becomes
`Evidence` (``register:N``, ``inter-agency-test``) for the planner, besides evidence.csv.

Not every line of a log proves a task done. A registration of zero records, or a test whose
result is a failure, is an `Attempt`: kept, reported in the checklist and the hearings list,
never counted. Headers may be English or Japanese, in any order; extra columns are ignored;
every problem of a file is reported together, with its line, the bad value and the fix.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import attrs

from cutover.errors import CutoverError
from cutover.i18n.catalogue import Msg
from cutover.i18n.catalogue import text as catalogue_text
from cutover.inputs.columns import REGISTRATION_LOG_COLUMNS, TEST_LOG_COLUMNS
from cutover.inputs.model import (
    Agency,
    Attempt,
    AttemptReason,
    Evidence,
    StrPath,
    shown_file_name,
)
from cutover.inputs.rows import (
    _WRITE,
    KnownCodes,
    _agency_code,
    _each_row,
    _excel_date_mistake,
    _Rows,
)
from cutover.inputs.workbook import open_table
from cutover.jp.vocabulary import normalize_text
from cutover.triage import parse_item, parse_requested

__all__ = [
    "REGISTRATION_LOG_COLUMNS",
    "TEST_LOG_COLUMNS",
    "TEST_TASK",
    "Attempt",
    "AttemptReason",
    "LogEvidence",
    "load_registration_log",
    "load_test_log",
    "parse_record_count",
    "parse_test_result",
]


#: The task a successful inter-agency test completes (the calendar's task id).
TEST_TASK = "inter-agency-test"

_SUCCESS = frozenset(
    {"success", "succeeded", "successful", "ok", "pass", "passed", "正常", "正常終了", "成功"}
)
_FAILURE = frozenset(
    {
        "failure",
        "failed",
        "fail",
        "error",
        "ng",
        "異常",
        "異常終了",
        "失敗",
        "エラー",
    }
)


@attrs.frozen
class LogEvidence:
    """What one log proves: evidence of tasks done, and the attempts that do not count."""

    evidence: tuple[Evidence, ...]
    rejected_attempts: tuple[Attempt, ...]


def parse_record_count(text: str) -> int:
    """Return the record count written in `text` (``1234``, ``1,234``, ``１２３４件``)."""
    folded = unicodedata.normalize("NFKC", text).strip().removesuffix("件").strip()
    digits = folded.replace(",", "")
    if not digits.isascii() or not digits.isdigit():
        if digits.startswith("-") and digits[1:].isdigit():
            raise CutoverError.of("inputs.records-negative", value=text, column="records")
        raise CutoverError.of("inputs.records-not-a-number", value=text, column="records")
    return int(digits)


def parse_test_result(text: str) -> bool:
    """Return True for a successful test (success, OK, 正常, 成功), False for a failed one."""
    key = normalize_text(text)
    if key in _SUCCESS:
        return True
    if key in _FAILURE:
        return False
    if key in ("0", "1"):
        # 0 is success as an exit status but false as a flag: guessing could turn a failed
        # test into a completed one, so the file must say it in words.
        raise CutoverError.of(
            "inputs.result-ambiguous", value=text, how=_WRITE["result"], column="result"
        )
    # (`column` names the column as a workbook heads it, and its cell: `headed`.)
    raise CutoverError.of(
        "inputs.unknown-result", value=text.strip(), how=_WRITE["result"], column="result"
    )


def _parse_day(text: str, column: str) -> dt.date:
    """Return the JST day of the date or date-time in `text` (naive values are JST)."""
    try:
        return parse_requested(text).date()
    except CutoverError as exc:
        # An Excel serial number (43256) or a day without its year (6月5日) is named as
        # such, in the words of evidence.csv's dates.
        mistake = _excel_date_mistake(unicodedata.normalize("NFKC", text).strip(), column)
        if mistake is not None:
            raise mistake from None
        # The reader's problem as it is (its text in the reader's language), under the column.
        raise exc.at(key=column) from None


@attrs.frozen
class _Line:
    code: str
    task: str
    date: dt.date
    line: int
    #: None when the line counts; else why it does not
    reason: AttemptReason | None
    records: int | None = None
    result: str = ""


def _open_log(
    path: StrPath,
    agencies: Iterable[Agency] | None,
    columns: Mapping[str, Sequence[str]],
    label: str,
) -> tuple[_Rows, KnownCodes | None]:
    """Return the rows of an operators' log (every column required; `label` the catalogue's
    name of the file) and the codes of `agencies`, None when not given."""
    known = KnownCodes.of_agencies(agencies)
    csv_file = open_table(
        path,
        columns=columns,
        required=list(columns),
        label=Msg(label),
        codes=("code",),
        known=None if known is None else known.__contains__,
    )
    return _Rows(csv_file), known


def load_registration_log(path: StrPath, agencies: Iterable[Agency] | None = None) -> LogEvidence:
    """Return what a duplicate-registration log (副本登録ログ) proves.

    Each agency, item and day with more than zero records registered is evidence of
    ``register:<item>`` on that day; a day with only zero-record lines is an attempt that
    does not count. When `agencies` is given, a code that is not one of theirs is a
    problem. Every problem of the file is raised together.
    """
    rows, known = _open_log(
        path, agencies, REGISTRATION_LOG_COLUMNS, "inputs.file-registration-log"
    )
    lines: list[_Line] = []
    for values in _each_row(rows):
        code = _agency_code(rows, values["code"], known)
        item_text = rows.required("item", values["item"])
        item = rows.parse(parse_item, item_text, "item") if item_text is not None else None
        date_text = rows.required("registered", values["registered"])
        date = rows.parse(lambda t: _parse_day(t, "registered"), date_text) if date_text else None
        records_text = rows.required("records", values["records"])
        records = rows.parse(parse_record_count, records_text) if records_text else None
        if code is None or item is None or date is None or records is None:
            continue
        reason = AttemptReason.ZERO_RECORDS if records == 0 else None
        lines.append(_Line(code, f"register:{item}", date, rows.line, reason, records=records))
    rows.raise_if_any()
    return _gather(lines, rows.name, "inputs.log-registration")


def load_test_log(path: StrPath, agencies: Iterable[Agency] | None = None) -> LogEvidence:
    """Return what an inter-agency test log (機関間試験ログ) proves.

    Each agency and day with a successful test is evidence of ``inter-agency-test``; a day
    with only failed tests is an attempt that does not count. When `agencies` is given, a
    code that is not one of theirs is a problem. Every problem of the file is raised
    together.
    """
    rows, known = _open_log(path, agencies, TEST_LOG_COLUMNS, "inputs.file-test-log")
    lines: list[_Line] = []
    for values in _each_row(rows):
        code = _agency_code(rows, values["code"], known)
        date_text = rows.required("tested", values["tested"])
        date = rows.parse(lambda t: _parse_day(t, "tested"), date_text) if date_text else None
        result_text = rows.required("result", values["result"])
        passed = rows.parse(parse_test_result, result_text) if result_text else None
        if code is None or date is None or passed is None or result_text is None:
            continue
        reason = None if passed else AttemptReason.FAILED_TEST
        lines.append(_Line(code, TEST_TASK, date, rows.line, reason, result=result_text))
    rows.raise_if_any()
    return _gather(lines, rows.name, "inputs.log-test")


def _gather(lines: Sequence[_Line], file: str, note: str) -> LogEvidence:
    """Return the evidence and attempts of a log's lines, one per agency, task and day.

    A log repeats an agency and item many times (one line per batch): the lines of one
    day become one evidence row (its first counted line; records summed), so that the
    planner still sees every day and picks the first one inside the window. Its detail is
    the catalogue's `note` (``inputs.log-registration``, ``inputs.log-test``) in Japanese,
    as the details of evidence.csv are written: a row's detail is data, shown as it is in
    every language.
    """
    counted: dict[tuple[str, str, dt.date], list[_Line]] = {}
    uncounted: dict[tuple[str, str, dt.date, AttemptReason], list[_Line]] = {}
    for line in lines:
        if line.reason is None:
            counted.setdefault((line.code, line.task, line.date), []).append(line)
        else:
            uncounted.setdefault((line.code, line.task, line.date, line.reason), []).append(line)
    name = shown_file_name(file)
    evidence = []
    for (code, task, date), day in counted.items():
        first = day[0]
        what = {"records": sum(x.records or 0 for x in day), "result": first.result}
        detail = catalogue_text(note, "ja", file=name, line=first.line, **what)
        evidence.append(Evidence(code, task, date, detail, first.line, file, log=True))
    attempts = [
        Attempt(code, task, date, reason, day[0].line, file, len(day))
        for (code, task, date, reason), day in uncounted.items()
    ]
    return LogEvidence(
        evidence=tuple(sorted(evidence, key=lambda e: (e.code, e.date, e.task, e.line))),
        rejected_attempts=tuple(sorted(attempts, key=lambda a: (a.code, a.task, a.date, a.line))),
    )
