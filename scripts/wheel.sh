#!/usr/bin/env bash
# The app as Python wheels (pyproject.toml: maturin, `bindings = "bin"`), each one checked.
#
#   scripts/wheel.sh          the release files, into target/wheels/: the Linux wheel (manylinux,
#                             audited by maturin), the Windows wheel (mingw, window included) and
#                             the source distribution. The Windows stickyviz.exe is run from the
#                             wheel under Wine. Not in CI: two release builds, timed in
#                             docs/performance.md. A maintainer runs it before publishing.
#   scripts/wheel.sh --dev    what scripts/test.sh (CI) runs: the Linux wheel from the tests'
#                             own target/debug (only the binary is relinked), into target/wheels-dev/.
#
# Every Linux wheel is installed into a fresh venv; `stickyviz --version` and one lesson are run
# from the venv's bin/. Needs python3 (venv, pip); the release files also need rustup's
# x86_64-pc-windows-gnu target and, from apt, mingw, Wine, Xvfb, xdotool, ImageMagick and Mesa's
# Vulkan (installed here when missing, as root). maturin comes from PyPI, pinned, into
# target/maturin-venv. A missing tool is installed or is an error, never a skipped check.
set -euo pipefail
cd "$(dirname "$0")/.."

# The one maturin version; pyproject.toml's [build-system] pins the same (checked here).
maturin_version=1.16.0
target_dir="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target_dir"
target_abs="$(cd "$target_dir" && pwd)"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"

die() {
  echo "error: $*" >&2
  exit 1
}

grep -qx "requires = \[\"maturin==$maturin_version\"\]" pyproject.toml ||
  die "pyproject.toml's [build-system] must pin maturin==$maturin_version, as this script does"

# python3 -m venv: Debian's python3 needs python3-venv for it (pyenv's and python.org's have it).
new_venv() {
  if ! python3 -m venv "$1" >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "python3 -m venv fails: apt-get install python3-venv"
    echo "== installing python3-venv"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    rm -rf "$1"
    python3 -m venv "$1"
  fi
}

maturin="$target_dir/maturin-venv/bin/maturin"
if [ "$("$maturin" --version 2>/dev/null)" != "maturin $maturin_version" ]; then
  echo "== maturin $maturin_version from PyPI into $target_dir/maturin-venv"
  command -v python3 >/dev/null || die "python3 is missing (apt-get install python3 python3-venv)"
  rm -rf "$target_dir/maturin-venv"
  new_venv "$target_dir/maturin-venv"
  "$target_dir/maturin-venv/bin/pip" install -q "maturin==$maturin_version" ||
    die "pip could not install maturin==$maturin_version"
fi

# The recording a lesson wrote: a stickyviz recording of this version whose counts agree with
# its events (every byte sent was read, each count is its events').
check_recording() { # FILE OS
  python3 - "$1" "$2" "$version" <<'EOF'
import json, sys
path, os_name, version = sys.argv[1:]
rec = json.load(open(path, encoding="utf-8"))
def must(ok, what):
    if not ok:
        sys.exit(f"error: {path}: {what}")
must(rec.get("format") == "stickyviz-recording", "not a stickyviz recording")
must(rec.get("app_version") == version, f"app_version {rec.get('app_version')}, expected {version}")
must(rec.get("os") == os_name, f"os {rec.get('os')}, expected {os_name}")
must(rec.get("preset") == "slow-reader", "not the slow-reader lesson")
events, summary = rec["events"], rec["summary"]
def of(kind):
    return [e for e in events if e["kind"] == kind]
sent = sum(e["len"] for e in of("message"))
read = sum(e["len"] for e in of("read"))
must(len(of("message")) == summary["messages"] > 0, "messages counted differ from message events")
must(len(of("read")) == summary["reads"] > 0, "reads counted differ from read events")
must(sent == read == summary["bytes_sent"] == summary["bytes_received"], f"{sent} B sent, {read} B read")
print(f"   {path}: a recording, {summary['messages']} messages, {sent} B sent = read in {summary['reads']} reads")
EOF
}

# The files of a wheel, listed; fails unless FILE is among them.
list_wheel() { # WHEEL FILE
  python3 - "$1" "$2" <<'EOF'
import sys, zipfile
wheel, wanted = sys.argv[1:]
names = zipfile.ZipFile(wheel).namelist()
for info in zipfile.ZipFile(wheel).infolist():
    print(f"   {info.file_size:>10}  {info.filename}")
if wanted not in names:
    sys.exit(f"error: {wheel} has no {wanted}")
EOF
}

