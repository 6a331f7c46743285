#!/usr/bin/env bash
# Builds bcryptprimitives.dll (ProcessPrng for Wine 8, see prng.c) into the directory given
# (default: beside the Windows debug build of stickyviz).
# Usage: scripts/wine-prng/build.sh [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../target/x86_64-pc-windows-gnu/debug}"
mkdir -p "$out"
x86_64-w64-mingw32-gcc -shared -O2 -static-libgcc -o "$out/bcryptprimitives.dll" \
  "$here/prng.c" "$here/bcryptprimitives.def" -ladvapi32
echo "$out/bcryptprimitives.dll"
