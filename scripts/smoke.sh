#!/usr/bin/env bash
# Starts the real window under Xvfb, waits for it to appear, then ends it.
set -euo pipefail
bin=${1:-bin/mailsetup}
export LANG=C.UTF-8
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; kill $app 2>/dev/null || true' EXIT
export DISPLAY=$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
home=$(mktemp -d)
HOME=$home "$bin" >"$home/out.log" 2>&1 &
app=$!
for _ in $(seq 300); do
  if ! kill -0 "$app" 2>/dev/null; then echo "smoke: the app exited early:"; cat "$home/out.log"; exit 1; fi
  if xdotool search --onlyvisible --pid "$app" >/dev/null 2>&1; then
    name=$(xdotool search --onlyvisible --pid "$app" | head -1 | xargs xdotool getwindowname)
    echo "smoke: window \"$name\" appeared"
    kill "$app"; wait "$app" 2>/dev/null || true
    exit 0
  fi
  sleep 0.1
done
echo "smoke: no window within 30 s"; cat "$home/out.log"; exit 1