# pip install WHEEL into a fresh venv, then the command from the venv's bin/.
check_linux_wheel() { # WHEEL
  local wheel="$1" tmp
  echo "== $wheel"
  list_wheel "$wheel" "stickyviz-$version.data/scripts/stickyviz"
  tmp="$(mktemp -d)"
  new_venv "$tmp/venv"
  "$tmp/venv/bin/pip" install -q --no-index --no-deps "$wheel"
  local said
  said="$("$tmp/venv/bin/stickyviz" --version)"
  [ "$said" = "stickyviz $version" ] || die "$tmp/venv/bin/stickyviz --version said '$said'"
  echo "   $tmp/venv/bin/stickyviz --version: $said"
  "$tmp/venv/bin/stickyviz" --lang en run --preset slow-reader --json "$tmp/x.json" >/dev/null
  check_recording "$tmp/x.json" linux
  rm -rf "$tmp"
}

if [ "${1:-}" = "--dev" ]; then
  # The dev profile with the default features, as `cargo test` built them: cargo reuses
  # target/debug except getrandom 0.4, tempfile, egui_kittest and stickyviz (the dev-dependencies
  # turn on getrandom's std in test builds) and links the binary stripped (pyproject.toml):
  # 60 s after `cargo test`, 10 s again (docs/performance.md). The tag is the build machine's glibc.
  rm -rf "$target_dir/wheels-dev"
  "$maturin" build --locked --profile dev --out "$target_dir/wheels-dev"
  check_linux_wheel "$target_dir/wheels-dev/stickyviz-$version-py3-none-"*linux*.whl
  exit 0
fi
[ $# = 0 ] || die "usage: scripts/wheel.sh [--dev]"

packages=(gcc-mingw-w64-x86-64 wine64 xvfb xdotool imagemagick mesa-vulkan-drivers)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "the Windows wheel's checks need: apt-get install ${missing[*]}"
  echo "== installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Only what is uploaded goes into target/wheels/ (maturin upload target/wheels/*); the checks'
# screenshots and logs into target/wheel-checks/.
out="$target_dir/wheels"
checks="$target_dir/wheel-checks"
rm -rf "$out"
mkdir -p "$checks"

echo "== Linux wheel: release, manylinux tag checked by maturin's auditwheel"
# check, not repair: the binary must need no library outside the manylinux set (the window's
# libGL, Vulkan, X11 and Wayland are opened at run time from the desktop's own).
"$maturin" build --locked --release --compatibility pypi --auditwheel check --out "$out"
check_linux_wheel "$out/stickyviz-$version-py3-none-manylinux_"*.whl

echo "== Windows wheel: mingw (x86_64-pc-windows-gnu), window included"
rustup target add x86_64-pc-windows-gnu >/dev/null 2>&1 || true
rustup target list --installed | grep -qx x86_64-pc-windows-gnu || die "rustup target add x86_64-pc-windows-gnu failed"
"$maturin" build --locked --release --target x86_64-pc-windows-gnu --compatibility pypi --out "$out"
win_wheel="$(echo "$out/stickyviz-$version-py3-none-win_amd64.whl")"
echo "== $win_wheel"
list_wheel "$win_wheel" "stickyviz-$version.data/scripts/stickyviz.exe"

echo "== the Windows stickyviz.exe from the wheel, under Wine"
wine="${WINE:-$(command -v wine64 || command -v wine || echo /usr/lib/wine/wine64)}"
[ -x "$wine" ] || die "wine is not installed (apt-get install wine64)"
export WINE="$wine" WINEPREFIX="$target_abs/wine-prefix" WINEDEBUG=-all
# Every Wine process of this check on one virtual X display. With the window's display set only
# for the window, it once never appeared (the .exe idle at 0 s of CPU) while the Wine session of
# the display-less runs before it was still up; one display for the whole session avoids that.
for tool in Xvfb xdotool import; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install xvfb xdotool imagemagick mesa-vulkan-drivers)"
done
# -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
: >"$checks/xvfb-display"
Xvfb -displayfd 4 -screen 0 1280x800x24 -nolisten tcp 4>"$checks/xvfb-display" >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 300); do
  [ -s "$checks/xvfb-display" ] && break
  sleep 0.1
