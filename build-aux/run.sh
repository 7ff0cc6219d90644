#!/bin/sh
# Sets up and runs Floorwatch: installs what is missing (Debian 12), builds,
# and starts the app.  With no account stored the app opens its built-in
# simulator, so there is something live to watch straight away.  Without a
# graphical session the same demo feed is shown in the terminal instead.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${FW_BUILD_DIR:-$top/_build/app}

"$top/build-aux/install-deps.sh"

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" --buildtype=debugoptimized
fi
# The programs and their data, not the test suite.
catalogs=""
for lang in $(sed -e 's/#.*//' "$top/po/LINGUAS"); do
  catalogs="$catalogs po/$lang/LC_MESSAGES/floorwatch.mo"
done
ninja -C "$build" src/app/floorwatch src/cli/floorwatch-cli data/gschemas.compiled $catalogs

# Settings schema and translations from the build tree: nothing is installed.
export GSETTINGS_SCHEMA_DIR="$build/data"
export FLOORWATCH_LOCALEDIR="$build/po"

# No account stored and none in the environment: the demo, so that there is
# something live on screen at once.
if [ $# -eq 0 ] && [ -z "${GENESYSCLOUD_OAUTHCLIENT_ID:-}" ]; then
  client_id=$(gsettings get io.github.floorwatch.Floorwatch client-id 2>/dev/null || echo "''")
  if [ "$client_id" = "''" ]; then
    set -- --demo
  fi
fi

if [ -n "${WAYLAND_DISPLAY:-}${DISPLAY:-}" ] && [ -x "$build/src/app/floorwatch" ]; then
  exec "$build/src/app/floorwatch" "$@"
fi

echo "No graphical session: showing the live demo feed in this terminal (Ctrl+C ends it)." >&2
exec "$build/src/cli/floorwatch-cli" watch --demo --format=text
