package seed

import "github.com/tweetsdev/tweets"

// The low 16 bits of a generated ID hold a 12-bit sequence and, in the
// last 4 bits, the kind of row: the layout of tweets.IDGenerator (the
// high 48 bits are the milliseconds of the row's created_at), with IDs
// that cannot collide between kinds that share a timeline (tweets and
// reposts) or a table (the notifications of different actions).
const (
	kindUser = iota
	kindTweet
	kindFollow
	kindLike
	kindRepost
	kindNotifyFollow
	kindNotifyLike
	kindNotifyRepost
	kindNotifyReply
	kindNotifyQuote
	kindNotifyMention // and the kinds after it, one per mention of a tweet
)

// maxMentionKinds is how many mentions of one tweet get their own
// notification ID.
const maxMentionKinds = 16 - kindNotifyMention

// clock hands out the IDs of one kind for times that never go back, as
// tweets.IDGenerator does for one process: a millisecond already used
// counts up its sequence, which carries into the next millisecond.
type clock struct {
	kind int64
	last int64
}

func newClock(kind int64) *clock { return &clock{kind: kind} }

// next returns the ID for a row made at ms; its Time is ms, or a little
// later when more than 4,096 rows share the millisecond.
func (c *clock) next(ms int64) tweets.ID {
	id := ms<<16 | c.kind
	if id <= c.last {
		id = c.last + 16
	}
	c.last = id
	return tweets.ID(id)
}

// derived is the ID of a row made in the same instant as the row with
// id, of another kind: the notification of an action.
func derived(id tweets.ID, kind int64) tweets.ID { return id&^0xF | tweets.ID(kind) }
