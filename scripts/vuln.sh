#!/usr/bin/env bash
# Checks Djembe's code, its modules and the Go toolchain that builds it against the Go
# vulnerability database with govulncheck (only what our code can reach is reported).
#   scripts/vuln.sh                            the public database, https://vuln.go.dev
#   VULNDB=file:///path/to/copy scripts/vuln.sh   a local copy of it
# Exit 0: nothing reachable is known to be vulnerable, or the check could not be made (the
#         database or govulncheck could not be fetched); it then says "NOT CHECKED" and why.
# Exit 1: vulnerabilities reachable from our code (listed, with the fixed versions), or
#         another failure (the code does not build, say).
set -uo pipefail
cd "$(dirname "$0")/.."
version=v1.9.0 # golang.org/x/vuln
db=${VULNDB:-https://vuln.go.dev}
bin=bin/govulncheck-$version

not_checked() {
  echo "vuln: NOT CHECKED: $1" >&2
  echo "vuln: run \`make vuln\` where $db is reachable, or give a copy: make vuln VULNDB=file:///path" >&2
  exit 0
}

if [ ! -x "$bin" ]; then
  mkdir -p bin
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if ! out=$(GOBIN="$tmp" go install "golang.org/x/vuln/cmd/govulncheck@$version" 2>&1); then
    not_checked "govulncheck $version could not be installed: $out"
  fi
  mv "$tmp/govulncheck" "$bin"
fi

echo "vuln: govulncheck $version, $(go version), database $db" >&2
out=$("$bin" -db "$db" ./... 2>&1)
rc=$?
echo "$out"
case $rc in
  0) exit 0 ;;
  3) echo "vuln: vulnerabilities reachable from our code (above)" >&2; exit 1 ;;
esac
if grep -q 'fetching vulnerabilities' <<<"$out"; then
  not_checked "the vulnerability database $db could not be reached"
fi
exit "$rc"
