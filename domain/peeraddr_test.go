package domain

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"os"
	"reflect"
	"testing"

	"github.com/google/uuid"
)

var (
	testAddrKey   = bytes.Repeat([]byte{0x42}, AddrKeySize)
	testAddrNonce = bytes.Repeat([]byte{7}, AddrNonceSize)
)

// sampleAddrs are three addresses (those of testdata/announcebatch-v3.bin).
func sampleAddrs() []PeerAddr {
	return []PeerAddr{
		{IP: netip.MustParseAddr("10.98.76.54").As16(), Port: 51413},
		{IP: netip.MustParseAddr("2001:db8::7").As16(), Port: 51414},
		{IP: netip.MustParseAddr("192.0.2.1").As16(), Port: 51415},
	}
}

// appendV3 writes b as version 3 stored it, each announce's address
// (addrs[i]) between its peer id and its event: the layout old data
// directories hold.
func appendV3(buf []byte, b *AnnounceBatch, addrs []PeerAddr) []byte {
	buf = append(buf, byte(len(b.Node)))
	buf = append(buf, b.Node...)
	buf = binary.AppendUvarint(buf, uint64(len(b.Announces)))
	for i := range b.Announces {
		one := (&AnnounceBatch{Announces: b.Announces[i : i+1]}).MarshalBinary()[2:] // no node, count 1
		one = one[:len(one)-2]                                                       // no address block
		buf = append(buf, one[:64]...)
		buf = append(buf, addrs[i].IP[:]...)
		buf = binary.BigEndian.AppendUint16(buf, addrs[i].Port)
		buf = append(buf, one[64:]...)
	}
	return buf
}

// A sealed batch survives the log whole, and its addresses open with the
// key and nothing else; the stored bytes hold no address in plain.
func TestSealedAddrsRoundTrip(t *testing.T) {
	b := sampleBatch()
	var err error
	if b.Addrs, err = SealAddrs(nil, testAddrKey, testAddrNonce, 483_000, sampleAddrs()); err != nil {
		t.Fatal(err)
	}
	v, p, err := Encode(b)
	if err != nil || v != 4 {
		t.Fatalf("Encode: v%d, %v", v, err)
	}
	for _, a := range sampleAddrs() {
		ip := netip.AddrFrom16(a.IP)
		if bytes.Contains(p, a.IP[:]) || ip.Is4In6() && bytes.Contains(p, ip.Unmap().AsSlice()) {
			t.Errorf("the stored batch holds %v in plain", ip)
		}
	}
	e, err := Decode(TypeAnnounceBatch, v, p)
	if err != nil {
		t.Fatal(err)
	}
	got := e.(*AnnounceBatch)
	if !reflect.DeepEqual(got, b) || got.PlainAddrs() != nil {
		t.Fatalf("round trip changed the batch:\n got %+v\nwant %+v", got, b)
	}
	addrs, err := got.Addrs.Open(testAddrKey, len(got.Announces))
	if err != nil || !reflect.DeepEqual(addrs, sampleAddrs()) {
		t.Fatalf("Open: %v, %v", addrs, err)
	}
}

// A box opens only with its key, its key id and its count, unaltered.
func TestSealedAddrsRefuseWhatIsNotTheirs(t *testing.T) {
	s, err := SealAddrs(nil, testAddrKey, testAddrNonce, 9, sampleAddrs())
	if err != nil {
		t.Fatal(err)
	}
	other := bytes.Repeat([]byte{1}, AddrKeySize)
	flipped := append([]byte(nil), s.Box...)
	flipped[AddrNonceSize] ^= 1
	for name, tc := range map[string]struct {
		s   SealedAddrs
		key []byte
		n   int
	}{
		"another key":    {s, other, 3},
		"another key id": {SealedAddrs{KeyID: 10, Box: s.Box}, testAddrKey, 3},
		"altered":        {SealedAddrs{KeyID: 9, Box: flipped}, testAddrKey, 3},
	} {
		if _, err := tc.s.Open(tc.key, tc.n); !errors.Is(err, ErrAddrsUnreadable) {
			t.Errorf("%s: Open gave %v, want ErrAddrsUnreadable", name, err)
		}
	}
	for name, tc := range map[string]struct {
		s   SealedAddrs
		key []byte
		n   int
	}{
		"another count": {s, testAddrKey, 2},
		"a short key":   {s, testAddrKey[:16], 3},
		"no box":        {SealedAddrs{KeyID: 9}, testAddrKey, 0},
		"a short box":   {SealedAddrs{KeyID: 9, Box: s.Box[:20]}, testAddrKey, 0},
		"a huge count":  {s, testAddrKey, 1 << 60},
	} {
		if addrs, err := tc.s.Open(tc.key, tc.n); err == nil {
			t.Errorf("%s: Open gave %v", name, addrs)
		}
	}
	if _, err := SealAddrs(nil, testAddrKey, testAddrNonce[:8], 9, nil); err == nil {
		t.Error("a short nonce was accepted")
	}
}

