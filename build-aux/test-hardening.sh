#!/bin/sh
# The checks that take longer than the quick suite: every test again under
# AddressSanitizer and UBSan, the engine and CLI tests under valgrind, each
# fuzz target for a bounded time, and the CLI soak against a failing
# simulator.  Run after build-aux/test.sh; a failure in any step fails the
# whole, after every step has run.
#
#   build-aux/test-hardening.sh [--plain-build=DIR] [--build-root=DIR] [STEP…]
#
# STEP is sanitize, valgrind, fuzz or soak (default: all four, in that order).
# --plain-build  an ordinary build directory of this tree (gcc, as test.sh
#                makes it) for valgrind and the soak; default: one of our own
# --build-root   where the extra build directories go (default _build/hardening)
#
# Environment: FW_FUZZ_SECONDS (per target, default 60), FW_SOAK_SECONDS
# (default 120), FW_VALGRIND_TIMEOUT_SCALE (default 10), FW_HARDENING_APP
# (true/false: the GTK app's suite in the sanitizer build; default: when
# GTK 4 and libadwaita are there).
#
# It runs itself in a private D-Bus session, under Xvfb, with a throw-away
# HOME and an unlocked gnome-keyring, as build-aux/test-session.sh does.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
self="$top/build-aux/test-hardening.sh"

# ---- Running inside a private session ----

if [ "${FW_HARDENING_SESSION:-}" != 1 ]; then
  "$top/build-aux/install-deps.sh" --hardening
  export FW_HARDENING_SESSION=1
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$self" "$@"
fi

if [ "${FW_HARDENING_HOME:-}" = "" ]; then
  home=$(mktemp -d "${TMPDIR:-/tmp}/floorwatch-hardening-home.XXXXXX")
  trap 'rm -rf "$home"' EXIT
  export FW_HARDENING_HOME="$home"
  export HOME="$home"
  export XDG_DATA_HOME="$home/.local/share"
  export XDG_CONFIG_HOME="$home/.config"
  export XDG_CACHE_HOME="$home/.cache"
  export XDG_RUNTIME_DIR="$home/runtime"
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  # Any password creates and unlocks a fresh login keyring (an empty one
  # does not create it); the keyring lives in the throw-away home.
  printf 'floorwatch-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
fi

# ---- Options ----

build_root="$top/_build/hardening"
plain=""
steps=""
for arg in "$@"; do
  case "$arg" in
    --plain-build=*) plain=$(cd "${arg#--plain-build=}" && pwd) ;;
    --build-root=*) build_root=${arg#--build-root=} ;;
    sanitize|valgrind|fuzz|soak) steps="$steps $arg" ;;
    -h|--help) sed -n '2,22p' "$self" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test-hardening.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
steps=${steps:-sanitize valgrind fuzz soak}
mkdir -p "$build_root"
build_root=$(cd "$build_root" && pwd)

fuzz_seconds=${FW_FUZZ_SECONDS:-60}
soak_seconds=${FW_SOAK_SECONDS:-120}
valgrind_scale=${FW_VALGRIND_TIMEOUT_SCALE:-10}

failed=""
summary=""

note () {
  printf '\n==== %s ====\n' "$*"
}

# Runs one step, times it and remembers how it went.
step () {
  name=$1
  shift
  note "$name"
  start=$(date +%s)
  if "$@"; then
    result=ok
  else
    result=FAILED
    failed="$failed $name"
  fi
  summary="$summary$(printf '%-10s %-7s %5d s' "$name" "$result" $(( $(date +%s) - start )))
"
}

# An ordinary build for valgrind and the soak: the caller's, or our own.
ensure_plain () {
  if [ -z "$plain" ]; then
    plain="$build_root/plain"
    if [ ! -f "$plain/build.ninja" ]; then
      meson setup "$plain" "$top" --buildtype=debugoptimized -Dapp=false
    fi
  fi
  ninja -C "$plain"
}

# ---- 1. Everything again under AddressSanitizer and UBSan ----

# Any report fails the test that made it.  G_SLICE=always-malloc: GLib 2.74's
# slice allocator would hide a use-after-free of a GObject, and leaked
# GObjects, inside its slabs.
sanitizer_env () {
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:detect_leaks=1"
  export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
  export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
  export G_SLICE=always-malloc
}