done
[ -s "$checks/xvfb-display" ] || die "Xvfb did not start within 30 s"
export DISPLAY=":$(cat "$checks/xvfb-display")"
[ -f "$WINEPREFIX/system.reg" ] || "$wine" wineboot -i >/dev/null 2>&1
unpacked="$(mktemp -d)"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$win_wheel" "$unpacked"
exe_dir="$unpacked/stickyviz-$version.data/scripts"
# Wine 8 lacks ProcessPrng (scripts/wine-prng/prng.c): its stand-in goes beside the unpacked
# .exe for this check only; the wheel itself holds nothing but the .exe.
scripts/wine-prng/build.sh "$exe_dir" >/dev/null
said="$("$wine" "$exe_dir/stickyviz.exe" --version | tr -d '\r')"
[ "$said" = "stickyviz $version" ] || die "stickyviz.exe --version under Wine said '$said'"
echo "   stickyviz.exe --version: $said"
"$wine" "$exe_dir/stickyviz.exe" --lang en run --preset slow-reader --json "Z:${unpacked//\//\\}\\x.json" >/dev/null
check_recording "$unpacked/x.json" windows

echo "== its window, under Wine on a virtual X display"
# wgpu picks Direct3D 12 on Windows; Wine 8's (vkd3d) cannot compile wgpu's shaders ("Unknown
# compilation target cs_5_1": the window closes with "Parent device is lost"), so under Wine the
# window draws with Vulkan (Wine's winevulkan on Mesa's lavapipe). Real Windows has Direct3D 12.
window_log="$checks/windows-window.log"
WGPU_BACKEND=vulkan "$wine" "$exe_dir/stickyviz.exe" --lang en >"$window_log" 2>&1 &
gui=$!
# This check's Wine session (its prefix's wineserver and what it started) ends before its X
# display, or Wine's desktop process prints a fatal X error on the way out.
wineserver="$(command -v wineserver || echo "$(dirname "$wine")/wineserver64")"
stop_window() {
  kill "$gui" 2>/dev/null || true
  wait "$gui" 2>/dev/null || true
  if [ -x "$wineserver" ]; then
    "$wineserver" -k 2>/dev/null || true
    "$wineserver" -w 2>/dev/null || true
  fi
  kill "$xvfb" 2>/dev/null || true
  wait "$xvfb" 2>/dev/null || true
}
# The window appears; then the lesson runs and is drawn (seconds on a software renderer).
if ! timeout 180 xdotool search --sync --onlyvisible --name '^stickyviz' >/dev/null; then
  stop_window
  die "no stickyviz window under Wine within 180 s ($window_log)"
fi
sleep 30
alive=yes
kill -0 "$gui" 2>/dev/null || alive=no
import -window root "$checks/windows-window.png"
stop_window
# A window that failed to draw leaves the screen one flat colour (black: standard deviation 0);
# the drawn lesson, light or dark theme, has text and lanes (0.21 measured).
contrast="$(convert "$checks/windows-window.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)"
[ "$alive" = yes ] || die "the window closed by itself ($window_log)"
python3 -c "import sys; sys.exit(float(sys.argv[1]) < 0.05)" "$contrast" ||
  die "the window drew nothing (grey standard deviation $contrast): $checks/windows-window.png, $window_log"
echo "   the window opened and drew the lesson (grey standard deviation $contrast): $checks/windows-window.png"
rm -rf "$unpacked"

echo "== source distribution (macOS and any other platform: pip builds it with Rust installed)"
"$maturin" sdist --out "$out"
sdist="$out/stickyviz-$version.tar.gz"
sdist_files="$(tar -tzf "$sdist")"
for f in pyproject.toml Cargo.toml Cargo.lock README.md src/main.rs crates/engine/Cargo.toml crates/view/src/lib.rs; do
  grep -qx "stickyviz-$version/$f" <<<"$sdist_files" || die "$sdist has no $f"
done
echo "   $sdist: $(wc -l <<<"$sdist_files") files, $(du -k "$sdist" | cut -f1) KB"
echo "== the sdist built by pip, as on macOS (maturin from PyPI in pip's build env)"
# With the same target dir cargo reuses what the release build compiled, but only after finding
# every file the compiler read (its dep-info) in the unpacked sdist: one left out is a rebuild
# that fails. maturin leaves this build's wheel (tag linux_x86_64, which PyPI refuses) in the
# target dir's wheels/ too: removed, so that only the files to upload stay there.
rm -rf "$checks/from-sdist"
CARGO_TARGET_DIR="$target_abs" "$target_dir/maturin-venv/bin/pip" wheel -q --no-deps -w "$checks/from-sdist" "$sdist"
rm -f "$out/stickyviz-$version-py3-none-linux_x86_64.whl"
check_linux_wheel "$checks/from-sdist/stickyviz-$version-"*.whl

echo "== built, to upload:"
ls -l "$out"
[ "$(find "$out" -type f | wc -l)" = 3 ] || die "$out should hold the two wheels and the sdist, nothing else"
