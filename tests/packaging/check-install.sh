#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the build into a staging folder with `meson install --destdir` and
# checks that every file lands where GNOME looks for it, that the installed
# desktop entry and metainfo are valid and point at each other, the icon and
# the binary, and that nothing else is installed.
#
# Usage: check-install.sh BUILD_ROOT APP_ID PREFIX BINDIR DATADIR MANDIR LOCALEDIR WITH_APP
#   (directories as meson's options give them; WITH_APP is true or false)

set -u
build=$1 app_id=$2 prefix=$3 bindir=$4 datadir=$5 mandir=$6 localedir=$7 with_app=$8

abs() {
  case "$1" in
    /*) echo "$1" ;;
    *) echo "$prefix/$1" ;;
  esac
}
bindir=$(abs "$bindir") datadir=$(abs "$datadir") mandir=$(abs "$mandir") localedir=$(abs "$localedir")

stage=$(mktemp -d "${TMPDIR:-/tmp}/floorwatch-install-XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM

if ! out=$(meson install -C "$build" --no-rebuild --destdir "$stage" 2>&1); then
  echo "meson install failed:"
  echo "$out"
  exit 1
fi

status=0
fail() {
  echo "FAIL: $*"
  status=1
}

expected="$datadir/applications/$app_id.desktop
$datadir/metainfo/$app_id.metainfo.xml
$datadir/glib-2.0/schemas/io.github.floorwatch.Floorwatch.gschema.xml
$datadir/icons/hicolor/scalable/apps/$app_id.svg
$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg
$mandir/man1/floorwatch.1
$mandir/man1/floorwatch-cli.1
$bindir/floorwatch-cli"
for lang in $(sed -e 's/#.*//' "$(dirname "$0")/../../po/LINGUAS"); do
  expected="$expected
$localedir/$lang/LC_MESSAGES/floorwatch.mo"
done
if [ "$with_app" = true ]; then
  expected="$expected
$bindir/floorwatch"
fi

for file in $expected; do
  if [ -f "$stage$file" ]; then
    echo "ok: $file"
  else
    fail "$file was not installed"
  fi
done

for binary in floorwatch floorwatch-cli; do
  if [ -f "$stage$bindir/$binary" ] && [ ! -x "$stage$bindir/$binary" ]; then
    fail "$bindir/$binary is not executable"
  fi
done

# Nothing but the files above: no static engine library, headers, test
# programs or a compiled schema cache (that belongs to the system).
unexpected=$(cd "$stage" && find . -type f -o -type l | sed -e 's|^\.||' | sort | while read -r file; do
  case "
$expected
" in
    *"
$file
"*) ;;
    *) echo "$file" ;;
  esac
done)
if [ -n "$unexpected" ]; then
  fail "unexpected files installed:"
  echo "$unexpected" | sed -e 's/^/  /'
fi

desktop="$stage$datadir/applications/$app_id.desktop"
metainfo="$stage$datadir/metainfo/$app_id.metainfo.xml"
if [ -f "$desktop" ]; then
  if ! out=$(desktop-file-validate "$desktop" 2>&1) || [ -n "$out" ]; then
    fail "installed desktop entry does not validate: $out"
  fi
  icon=$(sed -n 's/^Icon=//p' "$desktop")
  [ "$icon" = "$app_id" ] || fail "desktop entry has Icon=$icon, expected $app_id"
  exec_line=$(sed -n 's/^Exec=//p' "$desktop")
  [ "$exec_line" = floorwatch ] || fail "desktop entry has Exec=$exec_line, expected floorwatch"
  grep -q '^Name\[de\]=' "$desktop" || fail "desktop entry has no German name: translations were not merged"
  grep -q '^Comment\[es\]=' "$desktop" || fail "desktop entry has no Spanish comment: translations were not merged"
fi
if [ -f "$metainfo" ]; then
  if ! out=$(appstreamcli validate --no-net "$metainfo" 2>&1); then
    fail "installed metainfo does not validate:"
    echo "$out"
  fi
  grep -q "<id>$app_id</id>" "$metainfo" || fail "metainfo id is not $app_id"
  grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
    || fail "metainfo does not launch $app_id.desktop"
  grep -q 'xml:lang="de"' "$metainfo" || fail "metainfo has no German text: translations were not merged"
fi

for mo in "$stage$localedir"/*/LC_MESSAGES/floorwatch.mo; do
  [ -f "$mo" ] || continue
  msgunfmt "$mo" >/dev/null 2>&1 || fail "$mo is not a valid message catalog"
done

if [ $status -eq 0 ]; then
  echo "install layout is complete"
fi
exit $status
