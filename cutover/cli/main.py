"""The command line: parses arguments and calls the library; no planning logic lives here.

Exit codes: 0 done; 1 bad input (one line per problem on stderr, no traceback);
2 usage; 3 flags at or above ``--fail-on`` were found.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from types import FrameType
from typing import TextIO

from cutover.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, options_of
from cutover.cli.console import (
    LANG_ENV,
    argv_language,
    env_language,
    error,
    language,
    look_alike_errors,
    print_problems,
    say,
    speaking,
    writing_stdout,
)
from cutover.cli.output import EXTENSIONS, UsageError, check_target, format_for
from cutover.cli.parser import build_parser
from cutover.errors import CutoverError, Problem, printable
from cutover.i18n.catalogue import DEFAULT_LANG, LANGS, Lang, Msg

__all__ = ["INPUT_ARGUMENTS", "OUTPUT_ARGUMENTS", "main"]


def _utf8_stdout() -> Callable[[], None]:
    """Make a redirected standard output UTF-8, as every file cutover writes, and a console
    whose encoding lacks characters write their look-alikes; return how to undo it.

    On Japanese Windows, `cutover plan … > plan.md` would otherwise write cp932, which lacks
    characters of the output (the dash "—"), and fail half-way; on a cp932 console the
    document shown there would fail the same way.
    """
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding in ("utf8", "utf8sig") or reconfigure is None:
        return lambda: None
    if stream.isatty():
        previous = stream.errors
        reconfigure(errors=look_alike_errors())

        def restore_errors() -> None:
            with contextlib.suppress(ValueError):  # (closed meanwhile)
                reconfigure(errors=previous)

        return restore_errors
    previous = stream.encoding
    reconfigure(encoding="utf-8")

    def restore() -> None:
        with contextlib.suppress(ValueError):  # (closed meanwhile)
            reconfigure(encoding=previous)

    return restore


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: sys.argv) and return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    # The language is known before the arguments are parsed: --help and usage errors are in it.
    with speaking(argv_language(arguments)):
        try:
            args = build_parser(language()).parse_args(arguments)
        except (CutoverError, BrokenPipeError) as err:  # --help (argparse writes it) unwritten
            return _unwritten(err)
        lang = _language(args)
        if lang is None:
            value = printable(str(env_language()))  # (a value typed: anything, one line)
            error(Msg("cli.bad-env-lang", {"name": LANG_ENV, "value": value}))
            return EXIT_USAGE
    args.lang = lang
    if args.version:
        from importlib.metadata import version

        with speaking(lang):
            try:
                say(f"cutover {version('cutover')}")
                _flush_stdout()
            except (CutoverError, BrokenPipeError) as err:
                return _unwritten(err)
        return EXIT_OK
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        build_parser(lang).print_help(sys.stderr)
        return EXIT_USAGE
    with speaking(lang), _fewer_collections():
        return _run(run, args)


def _unwritten(err: CutoverError | BrokenPipeError) -> int:
    """End a run whose --help or --version could not be written to standard output as a
    command's run ends (`_run`): quietly when the reader went away (``| head``), else with
    the one line that says why (a full disk)."""
    _drop_unwritable_stdout()
    if isinstance(err, BrokenPipeError):
        return EXIT_OK
    print_problems(err.problems)
    return EXIT_BAD_INPUT


def _language(args: argparse.Namespace) -> Lang | None:
    """Return the language of the run: --lang, else CUTOVER_LANG, else Japanese; None when
    CUTOVER_LANG names no language."""
    given: Lang | None = args.lang
    if given is not None:
        return given
    wanted = env_language()
    if wanted is None:
        return DEFAULT_LANG
    for lang in LANGS:
        if wanted == lang:
            return lang
    return None


def _run(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run the command; turn every way it can end into its exit code and one line each."""
    restore = _utf8_stdout()
    try:
        with _stopped_by_signals(), _input_warnings(options_of(args)):
            _check_output(args)
            _refuse_overwriting_inputs(args)
            code = run(args)
            _flush_stdout()
            return code
    except UsageError as err:
        error(err.message)
        return EXIT_USAGE
    except CutoverError as err:
        print_problems(_told_here(err.problems, args))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        error(Msg("cli.interrupted"))
        return 130
    except _Stopped as stop:
        error(Msg("cli.stopped", {"signal": signal.Signals(stop.signum).name}))
        return 128 + stop.signum
    except BrokenPipeError:
        # The reader of stdout went away (`| head`): nothing more to say.
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        from cutover.render.files import write_failed

        # A full disk met by a temporary file (a spill to disk), not by the output.
        failed = write_failed(exc) if isinstance(exc, OSError) else None
        if failed is not None:
            print_problems(failed.problems)
            return EXIT_BAD_INPUT
        from cutover.jp.personal_number import mask_personal_numbers

        # (Its words may quote a file name or a value: masked, as every message masks them.)
        detail = mask_personal_numbers(str(exc))
        error(Msg("cli.internal-error", {"kind": type(exc).__name__, "detail": detail}))
        return 70
    finally:
        restore()
        _drop_unwritable_stdout()


