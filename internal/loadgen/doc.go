// Package loadgen drives HTTP announce load at a BitTorrent tracker and
// measures it: requests per second, a latency histogram and the tracker's
// answers (failure reasons, warnings, peers returned).
//
// It is built so that the generator is not the bottleneck on a small box: a
// raw HTTP/1.1 client over net.Conn (no net/http client), requests appended
// into a per-connection buffer from precomputed pieces (escaped info hashes,
// passkeys), a response parser that only reads the status line, the headers
// it needs and a Content-Length or chunked body, and per-connection
// statistics merged once at the end, so the hot loop takes no locks and
// allocates nothing.
//
// Every run is bounded: it stops after a duration or a request count, or
// when its context ends.
package loadgen
