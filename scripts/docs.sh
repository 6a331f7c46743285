#!/usr/bin/env bash
# Regenerates every picture in docs/ from its recording, with `stickyviz render`.
#
#   scripts/docs.sh            pictures from the committed recordings (same pixels every time)
#   scripts/docs.sh --record   first record each lesson again with a live run (numbers change!),
#                              then the pictures; re-read the lesson pages afterwards
#
# tests/docs.rs fails when a committed picture no longer matches what its recording renders.
# The PNG renderer is Mesa's llvmpipe (no GPU); see scripts/test.sh for the packages.
set -euo pipefail
cd "$(dirname "$0")/.."
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"

record=false
[ "${1:-}" = "--record" ] && record=true

cargo build --quiet --locked
bin="${CARGO_TARGET_DIR:-target}/debug/stickyviz"

# Extra `run` flags for a lesson whose full run would make a recording too big to commit.
# firehose is 1 GiB in 64 KiB writes (16,384 sends); the recording keeps every byte sent,
# about 4 bytes of JSON per byte, so its lesson records 6 of them (384 KiB, a ~1.4 MB file).
record_flags() {
  case "$1" in
    firehose) echo "--count 6" ;;
  esac
}

for preset in $("$bin" presets | awk '{print $1}'); do
  rec="docs/recordings/$preset.json"
  if $record || [ ! -f "$rec" ]; then
    echo "== recording $preset (live run)"
    # shellcheck disable=SC2046
    # exit status 1 = the run ended with decode errors, which some lessons show on purpose
    # (naive-header, send-vs-sendall); the recording is written all the same
    "$bin" run --preset "$preset" $(record_flags "$preset") --json "$rec" >/dev/null || [ $? -eq 1 ]
  fi
  echo "== pictures of $preset"
  "$bin" render "$rec" --out "docs/images/lessons/$preset.png" --lang en
  "$bin" render "$rec" --out "docs/images/lessons/$preset.zh.png" --lang zh
  # the window's story is told over time too (ACK point, window edge)
  if [ "$preset" = flow-control ]; then
    "$bin" render "$rec" --out "docs/images/lessons/$preset.time.png" --lang en --view time
    "$bin" render "$rec" --out "docs/images/lessons/$preset.time.zh.png" --lang zh --view time
  fi
  # the SVG draws the TCP lanes; a UDP-only lesson has none
  if ! grep -q '"transports":"udp"' "$rec"; then
    "$bin" render "$rec" --out "docs/images/lessons/$preset.svg" --theme light --lang en
  fi
done

