"""Tests for cutover.inputs.csvfile: the byte-block reader, its spans, and its agreement
with csv."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import warnings
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover.calendar.load import load_calendar
from cutover.errors import CutoverError, InputWarning, Problem
from cutover.inputs import blocks, csvfile, encodings, quotes
from cutover.inputs import source as block_source
from cutover.inputs.blocks import CsvBlock
from cutover.inputs.csvfile import CsvFile
from cutover.inputs.registry import load_agencies
from cutover.planning.queries import cutoff_rule
from cutover.schedule.timeline import build_timeline
from cutover.triage import triage_file

COLUMNS = {"a": ["Ａ"], "b": [], "c": []}


@contextlib.contextmanager
def refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


def csv_file(path: Path) -> CsvFile:
    """Return a reader of `path` with columns a, b, c (a required)."""
    return CsvFile(path, columns=COLUMNS, required=["a"])


def flatten(items: Iterator[CsvBlock | CutoverError]) -> list[object]:
    """Return rows as (line, values) and errors as their English text, in order."""
    found: list[object] = []
    for item in items:
        if isinstance(item, CutoverError):
            found.append(item.text("en"))
            continue
        for k, line in enumerate(item.lines):
            found.append((line, {n: c[k] for n, c in item.columns.items()}))
    return found


def blocks_at(path: Path, block: int) -> list[object]:
    """Return `flatten` of the file's blocks, read `block` bytes at a time."""
    return read_at(path, block)[0]


def read_at(path: Path, block: int) -> tuple[list[object], list[str]]:
    """Return `flatten` of the file's blocks, read `block` bytes at a time, and the English
    text of each `InputWarning` given while they are read."""
    original = block_source._BLOCK_BYTES
    block_source._BLOCK_BYTES = block
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", InputWarning)
            found = flatten(csv_file(path).blocks())
    finally:
        block_source._BLOCK_BYTES = original
    said = [w.message.problem.text("en") for w in caught if isinstance(w.message, InputWarning)]
    return found, said


