package tweets_test

import (
	"errors"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
)

// FuzzParseID checks that an id has one spelling: ParseID accepts
// exactly what ID.String writes for a positive id, and refuses anything
// else (signs, leading zeros, spaces, overflow) with a not-found domain
// error that echoes a bounded part of the input.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "+1", "01", "00", " 1", "1 ", "1_000", "0x10", "1e3",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "", "٣", "\xff",
		tweets.MinIDAt(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)).String()} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := tweets.ParseID(s)
		if err != nil {
			var e *tweets.Error
			if !errors.As(err, &e) || e.Code != tweets.CodeNotFound {
				t.Fatalf("ParseID(%q) = %#v, want a not-found domain error", s, err)
			}
			if len(e.Message) > 400 {
				t.Fatalf("ParseID(%q): the message echoes %d bytes", s, len(e.Message))
			}
			return
		}
		if id <= 0 {
			t.Fatalf("ParseID(%q) = %d, not a positive id", s, id)
		}
		if id.String() != s {
			t.Fatalf("ParseID(%q) = %d, which is written %q: one id, two spellings", s, id, id.String())
		}
		if again, err := tweets.ParseID(id.String()); err != nil || again != id {
			t.Fatalf("ParseID(%q) = %d, %v; want %d", id.String(), again, err, id)
		}
		if at := tweets.MinIDAt(id.Time()); at > id || id-at >= 1<<16 {
			t.Fatalf("id %d made at %v: MinIDAt gives %d", id, id.Time(), at)
		}
	})
}
