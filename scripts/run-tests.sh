#!/usr/bin/env bash
# Runs the suite on SQLite, then again on PostgreSQL when a server answers on loopback.
set -uo pipefail
BIN=.venv/bin
PG_URL=${GONGKAI_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}
status=0

echo "== pytest on SQLite =="
env -u DATABASE_URL $BIN/pytest -n 2 --dist loadgroup "$@" || status=$?

if $BIN/python - "$PG_URL" <<'PY' >/dev/null 2>&1
import sys, psycopg
psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=3).close()
PY
then
  echo "== pytest on PostgreSQL ($PG_URL) =="
  DATABASE_URL=$PG_URL $BIN/pytest -n 2 --dist loadgroup -m "not browser" "$@" || status=$?
else
  echo "== PostgreSQL not reachable at $PG_URL: skipped the PostgreSQL run =="
fi
exit $status
