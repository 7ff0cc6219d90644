#!/bin/sh
# Runs inside the private D-Bus session of build-aux/test.sh: starts a
# gnome-keyring with a throw-away home, then meson test.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

build=$1
shift

home=$(mktemp -d "${TMPDIR:-/tmp}/floorwatch-test-home.XXXXXX")
trap 'rm -rf "$home"' EXIT
export HOME="$home"
export XDG_DATA_HOME="$home/.local/share"
export XDG_CONFIG_HOME="$home/.config"
export XDG_CACHE_HOME="$home/.cache"
export XDG_RUNTIME_DIR="$home/runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# Any password creates and unlocks a fresh login keyring (an empty one does
# not create it); the keyring lives in the throw-away home.
printf 'floorwatch-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null

exec meson test -C "$build" --print-errorlogs --num-processes 2 "$@"
