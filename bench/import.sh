#!/usr/bin/env bash
# Bulk enrolment: times `token import` of ROWS generated rows into a fresh data directory, process start, config,
# key file and schema creation included, RUNS times (a fresh directory each), then a rerun with --skip-existing.
# A measurement, not a test: it prints the wall time of each run; nothing asserts a time.
#
#   bench/import.sh [ROWS] [RUNS]        (default 10000 and 5; builds Release into $work/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-10000}
RUNS=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build -c Release src/RadiusEmailOtp -o "$work/bin" -v quiet -nologo > "$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
printf '[server]\ndata_dir = "%s/data"\n' "$work" > "$work/config.toml"
awk -v n="$ROWS" 'BEGIN {
  print "user,realm,email,pin,otp_length,hash,description"
  for (i = 0; i < n; i++) printf "user%06d,,user%06d@example.com,pin-%06d,%d,%s,\"bulk, batch %d\"\n", i, i, i, (i % 2 ? 6 : 8), (i % 3 ? "sha256" : ""), i / 1000
}' > "$work/users.csv"

run() { # LABEL ARGS...: one timed import
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  dotnet "$work/bin/radius-email-otp.dll" token import --config "$work/config.toml" "$@" > "$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v l="$label" -v s="$start" -v e="$end" -v n="$ROWS" -v o="$(cat "$work/out")" \
    'BEGIN { printf "%-22s %.2f s wall  %6.0f rows/s  (%s)\n", l, e - s, n / (e - s), o }'
}

echo "token import of $ROWS rows, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$RUNS"); do
  rm -rf "$work/data"
  run "fresh data_dir, run $i" "$work/users.csv"
done
run "rerun --skip-existing" --skip-existing "$work/users.csv"
