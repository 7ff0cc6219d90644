#!/bin/sh
# Runs the benchmarks and prints the performance table of the README, in
# Markdown, on stdout (progress and the benchmarks' own output on stderr).
#
#   build-aux/perf-table.sh [BUILD-DIR]
#
# BUILD-DIR is an ordinary build of this tree (default _build/tests, as
# build-aux/test.sh makes it); it is brought up to date first.  The window row needs the GTK app in that build (-Dapp=true) and
# a display (it uses xvfb-run when there is none).
#
# Environment: FW_PERF_RUNS, measurements per fault for bench-reconnect
# (default 3).  Run it on an otherwise idle machine: the figures are rates.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build/tests}
runs=${FW_PERF_RUNS:-3}

if [ ! -f "$build/build.ninja" ]; then
  echo "perf-table.sh: $build is not a build directory (meson setup $build first)" >&2
  exit 2
fi

ninja -C "$build" >&2

# How the commands in the table name the build directory.
shown=$(cd "$build" && pwd)
case "$shown" in
  "$top"/*) shown=${shown#"$top"/} ;;
esac

log=$(mktemp -d "${TMPDIR:-/tmp}/floorwatch-perf.XXXXXX")
trap 'rm -rf "$log"' EXIT

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
cores=$(nproc)

# ---- Ingest: socket → parse → de-duplicate → event store ----

echo "perf-table.sh: bench-ingest (the engine's path)…" >&2
"$build/tests/bench-ingest" > "$log/ingest.txt" || true
cat "$log/ingest.txt" >&2
echo "perf-table.sh: bench-ingest --mode=plain (a bare libsoup client, for comparison)…" >&2
"$build/tests/bench-ingest" --mode=plain > "$log/plain.txt" || true
cat "$log/plain.txt" >&2

ingest_rate=$(grep -E '^throughput:' "$log/ingest.txt" | sed -n 's/.*: \([0-9][0-9,.]*\) frames\/s.*/\1/p')
plain_rate=$(grep -E '^throughput:' "$log/plain.txt" | sed -n 's/.*: \([0-9][0-9,.]*\) frames\/s.*/\1/p')
ingest_us=$(grep -E 'CPU: client busy' "$log/ingest.txt" | sed -n 's/.*(\([0-9.]*\) us per frame.*/\1/p')
ingest_bytes=$(grep -E '^memory:' "$log/ingest.txt" | sed -n 's/.*, \([0-9]*\) bytes per notification.*/\1/p')
ingest_mix=$(grep -E '^malformed mix:' "$log/ingest.txt" | sed -n 's/.*: \([A-Z]*\)$/\1/p')

# ---- The window under a steady stream ----

window_row=""
if [ -x "$build/tests/app/bench-app" ]; then
  echo "perf-table.sh: bench-app (the window under a steady stream, 60 s, then an empty window)…" >&2
  # As the app's tests run: the schemas of the build, settings in memory,
  # a display and a session bus of its own when there are none.  Under Xvfb
  # GTK's GL renderer is Mesa's software rasterizer, which draws on the CPU
  # while the main thread waits: the cairo renderer unless GSK_RENDERER says.
  renderer=${GSK_RENDERER:-cairo}
  set -- env GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" NO_AT_BRIDGE=1 \
    GSK_RENDERER="$renderer" "$build/tests/app/bench-app"
  if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    set -- dbus-run-session -- "$@"
  fi
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    set -- xvfb-run -a -s "-screen 0 1280x800x24" "$@"
  fi
  "$@" --seconds=60 > "$log/app.txt" || true
  "$@" --empty --seconds=20 > "$log/app-empty.txt" || true
  cat "$log/app.txt" "$log/app-empty.txt" >&2
  late=$(sed -n 's/^main loop: a 10 ms high-priority timer ran at most \([0-9.]*\) ms late.*/\1/p' "$log/app.txt")
  steady=$(sed -n 's/^steady: .* = \([0-9.]*\) events\/s.*/\1/p' "$log/app.txt")
  cpu_share=$(sed -n 's/^app CPU: \([0-9.]*\) % of one core.*/\1/p' "$log/app.txt")
  rss=$(sed -n 's/^memory (the window, at the end): \([0-9.]*\) MB resident.*/\1/p' "$log/app.txt")
  empty_rss=$(sed -n 's/^memory (an empty libadwaita window): \([0-9.]*\) MB resident.*/\1/p' "$log/app-empty.txt")
  if [ -n "$late" ]; then
    window_row="| window stall, worst (a 10 ms high-priority timer's lateness while the list follows ${steady:-?} events/s for 60 s, 50,000 kept; GSK_RENDERER=$renderer; app CPU ${cpu_share:-?} % of a core) | ${late} ms | \`$shown/tests/app/bench-app --seconds=60\` (under Xvfb, settings in memory) |"
  fi
  if [ -n "$rss" ] && [ -n "$empty_rss" ]; then
    window_row="$window_row
| window memory at the end of that run, against an empty libadwaita window measured the same way | ${rss} MB against ${empty_rss} MB: $(awk "BEGIN { printf \"%.1f\", $rss - $empty_rss }") MB more | \`bench-app --seconds=60\`, \`bench-app --empty\` |"
  fi
fi
if [ -z "$window_row" ]; then
  window_row="| window stall, worst | not measured here | needs the app: \`meson setup BUILD -Dapp=true\`, then \`xvfb-run -a BUILD/tests/app/bench-app\` (its \"main loop: … ran at most N ms late\" line) |"
fi

# ---- Reconnect after each fault ----

echo "perf-table.sh: bench-reconnect ($runs runs per fault)…" >&2
"$build/tests/bench-reconnect" --runs="$runs" --markdown > "$log/reconnect.md"

# ---- The table ----

cat <<EOF
Measured with \`build-aux/perf-table.sh\` on $(date -u +%Y-%m-%d): $cpu, $cores cores.

| what | figure | command |
|---|---|---|
| notifications ingested (socket → parse → de-duplicate → event store), ~1 KB frames | ${ingest_rate:-?} frames/s | \`$shown/tests/bench-ingest\` |
| the same with a bare libsoup client on the main thread (comparison) | ${plain_rate:-?} frames/s | \`$shown/tests/bench-ingest --mode=plain\` |
| CPU per notification, whole client | ${ingest_us:-?} µs | \`bench-ingest\` ("CPU: client busy") |
| memory per retained notification | ${ingest_bytes:-?} bytes | \`bench-ingest\` ("memory:") |
| 1 % broken and 1 % duplicate frames refused | ${ingest_mix:-?} | \`bench-ingest\` ("malformed mix") |
$window_row

Feed down after each fault: a fresh session with the default backoff
(backoff-initial 1000 ms, so a first retry waits 0.5–1 s), heartbeat-timeout
2000 ms and pong-timeout 1000 ms instead of 70 s and 10 s (with the defaults a
silent socket is noticed after 70 s + 10 s).  Probe events are published
every 20 ms from the fault on; "feed back" is the arrival of the first one
published after the session was live again (and stayed live for a second).
\`$shown/tests/bench-reconnect --runs=$runs --markdown\`

EOF
cat "$log/reconnect.md"
