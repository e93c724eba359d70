#!/usr/bin/env bash
# Browser tests of the labelling UI (Tests/browser): pytest + selenium driving Debian's headless
# Chromium against a real `livetrain demo` on a free loopback port and a fresh data folder.
#
# Installs what is missing and is safe to run again: Debian's chromium + chromium-driver and
# firefox-esr (apt-get update only when the install needs it), and the venv .venv-browser with pinned
# selenium and pytest.
# Builds nothing: the server binary must exist (make build). Screenshots, the server log and the
# browser console go to artifacts/browser/ (git-ignored).
#
#   bash scripts/browser_tests.sh                 all browser tests
#   bash scripts/browser_tests.sh -k mask         pytest arguments pass through
#   bash scripts/browser_tests.sh Tests/browser/test_segmentation.py
#
# Environment: LIVETRAIN_BIN (default .build/debug/livetrain), LIVETRAIN_DEMO_ARGS (extra `demo`
# flags, e.g. "--threads 2"), LIVETRAIN_PRELABEL_TIMEOUT (seconds for pre-labels to appear, default
# 1500), LIVETRAIN_URL + LIVETRAIN_TOKEN (use a running server instead of starting one), KEEP_DATA=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
SELENIUM="selenium==4.51.0"
PYTEST="pytest==9.2.0"
venv="$root/.venv-browser"

# Firefox (driven over WebDriver BiDi, which needs no geckodriver) for the smoke test; FIREFOX=0 skips it.
packages=(chromium chromium-driver)
[[ "${FIREFOX:-1}" == 1 ]] && packages+=(firefox-esr)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "browser_tests: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

stamp="$venv/.stamp"
if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$SELENIUM $PYTEST" ]]; then
  echo "browser_tests: setting up $venv ($SELENIUM, $PYTEST)"
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "$SELENIUM" "$PYTEST"
  echo "$SELENIUM $PYTEST" > "$stamp"
fi

export LIVETRAIN_BIN="${LIVETRAIN_BIN:-$root/.build/debug/livetrain}"
if [[ -z "${LIVETRAIN_URL:-}" && ! -x "$LIVETRAIN_BIN" ]]; then
  echo "browser_tests: $LIVETRAIN_BIN not found; build it first (make build)" >&2
  exit 2
fi
export ARTIFACTS="${ARTIFACTS:-$root/artifacts/browser}"
mkdir -p "$ARTIFACTS"
# Test paths may be given; without one, the whole folder runs.
paths=("$root/Tests/browser")
for a in "$@"; do [[ "$a" != -* && -e "$a" ]] && paths=(); done
exec "$venv/bin/python" -m pytest "${paths[@]}" -p no:cacheprovider "$@"
