"""What cutover restates from the source keeps the source's words: its strength (予定,
想定) and its numbers. Each test reads the source (``tests/data/reference/``) for the words
it checks, and the shipped calendar or the message catalogue for what cutover says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cutover.calendar.load import load_calendar

SOURCE = Path(__file__).resolve().parent / "data" / "reference" / "000_8f7c83e8c8de8f89.txt"


def _source_sentence(phrase: str) -> str:
    """Return the one sentence (up to 。 or the line's end) of the source holding `phrase`."""
    text = SOURCE.read_text(encoding="utf-8")
    found = [
        sentence
        for line in text.splitlines()
        for sentence in re.split(r"(?<=。)", line)
        if phrase in sentence
    ]
    assert len(found) == 1, (phrase, found)
    return found[0]


#: Events of the July 2018 calendar and the words of the source that date them.
_DATED_BY = {
    "master-delivery": "マスター配信等を実施する",
    "academy-lecture": "市町村アカデミーにおいて",
    "e-learning-courses": "コースを提供",
}


@pytest.mark.parametrize("event_id", sorted(_DATED_BY))
def test_a_planned_event_is_called_planned(event_id: str) -> None:
    """What the source calls 予定 (planned: §2's July master delivery, §16's August lecture
    and seven courses) is titled 予定 / planned, not as a thing settled."""
    assert "予定" in _source_sentence(_DATED_BY[event_id])
    event = load_calendar("2018-07").event(event_id)
    assert "予定" in event.title_ja
    assert "planned" in event.title_en.lower()


def test_the_request_for_non_disclosure_keeps_its_route_as_envisaged() -> None:
    """§12 says who asks for the non-disclosure setting only as the ministry's expectation
    (「…へ行うことを想定」): a message that restates the route says 想定 / expected, never
    as a rule of the connection regulations."""
    from test_i18n import codes, templates

    assert "想定" in _source_sentence("不開示設定の依頼は、情報提供者から連絡を受けた")
    restating = [code for code in codes() if "不開示設定の依頼は" in templates(code)["ja"][0]]
    assert restating
    for code in restating:
        found = templates(code)
        assert "想定" in found["ja"][0], code
        assert "expected" in found["en"][0], code
