#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The manual pages must format without a single groff warning and carry a
# NAME section that whatis/apropos can read.
#
# Usage: check-manpages.sh PAGE...

set -u
status=0
for page in "$@"; do
  warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
  if [ -n "$warnings" ]; then
    echo "FAIL: $page: groff warnings:"
    echo "$warnings"
    status=1
  fi
  name=$(basename "$page" .1)
  if ! sed -n '/^\.SH NAME/,/^\.SH/p' "$page" | grep -q "^$name \\\\- "; then
    echo "FAIL: $page: the NAME section must read '$name \\- summary'"
    status=1
  else
    echo "ok: $page"
  fi
done
exit $status
