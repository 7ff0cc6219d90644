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


# A translatable string continued by a macro, such as
#   _("waited %" G_GUINT64_FORMAT " s")
# is cut by xgettext at the macro: the catalog gets "waited %", which never
# matches the string the program asks for, so it is never translated.
COMMENTS = re.compile(r'/\*.*?\*/|//[^\n]*|("(?:\\.|[^"\\\n])*")', re.S)
CALL_START = re.compile(r'(?<![A-Za-z0-9_])(?:N|C|NC|Q)?_\s*\(\s*(?:"[^"]*"\s*,\s*)?')
STRING_RUN = re.compile(r'(?:"(?:\\.|[^"\\\n])*"\s*)+')
MACRO_AFTER = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')


def cut_strings(path):
    text = path.read_text(encoding='utf-8', errors='replace')
    # Drop comments but keep string literals as they are.
    text = COMMENTS.sub(lambda m: m.group(1) if m.group(1) else ' ' + '\n' * m.group(0).count('\n'),
                        text)
    for call in CALL_START.finditer(text):
        run = STRING_RUN.match(text, call.end())
        if run is None:
            continue
        macro = MACRO_AFTER.match(text, run.end())
        if macro is not None:
            line = text.count('\n', 0, call.start()) + 1
            yield line, macro.group(0)


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

for path in sorted(set(candidates)):
    if path.suffix in ('.c', '.cc', '.cpp', '.h'):
        for line, macro in cut_strings(path):
            failures.append(f'{path.relative_to(root).as_posix()}:{line}: a translatable string is '
                            f'continued by {macro}, where xgettext cuts it off: it would never be '
                            f'translated. Keep the message one plain string (format the number '
                            f'with %u or %lu and a cast, or into a separate string first).')

for failure in failures:
    print(failure)
print(f'{checked} files checked, {len(listed_set)} listed in po/POTFILES.in, {len(failures)} problems')
sys.exit(1 if failures else 0)
