#!/usr/bin/env bash
# Recognition quality on real speech (issue 13's table): leave-one-speaker-out over a corpus
# folder, preset × model × normalisation (per speaker from all clips, from 12 enrolment clips,
# none). Features are extracted (and cached) first, timed per preset; each row's time is then
# the training and evaluation alone (wall, whole process).
# Compare with the Python peers in ../shared/fixtures/ravdess/README.md (same six folds).
# Usage: benches/recognition.sh [CORPUS_DIR] [EMOSCOPE_BINARY]
set -euo pipefail
corpus=${1:-../shared/fixtures/ravdess}
bin=${2:-target/release/emoscope}
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export EMOSCOPE_CACHE=$cache

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
for preset in prosody full large; do
  t0=$(now)
  "$bin" --corpus "$corpus" features --preset "$preset" --out "$cache/$preset.csv" >/dev/null
  printf 'extract %-8s %6s s (cold, then cached)\n' "$preset" "$(since "$t0")"
done
printf '%-8s %-34s %-10s %6s %6s %6s %7s\n' preset model norm acc UAR F1 time
row() {
  local preset=$1 label=$2 norm=$3
  shift 3
  local flags=()
  case $norm in
    all) flags=(--speaker-norm) ;;
    enrol12) flags=(--speaker-norm --enrol 12) ;;
  esac
  local t0
  t0=$(now)
  "$bin" --corpus "$corpus" train --preset "$preset" --protocol loso "${flags[@]}" "$@" --json 2>/dev/null |
    python3 -c "import json,sys; s=json.load(sys.stdin)['scores']; print('%-8s %-34s %-10s %6.3f %6.3f %6.3f' % (sys.argv[1], sys.argv[2], sys.argv[3], s['accuracy'], s['uar'], s['macro_f1']), end='')" \
      "$preset" "$label" "$norm"
  printf ' %6ss\n' "$(since "$t0")"
}
for norm in all enrol12 none; do
  row prosody "logreg c=0.01,0.1,1" $norm --model logreg --grid c=0.01,0.1,1
  row full "logreg c=0.01,0.1,1" $norm --model logreg --grid c=0.01,0.1,1
  row full "ensemble (C=1, C=1), select 200" $norm --model ensemble --grid logreg.c=1 --grid svm.c=1 --select 200
  row large "logreg c=0.001,0.01,0.1" $norm --model logreg --grid c=0.001,0.01,0.1
  row large "svm c=1,10, select 2000" $norm --model svm --grid c=1,10 --select 2000
  row large "logreg c=0.001,0.01,0.1, select 2000" $norm --model logreg --grid c=0.001,0.01,0.1 --select 2000
  row large "ensemble (C=1, C=1), select 2000" $norm --model ensemble --grid logreg.c=1 --grid svm.c=1 --select 2000
done
