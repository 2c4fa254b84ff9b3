#!/usr/bin/env bash
# Recognition quality on real speech: leave-one-speaker-out over a corpus folder, every model
# with the classic, prosody and full presets, with and without per-speaker normalisation.
# Prints one line per configuration: preset, model, speaker-norm, accuracy, UAR, macro-F1.
# Usage: benches/recognition.sh [CORPUS_DIR] [EMOSCOPE_BINARY]
set -euo pipefail
corpus=${1:-../shared/fixtures/ravdess}
bin=${2:-target/release/emoscope}
printf '%-17s %-8s %-6s %6s %6s %6s\n' preset model znorm acc UAR F1
for preset in classic prosody full; do
  for model in svm knn rf logreg nb; do
    for norm in "" "--speaker-norm"; do
      grid=()
      case $model in
        svm) grid=(--grid c=0.1,1,10) ;;
        knn) grid=(--grid k=3,5,9,15) ;;
        rf) grid=(--grid trees=300) ;;
        logreg) grid=(--grid alpha=0,1,10) ;;
      esac
      "$bin" --corpus "$corpus" train --preset "$preset" --model "$model" "${grid[@]}" \
        --protocol loso $norm --json 2>/dev/null |
        python3 -c "import json,sys; s=json.load(sys.stdin)['scores']; print('%-17s %-8s %-6s %6.3f %6.3f %6.3f' % (sys.argv[1], sys.argv[2], sys.argv[3], s['accuracy'], s['uar'], s['macro_f1']))" \
          "$preset" "$model" "${norm:+yes}"
    done
  done
done
