#!/usr/bin/env bash
# Start what the test suite needs, then run the given command (used by `make test`):
#  - Chromium for the browser tests (Debian package, installed if missing),
#  - a throwaway PostgreSQL server; the command runs with DATELINE_TEST_PG_URL set and the server stops afterwards.
# When a service cannot be provided, the tests that need it skip and say why.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output
if [ -f scripts/install_chromium.sh ]; then
  bash scripts/install_chromium.sh >test-output/chromium-install.log 2>&1 \
    || echo "warning: Chromium not installed (test-output/chromium-install.log); browser tests will skip" >&2
fi
exec bash scripts/pg_test_server.sh run -- "$@"
