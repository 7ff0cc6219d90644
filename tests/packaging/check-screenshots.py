#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every screenshot the AppStream metadata announces is a PNG in
# data/screenshots/ of this repository, of the size the metadata states, so
# that software centres show what the metadata promises once it is published.
#
# Usage: check-screenshots.py SOURCE_ROOT

import pathlib
import struct
import sys
import xml.etree.ElementTree as ET

root = pathlib.Path(sys.argv[1]).resolve()
metainfo = root / 'data' / 'io.github.floorwatch.Floorwatch.metainfo.xml.in'
prefix = 'https://raw.githubusercontent.com/floorwatch/floorwatch/main/'

failures = []
images = ET.parse(metainfo).getroot().findall('./screenshots/screenshot/image')
if not images:
    failures.append('the metadata has no screenshot')
defaults = ET.parse(metainfo).getroot().findall("./screenshots/screenshot[@type='default']")
if len(defaults) != 1:
    failures.append(f'the metadata needs exactly one default screenshot, it has {len(defaults)}')

for image in images:
    url = (image.text or '').strip()
    if not url.startswith(prefix + 'data/screenshots/'):
        failures.append(f'{url}: not a file of data/screenshots/ in this repository')
        continue
    path = root / url[len(prefix):]
    if not path.is_file():
        failures.append(f'{url}: {path.relative_to(root)} does not exist')
        continue
    data = path.read_bytes()
    if data[:8] != b'\x89PNG\r\n\x1a\n' or data[12:16] != b'IHDR':
        failures.append(f'{path.relative_to(root)} is not a PNG')
        continue
    width, height = struct.unpack('>II', data[16:24])
    stated = (image.get('width'), image.get('height'))
    if stated != (str(width), str(height)):
        failures.append(f'{path.relative_to(root)} is {width}×{height}, the metadata says '
                        f'{stated[0]}×{stated[1]}')
    else:
        print(f'ok: {path.relative_to(root)} {width}×{height}')

for failure in failures:
    print(failure)
sys.exit(1 if failures else 0)
