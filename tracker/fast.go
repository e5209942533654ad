package tracker

import (
	"errors"
	"net"
	"net/netip"
	"time"
	"unsafe"

	"github.com/valyala/fasthttp"
)

// NewServer returns the HTTP server the tracker listeners use in
// production: fasthttp, which answers the small GET requests of the
// announce path with far less work per request than net/http (measured in
// docs/perf.md), with the same answers as Handler. Serve it on as many
// listeners as needed; ShutdownWithContext stops them.
func (t *Tracker) NewServer() *fasthttp.Server {
	return &fasthttp.Server{
		Handler:               t.ServeFast,
		ErrorHandler:          t.serveUnreadable,
		ReadTimeout:           t.cfg.Conns.FirstByteTimeout, // a new connection's request: a GET has no body
		WriteTimeout:          10 * time.Second,
		IdleTimeout:           t.cfg.Conns.IdleTimeout,
		ReadBufferSize:        maxRequestBytes, // the longest request line and headers accepted
		NoDefaultServerHeader: true,
		NoDefaultDate:         true,
		NoDefaultContentType:  true,
		CloseOnShutdown:       true,
		SecureErrorLogMessage: true, // its own error lines never quote a request (a passkey is in the URL)
		Logger:                t.serverLog,
	}
}

// maxRequestBytes bounds a request's line and headers: an announce needs
// well under 1 KB, a scrape of the most hashes allowed about 4 KB.
const maxRequestBytes = 8 << 10

// serveUnreadable answers a request fasthttp could not read: one longer
// than maxRequestBytes gets a bencoded failure saying the limit; anything
// else (a broken request, a timeout) the generic answer.
func (t *Tracker) serveUnreadable(ctx *fasthttp.RequestCtx, err error) {
	var small *fasthttp.ErrSmallBuffer
	if errors.As(err, &small) {
		t.countRefusal(ErrTooLong)
		ctx.SetStatusCode(fasthttp.StatusOK)
		ctx.Response.Header.SetContentTypeBytes(textPlainBytes)
		ctx.SetBody(appendFailure(nil, ErrTooLong.Text))
		return
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		ctx.Error("request timeout", fasthttp.StatusRequestTimeout)
		return
	}
	ctx.Error("malformed HTTP request", fasthttp.StatusBadRequest)
}

// ServeFast is Handler for fasthttp.
func (t *Tracker) ServeFast(ctx *fasthttp.RequestCtx) {
	st := t.states.Get().(*reqState)
	req := request{
		path:    bytesString(ctx.Path()),
		query:   bytesString(ctx.URI().QueryString()),
		remote:  fastRemote(ctx.RemoteAddr()),
		headers: (*fastHeaders)(&ctx.Request.Header),
	}
	status := t.serve(st, &req, ctx.Done())
	ctx.SetStatusCode(status)
	ctx.Response.Header.SetContentTypeBytes(textPlainBytes)
	ctx.SetBody(st.buf)
	t.states.Put(st)
}

var textPlainBytes = []byte(textPlain[0])

// fastRemote is a connection's address as netip.Addr.
func fastRemote(a net.Addr) netip.Addr {
	if tcp, ok := a.(*net.TCPAddr); ok {
		if ip, ok := netip.AddrFromSlice(tcp.IP); ok {
			return ip.Unmap()
		}
	}
	return remoteAddr(a.String())
}

// bytesString views b as a string without copying. The request's strings
// are used only while it is served, during which fasthttp leaves its
// buffers alone.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

type fastHeaders fasthttp.RequestHeader

func (h *fastHeaders) forwardedFor() []string {
	all := (*fasthttp.RequestHeader)(h).PeekAll("X-Forwarded-For")
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = string(v)
	}
	return out
}

func (h *fastHeaders) realIP() string {
	return string((*fasthttp.RequestHeader)(h).Peek("X-Real-Ip"))
}
