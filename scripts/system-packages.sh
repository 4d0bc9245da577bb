#!/usr/bin/env bash
# Installs the Debian packages PeerPath uses beyond Python: HarfBuzz's subsetter (WeasyPrint is about
# 3x faster with it), Chromium (the browser tests) and any packages named as arguments (make bench
# adds wrk). Needs root and apt; elsewhere it says what to do.
set -u
wanted=(libharfbuzz-subset0 chromium "$@")
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get…"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "warning: could not install ${missing[*]}; PDFs render more slowly and browser tests are skipped."
else
  echo "note: ${missing[*]} not installed. On Debian/Ubuntu: sudo apt-get install ${missing[*]}"
  echo "      (PDFs render more slowly without libharfbuzz-subset0; browser tests need chromium)."
fi
exit 0
