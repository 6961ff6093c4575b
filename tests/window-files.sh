#!/usr/bin/env bash
# Files always work, end to end: the real window under Xvfb on a desktop with no D-Bus session bus
# (so no xdg-desktop-portal). File ▸ New, Ctrl+S → the built-in file dialog → type a path → the
# design file exists and the command line and a second window both load it; then the Zone
# snippet's "Save…" → the built-in dialog → the snippet, wrapped in an SOA and NS, passes
# named-checkzone. Needs: xvfb xdotool imagemagick bind9-utils (tests/run.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
bin="${SECMX_BIN:-$target_dir/debug/secmx}"
shots="target/screenshots"
mkdir -p "$shots"
[ -x "$bin" ] || cargo build --bin secmx
for tool in Xvfb xdotool import named-checkzone; do
  command -v "$tool" >/dev/null || { echo "FATAL: $tool is missing (apt: xvfb xdotool imagemagick bind9-utils)" >&2; exit 1; }
done

work=$(mktemp -d)
cfg="$work/config"
run="$work/run"
mkdir -p "$cfg" "$run"
chmod 700 "$run"
xvfb_pid=""
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work" "${xvfb_log:-}"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*" >&2
  import -window root "$shots/window-files-failed.png" 2>/dev/null || true
  echo "(screenshot: $shots/window-files-failed.png; the window's log follows)" >&2
  cat "$work/app.log" >&2 || true
  exit 1
}

# shellcheck source=tests/xvfb.sh
. tests/xvfb.sh
start_xvfb 1280x800x24

# No session bus, no portal: what a bare window manager session without xdg-desktop-portal has.
unset DBUS_SESSION_BUS_ADDRESS
export XDG_RUNTIME_DIR="$run" XDG_CONFIG_HOME="$cfg" WAYLAND_DISPLAY="" RUST_LOG="${RUST_LOG:-secmx=info}"

# Start the window and wait for it; sets app_pid and win.
start_app() {
  "$bin" "$@" >"$work/app.log" 2>&1 &
  app_pid=$!
  win=""
  for _ in $(seq 1 150); do
    win=$(xdotool search --name "SecMX Workbench" 2>/dev/null | head -n1 || true)
    [ -n "$win" ] && break
    kill -0 "$app_pid" 2>/dev/null || fail "the window process exited"
    sleep 0.2
  done
  [ -n "$win" ] || fail "no SecMX Workbench window appeared"
  sleep "${SECMX_SHOT_DELAY:-3}"
  # No window manager gives the window the keyboard focus: give it, and keep the pointer on it.
  xdotool mousemove 640 400
  xdotool windowfocus --sync "$win"
  sleep 0.3
}

# Wait until a file exists (the app writes it a frame after the key press).
wait_file() {
  for _ in $(seq 1 50); do
    [ -s "$1" ] && return 0
    sleep 0.2
  done
  return 1
}

# Type a path into the built-in dialog's path field (focused when the dialog opens), press Enter.
type_path() {
  sleep 1
  import -window root "$shots/window-files-dialog.png"
  xdotool key --clearmodifiers ctrl+a
  xdotool type --delay 15 "$1"
  sleep 0.3
  xdotool key Return
}

design="$work/new-design.secmx.toml"
zone="$work/example.org.zone"

# Start on the example (a first start without a file shows the start page instead).
start_app assets/examples/level2.secmx.toml
t0=$(date +%s%N)
xdotool key --clearmodifiers ctrl+n
sleep 0.5
xdotool key --clearmodifiers ctrl+s
type_path "$design"
wait_file "$design" || fail "Ctrl+S on a new design wrote no file (the built-in dialog did not appear or did not save)"
t1=$(date +%s%N)
echo "design saved through the built-in dialog: $design ($(( (t1 - t0) / 1000000 )) ms from New, typing included)"
grep -q 'domain = "example.org"' "$design" || fail "the saved design is not the new one: $(cat "$design")"
"$bin" lint "$design" >/dev/null 2>&1 || [ $? -eq 1 ] || fail "the saved design does not load: $("$bin" lint "$design" 2>&1)"
sleep 0.5
title=$(xdotool getwindowname "$win")
case "$title" in
  new-design.secmx.toml*) ;;
  *) fail "the window title does not name the saved file: $title" ;;
esac

# The Zone snippet tab is the one shown; its "Save…" button sits at a fixed place right of the
# editor panel (450 px wide by default) in a 1280x800 window: (537, 75).
xdotool mousemove "${SECMX_ZONE_SAVE_X:-537}" "${SECMX_ZONE_SAVE_Y:-75}" click 1
type_path "$zone"
wait_file "$zone" || fail "the Zone tab's Save… wrote no file"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""

checked="$work/check.zone"
{
  printf '$ORIGIN example.org.\n$TTL 3600\n'
  printf '@ IN SOA ns1.example.org. hostmaster.example.org. 1 7200 3600 1209600 3600\n'
  printf '@ IN NS ns1.example.org.\nns1.example.org. IN A 192.0.2.53\n\n'
  cat "$zone"
} >"$checked"
named-checkzone -k fail -m fail -M fail -S fail -i local example.org "$checked" \
  || fail "named-checkzone rejected the saved snippet: $(cat "$zone")"

# The saved design reloads in a second window.
start_app "$design"
title=$(xdotool getwindowname "$win")
case "$title" in
  new-design.secmx.toml*example.org*) echo "reloaded: $title" ;;
  *) fail "the saved design did not reload: $title" ;;
esac
grep -i "built-in file dialog\|portal" "$work/app.log" | head -3 || true
echo "window files test: ok"
