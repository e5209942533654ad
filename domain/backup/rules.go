package backup

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
)

// Bounds of a backup's description.
const (
	MaxRedundancy  = 10
	MaxNameLen     = 100
	MaxDescription = 10000
	MaxMessage     = 500
)

// Info is what a user says of a backup.
type Info struct {
	Name        string
	Description string
	Redundancy  int
}

// Check refuses a backup without a name, or with a name, description or
// redundancy out of bounds; each problem beside its field.
func (i Info) Check(op string) error {
	var errs []error
	switch name := strings.TrimSpace(i.Name); {
	case name == "":
		errs = append(errs, domain.FieldE(op, "name", domain.KindInvalid, "give the backup a name"))
	case len(name) > MaxNameLen:
		errs = append(errs, domain.FieldE(op, "name", domain.KindInvalid, "a name of at most %d bytes", MaxNameLen))
	}
	if len(i.Description) > MaxDescription {
		errs = append(errs, domain.FieldE(op, "description", domain.KindInvalid, "a description of at most %d bytes", MaxDescription))
	}
	if err := CheckRedundancy(op, i.Redundancy); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// CheckRedundancy refuses a redundancy outside 1 to MaxRedundancy.
func CheckRedundancy(op string, n int) error {
	if n < 1 || n > MaxRedundancy {
		return domain.FieldE(op, "redundancy", domain.KindInvalid, "redundancy is how many other users keep a copy: 1 to %d", MaxRedundancy)
	}
	return nil
}

// CheckMessage refuses a version message that is too long.
func CheckMessage(op, msg string) error {
	if len(msg) > MaxMessage {
		return domain.FieldE(op, "message", domain.KindInvalid, "a message of at most %d bytes", MaxMessage)
	}
	return nil
}

// Obligation is size × n, saturating instead of overflowing.
func Obligation(size uint64, n int) uint64 {
	hi, lo := bits.Mul64(size, uint64(max(n, 0)))
	if hi != 0 {
		return math.MaxUint64
	}
	return lo
}

// DefaultAllowance is what a user may keep backed up before having
// backed up anything of others (the starter allowance): 1 GiB at
// redundancy 1, or 512 MiB at 2.
const DefaultAllowance = domain.GiB

// Quota is a user's standing in the backup economy.
type Quota struct {
	Credit     uint64 // bytes credited for downloading other users' versions
	Obligation uint64 // Σ over the user's live versions of size × redundancy
	Allowance  uint64 // the starter allowance
}

// Room is how much more obligation the user may take on.
func (q Quota) Room() uint64 {
	limit := q.Credit + q.Allowance
	if limit < q.Credit { // overflow
		limit = math.MaxUint64
	}
	return limit - min(limit, q.Obligation)
}

// QuotaError refuses a change that would take a user's obligation past
// their credit and allowance; Needed is how many bytes of other users'
// versions they must back up first.
type QuotaError struct {
	Op     string
	Field  string
	Needed uint64
	Quota  Quota
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("%s: back up %s more of other users' versions first (the queue lists what needs copies): keeping this backed up asks %s more than your credit and allowance cover",
		e.Op, formatBytes(e.Needed), formatBytes(e.Needed))
}

// Unwrap is the refusal beside its field, so domain.KindOf and FieldOf
// read a quota refusal as any other.
func (e *QuotaError) Unwrap() error {
	return domain.FieldE(e.Op, e.Field, domain.KindInvalid, "back up %s more of other users' versions first", formatBytes(e.Needed))
}

// CheckMore refuses adding more obligation to q beyond its room, as a
// *QuotaError on field.
func (q Quota) CheckMore(op, field string, more uint64) error {
	if more <= q.Room() {
		return nil
	}
	return &QuotaError{Op: op, Field: field, Needed: more - q.Room(), Quota: q}
}

// formatBytes writes n in binary units with two decimals (1.50 GiB).
func formatBytes(n uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	f, i := float64(n), 0
	for f >= 1024 && i < len(units)-1 {
		f, i = f/1024, i+1
	}
	if i == 0 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.2f %s", f, units[i])
}

// State is a version's health. Redundancy counts the copies other users
// keep (the owner's own is no backup); risk counts every complete copy in
// the swarm, the owner's included.
type State int

const (
	// Healthy: at least the desired number of other users seed a copy.
	Healthy State = iota
	// UnderReplicated: fewer other users than desired, but two complete
	// copies or more in the swarm.
	UnderReplicated
	// AtRisk: one complete copy in the swarm at most (the owner's, or one
	// other user's).
	AtRisk
	// Lost: no complete copy anywhere, the owner's included.
	Lost
)

var stateNames = [...]string{"healthy", "under-replicated", "at risk", "lost"}

func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// StateOf is the state of a version wanting n copies, with copies other
// users seeding a complete copy and its owner seeding one or not.
func StateOf(copies, n int, ownerSeeding bool) State {
	total := copies
	if ownerSeeding {
		total++
	}
	switch {
	case copies >= n:
		return Healthy
	case total == 0:
		return Lost
	case total <= 1:
		return AtRisk
	}
	return UnderReplicated
}

// StartingPoints is every user's grant of priority points, in
// thousandths.
const StartingPoints int64 = 100_000

// PointsEarned is what seeding a complete copy of another user's version
// for d earns, in thousandths of a point: per hour, one point per GiB of
// the version (at least one), times the copies the version still lacks
// (deficit). So the scarcest, largest versions pay most, as Gazelle's
// bonus pays more for seeding what few seed; a healthy version pays
// nothing. Integer arithmetic, so a replay earns the same to the point.
func PointsEarned(d time.Duration, size uint64, deficit int) int64 {
	if d <= 0 || deficit <= 0 {
		return 0
	}
	gib := max(int64((size+domain.GiB-1)/domain.GiB), 1)
	perHour := gib * int64(deficit) * 1000 // thousandths of a point per hour
	hi, lo := bits.Mul64(uint64(perHour), uint64(d.Milliseconds()))
	if hi >= uint64(time.Hour/time.Millisecond) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(time.Hour/time.Millisecond))
	return int64(min(q, math.MaxInt64))
}

