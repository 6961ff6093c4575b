#!/usr/bin/env bash
# The README's History-tab picture: a history of six checks of the Level 2 example a week apart
# (written by the ignored integration test `ui_over_time::shoot_history_db`: mx1's key rolled
# over with its record published, sor1's key replaced without its record, then fixed), the window
# under Xvfb on that example with XDG_DATA_HOME pointing at the history, a click on the History tab
# and on two runs, a screenshot into target/screenshots/history.png. Not part of tests/run.sh (a
# picture, not a test). Click positions can be moved with SECMX_TAB_X/Y, SECMX_RUN1_X, SECMX_RUN2_X,
# SECMX_RUN_Y.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
bin="${SECMX_BIN:-$target_dir/debug/secmx}"
shots="target/screenshots"
mkdir -p "$shots"
[ -n "${SECMX_BIN:-}" ] || cargo build --bin secmx

data=$(mktemp -d)
cfg=$(mktemp -d)
app_pid=""
xvfb_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$data" "$cfg" "${xvfb_log:-}"
}
trap cleanup EXIT

mkdir -p "$data/secmx"
SECMX_SHOT_HISTORY="$data/secmx/history.sqlite" \
  cargo test --test integration ui_over_time::shoot_history_db -- --ignored --exact >/dev/null
[ -s "$data/secmx/history.sqlite" ] || { echo "FATAL: no history written" >&2; exit 1; }

. tests/xvfb.sh
start_xvfb 1280x800x24
export XDG_CONFIG_HOME="$cfg" XDG_DATA_HOME="$data" WAYLAND_DISPLAY=""
"$bin" assets/examples/level2.secmx.toml >"$shots/history.log" 2>&1 &
app_pid=$!
win=""
for _ in $(seq 1 150); do
  win=$(xdotool search --name "SecMX Workbench" 2>/dev/null | head -n1 || true)
  [ -n "$win" ] && break
  sleep 0.2
done
[ -n "$win" ] || { echo "FATAL: no window" >&2; cat "$shots/history.log" >&2; exit 1; }
sleep 2
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-0.7}"; }
click "${SECMX_TAB_X:-890}" "${SECMX_TAB_Y:-43}" 2       # the "History" tab
click "${SECMX_RUN1_X:-600}" "${SECMX_RUN_Y:-120}"     # a run
click "${SECMX_RUN2_X:-660}" "${SECMX_RUN_Y:-120}"     # the next run
xdotool mousemove 1270 790
sleep 1
import -window root "$shots/history.png"
echo "history screenshot: $shots/history.png"
