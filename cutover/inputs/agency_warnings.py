"""The warnings of an agencies file read without error: what is read as written but looks
mistaken (a name not the official list's, an association named or coded as another agency,
item numbers run together by a spreadsheet)."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterator, Mapping, Sequence

from cutover.errors import Problem
from cutover.i18n.catalogue import Msg
from cutover.inputs.model import Agency
from cutover.inputs.workbook import TableFile
from cutover.jp.codes import (
    OfficialEntry,
    folded_name,
    names_entry,
    official_codes,
    official_entry,
    prefecture,
    ward_city,
)
from cutover.jp.vocabulary import Kind

__all__ = ["MOST_WARNINGS", "registry_warnings"]


#: How many registry warnings are written one by one before the rest are counted.
MOST_WARNINGS = 10


def registry_warnings(
    agencies: Sequence[Agency],
    files: Mapping[str, TableFile],
    planned_under: str | None,
    items: Collection[int] = (),
) -> list[Problem]:
    """Return the warnings of a registry read without error (`load_agencies`): `files` are
    the table of each agency's row, by code; `items` the items the calendar revises."""
    found: list[Problem] = []
    if items:
        found.extend(_glued_items(agencies, files, items))
    for agency in agencies:
        entry = official_entry(agency.code)
        if entry is None:
            found.extend(_unlisted_warnings(agency, files))
            continue
        if names_entry(entry, agency.name):
            continue
        found.append(
            _warning(
                agency,
                files,
                "name",
                "inputs.name-not-official",
                official=entry.full_name,
                # (The name as `cutover init` writes it, without its prefecture: 函館市.)
                write=entry.name,
                named=_code_named(agency.name, entry),
            )
        )
    found.extend(_repeated_association_names(agencies, files))
    pref = _planned_under(agencies, planned_under)
    if pref is not None:
        prefixes = {a.code[:2] for a in agencies if a.kind is not Kind.ASSOCIATION}
        for agency in agencies:
            prefix = agency.code[:2]
            if agency.kind is not Kind.ASSOCIATION or prefix == pref.code[:2]:
                continue
            if prefix in prefixes:
                continue  # a registry of several prefectures: this one is among them
            found.append(
                _warning(
                    agency,
                    files,
                    "code",
                    "inputs.association-other-prefecture",
                    prefix=prefix,
                    other=prefecture(prefix).name,
                    prefecture=pref.name,
                    expected=pref.code[:2],
                )
            )
    return found


def _repeated_association_names(
    agencies: Sequence[Agency], files: Mapping[str, TableFile]
) -> list[Problem]:
    """Return a warning for each association named as an association before it in code
    order: a row copied to add an association, its code changed and its name not. (One
    named as a listed agency is warned of as such, `_unlisted_warnings`.)"""
    first: dict[str, Agency] = {}
    found: list[Problem] = []
    for agency in agencies:
        name = folded_name(agency.name)
        if agency.kind is not Kind.ASSOCIATION or _listed_name(agency.code, name):
            continue
        other = first.setdefault(name, agency)
        if other is agency:
            continue
        found.append(
            _warning(agency, files, "name", "inputs.association-name-repeated", other=other.code)
        )
    return found


def _listed_name(code: str, name: str) -> OfficialEntry | None:
    """Return the listed agency of the prefecture `code` starts with that is named `name`
    (folded, `folded_name`), or None."""
    return _official_by_name().get((prefecture(code[:2]).code, name))


def _unlisted_warnings(agency: Agency, files: Mapping[str, TableFile]) -> list[Problem]:
    """Return the warnings of an agency whose code is not on the official list.

    A ward's code (`ward_city`) is no agency's, whatever the row's kind. Only an
    association's code may be off the list: a municipality's is a row written with
    the wrong kind (an association's) or the wrong code, and an association named as an
    agency of its prefecture on the list is a row copied from that agency's."""
    if agency.kind is Kind.PREFECTURE:
        return []  # (a prefecture's code is checked as it is read)
    city = ward_city(agency.code)
    if city is not None:
        # (A ward of a 政令市 copied from a list of wards: the city is the agency.)
        return [
            _warning(
                agency, files, "code", "inputs.ward-not-agency", city=city.name, city_code=city.code
            )
        ]
    named = _listed_name(agency.code, folded_name(agency.name))
    params: dict[str, object] = {}
    if agency.kind is Kind.MUNICIPALITY:
        code, key = "inputs.municipality-not-official", "kind"
        params["named"] = "" if named is None else _code_named(agency.name, named)
    elif named is not None:
        code, key = "inputs.association-named-as-official", "name"
        params.update(
            official=named.code,
            official_name=named.full_name,
            official_kind=named.kind.value,
            official_kind_ja=named.kind.label("ja"),
        )
    else:
        return []
    return [_warning(agency, files, key, code, **params)]


