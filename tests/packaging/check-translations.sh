#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every language in po/LINGUAS must have a complete, valid catalog: no
# untranslated and no fuzzy messages, and format strings that match.
#
# Usage: check-translations.sh SOURCE_ROOT

set -u
po="$1/po"
status=0
count=0

for lang in $(sed -e 's/#.*//' "$po/LINGUAS"); do
  count=$((count + 1))
  if [ ! -f "$po/$lang.po" ]; then
    echo "po/LINGUAS names $lang, but po/$lang.po does not exist"
    status=1
    continue
  fi
  if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po/$lang.po" 2>&1); then
    echo "po/$lang.po: msgfmt --check failed:"
    echo "$stats"
    status=1
    continue
  fi
  echo "po/$lang.po: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*)
      echo "po/$lang.po is incomplete; list the missing messages with: msgattrib --untranslated --only-fuzzy po/$lang.po"
      msgattrib --untranslated "$po/$lang.po" | grep '^msgid ' | sed -e 's/^/  untranslated: /' | tail -n +2
      msgattrib --only-fuzzy "$po/$lang.po" | grep '^msgid ' | sed -e 's/^/  fuzzy: /' | tail -n +2
      status=1
      ;;
  esac
done

if [ "$count" -eq 0 ]; then
  echo "po/LINGUAS lists no language"
  status=1
fi
exit $status
