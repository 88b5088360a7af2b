#!/usr/bin/env bash
# Packages a built mailsetup.exe for Windows users, both ways:
#   OUTDIR/mailsetup-VERSION.msi                per-user installer (wixl)
#   OUTDIR/mailsetup-VERSION-windows-amd64.zip  portable: unzip and run
#   scripts/package-windows.sh EXE VERSION OUTDIR
# VERSION is numeric (A.B.C), as Windows Installer wants it. Run from anywhere;
# needs wixl (Debian's wixl), zip and Go (for the icon).
set -euo pipefail
exe=$1 version=$2 outdir=$3
GO=${GO:-go}
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "package-windows.sh: the version must be A.B.C, got '$version'" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# What both packages hold. Notepad and the like expect CRLF line ends.
mkdir -p "$stage/mailsetup-$version"
cp "$exe" "$stage/mailsetup-$version/mailsetup.exe"
sed 's/$/\r/' "$here/LICENSE" > "$stage/mailsetup-$version/LICENSE.txt"
sed 's/$/\r/' "$here/packaging/windows/README.txt" > "$stage/mailsetup-$version/README.txt"
"$GO" run "$here/packaging/windows/mkico" -o "$stage/mailsetup.ico" "$here/assets/icon.png"

# wixl resolves source files relative to the working directory and wants
# them relative.
(cd "$stage" && wixl -a x64 -D Version="$version" \
  -D ExeSource="mailsetup-$version/mailsetup.exe" -D LicenseSource="mailsetup-$version/LICENSE.txt" \
  -D ReadmeSource="mailsetup-$version/README.txt" -D IconSource=mailsetup.ico \
  -o "$outdir/mailsetup-$version.msi" "$here/packaging/windows/mailsetup.wxs")

# The zip: one folder, files dated by the last commit so that the same
# build zips the same way.
stamp=$(git -C "$here" log -1 --format=%cd --date=format:%Y%m%d%H%M.%S 2>/dev/null || echo 202601010000.00)
find "$stage/mailsetup-$version" -exec touch -t "$stamp" {} +
rm -f "$outdir/mailsetup-$version-windows-amd64.zip"
(cd "$stage" && TZ=UTC zip -q -X -r "$outdir/mailsetup-$version-windows-amd64.zip" "mailsetup-$version")
echo "built $outdir/mailsetup-$version.msi and $outdir/mailsetup-$version-windows-amd64.zip"
