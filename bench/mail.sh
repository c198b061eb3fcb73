#!/usr/bin/env bash
# Mail throughput of the e-mail path, with bench/MailBench (a Release build):
#   - the pickup provider, 64 senders at once: pre-composed mails, batched flush (syncfs on Linux) and, for
#     comparison, the per-file fsyncs other systems use; then 1024 at once; then compose + pickup through EmailServices;
#   - the composer alone, one thread (built-in text and the shipped HTML template);
#   - the SMTP provider against a loopback sink in the same process, POOL_SIZE 1, 4 and 8.
# A measurement, not a test: it prints mails/s, CPU per mail and latency; nothing asserts a time. The machine's load
# average is printed first: other work on the same cores (and, for syncfs, on the same file system) moves the figures.
#
#   bench/mail.sh [MAILS] [CONCURRENCY]      (default 10000 and 64; PICKUP_DIR=... picks the file system, default TMPDIR)
set -euo pipefail
cd "$(dirname "$0")/.."
MAILS=${1:-10000}
CONCURRENCY=${2:-64}
work=$(mktemp -d "${TMPDIR:-/tmp}/mailbench.XXXXXX")
pickup=$(mktemp -d "${PICKUP_DIR:-${TMPDIR:-/tmp}}/outbox.XXXXXX")
trap 'rm -rf "$work" "$pickup"' EXIT

dotnet build -c Release bench/MailBench -o "$work/bin" -v q -nologo >/dev/null
run() { dotnet "$work/bin/MailBench.dll" "$@"; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); pickup directory on $(df -T "$pickup" | awk 'NR == 2 { print $2 " " $1 }')"
for variant in syncfs perfile; do
  rm -rf "$pickup/out"
  run pickup "$pickup/out" "$MAILS" "$CONCURRENCY" "$variant"
done
# More mails in flight make bigger batches (the server holds up to 4,096 requests in flight).
rm -rf "$pickup/out"
run pickup "$pickup/out" "$MAILS" 1024 syncfs
rm -rf "$pickup/out"
run sender "$pickup/out" "$MAILS" "$CONCURRENCY"
run compose 20000
run compose 20000 config/mailtemplates/otp-html.eml
for pool in 1 4 8; do
  run smtp "$MAILS" "$CONCURRENCY" "$pool"
done
