"""A survey workbook's hidden sheet 「_cutover」 read by `hidden_rows` reads what openpyxl's own
``iter_rows`` read of it, value for value and row for row, whatever its cells hold: its keys,
values and locked cells' texts are compared as text with those sent (docs/survey.md)."""

from __future__ import annotations

import functools
import io
import warnings
import zipfile
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover.inputs.survey_reply import hidden_rows
from cutover.inputs.unreadable import BadPart, open_workbook

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

#: Texts as the hidden sheet holds them (keys, codes, digests, a task's title with spaces
#: around it) and some it could.
_TEXTS = st.text(alphabet="ab0123456789:;=!_ 改修状況済 \u3000&<>'\"", max_size=12)

#: Numbers as a cell's XML writes them: whole, with a fraction, with an exponent, a serial of
#: a date and time, one past any date.
_NUMBERS = st.one_of(
    st.integers(-(10**13), 10**13).map(str),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["43281.99999999", "43281.5", "1E5", "2.5e-3", "0", "9999999999", "-1"]),
)

_ISO = st.sampled_from(
    [
        "2018-06-30",
        "2018-06-30T15:00:00",
        "2018-06-30T15:00:00Z",
        "15:00",
        "2018-06-30T15:00:00.12345",
    ]
)


@functools.cache
def _cell(strings: int) -> st.SearchStrategy[str]:
    """The inside and attributes of a cell, of every kind SpreadsheetML has (`{r}` where its
    reference goes), naming shared strings out of a table of `strings` (made once for each
    size: a strategy made anew for each cell cost more than its draws)."""
    plain = st.builds(lambda t: f' t="inlineStr"><is><t>{escape(t)}</t></is></c>', _TEXTS)
    return st.one_of(
        plain,
        st.builds(lambda i: f' t="s"><v>{i}</v></c>', st.integers(0, strings - 1)),
        st.builds(
            lambda a, b: (
                f' t="inlineStr"><is><r><t>{escape(a)}</t></r><r><t>{escape(b)}</t></r></is></c>'
            ),
            _TEXTS,
            _TEXTS,
        ),
        st.just(' t="inlineStr"><is><t/></is></c>'),
        st.builds(lambda t: f' t="str"><f>A1&amp;""</f><v>{escape(t)}</v></c>', _TEXTS),
        st.sampled_from(
            ["><f>1+1</f></c>", ' t="str"><f>A1</f></c>', ' t="e"><v>#REF!</v></c>', "/>"]
        ),
        st.builds(lambda b: f' t="b"><v>{b}</v></c>', st.sampled_from(["0", "1"])),
        st.builds(lambda n: f"><v>{n}</v></c>", _NUMBERS),
        st.builds(lambda n: f' s="1"><v>{n}</v></c>', _NUMBERS),  # (a date cell)
        st.builds(lambda d: f' t="d"><v>{d}</v></c>', _ISO),
    )


_ROW_NUMBER = st.one_of(st.none(), st.integers(1, 12))
_COLUMNS = st.lists(st.sampled_from("ABC"), max_size=3)


@st.composite
def _hidden_sheets(draw: st.DrawFn) -> bytes:
    """Return a workbook holding only a hidden sheet of varied rows and cells."""
    strings = draw(st.lists(_TEXTS, min_size=1, max_size=4))
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        number = draw(_ROW_NUMBER)  # (any order, or none)
        cells = []
        for column in draw(_COLUMNS):
            where = f' r="{column}{number or 1}"' if draw(st.booleans()) else ""
            cells.append(f"<c{where}{draw(_cell(len(strings)))}")
        at = "" if number is None else f' r="{number}"'
        rows.append(f"<row{at}>{''.join(cells)}</row>")
    last = draw(_ROW_NUMBER)
    dimension = draw(  # (a dimension and its last row; none; one naming no range)
        st.sampled_from(
            [
                "" if last is None else f'<dimension ref="A1:B{last}"/>',
                "",
                '<dimension ref="A1"/>',
                '<dimension ref="A1:B0"/>',
                "<dimension/>",
                '<dimension ref="bogus"/>',
            ]
        )
    )
    date1904 = draw(st.sampled_from(["", ' date1904="1"']))
    items = "".join(f"<si><t xml:space='preserve'>{escape(s)}</t></si>" for s in strings)
    return _xlsx(
        {
            "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><workbookPr'
            f'{date1904}/><sheets><sheet name="_cutover" sheetId="1" state="veryHidden"'
            ' r:id="rId1"/></sheets></workbook>',
            "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}">{dimension}<sheetData>'
            f"{''.join(rows)}</sheetData></worksheet>",
            "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">{items}</sst>',
        }
    )


