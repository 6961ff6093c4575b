#!/usr/bin/env bash
# The README's pictures of the window's guided parts, taken for real under Xvfb with no D-Bus
# session (so no desktop portal): the start page of a first start, the built-in file dialog that
# Save As falls back to, and an inline validation state (two bad addresses in one field, each
# listed under it, the row marked "⚠ invalid", the rest still judged). Writes
# target/screenshots/{start-page,file-dialog,inline-validation}.png; copy them to
# assets/screenshots/ when they change. Not part of tests/run.sh (pictures, not tests); needs what
# tests/run.sh installs (xvfb xdotool imagemagick). The clicks are at fixed points of the
# 1280×800 window; SECMX_ADDR_X/Y override the Addresses field's.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
bin="${SECMX_BIN:-$target_dir/debug/secmx}"
shots="target/screenshots"
mkdir -p "$shots"
[ -x "$bin" ] || cargo build --bin secmx

work=$(mktemp -d)
mkdir -p "$work/run" "$work/designs"
chmod 700 "$work/run"
xvfb_pid=""
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work" "${xvfb_log:-}"
}
trap cleanup EXIT

# shellcheck source=tests/xvfb.sh
. tests/xvfb.sh
start_xvfb 1280x800x24
unset DBUS_SESSION_BUS_ADDRESS
export XDG_RUNTIME_DIR="$work/run" WAYLAND_DISPLAY=""

# Start the window with a fresh config dir and these arguments; wait for it to draw.
start_app() {
  [ -n "$app_pid" ] && { kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; }
  rm -rf "$work/config"
  mkdir -p "$work/config"
  XDG_CONFIG_HOME="$work/config" "$bin" "$@" >"$work/app.log" 2>&1 &
  app_pid=$!
  local win=""
  for _ in $(seq 1 150); do
    win=$(xdotool search --name "SecMX Workbench" 2>/dev/null | head -n1 || true)
    [ -n "$win" ] && break
    kill -0 "$app_pid" 2>/dev/null || { echo "FATAL: the window exited" >&2; cat "$work/app.log" >&2; exit 1; }
    sleep 0.2
  done
  [ -n "$win" ] || { echo "FATAL: no window" >&2; cat "$work/app.log" >&2; exit 1; }
  sleep "${SECMX_SHOT_DELAY:-3}"
  # No window manager gives the window the keyboard focus: give it.
  xdotool mousemove 640 400
  xdotool windowfocus --sync "$win"
  sleep 0.3
}
shoot() {
  xdotool mousemove 1275 795
  sleep 1
  import -window root "$shots/$1.png"
  echo "screenshot: $shots/$1.png"
}

# 1. The first start: no design named, none remembered.
start_app
shoot start-page

# 2. Ctrl+S on a new design, no portal: the built-in dialog (in the last design's folder), with a
#    name typed.
cp assets/examples/level2.secmx.toml "$work/designs/"
start_app "$work/designs/level2.secmx.toml"
xdotool key --clearmodifiers ctrl+n
sleep 1
xdotool key --clearmodifiers ctrl+s
sleep 1
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 15 "agency.secmx.toml"
sleep 1
shoot file-dialog
xdotool key Escape

# 3. Inline validation: two bad addresses among good ones in relay 1's Addresses field.
start_app assets/examples/level2.secmx.toml
xdotool mousemove "${SECMX_ADDR_X:-270}" "${SECMX_ADDR_Y:-605}" click 1
sleep 0.5
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 15 "192.0.2.25, nope, 2001:db8::25, 192.0.2.300"
sleep 1
shoot inline-validation
