"""``python -m cutover``: the same command line as ``cutover``."""

from __future__ import annotations

import gc
import sys
from typing import NoReturn

from cutover.cli.main import main


def run() -> NoReturn:
    """Run the command line (`main`) and end the process with its exit code."""
    code = main()
    # The process ends here: the interpreter's last collections would walk every object it
    # still holds (each imported module's) for cycles, about 0.06 s of a command's exit.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