def _xlsx(parts: dict[str, str]) -> bytes:
    """Return a workbook of `parts` and the parts every workbook has (a date style: s="1")."""
    types = "".join(
        f'<Override PartName="/{name}" ContentType="{_TYPE}.{kind}+xml"/>'
        for name, kind in [
            ("xl/workbook.xml", "sheet.main"),
            ("xl/worksheets/sheet1.xml", "worksheet"),
            ("xl/sharedStrings.xml", "sharedStrings"),
            ("xl/styles.xml", "styles"),
        ]
    )
    relation = f"{_RELS}/"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types">{types}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{_PACKAGE}"><Relationship Id="rId1" Type="'
        f'{relation}officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PACKAGE}"><Relationship Id='
        f'"rId1" Type="{relation}worksheet" Target="worksheets/sheet1.xml"/><Relationship Id='
        f'"rId2" Type="{relation}sharedStrings" Target="sharedStrings.xml"/><Relationship Id='
        f'"rId3" Type="{relation}styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'<styleSheet xmlns="{_MAIN}"><cellXfs count="2"><xf numFmtId="0"/>'
        '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
        **parts,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def _outcome(read: Callable[[], list[tuple[object, ...]]]) -> object:
    """Return what `read` reads, each value with its type; or the kind of error it raises."""
    try:
        rows = read()
    except Exception as exc:  # (the same error, whichever reads it)
        return type(exc)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()  # (empty rows after the last with cells read as nothing)
    return [tuple((type(v), v) for v in row) for row in rows]


@settings(max_examples=100, deadline=None)
@given(_hidden_sheets())
def test_hidden_rows_read_what_openpyxl_reads(whole: bytes) -> None:
    def ours() -> list[tuple[object, ...]]:
        book = open_workbook(io.BytesIO(whole))
        return list(hidden_rows(book, book["_cutover"]))

    def openpyxl_own() -> list[tuple[object, ...]]:
        book = open_workbook(io.BytesIO(whole))
        return list(book["_cutover"].iter_rows(max_col=2, values_only=True))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (openpyxl's, of a serial that makes no date)
        assert _outcome(ours) == _outcome(openpyxl_own)


def test_a_row_past_the_sheets_dimension_is_not_read() -> None:
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>k{n}</t></is></c></row>' for n in (1, 3)
    )
    whole = _xlsx(
        {
            "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets><sheet'
            ' name="_cutover" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><dimension ref="A1:B2"/>'
            f"<sheetData>{rows}</sheetData></worksheet>",
            "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}"/>',
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (openpyxl's, of a workbook with no default style)
        book = open_workbook(io.BytesIO(whole))
    assert hidden_rows(book, book["_cutover"]) == [("k1", None)]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(whole=_hidden_sheets())
def test_no_sheet_is_parsed_on_opening_and_each_is_sized_as_openpyxl_sizes_it(
    whole: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def open_part(archive: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(getattr(name, "filename", name))
        return real_open(archive, name, *args, **kwargs)

    def sizes(sheet: Callable[[], Any]) -> object:
        """Return a sheet's size; or, as `open_workbook` refuses it, why not."""
        try:
            found = sheet()
            return [getattr(found, n) for n in ("min_row", "max_row", "min_column", "max_column")]
        except (TypeError, BadPart):  # (openpyxl's TypeError is a BadPart on opening)
            return "a dimension without its range"
        except ValueError:
            return "a dimension whose range is none"

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with monkeypatch.context() as patched:
            patched.setattr(zipfile.ZipFile, "open", open_part)
            book = open_workbook(io.BytesIO(whole))
        assert not [name for name in opened if name.startswith("xl/worksheets/")]
        theirs = sizes(lambda: load_workbook(io.BytesIO(whole), read_only=True)["_cutover"])
        assert sizes(lambda: book["_cutover"]) == theirs
