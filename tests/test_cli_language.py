"""The command line speaks the reader's language: each command's error paths, run in
Japanese (the default) and in English (``--lang en``), give no English sentence in the
Japanese output and no Japanese in the English one, codes, ids, file names and quoted
values aside."""

from __future__ import annotations

import re

#: Four English words or more in a row: a sentence, not a code, an id or an option.
_ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[ ,'-]+[A-Za-z]+){3,}")
#: What is data in a line, not text: values quoted 「…」 or '…', code spans, paths.
_DATA = re.compile(r"「[^」]*」|'[^']*'|`[^`]*`|\S*[/\\]\S*")


def english_sentence(text: str) -> str | None:
    """Return the first English sentence in `text` outside quoted values and paths, or None."""
    found = _ENGLISH_RUN.search(_DATA.sub("", text))
    return found.group(0) if found else None
