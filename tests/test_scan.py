"""The C row pass of triage (cutover._scan), against the Python it must agree with.

tests/test_triage.py compares whole files read with and without it; these tests look at
each thing it reads on its own: moments, ids and their hashes, the tables of accepted
texts, and the blocks it must leave to Python.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import sysconfig
from array import array
from collections import Counter
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cutover import triage as triage_module

SCAN = triage_module._load_scan()
needs_scan = pytest.mark.skipif(SCAN is None, reason="cutover._scan is not built here")

COLUMNS = (0, 1, 2, 3, 4, 5)
LIMIT = csv.field_size_limit()
CODES = {"131016": 1, "011002": 1}
ITEMS = {"2": 2, "21": 2, "8": 1}
STATUSES = {"pending": 2, "error": 2, "provided": 1, "withdrawn": 1}
# The C pass's number for a moment, and a moment's number far beyond any row.
NEVER = triage_module._moment_key(datetime.max)


def key(moment: datetime) -> int:
    return triage_module._moment_key(moment)


def block(text: str, end: int = NEVER, far: int = NEVER, width: int = 6) -> object:
    assert SCAN is not None
    tables = SCAN.tables(CODES, ITEMS, STATUSES)
    return SCAN.block(text, width, COLUMNS, tables, LIMIT, end, far)


def row(requested: str = "2018-06-29 10:00:00", **values: str) -> str:
    fields = {"query_id": "Q1", "querier": "131016", "provider": "011002", "item": "2"}
    fields |= values
    status = fields.pop("status", "pending")
    return ",".join([*fields.values(), requested, status])


def test_built_where_a_compiler_is() -> None:
    """Where CI asks for it (CUTOVER_REQUIRE_SCAN=1: its machine has a compiler and Python's
    headers), the install built the extension, so that the tests of the C pass run rather
    than skip. Elsewhere cutover works on in Python without it."""
    if os.environ.get("CUTOVER_REQUIRE_SCAN") != "1":
        pytest.skip("CUTOVER_REQUIRE_SCAN is not set")
    assert shutil.which(str(sysconfig.get_config_var("CC") or "cc").split()[0]) is not None
    assert SCAN is not None, (
        "cutover._scan is not built: run `pip install -v -e .` to see why (a C compiler "
        "and Python's headers are needed)"
    )


# --- moments ---------------------------------------------------------------------------------

TWO = st.integers(0, 99).map("{:02d}".format)
STAMPS = st.one_of(
    st.tuples(
        st.integers(0, 10_000).map("{:04d}".format),
        TWO,
        TWO,
        st.sampled_from(["", "T", " ", "x", "t", "  "]),
        TWO,
        TWO,
        st.sampled_from(["", ":"]),
        TWO,
        st.sampled_from(["", ".5", "+09:00", "Z"]),
    ).map(
        lambda p: (
            f"{p[0]}-{p[1]}-{p[2]}"
            + (f"{p[3]}{p[4]}:{p[5]}{p[6]}{p[7] if p[6] else ''}{p[8]}" if p[3] else "")
        )
    ),
    st.tuples(
        st.datetimes(),
        st.sampled_from(
            [
                "%Y-%m-%d",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%dT%H:%M:%S",
            ]
        ),
    ).map(lambda p: f"{p[0].year:04d}" + p[0].strftime(p[1][2:])),
    st.text(alphabet="0123456789-: T", max_size=20),
)


OFFSETS = st.one_of(st.integers(-2, 2), st.integers(-200_000, 200_000)).map(
    lambda s: timedelta(seconds=s)
)


@needs_scan
@settings(max_examples=600, deadline=None)
@given(text=STAMPS, to_end=OFFSETS, to_far=OFFSETS)
def test_moments_read_as_python_reads_them(text: str, to_end: timedelta, to_far: timedelta) -> None:
    """A timestamp the C pass reads is one datetime.fromisoformat reads, to the same second:
    under the rule before the end, far from the far limit, as Python compares them (both
    limits drawn within seconds or days of the moment)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        assert block(row(text) + "\n") is None  # Python refuses it: so must the C pass
        return
    naive = moment.replace(tzinfo=None)
    try:
        end, far = naive + to_end, naive + to_far
    except OverflowError:
        end = far = naive
    found = block(row(text) + "\n", key(end), key(far))
    if found is None:
        # Left to Python: only forms outside the C pass's few (time zones, fractions, a
        # separator other than T or a space, …).
        assert (
            moment.tzinfo is not None
            or moment.microsecond
            or len(text) not in (10, 16, 19)
            or text[10:11] not in ("", "T", " ")
        )
        return
    assert isinstance(found, tuple)
    rows, hot, _, far_rows, _, _ = found
    assert rows == 1
    assert hot == ([0] if moment < end else [])
    assert far_rows == ([0] if end <= moment and moment >= far else [])


