#!/usr/bin/env bash
# Builds the browser viewer into target/web/: a static site (index.html at its root) that any
# static file server serves, e.g.  python3 -m http.server -d target/web
#
#   target/web/index.html          the page (crates/web/site/index.html)
#   target/web/stickyviz.js        wasm-bindgen's loader
#   target/web/stickyviz_bg.wasm   the viewer (crates/web, release build)
#   target/web/lessons/NAME.json.gz  every lesson's recording (docs/recordings, gzip -9)
#   target/web/fonts/cjk.otf       Noto Sans CJK SC cut to the app's strings + GB 2312 level 1
#
# Needs: rustup's wasm32-unknown-unknown target, wasm-bindgen-cli 0.2.130 (the version in
# Cargo.lock; installed here when missing), python3 (a venv with scripts/web-requirements.txt) and the
# fonts-noto-cjk package (apt). WEB_OUT overrides the output folder.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${WEB_OUT:-target/web}"
target_dir="${CARGO_TARGET_DIR:-target}"
tools="${STICKYVIZ_WEB_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/stickyviz-web}"
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
cjk_ttc=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
cjk_face=2 # the TTC's Simplified Chinese face (fc-scan: 2 = Noto Sans CJK SC)

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen_version\$"; then
  echo "== wasm-bindgen-cli $bindgen_version"
  # --locked first; a registry mirror missing one of its locked versions gets the newest
  # compatible ones instead (the CLI's output format is the version's, not its dependencies')
  cargo install --locked wasm-bindgen-cli --version "$bindgen_version" ||
    cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

echo "== the viewer for wasm32-unknown-unknown"
cargo build --locked --profile web --target wasm32-unknown-unknown -p stickyviz-web --bin stickyviz-web
mkdir -p "$out/lessons" "$out/fonts"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name stickyviz \
  "$target_dir/wasm32-unknown-unknown/web/stickyviz-web.wasm"
cp crates/web/site/index.html "$out/index.html"

echo "== the lessons' recordings"
for rec in docs/recordings/*.json; do
  name=$(basename "$rec" .json)
  gzip -9 -n -c "$rec" >"$out/lessons/$name.json.gz"
done

echo "== the CJK font subset"
if [ ! -f "$cjk_ttc" ]; then
  echo "no $cjk_ttc: install fonts-noto-cjk (apt); 中文 would show boxes" >&2
  exit 1
fi
venv="$tools/venv"
if ! cmp -s scripts/web-requirements.txt "$venv/requirements.txt"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r scripts/web-requirements.txt
  cp scripts/web-requirements.txt "$venv/requirements.txt"
fi
chars="$tools/chars.txt"
"$venv/bin/python" - "$chars" <<'PY'
# Every character of the i18n table and the lessons (the Rust sources hold them all), the
# printable ASCII and Latin-1 punctuation the lanes use, and GB 2312 level 1: the 3,755
# common hanzi (rows 16-55 of the GB 2312 grid, bytes 0xB0A1-0xD7F9).
import pathlib, sys
text = set()
for path in pathlib.Path("crates").rglob("*.rs"):
    text |= set(path.read_text(encoding="utf-8"))
for row in range(0xB0, 0xD8):
    for cell in range(0xA1, 0xFF):
        try:
            text.add(bytes([row, cell]).decode("gb2312"))
        except UnicodeDecodeError:
            pass  # the unassigned cells at the end of row 55
text |= {chr(c) for c in range(0x20, 0x7F)}
text |= set("，。、；：？！“”‘’（）《》【】…—·")
pathlib.Path(sys.argv[1]).write_text("".join(sorted(c for c in text if c.isprintable())), encoding="utf-8")
PY
# the same characters give the same font: cut it again only when they change
stamp="$out/fonts/cjk.chars"
if ! cmp -s "$chars" "$stamp" || [ ! -f "$out/fonts/cjk.otf" ]; then
  "$venv/bin/pyftsubset" "$cjk_ttc" --font-number="$cjk_face" --text-file="$chars" \
    --layout-features='*' --no-hinting --desubroutinize --output-file="$out/fonts/cjk.otf"
  cp "$chars" "$stamp"
fi

echo "== target/web, gzip -9 sizes (what a server that compresses sends)"
for f in "$out/index.html" "$out/stickyviz.js" "$out/stickyviz_bg.wasm" "$out/fonts/cjk.otf"; do
  printf '%10d B  %10d B gz  %s\n' "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)" "$f"
done
printf '%10s    %10d B gz  %s\n' "" "$(cat "$out"/lessons/*.json.gz | wc -c)" "$out/lessons/ (all)"
echo "serve it: python3 -m http.server -d $out   then open http://localhost:8000/?lesson=slow-reader"
