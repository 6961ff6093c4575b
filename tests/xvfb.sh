# Sourced by tests/window.sh and tests/measure-window.sh: starts a private Xvfb and exports DISPLAY.
#
# Xvfb picks a free display number itself (-displayfd), so a display left over on this machine, a
# stale /tmp/.X<n>-lock or another X server cannot make the test talk to the wrong server or to none.
# Everything Xvfb prints goes to a log that is shown when it does not come up. Sets xvfb_pid and
# xvfb_log; the caller kills xvfb_pid on exit.
start_xvfb() {
  local geometry=${1:-1280x800x24}
  xvfb_log=$(mktemp)
  local fdfile
  fdfile=$(mktemp)
  # X clients look for the server's socket in /tmp/.X11-unix; Xvfb only creates it when it runs as
  # root, so make it (world-writable, sticky, as X expects) when it is missing.
  if [ ! -d /tmp/.X11-unix ]; then
    mkdir -p -m 1777 /tmp/.X11-unix 2>/dev/null || sudo -n mkdir -p -m 1777 /tmp/.X11-unix 2>/dev/null || true
  fi
  Xvfb -displayfd 3 -screen 0 "$geometry" -nolisten tcp 3>"$fdfile" >"$xvfb_log" 2>&1 &
  xvfb_pid=$!
  local n=""
  for _ in $(seq 1 300); do
    n=$(tr -dc '0-9' <"$fdfile" 2>/dev/null || true)
    [ -n "$n" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$fdfile"
  if [ -z "$n" ]; then
    echo "FATAL: Xvfb did not start (user $(id -un), /tmp/.X11-unix: $(ls -ld /tmp/.X11-unix 2>&1)). Its log:" >&2
    cat "$xvfb_log" >&2
    return 1
  fi
  export DISPLAY=":$n"
  local ok=0
  for _ in $(seq 1 300); do
    if xdotool getdisplaygeometry >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.1
  done
  if [ "$ok" -ne 1 ]; then
    echo "FATAL: Xvfb runs on $DISPLAY but no client can connect to it. Its log:" >&2
    cat "$xvfb_log" >&2
    return 1
  fi
  echo "Xvfb up on $DISPLAY (pid $xvfb_pid)"
}
