"""Writing output files, so that no run leaves half a file or destroys one it was not asked to.

- A regular file (or a name not yet taken) is written to a temporary file beside it and renamed
  over it only once whole: a crash, a bad row or a signal leaves the previous file as it was.
  The new file keeps the old one's permissions and group; a read-only file is refused.
- A symbolic link to a regular file is written through: its target is replaced, the link stays.
- A character device, a FIFO or a terminal (``/dev/null``, ``/dev/stdout``, a named pipe) is
  opened and written, as a shell's ``>`` would: renaming a file over it would replace the
  device itself. A block device (a disk) and a socket are refused.
- The set of files a command writes into a folder (the checklists) is replaced as a whole
  (`write_folder`): every file is written first, then the new set takes the old one's place,
  so that the folder never ends up mixing two runs and an error or a signal leaves the old
  set. A run killed outright (SIGKILL, power lost) leaves its work folder inside, which the
  next run puts right before it writes (`cutover.render.workfolder`). The folder itself
  stays (a shell in it, a disk mounted inside it, the user's own files and folders there
  are left as they were); nothing is copied.
- A binary output (a workbook, `write_bytes`) is written the same way; to a terminal it is
  refused, as bytes on a screen help nobody.
- A write that fails (a full disk, a file-size limit, a closed standard output) is a
  `CutoverError` naming the file and what to do, never a traceback.

New files and folders are created with the permissions any new file gets here (the system
applies the umask when they are created; the process's umask is never changed).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
from collections.abc import Callable, Container, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO, cast

from cutover.errors import CutoverError, os_reason, printable
from cutover.i18n.catalogue import Msg
from cutover.inputs.repeated import refuse_repeated_inputs
from cutover.render.workfolder import (
    WORK_PREFIX,
    discard,
    hold,
    lock,
    moved,
    moving,
    recover,
    release,
)

__all__ = [
    "STDOUT",
    "leftover_files",
    "open_output",
    "refuse_overwriting_inputs",
    "refuse_repeated_inputs",
    "stdout_failure",
    "write_bytes",
    "write_failed",
    "write_folder",
    "write_text",
]

#: How a caller names standard output to `write_failed` (its messages say "standard output"
#: in the reader's language).
STDOUT = "standard output"


# --- refusing to write over an input ---------------------------------------------------------


def refuse_overwriting_inputs(
    inputs: Iterable[tuple[str, str]],
    *,
    output: str | None = None,
    directory: str | None = None,
    written: Callable[[str], bool] = lambda name: False,
) -> None:
    """Raise `CutoverError` when the output would write over a file the command reads.

    `inputs` are (how the user gave it, path) pairs: ``("--queries", "q.csv")``; a path that
    is a directory (``--templates``) stands for every file in it. `output` is the file the
    command writes (None or ``-``: standard output, which a shell may have pointed at an
    input); `directory` a folder it writes into, `written` telling which names there it may
    write. Files are compared by identity, so a link or another spelling of the same path is
    caught; a path that does not exist is compared by its resolved name.
    """
    files: list[tuple[str, str, os.stat_result | None]] = []
    folders: list[tuple[str, Path]] = []
    for option, path in inputs:
        info = _stat(path)
        if info is not None and stat.S_ISDIR(info.st_mode):
            folders.append((option, Path(os.path.realpath(path))))
        else:
            files.append((option, path, info))
    if output is None or output == "-":
        _refuse_stdout(files)
    else:
        _refuse_file(output, files, folders)
    if directory is not None:
        _refuse_folder(directory, written, files)


def _stat(path: str | Path) -> os.stat_result | None:
    try:
        return Path(path).stat()
    except (OSError, ValueError):
        return None


def _same(a: os.stat_result | None, b: os.stat_result | None) -> bool:
    return a is not None and b is not None and (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _refuse_stdout(files: list[tuple[str, str, os.stat_result | None]]) -> None:
    fd = _stdout_fd()
    if fd is None:
        return
    try:
        out = os.fstat(fd)
    except OSError:
        return
    if not stat.S_ISREG(out.st_mode):
        return
    for option, path, info in files:
        if _same(out, info):
            raise CutoverError.of("files.stdout-is-input", file=path, option=option)


def _refuse_file(
    output: str,
    files: list[tuple[str, str, os.stat_result | None]],
    folders: list[tuple[str, Path]],
) -> None:
    out = _stat(output)
    resolved = Path(os.path.realpath(output))
    for option, path, info in files:
        if _same(out, info) or (
            (out is None or info is None) and resolved == Path(os.path.realpath(path))
        ):
            raise CutoverError.of("files.output-is-input", file=output, option=option)
    for option, folder in folders:
        if folder in resolved.parents:
            raise CutoverError.of("files.output-in-input-folder", file=output, option=option)


def _refuse_folder(
    directory: str,
    written: Callable[[str], bool],
    files: list[tuple[str, str, os.stat_result | None]],
) -> None:
    try:
        names = [entry.name for entry in os.scandir(directory) if written(entry.name)]
    except OSError:  # not a folder yet (or not one at all: writing says so)
        return
    for name in sorted(names):
        path = Path(directory, name)
        here = _stat(path)
        for option, input_path, info in files:
            if _same(here, info):
                raise CutoverError.of(
                    "files.folder-file-is-input",
                    file=str(path),
                    option=option,
                    input=printable(input_path),
                )


# --- writing -------------------------------------------------------------------------------


@contextlib.contextmanager
def open_output(target: str | Path | None, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Yield a text stream for `target` (None or "-" is stdout), written as the module says.

    A regular file is written to a temporary file beside it and renamed over it only when
    the block ends without an exception (or a signal the command line turns into one):
    readers never see a partial file, and an error leaves the previous one as it was.
    """
    if target is None or os.fspath(target) == "-":
        with _to_stdout(encoding) as stream:
            yield stream
        return
    name = os.fspath(target)
    shown = printable(name)
    kind, info = _examine(name, shown)
    if kind == "stdout":
        with _to_stdout(encoding) as stream:
            yield stream
    elif kind == "stream":
        with _to_stream(name, shown, encoding) as stream:
            yield stream
    else:
        # A link is written through: the file it points to is replaced, the link stays.
        path = Path(os.path.realpath(name) if kind == "link" else name)
        with _replacing(path, info, shown, encoding) as stream:
            yield cast(TextIO, stream)


