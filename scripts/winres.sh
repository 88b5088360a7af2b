#!/usr/bin/env bash
# Builds the Windows resources (icon, version sheet, manifest) into a .syso
# that go build links into mailsetup.exe.
#   scripts/winres.sh OUT.syso APP_VERSION BUILD VERSION
# APP_VERSION is the numeric version (FyneApp.toml's Version, e.g. 0.1.0),
# BUILD its build number, VERSION the version string the binary reports.
set -euo pipefail
out=$1 app_version=$2 build=$3 version=$4
GO=${GO:-go}
WINDRES=${WINDRES:-x86_64-w64-mingw32-windres}
if ! [[ $app_version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ && $build =~ ^[0-9]+$ ]]; then
  echo "winres.sh: want a numeric version A.B.C and build number, got '$app_version' '$build'" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$GO" run "$here/packaging/windows/mkico" -o "$work/mailsetup.ico" "$here/assets/icon.png"
dots="$app_version.$build"
commas=${dots//./,}
# Quotes and backslashes would break the .rc syntax, / and & the sed below.
safe_version=${version//[\"\\\/&]/_}
sed -e "s/@FILEVERSION@/$commas/g" -e "s/@APPVERSION@/$app_version/g" -e "s/@VERSION@/$safe_version/g" \
  "$here/packaging/windows/mailsetup.rc" > "$work/mailsetup.rc"
sed -e "s/@FILEVERSION_DOTS@/$dots/g" "$here/packaging/windows/mailsetup.exe.manifest" > "$work/mailsetup.exe.manifest"
(cd "$work" && "$WINDRES" -O coff -i mailsetup.rc -o resources.syso)
mv "$work/resources.syso" "$out"