def by_csv_module(
    text: str, path: Path, width: int, named: int | None = None
) -> tuple[list[object], list[str]]:
    """Return what the csv module reads in `text` after its header, as `read_at` does.

    Lines are physical lines (a quoted value with line breaks spans several); blank
    lines are not rows; a row with the wrong number of values is an error, except one
    that leaves out exactly the blank cells the header ends with (`named` values). A
    record read over several lines is judged by `quotes.open_quote`, the one rule for it:
    an error, or a warning beside the row.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    found: list[object] = []
    said: list[str] = []
    start = reader.line_num + 1
    for record in reader:
        line, start = start, reader.line_num + 1
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        fits = len(record) in (width, named)
        last = start - 1
        quote = None
        if last > line:
            names = {0: "a", 1: "b", 2: "c"}
            quote = quotes.open_quote(record, names, named=named or width, fits=fits)
        if quote is not None:
            problem = Problem(
                file=str(path),
                line=line,
                key=names.get(quote.position),  # (the header's other cells are blank)
                code=quote.code,
                params={"first": line, "last": last, "count": last - line + 1},
            )
            if quote.refused:
                found.append(problem.text("en"))
                continue
            said.append(problem.text("en"))
        if not fits:
            found.append(
                f"{path}:{line}: {len(record)} columns where the header has {width} — "
                + csvfile._column_count_fix(record, width).text("en")
            )
            continue
        found.append((line, dict(zip("abc", record, strict=False))))
    return found, said


# Values a spreadsheet or a database might write: plain, empty, spaced, quoted with commas,
# quotes and line breaks, Japanese, and a lone CR.
VALUE = st.one_of(
    st.sampled_from(["1", "", " x ", "２", "照会", "a,b", 'say "hi"', "two\nlines", "cr\rlf"]),
    st.text(alphabet='xy ,"\n\r照', max_size=5),
)


# (Made once: a strategy made anew for each row cost more than its draws.)
_TERMINATOR = st.sampled_from(["\n", "\r\n"])
_SHAPE = st.sampled_from(["row"] * 6 + ["named", "short", "long", "empty", "blank"])


@st.composite
def csv_texts(draw: st.DrawFn, blank_header_cells: int = 0) -> str:
    """Return a CSV text with header a,b,c: rows of 3 values, some short or long, blanks.

    With `blank_header_cells`, the header ends with that many blank cells (``a,b,c,,``),
    and rows have 3 or 3 + `blank_header_cells` values, or one more or one less.
    """
    terminator = draw(_TERMINATOR)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=terminator)
    writer.writerow(["a", "b", "c", *[""] * blank_header_cells])
    full = 3 + blank_header_cells
    widths = {"row": full, "named": 3, "short": full - 1, "long": full + 1, "empty": full + 1}
    for _ in range(draw(st.integers(0, 25))):
        shape = draw(_SHAPE)
        if shape == "blank":
            out.write(terminator)
            continue
        width = widths[shape]
        values = [draw(VALUE) for _ in range(width)]
        if shape == "empty":
            values[3:] = [""] * (width - 3)  # trailing commas
        writer.writerow(values)
    text = out.getvalue()
    if draw(st.booleans()):
        text = text.removesuffix(terminator)  # the last line without its line break
    return text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=csv_texts(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
    block=st.sampled_from([1, 7, 64, 1 << 17]),
)
def test_blocks_read_what_csv_reads(
    tmp_path_factory: pytest.TempPathFactory, text: str, encoding: str, block: int
) -> None:
    """For any CSV text, encoding and block size, the rows and errors are the csv module's."""
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(text.encode(encoding))
    assert read_at(path, block) == by_csv_module(text, path, 3)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    blank=st.integers(1, 3),
    data=st.data(),
    block=st.sampled_from([1, 7, 64, 1 << 17]),
)
def test_header_ending_in_blank_cells(
    tmp_path_factory: pytest.TempPathFactory, blank: int, data: st.DataObject, block: int
) -> None:
    """Under a header that ends with blank cells (``a,b,c,,``), a row of the header's width
    or of its named columns only is read; any other width is the csv module's error."""
    text = data.draw(csv_texts(blank))
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(text.encode())
    assert read_at(path, block) == by_csv_module(text, path, 3 + blank, named=3)


def test_rows_without_the_blank_cells_the_header_ends_with(tmp_path: Path) -> None:
    """Excel may leave out the commas of empty cells at the end of a row: such a row is read
    when it lacks exactly the header's blank cells; a row lacking some of them is refused."""
    path = tmp_path / "t.csv"
    path.write_text("a,b,c,,\n1,2,3,,\n4,5,6\n7,8,9,\n", encoding="utf-8")
    assert csv_file(path).layout().named == 3
    assert flatten(csv_file(path).blocks()) == [
        (2, {"a": "1", "b": "2", "c": "3"}),
        (3, {"a": "4", "b": "5", "c": "6"}),
        f"{path}:4: 4 columns where the header has 5 — quote values that contain commas, "
        "and give every row the header's columns",
    ]


