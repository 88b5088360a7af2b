#!/usr/bin/env bash
# make bench: the Go micro-benchmarks, then the engine timed against the test
# bed at RTT 0, 50 ms and 200 ms (internal/perf/cmd/perfbench): the time to a
# recommendation, to a verified login and to a rejected password, beside the
# "before" figures in internal/perf/testdata/before.json. It prints the table
# and rewrites docs/performance.md. Needs root and dovecot for the test bed,
# Xvfb and xdotool for the window's start-up time, and the binaries (make
# build build-testhooks). Extra arguments go to perfbench, e.g. -runs 5,5,3
# -login-runs 3,3,2 -out '' for a first look, or -save-before
# internal/perf/testdata/before.json to keep this run as the "before".
set -euo pipefail
bin=${1:-bin/mailsetup}
shift || true
go=${GO:-go}
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# Micro-benchmarks of the other packages (internal/perf's own are the slow
# end-to-end ones, run below as a table instead).
mapfile -t pkgs < <(grep -rl --include='*_test.go' '^func Benchmark' . | grep -v '^./internal/perf/' |
	xargs -r -n1 dirname | sort -u)
if ((${#pkgs[@]})); then
	"$go" test -run '^$' -bench . -benchmem "${pkgs[@]}"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$go" build -o "$tmp/perfbench" ./internal/perf/cmd/perfbench
# As root, run (with the test bed's servers, which inherit it) ahead of other
# jobs: the figures measure the network model, not a busy machine's scheduler.
prio=()
if [ "$(id -u)" = 0 ]; then prio=(nice -n -10); fi
"${prio[@]}" "$tmp/perfbench" -bin "$bin" -out docs/performance.md "$@"
