// Package e2e holds Djembe's end-to-end tests: the djembe binary, built
// fresh, is driven as an operator would drive it, and real BitTorrent
// clients from the OS packages (libtorrent through python3-libtorrent,
// aria2 and rtorrent) seed and download through its tracker on 127.0.0.1.
//
// The tests need the OS packages that `scripts/deps.sh test` installs
// (postgresql, python3-libtorrent, aria2, rtorrent). Run as root, the tests
// install them when missing; otherwise they are skipped with the command to
// run.
//
// lt_client.py is the libtorrent driver: a small client controlled over
// stdin/stdout lines, which also creates the test's .torrent files.
// rtorrent runs as a daemon from a generated rtorrent.rc and is driven over
// XML-RPC on a local SCGI socket (rtorrent_test.go).
package e2e