// testdata/announcebatch-v3.bin was written by the version 3 encoder (the
// last release before addresses were sealed): it still reads, with its
// addresses in plain aside and everything else as it was.
func TestAnnounceBatchV3FixtureIsUpcast(t *testing.T) {
	p, err := os.ReadFile("testdata/announcebatch-v3.bin")
	if err != nil {
		t.Fatal(err)
	}
	e, err := Decode(TypeAnnounceBatch, 3, p)
	if err != nil {
		t.Fatal(err)
	}
	b := e.(*AnnounceBatch)
	want := v3FixtureBatch()
	if !reflect.DeepEqual(b.Announces, want.Announces) || b.Node != want.Node || len(b.Addrs.Box) != 0 {
		t.Fatalf("the v3 fixture reads as\n%+v\nwant\n%+v", b, want)
	}
	if !reflect.DeepEqual(b.PlainAddrs(), sampleAddrs()) {
		t.Errorf("its plain addresses read as %v", b.PlainAddrs())
	}
	if !bytes.Equal(appendV3(nil, want, sampleAddrs()), p) {
		t.Error("appendV3 does not write what version 3 wrote")
	}
	// Stored again, it holds no address.
	if again := b.MarshalBinary(); bytes.Contains(again, sampleAddrs()[1].IP[:]) {
		t.Error("re-encoding an upcast batch wrote its plain addresses")
	}
}

// v3FixtureBatch is what testdata/announcebatch-v3.bin holds, but its
// addresses (sampleAddrs).
func v3FixtureBatch() *AnnounceBatch {
	b := &AnnounceBatch{Node: "t1"}
	for i := 0; i < 3; i++ {
		a := Announce{TimeMillis: 1_700_000_000_000 + int64(i)*1000,
			UserID: uuid.MustParse("00000000-0000-4000-8000-00000000000" + string(rune('1'+i))),
			Event:  AnnounceEvent(i + 1), Uploaded: 1 << 30, Downloaded: uint64(i) << 20, Left: uint64(2-i) << 20}
		a.InfoHash[0], a.InfoHash[19] = 0xab, byte(i)
		copy(a.PeerID[:], "-TR3000-00000000000"+string(rune('1'+i)))
		a.Credit = Credit{RawUp: 10, RawDown: 20, CreditedUp: 20, NewSession: i == 0, Caps: Caps(i)}
		a.Prev, a.SeedMillis, a.Snatch = PeerState(i), uint64(i)*1800_000, i == 2
		b.Announces = append(b.Announces, a)
	}
	return b
}

func BenchmarkSealAddrs(b *testing.B) {
	addrs := make([]PeerAddr, 1000)
	for i := range addrs {
		addrs[i] = sampleAddrs()[i%3]
	}
	var buf []byte
	b.SetBytes(int64(len(addrs) * addrSize))
	b.ReportAllocs()
	for b.Loop() {
		s, err := SealAddrs(buf, testAddrKey, testAddrNonce, 1, addrs)
		if err != nil {
			b.Fatal(err)
		}
		buf = s.Box
	}
}

// FuzzOpenAddrs feeds untrusted boxes to Open: it never panics, and what
// opens re-seals (same nonce) to the same box.
func FuzzOpenAddrs(f *testing.F) {
	s, _ := SealAddrs(nil, testAddrKey, testAddrNonce, 9, sampleAddrs())
	f.Add(uint32(9), s.Box, 3)
	f.Add(uint32(9), s.Box, 2)
	f.Add(uint32(1), []byte{}, 0)
	f.Fuzz(func(t *testing.T, id uint32, box []byte, n int) {
		addrs, err := SealedAddrs{KeyID: id, Box: box}.Open(testAddrKey, n)
		if err != nil {
			return
		}
		again, err := SealAddrs(nil, testAddrKey, box[:AddrNonceSize], id, addrs)
		if err != nil || !bytes.Equal(again.Box, box) {
			t.Fatalf("re-sealing what opened differs: %v", err)
		}
	})
}