def _warning(
    agency: Agency, files: Mapping[str, TableFile], key: str, code: str, **params: object
) -> Problem:
    """Return the warning `code` of `agency`'s row at column `key`, its code and name among
    the parameters, placed where the row is (a workbook's sheet and cell)."""
    table = files.get(agency.code)
    problem = Problem(
        file=None if table is None else table.name,
        line=agency.line,
        key=key,
        code=code,
        params={"agency": agency.code, "name": agency.name, **params},
    )
    return problem if table is None else table.locate(problem)


def _planned_under(agencies: Sequence[Agency], given: str | None) -> OfficialEntry | None:
    """Return the prefecture a registry is planned under: the one given, else its one
    prefecture row; None for a registry of no prefecture or several."""
    if given is not None:
        return prefecture(given)
    rows = [a for a in agencies if a.kind is Kind.PREFECTURE]
    if len(rows) != 1:
        return None
    return official_entry(rows[0].code)


def _code_named(name: str, entry: OfficialEntry) -> Msg | str:
    """Return, for a fix, the official code of the agency `name` names in `entry`'s
    prefecture (小樽市 is 012033), or nothing when no agency there has that name."""
    other = _official_by_name().get((entry.prefecture_code, folded_name(name)))
    if other is None:
        return ""
    return Msg("inputs.name-not-official-code", {"name": other.name, "code": other.code})


@functools.cache
def _official_by_name() -> Mapping[tuple[str, str], OfficialEntry]:
    """Return the official list's agencies by prefecture and name (folded, `folded_name`),
    with and without the prefecture's name before it."""
    table: dict[tuple[str, str], OfficialEntry] = {}
    for entry in official_codes():
        for name in (entry.name, entry.prefecture_name + entry.name):
            table.setdefault((entry.prefecture_code, folded_name(name)), entry)
    return table


def _glued_items(
    agencies: Sequence[Agency], files: Mapping[str, TableFile], items: Collection[int]
) -> Iterator[Problem]:
    """Yield a warning for each item number of `provides` or `new_delegations` that the
    calendar does not revise and whose digits are different revised `items` run together: in
    some Excel locales the list 2,21 is saved as the number 221 (the comma read as a
    thousands separator). Another item the calendar does not revise is an agency's
    ordinary item, and no warning."""
    for agency in agencies:
        for column, numbers in (
            ("provides", agency.provides),
            ("new_delegations", agency.new_delegations),
        ):
            for number in sorted(numbers):
                parts = None if number in items else _split_into(str(number), items)
                if parts is None or len(parts) < 2:
                    continue
                yield _warning(
                    agency,
                    files,
                    column,
                    "inputs.items-run-together",
                    value=number,
                    parts=" ".join(map(str, parts)),
                    meant=tuple(Msg("text.item", {"n": n}) for n in parts),
                    written=",".join(map(str, parts)),
                    revised=tuple(Msg("text.item", {"n": n}) for n in sorted(items)),
                )


def _split_into(
    digits: str, items: Collection[int], used: frozenset[int] = frozenset()
) -> tuple[int, ...] | None:
    """Return `digits` read as different numbers of `items` written one after another
    (221: 2, 21), the fewest first; None when they cannot be. A number is not read twice
    (22 is no list 2, 2: nobody lists an item twice, and item 22 is an agency's own)."""
    if not digits:
        return ()
    best: tuple[int, ...] | None = None
    for end in range(1, len(digits) + 1):
        head = digits[:end]
        if head.startswith("0") or int(head) not in items or int(head) in used:
            continue
        rest = _split_into(digits[end:], items, used | {int(head)})
        if rest is not None and (best is None or len(rest) + 1 < len(best)):
            best = (int(head), *rest)
    return best