def test_trailing_commas_and_empty_rows_of_another_width(tmp_path: Path) -> None:
    """A row longer than the header only by empty values is named a trailing comma (a value
    with an unquoted comma is the other reading: the fix says both); an empty row of
    another width is named an empty row."""
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n1,2,3,\n4,5,6,,\n,,,,\n7,8,9,x\n", encoding="utf-8")
    found = flatten(csv_file(path).blocks())
    assert found == [
        f"{path}:2: 4 columns where the header has 3 — the row ends with a trailing comma, "
        "empty values the header has no column for: delete them (in Excel, delete the empty "
        "columns right of the table with 列の削除 and save again); if a value contains a "
        'comma, such as 2,21, quote it: "2,21"',
        f"{path}:3: 5 columns where the header has 3 — the row ends with 2 trailing commas, "
        "empty values the header has no column for: delete them (in Excel, delete the empty "
        "columns right of the table with 列の削除 and save again); if a value contains a "
        'comma, such as 2,21, quote it: "2,21"',
        f"{path}:4: 5 columns where the header has 3 — the row is empty: delete it (in "
        "Excel, select the empty rows under or between the data, delete them with 行の削除 "
        "and save again)",
        f"{path}:5: 4 columns where the header has 3 — quote values that contain commas, "
        "and give every row the header's columns",
    ]
    japanese = [str(item) for item in csv_file(path).blocks() if isinstance(item, CutoverError)]
    assert [line.split(" — ")[0] for line in japanese] == [
        f"{path}:{n}: この行は {found} 列ですが、見出しは 3 列です"
        for n, found in [(2, 4), (3, 5), (4, 5), (5, 4)]
    ]
    assert "行の末尾に余分なコンマが 2 個あり" in japanese[1]
    assert "「行の削除」" in japanese[2]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=csv_texts(), cut=st.floats(0, 1))
def test_spans_split_anywhere_read_the_same(
    tmp_path_factory: pytest.TempPathFactory, text: str, cut: float
) -> None:
    """Reading up to a line start, then on from where that stopped, reads the whole file."""
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(text.encode())
    source = csv_file(path)
    layout = source.layout()
    data = path.read_bytes()
    stop = layout.data_start + int((len(data) - layout.data_start) * cut)
    stop = data.find(b"\n", stop) + 1 or len(data)
    first = list(source.spans(layout, stop=stop))
    end, line = layout.data_start, layout.data_line
    if first:
        end, line = first[-1].end, first[-1].line + first[-1].lines
    assert end >= stop or not first or end == len(data)
    rest = list(source.spans(layout, start=end, line=line))
    items = [item for span in first + rest for item in span.items]
    assert not any(isinstance(item, blocks.ScannedBlock) for item in items)  # (no scanner)
    assert flatten(iter(items)) == flatten(source.blocks())  # type: ignore[arg-type]
    # The spans tile the data: each starts where the one before it ended.
    spans = first + rest
    assert all(s.end == t.start and s.line + s.lines == t.line for s, t in pairwise(spans))


# (Line 4's value over two lines, the second shaped like a row, is warned of: not what
# this test checks.)
@pytest.mark.filterwarnings("ignore::cutover.errors.InputWarning")
def test_plain_and_quoted_blocks(tmp_path: Path) -> None:
    """A block without quotes is split at commas; one with quotes goes through csv."""
    path = tmp_path / "t.csv"
    path.write_text('a,b,c\n1,2,3\n4,5,6\n"x\ny","5,5",6\n', encoding="utf-8")
    # (Column a as free text, whose values may hold line breaks.)
    source = CsvFile(path, columns=COLUMNS, required=["a"], free_text=frozenset({"a"}))
    assert flatten(source.blocks()) == [
        (2, {"a": "1", "b": "2", "c": "3"}),
        (3, {"a": "4", "b": "5", "c": "6"}),
        (4, {"a": "x\ny", "b": "5,5", "c": "6"}),
    ]


def test_header_alias_and_bom(tmp_path: Path) -> None:
    """A BOM is not part of the first header, and a spelling maps to its canonical name."""
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "Ａ,b,c\r\n1,2,3\r\n".encode())
    layout = csv_file(path).layout()
    assert layout.encoding == "utf-8-sig"
    assert layout.codec == "utf-8"
    assert layout.index == {"a": 0, "b": 1, "c": 2}
    assert (layout.data_start, layout.data_line) == (3 + len("Ａ,b,c\r\n".encode()), 2)
    assert flatten(csv_file(path).blocks()) == [(2, {"a": "1", "b": "2", "c": "3"})]


