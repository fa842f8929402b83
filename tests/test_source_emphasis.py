"""The docs keep the source's emphasis: what §6 says the querier does 「必要に応じて」 (as
needed: withdraw a query left unanswered on 6/30 and re-issue it from 7/1) is never told as a
duty, in Japanese (すべき, 照会者は…取りやめ) or in English ("must be … withdrawn")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]

#: A Japanese sentence that tells someone to withdraw: the querier named, a condition
#: (なければ), or a duty (すべき).
_TOLD_JA = re.compile(r"照会者[はが]|なければ|すべき")
_DUTY_EN = re.compile(r"\b(must|should|shall)\b")


def _sentences(page: Path) -> list[str]:
    """Return the prose sentences (and table cells) of `page`, code blocks left out."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    found: list[str] = []
    for paragraph in text.split("\n\n"):
        flat = paragraph.replace("\n", " ")
        found.extend(s.strip() for s in re.split(r"(?<=[。.;:])\s*|\|", flat) if s.strip())
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_withdrawal_stays_as_needed(page: Path) -> None:
    """§6: 「必要に応じて情報照会の取りやめを行い、7月1日以降に再照会する」: a page that tells the
    querier to withdraw and re-issue says 必要に応じて / as needed."""
    told = [
        s
        for s in _sentences(page)
        if "取りやめ" in s and "再照会" in s and _TOLD_JA.search(s) and "必要に応じて" not in s
    ]
    told += [
        s for s in _sentences(page) if "withdr" in s and _DUTY_EN.search(s) and "as needed" not in s
    ]
    assert told == []


#: Catalogue texts that name withdrawal and re-issue without telling anyone to do it: the
#: rule itself named (the action's code, the rule an open request is outside of).
_NAMES_THE_RULE = {"plan.answer-as-usual", "triage-report.csv-action-withdraw-and-reissue"}


def _catalogue_texts() -> list[tuple[str, str, str]]:
    """Return every text of the message catalogue: its language, code and template."""
    from test_i18n import codes, templates

    return [
        (lang, code, template)
        for code in codes()
        for lang, found in templates(code).items()
        for template in found
    ]


def test_every_message_keeps_withdrawal_as_needed() -> None:
    """A label, a column or a sentence a person reads that names withdrawing and re-issuing
    as what to do says 必要に応じて / as needed, as §6 does: the triage report's count and
    column said only 取りやめ・再照会 / "withdraw and re-issue", as if every one had to be."""

    def told(lang: str, template: str) -> bool:
        if lang == "ja":
            named = "取りやめ" in template and "再照会" in template
            return named and "必要に応じて" not in template
        return "withdr" in template.lower() and "issue" in template and "as needed" not in template

    lost = [
        (lang, code)
        for lang, code, template in _catalogue_texts()
        if code not in _NAMES_THE_RULE and told(lang, template)
    ]
    assert lost == []
