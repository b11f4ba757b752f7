#!/usr/bin/env bash
# Prints the JSON Lines (default and --fast profiles) and the annotate output of the bundled sample, for comparing two
# revisions of a refactoring: `scripts/snapshot_output.sh SRC_DIR > a.jsonl`, then `cmp a.jsonl b.jsonl`.
# SRC_DIR is the `src` folder of the revision to run (default: this checkout's).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$here/src}"
py="${PYTHON:-$here/.venv/bin/python}"
sample="$here/src/dateline/data/sample"
run() { PYTHONPATH="$src" "$py" -c 'import sys; from dateline.cli import main; sys.exit(main(sys.argv[1:]))' "$@"; }
run extract "$sample/kim-putin-vostochny.txt" "$sample/voa_stories.jsonl"
run extract --fast "$sample/kim-putin-vostochny.txt" "$sample/voa_stories.jsonl"
run annotate "$sample/kim-putin-vostochny.txt"
