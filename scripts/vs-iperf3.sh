#!/usr/bin/env bash
# Whole-process wall time of `stickyviz run --preset firehose` (1 GiB in 64 KiB writes) against
# iperf3 moving the same 1 GiB in 64 KiB writes on 127.0.0.1, in pairs: each round runs both,
# the order alternating, so a busy moment of a shared machine falls on both sides.
# Prints each command's median and the median of the per-round ratios (docs/performance.md).
#
#   scripts/vs-iperf3.sh [ROUNDS] [BINARY...]   defaults: 12 rounds, target/release/stickyviz
#
# Several binaries (e.g. a build from before a change) are timed in the same rounds.
# Needs iperf3 (apt-get install iperf3) and python3; run as root to include the segment
# capture, as a user the run has no capture (its lane says so).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-12}"
shift || true
binaries=("$@")
[ ${#binaries[@]} -eq 0 ] && binaries=("${CARGO_TARGET_DIR:-target}/release/stickyviz")
port="${IPERF3_PORT:-5252}"
pidfile="$(mktemp)"
iperf3 -s -D -p "$port" --pidfile "$pidfile"
trap 'kill "$(cat "$pidfile")" 2>/dev/null; rm -f "$pidfile"' EXIT
sleep 0.3
cmds=()
for b in "${binaries[@]}"; do cmds+=("$b run --preset firehose"); done
cmds+=("iperf3 -c 127.0.0.1 -p $port -n 1G -l 64K")
python3 - "$rounds" "${cmds[@]}" <<'EOF'
import statistics, subprocess, sys, time
rounds, cmds = int(sys.argv[1]), sys.argv[2:]
times = [[] for _ in cmds]
for r in range(rounds):
    order = range(len(cmds)) if r % 2 == 0 else reversed(range(len(cmds)))
    for i in order:
        start = time.perf_counter()
        subprocess.run(cmds[i], shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[i].append(time.perf_counter() - start)
for cmd, ts in zip(cmds, times):
    ratio = statistics.median(a / b for a, b in zip(ts, times[-1]))
    print(f"{statistics.median(ts):6.3f} s median ({min(ts):.3f}-{max(ts):.3f})  {ratio:5.2f}x iperf3 (median of {rounds} pairs)  {cmd}")
EOF
