"""The agency registry: agencies.csv, readiness.csv and evidence.csv read into frozen models.

Each reader checks every row and reports every problem of a file together, each with its
file, line, bad value and fix (DESIGN.md §3, §4): a coordinator fixes the whole file in one
pass, and no row is ever dropped silently. Headers may be English or Japanese.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import attrs

from cutover.codes import (
    check_digit,
    is_prefecture_code,
    municipalities_of,
    official_entry,
    prefecture,
    validate_code,
)
from cutover.csvio import CsvFile, header_key
from cutover.domain import (
    SYSTEMS,
    Kind,
    Side,
    Status,
    normalize_text,
    parse_kind,
    parse_side,
    parse_status,
    parse_system,
)
from cutover.errors import CutoverError, Problem, did_you_mean

if TYPE_CHECKING:
    from cutover.calendar import TaskTemplate
    from cutover.logs import Attempt

__all__ = [
    "AGENCY_COLUMNS",
    "EVIDENCE_COLUMNS",
    "READINESS_COLUMNS",
    "TEMPLATE_NOTE_EN",
    "TEMPLATE_NOTE_JA",
    "Agency",
    "Evidence",
    "Readiness",
    "Registry",
    "load_agencies",
    "load_evidence",
    "load_readiness",
    "load_registry",
    "registry_template",
]

StrPath = str | os.PathLike[str]
_T = TypeVar("_T")

#: Header spellings accepted for each column of agencies.csv (the canonical name always is).
AGENCY_COLUMNS: Mapping[str, Sequence[str]] = {
    "code": ["団体コード", "コード", "全国地方公共団体コード", "地方公共団体コード"],
    "name": ["団体名", "名称", "機関名"],
    "kind": ["種別", "区分", "団体区分"],
    "test_requested": ["機関間試験希望", "試験希望", "機関間試験", "test"],
    "provides": ["提供する特定個人情報", "提供", "提供項目", "提供する特定個人情報番号"],
    "new_delegations": ["新たな委任", "委任受任", "新たな委任受任", "delegations"],
}
#: Header spellings accepted for each column of readiness.csv.
READINESS_COLUMNS: Mapping[str, Sequence[str]] = {
    "code": AGENCY_COLUMNS["code"],
    "system": ["業務システム", "システム", "業務", "business_system"],
    "side": ["提供照会", "提供・照会", "提供/照会", "提供／照会", "区分", "側"],
    "status": ["状況", "対応状況", "状態", "進捗"],
    "planned": ["完了予定日", "予定日", "完了予定", "planned_date"],
}
#: Header spellings accepted for each column of evidence.csv.
EVIDENCE_COLUMNS: Mapping[str, Sequence[str]] = {
    "code": AGENCY_COLUMNS["code"],
    "task": ["作業", "タスク", "対応事項", "task_id"],
    "date": ["日付", "実施日", "完了日"],
    "detail": ["詳細", "内容", "備考", "details", "note"],
}

_YES = frozenset({"yes", "y", "true", "1", "はい", "○", "◯", "〇", "有", "あり", "希望", "要"})
_NO = frozenset(
    {"no", "n", "false", "0", "いいえ", "×", "✕", "✖", "x", "無", "なし", "希望しない", "不要", ""}
)
# NFKC folds full-width commas and spaces; 、 and ・ are the separators a Japanese list uses.
_ITEM_SEPARATORS = re.compile(r"[\s,、・]+")
_MAX_ITEM = 999
# A task id: `name` or `name:qualifier` (inter-agency-test, register:2, modify-query:local-tax).
_TASK_PART = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@attrs.frozen
class Agency:
    """An agency of the registry: a prefecture, municipality, or 一部事務組合・広域連合."""

    code: str
    name: str
    kind: Kind
    test_requested: bool
    provides: frozenset[int]
    new_delegations: frozenset[int]
    line: int


@attrs.frozen
class Readiness:
    """How far one agency's modification of one business system, on one side, has come."""

    code: str
    system: str
    side: Side
    status: Status
    planned: dt.date | None
    line: int


