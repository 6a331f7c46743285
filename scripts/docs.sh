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

for preset in $("$bin" presets | awk '{print $1}'); do
  rec="docs/recordings/$preset.json"
  if $record || [ ! -f "$rec" ]; then
    echo "== recording $preset (live run)"
    "$bin" run --preset "$preset" --json "$rec" >/dev/null
  fi
  echo "== pictures of $preset"
  "$bin" render "$rec" --out "docs/images/lessons/$preset.png" --lang en
  "$bin" render "$rec" --out "docs/images/lessons/$preset.zh.png" --lang zh
  # the SVG draws the TCP lanes; a UDP-only lesson has none
  if ! grep -q '"transports":"udp"' "$rec"; then
    "$bin" render "$rec" --out "docs/images/lessons/$preset.svg" --theme light --lang en
  fi
done

