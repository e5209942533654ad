package tracker

import "strconv"

// Hand-written bencode output for the fixed shapes of tracker responses.
// Dictionary keys are written in sorted order by the callers.

// appendString writes a bencoded byte string.
func appendString(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// appendBytes writes a bencoded byte string.
func appendBytes(b, s []byte) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// appendInt writes a bencoded integer.
func appendInt(b []byte, n int64) []byte {
	b = append(b, 'i')
	b = strconv.AppendInt(b, n, 10)
	return append(b, 'e')
}

// appendFailure writes a whole failure response.
func appendFailure(b []byte, reason string) []byte {
	b = append(b, "d14:failure reason"...)
	b = appendString(b, reason)
	return append(b, 'e')
}