def write_text(target: str | Path | None, text: str, *, encoding: str = "utf-8") -> None:
    """Write `text` to `target` as `open_output` does (None or "-" writes to stdout)."""
    with open_output(target, encoding=encoding) as stream:
        stream.write(text)


def write_bytes(target: str | Path, data: bytes) -> None:
    """Write `data` (a workbook) to the file `target` as `open_output` writes text: a
    regular file replaced atomically, a device or FIFO written, standard output (``-o
    /dev/stdout``) written unless it is a terminal, which is refused."""
    name = os.fspath(target)
    shown = printable(name)
    kind, info = _examine(name, shown) if name != "-" else ("stdout", None)
    if kind == "stdout":
        _bytes_to_stdout(data)
    elif kind == "stream":
        _bytes_to_stream(name, shown, data)
    else:
        path = Path(os.path.realpath(name) if kind == "link" else name)
        with _replacing(path, info, shown, None) as stream:
            stream.write(data)


def _bytes_to_stdout(data: bytes) -> None:
    stream = sys.stdout
    if stream is None:
        raise CutoverError.of("files.stdout-closed")
    buffer = getattr(stream, "buffer", None)
    if stream.isatty() or buffer is None:
        raise CutoverError.of("files.binary-on-terminal")
    try:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    except OSError as exc:
        raise stdout_failure(exc) from None


