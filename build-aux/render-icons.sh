#!/bin/sh
# Renders the PNG sizes of the icons in src/app/icons from their SVGs: the
# application icon at the sizes an X11 window icon uses, the symbolic icons at
# the sizes the window shows them.  Run after changing an icon; the PNGs are
# committed, so that building needs neither tool.
#
# Needs rsvg-convert (librsvg2-bin) and gtk4-encode-symbolic-svg (libgtk-4-bin).
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
icons="$top/src/app/icons"
apps="$top/data/icons/hicolor/scalable/apps"

for size in 16 32 48 64 128; do
  mkdir -p "$icons/${size}x${size}/apps"
  for id in io.github.floorwatch.Floorwatch io.github.floorwatch.Floorwatch.Devel; do
    rsvg-convert -w "$size" -h "$size" "$apps/$id.svg" -o "$icons/${size}x${size}/apps/$id.png"
  done
done

for size in 16 32 64 96 128; do
  mkdir -p "$icons/${size}x${size}/actions"
  for svg in "$icons"/scalable/actions/*-symbolic.svg; do
    gtk4-encode-symbolic-svg -o "$icons/${size}x${size}/actions" "$svg" "${size}x${size}"
  done
done
