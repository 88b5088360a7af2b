#!/usr/bin/env bash
# Screenshots of the Windows build's window, run under Wine on an Xvfb
# display (Fyne's OpenGL through Wine's WGL to Mesa's software renderer),
# against the test bed, into docs/screenshots/:
#   scripts/screenshot-windows.sh [EXE] [OUTDIR]
# EXE is the testhooks .exe (make windows-testhooks). It runs in Wine's
# virtual desktop, which draws Windows' own title bars, in a throw-away
# prefix (internal/wine/cmd/wineprefix) whose user trusts the bed's CA in
# the Windows certificate store, as Go on Windows verifies against that
# store. Writes windows-wine.png (the servers found),
# windows-wine-export.png (with Open in Outlook, for a stand-in Outlook),
# windows-wine-outlook.png (its question) and
# windows-wine-outlook-started.png (the profile saved in Documents, the
# stand-in started). Needs root (dovecot), wine,
# Xvfb, xdotool and ImageMagick.
set -euo pipefail
exe=$(realpath "${1:-bin/mailsetup-testhooks.exe}")
out=${2:-docs/screenshots}
export PATH=/usr/local/go/bin:$PATH
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset LANGUAGE
mkdir -p "$out"
out=$(realpath "$out")

me=screenshot-windows
tmp=$(mktemp -d)
pids=()
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
WINE_ROOT=
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$WINE_ROOT" ]; then
    wineserver -k 2>/dev/null || true
    wineserver -w 2>/dev/null || true
    rm -rf "$WINE_ROOT"
  fi
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/wineprefix" ./internal/wine/cmd/wineprefix
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -o "$tmp/wintool.exe" ./internal/wine/wintool

start_bed

# --- the prefix ------------------------------------------------------------------
"$tmp/wineprefix" >"$tmp/prefix.env"
set -a
# shellcheck disable=SC1091
. "$tmp/prefix.env"
set +a
winpath() { echo "Z:${1//\//\\}"; }
wine "$tmp/wintool.exe" addroot "$(winpath "$SSL_CERT_FILE")" >/dev/null
# Wine's own TrueType fonts (Debian's fonts-wine): Marlett draws the title
# bar's buttons, and Wine 8.0 finds it only in the prefix's Fonts folder.
cp /usr/share/wine/fonts/*.ttf "$WINEPREFIX/drive_c/windows/Fonts/" 2>/dev/null || true
# Wine has no Microsoft YaHei, the font Fyne's fallback finds for Chinese
# text in C:\Windows\Fonts on Windows: Debian's Noto Sans CJK takes its place.
cp /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc "$WINEPREFIX/drive_c/windows/Fonts/" 2>/dev/null || true
# Wine has no Outlook: a stand-in OUTLOOK.EXE (wintool.exe, which exits at
# once), registered under App Paths as Office does, so that the Export
# screen offers "Open in Outlook".
office="$WINEPREFIX/drive_c/Program Files/Microsoft Office/root/Office16"
mkdir -p "$office"
cp "$tmp/wintool.exe" "$office/OUTLOOK.EXE"
wine reg add 'HKCU\Software\Microsoft\Windows\CurrentVersion\App Paths\OUTLOOK.EXE' /ve /f \
  /d 'C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE' >/dev/null 2>&1

start_display

# MAILSETUP_DNS gives the window the bed's DNS server, MAILSETUP_DIAL_MAP its ports.
MAILSETUP_DNS=$DNS wine explorer /desktop=mailsetup,1024x768 "$(winpath "$exe")" >"$tmp/app.log" 2>&1 &
pids+=($!)
desk=$(timeout 60 xdotool search --sync --onlyvisible --name 'Wine desktop' | head -1)
[ -n "$desk" ] || { echo "screenshot-windows: no Wine desktop"; cat "$tmp/app.log"; exit 1; }
# The Fyne window inside has no X window of its own: wait for its first frame.
sleep "${WINDOW_WAIT:-25}"

shot() {
  sleep 0.5
  # The window (886x685 with its frame) sits at the desktop's top left.
  import -window root -crop 888x687+0+0 +repage "$out/$1"
  echo "screenshot-windows: $out/$1"
}
typein() { xdotool type --delay 40 "$1"; }
key() { xdotool key "$@"; }

typein "alice@hosted.test"
key Tab
typein "Alice Liu"
key Return # Enter in the name field starts the search
sleep 12
shot windows-wine.png
key Return # Enter on a card goes to the login page
sleep 1
typein "alice-secret-1"
key Return # test the login on both servers
sleep 8
key Return # both worked: Enter goes on to the export
sleep 2
shot windows-wine-export.png
key Tab Tab # the mail program list, then Open in Outlook (no password box for a PRF)
sleep 0.5
key space # it asks to close Outlook first
sleep 2
shot windows-wine-outlook.png
key Tab Tab # the question's Cancel, then Open in Outlook
sleep 0.5
key space # saves the profile in Documents and starts the stand-in
sleep 2
ls "$WINEPREFIX"/drive_c/users/*/Documents/alice@hosted.test.prf >/dev/null ||
  { echo "screenshot-windows: Open in Outlook saved no profile in Documents"; exit 1; }
shot windows-wine-outlook-started.png
echo "screenshot-windows: done"
