#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine: installs what the tests need (apt), then runs
# formatting, lints and every test. Fails loudly when something cannot be installed: no test is
# ever skipped because a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: named-checkzone (bind9-utils) checks every exported zone snippet;
# postfix runs the private test relays of the live-probe tests (tests/integration/probe.rs).
packages=(bind9-utils postfix)

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
for tool in named-checkzone postfix posttls-finger; do
  command -v "$tool" >/dev/null || { echo "FATAL: $tool is still missing after the install" >&2; exit 1; }
done

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
echo "==> cargo test"
cargo test
