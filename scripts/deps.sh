#!/usr/bin/env bash
# Installs the OS packages Djembe needs, when missing.
#   scripts/deps.sh run    PostgreSQL server binaries (for the embedded database)
#   scripts/deps.sh test   the above, plus the real BitTorrent clients the end-to-end tests drive and
#                          the Chromium the browser tests drive
# As root it installs them with apt-get; otherwise it says exactly what to install.
set -euo pipefail
want=${1:-run}

missing=()
have_pg() {
  [ -n "${DATABASE_URL:-}" ] && return 0
  [ -n "${DJEMBE_PG_BIN:-}" ] && [ -x "$DJEMBE_PG_BIN/postgres" ] && return 0
  command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1 && return 0
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1
}
have_pg || missing+=(postgresql)

if [ "$want" = test ]; then
  /usr/bin/python3 -c 'import libtorrent' >/dev/null 2>&1 || missing+=(python3-libtorrent)
  command -v aria2c >/dev/null 2>&1 || missing+=(aria2)
  command -v rtorrent >/dev/null 2>&1 || missing+=(rtorrent)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi

if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  echo "Go is not installed: install Go 1.26 or newer (https://go.dev/doc/install) and put it on PATH." >&2
  exit 1
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing missing OS packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's package starts a cluster of its own; Djembe runs its own server and does not need it.
  if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v service >/dev/null 2>&1; then
    service postgresql stop >/dev/null 2>&1 || true
  fi
  exit 0
fi

echo "Missing OS packages: ${missing[*]}" >&2
echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
echo "(or set DATABASE_URL to an existing PostgreSQL instead of installing postgresql)" >&2
exit 1