def stdout_failure(exc: OSError) -> OSError | CutoverError:
    """Return what a failed write to standard output raises: a broken pipe as it is (the
    command line ends quietly on it), a full disk or a size limit as its one-line error."""
    if isinstance(exc, BrokenPipeError):
        return exc
    return write_failed(exc, STDOUT) or exc


def _bytes_to_stream(name: str, shown: str, data: bytes) -> None:
    """Write `data` to a device or a FIFO (a terminal refused)."""
    try:
        # (Closed below, as `_to_stream` does.)
        stream = Path(name).open("wb")  # noqa: SIM115
    except OSError as exc:
        raise CutoverError.of("files.cannot-open", file=shown, reason=os_reason(exc)) from None
    try:
        try:
            if stream.isatty():
                raise CutoverError.of("files.binary-on-terminal")
            stream.write(data)
        finally:
            stream.close()
    except OSError as exc:
        with contextlib.suppress(OSError):
            stream.close()
        if isinstance(exc, BrokenPipeError):
            raise
        raise (write_failed(exc, shown) or _cannot_write(exc, shown)) from None


def _stdout_fd() -> int | None:
    """Return the descriptor under `sys.stdout`, or None (closed, or not a file: a test's)."""
    try:
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def _examine(name: str, shown: str) -> tuple[str, os.stat_result | None]:
    """Return how to write `name` ("stdout", "stream", "link" or "file") and what is there
    now (None: nothing), or raise `CutoverError` for a name no output may have."""
    if not name:
        raise CutoverError.of("files.no-name", file="''")
    if name.endswith(("/", os.sep, os.altsep or "/")) and not _stat_isdir(name):
        raise CutoverError.of("files.trailing-slash", file=shown)
    path = Path(name)
    info: os.stat_result | None = None
    try:
        # The name itself first: nothing there (the usual case, a new file) needs no more.
        info = path.lstat()
        link = stat.S_ISLNK(info.st_mode)
        if link:
            info = path.stat()
    except FileNotFoundError:
        if info is None:
            return "file", None
        raise CutoverError.of(
            "files.dangling-link", file=shown, target=printable(str(path.readlink()))
        ) from None
    except OSError as exc:
        # ENOTDIR (a part of the path is a file), ELOOP, ENAMETOOLONG, EACCES.
        raise CutoverError.of(
            "files.cannot-write-here", file=shown, reason=os_reason(exc)
        ) from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise CutoverError.of("files.directory", file=shown)
    if stat.S_ISBLK(mode):
        raise CutoverError.of("files.block-device", file=shown)
    if stat.S_ISSOCK(mode):
        raise CutoverError.of("files.socket", file=shown)
    stdout = _stdout_fd()
    if stdout is not None and _same(info, _fstat(stdout)):
        # `-o /dev/stdout`, or the file the shell redirected standard output to: the
        # stream the shell opened (with >> it appends), not a second one.
        return "stdout", info
    if not stat.S_ISREG(mode):
        return "stream", info
    if mode & 0o222 == 0:
        raise CutoverError.of("files.read-only", file=shown)
    if not os.access(name, os.W_OK):
        raise CutoverError.of("files.no-permission", file=shown)
    return ("link" if link else "file"), info


def _stat_isdir(name: str) -> bool:
    info = _stat(name)
    return info is not None and stat.S_ISDIR(info.st_mode)


def _fstat(fd: int) -> os.stat_result | None:
    try:
        return os.fstat(fd)
    except OSError:
        return None


# What a failed write means for the user: errno → the code of its message, for a file and
# for standard output.
_WRITE_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("files.disk-full", "files.stdout-disk-full"),
    errno.EFBIG: ("files.file-too-large", "files.stdout-file-too-large"),
}
if hasattr(errno, "EDQUOT"):  # (not on Windows)
    _WRITE_ERRORS[errno.EDQUOT] = ("files.quota", "files.stdout-quota")


