#!/usr/bin/env bash
# The README's History-tab picture: a history of six checks of the Level 2 example a week apart
# (written by the ignored integration test `ui_over_time::shoot_history_db`: mx1's key rolled
# over with its record published, sor1's key replaced without its record, then fixed), the window
# under Xvfb on that example with XDG_DATA_HOME pointing at the history, a click on the History tab
# and on two runs, a screenshot into target/screenshots/history.png. Not part of tests/run.sh (a
# picture, not a test). Click positions can be moved with SECMX_TAB_X/Y, SECMX_RUN1_X, SECMX_RUN2_X,
# SECMX_RUN_Y; the timeline is scrolled SECMX_SCROLL_LEFT notches left before the first run is
# picked, SECMX_SCROLL_RIGHT right before the second.
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
# The timeline shows the newest runs; scroll it left (horizontal wheel) to reach older ones.
xdotool mousemove 830 250
for _ in $(seq 1 "${SECMX_SCROLL_LEFT:-3}"); do xdotool click 6; sleep 0.1; done
sleep 0.5
click "${SECMX_RUN1_X:-880}" "${SECMX_RUN_Y:-160}"     # Run 3 (sor1 still passes)
xdotool mousemove 830 250
for _ in $(seq 1 "${SECMX_SCROLL_RIGHT:-3}"); do xdotool click 7; sleep 0.1; done
sleep 0.5
click "${SECMX_RUN2_X:-748}" "${SECMX_RUN_Y:-160}"     # Run 4 (sor1 serves a new key its record does not match)
xdotool mousemove 1270 790
sleep 1
import -window root "$shots/history.png"
echo "history screenshot: $shots/history.png"
