package tweets

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"sync"
	"time"
)

// ID identifies users, tweets and everything else that is listed. It is
// time-ordered: the high 48 bits are milliseconds since the Unix epoch and
// the low 16 bits a per-millisecond sequence. Sorting by ID sorts by
// creation time, so an ID is also a pagination cursor, and the layout is
// the one Mastodon clients already expect of status ids.
type ID int64

// String returns the decimal form used in URLs and JSON.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// Time returns the moment the ID was made, to the millisecond.
func (id ID) Time() time.Time { return time.UnixMilli(int64(id) >> 16).UTC() }

// ParseID parses the decimal form of an ID, as String writes it: an ID
// has one spelling, so "+7" or "007" is no id (rather than a second URL
// of the same tweet, or a cursor that differs from its own page's).
func ParseID(s string) (ID, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || s[0] < '1' || s[0] > '9' {
		return 0, Errorf(CodeNotFound, "%q is not a valid id.", truncate(s, 24))
	}
	return ID(n), nil
}

// IDGenerator makes IDs that increase strictly within one process. Across
// processes, the sequence of each millisecond starts at a random point, so
// two replicas rarely collide; storage refuses a duplicate with
// ErrConflict and the caller retries.
type IDGenerator struct {
	mu   sync.Mutex
	now  func() time.Time
	last int64 // last ID handed out
}

// NewIDGenerator returns a generator reading the given clock (time.Now
// when nil).
func NewIDGenerator(now func() time.Time) *IDGenerator {
	if now == nil {
		now = time.Now
	}
	return &IDGenerator{now: now}
}

// New returns the next ID.
func (g *IDGenerator) New() ID {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := g.now().UnixMilli()
	id := ms<<16 | int64(randomUint16()&0x7fff) // leave room to count up
	if id <= g.last {
		id = g.last + 1 // same millisecond (or the clock went back): count up
	}
	g.last = id
	return ID(id)
}

// MinIDAt returns the smallest ID that can be made at t: a cursor for
// "everything since t".
func MinIDAt(t time.Time) ID { return ID(t.UnixMilli() << 16) }

func randomUint16() uint16 {
	var b [2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return binary.BigEndian.Uint16(b[:])
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
