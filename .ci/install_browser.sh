#!/bin/sh
# Make Debian's Chromium available for the real-browser tests (tests/e2e).
# Idempotent and quiet; never fails: if the install does not work the e2e tests skip,
# or fail loudly when CONV_LESSON_REQUIRE_BROWSER=1 (as in CI).
# Never runs `playwright install` (no browser downloads): Playwright drives /usr/bin/chromium.
CHROMIUM="${CONV_LESSON_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ] && { [ -n "${CONV_LESSON_CHROMIUM:-}" ] || [ -x /usr/bin/chromedriver ]; }; then
    echo "install_browser: $("$CHROMIUM" --version 2>/dev/null | head -n 1) at $CHROMIUM"
    exit 0
fi

if [ "$(id -u)" != "0" ]; then
    echo "install_browser: $CHROMIUM missing and not root; skipping (apt-get install chromium chromium-driver)" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: $CHROMIUM missing and no apt-get; skipping" >&2
    exit 0
fi

LOG="${TMPDIR:-/tmp}/install_browser.$$.log"
echo "install_browser: installing chromium and chromium-driver with apt-get (log: $LOG)"
if DEBIAN_FRONTEND=noninteractive apt-get update -q >"$LOG" 2>&1 \
   && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        chromium chromium-driver >>"$LOG" 2>&1; then
    echo "install_browser: $("$CHROMIUM" --version 2>/dev/null | head -n 1)"
else
    echo "install_browser: apt-get failed (see $LOG); e2e tests will skip, or fail under CONV_LESSON_REQUIRE_BROWSER=1" >&2
    tail -n 5 "$LOG" >&2 || true
fi
exit 0
