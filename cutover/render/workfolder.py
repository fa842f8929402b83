"""The work folder a run replacing a folder's files works in (`cutover.render.files.write_folder`):
``.cutover.XXXXXXXX`` inside that folder, locked while the run works, and how a run puts right
the work folders runs stopped outright (SIGKILL, power lost) left there.

The lock is a file, ``lock``, in the work folder, locked with ``fcntl.flock`` (``msvcrt.locking``
on Windows) by the run working there: the system drops the lock of a process that ends, however
it ends, so a work folder whose lock no one holds is one a stopped run left. A run takes the
lock of such a folder before touching it, and checks that the file it locked is still the
folder's (not one another run, cleaning up, removed): two runs never put right the same folder,
and none takes a working run's.

Before its first move a run writes the names of the files it moves in (``moving``), and
renames that list ``moved`` once the last has moved: the next run undoes a run stopped in
between, so that the folder holds the set it held before, and leaves one stopped after.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from cutover.errors import Problem, os_reason, printable, warn_input

__all__ = ["WORK_PREFIX", "discard", "hold", "lock", "moved", "moving", "recover", "release"]

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
#: The file in a work folder that lists the files the run moves in, written before the
#: first moves (`moving`), and its name once the last has moved (`moved`): a run stopped
#: in between is undone by the next (`recover`), one stopped after it is not.
_MOVING, _MOVED = "moving", "moved"


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        """Lock the file `fd` for this process; False when another holds it."""
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    @contextlib.contextmanager
    def hold(target: Path) -> Iterator[None]:
        """Hold the folder `target` (Windows locks no folder: nothing is held)."""
        yield

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        """Lock the file `fd` for this process; False when another holds it. On a file
        system that locks no file (a network share without a lock service: ENOLCK,
        EOPNOTSUPP) every lock is taken: runs there are not kept apart, but none waits for
        a lock that never comes."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:
            return True
        return True

    @contextlib.contextmanager
    def hold(target: Path) -> Iterator[None]:
        """Hold the folder `target` for this run (``fcntl.flock`` on the folder itself,
        waiting while another run holds it): a run holds it while it puts right the work
        folders there and while it moves its files in, so that two runs replacing the
        files of one folder at once move theirs in one after the other, each set whole.
        A folder that cannot be locked (some network shares) is not held."""
        try:
            fd = os.open(target, os.O_RDONLY)
        except OSError:
            yield
            return
        try:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX)  # (a signal stops the wait, as Ctrl-C does)
            yield
        finally:
            os.close(fd)  # (which unlocks it)


def lock(work: Path) -> tuple[int, bool] | None:
    """Lock the work folder `work` (its file ``lock``, made if missing); return the locked
    descriptor and whether the file was made here, or None when another run holds it or
    the folder is gone. The lock goes with the process: a run killed holds none. Raise
    `OSError` when this user may not open or make the file (another user's folder)."""
    path = work / _LOCK
    flags = os.O_RDWR | getattr(os, "O_BINARY", 0)
    made = True
    try:
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            made = False
            fd = os.open(path, flags)
    except FileNotFoundError:  # (removed meanwhile)
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
    """Unlock and remove the lock of the work folder `work`, then the folder if empty.
    A work folder that still holds ``new`` or ``old`` (a file that could not be removed)
    keeps its ``moved``: the next run then removes what is left, and never puts back, as
    an earlier set, the files of a run whose set had moved in whole."""
    with contextlib.suppress(OSError):
        os.close(held)  # (first: Windows removes no open file)
    for name in (_MOVING, _LOCK):
        with contextlib.suppress(OSError):
            (work / name).unlink()
    if any(os.path.lexists(work / name) for name in ("new", "old")):
        return
    with contextlib.suppress(OSError):
        (work / _MOVED).unlink()
    with contextlib.suppress(OSError):
        work.rmdir()


def moving(work: Path, names: list[str]) -> None:
    """Record in the work folder `work` the `names` of the files the run is about to move
    in: a run stopped while they move is undone by the next (`recover`)."""
    (work / _MOVING).write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")


def moved(work: Path) -> None:
    """Record in the work folder `work` that every file has moved: the run is not undone."""
    (work / _MOVING).replace(work / _MOVED)


def recover(target: Path, link: Path, own: Path) -> None:
    """Put right the work folders that runs stopped outright left in `target` (all but
    `own`), as `write_folder` says."""
    for entry in sorted(os.scandir(target), key=lambda e: e.name):
        work = Path(entry.path)
        if _WORK_NAME.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False) and work != own:
            _recover_work(target, link, work)


def _recover_work(target: Path, link: Path, work: Path) -> None:
    """Undo the moves of the run stopped in `work` (`_undo`) unless it had moved every
    file in, then remove it; leave it (and warn) if it holds anything else or a file
    cannot go back. Skipped while a run holds it."""
    shown = printable(str(link / work.name))
    try:
        locked = lock(work)
    except OSError as exc:  # (another user's, or read-only: not this run's to put right)
        _warn(
            Problem(
                file=shown, code="files.work-folder-not-ours", params={"reason": os_reason(exc)}
            )
        )
        return
    if locked is None:
        return
    held, made = locked
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
    kept = "" if os.path.lexists(work / _MOVED) else _undo(target, work)
    discard(new)
    if kept:
        with contextlib.suppress(OSError):
            os.close(held)
        _warn(Problem(file=shown, code="files.work-folder-not-restored", params={"entry": kept}))
        return
    discard(old)
    release(work, held)


def _undo(target: Path, work: Path) -> str:
    """Undo the moves of the run stopped in `work`, so that `target` holds the set it held
    before that run: each file that run moved in and that replaced none goes back into
    ``new`` (its list, ``moving``, says which), each file it moved aside into ``old`` goes
    back in place of the file of that name (one it moved in). Return the name of the first
    file that could not go back, or ""."""
    new, old = work / "new", work / "old"
    kept = ""
    for name in _moving_names(work):
        if not os.path.lexists(new / name) and not os.path.lexists(old / name):
            try:
                (target / name).rename(new / name)
            except FileNotFoundError:  # (not moved in yet, or removed since)
                pass
            except OSError:
                kept = kept or name
    with contextlib.suppress(FileNotFoundError), os.scandir(old) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            try:
                Path(entry.path).replace(target / entry.name)
            except OSError:  # (a folder made there since, a file held open on Windows)
                kept = kept or entry.name
    return kept


def _moving_names(work: Path) -> list[str]:
    """Return the names of the files the run stopped in `work` was moving in (``moving``):
    plain file names only; none if it had not started moving."""
    try:
        names = json.loads((work / _MOVING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(names, list):
        return []
    return [
        name
        for name in names
        if isinstance(name, str)
        and name not in ("", ".", "..")
        and Path(name).name == name
        and "/" not in name
        and "\\" not in name
    ]


def _unexpected(work: Path) -> str | None:
    """Return the first entry of the work folder `work` that a run does not make there
    (``new`` or ``old`` with files in them, ``lock``, ``moving`` or ``moved``), or None."""
    with os.scandir(work) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name in (_LOCK, _MOVING, _MOVED) and entry.is_file(follow_symlinks=False):
                continue
            if entry.name not in ("new", "old") or not entry.is_dir(follow_symlinks=False):
                return entry.name
            with os.scandir(entry.path) as inside:
                for item in sorted(inside, key=lambda e: e.name):
                    if item.is_dir(follow_symlinks=False):
                        return f"{entry.name}/{item.name}"
    return None


def _warn(problem: Problem) -> None:
    warn_input(problem)


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
