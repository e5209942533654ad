package domain

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func sampleBatch() *AnnounceBatch {
	b := &AnnounceBatch{Node: "t1"}
	for i := 0; i < 3; i++ {
		a := Announce{TimeMillis: 1_700_000_000_000 + int64(i), UserID: uuid.New(),
			Event: AnnounceEvent(i), Uploaded: 1 << 40, Downloaded: uint64(i), Left: 12345}
		a.InfoHash[0], a.PeerID[0] = byte(i), '-'
		a.Credit = Credit{RawUp: 10, RawDown: 20, CreditedUp: 20, CreditedDown: 0, NewSession: i == 1}
		a.Prev, a.SeedMillis = PeerState(i), uint64(i)*1800_000
		a.Snatch, a.Caps = i == 2, Caps(i)
		b.Announces = append(b.Announces, a)
	}
	return b
}

func TestAnnounceBatchRoundTrip(t *testing.T) {
	b := sampleBatch()
	v, p, err := Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	if AnnounceCount(p) != 3 {
		t.Fatalf("AnnounceCount = %d, want 3", AnnounceCount(p))
	}
	got, err := Decode("AnnounceBatch", v, p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Fatalf("round trip changed the batch:\n got %+v\nwant %+v", got, b)
	}
}

func TestAnnounceBatchRejectsMalformed(t *testing.T) {
	p := sampleBatch().MarshalBinary()
	for _, bad := range [][]byte{nil, {5, 'a'}, p[:len(p)-1], append(append([]byte{}, p...), 0)} {
		var b AnnounceBatch
		if err := b.UnmarshalBinary(bad); err == nil {
			t.Errorf("UnmarshalBinary(%x) succeeded", bad)
		}
	}
	bad := append([]byte{}, p...)
	bad[1+2+1+64] = 99 // the first announce's event byte
	var b AnnounceBatch
	if err := b.UnmarshalBinary(bad); err == nil {
		t.Error("an unknown event byte was accepted")
	}
	for _, tc := range []struct {
		version int
		flags   byte
	}{{4, 3 << flagPrevShift}, {3, 3 << flagPrevShift}, {2, 3 << flagPrevShift}, {2, flagSnatch}, {2, 1 << 7}} {
		bad, at := append([]byte{}, p...), 1+2+1+65 // the first announce's flags byte
		if tc.version < 4 {
			bad, at = appendV3(nil, sampleBatch(), make([]PeerAddr, 3)), 1+2+1+83
		}
		bad[at] = tc.flags
		if _, err := Decode(TypeAnnounceBatch, tc.version, bad); err == nil {
			t.Errorf("unknown flags %#x were accepted in version %d", tc.flags, tc.version)
		}
	}
	for _, tail := range [][]byte{{}, {1}, {0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0}, {1, 5, 1, 2}} {
		bad := append(p[:len(p)-2:len(p)-2], tail...) // the address block (key id 0, no box) replaced
		if err := b.UnmarshalBinary(bad); err == nil {
			t.Errorf("a malformed address block %x was accepted", tail)
		}
	}
}

// A version 2 batch (before Snatch and Caps) reads with a snatch exactly
// where the tracker sent a "completed", and no caps.
func TestAnnounceBatchV2IsUpcast(t *testing.T) {
	v2 := sampleBatch()
	for i := range v2.Announces {
		v2.Announces[i].Snatch, v2.Announces[i].Caps = false, 0
	}
	e, err := Decode(TypeAnnounceBatch, 2, appendV3(nil, v2, make([]PeerAddr, 3)))
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range e.(*AnnounceBatch).Announces {
		if a.Snatch != (a.Event == EventCompleted) || a.Caps != 0 {
			t.Errorf("announce %d (%v) read as snatch %v, caps %v", i, a.Event, a.Snatch, a.Caps)
		}
	}
}

// Version 1 batches (pre-release) lack the peers' previous states: they
// are refused with an explanation, never read with made-up states.
func TestAnnounceBatchV1IsRefusedWithAReason(t *testing.T) {
	_, err := Decode("AnnounceBatch", 1, sampleBatch().MarshalBinary())
	if err == nil || !strings.Contains(err.Error(), "pre-release") {
		t.Fatalf("Decode v1: %v", err)
	}
}

func BenchmarkAnnounceBatchDecode(b *testing.B) {
	batch := &AnnounceBatch{Node: "t1", Announces: make([]Announce, 1000)}
	for i := range batch.Announces {
		batch.Announces[i] = sampleBatch().Announces[i%3]
	}
	p := batch.MarshalBinary()
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		var out AnnounceBatch
		if err := out.UnmarshalBinary(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "announces/s")
}

// FuzzAnnounceBatch feeds untrusted bytes to the batch decoder: it must
// never panic, and what it accepts must re-encode to the same bytes.
func FuzzAnnounceBatch(f *testing.F) {
	f.Add(sampleBatch().MarshalBinary())
	f.Add([]byte{0, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, p []byte) {
		var b AnnounceBatch
		if err := b.UnmarshalBinary(p); err != nil {
			return
		}
		if again := b.MarshalBinary(); string(again) != string(p) {
			// Non-canonical varints decode but re-encode shorter; that is fine
			// as long as the decoded batch is stable.
			var b2 AnnounceBatch
			if err := b2.UnmarshalBinary(again); err != nil || !reflect.DeepEqual(b, b2) {
				t.Fatalf("re-encoding is not stable: %v", err)
			}
		}
	})
}
