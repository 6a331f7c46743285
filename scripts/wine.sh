#!/usr/bin/env bash
# The Windows CLI under Wine: builds stickyviz.exe with mingw (no GUI), the ProcessPrng DLL
# Wine 8 lacks (scripts/wine-prng), sets up the Wine prefix once, then runs tests/wine.rs.
# Needs: rustup target x86_64-pc-windows-gnu, apt gcc-mingw-w64-x86-64 and wine64.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
win="$target_dir/x86_64-pc-windows-gnu/debug"

echo "== Windows CLI: mingw link (x86_64-pc-windows-gnu, no GUI)"
cargo build --locked --no-default-features --target x86_64-pc-windows-gnu --bin stickyviz
scripts/wine-prng/build.sh "$win" >/dev/null

wine="${WINE:-$(command -v wine64 || command -v wine || echo /usr/lib/wine/wine64)}"
if [ ! -x "$wine" ]; then
  echo "error: wine is not installed (apt-get install wine64)" >&2
  exit 1
fi
export WINE="$wine" WINEPREFIX="$PWD/$target_dir/wine-prefix" WINEDEBUG=-all
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  # Seconds the first time only (6.7 s measured on the 2-core CI machine); the prefix is kept.
  echo "== Wine prefix (first time)"
  "$wine" wineboot -i >/dev/null 2>&1
fi

echo "== Windows CLI lessons under Wine"
# Default features: by now CI has built them, so only this test is linked.
cargo test --locked --test wine -- --nocapture
