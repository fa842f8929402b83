"""The JSON outputs' contract: their schema version, their JSON Schemas, their shared parts.

Every JSON output (`OUTPUTS`) starts with ``"schema_version"`` (`SCHEMA_VERSION`) and is
described by a JSON Schema (draft 2020-12) shipped in the package as
``cutover/schemas/<output>.schema.json``; `json_schema` reads one. docs/json.md says what a
change of the version means.

The parts every output shares are made here, once: the ``calendar`` object
(`calendar_json`), shifts, always written as the text ``--shift`` takes
(``registration=+3bd``), where an evidence row or a log line is written
(`evidence_json`), and the counts of a queries file for a set of agencies (`queries_json`:
the plan's and the summary's ``queries``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal, get_args

from cutover.calendar.model import RevisionCalendar
from cutover.errors import printable
from cutover.i18n.catalogue import Lang, text
from cutover.inputs.model import Attempt, Evidence, Readiness

if TYPE_CHECKING:
    from cutover.planning.model import QueryTotals
    from cutover.triage import CutoffRule

__all__ = [
    "OUTPUTS",
    "SCHEMA_VERSION",
    "JsonOutput",
    "calendar_json",
    "calendar_object",
    "cutoff_json",
    "evidence_json",
    "json_schema",
    "queries_json",
    "shift_texts",
]

#: The version of the JSON outputs' contract, ``MAJOR.MINOR``: the minor number grows when
#: keys are added (a reader of the same major version reads the new output), the major
#: number when a key is removed, renamed or changes its type or meaning.
SCHEMA_VERSION = "1.4"

#: The JSON outputs, by the name of their schema file.
JsonOutput = Literal["plan", "summary", "triage", "timeline", "hearings", "diff"]
OUTPUTS: tuple[JsonOutput, ...] = get_args(JsonOutput)


@functools.cache
def _schema_text(output: str) -> str:
    resource = resources.files("cutover").joinpath("schemas", f"{output}.schema.json")
    return resource.read_text(encoding="utf-8")


def json_schema(output: JsonOutput) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of one JSON output, as a new dictionary.

    Raise `ValueError` for a name not in `OUTPUTS`: a message for the programmer (English,
    from the catalogue) that shows the name as every message does, any personal number
    masked.
    """
    if output not in OUTPUTS:
        shown = printable(str(output))
        raise ValueError(text("common.not-an-output", "en", output=shown, outputs=OUTPUTS))
    schema: dict[str, Any] = json.loads(_schema_text(output))
    return schema


def shift_texts(shifts: Iterable[object]) -> list[str]:
    """Return shifts as the texts ``--shift`` takes (``registration=+3bd``), in order."""
    return [str(s) for s in shifts]


def calendar_object(
    *,
    id: str,
    title_ja: str | None,
    title_en: str | None,
    effective: dt.date,
    source: str | None,
    shifts: Iterable[object],
    lang: Lang,
) -> dict[str, Any]:
    """Return the ``calendar`` object every JSON output carries, from its parts.

    ``{"id", "title", "title_ja", "title_en", "effective", "source", "shifts"}``:
    ``title`` is in `lang`; ``effective`` is the date the calendar declares (a what-if
    that moves it shows in the outputs' dates); ``shifts`` the what-ifs applied, as
    `shift_texts` writes them (empty without any). The titles and source are null only
    where the output was made from a calendar id alone (`cutover.write_triage`).
    """
    return {
        "id": id,
        "title": title_en if lang == "en" else title_ja,
        "title_ja": title_ja,
        "title_en": title_en,
        "effective": effective.isoformat(),
        "source": source,
        "shifts": shift_texts(shifts),
    }


def calendar_json(
    calendar: RevisionCalendar, *, lang: Lang, shifts: Iterable[object] = ()
) -> dict[str, Any]:
    """Return the ``calendar`` object of `calendar` (`calendar_object`)."""
    revision = calendar.revision
    return calendar_object(
        id=calendar.id,
        title_ja=revision.title_ja,
        title_en=revision.title_en,
        effective=revision.effective,
        source=revision.source,
        shifts=shifts,
        lang=lang,
    )


def cutoff_json(rule: CutoffRule) -> dict[str, object]:
    """Return §6's rule as the JSON outputs write it: its items, dates and section (the
    timeline's ``cutoff``; triage's ``calendar.cutoff`` adds the shifts that moved it)."""
    return {
        "items": sorted(rule.items),
        "last_provision": rule.last_provision.isoformat(),
        "answer_by": rule.answer_by.isoformat(),
        "effective": rule.effective.isoformat(),
        "reissue_from": rule.reissue_from.isoformat(),
        "section": rule.section,
    }


def queries_json(totals: QueryTotals | None) -> dict[str, int] | None:
    """Return the ``queries`` object of the plan and the summary: the counts of the queries
    file for their agencies (`cutover.planning.model.QueryFindings.totals`), or None
    without a queries file."""
    if totals is None:
        return None
    return {
        "total": totals.total,
        "provide-by-cutoff": totals.provide_by_cutoff,
        "withdraw-and-reissue": totals.withdraw_and_reissue,
        "outside-rule": totals.outside_rule,
        "rejected": totals.rejected,
        "none": totals.none,
        "elsewhere": totals.elsewhere,
    }


def evidence_json(row: Evidence | Attempt | Readiness) -> dict[str, Any]:
    """Return an evidence row, or a log line that did not count, as the JSON outputs write it
    (a plan flag's ``evidence``, the hearings' ``attempts``): ``{"date", "reason", "file",
    "line", "rows"}``. ``reason`` (``zero-records`` | ``failed-test``) and ``rows`` (how many
    lines of its task, day and reason the attempt is) are a log line's that did not count,
    null for an evidence row; ``file`` is the file as given, any personal number in it masked
    and on one line, or null for a row made in code. A readiness row a flag judges by its
    date (``readiness-done-after-as-of``) is written the same way, its date the one beside
    its status."""
    attempt = row if isinstance(row, Attempt) else None
    date = row.day if isinstance(row, Readiness) else row.date
    return {
        "date": date.isoformat() if date is not None else None,
        "reason": attempt.reason.value if attempt is not None else None,
        "file": printable(row.file) if row.file else None,
        "line": row.line,
        "rows": attempt.rows if attempt is not None else None,
    }
