"""Reading an HTML page as a browser's parser does: its elements, attributes and text."""

from __future__ import annotations

import html.parser
import re

__all__ = ["Page", "external_addresses"]


class Page(html.parser.HTMLParser):
    """A parsed page: its elements, their attributes, and its visible text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self._in: list[str] = []
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        elif not self._in or self._in[-1] not in ("title",):
            self._text.append(data)

    @property
    def text(self) -> str:
        """Return the visible text, its white space folded."""
        return re.sub(r"\s+", " ", "".join(self._text))

    def hrefs(self) -> list[str]:
        """Return every address the page names (href, src, xlink:href, ...)."""
        return [v for _, name, v in self.attributes if name in ("href", "src", "xlink:href")]


def external_addresses(page: Page) -> list[str]:
    """Return the addresses in `page` that would reach outside its folder."""
    found = [a for a in page.hrefs() if re.match(r"^\s*([a-z][a-z0-9+.-]*:|//)", a, re.I)]
    found += [s for s in page.styles if re.search(r"url\(|@import", s)]
    return found