@attrs.frozen
class Evidence:
    """Proof that an agency did a task (the task ids are those the calendar defines)."""

    code: str
    task: str
    date: dt.date
    detail: str
    line: int
    #: the file the row is in, as given (empty for rows made in code)
    file: str = ""
    #: the row comes from an operator's log (`cutover.logs`), which nobody edits
    log: bool = False

    def where(self, lang: str) -> str:
        """Return where the row is written: ``evidence.csv 3行目`` / ``evidence.csv line 3``."""
        name = Path(self.file).name if self.file else "evidence"
        return f"{name} line {self.line}" if lang == "en" else f"{name} {self.line}行目"


def _index_by_code(items: Iterable[_T], code: Callable[[_T], str]) -> dict[str, tuple[_T, ...]]:
    grouped: dict[str, list[_T]] = {}
    for item in items:
        grouped.setdefault(code(item), []).append(item)
    return {k: tuple(v) for k, v in grouped.items()}


@attrs.frozen
class Registry:
    """The agencies of a plan, with their readiness reports and evidence."""

    agencies: tuple[Agency, ...]
    readiness: tuple[Readiness, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    #: log lines that name a task but do not complete it (`cutover.logs`)
    attempts: tuple[Attempt, ...] = ()
    _agency_by_code: Mapping[str, Agency] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(lambda self: {a.code: a for a in self.agencies}, takes_self=True),
    )
    _readiness_by_code: Mapping[str, tuple[Readiness, ...]] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(
            lambda self: _index_by_code(self.readiness, lambda r: r.code), takes_self=True
        ),
    )
    _evidence_by_code: Mapping[str, tuple[Evidence, ...]] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(
            lambda self: _index_by_code(self.evidence, lambda e: e.code), takes_self=True
        ),
    )
    _attempts_by_code: Mapping[str, tuple[Attempt, ...]] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(
            lambda self: _index_by_code(self.attempts, lambda a: a.code), takes_self=True
        ),
    )

    def by_code(self, code: str) -> Agency:
        """Return the agency with this code, or raise `CutoverError` with the nearest codes."""
        agency = self._agency_by_code.get(code)
        if agency is None:
            raise CutoverError(
                f"no agency with code {code!r} in the registry",
                fix=_KnownCodes(self._agency_by_code).fix(code),
            )
        return agency

    def readiness_of(self, code: str) -> tuple[Readiness, ...]:
        """Return the readiness rows of one agency (empty when it reported none)."""
        return self._readiness_by_code.get(code, ())

    def evidence_of(self, code: str) -> tuple[Evidence, ...]:
        """Return the evidence rows of one agency (empty when there are none)."""
        return self._evidence_by_code.get(code, ())

    def attempts_of(self, code: str) -> tuple[Attempt, ...]:
        """Return the log lines of one agency that did not count as evidence."""
        return self._attempts_by_code.get(code, ())


class _Rows:
    """Collects the problems of one file while its rows are parsed field by field."""

    def __init__(self, csv_file: CsvFile) -> None:
        self.file = csv_file
        self.problems: list[Problem] = []
        self.line = 0
        #: how many times each repeated key has been seen (`_duplicate`)
        self.times: dict[object, int] = {}

    def add(self, message: str, fix: str) -> None:
        self.problems.append(Problem(message, fix, self.file.name, self.line))

    def add_error(self, error: CutoverError) -> None:
        self.problems.extend(error.at(file=self.file.name, line=self.line).problems)

    def parse(self, parse: Callable[[str], _T], text: str) -> _T | None:
        """Return `parse(text)`, or None after recording its error at the current line."""
        try:
            return parse(text)
        except CutoverError as exc:
            self.add_error(exc)
            return None

    def required(self, column: str, text: str, fix: str) -> str | None:
        """Return `text`, or None after recording that the column is blank."""
        if text:
            return text
        self.add(f"{column} is blank", fix)
        return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise CutoverError.from_problems(self.problems)


_EMPTY_ROWS_FIX = (
    "delete the empty rows: in Excel, select them (under or between the data), delete them "
    "with 行の削除 and save again (Excel writes a row of commas for each row once used or "
    "formatted)"
)


