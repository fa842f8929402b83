"""What `cutover survey merge` writes: the merged readiness.csv and evidence.csv, in the
shipped layouts (English headers, UTF-8 with BOM, as examples/tottori) with one more column,
``source``, the reply's cell each row comes from (``312045.xlsx 実施記録!C13``: the readers
leave it aside), and report.md, which names every agency with no reply, every duplicate and
every refused workbook, with why.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from cutover.errors import Problem, printable
from cutover.i18n.catalogue import Lang, Msg, text
from cutover.inputs.model import EVIDENCE_COLUMNS, READINESS_COLUMNS, Agency
from cutover.inputs.survey import SurveyMerge
from cutover.inputs.survey_sheets import OPEN_COLUMNS
from cutover.render.csvout import CsvOut
from cutover.render.markdown import escape_cell, escape_inline

__all__ = ["MERGED_FILES", "merged_files", "merged_summary", "told_problems"]

#: The files a merge writes into its folder (any other file there is the user's).
MERGED_FILES = ("readiness.csv", "evidence.csv", "report.md")
_BOM = "\ufeff"


def merged_files(
    merge: SurveyMerge, lang: Lang, *, options: Mapping[str, str | Msg] | None = None
) -> Sequence[tuple[str, str]]:
    """Return the files of a merge (name, text): the two CSV files and the report, whose
    problems name what was given by `options` when a command gave it (``agencies`` →
    ``--agencies``: `cutover.errors.Problem.on_command_line`), else by the parameters."""
    return (
        ("readiness.csv", _readiness_csv(merge)),
        ("evidence.csv", _evidence_csv(merge)),
        ("report.md", _report(merge, lang, options or {})),
    )


def _readiness_csv(merge: SurveyMerge) -> str:
    out = io.StringIO()
    out.write(_BOM)
    rows = CsvOut(out)
    rows.row([*READINESS_COLUMNS, SOURCE_COLUMN])
    for r in merge.readiness:
        # (As written, a date beside 未着手 too: the merged file carries the reply, and its
        # reader warns of that date again, at the merged file's line.)
        planned = r.planned.isoformat() if r.planned is not None else ""
        rows.row([r.code, r.system, r.side.value, r.status.value, planned, _source(r.file, r.line)])
    return out.getvalue()


def _evidence_csv(merge: SurveyMerge) -> str:
    out = io.StringIO()
    out.write(_BOM)
    rows = CsvOut(out)
    rows.row([*EVIDENCE_COLUMNS, SOURCE_COLUMN])
    for e in merge.evidence:
        rows.row([e.code, e.task, e.date.isoformat(), e.detail, _source(e.file, e.line)])
    return out.getvalue()


#: The merged files' last column: the reply's cell a row comes from. A warning about the row
#: names the merged file's line (evidence.csv 4行目); this names the cell to look at.
SOURCE_COLUMN = "source"


def _source(file: str, line: int) -> str:
    """Return the cell a merged row comes from: the workbook's name, its sheet and the row's
    first answer cell (``312045.xlsx 実施記録!C13``; the status for 改修状況, D)."""
    book, _, sheet = file.rpartition("#")  # (a folder's name may hold a "#" too)
    if not sheet or sheet not in OPEN_COLUMNS:
        return ""
    return printable(f"{Path(book).name} {sheet}!{OPEN_COLUMNS[sheet][0]}{line}")


def merged_summary(merge: SurveyMerge) -> dict[str, object]:
    """Return the counts of a merge, as the summary line and the report say them."""
    return {
        "workbooks": merge.workbooks,
        "agencies": len(merge.agencies),
        "replied": len(merge.replied),
        "blank": len(merge.blank),
        "no_reply": len(merge.no_reply),
        "duplicates": len(merge.duplicates),
        "refused": len(merge.refused),
        "unanswered": sum(merge.unanswered.values()),
        "readiness": len(merge.readiness),
        "evidence": len(merge.evidence),
    }


def _report(merge: SurveyMerge, lang: Lang, options: Mapping[str, str | Msg]) -> str:
    names = {a.code: a.name for a in merge.agencies}
    lines = [f"# {text('survey.report-title', lang)}", ""]
    lines.append(text("survey.report-counts", lang, **merged_summary(merge)))
    lines.append("")

    def section(code: str, count: int) -> None:
        lines.extend([f"## {text(code, lang, count=count)}", ""])

    def agencies(code: str, listed: Sequence[Agency]) -> None:
        section(code, len(listed))
        if listed:
            header = f"| {text('survey.column-code', lang)} | {text('survey.column-name', lang)} |"
            lines.extend([header, "|---|---|"])
            lines.extend(f"| {a.code} | {escape_cell(a.name)} |" for a in listed)
        else:
            lines.append(text("survey.report-none", lang))
        lines.append("")

    agencies("survey.report-no-reply", merge.no_reply)
    agencies("survey.report-blank", merge.blank)
    section("survey.report-duplicates", len(merge.duplicates))
    if merge.duplicates:
        for agency, files in merge.duplicates:
            # (Listed as the language lists words: a.xlsx、b.xlsx / a.xlsx and b.xlsx.)
            shown = tuple(escape_inline(printable(Path(f).name)) for f in files)
            lines.append(
                "- "
                + text(
                    "survey.report-duplicate",
                    lang,
                    agency=agency.code,
                    name=escape_inline(agency.name),
                    files=shown,
                )
            )
    else:
        lines.append(text("survey.report-none", lang))
    lines.append("")
    section("survey.report-refused", len(merge.refused))
    if merge.refused:
        for refusal in merge.refused:
            # The code and name of a refused workbook are its hidden sheet's, as written:
            # anything, a personal number or Markdown among them.
            name = names.get(refusal.code, refusal.name)
            lines.append(
                "- "
                + text(
                    "survey.report-refusal",
                    lang,
                    file=escape_inline(printable(Path(refusal.file).name)),
                    agency=escape_inline(printable(refusal.code)) or "—",
                    name=escape_inline(printable(name)) or "—",
                )
            )
            lines.extend(
                f"    - {escape_inline(printable(problem.on_command_line(options).text(lang)))}"
                for problem in told_problems(refusal.problems)
            )
    else:
        lines.append(text("survey.report-none", lang))
    lines.append("")
    section("survey.report-unanswered", sum(merge.unanswered.values()))
    if merge.unanswered:
        lines.append(
            f"| {text('survey.column-code', lang)} | {text('survey.column-name', lang)} "
            f"| {text('survey.column-rows', lang)} |"
        )
        lines.append("|---|---|---:|")
        lines.extend(
            f"| {code} | {escape_cell(names.get(code, ''))} | {count} |"
            for code, count in sorted(merge.unanswered.items())
        )
    else:
        lines.append(text("survey.report-none", lang))
    lines.append("")
    return "\n".join(lines)


def told_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Return a refused workbook's problems as they are told: a problem repeated word for
    word at other cells (済 typed down a whole column) once in full where it first is, then
    one line counting the others and naming their cells. (The workbook keeps them all.)"""
    groups: dict[tuple[object, ...], list[Problem]] = {}
    for problem in problems:
        same = (problem.file, problem.sheet, problem.key, problem.header, problem.code)
        groups.setdefault((*same, repr(sorted(problem.params.items()))), []).append(problem)
    told: list[Problem] = []
    for first, *rest in groups.values():
        told.append(first)
        if rest:
            # (A list: joined as the reader's language joins one, D7、D8 / D7, D8.)
            cells = tuple(f"{p.column or ''}{p.line or ''}" for p in rest)
            told.append(
                Problem(
                    file=first.file,
                    sheet=first.sheet,
                    code="survey.more-same",
                    params={"count": len(rest), "cells": cells},
                )
            )
    return told
