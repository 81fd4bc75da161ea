#!/usr/bin/env bash
# Installs the Debian packages cellflow needs to build and test. Safe to re-run: when everything is
# already installed it only queries dpkg and exits.
set -euo pipefail

packages=(
  cmake
  ninja-build
  make
  pkg-config
  g++
  clang
  libclang-rt-14-dev
  clang-format
  python3
  libabsl-dev
  libcli11-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  libsimdjson-dev
  libutf8proc-dev
  libtomlplusplus-dev
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if ((EUID != 0)); then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "setup: not root and sudo not found; install as root: ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "setup: installing ${missing[*]}"
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
echo "setup: done"
