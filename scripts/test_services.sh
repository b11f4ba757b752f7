#!/usr/bin/env bash
# Start what the test suite needs (a throwaway PostgreSQL server, Chromium for browser tests), run the given
# command with DATELINE_TEST_PG_URL set, and stop the services again. Used by `make test`.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -f scripts/pg_test_server.sh ]; then
  if url=$(bash scripts/pg_test_server.sh start 2>test-pg.log); then
    export DATELINE_TEST_PG_URL="$url"
  else
    echo "warning: PostgreSQL test server did not start (see test-pg.log); PostgreSQL tests will skip" >&2
  fi
fi
if [ -f scripts/install_chromium.sh ]; then
  bash scripts/install_chromium.sh >test-chromium.log 2>&1 || echo "warning: Chromium not installed (see test-chromium.log); browser tests will skip" >&2
fi
"$@"
rc=$?
if [ -n "${DATELINE_TEST_PG_URL:-}" ]; then bash scripts/pg_test_server.sh stop >/dev/null 2>&1 || true; fi
exit $rc