def write_failed(exc: OSError, shown: str | None = None) -> CutoverError | None:
    """Return the error to give for `exc`, raised writing `shown` (`STDOUT` for standard
    output), if it is a full disk or a file-size limit; None for another failure."""
    found = _WRITE_ERRORS.get(exc.errno or 0)
    if found is None:
        return None
    to_file, to_stdout = found
    if shown == STDOUT:
        return CutoverError.of(to_stdout)
    return CutoverError.of(to_file, file=shown)


@contextlib.contextmanager
def _to_stdout(encoding: str) -> Iterator[TextIO]:
    stream = sys.stdout
    if stream is None:  # started with standard output closed (`>&-`)
        raise CutoverError.of("files.stdout-closed")
    try:
        if encoding == "utf-8-sig":
            stream.write("\ufeff")
        yield stream
        stream.flush()
    except OSError as exc:
        raise stdout_failure(exc) from None


@contextlib.contextmanager
def _to_stream(name: str, shown: str, encoding: str) -> Iterator[TextIO]:
    """Open a device, a FIFO or a terminal and write to it (nothing to replace atomically)."""
    try:
        # (Closed below, where a failed flush is told apart from a failed open.)
        stream = Path(name).open("w", encoding=encoding, newline="\n")  # noqa: SIM115
    except OSError as exc:
        raise CutoverError.of("files.cannot-open", file=shown, reason=os_reason(exc)) from None
    try:
        try:
            yield stream
        finally:
            stream.close()
    except OSError as exc:
        with contextlib.suppress(OSError):
            stream.close()  # (a failed flush leaves it open)
        if isinstance(exc, BrokenPipeError):
            raise
        raise (write_failed(exc, shown) or _cannot_write(exc, shown)) from None


def _cannot_write(exc: OSError, shown: str) -> CutoverError:
    return CutoverError.of("files.cannot-write-it", file=shown, reason=os_reason(exc))


