"""The source's terms in English pages: the English term, with the Japanese once.

A reader of the ministry's materials knows 副本登録, ヒアリング, 一時入力 and 情報提供NWS by their
Japanese names; the English texts use plain terms ("registration of copies", "follow-up
interview", "temporary input", "NWS"), and a page gives the Japanese beside the first of
them (issue 18 point 10): "registration of copies (副本登録)" once, "registration of copies"
after. `gloss` does this for a whole page once it is written, so each text in the catalogue
or a calendar stays one plain sentence whatever comes before it on the page.
"""

from __future__ import annotations

import re

__all__ = ["GLOSSES", "gloss"]

#: Each term: the English forms that name it (the first one found on a page is glossed),
#: and the Japanese put beside it.
GLOSSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[Rr]egistrations? of copies|[Rr]egister copies"), "副本登録"),
    (re.compile(r"[Ff]ollow-up interviews?"), "ヒアリング"),
    (re.compile(r"[Tt]emporary input"), "一時入力"),
)
#: "NWS" is spelled out once: the information provision network system (情報提供NWS).
_NWS = re.compile(r"(?<![\w(-])NWS(?![\w)-])")
_NWS_LONG = "information provision network system (NWS)"


def gloss(page: str) -> str:
    """Return an English `page` with each term of `GLOSSES` followed by its Japanese at its
    first mention, and the first "NWS" spelled out. A page already glossed is returned as
    it is; an HTML page is glossed in its body only."""
    start = page.find("<body")
    start = 0 if start < 0 else start
    for pattern, japanese in GLOSSES:
        found = pattern.search(page, start)
        if found is None or page.startswith(f" ({japanese})", found.end()):
            continue
        page = f"{page[: found.end()]} ({japanese}){page[found.end() :]}"
    if _NWS_LONG not in page:
        found = _NWS.search(page, start)
        if found is not None:
            page = f"{page[: found.start()]}{_NWS_LONG}{page[found.end() :]}"
    return page
