"""Coverage-guided fuzzing of the readers with atheris (pinned: atheris==2.3.0; skips with a message when missing).

    PYTHONPATH=src .venv/bin/python bench/soak_atheris.py [RUNS]      # default 20000 inputs

Each input picks a reader by its first byte (JSONL, CSV, text, gzip of one of them, stdin) and the rest is the file.
The property is the one of tests/test_fuzz_read.py: no exception escapes ``read``, every problem is one line naming the
file, every Document is storable.  libFuzzer prints the number of inputs tried ("Done N runs"); any crash
stops it with the input that caused it.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import sys
import tempfile

try:
    import atheris
except ImportError:
    print("atheris is not installed (pip install atheris==2.3.0); nothing to do")
    sys.exit(0)

with atheris.instrument_imports():
    from dateline import read as rd

SUFFIXES = (".jsonl", ".csv", ".txt", ".jsonl.gz", ".csv.gz", ".txt.gz", "-")
BAD = re.compile("[\x00\ud800-\udfff]")
TMP = tempfile.mkdtemp(prefix="dateline-atheris-")


class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def one_input(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    body = data[1:]
    errors: list[str] = []
    stats = rd.ReadStats()
    if suffix == "-":
        old, sys.stdin = sys.stdin, _Stdin(body)
        try:
            docs = list(rd.read(["-"], on_error=errors.append, stats=stats))
        finally:
            sys.stdin = old
        name = "stdin"
    else:
        name = os.path.join(TMP, "in" + suffix)
        with open(name, "wb") as fh:
            fh.write(gzip.compress(body) if suffix.endswith(".gz") else body)
        docs = list(rd.read([name], on_error=errors.append, stats=stats))
    assert stats.documents == len(docs) and stats.errors == len(errors)
    for msg in errors:
        assert "\n" not in msg and msg.startswith(name), msg
    for d in docs:
        assert d.text.strip() and not BAD.search(d.text) and 0 < len(d.id) <= 255
        d.text.encode("utf-8")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    atheris.Setup([sys.argv[0], f"-runs={runs}", "-max_len=4096", "-rss_limit_mb=2048"], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
