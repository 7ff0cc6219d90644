#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a source or data file with translatable strings is missing from
# po/POTFILES.in, or when POTFILES.in names a file that does not exist.
#
# Usage: check-potfiles.py SOURCE_ROOT

import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1]).resolve()

# _(), N_(), C_(), NC_(), Q_() in GNU style ("_ (") or not, and the
# plural/context forms of gettext.
C_MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:N|C|NC|Q)?_\s*\(|'
                       r'(?<![A-Za-z0-9_])(?:g_d?n?gettext|g_dpgettext2?|d?ngettext|dc?gettext)\s*\(')
UI_MARKERS = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']')
BLP_MARKERS = re.compile(r'(?<![A-Za-z0-9_])C?_\s*\(')
# Comments and string literals, so that a comment that mentions N_("…") does
# not count, while _("…") itself still does.
C_NOISE = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def strip_c_noise(text):
    return C_NOISE.sub(lambda m: '""' if m.group(0).startswith('"') else ' ', text)


def needs_translation(path):
    text = path.read_text(encoding='utf-8', errors='replace')
    suffix = path.suffix
    if suffix in ('.c', '.h', '.cc', '.cpp'):
        return C_MARKERS.search(strip_c_noise(text)) is not None
    if suffix == '.ui':
        return UI_MARKERS.search(text) is not None
    if suffix == '.blp':
        return BLP_MARKERS.search(text) is not None
    # Desktop entries, AppStream metadata and settings schemas always carry
    # translatable names, summaries and descriptions.
    name = path.name
    return (name.endswith('.desktop.in') or name.endswith('.metainfo.xml.in') or
            name.endswith('.gschema.xml'))


listed = []
for number, line in enumerate((root / 'po' / 'POTFILES.in').read_text(encoding='utf-8').splitlines(), 1):
    line = line.strip()
    if not line or line.startswith('#'):
        continue
    if line.startswith('[') and ']' in line:   # [type: gettext/glade]file
        line = line.split(']', 1)[1].strip()
    listed.append((number, line))

failures = []
listed_set = set()
for number, name in listed:
    if name in listed_set:
        failures.append(f'po/POTFILES.in:{number}: {name} is listed twice')
    listed_set.add(name)
    if not (root / name).is_file():
        failures.append(f'po/POTFILES.in:{number}: {name} does not exist')

candidates = []
for pattern in ('src/**/*.c', 'src/**/*.cc', 'src/**/*.h', 'src/**/*.ui', 'src/**/*.blp',
                'data/**/*.desktop.in', 'data/**/*.metainfo.xml.in', 'data/**/*.gschema.xml',
                'data/**/*.ui', 'data/**/*.blp'):
    candidates.extend(root.glob(pattern))

checked = 0
for path in sorted(set(candidates)):
    relative = path.relative_to(root).as_posix()
    checked += 1
    if needs_translation(path) and relative not in listed_set:
        failures.append(f'{relative} has translatable strings but is not in po/POTFILES.in')

for failure in failures:
    print(failure)
print(f'{checked} files checked, {len(listed_set)} listed in po/POTFILES.in, {len(failures)} problems')
sys.exit(1 if failures else 0)
