#!/usr/bin/env bash
# Overload by a store that stalls: the server (Release, reject_delay = 0) gets Access-Requests at RATE per second for
# 20 s from bench/overload.py (open loop, no retransmits), while another process holds SQLite's write lock for 10 s
# from the 3rd second. Prints what overload.py measured and the server's shutdown summary (drops, shed). Shows whether
# the requests that are served are answered in time and how the excess is dropped. A measurement, not a test.
#
#   bench/stall.sh [RATE]        (default 1000; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-1000}
PORT=18202
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# shellcheck source=bench/serve.sh
. bench/serve.sh
start_server $PORT
python3 bench/overload.py $PORT 300 3 > /dev/null   # warm-up (JIT, tiered compilation)
python3 - "$work/data/radius-email-otp.db" <<'PY' &
import sqlite3, sys, time
time.sleep(3)
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN EXCLUSIVE")   # in WAL mode: readers go on, every writer waits
time.sleep(10)
db.execute("COMMIT")
PY
pids+=($!)
python3 bench/overload.py $PORT "$RATE" 20
kill -TERM "$server_pid"
wait "$server_pid" || true
grep -E "Exiting normally" "$work/server.log" | sed 's/^.*: Info: //'