@needs_scan
@pytest.mark.parametrize(
    "text",
    [
        "2018-06-29 10:00:00",
        "2018-06-29T10:00:00",
        "2018-06-29 10:00",
        "2018-06-29T10:00",
        "2018-06-29",
        "2016-02-29",
        "9999-12-31 23:59:59",
        "0001-01-01",
    ],
)
def test_the_usual_forms_are_read(text: str) -> None:
    """The forms a database or a program writes are read by the C pass, not left to Python."""
    assert block(row(text) + "\n") is not None


@needs_scan
@pytest.mark.parametrize(
    "text",
    [
        "2018-02-29",  # not a leap year
        "1900-02-29",
        "2018-06-31",
        "2018-13-01",
        "2018-00-10",
        "2018-06-00",
        "2018-06-30 24:00",
        "2018-06-30 23:60",
        "2018-06-30 23:59:60",
        "0000-01-01",
    ],
)
def test_impossible_moments_are_left_to_python(text: str) -> None:
    """A day or time that does not exist is Python's to reject, with its line and reason."""
    assert block(row(text) + "\n") is None


@needs_scan
def test_the_boundaries_are_exact() -> None:
    """2018-06-30 23:59:59 is before the revision takes effect, 2018-07-01 00:00:00 is not;
    the far limit counts from its first second; a limit with a fraction rounds up."""
    end = key(datetime(2018, 7, 1))
    found = block(
        row("2018-06-30 23:59:59")
        + "\n"
        + row("2018-07-01 00:00:00")
        + "\n"
        + row("2018-07-31 23:59:59")
        + "\n"
        + row("2018-08-01")
        + "\n",
        end,
        key(datetime(2018, 8, 1)),
    )
    assert isinstance(found, tuple)
    assert found[1] == [0]
    assert found[3] == [3]
    # datetime.max has a fraction: 9999-12-31 23:59:59 is before it.
    found = block(row("9999-12-31 23:59:59") + "\n", 0, key(datetime.max))
    assert isinstance(found, tuple)
    assert found[3] == []


# --- ids and their hashes --------------------------------------------------------------------

IDS = st.text(
    alphabet=st.characters(exclude_characters=',"\r\n\x00', exclude_categories=["Cs"]),
    min_size=1,
).filter(
    # (With 12 digits, an id may have a personal number's shape: the Python pass reads it.)
    lambda q: q == q.strip() and "E+" not in q and "e+" not in q and sum(map(str.isdecimal, q)) < 12
)


@needs_scan
@settings(max_examples=300, deadline=None)
@given(ids=st.lists(IDS, min_size=1, max_size=8), other=st.sampled_from(["", "ア", "😀"]))
def test_ids_and_hashes_are_those_of_hash_id(ids: list[str], other: str) -> None:
    """The ids come back in UTF-8, one per line, each hashed as hash_id hashes it, whether
    the block's text is stored one, two or four bytes a character (another column's
    Japanese or emoji widens it)."""
    assert SCAN is not None
    text = "".join(row(query_id=q) + f",{other}\n" for q in ids)
    found = block(text, width=7)
    assert isinstance(found, tuple)
    rows, _, _, _, ids_text, hashes = found
    assert rows == len(ids)
    assert ids_text.decode("utf-8").split("\n") == ids
    assert array("q", hashes).tolist() == [SCAN.hash_id(q) for q in ids]


