package seed_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/password"
	"github.com/tweetsdev/tweets/seed"
)

// memory is a tweets.BulkLoader that keeps what it is given.
type memory struct {
	others, seeded int
	users          []tweets.User
	follows        []tweets.Follow
	tweets         []tweets.PostedTweet
	likes          []tweets.Like
	reposts        []tweets.Repost
	notes          []tweets.Notification
}

func (m *memory) CountAccounts(context.Context, string) (int, int, error) {
	return m.seeded, m.others, nil
}
func (m *memory) RemoveAccounts(context.Context, string) (int, error) { return m.seeded, nil }
func (m *memory) LoadUsers(_ context.Context, us []tweets.User) error {
	m.users = append(m.users, us...)
	return nil
}
func (m *memory) LoadFollows(_ context.Context, fs []tweets.Follow) error {
	m.follows = append(m.follows, fs...)
	return nil
}
func (m *memory) LoadTweets(_ context.Context, ts []tweets.PostedTweet) error {
	m.tweets = append(m.tweets, ts...)
	return nil
}
func (m *memory) LoadLikes(_ context.Context, ls []tweets.Like) error {
	m.likes = append(m.likes, ls...)
	return nil
}
func (m *memory) LoadReposts(_ context.Context, rs []tweets.Repost) error {
	m.reposts = append(m.reposts, rs...)
	return nil
}
func (m *memory) LoadNotifications(_ context.Context, ns []tweets.Notification) error {
	m.notes = append(m.notes, ns...)
	return nil
}
func (m *memory) Close(context.Context) error { return nil }

var end = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func options() seed.Options {
	return seed.Options{Users: 2000, Tweets: 20000, Follows: 20, Likes: 2, Reposts: 0.1, Replies: 0.15, Quotes: 0.02, Seed: 3, End: end, Batch: 3000}
}

