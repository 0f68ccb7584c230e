package backup

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"time"
)

// progressEvery bounds how often a long step reports: often enough to
// show it is alive, rarely enough not to flood a log.
const progressEvery = time.Second

// progress writes one line per step to w (nothing when w is nil).
type progress struct {
	w    io.Writer
	last time.Time
}

// newProgress starts the clock, so that a step that ends within a
// second reports only its final line.
func newProgress(w io.Writer) *progress { return &progress{w: w, last: time.Now()} }

// rows renders a row count: "users: 1 row", "tweets: 120 rows".
func rows(table string, n int64) string { return table + ": " + Count(n, "row") }

// Count renders a number of things: "1 row", "2 rows".
func Count(n int64, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// line always prints.
func (p *progress) line(format string, args ...any) {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, format+"\n", args...)
	p.last = time.Now()
}

// tick prints only if the last line is older than progressEvery.
func (p *progress) tick(format string, args ...any) {
	if p.w == nil || time.Since(p.last) < progressEvery {
		return
	}
	p.line(format, args...)
}

// media reports files done of a total; final lines always print.
func (p *progress) media(final bool, label string, done, total int, bytes int64) {
	f := p.tick
	if final {
		f = p.line
	}
	f("%s: %d/%d files (%s)", label, done, total, HumanBytes(bytes))
}

// HumanBytes renders a size for a progress line: 4.2 MiB.
func HumanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB", "TiB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}

// hashingReader counts and hashes what is read through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func newHashingReader(r io.Reader) *hashingReader {
	return &hashingReader{r: r, h: sha256.New()}
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	return n, err
}

func (h *hashingReader) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

// hashingWriter counts and hashes what is written through it.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func newHashingWriter(w io.Writer) *hashingWriter {
	return &hashingWriter{w: w, h: sha256.New()}
}

func (h *hashingWriter) Write(p []byte) (int, error) {
	n, err := h.w.Write(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	return n, err
}

func (h *hashingWriter) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }
