"""``cutover init``: an agencies.csv template for a prefecture."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cutover.cli.common import EXIT_OK
from cutover.errors import CutoverError

if TYPE_CHECKING:
    pass


def _cmd_init(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cutover.errors import printable
    from cutover.inputs.registry import TEMPLATE_NOTE_JA, registry_template
    from cutover.render.files import write_text

    text = registry_template(args.prefecture)
    # (A device or a pipe, `-o /dev/stdout`, has nothing to lose.)
    if args.output != "-" and Path(args.output).is_file():
        raise CutoverError(
            "the file already exists",
            fix="choose another name with -o, or remove it first",
            file=args.output,
        )
    # With a BOM, Excel (which coordinators edit the registry in) reads the UTF-8 Japanese.
    # A file gets a BOM, for Excel; standard output, read by programs, does not.
    write_text(args.output, text, encoding="utf-8-sig" if args.output != "-" else "utf-8")
    if args.output != "-":
        rows = text.count("\n") - 1
        print(f"wrote {printable(args.output)}: {rows} agencies", file=sys.stderr)
    print(TEMPLATE_NOTE_JA, file=sys.stderr)
    return EXIT_OK
