"""Writing output files atomically, so that a crash or a bad row never leaves half a file."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from cutover.errors import CutoverError

__all__ = ["open_output", "write_text"]


@contextlib.contextmanager
def open_output(target: str | Path | None, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Yield a text stream for `target` (None or "-" is stdout), replaced atomically on success.

    The text goes to a temporary file beside the target and is renamed over it only when
    the block ends without an exception: readers never see a partial file.
    """
    if target is None or str(target) == "-":
        if encoding == "utf-8-sig":
            sys.stdout.write("\ufeff")
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(target)
    directory = path.parent if str(path.parent) else Path()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CutoverError(
            f"cannot write here: {exc.strerror}",
            fix="choose a directory you can write to",
            file=str(path),
        ) from None
    try:
        # mkstemp makes the file private (0600); outputs are shared with colleagues, so give
        # them the permissions any new file gets here (0666 less the umask).
        # (Windows has no such permissions, nor os.fchmod before Python 3.13.)
        if hasattr(os, "fchmod"):
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as stream:
            yield stream
        try:
            Path(tmp).replace(path)
        except OSError as exc:
            # `-o` naming an existing directory, or a target made read-only meanwhile.
            raise CutoverError(
                f"cannot write here: {exc.strerror}",
                fix="give the name of a file, not of a directory"
                if path.is_dir()
                else "close the file if a program (Excel) has it open, or choose a file you "
                "can write to",
                file=str(path),
            ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def write_text(target: str | Path | None, text: str, *, encoding: str = "utf-8") -> None:
    """Write `text` to `target` atomically (None or "-" writes to stdout)."""
    with open_output(target, encoding=encoding) as stream:
        stream.write(text)
