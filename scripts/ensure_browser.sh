#!/usr/bin/env bash
# The browser tests (tests/test_browser.py) need Debian's Chromium and a CJK font. Installs them
# with apt-get when either is missing (as root, or through sudo); does nothing when both are
# there. Idempotent; exits 0 when both are present afterwards.
set -euo pipefail

CHROMIUM="${BOOK_CHROMIUM:-/usr/bin/chromium}"

have_chromium() { [ -x "$CHROMIUM" ]; }
have_cjk_font() {
    # grep reads all of fc-list's output (-q could stop early: SIGPIPE, and pipefail says no)
    command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family | grep "Noto Sans CJK" >/dev/null
}

if have_chromium && have_cjk_font; then
    echo "ensure_browser: Chromium ($CHROMIUM) and the Noto CJK fonts are installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "ensure_browser: Chromium or the CJK fonts are missing; run as root:" >&2
    echo "  apt-get update && apt-get install -y chromium fonts-noto-cjk" >&2
    exit 1
fi

echo "ensure_browser: installing chromium and fonts-noto-cjk (and fontconfig: fc-list) with apt-get"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk fontconfig
if command -v fc-cache >/dev/null 2>&1; then
    "${as_root[@]}" fc-cache -f >/dev/null
fi

if ! have_chromium; then
    echo "ensure_browser: $CHROMIUM is still missing after apt-get install chromium" >&2
    exit 1
fi
if ! have_cjk_font; then
    echo "ensure_browser: no Noto Sans CJK font after apt-get install fonts-noto-cjk" >&2
    exit 1
fi
echo "ensure_browser: $("$CHROMIUM" --version 2>/dev/null || echo chromium) and Noto CJK installed"
