"""Build `cutover._scan`, triage's optional row pass in C, into the wheel.

The extension is optional: when it cannot be compiled (no C compiler, no Python headers) the
wheel is built without it, and `cutover.triage` uses its own Python pass, which gives the
same results more slowly (docs/performance.md). Set ``CUTOVER_PURE_PYTHON=1`` to build
without it on purpose. pip shows this hook's messages with ``pip install -v``. setuptools
does the compiling, as for any C extension: it knows each platform's compiler and flags.
"""

from __future__ import annotations

import contextlib
import os
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = "cutover/_scan.c"


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the extension; for an editable install, next to the sources."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        editable = version == "editable"
        name = "_scan" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")
        if editable:
            # An extension this Python's earlier install left beside the sources would still
            # load after this one fails or is told not to build it. (Other Pythons' builds
            # have other names, and stay.)
            with contextlib.suppress(FileNotFoundError):
                (root / "cutover" / name).unlink()
        if os.environ.get("CUTOVER_PURE_PYTHON", "") not in ("", "0"):
            self.app.display_info("cutover._scan: not built (CUTOVER_PURE_PYTHON is set)")
            return
        self._temporary = tempfile.TemporaryDirectory(prefix="cutover-build-")
        lib = root if editable else Path(self._temporary.name) / "lib"
        try:
            built = _compile(root, lib, Path(self._temporary.name) / "temp")
        except Exception as exc:  # any failure: a pure-Python wheel, which works everywhere
            self.app.display_warning(
                f"cutover._scan: not built ({type(exc).__name__}: {exc}); triage uses its "
                "Python pass, with the same results, about twice as slow"
            )
            return
        if not editable:
            build_data["force_include"][str(built)] = f"cutover/{name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        temporary = getattr(self, "_temporary", None)
        if temporary is not None:
            temporary.cleanup()


def _compile(root: Path, lib: Path, temp: Path) -> Path:
    """Compile the extension into `lib`/cutover; return the file made."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    extension = Extension("cutover._scan", [str(root / SOURCE)])
    dist = Distribution({"name": "cutover", "ext_modules": [extension]})
    command = build_ext(dist)
    command.build_lib = str(lib)
    command.build_temp = str(temp)
    command.ensure_finalized()
    command.run()
    built = Path(command.get_ext_fullpath("cutover._scan"))
    if not built.is_file():  # pragma: no cover - setuptools says why first
        raise FileNotFoundError(built)
    print(f"cutover._scan: built {built.name}", file=sys.stderr)
    return built