def _each_row(rows: _Rows) -> Iterable[Mapping[str, str]]:
    """Yield the values of each readable row, recording unreadable rows as problems.

    A run of empty rows (",,,,," as Excel writes them, often hundreds under the data) is
    one problem, and a row that repeats the header (two sheets pasted together) is one
    problem, not one per column.
    """
    empty: list[int] = []  # the lines of the current run of empty rows

    def end_of_empty_run() -> None:
        if not empty:
            return
        message = (
            "the row is empty"
            if len(empty) == 1
            else f"the rows on lines {empty[0]}–{empty[-1]} are empty ({len(empty)} rows)"
        )
        rows.problems.append(Problem(message, _EMPTY_ROWS_FIX, rows.file.name, empty[0]))
        empty.clear()

    header_names = rows.file.header_names()
    for row in rows.file.rows():
        if isinstance(row, CutoverError):
            end_of_empty_run()
            rows.line = row.problems[0].line or 0
            rows.add_error(row)
            continue
        rows.line = row.line
        if not any(row.values.values()):
            empty.append(row.line)
            continue
        end_of_empty_run()
        code = row.values["code"]
        if (
            not code.isdigit()
            and header_names.get(header_key(code)) is not None
            and all(header_names.get(header_key(v)) is not None for v in row.values.values() if v)
        ):
            _repeated_header(rows, row.values, header_names)
            continue
        yield row.values
    end_of_empty_run()


def _repeated_header(
    rows: _Rows, values: Mapping[str, str], header_names: Mapping[str, str]
) -> None:
    """Record the problem of a row that is a header: two sheets or files pasted together."""
    moved = [
        name
        for name, value in values.items()
        if value and header_names.get(header_key(value)) != name
    ]
    if not moved:
        rows.add(
            "the row repeats the header: two sheets or files pasted together",
            fix="delete this row (the rows under it are read in the columns of the first header)",
        )
        return
    rows.add(
        "the row is a header with its columns in another order than the first header's "
        f"(here {', '.join(moved)} hold other columns' names): two sheets or files pasted "
        "together",
        fix="move the columns of the rows under it into the first header's order (or paste "
        "that sheet again with its columns in that order), then delete this row",
    )


def _duplicate(rows: _Rows, seen: dict[_T, int], key: _T, what: str, fix: str) -> bool:
    """Return True (and record a problem naming both lines) when `key` was seen before."""
    first = seen.setdefault(key, rows.line)
    if first == rows.line:
        return False
    times = rows.times[key] = rows.times.get(key, 1) + 1
    if times == 2:
        rows.add(f"{what} appears twice, on lines {first} and {rows.line}", fix)
    else:
        # One problem per repeated row, each saying what it is: not "twice" three times.
        rows.add(
            f"{what} appears again, on line {rows.line}: {times} times so far, "
            f"first on line {first}",
            fix,
        )
    return True


# What to write in a blank or unknown column, built once: the messages reuse them.
_CHOICES = {
    "kind": "prefecture, municipality or association (都道府県, 市区町村, 一部事務組合等)",
    "system": ", ".join(f"{s.id} ({s.ja})" for s in SYSTEMS),
    "side": "provision or query (提供 or 照会)",
    "status": "done, planned, not-started or n/a (完了, 予定, 未着手, 対象外)",
}