# Suites whose tests start no SoupServer of libsoup's own: LeakSanitizer
# checks them.  Every SoupServer leaks a GSocket per accepted connection
# (libsoup 3.2, see tests/lsan.supp), and the fast unwinder cannot see past
# GLib's frames (no frame pointers) for a suppression to match; the slow one
# makes the suite ten times slower.  So the tests that run the simulator are
# checked for memory errors and undefined behaviour here, and for leaks by
# the valgrind step, which has whole stacks.
leak_checked_suites="unit fuzz-corpus"

run_sanitize () {
  dir="$build_root/sanitize"
  app=${FW_HARDENING_APP:-}
  if [ -z "$app" ]; then
    if pkg-config --exists gtk4 libadwaita-1; then app=true; else app=false; fi
  fi

  # -Dwerror=false: GCC's sanitizer instrumentation produces false
  # -Wnonnull and -Warray-bounds warnings; the plain build keeps -Werror.
  # float-cast-overflow is not part of GCC's -fsanitize=undefined.
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$top" --buildtype=debugoptimized -Dapp="$app" \
      -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=false \
      -Dc_args=-fsanitize=float-cast-overflow -Dcpp_args=-fsanitize=float-cast-overflow || return 1
  fi
  ninja -C "$dir" || return 1

  with_leaks=""
  without_leaks="--no-suite packaging --no-suite soak"
  for suite in $leak_checked_suites; do
    with_leaks="$with_leaks --suite $suite"
    without_leaks="$without_leaks --no-suite $suite"
  done

  # The packaging checks run no code of ours; the soak has its own step.
  # shellcheck disable=SC2086
  (
    sanitizer_env
    status=0
    meson test -C "$dir" --print-errorlogs --num-processes 2 --no-rebuild \
      --logbase leak-checked $with_leaks || status=1
    # shellcheck disable=SC2030
    export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
    meson test -C "$dir" --print-errorlogs --num-processes 2 --no-rebuild \
      --logbase memory-errors $without_leaks || status=1
    exit $status
  )
}

# ---- 2. valgrind memcheck over the engine and CLI tests ----

# A memcheck error (exit status 99, or an error in the log of a CLI that
# test-cli started) fails at once.  A test that fails in itself under
# valgrind's 20–50 times slower clock gets one more run: what it tests is
# proven by the ordinary and the sanitizer runs too.  The slow binaries run
# one GTest path at a time, so that such a retry is short, two at a time.
valgrind_tests="test-notification test-correlation-set test-event-store test-token-source
test-api test-session test-board test-alert-rules test-cli
fuzz-corpus-notification fuzz-corpus-rest fuzz-corpus-environment"
valgrind_per_path="test-token-source test-api test-session test-cli"

# Paths left out under valgrind, each for a reason of time, not of memory:
# they set sub-second request timeouts or token lifetimes and assert on the
# time things took, which valgrind's slowness turns into failures; the same
# code paths run under valgrind in the other paths of the same binaries.
valgrind_skip="/engine/token-source/timeout /engine/token-source/cancel-waiter
/engine/token-source/min-renew-lead /engine/token-source/renewal-failure-keeps-token
/engine/token-source/renews-ahead-of-expiry"