def test_bom_of_a_file_joined_after_another(tmp_path: Path) -> None:
    """The byte-order mark of a file joined after another (``copy /b a.csv+b.csv``) is where
    that file began, not a character of its first cell: its rows read as the first file's,
    in either block size, by the plain reader and by the csv module (a quoted value)."""
    path = tmp_path / "t.csv"
    bom = b"\xef\xbb\xbf"
    path.write_bytes(bom + b"a,b,c\r\n1,2,3\r\n" + bom + b"4,5,6\r\n" + bom + b'"7,8",x,9\r\n')
    for block in (1, 1 << 17):
        rows, said = read_at(path, block)
        assert not said
        assert rows == [
            (2, {"a": "1", "b": "2", "c": "3"}),
            (3, {"a": "4", "b": "5", "c": "6"}),
            (4, {"a": "7,8", "b": "x", "c": "9"}),
        ]


def test_quoted_header_over_two_lines(tmp_path: Path) -> None:
    """A header cell with a line break makes the data start on line 3."""
    path = tmp_path / "t.csv"
    path.write_text('a,"b\nB",c\n1,2,3\n', encoding="utf-8")
    layout = CsvFile(path, columns={"a": [], "c": []}, required=["a"]).layout()
    assert layout.data_line == 3
    assert layout.index == {"a": 0, "c": 2}


def test_long_line_beyond_a_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A line longer than a block is read whole."""
    monkeypatch.setattr(block_source, "_BLOCK_BYTES", 16)
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n" + "x" * 100 + ",2,3\n4,5,6", encoding="utf-8")
    assert flatten(csv_file(path).blocks()) == [
        (2, {"a": "x" * 100, "b": "2", "c": "3"}),
        (3, {"a": "4", "b": "5", "c": "6"}),
    ]


def test_value_over_the_field_limit(tmp_path: Path) -> None:
    """A value longer than the csv module's field limit is refused in the catalogue's words,
    in both languages: its file, line and column, the limit, and the fix (shorten it); not
    the csv module's English."""
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n1,2,3\n4," + "x" * (csv.field_size_limit() + 1) + ",6\n", "utf-8")
    with refused(r"t\.csv:3: b: a value longer than 131,072 characters") as caught:
        list(csv_file(path).blocks())
    assert caught.value.text("en").endswith(
        "the most one CSV value may hold — shorten the value to 131,072 characters, or save "
        "the file again as CSV from the spreadsheet"
    )
    japanese = str(caught.value)
    assert japanese.startswith(f"{path}:3: b: 値が 131,072 文字を超えています。")
    assert "値を 131,072 文字以内に縮める" in japanese
    assert "field larger" not in japanese
    assert caught.value.problems[0].code == "inputs.value-too-long"


@pytest.mark.parametrize("block", [64, 1 << 17])
def test_value_over_the_field_limit_from_a_quote_left_open(tmp_path: Path, block: int) -> None:
    """A quote left open in a long file makes one value of every line after it, too long to
    read: the error names the line the quote is on and says to close it."""
    rows = "".join(f"{n},{n},{n}\n" for n in range(20_000))  # (past the limit)
    path = tmp_path / "t.csv"
    path.write_text('a,b,c\n1,2,3\n4,"5,6\n' + rows, encoding="utf-8")
    with refused(r"t\.csv:3: b: a value longer than 131,072 characters") as caught:
        blocks_at(path, block)
    assert caught.value.text("en").endswith(
        '— a quote (") left open on line 3 makes every line after it part of one value, this '
        "long: close or remove that quote (if the value really is this long, shorten it to "
        "131,072 characters)"
    )
    assert '3行目で引用符（"）が閉じられていないと' in str(caught.value)


def test_value_over_the_field_limit_in_the_header_or_an_ignored_column(tmp_path: Path) -> None:
    """A value too long in a column the reader ignores is named by its header; one in the
    header is at line 1."""
    long = "x" * (csv.field_size_limit() + 1)
    path = tmp_path / "t.csv"
    path.write_text(f"a,b,c,memo\n1,2,3,{long}\n", encoding="utf-8")
    with refused(r"t\.csv:2: memo: a value longer than 131,072 characters"):
        list(csv_file(path).blocks())
    path.write_text(f"a,b,c,{long}\n1,2,3,4\n", encoding="utf-8")
    with refused(r"t\.csv:1: a value longer than 131,072 characters"):
        csv_file(path).layout()


