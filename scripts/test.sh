#!/usr/bin/env bash
# The test command of README.md: installs what the tests need, then builds and tests stickyviz
# with and without the GUI.
#
# The GUI snapshot tests render on Mesa's software renderer (no GPU needed) and the Chinese
# labels need a CJK font; both come from Debian/Ubuntu packages. Windows and macOS are checked
# from here: clippy for their targets (no SDK needed), the Windows CLI linked with mingw and
# its key lessons run under Wine. Last, the Linux wheel (`pip install stickyviz`) is built from the
# tests' target/debug and installed into a fresh venv (scripts/wheel.sh --dev).
set -euo pipefail
cd "$(dirname "$0")/.."

# xvfb, xdotool and imagemagick: tests/real_window.rs runs the real binary on a virtual X
# display, clicks File → Save with a real pointer and screenshots the lanes.
# iproute2 (ip, tc) shapes the link lessons' loopback (tests/link.rs, tests/lessons.rs).
# mingw links the Windows CLI and Wine runs its lessons (scripts/wine.sh).
# python3 runs the course's own programs under `stickyviz trace` (tests/trace.rs).
# tshark reads the pcapng export back as Wireshark would (tests/pcapng.rs: Follow TCP Stream,
# tcp.analysis); asked first not to install dumpcap setuid, so the install never prompts.
# chromium and chromium-driver: the browser viewer's checks (scripts/web_test.py, headless over
# WebDriver); python3-venv for their pinned Python tools (scripts/web-requirements.txt).
packages=(iproute2 fonts-noto-cjk mesa-vulkan-drivers libgl1-mesa-dri xvfb xdotool imagemagick python3 gcc-mingw-w64-x86-64 wine64 tshark chromium chromium-driver python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "wireshark-common wireshark-common/install-setuid boolean false" | { [ "$(id -u)" = 0 ] && debconf-set-selections || sudo debconf-set-selections; } 2>/dev/null || true
  if [ "$(id -u)" = 0 ]; then
    echo "== installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "error: the tests need these packages: ${missing[*]} (apt-get install them as root)" >&2
    exit 1
  fi
fi

# winit and wgpu warn without it; any private directory will do.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"

echo "== format (rustfmt.toml): the tree as rustfmt writes it"
rustup component add rustfmt >/dev/null 2>&1 || true
cargo fmt --check

echo "== engine, framing, analysis, CLI without the GUI"
cargo build --no-default-features --locked
cargo test --workspace --no-default-features --locked

echo "== everything, GUI included"
cargo test --workspace --locked

echo "== clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy --workspace --no-default-features --all-targets --locked -- -D warnings

# The viewer half (framing, i18n, facts, view, panels) builds for wasm32-unknown-unknown with
# no socket, thread or file code: stickyviz-web, which web.sh builds, depends on all of it, so
# one wasm build checks both (a separate one would compile egui for wasm twice).
rustup target add wasm32-unknown-unknown

echo "== the browser viewer: scripts/web.sh builds target/web; a headless Chromium checks it"
./scripts/web.sh
"${XDG_CACHE_HOME:-$HOME/.cache}/stickyviz-web/venv/bin/python" scripts/web_test.py target/web

echo "== Windows and macOS: clippy (checking needs no SDK; the GUI is checked, not built)"
rustup target add x86_64-pc-windows-gnu aarch64-apple-darwin
for target in x86_64-pc-windows-gnu aarch64-apple-darwin; do
  # The library and the binary: the tests and benches drive Linux sockets and run here.
  cargo clippy --workspace --target "$target" --locked -- -D warnings
  cargo clippy --workspace --target "$target" --no-default-features --locked -- -D warnings
done

./scripts/wine.sh

# Last: its build of target/debug/stickyviz (stripped, without the dev-dependencies' features)
# replaces the one the tests ran; ~60 s after `cargo test`. The release wheels, Windows
# included, are scripts/wheel.sh's, run by hand: two release builds (docs/performance.md).
echo "== pip install stickyviz: the Linux wheel from this build, in a fresh venv"
./scripts/wheel.sh --dev
