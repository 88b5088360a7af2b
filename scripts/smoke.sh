#!/usr/bin/env bash
# Starts the real window under Xvfb, waits for it to appear, then ends it.
set -euo pipefail
bin=${1:-bin/mailsetup}
export LANG=C.UTF-8
me=smoke
tmp=$(mktemp -d)
pids=()
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp" || true
}
trap cleanup EXIT

start_display

HOME=$tmp "$bin" >"$tmp/out.log" 2>&1 &
app=$!
pids+=("$app")
for _ in $(seq 600); do
  if ! kill -0 "$app" 2>/dev/null; then echo "smoke: the app exited early:"; cat "$tmp/out.log"; exit 1; fi
  if win=$(xdotool search --onlyvisible --pid "$app" 2>/dev/null | head -1) && [ -n "$win" ]; then
    echo "smoke: window \"$(xdotool getwindowname "$win")\" appeared on $DISPLAY"
    exit 0
  fi
  sleep 0.1
done
echo "smoke: no window within 60 s"; cat "$tmp/out.log"; exit 1
