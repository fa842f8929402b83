"""The sandbox user templates render in: files only from their folder, and every page bounded
in time, size and memory.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import os
import posixpath
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextvars import ContextVar
from pathlib import Path
from types import FrameType
from typing import Any

import attrs
import jinja2
import jinja2.compiler
import jinja2.exceptions
import jinja2.nodes
import jinja2.runtime
import jinja2.sandbox
import jinja2.utils
import markupsafe

from cutover.errors import os_reason
from cutover.i18n.catalogue import Msg
from cutover.i18n.text import reads_as_shift_jis
from cutover.jp.personal_number import (
    may_hold_personal_number,
    personal_number_line,
)
from cutover.render.views import _VIEW_FIELDS

__all__ = [
    "MAX_MEMORY_BYTES",
    "MAX_NUMBER_DIGITS",
    "MAX_TEMPLATE_BYTES",
    "MAX_TEXT",
    "RENDER_SECONDS",
]

#: Seconds one page may take to render from user templates. A checklist page renders in
#: about 0.25 ms in the sandbox (the whole country's 1,826 in 0.45 s); five seconds leaves
#: thousands of times that for a slow office PC, and still stops a runaway loop before
#: anyone takes cutover for hung.
RENDER_SECONDS = 5.0

#: Characters (or items, for a list) of one page, and of any text or list a template
#: makes. A checklist page is 5-25 KB and the index of the whole country 140 KB; four
#: million is about thirty times that index, and a few tens of MB of memory at worst.
MAX_TEXT = 4_000_000

#: Digits of a number a template computes: Python's own limit for printing an integer
#: (`sys.get_int_max_str_digits`), so no number a page could show is refused.
MAX_NUMBER_DIGITS = 4300

#: Bytes one page may add to the process's resident memory. Rendering a page takes well
#: under a megabyte; this stops a template that keeps piling data into a namespace long
#: before an office PC with a few GB starts to swap.
MAX_MEMORY_BYTES = 256 * 1024 * 1024

#: Bytes of one template file. The shipped ones are 1-4 KB; compiling dense template code
#: takes about 3 s for 256 KiB (and 11 s for 1 MiB), so this is both generous and quick.
MAX_TEMPLATE_BYTES = 256 * 1024

#: How often (seconds) the resident memory is read: reading it costs a system call.
_MEMORY_CHECK_SECONDS = 0.01

#: Pieces of output joined between two checks of the limits (see `_Sandbox.concat`).
_CONCAT_BATCH = 256
# What a size limit names when it is not a filter, method or operator (``templates.*``).
_A_LIST = Msg("templates.subject-list")
_A_CALL = Msg("templates.subject-call")
_THE_OUTPUT = Msg("templates.subject-output")

# Digits of a number per bit of it (log10 2).
_DIGITS_PER_BIT = 0.30103


class _Refused(jinja2.TemplateError):
    """A template refused: the catalogue's code and parameters (what is wrong and the fix),
    and where when known."""

    def __init__(
        self, code: str, file: str | None = None, line: int | None = None, **params: object
    ) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.file = file
        self.line = line


class _TemplateFileError(_Refused):
    """A template file that cannot be used: outside the directory, unreadable, not UTF-8."""


class _LimitError(_Refused):
    """A template went over one of the limits: time, size, number or memory."""


# --- template files ----------------------------------------------------------------------


def _printable(text: str) -> str:
    """Return `text` as it can stand in a one-line message (quoted when it has controls)."""
    return text if text.isprintable() else repr(text)


def _inside(path: str, directory: str) -> bool:
    """Return whether `path` is `directory` or lies under it (both resolved)."""
    path, directory = os.path.normcase(path), os.path.normcase(directory)
    try:
        return os.path.commonpath([path, directory]) == directory
    except ValueError:  # different drives on Windows
        return False


def _decode(data: bytes, file: str) -> str:
    """Return the text of a template file, which must be UTF-8 (a BOM is allowed)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        code = "templates.shift-jis" if reads_as_shift_jis(data) else "templates.not-utf8"
        raise _TemplateFileError(code, file, line, byte=data[exc.start]) from None


