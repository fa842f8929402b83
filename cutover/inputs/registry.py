"""The agency registry: agencies.csv, readiness.csv and evidence.csv read into frozen models.

Each reader checks every row and reports every problem of a file together, each with its
file, line, bad value and fix (DESIGN.md §3, §4): a coordinator fixes the whole file in one
pass, and no row is ever dropped silently. Headers may be English or Japanese.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from cutover.errors import (
    CutoverError,
    Problem,
    clip,
    printable,
    require_paths,
    require_prefecture,
    warn_input,
)
from cutover.i18n.catalogue import Argument, Lang, Msg, text
from cutover.inputs.agency_warnings import MOST_WARNINGS, registry_warnings
from cutover.inputs.columns import EVIDENCE_REQUIRED, READINESS_REQUIRED
from cutover.inputs.model import (
    AGENCY_COLUMNS,
    EVIDENCE_COLUMNS,
    READINESS_COLUMNS,
    Agency,
    Evidence,
    Readiness,
    Registry,
    StrPath,
)
from cutover.inputs.repeated import refuse_repeated_inputs
from cutover.inputs.rows import (
    KnownCodes,
    _agency_code,
    _check_kind,
    _duplicate,
    _each_row,
    _each_run,
    _parse_date,
    _parse_items,
    _parse_task_id,
    _parse_test_requested,
    _Rows,
    says_no_day,
)
from cutover.inputs.workbook import TableFile, open_table
from cutover.jp.codes import (
    folded_name,
    municipalities_of,
    official_entry,
    prefecture,
    validate_code,
)
from cutover.jp.vocabulary import (
    SYSTEMS,
    Kind,
    Side,
    Status,
    parse_kind,
    parse_side,
    parse_status,
    parse_system,
    system_by_id,
)

if TYPE_CHECKING:
    from cutover.calendar.model import TaskTemplate
    from cutover.inputs.model import Attempt

__all__ = [
    "Paths",
    "load_agencies",
    "load_evidence",
    "load_readiness",
    "load_registry",
    "merged_evidence",
    "registry_template",
    "registry_template_rows",
    "template_note",
]


#: One file, or several: a `str` or a path is one file, never a sequence of letters.
Paths = StrPath | Iterable[StrPath]


def _paths(given: Paths | None) -> tuple[StrPath, ...]:
    """Return the files `given` names: one path, or each of a sequence of them."""
    if given is None:
        return ()
    if isinstance(given, (str, os.PathLike)):
        return (given,)
    return tuple(given)


def _read_all(paths: Paths, read: Callable[[StrPath], None]) -> None:
    """Read each file with `read`; raise the problems of all of them together (a file given
    twice, at once: its rows would all be counted twice)."""
    refuse_repeated_inputs((Argument("paths"), path) for path in _paths(paths))
    problems: list[Problem] = []
    for path in _paths(paths):
        try:
            read(path)
        except CutoverError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CutoverError.from_problems(problems)


def _require_agencies_files(given: object, name: str) -> None:
    """Raise `TypeError` when no agencies file is given (None, or an empty sequence): the
    registry would be empty without a word, as an agencies file with no agency is not."""
    if given is None or (isinstance(given, Sequence) and not isinstance(given, str) and not given):
        raise TypeError(text("common.no-agencies-file", "en", name=name, value=repr(given)))


def load_agencies(
    paths: Paths, *, prefecture: str | int | None = None, items: Collection[int] = ()
) -> tuple[Agency, ...]:
    """Return the agencies of one or more agencies files (CSV or .xlsx), sorted by code;
    raise every problem of every file together.

    An agency on two rows is a problem, in one file or across two (naming both). What is
    read as written but looks mistaken is warned of (`InputWarning`): a name that is not
    the official list's for its code, a municipality whose code is not on the list (an
    association written with kind municipality), an association named as an agency of the
    list or as another association, and an association whose code starts with another
    prefecture's number than the one it is planned under (`prefecture`, anything
    `cutover.jp.codes.prefecture` accepts, or else the registry's one prefecture row).
    Given the `items` the calendar revises, so is an item number that is some of them run
    together (221 for 2,21: a list Excel saved as one number)."""
    _require_agencies_files(paths, "paths")
    planned_under = None if prefecture is None else require_prefecture(prefecture, "prefecture")
    agencies: list[Agency] = []
    seen: dict[str, tuple[str, int]] = {}
    files: dict[str, TableFile] = {}
    try:
        _read_all(paths, lambda path: _read_agencies(path, agencies, seen, files))
    except CutoverError as exc:
        named = [_name_code_taken(p, agencies, files) for p in exc.problems]
        raise CutoverError.from_problems(named) from None
    found = tuple(sorted(agencies, key=lambda a: a.code))
    said = registry_warnings(found, files, planned_under, items)
    for problem in said[:MOST_WARNINGS]:
        warn_input(problem)
    if len(said) > MOST_WARNINGS:
        # A registry named otherwise throughout (in romaji, say) is told once, not per row.
        rest = said[MOST_WARNINGS:]
        more = Problem(
            file=rest[0].file,
            code="inputs.more-registry-warnings",
            params={"count": len(rest), "first": rest[0].line},
        )
        warn_input(more)
    return found


#: The problems of a row whose kind is not that of the listed agency its code is (`_check_kind`).
_KIND_OF_LISTED_CODE = frozenset(
    {"inputs.kind-association-code", "inputs.kind-not-prefecture-named"}
)


def _name_code_taken(
    problem: Problem, agencies: Sequence[Agency], files: Mapping[str, TableFile]
) -> Problem:
    """Return `problem`, naming the row of the listed agency whose code it is about when
    that agency's own row was read after it (in its file or another): one problem for
    the one fault, never a second one for the code written twice."""
    if problem.code not in _KIND_OF_LISTED_CODE:
        return problem
    code = problem.params["agency"]
    table = files.get(str(code))
    taken = next((a for a in agencies if a.code == code), None)
    if table is None or taken is None:
        return problem
    entry = official_entry(taken.code)
    params = {k: problem.params[k] for k in ("agency", "kind", "kind_ja")}
    params["name"] = taken.name if entry is None else entry.full_name
    if printable(table.name) == problem.file:
        params["first"] = taken.line
        return attrs.evolve(problem, code="inputs.kind-code-taken", params=params)
    return attrs.evolve(
        problem,
        code="inputs.kind-code-taken-in-files",
        params={
            **params,
            "first_file": printable(table.name),
            "first": taken.line,
            "file": problem.file,
            "line": problem.line,
        },
    )


def _read_agencies(
    path: StrPath,
    agencies: list[Agency],
    seen: dict[str, tuple[str, int]],
    files: dict[str, TableFile],
) -> None:
    """Add the agencies of one file to `agencies` (and the file of each to `files`, by
    code, for a warning); raise its problems."""
    table = open_table(
        path,
        columns=AGENCY_COLUMNS,
        required=list(AGENCY_COLUMNS),
        label=Msg("inputs.file-agencies"),
        codes=("code",),
    )
    rows = _Rows(table)
    count = 0
    # A registry's agencies share a few kinds, answers and item lists: each combination is
    # parsed once (one with a problem, on each row, to say so there).
    parsed: dict[tuple[str, str, str, str], _AgencyFields] = {}
    names: dict[str, str] = {}  # the name of each code's first row in this file
    for values in _each_row(rows):
        count += 1
        code = rows.parse(_code_reader(values["kind"]), values["code"], "code")
        name = rows.required("name", values["name"])
        written = (
            values["kind"],
            values["test_requested"],
            values["provides"],
            values["new_delegations"],
        )
        fields = parsed.get(written)
        if fields is None:
            fields = _agency_fields(rows, written)
            if None not in fields:
                parsed[written] = fields
        kind, test_requested, provides, delegations = fields
        if code is not None and kind is not None and _check_kind(rows, code, kind, seen.get(code)):
            continue  # (its problem names the line the code is on)
        if code is not None and _shared_code(rows, seen, names, code, name):
            continue
        if code is not None and _duplicate(rows, seen, code, "agency", _agency_params):
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
        agency = Agency(code, name, kind, test_requested, provides, delegations, rows.line)
        agencies.append(agency)
        files[code] = rows.file
    if count == 0 and not rows.problems:
        rows.line = 2
        rows.add("inputs.no-agencies")
    rows.raise_if_any()


def _shared_code(
    rows: _Rows,
    seen: Mapping[str, tuple[str, int]],
    names: dict[str, str],
    code: str,
    name: str | None,
) -> bool:
    """Return True (and record a problem naming both rows) when `code` is already on a row
    of this file that names another agency: two agencies given one code (two associations,
    say) need a code each, not "one row per agency"."""
    if name is None:
        return False
    first_name = names.setdefault(code, name)
    taken = seen.get(code)
    if taken is None or taken[0] != rows.place or folded_name(first_name) == folded_name(name):
        return False
    rows.times[code] = rows.times.get(code, 1) + 1  # (a later repeat counts this row)
    rows.add(
        "inputs.duplicate-agency-names",
        agency=code,
        first=taken[1],
        first_name=first_name,
        name=name,
    )
    return True


def _code_reader(kind_text: str) -> Callable[[str], str]:
    """Return the reader of the code of an agency row whose kind is written `kind_text`.

    An association's code is not on the official list: a 5-digit one may be its code
    without the check digit (31801 for 318019) whatever the list says."""
    try:
        association = parse_kind(kind_text) is Kind.ASSOCIATION
    except CutoverError:
        association = False  # (said at the kind's own check)
    return _association_code if association else validate_code


#: Reads the code of an association (`_code_reader`).
_association_code = functools.partial(validate_code, meant=lambda code: True)


#: An agency row's kind, test requested, items provided and new delegations (None: unread).
_AgencyFields = tuple[Kind | None, bool | None, frozenset[int] | None, frozenset[int] | None]


def _agency_fields(rows: _Rows, written: tuple[str, str, str, str]) -> _AgencyFields:
    """Return the kind, test requested, items provided and new delegations of an agency row,
    from their `written` texts, each None after recording its problem at the row's line."""
    kind_text = rows.required("kind", written[0])
    kind = rows.parse(parse_kind, kind_text, "kind") if kind_text is not None else None
    test_requested = rows.parse(_parse_test_requested, written[1])
    provides = rows.parse(lambda t: _parse_items(t, "provides"), written[2])
    delegations = rows.parse(lambda t: _parse_items(t, "new_delegations"), written[3])
    return kind, test_requested, provides, delegations


