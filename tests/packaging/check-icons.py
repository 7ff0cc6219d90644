#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The application icons follow the GNOME icon guidelines as far as a script can
# tell: full-colour icons are 128×128 vector drawings, the symbolic icon is a
# 16×16 drawing in one colour (the desktop recolours it), none embeds raster
# images or text (which would not scale or would need fonts), and there is a
# full-colour icon for the stable and for the development application id.
#
# Usage: check-icons.py SOURCE_ROOT

import pathlib
import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
root = pathlib.Path(sys.argv[1]).resolve() / 'data' / 'icons' / 'hicolor'
app_id = 'io.github.floorwatch.Floorwatch'

expected = {
    root / 'scalable' / 'apps' / f'{app_id}.svg': (128, False),
    root / 'scalable' / 'apps' / f'{app_id}.Devel.svg': (128, False),
    root / 'symbolic' / 'apps' / f'{app_id}-symbolic.svg': (16, True),
}

failures = []
for path, (size, symbolic) in expected.items():
    name = path.relative_to(root.parent.parent.parent)
    if not path.is_file():
        failures.append(f'{name} is missing')
        continue
    try:
        svg = ET.parse(path).getroot()
    except ET.ParseError as error:
        failures.append(f'{name}: not well-formed XML: {error}')
        continue
    if svg.tag != SVG + 'svg':
        failures.append(f'{name}: the root element is not an SVG <svg>')
        continue
    if svg.get('width') != str(size) or svg.get('height') != str(size):
        failures.append(f'{name}: must be {size}×{size}, is {svg.get("width")}×{svg.get("height")}')
    if svg.get('viewBox') != f'0 0 {size} {size}':
        failures.append(f'{name}: viewBox must be "0 0 {size} {size}"')
    for element in svg.iter():
        if element.tag in (SVG + 'image', SVG + 'text', SVG + 'foreignObject'):
            failures.append(f'{name}: has a <{element.tag[len(SVG):]}> element')
        for attribute, value in element.attrib.items():
            if 'href' in attribute and not value.startswith('#'):
                failures.append(f'{name}: refers to an outside resource {value}')
    if symbolic:
        colours = set()
        for element in svg.iter():
            for attribute in ('fill', 'stroke'):
                value = element.get(attribute)
                if value and value not in ('none', 'currentColor'):
                    colours.add(value.lower())
            style = element.get('style') or ''
            colours.update(c.lower() for c in re.findall(r'(?:fill|stroke)\s*:\s*(#[0-9a-fA-F]{3,6})', style))
        if len(colours) > 1:
            failures.append(f'{name}: a symbolic icon has one colour, this one has {sorted(colours)}')
        if svg.find(f'.//{SVG}linearGradient') is not None or svg.find(f'.//{SVG}radialGradient') is not None:
            failures.append(f'{name}: a symbolic icon has no gradients')

for failure in failures:
    print(failure)
print(f'{len(expected)} icons checked, {len(failures)} problems')
sys.exit(1 if failures else 0)
