#!/usr/bin/env bash
# Takes one PNG per screen of the real window, in English, Simplified and
# Traditional Chinese, against the test bed, into docs/screenshots/:
#   scripts/screenshots.sh [BIN] [OUTDIR]
# It starts the test bed (internal/testbed/cmd/testbed), an Xvfb display,
# and the binary with the bed's DNS (MAILSETUP_DNS), dial map and CA, then
# drives the window with xdotool: the Set up wizard for alice@hosted.test
# with the password up front (address page, login results, export: the
# PRF, Foxmail's fields to copy, Install for msmtp), its servers page
# without one, the servers page of alice@wrongname.test
# (every server fails: the list of servers tried, with their reasons), the
# OAuth2 sign-in of alice@oauth.test through the bed's authorization server
# (internal/testbed/cmd/oauthbrowser as the browser), the Troubleshoot tab
# on mail.srv.test, the Settings tab and its client IDs. Needs root
# (dovecot), Xvfb, xdotool and ImageMagick.
set -euo pipefail
bin=$(realpath "${1:-bin/mailsetup-testhooks}")
out=${2:-docs/screenshots}
export PATH=/usr/local/go/bin:$PATH
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset LANGUAGE
mkdir -p "$out"
out=$(realpath "$out")

me=screenshots
tmp=$(mktemp -d)
pids=()
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- the test bed and the display ------------------------------------------------
go build -o "$tmp/oauthbrowser" ./internal/testbed/cmd/oauthbrowser
start_bed
# The binary is a testhooks build: MAILSETUP_DNS gives the window its DNS server
# while its preference is empty, MAILSETUP_DIAL_MAP the bed's ports.
start_display

app=
wid=
start_app() { # LANGUAGE value, DNS server
  rm -rf "$tmp/home-$1" # fresh preferences: the language comes from LANGUAGE
  # The OAuth2 client ID the user would set in Settings, for any service;
  # the sign-in page is worked through by the bed's stand-in browser.
  mkdir -p "$tmp/home-$1/.config/mailsetup"
  echo "{\"default\": \"$OAUTH_CLIENT_ID\"}" >"$tmp/home-$1/.config/mailsetup/oauth-clients.json"
  HOME="$tmp/home-$1" LANGUAGE=$1 MAILSETUP_DNS=$2 BROWSER="$tmp/oauthbrowser" \
    OAUTHBROWSER_DNS=$DNS OAUTHBROWSER_CA=$SSL_CERT_FILE OAUTHBROWSER_USER=alice@oauth.test \
    OAUTHBROWSER_PASSWORD=alice-secret-1 OAUTHBROWSER_LOG="$tmp/oauthbrowser.log" \
    "$bin" >>"$tmp/app-$1.log" 2>&1 &
  app=$!
  pids+=("$app")
  wid=$(timeout 30 xdotool search --sync --onlyvisible --pid "$app" | head -1)
  [ -n "$wid" ] || { echo "screenshots: no window"; cat "$tmp/app-$1.log"; exit 1; }
  sleep 2 # first frame, font scan
}
shot() { # name suffix
  sleep 0.4
  import -window "$wid" "$out/$1-$2.png"
  echo "screenshots: $out/$1-$2.png"
}
click() { xdotool mousemove --window "$wid" "$1" "$2" click 1; sleep 0.4; }
# scroll_down moves a page's content up, the pointer on the form's labels
# (over an entry, the wheel would scroll the entry instead).
scroll_down() {
  xdotool mousemove --window "$wid" 60 250
  for _ in $(seq 40); do xdotool click 5; done
  sleep 0.4
}
typein() { xdotool type --delay 15 "$1"; }
key() { xdotool key "$@"; }

stop_app() {
  kill "$app"
  wait "$app" 2>/dev/null || true
}

for lang in en zh_Hans zh_Hant; do
  suffix=${lang/_/-}

  # The search in progress: against the bed's DNS server that never
  # answers, QQ's servers from the built-in table wait for their names.
  start_app "$lang" "$DEAD_DNS"
  typein "alice@qq.com"
  key Return
  sleep 1.5
  shot search "$suffix"
  stop_app

  start_app "$lang" "$DNS"
  # Set up: the address page, focused on the address field, with the
  # password up front.
  typein "alice@hosted.test"
  key Tab
  typein "Alice Liu"
  key Tab
  typein "alice-secret-1"
  shot setup "$suffix"
  key Return # the search logs in on each server as it settles
  sleep 9    # the answer and both logins; the machine may be busy
  shot login "$suffix"
  key Return # both worked: Enter goes on to the export
  sleep 0.5
  shot export "$suffix"
  # The export page's actions: Foxmail's fields, each with a copy button;
  # Install for msmtp (Debian's msmtp is on PATH, HOME is a fresh folder).
  key Tab # the mail program list
  for _ in 1 2; do key Right; sleep 0.5; done # Foxmail (setup sheet, HTML)
  shot export-foxmail "$suffix"
  for _ in 1 2 3 4; do key Right; sleep 0.5; done # msmtp
  shot export-install "$suffix"

  # Troubleshoot: the second tab, focused on the server field.
  click 150 22
  typein "mail.srv.test:995"
  key Return
  sleep 3
  shot troubleshoot "$suffix"

  # Settings: the third tab, then its OAuth2 client IDs further down.
  click 250 22
  shot settings "$suffix"
  scroll_down
  shot settings-oauth "$suffix"
  stop_app

  # The servers found, without a password up front.
  start_app "$lang" "$DNS"
  typein "alice@hosted.test"
  key Return
  sleep 7 # the answer comes within the bed's grace period
  shot servers "$suffix"
  stop_app

  # OAuth2: oauth.test's servers take a password or a token from
  # https://auth.oauth.test, which the table does not know: the login page
  # asks for the sign-in service; the stand-in browser signs in.
  start_app "$lang" "$DNS"
  typein "alice@oauth.test"
  key Return
  sleep 7
  key Return  # Enter on a card goes to the login page
  sleep 0.5
  key Tab Tab # from the password past "Test login" to the sign-in service
  typein "$OAUTH_ISSUER"
  key Tab
  typein "mail offline_access"
  key Return # sign in, then log in on both servers with the token
  sleep 6
  scroll_down
  shot signin "$suffix"
  stop_app

  # Nothing usable: every server of wrongname.test shows a certificate for
  # another name; the page lists the servers tried and why each failed.
  start_app "$lang" "$DNS"
  typein "alice@wrongname.test"
  key Return
  sleep 7
  shot servers-failed "$suffix"
  stop_app
done
echo "screenshots: done"