@needs_scan
def test_hash_id_is_stable_and_spreads() -> None:
    """One id, one hash, in every call; 100,000 ids fill 1,024 buckets evenly."""
    assert SCAN is not None
    assert SCAN.hash_id("Q1") == SCAN.hash_id("".join(["Q", "1"]))
    assert SCAN.hash_id("Q1") != SCAN.hash_id("Q2")
    buckets = Counter(SCAN.hash_id(f"2018{n:015d}") & 1023 for n in range(100_000))
    assert len(buckets) == 1024
    assert max(buckets.values()) < 2 * 100_000 / 1024


# --- what it leaves to Python ----------------------------------------------------------------


@needs_scan
@pytest.mark.parametrize(
    ("text", "why"),
    [
        (row() + "\n" + '"Q2",131016,011002,2,2018-06-29,pending\n', "a quote"),
        (row() + "\n" + row(query_id="Q\x002") + "\n", "a NUL byte"),
        (row() + "\r" + row() + "\n", "a lone CR"),
        (row() + "\n\n" + row() + "\n", "a blank line"),
        (row() + ",extra\n", "a column too many"),
        (row().rsplit(",", 1)[0] + "\n", "a column too few"),
        (row(query_id="") + "\n", "a blank id"),
        (row(query_id=" Q1") + "\n", "an id with a space before"),
        (row(query_id="Q1\u3000") + "\n", "an id with an ideographic space after"),
        (row(query_id="2.01828E+18") + "\n", "an id as Excel writes a long number"),
        (row(query_id="Qe+1") + "\n", "an id with e+"),
        (row(querier="131017") + "\n", "a code not accepted before"),
        (row(querier=" 131016") + "\n", "a code written otherwise"),
        (row(provider="１３１０１６") + "\n", "full-width digits"),
        (row(item="02") + "\n", "an item written otherwise"),
        (row(item="52") + "\n", "an item not accepted before"),
        (row(status="Pending") + "\n", "a status written otherwise"),
        (row(status="未提供") + "\n", "a status not in the table"),
        (row(query_id="Q" + "x" * LIMIT) + "\n", "a value past the csv module's limit"),
        (row(query_id="621498320257") + "\n", "an id of 12 digits"),
        (row(query_id="Q1234567890123") + "\n", "an id with 13 digits in a row"),
        (row(query_id="Q6214-9832-0257-1") + "\n", "an id of three hyphenated groups of four"),
        (row(query_id="6214 9832 0257") + "\n", "an id of three spaced groups of four"),
        (row(query_id="6214\t9832\t0257") + "\n", "three groups of four split by tabs"),
        (row(query_id="６２１４９８３２０２５７") + "\n", "an id of 12 full-width digits"),
        (row(query_id="6214ー9832ー0257") + "\n", "groups split by the long-vowel mark"),
        (row(query_id="Q12345678-9012-3456") + "\n", "groups of four ending a longer run"),
    ],
)
def test_blocks_it_cannot_vouch_for_go_to_python(text: str, why: str) -> None:
    """Any row the C pass is unsure of sends its whole block to the Python pass."""
    assert block(text) is None, why


@needs_scan
@pytest.mark.parametrize(
    "query_id",
    [
        "12345678901",  # 11 digits in a row
        "2018-282120-0000001",  # groups of four, six and seven
        "Q20180622-0014",
        "0857-26-7111",
        "1234-5678",  # two groups of four
        "1234-5678-901",  # a last group of three
        "123-4567-8901",  # a first group of three
        "照会1234-5678",
    ],
)
def test_ids_that_cannot_hold_a_personal_number_are_read(query_id: str) -> None:
    """An id with fewer than 12 digits in a row and no three groups of four is read by the
    C pass (whatever else it holds)."""
    assert isinstance(block(row(query_id=query_id) + "\n"), tuple)