def test_a_quote_left_open_in_a_column_of_codes_refuses_its_row(tmp_path: Path) -> None:
    """A value with a line break in a column that is never free text (every column here) is
    a quote left open: the row is refused, naming the lines read as one, and the rows after
    them are read; the block path and the row path agree."""
    path = tmp_path / "t.csv"
    path.write_text('a,b,c\n"1,2,3\n4,5,6\n7",8,9\n10,11,12\n', encoding="utf-8")
    found = flatten(csv_file(path).blocks())
    assert found == [
        f'{path}:2: a: a quote (") seems to be left open on line 2, so lines 2–4 (3 lines) were '
        "read as one row — close or remove the quote on line 2 (only a value holding a comma "
        "or a line break needs quotes); until then, none of these 3 lines is read",
        (5, {"a": "10", "b": "11", "c": "12"}),
    ]
    rows = [r.text("en") if isinstance(r, CutoverError) else r.line for r in csv_file(path).rows()]
    assert rows == [found[0], 5]
    japanese = next(r for r in csv_file(path).rows() if isinstance(r, CutoverError))
    assert str(japanese) == (
        f'{path}:2: a: 2行目で引用符（"）が閉じられていないようです。そのため 2〜4行目の 3 行が'
        "1行として読まれました — 2行目の引用符を閉じるか削除してください（引用符が要るのは、"
        "コンマや改行を含む値だけです）。直すまで、この 3 行はどれも読まれません"
    )


def test_a_quote_left_open_to_the_end_of_the_file(tmp_path: Path) -> None:
    """A quote never closed takes every line to the end of the file: refused, naming them."""
    path = tmp_path / "t.csv"
    path.write_text('a,b,c\n1,2,3\n4,"5,6\n7,8,9\n', encoding="utf-8")
    assert flatten(csv_file(path).blocks()) == [
        (2, {"a": "1", "b": "2", "c": "3"}),
        f'{path}:3: b: a quote (") seems to be left open on line 3, so lines 3–4 (2 lines) were '
        "read as one row — close or remove the quote on line 3 (only a value holding a comma "
        "or a line break needs quotes); until then, none of these 2 lines is read",
    ]


NOTES: dict[str, list[str]] = {"a": [], "b": [], "note": []}


def notes_file(path: Path) -> CsvFile:
    """Return a reader of `path` with columns a, b and the free-text column note."""
    return CsvFile(path, columns=NOTES, required=["a"], free_text=frozenset({"note"}))


