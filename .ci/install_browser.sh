#!/bin/sh
# Make Debian's Chromium available for the real-browser tests (tests/e2e): the browser
# (chromium, chromium-driver) and its headless shell (chromium-headless-shell), which the
# tests use when it is there (the same engine, less CPU; tests/e2e/jupyter_browser.py).
# Idempotent and quiet; never fails: if the install does not work the e2e tests skip,
# or fail loudly when CONV_LESSON_REQUIRE_BROWSER=1 (as in CI).
# Never runs `playwright install` (no browser downloads): Playwright drives Debian's build.
CHROMIUM="${CONV_LESSON_CHROMIUM:-/usr/bin/chromium}"
SHELL_BIN=/usr/bin/chromium-headless-shell

have_all() {
    [ -x "$CHROMIUM" ] || return 1
    [ -n "${CONV_LESSON_CHROMIUM:-}" ] && return 0  # an explicit choice: nothing else needed
    [ -x /usr/bin/chromedriver ] && [ -x "$SHELL_BIN" ]
}

if have_all; then
    echo "install_browser: $("$CHROMIUM" --version 2>/dev/null | head -n 1) at $CHROMIUM"
    exit 0
fi

if [ "$(id -u)" != "0" ]; then
    echo "install_browser: Chromium incomplete and not root; skipping (apt-get install chromium chromium-driver chromium-headless-shell)" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: Chromium incomplete and no apt-get; skipping" >&2
    exit 0
fi

LOG="${TMPDIR:-/tmp}/install_browser.$$.log"
echo "install_browser: installing chromium, chromium-driver and chromium-headless-shell with apt-get (log: $LOG)"
export DEBIAN_FRONTEND=noninteractive
if apt-get update -q >"$LOG" 2>&1 && apt-get install -y -q chromium chromium-driver >>"$LOG" 2>&1; then
    echo "install_browser: $("$CHROMIUM" --version 2>/dev/null | head -n 1)"
else
    echo "install_browser: apt-get failed (see $LOG); e2e tests will skip, or fail under CONV_LESSON_REQUIRE_BROWSER=1" >&2
    tail -n 5 "$LOG" >&2 || true
    exit 0
fi
# the shell is optional (older releases lack the package): without it the tests drive the browser
if ! apt-get install -y -q chromium-headless-shell >>"$LOG" 2>&1; then
    echo "install_browser: no chromium-headless-shell (see $LOG); the tests use $CHROMIUM" >&2
fi
exit 0
