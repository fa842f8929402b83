"""Reading the rows of a registry file field by field: problems located by line, repeated keys,
cell values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, TypeVar

from cutover.errors import (
    CutoverError,
    Problem,
    clip,
    printable,
    suggest,
    type_error,
    warn_input,
)
from cutover.i18n.catalogue import Alternatives, Msg
from cutover.inputs.blocks import CsvBlock
from cutover.inputs.csvfile import header_key
from cutover.jp.closed_days import FIRST_YEAR, JST, LAST_YEAR
from cutover.jp.codes import (
    check_digit,
    has_valid_check_digit,
    is_prefecture_code,
    official_entry,
    validate_code,
)
from cutover.jp.iso import iso_moment
from cutover.jp.vocabulary import (
    SYSTEMS,
    Kind,
    is_note,
    is_total_label,
    normalize_text,
    parse_system,
)

if TYPE_CHECKING:
    from cutover.calendar.model import TaskTemplate
    from cutover.inputs.workbook import TableFile
_T = TypeVar("_T")

_YES = frozenset({"yes", "y", "true", "1", "はい", "○", "◯", "〇", "有", "あり", "希望", "要"})
_NO = frozenset(
    {"no", "n", "false", "0", "いいえ", "×", "✕", "✖", "x", "無", "なし", "希望しない", "不要", ""}
)
# NFKC folds full-width commas and spaces; 、 and ・ are the separators a Japanese list uses.
_ITEM_SEPARATORS = re.compile(r"[\s,、・]+")
_MAX_ITEM = 999
# What a clerk writes in an item list for "none", as for a test not requested (blank too).
_NO_ITEMS = frozenset({"なし", "無し", "無", "該当なし", "-"})
# A task id: `name` or `name:qualifier` (inter-agency-test, register:2, modify-query:local-tax).
_TASK_PART = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class _Rows:
    """Collects the problems of one file while its rows are parsed field by field."""

    def __init__(self, csv_file: TableFile) -> None:
        self.file = csv_file
        self.name = csv_file.name
        # What duplicates name the table by (`_duplicate`): the file, as it was given: with
        # its sheet, when one was (two sheets of one book, given as two inputs, are two
        # tables, whose lines are not one sheet's).
        sheet: str | None = getattr(csv_file, "sheet", None)
        self.place = self.name if sheet is None else f"{self.name}#{sheet}"
        self.problems: list[Problem] = []
        self.line = 0
        #: how many times each repeated key has been seen (`_duplicate`)
        self.times: dict[object, int] = {}

    def add(self, code: str, /, **params: object) -> None:
        """Record the problem `code` (a catalogue code) with `params` at the current line."""
        self.problems.append(Problem(file=self.file.name, line=self.line, code=code, params=params))

    def add_error(self, error: CutoverError, key: str | None = None) -> None:
        self.problems.extend(error.at(file=self.file.name, line=self.line, key=key).problems)

    def parse(self, parse: Callable[[str], _T], text: str, key: str | None = None) -> _T | None:
        """Return `parse(text)`, or None after recording its error at the current line (and
        in column `key`, when its error names none: a workbook's cell, 改修状況!D7)."""
        try:
            return parse(text)
        except CutoverError as exc:
            self.add_error(exc, key)
            return None

    def required(self, column: str, text: str) -> str | None:
        """Return `text`, or None after recording that the column is blank (and what to
        write in it)."""
        if text:
            return text
        self.add("inputs.blank", column=column, how=_WRITE[column])
        return None

    def raise_if_any(self) -> None:
        """Raise every problem recorded, each placed where it is (a workbook's sheet and
        cell)."""
        if self.problems:
            raise CutoverError.from_problems(self.file.locate(p) for p in self.problems)


def _each_row(rows: _Rows) -> Iterable[Mapping[str, str]]:
    """Yield the values of each readable row (`_each_run`), `rows.line` set to its line."""
    for run in _each_run(rows):
        names = repeat(tuple(run.columns))
        # (Each row's dict made from a zip, in C loops.)
        values = map(dict, map(zip, names, zip(*run.columns.values(), strict=True)))
        for line, row in zip(run.lines, values, strict=True):
            rows.line = line
            yield row


def _each_run(rows: _Rows) -> Iterable[CsvBlock]:
    """Yield the readable rows in runs of consecutive rows, by column (values stripped),
    recording unreadable rows as problems.

    A run of empty rows (",,,,," as Excel writes them, often hundreds under the data) is
    one problem, and a row that repeats the header (two sheets pasted together) is one
    problem, not one per column. Each run is read by the caller before the rows after it
    are: their problems come in file order.
    """
    empty: list[int] = []  # the lines of the current run of empty rows
    # Rows with a value only in a column no reader reads (a note under 備考): no rows, and
    # not empty ones; one warning at the end says how many, and the first.
    notes: list[tuple[int, str, str, tuple[str, ...]]] = []
    outside: dict[int, tuple[str, str, tuple[str, ...]]] | None = None  # (asked once)

    def end_of_empty_run() -> None:
        nonlocal outside
        if not empty:
            return
        if outside is None:
            outside = rows.file.outside_values()
        found = outside
        if any(line in found for line in empty):
            notes.extend((line, *found[line]) for line in empty if line in found)
            empty[:] = [line for line in empty if line not in found]
            if not empty:
                return
        if len(empty) == 1:
            code, params = "inputs.empty-row", {}
        else:
            code, params = "inputs.empty-rows", {"first": empty[0], "last": empty[-1]}
        params["count"] = len(empty)
        rows.problems.append(Problem(file=rows.file.name, line=empty[0], code=code, params=params))
        empty.clear()

    header_names = rows.file.header_names()
    for block in rows.file.stripped_blocks():
        if isinstance(block, CutoverError):
            end_of_empty_run()
            rows.line = block.problems[0].line or 0
            rows.add_error(block)
            continue
        codes = block.columns["code"]  # (every file read here has one)
        if "" not in codes and "".join(codes).isdigit():
            # The usual block: a code of digits on every row, so none is empty or a header.
            end_of_empty_run()
            yield block
            continue
        for k, line in enumerate(block.lines):
            rows.line = line
            values = {name: column[k] for name, column in block.columns.items()}
            if not any(values.values()):
                empty.append(line)
                continue
            end_of_empty_run()
            code = values["code"]
            if (
                not code.isdigit()
                and header_names.get(header_key(code)) is not None
                and all(header_names.get(header_key(v)) is not None for v in values.values() if v)
            ):
                _repeated_header(rows, values, header_names)
                continue
            if not code.isdigit():
                # A total row under the table (合計 | 23団体): one problem saying so, not one
                # a column asking for a code, a system, a date to be written into it.
                total = next((n for n, v in values.items() if is_total_label(v)), None)
                if total is not None:
                    rows.add("inputs.total-row", column=total, value=values[total])
                    continue
                # A note written under the table, in a row of its own (※ 注: 一部事務組合は別途):
                # one problem saying so, not one for each column it leaves blank.
                filled = [(n, v) for n, v in values.items() if v]
                if len(filled) == 1 and is_note(filled[0][1]):
                    column, value = filled[0]
                    rows.add("inputs.note-row", column=column, value=clip(value, 40))
                    continue
            yield CsvBlock((line,), {name: [value] for name, value in values.items()})
    end_of_empty_run()
    warn_outside(rows.file.name, notes)


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
        rows.add("inputs.repeated-header")
        return
    rows.add("inputs.repeated-header-reordered", moved=tuple(moved))


def _duplicate(
    rows: _Rows,
    seen: dict[_T, tuple[str, int]],
    key: _T,
    what: str,
    params: Callable[[_T], Mapping[str, object]],
) -> bool:
    """Return True (and record a problem naming both lines) when `key` was seen before.

    `what` names the problem: ``inputs.duplicate-<what>`` the first time a key repeats,
    ``inputs.duplicate-<what>-again`` after, with the parameters `params(key)` gives (what
    the key is: asked for only then, as a file's rows are nearly all seen once).
    `seen` may be shared by several files: a key first seen in another file is
    ``inputs.duplicate-<what>-in-files``, which names both files and lines.
    """
    here = (rows.place, rows.line)
    found = seen.setdefault(key, here)
    if found == here:
        return False
    first_file, first = found
    if first_file != here[0]:
        rows.add(
            f"inputs.duplicate-{what}-in-files",
            first_file=printable(first_file),
            first=first,
            file=printable(here[0]),
            line=rows.line,
            **params(key),
        )
        return True
    times = rows.times[key] = rows.times.get(key, 1) + 1
    if times == 2:
        rows.add(f"inputs.duplicate-{what}", first=first, line=rows.line, **params(key))
    else:
        # One problem per repeated row, each saying what it is: not "twice" three times.
        rows.add(
            f"inputs.duplicate-{what}-again",
            first=first,
            line=rows.line,
            times=times,
            **params(key),
        )
    return True


# What to write in each column when it is blank, built once: the messages reuse them.
_WRITE_DATE_TIME = Msg("inputs.write-date-time")
_WRITE = {
    "name": Msg("inputs.write-name"),
    "kind": Msg("inputs.write-kind"),
    "system": Msg(
        "inputs.write-system",
        {
            "systems": Alternatives(
                tuple(Msg("inputs.system-choice", {"id": s.id, "ja": s.ja}) for s in SYSTEMS)
            )
        },
    ),
    "side": Msg("inputs.write-side"),
    "status": Msg("inputs.write-status"),
    "task": Msg("inputs.write-task"),
    "date": Msg("inputs.write-date"),
    # the operators' logs (cutover.inputs.logs)
    "item": Msg("inputs.write-item"),
    "registered": _WRITE_DATE_TIME,
    "records": Msg("inputs.write-records"),
    "tested": _WRITE_DATE_TIME,
    "result": Msg("inputs.write-result"),
}


def _parse_test_requested(text: str) -> bool:
    """Return True for yes (yes/true/1/はい/○/有), False for no or blank, else raise."""
    key = normalize_text(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CutoverError.of("inputs.test-requested", value=text, column="test_requested")


def _parse_items(text: str, column: str = "items") -> frozenset[int]:
    """Return the item numbers listed in `text` ("2 21", "2,21", "2、21", "2・21"; blank,
    なし or - = none)."""
    if not text or normalize_text(text) in _NO_ITEMS:
        return frozenset()
    found: set[int] = set()
    folded = text if text.isascii() else unicodedata.normalize("NFKC", text)
    for token in _ITEM_SEPARATORS.split(folded.strip()):
        if not token:
            continue
        number = token.removesuffix("番")  # 特定個人情報2番
        if not number.isascii() or not number.isdigit() or not 1 <= int(number) <= _MAX_ITEM:
            raise CutoverError.of(
                "inputs.not-an-item", column=column, value=text, token=token, most=_MAX_ITEM
            )
        found.add(int(number))
    return frozenset(found)


def _parse_date(text: str, column: str) -> dt.date:
    """Return the date written in `text`: ISO first, then wareki (平成30年6月29日, H30.6.29).

    A time of day after the date (``2018/06/08 0:00``, as Excel writes a date-time cell) is
    checked and dropped: the day is the date. An Excel serial number (``43250``) and a date
    without a year (``6月8日``) are refused, saying what they are. An ISO date-time with a
    time zone (``2018-05-31T15:00:00Z``, a workbook's ISO date cell) is the day it is in
    Japan (6/1), as a triaged request's moment is. A date before `FIRST_YEAR` is refused:
    none is meant, and Excel saves a number typed into a date cell (6.28 for 6/28, 28) as
    a day of January 1900.
    """
    day = _read_date(text, column)
    if day.year < FIRST_YEAR:
        raise CutoverError.of(
            "inputs.date-too-early",
            key=column,
            value=text.strip(),
            year=day.year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    return day


def _read_date(text: str, column: str) -> dt.date:
    """Return the date written in `text` (`_parse_date`, whatever its year)."""
    value = unicodedata.normalize("NFKC", text).strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    with contextlib.suppress(ValueError):
        moment = iso_moment(value)
        if moment.tzinfo is not None:
            return moment.astimezone(JST).date()
    timed = _TIME_OF_DAY.fullmatch(value)
    if timed is not None:
        hour, minute, second = int(timed["h"]), int(timed["m"]), int(timed["s"] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise CutoverError.of(
                "inputs.no-such-time",
                key=column,
                value=text.strip(),
                time=f"{hour}:{minute:02d}:{second:02d}",
            )
        value = timed["day"]
    # Imported on first use: only dates that are not ISO need the wareki parser.
    from cutover.jp.wareki import parse_date

    try:
        # (The text as written, unless its time was cut: the error quotes it as the cell
        # shows it, 「２０１８－０６－３１」, not as folded; the parser folds it itself.)
        return parse_date(text.strip() if timed is None else value)
    except CutoverError as exc:
        if column == "planned" and says_no_day(value):
            # (The answer a survey most often gets for a day not yet set: asked for a
            # date's form, the clerk is not told what to write instead.)
            undecided = CutoverError.of("inputs.planned-undecided", key=column, value=text.strip())
            raise undecided from None
        mistake = _excel_date_mistake(value, column, text.strip())
        if mistake is not None:
            raise mistake from None
        # The column is named first (the problem's key), so that a row with two dates says
        # which one is wrong.
        raise exc.at(key=column) from None


#: What is written for a planned day not yet set (folded: NFKC, lower case).
_UNDECIDED = frozenset(
    {"未定", "未確定", "未決定", "調整中", "検討中", "不明", "未", "tbd", "tba", "undecided"}
)
#: The dashes a cell holds to say it has no value (folded: NFKC): -, ―, ー, —.
_DASHES = frozenset("-\u2010\u2012\u2013\u2014\u2015\u2212\u30fc")


def says_no_day(text: str) -> bool:
    """Return whether `text`, written where a day is asked for, says there is none: 未定,
    調整中, TBD (a day not yet set), or a dash alone (－, ―: the cell left empty on purpose)."""
    folded = "".join(unicodedata.normalize("NFKC", text).split()).lower()
    return folded in _UNDECIDED or (bool(folded) and all(c in _DASHES for c in folded))


# A time after a date, as Excel writes a date-time cell: 2018/06/08 0:00, 2018-06-08T09:30:00.
_TIME_OF_DAY = re.compile(
    r"(?P<day>.*?[0-9日)])[\sT]+"
    r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.[0-9]{1,6})?)?"
)


def _excel_date_mistake(value: str, column: str, written: str | None = None) -> CutoverError | None:
    """Return the error for a date Excel wrote in a form that cannot be read as one day:
    its serial number (``43250``), or month and day without the year (``6月8日``). Else None.
    The error quotes `written` (what the file holds), `value` when it is not given.
    """
    from cutover.jp.wareki import excel_serial, month_day

    shown = value if written is None else written

    serial = excel_serial(value)
    if serial is not None:
        when = f"{serial:%Y-%m-%d}" if serial.time() == dt.time() else f"{serial:%Y-%m-%d %H:%M}"
        return CutoverError.of(
            "inputs.excel-serial-date",
            key=column,
            value=shown,
            when=when,
            year=serial.year,
            month=serial.month,
            day=serial.day,
        )
    timed = _TIME_OF_DAY.fullmatch(value)
    found = month_day(timed["day"] if timed is not None else value)
    if found is not None:
        month, day = found
        return CutoverError.of("inputs.no-year", key=column, value=shown, month=month, day=day)
    if _TIME_ONLY.fullmatch(value):
        # (A date cell given 0, or 6:20 for 6/20: a time with no day, 00:00:00 as read.)
        return CutoverError.of("inputs.time-not-date", key=column, value=shown)
    return None


# A time of day alone, as a workbook's cell of a time (or of 0 shown as a date) reads.
_TIME_ONLY = re.compile(r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?")


class KnownCodes:
    """The codes of the agencies file, and the fix for a code that is not among them."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = frozenset(codes)
        self._fives = frozenset(c[:5] for c in self.codes)
        self._prefectures = frozenset(c[:2] for c in self.codes)
        self._fixes: dict[str, Msg] = {}  # a readiness file repeats each code many times

    @classmethod
    def of_agencies(cls, agencies: Iterable[object] | None) -> KnownCodes | None:
        """Return the codes of `agencies` (`Agency` objects, as `load_agencies` gives them),
        or None for None; raise `TypeError` for anything else, a path among them (the
        agencies file's, where its agencies belong), said at the call."""
        if agencies is None:
            return None
        if isinstance(agencies, (str, bytes, os.PathLike)):
            raise type_error("common.not-agencies", "agencies", agencies)
        codes = []
        for agency in agencies:
            code = getattr(agency, "code", None)
            if not isinstance(code, str):
                raise type_error("common.not-agencies", "agencies", agency)
            codes.append(code)
        return cls(codes)

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def read(self, text: str) -> str:
        """Return the code in `text` (`validate_code`); a 5-digit value may stand for one of
        the agencies file's codes (an association's, not on the official list) without its
        check digit."""
        return validate_code(text, meant=self._meant)

    def _meant(self, code: str) -> bool:
        return code in self.codes or official_entry(code) is not None

    def near(self, code: str) -> list[str]:
        """Return the known codes one typo away from `code` (sorted; none when it is far)."""
        # Near codes are those one typo away: one digit changed, or two neighbours swapped,
        # with the check digit recomputed. Looking up these ~50 codes keeps the work per
        # row constant, where difflib over every agency would be quadratic in a national file.
        five = code[:5]
        if five in self._fives:
            # Only the check digit is wrong or missing (a lookup's code is not checked first):
            # the agency is plain, not whichever of its neighbours difflib prefers.
            return [f"{five}{check_digit(five)}"]
        if len(five) != 5:  # (a lookup may be given any text: ``registry["abc"]``)
            return []
        variants = {five[:i] + d + five[i + 1 :] for i in range(5) for d in "0123456789"}
        variants |= {five[:i] + five[i + 1] + five[i] + five[i + 2 :] for i in range(4)}
        return sorted(f"{v}{check_digit(v)}" for v in variants & self._fives)

    def fix(self, code: str) -> Msg:
        """Return the fix for an unknown code: the nearest known code, or to add the agency."""
        if code in self._fixes:
            return self._fixes[code]
        entry = official_entry(code)
        if entry is not None and code[:2] not in self._prefectures:
            # A real agency of another prefecture (a national log holds them all): not a
            # typo of one of ours, and not one to add.
            fix = Msg("inputs.fix-other-prefecture", {"name": entry.full_name})
            self._fixes[code] = fix
            return fix
        # A code whose check digit holds is most likely a real agency's (one taken out of
        # the agencies file, say), not a slip of one of ours: a single slip of a digit almost
        # always breaks the check digit, and one of ours two digits away misled
        # (318035, gone from the file, was asked 「318027」のことですか？ on each of its rows).
        near = [] if has_valid_check_digit(code) else self.near(code)
        fix = Msg("inputs.fix-add-agency")
        if near:
            fix = Msg("inputs.fix-near-code", {"suggestion": suggest(code, near)})
        self._fixes[code] = fix
        return fix


def _check_kind(rows: _Rows, code: str, kind: Kind, taken: tuple[str, int] | None = None) -> bool:
    """Record a problem when the code's shape disagrees with the kind of agency.

    `taken` is the file and line the code is already on (this file or another one read
    with it). When the code is a listed agency's of another kind than the row's, the fix
    "change the kind" would only repeat that row: one problem says so, naming both rows,
    and True tells the caller the repeat is said. An association written with a listed
    agency's code before that agency's row is True too: its problem is this row's fault,
    and the agency's row, read later, is no repeat of it (`load_agencies` names that row
    in the problem once every file is read)."""
    if kind is Kind.PREFECTURE:
        if not is_prefecture_code(code):
            rows.add("inputs.kind-prefecture-code", agency=code)
        return False
    kinds = {"kind": kind.value, "kind_ja": kind.label("ja")}
    entry = official_entry(code)
    if entry is None:
        if is_prefecture_code(code):
            rows.add("inputs.kind-not-prefecture", agency=code, **kinds)
        return False
    if kind is Kind.MUNICIPALITY and not is_prefecture_code(code):
        return False
    if taken is not None:
        first_file, first = taken
        if first_file == rows.place:
            rows.add(
                "inputs.kind-code-taken", agency=code, name=entry.full_name, first=first, **kinds
            )
        else:
            rows.add(
                "inputs.kind-code-taken-in-files",
                agency=code,
                name=entry.full_name,
                first_file=printable(first_file),
                first=first,
                file=printable(rows.place),
                line=rows.line,
                **kinds,
            )
        return True
    if is_prefecture_code(code):
        rows.add("inputs.kind-not-prefecture-named", agency=code, name=entry.name, **kinds)
    else:
        rows.add("inputs.kind-association-code", agency=code, name=entry.full_name, **kinds)
    return True


def _agency_code(rows: _Rows, text: str, known: KnownCodes | None) -> str | None:
    """Return the validated code of a row, recording a problem when it is not an agency's."""
    if known is not None and text in known.codes:
        # Written exactly as an agency's (validated) code: the usual row, nothing to check.
        return text
    read = validate_code if known is None else known.read
    code = rows.parse(read, text, "code")
    if code is not None and known is not None and code not in known:
        # (At the code's cell, as its other problems: a workbook names the cell to correct.)
        rows.add_error(
            CutoverError.of("inputs.not-in-agencies", agency=code, how=known.fix(code)), "code"
        )
        return None
    return code


def _parse_task_id(text: str, tasks: Sequence[TaskTemplate] = ()) -> str:
    """Return the task id in `text` (`name` or `name:qualifier`), checking its syntax only.

    A Japanese business-system name as qualifier becomes its id (modify-query:地方税務 →
    modify-query:local-tax). Whether the id exists is for the calendar to say. Given its
    `tasks`, a task written by its full Japanese name, as a checklist names it
    (機関間試験を実施する（接続検証環境）), is its id (`task_by_name`); one written otherwise
    (機関間試験) gets the id it seems to mean in the message.
    """
    task = normalize_text(text)
    name, colon, qualifier = task.partition(":")
    if colon and not _TASK_PART.fullmatch(qualifier) and qualifier:
        with contextlib.suppress(CutoverError):
            qualifier = parse_system(qualifier)
    if _TASK_PART.fullmatch(name) and (not colon or _TASK_PART.fullmatch(qualifier)):
        return f"{name}{colon}{qualifier}"
    if tasks:
        from cutover.calendar.model import suggest_task, task_by_name

        named = task_by_name(text, tasks)
        if named is not None:
            return named

        meant = suggest_task(text, tasks)
        if meant is not None:
            raise CutoverError.of("inputs.task-seems-to-mean", value=text, meant=meant)
    raise CutoverError.of("inputs.not-a-task-id", value=text)


def warn_outside(file: str, notes: Sequence[tuple[int, str, str, tuple[str, ...]]]) -> None:
    """Warn, once for a file, of its rows that hold a value only in a column no reader reads
    (`CsvFile.outside_values`' entries, each with its line first): how many, and the first
    one's column and value (`inputs.outside-table`). Nothing when there are none."""
    if not notes:
        return
    line, header, value, columns = notes[0]
    params = {"count": len(notes), "value": clip(value, 40), "columns": columns}
    said = Problem(file=file, line=line, key=header, code="inputs.outside-table", params=params)
    warn_input(said)