@pytest.mark.parametrize(
    "note",
    [
        "自己点検表を提出\n担当: 総務課 山田",
        "1回目 6/1 NG（接続エラー）\n2回目 6/5 OK\n",
        "Tested on 6/1, failed, retried,\n6/5, passed, confirmed by J-LIS, ok",
        "対象: 2, 21, 52\n確認済み, 山田, 鈴木, 佐藤",
        "連絡先\n03-1234-5678, 内線 123, 総務課, 山田",
        "2018-06-01 登録\n2018-06-05, 再登録, 完了, 山田",
    ],
)
def test_a_cell_of_several_lines_is_read_without_a_warning(tmp_path: Path, note: str) -> None:
    """A free-text cell Excel wrote on several lines (quoted, with line breaks; commas in
    some of its lines) is read as written, and warned of in no language."""
    path = tmp_path / "t.csv"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [["a", "b", "note"], ["131016", "x", note], ["131024", "y", "ok"]]
    )
    path.write_text(out.getvalue(), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        found = flatten(notes_file(path).blocks())
    lines = 2 + note.count("\n")
    assert found == [
        (2, {"a": "131016", "b": "x", "note": note}),
        (lines + 1, {"a": "131024", "b": "y", "note": "ok"}),
    ]


@pytest.mark.parametrize("block", [8, 1 << 17])
def test_rows_swallowed_by_a_quote_left_open_in_free_text_are_warned_of(
    tmp_path: Path, block: int
) -> None:
    """A quote left open in a free-text column swallows the rows up to the next quote: the
    row is read as written, with one warning naming the column, the lines and the fix."""
    path = tmp_path / "t.csv"
    path.write_text(
        'a,b,note\n312011,x,"自己点検表を提出\n312011,y,閲覧を確認\n312011,z,試験"\n312029,w,ok\n',
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        found = flatten(notes_file(path).blocks())
    said = [w.message for w in caught if isinstance(w.message, InputWarning)]
    assert len(said) == 1
    assert said[0].problem.text("en") == (
        f"{path}:2: note: this value runs over lines 2–4, and lines in it look like rows of "
        'this file: if a quote (") was left open on line 2, they are read as part of this '
        "value, not as rows — if the quote was left open, close or remove it on line 2; if "
        "the line breaks belong in the cell, nothing needs to change"
    )
    japanese = said[0].problem.text("ja")
    assert japanese.startswith(f"{path}:2: note: この値は 2〜4行目にまたがり、")
    assert "その中にこのファイルの行のような行があります。" in japanese
    assert [item[0] for item in found if isinstance(item, tuple)] == [2, 5]


def test_rows_swallowed_into_too_many_columns_say_the_quote(tmp_path: Path) -> None:
    """A quote left open in a free-text column and closed by another row's quote makes a row
    too wide: the problem says the quote, not the column count."""
    path = tmp_path / "t.csv"
    path.write_text(
        'a,b,note\n312011,x,"stray\n312011,y,z\n312029,w,"a, b"\n312037,v,ok\n',
        encoding="utf-8",
    )
    found = flatten(notes_file(path).blocks())
    assert found[0] == (
        f'{path}:2: note: a quote (") seems to be left open on line 2, so lines 2–4 (3 lines) '
        "were read as one row — close or remove the quote on line 2 (only a value holding a "
        "comma or a line break needs quotes); until then, none of these 3 lines is read"
    )
    assert found[1:] == [(5, {"a": "312037", "b": "v", "note": "ok"})]


def test_lone_cr_ends_a_line(tmp_path: Path) -> None:
    """A lone CR ends a line, as in the csv module (old Mac files), and counts as one."""
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b,c\r1,2,3\r4,5,6\r")
    assert flatten(csv_file(path).blocks()) == [
        (2, {"a": "1", "b": "2", "c": "3"}),
        (3, {"a": "4", "b": "5", "c": "6"}),
    ]


def test_cp932_undecodable_line(tmp_path: Path) -> None:
    """A cp932 file with bytes that are not cp932 names the line they are on."""
    path = tmp_path / "t.csv"
    path.write_bytes("a,b,c\n照,会,い\n".encode("cp932") + b"1,\x81\x7f,3\n")
    with refused(r"t\.csv:3: bytes that are not valid Shift_JIS \(cp932\)"):
        list(csv_file(path).blocks())


@pytest.mark.parametrize("stray", [b"\x80", b"\xa0", b"\xfd", b"\xfe", b"\xff"])
@pytest.mark.parametrize("block", [3, 1 << 17])
def test_cp932_stray_bytes_refused(tmp_path: Path, stray: bytes, block: int) -> None:
    """Bytes Python's cp932 decoder lets through, with no Shift_JIS character, name their line."""
    path = tmp_path / "t.csv"
    path.write_bytes("a,b,c\n照,会,い\n".encode("cp932") + b"1," + stray + b"x,3\n4,5,6\n")
    with refused(r"t\.csv:3: bytes that are not valid Shift_JIS \(cp932\)"):
        blocks_at(path, block)


@pytest.mark.parametrize("encoding", ["cp932", "utf-8"])
@pytest.mark.parametrize("ascii_bytes", [encodings._SNIFF_BYTES, 3 << 20])
def test_encoding_told_by_a_character_far_into_the_file(
    tmp_path: Path, encoding: str, ascii_bytes: int
) -> None:
    """A file whose first 64 KB (or first megabytes) are plain ASCII, under an English
    header, with its first Japanese character far on: the encoding is read from that
    character, and the file is not refused as undecodable."""
    line = "12345678,abcdef,xyz\n"
    filler = line * (ascii_bytes // len(line) + 1)
    path = tmp_path / "t.csv"
    path.write_bytes(("a,b,c\n" + filler + "9,未提供,照会\n").encode(encoding))
    assert csv_file(path).layout().encoding == encoding
    rows = flatten(csv_file(path).blocks())
    assert rows[-1] == (len(rows) + 1, {"a": "9", "b": "未提供", "c": "照会"})


def test_all_ascii_file_is_utf8(tmp_path: Path) -> None:
    """A file of ASCII alone, longer than the sniffed head, reads as UTF-8."""
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b,c\n" + b"1,2,3\n" * (encodings._SNIFF_BYTES // 6 + 10))
    assert csv_file(path).layout().encoding == "utf-8"


def test_cp932_trail_bytes_80_and_a0_are_characters(tmp_path: Path) -> None:
    """0x80 and 0xA0 after a lead byte are characters (÷, あ, ム): read, not refused."""
    path = tmp_path / "t.csv"
    path.write_bytes("a,b,c\n照,会,い\n".encode("cp932") + b"\x81\x80,\x82\xa0,\x83\x80\n")
    assert flatten(csv_file(path).blocks())[-1] == (3, {"a": "÷", "b": "あ", "c": "ム"})


_UTF16 = "UTF-16 text (Excel's 「Unicode テキスト」)"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(40), "an Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "an Excel 97-2003 workbook (.xls)"),
        ("a,b,c\r\n1,2,3\r\n".encode("utf-16"), _UTF16),
        ("a,b,c\n1,2,3\n".encode("utf-16-le"), _UTF16),
        ("a,b,c\n1,2,3\n".encode("utf-16-be"), _UTF16),
        ("照会番号,照会者,状況\r\n1,2,3\r\n".encode("utf-16-le"), _UTF16),  # no BOM, Japanese
        (b"a,b\x00\x07,c\n1,2,3\n", "binary data (NUL bytes in the header line)"),
    ],
)
def test_files_that_are_not_csv(tmp_path: Path, data: bytes, what: str) -> None:
    """A workbook, UTF-16 text or binary data is named as such, with how to save a CSV."""
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    with pytest.raises(CutoverError) as caught:
        list(csv_file(path).blocks())
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(path), 1)
    message, fix = problem.describe("en")
    assert message.startswith(f"the file is {what}")
    assert "CSV UTF-8 (コンマ区切り)" in fix
    assert problem.message.startswith("このファイルは")
    assert "「名前を付けて保存」で「CSV UTF-8 (コンマ区切り)」" in problem.fix


