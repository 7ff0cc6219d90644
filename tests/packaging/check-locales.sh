#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the programs in each language of po/LINGUAS (de → de_DE.UTF-8, …) and
# checks that they start there and speak it: the programs read the build's
# compiled catalogs (FLOORWATCH_LOCALEDIR), so that nothing is installed on the
# machine, and the output in the language must differ from the output in English.
#
# The locales must exist (`locale -a`); on Debian:
#   apt-get install locales
#   sed -i 's/^# *\(de_DE.UTF-8\)/\1/; s/^# *\(es_ES.UTF-8\)/\1/' /etc/locale.gen && locale-gen
#
# Usage: check-locales.sh SOURCE_ROOT BUILD_ROOT FLOORWATCH_CLI [FLOORWATCH]

set -u
source_root=$1 build_root=$2 cli=$3 app=${4:-}
status=0

fail() {
  echo "FAIL: $*"
  status=1
}

# Runs "$@" with the build's catalogs (FLOORWATCH_LOCALEDIR, which the
# programs honour for running from the build tree) in LC_ALL=$locale; stdout
# and stderr together on stdout, then a line "exit N".
run_in() {
  locale=$1
  shift
  FLOORWATCH_LOCALEDIR="$build_root/po" LC_ALL=$locale LANGUAGE= "$@" 2>&1
  echo "exit $?"
}

cli_english=$(run_in C.UTF-8 "$cli" watch --environment=not-a-region --client-id=x v2.users.x.presence)
app_english=""
if [ -n "$app" ]; then
  app_english=$(run_in C.UTF-8 "$app" --help)
fi

for lang in $(sed -e 's/#.*//' "$source_root/po/LINGUAS"); do
  case "$lang" in
    *_*) locale="$lang.UTF-8" ;;
    *) locale="${lang}_$(echo "$lang" | tr '[:lower:]' '[:upper:]').UTF-8" ;;
  esac
  wanted=$(echo "${locale%.UTF-8}.utf8" | tr '[:upper:]' '[:lower:]')
  if ! locale -a | tr '[:upper:]' '[:lower:]' | sed -e 's/utf-8$/utf8/' | grep -qx "$wanted"; then
    fail "the locale $locale is not available (locale -a); generate it: install the \"locales\" package, uncomment \"$locale UTF-8\" in /etc/locale.gen and run locale-gen"
    continue
  fi
  if [ ! -f "$build_root/po/$lang/LC_MESSAGES/floorwatch.mo" ]; then
    fail "$build_root/po/$lang/LC_MESSAGES/floorwatch.mo was not built"
    continue
  fi

  # floorwatch-cli: an engine error (a region that does not exist) must come
  # out in the language, and the program must end as it does in English.
  out=$(run_in "$locale" "$cli" watch --environment=not-a-region --client-id=x v2.users.x.presence)
  if [ "$(echo "$out" | tail -n 1)" != "$(echo "$cli_english" | tail -n 1)" ]; then
    fail "floorwatch-cli in $locale ended with '$(echo "$out" | tail -n 1)', in English with '$(echo "$cli_english" | tail -n 1)':"
    echo "$out"
  elif echo "$out" | grep -q -i -e 'warning' -e 'critical' -e 'locale not supported'; then
    fail "floorwatch-cli in $locale complains:"
    echo "$out"
  elif [ "$out" = "$cli_english" ]; then
    fail "floorwatch-cli in $locale answers in English; is bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR) called in main ()?"
    echo "$out"
  else
    echo "ok: floorwatch-cli in $locale: $(echo "$out" | head -n 1)"
  fi

  # floorwatch: starts in the locale and shows its options in the language.
  if [ -n "$app" ]; then
    out=$(run_in "$locale" "$app" --version)
    if [ "$(echo "$out" | tail -n 1)" != "exit 0" ]; then
      fail "floorwatch --version in $locale failed:"
      echo "$out"
    elif echo "$out" | grep -q -i -e 'warning' -e 'critical' -e 'locale not supported'; then
      fail "floorwatch --version in $locale complains:"
      echo "$out"
    else
      echo "ok: floorwatch --version in $locale: $(echo "$out" | head -n 1)"
    fi
    # GLib's own words ("Help Options") are translated by GLib's catalog:
    # look at the description of an option of ours.
    out=$(run_in "$locale" "$app" --help)
    demo_line=$(echo "$out" | grep -e '--demo' | head -n 1)
    if [ "$(echo "$out" | tail -n 1)" != "exit 0" ]; then
      fail "floorwatch --help in $locale failed:"
      echo "$out"
    elif [ -z "$demo_line" ]; then
      fail "floorwatch --help in $locale does not show the --demo option:"
      echo "$out"
    elif [ "$demo_line" = "$(echo "$app_english" | grep -e '--demo' | head -n 1)" ]; then
      fail "floorwatch --help in $locale describes --demo in English; are its options translatable and is bindtextdomain called?"
      echo "$out"
    else
      echo "ok: floorwatch --help in $locale:$demo_line"
    fi
  fi
done

exit $status