@contextlib.contextmanager
def _input_warnings(options: dict[str, str | Msg]) -> Iterator[None]:
    """Write each `InputWarning` the library gives (codes restored from numbers) as one
    warning line in the run's language, naming the command's `options`, once: a command
    may read a file twice (validate reads the agencies and evidence files, then plans from
    them), and the same line twice says nothing more."""
    from cutover.cli.console import warn
    from cutover.errors import InputWarning, printable

    with warnings.catch_warnings():
        warnings.simplefilter("always", InputWarning)
        shown = warnings.showwarning
        said: set[str] = set()

        def show(
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            if isinstance(message, InputWarning):
                line = printable(message.problem.on_command_line(options).text(language()))
                if line not in said:
                    said.add(line)
                    warn(line)
            else:
                shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run with the cyclic garbage collector called less often, then restore it.

    A run keeps hundreds of thousands of objects alive (rows, tasks, views) and makes few
    reference cycles: at the default thresholds the collector scans them again and again,
    about a tenth of a national checklists run (docs/performance.md). Restored for callers.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _check_output(args: argparse.Namespace) -> None:
    """Take the format from -o's extension when --format was not given (`format_for`), name
    the output of a command that has a default file (``output_stem``) by its format, then
    refuse, before anything is read, an -o whose extension contradicts the format."""
    fmt: str | None = getattr(args, "format", None)
    if fmt is None and hasattr(args, "format_default"):
        fmt = format_for(getattr(args, "output", None), args.format_offered, args.format_default)
        args.format = fmt
    stem: str | None = getattr(args, "output_stem", None)
    if fmt is not None and stem is not None and args.output is None:
        # (A command that writes a file by default, `init`: its name has the format's extension.)
        args.output = stem + EXTENSIONS[fmt][0]
    if fmt is not None and hasattr(args, "output"):
        check_target(fmt, args.output, getattr(args, "format_offered", ()))


#: The arguments that name files a command reads, by their dest, as the user writes them.
#: An output may be none of them (`_refuse_overwriting_inputs`); a test keeps it complete.
INPUT_ARGUMENTS = {
    "calendar": "CAL",
    "old": "OLD",
    "new": "NEW",
    "agencies": "--agencies",
    "readiness": "--readiness",
    "evidence": "--evidence",
    "queries": "--queries",
    "registration_log": "--registration-log",
    "test_log": "--test-log",
    "templates": "--templates",
    "folder": "DIR",
}


def _told_here(problems: Sequence[Problem], args: argparse.Namespace) -> list[Problem]:
    """Return `problems` as this command tells them, naming its options (`options_of`): a
    file of another kind sent to an option the command does not take (``triage --queries
    readiness.csv``: triage has no --readiness) is told that the command does not read that
    kind, and to give it the file it asked for, not sent to an option it would refuse as
    unrecognized; so is a survey workbook given to a command that reads no survey answers,
    and to survey merge, which reads them from its folder (DIR), where it reads another file."""
    import attrs

    taken = {shown for dest, shown in INPUT_ARGUMENTS.items() if hasattr(args, dest)}
    # (A survey workbook, given for the answers or another file, is merged into the files
    # --readiness reads.)
    survey = "inputs.survey-workbook"
    elsewhere = {
        "inputs.other-kind": None,
        survey: "--readiness",
        f"{survey}-for-other": "--readiness",
    }
    options = options_of(args)
    told: list[Problem] = []
    for p in problems:
        kind = survey if p.code.startswith(survey) else p.code
        if kind == survey and "DIR" in taken:
            # (survey merge, given a workbook for its agencies: it reads the answers, but
            # from the folder of workbooks it is given, DIR.)
            p = attrs.evolve(p, code=f"{survey}-in-folder")
        elif p.code in elsewhere and (elsewhere[p.code] or p.params.get("option")) not in taken:
            p = attrs.evolve(p, code=f"{kind}-elsewhere")
        told.append(p.on_command_line(options))
    return told


#: The arguments that name what a command writes: a file (`-o`), or a folder of checklists.
OUTPUT_ARGUMENTS = {"output": "-o", "out": "--out", "directory": "DIR"}


def _refuse_overwriting_inputs(args: argparse.Namespace) -> None:
    """Refuse, before anything is read, an output that is one of the command's inputs:
    `cutover triage … --queries q.csv -o q.csv` would replace the queries with the triage;
    and one file given twice to an option, whose rows would all be counted twice."""
    from pathlib import Path

    from cutover.render.files import refuse_overwriting_inputs, refuse_repeated_inputs

    inputs: list[tuple[str, str]] = []
    for dest, shown in INPUT_ARGUMENTS.items():
        value = getattr(args, dest, None)
        for path in value if isinstance(value, list) else [value]:
            if path is None:
                continue
            if dest in ("calendar", "old", "new") and not Path(path).exists():
                continue  # a shipped calendar's id
            inputs.append((shown, path))
    refuse_repeated_inputs(inputs)
    out: str | None = getattr(args, "out", None)
    if out is not None:
        # (checklists, demo: a folder of checklists, and a report on standard output)
        from cutover.render.checklists import checklist_file

        written = getattr(args, "writes", checklist_file)  # (survey: its own files)
        refuse_overwriting_inputs(inputs, directory=out, written=written)
    elif hasattr(args, "output"):
        refuse_overwriting_inputs(inputs, output=args.output)


class _Stopped(BaseException):
    """SIGTERM or SIGHUP asked the command to stop: raised where it runs, as Ctrl-C's
    KeyboardInterrupt is, so that a temporary file being written is removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into `_Stopped` for the command's run, then restore them.

    Without this a `kill` (a job scheduler's timeout, a closed terminal) ends the process at
    once and leaves ``.name.XXXX.tmp`` beside the output. A signal this process was started
    ignoring (nohup ignores SIGHUP) or that a caller handles stays as it is; signals can only
    be handled in the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            previous[signum] = signal.signal(signum, _stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _flush_stdout() -> None:
    """Flush standard output now, so that a full disk is told here, not at exit."""
    if sys.stdout is None:
        return
    with writing_stdout():
        sys.stdout.flush()


def _drop_unwritable_stdout() -> None:
    """Point standard output at the null device when it cannot be written (a full disk, a
    reader gone): Python flushes it again at exit and would print a traceback of its own."""
    import os

    stream = sys.stdout
    if stream is None:
        return
    try:
        stream.flush()
    except OSError:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, stream.fileno())
            os.close(null)