// Credit is what an announce of another user's version adds to the
// downloader's backup credit: the bytes downloaded since the session's
// previous announce, within the tracker's bounds. The torrent is neutral
// for the site's ratio, so the announce's own credit is zero; the bounds
// are applied again from what it recorded: a new session credits
// nothing, a claim beyond the torrent's size is cut to what was left, and
// a claim faster than the maximum rate (which no client makes) credits
// nothing.
func Credit(a *domain.Announce, size uint64) uint64 {
	if a.NewSession || a.Caps&domain.CapDownRate != 0 {
		return 0
	}
	down := a.RawDown
	if a.Caps&domain.CapDownSize != 0 && size > 0 {
		before := a.Downloaded - a.RawDown
		down = min(down, size-min(before, size))
	}
	return down
}

// QueueEntry is what orders a version in the priority queue.
type QueueEntry struct {
	State       State
	PointsMilli int64
	Deficit     int // desired copies minus copies
	Added       time.Time
}

// stateRank is how urgent a state is in the queue: a version at risk
// first, then under-replicated ones; a lost version last, as nobody can
// copy it until someone seeds it again.
func stateRank(s State) int {
	switch s {
	case AtRisk:
		return 0
	case UnderReplicated:
		return 1
	case Lost:
		return 2
	}
	return 3
}

// Before reports whether a comes before b in the queue, in the manner of
// Storj's repair queue (lowest health first): by state, then by points
// (most first), then by deficit (largest first), then by age (oldest
// first).
func Before(a, b QueueEntry) bool {
	if ra, rb := stateRank(a.State), stateRank(b.State); ra != rb {
		return ra < rb
	}
	if a.PointsMilli != b.PointsMilli {
		return a.PointsMilli > b.PointsMilli
	}
	if a.Deficit != b.Deficit {
		return a.Deficit > b.Deficit
	}
	return a.Added.Before(b.Added)
}

// CheckPoints refuses assigning milli points to a backup whose owner
// holds balance unassigned (in thousandths) and had assigned already to
// it: the owner may move points back and forth, never below zero nor
// beyond what they hold.
func CheckPoints(op string, milli, already, balance int64) error {
	switch {
	case milli < 0:
		return domain.FieldE(op, "points", domain.KindInvalid, "points cannot be negative")
	case milli-already > balance:
		return domain.FieldE(op, "points", domain.KindInvalid, "you hold %s points to assign: earn more by seeding other users' versions that need copies",
			FormatPoints(balance))
	}
	return nil
}

// FormatPoints writes thousandths of a point as points with up to one
// decimal (12.5).
func FormatPoints(milli int64) string {
	s := fmt.Sprintf("%.1f", float64(milli)/1000)
	return strings.TrimSuffix(s, ".0")
}

// Standing is a user's whole standing in the backup economy, as the
// backup read model keeps it from every backup event and announce: the
// write side reads it (at most the projector's lag behind) to decide what
// a user may add and assign.
type Standing struct {
	Credit        uint64 // bytes credited for downloading other users' versions (Credit)
	Obligation    uint64 // Σ over the user's live versions of size × redundancy
	EarnedMilli   int64  // points earned by seeding others' versions that need copies (PointsEarned)
	AssignedMilli int64  // points assigned to the user's backups
}

// Quota is the standing with the starter allowance.
func (s Standing) Quota(allowance uint64) Quota {
	return Quota{Credit: s.Credit, Obligation: s.Obligation, Allowance: allowance}
}

// BalanceMilli is the points the user holds unassigned: the starting
// grant and what they earned, less what they assigned.
func (s Standing) BalanceMilli() int64 { return StartingPoints + s.EarnedMilli - s.AssignedMilli }