class _UserTemplates(jinja2.BaseLoader):
    """The templates of a user's directory: regular UTF-8 files that really lie inside it.

    jinja2's `~jinja2.FileSystemLoader` follows symbolic links wherever they point, so a
    link named like a template (or one an ``{% include %}`` names) would copy any file the
    user can read, ``/etc/passwd`` or ``/proc/self/environ``, into every checklist. Here a
    name is resolved (links followed) and used only if it stays inside the directory.
    """

    def __init__(self, directory: str) -> None:
        self.directory = directory  # already resolved

    def _path(self, name: str) -> str:
        """Return the path of template `name` in the directory, or refuse a name leaving it."""
        pieces = [piece for piece in name.split("/") if piece not in ("", ".")]
        seps = [sep for sep in (os.sep, os.altsep) if sep]
        if not pieces or any(p == ".." or any(s in p for s in seps) for p in pieces):
            # Located at the include that names it (see `_template_error`).
            raise _TemplateFileError(
                "templates.name-outside", None, name=_short(repr(name)), directory=self.directory
            )
        # posixpath, as jinja2 does, so that a piece like "C:" cannot start a new path.
        return posixpath.join(self.directory, *pieces)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """Return the text of `template`; not found (so the shipped one is used) if absent."""
        path = self._path(template)
        try:
            if not os.path.lexists(path):
                raise jinja2.TemplateNotFound(template)
            real = os.path.realpath(path)
        except ValueError:  # a NUL in the name
            raise jinja2.TemplateNotFound(template) from None
        if not _inside(real, self.directory):
            raise _TemplateFileError(
                "templates.link-outside",
                path,
                name=template,
                target=_printable(real),
                directory=self.directory,
            )
        try:
            mode = Path(real).stat().st_mode
            if stat.S_ISDIR(mode):
                raise _TemplateFileError("templates.directory", path)
            if not stat.S_ISREG(mode):
                # A FIFO would block the read forever; a device could be endless.
                raise _TemplateFileError("templates.not-regular", path)
            with Path(real).open("rb") as source:
                data = source.read(MAX_TEMPLATE_BYTES + 1)
        except FileNotFoundError:
            if real == path:  # removed while being read
                raise jinja2.TemplateNotFound(template) from None
            raise _TemplateFileError(
                "templates.dangling-link", path, target=_printable(real)
            ) from None
        except OSError as exc:
            raise _TemplateFileError("templates.unreadable", path, reason=os_reason(exc)) from None
        if len(data) > MAX_TEMPLATE_BYTES:
            raise _TemplateFileError("templates.file-too-large", path, limit=MAX_TEMPLATE_BYTES)
        text = _decode(data, path)
        _refuse_personal_numbers(text, path)
        return text, path, lambda: True


def _refuse_personal_numbers(text: str, path: str) -> None:
    """Refuse a template that holds a personal number: it would be in every page."""
    if not may_hold_personal_number(text):
        return
    found = personal_number_line(text)  # (a number's groups may be on lines of their own)
    if found is not None:
        number, lines = found
        shown = _short(" ".join(lines.split()))
        raise _TemplateFileError("templates.personal-number", path, number, text=shown)


def _refuse_written_personal_numbers(page: str, path: str | None) -> None:
    """Refuse a page that holds a personal number its templates computed (``{{ 621498 *
    10**6 + 320257 }}``, digits joined to an agency's code): what a page shows of the inputs
    holds none (every input that holds one is refused), so the templates wrote it."""
    if not may_hold_personal_number(page):
        return
    found = personal_number_line(page)
    if found is not None:
        shown = _short(" ".join(found[1].split()))
        raise _LimitError("templates.personal-number-written", path, None, text=shown)


# --- limits --------------------------------------------------------------------------------