@contextlib.contextmanager
def _replacing(
    path: Path, previous: os.stat_result | None, shown: str, encoding: str | None
) -> Iterator[IO[Any]]:
    """Write to a temporary file beside `path` and rename it over `path` once whole: as
    text in `encoding`, or as bytes when it is None."""
    _make_folder(path.parent if str(path.parent) else Path(), shown)
    try:
        fd, tmp = _create_beside(path)
    except OSError as exc:
        raise (
            write_failed(exc, shown)
            or CutoverError.of("files.cannot-write-here", file=shown, reason=os_reason(exc))
        ) from None
    try:
        try:
            opened = (
                os.fdopen(fd, "wb")
                if encoding is None
                else os.fdopen(fd, "w", encoding=encoding, newline="\n")
            )
            with opened as stream:
                _give_permissions(fd, previous)
                yield stream
        except OSError as exc:
            failed = write_failed(exc, shown)
            if failed is None:
                raise
            raise failed from None
        try:
            Path(tmp).replace(path)
        except OSError as exc:
            # A target made a directory or read-only meanwhile, or held open (Windows).
            raise CutoverError.of(
                "files.cannot-replace-directory" if path.is_dir() else "files.cannot-replace",
                file=shown,
                reason=os_reason(exc),
            ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def _unique_beside(path: Path, suffix: str) -> Path:
    """Return a name beside `path` that no file has yet (hidden, like an editor's own)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{suffix}")


def _create_beside(path: Path) -> tuple[int, Path]:
    """Create a new, empty file beside `path`; return its descriptor and its name.

    Created with mode 0666, less the umask the system applies: the permissions any new
    file gets here (outputs are shared with colleagues), without reading or changing the
    process's umask, which other threads share.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        candidate = _unique_beside(path, ".tmp")
        try:
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue


def _give_permissions(fd: int, previous: os.stat_result | None) -> None:
    """Give a file that replaces another the other's permissions and, where this user may
    set them, its owner and group: a colleague's 0640 report stays theirs and unreadable to
    others. (A new file has the permissions it was created with. Windows has no such
    permissions, nor os.fchmod before Python 3.13.)
    """
    if previous is None or not hasattr(os, "fchmod"):
        return
    if hasattr(os, "fchown"):
        # Owner and group as they were (root may); else the group alone (a member may).
        for owner in (previous.st_uid, -1):
            try:
                os.fchown(fd, owner, previous.st_gid)
                break
            except OSError:
                continue
    os.fchmod(fd, stat.S_IMODE(previous.st_mode) & 0o777)


# --- a folder as a whole -------------------------------------------------------------------


def write_folder(
    directory: str | Path,
    files: Iterable[tuple[str, str | bytes]],
    *,
    ours: Callable[[str], bool],
    contents: Msg,
    encoding: str = "utf-8",
) -> list[str]:
    """Replace the set of files a command writes in the folder `directory` by `files` (name,
    text in `encoding`, or bytes written as they are), as a whole; return the names of an
    earlier run's files that `ours` recognizes and this run left out (removed), sorted.
    `contents` names what the files are (``files.contents-…``), for the error when
    `directory` is a file.

    Every file is written first into a work folder of the run's own, and only when all are
    written does the new set take the old one's place: an error while making them (a
    template, a full disk), Ctrl-C or a signal the command line catches leaves the old set
    as it was, and the work folder is removed. `files` may be a generator: each file is
    written as it comes (the texts are not all held at once).

    A folder that does not exist yet is made, empty, and filled as an existing one is (if
    the run fails, it is removed again, unless another run wrote into it meanwhile). A
    folder that exists stays the same folder, with its permissions and all it holds but
    the files the run replaces: the new files are moved in, each after the file of that name
    is moved aside, and the files of an earlier run not written again are moved aside too.
    Nothing is copied, no subfolder is entered or moved, and the folder itself is never
    renamed, so a folder or file the user keeps there, a disk or share mounted inside, and a
    shell or a program whose current folder it is (``--out .``) are left as they were. The
    moves take a moment (milliseconds for hundreds of files); if one fails (a file open in
    Excel, on Windows), or an error or a signal comes meanwhile, every file goes back where
    it was before the error is raised, so the folder never ends up mixing two runs.

    A run that is killed outright (SIGKILL, power lost) cannot clean up, and leaves its work
    folder ``.cutover.XXXXXXXX`` in the folder (a name starting with a dot: hidden on Linux
    and macOS, not on Windows):

    - stopped while writing (seconds for a national run): the old set is whole in the
      folder, and ``.cutover.XXXXXXXX/new`` holds some of the new files;
    - stopped while moving (milliseconds): the folder holds the new files moved in so far
      and the rest of the old set; ``…/old`` holds the old files moved aside, ``…/new`` the
      new files not yet moved in.

    The next run that replaces the files of that folder puts it right before it writes: in
    each such work folder no run holds (``…/lock``), it undoes the stopped run's moves, so
    that the folder holds the set it held before that run, whole and alone: each file that
    run moved in is taken out (a page new to the folder goes back into ``new``, by the list
    ``…/moving`` the run writes before its first move), each file in ``old`` goes back in
    place of the file of that name; then the rest (``new``, ``old``, the folder) is removed.
    A run stopped after its last file moved in (``…/moved``: the list renamed), while it
    removed what it had moved aside, is not undone: its work folder is only removed. That
    run then replaces the set as any run does (if it fails, the folder holds the set it
    found, put right).
    A folder whose name is not exactly that of a work folder is never touched; a work folder
    that holds anything but ``new`` and ``old`` with files in them (and ``lock``, ``moving``
    or ``moved``) is left as it is, with a warning (`InputWarning`), as is one whose files
    cannot all go back or that this user may not put right (another user's). Two
    runs writing the same folder at once each keep their own work folder (locked with
    ``fcntl.flock``, or ``msvcrt.locking`` on Windows, while the run works), and move their
    files in one after the other: a run holds the folder itself (``fcntl.flock``; not on
    Windows, which locks no folder) while it puts right work folders and while it moves its
    files in. The one that moves its files in last wins, whole.

    An entry the run writes that is a folder (``index.md/``) is refused before any file
    moves. A link to a folder is written through.
    """
    link = Path(directory)
    shown = printable(str(link))
    info = _stat(link)
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise CutoverError.of("files.folder-is-a-file", file=shown, contents=contents)
    target = Path(os.path.realpath(link))
    if info is None:
        # Made empty and filled as any folder is: a run killed leaves its work folder
        # inside, which the next run puts right, and two runs making it at once take turns.
        _make_folder(target, shown)
        try:
            return _replace_files(target, link, files, ours, encoding)
        except BaseException:
            with contextlib.suppress(OSError):
                target.rmdir()  # (if still empty: no other run wrote into it meanwhile)
            raise
    return _replace_files(target, link, files, ours, encoding)


def _replace_files(
    target: Path,
    link: Path,
    files: Iterable[tuple[str, str | bytes]],
    ours: Callable[[str], bool],
    encoding: str,
) -> list[str]:
    """Replace the files of the existing folder `target` (named `link` by the user) as
    `write_folder` says; return the names of the earlier run's files left out."""
    shown = printable(str(link))
    work, held = _new_work_folder(target, shown)
    new, old = work / "new", work / "old"
    try:
        try:
            with hold(target):
                recover(target, link, work)
            new.mkdir()
            old.mkdir()
            written = _write_files(new, files, encoding)
        except OSError as exc:
            raise (write_failed(exc, shown) or _cannot_write_folder(exc, shown)) from None
        written_names = set(written)
        # (Another run replacing this folder's files waits: the sets move in one by one.)
        with hold(target):
            with os.scandir(target) as entries:  # (closed before the error, or the moves)
                for entry in entries:
                    if entry.name in written_names and entry.is_dir(follow_symlinks=False):
                        raise CutoverError.of(
                            "files.folder-in-the-way", file=printable(str(link / entry.name))
                        )
            stale = leftover_files(target, written_names, ours)
            try:
                moving(work, written)
            except OSError as exc:
                raise (write_failed(exc, shown) or _cannot_write_folder(exc, shown)) from None
            _move_in(target, link, work, written, stale)
    except BaseException:
        discard(new)
        # (`old` is empty unless a file could not be put back: then it keeps it, and the
        # next run puts it back.)
        with contextlib.suppress(OSError):
            old.rmdir()
        release(work, held)
        raise

    def remove_aside() -> None:
        discard(new)
        discard(old)

    # The set has moved in: what is left is only to remove. Ctrl-C or a signal then stops
    # the run once its work folder is gone, not with the folder left among the pages.
    stopped = _despite_signals(remove_aside)
    stopped = _despite_signals(lambda: release(work, held)) or stopped
    if stopped is not None:
        raise stopped
    return stale


#: How many times a step `_despite_signals` runs is begun again, at most.
_SIGNAL_RETRIES = 20


def _despite_signals(step: Callable[[], object]) -> BaseException | None:
    """Run `step`, begun again if Ctrl-C or SIGTERM stops it (each try goes on where the
    last one stopped: a removal), until it ends; return the first interruption, for the
    caller to raise once done (None if there was none). An error is raised at once."""
    stopped: BaseException | None = None
    for _ in range(_SIGNAL_RETRIES):
        try:
            step()
        except Exception:
            raise
        except BaseException as exc:  # (KeyboardInterrupt, the command's SIGTERM)
            stopped = stopped or exc
            continue
        break
    return stopped


def _new_work_folder(target: Path, shown: str) -> tuple[Path, int]:
    """Make this run's work folder in `target`, locked; return it and its lock."""
    while True:
        work = _new_folder(lambda: target / f"{WORK_PREFIX}{secrets.token_hex(4)}", shown)
        try:
            locked = lock(work)
        except OSError as exc:  # (a umask that leaves a new folder read-only)
            discard(work)
            raise (write_failed(exc, shown) or _cannot_write_folder(exc, shown)) from None
        if locked is not None:
            return work, locked[0]
        # (Another run, cleaning up, took the new folder for a stopped run's: it removes it.)


def leftover_files(
    directory: str | Path, written: Container[str], ours: Callable[[str], bool]
) -> list[str]:
    """Return the names of the files in `directory` that replacing its files by `written`
    removes (`write_folder`): those `ours` recognizes as a run's outputs that are not
    written again, by name; never a folder."""
    try:
        entries = list(os.scandir(directory))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(
        entry.name
        for entry in entries
        if entry.name not in written
        and not entry.is_dir(follow_symlinks=False)
        and ours(entry.name)
    )


def _write_files(
    folder: Path, files: Iterable[tuple[str, str | bytes]], encoding: str
) -> list[str]:
    """Write `files` into the new, empty `folder`; return their names in order."""
    written = []
    for name, content in files:
        written.append(name)
        if isinstance(content, bytes):  # (a workbook)
            with (folder / name).open("xb") as binary:
                binary.write(content)
        else:
            with (folder / name).open("x", encoding=encoding, newline="\n") as stream:
                stream.write(content)
    return written


def _move_in(target: Path, link: Path, work: Path, written: list[str], stale: list[str]) -> None:
    """Move the files of `work`/new into `target`, each file of that name first into
    `work`/old, then the `stale` files into `work`/old too. A failure, an error or a signal
    meanwhile puts every file back where it was, then is raised (an `OSError` as the
    `CutoverError` naming the file that could not be moved)."""
    new, old = work / "new", work / "old"
    name = ""
    try:
        for name in written:
            here = target / name
            if os.path.lexists(here):
                here.rename(old / name)
            (new / name).rename(here)
        for name in stale:
            with contextlib.suppress(FileNotFoundError):  # (removed meanwhile)
                (target / name).rename(old / name)
        name = ""
        moved(work)  # (from here on, a run stopped is not undone by the next)
    except BaseException as exc:
        _move_back(target, work, written, stale)
        if isinstance(exc, OSError):
            shown = printable(str(link / name))
            raise (
                write_failed(exc, shown)
                or CutoverError.of("files.cannot-replace", file=shown, reason=os_reason(exc))
            ) from None
        raise


def _move_back(target: Path, work: Path, written: list[str], stale: list[str]) -> None:
    """Undo `_move_in` as far as it went, from what is where (not from what it recorded,
    which a signal may have cut short): new files back into `work`/new, old ones back."""
    new, old = work / "new", work / "old"
    for name in written:
        if not os.path.lexists(new / name) and os.path.lexists(target / name):
            with contextlib.suppress(OSError):
                (target / name).rename(new / name)
    for name in [*written, *stale]:
        if os.path.lexists(old / name) and not os.path.lexists(target / name):
            with contextlib.suppress(OSError):
                (old / name).rename(target / name)


def _cannot_write_folder(exc: OSError, shown: str) -> CutoverError:
    """Return the error for `exc`, raised writing in the folder `shown` (not a full disk)."""
    return CutoverError.of("files.cannot-write-here", file=shown, reason=os_reason(exc))


def _make_folder(directory: Path, shown: str) -> None:
    """Create `directory` and its parents if missing; a failure names the output `shown`."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CutoverError.of(
            "files.cannot-create-folder",
            file=shown,
            folder=printable(str(directory)),
            reason=os_reason(exc),
        ) from None


def _new_folder(name: Callable[[], Path], shown: str) -> Path:
    """Create a new, empty folder named by `name` (0777 less the umask); return it."""
    while True:
        candidate = name()
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue
        except OSError as exc:
            raise (write_failed(exc, shown) or _cannot_write_folder(exc, shown)) from None
