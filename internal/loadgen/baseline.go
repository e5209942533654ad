package loadgen

import (
	"net/http"
	"strconv"
)

// minBaselineBody is the size of BaselineBody with no peers.
const minBaselineBody = len("d8:completei0e10:incompletei0e8:intervali1800e12:min intervali300e5:peers0:e")

// BaselineBody is a fixed bencoded announce answer of size bytes (at least
// minBaselineBody): the usual counters and a compact peer list padded to
// size. The peer bytes are arbitrary; only the size and shape matter.
func BaselineBody(size int) []byte {
	size = max(size, minBaselineBody)
	for n := size - minBaselineBody; n >= 0; n-- {
		b := []byte("d8:completei0e10:incompletei0e8:intervali1800e12:min intervali300e5:peers")
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, ':')
		for i := 0; i < n; i++ {
			b = append(b, byte(i*37+11))
		}
		b = append(b, 'e')
		if len(b) <= size {
			return b
		}
	}
	return nil // unreachable: n = 0 gives minBaselineBody bytes
}

// BaselineHandler answers every request with body, as a trivial net/http
// handler does: the reference the tracker's speed is compared with.
func BaselineHandler(body []byte) http.Handler {
	length := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"text/plain"}
		h["Content-Length"] = []string{length}
		_, _ = w.Write(body)
	})
}
