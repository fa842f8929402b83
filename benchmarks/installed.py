"""cutover's modules compiled to bytecode before anything is timed, as an install leaves them.

Installing the wheel (pip, or the offline bundle's pip) compiles every module to bytecode;
pandas and polars, installed the same way, start from theirs. A source tree has none, or
stale ones after an edit, and with ``PYTHONDONTWRITEBYTECODE`` set (as on the machine the
figures in docs/performance.md come from) Python never writes them: every run of the
command would then compile about forty modules from source first, 0.04-0.05 s of a triage
run, which no user's run pays.
"""

from __future__ import annotations

from pathlib import Path


def compile_cutover() -> None:
    """Write the bytecode of every module of the cutover package where Python looks for it
    (``__pycache__``), but for modules whose bytecode is up to date."""
    # (Imported here: the benchmarks' timed children import this module too.)
    import compileall

    import cutover

    compileall.compile_dir(Path(cutover.__file__).parent, quiet=1)
