#!/usr/bin/env bash
# The cost of tracing (docs/performance.md, "stickyviz trace"): the course's echo server and a
# lockstep client of N 64-byte requests, run plain, under `strace -f -e trace=network -o
# /dev/null` (both programs) and under `stickyviz trace --server … --client …` (both programs),
# ROUNDS times each, interleaved (paired). Prints each run's loop time (the client's own clock)
# and the medians. Usage: scripts/trace_bench.sh [N] [ROUNDS]   (needs python3, strace, and
# target/release/stickyviz: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
rounds=${2:-7}
bin=$(realpath "${STICKYVIZ:-target/release/stickyviz}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
port=$((20000 + RANDOM % 20000))
sed "s/8080/$port/" tests/fixtures/trace/echo_server.py > "$dir/server.py"
cp scripts/trace_bench_client.py "$dir/client.py"
cd "$dir"

wait_port() { for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && return; sleep 0.05; done; }
plain() {
  python3 server.py >/dev/null & local s=$!; wait_port
  python3 client.py "$port" "$n" | awk '{print $2}'
  kill $s; wait $s 2>/dev/null || true
}
under_strace() {
  strace -f -e trace=network -o /dev/null python3 server.py >/dev/null & local s=$!; wait_port
  strace -f -e trace=network -o /dev/null python3 client.py "$port" "$n" | awk '{print $2}'
  # SIGTERM to strace detaches it and leaves the server running: end the server itself
  kill $(pgrep -P $s) 2>/dev/null || true; wait $s 2>/dev/null || true
}
under_stickyviz() {
  "$bin" trace --server "python3 server.py" --client "python3 client.py $port $n" --json /dev/null \
    | sed -n 's/.*│ loop_ms \([0-9.]*\).*/\1/p'
}
# the probe's connection in wait_port is a client too: plain and strace skip it, stickyviz
# waits for bind itself
for mode in plain under_strace under_stickyviz; do : > "$mode.txt"; done
for r in $(seq "$rounds"); do
  for mode in plain under_strace under_stickyviz; do
    "$mode" >> "$mode.txt"
  done
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for mode in plain under_strace under_stickyviz; do
  printf '%-16s median %8s ms   runs: %s\n' "$mode" "$(median "$mode.txt")" "$(tr '\n' ' ' < "$mode.txt")"
done
