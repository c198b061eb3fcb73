#!/usr/bin/env bash
# Full-flow benchmark: USERS e-mail tokens are imported, every user sends the PIN (Access-Challenge with State, OTP
# mailed), the OTP is read from that user's mail and sent back with the State (Access-Accept). Our own RADIUS client
# (bench/RadiusLoadClient) keeps 64 requests in flight with Message-Authenticator; one 5 s timeout, no retransmits.
# It runs once with the pickup provider (.eml files) and once with SMTP to a loopback sink, then a storm (USERS
# distinct users send their PIN at 1,000/s, open loop, SMTP), then the same client against FreeRADIUS PAP from a
# `files` list of USERS users (when FreeRADIUS is installed), and prints the ratios ours / FreeRADIUS.
# A measurement, not a test: nothing asserts a time. Everything listens on 127.0.0.1 and every step is bounded.
#
#   bench/login-flow.sh [USERS]          (default 10000)
#   STORE=postgresql bench/login-flow.sh [USERS]
#                                        instead: the same PIN/OTP flow on a PostgreSQL store (a throw-away cluster,
#                                        default settings, fsync on), once with 1 node and once with 2 nodes on one
#                                        database; with 2, each half of the users sends the PIN to one node and the
#                                        OTP to the other (every login crosses nodes); prints both
#
# Environment: PARALLEL (64), TIMEOUT (5 s), STORM_USERS (USERS), STORM_RATE (1000), STORM_WINDOW (30 s),
# PAP_REPEAT (requests per FreeRADIUS user; default: about 100,000 requests in all), WARM (warm-up users per server
# start, 1500), KEEP=1 keeps the temp directory (logs, mails, databases).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
USERS=${1:-10000}
PARALLEL=${PARALLEL:-64}
TIMEOUT=${TIMEOUT:-5}
STORM_USERS=${STORM_USERS:-$USERS}
STORM_RATE=${STORM_RATE:-1000}
STORM_WINDOW=${STORM_WINDOW:-30}
# FreeRADIUS answers in microseconds: each user is asked several times, for about 100,000 timed requests.
PAP_REPEAT=${PAP_REPEAT:-$(( USERS >= 20000 ? 5 : (100000 + USERS - 1) / USERS ))}
# The server tiers its code up (JIT with dynamic PGO) for the first ~1,000 logins: warm it up with users of its own.
WARM=${WARM:-1500}
SECRET=testing123

work=$(mktemp -d /tmp/login-flow.XXXXXX)
pids=()
cleanup() {
  local p
  for p in "${pids[@]+"${pids[@]}"}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]+"${pids[@]}"}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  if [ -n "${pgdir:-}" ]; then pg_stop; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The load client runs under timeout(1) as well: its own bounds (request timeout, mail wait) should end it first.
lc() { timeout 900 dotnet "$work/client/RadiusLoadClient.dll" "$@"; }
wait_udp() { for _ in $(seq 1 150); do ss -Huln "sport = :$1" | grep -q . && return 0; sleep 0.1; done; echo "nothing listens on udp $1" >&2; return 1; }
wait_file() { for _ in $(seq 1 150); do [ -s "$1" ] && return 0; sleep 0.1; done; echo "$1 did not appear" >&2; return 1; }
stop() { # PID: SIGTERM, then wait (bounded) for it to exit; the trap then leaves the (reusable) PID alone
  local p keep=()
  if kill -TERM "$1" 2>/dev/null; then
    for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
  fi
  wait "$1" 2>/dev/null || true
  for p in "${pids[@]+"${pids[@]}"}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  pids=("${keep[@]+"${keep[@]}"}")
}
log_summary() { # SERVER-LOG: count warnings and errors, show the first few
  local n
  n=$(grep -cE ' : (Warning|Error|Critical): ' "$1" || true)
  [ "$n" -gt 0 ] || return 0
  echo "  server log: $n warnings/errors; the first:"
  grep -E ' : (Warning|Error|Critical): ' "$1" | head -n 4 | cut -c 1-200 | sed 's/^/    /'
}
get() { sed -n "s/^$2=//p" "$1"; }   # get RESULTFILE KEY

echo "building (Release) ..."
dotnet build -c Release src/RadiusEmailOtp -o "$work/bin" -nologo -v q > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet build -c Release bench/RadiusLoadClient -o "$work/client" -nologo -v q > "$work/build-client.log" 2>&1 || { cat "$work/build-client.log"; exit 1; }
server_cli() { dotnet "$work/bin/radius-email-otp.dll" "$@"; }

# CSV for `token import`: the benchmark users benchN and the warm-up users warmN (PIN pinN, mail to USER@example.com).
write_csv() { # FILE COUNT
  { echo "user,realm,email,pin"
    awk -v n="$2" -v w="$WARM" 'BEGIN {
      for (i = 1; i <= w; i++) printf "warm%d,example.com,warm%d@example.com,pin%d\n", i, i, i
      for (i = 1; i <= n; i++) printf "bench%d,example.com,bench%d@example.com,pin%d\n", i, i, i }'
  } > "$1"
}

