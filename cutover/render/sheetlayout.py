"""How a worksheet shows and prints: the width of a text in a column, texts wrapped in
their column with rows as high as their lines, and the page setup every sheet gets (A4, the
header on every page, all columns on one page wide unless that shrinks the text below
`LEGIBLE`: then as many pages wide as it takes, the row's identifying columns repeated on
each). `cutover.render.xlsx` writes the workbooks with these rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.styles import Alignment, Font
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cutover.i18n.text import display_width

__all__ = [
    "LEGIBLE",
    "WRAPPED",
    "bold_font",
    "display_width",
    "fit_rows",
    "lines_taken",
    "page_header",
    "print_header",
    "print_setup",
    "row_height",
    "words_lines",
    "wrap_long_texts",
]

#: The widest a sheet's columns may be, in Excel's units of width, to print on a portrait A4
#: page at 100% (with Excel's default margins, and so with the narrower `_MARGINS`; wider:
#: landscape, then scaled to fit).
_PORTRAIT_WIDTH = 90
#: The width of a column no one sized, as Excel shows it.
_EXCEL_DEFAULT_WIDTH = 8.43
#: The margins of every printed sheet, in inches: Excel's own 「狭い」 (Narrow) preset, which
#: a clerk finds in Excel's menu: left and right 0.25 rather than the default 0.7 give a
#: landscape page a tenth more width, the text a tenth larger.
_MARGINS = PageMargins(left=0.25, right=0.25, top=0.75, bottom=0.75, header=0.3, footer=0.3)
#: The width, in Excel's pixels (96 to the inch), of a landscape A4 page (11.69 inches)
#: inside those margins.
_LANDSCAPE_PIXELS = 1074
#: The least a sheet is scaled down to print one page wide: below, its 11-point text is
#: too small to read on paper (on a metric wider than Excel's, as LibreOffice's when it
#: has no Calibri, the same sheet prints a quarter smaller still: about 60%).
LEGIBLE = 0.85
#: The most pages wide a sheet prints on: a row read across more sheets of paper is lost.
_MOST_PAGES_WIDE = 4
#: The height, in points, of a line of 11-point text wrapped in a cell, its Japanese in a
#: CJK font (LibreOffice's Noto Sans CJK: 15.7 points a line; Meiryo, the tallest of
#: Windows': 1.5 em, 16.5), and of a row's margins besides.
_LINE = 16.5
_ROW_MARGINS = 1.5
WRAPPED = Alignment(wrap_text=True)


def bold_font(size: float = 11) -> Font:
    """Return the workbook's own font (Calibri, as every other cell has it) in bold, `size`
    points: a font that names no typeface printed a header in whatever the application
    fell back to (LibreOffice: a serif beside the sheet's sans-serif)."""
    return Font(
        name=DEFAULT_FONT.name,
        family=DEFAULT_FONT.family,
        scheme=DEFAULT_FONT.scheme,
        color=DEFAULT_FONT.color,
        sz=size,
        b=True,
    )


def _pixels(width: float) -> float:
    """Return how wide a column `width` wide is in Excel, in pixels (Calibri 11, whose
    digit is 7 pixels wide, and the cell's padding)."""
    return width * 7 + 5


def print_setup(ws: Worksheet) -> None:
    """Make `ws` print as people print it on paper: A4 with narrow margins, each page
    numbered at its foot (3 / 57), the frozen rows repeated on every page, every column on
    one page wide (landscape when wider than a portrait page) when that prints its text at
    `LEGIBLE` or larger; a wider sheet whose
    writer named the columns that tell its rows apart (``ws.print_title_cols``, say the
    agency's code and name) prints on as many pages wide as keep it legible, those columns
    repeated on each, the pages of a row next to each other (across, then down)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins = _MARGINS
    dimensions = ws.column_dimensions

    def widths(first: int, last: int) -> list[float]:
        found = map(dimensions.get, map(get_column_letter, range(first, last + 1)))
        return [d.width if d is not None else _EXCEL_DEFAULT_WIDTH for d in found]

    columns = widths(1, ws.max_column)
    ws.page_setup.orientation = "landscape" if sum(columns) > _PORTRAIT_WIDTH else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # (as many pages down as the rows take)
    titles = ws.print_title_cols
    if titles is not None:
        first, last = (column_index_from_string(c.strip("$")) for c in titles.split(":"))
        page = _LANDSCAPE_PIXELS / LEGIBLE
        wide, repeated = (sum(map(_pixels, w)) for w in (columns, widths(first, last)))
        pages = 1
        # (The first page holds the repeated columns in their place; each next one holds
        # them again, and what room is left.)
        while wide > page + (pages - 1) * (page - repeated) and pages < _MOST_PAGES_WIDE:
            pages += 1
        # (One page wide, the columns named stay named: with nothing to repeat them on.)
        if pages > 1:
            ws.page_setup.fitToWidth = pages
            ws.page_setup.pageOrder = "overThenDown"
    # (A printout tens of pages long, across then down: each page says which it is, 3 / 57.)
    footer = ws.oddFooter
    if footer is None:  # (openpyxl gives every sheet one; its types say it may not)
        footer = ws.HeaderFooter.oddFooter = HeaderFooterItem()
    footer.center.text = "&P / &N"
    frozen = ws.freeze_panes
    if frozen is not None:
        rows = int("".join(filter(str.isdigit, frozen)) or 1) - 1
        if rows > 0:
            ws.print_title_rows = f"1:{rows}"


#: The most characters Excel takes in a page header: more, and it cannot open the workbook.
_HEADER_MOST = 255


def page_header(words: str) -> str:
    """Return `words` as a page header holds them: ``&`` doubled (a single one starts a
    header code), cut with an ellipsis to the length Excel takes."""
    header = words.replace("&", "&&")
    while len(header) > _HEADER_MOST:
        words = words[:-1]
        header = words.replace("&", "&&") + "…"
    return header


def print_header(ws: Worksheet, words: str) -> None:
    """Print `words` at the top of every page of `ws` (`page_header`)."""
    header = ws.oddHeader
    if header is None:  # (openpyxl gives every sheet one; its types say it may not)
        header = ws.HeaderFooter.oddHeader = HeaderFooterItem()
    header.center.text = page_header(words)


def lines_taken(value: str, width: float) -> int:
    """Return how many lines `value` takes wrapped in a column `width` wide (its line
    breaks, Alt+Enter in Excel, included)."""
    room = max(int(width) - 4, 1)  # (the cell's padding, and a margin for the font)
    return sum(max(1, -(-display_width(line) // room)) for line in value.split("\n"))


def words_lines(value: str, room: int) -> int:
    """Return how many lines `value` takes wrapped only at its spaces, in a column that
    holds `room` columns of text (a word wider than the room taking a line of its own)."""
    lines, taken = 0, room
    for width in map(display_width, value.split()):
        if taken + 1 + width > room:
            lines, taken = lines + 1, width
        else:
            taken += 1 + width
    return max(lines, 1)


def wrap_long_texts(ws: Worksheet, columns: Sequence[int], first: int) -> None:
    """Wrap the texts longer than their column (of `columns`, capped at `_WIDEST`) from row
    `first` on, each row as high as its lines: a long reason shows and prints whole in its
    column, rather than running on across the page (and a print fit to one page wide
    shrinking to take it in). Wrapped as Excel's 「折り返して全体を表示」 wraps: the row's
    other values stay where Excel puts them (a triage's workbook has tens of thousands of
    such rows: restyling every cell of them cost a third of its time)."""
    lines: dict[int, int] = {}
    for column in columns:
        width = ws.column_dimensions[get_column_letter(column)].width
        for (cell,) in ws.iter_rows(min_row=first, min_col=column, max_col=column):
            if isinstance(cell.value, str):
                taken = lines_taken(cell.value, width)
                if taken > 1:
                    cell.alignment = WRAPPED
                    lines[cell.row] = max(lines.get(cell.row, 1), taken)
    fit_rows(ws, lines)


class _FittedRow(RowDimension):
    """A row whose height is written but not set by hand (no ``customHeight``): Excel fits
    it to its text when it opens the workbook, in the fonts it has; LibreOffice, which does
    not, shows the height written."""

    @property
    def customHeight(self) -> bool:
        return False


def row_height(lines: int) -> float:
    """Return the height, in points, of a row that holds `lines` lines of text."""
    return _LINE * lines + _ROW_MARGINS


def fit_rows(ws: Worksheet, lines: Mapping[int, int]) -> None:
    """Make each row of `lines` as high as its number of lines of wrapped text (counted in
    Excel's metrics, `lines_taken`), `row_height`.

    LibreOffice shows a row as high as written, never higher for its wrapped text: the
    height is for it, a line of its CJK font a line (18 points a line, Yu Gothic's row in
    Excel, left a row of 15 lines two lines too high). The row is not marked as set by hand,
    so Excel fits it to its text itself on opening, in the fonts it has. The lines are those
    of the narrowest column, Excel's or LibreOffice's with Calibri or its metric twin
    Carlito: never cut short. A LibreOffice with neither lays Calibri's columns out a third
    wider (DejaVu Sans's digits), and a text there may take fewer lines than its row holds:
    a written height cannot be both."""
    dimensions = ws.row_dimensions
    for row, taken in lines.items():
        # (Replaced, not changed: openpyxl marks every row with a height as set by hand.)
        dimensions[row] = _FittedRow(ws, index=row, ht=row_height(taken))
