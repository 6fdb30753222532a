#!/usr/bin/env bash
# Debian packages the test suite needs beyond Python: a real headless Chromium
# for the HTML export test (tests/export/test_html_page.py), and Noto Sans CJK
# so that the Chinese in that page's screenshot renders as text, not boxes.
# The PNG/SVG export does not need them: its font comes from a PyPI package.
# And iproute2, whose `ip netns` gives the tests' FalkorDB server a network
# namespace of its own with only a loopback (tests/falkordb_server.py), so its
# Bolt port, which ignores --bind, is unreachable from the network.
#
# Idempotent and quiet: installs only what is missing, prints one line.
# Run as root on Debian (CI and the development machines are both that).
set -euo pipefail

packages=(chromium fonts-noto-cjk iproute2)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "test system deps: already installed (${packages[*]})"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "test system deps: missing ${missing[*]}; run this script as root (it uses apt-get)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "test system deps: apt-get failed installing ${missing[*]}" >&2
    exit 1
fi
echo "test system deps: installed ${missing[*]}"
