"""Markdown inline text (the view-models' strings) as HTML, through one CommonMark parser.

The view-models hold finished strings in Markdown inline syntax: user strings escaped by
`cutover.render.markdown`, ids as code spans, a name linked to its checklist. The HTML pages
read those same strings through `html_inline`, which parses them with markdown-it-py (raw
HTML, images and autolinks off) and writes HTML: a backslash-escaped ``\\<b\\>`` becomes
``&lt;b&gt;``, never a tag, and nothing is escaped twice.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from cutover.i18n.text import display_width

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["finalize", "html_inline", "html_markdown", "plain", "plain_text"]


@functools.cache
def _parser() -> MarkdownIt:
    """Return the CommonMark parser of cutover's Markdown: tables on; raw HTML, images and
    autolinks off (nothing in a page may load or point to anything outside it).

    Made on first use: the Markdown outputs, which never parse, do not import markdown-it.
    """
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable("table")
    parser.disable(["image", "autolink", "html_inline", "html_block"])
    return parser


_LINK = re.compile(r"\]\(")


def _keep_links(tokens: Sequence[Token], links: Mapping[str, str]) -> list[Token]:
    """Return `tokens` with each link's target mapped through `links`; a link to anything
    else loses its tags and keeps its text."""
    kept: list[Token] = []
    dropped = 0
    for token in tokens:
        if token.children:
            token.children = _keep_links(token.children, links)
        if token.type == "link_open":
            target = links.get(str(token.attrGet("href") or ""))
            if target is None:
                dropped += 1
                continue
            token.attrSet("href", target)
        elif token.type == "link_close" and dropped:
            dropped -= 1
            continue
        kept.append(token)
    return kept


@functools.lru_cache(maxsize=1 << 14)
def _inline(text: str) -> Markup:
    """Return the HTML of Markdown inline `text` without links (cached, as `Markup`: texts
    repeat for every agency, a million of them printed in a national run)."""
    md = _parser()
    return Markup(md.renderer.render(_keep_links(md.parseInline(text), {}), md.options, {}))


def html_inline(text: str, links: Mapping[str, str] | None = None) -> Markup:
    """Return Markdown inline `text` (a view-model's string) as HTML.

    `links` maps a Markdown link's target (``312011.md``) to the HTML page's (``312011.html``);
    other links keep their text only.
    """
    if not links or _LINK.search(text) is None:
        return _inline(text)
    md = _parser()
    return Markup(md.renderer.render(_keep_links(md.parseInline(text), links), md.options, {}))


def html_markdown(markdown: str, links: Mapping[str, str] | None = None) -> Markup:
    """Return a whole Markdown document (a page cutover wrote) as HTML: headings, lists,
    tables; links mapped as `html_inline` does."""
    md = _parser()
    tokens = _short_columns(_number_tables(_keep_links(md.parse(markdown), links or {})))
    tokens = _notes_across(tokens)
    return Markup(md.renderer.render(_whole_days(tokens), md.options, {}))


#: A day as the pages write it: its year (平成30年, 令和元年, 2018年) and its month and day
#: (6月29日), or 2018-06-29.
_DAY = re.compile(
    r"(?P<year>(?:明治|大正|昭和|平成|令和)(?:元|\d{1,2})年|\d{4}年)(?P<day>\d{1,2}月\d{1,2}日)"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
)


def _whole_days(tokens: list[Token]) -> list[Token]:
    """Return `tokens` with each day written in a table's cell broken only where a reader
    breaks it: its year and its month and day each kept on one line (spans of class
    ``day``), as 2018-06-29 is. A narrow column of dates broke them anywhere (平成30年6月29
    / 日, 平成30年6月 / 22日, 2018- / 06-29); a line may still break after the year, and
    between the day and its weekday or note."""
    from markdown_it.token import Token

    cells = ("th_open", "td_open")
    for before, token in itertools.pairwise(tokens):
        if before.type not in cells or token.type != "inline" or not token.children:
            continue
        if _DAY.search(token.content) is None:
            continue
        kept: list[Token] = []
        for child in token.children:
            if child.type != "text" or _DAY.search(child.content) is None:
                kept.append(child)
                continue
            at = 0
            for found in _DAY.finditer(child.content):
                if found.start() > at:
                    kept.append(Token("text", "", 0, content=child.content[at : found.start()]))
                parts = (found["year"], found["day"]) if found["year"] else (found["iso"],)
                for k, part in enumerate(parts):
                    if k:  # (a break after the year, also where words are kept whole)
                        kept.append(Token("html_inline", "", 0, content="<wbr>"))
                    kept.append(Token("html_inline", "", 0, content='<span class="day">'))
                    kept.append(Token("text", "", 0, content=part))
                    kept.append(Token("html_inline", "", 0, content="</span>"))
                at = found.end()
            if at < len(child.content):
                kept.append(Token("text", "", 0, content=child.content[at:]))
        token.children = kept
    return tokens


def _number_tables(tokens: list[Token]) -> list[Token]:
    """Return `tokens` with each table of numbers (more columns aligned right than not: §3's
    survey table) classed as the index's are (``numbers``; cells ``n``, else ``label``), so
    that its labels (一部事務組合等, 国保 システム関係) break at a space only, not inside
    a word (都道府/県, 国保 シ/ステム関/係)."""
    cells = ("th_open", "td_open")
    for table in _tables(tokens):
        head = next(i for i, t in enumerate(table) if t.type == "tr_close")
        right = [_right(t) for t in table[:head] if t.type in cells]
        if sum(right) * 2 > len(right):
            table[0].attrSet("class", "numbers")
            for cell in (t for t in table if t.type in cells):
                cell.attrSet("class", "n" if _right(cell) else "label")
            for at, inline in enumerate(table[:head]):
                if inline.type == "inline" and " " in inline.content:
                    # (Its words kept whole: style.html.j2, ``th.words``.)
                    _add_class(table[at - 1], "words")
                    inline.children = _broken_at_spaces(inline.children or [])
    return tokens


def _tables(tokens: list[Token]) -> Iterator[list[Token]]:
    """Yield the tokens of each table in `tokens`, its ``table_open`` first (the same token
    objects: a class set on one is set in `tokens`)."""
    start = 0
    for at, token in enumerate(tokens):
        if token.type == "table_open":
            start = at
        elif token.type == "table_close":
            yield tokens[start:at]


def _add_class(token: Token, name: str) -> None:
    """Add the class `name` to an element's opening `token`, after those it has."""
    classes = str(token.attrGet("class") or "").split()
    token.attrSet("class", " ".join([*classes, name]))


#: The widest a column's cells may be (in half-width characters, a kanji counting two) for
#: the column to be kept on one line: the timeline's slack (★ 0日, ★ -12 days), a source
#: section (§2, §6).
_SHORT = 10
#: The widest a cell may be (as `_SHORT`, its days aside), and the widest each of its words,
#: for the cell to break only between its words: a short phrase, the timeline's status on
#: the as-of date (期間中、/ 残り5開庁日; 本日まで / （最終の開庁日は過ぎた）), an actor
#: (情報提供 / NWS運営主体). A longer word (twelve kanji and more) breaks where it must.
_PHRASE = 32
_PHRASE_WORD = 24
#: The widest a cell of a column of names may be (as `_PHRASE`), and the widest each of its
#: words, for it to break between its words only when every cell of its column is that short
#: (the timeline's actors): a name with its gloss, J-LIS（自治体中間サーバー運営主体）, breaks
#: before its bracket, where its column, squeezed, broke it inside its word (自治体中 /
#: 間サーバー運営 / 主体）). A column of longer texts keeps `_PHRASE`'s limits.
_NAME = 36
_NAME_WORD = 30
#: Where a phrase's line may break (CSS ``word-break: keep-all``): at a space, after a
#: comma, a full stop or a closing bracket, before an opening one, and where Japanese meets
#: a Latin word (情報提供 / NWS), which the browser is told with a ``<wbr>``.
_LATIN_AFTER_JAPANESE = re.compile(r"(?<=[^\x00-\x7f])(?=[A-Za-z])")
_WORD_ENDS = re.compile(
    r"\s+|(?<=[、。，．）」』】〕])|(?=[（「『【〔])|" + _LATIN_AFTER_JAPANESE.pattern
)
#: Where a name of a column of names may also break on a narrow screen (a window half a
#: laptop's width: the style sheet's ``narrow-break``): where its Japanese changes script,
#: before a run of kanji or of katakana (J-LIS（自治体中間 / サーバー / 運営主体））, never
#: inside a run nor before okurigana or a particle. Kept whole there, the timeline's actors
#: pushed its last column, the status on the as-of date, off a 700-pixel screen; print and a
#: wide screen keep the name in its words. (Only names: in Chromium's print, a mark in a
#: phrase sized to its own width broke the line there, 安全管理措置の / 自己点検.)
_NARROW_BREAKS = re.compile(
    r"(?<=[ぁ-ゖァ-ヺー])(?=[\u4e00-\u9fff々])|(?<=[ぁ-ゖ\u4e00-\u9fff々])(?=[ァ-ヺ])"
)
#: The mark of such a place: nothing but where the style sheet makes it a zero-width space.
_NARROW_BREAK = '<span class="narrow-break"></span>'


def _short_columns(tokens: list[Token]) -> list[Token]:
    """Return `tokens` with each cell of a table's short columns (every cell, its header's
    included, at most `_SHORT` wide) classed ``short``: such a column is given the width of
    its values, where the long columns beside it (the timeline's notes) squeezed it to a
    character a line (★ / 0 / 日). Each other cell that is a short phrase (`_phrase`) is
    classed ``phrase``: it breaks its Japanese between words only, where its column,
    squeezed to four characters, broke a word in two (残り5開 / 庁日, NWS運営主 / 体). A
    name of a column of names is marked where it may also break on a narrow screen
    (`_NARROW_BREAKS`)."""
    for table in _tables(tokens):
        # (A table of numbers keeps its labels in words its own way: `_number_tables`.)
        numbers = "numbers" in str(table[0].attrGet("class") or "")
        for cells in _columns(table).values():
            short = all(display_width(_content(inline)) <= _SHORT for _, inline in cells)
            names = all(_phrase(_content(inline), _NAME, _NAME_WORD) for _, inline in cells)
            for cell, inline in cells:
                if short:
                    kind = "short"
                elif not numbers and inline is not None and (names or _phrase(inline.content)):
                    kind = "phrase"
                    inline.children = _latin_breaks(inline.children or [])
                    if names:
                        inline.children = _marked(inline.children, _NARROW_BREAKS)
                else:
                    continue
                _add_class(cell, kind)
    return tokens


def _columns(table: list[Token]) -> dict[int, list[tuple[Token, Token | None]]]:
    """Return the cells of `table` (a table's tokens) by column: each cell's opening token
    and its inline token (None for an empty cell), its header's first."""
    columns: dict[int, list[tuple[Token, Token | None]]] = {}
    column = 0
    for i, cell in enumerate(table):
        if cell.type == "tr_open":
            column = 0
        elif cell.type in ("th_open", "td_open"):
            inline = table[i + 1] if table[i + 1].type == "inline" else None
            columns.setdefault(column, []).append((cell, inline))
            column += 1
    return columns


def _notes_across(tokens: list[Token]) -> list[Token]:
    """Return `tokens` with each table's column of notes (long texts in some of its rows,
    nothing in others: the timeline's 備考) classed ``across``, and the table too, with its
    other columns' count (``--columns``): on a narrow screen, a note then takes the row's
    full width below its other cells (style.html.j2: ``table.across``), where a 700-pixel
    window squeezed the column to four or five characters a line."""
    for table in _tables(tokens):
        columns = _columns(table)
        notes = [
            cells
            for cells in columns.values()
            if any(not _content(inline) for _, inline in cells[1:])
            and any(display_width(_content(inline)) > _PHRASE for _, inline in cells[1:])
        ]
        if len(notes) != 1 or len(columns) < 3:
            continue
        _add_class(table[0], "across")
        table[0].attrSet("style", f"--columns: {len(columns) - 1}")
        for cell, _ in notes[0]:
            _add_class(cell, "across")
    return tokens


def _content(inline: Token | None) -> str:
    """Return the Markdown text of a cell's `inline` token ("" for an empty cell)."""
    return "" if inline is None else inline.content


def _phrase(text: str, widest: int = _PHRASE, word: int = _PHRASE_WORD) -> bool:
    """Return whether a cell's `text` is a short phrase, broken between its words only:
    besides its days (which break after their year, `_whole_days`: a column of dates, 平成30年
    7月1日（日）/ （閉庁日: / 日曜日）), at most `widest` wide, none of its words (between
    `_WORD_ENDS`) wider than `word` (`_PHRASE`, `_PHRASE_WORD`; in a column of names,
    `_NAME`, `_NAME_WORD`)."""
    rest = _DAY.sub("", text)
    return display_width(rest) <= widest and max(map(display_width, _WORD_ENDS.split(rest))) <= word


def _latin_breaks(children: list[Token]) -> list[Token]:
    """Return a phrase's inline tokens with a ``<wbr>`` where Japanese meets a Latin word
    (情報提供<wbr>NWS運営主体): a line kept in words breaks there too."""
    return _marked(children, _LATIN_AFTER_JAPANESE, "<wbr>")


def _marked(
    children: list[Token], where: re.Pattern[str], mark: str = _NARROW_BREAK
) -> list[Token]:
    """Return inline tokens with `mark` (HTML) at each place `where` finds in their text."""
    from markdown_it.token import Token

    broken: list[Token] = []
    for child in children:
        if child.type != "text" or where.search(child.content) is None:
            broken.append(child)
            continue
        for i, part in enumerate(where.split(child.content)):
            if i:
                broken.append(Token("html_inline", "", 0, content=mark))
            broken.append(Token("text", "", 0, content=part))
    return broken


def _broken_at_spaces(children: list[Token]) -> list[Token]:
    """Return a Japanese header's inline tokens with a line break at each space: a system's
    header (地方税務 システム関係) on two lines, as the index prints it (English words wrap
    as the column's width allows)."""
    from markdown_it.token import Token

    broken: list[Token] = []
    for child in children:
        if child.type != "text" or " " not in child.content or child.content.isascii():
            broken.append(child)
            continue
        for i, part in enumerate(child.content.split(" ")):
            if i:
                broken.append(Token("hardbreak", "br", 0))
            broken.append(Token("text", "", 0, content=part))
    return broken


def _right(cell: Token) -> bool:
    """Return whether a table cell's column is aligned right (``---:``)."""
    return "right" in str(cell.attrGet("style") or "")


def plain_text(text: str) -> str:
    """Return Markdown inline `text` as the plain text it shows (a page's title)."""
    tokens = _parser().parseInline(text)
    out: list[str] = []

    def walk(found: Sequence[Token]) -> None:
        for token in found:
            if token.children:
                walk(token.children)
            elif token.type in ("text", "code_inline"):
                out.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                out.append(" ")

    walk(tokens)
    return "".join(out)


def plain(text: str) -> Markup:
    """Return Markdown inline `text` as plain text, escaped for HTML (the ``plain`` filter of
    the HTML templates: a page's ``<title>``, which shows no markup)."""
    return Markup.escape(plain_text(text))


@jinja2.pass_context
def finalize(context: Any, value: object) -> object:
    """Return what a template prints for `value`: in an HTML template, a string is a
    view-model's Markdown inline text and becomes HTML (`html_inline`, with the page's
    ``links``); in a Markdown template, or for `Markup`, it is printed as it is."""
    if not context.eval_ctx.autoescape or not isinstance(value, str) or isinstance(value, Markup):
        return value
    links = context.get("links")
    # (A dict, as cutover passes, is told without the slower check of the Mapping ABC.)
    return html_inline(value, links if type(links) is dict or isinstance(links, Mapping) else None)
