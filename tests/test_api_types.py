"""Every type a public name hands out or takes is public too: a typed consumer annotates what
`cutover.plan` returns (and what that holds) without importing a submodule that may change."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import sys
import types
import typing
from collections.abc import Iterator

import cutover


@functools.cache
def _namespace(module_name: str) -> dict[str, object]:
    """Return a module's names, with those it imports only for the type checker."""
    module = sys.modules[module_name]
    names = dict(vars(module))
    tree = ast.parse(inspect.getsource(module))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for statement in ast.walk(node):
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    imported = importlib.import_module(statement.module)
                    for alias in statement.names:
                        names[alias.asname or alias.name] = getattr(imported, alias.name)
    return names


def _hints(obj: object, module_name: str) -> dict[str, object]:
    """Return the annotations of a function or class, the names of its module resolved."""
    return typing.get_type_hints(obj, globalns=_namespace(module_name))


def _classes(annotation: object) -> Iterator[type]:
    """Yield the classes an annotation names (inside `tuple[...]`, `X | None`, `Mapping`...)."""
    if isinstance(annotation, type) and not isinstance(annotation, types.GenericAlias):
        yield annotation
    origin = typing.get_origin(annotation)
    if isinstance(origin, type):
        yield origin
    for argument in typing.get_args(annotation):
        yield from _classes(argument)


def _signatures(obj: object) -> Iterator[tuple[str, object]]:
    """Yield the annotations of a public name: a function's, or a class's fields and public
    methods and properties (arguments and results)."""
    if not isinstance(obj, type):
        if inspect.isroutine(obj):
            yield from _hints(obj, obj.__module__).items()
        return
    for klass in obj.__mro__:
        if klass.__module__.partition(".")[0] != "cutover":
            continue
        yield from _hints(klass, klass.__module__).items()
        for name, member in vars(klass).items():
            if name.startswith("_") and name != "__init__":
                continue
            function = member.fget if isinstance(member, property) else member
            function = getattr(function, "__func__", function)
            if inspect.isfunction(function):
                for key, value in _hints(function, klass.__module__).items():
                    yield f"{name}.{key}", value


def _reachable() -> dict[type, str]:
    """Return cutover's classes the public names reach, each with the path that reaches it."""
    found: dict[type, str] = {}
    todo = [(getattr(cutover, name), name) for name in cutover.__all__]
    while todo:
        obj, path = todo.pop()
        if isinstance(obj, type):
            if obj in found:
                continue
            found[obj] = path
        for key, annotation in _signatures(obj):
            for klass in _classes(annotation):
                if klass.__module__.partition(".")[0] == "cutover" and klass not in found:
                    todo.append((klass, f"{path}.{key}"))
    return found


def test_the_walk_sees_through_nested_types() -> None:
    """The walk reaches what a public name holds, then what that holds: it can fail."""
    reached = _reachable()
    assert cutover.Plan in reached
    assert cutover.Lag in reached  # RevisionCalendar.events -> Event.before -> Dependency.lag


def test_every_reachable_type_is_public() -> None:
    """A class of cutover's in a public signature or field, at any depth, is in __all__ as
    itself (not a namesake from another module)."""
    unexported = sorted(
        f"{klass.__module__}.{klass.__qualname__} (via {path})"
        for klass, path in _reachable().items()
        if getattr(cutover, klass.__name__, None) is not klass
    )
    assert unexported == []
