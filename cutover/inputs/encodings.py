"""Which encoding a CSV file is in: UTF-8, UTF-8 with BOM or cp932 read; the other Japanese
encodings and files that are not CSV refused.
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from cutover.i18n.catalogue import Msg

#: The encodings a file is read in, as a message names them (their catalogue codes).
ENCODING_NAMES = {
    "utf-8": "inputs.encoding-utf-8",
    "utf-8-sig": "inputs.encoding-utf-8",
    "cp932": "inputs.encoding-cp932",
}

__all__ = ["ENCODING_NAMES", "detect_encoding"]

_SNIFF_BYTES = 64 * 1024


# What Japanese Excel offers when a CSV is asked for: the fix of every "not a CSV" refusal;
# and how to save a text file again in UTF-8.
_SAVE_AS_CSV = Msg("inputs.save-as-csv")
_SAVE_AS_UTF8 = Msg("inputs.save-as-utf8")
# Bytes Python's cp932 decoder accepts although Shift_JIS has no character there (0x80,
# 0xA0, 0xFD-0xFF, decoded to U+0080 and U+F8F0-U+F8F3): a file holding them is in another
# encoding, and reading on would put garbage into names.
_CP932_STRAY = re.compile("[\x80\uf8f0-\uf8f3]")


_ESCAPE = "an escape byte"
# The escape sequences of ISO-2022-JP (RFC 1468) and its extensions: to and from JIS X 0208
# (ESC $ @, ESC $ B), JIS X 0212 and 0213 (ESC $ ( D, O, P, Q), ASCII, JIS X 0201 roman and
# katakana (ESC ( B, J, I).
_JIS_ESCAPE = re.compile(rb"\x1b(?:\$[@B]|\$\([DOPQ]|\([BJI])")


# U+FEFF at the start of a line (the text given starts on a line's start).
_JOINED_BOM = re.compile("(?:^|(?<=[\r\n]))\ufeff")


def _decode(data: bytes, codec: str) -> str:
    """Return `data` decoded; raise `UnicodeDecodeError` for bytes the codec has no character for.

    Strict for cp932 too: the bytes its decoder lets through (`_CP932_STRAY`) are refused.
    """
    text = data.decode(codec)
    if "\ufeff" in text:
        # The byte-order mark of a file joined after another (copy /b a.csv+b.csv, type a.csv
        # b.csv > c.csv), at the start of a line: a mark of where that file began, never a
        # character of its first cell (its header would not be known as one, its code
        # would not be digits).
        text = _JOINED_BOM.sub("", text)
    if "\x1b" in text:  # (maybe an escape sequence of ISO-2022-JP, past the bytes sniffed)
        escape = _JIS_ESCAPE.search(data)
        if escape is not None:
            raise UnicodeDecodeError(codec, data, escape.start(), escape.end(), _ESCAPE)
    if codec == "cp932":
        stray = _CP932_STRAY.search(text)
        if stray is not None:
            start = len(text[: stray.start()].encode(codec))
            raise UnicodeDecodeError(codec, data, start, start + 1, "no Shift_JIS character")
    return text


def _line_at(data: bytes, offset: int) -> int:
    """Return the line of `data` (the start of a file) that byte `offset` is on."""
    before = data[:offset]
    return 1 + before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n")


def _not_csv(head: bytes) -> Msg | None:
    """Return what a file that starts with `head` is when it is plainly not CSV text, or None.

    The usual mistakes: the workbook itself, or Excel's 「Unicode テキスト」 (UTF-16), given
    where its CSV was meant.
    """
    if head.startswith(b"PK\x03\x04"):
        return Msg("inputs.not-csv-xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Msg("inputs.not-csv-xls")
    first = re.split(b"[\r\n]", head, maxsplit=1)[0]
    # UTF-16 without its BOM: the ASCII characters (commas at least) leave NUL bytes on one
    # side of each pair only; Japanese characters leave none.
    odd, even = first[1::2].count(0), first[0::2].count(0)
    one_sided = min(odd, even) == 0 and max(odd, even) >= max(2, len(first) // 16)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or one_sided:
        return Msg("inputs.not-csv-utf16")
    if b"\x00" in first:
        return Msg("inputs.not-csv-binary")
    return None


_NOT_ASCII = re.compile(rb"[\x80-\xff]")


def _past_ascii(raw: BinaryIO) -> tuple[int, bytes] | None:
    """Return the offset of the file's first byte that is not ASCII and the bytes from it
    (up to `_SNIFF_BYTES` of them), or None when every byte is ASCII.

    A log with English headers and plain rows for its first 64 KB may have a Japanese
    status or memo much further on: its encoding is known only there. Every byte before it
    is ASCII, so the bytes returned start on a character.
    """
    raw.seek(0)
    offset = 0
    while chunk := raw.read(1 << 20):
        if not chunk.isascii():
            match = _NOT_ASCII.search(chunk)
            assert match is not None
            rest = chunk[match.start() :]
            if len(rest) < _SNIFF_BYTES:
                rest += raw.read(_SNIFF_BYTES - len(rest))
            return offset + match.start(), rest
        offset += len(chunk)
    return None


# Base64 runs of UTF-7 (``+nOVT1ncM-`` is 鳥取県): a plus sign, then letters, digits, + and /.
_UTF7_RUN = re.compile(rb"\+[A-Za-z0-9+/]{3,}-?")
# Where a Japanese text's characters lie: kana and CJK punctuation, kanji, full-width forms.
_JAPANESE = re.compile("[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]")
_HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]")


def _japanese_in(text: str) -> int:
    return len(_JAPANESE.findall(text))


def _utf7_text(run: bytes) -> str:
    """Return the text a UTF-7 run (``+nOVT1ncM-``) encodes, or "" when it encodes none
    (bits left over: ``+0900``, an offset)."""
    try:
        return run.decode("utf-7")
    except UnicodeDecodeError:
        return ""


def _foreign_encoding(head: bytes) -> tuple[str, int] | None:
    """Return the name of the encoding `head` (a file's first bytes) is in when it is one
    of the other Japanese encodings, which read as UTF-8 or cp932 would give garbage
    (mojibake) without an error, and the offset of its first such character; None when it
    is not one of them.

    - ISO-2022-JP (JIS, as some mail and old systems write): ASCII with escape sequences,
      which no CSV text holds;
    - UTF-7: ASCII, with Japanese as base64 runs after a plus sign;
    - EUC-JP (old Unix systems): read as cp932 it turns mostly into half-width katakana,
      or fails, where EUC-JP reads Japanese.
    """
    escape = _JIS_ESCAPE.search(head)
    if escape is not None:
        return "ISO-2022-JP (JIS)", escape.start()
    if head.isascii():
        # Each run decoded on its own, strictly: a time's offset (2018-06-30T15:00:00+0900)
        # is a run too, but no whole UTF-16 text, where Japanese in UTF-7 always is.
        runs = [run for run in _UTF7_RUN.finditer(head) if _utf7_text(run[0])]
        text = "".join(_utf7_text(run[0]) for run in runs)
        if runs and _japanese_in(text) >= 2:
            return "UTF-7", runs[0].start()
        return None
    if head.startswith(codecs.BOM_UTF8):
        return None
    euc = codecs.getincrementaldecoder("euc_jp")()
    try:
        as_euc = euc.decode(head, final=False)
    except UnicodeDecodeError:
        return None
    try:
        _decode(head, "utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return None
    try:
        as_cp932 = codecs.getincrementaldecoder("cp932")().decode(head, final=False)
    except UnicodeDecodeError:
        return "EUC-JP", _first_not_ascii(head)
    # (Shift_JIS text of half-width katakana alone, ﾄｯﾄﾘｹﾝ, reads as EUC-JP kanji too: a
    # file of nothing else would be taken for EUC-JP. One full-width character rules that out.)
    half_width = len(_HALF_WIDTH_KANA.findall(as_cp932))
    if half_width > _japanese_in(as_cp932) and _japanese_in(as_euc):
        return "EUC-JP", _first_not_ascii(head)
    return None


def _first_not_ascii(data: bytes) -> int:
    match = _NOT_ASCII.search(data)
    return 0 if match is None else match.start()


def detect_encoding(head: bytes) -> str:
    """Return the codec for a file that starts with `head`: utf-8-sig, utf-8 or cp932."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # final=False: the sniffed block may end inside a multi-byte character.
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8"
