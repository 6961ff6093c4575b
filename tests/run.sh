#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine: installs what the tests need (apt), then runs
# formatting, lints and every test. Fails loudly when something cannot be installed: no test is
# ever skipped because a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: named-checkzone (bind9-utils), nsd-checkzone (nsd) and kzonecheck
# (knot-dnssecutils) load exported zone snippets (tests/integration/zone_load.rs);
# the live DNS tests run a private NSD (nsd) on zones signed with ldns-keygen/ldns-signzone (ldnsutils).
# postfix runs the private test relays of the live-probe tests (tests/integration/probe.rs).
# Xvfb, xdotool and ImageMagick run the real-window screenshot test (tests/window.sh).
# unbound is the caching resolver of the import-TTL test and the resolver the peers below ask;
# python3-venv holds checkdmarc and postfix-mta-sts-resolver, the SPF/DMARC and MTA-STS policy peers of the
# differential tests (tests/integration/peers.rs).
packages=(bind9-utils nsd knot-dnssecutils ldnsutils postfix xvfb xauth imagemagick xdotool x11-apps unbound python3-venv)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> installing: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if ! $SUDO apt-get update -qq; then
    echo "FATAL: 'apt-get update' failed; the tests need: ${missing[*]}" >&2
    exit 1
  fi
  # postfix asks what kind of mail system to set up: none (the tests configure their own instances).
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    echo "FATAL: cannot install ${missing[*]}; the tests need them" >&2
    exit 1
  fi
fi
for tool in named-checkzone /usr/sbin/nsd /usr/sbin/nsd-checkzone kzonecheck ldns-keygen ldns-signzone ldns-dane /usr/sbin/postfix posttls-finger /usr/sbin/unbound Xvfb xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "FATAL: $tool is still missing after the install" >&2; exit 1; }
done

# checkdmarc (PyPI), the independent SPF/DMARC implementation, and postfix-mta-sts-resolver
# (PyPI), whose MTA-STS policy parser the differential tests compare with, in a venv of their own;
# the tests find them through SECMX_CHECKDMARC and SECMX_STS_PEER_PYTHON and fail without them.
venv=target/peers-venv
# Pinned: the recorded disagreements (tests/data/disagreements.toml) are with these versions.
peer_pkgs="checkdmarc==6.0.4 postfix-mta-sts-resolver==1.5.1"
if [ ! -x "$venv/bin/checkdmarc" ] || ! "$venv/bin/python3" -c "import postfix_mta_sts_resolver.resolver" 2>/dev/null; then
  echo "==> python3 -m venv $venv; pip install $peer_pkgs"
  if ! /usr/bin/python3 -m venv "$venv" || ! "$venv/bin/python3" -m pip install -q $peer_pkgs; then
    echo "FATAL: cannot install checkdmarc and postfix-mta-sts-resolver into $venv; the differential tests need them" >&2
    exit 1
  fi
fi
export SECMX_CHECKDMARC="$PWD/$venv/bin/checkdmarc"
export SECMX_STS_PEER_PYTHON="$PWD/$venv/bin/python3"

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
# The library and the command line without the window: egui never leaks below src/ui.
echo "==> cargo clippy --no-default-features --all-targets -- -D warnings"
cargo clippy --no-default-features --all-targets -- -D warnings
echo "==> cargo test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cargo test 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 0 ]; then
  echo "==> cargo test --no-default-features --lib (no window)"
  set +e
  cargo test --no-default-features --lib 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
  set -e
fi
if [ "$status" -ne 0 ]; then
  echo "FAILED: cargo test exited with status $status" >&2
  exit "$status"
fi

echo "==> real window under Xvfb (tests/window.sh)"
cargo build --bin secmx
window=0
tests/window.sh || window=1
echo "==> files without a desktop portal, real window under Xvfb (tests/window-files.sh)"
tests/window-files.sh || window=$((window + 1))

# One closing line with the totals of every test binary (cargo prints one line per binary, the
# last of which is the doc-tests') plus the window test.
passed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^passed/) n += $i } END { print n + 0 }' "$log")
failed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^failed/) n += $i } END { print n + 0 }' "$log")
passed=$((passed + 2 - window))
failed=$((failed + window))
if [ "$passed" -le 1 ]; then
  echo "FAILED: no test ran" >&2
  exit 1
fi
echo
echo "total: $passed passed, $failed failed"
[ "$window" -eq 0 ] || exit 1
