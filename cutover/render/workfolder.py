"""The work folder a run replacing a folder's files works in (`cutover.render.files.write_folder`):
``.cutover.XXXXXXXX`` inside that folder, locked while the run works, and how a run puts right
the work folders runs stopped outright (SIGKILL, power lost) left there.

The lock is a file, ``lock``, in the work folder, locked with ``fcntl.flock`` (``msvcrt.locking``
on Windows) by the run working there: the system drops the lock of a process that ends, however
it ends, so a work folder whose lock no one holds is one a stopped run left. A run takes the
lock of such a folder before touching it, and checks that the file it locked is still the
folder's (not one another run, cleaning up, removed): two runs never put right the same folder,
and none takes a working run's.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import warnings
from pathlib import Path

from cutover.errors import InputWarning, Problem, printable

__all__ = ["WORK_PREFIX", "discard", "lock", "recover", "release"]

#: The start of the name of the folder a run works in, inside a folder it replaces the
#: files of: ``.cutover.XXXXXXXX/new`` holds the new files until all are written, ``…/old``
#: the old ones while the new ones move in, ``…/lock`` is locked while the run works.
#: Removed when the run ends; one a run stopped outright left is put right by the next run
#: (`recover`).
WORK_PREFIX = ".cutover."
#: The name of a work folder exactly as a run makes it: nothing else is ever removed.
_WORK_NAME = re.compile(r"\.cutover\.[0-9a-f]{8}")
#: The file in a work folder locked by the run working in it (`lock`).
_LOCK = "lock"


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        """Lock the file `fd` for this process; False when another holds it."""
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        """Lock the file `fd` for this process; False when another holds it."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


def lock(work: Path) -> tuple[int, bool] | None:
    """Lock the work folder `work` (its file ``lock``, made if missing); return the locked
    descriptor and whether the file was made here, or None when another run holds it or
    the folder is gone. The lock goes with the process: a run killed holds none."""
    path = work / _LOCK
    flags = os.O_RDWR | getattr(os, "O_BINARY", 0)
    made = True
    try:
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            made = False
            fd = os.open(path, flags)
    except OSError:  # removed meanwhile, or not ours to write
        return None
    try:
        # Locked, and still the folder's lock file (not one a run cleaning up removed).
        if _try_lock(fd) and _same(os.fstat(fd), _lstat(path)):
            return fd, made
    except OSError:
        pass
    os.close(fd)
    return None


def _same(a: os.stat_result, b: os.stat_result | None) -> bool:
    return b is not None and (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except OSError:
        return None


def release(work: Path, held: int) -> None:
    """Unlock and remove the lock of the work folder `work`, then the folder if empty."""
    with contextlib.suppress(OSError):
        os.close(held)  # (first: Windows removes no open file)
    with contextlib.suppress(OSError):
        (work / _LOCK).unlink()
    with contextlib.suppress(OSError):
        work.rmdir()


def recover(target: Path, link: Path, own: Path) -> None:
    """Put right the work folders that runs stopped outright left in `target` (all but
    `own`), as `write_folder` says."""
    for entry in sorted(os.scandir(target), key=lambda e: e.name):
        work = Path(entry.path)
        if _WORK_NAME.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False) and work != own:
            _recover_work(target, link, work)


def _recover_work(target: Path, link: Path, work: Path) -> None:
    """Put back what the stopped run's `work` folder moved aside, then remove it; leave it
    (and warn) if it holds anything else or a file cannot go back. Skipped while a run
    holds it."""
    locked = lock(work)
    if locked is None:
        return
    held, made = locked
    shown = printable(str(link / work.name))
    try:
        unexpected = _unexpected(work)
    except OSError:  # (a subfolder this user may not read: not one a run of theirs made)
        unexpected = "new" if os.path.lexists(work / "new") else "old"
    if unexpected is not None:
        with contextlib.suppress(OSError):
            os.close(held)
        if made:
            with contextlib.suppress(OSError):
                (work / _LOCK).unlink()
        _warn(Problem(file=shown, code="files.work-folder-kept", params={"entry": unexpected}))
        return
    new, old = work / "new", work / "old"
    kept = ""
    with contextlib.suppress(FileNotFoundError), os.scandir(old) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if not os.path.lexists(target / entry.name):
                try:
                    Path(entry.path).rename(target / entry.name)
                except OSError:
                    kept = kept or entry.name
    discard(new)
    if kept:
        with contextlib.suppress(OSError):
            os.close(held)
        _warn(Problem(file=shown, code="files.work-folder-not-restored", params={"entry": kept}))
        return
    discard(old)
    release(work, held)


def _unexpected(work: Path) -> str | None:
    """Return the first entry of the work folder `work` that a run does not make there
    (``new`` or ``old`` with files in them, ``lock``), or None."""
    with os.scandir(work) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name == _LOCK and entry.is_file(follow_symlinks=False):
                continue
            if entry.name not in ("new", "old") or not entry.is_dir(follow_symlinks=False):
                return entry.name
            with os.scandir(entry.path) as inside:
                for item in sorted(inside, key=lambda e: e.name):
                    if item.is_dir(follow_symlinks=False):
                        return f"{entry.name}/{item.name}"
    return None


def _warn(problem: Problem) -> None:
    warnings.warn(InputWarning(problem), stacklevel=4)


def discard(folder: Path) -> None:
    """Remove the files in `folder`, a folder a run made, then the folder. A subfolder is
    never entered (there should be none): the folder then stays."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    Path(entry.path).unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()
