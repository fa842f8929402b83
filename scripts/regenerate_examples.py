"""Regenerate the example's committed checklists (the golden files tests/test_examples.py diffs).

Run it from anywhere after changing an example's inputs, a template, a calendar or the
planner, then review the diff before committing:

    python scripts/regenerate_examples.py

It calls the library, not the command line, and always writes into this repository's
``examples/`` (never into an installed copy of cutover).
"""

from __future__ import annotations

import sys
from pathlib import Path

from cutover.cli.demo import EXAMPLE_FILE, GOLDEN_LANGS, read_example, write_example_checklists

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def regenerate(examples: Path = EXAMPLES) -> list[Path]:
    """Rewrite every example's checklists in every golden language; return the files written."""
    written: list[Path] = []
    for marker in sorted(examples.glob(f"*/{EXAMPLE_FILE}")):
        example = read_example(marker.parent)
        for lang in GOLDEN_LANGS:
            target = example.golden_dir(lang)
            target.mkdir(exist_ok=True)
            # Checklists of agencies removed from the registry must not linger.
            for stale in sorted(target.glob("*.md")):
                stale.unlink()
            paths = write_example_checklists(example, target, lang=lang)
            print(f"{target.relative_to(examples.parent)}: {len(paths)} files")
            written.extend(paths)
    return written


def main() -> int:
    """Regenerate the golden files and return the exit code."""
    if not regenerate():
        print(f"no example (no */{EXAMPLE_FILE}) under {EXAMPLES}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
