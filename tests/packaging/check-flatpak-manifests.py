#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the Flatpak manifests in build-aux/flatpak/:
#  - they validate against build-aux/flatpak/flatpak-manifest.schema.json;
#  - flatpak-builder reads them without a single warning (an unknown key is a
#    warning there, and G_DEBUG=fatal-warnings makes it fatal);
#  - the sandbox holds what Floorwatch needs and nothing wider;
#  - the stable and development manifests differ only where they must.
#
# Usage: check-flatpak-manifests.py SOURCE_ROOT

import json
import os
import pathlib
import subprocess
import sys

import jsonschema

root = pathlib.Path(sys.argv[1]).resolve()
flatpak_dir = root / 'build-aux' / 'flatpak'
base_id = 'io.github.floorwatch.Floorwatch'

# Network for Genesys Cloud, IPC/Wayland/X11/DRI for GTK, the tray watcher.
# Secrets go through the Secret portal, notifications and background
# through portals too: no filesystem, no session bus wildcard, no host.
ALLOWED_FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
    '--talk-name=org.kde.StatusNotifierWatcher',
]

failures = []


def fail(manifest, message):
    failures.append(f'{manifest.name}: {message}')


schema = json.loads((flatpak_dir / 'flatpak-manifest.schema.json').read_text(encoding='utf-8'))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)

manifests = {}
for app_id in (base_id, base_id + '.Devel'):
    path = flatpak_dir / (app_id + '.json')
    if not path.is_file():
        failures.append(f'{path.relative_to(root)} is missing')
        continue
    try:
        manifest = json.loads(path.read_text(encoding='utf-8'))
    except ValueError as error:
        fail(path, f'not valid JSON: {error}')
        continue
    manifests[app_id] = (path, manifest)

    for error in sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path)):
        # For "one of" (a module object or a file name), name the deepest
        # reason rather than repeating the whole object.
        # A branch rejected for its "type" is another kind of source.
        while error.context:
            branches = {}
            for reason in error.context:
                branches.setdefault(reason.relative_schema_path[0], []).append(reason)
            live = [reasons for reasons in branches.values()
                    if not any(reason.validator == 'const' for reason in reasons)]
            pool = live[0] if len(live) == 1 else error.context
            error = max(pool, key=lambda e: len(e.absolute_path))
        location = '/'.join(str(p) for p in error.absolute_path) or '(top level)'
        fail(path, f'schema: {location}: {error.message}')

    env = dict(os.environ, G_DEBUG='fatal-warnings')
    result = subprocess.run(['flatpak-builder', '--show-manifest', str(path)],
                            capture_output=True, text=True, env=env, cwd=flatpak_dir)
    if result.returncode != 0 or result.stderr.strip():
        fail(path, f'flatpak-builder --show-manifest failed (exit {result.returncode}): '
                   f'{result.stderr.strip()}')
    else:
        shown = json.loads(result.stdout)
        if shown.get('id', shown.get('app-id')) != app_id:
            fail(path, 'flatpak-builder reads a different id')

    # Policy.
    if manifest.get('id') != app_id:
        fail(path, f'id is {manifest.get("id")!r}, expected {app_id!r} (the file name)')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        fail(path, 'runtime and sdk must be org.gnome.Platform and org.gnome.Sdk')
    if manifest.get('command') != 'floorwatch':
        fail(path, 'command must be floorwatch')
    finish_args = manifest.get('finish-args', [])
    if sorted(finish_args) != sorted(ALLOWED_FINISH_ARGS):
        wider = sorted(set(finish_args) - set(ALLOWED_FINISH_ARGS))
        missing = sorted(set(ALLOWED_FINISH_ARGS) - set(finish_args))
        fail(path, f'finish-args differ from the sandbox Floorwatch needs: '
                   f'extra {wider}, missing {missing}')

    modules = [m for m in manifest.get('modules', []) if isinstance(m, dict)]
    if not modules or modules[-1].get('name') != 'floorwatch':
        fail(path, 'the last module must be floorwatch')
        continue
    app_module = modules[-1]
    if app_module.get('buildsystem') != 'meson':
        fail(path, 'floorwatch is built with meson')
    sources = app_module.get('sources', [])
    if sources != [{'type': 'dir', 'path': '../..'}]:
        fail(path, 'floorwatch is built from this checkout (a dir source, path ../..)')
    want = '-Ddevelopment=' + ('true' if app_id.endswith('.Devel') else 'false')
    if want not in app_module.get('config-opts', []):
        fail(path, f'the floorwatch module needs config-opts {want}')
    if not (root / 'meson.build').is_file() or not (flatpak_dir / '../..').resolve() == root:
        fail(path, 'the dir source ../.. does not lead to the project root')

    # Every dependency is pinned: a git tag with the commit it must be at.
    for module in modules[:-1]:
        for source in module.get('sources', []):
            if isinstance(source, dict) and source.get('type') == 'git':
                if not source.get('tag') or not source.get('commit'):
                    fail(path, f'module {module.get("name")}: pin git sources by tag and commit')
    names = [m.get('name') for m in modules]
    if 'simdjson' not in names:
        fail(path, 'the engine links libsimdjson, which the GNOME runtime lacks')

if len(manifests) == 2:
    stable = manifests[base_id][1]
    devel = manifests[base_id + '.Devel'][1]
    if stable.get('runtime-version') != devel.get('runtime-version'):
        failures.append('stable and development manifests use different runtime versions')
    if stable.get('modules', [])[:-1] != devel.get('modules', [])[:-1]:
        failures.append('stable and development manifests build different dependencies')

for failure in failures:
    print(failure)
print(f'{len(manifests)} manifests checked, {len(failures)} problems')
sys.exit(1 if failures else 0)