func generate(t *testing.T, o seed.Options) (*memory, seed.Summary) {
	t.Helper()
	m := &memory{}
	sum, err := seed.Run(context.Background(), m, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, sum
}

func TestSameSeedSameData(t *testing.T) {
	a, _ := generate(t, options())
	b, _ := generate(t, options())
	if fingerprint(a) != fingerprint(b) {
		t.Error("two runs with the same options made different data")
	}
	o := options()
	o.Seed++
	if c, _ := generate(t, o); fingerprint(c) == fingerprint(a) {
		t.Error("another seed made the same data")
	}
}

func fingerprint(m *memory) uint64 {
	h := fnv.New64a()
	fmt.Fprint(h, m.users, m.follows, m.likes, m.reposts, m.notes)
	for _, p := range m.tweets {
		fmt.Fprint(h, p.Tweet.ID, p.Tweet.AuthorID, p.Tweet.Text, p.Tweet.ReplyTo, p.Tweet.Quote, p.Mentioned)
	}
	return h.Sum64()
}

// TestRowsAreWhatTheServiceStores: ids unique per table and made when
// their rows were, valid usernames and texts, replies and quotes of
// earlier tweets, mentions of existing accounts, and one notification
// per action on another's tweet or account.
func TestRowsAreWhatTheServiceStores(t *testing.T) {
	m, sum := generate(t, options())
	ok, err := password.Hasher{}.Verify(seed.PasswordHash, seed.Password)
	if err != nil || !ok {
		t.Errorf("PasswordHash is not the hash of Password: %v", err)
	}
	users := map[tweets.ID]tweets.User{}
	for _, u := range m.users {
		if err := tweets.ValidateUsername(u.Username); err != nil {
			t.Errorf("username %q: %v", u.Username, err)
		}
		if u.PasswordHash != seed.PasswordHash || !u.CreatedAt.Equal(u.ID.Time()) || !u.CreatedAt.Before(end) {
			t.Errorf("account %+v", u)
		}
		users[u.ID] = u
	}
	if len(users) != 2000 {
		t.Errorf("%d distinct account ids, want 2000", len(users))
	}
	posted := map[tweets.ID]tweets.Tweet{}
	replies := 0
	for _, p := range m.tweets {
		tw := p.Tweet
		if err := tweets.ValidateTweetText(tw.Text, false); err != nil || tw.Text != tweets.NormalizeTweetText(tw.Text) {
			t.Errorf("tweet text %q: %v", tw.Text, err)
		}
		if _, dup := posted[tw.ID]; dup || !tw.CreatedAt.Equal(tw.ID.Time()) || tw.CreatedAt.After(end) {
			t.Errorf("tweet %d at %s: duplicate or misdated", tw.ID, tw.CreatedAt)
		}
		for _, ref := range []tweets.ID{tw.ReplyTo, tw.Quote} {
			if _, ok := posted[ref]; ref != 0 && !ok {
				t.Errorf("tweet %d refers to %d, not an earlier tweet", tw.ID, ref)
			}
		}
		if tw.ReplyTo != 0 {
			replies++
		}
		var names []string
		for _, u := range p.Mentioned {
			names = append(names, tweets.NormalizeUsername(users[u].Username))
		}
		if !slices.Equal(names, tweets.Mentions(tw.Text)) {
			t.Errorf("tweet %q mentions %v", tw.Text, names)
		}
		posted[tw.ID] = tw
	}
	if share := float64(replies) / float64(len(m.tweets)); share < 0.10 || share > 0.20 {
		t.Errorf("%.1f%% of the tweets are replies, want 10 to 20%%", 100*share)
	}
	unique(t, "follows", m.follows, func(f tweets.Follow) (tweets.ID, time.Time) { return f.ID, f.CreatedAt })
	unique(t, "likes", m.likes, func(l tweets.Like) (tweets.ID, time.Time) { return l.ID, l.CreatedAt })
	unique(t, "reposts", m.reposts, func(r tweets.Repost) (tweets.ID, time.Time) { return r.ID, r.CreatedAt })
	unique(t, "notifications", m.notes, func(n tweets.Notification) (tweets.ID, time.Time) { return n.ID, n.CreatedAt })
	for _, l := range m.likes {
		if tw := posted[l.TweetID]; tw.ID == 0 || !l.CreatedAt.After(tw.CreatedAt) || l.UserID == tw.AuthorID {
			t.Errorf("like %+v of tweet %+v", l, tw)
		}
	}
	kinds := map[tweets.NotificationKind]int{}
	for _, n := range m.notes {
		kinds[n.Kind]++
		if n.UserID == n.ActorID {
			t.Errorf("notification of one's own action: %+v", n)
		}
	}
	if kinds[tweets.NotifyFollow] != len(m.follows) || kinds[tweets.NotifyLike] != len(m.likes) || kinds[tweets.NotifyRepost] != len(m.reposts) {
		t.Errorf("notifications %v for %d follows, %d likes, %d reposts", kinds, len(m.follows), len(m.likes), len(m.reposts))
	}
	if sum.Users != 2000 || sum.Tweets != 20000 || sum.Notified != len(m.notes) || sum.Likes != len(m.likes) {
		t.Errorf("summary %+v", sum)
	}
}

func unique[T any](t *testing.T, table string, rows []T, key func(T) (tweets.ID, time.Time)) {
	t.Helper()
	seen := map[tweets.ID]bool{}
	for _, r := range rows {
		id, at := key(r)
		if seen[id] || !at.Equal(id.Time()) {
			t.Errorf("%s: id %d duplicate, or made at %s, not %s", table, id, id.Time(), at)
			return
		}
		seen[id] = true
	}
}

// TestPowerLaw: a few accounts are followed by 10% of all accounts or
// more, the median by a handful; a few authors write much more than
// the median one.
func TestPowerLaw(t *testing.T) {
	m, _ := generate(t, options())
	followers := map[tweets.ID]int{}
	for _, f := range m.follows {
		followers[f.FolloweeID]++
	}
	counts := make([]int, 0, len(m.users))
	for _, u := range m.users {
		counts = append(counts, followers[u.ID])
	}
	slices.Sort(counts)
	slices.Reverse(counts)
	if counts[2] < len(m.users)/10 {
		t.Errorf("the third most followed account has %d followers, want 10%% of %d accounts", counts[2], len(m.users))
	}
	if median := counts[len(counts)/2]; median < 1 || median > 12 {
		t.Errorf("the median account has %d followers, want a handful", median)
	}
	written := map[tweets.ID]int{}
	for _, p := range m.tweets {
		written[p.Tweet.AuthorID]++
	}
	var per []int
	for _, n := range written {
		per = append(per, n)
	}
	slices.Sort(per)
	if top, median := per[len(per)-1], per[len(per)/2]; top < 20*median {
		t.Errorf("the busiest author wrote %d tweets, the median one %d: want a skew", top, median)
	}
}

func TestRefusesOtherAccounts(t *testing.T) {
	o := options()
	o.Users, o.Tweets = 10, 10
	var refused *seed.RefusedError
	if _, err := seed.Run(context.Background(), &memory{others: 2}, o, nil); !errors.As(err, &refused) || refused.Others != 2 {
		t.Errorf("with 2 other accounts: %v", err)
	}
	o.Force = true
	if _, err := seed.Run(context.Background(), &memory{others: 2}, o, nil); err != nil {
		t.Errorf("forced: %v", err)
	}
	sum, err := seed.Run(context.Background(), &memory{seeded: 5}, o, nil)
	if err != nil || sum.Removed != 5 {
		t.Errorf("after an earlier seed: removed %d, %v", sum.Removed, err)
	}
}