def load_readiness(paths: Paths, agencies: Iterable[Agency] | None = None) -> tuple[Readiness, ...]:
    """Return the rows of one or more readiness files (CSV or .xlsx), sorted by code,
    system and side.

    When `agencies` is given, a code that is not one of theirs is a problem. A row for the
    same agency, system and side twice is a problem, in one file or across two. Every
    problem of every file is raised together.
    """
    known = KnownCodes.of_agencies(agencies)
    found: list[Readiness] = []
    seen: dict[tuple[str, str, Side], tuple[str, int]] = {}
    _read_all(paths, lambda path: _read_readiness(path, known, found, seen))
    return _sorted_readiness(found)


def _sorted_readiness(found: Iterable[Readiness]) -> tuple[Readiness, ...]:
    system_order = {s.id: i for i, s in enumerate(SYSTEMS)}
    side_order = {s: i for i, s in enumerate(Side)}
    return tuple(sorted(found, key=lambda r: (r.code, system_order[r.system], side_order[r.side])))


#: A readiness row's system, side, status and planned date.
_ReadinessFields = tuple[str, Side, Status, dt.date | None]
# A row's texts, what they mean, and what else their parsing needs (`_coded_fields`).
_Texts = TypeVar("_Texts", bound=tuple[str, ...])
_Fields = TypeVar("_Fields")
_Context = TypeVar("_Context")


