"""Tests for rows from a database whose values are numbers, not text: each is read as the text
a queries file holds for it (REAL 2.0 is item 2), and refused where that text is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import local_government_codes

from cutover.errors import Problem
from cutover.triage import CutoffRule, TriageResult, triage

#: The 2018 cutoff rule: items 2 and 21, 6/30 (Sat) answered by 6/29 (Fri).
RULE = CutoffRule(
    items=frozenset({2, 21}),
    last_provision=date(2018, 6, 30),
    answer_by=date(2018, 6, 29),
    effective=date(2018, 7, 1),
    reissue_from=date(2018, 7, 2),
)
AS_OF = date(2018, 6, 20)


def row(**values: object) -> dict[str, object]:
    """Return a good row of text, with `values` in place of its own."""
    good = {
        "query_id": "Q1",
        "querier": "310000",
        "provider": "312011",
        "item": "2",
        "requested": "2018-06-01",
        "status": "pending",
    }
    return {**good, **values}


def one(values: dict[str, object]) -> TriageResult | Problem:
    """Return the result of triaging one row."""
    (result,) = triage([values], RULE, AS_OF)  # (a database's values)
    return result


@given(item=st.integers(min_value=1, max_value=199), as_float=st.booleans())
def test_an_integral_number_is_its_item(item: int, as_float: bool) -> None:
    """An item given as INTEGER 2 or REAL 2.0 is item 2, as the text "2" is."""
    result = one(row(item=float(item) if as_float else item))
    assert result == one(row(item=str(item)))
    assert isinstance(result, TriageResult)
    assert result.query.item == item


@given(st.integers(min_value=1, max_value=19_999).filter(lambda n: n % 100).map(lambda n: n / 100))
def test_a_fraction_is_refused_as_in_a_file(item: float) -> None:
    """REAL 2.5 is no item: refused with the message its text has in a file, which says to
    write a whole number."""
    problem = one(row(item=item))
    assert isinstance(problem, Problem)
    assert problem == one(row(item=str(item)))
    assert problem.code == "triage.unknown-item"
    assert "whole number" in problem.describe("en")[1]


@given(code=local_government_codes(), as_float=st.booleans())
def test_a_code_given_as_a_number_is_read_as_its_digits(code: str, as_float: bool) -> None:
    """A six-digit code the database holds as a number (INTEGER 312011, REAL 312011.0) is
    the code; one that lost its leading zero (10006 for 010006) is refused as its five
    digits are in a file, never given its zero back."""
    number = int(code)
    result = one(row(querier=float(number) if as_float else number))
    expected = one(row(querier=str(number)))
    assert result == expected
    if code.startswith("0"):
        assert isinstance(result, Problem)
        assert result.code == expected.code  # type: ignore[union-attr]
    else:
        assert isinstance(result, TriageResult)
        assert result.query.querier == code


def test_a_lost_leading_zero_is_refused_not_guessed() -> None:
    """Provider 10006 (北海道 010006 without its zero) is refused as the text "10006" is."""
    for value in (10006, 10006.0):
        problem = one(row(provider=value))
        assert isinstance(problem, Problem)
        assert problem == one(row(provider="10006"))
        assert "10006" in problem.describe("en")[0]


@given(
    item=st.integers(min_value=1, max_value=199),
    places=st.integers(min_value=0, max_value=4),
)
def test_an_exact_number_is_read_as_its_value(item: int, places: int) -> None:
    """A NUMERIC or DECIMAL column gives a `Decimal` (psycopg, most drivers): NUMERIC(5,2)
    holds item 2 as ``Decimal("2.00")``, which is item 2, as REAL 2.0 is, not the text
    "2.00" refused as no whole number; a code is its digits."""
    value = Decimal(item).quantize(Decimal(1).scaleb(-places))
    result = one(row(item=value))
    assert isinstance(result, TriageResult)
    assert result == one(row(item=item))
    coded = one(row(provider=Decimal("312011.0"), item=value))
    assert isinstance(coded, TriageResult)
    assert coded.query.provider == "312011"


@given(st.integers(min_value=1, max_value=19_999).filter(lambda n: n % 100))
def test_an_exact_fraction_is_refused_as_the_fraction(hundredths: int) -> None:
    """``Decimal("2.50")`` is refused as REAL 2.5 is, with its value written as a number
    cell shows it (2.5), not its trailing zeros."""
    exact = Decimal(hundredths).scaleb(-2)
    problem = one(row(item=exact))
    assert isinstance(problem, Problem)
    assert problem == one(row(item=hundredths / 100))


@pytest.mark.parametrize(
    "names",
    [
        ("QUERY_ID", "QUERIER", "PROVIDER", "ITEM", "REQUESTED", "STATUS"),
        ("照会番号", "情報照会者", "情報提供者", "特定個人情報", "受付日時", "状態"),
        ("Query ID", "querier", "Provider", "item_no", "requested_at", "Status"),
    ],
    ids=["upper", "japanese", "mixed"],
)
def test_a_row_keyed_as_a_file_s_header_may_be_is_read_as_one(names: tuple[str, ...]) -> None:
    """A database names an unquoted column in capitals (Oracle, Db2: QUERY_ID), and a
    Japanese table by its Japanese name (照会番号): a row keyed so is read as a file with
    that header is, not refused row by row for want of a query_id column."""
    canonical = row(requested="2018-06-01 10:00", item=21)
    keyed = dict(zip(names, canonical.values(), strict=True))
    result = one(keyed)
    assert isinstance(result, TriageResult)
    assert result == one(canonical)
    blank = one({**keyed, names[2]: None})  # (NULL: a blank cell, as in a file)
    assert isinstance(blank, Problem)
    assert blank == one(row(provider=None))


def test_a_column_keyed_twice_over_is_refused_naming_both_keys() -> None:
    """Two keys that each spell the query id (QUERY_ID and 照会番号): which is meant is not
    guessed; the row is refused as a file's header naming a column twice is, with both
    keys, not told it has no query_id column (the clerk sees two)."""
    twice = {**row(), "QUERY_ID": "Q1", "照会番号": "Q2"}
    del twice["query_id"]
    problem = one(twice)
    assert isinstance(problem, Problem)
    assert problem.code == "inputs.same-column"
    assert problem.describe("en")[0] == "columns 'QUERY_ID' and '照会番号' both mean query_id"
    # The canonical key beside another spelling is as ambiguous: the two ids may differ.
    both = {**row(), "QUERY_ID": "Q2"}
    problem = one(both)
    assert isinstance(problem, Problem)
    assert problem.describe("en")[0] == "columns 'query_id' and 'QUERY_ID' both mean query_id"


@pytest.mark.parametrize("places", [0, 2])
def test_an_exact_number_that_lost_a_personal_number_s_zeros_is_refused(places: int) -> None:
    """NUMERIC 93325963440 is the personal number 093325963440 with its leading zero lost, as
    INTEGER 93325963440 is: refused the same, never read as a query id (and written out
    whole, as 11 digits no mask finds)."""
    exact = Decimal(93325963440).quantize(Decimal(1).scaleb(-places))
    problem = one(row(query_id=exact))
    assert isinstance(problem, Problem)
    assert problem == one(row(query_id=93325963440))
    assert problem.code == "triage.personal-number-number"


def test_an_exact_fraction_past_28_digits_is_not_rounded_to_a_whole_number() -> None:
    """NUMERIC(40,36) holding 2.000…0001 is no item, as its text is not: all its digits are
    read, not rounded to Python's 28 (to 2, item 2)."""
    exact = Decimal("2." + "0" * 34 + "1")
    problem = one(row(item=exact))
    assert isinstance(problem, Problem)
    assert problem == one(row(item=str(exact)))
