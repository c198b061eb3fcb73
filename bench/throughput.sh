#!/usr/bin/env bash
# Throughput measured with FreeRADIUS's radclient (-p 64) against RadiusEmailOtp (reject_delay = 0) and, when
# FreeRADIUS is installed, against FreeRADIUS the same way in the same run:
#   - Access-Request: unknown users and PAP; ours goes through the OTP engine (a token lookup in SQLite, PIN
#     hashing, the failcount statement) and answers Access-Reject; FreeRADIUS answers from its in-memory files module.
#   - Status-Server: the protocol core alone (codec, client table, authenticators, duplicate cache, reply).
# A measurement, not a test: it prints requests per second and the ratios; nothing asserts a time.
#
#   bench/throughput.sh [REQUESTS]        (default 200000; needs freeradius-utils, optional freeradius)
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-200000}
PARALLEL=64
OUR_PORT=18200
FR_PORT=18201   # FreeRADIUS's inner-tunnel site holds 18120
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

command -v radclient >/dev/null || { echo "radclient missing: apt-get install freeradius-utils" >&2; exit 1; }

# radclient keeps -p packets in flight only if the file holds at least that many requests.
for i in $(seq 1 256); do
  printf 'User-Name = "bench%d"\nUser-Password = "secret%d"\nMessage-Authenticator = 0x00\n\n' "$i" "$i"
done > "$work/auth.txt"
for i in $(seq 1 256); do printf 'Message-Authenticator = 0x00\n\n'; done > "$work/status.txt"

# measure PORT auth|status: sends REQUESTS packets with radclient; prints requests/s, sent, unanswered, seconds.
measure() {
  local port=$1 kind=$2 rounds=$(( (REQUESTS + 255) / 256 ))
  local start end
  start=$(date +%s.%N)
  radclient -q -s -p "$PARALLEL" -c "$rounds" -r 3 -t 5 -f "$work/$kind.txt" "127.0.0.1:$port" "$kind" testing123 > "$work/out.$port" 2>&1 || true
  end=$(date +%s.%N)
  local sent=$(( rounds * 256 ))
  local failed
  failed=$(grep -Eo 'Packets with no response: *[0-9]+' "$work/out.$port" | grep -Eo '[0-9]+$' || echo 0)
  awk -v n="$sent" -v f="$failed" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f %d %d %.2f\n", (n - f) / (e - s), n, f, e - s }'
}

# shellcheck source=bench/serve.sh
. bench/serve.sh
start_server $OUR_PORT
measure $OUR_PORT auth > /dev/null || true   # warm-up (JIT, tiered compilation)
read -r ours sent failed secs < <(measure $OUR_PORT auth)
echo "RadiusEmailOtp Access-Request: $ours requests/s ($sent sent, $failed without reply, ${secs}s; Access-Reject via the OTP engine)"
read -r ours_status sent failed secs < <(measure $OUR_PORT status)
echo "RadiusEmailOtp Status-Server:  $ours_status requests/s ($sent sent, $failed without reply, ${secs}s)"

if command -v freeradius >/dev/null 2>&1 && [ -d /etc/freeradius/3.0 ]; then
  cp -r /etc/freeradius/3.0 "$work/raddb"
  # auth, acct, auth-v6, acct-v6 listeners of the default site get FR_PORT, FR_PORT+1, ...
  awk -v p="$FR_PORT" '/^[ \t]*port = 0/ { sub(/port = 0/, "port = " p++) } { print }' /etc/freeradius/3.0/sites-enabled/default > "$work/raddb/sites-enabled/default"
  sed -i "s/^\(\s*ipaddr = \)\*/\1127.0.0.1/" "$work/raddb/sites-enabled/default"
  for i in $(seq 1 256); do printf 'bench%d Cleartext-Password := "secret%d"\n' "$i" "$i"; done >> "$work/raddb/mods-config/files/authorize"
  # FreeRADIUS drops to the freerad user: it must be able to read its copied configuration.
  chmod 755 "$work"
  chown -R freerad:freerad "$work/raddb" 2>/dev/null || true
  freeradius -f -d "$work/raddb" -l stdout > "$work/freeradius.log" 2>&1 &
  pids+=($!)
  wait_udp $FR_PORT
  measure $FR_PORT auth > /dev/null || true
  read -r theirs fsent ffailed fsecs < <(measure $FR_PORT auth)
  echo "FreeRADIUS Access-Request:     $theirs requests/s ($fsent sent, $ffailed without reply, ${fsecs}s; PAP Access-Accept from the files module)"
  read -r theirs_status fsent ffailed fsecs < <(measure $FR_PORT status)
  echo "FreeRADIUS Status-Server:      $theirs_status requests/s ($fsent sent, $ffailed without reply, ${fsecs}s)"
  awk -v a="$ours" -v b="$theirs" -v c="$ours_status" -v d="$theirs_status" \
    'BEGIN { printf "ratio RadiusEmailOtp / FreeRADIUS: Access-Request %.2f, Status-Server %.2f\n", a / b, c / d }'
else
  echo "FreeRADIUS not installed (apt-get install freeradius): no comparison in this run"
fi