def _coded_fields(
    rows: _Rows,
    known: KnownCodes | None,
    code_text: str,
    parsed: dict[_Texts, _Fields],
    written: _Texts,
    parse: Callable[[_Rows, _Texts, _Context], _Fields | None],
    context: _Context,
) -> tuple[str, _Fields] | None:
    """Return a row's agency code and the fields its texts mean, or None when either has a
    problem (said in `rows`, the code's first). Each distinct `written` is parsed once, into
    `parsed`: a file repeats a few hundred of them on tens of thousands of rows. One with a
    problem is not kept, and is parsed again on each row, to say so there."""
    code = _agency_code(rows, code_text, known)
    fields = parsed.get(written)
    if fields is None:
        fields = parse(rows, written, context)
        if fields is None:
            return None
        parsed[written] = fields
    return None if code is None else (code, fields)


def _read_readiness(
    path: StrPath,
    known: KnownCodes | None,
    found: list[Readiness],
    seen: dict[tuple[str, str, Side], tuple[str, int]],
    *,
    unanswered: list[int] | None = None,
    book: Any = None,
) -> None:
    """Add the rows of one readiness file to `found`; raise its problems.

    With `unanswered` (a survey workbook), a row whose status is blank is no reply for
    that row: its line is added there, and it is no problem. `book`: the workbook
    already opened (`open_table`)."""
    table = open_table(
        path,
        columns=READINESS_COLUMNS,
        required=READINESS_REQUIRED,
        label=Msg("inputs.file-readiness"),
        codes=("code",),
        known=None if known is None else known.__contains__,
        book=book,
    )
    rows = _Rows(table)
    file = str(path)
    # A national file repeats a few hundred texts of system, side, status and planned date
    # on 30,000 rows: each is parsed once (one with a problem, on each row, to say so there).
    parsed: dict[tuple[str, str, str, str], _ReadinessFields] = {}
    # The rows 未着手 or 対象外 with a date beside the status, by status: its line and text.
    dated: dict[Status, list[tuple[int, str]]] = {}
    for run in _each_run(rows):
        # (Column by column, a run at a time: no dict per row.)
        columns = run.columns
        planned_column = "planned" in columns
        planned_texts = columns["planned"] if planned_column else [""] * len(run)
        texts = zip(
            columns["system"], columns["side"], columns["status"], planned_texts, strict=True
        )
        for line, code_text, written in zip(run.lines, columns["code"], texts, strict=True):
            rows.line = line
            if unanswered is not None and not written[2] and not written[3]:
                unanswered.append(line)
                continue
            found_row = _coded_fields(
                rows, known, code_text, parsed, written, _readiness_fields, planned_column
            )
            if found_row is None:
                continue
            code, (system, side, status, planned) = found_row
            if _duplicate(rows, seen, (code, system, side), "readiness", _readiness_params):
                continue
            found.append(Readiness(code, system, side, status, planned, line, file))
            if not status.has_day and written[3] and not says_no_day(written[3]):
                dated.setdefault(status, []).append((line, written[3]))
    rows.raise_if_any()
    _warn_dated(rows, dated)


