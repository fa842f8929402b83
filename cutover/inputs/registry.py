"""The agency registry: agencies.csv, readiness.csv and evidence.csv read into frozen models.

Each reader checks every row and reports every problem of a file together, each with its
file, line, bad value and fix (DESIGN.md §3, §4): a coordinator fixes the whole file in one
pass, and no row is ever dropped silently. Headers may be English or Japanese.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cutover.errors import CutoverError, Problem
from cutover.i18n.catalogue import Lang, Msg, text
from cutover.inputs.csvfile import CsvFile
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
from cutover.inputs.rows import (
    _agency_code,
    _check_kind,
    _duplicate,
    _each_row,
    _KnownCodes,
    _parse_date,
    _parse_items,
    _parse_task_id,
    _parse_test_requested,
    _Rows,
)
from cutover.jp.codes import municipalities_of, prefecture, validate_code
from cutover.jp.vocabulary import (
    SYSTEMS,
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
    "TEMPLATE_NOTE_EN",
    "TEMPLATE_NOTE_JA",
    "load_agencies",
    "load_evidence",
    "load_readiness",
    "load_registry",
    "registry_template",
    "template_note",
]


def load_agencies(path: StrPath) -> tuple[Agency, ...]:
    """Return the agencies of an agencies.csv, sorted by code; raise every problem together."""
    csv_file = CsvFile(
        Path(path),
        columns=AGENCY_COLUMNS,
        required=list(AGENCY_COLUMNS),
        label=Msg("inputs.file-agencies"),
    )
    rows = _Rows(csv_file)
    agencies: list[Agency] = []
    seen: dict[str, int] = {}
    count = 0
    for values in _each_row(rows):
        count += 1
        code = rows.parse(validate_code, values["code"])
        name = rows.required("name", values["name"])
        kind_text = rows.required("kind", values["kind"])
        kind = rows.parse(parse_kind, kind_text) if kind_text is not None else None
        test_requested = rows.parse(_parse_test_requested, values["test_requested"])
        provides = rows.parse(lambda t: _parse_items(t, "provides"), values["provides"])
        delegations = rows.parse(
            lambda t: _parse_items(t, "new_delegations"), values["new_delegations"]
        )
        if code is not None and kind is not None:
            _check_kind(rows, code, kind)
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
        agencies.append(Agency(code, name, kind, test_requested, provides, delegations, rows.line))
    if count == 0 and not rows.problems:
        rows.line = 2
        rows.add("inputs.no-agencies")
    rows.raise_if_any()
    return tuple(sorted(agencies, key=lambda a: a.code))


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
        label=Msg("inputs.file-readiness"),
    )
    rows = _Rows(csv_file)
    known = None if agencies is None else _KnownCodes(a.code for a in agencies)
    found: list[Readiness] = []
    seen: dict[tuple[str, str, Side], int] = {}
    for values in _each_row(rows):
        code = _agency_code(rows, values["code"], known)
        system_text = rows.required("system", values["system"])
        system = rows.parse(parse_system, system_text) if system_text is not None else None
        side_text = rows.required("side", values["side"])
        side = rows.parse(parse_side, side_text) if side_text is not None else None
        status_text = rows.required("status", values["status"])
        status = rows.parse(parse_status, status_text) if status_text is not None else None
        planned_text = values.get("planned", "")
        planned = (
            rows.parse(lambda t: _parse_date(t, "planned"), planned_text) if planned_text else None
        )
        if status is Status.PLANNED and not planned_text:
            rows.add(
                "inputs.planned-without-date"
                if "planned" in values
                else "inputs.planned-without-column"
            )
            continue
        if code is None or system is None or side is None or status is None:
            continue
        if planned_text and planned is None:
            continue
        if _duplicate(rows, seen, (code, system, side), "readiness", _readiness_params):
            continue
        found.append(Readiness(code, system, side, status, planned, rows.line))
    rows.raise_if_any()
    system_order = {s.id: i for i, s in enumerate(SYSTEMS)}
    side_order = {s: i for i, s in enumerate(Side)}
    return tuple(sorted(found, key=lambda r: (r.code, system_order[r.system], side_order[r.side])))


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
    """Return the rows of an evidence.csv, sorted by code, date and task.

    When `agencies` is given, a code that is not one of theirs is a problem. Every problem
    of the file is raised together. With the calendar's `tasks`, a task written by its
    Japanese name is told which id it seems to mean.
    """
    csv_file = CsvFile(
        Path(path),
        columns=EVIDENCE_COLUMNS,
        required=["code", "task", "date"],
        label=Msg("inputs.file-evidence"),
        notes=frozenset({"detail"}),  # 内容 and 備考 side by side: the first is read
    )
    rows = _Rows(csv_file)
    known = None if agencies is None else _KnownCodes(a.code for a in agencies)
    found: list[Evidence] = []
    for values in _each_row(rows):
        code = _agency_code(rows, values["code"], known)
        task_text = rows.required("task", values["task"])
        task = (
            rows.parse(lambda t: _parse_task_id(t, tasks), task_text)
            if task_text is not None
            else None
        )
        date_text = rows.required("date", values["date"])
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

    `registration_logs` and `test_logs` are the operators' logs (`cutover.inputs.logs`): their
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
        from cutover.inputs.logs import load_registration_log, load_test_log

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
    are not on that list: `template_note` says how to add them.
    """
    pref = prefecture(prefecture_query)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AGENCY_COLUMNS)
    for entry in (pref, *municipalities_of(pref.code)):
        writer.writerow([entry.code, entry.name, entry.kind.value, "", "", ""])
    return out.getvalue()


def template_note(lang: Lang) -> str:
    """Return what to do with the template once written, in `lang`: how to add
    一部事務組合・広域連合, and the columns left for the coordinator to fill in."""
    return text("inputs.template-note", lang)


#: `template_note` in each language, for the command line until it asks for it by language.
TEMPLATE_NOTE_JA = template_note("ja")
TEMPLATE_NOTE_EN = template_note("en")