def test_tab_separated_header(tmp_path: Path) -> None:
    """A tab-separated file is named as such, not reported as missing every column."""
    path = tmp_path / "t.csv"
    path.write_text("a\tb\tc\n1\t2\t3\n", encoding="utf-8")
    with refused(r"t\.csv:1: the header is separated by tabs"):
        csv_file(path).layout()


def test_tab_separated_header_with_a_comma_in_a_name(tmp_path: Path) -> None:
    """A TSV header whose cell holds a comma is still named as tab-separated."""
    path = tmp_path / "t.csv"
    path.write_text('a\t"b, x"\tc\n1\t2\t3\n', encoding="utf-8")
    with refused(r"t\.csv:1: the header is separated by tabs"):
        csv_file(path).layout()


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
@pytest.mark.parametrize("block", [3, 1 << 17])
def test_a_nul_byte_makes_its_row_an_error(tmp_path: Path, ending: bytes, block: int) -> None:
    """A NUL byte in a value makes that row an error at its line; the rows around it are read
    (and a lone-CR file is not taken for binary data)."""
    path = tmp_path / "t.csv"
    path.write_bytes(ending.join([b"a,b,c", b"1,2,3", b"4,\x005,6", b"7,8,9", b""]))
    found = blocks_at(path, block)
    assert found == [
        (2, {"a": "1", "b": "2", "c": "3"}),
        f"{path}:3: a NUL byte in this row: the file is damaged here, or holds binary data — "
        "remove the NUL byte, or save the file again as CSV from the spreadsheet",
        (4, {"a": "7", "b": "8", "c": "9"}),
    ]


