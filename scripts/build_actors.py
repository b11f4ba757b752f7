#!/usr/bin/env python
"""Build the shipped actor dictionary: the same as ``dateline actors build`` (see ``dateline.actors.build``).

    python scripts/build_actors.py [--shared ../shared] [-o OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dateline.cli import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main(["actors", "build", *sys.argv[1:]]))
