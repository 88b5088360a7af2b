#!/usr/bin/env bash
# Starts the real window under Xvfb, waits for it to appear, then ends it.
set -euo pipefail
bin=${1:-bin/mailsetup}
export LANG=C.UTF-8
work=$(mktemp -d)
app=""
xvfb=""
cleanup() {
  if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; fi
  if [ -n "$xvfb" ]; then kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; fi
  rm -rf "$work" || true
}
trap cleanup EXIT

# Xvfb picks a free display itself and writes its number to the fd: no
# clash with a display left over by another run.
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 300); do
  [ -s "$work/display" ] && break
  kill -0 "$xvfb" 2>/dev/null || { echo "smoke: Xvfb did not start:"; cat "$work/xvfb.log"; exit 1; }
  sleep 0.1
done
[ -s "$work/display" ] || { echo "smoke: Xvfb gave no display within 30 s"; exit 1; }
export DISPLAY=:$(tr -d '\n' <"$work/display")

HOME=$work "$bin" >"$work/out.log" 2>&1 &
app=$!
for _ in $(seq 600); do
  if ! kill -0 "$app" 2>/dev/null; then echo "smoke: the app exited early:"; cat "$work/out.log"; exit 1; fi
  if win=$(xdotool search --onlyvisible --pid "$app" 2>/dev/null | head -1) && [ -n "$win" ]; then
    echo "smoke: window \"$(xdotool getwindowname "$win")\" appeared on $DISPLAY"
    exit 0
  fi
  sleep 0.1
done
echo "smoke: no window within 60 s"; cat "$work/out.log"; exit 1