def _resident_bytes() -> int | None:
    """Return the process's resident memory in bytes, or None where it cannot be read."""
    try:
        statm = Path("/proc/self/statm").read_bytes()
        return int(statm.split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    if sys.platform == "darwin":
        import resource

        # The peak, not the current size: macOS has no cheap reading of the latter.
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return None


@attrs.define
class _Budget:
    """What one page may still spend: a deadline and a memory ceiling."""

    deadline: float
    # When `check` next does more than read the clock: the deadline, or reading the memory.
    next_check: float
    # Resident bytes the page may reach: set at the first reading, 10 ms in, so that the
    # many pages rendered quicker never pay for one (a page can allocate little by then).
    ceiling: int | None = None

    @classmethod
    def start(cls) -> _Budget:
        """Return the budget of a page whose rendering starts now."""
        now = time.monotonic()
        deadline = now + RENDER_SECONDS
        return cls(deadline, min(deadline, now + _MEMORY_CHECK_SECONDS))

    def check(self) -> None:
        """Raise when the page has run out of time or memory."""
        now = time.monotonic()
        if now < self.next_check:
            return
        if now >= self.deadline:
            raise _LimitError("templates.time", seconds=RENDER_SECONDS)
        self.next_check = min(self.deadline, now + _MEMORY_CHECK_SECONDS)
        resident = _resident_bytes()
        if resident is None:
            return
        if self.ceiling is None:
            self.ceiling = resident + MAX_MEMORY_BYTES
        elif resident > self.ceiling:
            raise _LimitError("templates.memory", megabytes=MAX_MEMORY_BYTES // 2**20)


# The budget of the page being rendered in this thread (None: compiling, no clock yet).
_BUDGET: ContextVar[_Budget | None] = ContextVar("cutover_template_budget", default=None)


def _check_budget() -> None:
    """Raise when the page being rendered has run out of time or memory."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.check()


def _refuse_size(what: str | Msg, size: int) -> None:
    """Raise when `what` (a filter, method or operator's name) would make a text or list
    longer than `MAX_TEXT`."""
    if size > MAX_TEXT:
        raise _LimitError("templates.too-large", what=what, size=size, limit=MAX_TEXT)


def _refuse_number(what: str, bits: int) -> None:
    """Raise when `what` would make a number of more than `MAX_NUMBER_DIGITS` digits."""
    digits = int(bits * _DIGITS_PER_BIT) + 1
    if digits > MAX_NUMBER_DIGITS:
        raise _LimitError("templates.number", what=what, digits=digits, limit=MAX_NUMBER_DIGITS)


_SIZED = (str, bytes, list, tuple, dict, set, frozenset)
_CONTAINERS = (list, tuple, dict, set, frozenset)
# What a method that may grow its result can belong to (see `_METHOD_SIZES`).
_SUBJECTS = (*_SIZED, int)


def _count(value: Any) -> int:
    """Return the characters of a text or the items of a collection; 0 for anything else."""
    return len(value) if isinstance(value, _SIZED) else 0


def _width(value: Any) -> int:
    """Return the size an argument asks for: a width or count's value, a text's length."""
    if isinstance(value, int):
        return abs(value)
    return _count(value)


def _printed(value: Any, indent: int = 0) -> int:
    """Return about how many characters `value` prints as, `indent` more per nesting level.

    Every item of nested lists is counted as often as it would be printed; the count stops
    once past `MAX_TEXT` (a cycle or a huge structure), so this never takes long.
    """
    if isinstance(value, str | bytes):
        return len(value)
    total = 0
    stack = [(value, 0)]
    while stack and total <= MAX_TEXT:
        item, depth = stack.pop()
        total += depth * indent + 4
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, int):
            total += int(item.bit_length() * _DIGITS_PER_BIT) + 1
        elif isinstance(item, dict):
            stack.extend((child, depth + 1) for pair in item.items() for child in pair)
        elif isinstance(item, _CONTAINERS):
            stack.extend((child, depth + 1) for child in item)
    return total


def _take(values: Any) -> Any:
    """Return `values` as a collection (an iterator read out), refusing one too long."""
    if isinstance(values, _SIZED):
        return values
    taken: list[Any] = []
    for value in values:
        taken.append(value)
        if len(taken) % 1024 == 0:
            _refuse_size(_A_LIST, len(taken))
            _check_budget()
    return taken


def _arg(args: tuple[Any, ...], kwargs: Mapping[str, Any], i: int, name: str, default: Any) -> Any:
    """Return argument `name`, given at position `i` or by name, else `default`."""
    return args[i] if len(args) > i else kwargs.get(name, default)


_PRINTF = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?(?P<type>.)",
    re.DOTALL,
)


def _printf_size(fmt: Any, values: Any) -> int:
    """Return at most how long ``fmt % values`` is: its widths, and the values it prints.

    A mapping's value can be printed by every ``%(name)s``, so it counts once per field.
    """
    if not isinstance(fmt, str):
        return 0
    fields = [m for m in _PRINTF.finditer(fmt) if m["type"] != "%"]
    size = len(fmt)
    for m in fields:
        for number in (m["width"], m["precision"]):
            if number and number != "*":
                size += int(number)
            elif number == "*" and isinstance(values, tuple):
                size += sum(_width(v) for v in values if isinstance(v, int))
    if isinstance(values, Mapping):
        return size + len(fields) * _printed(dict(values))
    return size + _printed(values)


def _replace_size(text: Any, old: Any, new: Any, count: Any) -> int:
    """Return how long ``text.replace(old, new, count)`` is."""
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return 0
    times = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(text) + times * len(new)


def _longest_value(table: Any) -> int:
    """Return the longest text a ``str.translate`` table puts for one character (at least 1)."""
    if not isinstance(table, dict):
        return 1
    return max([1, *(_printed(v) for v in table.values())])


def _tabs(text: Any) -> int:
    """Return the number of tabs in a text (str or bytes)."""
    if isinstance(text, bytes):
        return text.count(b"\t")
    return text.count("\t") if isinstance(text, str) else 0


def _padded(subject: Any, a: tuple[Any, ...], k: Mapping[str, Any]) -> int:
    return max(_count(subject), _width(_arg(a, k, 0, "width", 0)))


# Sizes of the results of the methods of texts, numbers and collections that can make
# something much larger than what they are given: (subject, positional, keyword) -> size.
_METHOD_SIZES: dict[str, Callable[[Any, tuple[Any, ...], Mapping[str, Any]], int]] = {
    "center": _padded,
    "ljust": _padded,
    "rjust": _padded,
    "zfill": _padded,
    "expandtabs": lambda s, a, k: len(s) + _tabs(s) * _width(_arg(a, k, 0, "tabsize", 8)),
    "replace": lambda s, a, k: _replace_size(
        s, _arg(a, k, 0, "old", ""), _arg(a, k, 1, "new", ""), _arg(a, k, 2, "count", -1)
    ),
    "join": lambda s, a, k: _printed(a[0]) + max(_count(a[0]) - 1, 0) * len(s) if a else 0,
    "translate": lambda s, a, k: len(s) * _longest_value(a[0] if a else None),
    "to_bytes": lambda s, a, k: _width(_arg(a, k, 0, "length", 1)),
    "extend": lambda s, a, k: _count(s) + _count(a[0]) if a else 0,
    "update": lambda s, a, k: _count(s) + _count(a[0]) if a else 0,
}


# Sizes of the results of the filters that can make something much larger than what they
# are given: (value, positional after the value, keyword) -> size.
_FILTER_SIZES: dict[str, Callable[[Any, tuple[Any, ...], Mapping[str, Any]], int]] = {
    "center": lambda v, a, k: max(_printed(v), _width(_arg(a, k, 0, "width", 80))),
    "indent": lambda v, a, k: (
        _printed(v) + (str(v).count("\n") + 1) * _width(_arg(a, k, 0, "width", 4))
    ),
    "wordwrap": lambda v, a, k: (
        _printed(v) + (_printed(v) + 1) * (_count(_arg(a, k, 2, "wrapstring", None)) or 1)
    ),
    "replace": lambda v, a, k: _replace_size(
        str(v), _arg(a, k, 0, "old", ""), _arg(a, k, 1, "new", ""), _arg(a, k, 2, "count", -1)
    ),
    "join": lambda v, a, k: _printed(v) + max(_count(v) - 1, 0) * _count(_arg(a, k, 0, "d", "")),
    "batch": lambda v, a, k: _count(v) + _width(_arg(a, k, 0, "linecount", 0)),
    "slice": lambda v, a, k: _count(v) + _width(_arg(a, k, 0, "slices", 0)),
    "format": lambda v, a, k: _printf_size(str(v), dict(k) or a),
    "tojson": lambda v, a, k: _printed(v, _width(_arg(a, k, 0, "indent", 0) or 0)),
    "pprint": lambda v, a, k: _printed(v, 1),
    # Adding up lists copies the sum so far at each step: the work is items × their total.
    "sum": lambda v, a, k: (
        (_count(v) + 1) * (_printed(v) + _count(_arg(a, k, 1, "start", 0)))
        if isinstance(_arg(a, k, 1, "start", 0), _SIZED)
        else 0
    ),
    # A link per word at most, each with its target and rel.
    "urlize": lambda v, a, k: (
        3 * _printed(v)
        + (_printed(v) // 2 + 1)
        * (64 + _count(_arg(a, k, 2, "target", "")) + _count(_arg(a, k, 3, "rel", "")))
    ),
}

# Filters whose value may be an iterator that the size estimate must read out first.
_FILTERS_READING_ALL = frozenset({"join", "sum"})


def _lipsum_size(a: tuple[Any, ...], k: Mapping[str, Any]) -> int:
    """Return at most how long ``lipsum(...)`` is: paragraphs × words × a long word."""
    paragraphs = _width(_arg(a, k, 0, "n", 5))
    words = max(_width(_arg(a, k, 2, "min", 20)), _width(_arg(a, k, 3, "max", 100)))
    return paragraphs * (words * 16 + 16)


def _lipsum(*args: Any, **kwargs: Any) -> str:
    """Return jinja2's ``lipsum(...)``, refused when it would be over `MAX_TEXT`."""
    _refuse_size("lipsum", _lipsum_size(args, kwargs))
    return jinja2.utils.generate_lorem_ipsum(*args, **kwargs)


def _binop_check(operator: str, left: Any, right: Any) -> None:
    """Raise when ``left <operator> right`` would be too large to make."""
    what = f"'{operator}'"
    numbers = isinstance(left, int) and isinstance(right, int)
    if operator == "*":
        if numbers:
            _refuse_number(what, left.bit_length() + right.bit_length())
        elif isinstance(right, int):
            _refuse_size(what, _count(left) * abs(right))
        elif isinstance(left, int):
            _refuse_size(what, abs(left) * _count(right))
    elif operator == "**":
        if numbers and right > 0 and abs(left) > 1:
            _refuse_number(what, left.bit_length() * right)
    elif operator == "+":
        _refuse_size(what, _count(left) + _count(right))
    elif operator == "%":
        _refuse_size(what, _printf_size(left, right))


def _loop_steps(iterable: Any) -> Iterator[Any]:
    """Yield the items of a loop's iterable, checking the budget before each."""
    budget = _BUDGET.get()
    if budget is None:  # not rendering a page (jinja2 folding constants while compiling)
        yield from iterable
        return
    check = budget.check
    for item in iterable:
        check()
        yield item


# The filter every ``{% for %}`` iterable goes through (see `_BoundedCodeGenerator`).
_LOOP_STEPS = "loop_steps"


class _BoundedFormatter(jinja2.sandbox.SandboxedFormatter):
    """``str.format`` in the sandbox, refusing a field width or a result over `MAX_TEXT`."""

    made = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        """Return `value` formatted, after checking the widths the spec asks for."""
        for number in re.findall(r"\d+", format_spec):
            if int(number) > MAX_TEXT:
                field = Msg("templates.subject-format-field", {"spec": format_spec})
                _refuse_size(field, int(number))
        text = super().format_field(value, format_spec)
        self.made += len(text)
        _refuse_size("format", self.made)
        return text


class _BoundedEscapeFormatter(_BoundedFormatter, markupsafe.EscapeFormatter):
    """`_BoundedFormatter` for a `~markupsafe.Markup` format string."""


class _BoundedCodeGenerator(jinja2.compiler.CodeGenerator):
    """jinja2's code generator, with every loop step and every ``~`` going through a check.

    A loop whose body calls nothing (``{% for i in r %}{% for j in r %}{% endfor %}...``)
    never reaches a sandbox hook, and ``a ~ a ~ a ~ ...`` joins its texts without one.
    """

    def visit_Template(
        self, node: jinja2.nodes.Template, frame: jinja2.compiler.Frame | None = None
    ) -> None:
        """Compile a template whose loops step through the `loop_steps` filter."""
        # Rewritten before jinja2 gathers the filters a template uses, so the filter is
        # called directly, as cheap as a filter gets.
        for loop in node.find_all(jinja2.nodes.For):
            loop.iter = jinja2.nodes.Filter(
                loop.iter, _LOOP_STEPS, [], [], None, None, lineno=loop.iter.lineno
            )
        super().visit_Template(node, frame)

    def visit_Concat(self, node: jinja2.nodes.Concat, frame: jinja2.compiler.Frame) -> None:
        """Compile ``a ~ b`` to a join whose size is checked first."""
        if frame.eval_ctx.volatile:
            markup = "context.eval_ctx.volatile"
        else:
            markup = str(bool(frame.eval_ctx.autoescape))
        self.write("environment.concat_values((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(f"), {markup})")


def _frame_location(frame: FrameType | None) -> tuple[str | None, int | None]:
    """Return the template file and line a suspended template generator is at."""
    if frame is None:
        return None, None
    template = frame.f_globals.get("__jinja_template__")
    if not isinstance(template, jinja2.Template):
        return None, None
    return template.filename, template.get_corresponding_lineno(frame.f_lineno)


class _BoundedTemplate(jinja2.Template):
    """A template whose `render` runs under a fresh `_Budget`, or inside a page's render
    under that page's."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Return the template rendered, within the time and memory of one page.

        A template rendered while a page renders (a checklist's task items) spends that
        page's budget: a page of many items has one page's time, not one per item."""
        if _BUDGET.get() is not None:
            return super().render(*args, **kwargs)
        token = _BUDGET.set(_Budget.start())
        try:
            page = super().render(*args, **kwargs)
        finally:
            _BUDGET.reset(token)
        _refuse_written_personal_numbers(page, self.filename)
        return page


class _FlatGlobals(jinja2.Environment):
    """An environment whose templates' globals are one plain dict, not jinja2's ChainMap.

    Every render makes a context from the template's globals, and a ChainMap is walked key
    by key each time: a national run renders about 9,000 templates (pages and task items),
    and the walk was a fifth of their cost. cutover never changes the globals once a
    template is loaded, which is all the ChainMap is for.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """Return the environment's globals overlaid by the template's `d`, as one dict."""
        return {**self.globals, **(d or {})}


class _Sandbox(_FlatGlobals, jinja2.sandbox.SandboxedEnvironment):
    """jinja2's sandbox, with the limits above and a fast path for view-model fields."""

    code_generator_class = _BoundedCodeGenerator
    template_class = _BoundedTemplate
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["lipsum"] = _lipsum
        self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters[_LOOP_STEPS] = _loop_steps

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Return `obj.attribute`: view-model fields directly, anything else through the sandbox."""
        fields = _VIEW_FIELDS.get(type(obj))
        if fields is not None and attribute in fields:
            return object.__getattribute__(obj, attribute)
        return super().getattr(obj, attribute)

    def _bounded_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """Return filter `func` checking the budget, its result's size, and if known, first."""
        size = _FILTER_SIZES.get(name)
        # A filter marked pass_context/pass_eval_context/pass_environment gets that first.
        skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
        reads_all = name in _FILTERS_READING_ALL

        @functools.wraps(func)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            _check_budget()
            if size is not None and len(args) > skip:
                if reads_all:
                    args = (*args[:skip], _take(args[skip]), *args[skip + 1 :])
                _refuse_size(name, size(args[skip], args[skip + 1 :], kwargs))
            result = func(*args, **kwargs)
            _refuse_size(name, _count(result))
            return result

        return bounded

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call `obj` from a template, within the budget and the size limit."""
        _check_budget()
        subject = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", None)
        if isinstance(subject, _SUBJECTS) and isinstance(name, str):
            if name == "join" and args:
                args = (_take(args[0]), *args[1:])
            size = _METHOD_SIZES.get(name)
            if size is not None:
                _refuse_size(name, size(subject, args, kwargs))
        result = super().call(context, obj, *args, **kwargs)
        _refuse_size(str(name or getattr(obj, "name", "")) or _A_CALL, _count(result))
        return result

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        """Return ``left <operator> right``, refused when too large to make."""
        _check_budget()
        _binop_check(operator, left, right)
        result = super().call_binop(context, operator, left, right)
        # Markup % escapes what it inserts: up to five times longer than estimated.
        _refuse_size(f"'{operator}'", _count(result))
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Return ``str.format``/``format_map`` with widths and result bounded, or None."""
        sandboxed = super().wrap_str_format(value)
        if sandboxed is None:
            return None
        text: str = value.__self__
        is_map = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            _check_budget()
            if is_map and (kwargs or len(args) != 1):
                return sandboxed(*args, **kwargs)  # jinja2 says what is wrong
            if is_map:
                kwargs = args[0]
                args = ()
            formatter = (
                _BoundedEscapeFormatter(self, escape=text.escape)
                if isinstance(text, markupsafe.Markup)
                else _BoundedFormatter(self)
            )
            return type(text)(formatter.vformat(text, args, kwargs))

        return functools.update_wrapper(bounded, value)

    def concat(self, pieces: Iterable[str]) -> str:
        """Return `pieces` joined (a page, a macro's or a block's output) within the limits.

        Pieces are taken a batch at a time: a page is a thousand pieces or so, and checking
        each one would cost more than rendering it.
        """
        parts: list[str] = []
        total = 0
        stream = iter(pieces)
        try:
            while batch := list(itertools.islice(stream, _CONCAT_BATCH)):
                # The pieces are references (a value printed a thousand times is one
                # string), so a batch costs little memory until joined.
                total += sum(map(len, batch))
                _refuse_size(_THE_OUTPUT, total)
                _check_budget()
                parts += batch
        except _LimitError as exc:
            # A page's pieces come from the template's generator, suspended where it was.
            if exc.file is None:
                exc.file, exc.line = _frame_location(getattr(pieces, "gi_frame", None))
            raise
        return "".join(parts)

    def concat_values(self, values: tuple[Any, ...], markup: bool) -> str:
        """Return ``a ~ b ~ ...`` (`markup`: escaping as autoescape does) within the limits."""
        _check_budget()
        _refuse_size("'~'", sum(_printed(v) for v in values))
        if markup:
            return jinja2.runtime.markup_join(values)
        return "".join(map(str, values))

    def get_template(
        self,
        name: str | jinja2.Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        """Return a template (for an include, import or extends too), within the budget."""
        _check_budget()
        return super().get_template(name, parent, globals)

    def select_template(
        self,
        names: Iterable[str | jinja2.Template],
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        """Return the first template found (``{% include [a, b] %}``), within the budget."""
        _check_budget()
        return super().select_template(names, parent, globals)


def _short(text: str, limit: int = 300) -> str:
    """Return `text` on one line and cut to `limit` characters (it may quote a huge value)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