def _parse_test_requested(text: str) -> bool:
    """Return True for yes (yes/true/1/はい/○/有), False for no or blank, else raise."""
    key = normalize_text(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CutoverError(
        f"test_requested {text!r} is neither yes nor no",
        fix="write yes or no (also true/false, 1/0, はい/いいえ, ○/×, 有/無); blank means no",
    )


def _parse_items(text: str, column: str = "items") -> frozenset[int]:
    """Return the item numbers listed in `text` ("2 21", "2,21", "2、21", "2・21"; blank = none)."""
    if not text:
        return frozenset()
    found: set[int] = set()
    folded = text if text.isascii() else unicodedata.normalize("NFKC", text)
    for token in _ITEM_SEPARATORS.split(folded.strip()):
        if not token:
            continue
        number = token.removesuffix("番")  # 特定個人情報2番
        if not number.isascii() or not number.isdigit() or not 1 <= int(number) <= _MAX_ITEM:
            raise CutoverError(
                f"{column} {text!r}: {token!r} is not an item number",
                fix=f"write item numbers from 1 to {_MAX_ITEM} separated by spaces, commas, "
                "、 or ・ (e.g. 2 21)",
            )
        found.add(int(number))
    return frozenset(found)


def _parse_date(text: str, column: str) -> dt.date:
    """Return the date written in `text`: ISO first, then wareki (平成30年6月29日, H30.6.29).

    A time of day after the date (``2018/06/08 0:00``, as Excel writes a date-time cell) is
    checked and dropped: the day is the date. An Excel serial number (``43250``) and a date
    without a year (``6月8日``) are refused, saying what they are.
    """
    value = unicodedata.normalize("NFKC", text).strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    timed = _TIME_OF_DAY.fullmatch(value)
    if timed is not None:
        hour, minute, second = int(timed["h"]), int(timed["m"]), int(timed["s"] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise CutoverError(
                f"{column}: {text.strip()!r} has no time {hour}:{minute:02d}:{second:02d}",
                fix="hours run 0–23, minutes and seconds 0–59; or write the date alone",
            )
        value = timed["day"]
    # Imported on first use: only dates that are not ISO need the wareki parser.
    from cutover.wareki import parse_date

    try:
        return parse_date(value)
    except CutoverError as exc:
        mistake = _excel_date_mistake(value, column)
        if mistake is not None:
            raise mistake from None
        # The column is named first, so that a row with two dates says which one is wrong.
        raise CutoverError.from_problems(
            attrs.evolve(p, message=f"{column}: {p.message}") for p in exc.problems
        ) from None


# A time after a date, as Excel writes a date-time cell: 2018/06/08 0:00, 2018-06-08T09:30:00.
_TIME_OF_DAY = re.compile(
    r"(?P<day>.*?[0-9日)])[\sT]+"
    r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.[0-9]{1,6})?)?"
)
# A day without its year, as a cell formatted 「m月d日」 or m/d shows it: 6月8日, 6/8, 6/8(金).
_NO_YEAR = re.compile(
    r"(?P<m>[0-9]{1,2})\s*(?:月\s*(?P<d>[0-9]{1,2})\s*日|/\s*(?P<d2>[0-9]{1,2}))"
    r"(?:\s*\([^()]{1,12}\))?"
)


