"""Compression bombs through the reader: peak RSS and the error shown.

Usage: python bench/bench_bombs.py [--size-mb 1000] [--no-ratio] [--keep DIR]

Builds, in a temporary folder, .gz files of 1-2 MB that expand to ``--size-mb`` MB (1 GB by default): blank lines
(JSON Lines and CSV), one endless JSON line, one endless CSV field, a CSV of millions of tiny rows, and a text file.
Each is read by ``dateline.read.read`` in a fresh subprocess, which reports its own peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``), the time, the documents read and the first and last error lines.
The target: under 1 GB peak and a clear one-line error. ``--no-ratio`` switches the ratio check off
(``decode.MAX_RATIO``), so each bomb is read to its end or to ``decode.MAX_INFLATED``: memory must stay bounded anyway,
because every form is streamed. Before the budget and streaming, such files peaked at 3-6 GB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1 << 20

BOMBS = {  # name: (head, filler, tail)
    "blank.jsonl.gz": (b"", b"\n", b""),
    "blank.csv.gz": (b"id,published,text\n", b"\r\n", b""),
    "one-line.jsonl.gz": (b'{"id": "x", "text": "', b"a", b'"}\n'),
    "one-field.csv.gz": (b'id,published,text\nx,2023-01-01,"', b"a", b'"\n'),
    "rows.csv.gz": (b"id,published,text\n", b"x,2023-01-01,Kim met Putin.\n", b""),
    "text.txt.gz": (b"date 2023-09-13\n", b"Kim met Putin. ", b""),
}

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from dateline import decode, read as rd
if sys.argv[3] == "no-ratio":
    decode.MAX_RATIO = 10 ** 12
errors = []
t0 = time.perf_counter()
n = sum(1 for _ in rd.read([sys.argv[2]], on_error=errors.append))
print(json.dumps({"seconds": time.perf_counter() - t0, "documents": n, "errors": len(errors),
                  "first": errors[0] if errors else None, "last": errors[-1] if len(errors) > 1 else None,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build(path: Path, head: bytes, filler: bytes, tail: bytes, size: int) -> None:
    block = filler * max(1, MB // len(filler))
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(head)
        for _ in range(size // len(block)):
            fh.write(block)
        fh.write(tail)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=1000, help="decompressed size of each bomb (MB)")
    ap.add_argument("--no-ratio", action="store_true", help="switch decode.MAX_RATIO off in the reader")
    ap.add_argument("--keep", help="build the bombs in this folder (and keep them) instead of a temporary one")
    args = ap.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dateline-bombs-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"bombs of {args.size_mb} MB decompressed in {folder}; ratio check "
          f"{'off' if args.no_ratio else 'on'}")
    print(f"{'bomb':<18} {'packed':>9} {'seconds':>8} {'docs':>8} {'errors':>7} {'peak RSS':>9}  error shown")
    worst = 0.0
    try:
        for name, (head, filler, tail) in BOMBS.items():
            path = folder / name
            if not path.exists():
                build(path, head, filler, tail, args.size_mb * 10**6)
            proc = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "src"), str(path),
                                   "no-ratio" if args.no_ratio else "ratio"], capture_output=True, text=True)
            if proc.returncode:
                print(f"{name:<18} exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(proc.stdout)
            worst = max(worst, r["rss_mb"])
            shown = (r["first"] or "").replace(str(path), name)
            print(f"{name:<18} {path.stat().st_size / MB:>7.2f}MB {r['seconds']:>8.1f} {r['documents']:>8} "
                  f"{r['errors']:>7} {r['rss_mb']:>7.0f}MB  {shown}")
            if r["last"] and r["last"] != r["first"]:
                print(f"{'':<64}  last: {r['last'].replace(str(path), name)}")
    finally:
        if not args.keep:
            for p in folder.iterdir():
                p.unlink()
            folder.rmdir()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of the worst bomb: {worst:.0f} MB (RUSAGE_CHILDREN: {children:.0f} MB); target < 1024 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
