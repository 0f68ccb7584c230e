package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestDBHealthLog: an outage is logged when it starts and then every
// interval, not on every failed check; a flapping database too.
func TestDBHealthLog(t *testing.T) {
	var buf bytes.Buffer
	d := &dbHealthLog{log: slog.New(slog.NewTextHandler(&buf, nil)), database: "postgres://tweets@db.internal:5432/tweets", interval: 30 * time.Second}
	down := errors.New("dial tcp db.internal:5432: connection refused")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	for _, step := range []struct {
		at   time.Duration
		err  error
		want string // what this check logs, "" for nothing
	}{
		{0, nil, ""},
		{5 * time.Second, down, "level=WARN msg=\"" + dbDownMessage + "\" database=postgres://tweets@db.internal:5432/tweets err=\"dial tcp db.internal:5432: connection refused\" unlogged_failures=0"},
		{10 * time.Second, down, ""},
		{15 * time.Second, down, ""},
		{35 * time.Second, down, "unlogged_failures=2"},
		{40 * time.Second, nil, "level=INFO msg=\"the database answers again"},
		{45 * time.Second, nil, ""},
		// Flapping: a new failure within the interval of the last line
		// waits for it, and its recovery is not logged either.
		{50 * time.Second, down, ""},
		{55 * time.Second, nil, ""},
		{60 * time.Second, down, ""},
		{65 * time.Second, down, "unlogged_failures=2"},
	} {
		buf.Reset()
		d.record(ctx, step.err, start.Add(step.at))
		got := buf.String()
		switch {
		case step.want == "" && got != "":
			t.Errorf("at %s: logged %q, want nothing", step.at, got)
		case step.want != "" && !strings.Contains(got, step.want):
			t.Errorf("at %s: logged %q, want %q", step.at, got, step.want)
		}
	}
}
