#!/usr/bin/env bash
# Installs medaudit's build and test dependencies from Debian 12 packages.
# Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev rapidjson-dev libicu-dev libsqlitecpp-dev libsqlite3-dev
  catch2 libcli11-dev libfmt-dev libre2-dev libxxhash-dev libssl-dev zlib1g-dev ca-certificates python3
  libxml2-utils
  wamerican-large  # the word list rules/knowledge/common_words.json is generated from and tested against
  hunspell-ar      # the Arabic word list its ar_words are generated from (scripts/gen_common_words.py)
)
# Hyperscan is x86-64 only; elsewhere medaudit falls back to RE2.
if [ "$(dpkg --print-architecture)" = "amd64" ]; then packages+=(libhyperscan-dev); fi
# Browser test of report.html (tests/report/chromium_test.cc) with CJK and Arabic fonts.
if [ "${MEDAUDIT_WITH_BROWSER:-0}" = "1" ]; then packages+=(chromium fonts-noto-cjk fonts-noto-core); fi
if [ "${MEDAUDIT_WITH_SANITIZERS:-0}" = "1" ]; then packages+=(clang libclang-rt-14-dev); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
