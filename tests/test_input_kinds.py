"""Which kind of input file a header is (`other_kind`): a file of one kind, however its
header is spelled, is never taken for a file of another kind."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cutover.inputs.columns import INPUT_KINDS, InputKind, column_aliases, header_key, other_kind

#: Header cells no kind reads (a clerk's own columns).
_OWN_COLUMNS = ("メモ", "担当者", "連絡先", "")


def _spelled(text: str, how: int) -> str:
    """Return a header spelling as a clerk's file may write it: as is, in capitals, in
    full-width forms, or with spaces around it."""
    if how == 1:
        return text.upper()
    if how == 2:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    if how == 3:
        return f" {text}　"
    return text


@st.composite
def headers(draw: st.DrawFn, kind: InputKind, *, drop: bool = False) -> list[str]:
    """Return a header of a file of `kind`: every column it must have (one of them left
    out, with `drop`), some of the others, each in an accepted spelling, some of the clerk's
    own columns, in any order."""
    optional = [c for c in kind.columns if c not in kind.required]
    columns = list(kind.required)
    if drop:
        columns.remove(draw(st.sampled_from(columns)))
    columns += draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []
    ways = st.integers(min_value=0, max_value=3)
    cells = [_spelled(draw(st.sampled_from((c, *kind.columns[c]))), draw(ways)) for c in columns]
    cells += draw(st.lists(st.sampled_from(_OWN_COLUMNS), max_size=2))
    return draw(st.permutations(cells))


def _names_every_required(header: list[str], kind: InputKind) -> bool:
    aliases = column_aliases(kind.columns)
    named = {aliases.get(header_key(cell)) for cell in header}
    return all(c in named for c in kind.required)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(INPUT_KINDS), st.sampled_from(INPUT_KINDS))
def test_a_file_given_to_another_option_is_known_as_its_own_kind(
    data: st.DataObject, kind: InputKind, given_to: InputKind
) -> None:
    """A file of one kind given to another's option is named as its own kind, never as a
    third (which would send the clerk to the wrong option)."""
    header = data.draw(headers(kind))
    assert _names_every_required(header, kind)
    if given_to is kind or _names_every_required(header, given_to):
        return  # (read as the option's own kind: no other kind is asked for)
    found = other_kind(header, given_to.columns)
    assert found is kind, (header, given_to.option, found and found.option)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(INPUT_KINDS))
def test_a_file_missing_a_column_is_not_taken_for_another_kind(
    data: st.DataObject, kind: InputKind
) -> None:
    """A file given to its own option without one of the columns it must have is told that
    column is missing, not that it is another kind's file."""
    header = data.draw(headers(kind, drop=True))
    found = other_kind(header, kind.columns)
    assert found is None, (header, kind.option, found and found.option)
