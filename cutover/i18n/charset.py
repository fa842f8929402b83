"""Text in a legacy encoding (cp932, Japanese Windows' code page): each character it lacks
replaced by its nearest look-alike there ("—" by "―", which cp932 has at the byte Windows
writes for the em dash; "𠮷" by "吉", as Japanese Windows itself substitutes it), never
escaped and never a UnicodeEncodeError. The console (`cutover.cli.console`) writes every
line through `fit`, and a checklist's file name keeps only what cp932 can name
(`cutover.render.checklists.page_file_name`).
"""

from __future__ import annotations

import codecs
import functools
import unicodedata

__all__ = ["fit", "look_alike_errors"]

#: Look-alikes for characters a legacy encoding lacks (cp932 first), tried before the
#: compatibility form (NFKC) and "?".
_LOOK_ALIKES = {
    "\u2014": "\u2015",  # — EM DASH: cp932 writes the dash as U+2015 (its byte 0x815C)
    "\u2013": "-",  # – EN DASH (ranges: 1949–2099)
    "\u2011": "-",  # NON-BREAKING HYPHEN
    "\u2212": "\uff0d",  # − MINUS SIGN
    "\u301c": "\uff5e",  # 〜 WAVE DASH (cp932 writes the full-width tilde)
    "\u00a5": "\\",  # ¥: the yen sign is the backslash's byte in cp932
    "\u00a0": " ",  # NO-BREAK SPACE
    "\u2713": "\u2714",  # ✓
    "\u2714": "\u25cb",  # ✔ → ○
    "\u00b7": "\u30fb",  # · MIDDLE DOT → ・ KATAKANA MIDDLE DOT
    # Kanji of JIS X 0213 (and of the 2010 常用漢字表) that cp932 lacks, in a name or a note a
    # user wrote: the form cp932 has, as Japanese Windows itself would substitute it.
    "\U00020bb7": "\u5409",  # 𠮷 → 吉
    "\u9dd7": "\u9d0e",  # 鷗 → 鴎
    "\U00020b9f": "\u53f1",  # 𠮟 → 叱
    "\u525d": "\u5265",  # 剝 → 剥
    "\u9830": "\u982c",  # 頰 → 頬
    "\u5861": "\u586b",  # 塡 → 填
    "\U0002123d": "\u571f",  # 𡈽 → 土
}


@functools.cache
def _is_unicode(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(("utf-", "utf_"))


def _encodable(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _look_alike(char: str, encoding: str) -> str:
    """Return `char`, or what stands for it in `encoding`."""
    seen = char
    for _ in range(3):  # (a look-alike may itself need one: ✓ → ✔ → ○)
        if _encodable(seen, encoding):
            return seen
        if seen not in _LOOK_ALIKES:
            break
        seen = _LOOK_ALIKES[seen]
    for form in ("NFKC", "NFKD"):
        plain = "".join(
            c for c in unicodedata.normalize(form, char) if not unicodedata.combining(c)
        )
        if plain and _encodable(plain, encoding):
            return plain
    return "?"


@functools.cache
def look_alike_errors() -> str:
    """Return the name of the codec error handler that writes each character an encoding
    lacks as `fit` does (for a whole document written to a console), registered once."""
    name = "cutover-look-alike"

    def replace(exc: UnicodeError) -> tuple[str, int]:
        if not isinstance(exc, UnicodeEncodeError):
            raise exc
        lacking = exc.object[exc.start : exc.end]
        return "".join(_look_alike(c, exc.encoding) for c in lacking), exc.end

    codecs.register_error(name, replace)
    return name


def fit(line: str, encoding: str | None) -> str:
    """Return `line` as `encoding` can write it: each character it lacks replaced by a
    look-alike (`_LOOK_ALIKES`, then its compatibility form), or "?" at worst."""
    if not encoding or _is_unicode(encoding):
        return line
    try:
        line.encode(encoding)
    except UnicodeEncodeError:
        return "".join(_look_alike(c, encoding) for c in line)
    except LookupError:
        return line
    return line
