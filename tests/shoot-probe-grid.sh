#!/usr/bin/env bash
# The README's probe-grid picture, taken for real: three private Postfix relays on loopback (a
# proper BER, a TLS-only relay wrongly listed in MX, a secure-only SOR), a design naming them, the
# window under Xvfb, "Probe all", a click on a cell, a screenshot into
# target/screenshots/probe-grid.png. Not part of tests/run.sh (it is a picture, not a test); needs
# root, postfix, openssl, Xvfb, xdotool, ImageMagick (tests/run.sh installs them) and a built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
bin="${SECMX_BIN:-$target_dir/debug/secmx}"
shots="target/screenshots"
mkdir -p "$shots"
[ -x "$bin" ] || cargo build --bin secmx

work=$(mktemp -d)
chmod 755 "$work"
cfg="$work/config"
app_pid=""
xvfb_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  /usr/sbin/postfix -c "$work/conf" abort >/dev/null 2>&1 || true
  rm -rf "$work" "${xvfb_log:-}"
}
trap cleanup EXIT

# A private CA and one leaf for the three relay names.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=Shot CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" -addext "basicConstraints=critical,CA:true" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=mx1.shot.test" \
  -keyout "$work/leaf.key" -out "$work/leaf.csr" 2>/dev/null
printf 'subjectAltName=DNS:mx1.shot.test,DNS:mx2.shot.test,DNS:sor1.shot.test\n' >"$work/ext"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
  -days 30 -extfile "$work/ext" -out "$work/leaf.pem" 2>/dev/null

mkdir -p "$work/conf" "$work/queue" "$work/data"
chown postfix "$work/data"
cat >"$work/conf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $work/queue
data_directory = $work/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx1.shot.test
mydestination =
relay_domains = shot.test
relay_transport = discard:
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
maillog_file_prefixes = $work
maillog_file = $work/maillog
smtputf8_enable = no
biff = no
smtpd_tls_cert_file = $work/leaf.pem
smtpd_tls_key_file = $work/leaf.key
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_exclude_ciphers = aNULL, eNULL, EXPORT, DES, RC4, 3DES, MD5, kRSA
EOF
cat >"$work/conf/master.cf" <<EOF
127.0.2.41:25 inet n - n - - smtpd -o smtpd_tls_security_level=may -o myhostname=mx1.shot.test
127.0.2.42:25 inet n - n - - smtpd -o smtpd_tls_security_level=encrypt -o myhostname=mx2.shot.test
127.0.2.43:2525 inet n - n - - smtpd -o smtpd_tls_security_level=encrypt -o myhostname=sor1.shot.test
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
discard unix - - n - - discard
error unix - - n - - error
retry unix - - n - - error
postlog unix-dgram n - n - 1 postlogd
EOF
/usr/sbin/postfix -c "$work/conf" start || { echo "FATAL: postfix did not start" >&2; cat "$work/maillog" >&2 || true; exit 1; }

cat >"$work/shot.secmx.toml" <<'EOF'
format = 1
domain = "shot.test"
level = 2
test_domain = true

[[relay]]
host = "mx1.shot.test"
role = "ber"
preference = 10
addresses = ["127.0.2.41"]

[[relay]]
host = "mx2.shot.test"
role = "ber"
preference = 20
addresses = ["127.0.2.42"]

[[relay]]
host = "sor1.shot.test"
role = "sor"
port = 2525
priority = 10
addresses = ["127.0.2.43"]
EOF
mkdir -p "$cfg/secmx"
printf '[net]\nca_file = "%s"\ntimeout_secs = 10\nconcurrency = 8\n' "$work/ca.pem" >"$cfg/secmx/settings.toml"

. tests/xvfb.sh
start_xvfb 1280x800x24
export XDG_CONFIG_HOME="$cfg" WAYLAND_DISPLAY=""
"$bin" "$work/shot.secmx.toml" >"$shots/probe-grid.log" 2>&1 &
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
click "${SECMX_RUN_X:-491}" "${SECMX_RUN_Y:-75}" 6    # "Probe all", then let the probes run
click "${SECMX_CELL_X:-850}" "${SECMX_CELL_Y:-${SECMX_CELL_Y_DEFAULT:-244}}" 1  # a cell of mx2's row
xdotool mousemove 1270 790
sleep 1
import -window root "$shots/probe-grid.png"
echo "probe grid screenshot: $shots/probe-grid.png"