def test_a_tab_inside_a_header_name_is_not_a_tsv(tmp_path: Path) -> None:
    """A comma-separated header with a tab in one name reads as CSV: only a lone cell is a TSV."""
    path = tmp_path / "t.csv"
    path.write_text("a,b\tx,c\n1,2,3\n", encoding="utf-8")
    assert flatten(csv_file(path).blocks()) == [(2, {"a": "1", "c": "3"})]


def test_rows_strip_values(tmp_path: Path) -> None:
    """rows() gives stripped values with their lines (the registry's reader)."""
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n 1 , 2,3 \n", encoding="utf-8")
    (row,) = list(csv_file(path).rows())
    assert not isinstance(row, CutoverError)
    assert (row.line, dict(row.values)) == (2, {"a": "1", "b": "2", "c": "3"})


@pytest.mark.parametrize(
    ("lines", "found"),
    [
        (["1,2,3\n", "x" * 20 + "\n"], None),  # (the record ends first)
        (['1,"ab""c",' + "x" * 11 + "\n"], (2, False, 1)),
        (['1,"a\r\n', "b" * 10 + '"\n'], (1, True, 2)),
        (['"a"' + "b" * 10 + "\n"], (0, True, 1)),  # (after the closing quote, the value goes on)
        (['1,"' + "x" * 10 + '"\n'], None),  # (as long as the limit: read)
    ],
)
def test_which_value_is_too_long(lines: list[str], found: tuple[int, bool, int] | None) -> None:
    """The value named too long is the one the csv module stops at (limit 10 here): its
    position, whether it is quoted, and the lines read to it."""
    assert quotes.overlong_value(lines, 10) == found
    limit = csv.field_size_limit(10)
    try:
        next(csv.reader(lines))
    except csv.Error:
        stopped = True
    else:
        stopped = False
    finally:
        csv.field_size_limit(limit)
    assert stopped == (found is not None)


def test_the_dos_end_of_file_mark_is_no_row(tmp_path: Path) -> None:
    """Some old DOS and Windows exporters end a file with Ctrl+Z (0x1A) after its last line:
    a registry read as 23 agencies and one invisible "row of 1 column" that stopped the
    command with nothing the clerk could see to delete. The mark is no row, at the end or
    between two files copied into one (``copy /b a.csv+b.csv``), whose rows are all read,
    or straight after the last value."""
    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    agencies = (example / "agencies.csv").read_bytes()
    marked = tmp_path / "agencies.csv"
    marked.write_bytes(agencies + b"\x1a")
    assert len(load_agencies(marked)) == 23
    header, *rows = agencies.splitlines(keepends=True)
    joined = tmp_path / "joined.csv"
    joined.write_bytes(header + b"".join(rows[:10]) + b"\x1a\r\n" + b"".join(rows[10:]) + b"\x1a")
    assert len(load_agencies(joined)) == 23
    # The mark straight after the last value, no line break between: no part of the value.
    stuck = tmp_path / "stuck.csv"
    stuck.write_bytes(agencies.rstrip(b"\r\n") + b"\x1a")
    assert load_agencies(stuck) == load_agencies(example / "agencies.csv")
    queries = tmp_path / "queries.csv"
    queries.write_bytes((example / "queries.csv").read_bytes() + b"\x1a")
    rule = cutoff_rule(build_timeline(load_calendar("2018-07")))
    as_of = dt.date(2018, 6, 25)
    with (
        triage_file(queries, rule, as_of) as marked_report,
        triage_file(example / "queries.csv", rule, as_of) as plain,
    ):
        assert marked_report.counts == plain.counts
