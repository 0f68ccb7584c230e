package webtest

import (
	"bufio"
	"io"
	"iter"
	"strings"
)

// Events reads server-sent events from r, yielding each event's name and
// its data line until r ends or the caller stops.
func Events(r io.Reader) iter.Seq2[string, string] {
	return func(yield func(name, data string) bool) {
		sc := bufio.NewScanner(r)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				name = v
			} else if v, ok := strings.CutPrefix(line, "data: "); ok && !yield(name, v) {
				return
			}
		}
	}
}
