#!/usr/bin/env bash
# The README's probe-grid picture, taken for real: a signed probe.test on a private NSD, two
# private Postfix relays (a BER in MX with a matching TLSA record under an enforce MTA-STS policy,
# an SOR by SRV whose TLSA record does not match its key), an MTA-STS policy host, the window under
# Xvfb, F5 (the one live check, as `secmx check`), a click on a DANE cell, a screenshot into
# target/screenshots/probe-grid.png. Not part of tests/run.sh (it is a picture, not a test); needs
# root and what tests/run.sh installs.
#
# Run without arguments: it starts the peers through the integration test `parity::shoot_probe_grid`
# (the same fixture as the window/CLI parity test), which calls this script back with
# SECMX_SHOT_DESIGN (the design file) and XDG_CONFIG_HOME (the window's settings) set.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SECMX_SHOT_DESIGN:-}" ]; then
  exec cargo test --test integration parity::shoot_probe_grid -- --ignored --exact --nocapture
fi

target_dir="${CARGO_TARGET_DIR:-target}"
bin="${SECMX_BIN:-$target_dir/debug/secmx}"
shots="target/screenshots"
mkdir -p "$shots"
app_pid=""
xvfb_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -f "${xvfb_log:-}"
}
trap cleanup EXIT

. tests/xvfb.sh
start_xvfb 1280x800x24
export WAYLAND_DISPLAY=""
"$bin" "$SECMX_SHOT_DESIGN" >"$shots/probe-grid.log" 2>&1 &
app_pid=$!
win=""
for _ in $(seq 1 150); do
  win=$(xdotool search --name "SecMX Workbench" 2>/dev/null | head -n1 || true)
  [ -n "$win" ] && break
  sleep 0.2
done
[ -n "$win" ] || { echo "FATAL: no window" >&2; cat "$shots/probe-grid.log" >&2; exit 1; }
sleep 2
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-0.5}"; }
click "${SECMX_TAB_X:-823}" "${SECMX_TAB_Y:-43}"      # the "Probe grid" tab
click "${SECMX_RUN_X:-491}" "${SECMX_RUN_Y:-75}" "${SECMX_RUN_WAIT:-8}"  # "Probe all": the live check (as F5)
click "${SECMX_CELL_X:-790}" "${SECMX_CELL_Y:-246}" 1  # a DANE cell
xdotool mousemove 1270 790
sleep 1
import -window root "$shots/probe-grid.png"
echo "probe grid screenshot: $shots/probe-grid.png"