#: The warning of a row written with a date beside a status that gives no day
#: (`Status.has_day`: the survey asks one of 予定 only, 完了 may have its day), by status
#: (`_warn_dated`).
_UNDATED = {
    Status.NOT_STARTED: "inputs.date-with-not-started",
    Status.NOT_APPLICABLE: "inputs.date-with-not-applicable",
}


def _warn_dated(rows: _Rows, dated: Mapping[Status, Sequence[tuple[int, str]]]) -> None:
    """Warn, once for a file and status, of its rows 未着手 or 対象外 with a date: the date
    says nothing to §3 (未着手 is not ready whatever its day), and is read as nothing; the
    clerk meant 予定 or 完了, or left a date from an earlier answer. The first row's line,
    its date as written, and how many rows."""
    for status, found in dated.items():
        line, written = found[0]
        more = Msg("inputs.dated-rows-more", {"count": len(found)}) if len(found) > 1 else ""
        params = {"value": clip(written, 40), "more": more}
        problem = Problem(
            file=rows.file.name, line=line, key="planned", code=_UNDATED[status], params=params
        )
        warn_input(rows.file.locate(problem))


def _readiness_fields(
    rows: _Rows, written: tuple[str, str, str, str], planned_column: bool
) -> _ReadinessFields | None:
    """Return the system, side, status and planned date of a readiness row, from their
    `written` texts; or None after recording each problem with them at the row's line."""
    system_text = rows.required("system", written[0])
    system = rows.parse(parse_system, system_text, "system") if system_text is not None else None
    side_text = rows.required("side", written[1])
    side = rows.parse(parse_side, side_text, "side") if side_text is not None else None
    status_text = rows.required("status", written[2])
    status = rows.parse(parse_status, status_text, "status") if status_text is not None else None
    planned_text = written[3]
    # (完了 may give its day and need not: 不明 or － beside it says it does not.)
    no_day = status is Status.DONE and bool(planned_text) and says_no_day(planned_text)
    if status is not None and not status.has_day and planned_text:
        # (Not read: 未着手 or 対象外 has no day, `Readiness.day`; a date is kept as written,
        # for `survey merge` to write it back. 未定 or － beside it says so; a date, or any
        # other text, is warned of when the file is read, `_warn_dated`, not refused.)
        planned = _date_if_any(planned_text)
    elif no_day:
        planned = None
    else:
        planned = (
            rows.parse(lambda t: _parse_date(t, "planned"), planned_text) if planned_text else None
        )
    if status is Status.PLANNED and not planned_text:
        if planned_column:
            # (At the planned date's cell: in a survey workbook, 改修状況!E7 under 完了予定日.)
            rows.add_error(CutoverError.of("inputs.planned-without-date"), "planned")
        else:
            rows.add("inputs.planned-without-column")
        return None
    if system is None or side is None or status is None:
        return None
    if planned_text and planned is None and status.has_day and not no_day:
        return None
    return system, side, status, planned


