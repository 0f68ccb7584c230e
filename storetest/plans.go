package storetest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

// explainer is what a store offers for plan tests (sqlstore does).
type explainer interface {
	ExplainTimeline(ctx context.Context, q tweets.TimelineQuery) ([]string, error)
	Analyze(ctx context.Context) error
}

// sqliteScan matches SQLite reading a whole table (not the rowid walk of
// the public timeline, nor the list of accounts followed).
var sqliteScan = regexp.MustCompile(`^SCAN (\w+)`)

// testPlans: every step of the hot timeline queries is an index lookup
// or range, so that no page reads a whole table. (That the home
// timeline reads only a page per account is HomeTimelineBoundedMerge's
// to check.) On SQLite: no whole-table scan
// but the public timeline's walk down the tweets' ids, no Bloom filter
// built over a table, no sort of everything but the home timeline's
// bounded merge. On PostgreSQL, asked with sequential scans disabled:
// no sequential scan left, which would mean a table without an index
// for that step.
func testPlans(t *testing.T, s tweets.Store) {
	ex, ok := s.(explainer)
	if !ok {
		t.Fatal("the store cannot explain its queries")
	}
	ctx := context.Background()
	me, friend, other := mustUser(t, s, "planner"), mustUser(t, s, "friend"), mustUser(t, s, "other")
	follow(t, s, me, friend)
	var mid tweets.ID
	for i := range 30 {
		tw := mustTweet(t, s, []tweets.User{friend, other}[i%2], fmt.Sprintf("nº %d #plans", i), 0)
		if i == 15 {
			mid = tw.ID
		}
	}
	cases := []struct {
		name   string
		q      tweets.TimelineQuery
		walk   bool // may walk the tweets by id (the public timeline)
		merges bool // may sort what it merged (the home timeline)
	}{
		{"public", tweets.TimelineQuery{Viewer: me.ID, HideMuted: true, Limit: 20}, true, false},
		{"anonymous", tweets.TimelineQuery{Limit: 20}, true, false},
		{"deep", tweets.TimelineQuery{Viewer: me.ID, HideMuted: true, Before: mid, Limit: 20}, true, false},
		{"profile", tweets.TimelineQuery{Viewer: me.ID, AuthorID: friend.ID, Limit: 20}, false, false},
		{"home", tweets.TimelineQuery{Home: me.ID, Viewer: me.ID, Limit: 20}, false, true},
		{"home catching up", tweets.TimelineQuery{Home: me.ID, Viewer: me.ID, After: mid, Oldest: true, Limit: 20}, false, true},
	}
	for _, c := range cases {
		plan, err := ex.ExplainTimeline(ctx, c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var bad []string
		for _, line := range plan {
			step := strings.TrimSpace(strings.TrimLeft(line, " ->"))
			m := sqliteScan.FindStringSubmatch(step)
			switch {
			case strings.Contains(step, "Seq Scan on"),
				strings.Contains(step, "BLOOM FILTER"),
				m != nil && !(m[1] == "t" && c.walk) && !(m[1] == "items" && c.merges) && m[1] != "f" && m[1] != "CONSTANT",
				strings.Contains(step, "TEMP B-TREE FOR ORDER BY") && !c.merges:
				bad = append(bad, step)
			}
		}
		if len(bad) > 0 {
			t.Errorf("%s: the plan has %q; whole plan:\n%s", c.name, bad, strings.Join(plan, "\n"))
		}
	}
	// With statistics, as a running database has them, no step reads
	// every tweet: they once made SQLite count each tweet's replies and
	// quotes that way, since most tweets answer and quote none. (On
	// tables this small, scanning the few accounts is rightly cheaper:
	// only the tweets are checked.)
	if err := ex.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		plan, err := ex.ExplainTimeline(ctx, c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, line := range plan {
			step := strings.TrimSpace(strings.TrimLeft(line, " ->"))
			if tweetsScan.MatchString(step) {
				t.Errorf("%s, analyzed: the plan reads every tweet (%q); whole plan:\n%s", c.name, step, strings.Join(plan, "\n"))
			}
		}
	}
}

// tweetsScan matches a step reading every tweet, by the names the
// queries give the table where it counts replies (c) and quotes (k).
var tweetsScan = regexp.MustCompile(`^SCAN (c|k)\b|Seq Scan on tweets`)
