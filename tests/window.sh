#!/usr/bin/env bash
# A real window under Xvfb: starts the debug binary on an example design, waits for its window,
# takes a screenshot into target/screenshots/window.png and fails when the picture is blank.
# Needs: xvfb xauth imagemagick xdotool x11-apps (tests/run.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
bin="${SECMX_BIN:-$target_dir/debug/secmx}"
design="${1:-assets/examples/level2.secmx.toml}"
shots="target/screenshots"
out="$shots/${SECMX_SHOT_NAME:-window}.png"
mkdir -p "$shots"

[ -x "$bin" ] || cargo build --bin secmx
for tool in Xvfb xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "FATAL: $tool is missing (apt: xvfb xdotool imagemagick)" >&2; exit 1; }
done

# Private config dir: no recent files or recovery copy of the developer's own session.
cfg=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$cfg" "${xvfb_log:-}"
}
trap cleanup EXIT

# shellcheck source=tests/xvfb.sh
. tests/xvfb.sh
start_xvfb 1280x800x24

export XDG_CONFIG_HOME="$cfg" WAYLAND_DISPLAY=""
"$bin" "$design" >"$shots/window.log" 2>&1 &
app_pid=$!

win=""
for _ in $(seq 1 150); do
  win=$(xdotool search --name "SecMX Workbench" 2>/dev/null | head -n1 || true)
  [ -n "$win" ] && break
  kill -0 "$app_pid" 2>/dev/null || { echo "FATAL: the window process exited:" >&2; cat "$shots/window.log" >&2; echo "Xvfb's log:" >&2; cat "$xvfb_log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$win" ] || { echo "FATAL: no SecMX Workbench window appeared" >&2; cat "$shots/window.log" >&2; exit 1; }

# Let it draw a few frames (software rendering), then shoot the whole screen.
sleep "${SECMX_SHOT_DELAY:-3}"
xdotool mousemove 640 400 >/dev/null 2>&1 || true
sleep 1
import -window root "$out"

sd=$(convert "$out" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "window screenshot: $out (grey standard deviation $sd, window title: $(xdotool getwindowname "$win"))"
awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || { echo "FAILED: the screenshot is blank (sd $sd)" >&2; exit 1; }
kill -0 "$app_pid" 2>/dev/null || { echo "FAILED: the window process died" >&2; cat "$shots/window.log" >&2; exit 1; }
echo "window test: ok"
