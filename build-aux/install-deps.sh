#!/bin/sh
# Installs what Floorwatch needs on Debian 12: with --tests, also what the test
# suite needs; with --hardening, also what build-aux/test-hardening.sh needs
# on top of the tests.  Safe to run again: it installs only what is missing.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

build="meson ninja-build pkg-config gcc g++ gettext libglib2.0-dev libglib2.0-bin
libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libgtk-4-dev libadwaita-1-dev
libsimdjson-dev libportal-dev libportal-gtk4-dev desktop-file-utils appstream
gnome-keyring dbus ca-certificates"
tests="xvfb xauth dbus-x11 imagemagick python3 python3-dbusmock python3-jsonschema
flatpak-builder locales groff-base clang valgrind"
# libFuzzer and clang's sanitizer runtimes, which clang only recommends.
hardening="libclang-rt-14-dev"

case "${1:-}" in
  "") wanted=$build ;;
  --tests) wanted="$build $tests" ;;
  --hardening) wanted="$build $tests $hardening" ;;
  *) echo "install-deps.sh: unknown argument '$1' (--tests or --hardening)" >&2; exit 2 ;;
esac

missing=""
for package in $wanted; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  if [ "$status" != "installed" ]; then
    missing="$missing $package"
  fi
done

if [ -n "$missing" ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
  fi
  echo "Installing:$missing"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
fi

# The translation tests run the programs in German and Spanish.
if [ -n "${1:-}" ]; then
  for locale in de_DE es_ES; do
    if ! locale -a 2>/dev/null | grep -qix "$locale.utf8"; then
      sudo=""
      if [ "$(id -u)" -ne 0 ]; then
        sudo=sudo
      fi
      $sudo sed -i "s/^# *\($locale.UTF-8 UTF-8\)/\1/" /etc/locale.gen
      grep -q "^$locale.UTF-8 UTF-8" /etc/locale.gen || echo "$locale.UTF-8 UTF-8" | $sudo tee -a /etc/locale.gen >/dev/null
      $sudo locale-gen >/dev/null
    fi
  done
fi
