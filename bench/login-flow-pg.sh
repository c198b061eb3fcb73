# Sourced by bench/login-flow.sh when STORE=postgresql: the PIN/OTP flow on a PostgreSQL store with 1 and 2 nodes.
# Uses login-flow.sh's helpers (lc, write_config, write_csv, import_tokens, wait_udp, stop, get, memory, log_summary).
# The cluster is a throw-away one (initdb as the postgres user when run as root, as the tests do) with PostgreSQL's
# default durability (fsync on, synchronous_commit on), so the numbers compare with SQLite's fsynced commits.
# PG_SETTINGS adds server settings, e.g. PG_SETTINGS="-c commit_delay=200 -c commit_siblings=2" to try PostgreSQL's own
# group commit (WAL flushes shared by concurrent commits) against its default.

PG_PASSWORD=bench-password

pg_bin() { # the newest /usr/lib/postgresql/*/bin (Debian keeps the tools there, off PATH), else pg_ctl's directory on PATH
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) "$(dirname "$(readlink -f "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")")"; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ]; then echo "$d"; return 0; fi
  done
  return 1
}

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_start() {
  PG_BIN=$(pg_bin) || { echo "PostgreSQL not installed (apt-get install postgresql): initdb/pg_ctl not found" >&2; exit 1; }
  pgdir=$(mktemp -d /tmp/login-flow-pg.XXXXXX)
  printf '%s\n' "$PG_PASSWORD" > "$pgdir/pwfile"
  printf '%s\n' "$PG_PASSWORD" > "$work/db.secret"
  chmod 600 "$work/db.secret"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$pgdir"; fi
  (cd / && as_pg "$PG_BIN/initdb" -D "$pgdir/data" -U postgres --pwfile="$pgdir/pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --no-locale > "$pgdir/initdb.log" 2>&1) || { cat "$pgdir/initdb.log" >&2; exit 1; }
  pg_port=$(lc free-port tcp)
  (cd / && as_pg "$PG_BIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pgdir -c max_connections=200 ${PG_SETTINGS:-}" start > /dev/null) \
    || { cat "$pgdir/server.log" >&2; exit 1; }
  echo "  PostgreSQL $("$PG_BIN/postgres" -V | awk '{ print $3 }') on 127.0.0.1:$pg_port (throw-away cluster, default durability${PG_SETTINGS:+; $PG_SETTINGS})"
}

pg_stop() {
  (cd / && as_pg "$PG_BIN/pg_ctl" -D "$pgdir/data" -m fast -w stop > /dev/null 2>&1) || true
  rm -rf "$pgdir"
  pgdir=
}

# pg_step NODES PREFIX COUNT LABEL [RESULT]: the users split into NODES parts; part k sends the PIN to node k and the
# OTP (+ State) to node k+1 (with one node both go to it). All parts run at once; one result file per part.
pg_step() {
  local n=$1 prefix=$2 count=$3 label=$4 result=${5:-} k first users a b extra=() cpids=()
  for step in pin otp; do
    cpids=()
    for k in $(seq 0 $((n - 1))); do
      users=$((count / n)); first=$((1 + k * users))
      [ "$k" -lt $((n - 1)) ] || users=$((count - k * users))
      a=$k; b=$(((k + 1) % n))
      local node=$a; [ "$step" = pin ] || node=$b
      extra=(); [ -z "$result" ] || extra=(--result "$result.$step.$k" --warmup 500 --server-pid "${spids[$node]}")
      [ "$step" = otp ] || extra+=(--mail-wait 60)
      lc "$step" --server "127.0.0.1:${ports[$node]}" --secret "$SECRET" --parallel "$((PARALLEL / n))" --timeout "$TIMEOUT" \
        --prefix "$prefix" --first "$first" --users "$users" --state-file "$base/$prefix.$k.state" --mail-dir "$base/mail" \
        --label "$label $step part $((k + 1))/$n (node $node)" "${extra[@]}" &
      cpids+=($!)
    done
    for k in "${cpids[@]}"; do wait "$k"; done
  done
}

# run_pg NODES: a fresh database, NODES configs (one data_dir each, the same encryption.key), import, serve, flow, stop.
run_pg() {
  local n=$1 i nd p
  base="$work/pg$n"
  echo
  echo "== RadiusEmailOtp on PostgreSQL, $n node(s) on one database, $USERS users, pickup provider =="
  mkdir -p "$base/mail"
  (cd / && as_pg "$PG_BIN/psql" -q -h "$pgdir" -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE bench$n;")
  ports=(); spids=()
  for i in $(seq 0 $((n - 1))); do
    nd="$base/node$i"
    mkdir -p "$nd/data"
    chmod 700 "$nd/data"
    p=$(lc free-port udp)
    ports+=("$p")
    write_config "$nd" "$p" pickup
    sed -i "s|DIRECTORY = \"$nd/mail\"|DIRECTORY = \"$base/mail\"|" "$nd/config.toml"
    cat >> "$nd/config.toml" <<TOML

[store]
kind = "postgresql"
connection = "Host=127.0.0.1;Port=$pg_port;Database=bench$n;Username=postgres;Password_File=$work/db.secret"
node = "node$i"
TOML
  done
  write_csv "$base/tokens.csv" "$USERS"
  import_tokens "$base/node0/config.toml" "$base/tokens.csv"
  for i in $(seq 1 $((n - 1))); do install -m 600 "$base/node0/data/encryption.key" "$base/node$i/data/encryption.key"; done
  for i in $(seq 0 $((n - 1))); do
    nd="$base/node$i"
    (cd "$nd" && exec dotnet "$work/bin/radius-email-otp.dll" serve --config "$nd/config.toml" > "$nd/server.log" 2>&1) &
    spids+=($!)
    pids+=($!)
    wait_udp "${ports[$i]}"
  done
  pg_step "$n" warm "$WARM" "warm-up" > "$base/warmup.log"
  sleep 3
  pg_step "$n" bench "$USERS" "PostgreSQL $n node(s)" "$work/pg$n"
  for i in $(seq 0 $((n - 1))); do
    echo "  node$i memory: $(memory "${spids[$i]}")"
    stop "${spids[$i]}"
    log_summary "$base/node$i/server.log"
  done
}

# sum_rps FILE-PREFIX STEP NODES: the parts ran at once, so the deployment's rate is the sum of theirs.
sum_rps() {
  local k total=0
  for k in $(seq 0 $(($3 - 1))); do total=$(awk -v t="$total" -v r="$(get "$1.$2.$k" rps)" 'BEGIN { print t + r }'); done
  printf '%.0f' "$total"
}

run_postgres() {
  echo
  echo "== PostgreSQL store: throw-away cluster =="
  pg_start
  run_pg 1
  run_pg 2
  echo
  echo "== Summary (PostgreSQL): $USERS users, $PARALLEL in flight in all, Release build, $(nproc) cores shared by the client, the nodes and PostgreSQL =="
  printf '  %-44s %10s %8s %8s %8s %10s %10s\n' "" "requests/s" "p50 ms" "p95 ms" "p99 ms" "mails" "unanswered"
  local n step k
  for n in 1 2; do
    for step in pin otp; do
      printf '  %-44s %10s\n' "$n node(s), $step step (sum of the parts)" "$(sum_rps "$work/pg$n" "$step" "$n")"
      for k in $(seq 0 $((n - 1))); do
        local f="$work/pg$n.$step.$k"
        printf '  %-44s %10.0f %8s %8s %8s %10s %10s\n' "    part $((k + 1))/$n" "$(get "$f" rps)" "$(get "$f" p50)" "$(get "$f" p95)" "$(get "$f" p99)" \
          "$(get "$f" mails)" "$(get "$f" unanswered)"
      done
    done
  done
  echo "  (2 nodes: PIN on one node, OTP on the other for every user; on 2 shared cores a second node adds no CPU, so the"
  echo "   rate shows the cost of sharing state across processes, not the scale-out of separate machines)"
}
