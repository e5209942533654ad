// Package e2e holds Djembe's end-to-end tests: the djembe binary, built
// fresh, is driven as an operator would drive it, and real BitTorrent
// clients from the OS packages (libtorrent through python3-libtorrent, and
// aria2) seed and download through its tracker on 127.0.0.1.
//
// The tests need the OS packages that `scripts/deps.sh test` installs
// (postgresql, python3-libtorrent, aria2). Run as root, the tests install
// them when missing; otherwise they are skipped with the command to run.
//
// lt_client.py is the libtorrent driver: a small client controlled over
// stdin/stdout lines, which also creates the test's .torrent files.
package e2e
