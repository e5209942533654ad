package tracker

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

func TestPeerAddr(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	tests := []struct {
		name    string
		cfg     Config
		remote  string
		headers map[string]string
		query   string
		want    string
	}{
		{"connection", Config{}, "192.0.2.1:5000", nil, "", "192.0.2.1"},
		{"connection v6", Config{}, "[2001:db8::1]:5000", nil, "", "2001:db8::1"},
		{"v4-mapped is v4", Config{}, "[::ffff:192.0.2.9]:5000", nil, "", "192.0.2.9"},
		{"zone dropped", Config{}, "[fe80::1%eth0]:5000", nil, "", "fe80::1"},
		{"forwarded header from an untrusted peer ignored", Config{TrustedProxies: proxies}, "192.0.2.1:1",
			map[string]string{"X-Forwarded-For": "198.51.100.7"}, "", "192.0.2.1"},
		{"forwarded from a trusted proxy", Config{TrustedProxies: proxies}, "10.1.2.3:1",
			map[string]string{"X-Forwarded-For": "198.51.100.7"}, "", "198.51.100.7"},
		{"right-most untrusted of a chain", Config{TrustedProxies: proxies}, "10.1.2.3:1",
			map[string]string{"X-Forwarded-For": "203.0.113.5, 198.51.100.7, 10.9.9.9"}, "", "198.51.100.7"},
		{"unreadable chain believed not at all", Config{TrustedProxies: proxies}, "10.1.2.3:1",
			map[string]string{"X-Forwarded-For": "198.51.100.7, junk"}, "", "10.1.2.3"},
		{"X-Real-IP from a trusted proxy", Config{TrustedProxies: proxies}, "[fd00::5]:1",
			map[string]string{"X-Real-IP": "2001:db8::42"}, "", "2001:db8::42"},
		{"no proxies configured", Config{}, "10.1.2.3:1",
			map[string]string{"X-Real-IP": "198.51.100.7"}, "", "10.1.2.3"},
		{"ip param ignored by default", Config{}, "192.0.2.1:1", nil, "ip=198.51.100.1", "192.0.2.1"},
		{"ip param when allowed", Config{AllowIPParam: true}, "192.0.2.1:1", nil, "ip=198.51.100.1", "198.51.100.1"},
		{"ipv6 param, BEP 7 form with port", Config{AllowIPParam: true}, "192.0.2.1:1", nil, "ipv6=%5B2001%3Adb8%3A%3A9%5D%3A6881", "2001:db8::9"},
		{"ipv4 param", Config{AllowIPParam: true}, "[2001:db8::1]:1", nil, "ipv4=198.51.100.2", "198.51.100.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := New(tt.cfg, nil)
			var req announceRequest
			parseAnnounce(tt.query, &req)
			// The headers as net/http and as fasthttp carry them.
			hr := httptest.NewRequest(http.MethodGet, "/announce/x?"+tt.query, nil)
			var fr fasthttp.RequestHeader
			for k, v := range tt.headers {
				hr.Header.Set(k, v)
				fr.Set(k, v)
			}
			for name, h := range map[string]proxyHeaders{"net/http": httpHeaders(hr.Header), "fasthttp": (*fastHeaders)(&fr)} {
				got, err := tr.peerAddr(&request{remote: remoteAddr(tt.remote), headers: h}, &req)
				if err != nil {
					t.Fatal(err)
				}
				if a := addrOf(got); a.String() != tt.want {
					t.Errorf("%s: got %s, want %s", name, a, tt.want)
				}
			}
		})
	}
}

// TestForwardedLines: X-Forwarded-For sent as several lines means what the
// lines joined by commas mean, in net/http's and fasthttp's headers alike
// (an empty line is an unreadable item, as an empty item is).
func TestForwardedLines(t *testing.T) {
	tr := New(Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}, nil)
	conn := netip.MustParseAddr("10.0.0.1")
	for _, lines := range [][]string{
		{"198.51.100.7", ""}, {"198.51.100.7", " "}, {"", "198.51.100.7"}, {"203.0.113.5", "198.51.100.7, 10.0.0.9"},
		{"198.51.100.7", "10.0.0.2", "10.0.0.3"}, {"198.51.100.7,", "10.0.0.2"}, {"junk", "198.51.100.7"},
	} {
		joined := tr.forwarded(httpHeaders(http.Header{"X-Forwarded-For": {strings.Join(lines, ",")}}), conn)
		var fr fasthttp.RequestHeader
		for _, l := range lines {
			fr.Add("X-Forwarded-For", l)
		}
		for name, h := range map[string]proxyHeaders{"net/http": httpHeaders(http.Header{"X-Forwarded-For": lines}), "fasthttp": (*fastHeaders)(&fr)} {
			if got := tr.forwarded(h, conn); got != joined {
				t.Errorf("%s: lines %q give %v, joined %v", name, lines, got, joined)
			}
		}
	}
}