def _excel_date_mistake(value: str, column: str) -> CutoverError | None:
    """Return the error for a date Excel wrote in a form that cannot be read as one day:
    its serial number (``43250``), or month and day without the year (``6月8日``). Else None.
    """
    from cutover.wareki import excel_serial

    serial = excel_serial(value)
    if serial is not None:
        when = f"{serial:%Y-%m-%d}" if serial.time() == dt.time() else f"{serial:%Y-%m-%d %H:%M}"
        return CutoverError(
            f"{column}: {value!r} is a date as Excel stores it ({when} in Excel's 1900 date "
            "system), not as it shows it",
            fix="format the column as a date (日付, yyyy/m/d) in Excel before saving, so that "
            f"it is written as {serial.year}/{serial.month}/{serial.day} (if that is the date "
            "meant)",
        )
    timed = _TIME_OF_DAY.fullmatch(value)
    match = _NO_YEAR.fullmatch(timed["day"] if timed is not None else value)
    if match is not None:
        month, day = int(match["m"]), int(match["d"] or match["d2"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return CutoverError(
                f"{column}: {value!r} has no year (a cell formatted to show month and day only)",
                fix=f"write the year too, e.g. 2018/{month}/{day} or 平成30年{month}月{day}日 "
                "if it is in 2018: in Excel, format the column as a date with its year "
                "(日付, yyyy/m/d) before saving",
            )
    return None


class _KnownCodes:
    """The codes of the agencies file, and the fix for a code that is not among them."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = frozenset(codes)
        self._fives = frozenset(c[:5] for c in self.codes)
        self._prefectures = frozenset(c[:2] for c in self.codes)
        self._fixes: dict[str, str] = {}  # a readiness file repeats each code many times

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def fix(self, code: str) -> str:
        """Return the fix for an unknown code: the nearest known code, or to add the agency."""
        # Near codes are those one typo away: one digit changed, or two neighbours swapped,
        # with the check digit recomputed. Looking up these ~50 codes keeps the work per
        # row constant, where difflib over every agency would be quadratic in a national file.
        if code in self._fixes:
            return self._fixes[code]
        entry = official_entry(code)
        if entry is not None and code[:2] not in self._prefectures:
            # A real agency of another prefecture (a national log holds them all): not a
            # typo of one of ours, and not one to add.
            fix = (
                f"it is {entry.full_name}, of another prefecture than the agencies file's: "
                "delete the row if the file holds other prefectures' rows, or add the agency "
                "if it is one of yours"
            )
            self._fixes[code] = fix
            return fix
        five = code[:5]
        variants = {five[:i] + d + five[i + 1 :] for i in range(5) for d in "0123456789"}
        variants |= {five[:i] + five[i + 1] + five[i] + five[i + 2 :] for i in range(4)}
        near = sorted(f"{v}{check_digit(v)}" for v in variants & self._fives)
        fix = "add the agency to the agencies file, or correct the code"
        if near:
            fix = did_you_mean(code, near) + " Otherwise add the agency to the agencies file"
        self._fixes[code] = fix
        return fix


def load_agencies(path: StrPath) -> tuple[Agency, ...]:
    """Return the agencies of an agencies.csv, sorted by code; raise every problem together."""
    csv_file = CsvFile(
        Path(path), columns=AGENCY_COLUMNS, required=list(AGENCY_COLUMNS), label="agencies file"
    )
    rows = _Rows(csv_file)
    agencies: list[Agency] = []
    seen: dict[str, int] = {}
    count = 0
    for values in _each_row(rows):
        count += 1
        code = rows.parse(validate_code, values["code"])
        name = rows.required("name", values["name"], "write the agency's name (団体名)")
        kind_text = rows.required("kind", values["kind"], f"write {_CHOICES['kind']}")
        kind = rows.parse(parse_kind, kind_text) if kind_text is not None else None
        test_requested = rows.parse(_parse_test_requested, values["test_requested"])
        provides = rows.parse(lambda t: _parse_items(t, "provides"), values["provides"])
        delegations = rows.parse(
            lambda t: _parse_items(t, "new_delegations"), values["new_delegations"]
        )
        if code is not None and kind is not None:
            _check_kind(rows, code, kind)
        if code is not None and _duplicate(
            rows, seen, code, f"code {code!r}", "keep one row per agency"
        ):
            continue
        if (
            code is None
            or name is None
            or kind is None
            or test_requested is None
            or provides is None
            or delegations is None
        ):
            continue
        agencies.append(Agency(code, name, kind, test_requested, provides, delegations, rows.line))
    if count == 0 and not rows.problems:
        rows.line = 2
        rows.add(
            "the agencies file has no agencies",
            fix="add one row per agency under the header (cutover init --prefecture NN "
            "writes one for a whole prefecture)",
        )
    rows.raise_if_any()
    return tuple(sorted(agencies, key=lambda a: a.code))


def _check_kind(rows: _Rows, code: str, kind: Kind) -> None:
    """Record a problem when the code's shape disagrees with the kind of agency."""
    if kind is Kind.PREFECTURE and not is_prefecture_code(code):
        rows.add(
            f"kind is prefecture but {code!r} is not a prefecture's code",
            fix=f"a prefecture's code is NN000 and a check digit (東京都: 130001); "
            f"if {code!r} is right, the kind is municipality or association",
        )
    elif kind is not Kind.PREFECTURE and is_prefecture_code(code):
        entry = official_entry(code)
        whose = f"{entry.name}'s code" if entry is not None else "a prefecture's code"
        rows.add(
            f"kind is {kind.value} but {code!r} is {whose}",
            fix="set the kind to prefecture, or correct the code",
        )
    elif kind is Kind.ASSOCIATION:
        entry = official_entry(code)
        if entry is not None:
            rows.add(
                f"kind is association but {code!r} is the code of {entry.full_name}",
                fix="set the kind to municipality, or give the association's own code",
            )


def _agency_code(rows: _Rows, text: str, known: _KnownCodes | None) -> str | None:
    """Return the validated code of a row, recording a problem when it is not an agency's."""
    if known is not None and text in known:
        # Written exactly as an agency's (validated) code: the usual row, nothing to check.
        return text
    code = rows.parse(validate_code, text)
    if code is not None and known is not None and code not in known:
        rows.add(f"code {code!r} is not in the agencies file", known.fix(code))
        return None
    return code


def load_readiness(
    path: StrPath, agencies: Iterable[Agency] | None = None
) -> tuple[Readiness, ...]:
    """Return the rows of a readiness.csv, sorted by code, system and side.

    When `agencies` is given, a code that is not one of theirs is a problem. Every problem
    of the file is raised together.
    """
    csv_file = CsvFile(
        Path(path),
        columns=READINESS_COLUMNS,
        required=["code", "system", "side", "status"],
        label="readiness file",
    )
    rows = _Rows(csv_file)
    known = None if agencies is None else _KnownCodes(a.code for a in agencies)
    found: list[Readiness] = []
    seen: dict[tuple[str, str, Side], int] = {}
    for values in _each_row(rows):
        code = _agency_code(rows, values["code"], known)
        system_text = rows.required("system", values["system"], f"write {_CHOICES['system']}")
        system = rows.parse(parse_system, system_text) if system_text is not None else None
        side_text = rows.required("side", values["side"], f"write {_CHOICES['side']}")
        side = rows.parse(parse_side, side_text) if side_text is not None else None
        status_text = rows.required("status", values["status"], f"write {_CHOICES['status']}")
        status = rows.parse(parse_status, status_text) if status_text is not None else None
        planned_text = values.get("planned", "")
        planned = (
            rows.parse(lambda t: _parse_date(t, "planned"), planned_text) if planned_text else None
        )
        if status is Status.PLANNED and not planned_text:
            rows.add(
                "status is planned but no planned date is given",
                fix="write the date the modification will be complete in the planned column"
                if "planned" in values
                else "add a planned column with the date the modification will be complete",
            )
            continue
        if code is None or system is None or side is None or status is None:
            continue
        if planned_text and planned is None:
            continue
        if _duplicate(
            rows,
            seen,
            (code, system, side),
            f"code {code!r}, system {system}, side {side.value}",
            "keep one row per agency, business system and side",
        ):
            continue
        found.append(Readiness(code, system, side, status, planned, rows.line))
    rows.raise_if_any()
    system_order = {s.id: i for i, s in enumerate(SYSTEMS)}
    side_order = {s: i for i, s in enumerate(Side)}
    return tuple(sorted(found, key=lambda r: (r.code, system_order[r.system], side_order[r.side])))


def _parse_task_id(text: str, tasks: Sequence[TaskTemplate] = ()) -> str:
    """Return the task id in `text` (`name` or `name:qualifier`), checking its syntax only.

    A Japanese business-system name as qualifier becomes its id (modify-query:地方税務 →
    modify-query:local-tax). Whether the id exists is for the calendar to say; given its
    `tasks`, a task written by its Japanese name (機関間試験) gets the id it seems to mean
    in the message.
    """
    task = normalize_text(text)
    name, colon, qualifier = task.partition(":")
    if colon and not _TASK_PART.fullmatch(qualifier) and qualifier:
        with contextlib.suppress(CutoverError):
            qualifier = parse_system(qualifier)
    if _TASK_PART.fullmatch(name) and (not colon or _TASK_PART.fullmatch(qualifier)):
        return f"{name}{colon}{qualifier}"
    if tasks:
        from cutover.calendar import suggest_task

        meant = suggest_task(text, tasks)
        if meant is not None:
            raise CutoverError(
                f"task {text!r} is not a task id",
                fix=f"it seems to mean {meant}: write the task id as the checklist shows it",
            )
    raise CutoverError(
        f"task {text!r} is not a task id",
        fix="a task id is a name or name:qualifier in lower-case letters, digits and "
        "hyphens (inter-agency-test, register:2, modify-query:local-tax)",
    )


def load_evidence(
    path: StrPath,
    agencies: Iterable[Agency] | None = None,
    *,
    tasks: Sequence[TaskTemplate] = (),
) -> tuple[Evidence, ...]:
    """Return the rows of an evidence.csv, sorted by code, date and task.

    When `agencies` is given, a code that is not one of theirs is a problem. Every problem
    of the file is raised together. With the calendar's `tasks`, a task written by its
    Japanese name is told which id it seems to mean.
    """
    csv_file = CsvFile(
        Path(path),
        columns=EVIDENCE_COLUMNS,
        required=["code", "task", "date"],
        label="evidence file",
        notes=frozenset({"detail"}),  # 内容 and 備考 side by side: the first is read
    )
    rows = _Rows(csv_file)
    known = None if agencies is None else _KnownCodes(a.code for a in agencies)
    found: list[Evidence] = []
    for values in _each_row(rows):
        code = _agency_code(rows, values["code"], known)
        task_text = rows.required(
            "task", values["task"], "write the task id (inter-agency-test, register:2, …)"
        )
        task = (
            rows.parse(lambda t: _parse_task_id(t, tasks), task_text)
            if task_text is not None
            else None
        )
        date_text = rows.required(
            "date", values["date"], "write the date the task was done (YYYY-MM-DD or wareki)"
        )
        date = rows.parse(lambda t: _parse_date(t, "date"), date_text) if date_text else None
        if code is None or task is None or date is None:
            continue
        found.append(Evidence(code, task, date, values.get("detail", ""), rows.line, str(path)))
    rows.raise_if_any()
    return tuple(sorted(found, key=lambda e: (e.code, e.date, e.task, e.line)))


def load_registry(
    agencies_path: StrPath,
    readiness_path: StrPath | None = None,
    evidence_paths: Iterable[StrPath] = (),
    *,
    registration_logs: Iterable[StrPath] = (),
    test_logs: Iterable[StrPath] = (),
    tasks: Sequence[TaskTemplate] = (),
) -> Registry:
    """Return the registry read from its files; the problems of all files are raised together.

    `registration_logs` and `test_logs` are the operators' logs (`cutover.logs`): their
    evidence joins evidence.csv's, and their lines that do not count become `attempts`.
    `tasks` (the calendar's) let a task written by its Japanese name in evidence.csv be told
    the id it seems to mean.
    """
    problems: list[Problem] = []
    agencies: tuple[Agency, ...] | None = None
    try:
        agencies = load_agencies(agencies_path)
    except CutoverError as exc:
        problems.extend(exc.problems)
    readiness: tuple[Readiness, ...] = ()
    if readiness_path is not None:
        try:
            readiness = load_readiness(readiness_path, agencies)
        except CutoverError as exc:
            problems.extend(exc.problems)
    evidence: list[Evidence] = []
    for evidence_path in evidence_paths:
        try:
            evidence.extend(load_evidence(evidence_path, agencies, tasks=tasks))
        except CutoverError as exc:
            problems.extend(exc.problems)
    attempts: list[Attempt] = []
    if registration_logs or test_logs:
        from cutover.logs import load_registration_log, load_test_log

        logs = [(load_registration_log, p) for p in registration_logs]
        logs += [(load_test_log, p) for p in test_logs]
        for load_log, log_path in logs:
            try:
                found = load_log(log_path, agencies)
            except CutoverError as exc:
                problems.extend(exc.problems)
                continue
            evidence.extend(found.evidence)
            attempts.extend(found.rejected_attempts)
    if problems or agencies is None:
        raise CutoverError.from_problems(problems)
    # Several evidence files are merged in code order; the sort is stable, so rows of
    # the same code, date and task keep the order of the files given.
    merged = sorted(evidence, key=lambda e: (e.code, e.date, e.task))
    return Registry(agencies, readiness, tuple(merged), tuple(attempts))


def registry_template(prefecture_query: str) -> str:
    """Return an agencies.csv for one prefecture: the prefecture and all its municipalities.

    Names and kinds come from the official code list; test_requested, provides and
    new_delegations are left blank for the coordinator to fill in. 一部事務組合・広域連合
    are not on that list: `TEMPLATE_NOTE_JA` / `TEMPLATE_NOTE_EN` say how to add them.
    """
    pref = prefecture(prefecture_query)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AGENCY_COLUMNS)
    for entry in (pref, *municipalities_of(pref.code)):
        writer.writerow([entry.code, entry.name, entry.kind.value, "", "", ""])
    return out.getvalue()


TEMPLATE_NOTE_JA = (
    "都道府県と管内の市区町村を全国地方公共団体コード一覧から書き出しました。"
    "情報連携を行う一部事務組合・広域連合は一覧にないため、1団体1行で追加してください"
    "（kind は association、code は総務省の全国地方公共団体コードまたは都道府県が示す"
    "検査数字付きの6桁コード）。test_requested（機関間試験の希望: yes/no）、"
    "provides（提供する特定個人情報の番号: 例 2 21）、new_delegations（新たな委任の番号）"
    "を記入してください。Excel で編集する場合は code 列を文字列にして、"
    "先頭の0が消えないようにしてください。"
)
TEMPLATE_NOTE_EN = (
    "Wrote the prefecture and its municipalities from the official local government code "
    "list. Partial-affairs associations and wide-area unions (一部事務組合・広域連合) that take "
    "part in information linkage are not on that list: add one row for each, with kind "
    "association and its 6-digit code with check digit (from the same 総務省 code list, or "
    "as given by the prefecture). Fill in test_requested (inter-agency test requested: "
    "yes/no), provides (item numbers provided, e.g. 2 21) and new_delegations (items with a "
    "new delegation). If you edit the file in Excel, format the code column as text so that "
    "leading zeros are kept."
)
