"""A date and a time joined by a T or a space: Python's ISO reader takes any character there.

`datetime.fromisoformat` reads ``2018-07-01+12:00`` (a bare date with an offset, 7/1 00:00 at
UTC+12, which is 6/30 21:00 in Japan) as noon on 7/1: a request the provider must answer by
the cutoff would be triaged as after it, without a word. `cutover.jp.iso` is the one check.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import cutover
from cutover.errors import CutoverError
from cutover.inputs.registry import load_evidence
from cutover.jp.iso import column_joined_by_t_or_space, iso_moment, joined_by_t_or_space
from cutover.triage import parse_requested, triage_file

# What may stand between a date and its time in a text Python reads: the good joins, and
# others people or programs write (an offset's sign, a dot, a digit, an ideographic space).
_JOINS = " Tt+-x.5/_:Z\u3000"


@st.composite
def iso_texts(draw: st.DrawFn) -> tuple[str, str]:
    """Return a date and a time joined by some character (with an offset or not), and the
    join: only the texts `datetime.fromisoformat` reads."""
    day = draw(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
    basic = draw(st.booleans())
    date_text = day.strftime("%Y%m%d") if basic else day.isoformat()
    join = draw(st.sampled_from(_JOINS))
    time = draw(st.times())
    spec = draw(st.sampled_from(["hours", "minutes", "seconds", "microseconds"]))
    time_text = time.isoformat(timespec=spec)
    if basic:
        time_text = time_text.replace(":", "")
    offset = draw(st.sampled_from(["", "Z", "+09:00", "-05:00", "+00:00"]))
    text = f"{date_text}{join}{time_text}{offset}"
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        assume(False)
    return text, join


@given(iso_texts())
@example(("2018-07-01+12:00", "+"))
@example(("2018-06-29505:00", "5"))
@example(("2018-06-29x05:00T+09:00", "x"))
def test_a_time_is_read_only_after_a_t_or_a_space(drawn: tuple[str, str]) -> None:
    text, join = drawn
    good = join in " Tt"
    assert joined_by_t_or_space(text) is good
    if good:
        assert iso_moment(text) == dt.datetime.fromisoformat(text)
    else:
        with pytest.raises(ValueError, match="joined by neither"):
            iso_moment(text)


@given(st.lists(iso_texts(), min_size=1, max_size=30), st.booleans())
def test_the_column_test_is_the_test_of_every_value(
    drawn: list[tuple[str, str]], dates_only: bool
) -> None:
    """The C scans over a column of one width agree with the test of each value, for
    columns of one shape and of mixed shapes, with dates alone among them or not."""
    texts = [t[:10] if dates_only and t[4] == "-" else t for t, _ in drawn]
    assert column_joined_by_t_or_space(texts, "".join(texts)) is all(
        map(joined_by_t_or_space, texts)
    )


def test_a_date_alone_is_a_date() -> None:
    for text in ("2018-06-30", "20180630", "2018-W26-6"):
        assert joined_by_t_or_space(text)
        assert iso_moment(text) == dt.datetime.fromisoformat(text)


@pytest.mark.parametrize("text", ["2018-07-01+12:00", "2018-06-30+00:00", "2018-06-29-05:00"])
def test_triage_refuses_an_offset_after_a_bare_date(text: str, tmp_path: Path) -> None:
    """Each such request is a rejected row naming its value, in the file reader and in
    `parse_requested`, never a request triaged at the wrong hour."""
    rule = cutover.cutoff_rule(cutover.build_timeline(cutover.load_calendar("2018-07")))
    with pytest.raises(CutoverError) as caught:
        parse_requested(text)
    assert f"bad date {text!r}" in caught.value.text("en")
    queries = tmp_path / "q.csv"
    queries.write_text(
        "query_id,querier,provider,item,requested,status\n"
        f"Q1,131016,011002,2,{text},pending\n"
        "Q2,131016,011002,2,2018-06-29 10:00,pending\n",
        encoding="utf-8",
    )
    with triage_file(queries, rule, dt.date(2018, 6, 25)) as report:
        assert report.counts.rejected == 1
        assert report.counts.provide_by_cutoff == 1
        (problem,) = report.rejected
        assert problem.line == 2
        assert text in problem.text("en")


def test_an_evidence_date_with_another_join_is_refused(tmp_path: Path) -> None:
    """A workbook's ISO date-time with an offset is the day it is in Japan; the same with
    the date and time joined by another character is refused, not read as some day."""
    good = tmp_path / "good.csv"
    good.write_text(
        "code,task,date,detail\n131016,inter-agency-test,2018-05-31T15:00:00Z,\n",
        encoding="utf-8",
    )
    assert load_evidence(good)[0].date == dt.date(2018, 6, 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,task,date,detail\n131016,inter-agency-test,2018-05-31x15:00:00Z,\n",
        encoding="utf-8",
    )
    with pytest.raises(CutoverError) as caught:
        load_evidence(bad)
    assert "2018-05-31x15:00:00Z" in caught.value.text("en")