def _date_if_any(text: str) -> dt.date | None:
    """Return the date `text` holds, or None for any other text."""
    try:
        return _parse_date(text, "planned")
    except CutoverError:
        return None


def _agency_params(code: str) -> dict[str, object]:
    """Return what an agency's key is, for the messages of a repeated one."""
    return {"agency": code}


def _readiness_params(key: tuple[str, str, Side]) -> dict[str, object]:
    """Return what a readiness row's key is, for the messages of a repeated one."""
    code, system, side = key
    return {
        "agency": code,
        "system": system,
        "side": side.value,
        "system_ja": system_by_id(system).ja,
        "side_ja": side.label("ja"),
    }


def load_evidence(
    path: StrPath,
    agencies: Iterable[Agency] | None = None,
    *,
    tasks: Sequence[TaskTemplate] = (),
) -> tuple[Evidence, ...]:
    """Return the rows of an evidence file (CSV or .xlsx), sorted by code, date and task.

    When `agencies` is given, a code that is not one of theirs is a problem. Every problem
    of the file is raised together. With the calendar's `tasks`, a task may be written by
    its Japanese name (as in a survey workbook), and one that is close to a name is told
    which id it seems to mean.
    """
    known = KnownCodes.of_agencies(agencies)
    found: list[Evidence] = []
    _read_evidence(path, known, tasks, found)
    return tuple(sorted(found, key=attrgetter("code", "date", "task", "line")))


def _read_evidence(
    path: StrPath,
    known: KnownCodes | None,
    tasks: Sequence[TaskTemplate],
    found: list[Evidence],
    *,
    undone: list[int] | None = None,
    book: Any = None,
) -> None:
    """Add the rows of one evidence file to `found`; raise its problems.

    With `undone` (a survey workbook, whose rows list the tasks), a row whose date is
    blank is a task not done yet: its line is added there, and it is no problem. `book`:
    the workbook already opened (`open_table`)."""
    table = open_table(
        path,
        columns=EVIDENCE_COLUMNS,
        required=EVIDENCE_REQUIRED,
        label=Msg("inputs.file-evidence"),
        notes=frozenset({"detail"}),  # 内容 and 備考 side by side: the first is read
        codes=("code",),
        known=None if known is None else known.__contains__,
        book=book,
    )
    rows = _Rows(table)
    file = str(path)
    # A national file repeats a few thousand texts of task and date on 20,000 rows: each is
    # parsed once (one with a problem, on each row, to say so there).
    parsed: dict[tuple[str, str], tuple[str, dt.date]] = {}
    for run in _each_run(rows):
        # (Column by column, a run at a time: no dict per row.)
        columns = run.columns
        texts = zip(columns["task"], columns["date"], strict=True)
        details = columns["detail"] if "detail" in columns else [""] * len(run)
        for line, code_text, written, detail in zip(
            run.lines, columns["code"], texts, details, strict=True
        ):
            rows.line = line
            if undone is not None and not written[1] and not detail:
                undone.append(line)
                continue
            found_row = _coded_fields(
                rows, known, code_text, parsed, written, _evidence_fields, tasks
            )
            if found_row is None:
                continue
            code, (task, date) = found_row
            found.append(Evidence(code, task, date, detail, line, file))
    rows.raise_if_any()


def _evidence_fields(
    rows: _Rows, written: tuple[str, str], tasks: Sequence[TaskTemplate]
) -> tuple[str, dt.date] | None:
    """Return the task and date of an evidence row, from their `written` texts; or None
    after recording each problem with them at the row's line."""
    task_text = rows.required("task", written[0])
    task = (
        rows.parse(lambda t: _parse_task_id(t, tasks), task_text, "task")
        if task_text is not None
        else None
    )
    date_text = rows.required("date", written[1])
    date = rows.parse(lambda t: _parse_date(t, "date"), date_text) if date_text else None
    if task is None or date is None:
        return None
    return task, date