run_valgrind () {
  ensure_plain || return 1
  logs="$build_root/valgrind"
  rm -rf "$logs"
  mkdir -p "$logs"

  # The CLI that test-cli starts runs under valgrind too, each process with
  # its own log, checked after the test path that started it.
  cat > "$logs/floorwatch-cli" <<EOF
#!/bin/sh
exec valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite,indirect \\
  --show-leak-kinds=definite,indirect --num-callers=40 \\
  --suppressions="$top/tests/valgrind.supp" \\
  --log-file="\${FW_VALGRIND_LOG_DIR:-$logs}/cli-%p.log" \\
  "$plain/src/cli/floorwatch-cli" "\$@"
EOF
  chmod +x "$logs/floorwatch-cli"

  meson introspect "$plain" --tests > "$logs/tests.json" || return 1

  # shellcheck disable=SC2086
  FW_VALGRIND_PER_PATH="$valgrind_per_path" FW_VALGRIND_SKIP="$valgrind_skip" \
  python3 - "$logs" "$top/tests/valgrind.supp" "$valgrind_scale" $valgrind_tests <<'EOF'
import concurrent.futures, json, os, re, subprocess, sys, time

logs, supp, scale, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
per_path = os.environ['FW_VALGRIND_PER_PATH'].split()
skip = set(os.environ['FW_VALGRIND_SKIP'].split())
tests = {t['name']: t for t in json.load(open(os.path.join(logs, 'tests.json')))}
memcheck = ['valgrind', '--tool=memcheck', '--leak-check=full',
            '--errors-for-leak-kinds=definite,indirect',
            '--show-leak-kinds=definite,indirect', '--error-exitcode=99',
            '--num-callers=40', '--suppressions=' + supp]
RUN_TIMEOUT = 600

def env_for(test, log_dir):
    env = dict(os.environ)
    env.update(test['env'])
    env['G_SLICE'] = 'always-malloc'
    env['FW_TEST_TIMEOUT_SCALE'] = scale
    env['FW_CLI'] = os.path.join(logs, 'floorwatch-cli')
    env['FW_VALGRIND_LOG_DIR'] = log_dir
    return env

def runs(name):
    test = tests.get(name)
    if test is None:
        return [(name, None, None)]
    if name in per_path:
        listing = subprocess.run(test['cmd'] + ['-l'], env=env_for(test, logs),
                                 capture_output=True, text=True, timeout=60)
        paths = [l for l in listing.stdout.splitlines() if l.startswith('/')]
        return [(name, test, ['-p', p]) for p in paths if p not in skip]
    args = []
    if test['protocol'] == 'tap' and not name.startswith('fuzz-corpus'):
        for p in sorted(skip):
            args += ['-s', p]
    return [(name, test, args)]

def cli_errors(log_dir):
    bad = []
    for f in sorted(os.listdir(log_dir)):
        if f.startswith('cli-'):
            text = open(os.path.join(log_dir, f), errors='replace').read()
            m = re.search(r'ERROR SUMMARY: (\d+) errors', text)
            if m and int(m.group(1)) > 0:
                bad.append(f)
    return bad

def run(item):
    name, test, args = item
    label = name + (' ' + args[1] if args and args[0] == '-p' else '')
    if test is None:
        return (label, 'FAILED: no such test in this build', 0)
    log_dir = os.path.join(logs, re.sub(r'[^A-Za-z0-9_.-]', '_', label))
    start = time.time()
    for attempt in (1, 2):
        os.makedirs(log_dir, exist_ok=True)
        for f in os.listdir(log_dir):
            os.unlink(os.path.join(log_dir, f))
        with open(os.path.join(log_dir, 'test.log'), 'w') as out:
            try:
                rc = subprocess.run(memcheck + test['cmd'] + args, env=env_for(test, log_dir),
                                    stdout=out, stderr=subprocess.STDOUT,
                                    timeout=RUN_TIMEOUT).returncode
            except subprocess.TimeoutExpired:
                rc = 'a timeout'
        if rc == 99 or cli_errors(log_dir):
            return (label, 'MEMCHECK ERROR, see %s/' % log_dir, time.time() - start)
        if rc == 0:
            return (label, 'ok' if attempt == 1 else 'ok on the second run', time.time() - start)
    return (label, 'FAILED twice (%s), see %s/' % (rc if isinstance(rc, str) else 'exit %d' % rc,
                                                   log_dir), time.time() - start)

items = [i for n in names for i in runs(n)]
failed = 0
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    for label, result, seconds in pool.map(run, items):
        print('%-4s %-58s %4.0f s  %s' % ('ok' if result.startswith('ok') else 'FAIL', label,
                                          seconds, result), flush=True)
        failed += not result.startswith('ok')
print('valgrind: %d of %d runs failed' % (failed, len(items)))
sys.exit(1 if failed else 0)
EOF
}

# ---- 3. libFuzzer, each target for a bounded time ----

fuzz_targets="notification rest environment"

