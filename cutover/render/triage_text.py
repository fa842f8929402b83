"""The texts a triage's outputs share: the dates and items of a cutoff rule as the catalogue's
texts take them, a rejected row's problem as one sentence, and where a row is."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from cutover.errors import Problem, printable
from cutover.i18n.catalogue import Lang, text
from cutover.triage import CutoffRule, Duplicate

__all__ = [
    "day_params",
    "duplicate_places",
    "file_line",
    "rejected_message",
    "rule_dates",
    "rule_items",
]


def day_params(name: str, day: date, lang: Lang) -> dict[str, object]:
    """Return a date as the texts take it: ``{name}`` (ISO, the English texts') and
    ``{name}_day`` (as `cutover.i18n.text.format_day` writes it: the Japanese texts' wareki)."""
    # Imported when first needed (a reason is written once): wareki dates cost import time.
    from cutover.i18n.text import format_day

    return {name: day, f"{name}_day": format_day(day, lang)}


def rule_dates(rule: CutoffRule, lang: Lang) -> dict[str, object]:
    """Return the dates of `rule` as the texts take them (`day_params`)."""
    params: dict[str, object] = {}
    for name in ("last_provision", "answer_by", "effective", "reissue_from"):
        params |= day_params(name, getattr(rule, name), lang)
    return params


def rule_items(rule: CutoffRule, lang: Lang) -> str:
    """Return the rule's items as the texts take them: ``2, 21`` / ``2番・21番``."""
    from cutover.i18n.text import items_text

    return items_text(rule.items, lang)


def rejected_message(problem: Problem, lang: Lang) -> str:
    """Return a rejected row's problem in `lang`: its column, what is wrong, and the fix."""
    message, fix = problem.describe(lang)
    if problem.key:
        message = f"{problem.key}: {message}"
    return f"{message} — {fix}" if fix else message


def file_line(file: str, line: object, lang: Lang) -> str:
    """Return where a row of one of several files is: ``file:line``, the file's name shown as
    a message shows it (a personal number masked, as a rejected row's file is), unescaped."""
    return text("triage-report.file-line", lang, file=printable(file), line=line)


def duplicate_places(duplicate: Duplicate, lang: Lang) -> Iterator[str]:
    """Return where a duplicated query id is: its lines; read from several files, each as
    ``file:line`` (`file_line`)."""
    if not duplicate.files:
        return (str(line) for line in duplicate.lines)
    return (
        file_line(file, line, lang)
        for file, line in zip(duplicate.files, duplicate.lines, strict=True)
    )
