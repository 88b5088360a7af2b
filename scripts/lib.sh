# Shared by the scripts that run the window (smoke.sh, screenshots.sh,
# screenshot-windows.sh): sourced, not run. The caller sets tmp (a scratch
# folder), pids (an array of processes its exit trap ends) and me (its
# name, for messages).

# start_display starts Xvfb on a display it picks itself, so that no
# display left over by another run is in the way, and exports DISPLAY.
start_display() {
  Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
  local xvfb=$!
  pids+=("$xvfb")
  for _ in $(seq 300); do
    [ -s "$tmp/display" ] && break
    kill -0 "$xvfb" 2>/dev/null || { echo "$me: Xvfb did not start:"; cat "$tmp/xvfb.log"; exit 1; }
    sleep 0.1
  done
  [ -s "$tmp/display" ] || { echo "$me: Xvfb gave no display within 30 s"; exit 1; }
  export DISPLAY=:$(tr -d '\n' <"$tmp/display")
}

# start_bed starts the test bed (internal/testbed/cmd/testbed), which
# serves until its standard input closes, that is until the script ends,
# and exports the environment it prints (DNS, the dial map, the CA, …).
start_bed() {
  go build -o "$tmp/testbed" ./internal/testbed/cmd/testbed
  mkfifo "$tmp/bed.in"
  "$tmp/testbed" <"$tmp/bed.in" >"$tmp/bed.env" 2>"$tmp/bed.log" &
  local bed=$!
  pids+=("$bed")
  sleep 86400 >"$tmp/bed.in" &
  pids+=($!)
  for _ in $(seq 120); do
    grep -q '^READY=1' "$tmp/bed.env" 2>/dev/null && break
    kill -0 "$bed" 2>/dev/null || { echo "$me: the test bed failed:"; cat "$tmp/bed.log"; exit 1; }
    sleep 0.5
  done
  grep -q '^READY=1' "$tmp/bed.env" || { echo "$me: the test bed did not start"; cat "$tmp/bed.log"; exit 1; }
  set -a
  # shellcheck disable=SC1091
  . "$tmp/bed.env"
  set +a
}
