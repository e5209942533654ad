package domain

import (
	"encoding/hex"
	"fmt"
)

// InfoHash is a torrent's v1 info hash (SHA-1 of its bencoded info dictionary).
type InfoHash [20]byte

// String is the lowercase hex form.
func (h InfoHash) String() string { return hex.EncodeToString(h[:]) }

// ParseInfoHash accepts 40 hex characters, either case.
func ParseInfoHash(s string) (InfoHash, error) {
	var h InfoHash
	if len(s) != 40 {
		return h, fmt.Errorf("info hash must be 40 hex characters, got %d", len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("info hash is not hex: %w", err)
	}
	return h, nil
}

// MarshalText makes InfoHash a hex string in JSON.
func (h InfoHash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText parses the hex form.
func (h *InfoHash) UnmarshalText(b []byte) error {
	v, err := ParseInfoHash(string(b))
	*h = v
	return err
}

// Factors scale what an announce credits, in percent: Download 0 is
// freeleech, Upload 200 is double upload, both 0 is neutral. 100/100 is normal.
type Factors struct {
	UploadPercent   uint16 `json:"upload_percent"`
	DownloadPercent uint16 `json:"download_percent"`
}

// NormalFactors credit exactly what was transferred.
var NormalFactors = Factors{UploadPercent: 100, DownloadPercent: 100}

// MaxFactorPercent bounds a factor (10x).
const MaxFactorPercent = 1000

// NewFactors makes factors from percentages as people give them, refusing
// any outside 0 to MaxFactorPercent.
func NewFactors(uploadPercent, downloadPercent int) (Factors, error) {
	if uploadPercent < 0 || downloadPercent < 0 || uploadPercent > MaxFactorPercent || downloadPercent > MaxFactorPercent {
		return Factors{}, fmt.Errorf("factors must be between 0 and %d percent", MaxFactorPercent)
	}
	return Factors{UploadPercent: uint16(uploadPercent), DownloadPercent: uint16(downloadPercent)}, nil
}

// TorrentFile is one file in a torrent, for listings.
type TorrentFile struct {
	Path   string `json:"path"`
	Length int64  `json:"length"`
}

// TorrentRegistered adds a torrent to the tracker. It is appended to the
// torrent's subject with expected sequence 0, so an info hash registers once.
// Info is the bencoded info dictionary, from which personal .torrent files
// are made.
type TorrentRegistered struct {
	InfoHash InfoHash      `json:"info_hash"`
	Name     string        `json:"name"`
	Size     int64         `json:"size"`
	Files    []TorrentFile `json:"files"`
	Uploader UserID        `json:"uploader"`
	Info     []byte        `json:"info"`
	Factors  Factors       `json:"factors"`
	Category string        `json:"category,omitempty"` // the site's category (commands.Categories) or the plugin that owns it
	// Since v2: the name the uploader gave (Name is the info dictionary's)
	// and their description, plain text. Empty in older events: the
	// title then is Name.
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
}

// DisplayName is the torrent's name as the site shows it: the uploader's
// title, else the info dictionary's name.
func (t TorrentRegistered) DisplayName() string {
	if t.Title != "" {
		return t.Title
	}
	return t.Name
}

// Event types of torrents.
const (
	TypeTorrentRegistered = "TorrentRegistered"
	TypeTorrentDeleted    = "TorrentDeleted"
	TypeTorrentFactorsSet = "TorrentFactorsSet"
)

func (TorrentRegistered) EventType() string { return TypeTorrentRegistered }

// TorrentDeleted unregisters a torrent: announces for it are refused.
type TorrentDeleted struct {
	InfoHash InfoHash `json:"info_hash"`
	Reason   string   `json:"reason,omitempty"`
}

func (TorrentDeleted) EventType() string { return TypeTorrentDeleted }

// TorrentFactorsSet changes a torrent's freeleech / neutral / double-upload factors.
type TorrentFactorsSet struct {
	InfoHash InfoHash `json:"info_hash"`
	Factors  Factors  `json:"factors"`
}

func (TorrentFactorsSet) EventType() string { return TypeTorrentFactorsSet }

func init() {
	RegisterJSON[TorrentRegistered](2, map[int]Upcast{1: Unchanged}) // v2 added Title and Description
	RegisterJSON[TorrentDeleted](1, nil)
	RegisterJSON[TorrentFactorsSet](1, nil)
}

// Torrent is a torrent's current state: its registration with the changes
// on its subject applied in order. It is the aggregate the write side
// decides on.
type Torrent struct {
	TorrentRegistered
	Deleted      bool
	DeleteReason string
}

// Apply applies one change of the torrent's subject. Events of other types
// and of other torrents change nothing.
func (t *Torrent) Apply(e Event) {
	switch e := e.(type) {
	case TorrentFactorsSet:
		if e.InfoHash == t.InfoHash {
			t.Factors = e.Factors
		}
	case TorrentDeleted:
		if e.InfoHash == t.InfoHash {
			t.Deleted, t.DeleteReason = true, e.Reason
		}
	}
}
