"""Jinja2 templates for the Markdown outputs: shipped in the package, overridable, sandboxed.

Templates live in ``cutover/templates/`` and are read with `jinja2.PackageLoader`. A
``--templates DIR`` puts DIR in front: a file there with the same name wins, the shipped
one is used for the others. With a DIR, every template, the user's and the shipped ones,
renders in jinja2's `~jinja2.sandbox.SandboxedEnvironment` — a user template is code a
coordinator got from somewhere; the shipped templates alone, cutover's own code, render
without the sandbox's cost. Always with `~jinja2.StrictUndefined`: a typo must fail loudly
rather than print nothing. Autoescaping is off: the output is Markdown, and the view-models hand the
templates strings already escaped for Markdown (`cutover.render.markdown`).

Any problem in a template (syntax, an undefined name, a refused attribute, an exception
while rendering) becomes a `CutoverError` naming the template file and line.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, cast

import attrs
import jinja2
import jinja2.exceptions
import jinja2.sandbox

from cutover.errors import CutoverError

__all__ = ["TemplateDir", "load_template", "render_template", "view_model"]

_T = TypeVar("_T")

#: A directory of user templates, or None for the shipped ones only.
TemplateDir = str | os.PathLike[str] | None

_FIX = "fix the template, or remove it from the templates directory to use the shipped one"


# The data fields of each view-model class, by class (see `view_model`).
_VIEW_FIELDS: dict[type, frozenset[str]] = {}


def view_model(cls: type[_T]) -> type[_T]:
    """Return `cls` (a frozen attrs class of finished strings) registered as a view-model.

    The sandbox checks every attribute a template reads, which costs more than the
    rendering itself at national scale (hundreds of reads per checklist, 1,826
    checklists). The declared data fields of a registered view-model are plain data —
    strings, booleans, tuples and other view-models — so reading them skips the check;
    anything else a template reaches (methods, dunder attributes, str methods) is still
    checked by the sandbox.
    """
    fields = attrs.fields(cast(Any, cls))
    _VIEW_FIELDS[cls] = frozenset(f.name for f in fields if not f.name.startswith("_"))
    return cls


class _Sandbox(jinja2.sandbox.SandboxedEnvironment):
    """jinja2's sandbox, with a fast path for the data fields of registered view-models."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Return `obj.attribute`: view-model fields directly, anything else through the sandbox."""
        fields = _VIEW_FIELDS.get(type(obj))
        if fields is not None and attribute in fields:
            return object.__getattribute__(obj, attribute)
        return super().getattr(obj, attribute)


@functools.lru_cache(maxsize=8)
def _environment(directory: str | None) -> jinja2.Environment:
    """Return the one environment for a template directory (compiled templates are cached).

    The shipped templates alone are cutover's own code: they render in a plain environment,
    where reading an attribute costs a third of what the sandbox's check does (a national
    run reads about a million). With a user directory, every template — the user's, and
    the shipped ones they fall back to or include — renders in the sandbox.
    """
    options: dict[str, Any] = {
        "autoescape": False,  # Markdown, not HTML: strings arrive escaped for Markdown.
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        # One run renders thousands of pages from the same few templates: compile each
        # once and never stat the files again.
        "auto_reload": False,
    }
    shipped = jinja2.PackageLoader("cutover", "templates")
    if directory is None:
        return jinja2.Environment(loader=shipped, **options)
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(directory), shipped])
    return _Sandbox(loader=loader, **options)


def _directory_key(templates: TemplateDir) -> str | None:
    """Return the resolved template directory, or raise when it is not a directory."""
    if templates is None:
        return None
    path = Path(templates)
    if not path.is_dir():
        raise CutoverError(
            "the templates directory does not exist or is not a directory",
            fix="give a directory holding *.md.j2 files (copy them from cutover/templates)",
            file=str(path),
        )
    return str(path.resolve())


def _template_line(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """Return the file and line of the innermost template frame of a traceback."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        # jinja2 rewrites tracebacks so that template code shows as frames of the template
        # file; those frames carry this marker in their globals.
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_error(exc: BaseException, name: str) -> CutoverError:
    """Return the error for a template that failed to load or render."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return CutoverError(
            f"template syntax error: {exc.message}",
            fix=_FIX,
            file=exc.filename or exc.name or name,
            line=exc.lineno,
        )
    file, line = _template_line(exc.__traceback__)
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template {exc.name!r} not found"
    elif isinstance(exc, jinja2.exceptions.SecurityError):
        message = f"template refused by the sandbox: {exc}"
    elif isinstance(exc, jinja2.UndefinedError):
        message = f"template uses an undefined value: {exc}"
    else:
        message = f"template failed: {type(exc).__name__}: {exc}"
    return CutoverError(message, fix=_FIX, file=file or name, line=line)


def load_template(name: str, templates: TemplateDir = None) -> jinja2.Template:
    """Return the compiled template `name`, from `templates` when it holds one, else shipped."""
    environment = _environment(_directory_key(templates))
    try:
        return environment.get_template(name)
    except jinja2.TemplateError as exc:
        raise _template_error(exc, name) from None


def render_template(template: jinja2.Template, **context: Any) -> str:
    """Return `template` rendered with `context`; any failure is a `CutoverError`."""
    render: Callable[..., str] = template.render
    try:
        return render(**context)
    except Exception as exc:
        # A template may raise anything (a filter on a wrong type, a division by zero):
        # all of it is a problem of the template, to be reported as such.
        raise _template_error(exc, template.name or "template") from None