run_fuzz () {
  dir="$build_root/fuzz"
  work="$build_root/fuzz-work"

  # libFuzzer lives in libclang-rt-14-dev, which clang only recommends.
  probe="$build_root/libfuzzer-probe.c"
  printf 'int LLVMFuzzerTestOneInput (const char *d, unsigned long n) { return 0; }\n' > "$probe"
  if ! clang -fsanitize=fuzzer "$probe" -o "$build_root/libfuzzer-probe" 2>/dev/null; then
    echo "clang cannot link libFuzzer: install libclang-rt-14-dev" >&2
    return 1
  fi

  if [ ! -f "$dir/build.ninja" ]; then
    CC=clang CXX=clang++ meson setup "$dir" "$top" --buildtype=debugoptimized -Dapp=false \
      -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=false \
      -Dc_args=-fsanitize=fuzzer-no-link -Dcpp_args=-fsanitize=fuzzer-no-link || return 1
  fi
  targets=""
  for t in $fuzz_targets; do targets="$targets tests/fuzz/fuzz-$t"; done
  # shellcheck disable=SC2086
  ninja -C "$dir" $targets || return 1

  rm -rf "$work"
  status=0
  for t in $fuzz_targets; do
    mkdir -p "$work/$t/corpus"
    # New inputs go to a scratch copy, never into the source tree.
    cp "$top/tests/corpus/$t/"* "$work/$t/corpus/"
  done

  # Two at a time, one per core.
  run_target () {
    t=$1
    (
      sanitizer_env
      "$dir/tests/fuzz/fuzz-$t" -max_total_time="$fuzz_seconds" -timeout=30 \
        -rss_limit_mb=3072 -max_len=4096 -print_final_stats=1 \
        -artifact_prefix="$work/$t/" "$work/$t/corpus" > "$work/$t/fuzz.log" 2>&1
    )
  }
  # shellcheck disable=SC2086
  set -- $fuzz_targets
  while [ $# -gt 0 ]; do
    first=$1; shift
    run_target "$first" &
    pid1=$!
    pid2=""
    if [ $# -gt 0 ]; then
      second=$1; shift
      run_target "$second" &
      pid2=$!
    fi
    wait "$pid1" || status=1
    if [ -n "$pid2" ]; then wait "$pid2" || status=1; fi
  done

  for t in $fuzz_targets; do
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/fuzz.log")
    corpus=$(find "$work/$t/corpus" -type f | wc -l)
    crashes=""
    for c in "$work/$t"/crash-* "$work/$t"/leak-* "$work/$t"/timeout-* "$work/$t"/oom-* \
             "$work/$t"/slow-unit-*; do
      if [ -e "$c" ]; then crashes="$crashes $c"; fi
    done
    echo "fuzz-$t: ${runs:-?} inputs in ${fuzz_seconds} s, corpus now $corpus files"
    if [ -n "$crashes" ]; then
      status=1
      for c in $crashes; do
        echo "fuzz-$t: $c"
        echo "  replay: $dir/tests/fuzz/fuzz-$t $c"
        echo "  base64: $(base64 -w0 "$c")"
      done
      grep -E 'ERROR|runtime error|CRITICAL|WARNING|SUMMARY' "$work/$t/fuzz.log" | head -20
    elif ! grep -q 'Done [0-9]* runs' "$work/$t/fuzz.log"; then
      status=1
      tail -30 "$work/$t/fuzz.log"
    fi
  done
  return $status
}

# ---- 4. The CLI soak ----

run_soak () {
  ensure_plain || return 1
  FW_SOAK_SECONDS="$soak_seconds" meson test -C "$plain" --setup=hardening --suite=soak \
    --print-errorlogs --no-rebuild --timeout-multiplier=$(( (soak_seconds + 600) / 600 + 1 ))
}

for s in $steps; do
  step "$s" "run_$s"
done

note summary
printf '%s' "$summary"
n_steps=$(echo $steps | wc -w)
n_failed=$(echo $failed | wc -w)
echo "hardening: $(( n_steps - n_failed )) passed, $n_failed failed"
if [ -n "$failed" ]; then
  echo "failed:$failed"
  exit 1
fi
