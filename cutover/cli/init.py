"""``cutover init``: an agencies.csv template for a prefecture."""

from __future__ import annotations

import argparse
from pathlib import Path

from cutover.cli.common import EXIT_OK
from cutover.cli.console import tell
from cutover.cli.output import check_target
from cutover.errors import CutoverError, printable
from cutover.i18n.catalogue import Msg

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write the prefecture's agencies.csv template (never over an existing file)."""
    from cutover.inputs.registry import TEMPLATE_NOTE_EN, TEMPLATE_NOTE_JA, registry_template
    from cutover.render.files import write_text

    check_target("csv", args.output)
    text = registry_template(args.prefecture)
    # (A device or a pipe, `-o /dev/stdout`, has nothing to lose.)
    if args.output != "-" and Path(args.output).is_file():
        raise CutoverError.of("cli.init-file-exists", file=args.output)
    # With a BOM, Excel (which coordinators edit the registry in) reads the UTF-8 Japanese.
    # A file gets a BOM, for Excel; standard output, read by programs, does not.
    write_text(args.output, text, encoding="utf-8-sig" if args.output != "-" else "utf-8")
    if args.output != "-":
        rows = text.count("\n") - 1
        tell(Msg("cli.init-wrote", {"file": printable(args.output), "rows": rows}))
    note = {"ja": TEMPLATE_NOTE_JA, "en": TEMPLATE_NOTE_EN}[args.lang]
    tell(note)
    return EXIT_OK
