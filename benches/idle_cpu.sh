#!/usr/bin/env bash
# CPU an idle TUI uses: starts the release binary in tmux (80×24) on a corpus, waits until
# the corpus is open, then reads the process's CPU ticks (utime + stime, /proc/PID/stat)
# over SECONDS of no input and prints them as a share of one core. Issue 14's target: ≤ 0.2 %.
#
#   benches/idle_cpu.sh [CORPUS] [SECONDS]     (default: ../shared/fixtures/ravdess, 30)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/fixtures/ravdess}
secs=${2:-30}
command -v tmux >/dev/null || { echo "idle_cpu: tmux is needed (apt-get install tmux)"; exit 1; }
cargo build --release --quiet
bin=$PWD/target/release/emoscope
work=$(mktemp -d)
name=idle-$$
trap 'tmux kill-session -t $name 2>/dev/null || true; rm -rf "$work"' EXIT
corpus_arg=()
[ -d "$corpus" ] && corpus_arg=(--corpus "$(cd "$corpus" && pwd)")
tmux new-session -d -s "$name" -x 80 -y 24 \
  "cd $work && TERM=xterm-256color $bin ${corpus_arg[*]}; sleep 5"
for _ in $(seq 1 300); do
  tmux capture-pane -p -t "$name" | grep -q "clips, " && break
  sleep 0.1
done
pid=$(pgrep -n -f "^$bin" || true)
[ -n "$pid" ] || { echo "idle_cpu: emoscope did not start"; exit 1; }
sleep 2 # let the first frames and the autosave settle
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
a=$(ticks)
sleep "$secs"
b=$(ticks)
awk -v t=$((b - a)) -v hz="$hz" -v s="$secs" -v c="${corpus_arg[*]:-synthetic}" 'BEGIN {
  printf "idle TUI (80x24, %s): %d CPU ticks in %d s = %.3f %% of a core (target <= 0.2 %%)\n",
         c, t, s, 100 * t / hz / s }'
tmux send-keys -t "$name" q