import_tokens() { # CONFIG CSV
  local start end
  start=$(date +%s.%N)
  server_cli token import "$2" --config "$1" > "$work/import.log" 2>&1 || { echo "token import failed:" >&2; cat "$work/import.log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v out="$(tail -n 1 "$work/import.log")" 'BEGIN { printf "  token import: %s in %.1f s\n", out, e - s }'
}

write_config() { # DIR PORT PROVIDER-KIND [SMTP-PORT]
  local dir=$1 port=$2 kind=$3 smtp_port=${4:-}
  cat > "$dir/config.toml" <<TOML
[server]
listen = ["127.0.0.1:$port"]
dictionary = "$root/dictionaries/dictionary"
data_dir = "$dir/data"
reject_delay = 0

[[client]]
name = "bench"
ipaddr = "127.0.0.1"
secret = "$SECRET"

[email_token]
# Every user mails once per round and each run has a data directory of its own, so the blocking window never
# answers "already sent"; the codes stay valid however long a slow step takes.
challenge_validity = 3600
blocking_timeout = 120

[email]
template_root = "$root/config/mailtemplates"

TOML
  if [ "$kind" = pickup ]; then
    cat >> "$dir/config.toml" <<TOML
[[email_provider]]
name = "outbox"
class = "PickupDirectoryEmailProvider"
default = true
config = { DIRECTORY = "$dir/mail" }
TOML
  else
    cat >> "$dir/config.toml" <<TOML
[[email_provider]]
name = "sink"
class = "SMTPEmailProvider"
default = true
config = { SMTP_SERVER = "127.0.0.1", SMTP_PORT = "$smtp_port", EMAIL_FROM = "otp@example.com" }
TOML
  fi
}

# start_ours NAME KIND COUNT: data dir, config, tokens, optional sink, server; sets dir, port, server_pid.
start_ours() {
  local name=$1 kind=$2 count=$3 smtp_port=
  dir="$work/$name"
  mkdir -p "$dir/data" "$dir/mail"
  if [ "$kind" = smtp ]; then
    # Started as a plain command, not through lc(): $! must be the process that gets the SIGTERM (timeout passes it on).
    timeout 900 dotnet "$work/client/RadiusLoadClient.dll" smtp-sink --listen 127.0.0.1:0 --mail-dir "$dir/mail" \
      --port-file "$dir/smtp.port" --max-seconds 900 > "$dir/sink.log" 2>&1 &
    pids+=($!)
    sink_pid=$!
    wait_file "$dir/smtp.port"
    smtp_port=$(cat "$dir/smtp.port")
  fi
  port=$(lc free-port udp)
  write_config "$dir" "$port" "$kind" "$smtp_port"
  write_csv "$dir/tokens.csv" "$count"
  import_tokens "$dir/config.toml" "$dir/tokens.csv"
  (cd "$dir" && exec dotnet "$work/bin/radius-email-otp.dll" serve --config "$dir/config.toml" > "$dir/server.log" 2>&1) &
  server_pid=$!
  pids+=($server_pid)
  wait_udp "$port"
  # Warm-up (JIT, tiered compilation, SQLite caches) with users of their own, so the measured users stay fresh: after
  # 500 warm-up PIN steps the server still compiled ~2,100 methods to tier 1 during a timed step of 3,000 (at about
  # twice the CPU per request of the steady state); after 1,500 logins and the pause, under a hundred.
  local common=(--server "127.0.0.1:$port" --secret "$SECRET" --parallel "$PARALLEL" --timeout "$TIMEOUT" --prefix warm --users "$WARM")
  lc pin "${common[@]}" --state-file "$dir/warm.state" --mail-dir "$dir/mail" --mail-wait 10 --label "warm-up PIN" > "$dir/warmup.log"
  lc otp "${common[@]}" --state-file "$dir/warm.state" --mail-dir "$dir/mail" --label "warm-up OTP" >> "$dir/warmup.log"
  sleep 3   # lets the background tier-1 compilations the warm-up queued finish before anything is timed
}

memory() { # PID -> "VmRSS 123 MB, VmHWM 456 MB"
  awk '/^VmRSS/ { rss = $2 } /^VmHWM/ { hwm = $2 } END { printf "VmRSS %.0f MB, VmHWM %.0f MB", rss / 1024, hwm / 1024 }' "/proc/$1/status"
}

# run_flow NAME KIND LABEL: import, serve, PIN step, OTP step, memory, stop.
run_flow() {
  local name=$1 kind=$2 label=$3
  echo
  echo "== RadiusEmailOtp, $label, $USERS users =="
  start_ours "$name" "$kind" "$USERS"
  local common=(--server "127.0.0.1:$port" --secret "$SECRET" --parallel "$PARALLEL" --timeout "$TIMEOUT" --prefix bench --users "$USERS")
  lc pin "${common[@]}" --state-file "$dir/pin.state" --mail-dir "$dir/mail" --mail-wait 60 --warmup 2000 --server-pid "$server_pid" \
    --label "RadiusEmailOtp $name PIN -> Access-Challenge" --result "$work/$name.pin"
  lc otp "${common[@]}" --state-file "$dir/pin.state" --mail-dir "$dir/mail" --warmup 2000 --server-pid "$server_pid" \
    --label "RadiusEmailOtp $name OTP + State -> Access-Accept" --result "$work/$name.otp"
  memory "$server_pid" > "$work/$name.mem"
  echo "  server memory after $USERS logins (+$WARM warm-up): $(cat "$work/$name.mem")"
  stop "$server_pid"
  if [ "$kind" = smtp ]; then stop "$sink_pid"; fi
  log_summary "$dir/server.log"
}

run_storm() {
  echo
  echo "== RadiusEmailOtp storm: $STORM_USERS distinct users send their PIN at $STORM_RATE/s (open loop, SMTP sink) =="
  start_ours storm smtp "$STORM_USERS"
  lc storm --server "127.0.0.1:$port" --secret "$SECRET" --prefix bench --users "$STORM_USERS" --rate "$STORM_RATE" \
    --window "$STORM_WINDOW" --mail-dir "$dir/mail" --mail-wait 90 --mail-quiet 15 --warmup 2000 --server-pid "$server_pid" --label "RadiusEmailOtp storm" --result "$work/storm.result"
  echo "  server memory after the storm: $(memory "$server_pid")"
  stop "$server_pid"
  stop "$sink_pid"
  log_summary "$dir/server.log"
}

run_freeradius() {
  echo
  if ! command -v freeradius > /dev/null 2>&1 || [ ! -d /etc/freeradius/3.0 ]; then
    echo "== FreeRADIUS not installed (apt-get install freeradius): no comparison in this run =="
    return 1
  fi
  echo "== FreeRADIUS $(freeradius -v 2>/dev/null | sed -n 's/.*Version \([0-9.]*\).*/\1/p;q') PAP from files, $USERS users, same client =="
  local raddb="$work/raddb" fr_port inner_port
  fr_port=$(lc free-port udp)
  inner_port=$(lc free-port udp)
  cp -r /etc/freeradius/3.0 "$raddb"
  # auth, acct, auth-v6, acct-v6 listeners of the default site get fr_port, +1, +2, +3, all on loopback.
  awk -v p="$fr_port" '/^[ \t]*port = 0/ { sub(/port = 0/, "port = " p++) } { print }' /etc/freeradius/3.0/sites-enabled/default \
    | sed -e 's/^\(\s*ipaddr = \)\*/\1127.0.0.1/' -e 's/^\(\s*ipv6addr = \)::/\1::1/' > "$raddb/sites-enabled/default"
  sed -i "s/port = 18120/port = $inner_port/" "$raddb/sites-enabled/inner-tunnel"
  awk -v n="$USERS" 'BEGIN { for (i = 1; i <= n; i++) printf "bench%d Cleartext-Password := \"secret%d\"\n", i, i }' \
    >> "$raddb/mods-config/files/authorize"
  # FreeRADIUS drops to the freerad user: it must be able to read its copied configuration.
  chmod 755 "$work"
  chown -R freerad:freerad "$raddb" 2> /dev/null || true
  freeradius -f -d "$raddb" -l stdout > "$work/freeradius.log" 2>&1 &
  local fr_pid=$!
  pids+=($fr_pid)
  wait_udp "$fr_port" || { cat "$work/freeradius.log"; return 1; }
  lc pap --server "127.0.0.1:$fr_port" --secret "$SECRET" --parallel "$PARALLEL" --timeout "$TIMEOUT" --prefix bench \
    --users "$USERS" --repeat "$PAP_REPEAT" --warmup 5000 --server-pid "$fr_pid" \
    --label "FreeRADIUS PAP -> Access-Accept ($PAP_REPEAT x $USERS users)" --result "$work/fr.pap"
  stop "$fr_pid"
}

if [ "${STORE:-sqlite}" = postgresql ]; then
  # shellcheck source=bench/login-flow-pg.sh
  . "$root/bench/login-flow-pg.sh"
  run_postgres
  exit 0
fi

run_flow pickup pickup "pickup provider (.eml files)"
run_flow smtp smtp "SMTP provider to a loopback sink"
run_storm
fr=0
run_freeradius && fr=1

echo
echo "== Summary: $USERS users, $PARALLEL in flight, Release build, $(nproc) cores shared with the client =="
# The CPU columns hold "µs", two bytes in UTF-8 for one character: one more byte of width keeps them aligned.
row() { printf '  %-52s %10s %8s %8s %8s %15s %15s %16s\n' "$@"; }
printf '  %-52s %10s %8s %8s %8s %14s %14s %16s\n' "" "requests/s" "p50 ms" "p95 ms" "p99 ms" "client CPU" "server CPU" "ours/FreeRADIUS"
fr_rps=$( [ "$fr" = 1 ] && get "$work/fr.pap" rps || echo 0)
cpu() { awk -v u="$(get "$1" "$2_us")" -v c="$(get "$1" "$2_cores")" 'BEGIN { if (u == "") print "-"; else printf "%.0f µs %.0f%%", u, c * 100 }'; }
line() { # LABEL RESULTFILE [RATIO]
  local f=$2 ratio=${3:-}
  [ -n "$ratio" ] || ratio=$(awk -v a="$(get "$f" rps)" -v c="$fr_rps" 'BEGIN { if (c > 0) printf "%.4f (1/%.0f)", a / c, c / a; else print "-" }')
  row "$1" "$(printf '%.0f' "$(get "$f" rps)")" "$(get "$f" p50)" "$(get "$f" p95)" "$(get "$f" p99)" "$(cpu "$f" cpu)" "$(cpu "$f" server_cpu)" "$ratio"
}
for name in pickup smtp; do
  line "RadiusEmailOtp $name: PIN -> Access-Challenge" "$work/$name.pin"
  line "RadiusEmailOtp $name: OTP + State -> Access-Accept" "$work/$name.otp"
done
[ "$fr" = 1 ] && line "FreeRADIUS: PAP -> Access-Accept" "$work/fr.pap" 1
echo "  (CPU: the load client's and the server's CPU time per request, and as a share of one core over the step)"
for name in pickup smtp; do
  echo "  $name PIN step: $(get "$work/$name.pin" mails) mails for $USERS users, $(get "$work/$name.pin" duplicates) duplicates," \
    "$(get "$work/$name.pin" unanswered) + $(get "$work/$name.otp" unanswered) unanswered (PIN + OTP); server after the logins: $(cat "$work/$name.mem")"
done
f="$work/storm.result"
echo "  storm ($STORM_USERS PINs at $STORM_RATE/s): $(get "$f" challenges) challenges answered within ${STORM_WINDOW} s, $(get "$f" rejects) rejects," \
  "$(get "$f" unanswered) unanswered; $(get "$f" mails) mails, $(get "$f" duplicates) duplicates," \
  "$(get "$f" challenged_without_mail) challenged users without a mail; reply p50 $(get "$f" p50) ms, p99 $(get "$f" p99) ms"
