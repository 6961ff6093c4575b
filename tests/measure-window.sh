#!/usr/bin/env bash
# Speed numbers of the window (issue #5), on the release binary under Xvfb: time to the first frame,
# frame times with a 200-relay design while the pointer moves, idle CPU over 10 s, resident memory.
# Not part of tests/run.sh (it needs a release build); run it by hand after `cargo build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
bin="${SECMX_BIN:-$target_dir/release/secmx}"
cfg=$(mktemp -d)
log=$(mktemp)
xvfb_pid=""; app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$cfg" "$log"
}
trap cleanup EXIT
. tests/xvfb.sh
start_xvfb 1280x800x24
export XDG_CONFIG_HOME="$cfg" WAYLAND_DISPLAY="" SECMX_TIMING=1
tick=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

run() { # $1 = label; remaining = env assignments and args
  local label=$1; shift
  local t0 t1 win=""
  t0=$(date +%s.%N)
  env "$@" >"$log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 300); do
    win=$(xdotool search --name "SecMX Workbench" 2>/dev/null | head -n1 || true)
    [ -n "$win" ] && break
    sleep 0.02
  done
  t1=$(date +%s.%N)
  echo "== $label: window mapped after $(echo "$t1 - $t0" | bc) s"
  sleep 3
  local c0 c1
  c0=$(cpu_ticks "$app_pid"); sleep 10; c1=$(cpu_ticks "$app_pid")
  echo "   idle CPU over 10 s: $(echo "scale=2; ($c1 - $c0) * 100 / $tick / 10" | bc) %"
  for i in $(seq 1 130); do xdotool mousemove $((100 + (i * 7) % 1000)) $((100 + (i * 5) % 600)); sleep 0.02; done
  sleep 1
  echo "   RSS: $(awk '/VmRSS/ { print $2 / 1024 " MB" }' "/proc/$app_pid/status")"
  # Quit as a user does (Ctrl+Q; the design is unchanged, so no question): the window prints its
  # totals at exit. Killed only if it does not close within 10 s.
  xdotool windowfocus --sync "$win" 2>/dev/null || true
  xdotool key ctrl+q 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$app_pid" 2>/dev/null; then
    echo "   (did not close on Ctrl+Q within 10 s: killed; totals below are the last periodic ones)"
    kill "$app_pid"
  fi
  wait "$app_pid" 2>/dev/null || true; app_pid=""
  grep "secmx timing" "$log" | grep -v "at exit" | sed 's/^/   /' | tail -3
  grep "secmx timing: at exit" "$log" | sed 's/^/   /' || true
}

run "Level 2 example" "$bin" assets/examples/level2.secmx.toml
run "generated 200-relay design" SECMX_SAMPLE_RELAYS=200 "$bin"