def load_registry(
    agencies_path: Paths,
    readiness_path: Paths | None = None,
    evidence_paths: Sequence[StrPath] = (),
    *,
    registration_logs: Sequence[StrPath] = (),
    test_logs: Sequence[StrPath] = (),
    tasks: Sequence[TaskTemplate] = (),
    prefecture: str | int | None = None,
    items: Collection[int] = (),
) -> Registry:
    """Return the registry read from its files; the problems of all files are raised together.

    Agencies and readiness may each be one file or several (a sequence of paths), read
    as one, a row repeated across them being a problem; evidence and the logs are
    sequences of files (one bare path there is a `TypeError`, never read letter by
    letter). Any of them CSV or .xlsx. `registration_logs` and `test_logs` are the operators' logs
    (`cutover.inputs.logs`): their evidence joins evidence.csv's, and their lines that do
    not count become `attempts`. `tasks` (the calendar's) let a task be written by its
    Japanese name in an evidence file. `prefecture` is the one the registry is planned
    under, and `items` the items the calendar revises, for the warnings of `load_agencies`.
    """
    _require_agencies_files(agencies_path, "agencies_path")
    evidence_files = require_paths(evidence_paths, "evidence_paths")
    registration_files = require_paths(registration_logs, "registration_logs")
    test_files = require_paths(test_logs, "test_logs")
    # A file given twice to one parameter would count its every row twice.
    refuse_repeated_inputs(
        (Argument(name, dest=dest), path)
        for name, dest, paths in (
            ("agencies_path", "agencies", _paths(agencies_path)),
            ("readiness_path", "readiness", _paths(readiness_path)),
            ("evidence_paths", "evidence", evidence_files),
            ("registration_logs", "registration_log", registration_files),
            ("test_logs", "test_log", test_files),
        )
        for path in paths
    )
    problems: list[Problem] = []
    agencies: tuple[Agency, ...] | None = None
    try:
        agencies = load_agencies(agencies_path, prefecture=prefecture, items=items)
    except CutoverError as exc:
        problems.extend(exc.problems)
    readiness: tuple[Readiness, ...] = ()
    if readiness_path is not None and _paths(readiness_path):
        try:
            readiness = load_readiness(readiness_path, agencies)
        except CutoverError as exc:
            problems.extend(exc.problems)
    evidence: list[Evidence] = []
    for evidence_path in evidence_files:
        try:
            evidence.extend(load_evidence(evidence_path, agencies, tasks=tasks))
        except CutoverError as exc:
            problems.extend(exc.problems)
    attempts: list[Attempt] = []
    if registration_files or test_files:
        from cutover.inputs.logs import load_registration_log, load_test_log

        logs = [(load_registration_log, p) for p in registration_files]
        logs += [(load_test_log, p) for p in test_files]
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
    one_file = len(evidence_files) <= 1 and not (registration_files or test_files)
    return Registry(agencies, readiness, merged_evidence(evidence, one_file), tuple(attempts))


def merged_evidence(evidence: Sequence[Evidence], one_file: bool) -> tuple[Evidence, ...]:
    """Return the evidence of several files (evidence files and logs) as a registry holds
    it: in code order, a stable sort, so rows of the same code, date and task keep the
    order of the files given; one file's rows are in that order already (`load_evidence`)."""
    if one_file:
        return tuple(evidence)
    return tuple(sorted(evidence, key=attrgetter("code", "date", "task")))


def registry_template(prefecture_query: str | int) -> str:
    """Return an agencies.csv for one prefecture: the prefecture and all its municipalities.

    Names and kinds come from the official code list; test_requested, provides and
    new_delegations are left blank for the coordinator to fill in. 一部事務組合・広域連合
    are not on that list: `template_note` says how to add them.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AGENCY_COLUMNS)
    writer.writerows(registry_template_rows(prefecture_query))
    return out.getvalue()


def registry_template_rows(prefecture_query: str | int) -> list[tuple[str, ...]]:
    """Return the rows of a prefecture's registry template, under `AGENCY_COLUMNS`: the
    prefecture, then its municipalities by code, with the columns to fill in blank (the
    one list `registry_template` and its workbook write)."""
    pref = prefecture(require_prefecture(prefecture_query, "prefecture_query"))
    return [
        (entry.code, entry.name, entry.kind.value, "", "", "")
        for entry in (pref, *municipalities_of(pref.code))
    ]


def template_note(lang: Lang, *, workbook: bool = False) -> str:
    """Return what to do with the template once written, in `lang`: how to add
    一部事務組合・広域連合, the columns left for the coordinator to fill in, and how Excel keeps
    the codes' leading zeros (with the CSV: write the workbook instead; with the `workbook`,
    nothing to do)."""
    excel = text("inputs.template-note-xlsx" if workbook else "inputs.template-note-csv", lang)
    return text("inputs.template-note", lang, excel=excel)
