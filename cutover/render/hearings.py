"""The hearings list as Markdown (for the coordinator), CSV (one row per agency and task), JSON.

Candidates and agencies at risk are always in separate, labelled parts: an agency at risk
still has time, and must not be read as one the ministry will hear from. User strings
(agency names) and calendar strings are escaped in Markdown; CSV cells that a spreadsheet
would run as a formula get a leading apostrophe, as in the plan CSV.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TextIO

from cutover.errors import require_instance
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.glossary import gloss
from cutover.i18n.text import check_lang, format_day
from cutover.planning.hearings import HearingGroup, Hearings, MissingTask
from cutover.render.csvout import CsvOut
from cutover.render.inline import code_span
from cutover.render.markdown import escape_cell
from cutover.render.plan import status_text
from cutover.render.schemas import SCHEMA_VERSION, calendar_json, evidence_json

__all__ = ["CSV_COLUMNS", "hearings_json", "hearings_markdown", "write_hearings_csv"]

#: The columns of the hearings CSV, one row per agency and task.
CSV_COLUMNS = (
    "list",
    "prefecture_code",
    "prefecture",
    "code",
    "name",
    "kind",
    "task",
    "item",
    "title",
    "start",
    "due",
    "status",
    "reason",
    "done_on",
    "past_data",
    "new_delegation",
    "notes",
)

# --- JSON ----------------------------------------------------------------------------------


def _missing_json(missing: MissingTask, lang: Lang) -> dict[str, Any]:
    task = missing.task
    return {
        "task": task.id,
        "title": missing.title(lang),
        "due": task.due.date.isoformat(),
        "due_assumed": task.due_assumed,
        "reason": missing.reason.value,
        "reason_text": missing.reason.text(lang),
        "status": task.status.value,
        "start": task.start.date.isoformat() if task.start is not None else None,
        "done_on": task.done_on.isoformat() if task.done_on is not None else None,
        "item": task.item,
        "past_data": missing.past_data,
        "new_delegation": missing.new_delegation,
        "section": task.section,
        "notes": list(missing.notes(lang)),
        "attempts": [evidence_json(a) for a in missing.attempts],
    }


def _groups_json(groups: Iterable[HearingGroup], lang: Lang) -> list[dict[str, Any]]:
    return [
        {
            "code": group.code,
            "name": group.name,
            "agencies": [
                {
                    "code": entry.agency.code,
                    "name": entry.agency.name,
                    "kind": entry.agency.kind.value,
                    "missing": [_missing_json(m, lang) for m in entry.missing],
                }
                for entry in group.agencies
            ],
        }
        for group in groups
    ]


def hearings_json(hearings: Hearings, *, lang: Lang = "ja") -> dict[str, Any]:
    """Return the hearings list as JSON: candidates under ``prefectures``, then ``at_risk``.

    Each prefecture is ``{code, name, agencies: [{code, name, kind, missing: [{task,
    title, due, reason, …}]}]}``; ``reason`` is an id (``no-evidence``, ``not-counted``,
    ``before-window``, ``late``), ``reason_text`` says it in `lang`.
    """
    require_instance(hearings, Hearings, "hearings", "common.not-hearings")
    language = check_lang(lang)
    return {
        "schema_version": SCHEMA_VERSION,
        "calendar": calendar_json(hearings.calendar, lang=language, shifts=hearings.shifts),
        "as_of": hearings.as_of.isoformat(),
        "counts": {"candidates": hearings.candidate_count, "at_risk": hearings.at_risk_count},
        "prefectures": _groups_json(hearings.candidates, language),
        "at_risk": _groups_json(hearings.at_risk, language),
    }


# --- CSV -----------------------------------------------------------------------------------


def write_hearings_csv(hearings: Hearings, stream: TextIO, *, lang: str = "ja") -> None:
    """Write a header, then one row per agency and task: candidates first, then at risk.

    ``list`` is ``candidate`` or ``at-risk``; dates are ISO; ``kind``, ``status`` and
    ``reason`` are ids; ``title`` and ``notes`` are in `lang`.
    """
    language = check_lang(lang)
    out = CsvOut(stream)
    out.row(CSV_COLUMNS)
    for label, groups in (("candidate", hearings.candidates), ("at-risk", hearings.at_risk)):
        for group in groups:
            for entry in group.agencies:
                agency = entry.agency
                for missing in entry.missing:
                    task = missing.task
                    out.row(
                        (
                            label,
                            group.code,
                            group.name,
                            agency.code,
                            agency.name,
                            agency.kind.value,
                            task.id,
                            task.item,
                            missing.title(language),
                            task.start.date.isoformat() if task.start is not None else "",
                            task.due.date.isoformat(),
                            task.status.value,
                            missing.reason.value,
                            task.done_on.isoformat() if task.done_on is not None else "",
                            "yes" if missing.past_data else "",
                            "yes" if missing.new_delegation else "",
                            text("text.sep-note", language).join(missing.notes(language)),
                        )
                    )


# --- Markdown ------------------------------------------------------------------------------


def _table(groups: tuple[HearingGroup, ...], lang: Lang, as_of: date) -> list[str]:
    if not groups:
        return [text("hearings.none", lang)]
    headers = " | ".join(text(f"hearings.header-{h}", lang) for h in _HEADERS)
    lines: list[str] = []
    for group in groups:
        heading = text(
            "hearings.prefecture",
            lang,
            name=escape_cell(group.name),
            code=group.code,
            count=len(group.agencies),
        )
        lines += [f"### {heading}", "", f"| {headers} |", "|---|---|---|---|---|---|---|---|"]
        for entry in group.agencies:
            agency = entry.agency
            kind = agency.kind.label(lang)
            for missing in entry.missing:
                task = missing.task
                cells = (
                    agency.code,
                    escape_cell(agency.name),
                    kind,
                    f"{code_span(task.id)} {escape_cell(missing.title(lang))}",
                    format_day(task.due.date, lang),
                    status_text(task, as_of, lang),
                    escape_cell(missing.reason.text(lang)),
                    escape_cell(text("text.sep-note", lang).join(missing.notes(lang))),
                )
                lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    if lines[-1] == "":
        lines.pop()
    return lines


_HEADERS = ("code", "name", "kind", "task", "due", "status", "reason", "notes")


def hearings_markdown(hearings: Hearings, *, lang: str = "ja") -> str:
    """Return the hearings list as Markdown: candidates, then agencies at risk, by prefecture."""
    language = check_lang(lang)
    revision = hearings.calendar.revision
    title = revision.title_en if language == "en" else revision.title_ja
    revision_line = text(
        "render.revision-value",
        language,
        title=escape_cell(title),
        calendar=code_span(hearings.calendar.id),
    )
    lines = [
        f"# {text('hearings.title', language)}",
        "",
        f"- {text('render.fact-revision', language)}: {revision_line}",
        f"- {text('render.fact-as-of', language)}: {format_day(hearings.as_of, language)}",
    ]
    if hearings.shifts:
        shifts = ", ".join(code_span(s) for s in hearings.shifts)
        lines.append(f"- {text('hearings.shifts', language)}: {shifts}")
    scope = text("hearings.scope", language)
    lines += [f"- {text('hearings.fact-scope', language)}: {scope}", ""]
    count, risk = hearings.candidate_count, hearings.at_risk_count
    lines += [f"## {text('hearings.candidates', language, count=count)}", ""]
    lines += _table(hearings.candidates, language, hearings.as_of)
    lines.append("")
    lines += [f"## {text('hearings.at-risk', language, count=risk)}", ""]
    lines += _table(hearings.at_risk, language, hearings.as_of)
    page = "\n".join(lines) + "\n"
    return gloss(page) if language == "en" else page
