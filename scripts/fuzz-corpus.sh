#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ with the streams the framing tests use (made by the real encoders,
# in tests/fuzz_corpus.rs) and the smallest recordings from docs/recordings. Only these seed-*
# files are committed; what the fuzzer adds next to them is ignored by git.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="$PWD/fuzz/corpus"
STICKYVIZ_FUZZ_CORPUS="$corpus" cargo test --no-default-features --locked --test fuzz_corpus -- --ignored --exact write_seed_corpus
for name in udp-truncate udp-empty hmac-wrong-key; do
  cp "docs/recordings/$name.json" "$corpus/recording/seed-doc-$name.json"
done
ls "$corpus"/*/seed-* | wc -l | xargs echo "seed files:"
