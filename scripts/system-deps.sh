#!/usr/bin/env bash
# Installs the Debian packages Drogowskaz needs beyond Python, only when they are missing.
#
#   scripts/system-deps.sh              everything: what `make run` and `make test` need
#   scripts/system-deps.sh run          only what the running services need
#   scripts/system-deps.sh ... --warn-only
#                                       when something is missing and cannot be installed
#                                       (not root), warn and exit 0 instead of failing
#
# Packages (each checked by a file it installs):
#   espeak-ng          offline Polish speech for the kiosk's "Przeczytaj na głos"  (run)
#   fonts-dejavu-core  a font with every Polish letter for the kiosk page          (run)
#   chromium           Debian's browser for the kiosk tests (tests/kiosk)          (test)
#
# Idempotent: when everything is there it changes nothing and needs no root.
set -euo pipefail

group=test
warn_only=0
for arg in "$@"; do
  case "$arg" in
    run|test) group="$arg" ;;
    --warn-only) warn_only=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "!! unknown argument: $arg (use: run, test, --warn-only)" >&2; exit 2 ;;
  esac
done

declare -A CHECK=(
  [espeak-ng]=/usr/bin/espeak-ng
  [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
  [chromium]=/usr/bin/chromium
)
wanted=(espeak-ng fonts-dejavu-core)
if [ "$group" = test ]; then
  wanted+=(chromium)
fi

missing=()
for package in "${wanted[@]}"; do
  if [ ! -e "${CHECK[$package]}" ]; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "==> System packages present: ${wanted[*]}"
  exit 0
fi

echo "==> System packages missing: ${missing[*]}"
command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
cannot() {
  if [ "$warn_only" -eq 1 ]; then
    echo "!! Warning: $1" >&2
    if [[ " ${missing[*]} " == *" espeak-ng "* ]]; then
      echo "   Without espeak-ng the kiosk cannot read answers aloud; everything else works." >&2
    fi
    exit 0
  fi
  echo "!! $1" >&2
  exit 1
}

if [ "$(id -u)" -ne 0 ]; then
  cannot "installing ${missing[*]} needs root. Run as root: $command
   (or: sudo $0 $*)"
fi
if ! command -v apt-get >/dev/null 2>&1; then
  cannot "apt-get not found: install ${missing[*]} with this system's package manager."
fi

export DEBIAN_FRONTEND=noninteractive
echo "==> apt-get update"
if ! apt-get update -qq; then
  cannot "apt-get update failed (no network or no package mirror?). Then run: $command"
fi
echo "==> apt-get install ${missing[*]}"
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  cannot "apt-get install ${missing[*]} failed (see the messages above)."
fi

for package in "${missing[@]}"; do
  if [ ! -e "${CHECK[$package]}" ]; then
    cannot "$package was installed but ${CHECK[$package]} is still missing."
  fi
done
echo "==> System packages installed: ${missing[*]}"
