# Sourced by the bench scripts: start_server PORT builds the server (Release) into $work/bin, writes a config for
# 127.0.0.1:PORT with reject_delay = 0 and one client "bench" (secret testing123), starts it with its log in
# $work/server.log, adds its pid to pids and sets server_pid, and returns once the port listens.
# Needs $work (a temp directory) and the pids array of the calling script; run from the repository root.

wait_udp() { for _ in $(seq 1 100); do ss -uln | grep -q ":$1 " && return 0; sleep 0.1; done; echo "nothing listens on $1" >&2; return 1; }

start_server() {
  local port=$1
  dotnet build -c Release src/RadiusEmailOtp -o "$work/bin" -v q -nologo >/dev/null
  mkdir -p "$work/data"
  cat > "$work/config.toml" <<TOML
[server]
listen = ["127.0.0.1:$port"]
dictionary = "$PWD/dictionaries/dictionary"
data_dir = "$work/data"
reject_delay = 0

[[client]]
name = "bench"
ipaddr = "127.0.0.1"
secret = "testing123"
TOML
  (cd "$work" && exec dotnet bin/radius-email-otp.dll serve --config config.toml > "$work/server.log" 2>&1) &
  server_pid=$!
  pids+=("$server_pid")
  wait_udp "$port"
}
