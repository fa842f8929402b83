"""View-models: frozen attrs classes of finished strings, whose fields templates read directly."""

from __future__ import annotations

from typing import Any, TypeVar, cast

import attrs

from cutover.i18n.catalogue import Lang, text

__all__ = ["labels_of", "view_model"]

_T = TypeVar("_T")


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


def labels_of(cls: type[_T], domain: str, lang: Lang, **given: object) -> _T:
    """Return the fixed words of a page in `lang`: a view-model of class `cls` whose fields
    are the catalogue's ``<domain>.<field-name>`` texts (``tasks_legend`` is
    ``checklist.tasks-legend``), but those `given` (a table's headers).

    Read once per run and language (each caller caches it), never once per agency.
    """
    fields = attrs.fields(cast(Any, cls))
    found = {
        f.name: text(f"{domain}.{f.name.replace('_', '-')}", lang)
        for f in fields
        if f.name not in given
    }
    return cls(**found, **given)
