"""``python -m cutover``: the same command line as ``cutover``."""

from __future__ import annotations

import sys

from cutover.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
