"""Hypothesis strategies shared by the test modules; add new ones here, one section per topic."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

__all__ = ["FIRST_DAY", "LAST_DAY", "date_like_text", "dates"]

# --- dates --------------------------------------------------------------------------------

#: The first day of 平成 and the last day the `holidays` library covers: the span every
#: date helper must handle (wareki round trips, business days).
FIRST_DAY = date(1989, 1, 8)
LAST_DAY = date(2099, 12, 31)


def dates(min_value: date = FIRST_DAY, max_value: date = LAST_DAY) -> st.SearchStrategy[date]:
    """Return a strategy for dates from `min_value` to `max_value` (平成 onwards by default)."""
    return st.dates(min_value=min_value, max_value=max_value)


# Characters dates are written with, so that random text often gets deep into the parsers.
_DATE_ALPHABET = "0123456789０１２３元年月日度平成令和昭和HhRrSs.-/．／（）() 金土Frisat上中下旬末"


def date_like_text() -> st.SearchStrategy[str]:
    """Return a strategy for arbitrary text, often made of the characters dates are written with."""
    return st.one_of(st.text(), st.text(alphabet=_DATE_ALPHABET, max_size=20))


# --- registry: local government codes and agencies.csv rows -------------------------------
# Imported here rather than at the top: each section of this file is appended by the
# developer of its topic, and keeps its own imports next to the strategies that use them.
import attrs  # noqa: E402 - see the comment above.

from cutover.codes import check_digit, official_entry  # noqa: E402 - see the comment above.
from cutover.domain import Kind  # noqa: E402 - see the comment above.
from cutover.registry import Agency  # noqa: E402 - see the comment above.

__all__ += ["agency_rows", "local_government_codes", "without_line"]

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_KIND_SPELLINGS = {
    Kind.PREFECTURE: ["prefecture", "都道府県", "Prefecture"],
    Kind.MUNICIPALITY: ["municipality", "市区町村", "市町村"],
    Kind.ASSOCIATION: ["association", "一部事務組合等", "広域連合"],
}
_YES_SPELLINGS = ["yes", "YES", "true", "1", "はい", "○", "有", "ｙｅｓ", "１"]
_NO_SPELLINGS = ["", "no", "false", "0", "いいえ", "×", "無", "ｎｏ"]
_SEPARATORS = [" ", ",", "、", "・", ", ", "　", "，"]
# Names with the characters that make CSV writing hard: commas, quotes, line breaks.
_NAME_ALPHABET = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"
) | st.sampled_from([",", '"', "\n", "市", "町", "村", "区"])


def local_government_codes(kind: Kind | None = None) -> st.SearchStrategy[str]:
    """Return a strategy for valid 6-digit codes; prefecture codes (NN000C) for that kind."""
    prefectures = st.integers(min_value=1, max_value=47)
    if kind is Kind.PREFECTURE:
        bodies = prefectures.map(lambda p: f"{p:02d}000")
    elif kind is None:
        bodies = st.builds(
            lambda p, m: f"{p:02d}{m:03d}", prefectures, st.integers(min_value=0, max_value=999)
        )
    else:
        bodies = st.builds(
            lambda p, m: f"{p:02d}{m:03d}", prefectures, st.integers(min_value=1, max_value=999)
        )
    return bodies.map(lambda five: f"{five}{check_digit(five)}")


def _item_cell(items: frozenset[int], separator: str, suffix: str) -> str:
    return separator.join(f"{n}{suffix}" for n in sorted(items))


@st.composite
def agency_rows(draw: st.DrawFn) -> tuple[list[str], Agency]:
    """Return a strategy for one agencies.csv row, written in any accepted spelling, and the
    agency it must load as (with line 0)."""
    kind = draw(st.sampled_from(list(Kind)))
    codes = local_government_codes(kind)
    if kind is Kind.ASSOCIATION:
        # An association's code must not be a municipality's on the official list.
        codes = codes.filter(lambda c: official_entry(c) is None)
    code = draw(codes)
    name = draw(st.text(_NAME_ALPHABET, min_size=1, max_size=12).filter(lambda s: s == s.strip()))
    test_requested = draw(st.booleans())
    items = st.frozensets(st.integers(min_value=1, max_value=999), max_size=5)
    provides, delegations = draw(items), draw(items)
    cells = [
        draw(st.sampled_from([code, code.translate(_FULL_WIDTH)])),
        name,
        draw(st.sampled_from(_KIND_SPELLINGS[kind])),
        draw(st.sampled_from(_YES_SPELLINGS if test_requested else _NO_SPELLINGS)),
        *(
            _item_cell(v, draw(st.sampled_from(_SEPARATORS)), draw(st.sampled_from(["", "番"])))
            for v in (provides, delegations)
        ),
    ]
    return cells, Agency(code, name, kind, test_requested, provides, delegations, line=0)


def without_line(agency: Agency) -> Agency:
    """Return the agency with line 0, to compare it with one `agency_rows` made."""
    return attrs.evolve(agency, line=0)
