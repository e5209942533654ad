package loadgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// maxBody bounds a response body the client will read.
const maxBody = 1 << 20

var (
	errMalformed = errors.New("malformed HTTP response")
	errTooLarge  = errors.New("response body too large")
)

// response is what the client keeps of an HTTP response. body aliases the
// reader's buffer-owned slice passed to readResponse and is valid until the
// next call.
type response struct {
	status int
	close  bool // the server will close the connection after it
	body   []byte
}

// readResponse reads one HTTP/1.x response: the status line, the headers
// (keeping only Content-Length, Transfer-Encoding: chunked and Connection:
// close) and the body, into buf[:0] (grown as needed). A body without
// length or chunking is read to EOF and implies close.
func readResponse(br *bufio.Reader, buf []byte) (response, error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return response{}, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return response{}, errMalformed
	}
	status, ok := atoi(line[9:12])
	if !ok {
		return response{}, errMalformed
	}
	resp := response{status: status, close: line[7] == '0'}
	length, chunked, err := readHeaders(br, &resp)
	if err != nil {
		return response{}, err
	}
	switch {
	case chunked:
		resp.body, err = readChunked(br, buf[:0])
	case length >= 0:
		resp.body, err = readN(br, buf[:0], length)
	case status == 204 || status == 304 || status/100 == 1:
		resp.body = buf[:0]
	default:
		resp.close = true
		resp.body, err = readAll(br, buf[:0])
	}
	return resp, err
}

// readHeaders consumes the header lines up to the blank line.
func readHeaders(br *bufio.Reader, resp *response) (length int, chunked bool, err error) {
	length = -1
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			return length, chunked, nil
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return 0, false, errMalformed
		}
		name, value := line[:colon], bytes.TrimSpace(line[colon+1:])
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, ok := atoi(value)
			if !ok {
				return 0, false, errMalformed
			}
			if n > maxBody {
				return 0, false, errTooLarge
			}
			length = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				resp.close = true
			} else if bytes.EqualFold(value, []byte("keep-alive")) {
				resp.close = false
			}
		}
	}
}

func readN(br *bufio.Reader, buf []byte, n int) ([]byte, error) {
	if cap(buf) < n {
		buf = make([]byte, 0, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(br, buf); err != nil {
		return nil, noEOF(err)
	}
	return buf, nil
}

// noEOF turns a clean EOF inside a message into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// atoi parses a non-negative decimal of at most 9 digits without allocating.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func readChunked(br *bufio.Reader, buf []byte) ([]byte, error) {
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseUint(string(bytes.TrimSpace(line)), 16, 31)
		if err != nil {
			return nil, errMalformed
		}
		if n == 0 {
			return buf, skipTrailers(br)
		}
		if len(buf)+int(n) > maxBody {
			return nil, errTooLarge
		}
		start := len(buf)
		if cap(buf) < start+int(n) {
			buf = append(make([]byte, 0, 2*(start+int(n))), buf...)
		}
		buf = buf[:start+int(n)]
		if _, err := io.ReadFull(br, buf[start:]); err != nil {
			return nil, noEOF(err)
		}
		if err := expectCRLF(br); err != nil {
			return nil, err
		}
	}
}

func skipTrailers(br *bufio.Reader) error {
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return nil
		}
	}
}

func expectCRLF(br *bufio.Reader) error {
	var crlf [2]byte
	if _, err := io.ReadFull(br, crlf[:]); err != nil {
		return err
	}
	if crlf != [2]byte{'\r', '\n'} {
		return errMalformed
	}
	return nil
}

func readAll(br *bufio.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := br.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) > maxBody {
			return nil, errTooLarge
		}
	}
}

// answer is what the bench wants from a tracker's bencoded body.
type answer struct {
	failure []byte // the failure reason, nil if none
	warning bool   // a warning message was given
	peers   int    // compact IPv4 peers returned
}

// classify scans a bencoded announce response for its failure reason,
// warning message and compact peers, without decoding the rest.
func classify(body []byte) answer {
	var a answer
	if s, ok := bstring(body, "14:failure reason"); ok {
		a.failure = s
	}
	_, a.warning = bstring(body, "15:warning message")
	if s, ok := bstring(body, "5:peers"); ok {
		a.peers = len(s) / 6
	}
	return a
}

// bstring finds key (a bencoded string, with its length prefix) in body and
// returns the bencoded string that follows it.
func bstring(body []byte, key string) ([]byte, bool) {
	i := bytes.Index(body, []byte(key))
	if i < 0 {
		return nil, false
	}
	rest := body[i+len(key):]
	colon := bytes.IndexByte(rest, ':')
	if colon <= 0 || colon > 8 {
		return nil, false
	}
	n, ok := atoi(rest[:colon])
	if !ok || colon+1+n > len(rest) {
		return nil, false
	}
	return rest[colon+1 : colon+1+n], true
}

// errKind names an error for the report: the operation and a short cause.
func errKind(op string, err error) string {
	return fmt.Sprintf("%s: %s", op, shortCause(err))
}

// FailureReason returns the failure reason of a bencoded tracker response,
// if it has one.
func FailureReason(body []byte) (string, bool) {
	a := classify(body)
	return string(a.failure), a.failure != nil
}