@needs_scan
def test_a_text_accepted_before_is_read_in_any_form() -> None:
    """The tables hold the texts the Python pass accepted, as written: a code with spaces
    or an item with a leading zero, once accepted, is read by the C pass too."""
    assert SCAN is not None
    tables = SCAN.tables(CODES | {" 131016": 1}, ITEMS | {"02": 2}, STATUSES | {"未提供": 2})
    text = row(querier=" 131016", item="02", status="未提供") + "\n"
    found = SCAN.block(text, 6, COLUMNS, tables, LIMIT, NEVER, NEVER)
    assert isinstance(found, tuple)
    assert found[1] == [0]  # a cutoff item and an open status, as the tables say


@needs_scan
def test_the_last_line_may_lack_its_break_and_crlf_is_one() -> None:
    found = block(row() + "\r\n" + row(query_id="Q2"))
    assert isinstance(found, tuple)
    assert found[0] == 2
    assert found[2] == [row(), row(query_id="Q2")]  # the rows under the rule, as written


@needs_scan
@pytest.mark.parametrize(
    ("width", "columns", "error"),
    [(1, COLUMNS, ValueError), (300, COLUMNS, ValueError), (6, (0, 1, 2, 3, 4, 6), ValueError)],
)
def test_bad_arguments_raise(width: int, columns: tuple[int, ...], error: type[Exception]) -> None:
    assert SCAN is not None
    tables = SCAN.tables(CODES, ITEMS, STATUSES)
    with pytest.raises(error):
        SCAN.block(row(), width, columns, tables, LIMIT, 0, 0)  # type: ignore[arg-type]


# --- the id index ------------------------------------------------------------------------------


@needs_scan
@settings(max_examples=200, deadline=None)
@given(
    hashes=st.lists(st.integers(-(2**63), 2**63 - 1), max_size=300),
    repeats=st.lists(st.integers(0, 299), max_size=20),
    buckets=st.sampled_from([1, 2, 64, 1024]),
)
def test_distribute_and_repeated_do_what_python_does(
    hashes: list[int], repeats: list[int], buckets: int
) -> None:
    """`distribute` appends each hash to the bucket of its low bits, in order, and notes a
    run of the segment in each bucket that got some; `repeated` finds the hashes seen twice."""
    assert SCAN is not None
    hashes += [hashes[i % len(hashes)] for i in repeats] if hashes else []
    got = [array("q", [7]) for _ in range(buckets)]
    owners = [array("L") for _ in range(buckets)]
    ends = [array("Q") for _ in range(buckets)]
    SCAN.distribute(array("q", hashes).tobytes(), got, owners, ends, 5)
    for k in range(buckets):
        mine = [h for h in hashes if h & (buckets - 1) == k]
        assert got[k].tolist() == [7, *mine]
        assert owners[k].tolist() == ([5] if mine else [])
        assert ends[k].tolist() == ([1 + len(mine)] if mine else [])
    twice = {h for h, n in Counter(hashes).items() if n > 1}
    assert SCAN.repeated(array("q", hashes)) == twice


@needs_scan
def test_tables_take_exact_str_and_int_only() -> None:
    """The tables read no object that could run Python code while they are built (a
    subclass's __index__ could change the dict under them): exact str keys, values 1 or 2."""
    assert SCAN is not None

    class Text(str):
        pass

    for bad in ({"131016": True}, {Text("131016"): 1}, {"131016": 3}, {"131016": 0}):
        with pytest.raises((TypeError, ValueError)):
            SCAN.tables(bad, ITEMS, STATUSES)  # type: ignore[arg-type]


@needs_scan
def test_an_empty_text_is_left_to_python() -> None:
    assert block("") is None


@pytest.mark.parametrize(("value", "off"), [("1", True), ("yes", True), ("0", False), ("", False)])
def test_cutover_pure_python_turns_the_c_pass_off(value: str, off: bool) -> None:
    """CUTOVER_PURE_PYTHON=1 (any value but 0 or empty) leaves the C pass unused, in a
    process of its own: the way to compare, or to run without compiled code."""
    if SCAN is None and not off:
        pytest.skip("cutover._scan is not built here")
    code = "from cutover import triage; print(triage._SCAN is None)"
    env = {**os.environ, "CUTOVER_PURE_PYTHON": value}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == str(off)
