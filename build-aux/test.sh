#!/bin/sh
# Sets up everything and runs the whole test suite: the build, then every
# test under a virtual X server, a private D-Bus session and a fresh, unlocked
# gnome-keyring, so that nothing touches the user's own session or keyring.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${FW_BUILD_DIR:-$top/_build/tests}

"$top/build-aux/install-deps.sh" --tests

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" --buildtype=debugoptimized
fi
ninja -C "$build"

exec xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- "$top/build-aux/test-session.sh" "$build" "$@"
